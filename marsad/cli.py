"""`marsad`: the command line front of the pipeline."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path  # noqa: TC003 - typer reads annotations at run time
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from marsad import __version__, config, extract, sources_cli
from marsad.options import DataDir, SourcesFile  # noqa: TC001 - typer reads annotations at run time

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Marsad: crawl Libyan news and NGO releases, flag incidents with evidence, triage them.",
)
console = Console()
err = Console(stderr=True)
extract.register(app)
sources_cli.register(app)

Verbose = Annotated[
    bool, typer.Option("--verbose", "-v", metavar="", help="Show the crawler's log.")
]


def _version(shown: bool) -> None:
    if shown:
        console.print(f"marsad {__version__}")
        raise typer.Exit


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            metavar="",
            callback=_version,
            is_eager=True,
            help="Print Marsad's version and exit.",
        ),
    ] = False,
) -> None:
    """Marsad: crawl Libyan news and NGO releases, flag incidents with evidence, triage them."""


def _fail(message: str) -> typer.Exit:
    from marsad.handover import fail

    return fail(err, message)


def _open_store(data_dir: Path | None, *, create: bool = False) -> Any:
    """The database: the running server's (`marsad serve`) or the file's."""
    from marsad import handover

    return handover.open_store(config.paths(data_dir), err, create=create)


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

    paths = config.paths(data_dir).ensure()
    # A running `marsad serve` holds the database: it is asked to crawl instead.
    handover.hand_over_crawl(paths, [s.name for s in sources], console)
    # Open once before crawling: migrates a new database, and says clearly if it is taken.
    _open_store(data_dir, create=True).close()
    handler = logging.StreamHandler()
    handler.setLevel(logging.INFO if verbose else logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.root.addHandler(handler)
    settings = crawl.crawl_settings(
        paths,
        sources_path,
        base=base,
        overrides={"LOG_LEVEL": "INFO" if verbose else "WARNING", **overrides},
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
    _print_summary(results, data_dir)


def _print_summary(results: list[Any], data_dir: Path | None) -> None:
    from marsad.terminal import inert

    runs = Table(title="Runs")
    runs.add_column("source")
    runs.add_column("run")
    runs.add_column("ended")
    for column in ("pages fetched", "new documents", "candidate incidents", "failures"):
        runs.add_column(column, justify="right")
    for r in results:
        runs.add_row(
            r.source,
            str(r.run_id),
            r.finish_reason,
            str(r.pages_fetched),
            str(r.documents_new),
            str(r.stats.get("pipeline/candidates", 0)),
            str(r.failures),
        )
    console.print(runs)
    store = _open_store(data_dir)
    try:
        docs = Table(title="Documents stored, by source and language")
        for column in ("source", "language", "documents"):
            docs.add_column(column)
        for row in store.document_counts():
            docs.add_row(row["source"], row["language"], str(row["documents"]))
        console.print(docs)
        failures = [f for r in results if r.run_id is not None for f in store.failures(r.run_id)]
    finally:
        store.close()
    if failures:
        table = Table(title="Failures in these runs")
        for column in ("source", "stage", "reason", "url"):
            table.add_column(column)
        for f in failures:
            table.add_row(*(inert(f[k]) for k in ("source", "stage", "reason", "url")))
        console.print(table)


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
    path = config.sources_file(sources)
    chosen = _load_sources(path, names)
    if not chosen:
        raise _fail(f"{path} declares no sources")
    if any("=" not in s for s in setting or []):
        raise _fail("--set takes KEY=VALUE")
    # A key given twice takes its last value, as on Scrapy's own command line.
    overrides: dict[str, Any] = dict(s.split("=", 1) for s in setting or [])
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
        chosen = _load_sources(config.DEMO_SOURCES, base=base)
        # A local site needs no pause between requests; robots.txt is still obeyed.
        overrides = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False}
        _crawl(
            chosen,
            data_dir=data_dir,
            sources_path=config.DEMO_SOURCES,
            base=base,
            overrides=overrides,
            verbose=verbose,
        )


@app.command()
def stats(data_dir: DataDir = None) -> None:
    """What the database holds: totals, documents per source and language, recent runs."""
    store = _open_store(data_dir)
    try:
        totals = store.totals()
        counts = store.document_counts()
        runs = store.runs(limit=15)
    finally:
        store.close()
    summary = Table(title=f"Marsad {__version__}: {config.paths(data_dir).database}")
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
    from marsad import handover
    from marsad.progress import Progress
    from pipeline.analyse import analysed
    from triage import cluster

    handover.refuse_when_served(config.paths(data_dir), "reanalyse", err)
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


def main() -> None:
    from marsad import service, triage_cli, verify

    verify.register(app)
    triage_cli.register(app)
    service.register(app)
    app()
