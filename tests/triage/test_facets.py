"""Facets with counts for the current selection, multi-select, chips, undated as a choice, sort
by any column, and bulk actions that go through the single actions' calls (audited each).

The incidents are made for these tests (sentences written here), so the expected counts are
counted from the fixture itself: five incidents, two in Tripoli, two in Benghazi, one undated.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from triage_fixtures import BENGHAZI, TAJOURA, TRIPOLI, Desk, csrf_of, finding, signed_in

from storage import facets
from storage.incidents import IncidentFilter
from triage.app import create_app

CASES = [
    # (url, text, types, day, place, source)
    (
        "https://a.example/1",
        "Gunmen killed a man in Tripoli.",
        ["killing"],
        "2024-05-01",
        TRIPOLI,
        "a",
    ),
    (
        "https://a.example/2",
        "A lawyer was seized in Tripoli.",
        ["enforced_disappearance"],
        "2024-05-08",
        TRIPOLI,
        "a",
    ),
    (
        "https://b.example/3",
        "A shell killed two children in Benghazi.",
        ["killing"],
        "2024-05-15",
        BENGHAZI,
        "b",
    ),
    (
        "https://b.example/4",
        "Protesters were detained in Benghazi.",
        ["arbitrary_detention"],
        "2024-05-22",
        BENGHAZI,
        "b",
    ),
    (
        "https://b.example/5",
        "Families fled Tajoura at some point.",
        ["forced_displacement"],
        None,
        TAJOURA,
        "b",
    ),
]


@pytest.fixture
def five(desk: Desk) -> Desk:
    for url, text, types, day, place, source in CASES:
        desk.add(
            url, text, [finding(text, text, types=types, day=day, location=place)], source=source
        )
    return desk


def _counts(found: dict[str, list[tuple[str, int]]], name: str) -> dict[str, int]:
    return dict(found[name])


def test_each_facet_counts_the_selection_of_the_other_choices(five: Desk) -> None:
    where = IncidentFilter(facets=(("district", ("Tripoli",)),))
    found = facets.counts(five.store, where)
    # The district's own choice leaves every district counted, so another can be added...
    assert _counts(found, "district") == {"Tripoli": 3, "Benghazi": 2}
    # ...while the other facets count only Tripoli's incidents (Tajoura is in Tripoli district).
    assert _counts(found, "type") == {
        "killing": 1,
        "enforced_disappearance": 1,
        "forced_displacement": 1,
    }
    assert _counts(found, "source") == {"a": 2, "b": 1}
    assert _counts(found, "precision") == {"day": 2, "undated": 1}
    assert _counts(found, "status") == {"new": 3}


def test_several_values_of_a_facet_take_either(five: Desk) -> None:
    store = five.store
    both = IncidentFilter(types=("killing", "arbitrary_detention"))
    assert store.incident_count(both) == 3
    sources = IncidentFilter(facets=(("source", ("a", "b")),))
    assert store.incident_count(sources) == 5


def test_undated_is_a_choice_and_a_date_range_can_keep_it(five: Desk) -> None:
    store = five.store
    assert store.incident_count(IncidentFilter(facets=(("precision", ("undated",)),))) == 1
    may = IncidentFilter(date_from=date(2024, 5, 1), date_to=date(2024, 5, 10))
    assert store.incident_count(may) == 2
    assert (
        store.incident_count(
            IncidentFilter(date_from=may.date_from, date_to=may.date_to, undated=True)
        )
        == 3
    )


@pytest.mark.parametrize(
    "column", ["id", "status", "types", "place", "documents", "title", "assignee", "date"]
)
def test_every_column_sorts_both_ways_and_neighbours_follow(five: Desk, column: str) -> None:
    store = five.store
    down = store.incident_ids(IncidentFilter(), order=column)
    up = store.incident_ids(IncidentFilter(), order=f"-{column}")
    assert up == down[::-1]
    for order, ids in ((column, down), (f"-{column}", up)):
        for at, incident in enumerate(ids):
            before = ids[at - 1] if at else None
            after = ids[at + 1] if at + 1 < len(ids) else None
            assert store.incident_neighbours(incident, IncidentFilter(), order=order) == (
                before,
                after,
            )


def test_places_sort_by_name(five: Desk) -> None:
    rows = five.store.incident_queue(IncidentFilter(), order="-place", limit=None)
    assert [r["location_name"] for r in rows] == [
        "Benghazi",
        "Benghazi",
        "Tajoura",
        "Tripoli",
        "Tripoli",
    ]


def test_the_queue_shows_counts_chips_and_keeps_choices_on_filter(five: Desk) -> None:
    client = signed_in(create_app(five.store), five.store)
    page = client.get(
        "/", params=[("district", "Tripoli"), ("district", "Benghazi"), ("type", "killing")]
    )
    assert page.status_code == 200
    assert page.text.count("data-id=") == 2
    # Counts beside values, the chosen ones marked.
    assert (
        'aria-pressed="true" data-value="Tripoli"><bdi>Tripoli</bdi> <span class="count">1</span>'
        in page.text
    )
    # Chips that remove one choice each, keeping the rest.
    assert (
        'href="/?type=killing&amp;district=Benghazi" title="remove" data-key="district"'
        in page.text
    )
    # The filter form carries the choices, so pressing Filter keeps them.
    assert '<input type="hidden" name="district" value="Benghazi">' in page.text
    assert '<input type="hidden" name="type" value="killing">' in page.text
    # "Mine" is the analyst's own name as an assignee choice.
    assert (
        'href="/?type=killing&amp;district=Tripoli&amp;district=Benghazi&amp;assignee=amira" '
        'id="mine"' in page.text
    )


def _audit(desk: Desk, incident_id: int) -> list[dict[str, Any]]:
    return [e for e in desk.store.incident_audit(incident_id) if e["action"] != "created"]


def test_bulk_actions_audit_each_incident_and_name_the_refused(five: Desk) -> None:
    store = five.store
    client = signed_in(create_app(store), store)
    token = csrf_of(client)
    ids = store.incident_ids(IncidentFilter(types=("killing",)))
    store.merge_incidents(ids[1], ids[0], actor="test")
    response = client.post(
        "/bulk",
        data={
            "csrf": token,
            "action": "status:confirmed",
            "id": [str(i) for i in ids],
            "next": "/?status=all",
            "reason": "checked",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/?status=all&changed=1&refused=")
    assert store.incident_status(ids[0]) == "confirmed"
    assert store.incident_status(ids[1]) == "duplicate"
    entry = _audit(five, ids[0])[-1]
    assert (
        entry["actor"],
        entry["action"],
        entry["from_value"],
        entry["to_value"],
        entry["reason"],
    ) == ("amira", "status", "new", "confirmed", "checked")
    shown = client.get(response.headers["location"])
    assert "1 incident changed." in shown.text
    assert f"Not changed: {ids[1]}: incident {ids[1]} was merged into another." in shown.text

    client.post("/bulk", data={"csrf": token, "action": "assign:me", "id": [str(ids[0])]})
    client.post(
        "/bulk", data={"csrf": token, "action": "tag:", "value": "priority", "id": [str(ids[0])]}
    )
    row = store.incident(ids[0])
    assert row is not None
    assert (row["assignee"], list(row["tags"])) == ("amira", ["priority"])
    assert [e["action"] for e in _audit(five, ids[0])][-2:] == ["assignee", "tags"]
    # A rejection goes through the workflow: it takes a listed reason, kept in the history.
    client.post(
        "/bulk",
        data={
            "csrf": token,
            "action": "status:rejected",
            "why": "not in Libya",
            "reason": "Tunis",
            "id": [str(ids[0])],
        },
    )
    assert store.incident_status(ids[0]) == "rejected"
    assert _audit(five, ids[0])[-1]["reason"] == "not in Libya: Tunis"


def test_a_bulk_action_without_incidents_or_csrf_is_refused(five: Desk) -> None:
    client = signed_in(create_app(five.store), five.store)
    token = csrf_of(client)
    assert (
        client.post("/bulk", data={"csrf": token, "action": "status:confirmed"}).status_code == 400
    )
    assert client.post("/bulk", data={"action": "status:confirmed", "id": "1"}).status_code == 403
    # A rejection without its reason is refused as a whole, and a viewer changes nothing.
    no_reason = {"csrf": token, "action": "status:rejected", "id": "1"}
    assert client.post("/bulk", data=no_reason).status_code == 400
    viewer = signed_in(create_app(five.store), five.store, "omar", "viewer")
    looked = {"csrf": csrf_of(viewer), "action": "status:confirmed", "id": "1"}
    assert viewer.post("/bulk", data=looked).status_code == 403
    assert "bulk-apply" not in viewer.get("/").text
    assert five.store.incident_status(1) == "new"
