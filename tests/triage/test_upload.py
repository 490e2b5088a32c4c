"""Documents added from the UI: the same lines, the same answers as `marsad ingest --jsonl`,
for analysts and admins only, behind the CSRF token and a size cap, with every value escaped."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import escape
from test_ingest import AR, BAD, EN, REFUSED, _nlp_ready
from triage_fixtures import csrf_of, signed_in
from typer.testing import CliRunner

from marsad.cli import app as cli_app
from marsad.triage_cli import register
from storage import Store
from storage.incidents import IncidentFilter
from triage import upload
from triage.app import create_app

if TYPE_CHECKING:
    import pytest
    from httpx2 import Response
    from starlette.testclient import TestClient
    from triage_fixtures import Desk

register(cli_app)

ROOT = Path(__file__).resolve().parents[2]
# The demo site's one page in Windows-1256, declared so in its own <meta charset>.
CP1256_PAGE = ROOT / "demo" / "site" / "news-ar" / "news" / "2026" / "11" / "48162.html"
JSONL = "\n".join([EN, *BAD, AR, *REFUSED, ""]).encode("utf-8")


def _send(client: TestClient, name: str, body: bytes, **fields: str) -> Response:
    token = csrf_of(client, "/ingest")
    return client.post("/ingest", data={"csrf": token, **fields}, files={"file": (name, body)})


def _report(html: str) -> dict[str, str]:
    found = {
        key: re.search(rf'id="ingest-{key}">(.*?)</span>', html, re.S)
        for key in ("lines", "stored", "known", "incidents")
    }
    return {k: re.sub(r"<[^>]+>", "", m.group(1)) for k, m in found.items() if m}


def test_a_jsonl_upload_answers_as_the_command_does(desk: Desk, tmp_path: Path) -> None:
    _nlp_ready()
    client = signed_in(create_app(desk.store), desk.store)
    answer = _send(client, "gathered.jsonl", JSONL)
    assert answer.status_code == 200, answer.text
    # The reference: the same bytes through `marsad ingest --jsonl` into another data directory.
    alone = tmp_path / "alone"
    cli = CliRunner().invoke(cli_app, ["ingest", "--jsonl", "--data-dir", str(alone)], input=JSONL)
    assert cli.exit_code == 1
    expected = json.loads(cli.stdout)
    shown = _report(answer.text)
    assert shown["stored"] == str(expected["stored"]) == "2"
    assert shown["known"] == "0"
    assert shown["incidents"] == ", ".join(map(str, expected["incidents"]))
    rows = re.findall(
        r'<tr><td class="num">(\d+)</td><td dir="auto">(.*?)</td><td dir="auto">(.*?)</td></tr>',
        answer.text,
    )
    assert [(int(n), i or None, e) for n, i, e in rows] == [
        (e["line"], e["id"], str(escape(e["error"]))) for e in expected["errors"]
    ]
    # Nothing lost: the good lines of the file are documents, as they are after the command.
    reference = Store(alone / "marsad.duckdb")
    try:
        assert len(desk.store.documents()) == len(reference.documents()) == 2
    finally:
        reference.close()


def test_the_same_file_twice_is_stored_once(desk: Desk) -> None:
    _nlp_ready()
    client = signed_in(create_app(desk.store), desk.store)
    first = _report(_send(client, "gathered.jsonl", JSONL).text)
    incidents = desk.store.incident_count(IncidentFilter())
    again = _report(_send(client, "gathered.jsonl", JSONL).text)
    assert (first["stored"], first["known"]) == ("2", "0")
    assert (again["stored"], again["known"]) == ("0", "2")
    assert len(desk.store.documents()) == 2
    assert desk.store.incident_count(IncidentFilter()) == incidents


def test_a_single_page_is_read_in_its_declared_charset(desk: Desk) -> None:
    _nlp_ready()
    client = signed_in(create_app(desk.store), desk.store)
    body = CP1256_PAGE.read_bytes()
    answer = _send(client, "48162.html", body, published="2026-11-20")
    assert answer.status_code == 200, answer.text
    assert _report(answer.text)["stored"] == "1"
    (doc,) = desk.store.documents()
    assert doc["language"] == "ar"
    assert "\ufffd" not in doc["text"]
    # Its text is the page's, read as its <meta charset> says; its capture, the page as sent.
    assert doc["text"].split()[0] in body.decode("cp1256")
    assert doc["capture_sha256"] == hashlib.sha256(body).hexdigest()
    assert 'id="ingest-errors"' not in answer.text


def test_a_text_file_and_a_pdf(desk: Desk) -> None:
    _nlp_ready()
    client = signed_in(create_app(desk.store), desk.store)
    said = "Gunmen abducted four students outside a cafe in Tripoli on 12 May 2024."
    answer = _send(client, "note.txt", said.encode("utf-8"), url="https://field.example/7")
    assert _report(answer.text)["stored"] == "1"
    pdf = _pdf("Armed men detained a journalist in Misrata.")
    answer = _send(client, "release.pdf", pdf)
    assert _report(answer.text)["stored"] == "1", answer.text
    documents = {d["url"]: d for d in desk.store.documents()}
    assert documents["https://field.example/7"]["text"] == said
    assert documents["ingest:release.pdf"]["text"] == "Armed men detained a journalist in Misrata."
    # The evidence is the file as sent, not the text read from it.
    assert documents["ingest:release.pdf"]["capture_sha256"] == hashlib.sha256(pdf).hexdigest()
    capture = desk.store.capture(hashlib.sha256(pdf).hexdigest())
    assert capture is not None and capture["content_type"] == "application/pdf"


def test_refusals_store_nothing(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(desk.store)
    client = signed_in(app, desk.store)
    token = csrf_of(client, "/ingest")
    wrong = client.post("/ingest", data={"csrf": "forged"}, files={"file": ("a.jsonl", JSONL)})
    assert wrong.status_code == 403
    scan = client.post("/ingest", data={"csrf": token}, files={"file": ("scan.pdf", _pdf(""))})
    assert scan.status_code == 400
    assert "no text layer" in scan.text
    odd = client.post("/ingest", data={"csrf": token}, files={"file": ("a.docx", b"PK\x03\x04")})
    assert odd.status_code == 400
    empty = client.post("/ingest", data={"csrf": token}, files={"file": ("a.jsonl", b"\n")})
    assert empty.status_code == 400
    monkeypatch.setattr(upload, "MAX_UPLOAD", 1000)
    big = client.post(
        "/ingest", data={"csrf": token}, files={"file": ("a.jsonl", EN.encode() * 10)}
    )
    assert big.status_code == 413
    assert desk.store.documents() == []


def test_a_viewer_is_refused_on_the_server(desk: Desk) -> None:
    client = signed_in(create_app(desk.store), desk.store, "nadia", "viewer")
    assert 'id="ingest-link"' not in client.get("/").text
    assert client.get("/ingest").status_code == 403
    token = csrf_of(client)
    answer = client.post("/ingest", data={"csrf": token}, files={"file": ("a.jsonl", JSONL)})
    assert answer.status_code == 403
    assert desk.store.documents() == []


def test_what_the_page_shows_back_is_escaped(desk: Desk) -> None:
    client = signed_in(create_app(desk.store), desk.store)
    hostile = json.dumps({"id": '<img src=x onerror="alert(1)">', "text": 5})
    answer = _send(client, "<b>x</b>.jsonl", hostile.encode("utf-8"))
    assert answer.status_code == 200
    assert "<img src=x" not in answer.text
    assert "&lt;img src=x onerror=" in answer.text
    assert "<b>x</b>" not in answer.text


def test_the_page_is_in_arabic_for_an_arabic_analyst(desk: Desk) -> None:
    client = signed_in(create_app(desk.store), desk.store)
    client.cookies.set("marsad_lang", "ar")
    page = client.get("/ingest").text
    assert "إضافة وثائق" in page
    phrases = re.findall(
        r"""_\((["'])(.+?)\1\)""",
        (ROOT / "triage" / "templates" / "ingest.html").read_text(encoding="utf-8"),
    )
    from triage import i18n

    assert [p for _, p in phrases if p not in i18n.ARABIC] == []


def _pdf(text: str) -> bytes:
    """A one-page PDF whose text layer is `text` (ASCII, Helvetica), built by hand."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1") if text else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
