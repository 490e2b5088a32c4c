"""The district map: Libya's districts as SVG paths, drawn without any tile server.

`triage/data/districts.json` is built from the shipped boundaries
(`shared/gazetteer/libya_shabiyat.geojson`, MIT, see `triage/data/MAP_SOURCES.md`) by

    python -m triage.mapdata [PATH/TO/libya_shabiyat.geojson]

which projects the polygons (equirectangular, scaled for Libya's middle latitude), rounds them
to a tenth of a map unit and drops points closer than one unit, so the file stays small. The
same projection places incident points on the map.
"""

from __future__ import annotations

import json
import math
import sys
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "districts.json"
DEFAULT_SOURCE = (
    Path(__file__).resolve().parent.parent.parent
    / "shared"
    / "gazetteer"
    / "libya_shabiyat.geojson"
)
SCALE = 40.0  # map units a degree of latitude
MARGIN = 10.0


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    raise ValueError(f"unsupported geometry {geometry['type']!r}")


def _projector(west: float, north: float, mid_lat: float) -> Any:
    k = math.cos(math.radians(mid_lat))

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (
            round((lon - west) * k * SCALE + MARGIN, 1),
            round((north - lat) * SCALE + MARGIN, 1),
        )

    return project


def build(geojson: dict[str, Any]) -> dict[str, Any]:
    features = geojson["features"]
    points = [pt for f in features for ring in _rings(f["geometry"]) for pt in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    mid_lat = (south + north) / 2
    project = _projector(west, north, mid_lat)
    width, height = project(east, south)
    districts = []
    for f in features:
        props = f["properties"]
        iso, name_en = [], []
        for mapped in props.get("sources") or []:
            code, _, name = str(mapped).partition(" / ")
            iso.append(code.strip())
            name_en.append(name.strip())
        path = []
        for ring in _rings(f["geometry"]):
            kept: list[tuple[float, float]] = []
            for lon, lat in ring:
                x, y = project(lon, lat)
                if not kept or abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= 1.0:
                    kept.append((x, y))
            if len(kept) >= 3:
                path.append("M" + "L".join(f"{x:g},{y:g}" for x, y in kept) + "Z")
        districts.append(
            {
                "code": props["code"],
                "name_ar": props.get("name"),
                "name_en": " / ".join(name_en) or None,
                "iso": iso,
                "path": "".join(path),
            }
        )
    return {
        "source": "libya_shabiyat.geojson (Libya-Postal-Code contributors, MIT)",
        "projection": {
            "west": west,
            "north": north,
            "mid_lat": mid_lat,
            "scale": SCALE,
            "margin": MARGIN,
        },
        "width": round(width + MARGIN, 1),
        "height": round(height + MARGIN, 1),
        "districts": districts,
    }


@cache
def load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return data


def point(lat: float, lon: float) -> tuple[float, float]:
    """Map coordinates of a place, in the shipped map's projection."""
    p = load()["projection"]
    return _projector(p["west"], p["north"], p["mid_lat"])(lon, lat)  # type: ignore[no-any-return]


def main(argv: list[str]) -> None:
    source = Path(argv[0]) if argv else DEFAULT_SOURCE
    data = build(json.loads(source.read_text(encoding="utf-8")))
    DATA.parent.mkdir(parents=True, exist_ok=True)
    DATA.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
