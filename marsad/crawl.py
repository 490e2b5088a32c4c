"""Running crawls from Python: the settings for a data directory, and one run over some sources."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from pipeline.runs import RUN_END, outcome, run_figures
from spiders.base import spider_class

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from spiders.sources import Source
    from storage.paths import Paths


@dataclass(frozen=True, slots=True)
class RunResult:
    source: str
    run_id: int | None
    # As recorded: `finished`, `empty`, `failed` or `interrupted`, and why.
    status: str
    finish_reason: str
    pages_fetched: int
    documents_new: int
    failures: int
    stats: dict[str, Any]


# Loggers whose warnings and errors are about the crawl as a whole; the rest (Scrapy's per-request
# errors with their tracebacks, the spiders' per-page warnings) are summed up per source at the
# end of a crawl and kept in full in the log file.
_TERMINAL_LOGGERS = ("marsad", "pipeline.runs")
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _TerminalFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.CRITICAL:
            return True
        if getattr(record, RUN_END, False):
            return False
        return record.name.startswith(_TERMINAL_LOGGERS)


def log_to_terminal(*, verbose: bool) -> None:
    """The crawl's own warnings on stderr (everything at INFO and up with `verbose`)."""
    terminal = logging.StreamHandler()
    terminal.setLevel(logging.INFO if verbose else logging.WARNING)
    if not verbose:
        terminal.addFilter(_TerminalFilter())
    terminal.setFormatter(logging.Formatter(_FORMAT))
    logging.root.addHandler(terminal)


class _LogFile(logging.FileHandler):
    """The crawl's log file, which falls silent when its disk is full: the crawl then stops and
    says so in one line, and a traceback on the terminal for every later log record would bury
    that line."""

    def handleError(self, record: logging.LogRecord) -> None:
        from storage.disk import disk_error

        failure = sys.exc_info()[1]
        if failure is not None and disk_error(failure) is not None:
            self.setLevel(logging.CRITICAL + 1)
            return
        super().handleError(record)


def log_to_file(paths: Paths, *, verbose: bool) -> Path:
    """Send the crawl's whole log to a new file under the data directory, and its own warnings
    to the terminal (`log_to_terminal`). The file's path is returned."""
    folder = paths.data_dir / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"crawl-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}.log"
    file_handler = _LogFile(path, encoding="utf-8")
    file_handler.setLevel(logging.INFO)
    file_handler.setFormatter(logging.Formatter(_FORMAT))
    logging.root.addHandler(file_handler)
    log_to_terminal(verbose=verbose)
    return path


def crawl_settings(
    paths: Paths,
    sources_path: Path,
    *,
    base: str | None = None,
    overrides: dict[str, Any] | None = None,
) -> Settings:
    settings = Settings()
    settings.setmodule("marsad.settings", priority="project")
    settings.set("MARSAD_DATA_DIR", str(paths.data_dir), priority="project")
    settings.set("MARSAD_SOURCES", str(sources_path), priority="project")
    if base is not None:
        settings.set("MARSAD_SOURCES_BASE", base, priority="project")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def run(
    sources: list[Source],
    settings: Settings,
    *,
    on_response: Callable[[str], None] | None = None,
    on_closed: Callable[[str], None] | None = None,
) -> list[RunResult]:
    """Crawl `sources` together (each its own spider and run record) until all are done;
    `on_response(source name)` hears of every response and `on_closed(source name)` of each
    source's end, for progress.

    Twisted's reactor starts once per process, so this is for one-shot commands; the long-running
    service schedules crawls on its own loop instead.
    """
    # The caller's logging handler decides where lines go and which (Scrapy sets its own loggers
    # to DEBUG and leaves the filtering to the handler).
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    process = CrawlerProcess(settings)
    crawlers = []
    # Scrapy holds signal receivers weakly: these live as long as the crawl.
    receivers = []
    for source in sources:
        crawler = process.create_crawler(spider_class(source))
        for signal, hook in (
            (signals.response_received, on_response),
            (signals.spider_closed, on_closed),
        ):
            if hook is not None:

                def heard(
                    *_: Any, name: str = source.name, hook: Callable[[str], None] = hook, **__: Any
                ) -> None:
                    hook(name)

                crawler.signals.connect(heard, signal=signal)
                receivers.append(heard)
        process.crawl(crawler)
        crawlers.append((source, crawler))
    process.start()
    results = []
    for source, crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        pages, new, failures = run_figures(stats)
        status, reason = outcome(str(stats.get("finish_reason", "unknown")), stats)
        results.append(
            RunResult(
                source=source.name,
                run_id=getattr(crawler.spider, "run_id", None),
                status=status,
                finish_reason=reason,
                pages_fetched=pages,
                documents_new=new,
                failures=failures,
                stats=stats,
            )
        )
    return results
