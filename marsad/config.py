"""Where Marsad keeps its data and which sources it reads: one place decides, every command asks.

Layers, lowest first: defaults in code, then the environment (`MARSAD_DATA_DIR`,
`MARSAD_SOURCES`), then command-line options. Tests and separate deployments set their own data
directory so that they never share a database by accident.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = REPO_ROOT / "sources.toml"
DEMO_SOURCES = REPO_ROOT / "demo" / "sources.toml"

CONTACT_URL = "https://github.com/marsad-observatory/marsad"


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


def paths(option: str | Path | None = None) -> Paths:
    return Paths(data_dir(option))


def sources_file(option: str | Path | None = None) -> Path:
    """The source registry: the option if given, else `$MARSAD_SOURCES`, else `sources.toml`."""
    chosen = option or os.environ.get("MARSAD_SOURCES")
    return Path(chosen).expanduser().resolve() if chosen else DEFAULT_SOURCES


def user_agent() -> str:
    """Identify the crawler and say where to reach its operators (`MARSAD_CONTACT` overrides)."""
    from marsad import __version__

    contact = os.environ.get("MARSAD_CONTACT", CONTACT_URL)
    return f"Marsad/{__version__} (human-rights monitoring; +{contact})"
