from __future__ import annotations

import json
import re

import pytest

from triage import mapdata


def test_the_shipped_map_is_built_from_the_shared_boundaries() -> None:
    if not mapdata.DEFAULT_SOURCE.is_file():
        pytest.skip("shared/gazetteer is not beside the repository")
    fresh = mapdata.build(json.loads(mapdata.DEFAULT_SOURCE.read_text(encoding="utf-8")))
    assert fresh == mapdata.load()


def test_every_district_has_a_path_and_places_land_inside_the_map() -> None:
    data = mapdata.load()
    assert len(data["districts"]) == 22
    for district in data["districts"]:
        assert re.fullmatch(r"(M[0-9.,L]+Z)+", district["path"]), district["code"]
    for lat, lon in ((32.887, 13.191), (32.115, 20.068), (27.038, 14.426), (24.2, 23.3)):
        x, y = mapdata.point(lat, lon)
        assert 0 < x < data["width"] and 0 < y < data["height"]
    tripoli, benghazi = mapdata.point(32.887, 13.191), mapdata.point(32.115, 20.068)
    assert tripoli[0] < benghazi[0] and tripoli[1] < benghazi[1]
