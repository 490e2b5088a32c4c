"""`marsad triage`, `marsad ingest` and `marsad export`: the triage moves from a terminal.

    marsad triage list [filters] [--json]        the queue, as the web UI sorts it
    marsad triage show ID [--json]               one incident, its sources, claims and history
    marsad triage review|confirm|reject|send|reopen ID [--reason TEXT]
    marsad triage reject ID --why REASON         reject and duplicate need a listed reason
    marsad triage merge ID TARGET --why REASON   ID is a duplicate of TARGET
    marsad triage unmerge ID | split ID --document N | undo ENTRY
    marsad triage assign ID NAME | tag ID TAGS | note ID TEXT
    marsad triage edit ID --killed 2 --place Sirte ... [--clear FIELD] --reason TEXT
    marsad triage cluster                        cluster candidates not yet in an incident
    marsad triage rekey                          re-file incidents under the current blocking keys
    marsad ingest --jsonl < docs.jsonl           store, analyse and cluster outside articles
    marsad export --format F --output PATH [filters]

Scraped text printed to the terminal goes through `marsad.verify.inert`, so it is never read as
Rich markup or terminal control sequences.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from marsad.options import (
    AsJson,
    DataDir,
    output_problem,
    refuse,
)
from marsad.terminal import inert

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from storage import Store
    from storage.incidents import IncidentFilter
    from triage.exports import Step

console = Console()
err = Console(stderr=True)

Reason = Annotated[str | None, typer.Option("--reason", help="Why (kept in the audit log).")]
Actor = Annotated[
    str | None,
    typer.Option(
        "--as", metavar="NAME", help="Who is acting (default: $MARSAD_ACTOR or the OS user)."
    ),
]
Status = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        metavar="STATUS",
        help="new, in_review, confirmed, rejected, duplicate, sent; open (default), all, or "
        "updated (reviewed, then given a new source or a changed claim).",
    ),
]
Types = Annotated[
    list[str] | None,
    typer.Option("--type", metavar="TYPE", help="Violation type (repeatable)."),
]
Place = Annotated[str | None, typer.Option(help="Place name (English or Arabic).")]
District = Annotated[str | None, typer.Option(help="District (admin1).")]
DateFrom = Annotated[
    str | None, typer.Option("--from", metavar="DATE", help="Events on or after YYYY-MM-DD.")
]
DateTo = Annotated[
    str | None, typer.Option("--to", metavar="DATE", help="Events on or before YYYY-MM-DD.")
]
Source = Annotated[
    str | None, typer.Option(help="Only incidents with a document from this source.")
]
Language = Annotated[
    str | None, typer.Option(help="Only incidents with a document in this language.")
]
MinConfidence = Annotated[float | None, typer.Option("--min-confidence", help="0 to 1.")]
Search = Annotated[str | None, typer.Option("--search", "-q", help="Text search.")]
Order = Annotated[str, typer.Option(help="confidence (default), recent or date.")]


class _Params:
    """The CLI's filter options in the shape `triage.filters.parse` reads from a query string."""

    def __init__(self, values: dict[str, list[str]]) -> None:
        self.values = {k: [v for v in vs if v] for k, vs in values.items()}

    def get(self, key: str, /) -> str | None:
        found = self.values.get(key)
        return found[0] if found else None

    def getlist(self, key: str) -> list[str]:
        return list(self.values.get(key, []))


def _params(
    status: list[str] | None,
    types: list[str] | None,
    place: str | None,
    district: str | None,
    date_from: str | None,
    date_to: str | None,
    source: str | None,
    language: str | None,
    min_confidence: float | None,
    search: str | None,
) -> _Params:
    return _Params(
        {
            "status": status or [],
            "type": types or [],
            "place": [place or ""],
            "district": [district or ""],
            "from": [date_from or ""],
            "to": [date_to or ""],
            "source": [source or ""],
            "language": [language or ""],
            "min_confidence": ["" if min_confidence is None else str(min_confidence)],
            "q": [search or ""],
        }
    )


def _selection(*options: Any) -> list[tuple[str, str]]:
    """The filters given, as (key, value) pairs for an export's file name."""
    params = _params(*options)
    return [(key, value) for key, values in params.values.items() for value in values]


