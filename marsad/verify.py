"""`marsad verify`, `marsad preserve` and `marsad bundle`: evidence a verifier can rely on.

- `verify` recomputes the SHA-256 of every capture and preserved artefact, checks that every
  fetch and document names a capture that exists and that the custody log's chain is intact;
  it exits with 1 when anything is missing or altered.
- `preserve` takes a full-page screenshot and a PDF (Chromium, from the stored capture) and a
  WARC record for each document behind a candidate incident.
- `bundle` writes a folder to hand to a verification team, with a manifest and SHA256SUMS.
Each records in the custody log who did it, when and to which captures.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path  # noqa: TC003 - typer reads annotations at run time
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from marsad.options import AsJson, DataDir, data_dir_problem, refuse
from marsad.terminal import inert

if TYPE_CHECKING:
    from storage import Store

console = Console()
err = Console(stderr=True)


def _store(data_dir: Path | None) -> tuple[Store, Path]:
    """The database (the running server's, or the file's) and the data directory."""
    from marsad import handover
    from storage.paths import data_paths

    paths = data_paths(data_dir)
    return handover.open_store(paths, err), paths.data_dir


def _head(value: str) -> dict[str, Any]:
    number, _, digest = value.partition(":")
    if not number.isdigit() or not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise typer.BadParameter(f"give ID:SHA256 as a digest or a bundle states it, not {value!r}")
    return {"id": int(number), "entry_hash": digest, "anchored_at": f"--head {value}"}


def verify(
    data_dir: DataDir = None,
    as_json: AsJson = False,
    heads: Annotated[
        list[str] | None,
        typer.Option(
            "--head",
            metavar="ID:SHA256",
            help="A custody head kept elsewhere (ID:SHA256, from a digest or a bundle's "
            "manifest) that the log must still hold.",
        ),
    ] = None,
) -> None:
    """Recompute every hash; report missing or altered captures (exit code 1 if any)."""
    from preserve.integrity import verify_store

    outside = [_head(h) for h in heads or []]
    store, root = _store(data_dir)
    try:
        report = verify_store(store, root, outside)
    finally:
        store.close()
    if as_json:
        payload: dict[str, Any] = {
            "ok": report.ok,
            **report.summary(),
            "problem_list": [
                {"what": p.what, "status": p.status, "sha256": p.sha256, "detail": p.detail}
                for p in report.problems
            ],
            "unrecorded_files": report.unrecorded,
            "leftover_files": report.leftovers,
        }
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    else:
        summary = report.summary()
        console.print(
            f"Checked {summary['captures']} captures, {summary['artefacts']} artefacts and "
            f"{summary['custody_entries']} custody entries in [bold]{escape(str(root))}[/]"
        )
        # One line a problem, hashes unbroken, so the output can be searched and pasted.
        for p in report.problems:
            console.print(
                f"[bold red]{p.status.upper()}[/] {p.what} {p.sha256 or ''}: {escape(p.detail)}",
                soft_wrap=True,
            )
        for label, files in (("unrecorded", report.unrecorded), ("leftover", report.leftovers)):
            if files:
                console.print(f"{len(files)} {label} file(s), not counted as problems:")
                for name in files:
                    console.print(f"  {escape(name)}", soft_wrap=True)
        console.print(
            "[bold green]All hashes match.[/]"
            if report.ok
            else f"[bold red]{summary['missing']} missing, {summary['altered']} altered, "
            f"{summary['problems']} problem(s) in all.[/]"
        )
    if not report.ok:
        raise typer.Exit(1)


def preserve(
    documents: Annotated[
        list[int] | None,
        typer.Argument(help="Documents to preserve (default: those behind candidate incidents)."),
    ] = None,
    data_dir: DataDir = None,
    online: Annotated[
        bool,
        typer.Option(
            "--online",
            help="Fetch the pages' images and styles from their sites (they see this address).",
        ),
    ] = False,
) -> None:
    """Screenshot, PDF and WARC of the documents behind candidate incidents.

    Offline by default: the render uses the stored capture alone, so the sites an organisation
    documents never see its address in their logs.
    """
    from marsad import settings
    from marsad.progress import Progress
    from preserve.evidence import preserve_document
    from preserve.render import Renderer

    if online:
        err.print(
            "[bold yellow]warning:[/] --online: images and styles are fetched from the "
            "documented sites, which can log this machine's address",
            soft_wrap=True,
        )
    store, root = _store(data_dir)
    try:
        chosen = documents or [int(r["id"]) for r in store.documents_to_preserve()]
        if not chosen:
            console.print("Nothing to preserve: every candidate's document has its artefacts.")
            return
        table = Table(title="Preserved")
        for column in ("document", "warc", "screenshot", "pdf", "problem"):
            table.add_column(column)
        failed = 0
        with (
            Renderer(settings.PLAYWRIGHT_LAUNCH_OPTIONS, offline=not online) as renderer,
            Progress(err) as progress,
        ):
            task = progress.task("Preserving documents", len(chosen))
            for document_id in chosen:
                result = preserve_document(store, root, renderer, document_id)
                failed += result.error is not None
                table.add_row(
                    str(document_id),
                    *(result.artefacts.get(k, "")[:12] for k in ("warc", "screenshot", "pdf")),
                    inert(result.error),
                )
                task.advance()
        console.print(table)
    finally:
        store.close()
    if failed:
        raise typer.Exit(1)


def bundle(
    documents: Annotated[list[int], typer.Argument(help="Documents to put in the bundle.")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the bundle into.")],
    data_dir: DataDir = None,
) -> None:
    """Write a verification bundle: captures, artefacts, manifest, SHA256SUMS."""
    from marsad.progress import Progress
    from preserve.bundle import BundleError, write_bundle

    if problem := data_dir_problem(out.expanduser().resolve()):
        raise refuse(f"--out: {problem}")
    store, root = _store(data_dir)
    try:
        with Progress(err) as progress:
            task = progress.task("Bundling documents", len(set(documents)))
            folder = write_bundle(store, root, documents, out, progress=task.advance)
    except BundleError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}")
        raise typer.Exit(1) from exc
    finally:
        store.close()
    console.print(f"Bundle written to [bold]{escape(str(folder))}[/]")
    console.print("A verifier checks it with: sha256sum -c SHA256SUMS (inside the folder)")


def register(app: typer.Typer) -> None:
    app.command("verify")(verify)
    app.command("preserve")(preserve)
    app.command("bundle")(bundle)
