"""Documents added from the triage UI: a JSON Lines file, or one HTML, PDF or text file.

A JSON Lines file is what `marsad ingest --jsonl` reads, and goes through the same function
(`triage.ingest.ingest_lines`): the same validation, each bad line reported with its number and
skipped, the rest stored, and a file uploaded twice stored once. A single file becomes one such
line, its id the file's name: HTML and text are decoded as the crawler decodes a page (a
byte-order mark, the page's `<meta charset>`, then detection), a PDF gives its text layer and
its creation date, as a crawled PDF does. The file itself, as sent, is kept as the document's
capture (its SHA-256 in the evidence), not the text read from it.

Only analysts and admins may upload (checked on the server, before the body is read); the
form carries the session's CSRF token like every other; a body over `MAX_UPLOAD` bytes is
refused unread. What the page shows back (ids, error messages) is escaped by the templates.
"""

from __future__ import annotations

import io
import json
import re
from functools import partial
from typing import TYPE_CHECKING, Any

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.routing import Route

from triage import ingest

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from starlette.requests import Request
    from starlette.responses import Response

    from triage.app import Context

# A field report or a day's gathered articles; the crawler's own page limit is 10 MB.
MAX_UPLOAD = 20 * 1024 * 1024
KINDS = ("jsonl", "html", "pdf", "text")
_EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
}
# The content type a single file's capture is stored under (its bytes are kept as sent).
_TYPES = {"html": "text/html", "pdf": "application/pdf", "text": "text/plain"}


class UploadError(ValueError):
    """An upload that cannot be read as documents, said plainly (nothing was stored)."""


def kind_of(name: str, body: bytes) -> str:
    """jsonl, html, pdf or text: from the bytes where they tell, else from the file's name."""
    if body.lstrip()[:5] == b"%PDF-":
        return "pdf"
    suffix = re.search(r"\.[A-Za-z]+$", name)
    found = _EXTENSIONS.get(suffix.group(0).lower()) if suffix else None
    if found is not None:
        return found
    if body.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")):
        return "html"
    raise UploadError(
        "send a JSON Lines file (.jsonl) or one HTML, PDF or text file (.html, .pdf, .txt)"
    )


def document_id(name: str) -> str:
    """The file's own name (no folders, no control characters), as the document's input id."""
    base = re.split(r"[\\/]", name)[-1]
    cleaned = "".join(c for c in base if c.isprintable()).strip()[:200]
    return cleaned or "upload"


def as_lines(name: str, body: bytes, *, published: str, url: str) -> list[bytes]:
    """The upload as `marsad ingest --jsonl` lines: a JSON Lines file as it is, a single file
    as one line (with the form's publication date and address, when given)."""
    if not body.strip():
        raise UploadError("the file is empty")
    kind = kind_of(name, body)
    if kind == "jsonl":
        return io.BytesIO(body).readlines()
    doc: dict[str, Any] = {"id": document_id(name)}
    if kind == "pdf":
        from pipeline.extract import extract_pdf

        article = extract_pdf(body)
        if not article.text:
            raise UploadError("the PDF has no text layer to read (a scan?): nothing was stored")
        doc["text"] = article.text
        published = published or (article.published.isoformat() if article.published else "")
    else:
        from pipeline.charset import decode_html

        doc[kind] = decode_html(body).text
    if published:
        doc["published"] = published
    if url:
        doc["url"] = url
    return [json.dumps(doc, ensure_ascii=False).encode("utf-8")]


def routes(
    ctx: Context,
    page: Callable[..., Response],
    call: Callable[..., Awaitable[Any]],
    checked_form: Callable[[Request], Awaitable[dict[str, str]]],
) -> list[Route]:
    """`/ingest`, with the app's page renderer, thread runner and CSRF-checked form reader."""

    def editor(request: Request) -> None:
        if not ctx.account(request).can_edit:
            raise HTTPException(403, "a viewer account cannot add documents")

    async def form_page(request: Request) -> Response:
        editor(request)
        return page(request, "ingest.html", limit_mb=MAX_UPLOAD // (1024 * 1024), report=None)

    async def upload(request: Request) -> Response:
        editor(request)
        length = request.headers.get("content-length", "")
        if not length.isdigit():
            raise HTTPException(411, "the upload must say its length")
        if int(length) > MAX_UPLOAD:
            raise HTTPException(413, f"the file is over {MAX_UPLOAD // (1024 * 1024)} MB")
        # Parsed once, here, with one file at most; the CSRF check reads the same form.
        sent = await request.form(max_files=1, max_fields=10)
        try:
            fields = await checked_form(request)
            upload = sent.get("file")
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise HTTPException(400, "choose a file to upload")
            name = upload.filename
            body = await upload.read(MAX_UPLOAD + 1)
        finally:
            # Spooled to disk past 1 MB: closed whether the form was accepted or not.
            await sent.close()
        try:
            lines = as_lines(
                name,
                body,
                published=(fields.get("published") or "").strip()[:40],
                url=(fields.get("url") or "").strip()[:2000],
            )
        except UploadError as exc:
            raise HTTPException(400, str(exc)) from exc
        kind = kind_of(name, body)
        original = None if kind == "jsonl" else (body, _TYPES[kind])
        report = await call(
            partial(ingest.ingest_lines, original=original),
            ctx.store_of(),
            ctx.data_dir,
            lines,
        )
        return page(
            request,
            "ingest.html",
            status_code=200,
            limit_mb=MAX_UPLOAD // (1024 * 1024),
            file_name=document_id(name),
            lines=len([line for line in lines if line.strip()]),
            report=ingest.as_dict(report),
        )

    return [
        Route("/ingest", form_page, methods=["GET"]),
        Route("/ingest", upload, methods=["POST"]),
    ]
