"""Source health from the run log: which runs yielded articles, and when a source is flagged."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storage import Store
from storage.health import SILENT_RUNS

if TYPE_CHECKING:
    from pathlib import Path


def run(store: Store, source: str, stats: dict[str, Any], *, fetched: int = 0) -> int:
    run_id = store.start_run(source)
    store.finish_run(
        run_id,
        status="finished",
        finish_reason="finished",
        pages_fetched=fetched,
        documents_new=int(stats.get("pipeline/stored", 0)),
        failures=0,
        stats=stats,
    )
    return run_id


LISTED_NOTHING_NEW = {"spider/article_links": 12}
NEW_AND_STORED = {
    "spider/article_links": 12,
    "spider/articles_discovered": 2,
    "pipeline/extracted": 2,
    "pipeline/stored": 2,
}
NO_LINKS: dict[str, Any] = {}
NEW_BUT_NOTHING_EXTRACTED = {"spider/article_links": 5, "spider/articles_discovered": 3}


def test_a_quiet_site_is_healthy_and_a_silent_one_is_flagged(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.duckdb")
    try:
        run(store, "quiet", NEW_AND_STORED, fetched=2)
        for _ in range(4):
            # No news, but the index still lists the articles seen before.
            run(store, "quiet", LISTED_NOTHING_NEW)
        run(store, "broken", NEW_AND_STORED, fetched=2)
        run(store, "broken", NO_LINKS)
        run(store, "broken", NEW_BUT_NOTHING_EXTRACTED, fetched=3)
        assert store.empty_run_streak("broken") == SILENT_RUNS - 1
        run(store, "broken", NO_LINKS)
        assert store.empty_run_streak("quiet") == 0
        assert store.empty_run_streak("broken") == SILENT_RUNS
        assert store.empty_run_streak("never-run") == 0
        health = store.source_health()
        assert health["quiet"]["flagged"] is False
        assert health["broken"]["flagged"] is True
        assert health["broken"]["empty_runs"] == SILENT_RUNS
        assert health["broken"]["last_success"] is not None
        figures = store.run_figures("broken", limit=2)
        assert [(f["listed"], f["discovered"], f["fetched"], f["yielded"]) for f in figures] == [
            (0, 0, 0, False),
            (5, 3, 3, False),
        ]
        # A run that yields articles again clears the flag.
        run(store, "broken", NEW_AND_STORED, fetched=2)
        assert store.source_health()["broken"]["flagged"] is False
    finally:
        store.close()


def test_a_source_that_never_yielded_is_flagged_without_a_last_success(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.duckdb")
    try:
        for _ in range(SILENT_RUNS):
            run(store, "new-source", NO_LINKS)
        health = store.source_health()["new-source"]
        assert health["flagged"] is True
        assert health["last_success"] is None
    finally:
        store.close()


def test_failed_fetches_give_each_url_its_latest_reason(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.duckdb")
    try:
        for reason in ("http_503", "http_404"):
            store.record_failure(
                run_id=None, source="s", url="https://x/a", stage="fetch", reason=reason
            )
        store.record_failure(
            run_id=None, source="s", url="https://x/b", stage="extract", reason="no_text"
        )
        store.record_failure(
            run_id=None, source="other", url="https://x/c", stage="fetch", reason="timeout"
        )
        assert store.failed_fetches("s") == {"https://x/a": "http_404"}
    finally:
        store.close()


def blind_run(store: Store, source: str, status: str, reason: str) -> int:
    run_id = store.start_run(source)
    store.finish_run(
        run_id,
        status=status,
        finish_reason=reason,
        pages_fetched=0,
        documents_new=0,
        failures=1,
        stats={},
    )
    return run_id


def test_a_blind_source_shows_what_is_wrong_since_its_first_blind_run(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.duckdb")
    try:
        run(store, "offline", NEW_AND_STORED, fetched=2)
        first = blind_run(store, "offline", "failed", "unreachable")
        blind_run(store, "offline", "failed", "unreachable")
        run(store, "redesigned", NEW_AND_STORED, fetched=2)
        blind_run(store, "redesigned", "failed", "unreachable")
        changed = blind_run(store, "redesigned", "empty", "selector_matches_nothing")
        blind_run(store, "moved-feed", "empty", "no_matching_links")
        run(store, "fine", NEW_AND_STORED, fetched=2)
        health = store.source_health()
        started = {r["id"]: r["started_at"] for r in store.runs()}
    finally:
        store.close()
    assert health["offline"]["health"] == "unreachable"
    assert health["offline"]["health_since"] == started[first]
    # A different blindness starts its own streak.
    assert health["redesigned"]["health"] == "selector matches nothing"
    assert health["redesigned"]["health_since"] == started[changed]
    assert health["moved-feed"]["health"] == "no articles"
    assert (health["fine"]["health"], health["fine"]["health_since"]) == ("ok", None)


def test_marsad_sources_shows_health_and_where_the_fixtures_came_from(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from marsad.cli import app

    store = Store(tmp_path / "marsad.duckdb")
    try:
        blind_run(store, "hrw-en", "failed", "unreachable")
    finally:
        store.close()
    result = CliRunner().invoke(app, ["sources", "--json", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.output)}
    assert rows["hrw-en"]["health"] == "unreachable"
    assert rows["hrw-en"]["health_since"]
    assert rows["libya-herald"]["health"] == "not run yet"
    assert rows["hrw-en"]["fixtures"]["index"] == "reconstructed"
    assert rows["libya-herald"]["fixtures"]["index"] == "assumed"
    table = CliRunner().invoke(
        app, ["sources", "--data-dir", str(tmp_path)], env={"COLUMNS": "250"}
    )
    assert "unreachable since" in table.output
