"""A reviewed incident that gains a source or a changed claim is "updated since review": in the
queue's view, in the header's count and in the next digest, until an analyst has seen it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from triage_fixtures import (
    AR_ABDUCTION,
    EN_ABDUCTION,
    ar_abduction,
    csrf_of,
    en_abduction,
    signed_in,
)

from incidents import cluster, workflow
from marsad import digest
from storage import Analysed
from storage.incidents import IncidentFilter
from triage.app import create_app

if TYPE_CHECKING:
    from triage_fixtures import Desk

UPDATED = IncidentFilter(updated=True)


def updated(desk: Desk) -> list[int]:
    return desk.store.incident_ids(UPDATED)


def test_a_new_source_after_confirmation_is_an_update(desk: Desk) -> None:
    desk.add("https://en.example/a", EN_ABDUCTION, [en_abduction()])
    workflow.change_status(desk.store, 1, "confirmed", actor="amira")
    assert updated(desk) == []
    # The first digest covers the day: incident 1 is new in it; later ones start from there.
    first = digest.build(desk.store, base_url="https://triage.example.org")
    desk.store.record_digest(
        since=first.since,
        until=first.until,
        incidents=1,
        html_path="x.html",
        markdown_path="x.md",
        sent_to=(),
        send_error=None,
    )
    desk.add("https://ar.example/b", AR_ABDUCTION, [ar_abduction()], language="ar")
    assert updated(desk) == [1]
    made = digest.build(desk.store, base_url="https://triage.example.org")
    assert made.incidents == []
    assert [i["id"] for i in made.updated] == [1]
    text = digest.markdown(made)
    assert "## Updated since review (1)" in text
    assert "[Incident 1](https://triage.example.org/incidents/1): arbitrary detention; " in text
    assert "; confirmed;" in text
    assert made.subject.endswith("0 new incidents, 1 updated")
    # The queue's view and the header say so, until the analyst marks it seen.
    client = signed_in(create_app(desk.store), desk.store)
    assert 'id="updated-count">1<' in client.get("/").text
    assert 'data-id="1"' in client.get("/?status=updated").text
    page = client.get("/incidents/1").text
    assert 'id="updated-badge"' in page
    client.post("/incidents/1/acknowledge", data={"csrf": csrf_of(client)})
    assert updated(desk) == []
    assert 'id="updated-count"' not in client.get("/").text


def test_a_reanalysis_that_changes_a_claim_is_an_update_one_that_does_not_is_not(
    desk: Desk,
) -> None:
    document = desk.add("https://en.example/a", EN_ABDUCTION, [en_abduction()])
    workflow.change_status(desk.store, 1, "confirmed", actor="amira")
    same = en_abduction()
    desk.store.record_analysis(document, Analysed("test-nlp-2", "en", [same]))
    cluster.attach(desk.store, document)
    assert updated(desk) == []
    changed = en_abduction()
    changed["counts"]["abducted"] = 6
    desk.store.record_analysis(document, Analysed("test-nlp-3", "en", [changed]))
    cluster.attach(desk.store, document)
    assert updated(desk) == [1]
    # A new decision is a review: it leaves the view.
    workflow.change_status(desk.store, 1, "sent", actor="amira")
    assert updated(desk) == []
