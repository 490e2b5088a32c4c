"""What the map page draws: a window on the shipped district map (zoom and centre from the query
string), the selection's clusters inside it, and links that zoom and pan keeping the filters.

Clusters are squares of a grid a 28th of the window wide, so however many incidents there are,
the page holds at most a few hundred shapes; a cluster links to the window four times closer
around it, a single incident to its page. Shapes are sized in map units from the window, so
they keep their size on screen at every zoom (a lone incident a fingertip wide on a phone).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from nlp.places import AREA_KINDS, spellings
from storage import maps
from triage import mapdata

if TYPE_CHECKING:
    from storage import Store
    from storage.incidents import IncidentFilter

ZOOMS = (1, 2, 4, 8, 16, 32, 64)
GRID = 28
# WCAG 2.5.8: a target at least 24 CSS px across. The map is narrowest on a phone (a 390 px
# screen less the page's margins: 350 px); there each cluster's tap area is a circle this wide,
# and clusters closer than that are drawn as one, so no two tap areas overlap.
PHONE_MAP_PX = 350
TARGET_PX = 26


@dataclass(frozen=True, slots=True)
class Window:
    zoom: int
    cx: float
    cy: float
    width: float
    height: float

    @property
    def x0(self) -> float:
        return self.cx - self.width / 2

    @property
    def y0(self) -> float:
        return self.cy - self.height / 2

    @property
    def view_box(self) -> str:
        return f"{self.x0:.1f} {self.y0:.1f} {self.width:.1f} {self.height:.1f}"


def _number(value: str | None) -> float | None:
    try:
        found = float(value) if value else None
    except ValueError:
        return None
    return found if found is not None and math.isfinite(found) else None


def window(zoom: str | None, cx: str | None, cy: str | None) -> Window:
    """The window asked for, kept on the map: zoom one of `ZOOMS`, centre inside the map."""
    geo = mapdata.load()
    full_w, full_h = float(geo["width"]), float(geo["height"])
    z = int(_number(zoom) or 1)
    z = max(z_ for z_ in ZOOMS if z_ <= max(z, 1))
    width, height = full_w / z, full_h / z
    x = _number(cx)
    y = _number(cy)
    x = full_w / 2 if x is None else min(max(x, width / 2), full_w - width / 2)
    y = full_h / 2 if y is None else min(max(y, height / 2), full_h - height / 2)
    return Window(z, x, y, width, height)


@cache
def areas() -> tuple[maps.Area, ...]:
    """Places that are areas (district, region, country) and share no name and position with a
    town or city (Misrata the district sits on Misrata the city: that incident is drawn)."""
    found = spellings()
    points = {
        (p.name, round(p.lat, 2), round(p.lon, 2)) for p, _ in found if p.kind not in AREA_KINDS
    }
    return tuple(
        maps.Area(p.name, p.lat, p.lon, p.kind == "country")
        for p, _ in found
        if p.kind in AREA_KINDS and (p.name, round(p.lat, 2), round(p.lon, 2)) not in points
    )


def apart(points: list[dict[str, Any]], distance: float) -> list[dict[str, Any]]:
    """`points` (clusters of the grid, biggest first) with any two closer than `distance`
    drawn as one: its count and statuses summed, at their weighted centre."""
    kept: list[dict[str, Any]] = []
    for point in points:
        near = next(
            (k for k in kept if math.dist((k["x"], k["y"]), (point["x"], point["y"])) < distance),
            None,
        )
        if near is None:
            kept.append(dict(point))
            continue
        n, m = int(near["n"]), int(point["n"])
        near["x"] = (float(near["x"]) * n + float(point["x"]) * m) / (n + m)
        near["y"] = (float(near["y"]) * n + float(point["y"]) * m) / (n + m)
        near["n"] = n + m
        statuses = dict(near["statuses"])
        for status, count in dict(point["statuses"]).items():
            statuses[status] = statuses.get(status, 0) + count
        near["statuses"] = statuses
    # A merged centre moves: repeat until every two are `distance` apart.
    return kept if len(kept) == len(points) else apart(kept, distance)


def link(query: str, win: Window, zoom: int, cx: float, cy: float) -> str:
    place = urlencode({"zoom": zoom, "x": f"{cx:.1f}", "y": f"{cy:.1f}"})
    return f"/map?{query}&{place}" if query else f"/map?{place}"


def view(store: Store, where: IncidentFilter, win: Window, query: str) -> dict[str, Any]:
    """Everything the map template draws for `where` in window `win`."""
    p = mapdata.load()["projection"]
    projection = maps.Projection(p["west"], p["north"], p["mid_lat"], p["scale"], p["margin"])
    cell = win.width / GRID
    found = maps.clusters(
        store,
        where,
        projection,
        cell=cell,
        view=(win.x0, win.y0, win.x0 + win.width, win.y0 + win.height),
        areas=areas(),
    )
    closer = ZOOMS[min(ZOOMS.index(win.zoom) + 2, len(ZOOMS) - 1)]
    unit = win.width / 100
    reach = win.width * TARGET_PX / PHONE_MAP_PX / 2
    found["points"] = apart(found["points"], 2 * reach)
    for point in found["points"]:
        point["hit"] = round(reach, 2)
        n = int(point["n"])
        statuses: dict[str, int] = dict(point["statuses"])
        point["status"] = max(sorted(statuses), key=lambda s: statuses[s])
        point["statuses"] = sorted(statuses.items(), key=lambda item: -item[1])
        # Half a grid square at most, so that clusters do not cover their neighbours.
        point["r"] = round(min(cell * 0.5, unit * (1.8 + 0.6 * math.log2(n))), 2)
        # The count fits inside its circle, however many digits it has.
        point["font"] = round(min(unit * 2.2, 2 * point["r"] / (0.62 * len(str(n)) + 0.5)), 2)
        point["href"] = (
            f"/incidents/{point['id']}{'?' + query if query else ''}"
            if n == 1
            else link(query, win, closer, float(point["x"]), float(point["y"]))
        )
    for area in found["areas"]:
        area["r"] = round(min(cell * 0.5, unit * (1.8 + 0.6 * math.log2(int(area["n"])))), 2)
    shift_x, shift_y = win.width / 3, win.height / 3
    zoom_in = ZOOMS[min(ZOOMS.index(win.zoom) + 1, len(ZOOMS) - 1)]
    zoom_out = ZOOMS[max(ZOOMS.index(win.zoom) - 1, 0)]
    found["controls"] = {
        "in": link(query, win, zoom_in, win.cx, win.cy),
        "out": link(query, win, zoom_out, win.cx, win.cy),
        "north": link(query, win, win.zoom, win.cx, win.cy - shift_y),
        "south": link(query, win, win.zoom, win.cx, win.cy + shift_y),
        "west": link(query, win, win.zoom, win.cx - shift_x, win.cy),
        "east": link(query, win, win.zoom, win.cx + shift_x, win.cy),
    }
    found["unit"] = unit
    return found
