"""The generic spiders' parsing, fed recorded responses (whole crawls: test_crawl.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import scrapy
from scrapy.http import HtmlResponse, Request, XmlResponse
from scrapy.utils.test import get_crawler

from spiders.base import SourceSpider, spider_class
from spiders.items import FetchFailed, Page
from spiders.sources import Source

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


def make(kind: str, **extra: Any) -> SourceSpider:
    source = Source(
        name="test-source",
        kind=kind,
        languages=("en",),
        start_urls=("http://site/news/",),
        article_links="article.item h2 a" if kind in ("listing", "rendered") else None,
        next_page="a[rel=next]" if kind in ("listing", "rendered") else None,
        **extra,
    )
    cls = spider_class(source)
    crawler = get_crawler(cls)
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
    spider = make("feed")
    results = list(spider.parse_index(XmlResponse("http://site/rss.xml", body=RSS)))
    assert urls(results) == ["http://site/ar/1.html", "http://site/ar/2.html"]
    assert [r.cb_kwargs["listed"] for r in results] == [date(2020, 8, 23), None]


def test_atom_entries_are_read() -> None:
    spider = make("feed")
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


def test_rendered_index_goes_through_the_browser_and_articles_do_not() -> None:
    spider = make("rendered", wait_for="a.js-article")
    index = spider.index_request("http://site/js/")
    assert index.meta["playwright"] is True
    assert index.meta["playwright_page_methods"][0].args == ("a.js-article",)
    response = HtmlResponse("http://site/js/", body=LISTING)
    articles = [r for r in spider.parse_index(response) if isinstance(r, scrapy.Request)]
    assert not any(r.meta.get("playwright") for r in articles[:-1])
