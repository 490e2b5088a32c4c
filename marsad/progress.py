"""Progress of long commands: Rich bars on a terminal, a line now and then anywhere else.

A crawl, a re-analysis or a preservation run can take an hour; a terminal shows live bars, and a
log file (systemd, cron, a pipe) gets one line every `every` seconds, so that it shows the run
is alive without drowning what else it says. Progress goes to standard error: standard output
stays the command's answer.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import Progress as Bars

if TYPE_CHECKING:
    from types import TracebackType

    from rich.console import Console
    from rich.progress import TaskID

# How often a line is written when no terminal shows bars.
EVERY = 15.0


class Task:
    def __init__(self, progress: Progress, description: str, total: int | None) -> None:
        self._progress = progress
        self.description = description
        self.total = total
        self.done = 0
        self._bar: TaskID | None = None

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        self._progress.moved(self, steps)

    def finish(self) -> None:
        """Done, however many steps were foreseen (a crawl's pages are not known ahead)."""
        self.total = self.done
        self._progress.finished(self)

    def line(self) -> str:
        return f"{self.description} {self.done}" + ("" if self.total is None else f"/{self.total}")


class Progress:
    """`with Progress(err) as progress: task = progress.task("Analysing", len(docs))`."""

    def __init__(self, console: Console, *, every: float | None = None) -> None:
        self.console = console
        self.every = EVERY if every is None else every
        self.tasks: list[Task] = []
        self._bars: Bars | None = None
        self._last = time.monotonic()

    def __enter__(self) -> Progress:
        if self.console.is_terminal:
            self._bars = Bars(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self._bars.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bars is not None:
            self._bars.__exit__(kind, error, trace)

    def task(self, description: str, total: int | None = None) -> Task:
        task = Task(self, description, total)
        if self._bars is not None:
            task._bar = self._bars.add_task(description, total=total)
        self.tasks.append(task)
        return task

    def finished(self, task: Task) -> None:
        if self._bars is not None and task._bar is not None:
            self._bars.update(task._bar, total=task.done, completed=task.done)

    def moved(self, task: Task, steps: int) -> None:
        if self._bars is not None and task._bar is not None:
            self._bars.advance(task._bar, steps)
            return
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            self.console.print(" · ".join(t.line() for t in self.tasks), soft_wrap=True)
