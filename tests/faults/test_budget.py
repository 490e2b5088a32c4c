"""Each page has a time budget in the worker pool (issue 15, item 2): a page whose extraction or
NLP runs past it is recorded as `too_slow`, its capture kept, and the pages beside it go on.
The size budget (`too_long`) is checked in the fault crawl (test_faults.py) and in `marsad
extract --jsonl` (test_bad_lines.py)."""

from __future__ import annotations

import asyncio
import os
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from pipeline import workers
from pipeline.extract import ExtractStage
from spiders.items import Page

if TYPE_CHECKING:
    from pathlib import Path

# Far longer than any budget below: a call that is not stopped shows as a timed-out test.
STUCK = 120.0
# ...except in a thread, which cannot be stopped and which a closing test loop waits for.
IN_THREAD = 8.0


class Stuck(ExtractStage):
    """Extraction that runs far past the budget on the page named `stuck`, as a runaway page
    would. A thread cannot be stopped, and a test's event loop waits for its threads when it
    closes: in threads it is stuck for a shorter while."""

    async def handle(self, page: Page) -> Page:
        if page.url.endswith("/stuck"):
            await self.compute(time.sleep, STUCK if self._in_workers else IN_THREAD)
        else:
            await self.compute(os.getpid)
        return page


def page(url: str) -> Page:
    return Page(
        source="s",
        url=url,
        final_url=url,
        status=200,
        headers={},
        body=b"<html></html>",
        encoding="utf-8",
        fetched_at=datetime(2026, 12, 1, tzinfo=UTC),
        languages=("en",),
        sha256="ab" * 32,
    )


@pytest.mark.parametrize("count", [2, 0], ids=["processes", "threads"])
def test_a_page_over_its_budget_fails_alone_and_quickly(tmp_path: Path, count: int) -> None:
    crawler = get_crawler(
        settings_dict={
            "MARSAD_DATA_DIR": str(tmp_path / "data"),
            "MARSAD_CPU_WORKERS": count,
            "MARSAD_PAGE_BUDGET": 1.0,
        }
    )
    stage = Stuck.from_crawler(crawler)
    stage.open_spider()

    async def crawl() -> tuple[list[object], float]:
        pages = [page("http://site/stuck"), *(page(f"http://site/ok/{n}") for n in range(6))]
        started = time.monotonic()
        results = await asyncio.gather(
            *(stage.process_item(p) for p in pages), return_exceptions=True
        )
        return results, time.monotonic() - started

    try:
        results, took = asyncio.run(crawl())
        assert isinstance(results[0], DropItem)
        assert all(isinstance(r, Page) for r in results[1:]), results
        # Well before the stuck call would have ended (a fresh pool takes seconds to start).
        assert took < (STUCK / 2 if count else IN_THREAD - 2)
        (failure,) = stage.store.failures()
        assert failure["url"] == "http://site/stuck"
        assert failure["reason"].startswith("too_slow: ")
        assert failure["sha256"] == "ab" * 32
        # The pool still works afterwards.
        assert asyncio.run(stage.process_item(page("http://site/ok/again"))) is not None
    finally:
        stage.close_spider()


def test_queued_time_does_not_count_against_the_budget(tmp_path: Path) -> None:
    """Ten calls of 0.5 s on two workers take 2.5 s in all, the last ones queued for 2 s: none
    is over a budget of 1.5 s."""
    assert workers.acquire(2)

    async def many() -> list[None]:
        # Both workers started first: a worker's start counts against the call that starts it.
        await asyncio.gather(*(workers.run(time.sleep, 0.5) for _ in range(2)))
        return await asyncio.gather(*(workers.run(time.sleep, 0.5, budget=1.5) for _ in range(10)))

    try:
        assert asyncio.run(many()) == [None] * 10
    finally:
        workers.release()


def test_stopping_a_slow_call_does_not_use_up_its_neighbours_attempts() -> None:
    assert workers.acquire(2)

    async def together() -> tuple[BaseException | None, list[int]]:
        slow = asyncio.ensure_future(workers.run(time.sleep, STUCK, budget=0.5))
        # Each neighbour may be caught in several stopped pools in a row.
        fast = [workers.run(time.sleep, 0.3, budget=30.0) for _ in range(workers.ATTEMPTS + 2)]
        done = await asyncio.gather(*fast)
        try:
            await slow
        except workers.TooSlow as exc:
            return exc, [0 if d is None else 1 for d in done]
        return None, []

    try:
        error, done = asyncio.run(together())
        assert isinstance(error, workers.TooSlow)
        assert done == [0] * (workers.ATTEMPTS + 2)
    finally:
        workers.release()
