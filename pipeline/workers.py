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

import multiprocessing
import os
import select
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor

# What the workers run; imported once in the fork server, before any worker starts.
PRELOAD = ["pipeline.extract", "pipeline.language", "pipeline.analyse"]

_shared: tuple[ProcessPoolExecutor, int] | None = None
_lock = threading.Lock()


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


def acquire(count: int) -> ProcessPoolExecutor | None:
    """The process's pool (started on first use), or None for `count` 0: work stays in threads.
    Pair with `release`."""
    global _shared
    if count <= 0:
        return None
    with _lock:
        if _shared is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            pool = ProcessPoolExecutor(
                count, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
            )
            _shared = (pool, 1)
        else:
            _shared = (_shared[0], _shared[1] + 1)
        return _shared[0]


def release(pool: ProcessPoolExecutor | None) -> None:
    global _shared
    with _lock:
        if pool is None or _shared is None or _shared[0] is not pool:
            return
        if _shared[1] > 1:
            _shared = (pool, _shared[1] - 1)
            return
        _shared = None
    pool.shutdown(wait=True, cancel_futures=True)
