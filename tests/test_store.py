from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import pytest

from storage import (
    Analysed,
    CaptureFiles,
    DatabaseLocked,
    NewDocument,
    NewFetch,
    Store,
    acquire,
    release,
    sha256_hex,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "s.duckdb")
    yield s
    s.close()


def _new_fetch(url: str, body: bytes, status: int = 200) -> NewFetch:
    return NewFetch(
        run_id=None,
        source="src",
        url=url,
        final_url=url,
        redirects=[],
        status=status,
        headers={"Content-Type": ["text/html"]},
        fetched_at=NOW,
        sha256=sha256_hex(body),
        size=len(body),
        content_type="text/html",
        path="captures/x",
        marsad_version="test",
    )


def _fetch(store: Store, url: str, body: bytes, status: int = 200) -> int:
    return store.record_fetch(_new_fetch(url, body, status))


def _doc(url: str, fetch_id: int, text: str) -> NewDocument:
    return NewDocument(
        url=url,
        final_url=url,
        source="src",
        fetch_id=fetch_id,
        capture_sha256="0" * 64,
        text_sha256=sha256_hex(text.encode()),
        title="t",
        text=text,
        published=date(2026, 10, 30),
        author=None,
        language="en",
        fetched_at=NOW,
    )


def test_same_bytes_fetched_twice_keep_one_capture_and_two_fetches(store: Store) -> None:
    first = _fetch(store, "http://a/1", b"<html>same</html>")
    second = _fetch(store, "http://a/1", b"<html>same</html>")
    assert first != second
    assert store.totals()["captures"] == 1
    assert store.totals()["fetches"] == 2


def test_known_urls_are_successful_fetches_only(store: Store) -> None:
    _fetch(store, "http://a/ok", b"1")
    _fetch(store, "http://a/missing", b"2", status=404)
    assert store.known_urls() == {"http://a/ok"}


def test_a_document_is_found_again_by_url_or_by_text(store: Store) -> None:
    fetch_id = _fetch(store, "http://a/1", b"x")
    doc_id = store.add_document(_doc("http://a/1", fetch_id, "Body text"))
    assert store.document_id_for(url="http://a/1", text_sha256="f" * 64) == doc_id
    same_text = sha256_hex(b"Body text")
    assert store.document_id_for(url="http://mirror/1", text_sha256=same_text) == doc_id
    assert store.document_id_for(url="http://a/2", text_sha256="f" * 64) is None


def test_runs_are_recorded_from_start_to_finish(store: Store) -> None:
    run_id = store.start_run("src")
    assert store.run(run_id)["status"] == "running"  # type: ignore[index]
    store.finish_run(
        run_id,
        status="finished",
        finish_reason="finished",
        pages_fetched=3,
        documents_new=2,
        failures=1,
        stats={"k": 1},
    )
    run = store.run(run_id)
    assert run is not None
    assert (run["status"], run["pages_fetched"], run["documents_new"], run["failures"]) == (
        "finished",
        3,
        2,
        1,
    )
    assert run["finished_at"] is not None


def test_sql_shaped_text_is_stored_as_data(store: Store) -> None:
    hostile = "'); DROP TABLE documents; --"
    fetch_id = _fetch(store, "http://a/'; DROP TABLE fetches; --", b"y")
    doc_id = store.add_document(_doc("http://a/q", fetch_id, hostile))
    assert store.document(doc_id)["text"] == hostile  # type: ignore[index]
    assert store.totals()["fetches"] == 1


def test_one_store_per_process_and_path(tmp_path: Path) -> None:
    a = acquire(tmp_path / "shared.duckdb")
    b = acquire(tmp_path / "shared.duckdb")
    assert a is b
    release(a)
    assert b.totals()["documents"] == 0  # still open for the second user
    release(b)


