"""Which incidents an actor is named in, as an SQL condition on incidents for the queue's
filters (`IncidentFilter.actors`).

An incident's perpetrators are the analyst's where they corrected them (free text, matched by
any of the actor's names), else those its current sources name (the registry's canonical name
the NLP writes, matched the same way): the incident's `perpetrators` column holds exactly that.
A span can hold only between two dates: a unit counts under a parent only while it belonged to
it, judged by the incident's date (an undated incident is kept: nothing says it falls outside).
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


def condition(spans: Sequence[Span]) -> tuple[str, list[Any]]:
    """SQL condition on incident `i`: some span's actor is among its perpetrators (the
    `perpetrators` column, which migration m016 keeps as the sources name them or as an analyst
    corrected them), on a date within the span's."""
    if not spans:
        return "FALSE", []
    clauses: list[str] = []
    params: list[Any] = []
    for span in spans:
        parts = ["list_has_any(list_transform(i.perpetrators, lambda x: lower(x)), ?::VARCHAR[])"]
        params.append([n.lower() for n in span.names])
        if span.start is not None:
            parts.append("(i.date_start IS NULL OR i.date_end >= ?)")
            params.append(span.start)
        if span.end is not None:
            parts.append("(i.date_start IS NULL OR i.date_start <= ?)")
            params.append(span.end)
        clauses.append("(" + " AND ".join(parts) + ")")
    return "(" + " OR ".join(clauses) + ")", params
