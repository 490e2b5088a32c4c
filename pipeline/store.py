"""Store: one document per article, however many times or under however many URLs it is seen."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from pipeline.stage import Stage
from spiders.items import Page
from storage import NewDocument, sha256_hex
from triage import cluster

if TYPE_CHECKING:
    from spiders.items import FetchFailed


class StoreStage(Stage):
    stage_name = "store"

    async def process_item(self, item: object) -> object:
        if not isinstance(item, Page):
            return await super().process_item(item)
        # Writing and clustering wait on the database: in a thread, so the loop keeps crawling.
        # Stats are counted back on the loop: the stats collector is not thread-safe.
        new = await asyncio.to_thread(self.store_page, item)
        assert self.crawler.stats is not None
        # A page already stored (re-crawl, or the same text under a second URL) has its new
        # capture and fetch recorded, not a second document.
        self.crawler.stats.inc_value("pipeline/stored" if new else "pipeline/duplicate")
        return item

    def store_page(self, page: Page) -> bool:
        """Store the page's document and candidates unless already stored; True if new."""
        assert page.text is not None and page.sha256 is not None and page.fetch_id is not None
        document_id, new = self.store.add_document_once(
            NewDocument(
                url=page.url,
                final_url=page.final_url,
                source=page.source,
                fetch_id=page.fetch_id,
                capture_sha256=page.sha256,
                text_sha256=sha256_hex(page.text.encode("utf-8")),
                title=page.title,
                text=page.text,
                published=page.published,
                author=page.author,
                language=page.language,
                fetched_at=page.fetched_at,
            ),
            page.analysed,
        )
        page.document_id = document_id
        if new and page.analysed is not None and page.analysed.incidents:
            cluster.attach(self.store, document_id)
        return new

    def process_failure(self, failure: FetchFailed) -> FetchFailed:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("pipeline/fetch_failed")
        self.store.record_failure(
            run_id=failure.run_id,
            source=failure.source,
            url=failure.url,
            stage="fetch",
            reason=failure.reason,
        )
        return failure
