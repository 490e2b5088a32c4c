from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from typing import TYPE_CHECKING

import pytest
from triage_fixtures import (
    AR_ABDUCTION,
    BENGHAZI,
    EN_ABDUCTION,
    ar_abduction,
    en_abduction,
    finding,
)

from storage.incidents import IncidentFilter
from triage import exports

if TYPE_CHECKING:
    from triage_fixtures import Desk

AIRSTRIKE = "A drone strike hit a house in Benghazi on 2 June 2024, killing three civilians."


@pytest.fixture
def filled(desk: Desk) -> Desk:
    desk.add("https://en.example/a", EN_ABDUCTION, [en_abduction()], source="en-news")
    ar = desk.add(
        "https://ar.example/b", AR_ABDUCTION, [ar_abduction()], language="ar", source="ar-news"
    )
    desk.store.record_ingest(ar, "gathered-17")
    desk.add(
        "https://c.example/1",
        AIRSTRIKE,
        [
            finding(
                AIRSTRIKE,
                AIRSTRIKE,
                types=["attack_on_civilians"],
                day="2024-06-02",
                location=BENGHAZI,
                counts={"killed": 3},
                perpetrators=[
                    {"name": "=HYPERLINK(1)", "category": "foreign_forces", "aliases": []}
                ],
            )
        ],
    )
    return desk


def run(desk: Desk, kind: str) -> bytes:
    out = io.BytesIO()
    exports.export(desk.store, desk.data_dir, IncidentFilter(), kind, out, actor="amira")
    return out.getvalue()


def test_csv_opens_with_every_incident_and_its_sources(filled: Desk) -> None:
    body = run(filled, "csv")
    # Excel reads a CSV as UTF-8 only after a byte-order mark.
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == ["1", "2"]
    first = rows[0]
    assert first["documents"] == "2"
    assert first["urls"].split() == ["https://en.example/a", "https://ar.example/b"]
    assert first["input_ids"] == "gathered-17"
    assert first["abducted"] == "4"
    assert "abducted: 4 [doc 1] / 5 [doc 2]" in first["disputed"]
    # A formula planted in scraped text is not a formula in the spreadsheet.
    assert rows[1]["perpetrators"] == "'=HYPERLINK(1)"
    # Arabic survives the round trip; the evidence, victims and review state are there.
    assert first["location_ar"] == "طرابلس"
    assert first["status"] == "new"
    assert first["duplicate_of"] == ""
    assert EN_ABDUCTION.split(".")[0] in first["evidence"]
    assert first["victims"]
    assert rows[1]["evidence"] == AIRSTRIKE


def test_csv_names_the_incident_a_duplicate_belongs_to(filled: Desk) -> None:
    from incidents import cluster

    cluster.merge(filled.store, 2, 1, actor="amira", reason="same event")
    where = IncidentFilter(statuses=())
    out = io.BytesIO()
    exports.export(filled.store, filled.data_dir, where, "csv", out, actor="amira")
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert {r["id"]: (r["status"], r["duplicate_of"]) for r in rows} == {
        "1": ("new", ""),
        "2": ("duplicate", "1"),
    }


def test_json_lists_fields_status_and_every_supporting_document(filled: Desk) -> None:
    data = json.loads(run(filled, "json"))
    first = data["incidents"][0]
    assert first["status"] == "new"
    assert first["location"]["name_ar"] == "طرابلس"
    assert [(s["url"], s["input_ids"]) for s in first["sources"]] == [
        ("https://en.example/a", []),
        ("https://ar.example/b", ["gathered-17"]),
    ]
    abducted = next(c for c in first["claims"] if c["field"] == "abducted")
    assert abducted["disputed"] is True


def test_geojson_is_a_feature_collection_of_points(filled: Desk) -> None:
    data = json.loads(run(filled, "geojson"))
    assert data["type"] == "FeatureCollection"
    coords = [f["geometry"]["coordinates"] for f in data["features"]]
    assert coords == [[13.191, 32.887], [20.068, 32.115]]
    assert all(f["geometry"]["type"] == "Point" for f in data["features"])
    tripoli, benghazi = (f["properties"] for f in data["features"])
    # Flat: every property one value, as QGIS and ArcGIS read them.
    assert all(
        not isinstance(v, dict | list) for f in data["features"] for v in f["properties"].values()
    )
    assert tripoli["urls"] == "https://en.example/a https://ar.example/b"
    assert (tripoli["place_kind"], tripoli["geo_precision"]) == ("city", 1)
    assert (benghazi["killed"], benghazi["types"]) == (3, "attack_on_civilians")


