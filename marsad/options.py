"""The command-line options every `marsad` command group spells the same way, and the checks
that turn a wrong path into one line of error before anything is created."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

# Kernel and device trees: nothing Marsad writes belongs there, and what is there is not a file.
SYSTEM_TREES = (Path("/proc"), Path("/sys"), Path("/dev"))


def _under_system_tree(path: Path) -> bool:
    return any(path == tree or tree in path.parents for tree in SYSTEM_TREES)


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def data_dir_problem(path: Path) -> str | None:
    """Why `path` cannot be a directory Marsad writes into (data, bundles), or None."""
    if _under_system_tree(path):
        return f"{path} is a system directory, not a place for data"
    found = _existing_ancestor(path)
    if not found.is_dir():
        return f"{found} is not a directory"
    return None


def output_problem(path: Path) -> str | None:
    """Why Marsad must not write a file at `path`, or None."""
    if _under_system_tree(path):
        return f"{path} is a system file, not a place for output"
    if path.exists() and not path.is_file():
        kind = "a directory; give a file name" if path.is_dir() else "not a regular file"
        return f"{path} is {kind}"
    found = _existing_ancestor(path.parent)
    if not found.is_dir():
        return f"{found} is not a directory"
    return None


def refuse(message: str) -> typer.Exit:
    """Print `message` as one error line; the caller raises what this returns."""
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True).print(f"[bold red]error:[/] {escape(message)}")
    return typer.Exit(2)


def _checked_data_dir(value: Path | None) -> Path | None:
    from storage.paths import data_dir

    if problem := data_dir_problem(data_dir(value)):
        raise refuse(f"--data-dir: {problem}")
    return value


DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Where the database and captures live (default: $MARSAD_DATA_DIR or ./data).",
        show_default=False,
        callback=_checked_data_dir,
    ),
]
SourcesFile = Annotated[
    Path | None,
    typer.Option(
        "--sources",
        help="Source registry file (default: $MARSAD_SOURCES or sources.toml).",
        show_default=False,
    ),
]
# Flags take no value: an empty metavar keeps help from showing a `<bool>` they do not take.
AsJson = Annotated[bool, typer.Option("--json", metavar="", help="Print JSON instead of tables.")]
