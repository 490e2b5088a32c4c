"""The incident page's layout, the Arabic interface page by page, and the map's tap targets,
driven in headless Chromium (the documents are test_find_browser's, written for the tests).

"Untranslated" is judged from the catalogue itself: no English phrase of `triage.i18n` (nor a
message of the code) may show on a page in Arabic, as text or as a label a screen reader
reads.
"""

from __future__ import annotations

import itertools
import math
import re
from typing import TYPE_CHECKING, Any

import pytest
from test_find_browser import _page, _rows, browser, served  # noqa: F401 - fixtures used by name
from test_map import many

from triage import i18n

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from triage_fixtures import Desk

pytestmark = pytest.mark.browser

# The visible words of a page, and the labels screen readers read (not hidden form values).
WORDS = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (text && !node.parentElement.closest("script, style")) found.push(text);
  }
  for (const el of document.querySelectorAll("[placeholder], [title], [aria-label]")) {
    for (const name of ["placeholder", "title", "aria-label"]) {
      const value = el.getAttribute(name);
      if (value) found.push(value.trim());
    }
  }
  return found;
}"""


def _english() -> tuple[set[str], list[re.Pattern[str]]]:
    """The catalogue's English phrases that Arabic says otherwise: plain ones, and those with
    places as patterns (the code's messages too)."""
    phrases = {e for e, a in i18n.ARABIC.items() if e != a} | set(i18n.MESSAGES)
    plain = {p for p in phrases if "{" not in p}
    patterns = [
        re.compile(re.sub(r"\\\{\w+\\\}", ".+?", re.escape(p))) for p in phrases if "{" in p
    ]
    return plain, patterns


def _untranslated(page: Page) -> list[str]:
    plain, patterns = _english()
    words: list[str] = page.evaluate(WORDS)
    return sorted({w for w in words if w in plain or any(p.fullmatch(w) for p in patterns)})


def _box(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return dict(box)


def _in_arabic(page: Page, base: str) -> None:
    page.goto(base + "/")
    page.select_option("#lang", "ar")
    page.click("#save-preferences")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"


def test_the_evidence_stands_beside_the_decision_on_a_wide_screen(
    served: tuple[Desk, str],  # noqa: F811
    browser: Browser,  # noqa: F811
) -> None:
    _, base = served
    page = _page(browser, base, width=1280, height=800)
    page.goto(base + "/?status=all")
    incident = _rows(page)[0]
    page.goto(f"{base}/incidents/{incident}")
    decision = _box(page, "#status-form")
    text = _box(page, ".doctext")
    mark = _box(page, "mark.evidence")
    # Beside it, not under it; both above the fold.
    assert text["x"] >= decision["x"] + decision["width"]
    assert decision["y"] + decision["height"] <= 800
    assert mark["y"] + mark["height"] <= 800
    assert text["y"] < 800
    # The correction form is beside the evidence too (the same column as the decision).
    assert _box(page, "#correct-form")["x"] < text["x"]
    # Right to left in Arabic: the evidence stands at the left.
    _in_arabic(page, base)
    page.goto(f"{base}/incidents/{incident}")
    decision, text = _box(page, "#status-form"), _box(page, ".doctext")
    assert text["x"] + text["width"] <= decision["x"]
    assert _box(page, "mark.evidence")["y"] < 800


def test_the_incident_page_fits_a_phone(
    served: tuple[Desk, str],  # noqa: F811
    browser: Browser,  # noqa: F811
) -> None:
    _, base = served
    page = _page(browser, base, width=390, height=844)
    page.goto(base + "/?status=all")
    incident = _rows(page)[0]
    for path in (f"/incidents/{incident}", f"/incidents/{incident}/duplicate?target=1"):
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    page.goto(f"{base}/incidents/{incident}")
    # One column: the decision first, then the evidence, each as wide as the screen allows.
    decision, text = _box(page, "#status-form"), _box(page, ".doctext")
    assert decision["y"] < text["y"]
    assert text["x"] >= 0 and text["x"] + text["width"] <= 390


def test_no_page_shows_an_english_label_in_arabic(
    served: tuple[Desk, str],  # noqa: F811
    browser: Browser,  # noqa: F811
) -> None:
    desk, base = served
    page = _page(browser, base)
    _in_arabic(page, base)
    ids = [int(i) for i in _rows(page)]
    first, second = ids[0], ids[1]
    seen: dict[str, list[str]] = {}
    for path in (
        "/?status=all",
        f"/incidents/{first}",
        f"/incidents/{first}/duplicate?target={second}",
        f"/incidents/{first}/duplicate?target={first}",  # refused: the error, in Arabic
        "/incidents/999999",  # the error page
        "/map?status=all",
        "/trends?status=all",
    ):
        page.goto(base + path)
        seen[path] = _untranslated(page)
    # The decision dialog (its question written by the script from the page's words).
    page.goto(f"{base}/incidents/{first}")
    page.keyboard.press("c")
    question = page.locator("#decide-question")
    assert question.is_visible()
    assert question.inner_text().startswith(f"تأكيد: الحادثة {first} (")
    seen["dialog"] = _untranslated(page)
    # The undo offer after the decision, and the history that records it.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#undo").is_visible()
    assert desk.store.incident_status(first) == "confirmed"
    seen["undo"] = _untranslated(page)
    # The login page after logout: the account's language stays in this browser.
    page.click("#logout")
    page.wait_for_load_state()
    assert "/login" in page.url
    assert page.locator("h1").inner_text() == "تسجيل الدخول"
    page.fill("input[name=name]", "amira")
    page.fill("input[name=password]", "not the password")
    page.click("form.login button")
    page.wait_for_load_state()
    seen["login"] = _untranslated(page)
    assert {where: found for where, found in seen.items() if found} == {}


def _centres(page: Page) -> list[tuple[float, float, dict[str, Any]]]:
    found = []
    for cluster in page.locator("a.cluster").all():
        box = cluster.bounding_box()
        assert box is not None
        found.append((box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, box))
    return found


def _targets_apart(page: Page) -> None:
    """WCAG 2.5.8: each target at least 24 by 24 CSS px, and no two overlapping."""
    clusters = _centres(page)
    assert len(clusters) > 3
    for _, _, box in clusters:
        assert box["width"] >= 24 and box["height"] >= 24, box
    for (x1, y1, a), (x2, y2, b) in itertools.combinations(clusters, 2):
        assert math.dist((x1, y1), (x2, y2)) >= (a["width"] + b["width"]) / 2 - 0.5


def test_map_clusters_are_big_enough_to_tap_on_a_phone(
    served: tuple[Desk, str],  # noqa: F811
    browser: Browser,  # noqa: F811
) -> None:
    desk, base = served
    many(desk.store, 5000)
    page = _page(browser, base, width=390, height=844)
    page.goto(f"{base}/map?status=all")
    _targets_apart(page)
    # Drawing near clusters as one loses no incident.
    counts = [int(str(c.get_attribute("data-count"))) for c in page.locator("a.cluster").all()]
    assert sum(counts) == 5005
    # Closer in, around the biggest cluster, the same holds.
    with page.expect_navigation():
        page.locator("a.cluster").first.click()
    assert "zoom=4" in page.url
    _targets_apart(page)
