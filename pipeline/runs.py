"""Every crawl of a source is a recorded run: when, how it ended, pages, new documents, failures.

An extension rather than a stage, because a run begins before the first item and ends after
the last; it also hands the spider the URLs earlier runs fetched, so they are not fetched again.

A run that ended normally but saw nothing is not `finished` (`outcome`): it `failed` when no
index page could be read (`unreachable`: DNS, refused, timeouts; `index_refused`: the server
answered with an error or robots.txt forbids it; `bad_index`: not a feed or sitemap), and is
`empty` when its index was read but gave no article link (`selector_matches_nothing`,
`no_matching_links`: links, none matching the pattern; `no_links`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals

from spiders.base import SourceSpider
from storage import acquire, release
from storage.disk import Reserve, disk_error
from storage.health import BLIND, SILENT_RUNS
from storage.paths import data_paths

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler

    from storage import Store

logger = logging.getLogger(__name__)

# Marks the log record of a run's end, which `marsad crawl` prints as its own summary line.
RUN_END = "marsad_run_end"
# Scrapy's close reasons, as the run log words them.
_STATUS = {"finished": "finished", "shutdown": "interrupted", "cancelled": "interrupted"}


def outcome(reason: str, stats: dict[str, Any]) -> tuple[str, str]:
    """A run's status and finish reason, from Scrapy's close reason and the spider's stats."""
    if reason != "finished":
        return _STATUS.get(reason, "failed"), reason

    def n(key: str) -> int:
        return int(stats.get(key, 0) or 0)

    if n("spider/index_read") == 0:
        if n("spider/index_unreachable"):
            return "failed", "unreachable"
        if n("spider/selector_empty"):
            # A rendered index whose `wait_for` selector never appeared.
            return "empty", "selector_matches_nothing"
        if n("spider/index_failed"):
            return "failed", "index_refused"
        return "failed", "bad_index" if n("spider/bad_index") else "unreachable"
    if n("spider/article_links") or n("spider/sitemaps_too_old"):
        return "finished", reason
    if n("spider/bad_index") >= n("spider/index_read"):
        return "failed", "bad_index"
    if n("spider/selector_empty"):
        return "empty", "selector_matches_nothing"
    if n("spider/index_links"):
        return "empty", "no_matching_links"
    return "empty", "no_links"


def run_figures(stats: dict[str, Any]) -> tuple[int, int, int]:
    """Pages fetched, new documents and failures, from a crawl's stats."""
    pages = int(stats.get("pipeline/captured", 0))
    new = int(stats.get("pipeline/stored", 0))
    failures = int(stats.get("pipeline/fetch_failed", 0)) + sum(
        int(v) for k, v in stats.items() if k.startswith("pipeline/dropped/")
    )
    return pages, new, failures


class RunRecorder:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.paths = data_paths(crawler.settings.get("MARSAD_DATA_DIR")).ensure()
        self.store: Store | None = None
        self.run_id: int | None = None
        self.reserve: Reserve | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        if not isinstance(spider, SourceSpider):
            return
        self.store = acquire(self.paths.database)
        source = spider.source
        self.store.upsert_source(
            source.name,
            title=source.title,
            kind=source.kind,
            languages=source.languages,
            start_urls=source.start_urls,
            schedule=source.schedule,
        )
        self.run_id = self.store.start_run(source.name)
        self.reserve = Reserve(self.paths.data_dir, f"run-{self.run_id}")
        self.reserve.hold()
        spider.run_id = self.run_id
        spider.known = self.store.known_urls()
        spider.failed_before = self.store.failed_fetches(source.name)
        logger.info("Run %d of source %s started", self.run_id, source.name)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.store is None or self.run_id is None:
            return
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        pages, new, failures = run_figures(stats)
        status, why = outcome(reason, stats)
        if self.reserve is not None:
            # Given back before the last write: on a full disk it is the room that write needs.
            self.reserve.give_back()
            self.reserve = None
        try:
            self.store.finish_run(
                self.run_id,
                status=status,
                finish_reason=why,
                pages_fetched=pages,
                documents_new=new,
                failures=failures,
                stats=stats,
            )
        except Exception as exc:
            # A full disk may refuse even this; the next start records the unfinished run as
            # failed ("abandoned"), as after a crash.
            if (problem := disk_error(exc)) is None:
                raise
            logger.error("Run %d: could not record its end: %s", self.run_id, problem)
        # A blind run is a warning for the service's log; `marsad crawl` says it in its summary
        # line instead (RUN_END keeps it off the terminal there).
        log = logger.warning if why in BLIND else logger.info
        log(
            "Run %d of %s ended %s (%s): %d pages, %d new documents, %d failures",
            self.run_id,
            spider.name,
            status,
            why,
            pages,
            new,
            failures,
            extra={RUN_END: True},
        )
        if (streak := self.store.empty_run_streak(spider.name)) >= SILENT_RUNS:
            logger.warning("Source %s: no articles in %d runs in a row", spider.name, streak)
        release(self.store)
        self.store = None
