"""The triage UI driven in real headless Chromium: keyboard triage, RTL Arabic with highlights,
and a hostile page whose markup must stay text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from live import chromium, log_in, serving
from triage_fixtures import (
    AR_ABDUCTION,
    BENGHAZI,
    EN_ABDUCTION,
    PASSWORD,
    TRIPOLI,
    ar_abduction,
    en_abduction,
    finding,
)

from triage import accounts

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Dialog, Page
    from triage_fixtures import Desk

pytestmark = pytest.mark.browser

HOSTILE = (
    "Gunmen abducted a blogger in Benghazi on 2 June 2024. "
    '<script>window.pwned=1</script> <img src=x onerror="window.pwned=2"> '
    '<a href="javascript:window.pwned=3" onclick="window.pwned=4">more</a> '
    '<svg onload="window.pwned=5"></svg>'
)
DISPLACEMENT = "Dozens of families were forced out of their homes in Tripoli on 20 May 2024."


@pytest.fixture
def desk_online(desk: Desk) -> Iterator[tuple[Desk, str]]:
    desk.add("https://en.example/a", EN_ABDUCTION, [en_abduction()], title="Students seized")
    desk.add(
        "https://ar.example/b",
        AR_ABDUCTION,
        [ar_abduction()],
        language="ar",
        source="ar-news",
        title="خطف طلاب في طرابلس",
    )
    first = HOSTILE.split(". ")[0] + "."
    desk.add(
        "javascript:window.pwned=6",
        HOSTILE,
        [
            finding(
                HOSTILE,
                first,
                types=["enforced_disappearance"],
                day="2024-06-02",
                location=BENGHAZI,
                confidence=0.6,
            )
        ],
        title='<img src=x onerror="window.pwned=7">Blogger taken',
    )
    desk.add(
        "https://c.example/d",
        DISPLACEMENT,
        [
            finding(
                DISPLACEMENT,
                DISPLACEMENT,
                types=["forced_displacement"],
                day="2024-05-20",
                location=TRIPOLI,
                confidence=0.55,
            )
        ],
    )
    # The browser logs in as these (tests/triage/triage_fixtures.py's password).
    accounts.add(desk.store, "amira", "analyst", PASSWORD, by="test")
    accounts.add(desk.store, "omar", "analyst", PASSWORD, by="test")
    accounts.add(desk.store, "nadia", "viewer", PASSWORD, by="test")
    with serving(desk.store) as base:
        yield desk, base


@pytest.fixture
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def _page(
    browser: Browser, answers: list[str] | None = None, *, base: str, who: str = "amira"
) -> tuple[Page, list[str]]:
    """A page logged in as `who` that records every dialog; prompts get the next of
    `answers`, others dismissed."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    pending = list(answers or [])

    def answer(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        if pending:
            dialog.accept(pending.pop(0))
        else:
            dialog.dismiss()

    page.on("dialog", answer)
    log_in(page, base, who, PASSWORD)
    assert page.locator("#account").inner_text().startswith(who)
    return page, dialogs


def _status(desk: Desk, incident_id: int) -> Any:
    return desk.store.incident(incident_id)["status"]


def test_triage_an_incident_end_to_end_by_keyboard(
    desk_online: tuple[Desk, str], browser: Browser
) -> None:
    desk, base = desk_online
    page, dialogs = _page(browser, answers=["1"], base=base)
    page.goto(base + "/")
    rows = page.locator("#queue tbody tr[data-id]")
    assert rows.count() == 3
    assert rows.nth(0).get_attribute("class") == "status-new selected"
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert "selected" in (rows.nth(2).get_attribute("class") or "")
    page.keyboard.press("k")
    page.keyboard.press("k")
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/incidents/1")
    page.wait_for_load_state()
    # A decision key asks first, naming the incident, and acts on Enter.
    page.keyboard.press("i")
    question = page.locator("#decide-question")
    question.wait_for()
    assert question.inner_text().startswith("Mark in review incident 1 (")
    assert _status(desk, 1) == "new"
    page.keyboard.press("Enter")
    page.wait_for_selector("#status.in_review")
    # The reloaded page's keys work once its script has run: on a busy machine the status can
    # show before that, and a key pressed then is lost.
    page.wait_for_load_state()
    assert _status(desk, 1) == "in_review"
    with page.expect_navigation():
        page.keyboard.press("a")
    page.wait_for_load_state()
    page.keyboard.press("c")
    page.locator("#decide-yes").wait_for()
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/incidents/2?done=*")
    assert _status(desk, 1) == "confirmed"
    assert desk.store.incident(1)["assignee"] == "amira"
    page.wait_for_load_state()
    # Rejecting asks why, from the listed reasons.
    page.keyboard.press("x")
    page.locator("#decide-form select[name=why]").select_option("not an incident")
    page.locator("#decide-yes").click()
    page.wait_for_url(base + "/incidents/3?done=*")
    assert _status(desk, 2) == "rejected"
    assert desk.store.incident_audit(2)[-1]["reason"] == "not an incident"
    page.wait_for_load_state()
    # Mark the displacement report a duplicate of incident 1: the key asks for the number, then
    # the target is shown before anything is merged.
    with page.expect_navigation():
        page.keyboard.press("d")
    assert dialogs == ["Duplicate of incident number:"]
    assert page.locator("#duplicate-confirm").is_visible()
    assert _status(desk, 3) == "new"
    page.locator("#duplicate-why").select_option("same event, another report")
    with page.expect_navigation():
        page.locator("#duplicate-yes").click()
    assert _status(desk, 3) == "duplicate"
    page.goto(base + "/incidents/1")
    page.keyboard.press("k")
    page.keyboard.press("u")
    page.wait_for_url(base + "/")
    history = [a["action"] for a in desk.store.incident_audit(1)]
    assert history == ["created", "attached", "status", "assignee", "status", "absorbed"]


def test_undo_after_a_keyboard_decision_in_the_queue(
    desk_online: tuple[Desk, str], browser: Browser
) -> None:
    desk, base = desk_online
    page, _ = _page(browser, base=base)
    page.goto(base + "/")
    page.keyboard.press("c")
    page.locator("#decide").wait_for()
    # Escape leaves everything as it was.
    page.keyboard.press("Escape")
    assert _status(desk, 1) == "new"
    page.keyboard.press("c")
    page.locator("#decide-yes").wait_for()
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/?done=*")
    assert _status(desk, 1) == "confirmed"
    offer = page.locator("#undo")
    assert "Incident 1: status new → confirmed." in " ".join(offer.inner_text().split())
    page.wait_for_load_state()
    page.keyboard.press("z")
    page.wait_for_url(base + "/")
    assert _status(desk, 1) == "new"
    assert desk.store.incident_audit(1)[-1]["action"] == "undo"
    # Afterwards the history still offers to undo the last decision.
    page.keyboard.press("x")
    page.locator("#decide-form select[name=why]").select_option("too vague to verify")
    page.locator("#decide-yes").click()
    page.wait_for_url(base + "/?done=*")
    page.goto(base + "/incidents/1")
    page.locator(".history-undo button").click()
    page.wait_for_url(base + "/incidents/1")
    assert _status(desk, 1) == "new"


def test_a_sent_on_a_new_incident_is_refused_by_the_server(
    desk_online: tuple[Desk, str], browser: Browser
) -> None:
    desk, base = desk_online
    page, _ = _page(browser, base=base)
    page.goto(base + "/incidents/1")
    assert page.locator('button[value="sent"]').count() == 0
    # The page's own form, with its CSRF token, asked for `sent` anyway.
    answer = page.evaluate(
        """async () => {
            const form = new FormData(document.getElementById("status-form"));
            form.set("status", "sent");
            const r = await fetch("/incidents/1/status", {method: "POST", body: form});
            return [r.status, await r.text()];
        }"""
    )
    assert answer[0] == 400
    assert "it cannot become sent from there (confirm it first)" in answer[1]
    assert _status(desk, 1) == "new"


def test_split_then_merge_back_then_unmerge(
    desk_online: tuple[Desk, str], browser: Browser
) -> None:
    desk, base = desk_online
    page, _ = _page(browser, base=base)
    page.goto(base + "/incidents/1")
    page.locator('#split-form input[name=document][value="2"]').check()
    page.locator("#split-form input[name=reason]").fill("another cafe")
    with page.expect_navigation():
        page.locator("#split-form button").click()
    new_id = int(page.url.rsplit("/", 1)[1])
    assert new_id not in (1, 2, 3)
    assert desk.store.incident(1)["documents"] == 1
    assert desk.store.incident(new_id)["documents"] == 1
    assert page.locator("h3", has_text="خطف طلاب").count() == 1
    # On reflection the same event: mark it a duplicate, then change our mind.
    page.locator("#merge-target").fill("1")
    with page.expect_navigation():
        page.locator("#merge-form button").click()
    page.locator("#duplicate-why").select_option("same event, another report")
    with page.expect_navigation():
        page.locator("#duplicate-yes").click()
    assert _status(desk, new_id) == "duplicate"
    page.goto(base + f"/incidents/{new_id}")
    with page.expect_navigation():
        page.locator("#unmerge-form button").click()
    assert _status(desk, new_id) == "new"
    assert desk.store.incident(new_id)["documents"] == 1
    assert [a["action"] for a in desk.store.incident_audit(new_id)] == [
        "created",
        "merged",
        "unmerged",
    ]


def test_a_corrected_count_reaches_the_csv_and_acled_exports(
    desk_online: tuple[Desk, str], browser: Browser
) -> None:
    import csv
    import io

    _, base = desk_online
    page, _ = _page(browser, base=base)
    page.goto(base + "/incidents/1")
    page.locator("#correct-form input[name=abducted]").fill("3")
    page.locator("#correct-form input[name=victims]").fill("children:3")
    page.locator("#correct-reason").fill("three students named in the second report")
    with page.expect_navigation():
        page.locator("#correct-form button[type=submit]").click()
    assert " ".join(page.locator("#fact-abducted td.analyst").inner_text().split()).startswith(
        "3 by amira"
    )
    assert page.locator("#fact-abducted td.machine").inner_text() == "4"
    page.goto(base + "/")

    def download(kind: str) -> list[dict[str, str]]:
        with page.expect_download() as info:
            page.locator(f'a[href^="/export?format={kind}"]').click()
        text = info.value.path().read_text(encoding="utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))

    rows = {r["id"]: r for r in download("csv")}
    assert rows["1"]["abducted"] == "3"
    assert rows["1"]["corrected"] == "abducted;victims"
    acled = [r for r in download("acled") if "Marsad incident 1 " in r["notes"]]
    assert len(acled) == 1
    assert "Corrected by an analyst: abducted, victims." in acled[0]["notes"]


def test_arabic_reads_right_to_left_with_evidence_highlighted(
    desk_online: tuple[Desk, str], browser: Browser
) -> None:
    _, base = desk_online
    page, _ = _page(browser, base=base)
    page.goto(base + "/incidents/1")
    arabic = page.locator('.doctext[lang="ar"]')
    assert arabic.evaluate("el => getComputedStyle(el).direction") == "rtl"
    mark = arabic.locator("mark.evidence")
    assert mark.count() == 1
    assert mark.inner_text().startswith("قال سكان إن مسلحين")
    assert mark.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    english = page.locator('.doctext[lang="en"] mark.evidence')
    assert english.inner_text().startswith("Residents said that gunmen")
    assert page.locator('h3[dir="auto"]', has_text="خطف طلاب").count() == 1
    # A claim's link goes to the sentence that states it, highlighted in its document.
    page.locator("table.claims tr", has_text="abducted").locator("a.cite").first.click()
    target = page.locator("mark.evidence:target")
    assert target.count() == 1
    assert target.inner_text().startswith("Residents said that gunmen")
    assert target.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 179, 71)"


def test_a_hostile_pages_markup_never_runs(desk_online: tuple[Desk, str], browser: Browser) -> None:
    _, base = desk_online
    page, dialogs = _page(browser, base=base)
    for path in ("/", "/incidents/2", "/map"):
        page.goto(base + path)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.pwned") == "undefined", path
    page.goto(base + "/incidents/2")
    text = page.locator(".doctext").inner_text()
    assert "<script>window.pwned=1</script>" in text
    assert '<img src=x onerror="window.pwned=2">' in text
    assert page.locator(".doctext img, .doctext script, .doctext a, .doctext svg").count() == 0
    assert page.locator('a[href^="javascript:"]').count() == 0
    # The page's own script is the only one.
    assert page.evaluate("document.scripts.length") == 1
    page.locator(".url-text").click()
    page.locator(".doctext").click()
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert dialogs == []


def test_two_analysts_are_each_named_and_a_viewer_changes_nothing(
    desk_online: tuple[Desk, str], browser: Browser
) -> None:
    desk, base = desk_online
    amira, _ = _page(browser, base=base, who="amira")
    omar, _ = _page(browser, base=base, who="omar")
    amira.goto(base + "/incidents/1")
    amira.keyboard.press("i")
    amira.locator("#decide-yes").click()
    amira.wait_for_selector("#status.in_review")
    omar.goto(base + "/incidents/1")
    omar.locator("#correct-form input[name=killed]").fill("0")
    omar.locator("#correct-reason").fill("nobody was killed")
    with omar.expect_navigation():
        omar.locator("#correct-form button[type=submit]").click()
    history = [(a["actor"], a["action"]) for a in desk.store.incident_audit(1)[-2:]]
    assert history == [("amira", "status"), ("omar", "corrected")]
    assert omar.locator(".audit td", has_text="omar").count() == 1
    nadia, _ = _page(browser, base=base, who="nadia")
    nadia.goto(base + "/incidents/1")
    assert nadia.locator("#status-form, #merge-form, #split-form, .review").count() == 0
    assert nadia.locator("#correct-form, .facts input").count() == 0
    assert nadia.locator("#fact-killed td.analyst").inner_text().startswith("0")
    nadia.keyboard.press("c")
    assert nadia.locator("#decide").count() == 0
    nadia.goto(base + "/")
    nadia.keyboard.press("x")
    # Even a POST from her session, with its CSRF token, is refused by the server.
    answer = nadia.evaluate(
        """async () => {
            const csrf = document.getElementById("logout").form.elements.csrf.value;
            const r = await fetch("/incidents/1/status", {method: "POST",
                body: new URLSearchParams({csrf, status: "rejected", why: "not an incident"})});
            return [r.status, await r.text()];
        }"""
    )
    assert answer[0] == 403
    assert "a viewer account cannot change incidents" in answer[1]
    assert _status(desk, 1) == "in_review"
    # Logging out ends the session.
    with nadia.expect_navigation():
        nadia.locator("#logout").click()
    nadia.goto(base + "/incidents/1")
    assert nadia.url.startswith(base + "/login")


def test_an_incident_updated_after_confirmation_shows_in_the_view_and_the_digest(
    desk_online: tuple[Desk, str], browser: Browser
) -> None:
    from marsad import digest

    desk, base = desk_online
    page, _ = _page(browser, base=base)
    page.goto(base + "/incidents/2")
    page.keyboard.press("c")
    page.locator("#decide-yes").click()
    page.wait_for_url(base + "/incidents/3?done=*")
    assert _status(desk, 2) == "confirmed"
    assert page.locator("#updated-count").count() == 0
    # Another report of the Benghazi abduction arrives after the decision.
    text = "A blogger was abducted by gunmen in Benghazi on 2 June 2024, his brother said."
    desk.add(
        "https://d.example/later",
        text,
        [
            finding(
                text, text, types=["enforced_disappearance"], day="2024-06-02", location=BENGHAZI
            )
        ],
    )
    page.goto(base + "/")
    assert page.locator("#updated-count").inner_text() == "1"
    page.locator("#updated-link").click()
    page.wait_for_url(base + "/?status=updated")
    rows = page.locator("#queue tbody tr[data-id]")
    assert rows.count() == 1
    assert rows.nth(0).get_attribute("data-id") == "2"
    made = digest.build(desk.store, base_url=base)
    assert [i["id"] for i in made.updated] == [2]
    assert "## Updated since review (1)" in digest.markdown(made)
    page.goto(base + "/incidents/2")
    with page.expect_navigation():
        page.locator("#acknowledge-form button").click()
    assert page.locator("#updated-count").count() == 0
