"""The queue's filters, read from a query string (web UI, export links) the same way everywhere."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlencode

from storage.facets import FACETS
from storage.incidents import OPEN, ORDERS, STATUSES, IncidentFilter
from triage import actors

if TYPE_CHECKING:
    from collections.abc import Sequence

TYPES = (
    "killing",
    "attack_on_civilians",
    "torture",
    "arbitrary_detention",
    "enforced_disappearance",
    "sexual_violence",
    "trafficking",
    "attack_on_civil_society",
    "repression_of_assembly",
    "forced_displacement",
)
# The keys a filtered link carries, in a stable order.
KEYS = (
    "status",
    "type",
    "place",
    "district",
    "from",
    "to",
    "source",
    "language",
    "perpetrator",
    "min_confidence",
    "q",
    "assignee",
    "tag",
    "precision",
    "undated",
    "actor",
    "parent",
    "order",
)
# Facets chosen by value, any number of each (status and type have fields of their own).
FACET_KEYS = tuple(name for name in FACETS if name not in ("status", "type"))


class Params(Protocol):
    def get(self, key: str, /) -> str | None: ...

    def getlist(self, key: str) -> list[str]: ...


def statuses(values: Sequence[str]) -> tuple[str, ...]:
    """Chosen statuses; "open" (the default) is new and in review, "all" is every status."""
    chosen: list[str] = []
    for value in values or ["open"]:
        if value == "all":
            return ()
        for status in OPEN if value == "open" else (value,):
            if status in STATUSES and status not in chosen:
                chosen.append(status)
    return tuple(chosen) or OPEN


def parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value[:200] or None


class FilterError(ValueError):
    """A filter value that means nothing. Refused, not ignored: a queue that silently drops
    `type=tortur` or `from=2026-13-45` looks like a complete answer and is not."""


def _problems(params: Params) -> list[str]:
    problems = []
    for value in params.getlist("status"):
        if value and value not in (*STATUSES, "open", "all", "updated"):
            problems.append(
                f"unknown status {value!r} (one of {', '.join(STATUSES)}, open, all or updated)"
            )
    for value in params.getlist("type"):
        if value and value not in TYPES:
            problems.append(f"unknown type {value!r} (one of {', '.join(TYPES)})")
    for key in ("from", "to"):
        day = params.get(key)
        if day and parse_date(day) is None:
            problems.append(f"{key} takes a date as YYYY-MM-DD, not {day!r}")
    for key in ("actor", "parent"):
        named = params.get(key)
        if named and not actors.known(named):
            problems.append(f"{key} takes an actor of the registry (see /actors), not {named!r}")
    confidence = params.get("min_confidence")
    number = _float(confidence)
    if confidence and (number is None or not 0 <= number <= 1):
        problems.append(f"min_confidence takes a number from 0 to 1, not {confidence!r}")
    return problems


def parse(params: Params) -> IncidentFilter:
    """The filter `params` ask for; `FilterError` names every value that means nothing.
    `status=updated` is the "updated since review" view (every reviewed status, unless others
    are chosen too)."""
    problems = _problems(params)
    if problems:
        raise FilterError("; ".join(problems))
    asked = [s for s in params.getlist("status") if s]
    updated = "updated" in asked
    rest = [s for s in asked if s != "updated"]
    return IncidentFilter(
        statuses=() if updated and not rest else statuses(rest),
        updated=updated,
        types=tuple(t for t in params.getlist("type") if t in TYPES),
        place=_text(params.get("place")),
        date_from=parse_date(params.get("from")),
        date_to=parse_date(params.get("to")),
        min_confidence=_float(params.get("min_confidence")),
        text=_text(params.get("q")),
        facets=tuple(
            (name, chosen)
            for name in FACET_KEYS
            if (chosen := tuple(dict.fromkeys(v for v in map(_text, params.getlist(name)) if v)))
        ),
        undated=bool(params.get("undated")),
        actors=actors.spans(params.get("actor") or None, params.get("parent") or None),
    )


def order(params: Params) -> str:
    """The queue's order: best match first when searching (unless another is chosen)."""
    default = "relevance" if _text(params.get("q")) else "confidence"
    chosen = params.get("order") or default
    if chosen == "relevance":
        return default
    if chosen not in ORDERS:
        raise FilterError(f"unknown order {chosen!r} (relevance or one of {', '.join(ORDERS)})")
    return chosen


def query_string(params: Params) -> str:
    """The filter part of `params`, re-encoded (for links that keep the analyst's queue)."""
    pairs = [(k, v) for k in KEYS for v in params.getlist(k) if v]
    return urlencode(pairs)
