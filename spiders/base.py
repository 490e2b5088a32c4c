"""The generic spiders, one per kind of source. They only discover and fetch.

Each source in the registry becomes its own spider class (see `spiders.loader`), so `scrapy crawl
<source>` works and every source gets its own stats and run record.

A scheduled run is incremental: article URLs fetched in an earlier run are skipped, articles an
index dates before the cut-off (the source's `max_age_days`, or `MARSAD_SINCE` for a backfill)
are skipped, and pagination stops at the first index page that brings nothing new or whose
last dated article is older than the cut-off. Index pages (feeds, listings, sitemaps) are the
only requests the HTTP cache revalidates (`spiders.httpcache`); article pages are fetched once.
One run requests at most `MARSAD_MAX_ARTICLES` articles, however many an index lists.

A spider that cannot see says so in its stats, which decide the run's outcome
(`pipeline.runs.outcome`): index pages that could not be reached (`spider/index_unreachable`),
links found on an index (`spider/index_links`) against those matching the article pattern
(`spider/article_links`), and listing pages where the declared selector matched nothing
(`spider/selector_empty`).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip
from scrapy_playwright.page import PageMethod
from twisted.internet.error import (
    ConnectError,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
)
from twisted.internet.error import TimeoutError as DefTimeoutError
from w3lib.url import canonicalize_url

from spiders.items import FetchFailed, Page
from spiders.redirects import internal
from spiders.resolver import REFUSED, BrowserGuard, refused_names

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable, Iterator

    from parsel import Selector
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings
    from twisted.python.failure import Failure

    from spiders.sources import Source

logger = logging.getLogger(__name__)


def canonical(url: str) -> str:
    return canonicalize_url(url, keep_fragments=False)


# Marks the requests for index pages, the only ones the HTTP cache keeps and revalidates.
INDEX_META = "marsad_index"
# Reasons an earlier run gave up on an article for good: it is not asked for again. Others
# (5xx, timeouts, truncation) are retried by the next run.
GIVEN_UP = ("robots_txt_disallowed", "http_404", "http_410", "too_large")
# Reasons that mean the site itself could not be reached, not that it refused or erred.
UNREACHABLE = ("dns_lookup_failed", "connection_refused", "connection_failed", "timeout")
# Chromium's network errors (rendered sources), named as the HTTP downloader's are.
_CHROMIUM_NET_ERROR = re.compile(r"net::ERR_([A-Z_]+)")
_CHROMIUM_REASONS = {
    "NAME_NOT_RESOLVED": "dns_lookup_failed",
    "NAME_RESOLUTION_FAILED": "dns_lookup_failed",
    "CONNECTION_REFUSED": "connection_refused",
    "CONNECTION_TIMED_OUT": "timeout",
    "TIMED_OUT": "timeout",
    "ADDRESS_UNREACHABLE": "connection_failed: address unreachable",
    "INTERNET_DISCONNECTED": "connection_failed: no network",
    "CONNECTION_RESET": "connection_failed: reset",
    "CONNECTION_CLOSED": "connection_failed: closed",
}
# Articles one run may request, whatever an index lists (a 100,000-URL sitemap queues this many).
DEFAULT_MAX_ARTICLES = 1000
# An XML document that declares its own entities: legitimate feeds and sitemaps never do, and
# nested ones (the "billion laughs") would expand into gigabytes or, refused by the parser,
# leave an index that silently reads as empty.
_DECLARES_ENTITIES = re.compile(rb"<!ENTITY", re.IGNORECASE)


def refuse_entities(body: bytes, url: str) -> None:
    """Raise ValueError (a bad index, recorded) for an XML index that declares entities."""
    root = body.find(b"<rss")
    for tag in (b"<feed", b"<urlset", b"<sitemapindex", b"<rdf:RDF"):
        found = body.find(tag)
        if found != -1 and (root == -1 or found < root):
            root = found
    prolog = body if root == -1 else body[:root]
    if _DECLARES_ENTITIES.search(prolog):
        raise ValueError(f"the XML declares entities (entity expansion refused): {url}")


class Discovered(NamedTuple):
    """What an index page led to: requests for new articles, links in all, links never tried."""

    requests: list[scrapy.Request]
    total: int
    fresh: int


def _parse_index_date(value: str | None) -> date | None:
    """Dates as feeds and sitemaps write them (RFC 822 or ISO 8601)."""
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return None


def parse_listed_date(value: str | None, languages: tuple[str, ...]) -> date | None:
    """A date as a listing page prints it: ISO or RFC 822, else words in the source's languages."""
    if not value or not value.strip():
        return None
    found = _parse_index_date(value)
    if found is not None:
        return found
    import dateparser

    parsed = dateparser.parse(
        " ".join(value.split())[:80],
        languages=list(languages) or None,
        settings={"DATE_ORDER": "DMY", "RETURN_AS_TIMEZONE_AWARE": False},
    )
    return parsed.date() if parsed else None


