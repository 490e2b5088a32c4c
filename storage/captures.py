"""Content-addressed capture files: the exact bytes served, named by their SHA-256.

A capture is written to a temporary file and renamed into place, so a killed process leaves
either the whole file or none, never half of one; the same bytes fetched twice are kept once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


class CaptureFiles:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, body: bytes) -> tuple[str, Path]:
        """Store `body` unless already present; return its digest and path."""
        digest = sha256_hex(body)
        target = self.path_for(digest)
        if target.exists():
            return digest, target
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(body)
                out.flush()
                os.fsync(out.fileno())
            Path(tmp).replace(target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest, target

    def get(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()
