from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from marsad.cli import app
from marsad.triage_cli import register
from triage.ingest import ingest_lines

if TYPE_CHECKING:
    from triage_fixtures import Desk

register(app)


def _nlp_ready() -> None:
    """Skip while `nlp.analyse` cannot be imported in this test process (the NLP's place finder
    not yet in the tree, or `tests/nlp` shadowing the package on pytest's sys.path)."""
    try:
        from nlp import analyse  # noqa: F401
        from nlp.findings import build  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"the NLP cannot be imported here: {exc}")


EN = json.dumps(
    {
        "id": "outside-1",
        "published": "2024-05-13",
        "url": "https://en.example/ingested",
        "text": "Gunmen abducted four students outside a cafe in Tripoli on 12 May 2024, "
        "their families said.",
    }
)
AR = json.dumps(
    {
        "id": "outside-2",
        "published": "2024-05-13",
        "html": "<html><body><article><h1>خطف طلاب</h1><p>خطف مسلحون أربعة طلاب أمام مقهى في "
        "طرابلس يوم 12 مايو 2024، حسب ما قالت عائلاتهم.</p></article></body></html>",
    }
)
# Lines that fail before any analysis, and lines the contract's reader refuses.
BAD = ["{not json", json.dumps(["a", "list"]), json.dumps({"text": "no id"})]
REFUSED = [
    json.dumps({"id": "x1"}),
    json.dumps({"id": "x2", "text": 5}),
    json.dumps({"id": "x3", "text": "fine", "published": "yesterday"}),
]


def test_malformed_lines_are_reported_and_skipped(desk: Desk) -> None:
    report = ingest_lines(desk.store, desk.data_dir, ["", *BAD])
    assert report.stored == 0
    assert [(n, i) for n, i, _ in report.errors] == [(2, None), (3, None), (4, None)]
    assert desk.store.documents() == []


def test_lines_the_contract_refuses_are_reported_with_their_id(desk: Desk) -> None:
    _nlp_ready()
    report = ingest_lines(desk.store, desk.data_dir, REFUSED)
    assert [(n, i) for n, i, _ in report.errors] == [(1, "x1"), (2, "x2"), (3, "x3")]
    assert desk.store.documents() == []


def test_ingested_articles_are_stored_analysed_and_clustered(desk: Desk) -> None:
    _nlp_ready()
    report = ingest_lines(desk.store, desk.data_dir, [EN, BAD[0], AR])
    assert (report.stored, len(report.errors)) == (2, 1)
    docs = desk.store.documents()
    assert [d["source"] for d in docs] == ["ingest", "ingest"]
    assert [d["url"] for d in docs] == ["https://en.example/ingested", "ingest:outside-2"]
    # The capture is the line's own HTML; the document is its extracted text.
    assert "<article>" not in docs[1]["text"]
    assert all(desk.store.capture(d["capture_sha256"]) for d in docs)
    assert desk.store.unclustered_candidates() == []
    # The English text and the Arabic page report one abduction: one incident, both sources.
    (incident_id,) = report.incidents
    assert desk.store.incident(incident_id)["languages"] == ["ar", "en"]
    for incident_id in report.incidents:
        sources = desk.store.incident_sources(incident_id)
        assert all(s["input_ids"] for s in sources)
    again = ingest_lines(desk.store, desk.data_dir, [EN])
    assert (again.stored, again.already_known) == (0, 1)
    assert len(desk.store.documents()) == 2


def test_ingest_command_reads_stdin_and_never_crashes(desk: Desk) -> None:
    desk.store.close()
    result = CliRunner().invoke(
        app, ["ingest", "--jsonl", "--data-dir", str(desk.data_dir)], input="\n".join(BAD) + "\n"
    )
    # Every line is reported, no traceback, and the exit code says that lines were lost.
    assert result.exit_code == 1, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["stored"] == 0
    assert len(summary["errors"]) == len(BAD)
