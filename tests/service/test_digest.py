"""The daily digest: what is new since the last one, grouped, linked, escaped, and mailed."""

from __future__ import annotations

import email
import email.policy
import socket
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from aiosmtpd.controller import Controller
from service_fixtures import MISRATA, SEBHA, add_incident, finding

from marsad import digest
from storage import Store

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

BASE = "https://triage.example.org"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "data" / "marsad.duckdb")
    try:
        yield opened
    finally:
        opened.close()


def killing_in_misrata(store: Store, data_dir: Path, n: int = 1) -> int:
    text = f"Witnesses said {n + 1} men were shot dead at a checkpoint near Misrata on 5 November."
    return add_incident(
        store,
        data_dir,
        f"https://example.org/news/misrata-{n}",
        text,
        finding(
            text,
            types=["killing", "attack_on_civilians"],
            day=f"2026-11-0{n}",
            location=MISRATA,
            counts={"killed": n + 1},
        ),
        title="Named victims: Ahmed and Salem",
    )


def detention_in_sebha(store: Store, data_dir: Path) -> int:
    text = "A lawyer reported that security forces detained three activists in Sebha on 2 November."
    return add_incident(
        store,
        data_dir,
        "https://example.org/news/sebha-activists",
        text,
        finding(
            text,
            types=["arbitrary_detention"],
            day="2026-11-02",
            location=SEBHA,
            counts={"detained": 3},
        ),
    )


def unplaced_torture(store: Store, data_dir: Path) -> int:
    text = "A former detainee described beatings and electric shocks during interrogation."
    return add_incident(
        store,
        data_dir,
        "https://example.org/news/testimony",
        text,
        finding(text, types=["torture"], day="2026-11-04", location=None),
    )


