from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from pipeline import workers
from pipeline.extract import ExtractStage
from spiders.items import Page


def stage(tmp_path: Path, count: int | None) -> ExtractStage:
    settings = {"MARSAD_DATA_DIR": str(tmp_path / "data"), "MARSAD_CPU_WORKERS": count}
    built = ExtractStage.from_crawler(get_crawler(settings_dict=settings))
    built.open_spider()
    return built


def test_cpu_work_runs_in_another_process_and_the_pool_is_shared(tmp_path: Path) -> None:
    first, second = stage(tmp_path, 2), stage(tmp_path, 2)
    try:
        assert workers._shared is not None and workers._shared[2] == 2  # one pool, two users
        assert asyncio.run(first.compute(os.getpid)) != os.getpid()
    finally:
        first.close_spider()
    # Still open for the stage that holds it.
    assert asyncio.run(second.compute(os.getpid)) != os.getpid()
    second.close_spider()
    assert workers._shared is None


def test_no_workers_keeps_the_work_in_this_process(tmp_path: Path) -> None:
    threads = stage(tmp_path, 0)
    try:
        assert workers._shared is None
        assert asyncio.run(threads.compute(os.getpid)) == os.getpid()
    finally:
        threads.close_spider()


def test_a_worker_that_dies_is_replaced_and_the_page_dropped_with_the_reason(
    tmp_path: Path,
) -> None:
    class Crashing(ExtractStage):
        async def handle(self, page: Page) -> Page:
            await self.compute(os.abort)  # as a crash in a C extension would
            return page

    crawler = get_crawler(
        settings_dict={"MARSAD_DATA_DIR": str(tmp_path / "data"), "MARSAD_CPU_WORKERS": 2}
    )
    crashing, healthy = Crashing.from_crawler(crawler), ExtractStage.from_crawler(crawler)
    crashing.open_spider()
    healthy.open_spider()
    try:
        page = Page(
            source="s",
            url="http://site/crash.html",
            final_url="http://site/crash.html",
            status=200,
            headers={},
            body=b"<html></html>",
            encoding="utf-8",
            fetched_at=datetime(2026, 12, 1, tzinfo=UTC),
            languages=("en",),
        )
        with pytest.raises(DropItem):
            asyncio.run(crashing.process_item(page))
        (failure,) = crashing.store.failures()
        assert failure["url"] == page.url and failure["reason"].startswith("worker_died")
        # The pool was started again: the other stages' work goes on.
        assert asyncio.run(healthy.compute(os.getpid)) != os.getpid()
    finally:
        crashing.close_spider()
        healthy.close_spider()
    assert workers._shared is None


def test_one_worker_per_core_and_none_on_a_single_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert workers.default_count() == 4
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert workers.default_count() == 0


def _family(pid: int) -> set[int]:
    """`pid`'s descendants: its fork server and the workers."""
    found: set[int] = set()
    queue = [pid]
    while queue:
        current = queue.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found.update(children)
            queue += children
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except OSError:
        return False


def test_workers_leave_when_the_crawl_is_killed_outright(tmp_path: Path) -> None:
    script = tmp_path / "crawl.py"
    script.write_text(
        textwrap.dedent("""
            import asyncio, time
            from pipeline import workers

            async def main():
                await asyncio.gather(*(workers.run(time.sleep, 0.5) for _ in range(2)))

            if __name__ == "__main__":
                workers.acquire(2)
                asyncio.run(main())
                print("ready", flush=True)
                time.sleep(60)
        """)
    )
    crawl = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=Path.cwd()
    )
    try:
        assert crawl.stdout is not None and crawl.stdout.readline().strip() == "ready"
        family = _family(crawl.pid)
        assert len(family) >= 3  # the fork server and two workers
    finally:
        crawl.kill()
        crawl.wait()
        if crawl.stdout is not None:
            crawl.stdout.close()
    deadline = time.monotonic() + 20
    while any(_alive(p) for p in family) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in family if _alive(p)]