def _cutoff_default(max_age_days: int) -> tuple[date, bool]:
    return datetime.now(UTC).date() - timedelta(days=max_age_days), False


def _cutoff(settings: BaseSettings, max_age_days: int) -> tuple[date, bool]:
    """The oldest publication date a run wants, and whether it is a backfill (`MARSAD_SINCE`)."""
    since = settings.get("MARSAD_SINCE")
    if since:
        return (since if isinstance(since, date) else date.fromisoformat(str(since))), True
    return _cutoff_default(max_age_days)


class SourceSpider(scrapy.Spider):
    source: ClassVar[Source]
    # Set for `rendered` sources: what Chromium was stopped from requesting (resolver.py).
    browser_guard: ClassVar[BrowserGuard | None] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set when the crawl opens by the run recorder (`pipeline.runs`): the URLs fetched in
        # earlier runs, and this run's id. A crawl without storage starts with nothing known.
        self.known: set[str] = set()
        # URLs whose fetch failed in an earlier run, with the reason (also set by the recorder).
        self.failed_before: dict[str, str] = {}
        self.run_id: int | None = None
        # Article URLs requested in this run (articles bypass the dupefilter, see below).
        self.requested: set[str] = set()
        # Index pages requested in this run: a pagination loop is not followed twice.
        self.indexes: set[str] = set()
        self.cutoff, self.backfill = _cutoff_default(self.source.max_age_days)
        self.max_index_pages = 50
        self.max_articles = DEFAULT_MAX_ARTICLES
        # A source on this machine or a private network (the demo, tests) may link there; no
        # other may send the crawler to it.
        self.internal_ok = any(internal(u) for u in self.source.start_urls)
        # A check (`marsad sources check`) reads the first index page and this many articles,
        # whether fetched before or not, and stores nothing.
        self.check_articles = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SourceSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, SourceSpider)
        spider.cutoff, spider.backfill = _cutoff(crawler.settings, cls.source.max_age_days)
        spider.max_index_pages = crawler.settings.getint("MARSAD_MAX_INDEX_PAGES", 50)
        spider.max_articles = crawler.settings.getint("MARSAD_MAX_ARTICLES", DEFAULT_MAX_ARTICLES)
        spider.check_articles = crawler.settings.getint("MARSAD_CHECK_ARTICLES", 0)
        return spider

    async def start(self) -> AsyncIterator[Any]:
        for url in self.source.start_urls:
            request = self.index_request(url)
            if request is not None:
                yield request

    def index_request(self, url: str) -> scrapy.Request | None:
        """A request for an index page, or None when this run must not fetch another one."""
        key = canonical(url)
        if key in self.indexes:
            self.crawler.stats.inc_value("spider/index_loop")
            return None
        if len(self.indexes) >= self.max_index_pages:
            logger.warning(
                "Source %s: stopped at %d index pages (MARSAD_MAX_INDEX_PAGES)",
                self.source.name,
                self.max_index_pages,
            )
            self.crawler.stats.inc_value("spider/pagination_stopped_limit")
            return None
        self.indexes.add(key)
        self.crawler.stats.inc_value("spider/index_pages")
        # Index pages must be fetched every run even if seen before (dont_filter); the HTTP
        # cache revalidates them, so an unchanged one costs a 304.
        return scrapy.Request(
            url,
            callback=self.read_index,
            errback=self.article_failed,
            dont_filter=True,
            meta={INDEX_META: True},
        )

    def read_index(self, response: Response) -> Iterator[Any]:
        """`parse_index`, with an index that cannot be read recorded as a failure, not lost."""
        self.crawler.stats.inc_value("spider/index_read")
        before = self.crawler.stats.get_value("spider/index_links", 0)
        matched = self.crawler.stats.get_value("spider/article_links", 0)
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
            return
        links = self.crawler.stats.get_value("spider/index_links", 0) - before
        if links and self.crawler.stats.get_value("spider/article_links", 0) == matched:
            logger.warning(
                "Source %s: %s lists %d links, none matching article_pattern",
                self.source.name,
                response.url,
                links,
            )

    def parse_index(self, response: Response) -> Iterable[Any]:
        raise NotImplementedError

    def is_new(self, url: str) -> bool:
        return canonical(url) not in self.known and url not in self.known

    def article_requests(self, links: Iterable[tuple[str, date | None]]) -> Discovered:
        """Requests for the article links this run should fetch, and what the links held."""
        requests = []
        total = fresh = 0
        stats = self.crawler.stats
        for url, listed in links:
            if not url.startswith(("http://", "https://")):
                continue
            stats.inc_value("spider/index_links")
            if not self.source.matches_article(url):
                continue
            if not self.internal_ok and internal(url):
                stats.inc_value("spider/links_internal_refused")
                continue
            total += 1
            stats.inc_value("spider/article_links")
            if len(self.requested) >= self.max_articles:
                if not stats.get_value("spider/articles_over_cap"):
                    logger.warning(
                        "Source %s: stopped at %d articles this run (MARSAD_MAX_ARTICLES)",
                        self.source.name,
                        self.max_articles,
                    )
                stats.inc_value("spider/articles_over_cap")
                continue
            if listed is not None and listed < self.cutoff:
                stats.inc_value("spider/articles_too_old")
                continue
            if not self.check_articles and not self.is_new(url):
                stats.inc_value("spider/articles_seen_before")
                continue
            failed = self.failed_before.get(url)
            if failed is None:
                fresh += 1
            elif not self.check_articles and failed.startswith(GIVEN_UP):
                stats.inc_value("spider/articles_given_up_before")
                continue
            if canonical(url) in self.requested:
                continue
            if self.check_articles and len(self.requested) >= self.check_articles:
                continue
            self.requested.add(canonical(url))
            stats.inc_value("spider/articles_discovered")
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
        return Discovered(requests, total, fresh)

    def next_index(
        self, url: str | None, links: list[tuple[str, date | None]], found: Discovered
    ) -> scrapy.Request | None:
        """The next (older) index page, if this run should go on to it."""
        if not url or self.check_articles:
            return None
        if len(self.requested) >= self.max_articles:
            return None
        dated = [listed for link, listed in links if listed and self.source.matches_article(link)]
        # Indexes list newest first; pinned items sit at the top, so the last date decides.
        if dated and dated[-1] < self.cutoff:
            self.crawler.stats.inc_value("spider/pagination_stopped_cutoff")
            return None
        # An older page can only hold older articles: once a page holds nothing an earlier run
        # has not seen, the rest was seen too. A backfill goes on, to what earlier runs skipped.
        if not found.fresh and not self.backfill:
            self.crawler.stats.inc_value("spider/pagination_stopped_seen")
            return None
        return self.index_request(url)

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
            elif reason.startswith("refused: redirect_off_source"):
                reason = reason.removeprefix("refused: ")
        elif (
            isinstance(error, DNSLookupError | CannotResolveHostError)
            and (host := urlsplit(request.url).hostname) in refused_names
        ):
            reason = f"refused: {host}: {REFUSED}"
        elif isinstance(error, DNSLookupError | CannotResolveHostError):
            reason = "dns_lookup_failed"
        elif isinstance(error, ConnectionRefusedError | DownloadConnectionRefusedError):
            reason = "connection_refused"
        elif isinstance(error, TimeoutError | DefTimeoutError | TCPTimedOutError):
            reason = "timeout"
        elif isinstance(error, DownloadTimeoutError):
            reason = f"timeout: {error}"
        elif isinstance(error, DownloadCancelledError):
            # Scrapy cancels a download that passes DOWNLOAD_MAXSIZE, announced or streamed.
            reason = f"too_large: {str(error).split(' in request ')[0] or 'over the size limit'}"
        elif isinstance(error, ResponseDataLossError):
            reason = "truncated: the connection closed before the whole body arrived"
        elif isinstance(error, ConnectError | DownloadFailedError):
            reason = f"connection_failed: {type(error).__name__}"
        elif "wait_for_selector" in str(error) and "Timeout" in str(error):
            # A rendered page where `wait_for` never appeared: its markup has changed.
            reason = f"wait_for_timeout: {self.source.wait_for}"
            self.crawler.stats.inc_value("spider/selector_empty")
        elif (
            self.browser_guard is not None
            and self.browser_guard.refused
            and "net::ERR_FAILED" in str(error)
        ):
            # The page, a redirect or a resource of it went to an internal address (resolver.py).
            reason = f"refused: {REFUSED}: {self.browser_guard.refused[-1][:300]}"
        elif (chromium := _CHROMIUM_NET_ERROR.search(str(error))) is not None:
            reason = _CHROMIUM_REASONS.get(chromium.group(1), f"net_{chromium.group(1).lower()}")
        else:
            reason = f"{type(error).__name__}: {str(error).strip().splitlines()[0][:200]}"
        if request.meta.get(INDEX_META):
            self.crawler.stats.inc_value("spider/index_failed")
            if reason.startswith(UNREACHABLE):
                self.crawler.stats.inc_value("spider/index_unreachable")
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
        refuse_entities(response.body, response.url)
        selector = scrapy.Selector(text=response.text, type="xml")
        selector.remove_namespaces()
        items = selector.xpath("//item | //entry")
        if not items and not selector.xpath("/rss | /feed | /RDF"):
            raise ValueError(f"not an RSS or Atom feed: {response.url}")
        links = []
        for item in items:
            link = (
                item.xpath("link[not(@rel) or @rel='alternate']/@href").get()
                or item.xpath("link/text()").get()
            )
            if not link:
                continue
            when = item.xpath(
                "pubDate/text() | published/text() | updated/text() | date/text()"
            ).get()
            links.append((response.urljoin(link.strip()), _parse_index_date(when)))
        found = self.article_requests(links)
        yield from found.requests
        # A paged feed (RFC 5005) links to its older entries.
        older = selector.xpath(
            "/rss/channel/link[@rel='next']/@href | /*/link[@rel='next']/@href"
        ).get()
        following = self.next_index(
            response.urljoin(older.strip()) if older else None, links, found
        )
        if following is not None:
            yield following


