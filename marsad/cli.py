"""`marsad`: the command line front of the pipeline."""

from __future__ import annotations

import contextlib
from pathlib import Path  # noqa: TC003 - typer reads annotations at run time
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from marsad import extract, sources_cli
from marsad import overrides as overrides_of
from marsad.options import (
    DataDir,
    ReadableGroup,
    SourcesFile,
)
from spiders.sources import sources_file

app = typer.Typer(
    cls=ReadableGroup,
    no_args_is_help=True,
    add_completion=False,
    help="Marsad: crawl Libyan news and NGO releases, flag incidents with evidence, triage them.",
)
console = Console()
err = Console(stderr=True)
extract.register(app)
sources_cli.register(app)

Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Show the crawler's log.")]


def _version(shown: bool) -> None:
    if shown:
        from storage import __version__

        console.print(f"marsad {__version__}")
        raise typer.Exit


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Print Marsad's version and exit.",
        ),
    ] = False,
) -> None:
    """Marsad: crawl Libyan news and NGO releases, flag incidents with evidence, triage them."""


def _fail(message: str) -> typer.Exit:
    return _fail_with(message, 2)


def _fail_with(message: str, code: int) -> typer.Exit:
    from marsad.handover import fail

    return fail(err, message, code)


def _open_store(data_dir: Path | None, *, create: bool = False) -> Any:
    """The database: the running server's (`marsad serve`) or the file's."""
    from marsad import handover
    from storage.paths import data_paths

    return handover.open_store(data_paths(data_dir), err, create=create)


def _load_sources(path: Path, names: list[str] | None = None, base: str | None = None) -> list[Any]:
    from spiders.sources import SourceError, load_sources

    try:
        sources = load_sources(path, base=base)
    except SourceError as exc:
        raise _fail(str(exc)) from exc
    if names:
        by_name = {s.name: s for s in sources}
        unknown = [n for n in names if n not in by_name]
        if unknown:
            raise _fail(f"unknown source(s): {', '.join(unknown)} (see `marsad sources`)")
        sources = [by_name[n] for n in names]
    return sources


def _crawl(
    sources: list[Any],
    *,
    data_dir: Path | None,
    sources_path: Path,
    base: str | None,
    overrides: dict[str, Any],
    verbose: bool,
) -> None:
    from marsad import crawl, handover
    from marsad.progress import Progress
    from pipeline.stage import DISK_FULL
    from storage.paths import data_paths

    paths = data_paths(data_dir).ensure()
    # A running `marsad serve` holds the database: it is asked to crawl instead.
    handover.hand_over_crawl(paths, [s.name for s in sources], console)
    # Open once before crawling: migrates a new database, and says clearly if it is taken.
    _open_store(data_dir, create=True).close()
    log_file = crawl.log_to_file(paths, verbose=verbose)
    settings = crawl.crawl_settings(
        paths,
        sources_path,
        base=base,
        overrides={"LOG_LEVEL": "INFO", **overrides},
    )
    console.print(f"Crawling {len(sources)} source(s) into [bold]{paths.data_dir}[/]")
    with Progress(err) as progress:
        pages = {s.name: progress.task(f"{s.name}: pages") for s in sources}
        results = crawl.run(
            sources,
            settings,
            on_response=lambda name: pages[name].advance(),
            on_closed=lambda name: pages[name].finish(),
        )
    stopped = [r.source for r in results if r.finish_reason == DISK_FULL]
    if stopped:
        with contextlib.suppress(Exception):  # the summary needs a disk that may still be full
            _print_summary(results, data_dir)
        raise _fail_with(
            f"the crawl of {', '.join(stopped)} stopped: the disk holding {paths.data_dir} "
            "cannot take more. Free some space and run it again: nothing captured is lost, "
            "nothing is fetched twice.",
            1,
        )
    _print_summary(results, data_dir)
    console.print(f"Full log: {log_file}")
    if not any(r.status == "finished" for r in results):
        err.print("[bold red]error:[/] no source could be read (see the log)")
        raise typer.Exit(1)


# Failures listed after a crawl; the rest are in `marsad stats` and the log file.
_FAILURES_SHOWN = 20


