from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import nlp
from storage import Analysed, NewDocument, NewFetch, Store, sha256_hex

TEXT = (
    "Armed men abducted six protesters in Zawiya on 14 November 2026, witnesses said. "
    "Their families have had no news of them since."
)
MARSAD = str(Path(sys.executable).with_name("marsad"))


def _stored_under_an_older_nlp(data: Path, text: str, published: date | None) -> int:
    store = Store(data / "marsad.duckdb")
    fetch_id = store.record_fetch(
        NewFetch(
            run_id=None,
            source="src",
            url="http://site/a",
            final_url="http://site/a",
            redirects=[],
            status=200,
            headers={},
            fetched_at=datetime(2026, 11, 15, tzinfo=UTC),
            sha256=sha256_hex(b"x"),
            size=1,
            content_type="text/html",
            path="captures/x",
            marsad_version="test",
        )
    )
    doc_id = store.add_document(
        NewDocument(
            url="http://site/a",
            final_url="http://site/a",
            source="src",
            fetch_id=fetch_id,
            capture_sha256=sha256_hex(b"x"),
            text_sha256=sha256_hex(text.encode()),
            title=None,
            text=text,
            published=published,
            author=None,
            language="en",
            fetched_at=datetime(2026, 11, 15, tzinfo=UTC),
        ),
        Analysed("an-older-nlp", "en", []),
    )
    store.close()
    return doc_id


def _reanalyse(data: Path) -> str:
    done = subprocess.run(
        [MARSAD, "reanalyse", "--data-dir", str(data)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_reanalyse_runs_the_current_nlp_once_and_supersedes_older_candidates(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    doc_id = _stored_under_an_older_nlp(data, TEXT, date(2026, 11, 15))
    assert "1 document(s) analysed" in _reanalyse(data)
    assert "0 document(s) analysed" in _reanalyse(data)
    store = Store(data / "marsad.duckdb")
    try:
        (candidate,) = store.candidates(doc_id)
        assert candidate["nlp_version"] == nlp.version()
        assert "enforced_disappearance" in candidate["types"]
        assert candidate["location_name"] == "Zawiya"
        assert store.unclustered_candidates([doc_id]) == []
    finally:
        store.close()


def test_reanalyse_keeps_an_undated_pages_day_and_month_for_merging(tmp_path: Path) -> None:
    # A page with no publication date gives its day without a year: the contract's date stays
    # empty, and the candidate keeps the day and month in its own columns (migration m020),
    # which a store written before that version fills only by reanalysing. Assumed wording.
    data = tmp_path / "data"
    text = TEXT.replace("14 November 2026", "16 February")
    doc_id = _stored_under_an_older_nlp(data, text, None)
    assert "1 document(s) analysed" in _reanalyse(data)
    store = Store(data / "marsad.duckdb")
    try:
        (candidate,) = store.candidates(doc_id)
        assert candidate["date_start"] is None
        told = (
            candidate["yearless_month"],
            candidate["yearless_first"],
            candidate["yearless_last"],
        )
        assert told == (2, 16, 16)
        assert "day_month" not in candidate["finding"]
    finally:
        store.close()
