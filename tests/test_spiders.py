"""The generic spiders' parsing, fed recorded responses (whole crawls: test_crawl.py)."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
import scrapy
from scrapy.http import HtmlResponse, Request, Response, XmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from spiders.base import INDEX_META, SourceSpider, spider_class
from spiders.httpcache import DataDirCacheStorage, IndexRevalidationPolicy
from spiders.items import FetchFailed, Page
from spiders.retry import backoff_delay, retry_after_seconds
from spiders.sources import Source, SourceError, load_sources

if TYPE_CHECKING:
    from pathlib import Path

LISTING = b"""<html><body>
<article class="item"><h2><a href="/news/2024/one.html">One</a></h2></article>
<article class="item"><h2><a href="/news/2024/two.html">Two</a></h2></article>
<a href="/about/">About</a>
<a rel="next" href="/news/page/2/">Older</a>
</body></html>"""

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>t</title>
<item><title>a</title><link>http://site/ar/1.html</link>
<pubDate>Sun, 23 Aug 2020 10:00:00 +0000</pubDate></item>
<item><title>b</title><link> http://site/ar/2.html </link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><title>a</title><link href="http://site/en/1"/><published>2021-03-01T08:00:00Z</published></entry>
</feed>"""


def make(kind: str, settings: dict[str, Any] | None = None, **extra: Any) -> SourceSpider:
    listing = kind in ("listing", "rendered")
    extra.setdefault("article_links", "article.item h2 a" if listing else None)
    source = Source(
        name="test-source",
        kind=kind,
        languages=("en",),
        start_urls=("http://site/news/",),
        next_page="a[rel=next]" if listing else None,
        **extra,
    )
    cls = spider_class(source)
    crawler = get_crawler(cls, settings_dict=settings)
    spider = cls.from_crawler(crawler)
    crawler.spider = spider
    assert isinstance(spider, SourceSpider)
    return spider


def urls(results: list[Any]) -> list[str]:
    return [r.url for r in results if isinstance(r, Request)]


def test_listing_follows_articles_and_the_next_page() -> None:
    spider = make("listing", article_pattern=r"/news/\d{4}/")
    response = HtmlResponse("http://site/news/", body=LISTING)
    assert urls(list(spider.parse_index(response))) == [
        "http://site/news/2024/one.html",
        "http://site/news/2024/two.html",
        "http://site/news/page/2/",
    ]


PLAIN_LISTING = b"""<html><body>
<nav><a href="/news/2024/two.html">Most read: two</a><a href="/about/">About</a></nav>
<div class="grid-x"><div><a href="/news/2024/one.html"><img src="1.jpg"></a>
<a href="/news/2024/one.html">One</a><span class="d">2024-05-02</span></div>
<div><a href="https://site/news/2024/two.html">Two</a><span class="d">2024-05-01</span></div>
</div><a rel="next" href="/news/page/2/">Older</a></body></html>"""


def test_a_listing_without_a_selector_takes_every_link_the_pattern_accepts() -> None:
    spider = make(
        "listing",
        {"MARSAD_SINCE": "2000-01-01"},
        article_links=None,
        article_pattern=r"^https?://site/news/\d{4}/",
        link_dates="span.d",
    )
    results = list(spider.read_index(HtmlResponse("http://site/news/", body=PLAIN_LISTING)))
    # In page order, each once (the navigation's link to two comes first), then the next page.
    assert urls(results) == [
        "http://site/news/2024/two.html",
        "http://site/news/2024/one.html",
        "http://site/news/page/2/",
    ]
    # Each has the date printed beside one of its links.
    assert [r.cb_kwargs.get("listed") for r in results[:2]] == [date(2024, 5, 1), date(2024, 5, 2)]
    stats = spider.crawler.stats
    assert stats.get_value("spider/article_links") == 2
    # The about and next-page links were seen too, and passed over.
    assert stats.get_value("spider/index_links") == 4


def blind_outcome(spider: SourceSpider, response: Response) -> tuple[str, str]:
    from pipeline.runs import outcome

    list(spider.read_index(response))
    return outcome("finished", spider.crawler.stats.get_stats())


