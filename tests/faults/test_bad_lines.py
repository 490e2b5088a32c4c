"""One bad line must not sink a batch (issue 15, item 4): `marsad extract --jsonl` and `marsad
ingest --jsonl` answer every line, in order, and no error message or log line quotes a
document's text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

MARSAD = str(Path(sys.executable).with_name("marsad"))
# A stand-in for a victim's name: it must never appear in an error or a log line.
VICTIM = "Khadija Victimname"
GOOD = "Gunmen killed two men in Tripoli on 3 May 2024."


def line(**doc: object) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8") + b"\n"


# (id the answer carries (None when the line cannot be parsed), what the error says, the raw line)
HOSTILE: list[tuple[str | None, str, bytes]] = [
    (
        None,
        "nested too deeply",
        b'{"id": "deep", "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n",
    ),
    (
        None,
        "nested too deeply",
        b'{"id": "deep-inside", "x": ' + b'{"a":' * 50_000 + b"1" + b"}" * 50_000 + b"}\n",
    ),
    (
        "far-future",
        "out of range",
        line(id="far-future", text=f"{VICTIM} was killed.", published="9999-12-31"),
    ),
    (
        "long-ago",
        "out of range",
        line(id="long-ago", text=f"{VICTIM} was killed.", published="0001-01-01"),
    ),
    (
        "not-utf8",
        "not UTF-8",
        b'{"id": "not-utf8", "text": "' + VICTIM.encode() + b' \xff\xfe was detained"}\n',
    ),
    (
        "surrogate",
        "unpaired surrogate",
        b'{"id": "surrogate", "text": "' + VICTIM.encode() + b' \\ud800 was detained"}\n',
    ),
    (None, "not JSON", b"\x00{" + VICTIM.encode() + b"\n"),
    # Over the crawl's text budget (MARSAD_MAX_TEXT_CHARS).
    ("too-long", "text too long", line(id="too-long", text=f"{VICTIM} was killed. " * 60_000)),
]


def batch() -> bytes:
    """Each hostile line followed by a good one, so a line lost after a crash shows."""
    out = b""
    for n, (_, _, raw) in enumerate(HOSTILE):
        out += raw + line(id=f"good-{n}", text=GOOD, published="2024-05-04")
    return out


def run(*args: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [MARSAD, *args],
        input=stdin,
        capture_output=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_extract_answers_every_line_and_quotes_no_text() -> None:
    result = run("extract", "--jsonl", stdin=batch())
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-3000:]
    answers = [json.loads(raw) for raw in result.stdout.splitlines()]
    assert len(answers) == 2 * len(HOSTILE)
    for n, (doc_id, error, _) in enumerate(HOSTILE):
        bad, good = answers[2 * n], answers[2 * n + 1]
        assert bad["id"] == doc_id
        assert error in bad["error"]
        assert good["id"] == f"good-{n}"
        assert [i["types"] for i in good["incidents"]] == [["killing"]]
    assert VICTIM.encode() not in result.stdout.replace(GOOD.encode(), b"")
    assert VICTIM.encode() not in result.stderr
    assert b"Traceback" not in result.stderr


def test_ingest_stores_every_good_line_and_reports_every_bad_one(tmp_path: Path) -> None:
    result = run("ingest", "--jsonl", "--data-dir", str(tmp_path / "d"), stdin=batch())
    stderr = result.stderr.decode(errors="replace")
    assert b"Traceback" not in result.stderr, stderr[-3000:]
    report = json.loads(result.stdout.splitlines()[-1])
    # The good lines carry the same text: one document, then known again.
    assert report["stored"] + report["already_known"] == len(HOSTILE)
    assert report["stored"] == 1
    errors = {e["line"]: e for e in report["errors"]}
    assert sorted(errors) == [2 * n + 1 for n in range(len(HOSTILE))]
    for n, (doc_id, error, _) in enumerate(HOSTILE):
        assert errors[2 * n + 1]["id"] == doc_id
        assert error in errors[2 * n + 1]["error"]
    assert VICTIM not in result.stdout.decode(errors="replace")
    assert VICTIM not in stderr


@pytest.mark.parametrize("published", ["1900-01-01", "2999-12-31"])
def test_dates_at_the_edges_of_the_range_are_analysed(published: str) -> None:
    result = run("extract", "--jsonl", stdin=line(id="edge", text=GOOD, published=published))
    (answer,) = [json.loads(raw) for raw in result.stdout.splitlines()]
    assert "error" not in answer, answer
