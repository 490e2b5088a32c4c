"""The map's clusters: the incidents of a selection counted per square of a grid, in SQL, so that
drawing thousands of incidents costs a few hundred shapes and reads no incident twice."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from storage.incidents import IncidentFilter, IncidentQueries


@dataclass(frozen=True, slots=True)
class Projection:
    """Equirectangular, as the shipped district map is drawn (`triage.mapdata`)."""

    west: float
    north: float
    mid_lat: float
    scale: float
    margin: float

    def sql(self) -> tuple[str, str]:
        """SQL of an incident `i`'s map x and y."""
        k = math.cos(math.radians(self.mid_lat))
        return (
            f"((i.lon - {self.west!r}) * {k!r} * {self.scale!r} + {self.margin!r})",
            f"(({self.north!r} - i.lat) * {self.scale!r} + {self.margin!r})",
        )


@dataclass(frozen=True, slots=True)
class Area:
    """A place that is an area (district, region, country), not a point: incidents placed only
    there are not drawn as if their place were exact."""

    name: str
    lat: float
    lon: float
    country: bool


def clusters(
    store: IncidentQueries,
    where: IncidentFilter,
    projection: Projection,
    *,
    cell: float,
    view: tuple[float, float, float, float],
    areas: Sequence[Area],
) -> dict[str, Any]:
    """The selection on the map: `points`, a cluster per grid square of side `cell` inside
    `view` (x0, y0, x1, y1) with its count, mean position, statuses and, for one incident, that
    incident; `areas`, incidents placed at an area's centre (a count per area); `country`,
    those placed only in a country; `unplaced`, those without coordinates."""
    condition, params = where.where()
    x, y = projection.sql()
    names = [a.name for a in areas]
    lats = [a.lat for a in areas]
    lons = [a.lon for a in areas]
    kinds = ["country" if a.country else "area" for a in areas]
    # An incident is at an area when its place has the area's name and coordinates.
    common = (
        "WITH areas AS (SELECT unnest(?::VARCHAR[]) AS name, unnest(?::DOUBLE[]) AS lat, "  # noqa: S608 - built from fixed parts
        "unnest(?::DOUBLE[]) AS lon, unnest(?::VARCHAR[]) AS kind), "
        f"placed AS MATERIALIZED (SELECT i.id, i.status, i.types, i.location_name, i.date_start, "
        f"i.lat, i.lon, {x} AS x, {y} AS y, a.kind FROM incidents i LEFT JOIN areas a "
        "ON a.name = i.location_name AND abs(a.lat - i.lat) < 0.01 AND abs(a.lon - i.lon) < 0.01 "
        f"WHERE {condition}) "
    )
    head = [names, lats, lons, kinds, *params]
    x0, y0, x1, y1 = view
    points = store._rows(
        common  # noqa: S608 - built from fixed parts
        + "SELECT floor(x / ?) AS gx, floor(y / ?) AS gy, count(*) AS n, avg(x) AS x, "
        "avg(y) AS y, histogram(status) AS statuses, min(id) AS id, any_value(types) AS types, "
        "any_value(location_name) AS place, any_value(date_start) AS day FROM placed "
        "WHERE lat IS NOT NULL AND kind IS NULL AND x BETWEEN ? AND ? AND y BETWEEN ? AND ? "
        "GROUP BY gx, gy ORDER BY n DESC, gx, gy",
        [*head, cell, cell, x0, x1, y0, y1],
    )
    at_areas = store._rows(
        common + "SELECT location_name AS name, count(*) AS n, avg(x) AS x, avg(y) AS y "
        "FROM placed WHERE kind = 'area' GROUP BY 1 ORDER BY n DESC, name",
        head,
    )
    totals = store._one(
        common  # noqa: S608 - built from fixed parts
        + "SELECT count(*) FILTER (WHERE kind = 'country') AS country, "
        "count(*) FILTER (WHERE lat IS NULL) AS unplaced, count(*) AS total FROM placed",
        head,
    )
    assert totals is not None
    return {
        "points": points,
        "areas": at_areas,
        "country": int(totals["country"]),
        "unplaced": int(totals["unplaced"]),
        "total": int(totals["total"]),
    }
