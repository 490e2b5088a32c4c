"""Storage: DuckDB behind one API, and content-addressed capture files."""

from __future__ import annotations

from storage.captures import CaptureFiles, sha256_hex
from storage.store import DatabaseLocked, NewDocument, Store, acquire, release

__all__ = [
    "CaptureFiles",
    "DatabaseLocked",
    "NewDocument",
    "Store",
    "acquire",
    "release",
    "sha256_hex",
]
