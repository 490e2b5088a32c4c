"""Rewrites of the custody log that a hash chain alone cannot see (issue 15, item 5): the newest
entries deleted, an entry edited and the chain recomputed, every export entry deleted and the
rest re-chained, a forged entry appended. The head anchored beside the database catches each;
a head kept elsewhere (a digest, a bundle) catches even a rewrite of the anchors file too."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pytest

from preserve.integrity import verify_store
from storage import Store
from storage.custody import ANCHORS, _entry_hash

if TYPE_CHECKING:
    from collections.abc import Callable

MARSAD = str(Path(sys.executable).with_name("marsad"))
CAPTURES = ["a" * 64, "b" * 64, "c" * 64]


def history(data_dir: Path) -> dict[str, Any]:
    """A log of reads, exports and a preservation, as Marsad writes them; the head at the end."""
    store = Store(data_dir / "marsad.duckdb")
    try:
        store.log_custody("read", CAPTURES[:2], actor="amira", detail={"via": "test"})
        store.log_custody("export", CAPTURES, actor="amira", detail={"bundle": "zip"})
        store.log_custody("preserve", CAPTURES[2:], actor="omar")
        store.log_custody("export", CAPTURES[:1], actor="omar", detail={"bundle": "zip"})
        store.log_custody("read", CAPTURES[1:], actor="omar")
        head = store.custody_head()
        assert head is not None
        return head
    finally:
        store.close()


def rows(db: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    cursor = db.execute("SELECT * FROM custody_log ORDER BY id")
    names = [d[0] for d in cursor.description or ()]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def rechain(db: duckdb.DuckDBPyConnection) -> None:
    """What a forger with the database file does: recompute every hash, so the chain holds
    (rows written again: DuckDB will not update a key column in place)."""
    kept = rows(db)
    db.execute("DELETE FROM custody_log")
    prev = None
    for row in kept:
        row |= {"prev_hash": prev}
        row["entry_hash"] = prev = _entry_hash(
            prev, row["logged_at"], row["actor"], row["action"], row["sha256"], row["detail"]
        )
        insert(db, row)


def insert(db: duckdb.DuckDBPyConnection, row: dict[str, Any]) -> None:
    db.execute(
        "INSERT INTO custody_log (id, logged_at, actor, action, sha256, detail, prev_hash, "
        "entry_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [row[k] for k in ("id", "logged_at", "actor", "action", "sha256", "detail")]
        + [row["prev_hash"], row["entry_hash"]],
    )


def cut_the_tail(db: duckdb.DuckDBPyConnection) -> None:
    newest = rows(db)[-1]["id"]
    db.execute("DELETE FROM custody_log WHERE id >= ?", [newest - 1])


def edit_and_rechain(db: duckdb.DuckDBPyConnection) -> None:
    second = rows(db)[1]
    db.execute("DELETE FROM custody_log WHERE id = ?", [second["id"]])
    insert(db, second | {"actor": "someone else"})
    rechain(db)


def drop_exports_and_rechain(db: duckdb.DuckDBPyConnection) -> None:
    db.execute("DELETE FROM custody_log WHERE action = 'export'")
    rechain(db)


def append_forged(db: duckdb.DuckDBPyConnection) -> None:
    last = rows(db)[-1]
    at = datetime(2026, 12, 1, tzinfo=UTC)
    detail = json.dumps({"via": "forged"})
    entry = _entry_hash(last["entry_hash"], at, "nobody", "read", CAPTURES[0], detail)
    # Numbered by the table's own sequence, as Marsad's entries are.
    db.execute(
        "INSERT INTO custody_log (logged_at, actor, action, sha256, detail, prev_hash, "
        "entry_hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [at, "nobody", "read", CAPTURES[0], detail, last["entry_hash"], entry],
    )


def tamper(data_dir: Path, how: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
    db = duckdb.connect(str(data_dir / "marsad.duckdb"))
    try:
        how(db)
    finally:
        db.close()


def problems(data_dir: Path, heads: list[dict[str, Any]] | None = None) -> list[str]:
    store = Store(data_dir / "marsad.duckdb")
    try:
        report = verify_store(store, data_dir, heads or [])
        return [p.detail for p in report.problems if p.what == "custody"]
    finally:
        store.close()


def test_an_untouched_log_verifies_every_time(tmp_path: Path) -> None:
    history(tmp_path)
    assert problems(tmp_path) == []
    # Each check is itself logged, and anchored: the next check passes too.
    assert problems(tmp_path) == []
    anchors = (tmp_path / ANCHORS).read_text(encoding="utf-8").splitlines()
    assert len(anchors) == 7


@pytest.mark.parametrize(
    ("how", "says"),
    [
        (cut_the_tail, "is gone: the log was cut back"),
        (edit_and_rechain, "the log was rewritten"),
        (drop_exports_and_rechain, "the log was"),
        (append_forged, "carry no anchor"),
    ],
)
def test_a_rewrite_that_keeps_the_chain_whole_is_caught_by_the_anchors(
    tmp_path: Path, how: Callable[[duckdb.DuckDBPyConnection], None], says: str
) -> None:
    history(tmp_path)
    tamper(tmp_path, how)
    store = Store(tmp_path / "marsad.duckdb")
    try:
        # The chain alone, as `marsad verify` checked it before: nothing to see.
        assert store.check_custody_chain() == []
    finally:
        store.close()
    found = problems(tmp_path)
    assert any(says in p for p in found), found


def test_verify_exits_1_on_a_cut_log(tmp_path: Path) -> None:
    history(tmp_path)
    tamper(tmp_path, cut_the_tail)
    result = subprocess.run(
        [MARSAD, "verify", "--data-dir", str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "UNANCHORED custody" in result.stdout


def anchors_left(data_dir: Path) -> list[str]:
    """The anchor lines naming entries the cut log still holds, as a forger would keep them."""
    db = duckdb.connect(str(data_dir / "marsad.duckdb"))
    try:
        newest = rows(db)[-1]["id"]
    finally:
        db.close()
    lines = (data_dir / ANCHORS).read_text(encoding="utf-8").splitlines(keepends=True)
    return [line for line in lines if json.loads(line)["id"] <= newest]


def test_a_head_kept_elsewhere_catches_a_rewrite_of_the_anchors_too(tmp_path: Path) -> None:
    head = history(tmp_path)
    tamper(tmp_path, cut_the_tail)
    # The forger also cuts the anchors file back to what the shortened log holds.
    (tmp_path / ANCHORS).write_text("".join(anchors_left(tmp_path)), encoding="utf-8")
    assert problems(tmp_path) == []
    result = subprocess.run(
        [
            MARSAD,
            "verify",
            "--data-dir",
            str(tmp_path),
            "--head",
            f"{head['id']}:{head['entry_hash']}",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "the log was cut back" in result.stdout


def test_digests_and_bundles_carry_the_head(tmp_path: Path) -> None:
    from marsad import digest

    head = history(tmp_path)
    store = Store(tmp_path / "marsad.duckdb")
    try:
        made = digest.build(store, base_url="http://127.0.0.1:8080")
        assert f"--head {head['id']}:{head['entry_hash']}" in digest.markdown(made)
        assert head["entry_hash"] in digest.render_html(made)
    finally:
        store.close()
