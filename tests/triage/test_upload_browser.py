"""Adding documents in headless Chromium: an analyst uploads a JSON Lines file through the form,
a viewer is refused by the server even when posting with their own session and token."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from live import chromium, log_in, serving
from test_upload import JSONL
from triage_fixtures import PASSWORD

from triage import accounts

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, FilePayload, Page
    from triage_fixtures import Desk

pytestmark = pytest.mark.browser


@pytest.fixture
def served(desk: Desk) -> Iterator[tuple[Desk, str]]:
    accounts.add(desk.store, "amira", "analyst", PASSWORD, by="test")
    accounts.add(desk.store, "nadia", "viewer", PASSWORD, by="test")
    with serving(desk.store) as base:
        yield desk, base


@pytest.fixture
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def _login(browser: Browser, base: str, name: str) -> Page:
    page = browser.new_context().new_page()
    log_in(page, base, name, PASSWORD)
    return page


def test_an_analyst_uploads_a_jsonl_file(served: tuple[Desk, str], browser: Browser) -> None:
    from test_ingest import _nlp_ready

    _nlp_ready()
    desk, base = served
    page = _login(browser, base, "amira")
    with page.expect_navigation():
        page.locator("#ingest-link").click()
    upload: FilePayload = {"name": "a.jsonl", "mimeType": "application/jsonl", "buffer": JSONL}
    page.set_input_files("#ingest-file", files=upload)
    with page.expect_navigation():
        page.locator("#ingest-send").click()
    assert page.locator("#ingest-stored").inner_text() == "2"
    assert page.locator("#ingest-errors tbody tr").count() == 6
    # The line numbers are those of the file (test_upload.JSONL: line 1 good, 2-4 malformed).
    first = page.locator("#ingest-errors tbody tr").first.locator("td").first.inner_text()
    assert first == "2"
    incident = page.locator("#ingest-incidents a").first
    with page.expect_navigation():
        incident.click()
    assert "/incidents/" in page.url
    assert len(desk.store.documents()) == 2


def test_a_viewer_is_refused(served: tuple[Desk, str], browser: Browser) -> None:
    desk, base = served
    page = _login(browser, base, "nadia")
    assert page.locator("#ingest-link").count() == 0
    shown = page.goto(base + "/ingest")
    assert shown is not None
    assert shown.status == 403
    # Even posting straight to the server, with the viewer's own session and CSRF token.
    page.goto(base + "/")
    token = page.locator("#preferences input[name=csrf]").get_attribute("value")
    assert token
    answer = page.request.post(
        base + "/ingest",
        multipart={
            "csrf": token,
            "file": {"name": "a.jsonl", "mimeType": "application/jsonl", "buffer": JSONL},
        },
        headers={"origin": base},
    )
    assert answer.status == 403
    assert desk.store.documents() == []
