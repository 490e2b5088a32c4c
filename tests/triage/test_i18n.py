"""The interface in Arabic: every phrase of the translated pages has its Arabic, the switch is
the analyst's own and lays the page out right to left, and shortcuts can be turned off."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from triage_fixtures import TRIPOLI, Desk, csrf_of, finding, signed_in

from triage import facets, filters, i18n
from triage.app import STATUS_LABELS, create_app

TEMPLATES = Path(__file__).resolve().parents[2] / "triage" / "templates"
# Every page is translated.
TRANSLATED = sorted(p.name for p in TEMPLATES.glob("*.html"))


@pytest.mark.parametrize("name", TRANSLATED)
def test_every_phrase_of_a_translated_page_has_its_arabic(name: str) -> None:
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    # `_("phrase")` or `_("phrase {n}", n=...)`.
    phrases = re.findall(r"""_\((["'])(.+?)\1[,)]""", text)
    assert phrases
    assert [p for _, p in phrases if p not in i18n.ARABIC] == []
    # A phrase's places are the same in both languages.
    for _, p in phrases:
        assert sorted(re.findall(r"{\w+}", p)) == sorted(re.findall(r"{\w+}", i18n.ARABIC[p]))


def test_labels_from_code_have_their_arabic() -> None:
    names = [
        *STATUS_LABELS.values(),
        *(t.replace("_", " ") for t in filters.TYPES),
        *facets.LABELS.values(),
        *(label for label, _ in facets.COLUMNS),
        "undated", "day", "week", "month", "year", "all",
    ]  # fmt: skip
    assert [n for n in names if n not in i18n.ARABIC] == []


def test_the_switch_is_kept_per_analyst_and_turns_the_page_right_to_left(desk: Desk) -> None:
    text = "Gunmen killed a man in Tripoli."
    desk.add(
        "https://a.example/1",
        text,
        [finding(text, text, types=["killing"], day=None, location=TRIPOLI)],
    )
    client = signed_in(create_app(desk.store), desk.store)
    assert '<html lang="en" dir="ltr">' in client.get("/").text
    token = csrf_of(client)
    answer = client.post(
        "/preferences",
        data={"csrf": token, "lang": "ar", "keys": "off", "next": "/map"},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/map"
    page = client.get("/").text
    assert '<html lang="ar" dir="rtl">' in page
    assert 'data-keys="off"' in page
    assert '<a href="/">قائمة الحوادث</a>' in page
    assert '<span class="type">قتل</span>' in page
    assert "غير مؤرخ" in page  # the facet value "undated"
    # Another analyst's browser is still in English.
    other = signed_in(create_app(desk.store), desk.store, "omar")
    assert '<html lang="en" dir="ltr">' in other.get("/").text
    # Dates are typed and shown as ISO dates, whatever the browser's locale.
    assert 'name="from" value="" placeholder="YYYY-MM-DD"' in page
    assert 'type="date"' not in page


def test_preferences_need_the_csrf_token_and_refuse_unknown_values(desk: Desk) -> None:
    client = signed_in(create_app(desk.store), desk.store)
    assert client.post("/preferences", data={"lang": "ar"}).status_code == 403
    token = csrf_of(client)
    client.post("/preferences", data={"csrf": token, "lang": "fr", "keys": "sometimes"})
    page = client.get("/").text
    assert '<html lang="en" dir="ltr">' in page
    assert 'data-keys="on"' in page
