"""Storage: DuckDB behind one API, and content-addressed capture files."""

from __future__ import annotations

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
    "acquire",
    "release",
    "sha256_hex",
]
