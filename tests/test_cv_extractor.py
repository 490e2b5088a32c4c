"""tools/cv_extractor.py: where a gold incident the extractor does not report is lost, and the
repeated cross-validation (the reshuffle of the folds and the paired comparison of two runs).

The incidents, documents and figures below are assumed (made up for the test, in the shared gold
format); which prediction pairs with which gold incident is the shared scorer's own `match`; the
fold and same-event files are the real ones (ids only).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))

import cv_extractor as cv  # noqa: E402
import train_extractor as te  # noqa: E402

pytestmark = pytest.mark.skipif(
    not (te.EVAL / "score.py").is_file(), reason=f"the shared scorer is not at {te.EVAL}"
)

TRIPOLI = {"names": ["Tripoli"], "lat": 32.89, "lon": 13.19}
SIRTE = {"names": ["Sirte"], "lat": 31.21, "lon": 16.59}


def _gold(**more: Any) -> dict[str, Any]:
    return {"types": ["killing"], "location": TRIPOLI, "date": {"value": "2020-08-23"}, **more}


def _pred(confidence: float, place: str = "Tripoli", types: tuple[str, ...] = ("killing",)) -> Any:
    where = TRIPOLI if place == "Tripoli" else SIRTE
    return {
        "types": list(types),
        "location": {"name": place, "lat": where["lat"], "lon": where["lon"]},
        "date": {"start": "2020-08-23"},
        "confidence": confidence,
    }


def test_a_reported_incident_is_not_lost() -> None:
    sc = te.scorer()
    doc = {"incidents": [_gold()]}
    found = [_pred(0.9)]
    assert cv.lost(doc, found, found, found, sc) == []


def test_a_candidate_under_the_threshold_is_lost_there_with_its_confidence() -> None:
    sc = te.scorer()
    doc = {"incidents": [_gold()]}
    assert cv.lost(doc, [], [_pred(0.55)], [_pred(0.55)], sc) == [(0, "under the threshold", 0.55)]


def test_sentences_dropped_by_the_sentence_model() -> None:
    sc = te.scorer()
    doc = {"incidents": [_gold()]}
    assert cv.lost(doc, [], [], [_pred(0.8)], sc) == [(0, "its sentences dropped", None)]


def test_an_event_merged_into_another_has_no_candidate_of_its_own() -> None:
    # Two killings, one candidate: the scorer pairs it with the one whose place it names.
    sc = te.scorer()
    doc = {"incidents": [_gold(), _gold(location=SIRTE)]}
    one = [_pred(0.9, "Sirte")]
    assert cv.lost(doc, one, one, one, sc) == [(0, "no candidate of its own", None)]


def test_an_optional_gold_incident_is_never_lost() -> None:
    sc = te.scorer()
    doc = {"incidents": [_gold(optional=True)]}
    assert cv.lost(doc, [], [], [], sc) == []


# Repeated cross-validation (`--repeats`): the reshuffle and the paired comparison.


def _strata(n_ar: int, n_en: int) -> dict[str, cv.Stratum]:
    """Assumed documents: every third one reports no incident."""
    out: dict[str, cv.Stratum] = {}
    for lang, n in (("ar", n_ar), ("en", n_en)):
        for i in range(n):
            out[f"{lang}-{i:02d}"] = (lang, i % 3 != 0)
    return out


def test_the_reshuffle_deals_each_document_once_and_each_stratum_evenly() -> None:
    strata = _strata(23, 17)
    for seed in range(5):
        fold_of = cv.reshuffle(strata, 4, seed)
        assert sorted(fold_of) == sorted(strata)
        assert set(fold_of.values()) == {0, 1, 2, 3}
        for key in set(strata.values()):
            sizes = Counter(fold_of[i] for i, s in strata.items() if s == key)
            assert max(sizes.values()) - min(sizes.get(f, 0) for f in range(4)) <= 1
        sizes = Counter(fold_of.values())
        assert max(sizes.values()) - min(sizes.values()) <= 1


def test_the_reshuffle_is_fixed_by_its_seed_and_differs_between_seeds() -> None:
    strata = _strata(23, 17)
    assert cv.reshuffle(strata, 4, 3) == cv.reshuffle(strata, 4, 3)
    assert cv.reshuffle(strata, 4, 3) != cv.reshuffle(strata, 4, 4)


def test_documents_of_one_event_share_a_fold() -> None:
    strata = _strata(23, 17)
    together = [["ar-01", "en-05", "en-07"], ["ar-02", "ar-04"], ["ar-02", "ar-08", "gone"]]
    for seed in range(5):
        fold_of = cv.reshuffle(strata, 4, seed, together)
        assert len({fold_of[i] for i in ("ar-01", "en-05", "en-07")}) == 1
        assert len({fold_of[i] for i in ("ar-02", "ar-04", "ar-08")}) == 1
        assert "gone" not in fold_of


def test_the_reshuffle_of_the_training_folds_leaves_the_validation_fold_out() -> None:
    folds = json.loads(te.FOLDS.read_text(encoding="utf-8"))
    wanted = cv.tuning_folds("", set(folds["folds"].values()))
    assert folds["validation_fold"] not in wanted
    strata = {}
    for name in te.GOLD_FILES:
        for line in (te.EVAL / "dev" / name).read_text(encoding="utf-8").splitlines():
            gold = json.loads(line) if line.strip() else None
            if gold and folds["folds"][gold["id"]] in wanted:
                strata[gold["id"]] = cv.stratum(gold)
    training = {i for i, f in folds["folds"].items() if f != folds["validation_fold"]}
    assert set(strata) == training
    together = cv.same_event_groups(te.EVAL)
    for seed in range(3):
        fold_of = cv.reshuffle(strata, len(wanted), seed, together)
        assert set(fold_of) == training
        for group in together:
            assert len({fold_of[i] for i in group if i in fold_of}) <= 1


def test_a_stratum_is_language_and_whether_a_required_incident_is_reported() -> None:
    assert cv.stratum({"lang": "ar", "incidents": [_gold()]}) == ("ar", True)
    assert cv.stratum({"lang": "en", "incidents": [_gold(optional=True)]}) == ("en", False)
    assert cv.stratum({"lang": "en", "incidents": []}) == ("en", False)


def _runs(event: list[float], alarms: list[float]) -> list[cv.Figures]:
    return [{"all": {"event_f1": e, "false_alarm": a}} for e, a in zip(event, alarms, strict=True)]


def test_the_spread_over_repeats() -> None:
    mean, sd = cv.summary(_runs([0.80, 0.84, 0.82], [0.1, 0.1, 0.1]))["all"]["event_f1"]
    assert mean == pytest.approx(0.82)
    assert sd == pytest.approx(0.02)


def test_the_paired_difference_is_this_run_minus_the_saved_one_seed_by_seed() -> None:
    here = _runs([0.82, 0.80, 0.85], [0.05, 0.10, 0.10])
    saved = _runs([0.80, 0.80, 0.81], [0.10, 0.10, 0.05])
    out = cv.paired(here, saved)["all"]
    mean, sd, higher, lower, same = out["event_f1"]
    assert (mean, sd) == (pytest.approx(0.02), pytest.approx(0.02))
    assert (higher, lower, same) == (2, 0, 1)
    mean, sd, higher, lower, same = out["false_alarm"]
    assert mean == pytest.approx(0.0)
    assert sd == pytest.approx(0.05)
    assert (higher, lower, same) == (1, 1, 1)


def test_runs_of_other_lengths_are_not_compared() -> None:
    with pytest.raises(ValueError, match="3 repeats against 2"):
        cv.paired(_runs([0.8] * 3, [0.1] * 3), _runs([0.8] * 2, [0.1] * 2))


def _line(doc_id: str) -> str:
    text = "Gunmen abducted an activist in Tripoli on Tuesday."  # assumed, made up
    return json.dumps({"id": doc_id, "lang": "en", "published": "2020-08-26", "text": text})


def test_external_documents_are_read_outside_every_fold(tmp_path: Path) -> None:
    path = tmp_path / "fresh.jsonl"
    path.write_text(_line("fresh-001") + "\n\n" + _line("fresh-002") + "\n", encoding="utf-8")
    docs = cv.load_external([path], {"dv-a-001"})
    assert [(d.id, d.fold) for d in docs] == [("fresh-001", cv.EXTERNAL), ("fresh-002", -1)]
    assert cv.source(docs[0]) == "external"


@pytest.mark.parametrize("taken", ["dv-a-001", "fresh-001"])
def test_an_external_id_the_dev_set_or_another_line_holds_is_refused(
    tmp_path: Path, taken: str
) -> None:
    path = tmp_path / "fresh.jsonl"
    path.write_text(_line("fresh-001") + "\n" + _line(taken) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=f"fresh.jsonl:2: id {taken} is already"):
        cv.load_external([path], {"dv-a-001"})


def test_external_documents_are_scored_by_models_of_the_training_folds_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "fresh.jsonl"
    path.write_text(_line("fresh-001") + "\n", encoding="utf-8")
    reading = te.read_document(json.loads(_line("dev")))
    docs = [te.Doc(f"dv-{k}", {"lang": "en", "incidents": []}, k, reading) for k in range(5)]
    seen: dict[str, list[str]] = {}

    def fake_held_out(train: list[te.Doc], test: list[te.Doc], sc: Any, *maps: Any) -> None:
        seen["train"], seen["test"] = [d.id for d in train], [d.id for d in test]
        for m in maps:
            m.update({d.id: {"incidents": []} for d in test})

    monkeypatch.setattr(cv, "held_out", fake_held_out)
    args = argparse.Namespace(external=[path], folds="", errors=False)
    out = cv.external(args, docs, te.scorer())
    # the validation fold (0) is never trained on, as for the shipped model
    assert seen == {"train": ["dv-1", "dv-2", "dv-3", "dv-4"], "test": ["fresh-001"]}
    assert out["external"]["all"]["docs"] == 1
