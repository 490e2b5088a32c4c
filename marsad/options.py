"""The command-line options every `marsad` command group spells the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Where the database and captures live (default: $MARSAD_DATA_DIR or ./data).",
        show_default=False,
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