def _filter(
    status: list[str] | None,
    types: list[str] | None,
    place: str | None,
    district: str | None,
    date_from: str | None,
    date_to: str | None,
    source: str | None,
    language: str | None,
    min_confidence: float | None,
    search: str | None,
) -> IncidentFilter:
    from triage import filters

    params = _params(
        status,
        types,
        place,
        district,
        date_from,
        date_to,
        source,
        language,
        min_confidence,
        search,
    )
    try:
        return filters.parse(params)
    except filters.FilterError as exc:
        raise _fail(str(exc)) from exc


def _fail(message: str) -> typer.Exit:
    from marsad.handover import fail

    return fail(err, message)


def _store(data_dir: Path | None, *, create: bool = False) -> tuple[Store, Path]:
    """The database (the running server's, or the file's) and the data directory."""
    from marsad import handover
    from storage.paths import data_paths

    paths = data_paths(data_dir)
    return handover.open_store(paths, err, create=create), paths.data_dir


def _actor(given: str | None) -> str:
    from storage.custody import current_actor

    return given or current_actor()


def _plain(value: Any) -> Any:
    from triage.exports import plain

    return plain(value)


triage_app = typer.Typer(no_args_is_help=True, help="Review incidents from the terminal.")


@triage_app.command("list")
def list_incidents(
    data_dir: DataDir = None,
    status: Status = None,
    types: Types = None,
    place: Place = None,
    district: District = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    source: Source = None,
    language: Language = None,
    min_confidence: MinConfidence = None,
    search: Search = None,
    order: Order = "confidence",
    limit: Annotated[int, typer.Option(help="At most this many.")] = 50,
    as_json: AsJson = False,
) -> None:
    """The review queue: by confidence and recency, with the web UI's filters."""
    where = _filter(
        status,
        types,
        place,
        district,
        date_from,
        date_to,
        source,
        language,
        min_confidence,
        search,
    )
    if order not in ("confidence", "recent", "date"):
        raise _fail(f"unknown order {order!r} (one of confidence, recent, date)")
    store, _ = _store(data_dir)
    try:
        rows = store.incident_queue(
            where,
            order=order,
            limit=limit,
        )
        waiting = store.search_pending() if search else 0
    finally:
        store.close()
    if waiting:
        err.print(
            f"note: {waiting} document(s) are not indexed for search yet and were read one by "
            "one (slow); `marsad search-index` indexes them"
        )
    if as_json:
        keep = (
            "id",
            "status",
            "types",
            "confidence",
            "date_start",
            "date_end",
            "location_name",
            "admin1",
            "documents",
            "new_sources",
            "sources",
            "languages",
            "assignee",
            "tags",
        )
        out = [{k: _plain(r[k]) for k in keep} for r in rows]
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"{len(rows)} incident(s)")
    for column in ("id", "status", "conf.", "types", "date", "place", "docs", "new", "assignee"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["status"],
            f"{r['confidence']:.2f}",
            ", ".join(r["types"]),
            str(r["date_start"] or "-"),
            inert(r["location_name"] or r["location_name_ar"] or "-"),
            str(r["documents"]),
            str(r["new_sources"] or ""),
            inert(r["assignee"] or ""),
        )
    console.print(table)


