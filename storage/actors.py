"""Which incidents an actor is named in, as an SQL condition on incidents for the queue's
filters (`IncidentFilter.actors`).

An incident's perpetrators are the analyst's where they corrected them (free text, matched by
any of the actor's names), else those its current sources name (the registry's canonical name
the NLP writes, matched the same way). A span can hold only between two dates: a unit counts
under a parent only while it belonged to it, judged by the incident's date (an undated incident
is kept: nothing says it falls outside).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date


@dataclass(frozen=True, slots=True)
class Span:
    """An actor's names (case-folded), and the dates between which naming it counts."""

    names: tuple[str, ...]
    start: date | None = None
    end: date | None = None


# Each incident with each name its perpetrators go by (lower-cased), among `?` (every name the
# filter asks about): its sources' while no analyst corrected them, else the analyst's. One scan
# of the candidates, whatever the number of actors asked about (a parent has dozens of units).
_NAMED = (
    "SELECT incident_id, name FROM ("
    "SELECT m.incident_id, unnest(list_transform("
    "json_extract_string(c.finding, '$.perpetrators[*].name'), lambda x: lower(x))) AS name "
    "FROM incident_members m JOIN candidates c ON c.id = m.candidate_id "
    "WHERE c.superseded_at IS NULL AND m.incident_id NOT IN "
    "(SELECT incident_id FROM incident_corrections WHERE field = 'perpetrators') "
    "UNION ALL SELECT incident_id, unnest(list_transform("
    "json_extract_string(value, '$[*]'), lambda x: lower(x))) AS name "
    "FROM incident_corrections WHERE field = 'perpetrators'"
    ") WHERE list_contains(?::VARCHAR[], name)"
)


def condition(spans: Sequence[Span]) -> tuple[str, list[Any]]:
    """SQL condition on incident `i`: some span's actor is among its perpetrators, on a date
    within the span's."""
    if not spans:
        return "FALSE", []
    every = sorted({n.lower() for span in spans for n in span.names})
    clauses: list[str] = []
    params: list[Any] = [every]
    for span in spans:
        parts = ["list_contains(?::VARCHAR[], p.name)"]
        params.append([n.lower() for n in span.names])
        if span.start is not None:
            parts.append("(j.date_start IS NULL OR j.date_end >= ?)")
            params.append(span.start)
        if span.end is not None:
            parts.append("(j.date_start IS NULL OR j.date_start <= ?)")
            params.append(span.end)
        clauses.append("(" + " AND ".join(parts) + ")")
    sql = (
        f"i.id IN (SELECT p.incident_id FROM ({_NAMED}) p "  # noqa: S608 - built from fixed parts
        f"JOIN incidents j ON j.id = p.incident_id WHERE {' OR '.join(clauses)})"
    )
    return sql, params
