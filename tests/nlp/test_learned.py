"""The learned layer (nlp.learned): shipped weights, scoring, features, and training."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from nlp import analyse, decide, propose, read, version
from nlp.learned import BITS, DATA, Linear, Models, _index, hashed, incident_features, shipped

if TYPE_CHECKING:
    from types import ModuleType

    from nlp import Reading
    from nlp.assemble import Candidate

REPO = Path(__file__).resolve().parents[2]
EVAL = REPO.parent / "shared" / "eval"
TEXT = (
    "Gunmen abducted two activists in Benghazi on 3 May 2023, their families said. "
    "The activists had criticised the armed groups in the city."
)


def test_the_shipped_model_is_what_its_version_says() -> None:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    models = shipped()
    assert raw["bits"] == BITS
    parts = [models.sentence, models.incident]
    digest = hashlib.sha256(
        json.dumps([m.to_dict() for m in parts], sort_keys=True).encode("utf-8")
    ).hexdigest()[:10]
    assert models.version == digest
    assert version().endswith(f"+extractor.{digest}")


def test_weights_survive_the_round_trip_through_json() -> None:
    model = Linear(-0.5, {3: 1.25, 70000: -2.0}, 0.6)
    again = Linear.from_dict(json.loads(json.dumps(model.to_dict())))
    assert again == model
    x = hashed(["a", "b"], {"score": 0.5})
    assert again.probability(x) == model.probability(x)


def test_probability_is_the_logistic_of_the_dot_product() -> None:
    model = Linear(0.0, {_index("a"): 2.0, _index("score"): -1.0}, 0.5)
    assert model.probability({}) == 0.5
    # 2.0 * 1 + (-1.0) * 2.0 = 0
    assert model.probability(hashed(["a"], {"score": 2.0})) == pytest.approx(0.5)
    # hostile input cannot overflow the exponential
    assert model.probability({_index("a"): 1e9}) == pytest.approx(1.0)


def test_a_different_weight_is_a_different_version() -> None:
    models = shipped()
    bent = replace(models.incident, bias=models.incident.bias + 1.0)
    assert Models.versioned(models.sentence, bent).version != models.version


def test_analysis_is_deterministic_and_confidence_is_the_incident_probability() -> None:
    first = analyse(TEXT, "en", date(2023, 5, 4))
    assert first == analyse(TEXT, "en", date(2023, 5, 4))
    assert first.incidents, "a dated abduction of named activists in Benghazi is an incident"
    for incident in first.incidents:
        assert incident.confidence >= shipped().incident.threshold


def test_the_incident_threshold_decides_what_is_reported() -> None:
    reading = read(TEXT, "en", date(2023, 5, 4))
    models = shipped()
    everything = replace(models, incident=replace(models.incident, threshold=0.0))
    nothing = replace(models, incident=replace(models.incident, threshold=1.01))
    assert len(decide(reading, everything).incidents) >= len(decide(reading, models).incidents)
    assert decide(reading, nothing).incidents == ()


def _first_candidate(published: date) -> tuple[Reading, Candidate]:
    """TEXT read at `published`, and the first candidate the rules group from it."""
    reading = read(TEXT, "en", published)
    (candidate, _), *_ = propose(reading, shipped().sentence)
    return reading, candidate


def test_a_twin_at_the_publication_date_is_read_as_a_double() -> None:
    published = date(2023, 5, 4)
    reading, candidate = _first_candidate(published)
    incident = candidate.incident
    stand_in = reading.stand_in
    assert stand_in is not None
    twin = replace(incident, date=stand_in, confidence=incident.confidence - 0.1)
    x = incident_features(twin, candidate.findings, [0.9], [incident], published, 0.5, True)
    assert _index("double:stronger") in x
    alone = incident_features(twin, candidate.findings, [0.9], [], published, 0.5, True)
    assert _index("double:stronger") not in alone


def test_a_twin_that_a_time_or_place_tells_apart_is_not_read_as_a_double() -> None:
    # The annotation guide logs one incident per distinct event: a report of today's attack
    # that recalls one in the same town a year before tells two events, not one twice.
    published = date(2024, 5, 4)
    reading, candidate = _first_candidate(published)
    incident = candidate.incident
    stand_in = reading.stand_in
    assert stand_in is not None and incident.date is not None
    twin = replace(incident, date=stand_in, confidence=incident.confidence - 0.1)
    x = incident_features(twin, candidate.findings, [0.9], [incident], published, 0.5, True)
    assert _index("apart:time:stronger") in x
    assert _index("double:stronger") not in x


def test_a_twin_at_the_same_time_in_another_place_is_told_apart_by_its_place() -> None:
    # The annotation guide logs one incident per distinct event (place + time + what): a
    # second strike the same day in another district is another event, read apart from a
    # twin at another time (which is often background).
    published = date(2023, 5, 4)
    _, candidate = _first_candidate(published)
    incident = candidate.incident
    assert incident.location is not None
    elsewhere = replace(incident.location, place_id="elsewhere", name="Elsewhere")
    twin = replace(incident, location=elsewhere, confidence=incident.confidence - 0.1)
    x = incident_features(twin, candidate.findings, [0.9], [incident], published, 0.5, True)
    assert _index("apart:place:stronger") in x
    assert _index("apart:time:stronger") not in x
    assert _index("double:stronger") not in x


def test_a_candidate_told_only_as_background_is_an_earlier_event_than_its_twin() -> None:
    # dv-e-013: "This is not the first of its kind: gunmen abducted the MP..." is a precedent
    # the rules keep apart from the news; undated, it would otherwise read as the news twice.
    text = (
        "Gunmen abducted a lawyer in Benghazi on 3 May 2023. This is not the first of its "
        "kind: gunmen abducted an MP from her home in Benghazi."
    )
    published = date(2023, 5, 4)
    found = [c for c, _ in propose(read(text, "en", published), shipped().sentence)]
    news, precedent = found
    assert precedent.incident.date is None and all(f.background for f in precedent.findings)
    x = incident_features(
        replace(precedent.incident, confidence=news.incident.confidence - 0.1),
        precedent.findings,
        [0.9],
        [news.incident],
        published,
        0.5,
        True,
    )
    assert _index("apart:time:stronger") in x
    assert _index("double:stronger") not in x


def _training_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "train_extractor", REPO / "tools" / "train_extractor.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # its dataclasses look their module up by name
    sys.modules.setdefault("train_extractor", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    importlib.util.find_spec("sklearn") is None or not (EVAL / "score.py").is_file(),
    reason="training needs scikit-learn (dev dependency) and ../shared/eval",
)
def test_training_is_deterministic() -> None:
    te = _training_tool()
    sc = te.scorer(EVAL)
    # two training folds: quick, and enough to fit both models
    docs = [d for d in te.load(EVAL) if d.fold in (1, 2)]
    assert te.train(docs, sc).to_dict({}) == te.train(docs, sc).to_dict({})


def test_the_validation_band_spans_the_runs_beside_the_full_training(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Training and scoring stand-ins: a "model" is the documents it was trained on, and every
    # figure is the share of the training documents it saw, so the full training scores 1 and
    # each run, trained without LEFT_OUT of them, scores (n - LEFT_OUT) / n.
    te = _training_tool()
    training = [str(i) for i in range(40)]
    metrics = ("event_f1", "incident_f1", "type_f1", "location_acc", "date_acc", "actor_f1")

    def evaluate(held_out: object, model: list[str], sc: object) -> dict[str, dict[str, Any]]:
        share = len(model) / len(training)
        figures = dict.fromkeys(metrics, share) | {"false_alarm": 1 - share}
        return {"all": figures, "ar": figures | {"actor_f1": None}}

    monkeypatch.setattr(te, "train", lambda docs, sc: list(docs))
    monkeypatch.setattr(te, "evaluate", evaluate)
    te.perturbed(training, [], None, 3)
    rows = {
        (bucket, metric): [float(v) for v in values]
        for bucket, metric, *values in (
            line.split() for line in capsys.readouterr().out.splitlines()[2:]
        )
    }
    run = round((len(training) - te.LEFT_OUT) / len(training), 3)
    assert rows[("all", "event_f1")] == [1.0, run, run, run]
    assert rows[("all", "false_alarm")] == [
        0.0,
        round(1 - run, 3),
        round(1 - run, 3),
        round(1 - run, 3),
    ]
    assert ("ar", "actor_f1") not in rows  # no figure, no band
    assert len(rows) == 2 * len(metrics) + 1
