"""Analyse: the incidents an article reports, from the pure `nlp` package.

`analysed()` is also what `marsad reanalyse` runs over stored text, so a crawled page and a
re-analysed one are stored the same way, with the NLP version that produced them.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import nlp
from pipeline.stage import Stage
from spiders.items import Page
from storage import Analysed

if TYPE_CHECKING:
    from datetime import date


def analysed(text: str, language: str | None, published: date | None) -> Analysed:
    analysis = nlp.analyse(text, language or "und", published)
    contract = analysis.to_contract()
    return Analysed(analysis.nlp_version, analysis.language, contract["incidents"])


class AnalyseStage(Stage):
    stage_name = "analyse"

    async def process_item(self, item: object) -> object:
        if not isinstance(item, Page):
            return item
        assert item.text is not None
        # CPU work: off the event loop, so a crawl does not stall the UI sharing the loop.
        item.analysed = await asyncio.to_thread(analysed, item.text, item.language, item.published)
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("pipeline/analysed")
        self.crawler.stats.inc_value("pipeline/candidates", len(item.analysed.incidents))
        return item
