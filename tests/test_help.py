"""Every command's `--help` reads as words: values named (`--limit LIMIT`, `--from DATE`), flags
bare, never Typer's type labels (`<bool>`, `<str>`, `<list[int]>`), which the issue found."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
import typer
from typer.testing import CliRunner

from marsad import cli, service, triage_cli, users_cli, verify

if TYPE_CHECKING:
    from collections.abc import Iterator

# As `marsad.cli.main` does before running.
for register in (verify.register, triage_cli.register, users_cli.register, service.register):
    register(cli.app)

# Typer's labels: `<int>`, `<path>`, `<list[str]>`, `<int range>`, `<str|int>`...
TYPE_LABEL = re.compile(r"<[a-z][\w\[\]|, .]*>")


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(cli.app)))


def test_the_walk_finds_every_command() -> None:
    names = {" ".join(path) for path in COMMANDS}
    assert {"", "export", "ingest", "triage", "triage list", "users add", "serve"} <= names
    assert len(names) > 30


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "marsad")
def test_help_names_values_in_words(path: tuple[str, ...]) -> None:
    # Wide enough that no label is cut across two lines.
    result = CliRunner().invoke(cli.app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    assert TYPE_LABEL.findall(result.output) == []


def test_flags_stand_alone_and_values_are_named() -> None:
    result = CliRunner().invoke(cli.app, ["export", "--help"], env={"COLUMNS": "200"})
    lines = {line.split()[1]: line.split()[2:4] for line in result.output.splitlines()[1:]
             if line.startswith("│ --")}  # fmt: skip
    assert lines["--force"][0] == "Replace"
    assert lines["--help"][0] == "Show"
    assert lines["--data-dir"][0] == "DIR"
    assert lines["--from"][0] == "DATE"
    assert lines["--place"][0] == "PLACE"
