"""The offline demo site and its server: the sites look and behave like the real thing."""

from __future__ import annotations

import email.utils
import http.client
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import pytest
import trafilatura
from parsel import Selector

from demo.server import SITE, SOURCES, declared_charset, serve
from spiders.sources import load_sources

if TYPE_CHECKING:
    from collections.abc import Iterator

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
DISCLAIMERS = ("fictional", "خيالية", "تجريبي")


class Reply(NamedTuple):
    status: int
    headers: http.client.HTTPMessage
    body: bytes


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serve() as url:
        yield url


def get(base: str, path: str, headers: dict[str, str] | None = None, method: str = "GET") -> Reply:
    """Send `path` exactly as given (no client-side normalisation of dots or escapes)."""
    if path.startswith("http"):
        path = urlsplit(path).path
    conn = http.client.HTTPConnection(urlsplit(base).netloc, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()


def text_of(reply: Reply) -> str:
    content_type = reply.headers["Content-Type"]
    charset = content_type.split("charset=")[1] if "charset=" in content_type else "utf-8"
    return reply.body.decode(charset)


def listing_pages(base: str) -> list[tuple[str, list[str]]]:
    """Follow the newsroom's rel=next chain: (page URL, its article links) for each page."""
    pages = []
    url: str | None = f"{base}/ngo-en/news/"
    while url is not None:
        assert url not in [p for p, _ in pages], "the pagination loops"
        reply = get(base, url)
        assert reply.status == 200
        page = Selector(text=text_of(reply))
        links = [urljoin(url, h) for h in page.css("article.news-item h2 a::attr(href)").getall()]
        pages.append((url, links))
        next_href = page.css("a[rel=next]::attr(href)").get()
        url = urljoin(url, next_href) if next_href else None
    return pages


def parse_xml(body: bytes) -> ET.Element:
    return ET.fromstring(body)  # noqa: S314  # the demo site's own files, served locally


def feed_links(base: str) -> list[str]:
    root = parse_xml(get(base, "/news-ar/rss.xml").body)
    return [item.findtext("link", "").strip() for item in root.iter("item")]


def sitemap_locs(base: str) -> list[str]:
    root = parse_xml(get(base, "/ngo-ar/sitemap.xml").body)
    return [(url.findtext("sm:loc", "", NS)).strip() for url in root.findall("sm:url", NS)]


def js_story_links(base: str) -> list[str]:
    stories = json.loads(get(base, "/js-listing/items.json").body)["stories"]
    return [urljoin(base, s["url"]) for s in stories]


# --- the English newsroom ------------------------------------------------------------------


def test_listing_pages_chain_by_rel_next(base: str) -> None:
    pages = listing_pages(base)
    assert [urlsplit(p).path for p, _ in pages] == [
        "/ngo-en/news/",
        "/ngo-en/news/page/2/",
        "/ngo-en/news/page/3/",
    ]
    assert all(len(links) == 4 for _, links in pages)
    links = [link for _, links in pages for link in links]
    assert len(set(links)) == 12
    statuses = {link: get(base, link).status for link in links}
    assert sorted(statuses.values()) == [200] * 11 + [404]


def test_listing_has_links_the_article_selector_must_not_pick(base: str) -> None:
    page = Selector(text=text_of(get(base, "/ngo-en/news/")))
    chosen = set(page.css("article.news-item h2 a::attr(href)").getall())
    sidebar = set(page.css("aside.most-read a::attr(href)").getall())
    assert sidebar and not sidebar <= chosen


def test_robots_txt_disallows_a_page_the_listing_links_to(base: str) -> None:
    robots = RobotFileParser()
    robots.parse(text_of(get(base, "/robots.txt")).splitlines())
    links = [link for _, links in listing_pages(base) for link in links]
    refused = [link for link in links if not robots.can_fetch("Marsad", link)]
    assert [urlsplit(link).path for link in refused] == [
        "/ngo-en/private/2026/10/partners-briefing-security-sector/"
    ]
    # The page is there: only robots.txt keeps a crawler away from it.
    assert get(base, refused[0]).status == 200
    assert robots.can_fetch("Marsad", f"{base}/ngo-en/news/")


# --- the Arabic news site ----------------------------------------------------------------


def test_rss_parses_and_every_item_resolves(base: str) -> None:
    reply = get(base, "/news-ar/rss.xml")
    assert reply.headers["Content-Type"] == "application/xml; charset=utf-8"
    root = parse_xml(reply.body)
    items = list(root.iter("item"))
    assert len(items) == 6
    for item in items:
        link = item.findtext("link", "")
        assert link.startswith(f"{base}/news-ar/news/"), "feeds carry absolute URLs"
        assert email.utils.parsedate_to_datetime(item.findtext("pubDate", "")).tzinfo
        page = get(base, link)
        assert page.status == 200
        html = Selector(text=text_of(page))
        assert html.xpath("/html/@lang").get() == "ar"
        assert html.xpath("/html/@dir").get() == "rtl"


def test_windows_1256_page_is_encoded_and_declared_so(base: str) -> None:
    declared = [
        link
        for link in feed_links(base)
        if "windows-1256" in get(base, link).headers["Content-Type"]
    ]
    assert len(declared) == 1
    reply = get(base, declared[0])
    assert reply.headers["Content-Type"] == "text/html; charset=windows-1256"
    assert b'<meta charset="windows-1256">' in reply.body[:1024]
    with pytest.raises(UnicodeDecodeError):
        reply.body.decode("utf-8")
    text = reply.body.decode("cp1256")
    assert "صحفيين" in text
    assert "سبها" in text


# --- the Arabic NGO site -------------------------------------------------------------------


def test_sitemap_parses_and_every_url_resolves(base: str) -> None:
    root = parse_xml(get(base, "/ngo-ar/sitemap.xml").body)
    urls = root.findall("sm:url", NS)
    assert len(urls) >= 4
    for url in urls:
        loc = url.findtext("sm:loc", "", NS)
        assert loc.startswith(f"{base}/ngo-ar/")
        assert url.findtext("sm:lastmod", "", NS)[:4].isdigit()
        assert get(base, loc).status == 200
    articles = [loc for loc in sitemap_locs(base) if "/ngo-ar/news/" in loc]
    assert len(articles) == 4
    assert any("%D8" in loc for loc in articles), "one article has an Arabic (encoded) slug"


# --- the JavaScript listing ----------------------------------------------------------------


def test_js_listing_has_no_article_links_without_javascript(base: str) -> None:
    page = Selector(text=text_of(get(base, "/js-listing/")))
    assert page.css("a.js-article").getall() == []
    hrefs = page.css("a::attr(href)").getall()
    assert not [h for h in hrefs if "/stories/" in h]
    assert page.css("script[src]::attr(src)").get() == "/js-listing/app.js"
    app = get(base, "/js-listing/app.js")
    assert app.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert b"items.json" in app.body
    links = js_story_links(base)
    assert len(links) == 3
    assert all(get(base, link).status == 200 for link in links)


@pytest.mark.browser
def test_js_listing_shows_article_links_in_a_browser(base: str) -> None:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not shutil.which(chromium):
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page()
            page.goto(f"{base}/js-listing/")
            page.wait_for_selector("a.js-article", timeout=15_000)
            hrefs = [a.get_attribute("href") for a in page.query_selector_all("a.js-article")]
        finally:
            browser.close()
    assert [urljoin(base, h or "") for h in hrefs] == js_story_links(base)


# --- every article, as an extractor sees it -------------------------------------------------


def article_links(base: str) -> list[str]:
    listed = [link for _, links in listing_pages(base) for link in links]
    return listed + feed_links(base) + sitemap_locs(base) + js_story_links(base)


def test_articles_have_realistic_text_metadata_and_strippable_boilerplate(base: str) -> None:
    extracted = 0
    for link in article_links(base):
        path = urlsplit(link).path
        reply = get(base, link)
        is_article = "/news/" in path or "/stories/" in path
        if reply.status != 200 or "/private/" in path or not is_article:
            continue
        html = text_of(reply)
        page = Selector(text=html)
        assert page.xpath("/html/@lang").get() in ("en", "ar")
        assert page.css("title::text").get()
        doc = trafilatura.bare_extraction(html, url=link, with_metadata=True)
        text = (doc.text if doc is not None else "") or ""
        if "photo-story" in path:
            # The page with nothing but its site's navigation: a failure to record, on purpose.
            assert len(text) < 200
            continue
        extracted += 1
        assert len(text) > 1000, link
        assert doc is not None
        assert doc.date, link
        assert doc.title, link
        assert not any(word in text for word in DISCLAIMERS), f"footer kept in {link}"
    assert extracted >= 20


def test_every_html_page_declares_language_title_and_charset() -> None:
    undeclared = []
    for path in SITE.rglob("*.html"):
        head = path.read_bytes()[:2048]
        assert b"<html lang=" in head or b' lang="' in head, path
        assert b"<title>" in head, path
        if b"charset=" not in head:
            undeclared.append(path.relative_to(SITE).as_posix())
    # One page relies on the HTTP header alone, as some real sites do.
    assert undeclared == ["ngo-en/news/2026/08/transitional-justice-law-consultation/index.html"]


# --- the server -------------------------------------------------------------------------------


def test_declared_sources_start_where_the_site_is(base: str) -> None:
    sources = {s.name: s for s in load_sources(SOURCES, base=base)}
    assert set(sources) == {"demo-ngo-newsroom", "demo-news-ar", "demo-ngo-ar", "demo-js-listing"}
    assert {s.kind for s in sources.values()} == {"listing", "feed", "sitemap", "rendered"}
    for source in sources.values():
        assert all(get(base, url).status == 200 for url in source.start_urls)
    links = article_links(base)
    newsroom = [u for u in links if sources["demo-ngo-newsroom"].matches_article(u)]
    assert len(newsroom) == 12
    assert all(sources["demo-news-ar"].matches_article(u) for u in feed_links(base))
    assert len([u for u in sitemap_locs(base) if sources["demo-ngo-ar"].matches_article(u)]) == 4
    assert all(sources["demo-js-listing"].matches_article(u) for u in js_story_links(base))


def test_missing_pages_are_404(base: str) -> None:
    assert get(base, "/ngo-en/news/2026/10/no-such-release/").status == 404
    assert get(base, "/news-ar/missing.html").status == 404
    assert get(base, "/ngo-en/news/page/4/").status == 404


@pytest.mark.parametrize(
    "path",
    [
        "/../sources.toml",
        "/../server.py",
        "/../../pyproject.toml",
        "/%2e%2e/sources.toml",
        "/%2E%2E/%2E%2E/pyproject.toml",
        "/%2e%2e%2fsources.toml",
        "/ngo-en/..%2f..%2fsources.toml",
        "/ngo-en/%2e%2e/%2e%2e/sources.toml",
        "/..%5csources.toml",
        "/ngo-en/%00/../../sources.toml",
        "/%c0%ae%c0%ae/sources.toml",
        "/%252e%252e/sources.toml",
        "/.git/config",
    ],
)
def test_nothing_outside_the_site_is_served(base: str, path: str) -> None:
    reply = get(base, path)
    assert reply.status == 404
    assert b"[[source]]" not in reply.body
    assert b"[project]" not in reply.body
    assert b"import" not in reply.body


def test_directory_urls_serve_index_html_under_their_slash(base: str) -> None:
    moved = get(base, "/ngo-en/news")
    assert moved.status == 301
    assert moved.headers["Location"] == "/ngo-en/news/"
    assert get(base, "/ngo-en/news/").body == (SITE / "ngo-en/news/index.html").read_bytes()


def test_content_types_by_extension(base: str) -> None:
    expected = {
        "/ngo-en/news/": "text/html; charset=utf-8",
        "/ngo-ar/sitemap.xml": "application/xml; charset=utf-8",
        "/js-listing/items.json": "application/json; charset=utf-8",
        "/js-listing/app.js": "text/javascript; charset=utf-8",
        "/robots.txt": "text/plain; charset=utf-8",
    }
    for path, content_type in expected.items():
        assert get(base, path).headers["Content-Type"] == content_type, path


def test_if_modified_since_gives_304(base: str) -> None:
    first = get(base, "/ngo-en/news/")
    modified = first.headers["Last-Modified"]
    assert modified
    again = get(base, "/ngo-en/news/", {"If-Modified-Since": modified})
    assert again.status == 304
    assert again.body == b""
    earlier = email.utils.parsedate_to_datetime(modified) - timedelta(days=1)
    stale = get(
        base, "/ngo-en/news/", {"If-Modified-Since": email.utils.format_datetime(earlier, True)}
    )
    assert stale.status == 200
    assert stale.body == first.body
    assert get(base, "/ngo-en/news/", {"If-Modified-Since": "not a date"}).status == 200


def test_head_sends_headers_only(base: str) -> None:
    reply = get(base, "/news-ar/rss.xml", method="HEAD")
    assert reply.status == 200
    assert int(reply.headers["Content-Length"]) > 1000
    assert reply.body == b""


def test_requests_are_not_logged_to_stderr(base: str, capfd: pytest.CaptureFixture[str]) -> None:
    get(base, "/ngo-en/news/")
    get(base, "/no-such-page")
    assert capfd.readouterr().err == ""


def test_server_stops_when_the_block_ends() -> None:
    with serve() as url:
        assert get(url, "/robots.txt").status == 200
    with pytest.raises(ConnectionRefusedError):
        get(url, "/robots.txt")


def test_module_runs_the_server_in_the_foreground() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "demo.server", "--port", "0"],
        cwd=SITE.parent.parent,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        url = line.split()[3].rstrip("/")
        assert url.startswith("http://127.0.0.1:")
        assert get(url, "/ngo-en/news/").status == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def test_declared_charset_reads_the_meta_tag() -> None:
    assert declared_charset(b'<html><head><meta charset="windows-1256">') == "windows-1256"
    assert (
        declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">')
        == "utf-8"
    )
    assert declared_charset(b"<html><head><title>t</title>") == "utf-8"
    assert declared_charset(b" " * 1100 + b'<meta charset="windows-1256">') == "utf-8"
