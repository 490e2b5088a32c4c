"""What every pipeline stage shares: its settings, the store, and naming why an item stops.

A stage that cannot handle a page records the reason (a `failures` row and a stats counter
`pipeline/dropped/<reason>`) and drops it; the page's capture was stored first and is kept.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem

from marsad import config
from spiders.items import FetchFailed, Page
from storage import acquire, release

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from storage import Store

logger = logging.getLogger(__name__)


class Stage:
    """Base for Marsad's item pipelines; subclasses implement `process`."""

    stage_name = "stage"

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.paths = config.paths(crawler.settings.get("MARSAD_DATA_DIR")).ensure()
        self._store: Store | None = None

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

    def close_spider(self) -> None:
        if self._store is not None:
            release(self._store)
            self._store = None

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, Page):
            # Disk, database and CPU work leave the event loop, which keeps downloading
            # meanwhile; the counting stays on the loop (Scrapy's stats are not thread-safe).
            page = await asyncio.to_thread(self.process, item)
            self.count(page)
            return page
        if isinstance(item, FetchFailed):
            return self.process_failure(item)
        return item

    def process(self, page: Page) -> Page:
        """The stage's work on one page; runs in a worker thread."""
        raise NotImplementedError

    def count(self, page: Page) -> None:
        """Record in the crawl's stats what `process` did to `page`."""

    def process_failure(self, failure: FetchFailed) -> FetchFailed:
        return failure

    def drop(self, page: Page, reason: str, detail: str) -> DropItem:
        """Record why `page` stops here; the caller raises what this returns."""
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"pipeline/dropped/{reason}")
        self.store.record_failure(
            run_id=page.run_id,
            source=page.source,
            url=page.url,
            stage=self.stage_name,
            reason=f"{reason}: {detail}" if detail else reason,
            sha256=page.sha256,
        )
        logger.info("Dropped %s at %s: %s", page.url, self.stage_name, reason)
        return DropItem(f"{reason}: {page.url}")
