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
