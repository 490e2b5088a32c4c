"""Store: one document per article, however many times or under however many URLs it is seen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from incidents import cluster
from pipeline.batch import Batch
from pipeline.stage import Stage
from storage import NewDocument, sha256_hex

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from spiders.items import FetchFailed, Page


class StoreStage(Stage):
    stage_name = "store"

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.batch: Batch[Page, bool] = Batch(self.store_pages)

    async def handle(self, page: Page) -> Page:
        # The pages in flight are written together, in a worker thread, so the loop keeps
        # crawling.
        new = await self.batch.submit(page)
        assert self.crawler.stats is not None
        # A page already stored (re-crawl, or the same text under a second URL) has its new
        # capture and fetch recorded, not a second document.
        self.crawler.stats.inc_value("pipeline/stored" if new else "pipeline/duplicate")
        return page

    def store_pages(self, pages: list[Page]) -> list[bool]:
        """Store each page's document and candidates unless already stored, and cluster the
        new candidates, in one transaction; whether each page's document is new."""
        with self.store.transaction():
            stored = self.store.add_documents_once([(document(p), p.analysed) for p in pages])
            for page, (document_id, _) in zip(pages, stored, strict=True):
                page.document_id = document_id
            cluster.attach_new(
                self.store,
                [
                    document_id
                    for page, (document_id, new) in zip(pages, stored, strict=True)
                    if new and page.analysed is not None and page.analysed.incidents
                ],
            )
        return [new for _, new in stored]

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


def document(page: Page) -> NewDocument:
    """What the store keeps of a page that went through every stage."""
    assert page.text is not None and page.sha256 is not None and page.fetch_id is not None
    return NewDocument(
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
    )