def test_a_selector_that_matches_nothing_makes_the_run_empty() -> None:
    spider = make("listing", article_links="div.cards h3 a", article_pattern=r"/news/")
    response = HtmlResponse("http://site/news/", body=PLAIN_LISTING)
    assert blind_outcome(spider, response) == ("empty", "selector_matches_nothing")
    assert spider.crawler.stats.get_value("spider/selector_empty") == 1


def test_a_feed_whose_links_all_miss_the_pattern_makes_the_run_empty() -> None:
    spider = make("feed", {"MARSAD_SINCE": "2000-01-01"}, article_pattern=r"/en/")
    response = XmlResponse("http://site/rss.xml", body=RSS)
    assert blind_outcome(spider, response) == ("empty", "no_matching_links")
    assert spider.crawler.stats.get_value("spider/index_links") == 2


def test_runs_that_saw_their_source_finish_and_those_that_did_not_say_why() -> None:
    from pipeline.runs import outcome

    spider = make("feed", {"MARSAD_SINCE": "2000-01-01"})
    # Everything already stored: nothing new, but the feed was read and listed articles.
    spider.known = {"http://site/ar/1.html", "http://site/ar/2.html"}
    assert blind_outcome(spider, XmlResponse("http://site/rss.xml", body=RSS)) == (
        "finished",
        "finished",
    )
    empty_feed = b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>'
    spider = make("feed")
    assert blind_outcome(spider, XmlResponse("http://site/rss.xml", body=empty_feed)) == (
        "empty",
        "no_links",
    )
    unreachable = {"spider/index_pages": 1, "spider/index_failed": 1, "spider/index_unreachable": 1}
    assert outcome("finished", unreachable) == ("failed", "unreachable")
    refused = {"spider/index_pages": 1, "spider/index_failed": 1}
    assert outcome("finished", refused) == ("failed", "index_refused")
    assert outcome("shutdown", unreachable) == ("interrupted", "shutdown")


def test_a_feed_that_declares_entities_is_refused() -> None:
    bomb = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss><channel><title>&b;</title>
<item><link>http://site/ar/1.html</link></item></channel></rss>"""
    spider = make("feed")
    results = list(spider.read_index(XmlResponse("http://site/rss.xml", body=bomb)))
    assert [r.reason for r in results if isinstance(r, FetchFailed)] == [
        "bad_index: the XML declares entities (entity expansion refused): http://site/rss.xml"
    ]


def test_one_run_requests_at_most_the_article_cap() -> None:
    from spiders.base import DEFAULT_MAX_ARTICLES

    entries = "".join(f"<url><loc>http://site/news/{n}</loc></url>" for n in range(100_000))
    sitemap = f"<urlset>{entries}</urlset>".encode()
    spider = make("sitemap", {"MARSAD_SINCE": "2000-01-01"})
    results = list(spider.parse_index(XmlResponse("http://site/sitemap.xml", body=sitemap)))
    assert len(urls(results)) == DEFAULT_MAX_ARTICLES
    assert spider.crawler.stats.get_value("spider/articles_over_cap") == 100_000 - len(results)


def test_listing_stops_paginating_once_everything_was_seen_before() -> None:
    spider = make("listing")
    spider.known = {"http://site/news/2024/one.html", "http://site/news/2024/two.html"}
    response = HtmlResponse("http://site/news/", body=LISTING)
    assert list(spider.parse_index(response)) == []
    assert spider.crawler.stats.get_value("spider/pagination_stopped_seen") == 1


def test_listing_fetches_only_the_new_articles() -> None:
    spider = make("listing")
    spider.known = {"http://site/news/2024/one.html"}
    response = HtmlResponse("http://site/news/", body=LISTING)
    assert urls(list(spider.parse_index(response))) == [
        "http://site/news/2024/two.html",
        "http://site/news/page/2/",
    ]


def test_rss_items_carry_their_dates() -> None:
    spider = make("feed", {"MARSAD_SINCE": "2000-01-01"})
    results = list(spider.parse_index(XmlResponse("http://site/rss.xml", body=RSS)))
    assert urls(results) == ["http://site/ar/1.html", "http://site/ar/2.html"]
    assert [r.cb_kwargs["listed"] for r in results] == [date(2020, 8, 23), None]


