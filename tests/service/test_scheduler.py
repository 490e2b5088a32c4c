"""The scheduling rules, with a crawl that only records what it was asked to do."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from scheduler import (
    CrawlScheduler,
    ScheduleError,
    catch_up_reason,
    cron_trigger,
    cron_weekdays,
    next_fire,
    previous_fire,
)
from spiders.sources import Source

if TYPE_CHECKING:
    from collections.abc import Coroutine

NOON = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)  # a Wednesday


def source(name: str, schedule: str = "0 */6 * * *") -> Source:
    return Source(
        name=name,
        kind="feed",
        languages=("en",),
        start_urls=(f"http://127.0.0.1:9/{name}.xml",),
        schedule=schedule,
    )


class Recorder:
    """A crawl that takes `seconds` and remembers who ran, why, and how many ran at once."""

    def __init__(self, seconds: float = 0.05) -> None:
        self.seconds = seconds
        self.calls: list[tuple[str, str]] = []
        self.active = 0
        self.most_at_once = 0

    async def __call__(self, src: Source, trigger: str, planned_for: datetime | None) -> None:
        self.calls.append((src.name, trigger))
        self.active += 1
        self.most_at_once = max(self.most_at_once, self.active)
        try:
            await asyncio.sleep(self.seconds)
        finally:
            self.active -= 1


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    return asyncio.run(coro)


# -- cron --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("*", "*"),
        ("0", "sun"),
        ("7", "sun"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("5-7", "fri,sat,sun"),
        ("*/2", "sun,tue,thu,sat"),
        ("1,3", "mon,wed"),
        ("mon-wed", "mon,tue,wed"),
        ("SAT", "sat"),
    ],
)
def test_weekdays_are_read_as_cron_reads_them(field: str, expected: str) -> None:
    assert cron_weekdays(field) == expected


def test_a_weekday_schedule_fires_on_that_weekday() -> None:
    # "1" is Monday in cron; APScheduler 3 alone would read it as Tuesday.
    trigger = cron_trigger("30 6 * * 1", timezone=UTC)
    fire = next_fire(trigger, NOON)
    assert fire == datetime(2026, 11, 23, 6, 30, tzinfo=UTC)
    assert fire.strftime("%A") == "Monday"


def test_six_fields_put_seconds_first() -> None:
    trigger = cron_trigger("*/10 * * * * *", timezone=UTC)
    assert next_fire(trigger, NOON) == NOON + timedelta(seconds=10)


@pytest.mark.parametrize("bad", ["", "every day", "61 * * * *", "0 0 * * 5-1", "* * * * * * *"])
def test_bad_schedules_are_refused(bad: str) -> None:
    with pytest.raises(ScheduleError):
        cron_trigger(bad, timezone=UTC)


def test_a_bad_schedule_names_its_source() -> None:
    with pytest.raises(ScheduleError, match="source broken"):
        CrawlScheduler([source("broken", "0 25 * * *")], Recorder())


@pytest.mark.parametrize(
    ("schedule", "now", "expected"),
    [
        ("0 */6 * * *", NOON, NOON),
        ("0 */6 * * *", NOON + timedelta(minutes=5), NOON),
        ("0 */6 * * *", NOON - timedelta(seconds=1), NOON - timedelta(hours=6)),
        ("30 5 * * *", NOON, datetime(2026, 11, 18, 5, 30, tzinfo=UTC)),
        ("0 0 1 1 *", NOON, datetime(2026, 1, 1, tzinfo=UTC)),
        ("0 8 * * 0", NOON, datetime(2026, 11, 15, 8, 0, tzinfo=UTC)),
    ],
)
def test_previous_fire(schedule: str, now: datetime, expected: datetime) -> None:
    assert previous_fire(cron_trigger(schedule, timezone=UTC), now) == expected


# -- catch-up ----------------------------------------------------------------------------------


def test_catch_up_reasons() -> None:
    due = NOON
    assert catch_up_reason(None, due) == "never run"
    on_time = {"id": 1, "status": "finished", "started_at": due + timedelta(seconds=40)}
    assert catch_up_reason(on_time, due) is None
    missed = {"id": 1, "status": "finished", "started_at": due - timedelta(days=3)}
    assert (reason := catch_up_reason(missed, due)) is not None
    assert reason.startswith("missed")
    stopped = {"id": 7, "status": "interrupted", "started_at": due + timedelta(seconds=1)}
    assert catch_up_reason(stopped, due) == "resume (interrupted run 7)"
    crashed = {
        "id": 8,
        "status": "failed",
        "finish_reason": "abandoned",
        "started_at": due + timedelta(seconds=1),
    }
    assert catch_up_reason(crashed, due) == "resume (failed run 8)"


def test_one_catch_up_run_per_missed_source_however_many_fires_were_missed() -> None:
    crawl = Recorder()
    sources = [source("missed-week"), source("on-time"), source("never-ran"), source("stopped")]
    last_runs = {
        # 28 fires of "every 6 hours" missed: still one run.
        "missed-week": {"id": 1, "status": "finished", "started_at": NOON - timedelta(days=7)},
        "on-time": {"id": 2, "status": "finished", "started_at": NOON + timedelta(minutes=1)},
        "stopped": {"id": 3, "status": "interrupted", "started_at": NOON + timedelta(minutes=2)},
    }

    async def main() -> dict[str, str]:
        scheduler = CrawlScheduler(sources, crawl, jitter=0)
        caught = scheduler.start(last_runs, now=NOON + timedelta(minutes=10))
        await scheduler.wait()
        scheduler.stop_scheduling()
        return caught

    caught = run(main())
    assert set(caught) == {"missed-week", "never-ran", "stopped"}
    assert sorted(crawl.calls) == [
        ("missed-week", "catch-up"),
        ("never-ran", "catch-up"),
        ("stopped", "catch-up"),
    ]


def test_catch_up_runs_wait_their_turn() -> None:
    crawl = Recorder(seconds=0.1)
    sources = [source(f"site-{i}") for i in range(5)]

    async def main() -> None:
        scheduler = CrawlScheduler(sources, crawl, jitter=0, max_concurrent=2)
        scheduler.start({}, now=NOON)
        await asyncio.sleep(0.02)
        assert len(scheduler.crawling()) == 2
        assert len(scheduler.waiting()) == 3
        await scheduler.wait()
        scheduler.stop_scheduling()

    run(main())
    assert len(crawl.calls) == 5
    assert crawl.most_at_once == 2


def test_never_two_runs_of_one_source_at_once() -> None:
    crawl = Recorder(seconds=0.2)

    async def main() -> None:
        scheduler = CrawlScheduler([source("busy"), source("idle")], crawl, jitter=0)
        scheduler.start({}, schedule=False)
        first = scheduler.run_now(["busy"])
        await asyncio.sleep(0.01)
        again = scheduler.run_now(["busy", "idle", "nowhere"])
        assert (first.started, first.running) == (["busy"], [])
        assert (again.started, again.running, again.unknown) == (["idle"], ["busy"], ["nowhere"])
        await scheduler.wait()
        # Once the run has ended the source can run again.
        assert scheduler.run_now(["busy"]).started == ["busy"]
        await scheduler.wait()
        scheduler.stop_scheduling()

    run(main())
    assert crawl.calls == [("busy", "manual"), ("idle", "manual"), ("busy", "manual")]
    assert crawl.most_at_once == 2


def test_scheduled_runs_fire_on_the_schedule() -> None:
    crawl = Recorder(seconds=0.01)
    fresh = {"tick": {"id": 1, "status": "finished", "started_at": datetime.now(UTC)}}

    async def main() -> None:
        scheduler = CrawlScheduler([source("tick", "* * * * * *")], crawl, jitter=0)
        scheduler.start(fresh)
        await asyncio.sleep(2.6)
        scheduler.stop_scheduling()
        await scheduler.wait()

    run(main())
    assert 2 <= len(crawl.calls) <= 3
    assert {trigger for _, trigger in crawl.calls} == {"scheduled"}


def test_a_failing_crawl_does_not_stop_the_others() -> None:
    done: list[str] = []

    async def crawl(src: Source, trigger: str, planned_for: datetime | None) -> None:
        if src.name == "broken":
            raise RuntimeError("the site answered nonsense")
        done.append(src.name)

    async def main() -> None:
        scheduler = CrawlScheduler([source("broken"), source("fine")], crawl, jitter=0)
        scheduler.start({}, now=NOON)
        await scheduler.wait()
        assert scheduler.crawling() == []
        assert scheduler.run_now(["broken"]).started == ["broken"]
        await scheduler.wait()
        scheduler.stop_scheduling()

    run(main())
    assert done == ["fine"]


def test_after_stop_nothing_new_starts() -> None:
    crawl = Recorder()

    async def main() -> None:
        scheduler = CrawlScheduler([source("a")], crawl, jitter=0)
        scheduler.start({"a": {"id": 1, "status": "finished", "started_at": NOON}}, now=NOON)
        scheduler.stop_scheduling()
        assert scheduler.run_now(["a"]).started == []
        await scheduler.wait()

    run(main())
    assert crawl.calls == []


def test_jitter_is_at_most_a_tenth_of_the_interval() -> None:
    sources = [source("slow", "0 */6 * * *"), source("fast", "*/20 * * * * *")]
    scheduler = CrawlScheduler(sources, Recorder(), jitter=300)
    assert scheduler.jitter_for("slow", NOON) == 300
    assert scheduler.jitter_for("fast", NOON) == 2


def test_next_runs_follow_the_schedule() -> None:
    async def main() -> dict[str, datetime | None]:
        fresh = {"a": {"id": 1, "status": "finished", "started_at": datetime.now(UTC)}}
        scheduler = CrawlScheduler([source("a", "0 3 * * *")], Recorder(), jitter=0)
        scheduler.start(fresh)
        runs = scheduler.next_runs()
        scheduler.stop_scheduling()
        return runs

    runs = run(main())
    expected = next_fire(cron_trigger("0 3 * * *", timezone=UTC), datetime.now(UTC))
    assert runs["a"] == expected
