"""The command-line options every `marsad` command group spells the same way, and the checks
that turn a wrong path into one line of error before anything is created."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

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
        metavar="DIR",
        help="Where the database and captures live (default: $MARSAD_DATA_DIR or ./data).",
        show_default=False,
        callback=_checked_data_dir,
    ),
]
SourcesFile = Annotated[
    Path | None,
    typer.Option(
        "--sources",
        metavar="FILE",
        help="Source registry file (default: $MARSAD_SOURCES or sources.toml).",
        show_default=False,
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def _readable(command: Any) -> None:
    # Duck-typed: Typer builds on click, or (0.20 on) on its own copy of it.
    for param in command.params:
        if param.metavar is not None:
            continue
        if getattr(param, "is_flag", False):
            # A flag takes no value: nothing to name.
            param.metavar = ""
        else:
            # As argparse names a value: the option's own name, in capitals.
            param.metavar = str(param.name or "value").upper()
        if getattr(param, "param_type_name", "") == "argument":
            # Typer (0.20 on) prints an argument's type label (`<int>`) beside its name
            # whatever its metavar; the name and the help say what it takes.
            param.display_type_rich = lambda ctx: None
    shown = command.get_help_option(command.context_class(command, **command.context_settings))
    if shown is not None:
        shown.metavar = ""
    for sub in getattr(command, "commands", {}).values():
        _readable(sub)


class ReadableGroup(TyperGroup):
    """The root command: every command under it names its values in words (`--limit LIMIT`,
    `--from DATE`), never with Typer's type labels (`<int>`, `<list[str]>`, `<bool>`), which
    read as code and whose form changes from one Typer release to the next."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _readable(self)