def test_atom_entries_are_read() -> None:
    spider = make("feed", {"MARSAD_SINCE": "2000-01-01"})
    results = list(spider.parse_index(XmlResponse("http://site/atom.xml", body=ATOM)))
    assert urls(results) == ["http://site/en/1"]
    assert results[0].cb_kwargs["listed"] == date(2021, 3, 1)


def test_a_feed_that_is_not_xml_is_an_error_not_silence() -> None:
    spider = make("feed")
    page = HtmlResponse("http://site/rss.xml", body=b"<html><body>Maintenance</body></html>")
    with pytest.raises(ValueError, match="not an RSS or Atom feed"):
        list(spider.parse_index(page))


def test_an_article_page_is_handed_on_exactly_as_served() -> None:
    spider = make("listing")
    body = "<html><head><meta charset='windows-1256'></head><body>خبر</body></html>".encode(
        "cp1256"
    )
    request = Request("http://site/news/2024/one.html", meta={"redirect_urls": []})
    response = HtmlResponse(
        "http://site/news/2024/one.html",
        body=body,
        headers={"Content-Type": "text/html"},
        request=request,
    )
    (page,) = spider.parse_article(response, listed=date(2024, 1, 2))
    assert isinstance(page, Page)
    assert page.body == body
    assert page.encoding == "cp1256"
    assert page.headers["Content-Type"] == ["text/html"]
    assert page.listed_date == date(2024, 1, 2)
    assert page.fetched_at.tzinfo is not None


def test_a_failed_article_fetch_names_its_reason() -> None:
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.python.failure import Failure

    spider = make("listing")
    request = Request("http://site/news/2024/gone.html")
    response = HtmlResponse(request.url, status=404, body=b"", request=request)
    failure = Failure(HttpError(response, "Ignoring non-200 response"))
    failure.request = request  # type: ignore[attr-defined]
    (failed,) = spider.article_failed(failure)
    assert isinstance(failed, FetchFailed)
    assert (failed.url, failed.reason, failed.status) == (request.url, "http_404", 404)


def test_a_rendered_index_whose_wait_for_never_appears_is_a_selector_matching_nothing() -> None:
    from playwright.async_api import TimeoutError as PlaywrightTimeout
    from twisted.python.failure import Failure

    from pipeline.runs import outcome

    spider = make("rendered", wait_for="article.gc")
    request = spider.index_request("http://site/js/")
    assert request is not None
    failure = Failure(PlaywrightTimeout("Page.wait_for_selector: Timeout 30000ms exceeded."))
    failure.request = request  # type: ignore[attr-defined]
    (failed,) = spider.article_failed(failure)
    assert failed.reason == "wait_for_timeout: article.gc"
    stats = spider.crawler.stats.get_stats()
    assert outcome("finished", stats) == ("empty", "selector_matches_nothing")


def test_a_source_on_the_public_web_cannot_send_the_crawler_to_this_machine() -> None:
    feed = b"""<rss><channel><item><link>http://127.0.0.1:8080/admin/1</link></item>
<item><link>http://10.1.2.3/news/2</link></item><item><link>http://site/news/3</link></item>
</channel></rss>"""
    spider = make("feed", {"MARSAD_SINCE": "2000-01-01"})
    results = list(spider.parse_index(XmlResponse("http://site/rss.xml", body=feed)))
    assert urls(results) == ["http://site/news/3"]
    assert spider.crawler.stats.get_value("spider/links_internal_refused") == 2


def test_rendered_index_goes_through_the_browser_and_articles_do_not() -> None:
    spider = make("rendered", wait_for="a.js-article")
    index = spider.index_request("http://site/js/")
    assert index.meta["playwright"] is True
    assert index.meta["playwright_page_methods"][0].args == ("a.js-article",)
    response = HtmlResponse("http://site/js/", body=LISTING)
    requests = [r for r in spider.parse_index(response) if isinstance(r, scrapy.Request)]
    assert [r.url for r in requests if not r.meta.get("playwright")] == [
        "http://site/news/2024/one.html",
        "http://site/news/2024/two.html",
    ]
    assert requests[-1].meta["playwright"] is True


