"""Redirects that stay on the source: a 3xx or a meta refresh is followed only where it may go.

A page stored as a source's document must come from that source. A redirect is followed when
its target is on one of the source's own hosts (its start URLs' hosts, with or without `www.`,
http or https, same port) or matches the source's article pattern; anything else is refused
with the reason `redirect_off_source`. Whatever the pattern says, a redirect never leads to a
loopback, private, link-local or otherwise internal address unless the source itself lives on
one (the demo site and the tests serve from 127.0.0.1): a public site must not be able to point
the crawler at services on the machine or network it runs in.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.exceptions import IgnoreRequest

if TYPE_CHECKING:
    from scrapy import Request

    from spiders.sources import Source

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _site(url: str) -> tuple[str, int | None]:
    """Host without `www.` and port (None when the scheme's default), so that http, https and
    www variants of one site compare equal."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    host = host.removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port == _DEFAULT_PORTS.get(parts.scheme):
        port = None
    return host, port


def internal(url: str) -> bool:
    """Whether `url` names this machine or a private network by address or as localhost."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global


def refusal(source: Source, target: str) -> str | None:
    """Why a redirect of `source` to `target` must not be followed, or None to follow it."""
    if internal(target) and not any(internal(u) for u in source.start_urls):
        return "to an internal address"
    if _site(target) in {_site(u) for u in source.start_urls}:
        return None
    if source.article_pattern is not None and source.matches_article(target):
        return None
    return "to another site"


class _SourceBound:
    crawler: Any

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        source = getattr(self.crawler.spider, "source", None)
        if source is not None:
            why = refusal(source, redirected.url)
            if why is not None:
                self.crawler.stats.inc_value("spider/redirect_off_source")
                raise IgnoreRequest(f"redirect_off_source: {why}: {redirected.url[:300]}")
        followed: Request = super()._redirect(redirected, request, reason)  # type: ignore[misc]
        return followed


class SourceRedirectMiddleware(_SourceBound, RedirectMiddleware):
    """Scrapy's 3xx redirects, within the source."""


class SourceMetaRefreshMiddleware(_SourceBound, MetaRefreshMiddleware):
    """Scrapy's meta-refresh redirects, within the source."""
