"""Preservation end to end: WARC at capture, `marsad verify` catching an altered or missing
capture, the custody log, verification bundles, and screenshots/PDFs rendered from captures."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pytest
import typer
from pypdf import PdfReader
from scrapy.utils.test import get_crawler
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from marsad import verify
from pipeline.capture import CaptureStage
from preserve.bundle import BundleError, write_bundle
from spiders.items import Page
from storage import Analysed, CaptureFiles, NewDocument, Store, __version__, sha256_hex

if TYPE_CHECKING:
    from collections.abc import Iterator

MARSAD = str(Path(sys.executable).with_name("marsad"))

ARTICLE = (
    b"<html><head><title>Clinic shelled</title></head><body><article><h1>Clinic shelled</h1>"
    b"<p>Medical staff said a field clinic on the southern edge of the town was hit by two shells "
    b"on Tuesday evening, wounding a nurse and damaging the only ambulance.</p>"
    b"<script>document.body.innerHTML = 'REWRITTEN BY SCRIPT';</script>"
    b"</article></body></html>"
)


def cli() -> typer.Typer:
    app = typer.Typer()
    verify.register(app)
    return app


def run(*args: str) -> Any:
    return CliRunner().invoke(cli(), list(args))


def capture(data_dir: Path, body: bytes = ARTICLE, url: str = "http://news.test/a/1") -> Page:
    """Send one page through the real capture stage, as a crawl would."""
    crawler = get_crawler(settings_dict={"MARSAD_DATA_DIR": str(data_dir)})
    stage = CaptureStage.from_crawler(crawler)
    stage.open_spider()
    try:
        page = Page(
            source="news",
            url=url,
            final_url=url + "?from=redirect",
            status=200,
            headers={"Content-Type": ["text/html; charset=utf-8"], "Server": ["test"]},
            body=body,
            encoding="utf-8",
            fetched_at=datetime(2026, 11, 20, 7, 30, 15, 250000, tzinfo=UTC),
            languages=("en",),
            redirects=[url],
        )
        captured = asyncio.run(stage.process_item(page))
        assert isinstance(captured, Page)
        return captured
    finally:
        stage.close_spider()


def add_document(store: Store, page: Page, *, candidate: bool = True) -> int:
    assert page.fetch_id is not None and page.sha256 is not None
    finding = {"types": ["attack_on_health"], "confidence": 0.8}
    return store.add_document(
        NewDocument(
            url=page.url,
            final_url=page.final_url,
            source=page.source,
            fetch_id=page.fetch_id,
            capture_sha256=page.sha256,
            text_sha256=sha256_hex(page.body),
            title="Clinic shelled",
            text="Medical staff said a field clinic was hit.",
            published=None,
            author=None,
            language="en",
            fetched_at=page.fetched_at,
        ),
        Analysed("test-nlp", "en", [finding] if candidate else []),
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def document(data_dir: Path) -> Iterator[tuple[Page, int]]:
    page = capture(data_dir)
    store = Store(data_dir / "marsad.duckdb")
    try:
        document_id = add_document(store, page)
    finally:
        store.close()
    yield page, document_id


def open_store(data_dir: Path) -> Store:
    return Store(data_dir / "marsad.duckdb")


def test_capture_records_provenance_and_writes_a_warc_of_the_fetch(data_dir: Path) -> None:
    page = capture(data_dir)
    store = open_store(data_dir)
    try:
        fetch = store.fetch(page.fetch_id or 0)
        (warc_row,) = store.artefacts(fetch_id=page.fetch_id)
    finally:
        store.close()
    assert fetch is not None
    assert fetch["url"] == "http://news.test/a/1"
    assert fetch["final_url"] == "http://news.test/a/1?from=redirect"
    assert fetch["redirects"] == ["http://news.test/a/1"]
    assert fetch["status"] == 200
    assert json.loads(fetch["headers"])["Server"] == ["test"]
    assert fetch["fetched_at"] == datetime(2026, 11, 20, 7, 30, 15, 250000, tzinfo=UTC)
    assert fetch["marsad_version"] == __version__
    warc = (data_dir / warc_row["path"]).read_bytes()
    assert hashlib.sha256(warc).hexdigest() == warc_row["sha256"]
    records = {
        r.rec_type: (r, r.content_stream().read()) for r in ArchiveIterator(io.BytesIO(warc))
    }
    response, body = records["response"]
    assert body == ARTICLE
    assert response.rec_headers.get_header("WARC-Target-URI") == fetch["final_url"]
    assert response.rec_headers.get_header("WARC-Date") == "2026-11-20T07:30:15.250000Z"
    assert response.http_headers.get_statuscode() == "200"
    provenance = json.loads(records["metadata"][1])
    assert provenance["request_url"] == "http://news.test/a/1"
    assert provenance["capture_sha256"] == page.sha256
    assert provenance["marsad_version"] == __version__


def test_verify_passes_on_an_untouched_store(document: tuple[Page, int], data_dir: Path) -> None:
    result = run("verify", "--data-dir", str(data_dir), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["ok"], report["captures"], report["artefacts"]) == (True, 1, 1)


def test_verify_reports_an_altered_capture_and_fails(
    document: tuple[Page, int], data_dir: Path
) -> None:
    page, _ = document
    assert page.sha256 is not None
    stored = CaptureFiles(data_dir / "captures").path_for(page.sha256)
    stored.write_bytes(stored.read_bytes().replace(b"two shells", b"one shell"))
    result = run("verify", "--data-dir", str(data_dir), "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["altered"] == 1
    (problem,) = report["problem_list"]
    assert (problem["what"], problem["status"], problem["sha256"]) == (
        "capture",
        "altered",
        page.sha256,
    )


def test_verify_reports_a_missing_capture_and_artefact(
    document: tuple[Page, int], data_dir: Path
) -> None:
    page, _ = document
    assert page.sha256 is not None
    CaptureFiles(data_dir / "captures").path_for(page.sha256).unlink()
    for warc in (data_dir / "preserved").rglob("*"):
        if warc.is_file():
            warc.unlink()
    result = run("verify", "--data-dir", str(data_dir))
    assert result.exit_code == 1
    assert "2 missing, 0 altered" in result.output


def test_the_installed_command_exits_non_zero_on_an_altered_capture(
    document: tuple[Page, int], data_dir: Path
) -> None:
    page, _ = document
    assert page.sha256 is not None
    stored = CaptureFiles(data_dir / "captures").path_for(page.sha256)
    stored.write_bytes(stored.read_bytes() + b" ")
    done = subprocess.run(
        [MARSAD, "verify", "--data-dir", str(data_dir)], capture_output=True, text=True
    )
    assert done.returncode == 1
    assert page.sha256 in done.stdout


def test_verify_is_logged_and_an_edited_custody_entry_breaks_the_chain(
    document: tuple[Page, int], data_dir: Path
) -> None:
    assert run("verify", "--data-dir", str(data_dir)).exit_code == 0
    store = open_store(data_dir)
    try:
        entries = store.custody()
        assert [e["action"] for e in entries] == ["verify"]
        assert entries[0]["detail"]["captures"] == 1
        store.log_custody("read", [document[0].sha256], actor="analyst-7", detail={"why": "x"})
        assert store.check_custody_chain() == []
    finally:
        store.close()
    # Someone rewrites history behind Marsad's back.
    db = duckdb.connect(str(data_dir / "marsad.duckdb"))
    db.execute("UPDATE custody_log SET actor = 'nobody' WHERE actor = 'analyst-7'")
    db.close()
    result = run("verify", "--data-dir", str(data_dir), "--json")
    assert result.exit_code == 1
    (problem,) = json.loads(result.output)["problem_list"]
    assert (problem["what"], problem["status"]) == ("custody", "broken")


def test_a_bundle_holds_the_capture_its_provenance_and_checkable_hashes(
    document: tuple[Page, int], data_dir: Path, tmp_path: Path
) -> None:
    page, document_id = document
    store = open_store(data_dir)
    try:
        folder = write_bundle(store, data_dir, [document_id], tmp_path / "out", actor="analyst-7")
        exports = [e for e in store.custody() if e["action"] == "export"]
        warc_sha = store.artefacts(document_id=document_id)[0]["sha256"]
    finally:
        store.close()
    assert (folder / "captures" / str(page.sha256)).read_bytes() == ARTICLE
    assert (folder / "preserved" / f"{warc_sha}.warc").is_file()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = manifest["documents"]
    assert entry["fetch"]["request_url"] == "http://news.test/a/1"
    assert entry["fetch"]["redirects"] == ["http://news.test/a/1"]
    assert entry["fetch"]["fetched_at_utc"] == "2026-11-20T07:30:15.250000+00:00"
    assert entry["capture"]["sha256"] == page.sha256
    assert manifest["created_by"] == "analyst-7"
    # SHA256SUMS is what `sha256sum -c` reads, and it covers every file.
    lines = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {name: digest for digest, name in (line.split("  ", 1) for line in lines)}
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert set(listed) == files - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    assert sorted(e["sha256"] for e in exports) == sorted([page.sha256, warc_sha])
    assert {e["actor"] for e in exports} == {"analyst-7"}


def test_a_bundle_refuses_an_altered_capture_and_leaves_nothing_behind(
    document: tuple[Page, int], data_dir: Path, tmp_path: Path
) -> None:
    page, document_id = document
    assert page.sha256 is not None
    CaptureFiles(data_dir / "captures").path_for(page.sha256).write_bytes(b"forged")
    store = open_store(data_dir)
    try:
        with pytest.raises(BundleError, match="no longer matches its hash"):
            write_bundle(store, data_dir, [document_id], tmp_path / "out")
        assert not [e for e in store.custody() if e["action"] == "export"]
    finally:
        store.close()
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.browser
def test_preserve_renders_the_capture_itself_with_scripts_off(
    document: tuple[Page, int], data_dir: Path
) -> None:
    page, document_id = document
    # news.test does not resolve: the render can only come from the stored capture.
    # Offline is the default: no flag needed for the render to come from the capture alone.
    result = run("preserve", "--data-dir", str(data_dir))
    assert result.exit_code == 0, result.output
    store = open_store(data_dir)
    try:
        artefacts = {a["kind"]: a for a in store.artefacts(document_id=document_id)}
        actions = [e["action"] for e in store.custody(page.sha256)]
        left = store.documents_to_preserve()
    finally:
        store.close()
    assert set(artefacts) == {"warc", "screenshot", "pdf"}
    shot = (data_dir / artefacts["screenshot"]["path"]).read_bytes()
    pdf = (data_dir / artefacts["pdf"]["path"]).read_bytes()
    assert shot.startswith(b"\x89PNG")
    assert hashlib.sha256(pdf).hexdigest() == artefacts["pdf"]["sha256"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "field clinic on the southern edge" in text
    assert "REWRITTEN BY SCRIPT" not in text
    assert artefacts["pdf"]["tool"].startswith("playwright+")
    assert actions == ["read", "preserve"]
    assert left == []
    # A second run finds nothing left to do.
    again = run("preserve", "--data-dir", str(data_dir))
    assert "Nothing to preserve" in again.output


def test_custody_actions_are_a_closed_list(data_dir: Path) -> None:
    store = open_store(data_dir)
    try:
        with pytest.raises(ValueError, match="unknown custody action"):
            store.log_custody("delete", [None])
        assert store.custody() == []
    finally:
        store.close()


def test_a_run_left_running_by_another_process_is_failed_at_the_next_start(
    data_dir: Path,
) -> None:
    store = open_store(data_dir)
    try:
        with store.transaction() as db:
            db.execute(
                "INSERT INTO crawl_runs (source, started_at, status, owner) "
                "VALUES ('news', now(), 'running', 'elsewhere:1:dead')"
            )
        (dead,) = store.runs()
        mine = store.start_run("news")
        # A second source crawling in this same process leaves this process's run alone.
        other = store.start_run("ngo")
        runs = {r["id"]: r for r in store.runs()}
    finally:
        store.close()
    assert (runs[dead["id"]]["status"], runs[dead["id"]]["finish_reason"]) == (
        "failed",
        "abandoned",
    )
    assert runs[mine]["status"] == runs[other]["status"] == "running"