# -- incremental crawling: dates, cut-offs, pagination -------------------------------------------

TODAY = datetime.now(UTC).date()


def dated_listing(ages: list[int], next_page: bool = True) -> bytes:
    items = "".join(
        f"<article class='item'><h2><a href='/news/{n}.html'>Story {n}</a></h2>"
        f"<p class='meta'><span class='date'>{TODAY - timedelta(days=age):%d %B %Y}</span></p>"
        "</article>"
        for n, age in enumerate(ages)
    )
    more = "<a rel='next' href='/news/page/2/'>Older</a>" if next_page else ""
    return f"<html><body><section>{items}</section>{more}</body></html>".encode()


def test_listing_dates_are_read_beside_each_link_and_old_ones_skipped() -> None:
    spider = make("listing", link_dates="span.date")
    results = list(
        spider.parse_index(HtmlResponse("http://site/news/", body=dated_listing([1, 40])))
    )
    assert urls(results) == ["http://site/news/0.html"]
    assert results[0].cb_kwargs["listed"] == TODAY - timedelta(days=1)
    assert spider.crawler.stats.get_value("spider/articles_too_old") == 1
    # The last story on the page is past the cut-off: the next page is not asked for.
    assert spider.crawler.stats.get_value("spider/pagination_stopped_cutoff") == 1


def test_a_date_shared_by_several_links_is_not_taken_for_each() -> None:
    body = (
        "<html><body><div><span class='date'>1 January 2001</span>"
        "<article class='item'><h2><a href='/news/a.html'>A</a></h2></article>"
        "<article class='item'><h2><a href='/news/b.html'>B</a></h2></article></div></body></html>"
    )
    spider = make("listing", link_dates="span.date")
    results = list(spider.parse_index(HtmlResponse("http://site/news/", body=body.encode())))
    assert [r.cb_kwargs["listed"] for r in results] == [None, None]


def test_arabic_listing_dates_are_read_in_the_sources_language() -> None:
    body = (
        "<html><body><article class='item'><h2><a href='/news/1.html'>خبر</a></h2>"
        "<time>12 نوفمبر 2026</time></article></body></html>"
    ).encode()
    source = Source(
        name="ar-source",
        kind="listing",
        languages=("ar",),
        start_urls=("http://site/news/",),
        article_links="article.item h2 a",
        link_dates="time",
    )
    spider = spider_class(source).from_crawler(
        get_crawler(spider_class(source), settings_dict={"MARSAD_SINCE": "2000-01-01"})
    )
    (request,) = spider.parse_index(HtmlResponse("http://site/news/", body=body))
    assert request.cb_kwargs["listed"] == date(2026, 11, 12)


def test_a_per_source_cut_off_and_a_backfill_date() -> None:
    body = dated_listing([3, 10], next_page=False)
    weekly = make("listing", link_dates="span.date", max_age_days=7)
    assert urls(list(weekly.parse_index(HtmlResponse("http://site/news/", body=body)))) == [
        "http://site/news/0.html"
    ]
    since = (TODAY - timedelta(days=5)).isoformat()
    backfill = make("listing", {"MARSAD_SINCE": since}, link_dates="span.date", max_age_days=1)
    assert backfill.backfill
    assert urls(list(backfill.parse_index(HtmlResponse("http://site/news/", body=body)))) == [
        "http://site/news/0.html"
    ]


def test_a_backfill_pages_past_articles_already_stored() -> None:
    spider = make("listing", {"MARSAD_SINCE": "2000-01-01"})
    spider.known = {"http://site/news/2024/one.html", "http://site/news/2024/two.html"}
    assert urls(list(spider.parse_index(HtmlResponse("http://site/news/", body=LISTING)))) == [
        "http://site/news/page/2/"
    ]


