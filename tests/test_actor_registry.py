"""tools/build_actor_registry.py: the committed registry is what the table compiles to, and the
build refuses a table that would make the matcher guess."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import build_actor_registry as build  # noqa: E402


def table(*actors: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": "test",
        "licence": "test",
        "references": {"ref": "A reference."},
        "actor": list(actors),
    }


def actor(actor_id: str, **fields: Any) -> dict[str, Any]:
    spec = {
        "id": actor_id,
        "name": actor_id.title(),
        "name_ar": "اسم",
        "category": "armed_group",
        "en": [actor_id.title()],
        "ar": [f"كتيبة {actor_id}"],
        "sources": ["ref"],
    }
    return spec | fields


def test_the_committed_registry_is_up_to_date() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_actor_registry.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_table_compiles_deterministically() -> None:
    source = tomllib.loads(build.TABLE.read_text(encoding="utf-8"))
    assert build.render_json(build.compile_table(source)) == build.render_json(
        build.compile_table(source)
    )


@pytest.mark.parametrize(
    ("actors", "message"),
    [
        ((actor("a", en=["Same Name"]), actor("b", en=["same  name"])), "also names a"),
        ((actor("a", en=["IS"]),), "English word"),
        ((actor("a", parents=[{"id": "nobody", "from": "2014"}]),), "unknown parent"),
        ((actor("a", parents=[{"id": "b", "from": "2020", "to": "2019"}]), actor("b")), "ends"),
        ((actor("a", sources=["elsewhere"]),), "unknown reference"),
        ((actor("a", category="bandits"),), "unknown category"),
        ((actor("a", ar=[]),), "no Arabic alias"),
    ],
)
def test_a_table_that_would_make_the_matcher_guess_is_refused(
    actors: tuple[dict[str, Any], ...], message: str
) -> None:
    with pytest.raises(build.TableError, match=message):
        build.compile_table(table(*actors))


def test_affiliations_keep_their_dates_and_inter_codes_default_from_the_category() -> None:
    compiled = build.compile_table(
        table(actor("unit", parents=[{"id": "force", "from": "2016-03", "to": ""}]), actor("force"))
    )
    unit = compiled["actors"][0]
    assert unit["parents"] == [{"id": "force", "from": "2016-03", "to": None}]
    assert unit["inter"] == 3
