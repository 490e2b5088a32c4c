"""Capture: keep the exact bytes served, content-addressed by SHA-256, before anything can fail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from marsad import __version__
from pipeline.stage import Stage
from preserve.artefacts import keep_warc
from preserve.warc import Fetch
from storage import CaptureFiles

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from spiders.items import Page


class CaptureStage(Stage):
    stage_name = "capture"

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.files = CaptureFiles(self.paths.captures)

    def process(self, page: Page) -> Page:
        digest, path = self.files.put(page.body)
        content_type = next(iter(page.headers.get("Content-Type", [])), None)
        page.sha256 = digest
        page.fetch_id = self.store.record_fetch(
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
            content_type=content_type,
            path=str(path.relative_to(self.paths.data_dir)),
            marsad_version=__version__,
        )
        # A WARC record too, so the fetch can be replayed and handed over in the archive format.
        fetch = Fetch(
            url=page.url,
            final_url=page.final_url,
            redirects=page.redirects,
            status=page.status,
            headers=page.headers,
            fetched_at=page.fetched_at,
            sha256=digest,
            marsad_version=__version__,
        )
        keep_warc(self.store, self.paths.data_dir, page.fetch_id, fetch, page.body)
        return page

    def count(self, page: Page) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("pipeline/captured")
