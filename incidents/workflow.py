"""The review workflow's rules, enforced here for the web UI and the CLI alike (not by buttons).

- Status moves follow `TRANSITIONS`: an incident is sent to verification only once confirmed,
  a rejected one is reopened before anything else, a duplicate only leaves by an unmerge.
- Rejecting and marking a duplicate need a reason: one of a short list, plus free text (required
  with "other").
- A duplicate's target must exist, be another incident, and not be a duplicate itself; the
  error names the incident to use instead.
- Every status change and merge can be undone while nothing has changed the incident since
  (`undoable`): the UI offers it for a few seconds, and the history keeps offering it.
- An incident can be split: chosen sources go to a new incident.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from incidents import cluster

if TYPE_CHECKING:
    from collections.abc import Sequence

    from storage import Store

TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"in_review", "confirmed", "rejected"}),
    "in_review": frozenset({"new", "confirmed", "rejected"}),
    "confirmed": frozenset({"new", "in_review", "rejected", "sent"}),
    "rejected": frozenset({"new", "in_review", "confirmed"}),
    "sent": frozenset({"confirmed"}),
    "duplicate": frozenset(),
}
REJECT_REASONS = (
    "not an incident",
    "not in Libya",
    "outside the mandate",
    "too vague to verify",
    "old event reported again",
    "other",
)
DUPLICATE_REASONS = (
    "same event, another report",
    "same article, another address",
    "other",
)
# Audit actions that one undo reverses.
UNDOABLE = ("status", "merged", "undo")


class WorkflowError(ValueError):
    """A move the workflow does not allow, said so that the analyst knows what to do."""


def reason_for(kind: str, code: str | None, text: str | None) -> str | None:
    """The audit reason for a move: for reject and duplicate, a listed reason (plus the text),
    required; for the others, the free text if any."""
    text = " ".join((text or "").split())[:1000] or None
    listed = {"rejected": REJECT_REASONS, "duplicate": DUPLICATE_REASONS}.get(kind)
    if listed is None:
        return text
    what = "reject" if kind == "rejected" else "mark a duplicate"
    if not code:
        raise WorkflowError(f"say why you {what}: one of {', '.join(listed)}")
    if code not in listed:
        raise WorkflowError(f"{code!r} is not a reason to {what}; one of {', '.join(listed)}")
    if code == "other" and not text:
        raise WorkflowError(f"say in a few words why you {what} (reason: other)")
    return code if text is None else f"{code}: {text}"


def change_status(
    store: Store,
    incident_id: int,
    status: str,
    *,
    actor: str,
    reason_code: str | None = None,
    reason: str | None = None,
) -> int | None:
    """Move an incident to `status` if the workflow allows it; the audit entry (None when the
    incident already had that status)."""
    if status == "duplicate":
        raise WorkflowError("mark a duplicate with the incident it duplicates")
    if status not in TRANSITIONS:
        raise WorkflowError(f"unknown status {status!r}")
    why = reason_for(status, reason_code, reason)
    allowed = {old for old, targets in TRANSITIONS.items() if status in targets}
    try:
        return store.change_incident_status(
            incident_id, status, actor=actor, reason=why, allowed_from=allowed
        )[1]
    except ValueError as exc:
        hint = " (confirm it first)" if status == "sent" else ""
        raise WorkflowError(f"{exc}{hint}") from exc


def check_duplicate(store: Store, incident_id: int, target: int | None) -> dict[str, Any]:
    """The target of a duplicate mark, once it is one: it exists, it is another incident, it
    is not merged itself (the error names the incident it was merged into)."""
    if target is None:
        raise WorkflowError("give the number of the incident this one duplicates")
    if target == incident_id:
        raise WorkflowError(f"incident {incident_id} cannot duplicate itself")
    found = store.incident(target)
    if found is None:
        raise WorkflowError(f"there is no incident {target}")
    if found["status"] == "duplicate":
        raise WorkflowError(
            f"incident {target} is itself a duplicate of incident {found['merged_into']}: "
            f"mark this one a duplicate of incident {found['merged_into']}"
        )
    here = store.incident_status(incident_id)
    if here is None:
        raise KeyError(f"no incident {incident_id}")
    if here == "duplicate":
        raise WorkflowError(f"incident {incident_id} is already a duplicate")
    return found


def mark_duplicate(
    store: Store,
    incident_id: int,
    target: int | None,
    *,
    actor: str,
    reason_code: str | None,
    reason: str | None = None,
) -> int:
    """Merge `incident_id` into `target` (checked) with a listed reason; the audit entry."""
    why = reason_for("duplicate", reason_code, reason)
    with store.transaction():
        found = check_duplicate(store, incident_id, target)
        entry = store.merge_incidents(incident_id, int(found["id"]), actor=actor, reason=why)
        cluster.refresh(store, int(found["id"]))
    return entry


def unmerge(store: Store, incident_id: int, *, actor: str, reason: str | None = None) -> int:
    """Undo a duplicate mark: the incident returns with its sources, status and history; the
    incident it had been merged into."""
    with store.transaction():
        try:
            target = store.unmerge_incident(incident_id, actor=actor, reason=reason)
        except ValueError as exc:
            raise WorkflowError(str(exc)) from exc
        cluster.refresh(store, incident_id)
        cluster.refresh(store, target)
    return target


def split(
    store: Store,
    incident_id: int,
    candidate_ids: Sequence[int],
    *,
    actor: str,
    reason: str | None = None,
) -> int:
    """Move the chosen sources (candidates) to a new incident; its id."""
    with store.transaction():
        wanted = set(candidate_ids)
        # The new incident's summary is read from the chosen sources' current readings (or, if
        # a re-analysis superseded them all, from what they said).
        current = [m for m in store.member_candidates([incident_id]) if int(m["id"]) in wanted]
        if not current:
            current = [
                m
                for m in store.member_candidates([incident_id], current=False)
                if int(m["id"]) in wanted
            ]
        if not current:
            raise WorkflowError("choose the sources that go to the new incident")
        try:
            new_id = store.split_incident(
                incident_id,
                candidate_ids,
                summary=cluster.summarise(current),
                keys=cluster.keys_for(current),
                actor=actor,
                reason=reason,
            )
        except ValueError as exc:
            raise WorkflowError(str(exc)) from exc
        cluster.refresh(store, incident_id)
    return new_id


def split_documents(
    store: Store,
    incident_id: int,
    document_ids: Sequence[int],
    *,
    actor: str,
    reason: str | None = None,
) -> int:
    """`split` by documents: every reading of the chosen documents goes to the new incident."""
    wanted = set(document_ids)
    chosen = [
        int(m["id"])
        for m in store.member_candidates([incident_id], current=False)
        if int(m["document_id"]) in wanted
    ]
    if not chosen:
        raise WorkflowError(f"choose documents of incident {incident_id} to split off")
    return split(store, incident_id, chosen, actor=actor, reason=reason)


def undoable(store: Store, incident_id: int) -> dict[str, Any] | None:
    """The incident's last status change or merge, if nothing has changed its status since."""
    status = store.incident_status(incident_id)
    for entry in reversed(store.incident_audit(incident_id)):
        if entry["action"] in UNDOABLE:
            if entry["action"] == "merged":
                return entry if status == "duplicate" else None
            return entry if entry["to_value"] == status else None
        if entry["action"] in ("unmerged", "created"):
            return None
    return None


def undo(store: Store, entry_id: int, *, actor: str) -> int | None:
    """Reverse audit entry `entry_id` (a status change or a merge) if it is still the
    incident's last; the audit entry of the undo."""
    entry = store.audit_entry(entry_id)
    if entry is None:
        raise WorkflowError(f"no history entry {entry_id}")
    incident_id = int(entry["incident_id"])
    with store.transaction():
        last = undoable(store, incident_id)
        if last is None or int(last["id"]) != entry_id:
            raise WorkflowError(
                f"incident {incident_id} has changed since: nothing to undo there, use its "
                "history or its buttons"
            )
        why = f"undo of history entry {entry_id}"
        if entry["action"] == "merged":
            unmerge(store, incident_id, actor=actor, reason=why)
            return int(store.incident_audit(incident_id)[-1]["id"])
        return store.change_incident_status(
            incident_id,
            str(entry["from_value"]),
            actor=actor,
            reason=why,
            allowed_from={str(entry["to_value"])},
            action="undo",
        )[1]
