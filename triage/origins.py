"""Who may talk to the server: the names it answers to, and where changes may come from.

DNS rebinding: a page on `evil.example` re-points its own name at 127.0.0.1, and the victim's
browser then sends it this server's pages and takes its forms, as `evil.example` (the same
origin as far as the browser knows). The one thing such a request cannot hide is its `Host`
header, so only the names the server is reached by are answered: loopback names, the address
it is bound to, and the public name of `MARSAD_PUBLIC_URL`. An IP literal is always the server
it names, so behind a wildcard bind every address is fine; a name is not.

Cross-origin changes: a browser names where a request comes from (`Origin`, and
`Sec-Fetch-Site` in current browsers). A change (any method but GET, HEAD, OPTIONS) is refused
when the browser says it comes from another site or from another port of this one (a page
served elsewhere on the same machine is "same-site", not "same-origin"), or when its `Origin`
is not this server. A request naming neither is not from a browser that follows these rules
(the `marsad` CLI, curl); the token and the CSRF check still apply to it. A read from another
site is answered only as a navigation (following a link), never as a subresource or a fetch()
that a foreign page makes the browser send.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from starlette.responses import PlainTextResponse

if TYPE_CHECKING:
    from collections.abc import Iterable

    from starlette.types import ASGIApp, Receive, Scope, Send

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARDS = frozenset({"", "0.0.0.0", "::"})  # noqa: S104 - recognising the wildcard
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# `none`: typed in the address bar or opened from a bookmark.
ALLOWED_FETCH_SITES = frozenset({"same-origin", "none"})


def _hostname(netloc: str) -> str | None:
    """The host part of a `Host` header or an origin's authority, lower case, no brackets."""
    try:
        parts = urlsplit("//" + netloc)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return None
    return parts.hostname or None


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class OriginGuard:
    """ASGI middleware: answer only the server's own names; refuse cross-origin changes."""

    def __init__(self, app: ASGIApp, *, bound: str, public_urls: Iterable[str | None] = ()) -> None:
        self.app = app
        bound_name = bound.strip("[]").lower()
        self.any_ip = bound_name in WILDCARDS
        self.public_origins = set()
        names = set(LOOPBACK_NAMES)
        if not self.any_ip:
            names.add(bound_name)
        for url in public_urls:
            if not url:
                continue
            parts = urlsplit(url)
            if parts.hostname:
                names.add(parts.hostname)
                self.public_origins.add(f"{parts.scheme}://{parts.netloc}".lower())
        self.names = frozenset(names)

    def host_allowed(self, host: str | None) -> bool:
        name = _hostname(host or "")
        if name is None:
            return False
        return name in self.names or (self.any_ip and _is_ip(name))

    def change_allowed(self, scope: Scope, headers: dict[str, str]) -> bool:
        site = headers.get("sec-fetch-site")
        if site is not None and site not in ALLOWED_FETCH_SITES:
            return False
        origin = headers.get("origin")
        if origin is None:
            return True
        own = f"{scope.get('scheme', 'http')}://{headers.get('host', '')}".lower()
        return origin.lower() in ({own} | self.public_origins)

    @staticmethod
    def fetch_allowed(headers: dict[str, str]) -> bool:
        """A read from another site only as a navigation (a link followed, a digest opened):
        never as an image, a script or a fetch() that another page makes the browser send,
        since some reads are logged (a capture download writes a custody entry)."""
        site = headers.get("sec-fetch-site")
        if site is None or site in ALLOWED_FETCH_SITES:
            return True
        return headers.get("sec-fetch-mode") == "navigate" and headers.get(
            "sec-fetch-dest"
        ) not in ("object", "embed")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = None
        if not self.host_allowed(headers.get("host")):
            refusal = PlainTextResponse(
                "unknown host name: this server answers only to its own address", 421
            )
        else:
            changes = scope["method"] not in SAFE_METHODS
            if not self.fetch_allowed(headers) or (
                changes and not self.change_allowed(scope, headers)
            ):
                refusal = PlainTextResponse("cross-origin request refused", 403)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)
