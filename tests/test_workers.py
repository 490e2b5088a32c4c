from __future__ import annotations

import asyncio
import os
from typing import TYPE_CHECKING

from scrapy.utils.test import get_crawler

from pipeline import workers
from pipeline.extract import ExtractStage

if TYPE_CHECKING:
    from pathlib import Path

    import pytest


def stage(tmp_path: Path, count: int | None) -> ExtractStage:
    settings = {"MARSAD_DATA_DIR": str(tmp_path / "data"), "MARSAD_CPU_WORKERS": count}
    built = ExtractStage.from_crawler(get_crawler(settings_dict=settings))
    built.open_spider()
    return built


def test_cpu_work_runs_in_another_process_and_the_pool_is_shared(tmp_path: Path) -> None:
    first, second = stage(tmp_path, 2), stage(tmp_path, 2)
    try:
        assert first._workers is not None and first._workers is second._workers
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
        assert threads._workers is None
        assert asyncio.run(threads.compute(os.getpid)) == os.getpid()
    finally:
        threads.close_spider()


def test_one_worker_per_core_and_none_on_a_single_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert workers.default_count() == 4
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert workers.default_count() == 0
