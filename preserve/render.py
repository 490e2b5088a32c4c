"""Full-page screenshot and PDF of a capture, taken with Playwright driving Debian's Chromium.

The page is rendered from the stored capture, not fetched again: Chromium asks for the page's
URL and is answered with the captured bytes, so the picture shows what Marsad collected even
after the site has changed or gone. Scripts are off, because scraped pages are hostile input and
a script could rewrite what the capture says. `offline` (the default) refuses every other
request, so the render needs no network and the documented sites never see the organisation's
address; without it, images and stylesheets are fetched live.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from playwright.sync_api import BrowserContext, Route


@dataclass(frozen=True, slots=True)
class Rendered:
    screenshot: bytes
    pdf: bytes
    browser: str


STAND_IN = "https://capture.invalid/"


class Renderer:
    """One Chromium for many renders; use as a context manager. `launch` holds the crawl's
    Chromium (`PLAYWRIGHT_LAUNCH_OPTIONS`): its `executable_path` and `args`."""

    def __init__(
        self, launch: Mapping[str, Any], *, offline: bool = True, timeout_ms: int = 30_000
    ) -> None:
        self.launch = launch
        self.offline = offline
        self.timeout_ms = timeout_ms
        self._stack: list[Any] = []
        self._context: BrowserContext | None = None
        self.browser = "chromium"

    def __enter__(self) -> Renderer:
        from playwright.sync_api import sync_playwright

        profile = tempfile.TemporaryDirectory(prefix="marsad-chromium-")
        self._stack.append(profile)
        playwright = sync_playwright().start()
        self._stack.append(playwright)
        # Chromium writes a profile; keep it in a directory of our own, not the home directory.
        self._context = playwright.chromium.launch_persistent_context(
            profile.name,
            executable_path=str(self.launch["executable_path"]),
            headless=True,
            args=[str(arg) for arg in self.launch["args"]],
            java_script_enabled=False,
            viewport={"width": 1280, "height": 900},
        )
        page = self._context.new_page()
        version = page.context.new_cdp_session(page).send("Browser.getVersion")
        self.browser = str(version.get("product", "chromium"))
        page.close()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._context is not None:
            self._context.close()
            self._context = None
        for resource in reversed(self._stack):
            if hasattr(resource, "stop"):
                resource.stop()
            else:
                resource.cleanup()
        self._stack.clear()

    def render(self, body: bytes, url: str, content_type: str | None) -> Rendered:
        """Screenshot and PDF of `body` shown as if served at `url`."""
        if self._context is None:
            raise RuntimeError("Renderer used outside its `with` block")
        page = self._context.new_page()
        if not url.startswith(("http://", "https://")):
            # A document ingested from elsewhere has no web address ("ingest:<id>"): it is shown
            # at a reserved one that never resolves (RFC 2606), answered with its capture.
            url = STAND_IN
        target = url.split("#", 1)[0]
        served = False

        def answer(route: Route) -> None:
            nonlocal served
            request = route.request
            if not served and request.is_navigation_request() and request.url == target:
                served = True
                route.fulfill(status=200, body=body, content_type=content_type or "text/html")
            elif self.offline or request.is_navigation_request():
                # No navigation away from the capture, and nothing from the network offline.
                route.abort()
            else:
                route.continue_()

        try:
            page.route("**/*", answer)
            page.goto(url, wait_until="load", timeout=self.timeout_ms)
            screenshot = page.screenshot(full_page=True, type="png")
            pdf = page.pdf(print_background=True, prefer_css_page_size=True)
        finally:
            page.close()
        return Rendered(screenshot=screenshot, pdf=pdf, browser=self.browser)
