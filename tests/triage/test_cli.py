from __future__ import annotations

import csv
import json
import zipfile
from typing import TYPE_CHECKING

from triage_fixtures import AR_ABDUCTION, EN_ABDUCTION, ar_abduction, en_abduction
from typer.testing import CliRunner

from marsad.cli import app
from marsad.triage_cli import register

if TYPE_CHECKING:
    from pathlib import Path

    from triage_fixtures import Desk

register(app)
runner = CliRunner()


def filled(desk: Desk) -> Path:
    desk.add("https://en.example/a", EN_ABDUCTION, [en_abduction()])
    desk.add("https://ar.example/b", AR_ABDUCTION, [ar_abduction()], language="ar")
    desk.store.close()
    return desk.data_dir


def invoke(*args: str, stdin: str | None = None) -> str:
    result = runner.invoke(app, list(args), input=stdin)
    assert result.exit_code == 0, result.output
    return result.output


def test_triage_moves_from_the_terminal(desk: Desk) -> None:
    data = str(filled(desk))
    listed = json.loads(invoke("triage", "list", "--data-dir", data, "--json"))
    assert [(i["id"], i["documents"]) for i in listed] == [(1, 2)]
    invoke("triage", "review", "1", "--data-dir", data, "--as", "amira")
    invoke("triage", "confirm", "1", "--data-dir", data, "--as", "amira", "--reason", "ok")
    invoke("triage", "tag", "1", "students,tripoli", "--data-dir", data)
    shown = json.loads(invoke("triage", "show", "1", "--data-dir", data, "--json"))
    assert shown["status"] == "confirmed"
    assert shown["tags"] == ["students", "tripoli"]
    assert [a["action"] for a in shown["audit"]] == [
        "created",
        "attached",
        "status",
        "status",
        "tags",
    ]
    assert json.loads(invoke("triage", "list", "--data-dir", data, "--json")) == []
    assert (
        len(
            json.loads(
                invoke("triage", "list", "--data-dir", data, "--json", "--status", "confirmed")
            )
        )
        == 1
    )
    text = invoke("triage", "show", "1", "--data-dir", data)
    assert "abducted (disputed)" in text
    missing = runner.invoke(app, ["triage", "confirm", "7", "--data-dir", data])
    assert missing.exit_code == 1


def test_export_writes_each_format_to_the_chosen_file(desk: Desk, tmp_path: Path) -> None:
    data = str(filled(desk))
    out = tmp_path / "out"
    for fmt, name in (
        ("csv", "a.csv"),
        ("acled", "b.csv"),
        ("geojson", "c.geojson"),
        ("json", "d.json"),
        ("bundle", "e.zip"),
    ):
        invoke(
            "export",
            "--format",
            fmt,
            "--output",
            str(out / name),
            "--data-dir",
            data,
            "--language",
            "ar",
        )
    rows = list(csv.DictReader((out / "a.csv").read_text(encoding="utf-8").splitlines()))
    assert len(rows) == 1
    assert json.loads((out / "c.geojson").read_text())["type"] == "FeatureCollection"
    with zipfile.ZipFile(out / "e.zip") as archive:
        assert archive.testzip() is None
    assert sorted(p.name for p in out.iterdir()) == [
        "a.csv",
        "b.csv",
        "c.geojson",
        "d.json",
        "e.zip",
    ]
    bad = runner.invoke(
        app, ["export", "--format", "xml", "--output", str(out / "x"), "--data-dir", data]
    )
    assert bad.exit_code != 0
    assert not (out / "x").exists()


def test_rekey_refiles_every_incident(desk: Desk) -> None:
    data = str(filled(desk))
    assert "Re-filed 1 incident(s)" in invoke("triage", "rekey", "--data-dir", data)
