"""The triage app served for real on a free local port, and Debian's Chromium to drive it: what
every browser test of the UI starts from."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import TYPE_CHECKING

import uvicorn

from marsad.settings import PLAYWRIGHT_LAUNCH_OPTIONS
from triage.app import create_app

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

    from storage import Store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(store: Store) -> Iterator[str]:
    """`create_app(store)` under uvicorn in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Chromium; Playwright gives it a fresh temporary profile (never ~/)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # The crawler's own launch options: Debian's Chromium, headless, no background traffic.
        launched = p.chromium.launch(**PLAYWRIGHT_LAUNCH_OPTIONS)
        try:
            yield launched
        finally:
            launched.close()


def log_in(page: Page, base: str, name: str, password: str) -> None:
    """Sign `name` in through the login form, as an analyst would."""
    page.goto(base + "/login")
    page.locator("input[name=name]").fill(name)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("form.login button").click()
