"""The queue's reads: pages and totals, filters on an incident's sources, batched sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from triage_fixtures import BENGHAZI, TRIPOLI, finding

from incidents import cluster
from storage.incidents import IncidentFilter

if TYPE_CHECKING:
    from triage_fixtures import Desk


def fill(desk: Desk) -> None:
    """Five incidents on different days: three killings in Benghazi (one in Arabic), two
    abductions in Tripoli."""
    for day in (1, 5, 9):
        text = f"Gunmen shot dead a lawyer in Benghazi on {day} March 2024."
        language = "ar" if day == 9 else "en"
        desk.add(
            f"https://news.example/k{day}",
            text,
            [finding(text, text, types=["killing"], day=f"2024-03-{day:02}", location=BENGHAZI)],
            language=language,
            source="ar-news" if language == "ar" else "en-news",
        )
    for day in (15, 25):
        text = f"Armed men abducted two activists in Tripoli on {day} April 2024."
        desk.add(
            f"https://news.example/a{day}",
            text,
            [
                finding(
                    text,
                    text,
                    types=["enforced_disappearance", "attack_on_civil_society"],
                    day=f"2024-04-{day}",
                    location=TRIPOLI,
                )
            ],
            source="en-news",
        )


def test_pages_and_total_come_from_one_reading_of_the_filter(desk: Desk) -> None:
    fill(desk)
    store = desk.store
    everything = store.incident_queue(None, order="date", limit=None)
    assert len(everything) == 5
    first, total = store.incident_page(None, order="date", size=2, number=1)
    second, _ = store.incident_page(None, order="date", size=2, number=2)
    last, _ = store.incident_page(None, order="date", size=2, number=3)
    beyond, total_beyond = store.incident_page(None, order="date", size=2, number=4)
    assert total == total_beyond == 5
    assert [r["id"] for r in first + second + last] == [r["id"] for r in everything]
    assert beyond == []
    assert [str(r["date_start"]) for r in first] == ["2024-04-25", "2024-04-15"]
    assert first[0]["documents"] == 1 and first[0]["sources"] == ["en-news"]


def test_filters_on_types_and_on_sources(desk: Desk) -> None:
    fill(desk)
    store = desk.store

    def count(where: IncidentFilter) -> int:
        rows, total = store.incident_page(where, size=100, number=1)
        assert len(rows) == total == store.incident_count(where)
        return total

    assert count(IncidentFilter(types=("killing",))) == 3
    assert count(IncidentFilter(types=("killing", "attack_on_civil_society"))) == 5
    assert count(IncidentFilter(types=("torture",))) == 0
    assert count(IncidentFilter(language="ar")) == 1
    assert count(IncidentFilter(source="en-news")) == 4
    assert count(IncidentFilter(place="بنغازي")) == 3
    assert count(IncidentFilter(types=("killing",), source="ar-news")) == 1


def test_sources_of_many_incidents_match_each_incidents_own(desk: Desk) -> None:
    fill(desk)
    store = desk.store
    ids = store.incident_ids(None, limit=None)
    batched = store.sources_of_incidents(ids)
    assert set(batched) == set(ids)
    for incident_id in ids:
        assert batched[incident_id] == store.incident_sources(incident_id)
    assert store.sources_of_incidents([]) == {}


def test_each_incidents_documents_summary_follows_its_members(desk: Desk) -> None:
    """The counts, sources, languages and title the queue shows are kept on the incident as
    sources are attached, merged and acknowledged: they must equal a fresh summary of its
    memberships at every step."""
    store = desk.store

    def check() -> None:
        expected = {
            int(r["incident_id"]): r
            for r in store._rows(
                "SELECT m.incident_id, count(DISTINCT m.document_id) AS documents, "
                "count(*) FILTER (WHERE m.is_new) AS new_sources, "
                "list(DISTINCT d.source ORDER BY d.source) AS sources, "
                "coalesce(list(DISTINCT d.language ORDER BY d.language) "
                "FILTER (WHERE d.language IS NOT NULL), []) AS languages, "
                "arg_min(d.title, d.id) AS title, any_value(p.place_names) AS place_names "
                "FROM incident_members m JOIN documents d ON d.id = m.document_id "
                "JOIN (SELECT m.incident_id, "
                "coalesce(string_agg(DISTINCT n.name, chr(10) ORDER BY n.name), '') "
                "AS place_names FROM incident_members m "
                "JOIN candidates c ON c.id = m.candidate_id, "
                "LATERAL (SELECT unnest([c.location_name, c.location_name_ar]) AS name) n "
                "GROUP BY 1) p ON p.incident_id = m.incident_id GROUP BY 1"
            )
        }
        empty = {
            "documents": 0,
            "new_sources": 0,
            "sources": [],
            "languages": [],
            "title": None,
            "place_names": "",
        }
        for row in store.incident_queue(IncidentFilter(), limit=None):
            want = expected.get(int(row["id"]), empty)
            assert {k: row[k] for k in empty} == {k: want[k] for k in empty}, row["id"]

    fill(desk)
    check()
    (first,) = store.incident_ids(IncidentFilter(language="ar"))
    store.set_incident_status(first, "in_review", actor="amira")
    text = "Gunmen shot dead a lawyer in Benghazi on 9 March 2024, a second paper said."
    desk.add(
        "https://news.example/k9-again",
        text,
        [finding(text, text, types=["killing"], day="2024-03-09", location=BENGHAZI)],
        source="fr-news",
        language="fr",
        title="A lawyer shot dead",
    )
    check()
    again = store.incident(first)
    assert again is not None and again["new_sources"] == 1 and again["documents"] == 2
    assert again["sources"] == ["ar-news", "fr-news"] and again["title"] == "A lawyer shot dead"
    assert store.incident_count(IncidentFilter(source="fr-news", language="ar")) == 1
    others = [i for i in store.incident_ids(IncidentFilter(types=("killing",))) if i != first]
    cluster.merge(store, others[0], first, actor="amira", reason="same lawyer")
    check()
    store.acknowledge_new_sources(first, actor="amira")
    check()
    merged = store.incident(first)
    assert merged is not None and merged["documents"] == 3 and merged["new_sources"] == 0


def test_each_incidents_neighbours_are_those_of_the_queue_in_every_order(desk: Desk) -> None:
    fill(desk)
    store = desk.store
    text = "An undated report of an abduction in Tripoli."
    desk.add(
        "https://news.example/undated",
        text,
        [finding(text, text, types=["enforced_disappearance"], day=None, location=TRIPOLI)],
    )
    for where in (None, IncidentFilter(types=("killing",))):
        for order in ("confidence", "recent", "date"):
            queue = store.incident_ids(where, order=order, limit=None)
            assert len(queue) in (3, 6)
            for at, incident_id in enumerate(queue):
                before = queue[at - 1] if at > 0 else None
                after = queue[at + 1] if at + 1 < len(queue) else None
                assert store.incident_neighbours(incident_id, where, order=order) == (
                    before,
                    after,
                ), (where, order, at)
    outside = store.incident_ids(IncidentFilter(types=("enforced_disappearance",)), limit=None)
    killing = IncidentFilter(types=("killing",))
    assert store.incident_neighbours(outside[0], killing) == (None, None)
