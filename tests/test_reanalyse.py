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


def test_reanalyse_runs_the_current_nlp_once_and_supersedes_older_candidates(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
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
            text_sha256=sha256_hex(TEXT.encode()),
            title=None,
            text=TEXT,
            published=date(2026, 11, 15),
            author=None,
            language="en",
            fetched_at=datetime(2026, 11, 15, tzinfo=UTC),
        ),
        Analysed("an-older-nlp", "en", []),
    )
    store.close()

    def run() -> str:
        done = subprocess.run(
            [MARSAD, "reanalyse", "--data-dir", str(data)],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    assert "1 document(s) analysed" in run()
    assert "0 document(s) analysed" in run()
    store = Store(data / "marsad.duckdb")
    try:
        (candidate,) = store.candidates(doc_id)
        assert candidate["nlp_version"] == nlp.version()
        assert "enforced_disappearance" in candidate["types"]
        assert candidate["location_name"] == "Zawiya"
        assert store.unclustered_candidates([doc_id]) == []
    finally:
        store.close()