def _print_summary(results: list[Any], data_dir: Path | None) -> None:
    from marsad.terminal import inert

    store = _open_store(data_dir)
    try:
        failures = {r.run_id: store.failures(r.run_id) for r in results if r.run_id is not None}
        counts = store.document_counts()
    finally:
        store.close()
    # One line per source: how its run ended and why, or what it brought.
    width = max(len(r.source) for r in results)
    for r in results:
        first = failures.get(r.run_id) or [{}]
        if r.status == "finished":
            line = Text(f"  ok     {r.source:<{width}}  ", style="green")
            line.append(
                f"run {r.run_id}: {r.pages_fetched} pages, {r.documents_new} new documents, "
                f"{r.stats.get('pipeline/candidates', 0)} candidates, {r.failures} failures",
                style="default",
            )
        else:
            line = Text(f"  {r.status:<6} {r.source:<{width}}  ", style="bold red")
            line.append(f"run {r.run_id}: {r.finish_reason}", style="default")
            if r.status == "failed" and first[0].get("reason"):
                line.append(" (")
                line.append_text(inert(f"{first[0]['reason']}: {first[0]['url']}"))
                line.append(")")
        console.print(line, overflow="ignore", crop=False, soft_wrap=True)
    if counts:
        docs = Table(title="Documents stored, by source and language")
        for column in ("source", "language", "documents"):
            docs.add_column(column)
        for row in counts:
            docs.add_row(row["source"], row["language"], str(row["documents"]))
        console.print(docs)
    # The failures of runs that reached their source: those that did not are the lines above.
    shown = [f for r in results if r.status != "failed" for f in failures.get(r.run_id, [])]
    if shown:
        table = Table(title="Failures in these runs")
        for column in ("source", "stage", "reason", "url"):
            table.add_column(column)
        for f in shown[:_FAILURES_SHOWN]:
            table.add_row(*(inert(f[k]) for k in ("source", "stage", "reason", "url")))
        console.print(table)
        if len(shown) > _FAILURES_SHOWN:
            console.print(f"{len(shown) - _FAILURES_SHOWN} more failures: see `marsad stats`")


@app.command()
def crawl(
    names: Annotated[
        list[str] | None, typer.Argument(help="Sources to crawl (default: all).")
    ] = None,
    data_dir: DataDir = None,
    sources: SourcesFile = None,
    verbose: Verbose = False,
    setting: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            "-s",
            metavar="KEY=VALUE",
            help="Override a Scrapy setting for this crawl (repeatable).",
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="Backfill: go back to this date (YYYY-MM-DD) instead of each source's "
            "cut-off, paging past articles already stored.",
        ),
    ] = None,
) -> None:
    """Crawl sources once, now, and store what they publish."""
    path = sources_file(sources)
    chosen = _load_sources(path, names)
    if not chosen:
        raise _fail(f"{path} declares no sources")
    try:
        overrides = overrides_of.parse(setting)
    except overrides_of.OverrideError as exc:
        raise _fail(str(exc)) from exc
    if since is not None:
        from datetime import date

        try:
            overrides["MARSAD_SINCE"] = date.fromisoformat(since).isoformat()
        except ValueError as exc:
            raise _fail(f"--since takes a date as YYYY-MM-DD, not {since!r}") from exc
    _crawl(
        chosen,
        data_dir=data_dir,
        sources_path=path,
        base=None,
        overrides=overrides,
        verbose=verbose,
    )


@app.command()
def demo(
    data_dir: DataDir = None,
    port: Annotated[int, typer.Option(help="Port for the demo site (0: any free port).")] = 8765,
    verbose: Verbose = False,
) -> None:
    """Serve the bundled offline demo site on 127.0.0.1 and crawl it with the real spiders."""
    from demo.server import SOURCES as DEMO_SOURCES
    from demo.server import serve
    from marsad.handover import check_port

    check_port(port, err)
    with contextlib.ExitStack() as stack:
        try:
            base = stack.enter_context(serve(port=port))
        except OSError as exc:
            raise _fail(
                f"cannot serve the demo site on 127.0.0.1:{port}: {exc.strerror or exc} "
                "(is another demo running? --port 0 takes any free port)"
            ) from exc
        console.print(f"Demo site at [bold]{base}[/]")
        chosen = _load_sources(DEMO_SOURCES, base=base)
        # A local site needs no pause between requests; robots.txt is still obeyed.
        overrides = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False}
        _crawl(
            chosen,
            data_dir=data_dir,
            sources_path=DEMO_SOURCES,
            base=base,
            overrides=overrides,
            verbose=verbose,
        )


