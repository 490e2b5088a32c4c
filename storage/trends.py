"""Trends: incidents a week for a selection, split by type or by district, counted in SQL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storage.incidents import IncidentFilter, IncidentQueries

# What a trend splits by: the SQL of an incident's value (a list is counted once per value).
SPLITS = {"type": "unnest(i.types)", "district": "coalesce(i.admin1, '?')"}


def weekly(
    store: IncidentQueries, where: IncidentFilter, by: str, *, weeks: int
) -> list[dict[str, Any]]:
    """(week, key, n) for the dated incidents of `where` in the last `weeks` weeks that have
    any (weeks start on Monday), split `by` type or district."""
    condition, params = where.where()
    value = SPLITS[by]
    return store._rows(
        "WITH dated AS (SELECT CAST(date_trunc('week', i.date_start) AS DATE) AS week, "  # noqa: S608 - built from fixed parts
        f"{value} AS key FROM incidents i WHERE {condition} AND i.date_start IS NOT NULL) "
        "SELECT week, key, count(*) AS n FROM dated "
        "WHERE week > (SELECT max(week) FROM dated) - to_weeks(?) "
        "GROUP BY week, key ORDER BY week, key",
        [*params, weeks],
    )
