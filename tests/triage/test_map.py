"""The map for thousands: clusters with counts per grid square, zoom and pan, the queue's filters,
a colour per status, and places known only as an area not drawn as exact points.

Coordinates and kinds (Libya a country, Jafara a district) are the gazetteer's
(nlp/data/gazetteer.json); the incidents are written straight into the table, as the map reads
nothing else, so that thousands of them take a second.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from triage_fixtures import BENGHAZI, TRIPOLI, Desk, finding, signed_in

from triage.app import create_app

if TYPE_CHECKING:
    from storage import Store

LIBYA = {"name": "Libya", "name_ar": "ليبيا", "admin1": None, "lat": 27.0, "lon": 17.0}
JAFARA = {
    "name": "Jafara",
    "name_ar": "الجفارة",
    "admin1": "Jafara",
    "lat": 32.5333,
    "lon": 13.0167,
}


def many(store: Store, count: int) -> None:
    """`count` incidents over twelve Libyan towns (the gazetteer's coordinates, jittered by up
    to a few kilometres), statuses in turn."""
    towns = [
        ("Tripoli", 32.8874, 13.1873), ("Benghazi", 32.1167, 20.0667),
        ("Misrata", 32.3753, 15.0925), ("Sabha", 27.0377, 14.4283),
        ("Zawiya", 32.7522, 12.7278), ("Sirte", 31.2089, 16.5887),
        ("Derna", 32.767, 22.6367), ("Tarhuna", 32.435, 13.6332),
        ("Kufra", 24.1833, 23.2833), ("Ghat", 24.9647, 10.1728),
        ("Bani Walid", 31.7566, 13.9942), ("Tobruk", 32.0836, 23.9764),
    ]  # fmt: skip
    names = "[" + ", ".join(f"'{n}'" for n, _, _ in towns) + "]"
    lats = "[" + ", ".join(str(a) for _, a, _ in towns) + "]"
    lons = "[" + ", ".join(str(o) for _, _, o in towns) + "]"
    with store.transaction() as db:
        db.execute(
            f"""INSERT INTO incidents (status, tags, types, confidence, date_start, date_end,
            date_precision, location_name, admin1, lat, lon, created_at, updated_at,
            last_source_at) SELECT
            (['new', 'in_review', 'confirmed', 'rejected', 'sent'])[1 + i % 5], [], ['killing'],
            0.7, DATE '2024-01-01', DATE '2024-01-01', 'day', ({names})[1 + i % 12], NULL,
            ({lats})[1 + i % 12] + ((i * 7919) % 100 - 50) / 2000.0,
            ({lons})[1 + i % 12] + ((i * 104729) % 100 - 50) / 2000.0,
            now(), now(), now() FROM range({count}) t(i)"""  # noqa: S608 - test constants
        )


def _circles(html: str) -> list[tuple[str, int]]:
    return [
        (status, int(n))
        for n, status in re.findall(r'data-count="(\d+)"[^>]*><circle class="point (\w+)"', html)
    ]


def test_five_thousand_incidents_draw_as_a_few_clusters_with_counts(desk: Desk) -> None:
    many(desk.store, 5000)
    client = signed_in(create_app(desk.store), desk.store)
    page = client.get("/map", params={"status": "all"})
    assert page.status_code == 200
    drawn = _circles(page.text)
    assert sum(n for _, n in drawn) == 5000
    assert len(drawn) < 100
    assert "5000 incidents" in page.text
    # A cluster opens four times closer around itself, filters kept.
    first = re.search(r'<a href="(/map\?status=all&amp;zoom=4[^"]+)" class="cluster"', page.text)
    assert first is not None
    closer = client.get(first.group(1).replace("&amp;", "&"))
    assert 'viewBox="' in closer.text
    assert sum(n for _, n in _circles(closer.text)) < 5000
    # The queue's filters narrow the map.
    confirmed = client.get("/map", params={"status": "confirmed"})
    assert {s for s, _ in _circles(confirmed.text)} == {"confirmed"}
    assert sum(n for _, n in _circles(confirmed.text)) == 1000


def test_places_known_only_as_an_area_are_not_drawn_as_points(desk: Desk) -> None:
    for url, text, place, day in [
        ("https://a.example/1", "Gunmen killed a man in Tripoli.", TRIPOLI, "2024-05-01"),
        ("https://a.example/2", "A shell hit a house in Benghazi.", BENGHAZI, "2024-05-08"),
        ("https://a.example/3", "Arrests were reported across Libya.", LIBYA, "2024-05-15"),
        ("https://a.example/4", "Farms were burned in Jafara.", JAFARA, "2024-05-22"),
    ]:
        desk.add(url, text, [finding(text, text, types=["killing"], day=day, location=place)])
    page = signed_in(create_app(desk.store), desk.store).get("/map")
    assert sorted(n for _, n in _circles(page.text)) == [1, 1]
    assert "1 placed only in a district or region (dashed rings)" in page.text
    assert "1 placed only in a country (not drawn)" in page.text
    drawn = page.text.split('id="map"')[1].split("</svg>")[0]
    assert drawn.count('<circle class="area"') == 1


@pytest.mark.parametrize("zoom", ["0", "3", "999", "x"])
def test_any_zoom_asked_for_lands_on_one_the_map_has(desk: Desk, zoom: str) -> None:
    page = signed_in(create_app(desk.store), desk.store).get(
        "/map", params={"zoom": zoom, "x": "-1e9"}
    )
    assert page.status_code == 200
    assert re.search(r"zoom ×(1|2|64)<", page.text)
