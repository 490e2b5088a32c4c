"""Earlier lone reports re-examined when a later report joins an incident (`cluster._gather`).

The cases follow the reporting patterns of the corpus pairs in `bench/same_event_pairs.json`:
one report gives the toll, another the force, a third both (a later report that joins two
earlier ones), and an undated report stored before the dated reports of its event. The
sentences are written for these tests; the scores they reach are the rules' own (assumed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from triage_fixtures import EN_ABDUCTION, RADAA, TAJOURA, TRIPOLI, en_abduction, finding

from incidents import cluster, workflow
from storage import Analysed
from storage.incidents import IncidentFilter

if TYPE_CHECKING:
    from triage_fixtures import Desk

TOLL = "Four students were abducted in Tripoli on 12 May 2024."
FORCE = "The Radaa force abducted students in Tajoura on 13 May 2024."
UNDATED = "The Radaa force abducted students in Tripoli, families said."
KIND = {"types": ["enforced_disappearance"]}


def live(desk: Desk) -> list[dict[str, Any]]:
    """The incidents not merged into another."""
    return [i for i in desk.store.incident_queue(None, limit=None) if i["merged_into"] is None]


def add_toll(desk: Desk) -> int:
    found = finding(TOLL, TOLL, day="2024-05-12", location=TRIPOLI, counts={"abducted": 4}, **KIND)
    return desk.add("https://a.example/toll", TOLL, [found])


def add_force(desk: Desk) -> int:
    found = finding(FORCE, FORCE, day="2024-05-13", location=TAJOURA, perpetrators=[RADAA], **KIND)
    return desk.add("https://b.example/force", FORCE, [found])


def add_both(desk: Desk) -> int:
    return desk.add("https://c.example/both", EN_ABDUCTION, [en_abduction()])


def incident_of(desk: Desk, document_id: int) -> dict[str, Any]:
    (found,) = [
        i
        for i in live(desk)
        if document_id in {s["document_id"] for s in desk.store.incident_sources(i["id"])}
    ]
    return found


def test_a_later_report_that_joins_two_earlier_ones_brings_both_into_one_incident(
    desk: Desk,
) -> None:
    toll, force = add_toll(desk), add_force(desk)
    # The next day in the next district, with nothing else in common: two events so far.
    assert len(live(desk)) == 2
    lone = incident_of(desk, force)["id"]
    both = add_both(desk)
    (incident,) = live(desk)
    assert incident["documents"] == 3
    assert incident["status"] == "new" and incident["new_sources"] == 0
    assert incident_of(desk, toll)["id"] == incident_of(desk, both)["id"] == incident["id"]
    # The lone report's incident is a duplicate, with why in both histories.
    gathered = desk.store.incident(lone)
    assert gathered["status"] == "duplicate" and gathered["merged_into"] == incident["id"]
    merged = desk.store.incident_audit(lone)[-1]
    absorbed = desk.store.incident_audit(incident["id"])[-1]
    assert (merged["action"], merged["actor"]) == ("merged", cluster.ACTOR)
    assert (absorbed["action"], absorbed["to_value"]) == ("absorbed", f"incident {lone}")
    assert merged["reason"] == absorbed["reason"]
    assert merged["reason"].startswith(
        f"same event as document {both}, which joined incident {incident['id']}: 1 day apart; "
    )
    assert "same perpetrator radaa force" in merged["reason"]


def test_an_undated_report_stored_first_is_found_by_the_dated_report_of_its_event(
    desk: Desk,
) -> None:
    undated = finding(UNDATED, UNDATED, day=None, location=TRIPOLI, perpetrators=[RADAA], **KIND)
    first = desk.add("https://a.example/undated", UNDATED, [undated], published=None)
    add_both(desk)
    (incident,) = live(desk)
    assert incident["documents"] == 2
    assert incident_of(desk, first)["id"] == incident["id"]


def test_an_undated_report_that_matches_two_incidents_gathers_neither(desk: Desk) -> None:
    add_both(desk)
    text = "The Radaa force abducted students in Tripoli on 2 May 2023."
    year_before = finding(
        text, text, day="2023-05-02", location=TRIPOLI, perpetrators=[RADAA], **KIND
    )
    desk.add("https://b.example/2023", text, [year_before])
    assert len(live(desk)) == 2
    undated = finding(UNDATED, UNDATED, day=None, location=TRIPOLI, perpetrators=[RADAA], **KIND)
    desk.add("https://c.example/undated", UNDATED, [undated], published=None)
    # It joins one of them (the rules' best guess), and brings the other nowhere.
    assert sorted(i["documents"] for i in live(desk)) == [1, 2]


def test_a_report_an_analyst_has_handled_is_never_gathered(desk: Desk) -> None:
    add_toll(desk)
    force = add_force(desk)
    lone = incident_of(desk, force)["id"]
    desk.store.set_incident_field(lone, "tags", ["check"], actor="amira", reason=None)
    add_both(desk)
    assert sorted(i["documents"] for i in live(desk)) == [1, 2]
    assert desk.store.incident(lone)["status"] == "new"


def test_gathering_into_a_reviewed_incident_shows_the_report_as_new(desk: Desk) -> None:
    toll = add_toll(desk)
    add_force(desk)
    target = incident_of(desk, toll)["id"]
    desk.store.set_incident_status(target, "confirmed", actor="amira", reason="checked")
    add_both(desk)
    (incident,) = live(desk)
    assert incident["id"] == target
    assert incident["status"] == "confirmed"
    # The report that joined and the one it brought: both new to the analyst.
    assert incident["new_sources"] == 2
    assert desk.store.incident_ids(IncidentFilter(updated=True)) == [target]


def test_an_unmerged_report_stays_apart_when_clustering_runs_again(desk: Desk) -> None:
    add_toll(desk)
    force = add_force(desk)
    lone = incident_of(desk, force)["id"]
    both = add_both(desk)
    (incident,) = live(desk)
    workflow.unmerge(desk.store, lone, actor="amira", reason="another abduction")
    assert len(live(desk)) == 2
    history = len(desk.store.incident_audit(lone))
    # Running clustering again, and re-analysing the report that gathered it, undo nothing.
    assert cluster.attach(desk.store, both) == []
    cluster.attach_pending(desk.store)
    newer = en_abduction() | {"confidence": 0.9}
    assert desk.store.record_analysis(both, Analysed("test-nlp-2", "en", [newer]))
    assert cluster.attach(desk.store, both) == [incident["id"]]
    assert len(live(desk)) == 2
    assert desk.store.incident(lone)["status"] == "new"
    assert len(desk.store.incident_audit(lone)) == history


def test_an_undated_report_does_not_chain_the_reports_of_other_years(desk: Desk) -> None:
    undated = finding(UNDATED, UNDATED, day=None, location=TRIPOLI, perpetrators=[RADAA], **KIND)
    desk.add("https://a.example/undated", UNDATED, [undated], published=None)
    add_both(desk)
    # The undated report matches the force's abduction there a year before as well, but that
    # date is not the incident's.
    text = "The Radaa force abducted students in Tripoli on 2 May 2023."
    year_before = finding(
        text, text, day="2023-05-02", location=TRIPOLI, perpetrators=[RADAA], **KIND
    )
    earlier = desk.add("https://b.example/2023", text, [year_before])
    assert sorted(i["documents"] for i in live(desk)) == [1, 2]
    assert incident_of(desk, earlier)["documents"] == 1
