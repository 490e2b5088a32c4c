from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from starlette.testclient import TestClient
from triage_fixtures import (
    AR_ABDUCTION,
    EN_ABDUCTION,
    PASSWORD,
    ar_abduction,
    csrf_of,
    en_abduction,
    signed_in,
)

from triage import accounts
from triage.app import CSP, create_app

if TYPE_CHECKING:
    from triage_fixtures import Desk

HOSTILE = (
    "Gunmen seized a reporter in Tripoli on 12 May 2024. "
    '<script>window.pwned=1</script><img src=x onerror="window.pwned=2"> '
    '<a href="javascript:window.pwned=3">click</a>'
)


@pytest.fixture
def two_sources(desk: Desk) -> Desk:
    desk.add("https://en.example/a", EN_ABDUCTION, [en_abduction()], title="Students seized")
    desk.add(
        "https://ar.example/b", AR_ABDUCTION, [ar_abduction()], language="ar", source="ar-news"
    )
    return desk


def csrf(client: TestClient) -> str:
    return csrf_of(client)


def test_queue_and_incident_page_show_both_languages_with_highlights(two_sources: Desk) -> None:
    client = signed_in(create_app(two_sources.store), two_sources.store)
    queue = client.get("/")
    assert queue.status_code == 200
    assert queue.headers["content-security-policy"] == CSP
    assert 'data-id="1"' in queue.text
    page = client.get("/incidents/1")
    assert page.status_code == 200
    assert 'dir="rtl" lang="ar"' in page.text
    assert '<mark class="evidence" id="ev-2-0">قال سكان إن مسلحين' in page.text
    assert '<mark class="evidence" id="ev-1-0">Residents said that gunmen' in page.text
    assert "sources disagree" in page.text
    assert 'href="https://en.example/a"' in page.text
    assert 'href="/documents/1/capture"' in page.text


def test_filters_narrow_the_queue(two_sources: Desk) -> None:
    text = "Families were forced from their homes in Benghazi."
    from triage_fixtures import BENGHAZI, finding

    two_sources.add(
        "https://c.example/1",
        text,
        [
            finding(
                text,
                text,
                types=["forced_displacement"],
                day="2024-06-01",
                location=BENGHAZI,
                confidence=0.5,
            )
        ],
    )
    client = signed_in(create_app(two_sources.store), two_sources.store)

    def ids(query: str) -> list[str]:
        return re.findall(r'<tr data-id="(\d+)"', client.get("/?" + query).text)

    assert ids("") == ["1", "2"]
    assert ids("type=forced_displacement") == ["2"]
    assert ids("language=ar") == ["1"]
    assert ids("place=بنغازي") == ["2"]
    assert ids("min_confidence=0.6") == ["1"]
    assert ids("q=cafe") == ["1"]
    assert ids("from=2024-05-20") == ["2"]
    assert ids("source=ar-news") == ["1"]
    assert ids("status=confirmed") == []


def test_hostile_text_and_urls_are_shown_inert(desk: Desk) -> None:
    from triage_fixtures import TRIPOLI, finding

    first = HOSTILE.split(". ")[0] + "."
    desk.add(
        "javascript:window.pwned=4",
        HOSTILE,
        [
            finding(
                HOSTILE, first, types=["enforced_disappearance"], day="2024-05-12", location=TRIPOLI
            )
        ],
        title='<img src=x onerror="window.pwned=5">',
    )
    client = signed_in(create_app(desk.store), desk.store)
    for path in ("/", "/incidents/1", "/map"):
        body = client.get(path).text
        assert "<script>window" not in body
        assert "<img src=x" not in body
        assert 'href="javascript:' not in body
    page = client.get("/incidents/1").text
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page
    assert '<span class="url-text">javascript:window.pwned=4</span>' in page


