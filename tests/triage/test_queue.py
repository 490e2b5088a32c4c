"""The queue's reads: pages and totals, filters on an incident's sources, batched sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from triage_fixtures import BENGHAZI, TRIPOLI, finding

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
