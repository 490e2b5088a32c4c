"""Analyse: the incidents an article reports, from the pure `nlp` package.

`analysed()` is also what `marsad reanalyse` runs over stored text, so a crawled page and a
re-analysed one are stored the same way, with the NLP version that produced them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import nlp
from pipeline.extract import month_in_url
from pipeline.stage import Stage
from storage import Analysed

if TYPE_CHECKING:
    from datetime import date

    from spiders.items import Page


def analysed(
    text: str, language: str | None, published: date | None, url: str | None = None
) -> Analysed:
    """`nlp.analyse` in the stored shape; a page without a publication day is dated by the
    month its URL names, when it names one."""
    month = None if published else month_in_url(url)
    if month is not None:
        analysis = nlp.analyse(text, language or "und", month, published_precision="month")
    else:
        analysis = nlp.analyse(text, language or "und", published)
    return Analysed(analysis.nlp_version, analysis.language, analysis.stored_incidents())


class AnalyseStage(Stage):
    stage_name = "analyse"

    computes = True

    async def handle(self, page: Page) -> Page:
        assert page.text is not None
        page.analysed = await self.compute(
            analysed, page.text, page.language, page.published, page.final_url
        )
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("pipeline/analysed")
        self.crawler.stats.inc_value("pipeline/candidates", len(page.analysed.incidents))
        return page