# ACLED's columns as its own R package documents the dataset's format
# (https://dtacled.github.io/acledR/reference/acled_old_dummy.html), typed out from there.
CODEBOOK = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]


def test_acled_shape_and_type_mapping(filled: Desk) -> None:
    body = run(filled, "acled")
    assert body.startswith(b"event_id_cnty,")
    reader = csv.DictReader(io.StringIO(body.decode("utf-8")))
    assert reader.fieldnames == CODEBOOK
    assert len(CODEBOOK) == 31
    rows = list(reader)
    abduction, strike = rows
    assert abduction["event_id_cnty"] == "LBY1"
    assert (abduction["iso"], abduction["region"], abduction["country"]) == (
        "434",
        "Northern Africa",
        "Libya",
    )
    assert (abduction["year"], abduction["disorder_type"]) == ("2024", "Political violence")
    assert (abduction["inter2"], abduction["civilian_targeting"]) == ("7", "Civilian targeting")
    assert strike["inter1"] == "8"  # foreign forces: external/other forces
    assert strike["interaction"] == "78"
    assert strike["timestamp"].isdigit()
    assert (abduction["event_type"], abduction["sub_event_type"]) == (
        "Violence against civilians",
        "Abduction/forced disappearance",
    )
    assert abduction["event_date"] == "2024-05-12"
    assert abduction["time_precision"] == "1"
    assert abduction["actor1"] == "Radaa force"
    assert abduction["geo_precision"] == "1"
    assert abduction["fatalities"] == "0"
    assert (strike["event_type"], strike["sub_event_type"]) == (
        "Explosions/Remote violence",
        "Air/drone strike",
    )
    assert strike["fatalities"] == "3"
    assert strike["admin1"] == "Benghazi"


def test_bundle_is_a_zip_with_manifest_hashes_and_captures(filled: Desk) -> None:
    archive = zipfile.ZipFile(io.BytesIO(run(filled, "bundle")))
    assert archive.testzip() is None
    names = archive.namelist()
    assert all(not n.startswith("/") and ".." not in n for n in names)
    manifest = json.loads(archive.read("manifest.json"))
    sources = [s for i in manifest["incidents"] for s in i["sources"]]
    assert len(sources) == 3
    for s in sources:
        body = archive.read(s["capture"]["path"])
        assert hashlib.sha256(body).hexdigest() == s["capture"]["sha256"] == s["capture_sha256"]
        assert s["text"] and s["url"] and s["fetched_at"]
        ev = s["evidence"][0]
        assert s["text"][ev["start"] : ev["end"]] == ev["text"]
    sums = archive.read("SHA256SUMS").decode().splitlines()
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    assert {e["action"] for e in filled.store.custody()} == {"export"}


def test_bundle_refuses_an_altered_capture(filled: Desk) -> None:
    from storage import CaptureFiles

    doc = filled.store.document(1)
    path = CaptureFiles(filled.data_dir / "captures").path_for(doc["capture_sha256"])
    path.write_bytes(b"tampered")
    with pytest.raises(exports.ExportError, match="no longer matches"):
        run(filled, "bundle")


def test_acled_leaves_out_undated_incidents_and_says_which(desk: Desk) -> None:
    undated = finding(AIRSTRIKE, AIRSTRIKE, types=["killing"], day="2024-06-02", location=BENGHAZI)
    undated["date"] = None
    desk.add("https://c.example/undated", AIRSTRIKE, [undated])
    desk.add("https://en.example/a", EN_ABDUCTION, [en_abduction()])
    out, left_out = io.BytesIO(), []
    written = exports.export(
        desk.store, desk.data_dir, IncidentFilter(), "acled", out, left_out=left_out
    )
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"))))
    assert (written, left_out) == (1, [1])
    assert [r["event_id_cnty"] for r in rows] == ["LBY2"]
    assert all(r["event_date"] for r in rows)


def test_file_names_carry_the_selection_and_the_utc_time() -> None:
    from datetime import UTC, datetime

    when = datetime(2026, 12, 6, 7, 15, 2, tzinfo=UTC)
    assert (
        exports.file_name("acled", [("status", "confirmed"), ("place", "بنغازي")], when)
        == "marsad-incidents-acled-status-confirmed-place-x-20261206T071502Z.csv"
    )
    assert exports.file_name("csv", [], when) == "marsad-incidents-20261206T071502Z.csv"
