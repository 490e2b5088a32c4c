"""The interface language is the account's own: chosen once, it follows the analyst to any
browser and survives a restart; before login the browser's cookie, then its Accept-Language,
decide. Messages of the code (refusals, errors) come in Arabic too."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from starlette.datastructures import QueryParams
from starlette.testclient import TestClient
from triage_fixtures import PASSWORD, TRIPOLI, csrf_of, finding, signed_in

from incidents import corrections
from triage import filters, i18n
from triage.app import create_app

if TYPE_CHECKING:
    from triage_fixtures import Desk

ENGLISH = '<html lang="en" dir="ltr">'
ARABIC = '<html lang="ar" dir="rtl">'


def _log_in(client: TestClient, name: str = "amira") -> None:
    client.get("/login")
    answer = client.post(
        "/login",
        data={"csrf": client.cookies["marsad_csrf"], "name": name, "password": PASSWORD},
        follow_redirects=False,
    )
    assert answer.status_code == 303


def _choose(client: TestClient, lang: str) -> None:
    answer = client.post(
        "/preferences",
        data={"csrf": csrf_of(client), "lang": lang, "keys": "on", "next": "/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303


def test_the_choice_follows_the_account_to_other_browsers_and_a_restart(desk: Desk) -> None:
    app = create_app(desk.store)
    first = signed_in(app, desk.store)
    elsewhere = TestClient(app)
    _log_in(elsewhere)  # another browser, already signed in before the choice
    _choose(first, "ar")
    assert desk.store.user("amira")["language"] == "ar"  # type: ignore[index]
    assert ARABIC in elsewhere.get("/").text
    # A new browser with no cookie, after a restart (sessions are gone, the account stays).
    later = TestClient(create_app(desk.store))
    assert ENGLISH in later.get("/login").text
    _log_in(later)
    assert ARABIC in later.get("/").text
    # The account's choice wins over this browser's cookie.
    later.cookies.set(i18n.LANGUAGE_COOKIE, "en")
    assert ARABIC in later.get("/").text
    # Another account keeps its own.
    omar = signed_in(app, desk.store, "omar")
    assert ENGLISH in omar.get("/").text


def test_before_login_the_cookie_then_accept_language_decide(desk: Desk) -> None:
    client = TestClient(create_app(desk.store))
    assert ENGLISH in client.get("/login").text
    asked = {"accept-language": "fr-FR, ar-LY;q=0.9, en;q=0.8"}
    page = client.get("/login", headers=asked).text
    assert ARABIC in page
    assert "<h1>تسجيل الدخول</h1>" in page
    client.cookies.set(i18n.LANGUAGE_COOKIE, "en")
    assert ENGLISH in client.get("/login", headers=asked).text


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ar", "ar"),
        ("en-GB,en;q=0.9,ar;q=0.8", "en"),
        ("en;q=0.5, ar-LY", "ar"),
        ("ar;q=0, en", "en"),
        ("de, fr;q=0.9", "en"),
        ("ar;q=abc, en;q=0.1", "en"),
        ("", "en"),
    ],
)
def test_accept_language_is_read_by_its_weights(header: str, expected: str) -> None:
    assert i18n.choose(None, None, header) == expected


def test_a_refusal_and_a_failed_login_are_said_in_arabic(desk: Desk) -> None:
    text = "Gunmen killed a man in Tripoli."
    desk.add(
        "https://a.example/1",
        text,
        [finding(text, text, types=["killing"], day="2024-05-01", location=TRIPOLI)],
    )
    client = signed_in(create_app(desk.store), desk.store)
    _choose(client, "ar")
    # Sent to verification before it is confirmed: the workflow refuses, in Arabic.
    answer = client.post("/incidents/1/status", data={"csrf": csrf_of(client), "status": "sent"})
    assert answer.status_code == 400
    assert (
        '<p class="error" id="error-message">الحادثة 1 حالتها «جديدة»: لا يمكن أن تصبح '
        "«أُرسلت للتحقق» من هناك (أكّدها أولاً)</p>"
    ) in answer.text
    assert "<h1>400 · لا يمكن تنفيذ الطلب</h1>" in answer.text
    missing = client.get("/incidents/99")
    assert missing.status_code == 404 and "لا توجد حادثة رقم 99" in missing.text
    stranger = TestClient(create_app(desk.store))
    stranger.cookies.set(i18n.LANGUAGE_COOKIE, "ar")
    stranger.get("/login")
    failed = stranger.post(
        "/login",
        data={"csrf": stranger.cookies["marsad_csrf"], "name": "amira", "password": "wrong"},
    )
    assert "الاسم أو كلمة المرور خاطئة (أو الحساب معطّل)" in failed.text


def test_every_message_keeps_its_places_in_arabic() -> None:
    for english, arabic in i18n.MESSAGES.items():
        assert sorted(re.findall(r"{\w+}", english)) == sorted(re.findall(r"{\w+}", arabic))


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("types", "tortur"),
        ("types", ""),
        ("date", "2024-13"),
        ("date", "2024-05-12 fortnight"),
        ("date", "2024-05-18/2024-05-12"),
        ("place", "@ 31.2,16.59"),
        ("place", "Sirte @ north"),
        ("place", "Sirte @ 99,16"),
        ("killed", "many"),
        ("victims", "aliens:2"),
        ("victims", "children:x"),
    ],
)
def test_what_the_corrections_refuse_is_said_in_arabic(field: str, typed: str) -> None:
    with pytest.raises(corrections.CorrectionError) as refused:
        corrections.parse(field, typed)
    said = i18n.message(str(refused.value), "ar")
    # Arabic, with no English word left but the values and the words the form reads.
    assert said != str(refused.value)
    assert re.search(r"[\u0600-\u06ff]", said)


def test_what_the_filters_refuse_is_said_in_arabic() -> None:
    params = QueryParams("type=tortur&from=2026-13-45&min_confidence=2&order=loudest")
    with pytest.raises(filters.FilterError) as refused:
        filters.parse(params)
    said = i18n.message(str(refused.value), "ar")
    assert said.count("؛") == 2 and "unknown" not in said and "takes" not in said
    with pytest.raises(filters.FilterError) as refused:
        filters.order(params)
    assert i18n.message(str(refused.value), "ar").startswith("ترتيب غير معروف 'loudest'")
