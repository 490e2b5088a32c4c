"""The queue's facets as the page shows them: each value a link that adds or removes it, the
choices as removable chips, and column headers that sort. Every link keeps the rest of the
queue's filters, so nothing chosen is lost on the way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from storage.incidents import OPEN, STATUSES
from triage.filters import KEYS

if TYPE_CHECKING:
    from triage.filters import Params

LABELS = {
    "status": "Status",
    "type": "Type",
    "district": "District",
    "source": "Source",
    "language": "Language",
    "perpetrator": "Perpetrator",
    "assignee": "Assignee",
    "tag": "Tag",
    "precision": "Date known to",
    "q": "Search",
    "place": "Place",
    "from": "From",
    "to": "To",
    "min_confidence": "Min. confidence",
    "undated": "With undated",
    "actor": "Perpetrator",
    "parent": "Perpetrator and its units",
}
# The queue's columns that sort, with the order each header asks for first.
COLUMNS = (
    ("#", "id"),
    ("Status", "status"),
    ("Conf.", "confidence"),
    ("Types", "types"),
    ("Date", "date"),
    ("Place", "place"),
    ("Sources", "documents"),
    ("First headline", "title"),
    ("Assignee", "assignee"),
)


@dataclass(frozen=True, slots=True)
class Value:
    value: str
    count: int
    chosen: bool
    url: str  # the queue with this value added, or removed when chosen


@dataclass(frozen=True, slots=True)
class Chip:
    key: str
    label: str
    value: str
    url: str  # the queue without this choice


def _pairs(params: Params) -> list[tuple[str, str]]:
    return [(k, v) for k in KEYS for v in params.getlist(k) if v]


def _url(pairs: list[tuple[str, str]]) -> str:
    return "/?" + urlencode(pairs) if pairs else "/"


def toggled(params: Params, key: str, value: str) -> str:
    """The queue with `value` of `key` added, or taken away if it is chosen; back to page 1."""
    pairs = _pairs(params)
    if key == "status":
        # "open" (the default) and "all" stand for statuses that can be taken away one by one.
        named = [v for k, v in pairs if k == "status"] or ["open"]
        spelled = [
            s for v in named for s in (OPEN if v == "open" else STATUSES if v == "all" else (v,))
        ]
        pairs = [p for p in pairs if p[0] != "status"] + [("status", s) for s in spelled]
    if (key, value) in pairs:
        pairs.remove((key, value))
        if key == "status" and not any(k == "status" for k, _ in pairs):
            pairs.append(("status", "all"))
    else:
        pairs.append((key, value))
    return _url(pairs)


def values(
    params: Params, key: str, counted: list[tuple[str, int]], chosen: tuple[str, ...]
) -> list[Value]:
    """A facet's values with their counts, the chosen ones first (even when none is left)."""
    seen = dict(counted)
    ordered = [(v, seen.get(v, 0)) for v in chosen] + [
        (v, n) for v, n in counted if v not in chosen
    ]
    return [Value(v, n, v in chosen, toggled(params, key, v)) for v, n in ordered]


def chips(params: Params) -> list[Chip]:
    """Every choice in the queue's filters, each with the link that removes it."""
    pairs = _pairs(params)
    found = []
    for key, value in pairs:
        if key == "order" or (key == "status" and value == "open"):
            continue
        rest = [p for p in pairs if p != (key, value)]
        found.append(Chip(key, LABELS.get(key, key), value, _url(rest)))
    return found


def sort_url(params: Params, column: str, current: str) -> str:
    """The queue sorted by `column` (reversed if it already is), filters kept, from page 1."""
    chosen = f"-{column}" if current == column else column
    pairs = [(k, v) for k, v in _pairs(params) if k != "order"] + [("order", chosen)]
    return _url(pairs)