def test_a_database_held_by_another_process_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "held.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
                import sys, duckdb
                db = duckdb.connect({str(path)!r})
                print("held", flush=True)
                sys.stdin.read()
            """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(DatabaseLocked, match="in use by another Marsad process"):
            Store(path)
    finally:
        holder.communicate("")


def test_capture_files_are_content_addressed(tmp_path: Path) -> None:
    files = CaptureFiles(tmp_path / "captures")
    digest, path = files.put(b"exact bytes \x00\xff")
    assert digest == sha256_hex(b"exact bytes \x00\xff")
    assert path.read_bytes() == b"exact bytes \x00\xff"
    assert files.put(b"exact bytes \x00\xff") == (digest, path)
    assert not list(path.parent.glob(".incoming-*"))
    with pytest.raises(ValueError, match="not a SHA-256"):
        files.path_for("../../etc/passwd")


FINDING = {
    "types": ["enforced_disappearance", "repression_of_assembly"],
    "date": {"start": "2020-08-23", "end": "2020-08-23", "precision": "day"},
    "location": {
        "name": "Tripoli",
        "name_ar": "طرابلس",
        "admin1": "Tripoli",
        "lat": 32.9,
        "lon": 13.2,
    },
    "perpetrators": [],
    "victims": [{"group": "protesters", "count": 6}],
    "counts": {"killed": None, "injured": None, "abducted": 6, "detained": None},
    "confidence": 0.8,
    "evidence": [{"start": 0, "end": 10, "text": "Armed men "}],
}


def test_a_document_and_its_candidates_are_stored_together(store: Store) -> None:
    fetch_id = _fetch(store, "http://a/1", b"x")
    doc_id = store.add_document(
        _doc("http://a/1", fetch_id, "Armed men ..."), Analysed("nlp-1", "en", [FINDING])
    )
    (candidate,) = store.candidates(doc_id)
    assert candidate["types"] == FINDING["types"]
    assert (candidate["location_name"], candidate["abducted"]) == ("Tripoli", 6)
    assert candidate["date_start"] == date(2020, 8, 23)
    assert candidate["finding"] == FINDING
    assert store.documents_to_analyse("nlp-1") == []


def test_a_failed_candidate_insert_leaves_no_half_document(store: Store) -> None:
    fetch_id = _fetch(store, "http://a/1", b"x")
    broken = dict(FINDING, date={"start": "not a date", "end": None, "precision": "day"})
    with pytest.raises(Exception, match="date"):
        store.add_document(_doc("http://a/1", fetch_id, "t"), Analysed("nlp-1", "en", [broken]))
    assert store.totals()["documents"] == 0


def test_reanalysis_supersedes_old_candidates_once(store: Store) -> None:
    fetch_id = _fetch(store, "http://a/1", b"x")
    doc_id = store.add_document(_doc("http://a/1", fetch_id, "t"), Analysed("v1", "en", [FINDING]))
    assert [d["id"] for d in store.documents_to_analyse("v2")] == [doc_id]
    assert store.record_analysis(doc_id, Analysed("v2", "en", [FINDING, FINDING]))
    assert not store.record_analysis(doc_id, Analysed("v2", "en", [FINDING, FINDING]))
    assert [c["nlp_version"] for c in store.candidates(doc_id)] == ["v2", "v2"]
    old = [c for c in store.candidates(doc_id, current=False) if c["nlp_version"] == "v1"]
    assert len(old) == 1
    assert old[0]["superseded_at"] is not None


def test_the_same_text_stored_by_two_threads_at_once_is_one_document(store: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor

    fetch_id = _fetch(store, "http://a/1", b"x")
    docs = [_doc(f"http://a/{n}", fetch_id, "One article under many URLs") for n in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(store.add_document_once, docs))
    assert len({doc_id for doc_id, _ in results}) == 1
    assert sum(new for _, new in results) == 1
    assert store.totals()["documents"] == 1


def test_fetches_recorded_together_keep_each_capture_once_and_their_order(store: Store) -> None:
    fetch = _new_fetch
    earlier = _fetch(store, "http://a/0", b"old")
    ids = store.record_fetches(
        [fetch("http://a/1", b"new"), fetch("http://a/2", b"old"), fetch("http://a/3", b"new")]
    )
    assert ids == sorted(ids) and earlier < ids[0]
    urls = [(store.fetch(i) or {}).get("url") for i in ids]
    assert urls == ["http://a/1", "http://a/2", "http://a/3"]
    assert store.totals()["captures"] == 2
    assert store.totals()["fetches"] == 4


def test_documents_stored_together_are_each_stored_once(store: Store) -> None:
    fetch_id = _fetch(store, "http://a/1", b"x")
    stored = store.add_document(_doc("http://a/old", fetch_id, "Stored before"))
    moved = replace(
        _doc("http://a/moved", fetch_id, "Served from a new address"), final_url="http://a/new"
    )
    results = store.add_documents_once(
        [
            (_doc("http://a/2", fetch_id, "First of the batch"), None),
            (_doc("http://a/old", fetch_id, "Same URL as a stored one"), None),
            (_doc("http://a/3", fetch_id, "First of the batch"), None),  # same text as the first
            (moved, Analysed("v1", "en", [FINDING])),
            (_doc("http://a/new", fetch_id, "Its final URL asked for again"), None),
            (_doc("http://a/4", fetch_id, "Stored before"), None),  # same text as the stored one
        ]
    )
    first, moved_id = results[0][0], results[3][0]
    assert results == [
        (first, True),
        (stored, False),
        (first, False),
        (moved_id, True),
        (moved_id, False),
        (stored, False),
    ]
    assert stored < first < moved_id
    assert store.totals()["documents"] == 3
    assert [c["document_id"] for c in store.candidates()] == [moved_id]


def test_a_transaction_inside_another_commits_with_it_or_not_at_all(store: Store) -> None:
    fetch_id = _fetch(store, "http://a/1", b"x")
    with pytest.raises(RuntimeError), store.transaction():
        store.add_document(_doc("http://a/2", fetch_id, "Joined the outer transaction"))
        raise RuntimeError("the batch fails after the inner transaction ended")
    assert store.totals()["documents"] == 0
    with store.transaction():
        store.add_document(_doc("http://a/2", fetch_id, "Joined the outer transaction"))
        store.add_document(_doc("http://a/3", fetch_id, "And so did this one"))
    assert store.totals()["documents"] == 2


def test_times_come_back_in_utc_on_a_host_in_another_zone(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        from pathlib import Path
        from storage import Store
        store = Store(Path({str(tmp_path / "tz.duckdb")!r}))
        (row,) = store._rows("SELECT TIMESTAMPTZ '2026-11-01 12:00:00+00' AS t")
        print(row["t"].isoformat())
    """)
    shown = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TZ": "Africa/Tripoli"},
    ).stdout.strip()
    assert shown == "2026-11-01T12:00:00+00:00"
