"""Analysts correct what the NLP extracted: their value wins everywhere, the machine's stays
beside it, every change is in the history, and re-analysis never overwrites it."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import TYPE_CHECKING

import pytest
from triage_fixtures import (
    AR_ABDUCTION,
    EN_ABDUCTION,
    ar_abduction,
    csrf_of,
    en_abduction,
    signed_in,
)
from typer.testing import CliRunner

from incidents import corrections
from marsad.cli import app
from marsad.triage_cli import register
from storage import Store
from storage.incidents import IncidentFilter
from triage import exports
from triage.app import create_app

if TYPE_CHECKING:
    from pathlib import Path

    from triage_fixtures import Desk

register(app)
runner = CliRunner()


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def exported(store: Store, data_dir: Path, kind: str) -> list[dict[str, str]]:
    out = io.BytesIO()
    exports.export(store, data_dir, IncidentFilter(), kind, out)
    return list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))


@pytest.fixture
def abduction(desk: Desk) -> Desk:
    """One incident from two sources: 4 abducted says one, 5 the other."""
    desk.add("https://en.example/a", EN_ABDUCTION, [en_abduction()])
    desk.add("https://ar.example/b", AR_ABDUCTION, [ar_abduction()], language="ar")
    return desk


def test_each_text_form_reads_back_what_it_shows() -> None:
    # Assumed forms (they are this module's own): each value shown parses to itself.
    for name, text in [
        ("types", "killing, torture"),
        ("date", "2024-05-12"),
        ("date", "2024-05"),
        ("date", "2024"),
        ("date", "2024-05-12/2024-05-18 week"),
        ("date", "unknown"),
        ("killed", "66"),
        ("killed", "unknown"),
        ("perpetrators", "Radaa force; unidentified gunmen"),
        ("victims", "women:1, children:1, civilians"),
        ("place", "unknown"),
    ]:
        assert corrections.show(name, corrections.parse(name, text)) == text
    # The shipped gazetteer gives a typed name its district and point, in either script.
    sirte = corrections.parse("place", "سرت")
    assert (sirte["name"], sirte["admin1"]) == ("Sirte", "Sirte")
    assert corrections.parse("place", "Sirte") == sirte
    assert corrections.parse("place", "Wadi X @ 30.5,20.25")["lat"] == 30.5


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("types", "murder", "unknown murder"),
        ("types", "", "at least one type"),
        ("date", "12/05/2024", "not a date"),
        ("date", "2024-05-20/2024-05-01", "before the start"),
        ("date", "2024-05-12 fortnight", "precision"),
        ("killed", "ten", "a number"),
        ("killed", "-3", "a number"),
        ("victims", "babies:2", "unknown group"),
        ("place", "Sirte @ 95,10", "out of range"),
    ],
)
def test_unreadable_values_are_refused_with_their_reason(
    name: str, text: str, message: str
) -> None:
    with pytest.raises(corrections.CorrectionError, match=message):
        corrections.parse(name, text)


def test_a_corrected_count_wins_in_every_export_and_the_machines_stays(abduction: Desk) -> None:
    data = str(abduction.data_dir)
    abduction.store.close()
    out = invoke(
        "triage", "edit", "1", "--abducted", "3", "--victims", "women:1, children:2",
        "--perpetrators", "Radaa force; Nawasi brigade", "--reason", "both texts re-read",
        "--as", "amira", "--data-dir", data,
    )  # fmt: skip
    assert "corrected abducted, perpetrators, victims" in out
    store = Store(abduction.data_dir / "marsad.duckdb")
    try:
        (row,) = exported(store, abduction.data_dir, "csv")
        assert row["abducted"] == "3"
        assert row["corrected"] == "abducted;perpetrators;victims"
        # What the sources said stays in the export beside the analyst's value.
        assert row["disputed"] == "abducted: 4 [doc 1] / 5 [doc 2]"
        assert row["victims"] == "women (1);children (2)"
        assert row["perpetrators"] == "Radaa force;Nawasi brigade"
        (acled,) = exported(store, abduction.data_dir, "acled")
        assert acled["actor1"] == "Radaa force"
        # A perpetrator only the analyst names is an associated actor too.
        assert acled["assoc_actor_1"] == "Nawasi brigade"
        assert acled["actor2"] == "Civilians (Libya)"
        assert "Corrected by an analyst: abducted, perpetrators, victims." in acled["notes"]
        out_json = io.BytesIO()
        exports.export(store, abduction.data_dir, IncidentFilter(), "json", out_json)
        (incident,) = json.loads(out_json.getvalue())["incidents"]
        assert incident["counts"]["abducted"] == 3
        assert incident["machine"]["abducted"] == 4
        assert incident["corrections"]["abducted"]["by"] == "amira"
        assert incident["victims"] == [
            {"group": "women", "count": 1},
            {"group": "children", "count": 2},
        ]
        out_geojson = io.BytesIO()
        exports.export(store, abduction.data_dir, IncidentFilter(), "geojson", out_geojson)
        (feature,) = json.loads(out_geojson.getvalue())["features"]
        assert feature["properties"]["abducted"] == 3
        assert feature["properties"]["victims"] == "women (1);children (2)"
        assert feature["properties"]["corrected"] == "abducted;perpetrators;victims"
        audit = [a for a in store.incident_audit(1) if a["action"] == "corrected"]
        assert [(a["field"], a["from_value"], a["to_value"]) for a in audit] == [
            ("abducted", "4", "3"),
            ("perpetrators", "Radaa force", "Radaa force; Nawasi brigade"),
            ("victims", "civilians:4", "women:1, children:2"),
        ]
        assert {(a["actor"], a["reason"]) for a in audit} == {("amira", "both texts re-read")}
    finally:
        store.close()
    # Giving a field back to the machine is a change of its own, in the history too.
    invoke("triage", "edit", "1", "--clear", "abducted", "--reason", "oops", "--data-dir", data)
    store = Store(abduction.data_dir / "marsad.duckdb")
    try:
        (row,) = exported(store, abduction.data_dir, "csv")
        assert row["abducted"] == "4"
        last = store.incident_audit(1)[-1]
        assert (last["action"], last["field"], last["to_value"]) == ("uncorrected", "abducted", "4")
    finally:
        store.close()


def test_a_bad_value_changes_nothing_and_says_why(abduction: Desk) -> None:
    data = str(abduction.data_dir)
    abduction.store.close()
    result = runner.invoke(
        app,
        ["triage", "edit", "1", "--killed", "2", "--date", "May 12", "--data-dir", data],
    )
    assert result.exit_code == 1
    assert "not a date" in result.output
    store = Store(abduction.data_dir / "marsad.duckdb")
    try:
        assert store.incident_corrections([1]) == {}
    finally:
        store.close()


def test_corrected_place_date_and_types_survive_reanalysis(desk: Desk) -> None:
    # Stored under an older NLP version: `marsad reanalyse` reads it again with the current NLP,
    # which finds this abduction in Tripoli (its own reading, checked below).
    desk.add("https://ar.example/b", AR_ABDUCTION, [ar_abduction()], language="ar")
    corrections.apply_form(
        desk.store,
        1,
        {
            "place": "Abu Salim",
            "date": "2024-05-11",
            "types": "enforced_disappearance, torture",
            "abducted": "4",
        },
        actor="amira",
        reason="the second paragraph",
    )
    desk.store.close()
    out = invoke("reanalyse", "--data-dir", str(desk.data_dir))
    assert "1 document(s) analysed" in out
    store = Store(desk.data_dir / "marsad.duckdb")
    try:
        incident = store.incident(1)
        assert incident is not None
        assert incident["location_name"] == "Abu Salim"
        assert incident["date_start"] == date(2024, 5, 11)
        assert list(incident["types"]) == ["torture", "enforced_disappearance"]
        sources = store.incident_sources(1)
        # The new reading is in, and is the machine's value beside the analyst's.
        assert {s["nlp_version"] for s in sources if s["superseded_at"] is None} != {"test-nlp-1"}
        machine = corrections.machine(sources)
        assert machine["place"]["name"] == "Tripoli"
        assert machine["abducted"] == 5
        (row,) = exported(store, desk.data_dir, "csv")
        assert (row["location"], row["abducted"]) == ("Abu Salim", "4")
    finally:
        store.close()


def test_corrections_through_the_web_form(abduction: Desk) -> None:
    client = signed_in(create_app(abduction.store), abduction.store)
    token = csrf_of(client)
    page = client.get("/incidents/1").text
    assert 'name="abducted" value="4"' in page
    refused = client.post(
        "/incidents/1/correct", data={"csrf": token, "abducted": "3"}, follow_redirects=False
    )
    assert refused.status_code == 400
    assert "say why" in refused.text
    done = client.post(
        "/incidents/1/correct",
        data={"csrf": token, "abducted": "3", "killed": "unknown", "reason": "re-read"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert set(abduction.store.incident_corrections([1])[1]) == {"abducted"}
    page = client.get("/incidents/1").text
    assert '<tr id="fact-abducted" class="corrected">' in page
    assert 'name="clear" value="abducted"' in page
    client.post(
        "/incidents/1/correct",
        data={"csrf": token, "clear": "abducted", "abducted": "3", "reason": "machine was right"},
    )
    assert abduction.store.incident_corrections([1]) == {}


def test_the_digest_names_the_analysts_count_and_place(abduction: Desk) -> None:
    from marsad import digest

    corrections.apply_form(
        abduction.store,
        1,
        {"abducted": "3", "place": "Sirte"},
        actor="amira",
        reason="re-read",
    )
    made = digest.build(abduction.store, base_url="https://triage.example.org")
    text = digest.markdown(made)
    assert "3 abducted" in text
    assert "Sirte" in text
    assert "Tripoli" not in text


def test_a_command_pins_a_value_equal_to_the_machines(abduction: Desk) -> None:
    # The web form sends every field and only changed ones count; a command names its fields,
    # so the analyst's 4 is kept even though the machine also says 4 today.
    data = str(abduction.data_dir)
    abduction.store.close()
    out = invoke(
        "triage", "edit", "1", "--abducted", "4", "--reason", "checked", "--data-dir", data
    )
    assert "corrected abducted" in out
    again = invoke("triage", "edit", "1", "--abducted", "4", "--data-dir", data)
    assert "nothing changed" in again
