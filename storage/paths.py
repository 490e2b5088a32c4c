"""Where Marsad keeps its data: one place decides, every command asks.

Layers, lowest first: the default (`./data`), then the environment (`MARSAD_DATA_DIR`), then the
command-line option. Tests and separate deployments set their own data directory so that they
never share a database by accident.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Paths:
    """Every file Marsad writes lives under `data_dir`."""

    data_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "marsad.duckdb"

    @property
    def captures(self) -> Path:
        return self.data_dir / "captures"

    def ensure(self) -> Paths:
        self.captures.mkdir(parents=True, exist_ok=True)
        return self


def data_dir(option: str | Path | None = None) -> Path:
    """The data directory: the option if given, else `$MARSAD_DATA_DIR`, else `./data`."""
    chosen = option or os.environ.get("MARSAD_DATA_DIR") or "data"
    return Path(chosen).expanduser().resolve()


def data_paths(option: str | Path | None = None) -> Paths:
    return Paths(data_dir(option))