def test_new_incidents_grouped_by_type_and_district_with_links(
    store: Store, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    killing = killing_in_misrata(store, data_dir)
    detention = detention_in_sebha(store, data_dir)
    torture = unplaced_torture(store, data_dir)

    written = digest.make(store, data_dir, base_url=BASE + "/")
    assert written.incidents == 3
    assert written.markdown_path.parent == data_dir / "digests"
    text = written.markdown_path.read_text(encoding="utf-8")
    page = written.html_path.read_text(encoding="utf-8")

    # By main type (the gravest first), then district; a second type is named on the line.
    assert text.index("## killing (1)") < text.index("## torture (1)")
    assert text.index("## torture (1)") < text.index("## arbitrary detention (1)")
    assert f"[Incident {killing}]({BASE}/incidents/{killing})" in text
    assert f"[Incident {detention}]({BASE}/incidents/{detention})" in text
    assert f"[Incident {torture}]({BASE}/incidents/{torture})" in text
    assert f"### [Misrata]({BASE}/?status=all&type=killing&district=Misrata) (1)" in text
    assert "### [district not known]" in text
    assert "2 killed" in text
    assert "also attack on civilians" in text
    assert f'<a href="{BASE}/incidents/{killing}">Incident {killing}</a>' in page
    # Headlines (which can name victims) stay behind the UI's login.
    assert "Ahmed" not in text
    assert "Ahmed" not in page


def test_each_digest_starts_where_the_last_one_ended(store: Store, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    killing_in_misrata(store, data_dir)
    first = digest.make(store, data_dir, base_url=BASE)
    assert first.incidents == 1

    empty = digest.make(store, data_dir, base_url=BASE)
    assert empty.incidents == 0
    assert "No new incidents." in empty.markdown_path.read_text(encoding="utf-8")

    later = detention_in_sebha(store, data_dir)
    third = digest.build(store, base_url=BASE)
    assert [i["id"] for i in third.incidents] == [later]
    last = store.last_digest()
    assert last is not None
    assert last["incidents"] == 0
    assert third.since == last["until"]


def test_the_first_digest_covers_the_last_day(store: Store, tmp_path: Path) -> None:
    killing_in_misrata(store, tmp_path / "data")
    now = datetime.now(UTC)
    assert len(digest.build(store, base_url=BASE, until=now).incidents) == 1
    # An incident clustered more than a day before the first digest is not "new".
    assert digest.build(store, base_url=BASE, until=now + timedelta(days=2)).incidents == []


def test_merged_away_incidents_are_left_out(store: Store, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = killing_in_misrata(store, data_dir, 1)
    second = killing_in_misrata(store, data_dir, 2)
    if first != second:
        store.merge_incidents(second, first, actor="analyst", reason="same event")
    ids = [i["id"] for i in digest.build(store, base_url=BASE).incidents]
    assert ids == [first]


def test_hostile_place_names_are_escaped(store: Store, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    text = "Gunmen abducted a journalist in the old quarter on 6 November, his colleagues said."
    hostile = {
        "name": "<script>alert(1)</script> [x](javascript:alert(2))",
        "name_ar": None,
        "admin1": "<b>Tripoli</b>",
        "lat": None,
        "lon": None,
    }
    add_incident(
        store,
        data_dir,
        "https://example.org/news/quarter",
        text,
        finding(text, types=["enforced_disappearance"], day="2026-11-06", location=hostile),
    )
    written = digest.make(store, data_dir, base_url=BASE)
    page = written.html_path.read_text(encoding="utf-8")
    text_out = written.markdown_path.read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "<b>" not in page
    assert "&lt;script&gt;" in page
    assert "](javascript:" not in text_out
    assert "\\[x\\]\\(javascript:alert\\(2\\)\\)" in text_out


def test_quiet_sources_are_named(store: Store, tmp_path: Path) -> None:
    for _ in range(3):
        run_id = store.start_run("gone-quiet")
        store.finish_run(
            run_id,
            status="finished",
            finish_reason="finished",
            pages_fetched=0,
            documents_new=0,
            failures=0,
            stats={"spider/article_links": 0},
        )
    text = digest.markdown(digest.build(store, base_url=BASE))
    assert "## Sources that stopped yielding articles" in text
    assert "- gone-quiet" in text


# -- sending -----------------------------------------------------------------------------------


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def mail_env(port: int, **more: str) -> dict[str, str]:
    return {
        "MARSAD_SMTP_HOST": "127.0.0.1",
        "MARSAD_SMTP_PORT": str(port),
        "MARSAD_SMTP_SECURITY": "none",
        "MARSAD_SMTP_FROM": "marsad@example.org",
        "MARSAD_DIGEST_TO": "desk@example.org, lead@example.org",
        **more,
    }


def test_the_digest_is_sent_by_smtp(store: Store, tmp_path: Path, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    data_dir = tmp_path / "data"
    killing = killing_in_misrata(store, data_dir)
    mail = digest.Mail.from_env(mail_env(port))
    written = digest.make(store, data_dir, base_url=BASE, mail=mail)

    assert written.send_error is None
    assert written.sent_to == ("desk@example.org", "lead@example.org")
    ((sender, recipients, raw),) = inbox.messages
    assert sender == "marsad@example.org"
    assert recipients == ["desk@example.org", "lead@example.org"]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"].endswith("1 new incident")
    assert isinstance(message, email.message.EmailMessage)
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    assert f"{BASE}/incidents/{killing}" in plain.get_content()
    assert f'href="{BASE}/incidents/{killing}"' in html.get_content()
    last = store.last_digest()
    assert last is not None
    assert last["sent_to"] == ["desk@example.org", "lead@example.org"]


def test_a_failed_send_keeps_the_files_and_says_why(store: Store, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    killing_in_misrata(store, data_dir)
    # Nothing listens on port 9 (discard) here: the connection is refused.
    mail = digest.Mail.from_env(mail_env(9))
    written = digest.make(store, data_dir, base_url=BASE, mail=mail)
    assert written.sent_to == ()
    assert written.send_error is not None
    assert written.markdown_path.exists()
    last = store.last_digest()
    assert last is not None
    assert last["send_error"] == written.send_error


def test_mail_settings() -> None:
    assert digest.Mail.from_env({}) is None
    with pytest.raises(digest.DigestError, match="both"):
        digest.Mail.from_env({"MARSAD_SMTP_HOST": "smtp.example.org"})
    with pytest.raises(digest.DigestError, match="unencrypted"):
        digest.Mail.from_env(
            {
                "MARSAD_SMTP_HOST": "smtp.example.org",
                "MARSAD_DIGEST_TO": "desk@example.org",
                "MARSAD_SMTP_SECURITY": "none",
                "MARSAD_SMTP_USER": "marsad",
                "MARSAD_SMTP_PASSWORD": "secret",
            }
        )
    mail = digest.Mail.from_env(
        {"MARSAD_SMTP_HOST": "smtp.example.org", "MARSAD_DIGEST_TO": "desk@example.org"}
    )
    assert mail is not None
    assert (mail.port, mail.security) == (587, "starttls")


@pytest.mark.browser
def test_a_mixed_direction_line_reads_in_order_in_chromium(store: Store, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    data_dir = tmp_path / "data"
    # The line the issue saw scrambled: "Kufra / 6 ;12-10-2026 ;الكفرة abducted".
    text = "Relatives said six men were abducted in Kufra on 12 October 2026."
    kufra = {"name": "Kufra", "name_ar": "الكفرة", "admin1": "Kufra", "lat": 24.18, "lon": 23.28}
    incident = add_incident(
        store,
        data_dir,
        "https://example.org/reports/kufra",
        text,
        finding(
            text,
            types=["enforced_disappearance"],
            day="2026-10-12",
            location=kufra,
            counts={"abducted": 6},
        ),
    )
    page_file = digest.make(store, data_dir, base_url=BASE).html_path
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri())
            item = page.locator("li", has_text=f"Incident {incident}")
            # Each part of the line, left to right on screen, as the digest wrote them.
            parts = item.evaluate(
                """li => [...li.children].filter(c => c.tagName === 'BDI').map(c => ({
                    text: c.textContent, left: c.getBoundingClientRect().left}))"""
            )
            names = item.evaluate(
                """li => [...li.querySelectorAll('bdi bdi')].map(c => ({
                    text: c.textContent, left: c.getBoundingClientRect().left}))"""
            )
        finally:
            browser.close()
    assert [p["text"] for p in parts][:4] == [
        "new",
        "Kufra / الكفرة",
        "2026-10-12",
        "6 abducted",
    ]
    lefts = [p["left"] for p in parts]
    assert lefts == sorted(lefts)
    assert [n["text"] for n in sorted(names, key=lambda n: n["left"])] == ["Kufra", "الكفرة"]
