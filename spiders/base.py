"""The generic spiders, one per kind of source. They only discover and fetch.

Each source in the registry becomes its own spider class (see `spiders.loader`), so `scrapy crawl
<source>` works and every source gets its own stats and run record. A spider skips article URLs
already fetched in an earlier run and stops following a listing's pagination once a page brings
nothing new.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

import scrapy
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.spiders import SitemapSpider
from scrapy_playwright.page import PageMethod
from twisted.internet.error import DNSLookupError, TCPTimedOutError
from twisted.internet.error import TimeoutError as DefTimeoutError
from w3lib.url import canonicalize_url

from spiders.items import FetchFailed, Page

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable, Iterator

    from scrapy.http import Response
    from twisted.python.failure import Failure

    from spiders.sources import Source

logger = logging.getLogger(__name__)


def canonical(url: str) -> str:
    return canonicalize_url(url, keep_fragments=False)


def _parse_index_date(value: str | None) -> date | None:
    """Dates as feeds and sitemaps write them (RFC 822 or ISO 8601)."""
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError):
        return None


class SourceSpider(scrapy.Spider):
    source: ClassVar[Source]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set when the crawl opens by the run recorder (`pipeline.runs`): the URLs fetched in
        # earlier runs, and this run's id. A crawl without storage starts with nothing known.
        self.known: set[str] = set()
        self.run_id: int | None = None
        # Article URLs requested in this run (articles bypass the dupefilter, see below).
        self.requested: set[str] = set()

    async def start(self) -> AsyncIterator[Any]:
        for url in self.source.start_urls:
            yield self.index_request(url)

    def index_request(self, url: str) -> scrapy.Request:
        # Index pages (listings, feeds) must be fetched every run even if seen before.
        return scrapy.Request(
            url, callback=self.read_index, errback=self.article_failed, dont_filter=True
        )

    def read_index(self, response: Response) -> Iterator[Any]:
        """`parse_index`, with an index that cannot be read recorded as a failure, not lost."""
        try:
            yield from self.parse_index(response)
        except ValueError as exc:
            self.crawler.stats.inc_value("spider/bad_index")
            yield FetchFailed(
                source=self.source.name,
                url=response.url,
                reason=f"bad_index: {exc}",
                status=response.status,
                run_id=self.run_id,
            )

    def parse_index(self, response: Response) -> Iterable[Any]:
        raise NotImplementedError

    def is_new(self, url: str) -> bool:
        return canonical(url) not in self.known and url not in self.known

    def article_requests(
        self, links: Iterable[tuple[str, date | None]]
    ) -> tuple[list[scrapy.Request], int]:
        """Requests for the article links not fetched before, and how many links there were."""
        requests = []
        total = 0
        for url, listed in links:
            if not url.startswith(("http://", "https://")) or not self.source.matches_article(url):
                continue
            total += 1
            if not self.is_new(url):
                self.crawler.stats.inc_value("spider/articles_seen_before")
                continue
            if canonical(url) in self.requested:
                continue
            self.requested.add(canonical(url))
            self.crawler.stats.inc_value("spider/articles_discovered")
            requests.append(
                scrapy.Request(
                    url,
                    callback=self.parse_article,
                    errback=self.article_failed,
                    cb_kwargs={"listed": listed},
                    # Past the dupefilter, which would drop a redirect loop's second visit
                    # silently; the redirect limit then ends the loop with a recorded reason.
                    dont_filter=True,
                )
            )
        return requests, total

    def parse_article(self, response: Response, listed: date | None = None) -> Iterator[Page]:
        headers = {
            k.decode("latin-1"): [v.decode("latin-1") for v in vs]
            for k, vs in response.headers.items()
        }
        redirects = list(response.meta.get("redirect_urls", []))
        yield Page(
            source=self.source.name,
            url=redirects[0]
            if redirects
            else response.request.url
            if response.request
            else response.url,
            final_url=response.url,
            status=response.status,
            headers=headers,
            body=response.body,
            encoding=getattr(response, "encoding", None),
            fetched_at=datetime.now(UTC),
            languages=self.source.languages,
            redirects=redirects,
            run_id=self.run_id,
            listed_date=listed,
        )

    def article_failed(self, failure: Failure) -> Iterator[FetchFailed]:
        """Name why an article could not be fetched, so the run records it."""
        request = failure.request  # type: ignore[attr-defined]
        error = failure.value
        status = None
        if isinstance(error, HttpError):
            status = error.response.status
            reason = f"http_{status}"
            retry_after = error.response.headers.get("Retry-After")
            if retry_after:
                reason += f" (Retry-After: {retry_after.decode('latin-1')[:40]})"
        elif isinstance(error, IgnoreRequest):
            reason = "refused: " + (str(error) or "ignored")
            if "robots.txt" in reason:
                reason = "robots_txt_disallowed"
            elif "max redirections" in reason:
                reason = f"redirect_loop: {reason.removeprefix('refused: ')}"
        elif isinstance(error, TimeoutError | DefTimeoutError | TCPTimedOutError):
            reason = "timeout"
        elif isinstance(error, DownloadTimeoutError):
            reason = f"timeout: {error}"
        elif isinstance(error, DownloadCancelledError):
            # Scrapy cancels a download that passes DOWNLOAD_MAXSIZE, announced or streamed.
            reason = f"too_large: {str(error).split(' in request ')[0] or 'over the size limit'}"
        elif isinstance(error, ResponseDataLossError):
            reason = "truncated: the connection closed before the whole body arrived"
        elif isinstance(error, DNSLookupError):
            reason = "dns_lookup_failed"
        else:
            reason = f"{type(error).__name__}: {error}"
        logger.info("Could not fetch %s: %s", request.url, reason)
        yield FetchFailed(
            source=self.source.name,
            url=request.url,
            reason=reason,
            status=status,
            run_id=self.run_id,
        )


class FeedSpider(SourceSpider):
    """RSS 2.0 and Atom feeds."""

    def parse_index(self, response: Response) -> Iterable[Any]:
        if not isinstance(response, scrapy.http.TextResponse):
            raise ValueError(f"feed is not text: {response.url}")
        selector = scrapy.Selector(text=response.text, type="xml")
        selector.remove_namespaces()
        items = selector.xpath("//item | //entry")
        if not items and not selector.xpath("/rss | /feed | /RDF"):
            raise ValueError(f"not an RSS or Atom feed: {response.url}")
        links = []
        for item in items:
            link = item.xpath("link/@href").get() or item.xpath("link/text()").get()
            if not link:
                continue
            when = item.xpath("pubDate/text() | published/text() | updated/text()").get()
            links.append((response.urljoin(link.strip()), _parse_index_date(when)))
        requests, _ = self.article_requests(links)
        yield from requests


class ListingSpider(SourceSpider):
    """HTML listing pages with article links and, optionally, pagination."""

    def listing_links(self, response: Response) -> list[tuple[str, date | None]]:
        assert self.source.article_links is not None
        hrefs = response.css(self.source.article_links).xpath("@href").getall()
        return [(response.urljoin(h.strip()), None) for h in hrefs]

    def parse_index(self, response: Response) -> Iterable[Any]:
        requests, total = self.article_requests(self.listing_links(response))
        yield from requests
        if total == 0:
            logger.warning("No article links on listing %s", response.url)
            self.crawler.stats.inc_value("spider/empty_listing")
        next_href = (
            response.css(self.source.next_page).xpath("@href").get()
            if self.source.next_page
            else None
        )
        # An older page can only hold older articles: once a page brings nothing new, the rest
        # of the pagination was seen in an earlier run.
        if next_href and requests:
            yield self.index_request(response.urljoin(next_href))
        elif next_href:
            self.crawler.stats.inc_value("spider/pagination_stopped_seen")


class RenderedSpider(ListingSpider):
    """Listings that only appear after JavaScript runs: the index goes through Chromium."""

    custom_settings: ClassVar[dict[str, Any]] = {  # type: ignore[misc]  # Scrapy declares it per instance
        "DOWNLOAD_HANDLERS": {
            "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
            "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
        },
    }

    def index_request(self, url: str) -> scrapy.Request:
        methods = (
            [PageMethod("wait_for_selector", self.source.wait_for)] if self.source.wait_for else []
        )
        return scrapy.Request(
            url,
            callback=self.parse_index,
            dont_filter=True,
            meta={"playwright": True, "playwright_page_methods": methods},
        )


class SitemapSourceSpider(SourceSpider, SitemapSpider):
    """XML sitemaps (and sitemap indexes), through Scrapy's own sitemap handling."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.sitemap_urls = list(self.source.start_urls)
        self.sitemap_rules = [(self.source.article_pattern or "", "parse_article")]
        super().__init__(*args, **kwargs)
        self._listed: dict[str, date | None] = {}

    async def start(self) -> AsyncIterator[Any]:
        async for request in SitemapSpider.start(self):
            yield request

    def sitemap_filter(self, entries: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        if getattr(entries, "type", None) == "sitemapindex":
            yield from entries
            return
        for entry in entries:
            loc = entry.get("loc", "")
            if not self.source.matches_article(loc):
                continue
            if not self.is_new(loc):
                self.crawler.stats.inc_value("spider/articles_seen_before")
                continue
            self.crawler.stats.inc_value("spider/articles_discovered")
            self._listed[loc] = _parse_index_date(entry.get("lastmod"))
            yield entry

    def parse_article(self, response: Response, listed: date | None = None) -> Iterator[Page]:
        url = response.request.url if response.request else response.url
        yield from super().parse_article(response, listed or self._listed.get(url))


KIND_CLASSES: dict[str, type[SourceSpider]] = {
    "feed": FeedSpider,
    "listing": ListingSpider,
    "rendered": RenderedSpider,
    "sitemap": SitemapSourceSpider,
}


def spider_class(source: Source) -> type[SourceSpider]:
    """A spider class for one source: its kind's generic spider, named after the source."""
    base = KIND_CLASSES[source.kind]
    custom = dict(getattr(base, "custom_settings", None) or {})
    custom.update({k.upper(): v for k, v in source.politeness.items()})
    attrs = {
        "name": source.name,
        "source": source,
        "custom_settings": custom,
        "__module__": __name__,
    }
    return type(f"{base.__name__}[{source.name}]", (base,), attrs)
