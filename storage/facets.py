"""Facets of the queue: the values incidents take on each, counted for the current selection.

Each facet is read from the incident's own columns (kept up to date as members come and go), so
counting all of them is one pass over a selection of incidents, not a read of their candidates.
A facet's counts are those of the selection made by every other choice: choosing Tripoli in
"district" leaves the other districts' counts showing, so a second one can be added.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from storage.incidents import IncidentFilter, IncidentQueries

# name: (SQL of the incident's value or values, whether it holds a list). Status and type are
# the filter's own `statuses` and `types`; the others are its `facets`.
FACETS: dict[str, tuple[str, bool]] = {
    "status": ("i.status", False),
    "type": ("i.types", True),
    "district": ("i.admin1", False),
    "source": ("i.sources", True),
    "language": ("i.languages", True),
    # Who the sources name as perpetrators, or who the analyst corrected them to.
    "perpetrator": ("i.perpetrators", True),
    "assignee": ("i.assignee", False),
    "tag": ("i.tags", True),
    # How exactly the incident's date is known; "undated" is a choice like any other.
    "precision": (
        "CASE WHEN i.date_start IS NULL THEN 'undated' ELSE coalesce(i.date_precision, 'day') END",
        False,
    ),
}
# Incident columns the facets read (what a selection keeps to count them).
_COLUMNS = "i.id, i.status, i.types, i.admin1, i.sources, i.languages, i.assignee, i.tags, "
_COLUMNS += "i.date_start, i.date_precision, i.perpetrators"
# Values shown a facet at most (the most frequent).
LIMIT = 40


def condition(name: str, values: Sequence[str]) -> tuple[str, list[Any]]:
    """SQL condition on incident `i`: its `name` facet takes one of `values`."""
    expression, is_list = FACETS[name]
    if is_list:
        # One list_contains per value: list_has_any is several times slower in DuckDB.
        return "(" + " OR ".join(f"list_contains({expression}, ?)" for _ in values) + ")", list(
            values
        )
    return f"{expression} IN ({', '.join('?' for _ in values)})", list(values)


def counts(store: IncidentQueries, where: IncidentFilter) -> dict[str, list[tuple[str, int]]]:
    """For each facet, its values in the selection `where` makes without that facet's own
    choice, most frequent first, with how many incidents take each."""
    everything = replace(where, statuses=(), types=(), facets=())
    common, params = everything.where()
    parts = []
    for name, (expression, is_list) in FACETS.items():
        # The choices shared by every facet are already in the selection: only this facet's
        # neighbours' choices narrow it further.
        rest, rest_params = _narrowing(where, name)
        value = f"unnest({expression})" if is_list else expression
        parts.append(
            (
                f"(SELECT ? AS facet, v AS value, count(*) AS n FROM (SELECT {value} AS v "  # noqa: S608 - built from fixed parts
                f"FROM selection i WHERE {rest}) WHERE v IS NOT NULL "
                f"GROUP BY v ORDER BY n DESC, v LIMIT {LIMIT})",
                [name, *rest_params],
            )
        )
    # A search, a place or an actor is worth evaluating once for all the facets; plain column
    # conditions are cheaper evaluated by each facet's own scan than copied, lists and all, into
    # a table.
    materialised = (
        "MATERIALIZED" if where.text or where.place or where.actors else "NOT MATERIALIZED"
    )
    sql = (
        f"WITH selection AS {materialised} (SELECT {_COLUMNS} FROM incidents i WHERE {common}) "  # noqa: S608 - built from fixed parts
        + " UNION ALL ".join(p for p, _ in parts)
    )
    found: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    for row in store._rows(sql, [*params, *(v for _, ps in parts for v in ps)]):
        found[str(row["facet"])].append((str(row["value"]), int(row["n"])))
    return found


def _narrowing(where: IncidentFilter, name: str) -> tuple[str, list[Any]]:
    """SQL condition of the facet choices in `where` other than `name`'s."""
    clauses: list[str] = []
    params: list[Any] = []
    if name != "status" and where.statuses:
        sql, more = condition("status", where.statuses)
        clauses.append(sql)
        params.extend(more)
    if name != "type" and where.types:
        sql, more = condition("type", where.types)
        clauses.append(sql)
        params.extend(more)
    for other, values in where.facets:
        if other != name and values:
            sql, more = condition(other, values)
            clauses.append(sql)
            params.extend(more)
    return " AND ".join(clauses) or "TRUE", params
