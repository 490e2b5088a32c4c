"""`marsad extract`: run the NLP stage on documents from the command line.

`--jsonl` is the extraction contract (shared/eval/README.md): one JSON document a line on
standard input, one result a line on standard output, in the same order, with the same `id`.
A line that cannot be read gets `{"id": ..., "error": ...}` and the run goes on. HTML goes
through the pipeline's own extraction (`pipeline.extract.extract_article`) and language through
`pipeline.language.detect_language`, so the command line and a crawl see the same text and the
evidence offsets point into that text.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import date
from pathlib import Path  # noqa: TC003 - typer reads the annotation at run time
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.table import Table

from marsad import settings

if TYPE_CHECKING:
    from collections.abc import Iterable

    from nlp.model import Analysis


log = logging.getLogger(__name__)


class BadInput(ValueError):
    """A document line that does not follow the contract."""


class BadLine(ValueError):
    """A line that is not a contract document; `doc_id` when the line still names one."""

    def __init__(self, message: str, doc_id: str | None = None) -> None:
        super().__init__(message)
        self.doc_id = doc_id


# The crawl's limits: the text analysed (MARSAD_MAX_TEXT_CHARS) and the page (DOWNLOAD_MAXSIZE).
MAX_TEXT_CHARS = settings.MARSAD_MAX_TEXT_CHARS
MAX_HTML_CHARS = settings.DOWNLOAD_MAXSIZE

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


def result_line(line: str | bytes) -> dict[str, Any]:
    """The contract's output object for one input line; never raises on bad input."""
    try:
        doc_id, doc = read_document(line)
    except BadLine as exc:
        return {"id": exc.doc_id, "error": str(exc)}
    try:
        _, analysis = analyse_document(doc)
    except BadInput as exc:
        return {"id": doc_id, "error": str(exc)}
    except Exception as exc:
        # One document that trips a bug must not cost the rest of the batch their results.
        # Its id and the error's type go to the log, never the message, which may quote the
        # text (victims' data is sensitive).
        log.error("extract: analysis failed for document %s: %s", doc_id, type(exc).__name__)
        return {"id": doc_id, "error": f"analysis failed: {type(exc).__name__}"}
    return {"id": doc_id, **analysis.to_contract()}


def run_jsonl(source: Iterable[str | bytes], sink: TextIO) -> int:
    """Answer every line of `source` on `sink`; the number of lines answered with an error.
    Give it bytes (standard input's buffer): a line that is not UTF-8 is then answered alone."""
    errors = 0
    for line in source:
        if not line.strip():
            continue
        result = result_line(line)
        errors += "error" in result
        sink.write(json.dumps(result, ensure_ascii=False) + "\n")
        sink.flush()
    return errors


def _summary(path: Path, text: str, analysis: Analysis, console: Console) -> None:
    console.print(
        f"[bold]{path.name}[/]: language {analysis.language}, "
        f"published {analysis.published or 'unknown'}, {len(text)} characters, "
        f"{len(analysis.incidents)} incident(s)  [dim](nlp {analysis.nlp_version})[/]"
    )
    for n, incident in enumerate(analysis.incidents, 1):
        table = Table(title=f"Incident {n}", show_header=False, title_justify="left")
        table.add_column("field", style="bold")
        table.add_column("value")
        table.add_row("types", ", ".join(incident.types))
        table.add_row("confidence", f"{incident.confidence:.2f}")
        when = incident.date
        table.add_row(
            "date",
            "-"
            if when is None
            else f"{when.start} to {when.end} ({when.precision}"
            + (", publication date" if when.from_publication else "")
            + ")",
        )
        where = incident.location
        table.add_row("place", "-" if where is None else f"{where.name} / {where.name_ar or ''}")
        table.add_row(
            "perpetrators",
            ", ".join(f"{p.name} ({p.category})" for p in incident.perpetrators) or "-",
        )
        table.add_row(
            "victims",
            ", ".join(v.group + (f" ({v.count})" if v.count else "") for v in incident.victims)
            or "-",
        )
        counts = incident.counts.to_dict()
        table.add_row(
            "counts", ", ".join(f"{k} {v}" for k, v in counts.items() if v is not None) or "-"
        )
        for ev in incident.evidence:
            table.add_row(f"evidence {ev.start}-{ev.end}", ev.text)
        console.print(table)


def register(app: typer.Typer) -> None:
    """Add the `extract` command to `app`."""

    @app.command()
    def extract(
        file: Annotated[
            Path | None,
            typer.Argument(help="An HTML or text file to analyse, with a readable summary."),
        ] = None,
        jsonl: Annotated[
            bool,
            typer.Option("--jsonl", help="Read JSON Lines documents on stdin, write results."),
        ] = False,
        published: Annotated[
            str | None,
            typer.Option(help="Publication date (YYYY-MM-DD) of FILE, if the page lacks one."),
        ] = None,
    ) -> None:
        """Find incidents in documents: `--jsonl` (the extraction contract) or one FILE."""
        if jsonl == (file is not None):
            raise typer.BadParameter("give either FILE or --jsonl (documents on stdin)")
        if jsonl:
            run_jsonl(sys.stdin.buffer, sys.stdout)
            return
        assert file is not None
        from pipeline.charset import decode_html

        try:
            body = file.read_bytes()
        except OSError as exc:
            raise typer.BadParameter(f"cannot read {file}: {exc.strerror}") from exc
        # As the crawler reads a page: a byte-order mark, the page's <meta charset>, then
        # detection (the demo's Windows-1256 page read as UTF-8 found nothing).
        raw = decode_html(body).text
        is_html = file.suffix.lower() in {".html", ".htm"} or raw.lstrip()[:15].lower().startswith(
            ("<!doctype", "<html")
        )
        doc: dict[str, Any] = {"id": file.name, "published": published}
        doc["html" if is_html else "text"] = raw
        try:
            text, analysis = analyse_document(doc)
        except BadInput as exc:
            raise typer.BadParameter(str(exc)) from exc
        _summary(file, text, analysis, Console())
