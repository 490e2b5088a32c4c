"""`marsad export --format gold`: analysts' decisions in the evaluation contract's gold format,
checked by the shared scorer itself (../shared/eval/score.py, run as the team runs it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from triage_fixtures import (
    AR_ABDUCTION,
    BENGHAZI,
    EN_ABDUCTION,
    TRIPOLI,
    ar_abduction,
    en_abduction,
    finding,
)
from typer.testing import CliRunner

from incidents import corrections, workflow
from marsad.cli import app
from marsad.triage_cli import register

if TYPE_CHECKING:
    from triage_fixtures import Desk

register(app)
runner = CliRunner()
SCORER = Path(__file__).resolve().parents[3] / "shared" / "eval" / "score.py"
BLOGGER = "Gunmen abducted a blogger in Benghazi on 2 June 2024."
OLD = "Families were forced out of their homes in Tripoli on 20 May 2024."
PLAN = "The ministry said it plans to review detention conditions in Benghazi on 4 June 2024."


def score(gold: Path, predictions: list[dict[str, Any]], tmp: Path) -> dict[str, Any]:
    pred = tmp / "pred.jsonl"
    pred.write_text("".join(json.dumps(p) + "\n" for p in predictions), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(SCORER), "--gold", str(gold), "--pred", str(pred), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    metrics: dict[str, Any] = json.loads(done.stdout)["all"]
    return metrics


@pytest.mark.skipif(not SCORER.is_file(), reason=f"the shared scorer is not at {SCORER}")
def test_gold_export_is_scored_by_the_shared_scorer(desk: Desk, tmp_path: Path) -> None:
    machine = {
        "en": en_abduction(),
        "ar": ar_abduction(),
        "blogger": finding(
            BLOGGER, BLOGGER, types=["enforced_disappearance"], day="2024-06-02", location=BENGHAZI
        ),
        "old": finding(OLD, OLD, types=["forced_displacement"], day="2024-05-20", location=TRIPOLI),
        "plan": finding(
            PLAN, PLAN, types=["arbitrary_detention"], day="2024-06-04", location=BENGHAZI
        ),
    }
    desk.add("https://en.example/a", EN_ABDUCTION, [machine["en"]])
    desk.add("https://ar.example/b", AR_ABDUCTION, [machine["ar"]], language="ar")
    desk.add("https://c.example/c", BLOGGER, [machine["blogger"]])
    desk.add("https://c.example/d", OLD, [machine["old"]])
    desk.add("https://c.example/e", PLAN, [machine["plan"]])
    store = desk.store
    # Incident 1 (documents 1, 2): confirmed, with the place corrected far from the machine's.
    corrections.apply_form(
        store, 1, {"place": "Sirte", "abducted": "3"}, actor="amira", reason="re-read"
    )
    workflow.change_status(store, 1, "confirmed", actor="amira")
    # Incident 4 (document 5): not an incident at all, a negative for the extractor.
    workflow.change_status(store, 4, "rejected", actor="amira", reason_code="not an incident")
    # Incident 3 (document 4): an old event: says nothing about the text, left out; so is
    # incident 2, still new.
    workflow.change_status(
        store, 3, "rejected", actor="amira", reason_code="old event reported again"
    )
    data = desk.data_dir
    store.close()
    out = tmp_path / "gold.jsonl"
    done = runner.invoke(
        app, ["export", "--format", "gold", "--output", str(out), "--data-dir", str(data)]
    )
    assert done.exit_code == 0, done.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(d["id"], len(d["incidents"])) for d in lines] == [
        ("marsad-1", 1),
        ("marsad-2", 1),
        ("marsad-5", 0),
    ]
    first = lines[0]
    assert first["text"] == EN_ABDUCTION
    assert first["lang"] == "en"
    incident = first["incidents"][0]
    assert incident["location"]["names"] == ["Sirte", "سرت"]
    assert incident["date"] == {"value": "2024-05-12"}
    assert incident["counts"] == {"abducted": 3}
    assert incident["perpetrators"] == [["Radaa force", "قوة الردع", "Rada"]]
    assert incident["victims"] == ["civilians"]
    span = incident["evidence"][0]
    assert first["text"][span["start"] : span["end"]] == span["text"]
    assert incident["marsad"] == {
        "incident": 1,
        "status": "confirmed",
        "corrected": ["abducted", "place"],
    }
    # What the machine said, scored against what analysts decided: the corrected place makes
    # both abduction reports wrong events, the negative a false alarm.
    said = [
        {"id": "marsad-1", "incidents": [machine["en"]]},
        {"id": "marsad-2", "incidents": [machine["ar"]]},
        {"id": "marsad-5", "incidents": [machine["plan"]]},
    ]
    metrics = score(out, said, tmp_path)
    assert (metrics["docs"], metrics["missing"]) == (3, 0)
    assert metrics["incident_r"] == 1.0
    assert metrics["location_acc"] == 0.0
    assert metrics["event_f1"] == 0.0
    assert metrics["false_alarm"] == 1.0
    # Predictions that agree with the analysts score full marks.
    agreed = [
        {
            "id": d["id"],
            "incidents": [
                {
                    "types": g["types"],
                    "location": {"name": g["location"]["names"][0]},
                    "date": {"start": g["date"]["value"]},
                    "perpetrators": [{"name": p[0]} for p in g["perpetrators"]],
                }
                for g in d["incidents"]
            ],
        }
        for d in lines
    ]
    metrics = score(out, agreed, tmp_path)
    assert (metrics["event_f1"], metrics["actor_f1"], metrics["false_alarm"]) == (1.0, 1.0, 0.0)
