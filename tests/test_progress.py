"""Progress: bars on a terminal, a line now and then elsewhere, on standard error."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING

from rich.console import Console
from typer.testing import CliRunner

from marsad import cli, progress, triage_cli

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

triage_cli.register(cli.app)


def test_a_terminal_gets_a_bar() -> None:
    screen = io.StringIO()
    with progress.Progress(Console(file=screen, force_terminal=True, width=100)) as shown:
        task = shown.task("Analysing documents", 3)
        for _ in range(3):
            task.advance()
    assert "Analysing documents" in screen.getvalue()
    assert "3/3" in screen.getvalue()


def test_a_task_of_unknown_length_finishes_full() -> None:
    screen = io.StringIO()
    with progress.Progress(Console(file=screen, force_terminal=True, width=100)) as shown:
        pages = shown.task("hrw-en: pages")
        pages.advance(7)
        pages.finish()
    assert pages.line() == "hrw-en: pages 7/7"
    assert "7/7" in screen.getvalue()


def test_elsewhere_a_line_now_and_then() -> None:
    log = io.StringIO()
    with progress.Progress(Console(file=log, force_terminal=False), every=0) as shown:
        first, second = shown.task("hrw-en: pages"), shown.task("alwasat: pages", 2)
        first.advance()
        second.advance(2)
    assert log.getvalue().splitlines() == [
        "hrw-en: pages 1 · alwasat: pages 0/2",
        "hrw-en: pages 1 · alwasat: pages 2/2",
    ]
    quiet = io.StringIO()
    with progress.Progress(Console(file=quiet, force_terminal=False), every=3600) as shown:
        shown.task("Analysing documents", 5).advance()
    assert quiet.getvalue() == ""


def test_ingest_reports_progress_on_stderr_and_its_answer_on_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "EVERY", 0)
    lines = [
        {"id": f"n{i}", "text": f"Note {i}: nothing happened in Misrata.", "published": None}
        for i in range(3)
    ]
    result = CliRunner().invoke(
        cli.app,
        ["ingest", "--jsonl", "--data-dir", str(tmp_path / "data")],
        input="".join(json.dumps(line) + "\n" for line in lines),
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["stored"] == 3
    assert result.stderr.splitlines()[-1] == "Ingesting lines 3"