def test_capture_downloads_as_an_attachment_never_as_html(desk: Desk) -> None:
    html = "<html><body><script>window.pwned=1</script>Gunmen seized a student.</body></html>"
    from triage_fixtures import TRIPOLI, finding

    text = "Gunmen seized a student."
    desk.add(
        "https://a.example/1",
        text,
        [finding(text, text, types=["enforced_disappearance"], day="2024-05-12", location=TRIPOLI)],
        html=html,
    )
    client = signed_in(create_app(desk.store), desk.store)
    response = client.get("/documents/1/capture")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content == html.encode()
    assert [e["action"] for e in desk.store.custody()] == ["read"]
    assert client.get("/documents/99/capture").status_code == 404


def test_posts_need_the_sessions_csrf_token(two_sources: Desk) -> None:
    client = signed_in(create_app(two_sources.store), two_sources.store)
    refused = client.post(
        "/incidents/1/status",
        data={"status": "confirmed", "csrf": "forged"},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert two_sources.store.incident(1)["status"] == "new"
    done = client.post(
        "/incidents/1/status",
        data={
            "status": "confirmed",
            "csrf": csrf(client),
            "reason": "two sources",
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    # Back on this app (never the foreign address), offering to undo the decision.
    audit = two_sources.store.incident_audit(1)[-1]
    assert done.headers["location"] == f"/incidents/1?done={audit['id']}"
    assert (audit["actor"], audit["from_value"], audit["to_value"], audit["reason"]) == (
        "amira",
        "new",
        "confirmed",
        "two sources",
    )


def test_review_fields_and_merge_through_the_ui(two_sources: Desk) -> None:
    from triage_fixtures import BENGHAZI, finding

    text = "Families were forced from their homes in Benghazi."
    two_sources.add(
        "https://c.example/1",
        text,
        [finding(text, text, types=["forced_displacement"], day="2024-06-01", location=BENGHAZI)],
    )
    client = signed_in(create_app(two_sources.store), two_sources.store)
    token = csrf(client)
    client.post("/incidents/2/tags", data={"csrf": token, "tags": "follow-up, benghazi"})
    client.post("/incidents/2/notes", data={"csrf": token, "notes": "call the family"})
    client.post("/incidents/2/assign", data={"csrf": token, "me": "1"})
    row = two_sources.store.incident(2)
    assert (row["tags"], row["notes"], row["assignee"]) == (
        ["benghazi", "follow-up"],
        "call the family",
        "amira",
    )
    bad = client.post("/incidents/2/merge", data={"csrf": token, "target": "2"})
    assert bad.status_code == 400
    client.post(
        "/incidents/2/merge",
        data={"csrf": token, "target": "1", "why": "same event, another report"},
    )
    assert two_sources.store.incident(2)["status"] == "duplicate"
    assert two_sources.store.incident(1)["documents"] == 3


def test_every_page_needs_an_account_and_the_token_only_reads(two_sources: Desk) -> None:
    app = create_app(two_sources.store, token="s3cret-token-for-machines")  # noqa: S106
    client = TestClient(app)
    assert client.get("/", headers={"accept": "text/plain"}).status_code == 401
    redirect = client.get("/incidents/1", headers={"accept": "text/html"}, follow_redirects=False)
    assert redirect.status_code == 303
    assert redirect.headers["location"].startswith("/login")
    assert client.get("/documents/1/capture").status_code == 401
    assert client.get("/export?format=json").status_code == 401
    # With no account yet, the login page says how to make the first admin.
    assert "marsad users add NAME --role admin" in client.get("/login").text
    # The shared token is for machines: it reads and exports, and changes nothing.
    machine = TestClient(app, headers={"authorization": "Bearer s3cret-token-for-machines"})
    assert machine.get("/").status_code == 200
    assert machine.get("/export?format=json").status_code == 200
    token = machine.cookies["marsad_csrf"]
    refused = machine.post("/incidents/1/status", data={"csrf": token, "status": "in_review"})
    assert refused.status_code == 403
    assert TestClient(app).get("/", headers={"authorization": "Bearer wrong"}).status_code == 401
    assert TestClient(app).get("/?token=s3cret-token-for-machines").status_code == 401
    # The login form: a wrong password is refused, the right one opens a session whose cookie
    # holds neither the password nor a name.
    accounts.add(two_sources.store, "amira", "analyst", PASSWORD, by="test")
    client.get("/login")
    login_token = client.cookies["marsad_csrf"]
    wrong = client.post(
        "/login", data={"csrf": login_token, "name": "amira", "password": "not it at all"}
    )
    assert wrong.status_code == 401
    ok = client.post(
        "/login",
        data={"csrf": login_token, "name": "amira", "password": PASSWORD, "next": "/incidents/1"},
        follow_redirects=False,
    )
    assert ok.headers["location"] == "/incidents/1"
    cookie = ok.headers["set-cookie"]
    assert cookie.startswith("marsad_session=")
    assert "HttpOnly" in cookie
    assert "samesite=strict" in cookie.lower()
    assert PASSWORD not in cookie and "amira" not in cookie
    assert client.get("/incidents/1").status_code == 200
    # Logging out ends the session on the server, not only in the browser.
    session = client.cookies["marsad_session"]
    client.post("/logout", data={"csrf": csrf_of(client)})
    again = TestClient(app, cookies={"marsad_session": session})
    assert again.get("/", headers={"accept": "text/plain"}).status_code == 401


def test_map_draws_districts_and_points_without_tiles(two_sources: Desk) -> None:
    client = signed_in(create_app(two_sources.store), two_sources.store)
    page = client.get("/map").text
    found = re.search(r'<svg class="map".*?</svg>', page, re.S)
    assert found is not None
    svg = found.group(0)
    assert svg.count('<path class="district"') == 22
    assert len(re.findall(r'<circle class="point new"', svg)) == 1
    assert "http" not in svg


def test_next_and_previous_follow_the_filtered_queue(two_sources: Desk) -> None:
    from triage_fixtures import BENGHAZI, finding

    text = "Families were forced from their homes in Benghazi."
    two_sources.add(
        "https://c.example/1",
        text,
        [
            finding(
                text,
                text,
                types=["forced_displacement"],
                day="2024-06-01",
                location=BENGHAZI,
                confidence=0.5,
            )
        ],
    )
    client = signed_in(create_app(two_sources.store), two_sources.store)
    page = client.get("/incidents/1?status=open").text
    assert 'data-next="/incidents/2?status=open"' in page
    assert 'data-prev=""' in page
    assert 'data-prev="/incidents/1?status=open"' in client.get("/incidents/2?status=open").text


def test_each_claim_links_to_the_sentence_that_states_it(desk: Desk) -> None:
    from triage_fixtures import TRIPOLI, finding

    from triage.highlight import cited

    text = (
        "Gunmen seized a reporter in Tripoli on 12 May 2024. "
        "Relatives said 7 other men were detained with him."
    )
    first, second = text.split(". ")
    found = finding(
        text,
        first + ".",
        types=["arbitrary_detention"],
        day="2024-05-12",
        location=TRIPOLI,
        counts={"detained": 7},
        victims=[{"group": "journalists", "count": 1}],
    )
    found["evidence"].append({"start": text.index(second), "end": len(text), "text": second})
    assert cited(text, found["evidence"], ["7"]) == 1
    assert cited(text, found["evidence"], ["Tripoli"]) == 0
    assert cited(text, found["evidence"], ["Benghazi"]) == 0
    assert cited(text, [], ["7"]) is None
    desk.add("https://a.example/1", text, [found])
    client = signed_in(create_app(desk.store), desk.store)
    page = client.get("/incidents/1").text
    assert '<mark class="evidence" id="ev-1-0">Gunmen seized' in page
    assert '<mark class="evidence" id="ev-1-1">Relatives said 7' in page
    rows = dict(re.findall(r'<th rowspan="1">(\w+).*?href="#([\w-]+)" class="cite"', page, re.S))
    assert rows["detained"] == "ev-1-1"
    assert rows["place"] == "ev-1-0"
    # Victim groups are claims too.
    assert "journalists 1" in page
