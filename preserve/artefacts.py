"""Files made from a capture (WARC record, screenshot, PDF), written under `<data>/preserved/`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from preserve.warc import CONTENT_TYPE as WARC_CONTENT_TYPE
from preserve.warc import Fetch, warc_for_fetch
from storage import CaptureFiles, __version__
from storage.custody import NewArtefact

if TYPE_CHECKING:
    from pathlib import Path


# Kind of artefact -> the file name extension a bundle gives it.
EXTENSIONS = {"warc": ".warc", "screenshot": ".png", "pdf": ".pdf"}


def preserved_root(data_dir: Path) -> Path:
    return data_dir / "preserved"


def write(
    data_dir: Path,
    *,
    kind: str,
    body: bytes,
    content_type: str,
    capture_sha256: str,
    fetch_id: int | None,
    document_id: int | None,
    tool: str,
) -> NewArtefact:
    """Write `body` content-addressed (atomically, once); the artefact, not yet listed."""
    if kind not in EXTENSIONS:
        raise ValueError(f"unknown artefact kind {kind!r}")
    digest, path = CaptureFiles(preserved_root(data_dir)).put(body)
    return NewArtefact(
        sha256=digest,
        kind=kind,
        capture_sha256=capture_sha256,
        fetch_id=fetch_id,
        document_id=document_id,
        size=len(body),
        content_type=content_type,
        path=str(path.relative_to(data_dir)),
        tool=tool,
        marsad_version=__version__,
    )


def write_warc(data_dir: Path, fetch_id: int | None, fetch: Fetch, body: bytes) -> NewArtefact:
    """The WARC record of one fetch, written as an artefact of its capture, not yet listed."""
    return write(
        data_dir,
        kind="warc",
        body=warc_for_fetch(fetch, body),
        content_type=WARC_CONTENT_TYPE,
        capture_sha256=fetch.sha256,
        fetch_id=fetch_id,
        document_id=None,
        tool="warcio",
    )
