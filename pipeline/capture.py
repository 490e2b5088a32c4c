"""Capture: keep the exact bytes served, content-addressed by SHA-256, before anything can fail."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING

from pipeline.batch import Batch
from pipeline.stage import Stage
from preserve.artefacts import write_warc
from preserve.warc import Fetch
from storage import CaptureFiles, NewFetch, __version__

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from spiders.items import Page
    from storage.custody import NewArtefact


class CaptureStage(Stage):
    stage_name = "capture"

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.files = CaptureFiles(self.paths.captures)
        self.batch: Batch[tuple[NewFetch, NewArtefact], int] = Batch(self.record)

    async def handle(self, page: Page) -> Page:
        fetch, warc = await asyncio.to_thread(self.write_files, page)
        page.sha256 = fetch.sha256
        # The page goes on only once its fetch is committed: a capture is never lost to a
        # later stage's failure or a killed process.
        page.fetch_id = await self.batch.submit((fetch, warc))
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("pipeline/captured")
        return page

    def write_files(self, page: Page) -> tuple[NewFetch, NewArtefact]:
        """The capture file and, so the fetch can be replayed and handed over in the archive
        format, its WARC record; what the store is to list. Runs in a worker thread."""
        digest, path = self.files.put(page.body)
        fetch = NewFetch(
            run_id=page.run_id,
            source=page.source,
            url=page.url,
            final_url=page.final_url,
            redirects=page.redirects,
            status=page.status,
            headers=page.headers,
            fetched_at=page.fetched_at,
            sha256=digest,
            size=len(page.body),
            content_type=next(iter(page.headers.get("Content-Type", [])), None),
            path=str(path.relative_to(self.paths.data_dir)),
            marsad_version=__version__,
        )
        served = Fetch(
            url=page.url,
            final_url=page.final_url,
            redirects=page.redirects,
            status=page.status,
            headers=page.headers,
            fetched_at=page.fetched_at,
            sha256=digest,
            marsad_version=__version__,
        )
        return fetch, write_warc(self.paths.data_dir, None, served, page.body)

    def record(self, captured: list[tuple[NewFetch, NewArtefact]]) -> list[int]:
        """List the fetches and their WARC records, in one transaction; the fetches' ids."""
        with self.store.transaction():
            ids = self.store.record_fetches([fetch for fetch, _ in captured])
            self.store.record_artefacts(
                [replace(warc, fetch_id=i) for (_, warc), i in zip(captured, ids, strict=True)]
            )
        return ids
