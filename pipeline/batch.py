"""Group commit: what concurrent items ask of the store, written in one transaction.

A crawl has many pages in flight, and each page's writes cost more in statements and commits
than in rows. A `Batch` gathers the requests that arrive while the previous batch is being
written and hands them to its writer together, in a worker thread; each caller awaits its own
result, which arrives only once the batch is committed. When a batch fails, its items are
written one by one, so one bad page fails alone and the rest are kept.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable

T = TypeVar("T")
R = TypeVar("R")

logger = logging.getLogger(__name__)


class Batch(Generic[T, R]):
    """Calls `write(items) -> results` (in order, all or nothing) for items submitted together."""

    def __init__(self, write: Callable[[list[T]], list[R]], *, most: int = 64) -> None:
        self._write = write
        self._most = most
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def submit(self, item: T) -> R:
        """`item`'s result, once the batch holding it is committed."""
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._writer is None:
            self._writer = asyncio.create_task(self._write_waiting())
        return await future

    async def _write_waiting(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting[: self._most], self._waiting[self._most :]
                try:
                    await self._write_batch(batch)
                except Exception as exc:  # a writer broke its contract: its callers learn why
                    self._abandon(batch, exc)
                except BaseException:  # cancelled: the crawl is stopping
                    self._abandon(batch, None)
                    raise
        finally:
            self._writer = None

    def _abandon(self, batch: list[tuple[T, asyncio.Future[R]]], exc: Exception | None) -> None:
        """No caller is left waiting for ever."""
        for _, future in batch + self._waiting:
            if future.done():
                continue
            if exc is None:
                future.cancel()
            else:
                future.set_exception(exc)
        self._waiting = []

    async def _write_batch(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            results = await asyncio.to_thread(self._write, [item for item, _ in batch])
        except Exception as exc:
            if len(batch) > 1:
                logger.warning("A batch of %d failed; writing its items one by one", len(batch))
                for one in batch:
                    await self._write_batch([one])
                return
            _, future = batch[0]
            if not future.done():
                future.set_exception(exc)
            return
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():  # its caller may have been cancelled meanwhile
                future.set_result(result)
