"""Documents given as the extraction contract's JSON lines, analysed as a crawled page is.

The contract (shared/eval/README.md): one JSON document a line, with `id`, `text` or `html`,
`published` and `url`. HTML goes through the pipeline's own extraction
(`pipeline.extract.extract_article`) and language through `pipeline.language.detect_language`,
so `marsad extract`, `marsad ingest` and a crawl see the same text and the evidence offsets
point into that text.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nlp.model import Analysis


class BadInput(ValueError):
    """A document line that does not follow the contract."""


class BadLine(ValueError):
    """A line that is not a contract document; `doc_id` when the line still names one."""

    def __init__(self, message: str, doc_id: str | None = None) -> None:
        super().__init__(message)
        self.doc_id = doc_id


# A crawled page's limits, which marsad/settings.py takes from here: the text analysed
# (MARSAD_MAX_TEXT_CHARS) and the page (DOWNLOAD_MAXSIZE).
MAX_TEXT_CHARS = 1_000_000
MAX_HTML_CHARS = 20 * 1024 * 1024

# Publication dates outside these are typing errors, and dates computed from them (relative
# dates, the slack after publication) would fall off the calendar.
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


def _published(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadInput("published must be a YYYY-MM-DD string")
    try:
        found = date.fromisoformat(value[:10])
    except ValueError as exc:
        raise BadInput(f"published is not a date: {value[:20]!r}") from exc
    if not EARLIEST <= found <= LATEST:
        raise BadInput(f"published is out of range ({EARLIEST} to {LATEST}): {found}")
    return found


def _id_of(doc: dict[str, Any]) -> str | None:
    doc_id = doc.get("id")
    if isinstance(doc_id, int | float) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    return doc_id if isinstance(doc_id, str) and doc_id else None


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise BadLine("not JSON this program can read: nested too deeply") from None


def read_document(line: str | bytes) -> tuple[str, dict[str, Any]]:
    """(id, document) from one input line, or BadLine saying why not. The message never quotes
    the line: it may hold a victim's name."""
    if isinstance(line, bytes):
        raw = line
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            # The id is worth finding even so: the caller's answer must say which line failed.
            try:
                named = _loads(raw.decode("utf-8", errors="replace"))
            except BadLine:
                named = None
            doc_id = _id_of(named) if isinstance(named, dict) else None
            raise BadLine(f"not UTF-8 (byte {exc.start} of the line)", doc_id) from None
    doc = _loads(line)
    if not isinstance(doc, dict):
        raise BadLine("a document must be a JSON object")
    doc_id = _id_of(doc)
    if doc_id is None:
        raise BadLine("missing or invalid id")
    for key in ("text", "html", "url"):
        value = doc.get(key)
        if isinstance(value, str) and _unpaired_surrogate(value):
            raise BadLine(f"{key} holds an unpaired surrogate (\\ud800-\\udfff)", doc_id)
    return doc_id, doc


def _unpaired_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def analyse_document(doc: dict[str, Any]) -> tuple[str, Analysis]:
    """The analysed text and its analysis for one contract document."""
    from nlp import analyse
    from pipeline.extract import month_in_url
    from pipeline.language import detect_language

    text, html, url = doc.get("text"), doc.get("html"), doc.get("url")
    if url is not None and not isinstance(url, str):
        raise BadInput("url must be a string")
    published = _published(doc.get("published"))
    if isinstance(text, str):
        body = text
    elif isinstance(html, str):
        from pipeline.extract import extract_article

        if len(html) > MAX_HTML_CHARS:
            raise BadInput(f"html too long: {len(html)} characters, over {MAX_HTML_CHARS}")
        article = extract_article(html, url)
        body = article.text
        published = published or article.published
    elif text is None and html is None:
        raise BadInput("document has neither text nor html")
    else:
        raise BadInput("text and html must be strings")
    if len(body) > MAX_TEXT_CHARS:
        # The crawl's page budget, for the same reason: one document must not hold the batch.
        raise BadInput(f"text too long: {len(body)} characters, over {MAX_TEXT_CHARS}")
    if published is None and url:
        published = _date_in_url(url)
    language = detect_language(body)
    month = None if published else month_in_url(url)
    if month is not None:
        return body, analyse(body, language, month, published_precision="month")
    return body, analyse(body, language, published)


def _date_in_url(url: str) -> date | None:
    """A full date in the URL (/2021/06/02/), as the pipeline's extraction reads it for HTML."""
    from htmldate import find_date

    found = find_date("<html></html>", url=url, extensive_search=False)
    return date.fromisoformat(found) if found else None
