"""Bulk actions on the queue: a status, an assignee or a tag for many incidents at once.

Each incident goes through the very call its own page's form makes, so the same rules hold and
each change has its own audit entry; one that is refused (merged away, not allowed from its
status) is named with the reason, and the others still change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from incidents import workflow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from storage import Store

ACTIONS = ("status", "assign", "tag")


def apply(
    store: Store,
    ids: Sequence[int],
    action: str,
    value: str | None,
    *,
    actor: str,
    reason_code: str | None = None,
    reason: str | None = None,
) -> tuple[int, list[tuple[int, str]]]:
    """Apply `action` with `value` to each of `ids`; how many changed, and those refused with
    why. A status goes through the workflow (`reason_code` is the listed reason a rejection
    needs); a duplicate mark needs its target, so it is made one incident at a time."""
    if action not in ACTIONS:
        raise ValueError(f"no bulk action {action!r} (one of {', '.join(ACTIONS)})")
    if action in ("status", "tag") and not value:
        raise ValueError("say which status or tag")
    if not ids:
        raise ValueError("choose the incidents first (the boxes at the start of each row)")
    if action == "status":
        assert value is not None
        # A rejection without its reason is refused once, not once per incident.
        workflow.reason_for(value, reason_code, reason)
    done = 0
    refused: list[tuple[int, str]] = []
    for incident_id in dict.fromkeys(ids):
        try:
            if action == "status":
                assert value is not None
                workflow.change_status(
                    store,
                    incident_id,
                    value,
                    actor=actor,
                    reason_code=reason_code,
                    reason=reason,
                )
            elif action == "assign":
                store.set_incident_field(incident_id, "assignee", value, actor=actor, reason=reason)
            else:
                row = store.incident(incident_id)
                if row is None:
                    raise KeyError(incident_id)
                tags = [*row["tags"], value]
                store.set_incident_field(incident_id, "tags", tags, actor=actor, reason=reason)
        except KeyError:
            refused.append((incident_id, "no such incident"))
        except ValueError as exc:
            refused.append((incident_id, str(exc)))
        else:
            done += 1
    return done, refused
