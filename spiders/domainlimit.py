"""At most N requests in flight to one host, across every spider in the process.

Scrapy limits concurrency per download slot, and every crawler has its own slots: two sources
on one site (a site's English and Arabic pages) crawled together would each send their own two
requests at once. This middleware holds one process-wide semaphore per host, sized by
`CONCURRENT_REQUESTS_PER_DOMAIN`, from just before the download until its answer or error.
It sits after the HTTP cache, so a request the cache answers holds nothing.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

_HELD = "_marsad_host_slot"
# Per event loop (a semaphore belongs to one), then per host.
_hosts: WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Semaphore]] = (
    WeakKeyDictionary()
)


class HostConcurrencyMiddleware:
    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"))

    async def process_request(self, request: Request) -> None:
        host = (urlsplit(request.url).hostname or "").lower()
        hosts = _hosts.setdefault(asyncio.get_running_loop(), {})
        semaphore = hosts.setdefault(host, asyncio.Semaphore(self.limit))
        await semaphore.acquire()
        request.meta[_HELD] = semaphore

    def _release(self, request: Request) -> None:
        semaphore = request.meta.pop(_HELD, None)
        if semaphore is not None:
            semaphore.release()

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._release(request)
