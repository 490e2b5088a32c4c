"""`marsad preserve`: screenshot, PDF and WARC for each document behind a candidate incident."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from preserve.artefacts import write, write_warc
from preserve.integrity import file_sha256
from preserve.warc import Fetch
from storage import CaptureFiles

if TYPE_CHECKING:
    from pathlib import Path

    from preserve.render import Renderer
    from storage import Store

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class Preserved:
    document_id: int
    artefacts: dict[str, str] = field(default_factory=dict)  # kind -> sha256
    error: str | None = None


def preserve_document(
    store: Store, data_dir: Path, renderer: Renderer, document_id: int
) -> Preserved:
    """Preserve one document; a document that cannot be rendered says why and is skipped."""
    result = Preserved(document_id)
    doc = store.document(document_id)
    fetch_row = store.fetch(doc["fetch_id"]) if doc else None
    if doc is None or fetch_row is None:
        result.error = "no such document or fetch"
        return result
    sha256 = str(doc["capture_sha256"])
    path = CaptureFiles(data_dir / "captures").path_for(sha256)
    if not path.is_file() or file_sha256(path) != sha256:
        # Never render, or vouch for, bytes that are not the capture.
        result.error = "capture missing or altered (run `marsad verify`)"
        return result
    body = path.read_bytes()
    store.log_custody("read", [sha256], detail={"purpose": "preserve", "document": document_id})
    capture = store.capture(sha256) or {}
    fetch = Fetch(
        url=fetch_row["url"],
        final_url=fetch_row["final_url"],
        redirects=list(fetch_row["redirects"]),
        status=int(fetch_row["status"]),
        headers=json.loads(fetch_row["headers"]),
        fetched_at=fetch_row["fetched_at"],
        sha256=sha256,
        marsad_version=fetch_row["marsad_version"],
    )
    have = {a["kind"]: a["sha256"] for a in store.artefacts(document_id=document_id)}
    if "warc" not in have:
        warc = write_warc(data_dir, int(fetch_row["id"]), fetch, body)
        store.record_artefact(warc)
        have["warc"] = warc.sha256
    if "screenshot" not in have or "pdf" not in have:
        try:
            rendered = renderer.render(body, fetch.final_url, capture.get("content_type"))
        # Playwright raises many kinds of error; one document failing must not stop the rest.
        except Exception as exc:
            logger.warning("Could not render document %d: %s", document_id, type(exc).__name__)
            result.error = f"render failed: {type(exc).__name__}: {exc}".splitlines()[0]
            result.artefacts = have
            return result
        for kind, data, content_type in (
            ("screenshot", rendered.screenshot, "image/png"),
            ("pdf", rendered.pdf, "application/pdf"),
        ):
            artefact = write(
                data_dir,
                kind=kind,
                body=data,
                content_type=content_type,
                capture_sha256=sha256,
                fetch_id=int(fetch_row["id"]),
                document_id=document_id,
                tool=f"playwright+{rendered.browser}",
            )
            store.record_artefact(artefact)
            have[kind] = artefact.sha256
    store.log_custody("preserve", [sha256], detail={"document": document_id, "artefacts": have})
    result.artefacts = have
    return result
