"""Crawl scheduling for `marsad serve`: every source on its own cron schedule, on one event loop.

Each source's `schedule` in the registry is a cron expression (minute hour day month weekday,
read as cron reads it: 0 and 7 are Sunday; a sixth, leading field gives seconds, for tests and
demonstrations). Scheduled runs start up to `jitter` seconds late (at most a tenth of the
schedule's interval), so sources sharing a schedule do not all start on the same second.

Rules the service relies on:

- never two runs of one source at once: a run asked for (by the schedule, a catch-up or a
  person) while the source's last run is still going is skipped, and said so in the log;
- after downtime, one catch-up run per source that missed a scheduled run (its last recorded
  run started before the schedule's latest fire time), never one per missed fire; a source
  whose last run was interrupted (a stop) or abandoned (a crash) is resumed the same way;
- at most `max_concurrent` crawls at a time; the others wait their turn;
- runs are tasks of this scheduler, not of APScheduler, so that stopping the service can let
  each crawl close itself (and record its run as interrupted) instead of cancelling it.

The crawl itself is a coroutine given by the caller (`marsad.service` runs Scrapy there), so the
rules above are tested without a network.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

# APScheduler 3 ships no type information.
from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from apscheduler.triggers.cron import CronTrigger  # type: ignore[import-untyped]

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable, Mapping
    from datetime import tzinfo

    from spiders.sources import Source

logger = logging.getLogger(__name__)

DEFAULT_JITTER = 300
DEFAULT_MAX_CONCURRENT = 2
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
# How far back `previous_fire` looks for the latest fire time of a schedule.
_LOOKBACK = (
    timedelta(hours=1),
    timedelta(days=1),
    timedelta(days=8),
    timedelta(days=32),
    timedelta(days=367),
    timedelta(days=366 * 8),
)


class ScheduleError(ValueError):
    """A schedule that cannot be read, with the source named."""


def _day(token: str) -> int:
    token = token.strip().lower()
    if token.isdigit() and int(token) <= 7:
        return int(token)
    if token[:3] in _DAYS:
        return _DAYS.index(token[:3])
    raise ScheduleError(f"{token!r} is not a day of the week")


def cron_weekdays(field: str) -> str:
    """A cron day-of-week field in APScheduler 3's terms, which number Monday as 0.

    Numbers become day names, so `1-5` stays Monday to Friday and `0`, `7` stay Sunday.
    """
    if field == "*":
        return field
    days: list[str] = []
    for part in field.split(","):
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text.isdigit() and int(step_text) > 0 else None
        if step_text and step is None:
            raise ScheduleError(f"bad step in day of week {part!r}")
        if span == "*":
            low, high = 0, 6
        elif "-" in span:
            first, last = span.split("-", 1)
            low, high = _day(first), _day(last)
            if high < low:
                raise ScheduleError(f"day range {span!r} runs backwards")
        else:
            low = _day(span)
            high = 6 if step else low
        days.extend(_DAYS[d % 7] for d in range(low, high + 1, step or 1))
    return ",".join(dict.fromkeys(days))


def cron_trigger(expression: str, *, timezone: tzinfo, jitter: int | None = None) -> CronTrigger:
    """The trigger for a cron expression (five fields, or six with seconds first)."""
    fields = expression.split()
    if len(fields) == 5:
        fields = ["0", *fields]
    if len(fields) != 6:
        raise ScheduleError(f"{expression!r} is not a cron expression (5 or 6 fields)")
    second, minute, hour, day, month, weekday = fields
    try:
        return CronTrigger(
            second=second,
            minute=minute,
            hour=hour,
            day=day,
            month=month,
            day_of_week=cron_weekdays(weekday),
            timezone=timezone,
            jitter=jitter or None,
        )
    except ValueError as exc:
        raise ScheduleError(f"{expression!r}: {exc}") from exc


def next_fire(trigger: CronTrigger, after: datetime) -> datetime | None:
    """The first fire time strictly after `after`."""
    fire: datetime | None = trigger.get_next_fire_time(after, after + timedelta(microseconds=1))
    return fire


def previous_fire(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The latest fire time at or before `now` (None if the schedule never fired in 8 years)."""
    for window in _LOOKBACK:
        fire: datetime | None = trigger.get_next_fire_time(None, now - window)
        latest = None
        while fire is not None and fire <= now:
            latest = fire
            fire = next_fire(trigger, fire)
        if latest is not None:
            return latest
    return None


def catch_up_reason(last_run: Mapping[str, Any] | None, previous: datetime | None) -> str | None:
    """Why a source needs a run now, at start, or None when its schedule can simply go on."""
    if last_run is None:
        return "never run"
    if last_run.get("status") in ("interrupted", "running") or (
        last_run.get("finish_reason") == "abandoned"
    ):
        # "running" here is a run a dead process left behind: the next run marks it failed.
        return f"resume ({last_run.get('status')} run {last_run.get('id')})"
    started = last_run.get("started_at")
    if previous is not None and isinstance(started, datetime) and started < previous:
        return f"missed the run due {previous.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"
    return None


