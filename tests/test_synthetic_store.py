"""The benchmarks' synthetic store (`bench/synthetic_store.py`) writes rows column by column in
plain SQL: a migration that adds a column must be mirrored there, or every storage benchmark
stops at its first statement. Built small here so that drift fails a test, not a bench run."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from storage import Store

if TYPE_CHECKING:
    from types import ModuleType

REPO = Path(__file__).resolve().parent.parent


def _synthetic_store() -> ModuleType:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        spec = importlib.util.spec_from_file_location(
            "synthetic_store", REPO / "bench" / "synthetic_store.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(REPO / "bench"))


def test_builds_on_the_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "marsad.duckdb"
    _synthetic_store().build(path, 200, 40, days=30)
    store = Store(path)
    try:
        members = store.member_candidates(list(range(40)))
    finally:
        store.close()
    # Candidate c joins incident c % 40, and those with c % 10 == 9 are written as superseded
    # (their document read again since): a tenth of them, all of incidents 9, 19, 29 and 39.
    assert len(members) == 180
    assert {m["incident_id"] for m in members} == {i for i in range(40) if i % 10 != 9}
    assert all(m["yearless_month"] is None for m in members)
