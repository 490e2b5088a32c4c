"""Merging quality gate: `bench/same_event.py`'s pair figures must stay above pinned floors.

Measured on the dev corpus in ../shared/eval (read in place, never copied) with the gold pairs
of its `same_event.json` and `bench/same_event_pairs.json`. "fold 0" is the validation fold of
tools/corpus_folds.json: neither the extractor nor the merging rules were tuned on it. The
documents arrive in publication order (as a crawl of new pages brings them) and in the reverse
order (a backfill): clustering is greedy in arrival order, and re-examining earlier lone
reports is what keeps the second close to the first. Raise the floors as merging improves (the
bench prints the figures).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "eval" / "dev"
# Measured 2026-12-07 with the shipped extractor retrained after the fourteenth session's changes
# (8b40dd66bc; unchanged with 3f8f8c0b78, 4e3d3c5757 and 8a47c2a44a of the next three), on the
# gold of 36 pairs (30 training, 6 fold 0) over the 246 documents; floors are the figures rounded
# down.
# Published order: all P 0.93 R 0.75 (27 of 36), training P 1.00 R 0.73 (22 of 30), fold 0
# P 0.71 R 0.83 (5 of 6). Reverse order: all P 0.93 R 0.75 (27),
# training P 1.00 R 0.73 (22), fold 0 P 0.71 R 0.83 (5). The recall gained is the Sergewa
# abduction: dv-e-013 now reads it as a precedent of its news ("this is not the first of its
# kind"), an incident of its own, so dv-b-020, dv-b-003, dv-c-017 and dv-e-008 find it. Reverse
# order's fold 0 precision fell from 0.83 to 0.71 (a second fold-0 pair judged different; fold
# 0 is not read). Before (thirteenth session): published all P 0.92 R 0.64 (23), training R 0.60
# (18); reverse all P 0.96 R 0.72 (26), training R 0.70 (21), fold 0 P 0.83. The pair lost in
# both orders then and now, dv-d-012 / dv-e-005, had joined by a wrong date: dv-e-005's camp
# raid was dated by its publication, a day from dv-d-012's eviction; it has the day its text
# states (10 August, the gold's), and the raid it is the same event as, dv-d-012's detentions
# "during the week", is not extracted. Earlier: before an MP was read as an official
# (2026-12-06) reverse was all R 0.67, training R 0.63 (19); before a unit was compared with
# its force it was all P 0.92 R 0.64, training P 0.947 R 0.60, and before earlier lone reports
# were re-examined training P 1.00 R 0.43 (13).
FLOORS = {
    "published": {
        "all": {"precision": 0.93, "recall": 0.75},
        "training": {"precision": 1.0, "recall": 0.73},
        "fold 0": {"precision": 0.71, "recall": 0.83},
    },
    "reverse": {
        "all": {"precision": 0.93, "recall": 0.75},
        "training": {"precision": 1.0, "recall": 0.73},
        "fold 0": {"precision": 0.71, "recall": 0.83},
    },
}

pytestmark = pytest.mark.skipif(
    not (CORPUS / "corpus" / "same_event.json").is_file(),
    reason=f"the shared evaluation set is not at {CORPUS}",
)


def test_merging_stays_above_the_floors() -> None:
    spec = importlib.util.spec_from_file_location("same_event", REPO / "bench" / "same_event.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    # Its dataclasses look their module up by name.
    sys.modules[spec.name] = bench
    spec.loader.exec_module(bench)
    found = bench.measure(CORPUS, orders=tuple(FLOORS))
    low = [
        f"{order}: {part} {metric} = {getattr(found[order][part], metric):.2f} (floor {floor})"
        for order, parts in FLOORS.items()
        for part, floors in parts.items()
        for metric, floor in floors.items()
        if getattr(found[order][part], metric) < floor
    ]
    assert not low, "; ".join(low)