@triage_app.command()
def show(
    incident_id: Annotated[int, typer.Argument(help="Incident number.")],
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """One incident: fields, each source's claims and evidence, and the audit history."""
    from incidents import claims, corrections
    from storage.incidents import IncidentFilter
    from triage import exports

    store, _ = _store(data_dir)
    try:
        found = exports.records(store, IncidentFilter(ids=(incident_id,)), text=False)
        if not found:
            err.print(f"error: no incident {incident_id}")
            raise typer.Exit(1)
        sources = store.incident_sources(incident_id)
        audit = store.incident_audit(incident_id)
    finally:
        store.close()
    record = found[0]
    row = record
    if as_json:
        doc = exports.to_json([record])["incidents"][0]
        doc["audit"] = [{k: _plain(v) for k, v in a.items()} for a in audit]
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return
    console.print(
        inert(
            f"Incident {row['id']} [{row['status']}] {', '.join(row['types'])} · "
            f"{row['date_start'] or 'no date'} · {row['location_name'] or 'no place'} · "
            f"confidence {row['confidence']:.2f} · assignee {row['assignee'] or '-'}"
        )
    )
    for fact in corrections.facts(row, sources, record["corrections"]):
        if fact["analyst"] is not None:
            console.print(
                inert(
                    f"  {fact['field']}: {fact['analyst']} (corrected by {fact['by']}; "
                    f"machine: {fact['machine']})"
                )
            )
    for claim in claims.claims(sources):
        said = "; ".join(
            f"{v} (documents {', '.join(map(str, d))})" for v, d in claim.values.items()
        )
        console.print(inert(f"  {claim.name}{' (disputed)' if claim.disputed else ''}: {said}"))
    for s in sources:
        flags = (" NEW" if s["is_new"] else "") + (" superseded" if s["superseded_at"] else "")
        console.print(inert(f"- document {s['document_id']} {s['source']} {s['url']}{flags}"))
        for ev in (s["finding"] or {}).get("evidence") or []:
            if isinstance(ev, dict):
                console.print(inert(f"    “{ev.get('text')}”"))
    for a in audit:
        console.print(
            inert(
                f"  #{a['id']} {a['logged_at']:%Y-%m-%d %H:%M} {a['actor']} {a['action']} "
                f"{a['field'] or ''} "
                f"{a['from_value'] or ''} -> {a['to_value'] or ''} {a['reason'] or ''}"
            )
        )


Why = Annotated[
    str | None,
    typer.Option(
        "--why",
        help="Required to reject or mark a duplicate: a listed reason (see `triage reasons`).",
    ),
]


def _refused(exc: Exception, incident_id: int) -> typer.Exit:
    message = f"no incident {incident_id}" if isinstance(exc, KeyError) else str(exc)
    err.print(inert(f"error: {message}"))
    return typer.Exit(1)


def _set_status(
    incident_id: int,
    status: str,
    why: str | None,
    reason: str | None,
    actor: str | None,
    data_dir: Path | None,
) -> None:
    from incidents import workflow

    store, _ = _store(data_dir)
    try:
        entry = workflow.change_status(
            store, incident_id, status, actor=_actor(actor), reason_code=why, reason=reason
        )
    except (KeyError, ValueError) as exc:
        raise _refused(exc, incident_id) from exc
    finally:
        store.close()
    if entry is None:
        console.print(f"Incident {incident_id} was already {status}")
    else:
        console.print(f"Incident {incident_id}: now {status} (undo: marsad triage undo {entry})")


def _status_command(name: str, status: str, help_text: str) -> None:
    def command(
        incident_id: Annotated[int, typer.Argument(help="Incident number.")],
        why: Why = None,
        reason: Reason = None,
        actor: Actor = None,
        data_dir: DataDir = None,
    ) -> None:
        _set_status(incident_id, status, why, reason, actor, data_dir)

    command.__doc__ = help_text
    triage_app.command(name)(command)


_status_command("review", "in_review", "Mark an incident in review.")
_status_command("confirm", "confirmed", "Confirm an incident.")
_status_command(
    "reject", "rejected", "Reject an incident (--why is required: see `triage reasons`)."
)
_status_command("send", "sent", "Mark a confirmed incident as sent to verification.")
_status_command("reopen", "new", "Put an incident back to new.")


@triage_app.command()
def reasons() -> None:
    """The listed reasons for rejecting and for marking a duplicate (give one with --why)."""
    from incidents import workflow

    console.print("reject:    " + " | ".join(workflow.REJECT_REASONS))
    console.print("duplicate: " + " | ".join(workflow.DUPLICATE_REASONS))


@triage_app.command()
def merge(
    incident_id: Annotated[int, typer.Argument(help="The duplicate.")],
    target: Annotated[int, typer.Argument(help="The incident it duplicates.")],
    why: Why = None,
    reason: Reason = None,
    actor: Actor = None,
    data_dir: DataDir = None,
) -> None:
    """Mark an incident a duplicate of another; its sources move there (undo: `unmerge`)."""
    from incidents import workflow
    from storage.remote import apply

    store, _ = _store(data_dir)
    try:
        apply(
            store,
            workflow.mark_duplicate,
            incident_id,
            target,
            actor=_actor(actor),
            reason_code=why,
            reason=reason,
        )
    except (KeyError, ValueError) as exc:
        raise _refused(exc, incident_id) from exc
    finally:
        store.close()
    console.print(f"Incident {incident_id} merged into {target}")


@triage_app.command()
def unmerge(
    incident_id: Annotated[int, typer.Argument(help="The incident marked a duplicate.")],
    reason: Reason = None,
    actor: Actor = None,
    data_dir: DataDir = None,
) -> None:
    """Undo a duplicate mark: the incident returns with its sources, status and history."""
    from incidents import workflow
    from storage.remote import apply

    store, _ = _store(data_dir)
    try:
        target = apply(store, workflow.unmerge, incident_id, actor=_actor(actor), reason=reason)
    except (KeyError, ValueError) as exc:
        raise _refused(exc, incident_id) from exc
    finally:
        store.close()
    console.print(f"Incident {incident_id} is no longer a duplicate of {target}")


@triage_app.command()
def split(
    incident_id: Annotated[int, typer.Argument(help="The incident to split.")],
    documents: Annotated[
        list[int],
        typer.Option("--document", metavar="N", help="A document that goes to the new incident."),
    ],
    reason: Reason = None,
    actor: Actor = None,
    data_dir: DataDir = None,
) -> None:
    """Split an incident: the chosen documents go to a new incident."""
    from incidents import workflow
    from storage.remote import apply

    store, _ = _store(data_dir)
    try:
        new_id = apply(
            store,
            workflow.split_documents,
            incident_id,
            documents,
            actor=_actor(actor),
            reason=reason,
        )
    except (KeyError, ValueError) as exc:
        raise _refused(exc, incident_id) from exc
    finally:
        store.close()
    console.print(f"Incident {incident_id} split: documents {documents} are now incident {new_id}")


@triage_app.command()
def undo(
    entry: Annotated[int, typer.Argument(help="The history entry (`triage show` numbers them).")],
    actor: Actor = None,
    data_dir: DataDir = None,
) -> None:
    """Undo a status change or a duplicate mark, if nothing has changed the incident since."""
    from incidents import workflow
    from storage.remote import apply

    store, _ = _store(data_dir)
    try:
        apply(store, workflow.undo, entry, actor=_actor(actor))
    except (KeyError, ValueError) as exc:
        raise _refused(exc, entry) from exc
    finally:
        store.close()
    console.print(f"History entry {entry} undone")


def _set_field(
    incident_id: int,
    name: str,
    value: Any,
    reason: str | None,
    actor: str | None,
    data_dir: Path | None,
) -> None:
    store, _ = _store(data_dir)
    try:
        store.set_incident_field(incident_id, name, value, actor=_actor(actor), reason=reason)
    except KeyError as exc:
        err.print(f"error: no incident {incident_id}")
        raise typer.Exit(1) from exc
    finally:
        store.close()
    console.print(f"Incident {incident_id}: {name} updated")


@triage_app.command()
def assign(
    incident_id: Annotated[int, typer.Argument(help="Incident number.")],
    name: Annotated[str, typer.Argument(help="Analyst (empty string: nobody).")],
    reason: Reason = None,
    actor: Actor = None,
    data_dir: DataDir = None,
) -> None:
    """Assign an incident to an analyst."""
    _set_field(incident_id, "assignee", name.strip() or None, reason, actor, data_dir)


@triage_app.command()
def tag(
    incident_id: Annotated[int, typer.Argument(help="Incident number.")],
    tags: Annotated[str, typer.Argument(help="Comma-separated tags (replaces the old ones).")],
    reason: Reason = None,
    actor: Actor = None,
    data_dir: DataDir = None,
) -> None:
    """Set an incident's tags."""
    _set_field(incident_id, "tags", [t.strip() for t in tags.split(",")], reason, actor, data_dir)


@triage_app.command()
def note(
    incident_id: Annotated[int, typer.Argument(help="Incident number.")],
    text: Annotated[str, typer.Argument(help="The notes (replaces the old ones).")],
    reason: Reason = None,
    actor: Actor = None,
    data_dir: DataDir = None,
) -> None:
    """Set an incident's notes."""
    _set_field(incident_id, "notes", text.strip() or None, reason, actor, data_dir)


@triage_app.command()
def edit(
    incident_id: Annotated[int, typer.Argument(help="Incident number.")],
    types: Annotated[
        str | None, typer.Option("--types", help="Types, comma-separated: killing, torture.")
    ] = None,
    when: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="DATE",
            help="2024-05-12, 2024-05, 2024 or START/END, then day|week|month|year.",
        ),
    ] = None,
    place: Annotated[
        str | None,
        typer.Option("--place", help="A place name (English or Arabic), optionally @ LAT,LON."),
    ] = None,
    killed: Annotated[str | None, typer.Option(help="A number, or `unknown`.")] = None,
    injured: Annotated[str | None, typer.Option(help="A number, or `unknown`.")] = None,
    abducted: Annotated[str | None, typer.Option(help="A number, or `unknown`.")] = None,
    detained: Annotated[str | None, typer.Option(help="A number, or `unknown`.")] = None,
    perpetrators: Annotated[
        str | None, typer.Option(help="Names separated by `;` (empty: none).")
    ] = None,
    victims: Annotated[
        str | None, typer.Option(help="Groups, comma-separated, each GROUP[:COUNT].")
    ] = None,
    clear: Annotated[
        list[str] | None,
        typer.Option(
            "--clear",
            metavar="FIELD",
            help="Give a field back to the machine's value (repeatable).",
        ),
    ] = None,
    reason: Reason = None,
    actor: Actor = None,
    data_dir: DataDir = None,
) -> None:
    """Correct what the machine extracted; the machine's values stay beside yours."""
    from incidents import corrections
    from storage.remote import apply

    given = {
        "types": types,
        "date": when,
        "place": place,
        "killed": killed,
        "injured": injured,
        "abducted": abducted,
        "detained": detained,
        "perpetrators": perpetrators,
        "victims": victims,
    }
    texts = {name: text for name, text in given.items() if text is not None}
    unknown = [name for name in clear or [] if name not in corrections.FIELDS]
    if unknown:
        raise typer.BadParameter(
            f"--clear takes one of {', '.join(corrections.FIELDS)}, not {', '.join(unknown)}"
        )
    if not texts and not clear:
        raise typer.BadParameter("give a field to correct (see --help) or --clear FIELD")
    store, _ = _store(data_dir)
    try:
        changed = apply(
            store,
            corrections.apply_form,
            incident_id,
            texts,
            clear=clear or [],
            pin=True,
            actor=_actor(actor),
            reason=reason,
        )
    except KeyError as exc:
        err.print(f"error: no incident {incident_id}")
        raise typer.Exit(1) from exc
    except ValueError as exc:
        err.print(inert(f"error: {exc}"))
        raise typer.Exit(1) from exc
    finally:
        store.close()
    if changed:
        console.print(f"Incident {incident_id}: corrected {', '.join(changed)}")
    else:
        console.print(f"Incident {incident_id}: nothing changed")


