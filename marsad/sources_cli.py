"""`marsad sources`: the declared sources, how each is doing, and a live check of each.

marsad sources [--json]          every source: kind, languages, schedule, health, fixtures
marsad sources check [NAME...]   fetch each source's index and a few articles once, now

Health is `ok`, `not run yet`, or what went wrong since when: `unreachable`, `index refused`,
`index unreadable`, `selector matches nothing` or `no articles` (storage/health.py). Fixtures
say whether the source's test pages were recorded from the site, reconstructed from evidence or
assumed (tests/fixtures/<name>/expected.json).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path  # noqa: TC003 - typer reads annotations at run time
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich.console import Console
from rich.table import Table

from marsad.options import AsJson, DataDir, SourcesFile  # noqa: TC001 - typer reads annotations at run time
from spiders.sources import REPO_ROOT, sources_file

if TYPE_CHECKING:
    from scrapy.settings import Settings

    from spiders.sources import Source
    from storage import Store

app = typer.Typer(
    add_completion=False,
    invoke_without_command=True,
    help="The declared sources, their health, and a live check.",
)
console = Console()
err = Console(stderr=True)


def register(parent: typer.Typer) -> None:
    parent.add_typer(app, name="sources")


def _load(path: Path, names: list[str] | None = None) -> list[Source]:
    from spiders.sources import SourceError, load_sources

    try:
        sources = load_sources(path)
    except SourceError as exc:
        err.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    if names:
        unknown = sorted(set(names) - {s.name for s in sources})
        if unknown:
            err.print(f"[bold red]error:[/] unknown source(s): {', '.join(unknown)}")
            raise typer.Exit(2)
        sources = [s for s in sources if s.name in names]
    return sources


def _health(data_dir: Path | None) -> dict[str, dict[str, Any]] | None:
    """Run history per source ({} when there is no database), or None when another process
    holds the database and does not answer for it."""
    from marsad.handover import read_server_info
    from storage import DatabaseLocked, Store
    from storage.paths import data_paths
    from storage.remote import CallError, RemoteStore

    paths = data_paths(data_dir)
    database = paths.database
    if not database.exists():
        return {}
    info = read_server_info(paths)
    try:
        # Beside `marsad serve`, its store answers through its API.
        store = Store(database) if info is None else cast("Store", RemoteStore(info, database))
    except (DatabaseLocked, CallError):
        return None
    try:
        return store.source_health()
    except (CallError, ConnectionError):
        return None
    finally:
        store.close()


def _when(value: Any) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value is not None else ""


def fixture_provenance(name: str) -> dict[str, Any] | None:
    """Where the source's test pages came from, as its fixture folder records it."""
    path = REPO_ROOT / "tests" / "fixtures" / name / "expected.json"
    try:
        provenance = json.loads(path.read_text(encoding="utf-8"))["provenance"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return provenance if isinstance(provenance, dict) else None


def _fixture_words(provenance: dict[str, Any] | None) -> str:
    if provenance is None:
        return "none"
    index, articles = provenance.get("index"), provenance.get("articles")
    words = str(index) if index == articles else f"index {index}, articles {articles}"
    if "recorded" in (index, articles):
        words += f" {provenance.get('date', '?')}"
    return words


@app.callback()
def sources(
    ctx: typer.Context,
    sources: SourcesFile = None,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """List the declared sources with their kind, languages, schedule and health."""
    if ctx.invoked_subcommand is not None:
        return
    chosen = _load(sources_file(sources))
    health = _health(data_dir)
    rows: list[dict[str, Any]] = []
    for s in chosen:
        h = (health or {}).get(s.name, {})
        rows.append(
            {
                "name": s.name,
                "title": s.title,
                "languages": list(s.languages),
                "kind": s.kind,
                "schedule": s.schedule,
                "start_urls": list(s.start_urls),
                "max_age_days": s.max_age_days,
                "last_run": _when(h.get("finished_at")) or None,
                "last_success": _when(h.get("last_success")) or None,
                "empty_runs": int(h.get("empty_runs", 0)),
                "flagged": bool(h.get("flagged", False)),
                "health": h.get("health", "not run yet"),
                "health_since": _when(h.get("health_since")) or None,
                "fixtures": fixture_provenance(s.name),
                "notes": s.notes,
            }
        )
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"Sources ({sources_file(sources).name})")
    columns = ("name", "kind", "languages", "schedule", "last success", "health", "fixtures")
    for column in (*columns, "title"):
        # Names and schedules are what one types next: never wrapped or cut.
        table.add_column(column, no_wrap=column in ("name", "schedule"))
    for row in rows:
        state = row["health"]
        if state not in ("ok", "not run yet"):
            state = f"[bold red]{state}[/] since {row['health_since']}"
        table.add_row(
            row["name"],
            row["kind"],
            ", ".join(row["languages"]),
            row["schedule"],
            row["last_success"] or "",
            state,
            _fixture_words(row["fixtures"]),
            row["title"] or "",
        )
    console.print(table)
    if health is None:
        err.print("Run history unavailable: another Marsad process holds the database.")


@dataclass
class CheckResult:
    source: str
    links_found: int = 0
    articles_fetched: int = 0
    articles_extracted: int = 0
    languages_seen: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    last_success: str | None = None

    @property
    def ok(self) -> bool:
        return self.links_found > 0 and self.articles_extracted > 0


def run_check(chosen: list[Source], settings: Settings, min_chars: int) -> dict[str, CheckResult]:
    """Crawl each source's first index page and a few articles; extract them; store nothing."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from pipeline.extract import extract_article
    from pipeline.language import detect_language
    from pipeline.runs import outcome
    from spiders.base import spider_class
    from spiders.items import FetchFailed, Page

    pages: dict[str, list[Page]] = {s.name: [] for s in chosen}
    failed: dict[str, list[FetchFailed]] = {s.name: [] for s in chosen}

    def collect(item: Any) -> None:
        if isinstance(item, Page):
            pages[item.source].append(item)
        elif isinstance(item, FetchFailed):
            failed[item.source].append(item)

    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    process = CrawlerProcess(settings)
    crawlers = []
    for source in chosen:
        crawler = process.create_crawler(spider_class(source))
        crawler.signals.connect(collect, signal=signals.item_scraped)
        process.crawl(crawler)
        crawlers.append((source, crawler))
    process.start()

    results = {}
    for source, crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        result = CheckResult(source.name, links_found=int(stats.get("spider/article_links", 0)))
        languages: Counter[str] = Counter()
        for page in pages[source.name]:
            result.articles_fetched += 1
            article = extract_article(page.body, page.final_url, page.encoding)
            if len(article.text) >= min_chars:
                result.articles_extracted += 1
                languages[detect_language(article.text, page.languages)] += 1
        result.languages_seen = dict(languages)
        status, why = outcome(str(stats.get("finish_reason", "unknown")), stats)
        result.failures = [] if status == "finished" else [f"run {status}: {why}"]
        result.failures += [f"{f.reason} {f.url}" for f in failed[source.name]]
        if stats.get("log_count/ERROR"):
            result.failures.append(f"{stats['log_count/ERROR']} error(s) in the crawl log")
        results[source.name] = result
    return results


@app.command()
def check(
    names: Annotated[
        list[str] | None, typer.Argument(help="Sources to check (default: all).")
    ] = None,
    sources: SourcesFile = None,
    data_dir: DataDir = None,
    articles: Annotated[
        int, typer.Option(help="Articles to fetch and extract per source.", min=1, max=10)
    ] = 3,
    as_json: AsJson = False,
) -> None:
    """Fetch each live source once, now: links found, articles extracted, language seen.

    Nothing is stored; robots.txt, the user agent and the throttle apply as in a crawl. Exits
    with status 1 when a source gave no links or no article text.
    """
    from marsad.crawl import crawl_settings, log_to_terminal
    from storage.paths import data_paths

    path = sources_file(sources)
    chosen = _load(path, names)
    # Each source's problems are in its row of the table, not in Scrapy's tracebacks.
    log_to_terminal(verbose=False)
    settings = crawl_settings(
        data_paths(data_dir),
        path,
        overrides={
            "MARSAD_CHECK_ARTICLES": articles,
            "ITEM_PIPELINES": {},
            "EXTENSIONS": {"pipeline.runs.RunRecorder": None},
            # A check sees the site as it is now, not as the cache remembers it.
            "HTTPCACHE_ENABLED": False,
            "LOG_LEVEL": "WARNING",
        },
    )
    results = run_check(chosen, settings, settings.getint("MARSAD_MIN_ARTICLE_CHARS"))
    health = _health(data_dir) or {}
    for name, result in results.items():
        result.last_success = _when(health.get(name, {}).get("last_success")) or None
    if as_json:
        rows = [{**asdict(r), "ok": r.ok} for r in results.values()]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        table = Table(title="Live check")
        for column in ("source", "links found", "articles extracted", "language seen"):
            table.add_column(column)
        table.add_column("last success")
        table.add_column("problems")
        for r in results.values():
            table.add_row(
                r.source if r.ok else f"[bold red]{r.source}[/]",
                str(r.links_found),
                f"{r.articles_extracted}/{r.articles_fetched}",
                ", ".join(f"{k} ({v})" for k, v in sorted(r.languages_seen.items())),
                r.last_success or "",
                "; ".join(r.failures[:3]),
            )
        console.print(table)
    if not all(r.ok for r in results.values()):
        raise typer.Exit(1)
