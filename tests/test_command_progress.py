"""Each long command shows its progress: off a terminal (here, CliRunner's captured standard
error) a line at every step once the interval is 0, with the count so far and the total.

The documents are put in with `marsad ingest`; the sentences are written for these tests.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from marsad import cli, progress, triage_cli, verify

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

triage_cli.register(cli.app)
verify.register(cli.app)

DOCUMENTS = [
    {
        "id": "p1",
        "published": "2026-11-03",
        "url": "https://a.example/p1",
        "text": "Gunmen abducted four students outside a cafe in Tripoli on 2 November 2026, "
        "their families said.",
    },
    {
        "id": "p2",
        "published": "2026-11-05",
        "url": "https://b.example/p2",
        "text": "Witnesses said armed men detained two fishermen at the port of Misrata on "
        "4 November 2026.",
    },
]


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(progress, "EVERY", 0)
    data_dir = tmp_path / "data"
    done = _run(
        ["ingest", "--jsonl", "--data-dir", str(data_dir)],
        "".join(json.dumps(d) + "\n" for d in DOCUMENTS),
    )
    assert json.loads(done.stdout)["stored"] == 2
    assert json.loads(done.stdout)["incidents"] == [1, 2]
    assert done.stderr.splitlines()[-1] == "Ingesting lines 2"
    return data_dir


def _run(args: list[str], stdin: str | None = None) -> Any:
    result = CliRunner().invoke(cli.app, args, input=stdin)
    assert result.exit_code == 0, result.output
    return result


def _last(stderr: str, description: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith(description)]
    assert lines, stderr
    return lines[-1]


def test_reanalyse(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nlp

    # A newer NLP than the one that analysed them: both documents are due again.
    monkeypatch.setattr(nlp, "version", lambda: "next")
    done = _run(["reanalyse", "--data-dir", str(data)])
    assert _last(done.stderr, "Analysing documents") == "Analysing documents 2/2"


def test_bundle(data: Path, tmp_path: Path) -> None:
    done = _run(["bundle", "1", "2", "--out", str(tmp_path / "out"), "--data-dir", str(data)])
    assert _last(done.stderr, "Bundling documents") == "Bundling documents 2/2"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("bundle", "Bundling documents 2/2"),
        ("csv", "Writing incidents 2/2"),
        ("acled", "Writing incidents 2/2"),
        ("gold", "Reading rejections 1/1"),
    ],
)
def test_export(data: Path, tmp_path: Path, fmt: str, expected: str) -> None:
    where = ["--data-dir", str(data), "--status", "all"]
    if fmt == "gold":
        _run(["triage", "confirm", "1", "--as", "amira", *where[:2]])
        _run(["triage", "reject", "2", "--why", "not an incident", "--as", "amira", *where[:2]])
    out = tmp_path / f"export.{fmt}"
    done = _run(["export", "--format", fmt, "-o", str(out), *where])
    assert _last(done.stderr, expected.rsplit(" ", 1)[0]) == expected
    # On standard output too, the answer alone: progress stays on standard error.
    piped = _run(["export", "--format", fmt, "-o", "-", *where])
    assert expected.rsplit(" ", 1)[0] not in piped.stdout
    assert _last(piped.stderr, expected.rsplit(" ", 1)[0]) == expected


def test_crawl_counts_each_sources_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The crawl's own hooks (Scrapy's signals) are stood in for: two sources, three and two
    pages, the second finishing first."""
    from marsad import crawl

    monkeypatch.setattr(progress, "EVERY", 0)
    monkeypatch.setattr(crawl, "log_to_file", lambda paths, verbose: paths.data_dir / "log")

    def run(
        sources: list[Any],
        settings: Any,
        *,
        on_response: Callable[[str], None],
        on_closed: Callable[[str], None],
    ) -> list[crawl.RunResult]:
        first, second = (s.name for s in sources)
        for name in (first, second, first, second):
            on_response(name)
        on_closed(second)
        on_response(first)
        on_closed(first)
        return [crawl.RunResult(s.name, None, "finished", "finished", 0, 0, 0, {}) for s in sources]

    monkeypatch.setattr(crawl, "run", run)
    done = _run(["crawl", "amnesty-en", "amnesty-ar", "--data-dir", str(tmp_path / "data")])
    assert done.stderr.splitlines() == [
        "amnesty-en: pages 1 · amnesty-ar: pages 0",
        "amnesty-en: pages 1 · amnesty-ar: pages 1",
        "amnesty-en: pages 2 · amnesty-ar: pages 1",
        "amnesty-en: pages 2 · amnesty-ar: pages 2",
        "amnesty-en: pages 3 · amnesty-ar: pages 2/2",
    ]


@pytest.mark.browser  # renders in Chromium
def test_preserve(data: Path) -> None:
    done = _run(["preserve", "--data-dir", str(data)])
    assert _last(done.stderr, "Preserving documents") == "Preserving documents 2/2"
