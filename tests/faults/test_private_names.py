"""A public-looking host name whose DNS answer is this machine is refused, in Scrapy and in
Chromium, unless the deployment says its sources live on private names.

The name used is this machine's own host name, which Debian's /etc/hosts maps to a loopback
address: a stand-in for an attacker's name that answers 127.0.0.1 (or changes answer between
lookups). Where the host name does not resolve to loopback, the crawl tests are skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

import pytest
from conftest import crawl_command, path_of
from fault_site import EN_PARAS, article_html

from spiders.base import spider_class
from spiders.resolver import BrowserGuard
from spiders.sources import Source
from storage import Store

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


def loopback_name() -> tuple[str, str] | None:
    """This machine's host name and its loopback address, if it has one."""
    name = socket.gethostname()
    try:
        address = socket.gethostbyname(name)
    except OSError:
        return None
    if name == "localhost" or not ipaddress.ip_address(address).is_loopback:
        return None
    return name, address


class Handler(BaseHTTPRequestHandler):
    server: Site

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read the hits."""

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        if self.path == "/feed.xml":
            item = f"<item><link>{self.server.base}/a/1</link></item>"
            body = f'<?xml version="1.0"?><rss version="2.0"><channel>{item}</channel></rss>'
            kind = "application/rss+xml"
        else:
            body = article_html("Fishermen detained", [*EN_PARAS, "Reference one."])
            kind = "text/html; charset=utf-8"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, name: str, address: str) -> None:
        super().__init__((address, 0), Handler)
        self.hits: list[str] = []
        self.base = f"http://{name}:{self.server_address[1]}"


@contextlib.contextmanager
def serving(name: str, address: str) -> Iterator[Site]:
    site = Site(name, address)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.shutdown()
        site.server_close()
        thread.join()


def crawl(tmp: Path, site: Site, **settings: str) -> tuple[list[str], set[str]]:
    """Crawl the site under its host name: the failure reasons and the stored paths."""
    sources = tmp / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "by-name"\nkind = "feed"\nlanguages = ["en"]\n'
        f'start_urls = ["{site.base}/feed.xml"]\n',
        encoding="utf-8",
    )
    data_dir = tmp / "data"
    subprocess.run(
        crawl_command(sources, data_dir, **settings), capture_output=True, text=True, timeout=120
    )
    store = Store(data_dir / "marsad.duckdb")
    try:
        reasons = [row["reason"] for row in store.failures()]
        stored = {path_of(d["url"]) for d in store.documents()}
    finally:
        store.close()
    return reasons, stored


needs_name = pytest.mark.skipif(
    loopback_name() is None, reason="this machine's host name does not resolve to loopback"
)


@needs_name
def test_a_name_that_resolves_to_loopback_is_never_connected_to(tmp_path: Path) -> None:
    name, address = loopback_name() or ("", "")
    with serving(name, address) as site:
        reasons, stored = crawl(tmp_path, site)
    assert site.hits == [], "the crawler connected to this machine"
    assert stored == set()
    assert reasons == [f"refused: {name}: resolves to an internal address"]


@needs_name
def test_an_intranet_deployment_may_allow_private_names(tmp_path: Path) -> None:
    name, address = loopback_name() or ("", "")
    with serving(name, address) as site:
        reasons, stored = crawl(tmp_path, site, MARSAD_PRIVATE_DNS_OK="True")
    assert reasons == []
    assert stored == {"/a/1"}


class Asked:
    """What Playwright hands the abort predicate: only the URL is read."""

    def __init__(self, url: str) -> None:
        self.url = url


def aborts(guard: BrowserGuard, url: str) -> bool:
    return asyncio.run(guard(Asked(url)))


def test_chromium_is_stopped_before_internal_addresses_for_a_public_source() -> None:
    guard = BrowserGuard(internal_ok=False)
    for url in ("http://127.0.0.1:9/admin", "http://[::1]/", "http://169.254.169.254/latest"):
        assert aborts(guard, url), url
    assert aborts(guard, "http://localhost:8080/")
    assert not aborts(guard, "data:image/png;base64,AAAA")
    # A name that does not resolve is left to Chromium, which reports it as unresolved.
    assert not aborts(guard, "https://marsad-test.invalid/a/1")
    assert guard.refused[0] == "http://127.0.0.1:9/admin"
    local = BrowserGuard(internal_ok=True)
    assert not aborts(local, "http://127.0.0.1:9/admin")


@needs_name
def test_chromium_is_stopped_before_a_name_that_resolves_inside() -> None:
    name, _ = loopback_name() or ("", "")
    assert aborts(BrowserGuard(internal_ok=False), f"http://{name}:8080/pixel.png")


def test_each_rendered_source_gets_its_own_guard_in_its_crawler_settings() -> None:
    def rendered(name: str, url: str) -> Source:
        return Source(
            name=name, kind="rendered", languages=("en",), start_urls=(url,), wait_for="article"
        )

    public = spider_class(rendered("public", "https://news.example/libya"))
    local = spider_class(rendered("local", "http://127.0.0.1:8765/libya"))
    assert public.custom_settings is not None and local.custom_settings is not None
    guard = public.custom_settings["PLAYWRIGHT_ABORT_REQUEST"]
    assert guard is public.browser_guard and not guard.internal_ok
    assert local.custom_settings["PLAYWRIGHT_ABORT_REQUEST"].internal_ok
