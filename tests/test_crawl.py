"""The README's run command end to end: the demo site, the real spiders, every stage, twice."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from storage import Store

MARSAD = str(Path(sys.executable).with_name("marsad"))

# What the demo site publishes (demo/site): articles per source and language, and the pages that
# fail on purpose.
EXPECTED_DOCUMENTS = {
    ("demo-ngo-newsroom", "en"): 9,
    ("demo-news-ar", "ar"): 6,
    ("demo-ngo-ar", "ar"): 4,
    ("demo-js-listing", "en"): 3,
}
EXPECTED_FAILURES = {"robots_txt_disallowed", "http_404", "too_short"}


def test_the_demo_newsroom_is_a_listing_read_by_url_shape_alone() -> None:
    from demo.server import SOURCES as DEMO_SOURCES
    from spiders.sources import load_sources

    (newsroom,) = [s for s in load_sources(DEMO_SOURCES, base="http://x") if s.kind == "listing"]
    # Its nine documents (EXPECTED_DOCUMENTS) come from links picked by article_pattern alone.
    assert newsroom.article_links is None and newsroom.article_pattern


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def demo_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    data = tmp_path_factory.mktemp("demo") / "data"
    port = str(free_port())
    outputs = []
    for _ in range(2):
        done = subprocess.run(
            [MARSAD, "demo", "--port", port, "--data-dir", str(data)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        outputs.append(done.stdout)
    return data, outputs


@pytest.mark.browser
def test_every_kind_of_source_is_crawled_into_documents(demo_runs: tuple[Path, list[str]]) -> None:
    data, _ = demo_runs
    store = Store(data / "marsad.duckdb")
    try:
        counts = {(r["source"], r["language"]): r["documents"] for r in store.document_counts()}
        assert counts == EXPECTED_DOCUMENTS
        cp1256 = [d for d in store.documents("demo-news-ar") if "48162" in d["url"]]
        assert cp1256, "the Windows-1256 article is stored"
        assert "\ufffd" not in cp1256[0]["text"]
        assert {f["reason"].split(":")[0] for f in store.failures()} == EXPECTED_FAILURES
        assert store.totals()["candidates"] > 0, "the demo's incident reports are flagged"
        # Every document points at a capture whose bytes are on disk under their hash.
        for doc in store.documents():
            capture = store.capture(doc["capture_sha256"])
            assert capture is not None
            assert (data / capture["path"]).is_file()
    finally:
        store.close()


@pytest.mark.browser
def test_running_the_demo_again_fetches_only_indexes_and_stores_nothing_twice(
    demo_runs: tuple[Path, list[str]],
) -> None:
    data, outputs = demo_runs
    assert "Documents stored" in outputs[0]
    store = Store(data / "marsad.duckdb")
    try:
        runs = store.runs(limit=8)  # newest first: the second run's four sources, then the first's
        second = runs[:4]
        assert {r["status"] for r in runs} == {"finished"}
        assert sum(r["documents_new"] for r in second) == 0
        assert sum(r["pages_fetched"] for r in second) == 0, "no article page fetched again"
        assert store.totals()["documents"] == sum(EXPECTED_DOCUMENTS.values())
    finally:
        store.close()