@dataclass(frozen=True, slots=True)
class Trigger:
    """A request for a run: all, some or none of the sources started."""

    started: list[str]
    running: list[str]
    unknown: list[str]


class CrawlScheduler:
    """APScheduler's asyncio scheduler driving `crawl(source, trigger, planned_for)` per source."""

    def __init__(
        self,
        sources: Iterable[Source],
        crawl: Callable[[Source, str, datetime | None], Awaitable[Any]],
        *,
        timezone: tzinfo = UTC,
        jitter: int = DEFAULT_JITTER,
        max_concurrent: int = DEFAULT_MAX_CONCURRENT,
        event_loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self.sources = {s.name: s for s in sources}
        self.crawl = crawl
        self.timezone = timezone
        self.jitter = max(0, jitter)
        self.plain: dict[str, CronTrigger] = {}
        for source in self.sources.values():
            try:
                self.plain[source.name] = cron_trigger(source.schedule, timezone=timezone)
            except ScheduleError as exc:
                raise ScheduleError(f"source {source.name}: schedule {exc}") from exc
        self.scheduler = AsyncIOScheduler(event_loop=event_loop, timezone=timezone)
        self._slots = asyncio.Semaphore(max(1, max_concurrent))
        self._wanted: set[str] = set()
        self._crawling: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self.stopping = False

    def start(
        self,
        last_runs: Mapping[str, Mapping[str, Any]],
        *,
        schedule: bool = True,
        now: datetime | None = None,
    ) -> dict[str, str]:
        """Start the clock; with `schedule`, queue one catch-up run per source that needs one.

        Returns the sources given a catch-up run, with the reason for each.
        """
        now = now or datetime.now(UTC)
        caught: dict[str, str] = {}
        if schedule:
            for name, source in self.sources.items():
                jitter = self.jitter_for(name, now)
                self.scheduler.add_job(
                    self._fire,
                    cron_trigger(source.schedule, timezone=self.timezone, jitter=jitter),
                    args=[name],
                    id=f"crawl:{name}",
                    name=f"crawl {name}",
                    max_instances=1,
                    coalesce=True,
                    # However late the loop gets to a fire time, the run still happens (once).
                    misfire_grace_time=None,
                )
                previous = previous_fire(self.plain[name], now)
                reason = catch_up_reason(last_runs.get(name), previous)
                if reason is not None:
                    caught[name] = reason
                    logger.info("Source %s: catch-up run (%s)", name, reason)
                    self._launch(name, "catch-up", previous)
        self.scheduler.start()
        return caught

    def jitter_for(self, name: str, now: datetime) -> int:
        """The jitter, at most a tenth of the gap between the source's runs."""
        first = next_fire(self.plain[name], now)
        second = next_fire(self.plain[name], first) if first is not None else None
        if first is None or second is None:
            return self.jitter
        return min(self.jitter, int((second - first).total_seconds() // 10))

    async def _fire(self, name: str) -> None:
        # A coroutine, so APScheduler calls it on the loop; the run is a task of ours.
        self._launch(name, "scheduled", datetime.now(UTC))

    def _launch(self, name: str, trigger: str, planned_for: datetime | None) -> bool:
        if self.stopping:
            return False
        if name in self._wanted:
            logger.warning("Source %s: still crawling, %s run skipped", name, trigger)
            return False
        self._wanted.add(name)
        task = asyncio.create_task(self._run(name, trigger, planned_for))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    async def _run(self, name: str, trigger: str, planned_for: datetime | None) -> None:
        try:
            async with self._slots:
                if self.stopping:
                    return
                self._crawling.add(name)
                logger.info("Source %s: %s run starting", name, trigger)
                await self.crawl(self.sources[name], trigger, planned_for)
        except Exception:
            # One source's failure must not stop the others' schedules.
            logger.exception("Source %s: %s run failed", name, trigger)
        finally:
            self._crawling.discard(name)
            self._wanted.discard(name)

    def run_now(self, names: Iterable[str] | None = None) -> Trigger:
        """Start these sources (default all) now, as manual runs."""
        chosen = list(names) if names else list(self.sources)
        started, running, unknown = [], [], []
        for name in chosen:
            if name not in self.sources:
                unknown.append(name)
            elif self._launch(name, "manual", datetime.now(UTC)):
                started.append(name)
            else:
                running.append(name)
        return Trigger(started, running, unknown)

    def next_runs(self) -> dict[str, datetime | None]:
        """When each source runs next (jitter included), None without a schedule."""
        runs: dict[str, datetime | None] = dict.fromkeys(self.sources)
        if self.scheduler.running:
            for name in self.sources:
                job = self.scheduler.get_job(f"crawl:{name}")
                runs[name] = job.next_run_time if job is not None else None
        return runs

    def crawling(self) -> list[str]:
        return sorted(self._crawling)

    def waiting(self) -> list[str]:
        return sorted(self._wanted - self._crawling)

    def stop_scheduling(self) -> None:
        """No new runs from now on; the ones under way carry on until told otherwise."""
        self.stopping = True
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def wait(self) -> None:
        """Until every run under way has ended."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))
