"""Storage: DuckDB behind one API, and content-addressed capture files."""

from __future__ import annotations

# Marsad's version, recorded with every capture, artefact, bundle and export. It lives in the
# lowest package that records it, so no layer imports upwards for it; pyproject.toml reads it.
__version__ = "0.1.0"

from storage.captures import CaptureFiles, sha256_hex
from storage.store import (
    Analysed,
    DatabaseLocked,
    NewDocument,
    NewFetch,
    Store,
    acquire,
    release,
)

__all__ = [
    "Analysed",
    "CaptureFiles",
    "DatabaseLocked",
    "NewDocument",
    "NewFetch",
    "Store",
    "__version__",
    "acquire",
    "release",
    "sha256_hex",
]
