"""tools/cv_extractor.py's account of where a gold incident the extractor does not report is lost.

The incidents below are assumed (made up for the test, in the shared gold format); which
prediction pairs with which gold incident is the shared scorer's own `match`.
"""

from __future__ import annotations

import sys
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
