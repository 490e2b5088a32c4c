"""Worker processes for the pipeline's CPU work: extraction, language detection, the NLP.

Python runs one thread at a time, and these are pure Python: in threads they took turns with
the event loop and the store's writes, and a crawl used one core. In worker processes they use
the others. What is sent there is a pure function and plain data (bytes, text, dates), and
what comes back is plain data too.

One pool per process, shared by every spider crawling in it (like the store), started from a
fork server that has already imported the extraction and NLP code, so each worker starts
quickly and shares those pages of memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import select
import signal
import threading
import time
import weakref
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, TypeVar, TypeVarTuple

if TYPE_CHECKING:
    from collections.abc import Callable

# What the workers run; imported once in the fork server, before any worker starts.
PRELOAD = ["pipeline.extract", "pipeline.language", "pipeline.analyse"]
# How many times a call is tried on a fresh pool after a worker died under it.
ATTEMPTS = 3

R = TypeVar("R")
Ts = TypeVarTuple("Ts")

# The pool, how many workers it has, and how many stages use it.
_shared: tuple[ProcessPoolExecutor, int, int] | None = None
_lock = threading.Lock()
# Per event loop: how many calls may be in the pool at once (one per worker).
_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)
# Pools whose workers were stopped on purpose (a call over its budget), not by a crash.
_stopped: weakref.WeakSet[ProcessPoolExecutor] = weakref.WeakSet()


def default_count() -> int:
    """One worker per core; none on a single core, where they would only add copying."""
    cores = os.cpu_count() or 1
    return cores if cores > 1 else 0


def _start_worker(crawl: int) -> None:
    # Ctrl-C reaches the whole process group: the crawl stops gracefully and finishes the pages
    # in flight, which need their workers alive to do so.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(crawl,), daemon=True).start()


def _exit_with(crawl: int) -> None:
    """Leave when the crawl's process is gone. A crawl killed outright (SIGKILL, out of memory)
    cannot tell its workers to stop, and they would wait on their queue for ever."""
    try:
        watched = os.pidfd_open(crawl)
    except ProcessLookupError:
        os._exit(0)
    except OSError:  # no pidfd on this kernel: look every second
        while True:
            time.sleep(1)
            try:
                os.kill(crawl, 0)
            except ProcessLookupError:
                os._exit(0)
    select.select([watched], [], [])
    os._exit(0)


class WorkerDied(RuntimeError):
    """The work killed its worker process each time it was tried (a crash in a C extension on
    a hostile page, or the out-of-memory killer)."""


class TooSlow(RuntimeError):
    """The work ran past its time budget; its worker was stopped."""


def acquire(count: int) -> bool:
    """Join the process's pool, started on first use; False for `count` 0 (the work stays in
    threads, nothing to release). Pair a True with `release`."""
    global _shared
    if count <= 0:
        return False
    with _lock:
        pool, count, users = _shared or (_start(count), count, 0)
        _shared = (pool, count, users + 1)
    return True


def release() -> None:
    global _shared
    with _lock:
        if _shared is None:
            return
        pool, count, users = _shared
        if users > 1:
            _shared = (pool, count, users - 1)
            return
        _shared = None
    pool.shutdown(wait=True, cancel_futures=True)


async def run(function: Callable[[*Ts], R], *args: *Ts, budget: float | None = None) -> R:
    """`function(*args)` in a worker, stopped after `budget` seconds (TooSlow).

    When a worker dies, every call it shared the pool with fails: the pool is started again
    and each call tried again, a few times, so the pages in flight beside the one that kills
    its worker go through. A call over its budget has its pool's workers stopped (a running
    call cannot be cancelled otherwise); the calls beside it are tried again on a fresh pool,
    without that counting as one of their attempts."""
    loop = asyncio.get_running_loop()
    name = getattr(function, "__name__", repr(function))
    attempts = 0
    while attempts < ATTEMPTS:
        # Submitted only when a worker is free, so the budget counts running time, not the
        # time spent queued behind other pages.
        async with _slots_of(loop):
            pool = _pool()
            try:
                work = loop.run_in_executor(pool, function, *args)
            except RuntimeError:
                # Shut down between being looked up and used: replaced after a stopped call.
                if pool in _stopped:
                    continue
                raise
            try:
                return await asyncio.wait_for(work, budget)
            except TimeoutError:
                _stop(pool)
                raise TooSlow(f"{name} ran past its budget of {budget:g} s") from None
            except BrokenProcessPool:
                if pool not in _stopped:
                    attempts += 1
                _restart(pool)
    raise WorkerDied(f"a worker died running {name!r}")


def _start(count: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return ProcessPoolExecutor(
        count, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
    )


def _pool() -> ProcessPoolExecutor:
    with _lock:
        if _shared is None:
            raise RuntimeError("no worker pool: acquire one first")
        return _shared[0]


def _slots_of(loop: asyncio.AbstractEventLoop) -> asyncio.Semaphore:
    """One gate per event loop (a pool outlives the loops of one-shot `asyncio.run` callers),
    with a place for each worker."""
    slots = _slots.get(loop)
    if slots is None:
        with _lock:
            if _shared is None:
                raise RuntimeError("no worker pool: acquire one first")
            count = _shared[1]
        slots = _slots[loop] = asyncio.Semaphore(count)
    return slots


def _stop(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's workers: the only way to stop a call that is running. The calls beside
    it fail with BrokenProcessPool and go to the pool that replaces it."""
    _stopped.add(pool)
    # ProcessPoolExecutor has no public way to stop running work before Python 3.14
    # (`kill_workers`); its worker processes are in `_processes`.
    for process in list((pool._processes or {}).values()):
        with contextlib.suppress(OSError):
            process.kill()
    _restart(pool)


def _restart(broken: ProcessPoolExecutor) -> None:
    """Replace the pool if it is still the broken one (another call may have done it)."""
    global _shared
    with _lock:
        if _shared is None or _shared[0] is not broken:
            return
        _, count, users = _shared
        _shared = (_start(count), count, users)
    broken.shutdown(wait=False, cancel_futures=True)
