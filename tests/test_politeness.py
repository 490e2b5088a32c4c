"""Politeness and incremental crawling, watched from the server's side.

A small local site records every request it is sent (path, time, headers, answer) while
`marsad crawl` runs against it in a subprocess (Twisted's reactor starts once per process).
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from marsad.crawl import crawl_settings
from storage import Store
from storage.paths import data_paths

if TYPE_CHECKING:
    from collections.abc import Iterator

MARSAD = str(Path(sys.executable).with_name("marsad"))
CONTACT = "https://example.org/marsad-test-contact"
TODAY = datetime.now(UTC).date()
# Quick, but with the project's politeness limits left as they are.
FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "RETRY_BACKOFF_BASE": "0.5"}

PARAGRAPHS = (
    "Residents of the neighbourhood said the armed men arrived before dawn in three vehicles "
    "without plates and searched several homes before leaving towards the coastal road.",
    "Relatives told local reporters that they had not been told where the men were taken, and "
    "that visits to the nearest police station brought no answer about their whereabouts.",
    "A local council member called on the authorities to open an investigation and to publish "
    "the names of those held, adding that families had the right to know their fate.",
)


def article_page(title: str, published: date) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='article:published_time' content='{published.isoformat()}'></head>"
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>"
        f"<time datetime='{published.isoformat()}'>{published:%d %B %Y}</time>{body}"
        f"<p>Reference {title}.</p></article><footer>Local test site</footer></body></html>"
    ).encode()


def listing_page(items: list[tuple[str, date]], next_href: str | None) -> bytes:
    rows = "".join(
        f"<li class='post'><h2><a href='{href}'>Story {href}</a></h2>"
        f"<span class='date'>{when:%d %B %Y}</span></li>"
        for href, when in items
    )
    more = f"<a rel='next' href='{next_href}'>Older</a>" if next_href else ""
    return f"<html><body><ul>{rows}</ul>{more}</body></html>".encode()


@dataclass
class Hit:
    path: str
    at: float
    status: int
    headers: dict[str, str]


@dataclass
class Site:
    routes: dict[str, Any] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    base: str = ""

    def paths(self, since: int = 0) -> list[str]:
        return [h.path for h in self.hits[since:]]

    def count(self, path: str) -> int:
        return sum(1 for h in self.hits if h.path == path)

    def static(self, path: str, body: bytes, content_type: str = "text/html") -> None:
        """A page with validators that answers a matching conditional request with 304."""
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        modified = email.utils.formatdate(time.time() - 86400, usegmt=True)

        def serve(handler: BaseHTTPRequestHandler, _n: int) -> tuple[int, dict[str, str], bytes]:
            headers = {"Content-Type": content_type, "ETag": etag, "Last-Modified": modified}
            if handler.headers.get("If-None-Match") == etag:
                return 304, headers, b""
            return 200, headers, body

        self.routes[path] = serve

    def slow(self, path: str, body: bytes, seconds: float) -> None:
        def serve(_h: BaseHTTPRequestHandler, _n: int) -> tuple[int, dict[str, str], bytes]:
            time.sleep(seconds)
            return 200, {"Content-Type": "text/html"}, body

        self.routes[path] = serve

    def failing(self, path: str, body: bytes, failures: list[tuple[int, dict[str, str]]]) -> None:
        """Answer the first requests with the given errors, then with the page."""

        def serve(_h: BaseHTTPRequestHandler, n: int) -> tuple[int, dict[str, str], bytes]:
            if n <= len(failures):
                status, headers = failures[n - 1]
                return status, {"Content-Type": "text/plain", **headers}, b"busy"
            return 200, {"Content-Type": "text/html"}, body

        self.routes[path] = serve


@contextmanager
def serving(site: Site) -> Iterator[Site]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path
            with site.lock:
                site.in_flight += 1
                site.most_in_flight = max(site.most_in_flight, site.in_flight)
                n = sum(1 for h in site.hits if h.path == path) + 1
            try:
                route = site.routes.get(path)
                status, headers, body = (
                    route(self, n) if route else (404, {"Content-Type": "text/plain"}, b"none")
                )
                with site.lock:
                    site.hits.append(Hit(path, time.monotonic(), status, dict(self.headers)))
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            finally:
                with site.lock:
                    site.in_flight -= 1

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def sources_file(tmp: Path, entries: str) -> Path:
    path = tmp / "sources.toml"
    path.write_text(entries, encoding="utf-8")
    return path


def listing_source(name: str, base: str, start: str, **extra: str) -> str:
    lines = [
        "[[source]]",
        f'name = "{name}"',
        'kind = "listing"',
        'languages = ["en"]',
        f'start_urls = ["{base}{start}"]',
        'article_links = "li.post h2 a"',
        'next_page = "a[rel=next]"',
        'link_dates = "span.date"',
        *(f"{k} = {v}" for k, v in extra.items()),
    ]
    return "\n".join(lines) + "\n\n"


def crawl(
    sources: Path, data_dir: Path, *args: str, **settings: str
) -> subprocess.CompletedProcess[str]:
    command = [MARSAD, "crawl", "--sources", str(sources), "--data-dir", str(data_dir), *args]
    for key, value in {**FAST, **settings}.items():
        command += ["--set", f"{key}={value}"]
    env = {**os.environ, "MARSAD_CONTACT": CONTACT}
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=180, env=env, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def stored(data_dir: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    store = Store(data_dir / "marsad.duckdb")
    try:
        return store.documents(), store.failures()
    finally:
        store.close()


# -- one site crawled three times: robots.txt, the user agent, the cache, pagination ----------


@dataclass
class ThreeRuns:
    site: Site
    data_dir: Path
    marks: list[int]
    results: list[subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def three_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreeRuns]:
    tmp = tmp_path_factory.mktemp("politeness")
    site = Site()
    recent = [TODAY - timedelta(days=d) for d in (1, 2, 3, 4, 5)]
    site.static("/robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")
    site.static(
        "/news/",
        listing_page(
            [
                ("/news/1.html", recent[0]),
                ("/private/2.html", recent[1]),
                ("/news/3.html", recent[2]),
            ],
            "/news/page/2/",
        ),
    )
    site.static(
        "/news/page/2/",
        listing_page([("/news/4.html", recent[3]), ("/news/5.html", recent[4])], None),
    )
    for n, when in zip((1, 3, 4, 5), (recent[0], *recent[2:]), strict=True):
        site.static(f"/news/{n}.html", article_page(f"Story {n}", when))
    site.static("/private/2.html", article_page("Story 2", recent[1]))
    # A source whose listing has lost its article links (a redesign): three empty runs.
    site.static("/broken/", b"<html><body><p>New look, no links.</p></body></html>")
    with serving(site):
        sources = sources_file(
            tmp,
            listing_source("local-news", site.base, "/news/")
            + listing_source("local-broken", site.base, "/broken/"),
        )
        data_dir = tmp / "data"
        marks, results = [], []
        for _ in range(3):
            marks.append(len(site.hits))
            results.append(crawl(sources, data_dir))
        marks.append(len(site.hits))
        yield ThreeRuns(site, data_dir, marks, results)


def test_robots_txt_is_obeyed_and_the_refusal_recorded(three_runs: ThreeRuns) -> None:
    assert three_runs.site.count("/private/2.html") == 0
    _, failures = stored(three_runs.data_dir)
    # Refused once: a later run does not ask again for what was refused for good.
    reasons = [f["reason"] for f in failures if f["url"].endswith("/private/2.html")]
    assert reasons == ["robots_txt_disallowed"]


def test_every_request_names_the_crawler_and_its_contact(three_runs: ThreeRuns) -> None:
    agents = {h.headers.get("User-Agent", "") for h in three_runs.site.hits}
    assert len(agents) == 1
    (agent,) = agents
    assert agent.startswith("Marsad/")
    assert f"+{CONTACT}" in agent


def test_the_first_run_fetches_the_listing_pages_and_each_article_once(
    three_runs: ThreeRuns,
) -> None:
    first = three_runs.site.paths(0)[: three_runs.marks[1]]
    assert sorted(p for p in first if p.startswith("/news/") and p.endswith(".html")) == [
        "/news/1.html",
        "/news/3.html",
        "/news/4.html",
        "/news/5.html",
    ]
    assert first.count("/news/") == 1
    assert first.count("/news/page/2/") == 1
    documents, _ = stored(three_runs.data_dir)
    assert len(documents) == 4


def test_a_second_run_fetches_only_the_listing_and_it_comes_back_304(
    three_runs: ThreeRuns,
) -> None:
    site, marks = three_runs.site, three_runs.marks
    second = site.hits[marks[1] : marks[2]]
    # Each source reads robots.txt again each run; of the site's pages, only the listings.
    assert sorted(h.path for h in second) == ["/broken/", "/news/", "/robots.txt", "/robots.txt"]
    listing = next(h for h in second if h.path == "/news/")
    assert listing.headers.get("If-None-Match")
    assert listing.status == 304
    documents, _ = stored(three_runs.data_dir)
    assert len(documents) == 4


def test_a_source_without_articles_for_three_runs_is_flagged_in_the_log_and_the_list(
    three_runs: ThreeRuns,
) -> None:
    first, _, third = three_runs.results
    message = "Source local-broken: no articles in"
    assert message not in first.stderr
    assert "Source local-broken: no articles in 3 runs in a row" in third.stderr
    assert "local-news: no articles" not in third.stderr
    listed = subprocess.run(
        [
            *(MARSAD, "sources", "--json", "--data-dir", str(three_runs.data_dir)),
            *("--sources", str(three_runs.data_dir.parent / "sources.toml")),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = {r["name"]: r for r in json.loads(listed.stdout)}
    assert rows["local-broken"]["flagged"] is True
    assert rows["local-broken"]["empty_runs"] == 3
    assert rows["local-news"]["flagged"] is False
    assert rows["local-news"]["last_success"] is not None


# -- the cut-off: scheduled runs stop at it, a backfill goes past it --------------------------


def test_pagination_stops_at_the_cut_off_and_since_backfills(tmp_path: Path) -> None:
    site = Site()
    ages = {1: 2, 2: 10, 3: 25, 4: 45, 5: 50, 6: 70, 7: 80}
    when = {n: TODAY - timedelta(days=d) for n, d in ages.items()}
    pages = {"/news/": (1, 2, 3), "/news/page/2/": (4, 5), "/news/page/3/": (6, 7)}
    nexts = {"/news/": "/news/page/2/", "/news/page/2/": "/news/page/3/", "/news/page/3/": None}
    for path, numbers in pages.items():
        items = [(f"/news/{n}.html", when[n]) for n in numbers]
        site.static(path, listing_page(items, nexts[path]))
    for n in ages:
        site.static(f"/news/{n}.html", article_page(f"Story {n}", when[n]))
    site.static("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
    data_dir = tmp_path / "data"
    with serving(site):
        sources = sources_file(tmp_path, listing_source("dated", site.base, "/news/"))
        crawl(sources, data_dir)
        scheduled = set(site.paths())
        assert {"/news/1.html", "/news/2.html", "/news/3.html"} <= scheduled
        # Page 2 is read (page 1's last story is within 30 days), its stories are too old,
        # and page 3 is never asked for.
        assert "/news/page/2/" in scheduled
        assert not scheduled & {"/news/4.html", "/news/5.html", "/news/page/3/"}

        mark = len(site.hits)
        since = (TODAY - timedelta(days=75)).isoformat()
        crawl(sources, data_dir, "--since", since)
        backfill = site.paths(mark)
    # Past page 1, whose stories are all stored, down to the date asked for.
    assert {"/news/4.html", "/news/5.html", "/news/6.html", "/news/page/3/"} <= set(backfill)
    assert "/news/7.html" not in backfill
    assert not {"/news/1.html", "/news/2.html", "/news/3.html"} & set(backfill)


def test_a_per_source_cut_off_overrides_the_default(tmp_path: Path) -> None:
    site = Site()
    when = {1: TODAY - timedelta(days=3), 2: TODAY - timedelta(days=12)}
    site.static("/news/", listing_page([(f"/news/{n}.html", d) for n, d in when.items()], None))
    for n, d in when.items():
        site.static(f"/news/{n}.html", article_page(f"Story {n}", d))
    with serving(site):
        sources = sources_file(
            tmp_path, listing_source("weekly", site.base, "/news/", max_age_days="7")
        )
        crawl(sources, tmp_path / "data")
    assert site.count("/news/1.html") == 1
    assert site.count("/news/2.html") == 0


# -- retries with backoff, and concurrency per host -------------------------------------------


def test_429_and_503_are_retried_after_the_wait_the_server_asks_or_a_growing_one(
    tmp_path: Path,
) -> None:
    site = Site()
    recent = TODAY - timedelta(days=1)
    items = [("/news/busy.html", recent), ("/news/down.html", recent)]
    site.static("/news/", listing_page(items, None))
    site.failing("/news/busy.html", article_page("Busy", recent), [(429, {"Retry-After": "1"})])
    site.failing("/news/down.html", article_page("Down", recent), [(503, {}), (503, {})])
    with serving(site):
        sources = sources_file(tmp_path, listing_source("flaky", site.base, "/news/"))
        crawl(sources, tmp_path / "data")
    busy = [h.at for h in site.hits if h.path == "/news/busy.html"]
    down = [h.at for h in site.hits if h.path == "/news/down.html"]
    assert len(busy) == 2
    assert busy[1] - busy[0] >= 0.95
    # RETRY_BACKOFF_BASE 0.5: 0.5 s, then 1 s.
    assert len(down) == 3
    assert down[1] - down[0] >= 0.45
    assert down[2] - down[1] >= 0.95
    documents, failures = stored(tmp_path / "data")
    assert {d["title"] for d in documents} == {"Busy", "Down"}
    assert failures == []


def test_a_retry_after_longer_than_the_cap_is_given_up_not_waited_for(tmp_path: Path) -> None:
    site = Site()
    recent = TODAY - timedelta(days=1)
    site.static("/news/", listing_page([("/news/later.html", recent)], None))
    site.failing(
        "/news/later.html", article_page("Later", recent), [(429, {"Retry-After": "3600"})]
    )
    with serving(site):
        sources = sources_file(tmp_path, listing_source("later", site.base, "/news/"))
        started = time.monotonic()
        crawl(sources, tmp_path / "data", RETRY_BACKOFF_MAX="30")
        assert time.monotonic() - started < 60
    assert site.count("/news/later.html") == 1
    _, failures = stored(tmp_path / "data")
    assert [f["reason"] for f in failures] == ["http_429 (Retry-After: 3600)"]


def test_at_most_two_requests_at_once_to_one_host_across_sources(tmp_path: Path) -> None:
    site = Site()
    recent = TODAY - timedelta(days=1)
    for section in ("en", "ar"):
        items = [(f"/{section}/{n}.html", recent) for n in range(5)]
        site.static(f"/{section}/", listing_page(items, None))
        for href, _ in items:
            site.slow(href, article_page(href, recent), 0.4)
    with serving(site):
        # Two sources on one site, crawled by one process: the limit is the host's, not each
        # spider's.
        entries = listing_source("site-en", site.base, "/en/")
        entries += listing_source("site-ar", site.base, "/ar/")
        crawl(sources_file(tmp_path, entries), tmp_path / "data", CONCURRENT_REQUESTS="16")
    assert site.count("/en/4.html") == site.count("/ar/4.html") == 1
    assert site.most_in_flight == 2


def test_the_crawl_settings_keep_the_politeness_limits(tmp_path: Path) -> None:
    settings = crawl_settings(data_paths(tmp_path), tmp_path / "sources.toml")
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2
    assert settings.getfloat("DOWNLOAD_DELAY") >= 1.0
    assert {429, 503} <= set(settings.getlist("RETRY_HTTP_CODES"))
    assert settings.getbool("HTTPCACHE_ENABLED")
    assert settings["HTTPCACHE_POLICY"].endswith("IndexRevalidationPolicy")


def test_a_crawl_opens_no_telnet_console(tmp_path: Path) -> None:
    settings = crawl_settings(data_paths(tmp_path), tmp_path / "sources.toml")
    assert not settings.getbool("TELNETCONSOLE_ENABLED")


# -- the live check -----------------------------------------------------------------------------


def test_sources_check_reads_each_source_once_and_stores_nothing(tmp_path: Path) -> None:
    site = Site()
    recent = TODAY - timedelta(days=1)
    items = [(f"/news/{n}.html", recent) for n in range(6)]
    site.static("/news/", listing_page(items, "/news/page/2/"))
    for href, _ in items:
        site.static(href, article_page(href, recent))
    site.static("/empty/", b"<html><body>Nothing here</body></html>")
    data_dir = tmp_path / "data"
    with serving(site):
        sources = sources_file(
            tmp_path,
            listing_source("checked", site.base, "/news/")
            + listing_source("empty", site.base, "/empty/"),
        )
        result = subprocess.run(
            [
                *(MARSAD, "sources", "check", "--json", "--articles", "2"),
                *("--sources", str(sources), "--data-dir", str(data_dir)),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    # One source gave nothing: the check says so in its exit status.
    assert result.returncode == 1, result.stderr[-2000:]
    rows = {r["source"]: r for r in json.loads(result.stdout)}
    assert rows["checked"]["links_found"] == 6
    assert rows["checked"]["articles_extracted"] == 2
    assert rows["checked"]["languages_seen"] == {"en": 2}
    assert rows["checked"]["ok"] is True
    assert rows["empty"]["links_found"] == 0
    assert rows["empty"]["ok"] is False
    # The first listing page and two articles: no pagination, and nothing written.
    assert "/news/page/2/" not in site.paths()
    assert len([p for p in site.paths() if p.startswith("/news/") and p.endswith(".html")]) == 2
    assert not (data_dir / "marsad.duckdb").exists()