def test_pagination_loops_and_runaway_pagination_are_cut() -> None:
    spider = make("listing", {"MARSAD_MAX_INDEX_PAGES": 2})
    assert spider.index_request("http://site/news/") is not None
    # A "next" link back to a page already read this run is not followed.
    assert spider.index_request("http://site/news/#top") is None
    assert spider.index_request("http://site/news/page/2/") is not None
    assert spider.index_request("http://site/news/page/3/") is None
    assert spider.crawler.stats.get_value("spider/pagination_stopped_limit") == 1


def test_articles_given_up_on_before_are_not_asked_for_and_do_not_keep_paging() -> None:
    spider = make("listing")
    spider.known = {"http://site/news/2024/one.html"}
    spider.failed_before = {"http://site/news/2024/two.html": "robots_txt_disallowed"}
    assert list(spider.parse_index(HtmlResponse("http://site/news/", body=LISTING))) == []
    # A transient failure is tried again, but it is not news: the pagination stops.
    spider = make("listing")
    spider.known = {"http://site/news/2024/one.html"}
    spider.failed_before = {"http://site/news/2024/two.html": "http_503"}
    assert urls(list(spider.parse_index(HtmlResponse("http://site/news/", body=LISTING)))) == [
        "http://site/news/2024/two.html"
    ]


def test_a_check_reads_known_articles_up_to_its_limit_and_no_further_pages() -> None:
    spider = make("listing", {"MARSAD_CHECK_ARTICLES": 1})
    spider.known = {"http://site/news/2024/one.html"}
    assert urls(list(spider.parse_index(HtmlResponse("http://site/news/", body=LISTING)))) == [
        "http://site/news/2024/one.html"
    ]


PAGED_ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<link rel="self" href="http://site/atom.xml"/><link rel="next" href="http://site/atom.xml?page=2"/>
<entry><title>a</title><link rel="alternate" href="http://site/en/1"/>
<link rel="enclosure" href="http://site/img/1.jpg"/>
<updated>{TODAY.isoformat()}T08:00:00Z</updated></entry>
</feed>""".encode()


def test_a_paged_feed_is_followed_while_it_brings_new_entries() -> None:
    spider = make("feed")
    results = list(spider.parse_index(XmlResponse("http://site/atom.xml", body=PAGED_ATOM)))
    assert urls(results) == ["http://site/en/1", "http://site/atom.xml?page=2"]
    spider.known = {"http://site/en/1"}
    spider.indexes.clear()
    assert list(spider.parse_index(XmlResponse("http://site/atom.xml", body=PAGED_ATOM))) == []


NEWS_SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>http://site/news/2026/new.html</loc>
  <news:news><news:publication_date>{TODAY.isoformat()}T09:00:00+02:00</news:publication_date>
  </news:news></url>
<url><loc>http://site/news/2019/old.html</loc><lastmod>2019-03-01</lastmod></url>
<url><loc>http://site/about/</loc></url>
</urlset>""".encode()

