"""What every pipeline stage shares: its settings, the store, the worker processes, and naming
why an item stops.

A stage that cannot handle a page records the reason (a `failures` row and a stats counter
`pipeline/dropped/<reason>`) and drops it; the page's capture was stored first and is kept.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, TypeVar, TypeVarTuple

from scrapy.exceptions import DropItem

from pipeline import workers
from spiders.items import FetchFailed, Page
from storage import acquire, release
from storage.disk import disk_error
from storage.paths import data_paths

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Self

    from scrapy.crawler import Crawler

    from storage import Store

R = TypeVar("R")
Ts = TypeVarTuple("Ts")

logger = logging.getLogger(__name__)

# The close reason of a crawl stopped because its data could not be written, and the stat that
# says it has been asked for.
DISK_FULL = "disk_full"
STOPPING = "marsad/stopping"
# Closing spiders, kept until done (the event loop holds tasks only weakly).
_closing: set[asyncio.Future[None]] = set()


class Stage:
    """Base for Marsad's item pipelines; subclasses implement `handle`."""

    stage_name = "stage"
    # Whether the stage sends work to the worker processes (`compute`).
    computes = False

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.paths = data_paths(crawler.settings.get("MARSAD_DATA_DIR")).ensure()
        workers_set = crawler.settings.get("MARSAD_CPU_WORKERS")
        self.worker_count = workers.default_count() if workers_set is None else int(workers_set)
        self.budget = crawler.settings.getfloat("MARSAD_PAGE_BUDGET") or None
        self._store: Store | None = None
        self._in_workers = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError(f"{type(self).__name__} used before open_spider")
        return self._store

    def open_spider(self) -> None:
        self._store = acquire(self.paths.database)
        if self.computes:
            self._in_workers = workers.acquire(self.worker_count)

    def close_spider(self) -> None:
        if self._store is not None:
            release(self._store)
            self._store = None
        if self._in_workers:
            workers.release()
            self._in_workers = False

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, Page):
            try:
                return await self.handle(item)
            except workers.WorkerDied as exc:
                raise self.drop(item, "worker_died", str(exc)) from exc
            except workers.TooSlow as exc:
                raise self.drop(item, "too_slow", str(exc)) from exc
            except Exception as exc:
                problem = disk_error(exc)
                if problem is None:
                    raise
                self.stop_crawl(problem)
                raise self.drop(item, "disk_full", problem) from exc
        if isinstance(item, FetchFailed):
            return self.process_failure(item)
        return item

    async def handle(self, page: Page) -> Page:
        """The stage's work on one page. Stats are counted here, on the event loop: Scrapy's
        stats collector is not thread-safe."""
        raise NotImplementedError

    async def compute(self, function: Callable[[*Ts], R], *args: *Ts) -> R:
        """`function(*args)`, pure CPU work, in a worker process (a thread when there are
        none), while the event loop keeps downloading and the store keeps writing; TooSlow
        past the page budget (MARSAD_PAGE_BUDGET seconds). A worker process over budget is
        stopped; a thread cannot be, and finishes its work unseen while the page moves on."""
        if not self._in_workers:
            try:
                return await asyncio.wait_for(asyncio.to_thread(function, *args), self.budget)
            except TimeoutError:
                name = getattr(function, "__name__", repr(function))
                raise workers.TooSlow(f"{name} ran past its budget of {self.budget:g} s") from None
        return await workers.run(function, *args, budget=self.budget)

    def process_failure(self, failure: FetchFailed) -> FetchFailed:
        return failure

    def drop(self, page: Page, reason: str, detail: str) -> DropItem:
        """Record why `page` stops here; the caller raises what this returns."""
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"pipeline/dropped/{reason}")
        try:
            self.store.record_failure(
                run_id=page.run_id,
                source=page.source,
                url=page.url,
                stage=self.stage_name,
                reason=f"{reason}: {detail}" if detail else reason,
                sha256=page.sha256,
            )
        except Exception as exc:
            # A full disk may not take the failure row either; the run's count still has it.
            if (problem := disk_error(exc)) is None:
                raise
            self.stop_crawl(problem)
            logger.error("Could not record the failure of %s: %s", page.url, problem)
        logger.info("Dropped %s at %s: %s", page.url, self.stage_name, reason)
        return DropItem(f"{reason}: {page.url}")

    def stop_crawl(self, problem: str) -> None:
        """Close the spider with the reason `disk_full` (its run is recorded as failed): every
        later page would fail to be kept the same way. Once per crawl, whichever stage sees it
        first; the close runs as its own task, since it waits for the items in flight, this
        one included."""
        assert self.crawler.stats is not None
        if self.crawler.stats.get_value(STOPPING) is not None or self.crawler.engine is None:
            return
        self.crawler.stats.set_value(STOPPING, problem)
        logger.error("Stopping the crawl: the disk cannot take more (%s)", problem)
        closing = asyncio.ensure_future(self.crawler.engine.close_spider_async(reason=DISK_FULL))
        _closing.add(closing)
        closing.add_done_callback(_closing.discard)
