"""`marsad extract`: run the NLP stage on documents from the command line.

`--jsonl` is the extraction contract (shared/eval/README.md): one JSON document a line on
standard input, one result a line on standard output, in the same order, with the same `id`.
A line that cannot be read gets `{"id": ..., "error": ...}` and the run goes on. Each document
is read and analysed as a crawled page is (`pipeline.contract`).
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path  # noqa: TC003 - typer reads the annotation at run time
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.table import Table

from pipeline.contract import BadInput, BadLine, analyse_document, read_document

if TYPE_CHECKING:
    from collections.abc import Iterable

    from nlp.model import Analysis


log = logging.getLogger(__name__)


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
