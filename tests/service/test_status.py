"""`marsad status` without a server: it opens the database itself and reads the schedule."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from service_fixtures import MARSAD, demo_registry, seed_incident

from marsad import status
from scheduler import cron_trigger, next_fire
from spiders.sources import load_sources
from storage import Store
from storage.paths import data_paths

if TYPE_CHECKING:
    from pathlib import Path


def record_run(store: Store, source: str, *, trigger: str | None, listed: int) -> int:
    run_id = store.start_run(source)
    if trigger is not None:
        store.record_trigger(run_id, trigger, None)
    store.finish_run(
        run_id,
        status="finished",
        finish_reason="finished",
        pages_fetched=listed,
        documents_new=listed,
        failures=0,
        stats={"spider/article_links": listed},
    )
    return run_id


def test_collect_gives_last_and_next_health_reviews_and_sizes(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    incident = seed_incident(data_dir)
    sources_path = demo_registry(
        tmp_path / "sources.toml",
        "http://127.0.0.1:9",
        {
            "demo-news-ar": "0 */6 * * *",
            "demo-ngo-ar": "30 5 * * *",
            "demo-js-listing": "0 * * * *",
        },
    )
    sources = load_sources(sources_path)
    store = Store(data_dir / "marsad.duckdb")
    try:
        record_run(store, "demo-news-ar", trigger="scheduled", listed=4)
        for _ in range(3):
            record_run(store, "demo-ngo-ar", trigger=None, listed=0)
        store.set_incident_status(incident, "confirmed", actor="analyst", reason=None)
        soon = datetime(2030, 1, 1, tzinfo=UTC)
        data = status.collect(
            store,
            sources,
            data_paths(data_dir),
            next_runs={"demo-news-ar": soon},
            crawling=["demo-js-listing"],
        )
    finally:
        store.close()
    rows = {r["source"]: r for r in data["sources"]}
    news = rows["demo-news-ar"]
    assert news["last"] is not None
    assert news["last_trigger"] == "scheduled"
    assert (news["pages"], news["documents_new"]) == (4, 4)
    assert news["next"] == soon.isoformat()
    assert not news["flagged"]
    quiet = rows["demo-ngo-ar"]
    assert quiet["flagged"]
    assert quiet["empty_runs"] == 3
    assert quiet["last_trigger"] is None
    assert quiet["last"] is not None
    listing = rows["demo-js-listing"]
    assert (listing["last"], listing["state"]) == (None, "crawling")
    assert data["review"]["confirmed"] == 1
    assert data["review"]["new"] == 0
    assert data["sizes"]["captures"] == 1
    assert data["sizes"]["capture_bytes"] > 0
    assert data["sizes"]["database_bytes"] > 0
    assert data["server"] is None


def test_status_command_reads_the_database_when_no_server_runs(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    Store(data_dir / "marsad.duckdb").close()
    sources_path = demo_registry(
        tmp_path / "sources.toml", "http://127.0.0.1:9", {"demo-news-ar": "0 */6 * * *"}
    )
    shown = subprocess.run(
        [MARSAD, "status", "--data-dir", str(data_dir), "--sources", str(sources_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert shown.returncode == 0, shown.stderr
    expected = next_fire(cron_trigger("0 */6 * * *", timezone=UTC), datetime.now(UTC))
    assert expected is not None
    assert "No server is running" in shown.stdout
    assert "demo-news-ar" in shown.stdout
    assert "never run" in shown.stdout
    assert f"{expected:%Y-%m-%d %H:%M:%S}" in shown.stdout
    for column in ("last", "next", "health", "incidents", "captures"):
        assert column in shown.stdout
