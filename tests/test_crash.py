"""SIGKILL the crawler in the middle of a crawl, start it again: nothing captured before the kill
is lost, nothing is stored twice, and the killed run is recorded as failed."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from storage import Store

if TYPE_CHECKING:
    from collections.abc import Iterator

MARSAD = str(Path(sys.executable).with_name("marsad"))
ARTICLES = 30
DIGEST = re.compile(r"^[0-9a-f]{64}$")
FAST = [
    "--set=DOWNLOAD_DELAY=0",
    "--set=AUTOTHROTTLE_ENABLED=False",
    "--set=CONCURRENT_REQUESTS_PER_DOMAIN=2",
    "--set=DOWNLOAD_TIMEOUT=10",
]


def article(number: int) -> bytes:
    paragraphs = [
        f"Bulletin {number}: the local council reported that {number + 2} families left the "
        "western quarter after a night of clashes between two armed groups near the market.",
        f"Aid workers counted {number * 3 + 7} damaged homes and said water deliveries to the "
        f"quarter had been suspended for {number % 5 + 2} days because the road was unsafe.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>Bulletin {number}</title></head><body><article>"
        f"<h1>Bulletin {number}</h1>{body}</article></body></html>"
    ).encode()


class SlowSite(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        host, port = self.server.server_address[:2]
        if self.path == "/feed.xml":
            items = "".join(
                f"<item><link>http://{host!s}:{port}/news/{i}</link></item>"
                for i in range(ARTICLES)
            )
            body = f'<rss version="2.0"><channel>{items}</channel></rss>'.encode()
            content_type = "application/rss+xml"
        elif self.path.startswith("/news/"):
            # Slow enough that the crawl is still going when the test kills it.
            time.sleep(0.15)
            body = article(int(self.path.rsplit("/", 1)[1]))
            content_type = "text/html; charset=utf-8"
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowSite)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host!s}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def capture_files(data_dir: Path) -> dict[Path, str]:
    root = data_dir / "captures"
    return {
        p: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file() and DIGEST.match(p.name)
    }


def test_a_killed_crawl_loses_nothing_and_stores_nothing_twice(site: str, tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "slow"\nkind = "feed"\nlanguages = ["en"]\n'
        f'start_urls = ["{site}/feed.xml"]\n',
        encoding="utf-8",
    )
    data_dir = tmp_path / "data"
    command = [MARSAD, "crawl", "--sources", str(sources), "--data-dir", str(data_dir), *FAST]

    crawler = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(capture_files(data_dir)) < 8:
        assert crawler.poll() is None, "the crawl ended before it could be killed"
        assert time.monotonic() < deadline, "the crawl captured nothing"
        time.sleep(0.02)
    os.kill(crawler.pid, signal.SIGKILL)
    crawler.wait()
    before = capture_files(data_dir)
    assert 8 <= len(before) < ARTICLES

    again = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert again.returncode == 0, again.stderr[-3000:]

    after = capture_files(data_dir)
    # Nothing captured before the kill is lost or changed: the files are where they were,
    # still hash to their names, and the database lists each of them.
    assert all(after.get(path) == digest == path.name for path, digest in before.items())
    store = Store(data_dir / "marsad.duckdb")
    try:
        recorded = {c["sha256"] for c in store.all_captures()}
        killed, finished = sorted(store.runs(), key=lambda r: r["id"])
        documents = store.documents()
        fetches = store._rows("SELECT run_id, url FROM fetches")
        dangling = store.dangling_references()
    finally:
        store.close()
    assert {path.name for path in before} <= recorded
    # Every article is one document, once.
    urls = [d["url"] for d in documents]
    assert len(urls) == len(set(urls)) == ARTICLES
    assert len({d["text_sha256"] for d in documents}) == ARTICLES
    assert dangling == []
    # No URL fetched twice within a run; across the two runs only pages whose document the
    # kill prevented are fetched again.
    per_run = [(f["run_id"], f["url"]) for f in fetches]
    assert len(per_run) == len(set(per_run))
    # The killed run is recorded as failed, with what it did before it died.
    assert (killed["status"], killed["finish_reason"]) == ("failed", "abandoned")
    assert killed["finished_at"] is not None
    assert killed["pages_fetched"] >= 1
    assert finished["status"] == "finished"

    verified = subprocess.run(
        [MARSAD, "verify", "--data-dir", str(data_dir)], capture_output=True, text=True
    )
    assert verified.returncode == 0, verified.stdout
