"""Trends: incidents a week for the queue's selection, by type and by district, drawn as SVG.

Dates are chosen here: 2024-05-06 and 2024-05-08 fall in the week of Monday 6 May 2024,
2024-05-15 in that of Monday 13 May (ISO weeks start on Monday)."""

# ruff: noqa: E501 - one incident a line

from __future__ import annotations

from datetime import date

from triage_fixtures import BENGHAZI, TRIPOLI, Desk, finding, signed_in

from storage.incidents import IncidentFilter
from triage import trends
from triage.app import create_app

CASES = [
    ("https://a.example/1", "Gunmen killed a man in Tripoli.", "killing", "2024-05-06", TRIPOLI),
    ("https://a.example/2", "A lawyer was seized in Tripoli.", "enforced_disappearance", "2024-05-08", TRIPOLI),
    ("https://a.example/3", "A shell killed two in Benghazi.", "killing", "2024-05-15", BENGHAZI),
    ("https://a.example/4", "Families fled Benghazi long ago.", "forced_displacement", None, BENGHAZI),
]  # fmt: skip


def _add(desk: Desk) -> None:
    for url, text, kind, day, place in CASES:
        desk.add(url, text, [finding(text, text, types=[kind], day=day, location=place)])


def _weeks(chart: dict[str, object]) -> dict[tuple[date, str], int]:
    bars = chart["bars"]
    assert isinstance(bars, list)
    return {(b["week"], b["key"]): b["n"] for b in bars}


def test_weekly_counts_by_type_and_by_district_leave_the_undated_out(desk: Desk) -> None:
    _add(desk)
    by_type = trends.chart(desk.store, IncidentFilter(), "type")
    assert _weeks(by_type) == {
        (date(2024, 5, 6), "killing"): 1,
        (date(2024, 5, 6), "enforced_disappearance"): 1,
        (date(2024, 5, 13), "killing"): 1,
    }
    assert by_type["total"] == 3
    by_district = trends.chart(desk.store, IncidentFilter(), "district")
    assert _weeks(by_district) == {
        (date(2024, 5, 6), "Tripoli"): 2,
        (date(2024, 5, 13), "Benghazi"): 1,
    }
    # The queue's filters narrow it.
    only = trends.chart(desk.store, IncidentFilter(types=("killing",)), "district")
    assert _weeks(only) == {(date(2024, 5, 6), "Tripoli"): 1, (date(2024, 5, 13), "Benghazi"): 1}


def test_the_trends_page_draws_bars_with_the_queues_filters(desk: Desk) -> None:
    _add(desk)
    client = signed_in(create_app(desk.store), desk.store)
    page = client.get("/trends", params={"district": "Tripoli"})
    assert page.status_code == 200
    chart = page.text.split('id="trend-type"')[1].split("</svg>")[0]
    assert chart.count("<rect ") == 2
    assert "2024-05-06: 1 · killing" in chart
    assert 'href="/" title="remove" data-key="district"' in page.text
    empty = client.get("/trends", params={"district": "Sabha"})
    assert "No dated incident in this selection." in empty.text