class ListingSpider(SourceSpider):
    """HTML listing pages with article links and, optionally, pagination.

    Without `article_links`, every link on the page whose URL matches `article_pattern` is an
    article (in page order, each once): URL shapes outlive the class names of a redesign.
    """

    def article_anchors(self, node: Selector | Response, base: Response) -> list[Selector]:
        """The article links inside `node`: the selector's, else those the pattern accepts."""
        if self.source.article_links:
            return list(node.css(self.source.article_links))
        return [
            a
            for a in node.xpath(".//a[@href]")
            if self.source.matches_article(base.urljoin((a.xpath("@href").get() or "").strip()))
        ]

    def listing_links(self, response: Response) -> list[tuple[str, date | None]]:
        anchors = self.article_anchors(response, response)
        if not self.source.article_links:
            # The links the pattern passed over count as links seen, so that a page whose links
            # all miss the pattern is told apart from a page without links.
            others = len(response.xpath("//a[@href]")) - len(anchors)
            self.crawler.stats.inc_value("spider/index_links", others)
        elif not anchors:
            logger.warning(
                "Source %s: selector %r matches nothing on %s",
                self.source.name,
                self.source.article_links,
                response.url,
            )
            self.crawler.stats.inc_value("spider/selector_empty")
        # One entry per article, where it first appears (http and https alike), with the date
        # printed beside any of its links (a teaser image's link has none beside it).
        found: dict[str, tuple[str, date | None]] = {}
        for anchor in anchors:
            href = anchor.xpath("@href").get()
            if href and href.strip():
                url = response.urljoin(href.strip())
                key = canonical(url).split("://", 1)[-1]
                first, listed = found.get(key, (url, None))
                found[key] = (first, listed or self.link_date(anchor, response))
        return list(found.values())

    def link_date(self, anchor: Selector, response: Response) -> date | None:
        """The date printed beside one article link, from the element that holds only it."""
        if not self.source.link_dates:
            return None
        for ancestor in list(reversed(anchor.xpath("ancestor-or-self::*")))[:6]:
            others = {a.xpath("@href").get() for a in self.article_anchors(ancestor, response)} | {
                anchor.xpath("@href").get()
            }
            if len(others) > 1:
                # Grown past this article's own item: a date further out is another article's.
                return None
            found = ancestor.css(self.source.link_dates).get()
            if found is not None:
                if "<" in found:  # an element, not an attribute or text node: its text
                    found = scrapy.Selector(text=found).xpath("string()").get()
                return parse_listed_date(found, self.source.languages)
        return None

    def parse_index(self, response: Response) -> Iterable[Any]:
        links = self.listing_links(response)
        found = self.article_requests(links)
        yield from found.requests
        if found.total == 0:
            self.crawler.stats.inc_value("spider/empty_listing")
        next_href = (
            response.css(self.source.next_page).xpath("@href").get()
            if self.source.next_page
            else None
        )
        following = self.next_index(
            response.urljoin(next_href.strip()) if next_href else None, links, found
        )
        if following is not None:
            yield following