SITEMAP_INDEX = f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>http://site/sitemap-posts-recent.xml</loc><lastmod>{TODAY.isoformat()}</lastmod></sitemap>
<sitemap><loc>http://site/sitemap-posts-2019.xml.gz</loc><lastmod>2019-12-31</lastmod></sitemap>
<sitemap><loc>http://site/sitemap-pages.xml</loc></sitemap>
</sitemapindex>""".encode()


def test_a_news_sitemap_dates_its_articles_and_old_ones_are_skipped() -> None:
    spider = make("sitemap", article_pattern=r"/news/\d{4}/")
    results = list(spider.parse_index(XmlResponse("http://site/sitemap.xml", body=NEWS_SITEMAP)))
    assert urls(results) == ["http://site/news/2026/new.html"]
    assert results[0].cb_kwargs["listed"] == TODAY


def test_a_sitemap_index_skips_sitemaps_last_changed_before_the_cut_off() -> None:
    spider = make("sitemap")
    results = list(spider.parse_index(XmlResponse("http://site/sitemap.xml", body=SITEMAP_INDEX)))
    assert urls(results) == [
        "http://site/sitemap-posts-recent.xml",
        "http://site/sitemap-pages.xml",
    ]
    assert all(r.meta[INDEX_META] for r in results)


def test_a_gzipped_sitemap_is_read() -> None:
    spider = make("sitemap", {"MARSAD_SINCE": "2000-01-01"}, article_pattern=r"/news/")
    response = Response("http://site/sitemap-2019.xml.gz", body=gzip.compress(NEWS_SITEMAP))
    assert urls(list(spider.parse_index(response))) == [
        "http://site/news/2026/new.html",
        "http://site/news/2019/old.html",
    ]


def test_a_page_that_is_no_sitemap_is_an_error() -> None:
    spider = make("sitemap")
    with pytest.raises(ValueError, match="not a sitemap"):
        list(spider.parse_index(XmlResponse("http://site/s.xml", body=b"<html><body/></html>")))


def test_arabic_article_patterns_match_encoded_and_plain_urls() -> None:
    source = Source(
        name="ar",
        kind="feed",
        languages=("ar",),
        start_urls=("http://site/feed",),
        article_pattern="/ليبيا/",
    )
    assert source.matches_article("http://site/%D9%84%D9%8A%D8%A8%D9%8A%D8%A7/1")
    assert source.matches_article("http://site/ليبيا/1")
    assert not source.matches_article("http://site/sport/1")


# -- the HTTP cache and retries -------------------------------------------------------------------


def test_only_index_pages_are_cached_and_they_are_always_revalidated() -> None:
    policy = IndexRevalidationPolicy(Settings())
    index = Request("http://site/feed.xml", meta={INDEX_META: True})
    article = Request("http://site/news/1.html")
    rendered = Request("http://site/js/", meta={INDEX_META: True, "playwright": True})
    assert policy.should_cache_request(index)
    assert not policy.should_cache_request(article)
    assert not policy.should_cache_request(rendered)
    cached = HtmlResponse(
        "http://site/feed.xml",
        body=b"<rss/>",
        headers={
            "ETag": '"abc"',
            "Last-Modified": "Sun, 01 Nov 2026 10:00:00 GMT",
            "Cache-Control": "max-age=86400",
        },
    )
    assert policy.should_cache_response(cached, index)
    # Fresh by the server's word, yet asked about again, with its validators.
    assert not policy.is_cached_response_fresh(cached, index)
    assert index.headers[b"If-None-Match"] == b'"abc"'
    assert index.headers[b"If-Modified-Since"] == b"Sun, 01 Nov 2026 10:00:00 GMT"
    busy = HtmlResponse("http://site/feed.xml", status=503, headers={"Expires": "Sun, 01 Nov 2099"})
    assert not policy.should_cache_response(busy, index)


def test_the_cache_lives_in_the_data_directory(tmp_path: Path) -> None:
    settings = Settings({"MARSAD_DATA_DIR": str(tmp_path)})
    assert DataDirCacheStorage(settings).cachedir == str(tmp_path / "httpcache")


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (b"120", 120.0),
        (b"Sun, 22 Nov 2026 12:01:00 GMT", 60.0),
        (b"Sun, 22 Nov 2026 11:00:00 GMT", 0.0),
        (b"soon", None),
        (None, None),
    ],
)
def test_retry_after_in_seconds_or_as_a_date(header: bytes | None, seconds: float | None) -> None:
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    assert retry_after_seconds(header, now) == seconds


def test_backoff_grows_is_capped_and_defers_to_the_server() -> None:
    assert [backoff_delay(n, 2.0, 10.0, None) for n in (1, 2, 3, 4)] == [2.0, 4.0, 8.0, 10.0]
    assert backoff_delay(1, 2.0, 10.0, 5.0) == 5.0
    assert backoff_delay(1, 2.0, 10.0, 60.0) is None


@pytest.mark.parametrize(
    ("politeness", "message"),
    [
        ("{ concurrent_requests_per_domain = 8 }", "outside"),
        ("{ download_delay = 0 }", "outside"),
        ("{ robotstxt_obey = false }", "cannot be set per source"),
    ],
)
def test_a_source_cannot_be_made_less_polite(tmp_path: Path, politeness: str, message: str) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[source]]\nname = "rude"\nkind = "feed"\nlanguages = ["en"]\n'
        f'start_urls = ["http://site/feed"]\npoliteness = {politeness}\n',
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match=message):
        load_sources(path)
