"""Actor pages and the queue's actor and parent filters, through the app (no browser).

The affiliations are the registry's (`nlp/data/actors.json`, sourced in ACTORS_SOURCES.md):
the Radaa force was under the Interior Ministry from 2013 and under the Presidential Council
(the GNA) from May 2018 (Sana 2018; the UN Fact-Finding Mission 2023)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from triage_fixtures import TRIPOLI, finding, signed_in

from incidents import corrections
from triage import i18n
from triage.app import create_app

if TYPE_CHECKING:
    from triage_fixtures import Desk

TEMPLATES = Path(__file__).resolve().parents[2] / "triage" / "templates"
RADAA = {"name": "Radaa Special Deterrence Force", "category": "armed_group"}


def _abduction(desk: Desk, n: int, day: str, perpetrators: list[dict[str, Any]]) -> None:
    text = f"Gunmen seized a student number {n} in Tripoli."
    desk.add(
        f"https://a.example/{n}",
        text,
        [
            finding(
                text,
                text,
                types=["enforced_disappearance"],
                day=day,
                location=TRIPOLI,
                perpetrators=perpetrators,
            )
        ],
    )


def _ids(html: str) -> list[str]:
    return re.findall(r'<tr data-id="(\d+)"', html)


def test_the_actor_page_shows_names_category_affiliations_and_incidents(desk: Desk) -> None:
    _abduction(desk, 1, "2017-03-02", [RADAA])
    _abduction(desk, 2, "2019-06-10", [{"name": "armed men", "category": "unidentified_armed_men"}])
    # A viewer reads it: the page changes nothing.
    client = signed_in(create_app(desk.store), desk.store, name="vera", role="viewer")
    page = client.get("/actors/radaa")
    assert page.status_code == 200
    html = page.text
    assert "Radaa Special Deterrence Force" in html
    assert "قوة الردع" in html  # an Arabic alias, in the Arabic list
    assert re.search(r'id="aliases-ar" lang="ar" dir="rtl">.*قوة الردع', html)
    assert 'data-parent="interior_ministry"' in html
    assert "2013 – 2018-05" in html
    assert len(_ids(html)) == 1
    assert 'href="/?status=all&amp;actor=radaa"' in html
    listing = client.get("/actors").text
    assert 'href="/actors/radaa"' in listing
    assert client.get("/actors/nobody").status_code == 404


def test_parent_filter_follows_the_dates_a_unit_belonged(desk: Desk) -> None:
    _abduction(desk, 1, "2017-03-02", [RADAA])  # under the Interior Ministry then
    _abduction(desk, 2, "2019-06-10", [RADAA])  # under the Presidential Council then
    _abduction(desk, 3, "2019-06-20", [{"name": "armed men", "category": "unidentified_armed_men"}])
    client = signed_in(create_app(desk.store), desk.store)
    everyone = _ids(client.get("/?status=all").text)
    assert len(everyone) == 3
    assert len(_ids(client.get("/?status=all&actor=radaa").text)) == 2
    # In 2019 the unit answered to the Presidential Council, no longer to the ministry...
    assert len(_ids(client.get("/?status=all&parent=interior_ministry").text)) == 1
    # ...and in 2017 the ministry was the GNA's: both are the GNA's units' incidents.
    assert len(_ids(client.get("/?status=all&parent=gna").text)) == 2
    # The GNU came in March 2021.
    assert _ids(client.get("/?status=all&parent=gnu").text) == []
    # The ministry's page counts the unit's incident under it, not the later one.
    page = client.get("/actors/interior_ministry").text
    assert re.search(r'id="under-total">1<', page)
    # The exports take the same selection.
    exported = client.get("/export?format=csv&status=all&parent=interior_ministry")
    assert exported.status_code == 200
    assert len(exported.text.strip().splitlines()) == 2  # the header and one incident
    refused = client.get("/?actor=no_such_group")
    assert refused.status_code == 400
    assert "no_such_group" in refused.text


def test_an_analysts_correction_is_what_the_filter_reads(desk: Desk) -> None:
    _abduction(desk, 1, "2019-06-10", [{"name": "armed men", "category": "unidentified_armed_men"}])
    (incident,) = desk.store.incident_queue(None, limit=None)
    corrections.correct(
        desk.store, incident["id"], "perpetrators", ["Rada"], actor="amira", reason="named later"
    )
    client = signed_in(create_app(desk.store), desk.store)
    assert len(_ids(client.get("/?status=all&actor=radaa").text)) == 1


def test_scraped_text_on_the_page_is_escaped(desk: Desk) -> None:
    hostile = dict(TRIPOLI, name="<script>alert(1)</script>")
    text = "Gunmen seized a student in Tripoli."
    desk.add(
        "https://a.example/x",
        text,
        [
            finding(
                text, text, types=["killing"], day="2019-06-10", location=hostile,
                perpetrators=[RADAA],
            )
        ],
    )  # fmt: skip
    client = signed_in(create_app(desk.store), desk.store)
    html = client.get("/actors/radaa").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_every_phrase_of_the_actor_pages_has_its_arabic() -> None:
    for name in ("actors.html", "actor.html"):
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        phrases = re.findall(r"""_\((["'])(.+?)\1\)""", text)
        assert [p for _, p in phrases if p not in i18n.ARABIC] == []


def test_a_perpetrator_on_the_incident_page_leads_to_its_actor_page(desk: Desk) -> None:
    _abduction(desk, 1, "2019-06-10", [RADAA])
    (incident,) = desk.store.incident_queue(None, limit=None)
    client = signed_in(create_app(desk.store), desk.store)
    link = re.search(
        r'href="(/actors/named\?[^"]+)"', client.get(f"/incidents/{incident['id']}").text
    )
    assert link is not None
    answer = client.get(link.group(1).replace("&amp;", "&"), follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/actors/radaa"
    assert client.get("/actors/named?name=somebody+else").status_code == 404
