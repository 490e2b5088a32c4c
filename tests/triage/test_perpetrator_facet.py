"""The perpetrator facet: who the sources name (or the analyst's correction), counted for the
current selection like the other facets, several at once, shown as removable chips, and filled
for incidents stored before the facet existed (migration m016).

Three incidents made for these tests (sentences written here): two name the Radaa force, one of
them armed men as well, and the third names nobody.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from triage_fixtures import BENGHAZI, RADAA, TRIPOLI, finding, signed_in

from incidents import corrections
from nlp import actors
from storage import Store, facets
from storage.incidents import IncidentFilter
from triage.app import create_app

if TYPE_CHECKING:
    from triage_fixtures import Desk

ARMED_MEN = {"name": "armed men", "category": "unidentified", "aliases": ["مسلحون"]}


@pytest.fixture
def three(desk: Desk) -> Desk:
    cases = [
        ("https://a.example/1", "Radaa force men killed a man in Tripoli.", TRIPOLI, [RADAA]),
        (
            "https://a.example/2",
            "Armed men and Radaa force members seized a lawyer in Benghazi.",
            BENGHAZI,
            [RADAA, ARMED_MEN],
        ),
        ("https://a.example/3", "A shell killed two children in Benghazi.", BENGHAZI, []),
    ]
    for day, (url, text, place, who) in zip(
        ("2024-05-01", "2024-05-09", "2024-05-20"), cases, strict=True
    ):
        desk.add(
            url,
            text,
            [finding(text, text, types=["killing"], day=day, location=place, perpetrators=who)],
        )
    return desk


def _perpetrators(store: Store, where: IncidentFilter) -> dict[str, int]:
    return dict(facets.counts(store, where)["perpetrator"])


def test_the_facet_counts_the_incidents_naming_each_perpetrator(three: Desk) -> None:
    store = three.store
    assert _perpetrators(store, IncidentFilter()) == {"Radaa force": 2, "armed men": 1}
    # Benghazi's incidents only: the other facets' choices narrow this one.
    benghazi = IncidentFilter(facets=(("district", ("Benghazi",)),))
    assert _perpetrators(store, benghazi) == {"Radaa force": 1, "armed men": 1}
    # Its own choice leaves every perpetrator counted, so a second can be added; either matches.
    radaa = IncidentFilter(facets=(("perpetrator", ("Radaa force",)),))
    assert _perpetrators(store, radaa) == {"Radaa force": 2, "armed men": 1}
    assert store.incident_count(radaa) == 2
    both = IncidentFilter(facets=(("perpetrator", ("armed men", "Radaa force")),))
    assert store.incident_count(both) == 2
    assert dict(facets.counts(store, radaa)["district"]) == {"Tripoli": 1, "Benghazi": 1}


def test_an_analysts_correction_is_what_the_facet_counts(three: Desk) -> None:
    store = three.store
    third = store.incident_ids(IncidentFilter(facets=(("district", ("Benghazi",)),)))
    unnamed = next(i for i in third if not store.incident(i)["perpetrators"])  # type: ignore[index]
    corrections.correct(
        store, unnamed, "perpetrators", ["Tariq bin Ziyad brigade"], actor="amira", reason="r"
    )
    assert _perpetrators(store, IncidentFilter())["Tariq bin Ziyad brigade"] == 1
    corrections.uncorrect(store, unnamed, "perpetrators", actor="amira", reason="machine right")
    assert "Tariq bin Ziyad brigade" not in _perpetrators(store, IncidentFilter())


def test_the_queue_shows_the_facet_and_its_chips(three: Desk) -> None:
    client = signed_in(create_app(three.store), three.store)
    page = client.get("/", params=[("perpetrator", "Radaa force")]).text
    assert '<section class="facet" data-facet="perpetrator">' in page
    assert "<h2>Perpetrator</h2>" in page
    assert 'data-value="armed men"><bdi>armed men</bdi> <span class="count">1</span>' in page
    assert 'data-key="perpetrator">Perpetrator: <bdi>Radaa force</bdi>' in page
    assert page.count('<tr data-id="') == 2
    # Filter keeps the choice (a hidden field rides along), and the chip takes it away.
    assert '<input type="hidden" name="perpetrator" value="Radaa force">' in page
    assert 'href="/" title="remove" data-key="perpetrator"' in page
    client.cookies.set("marsad_lang", "ar")
    arabic = client.get("/", params=[("perpetrator", "Radaa force")]).text
    assert "<h2>الجهة المنفذة</h2>" in arabic


def test_incidents_stored_before_the_facet_get_their_perpetrators(three: Desk) -> None:
    store, path = three.store, three.store.path
    ids = store.incident_ids(IncidentFilter())
    unnamed = next(i for i in ids if not store.incident(i)["perpetrators"])  # type: ignore[index]
    corrections.correct(store, unnamed, "perpetrators", ["unknown gunmen"], actor="a", reason="r")
    before = {i: store.incident(i)["perpetrators"] for i in ids}  # type: ignore[index]
    # The database as it was before m016: no column, the migration not recorded.
    with store.transaction() as db:
        db.execute("ALTER TABLE incidents DROP COLUMN perpetrators")
        db.execute("ALTER TABLE users DROP COLUMN language")
        db.execute("DELETE FROM schema_migrations WHERE name LIKE 'm016_%'")
    store.close()
    again = Store(path)
    try:
        assert {i: again.incident(i)["perpetrators"] for i in ids} == before  # type: ignore[index]
        assert sorted(v for names in before.values() for v in names) == [
            "Radaa force",
            "Radaa force",
            "armed men",
            "unknown gunmen",
        ]
    finally:
        again.close()


def test_on_an_arabic_page_a_registry_actor_is_named_in_arabic(desk: Desk) -> None:
    radaa = next(a for a in actors.data()["actors"] if a["id"] == "radaa")
    text = "Radaa forces detained a journalist in Tripoli."
    who = [{"name": radaa["name"], "category": radaa["category"], "aliases": []}]
    desk.add(
        "https://a.example/9",
        text,
        [
            finding(
                text,
                text,
                types=["arbitrary_detention"],
                day=None,
                location=TRIPOLI,
                perpetrators=who,
            )
        ],
    )
    client = signed_in(create_app(desk.store), desk.store)
    client.cookies.set("marsad_lang", "ar")
    page = client.get("/", params=[("perpetrator", radaa["name"])]).text
    # The choice is still the registry's canonical name; what the analyst reads is Arabic.
    assert f'data-value="{radaa["name"]}"><bdi>{radaa["name_ar"]}</bdi>' in page
    assert f'data-key="perpetrator">الجهة المنفذة: <bdi>{radaa["name_ar"]}</bdi>' in page
    client.cookies.set("marsad_lang", "en")
    assert f'<bdi>{radaa["name"]}</bdi> <span class="count">1</span>' in client.get("/").text
