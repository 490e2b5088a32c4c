"""Bundle exports are bounded (issue 15, item 7): a bundle is streamed to disk a chunk at a time,
not built in memory; exports run one at a time; and an export that writes custody entries is
POST-only, so a link followed from another site cannot write to the custody log."""

from __future__ import annotations

import io
import os
import re
import threading
import tracemalloc
import zipfile
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest
from starlette.datastructures import QueryParams
from starlette.testclient import TestClient

from incidents import cluster
from storage import Analysed, CaptureFiles, Store
from triage import accounts, exports
from triage.app import create_app
from triage.filters import parse
from triage.ingest import store_document

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

MB = 2**20
DOCUMENTS = 6
CAPTURE = 6 * MB
# A password for the test account (assumed: any that passes `accounts.check_password`).
PASSWORD = "correct horse battery"  # noqa: S105 - a test password
TRIPOLI = {"name": "Tripoli", "name_ar": "طرابلس", "admin1": "Tripoli", "lat": 32.9, "lon": 13.18}


def add(store: Store, data_dir: Path, n: int, size: int) -> None:
    # Our own sentence; the capture is `size` bytes of noise standing in for a large page.
    text = f"Gunmen abducted {n + 2} fishermen in Tripoli on 3 May 2024."
    found = {
        "types": ["abduction"],
        "date": {"start": "2024-05-03", "end": "2024-05-03", "precision": "day"},
        "location": TRIPOLI,
        "perpetrators": [],
        "victims": [],
        "counts": {"killed": None, "injured": None, "abducted": n + 2, "detained": None},
        "confidence": 0.8,
        "evidence": [{"start": 0, "end": len(text), "text": text}],
    }
    document_id, _ = store_document(
        store,
        CaptureFiles(data_dir / "captures"),
        url=f"https://example.org/large/{n}",
        body=os.urandom(size),
        content_type="application/octet-stream",
        text=text,
        title=None,
        published=date(2024, 5, 4),
        language="en",
        analysed=Analysed("bounds-test-nlp", "en", [found]),
        source="bounds-test",
    )
    cluster.attach(store, document_id)


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[tuple[Store, Path]]:
    store = Store(tmp_path / "marsad.duckdb")
    try:
        for n in range(DOCUMENTS):
            add(store, tmp_path, n, CAPTURE)
        yield store, tmp_path
    finally:
        store.close()


def exports_logged(store: Store) -> int:
    """Custody entries of exports: one per capture carried."""
    return sum(1 for e in store.custody() if e["action"] == "export")


def test_a_bundle_is_streamed_not_held_in_memory(desk: tuple[Store, Path]) -> None:
    store, data_dir = desk
    target = data_dir / "bundle.zip"
    tracemalloc.start()
    try:
        with target.open("wb") as out:
            count = exports.export(store, data_dir, parse(QueryParams("status=all")), "bundle", out)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count >= 1  # incidents: the documents may be clustered together
    assert target.stat().st_size > DOCUMENTS * CAPTURE
    # Main carried every capture in memory at once (36 MB here): now a few chunks at most.
    assert peak < 2 * CAPTURE, f"{peak / MB:.1f} MB"
    with zipfile.ZipFile(target) as bundle:
        assert bundle.testzip() is None
        names = bundle.namelist()
    assert sum(n.startswith("captures/") for n in names) == DOCUMENTS
    assert {"manifest.json", "SHA256SUMS"} <= set(names)


def client_for(store: Store, data_dir: Path) -> TestClient:
    """A client signed in as an analyst, through the login form."""
    accounts.add(store, "tester", "analyst", PASSWORD, by="test")
    client = TestClient(create_app(store, data_dir=data_dir))
    client.get("/login")
    signed = client.post(
        "/login",
        data={"csrf": client.cookies["marsad_csrf"], "name": "tester", "password": PASSWORD},
        follow_redirects=False,
    )
    assert signed.status_code == 303, signed.text
    return client


def csrf_of(page: str) -> str:
    """The CSRF token a page's forms carry (the session's own)."""
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_a_bundle_export_is_post_only_and_writes_custody_only_then(
    desk: tuple[Store, Path],
) -> None:
    store, data_dir = desk
    client = client_for(store, data_dir)
    before = exports_logged(store)
    followed = client.get("/export?format=bundle&status=all")
    assert followed.status_code == 405
    assert exports_logged(store) == before
    forged = client.post("/export?format=bundle&status=all", data={"csrf": "x" * 43})
    assert forged.status_code == 403
    assert exports_logged(store) == before
    page = client.get("/")
    assert 'method="post" action="/export?format=bundle' in page.text
    made = client.post("/export?format=bundle&status=all", data={"csrf": csrf_of(page.text)})
    assert made.status_code == 200, made.text
    assert made.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(made.content)) as bundle:
        assert bundle.testzip() is None
    assert exports_logged(store) == before + DOCUMENTS
    # The tables write nothing to the custody log: still a plain link.
    assert client.get("/export?format=csv&status=all").status_code == 200
    # Nothing is left behind in the data directory.
    assert not list(data_dir.glob(".export-*"))


def test_exports_run_one_at_a_time(
    desk: tuple[Store, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, data_dir = desk
    started, release = threading.Event(), threading.Event()
    real = exports.export

    def held(*args: Any, **kwargs: Any) -> int:
        started.set()
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(exports, "export", held)
    client = client_for(store, data_dir)
    answers: list[int] = []
    first = threading.Thread(
        target=lambda: answers.append(client.get("/export?format=json&status=all").status_code)
    )
    first.start()
    try:
        assert started.wait(30)
        busy = client.get("/export?format=csv&status=all")
        assert busy.status_code == 503
        assert "another export" in busy.text
    finally:
        release.set()
        first.join(60)
    assert answers == [200]
    assert client.get("/export?format=csv&status=all").status_code == 200