class RenderedSpider(ListingSpider):
    """Listings that only appear after JavaScript runs: the index goes through Chromium."""

    custom_settings: ClassVar[dict[str, Any]] = {  # type: ignore[misc]  # Scrapy declares it per instance
        "DOWNLOAD_HANDLERS": {
            "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
            "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
        },
    }

    def index_request(self, url: str) -> scrapy.Request | None:
        request = super().index_request(url)
        if request is None:
            return None
        methods = (
            [PageMethod("wait_for_selector", self.source.wait_for)] if self.source.wait_for else []
        )
        request.meta.update({"playwright": True, "playwright_page_methods": methods})
        return request


class SitemapSourceSpider(SourceSpider):
    """XML sitemaps, news sitemaps and sitemap indexes (gzipped or not).

    Read here rather than through Scrapy's SitemapSpider so that a sitemap is an index page like
    any other (revalidated by the cache, counted, cut off by date) and so that a news sitemap's
    `news:publication_date`, which SitemapSpider drops, dates its articles.
    """

    def parse_index(self, response: Response) -> Iterable[Any]:
        body = response.body
        if body[:2] == b"\x1f\x8b":
            body = gunzip(body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        refuse_entities(body, response.url)
        selector = scrapy.Selector(body=body, type="xml")
        selector.remove_namespaces()
        if selector.xpath("/sitemapindex"):
            yield from self.parse_sitemap_index(selector, response)
            return
        if not selector.xpath("/urlset"):
            raise ValueError(f"not a sitemap: {response.url}")
        links = []
        for entry in selector.xpath("/urlset/url"):
            loc = entry.xpath("loc/text()").get()
            if not loc:
                continue
            when = (
                entry.xpath("news/publication_date/text()").get()
                or entry.xpath("lastmod/text()").get()
            )
            links.append((response.urljoin(loc.strip()), _parse_index_date(when)))
        yield from self.article_requests(links).requests

    def parse_sitemap_index(self, selector: Selector, response: Response) -> Iterator[Any]:
        entries = []
        for entry in selector.xpath("/sitemapindex/sitemap"):
            loc = entry.xpath("loc/text()").get()
            if loc:
                when = _parse_index_date(entry.xpath("lastmod/text()").get())
                entries.append((response.urljoin(loc.strip()), when))
        if self.check_articles:
            # A check reads one sitemap: the most recently changed.
            entries = sorted(entries, key=lambda e: e[1] or date.min, reverse=True)[:1]
        for loc, when in entries:
            # A sitemap last changed before the cut-off lists only older articles.
            if when is not None and when < self.cutoff:
                self.crawler.stats.inc_value("spider/sitemaps_too_old")
                continue
            request = self.index_request(loc)
            if request is not None:
                yield request


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
    if issubclass(base, RenderedSpider):
        guard = BrowserGuard(internal_ok=any(internal(u) for u in source.start_urls))
        custom["PLAYWRIGHT_ABORT_REQUEST"] = guard
        attrs["browser_guard"] = guard
    return type(f"{base.__name__}[{source.name}]", (base,), attrs)
