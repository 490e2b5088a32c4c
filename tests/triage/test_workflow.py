"""The workflow's rules hold whatever asks (CLI, web form, a forged POST): allowed moves only,
reasons to reject and to mark a duplicate, checked and previewed duplicates, undo, unmerge and
split."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

import pytest
from triage_fixtures import (
    AR_ABDUCTION,
    BENGHAZI,
    EN_ABDUCTION,
    ar_abduction,
    csrf_of,
    en_abduction,
    finding,
    signed_in,
)
from typer.testing import CliRunner

from incidents import workflow
from marsad.cli import app
from marsad.triage_cli import register
from storage import Store
from triage.app import create_app

if TYPE_CHECKING:
    from triage_fixtures import Desk

register(app)
runner = CliRunner()
BLOGGER = "Gunmen abducted a blogger in Benghazi on 2 June 2024."


@pytest.fixture
def two(desk: Desk) -> Desk:
    """Incident 1: the Tripoli abduction (two documents); incident 2: Benghazi."""
    desk.add("https://en.example/a", EN_ABDUCTION, [en_abduction()])
    desk.add("https://ar.example/b", AR_ABDUCTION, [ar_abduction()], language="ar")
    desk.add(
        "https://c.example/c",
        BLOGGER,
        [finding(BLOGGER, BLOGGER, types=["enforced_disappearance"], day="2024-06-02",
                 location=BENGHAZI)],
    )  # fmt: skip
    return desk


def status(desk: Desk, incident_id: int) -> str:
    found = desk.store.incident_status(incident_id)
    assert found is not None
    return found


def test_sent_only_from_confirmed_from_the_terminal(two: Desk) -> None:
    data = str(two.data_dir)
    two.store.close()
    refused = runner.invoke(app, ["triage", "send", "1", "--data-dir", data])
    assert refused.exit_code == 1
    assert "incident 1 is new: it cannot become sent from there (confirm it first)" in " ".join(
        refused.output.split()
    )
    assert runner.invoke(app, ["triage", "confirm", "1", "--data-dir", data]).exit_code == 0
    assert runner.invoke(app, ["triage", "send", "1", "--data-dir", data]).exit_code == 0
    store = Store(two.data_dir / "marsad.duckdb")
    try:
        assert store.incident_status(1) == "sent"
    finally:
        store.close()


def test_reject_and_duplicate_need_a_listed_reason(two: Desk) -> None:
    with pytest.raises(workflow.WorkflowError, match="say why you reject"):
        workflow.change_status(two.store, 1, "rejected", actor="amira")
    with pytest.raises(workflow.WorkflowError, match="not a reason"):
        workflow.change_status(two.store, 1, "rejected", actor="amira", reason_code="boring")
    with pytest.raises(workflow.WorkflowError, match="in a few words"):
        workflow.change_status(two.store, 1, "rejected", actor="amira", reason_code="other")
    with pytest.raises(workflow.WorkflowError, match="say why you mark a duplicate"):
        workflow.mark_duplicate(two.store, 2, 1, actor="amira", reason_code=None)
    assert status(two, 1) == "new"
    workflow.change_status(
        two.store, 1, "rejected", actor="amira", reason_code="not in Libya", reason="Tunis"
    )
    assert two.store.incident_audit(1)[-1]["reason"] == "not in Libya: Tunis"


def test_a_duplicate_target_is_checked_and_the_error_names_the_right_one(two: Desk) -> None:
    why = "same event, another report"
    with pytest.raises(workflow.WorkflowError, match="cannot duplicate itself"):
        workflow.mark_duplicate(two.store, 2, 2, actor="amira", reason_code=why)
    with pytest.raises(workflow.WorkflowError, match="there is no incident 9"):
        workflow.mark_duplicate(two.store, 2, 9, actor="amira", reason_code=why)
    text = "Gunmen seized a second blogger in Benghazi on 20 June 2024."
    two.add(
        "https://c.example/d",
        text,
        [finding(text, text, types=["torture"], day="2024-07-20", location=BENGHAZI)],
    )
    workflow.mark_duplicate(two.store, 3, 2, actor="amira", reason_code=why)
    with pytest.raises(
        workflow.WorkflowError,
        match="incident 3 is itself a duplicate of incident 2: mark this one a duplicate of "
        "incident 2",
    ):
        workflow.mark_duplicate(two.store, 1, 3, actor="amira", reason_code=why)


def test_the_ui_previews_the_target_and_keeps_what_was_typed(two: Desk) -> None:
    client = signed_in(create_app(two.store), two.store)
    preview = client.get("/incidents/2/duplicate?target=1&reason=same+cafe")
    assert preview.status_code == 200
    assert "Is incident 2 a duplicate of incident 1?" in preview.text
    assert '<td dir="auto" class="location_name">Tripoli</td>' in preview.text
    assert 'value="same cafe"' in preview.text
    wrong = client.get("/incidents/2/duplicate?target=2")
    assert wrong.status_code == 400
    assert "incident 2 cannot duplicate itself" in wrong.text
    assert 'id="duplicate-target" ' not in wrong.text
    assert re.search(r'name="target" value="2"', wrong.text)
    token = csrf_of(client)
    # A POST without a reason is refused, and shows the target again with what was typed.
    missing = client.post(
        "/incidents/2/merge", data={"csrf": token, "target": "1", "reason": "same cafe"}
    )
    assert missing.status_code == 400
    assert "say why you mark a duplicate" in missing.text
    assert 'value="same cafe"' in missing.text
    assert status(two, 2) == "new"


def test_undo_a_decision_then_a_merge(two: Desk) -> None:
    entry = workflow.change_status(two.store, 1, "confirmed", actor="amira")
    assert entry is not None
    workflow.undo(two.store, entry, actor="amira")
    assert status(two, 1) == "new"
    # An undo is itself in the history, and an older entry cannot be undone any more.
    with pytest.raises(workflow.WorkflowError, match="has changed since"):
        workflow.undo(two.store, entry, actor="amira")
    merged = workflow.mark_duplicate(
        two.store, 2, 1, actor="amira", reason_code="same event, another report"
    )
    assert two.store.incident(1)["documents"] == 3
    workflow.undo(two.store, merged, actor="amira")
    assert status(two, 2) == "new"
    assert two.store.incident(1)["documents"] == 2
    actions = [a["action"] for a in two.store.incident_audit(1)]
    assert actions[-4:] == ["status", "undo", "absorbed", "released"]


def test_unmerge_brings_back_sources_status_and_history(two: Desk) -> None:
    workflow.change_status(two.store, 2, "in_review", actor="amira")
    workflow.mark_duplicate(
        two.store, 2, 1, actor="amira", reason_code="same event, another report"
    )
    assert two.store.incident(2)["documents"] == 0
    data = str(two.data_dir)
    two.store.close()
    out = runner.invoke(app, ["triage", "unmerge", "2", "--reason", "Benghazi", "--data-dir", data])
    assert out.exit_code == 0, out.output
    store = Store(two.data_dir / "marsad.duckdb")
    try:
        back = store.incident(2)
        assert back is not None
        assert (back["status"], back["merged_into"], back["documents"]) == ("in_review", None, 1)
        assert back["location_name"] == "Benghazi"
        assert store.incident(1)["documents"] == 2
        assert store.incident(1)["location_name"] == "Tripoli"
        assert [a["action"] for a in store.incident_audit(2)] == [
            "created",
            "status",
            "merged",
            "unmerged",
        ]
        # Clustering still finds it: its blocking keys are back.
        assert 2 in store.incidents_with_keys([f"w{date(2024, 6, 2).toordinal() // 7}"])
    finally:
        store.close()


def test_split_moves_chosen_documents_to_a_new_incident(two: Desk) -> None:
    with pytest.raises(workflow.WorkflowError, match="at least one source"):
        workflow.split_documents(two.store, 1, [1, 2], actor="amira")
    new_id = workflow.split_documents(two.store, 1, [2], actor="amira", reason="another cafe")
    first, second = two.store.incident(1), two.store.incident(new_id)
    assert first is not None and second is not None
    assert (first["documents"], second["documents"]) == (1, 1)
    assert set(second["types"]) == {"enforced_disappearance", "arbitrary_detention"}
    assert list(first["types"]) == ["enforced_disappearance"]
    assert second["status"] == "new"
    assert two.store.incident_audit(1)[-1]["to_value"] == f"incident {new_id}"
    assert two.store.incident_audit(new_id)[0]["reason"] == "split from incident 1"