@triage_app.command("cluster")
def cluster_pending(data_dir: DataDir = None) -> None:
    """Cluster every current candidate not yet in an incident."""
    from incidents import cluster
    from storage.remote import apply

    store, _ = _store(data_dir)
    try:
        documents = apply(store, cluster.attach_pending)
    finally:
        store.close()
    console.print(f"Clustered the candidates of {documents} document(s)")


@triage_app.command("rekey")
def rekey(data_dir: DataDir = None) -> None:
    """File every incident under the blocking keys of this version's clustering rules."""
    from incidents import cluster
    from storage.remote import apply

    store, _ = _store(data_dir)
    try:
        incidents = apply(store, cluster.rekey)
    finally:
        store.close()
    console.print(f"Re-filed {incidents} incident(s) under this version's blocking keys")


def _counted(lines: Iterable[bytes], step: Callable[[], None]) -> Iterator[bytes]:
    for line in lines:
        yield line
        step()


def ingest(
    jsonl: Annotated[
        bool,
        typer.Option("--jsonl", help="Read JSON Lines documents on stdin (required)."),
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Store, analyse and cluster articles gathered elsewhere (`marsad extract --jsonl` input)."""
    from marsad.progress import Progress
    from triage.ingest import as_dict, ingest_lines

    if not jsonl:
        raise _fail("give --jsonl and the documents on stdin")
    store, root = _store(data_dir, create=True)
    try:
        with Progress(err) as progress:
            task = progress.task("Ingesting lines")
            report = ingest_lines(store, root, _counted(sys.stdin.buffer, task.advance))
    finally:
        store.close()
    for number, input_id, message in report.errors:
        err.print(inert(f"line {number}{f' (id {input_id})' if input_id else ''}: {message}"))
    sys.stdout.write(json.dumps(as_dict(report), ensure_ascii=False) + "\n")
    # What could be read is stored; the exit code still tells a script that lines were lost.
    if report.errors:
        raise typer.Exit(1)


def export(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="File to write; - for stdout (default: a name with the selection and the UTC "
            "time, here).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="csv, json, geojson, acled, bundle (a zip) or gold (the evaluation's JSON Lines).",
        ),
    ] = "csv",
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
    data_dir: DataDir = None,
    status: Status = None,
    types: Types = None,
    place: Place = None,
    district: District = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    source: Source = None,
    language: Language = None,
    min_confidence: MinConfidence = None,
    search: Search = None,
    actor: Actor = None,
) -> None:
    """Export the selected incidents (default: the open queue; for gold, the reviewed ones)."""
    import io

    from marsad.progress import Progress
    from triage import exports, gold

    if fmt not in exports.FORMATS:
        raise _fail(f"unknown format {fmt!r} (one of {', '.join(exports.FORMATS)})")
    if fmt == "gold" and not status:
        status = list(gold.STATUSES)
    chosen = (
        status,
        types,
        place,
        district,
        date_from,
        date_to,
        source,
        language,
        min_confidence,
        search,
    )
    where = _filter(*chosen)
    if output is None:
        output = Path(exports.file_name(fmt, _selection(*chosen)))
    to_stdout = str(output) == "-"
    target = output.expanduser().resolve()
    if not to_stdout:
        if problem := output_problem(target):
            raise refuse(f"--output: {problem}")
        if target.exists() and not force:
            raise _fail(f"{target} exists; give --force to replace it")
    store, root = _store(data_dir)
    left_out: list[int] = []
    try:
        with Progress(err) as shown:
            if to_stdout:
                # Whole or nothing on stdout too: a failed export must not look like a short one.
                buffer = io.BytesIO()
                count = exports.export(
                    store,
                    root,
                    where,
                    fmt,
                    buffer,
                    actor=_actor(actor),
                    left_out=left_out,
                    progress=shown.task,
                )
                sys.stdout.buffer.write(buffer.getvalue())
                sys.stdout.flush()
            else:
                count = _export_to_file(
                    store, root, where, fmt, target, _actor(actor), left_out, shown.task
                )
    except exports.ExportError as exc:
        err.print(inert(f"error: {exc}"))
        raise typer.Exit(1) from exc
    finally:
        store.close()
    said = f"{count} incident(s) written to {'stdout' if to_stdout else target} ({fmt})"
    if left_out:
        said += f"; {len(left_out)} left out, without a date: {', '.join(map(str, left_out))}"
    (err if to_stdout else console).print(inert(said))


def _export_to_file(
    store: Store,
    root: Path,
    where: IncidentFilter,
    fmt: str,
    target: Path,
    actor: str,
    left_out: list[int],
    progress: Callable[[str, int | None], Step],
) -> int:
    from triage import exports

    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed into place: a failed export leaves no half file.
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".marsad-export-")
    try:
        with os.fdopen(fd, "wb") as out:
            count = exports.export(
                store, root, where, fmt, out, actor=actor, left_out=left_out, progress=progress
            )
        Path(tmp).replace(target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return count


def register(app: typer.Typer) -> None:
    """Add `triage`, `ingest` and `export` to `app`."""
    app.add_typer(triage_app, name="triage")
    app.command("ingest")(ingest)
    app.command("export")(export)
