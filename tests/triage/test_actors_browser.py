"""The actor pages and the queue's actor and parent filters, driven in headless Chromium as a
viewer (who may read them). Affiliation dates are the registry's (see test_actors_view)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from live import chromium, log_in, serving
from triage_fixtures import BENGHAZI, PASSWORD, TRIPOLI, finding

from triage import accounts

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Page
    from triage_fixtures import Desk

pytestmark = pytest.mark.browser

RADAA = {"name": "Radaa Special Deterrence Force", "category": "armed_group"}
GUNMEN = {"name": "armed men", "category": "unidentified_armed_men"}
# (day, place, perpetrator): Radaa under the Interior Ministry, then under the Presidential
# Council; and an incident no registry unit is named in.
INCIDENTS = [
    ("2017-03-02", TRIPOLI, RADAA),
    ("2019-06-10", TRIPOLI, RADAA),
    ("2019-06-20", BENGHAZI, GUNMEN),
]


@pytest.fixture
def served(desk: Desk) -> Iterator[str]:
    for n, (day, place, perpetrator) in enumerate(INCIDENTS):
        text = f"Gunmen seized student number {n}."
        desk.add(
            f"https://a.example/{n}",
            text,
            [
                finding(
                    text,
                    text,
                    types=["enforced_disappearance"],
                    day=day,
                    location=place,
                    perpetrators=[perpetrator],
                )
            ],
        )
    accounts.add(desk.store, "vera", "viewer", PASSWORD, by="test")
    with serving(desk.store) as base:
        yield base


@pytest.fixture
def page(served: str) -> Iterator[Page]:
    with chromium() as browser:
        tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        log_in(tab, served, "vera", PASSWORD)
        yield tab


def _rows(page: Page, table: str = "#queue") -> int:
    return page.locator(f"{table} tbody tr[data-id]").count()


def _go(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_actor_page_and_the_actor_and_parent_filters(page: Page) -> None:
    _go(page, 'header nav a[href="/actors"]')
    _go(page, '#actors a[href="/actors/radaa"]')
    assert page.inner_text("#actor-name").startswith("Radaa Special Deterrence Force")
    assert page.get_attribute("#aliases-ar", "dir") == "rtl"
    assert "قوة الردع" in page.inner_text("#aliases-ar")
    assert "Rada" in page.inner_text("#aliases-en")
    assert "2013 – 2018-05" in page.inner_text("#affiliations")
    assert _rows(page, "#actor-incidents") == 2

    # The queue filtered by the actor: both its incidents, whatever their status, and the
    # choice is a chip that survives pressing Filter.
    _go(page, "#queue-actor")
    assert _rows(page) == 2
    assert page.locator('#chips a[data-key="actor"]').count() == 1
    _go(page, "form.filters button[type=submit]")
    assert _rows(page) == 2

    # The Interior Ministry's units: Radaa's 2017 incident only (in 2019 it answered to the
    # Presidential Council).
    page.goto(page.url.split("/?")[0] + "/actors/radaa")
    _go(page, '#affiliations a[data-parent="interior_ministry"]')
    assert page.locator('#units a[data-unit="radaa"]').count() == 1
    assert page.inner_text("#under-total") == "1"
    _go(page, "#queue-parent")
    assert _rows(page) == 1
    assert page.locator('#chips a[data-key="parent"]').count() == 1

    # In Arabic, right to left, with the same names.
    page.select_option("#lang", "ar")
    _go(page, "#save-preferences")
    page.goto(page.url.split("/?")[0] + "/actors/radaa")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.inner_text('header nav a[href="/actors"]') == "الجهات الفاعلة"
    assert _rows(page, "#actor-incidents") == 2
