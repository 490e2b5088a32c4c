"""Retries that back off: a server that says 429 or 503 is asked again later, not at once.

Scrapy's RetryMiddleware retries at once. This one waits first, for as long as the server's
`Retry-After` asks (seconds or an HTTP date) or else exponentially longer each time
(`RETRY_BACKOFF_BASE` * 2^(n-1)), never longer than `RETRY_BACKOFF_MAX`; a longer Retry-After
gives up instead of holding the crawl. The whole domain slows down with it: the download slot's
delay is raised so other requests to that server wait too (AutoThrottle lowers it again only
after healthy answers).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.response import response_status_message

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """The wait a Retry-After header asks for, in seconds; None when absent or unreadable."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_delay(attempt: int, base: float, cap: float, retry_after: float | None) -> float | None:
    """Seconds to wait before retry number `attempt` (1-based); None: the server asks too long."""
    if retry_after is not None:
        return retry_after if retry_after <= cap else None
    return min(cap, base * 2.0 ** (attempt - 1))


class BackoffRetryMiddleware(RetryMiddleware):
    crawler: Crawler

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.base = crawler.settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.cap = crawler.settings.getfloat("RETRY_BACKOFF_MAX", 120.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    # Async (Scrapy's middleware manager awaits it), so the wait does not block the crawl.
    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        attempt = int(request.meta.get("retry_times", 0)) + 1
        delay = backoff_delay(
            attempt, self.base, self.cap, retry_after_seconds(response.headers.get("Retry-After"))
        )
        stats = self.crawler.stats
        if delay is None:
            logger.warning(
                "Not retrying %s: Retry-After asks for more than %.0f s", request.url, self.cap
            )
            stats.inc_value("retry/retry_after_too_long")
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        self.slow_domain(request, delay)
        stats.inc_value("retry/backoff_seconds", int(delay))
        logger.info("Retrying %s in %.1f s (HTTP %d)", request.url, delay, response.status)
        await asyncio.sleep(delay)
        return retry

    def slow_domain(self, request: Request, delay: float) -> None:
        engine = self.crawler.engine
        downloader = getattr(engine, "downloader", None)
        if downloader is None:
            return
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None:
            slot.delay = max(slot.delay, delay)
