"""`marsad ingest --jsonl`: articles gathered elsewhere, stored and clustered like crawled pages.

Each input line is what `marsad extract --jsonl` reads (`id`, `text` or `html`, `published`,
`url`). The line's own bytes (the HTML, or the text) become the document's capture, so the
verification bundle can carry them; the input `id` is kept beside the document. A line that
cannot be read is reported with its line number and skipped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from incidents import cluster
from pipeline.contract import BadInput, BadLine, analyse_document, read_document
from storage import Analysed, CaptureFiles, NewDocument, NewFetch, __version__, sha256_hex
from storage.remote import apply

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date
    from pathlib import Path

    from storage import Store

SOURCE = "ingest"

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class IngestReport:
    stored: int = 0
    already_known: int = 0
    incidents: set[int] = field(default_factory=set)
    errors: list[tuple[int, str | None, str]] = field(default_factory=list)


def store_document(
    store: Store,
    captures: CaptureFiles,
    *,
    url: str,
    body: bytes,
    content_type: str,
    text: str,
    title: str | None,
    published: date | None,
    language: str | None,
    analysed: Analysed | None,
    source: str = SOURCE,
) -> tuple[int, bool]:
    """Keep `body` as a capture and `text` as a document; (document id, whether it is new)."""
    text_sha256 = sha256_hex(text.encode("utf-8"))
    existing = store.document_id_for(url=url, text_sha256=text_sha256)
    if existing is not None:
        return existing, False
    sha256, path = captures.put(body)
    now = datetime.now(UTC)
    fetch_id = store.record_fetch(
        NewFetch(
            run_id=None,
            source=source,
            url=url,
            final_url=url,
            redirects=[],
            # Not fetched over HTTP by Marsad: no status to report.
            status=0,
            headers={"content-type": [content_type]},
            fetched_at=now,
            sha256=sha256,
            size=len(body),
            content_type=content_type,
            path=str(path),
            marsad_version=__version__,
        )
    )
    document_id = store.add_document(
        NewDocument(
            url=url,
            final_url=url,
            source=source,
            fetch_id=fetch_id,
            capture_sha256=sha256,
            text_sha256=text_sha256,
            title=title,
            text=text,
            published=published,
            author=None,
            language=language,
            fetched_at=now,
        ),
        analysed,
    )
    return document_id, True


def _line(
    store: Store,
    captures: CaptureFiles,
    raw: str | bytes,
    report: IngestReport,
    number: int,
    original: tuple[bytes, str] | None,
) -> None:
    try:
        input_id, doc = read_document(raw)
    except BadLine as exc:
        report.errors.append((number, exc.doc_id, str(exc)))
        return
    try:
        text, analysis = analyse_document(doc)
    except BadInput as exc:
        report.errors.append((number, input_id, str(exc)))
        return
    except Exception as exc:
        # As in `marsad extract`: the id and the error's type, never a message that may quote
        # the text.
        logger.error("ingest: analysis failed for line %d: %s", number, type(exc).__name__)
        report.errors.append((number, input_id, f"analysis failed: {type(exc).__name__}"))
        return
    if original is None:
        is_html = not isinstance(doc.get("text"), str)
        line_text: str = doc["html"] if is_html else doc["text"]
        kind = "text/html" if is_html else "text/plain"
        original = line_text.encode("utf-8"), f"{kind}; charset=utf-8"
    body, content_type = original
    url = doc.get("url") or f"ingest:{input_id}"
    document_id, new = store_document(
        store,
        captures,
        url=url,
        body=body,
        content_type=content_type,
        text=text,
        title=None,
        published=analysis.published,
        language=analysis.language,
        analysed=Analysed(analysis.nlp_version, analysis.language, analysis.stored_incidents()),
    )
    store.record_ingest(document_id, input_id)
    if new:
        report.stored += 1
    else:
        report.already_known += 1
        store.record_analysis(
            document_id,
            Analysed(analysis.nlp_version, analysis.language, analysis.stored_incidents()),
        )
    # On the server when `marsad serve` holds the store: clustering is one transaction.
    report.incidents.update(apply(store, cluster.attach, document_id))


def ingest_lines(
    store: Store,
    data_dir: Path,
    lines: Iterable[str | bytes],
    *,
    original: tuple[bytes, str] | None = None,
) -> IngestReport:
    """Store, analyse and cluster every readable line; report the others. Give it bytes
    (standard input's buffer): a line that is not UTF-8 is then reported alone. `original`
    (bytes, content type) is the file one line was read from, an uploaded PDF or page: it is
    kept as the capture instead of the line's text, so the evidence is what the analyst had."""
    captures = CaptureFiles(data_dir / "captures")
    report = IngestReport()
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            _line(store, captures, raw, report, number, original)
        except (ValueError, TypeError, KeyError, OverflowError, RecursionError) as exc:
            # Whatever a hostile line trips over deeper down, the rest of the file goes on; the
            # error's type only, as its message may quote the text.
            report.errors.append((number, None, f"could not be stored: {type(exc).__name__}"))
    return report


def as_dict(report: IngestReport) -> dict[str, Any]:
    return {
        "stored": report.stored,
        "already_known": report.already_known,
        "incidents": sorted(report.incidents),
        "errors": [{"line": n, "id": i, "error": e} for n, i, e in report.errors],
    }
