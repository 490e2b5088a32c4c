"""Names that resolve inside: a public host name must not lead the crawler to this machine.

`spiders/redirects.py` refuses links and redirects to internal addresses by what the URL says
(`127.0.0.1`, `localhost`, `10.x`). A site can do the same with a name of its own whose DNS
answer is internal (`x.attacker.example` → `127.0.0.1`, or a name that changes answer between
two lookups: DNS rebinding). The crawler's resolver therefore refuses any name that resolves to
a loopback, private, link-local or otherwise non-global address, unless it is an internal name
already (`localhost`, which the URL checks judge with the source in mind). Intranet deployments
whose sources live on private names set `MARSAD_PRIVATE_DNS_OK = True`.

Chromium resolves names itself, so `rendered` sources are guarded in the browser too: every
request of the page (navigation, redirects, scripts, images) is aborted when it goes to an
internal address or to a name that resolves to one, unless the source itself is internal.
What is checked there is a lookup just before Chromium's own, so a name that answers
differently the second time can still slip through; the 3xx and link checks still apply.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

from spiders.redirects import internal

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scrapy.crawler import Crawler
    from twisted.internet.base import ReactorBase
    from twisted.internet.defer import Deferred

REFUSED = "resolves to an internal address"
# Names refused in this process. Twisted reports any failed lookup as "no results", so the
# spider reads the reason here; like Scrapy's own DNS cache, it lives as long as the process.
refused_names: set[str] = set()


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _global(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global


def checked_name(name: str) -> bool:
    """Whether `name` is a host name whose answer must be global (not a literal, not localhost)."""
    return not _is_ip(name) and not internal(f"http://{name}/")


class PublicNameResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing public names whose answer is internal."""

    def __init__(self, reactor: ReactorBase, cache_size: int, timeout: float, *, private_ok: bool):
        super().__init__(reactor, cache_size, timeout)
        self.private_ok = private_ok

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: ReactorBase) -> PublicNameResolver:
        settings = crawler.settings
        return cls(
            reactor,
            settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0,
            settings.getfloat("DNS_TIMEOUT"),
            private_ok=settings.getbool("MARSAD_PRIVATE_DNS_OK"),
        )

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        answer = super().getHostByName(name, timeout)
        if self.private_ok or not checked_name(name):
            return answer

        def judge(address: str) -> str:
            if not _global(address):
                refused_names.add(name)
                raise DNSLookupError(f"{name}: {REFUSED}")
            return address

        return answer.addCallback(judge)


async def _resolves_inside(host: str) -> bool:
    loop = asyncio.get_running_loop()
    try:
        answers = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return False  # Chromium will fail to resolve it too, and say so
    return any(not _global(str(answer[4][0])) for answer in answers)


class BrowserGuard:
    """scrapy-playwright's `PLAYWRIGHT_ABORT_REQUEST` for one source: True aborts the request.

    The addresses it refused are kept, so the spider can name why a page failed (Chromium only
    reports `net::ERR_FAILED` for an aborted request).
    """

    def __init__(self, internal_ok: bool) -> None:
        self.internal_ok = internal_ok
        self.refused: list[str] = []

    async def __call__(self, request: Any) -> bool:
        url = str(request.url)
        if self.internal_ok or urlsplit(url).scheme not in {"http", "https"}:
            return False  # data:, blob: and the like never leave the browser
        host = (urlsplit(url).hostname or "").rstrip(".")
        if internal(url) or (checked_name(host) and await _resolves_inside(host)):
            self.refused.append(url)
            return True
        return False