@app.command()
def stats(data_dir: DataDir = None) -> None:
    """What the database holds: totals, documents per source and language, recent runs."""
    from storage import __version__
    from storage.paths import data_paths

    store = _open_store(data_dir)
    try:
        totals = store.totals()
        counts = store.document_counts()
        runs = store.runs(limit=15)
    finally:
        store.close()
    summary = Table(title=f"Marsad {__version__}: {data_paths(data_dir).database}")
    summary.add_column("what")
    summary.add_column("count", justify="right")
    for key, value in totals.items():
        summary.add_row(key, str(value))
    console.print(summary)
    docs = Table(title="Documents by source and language")
    for column in ("source", "language", "documents"):
        docs.add_column(column)
    for row in counts:
        docs.add_row(row["source"], row["language"], str(row["documents"]))
    console.print(docs)
    recent = Table(title="Recent runs")
    for column in ("run", "source", "started", "status", "pages", "new", "failures"):
        recent.add_column(column)
    for r in runs:
        recent.add_row(
            str(r["id"]),
            r["source"],
            f"{r['started_at']:%Y-%m-%d %H:%M}",
            r["status"],
            str(r["pages_fetched"]),
            str(r["documents_new"]),
            str(r["failures"]),
        )
    console.print(recent)


@app.command()
def reanalyse(data_dir: DataDir = None) -> None:
    """Re-run the current NLP over stored documents it has not analysed yet.

    Nothing is fetched again. Older candidates are superseded, not deleted, and analysts'
    decisions stay: new candidates rejoin the incidents their predecessors supported.
    """
    import nlp
    from incidents import cluster
    from marsad import handover
    from marsad.progress import Progress
    from pipeline.analyse import analysed
    from storage.paths import data_paths

    handover.refuse_when_served(data_paths(data_dir), "reanalyse", err)
    store = _open_store(data_dir)
    try:
        version = nlp.version()
        pending = store.documents_to_analyse(version)
        found = 0
        with Progress(err) as progress:
            task = progress.task("Analysing documents", len(pending))
            for doc in pending:
                result = analysed(doc["text"], doc["language"], doc["published"], doc["final_url"])
                if store.record_analysis(doc["id"], result):
                    found += len(result.incidents)
                    cluster.attach(store, doc["id"])
                task.advance()
    finally:
        store.close()
    console.print(
        f"NLP {version}: {len(pending)} document(s) analysed, {found} candidate incident(s)."
    )


@app.command("search-index")
def search_index(data_dir: DataDir = None) -> None:
    """Index for search the stored documents not indexed yet, and sort out the common words.

    Documents are indexed as they are stored; this catches up a database indexed by nothing yet
    (upgraded from a version without search) and is safe to run any time. `marsad serve` does the
    same in the background as it starts.
    """
    from marsad import handover
    from marsad.progress import Progress
    from storage import search
    from storage.paths import data_paths

    handover.refuse_when_served(data_paths(data_dir), "search-index", err)
    store = _open_store(data_dir)
    try:
        with Progress(err) as progress:
            task = progress.task("Indexing documents", search.pending(store))

            def advanced(done: int, _total: int) -> None:
                task.advance(done - task.done)

            # No requests to let through between chunks: large ones go faster.
            indexed = search.catch_up(store, chunk=50_000, progress=advanced)
    finally:
        store.close()
    console.print(f"{indexed} document(s) indexed for search.")


def main() -> None:
    from marsad import service, triage_cli, users_cli, verify

    verify.register(app)
    triage_cli.register(app)
    users_cli.register(app)
    service.register(app)
    try:
        app()
    except Exception as exc:
        # Whichever command was writing: a full or failing disk is one line, not a traceback.
        from storage.disk import disk_error

        if (problem := disk_error(exc)) is None:
            raise
        err.print(
            f"[bold red]error:[/] the disk holding the data cannot be written ({problem}): "
            "free some space and try again; nothing already kept is lost"
        )
        raise SystemExit(1) from None
