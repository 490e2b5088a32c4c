"""`marsad serve` catches up a search index that is behind (an upgraded database) by itself, in
the background as it starts, and `marsad search-index` beside it says to stop the server."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service_fixtures import demo_registry, seed_incident, serving, wait_for
from typer.testing import CliRunner

from marsad import cli, handover
from storage import Store
from storage.paths import data_paths

if TYPE_CHECKING:
    from pathlib import Path


def test_the_server_catches_up_the_index_as_it_starts(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    seed_incident(data_dir)
    store = Store(data_dir / "marsad.duckdb")
    try:
        with store.transaction() as db:
            # As a database from before the index: no document indexed.
            db.execute("DELETE FROM search_postings")
            db.execute("DELETE FROM search_documents")
        assert store.search_pending() == 1
    finally:
        store.close()
    sources = demo_registry(
        tmp_path / "sources.toml", "http://127.0.0.1:9", {"demo-news-ar": "0 3 * * *"}
    )
    with serving(data_dir, sources, "--no-schedule"):
        remote = handover.open_store(data_paths(data_dir), cli.err)
        try:
            wait_for("the index to catch up", lambda: remote.search_pending() == 0)
        finally:
            remote.close()
        refused = CliRunner().invoke(cli.app, ["search-index", "--data-dir", str(data_dir)])
    assert refused.exit_code == 2
    assert "Stop the server" in refused.stderr
