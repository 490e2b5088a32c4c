"""Quality gate: the shared scorer over every dev gold file must stay above the pinned floors.

Floors live in tests/eval_floors.json, per gold file and language bucket; raise them as quality
rises. The scorer and gold files are the team's shared yardstick (../shared/eval beside the
repository), read in place and never copied into the project.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from marsad.extract import result_line

if TYPE_CHECKING:
    from types import ModuleType

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO.parent / "shared" / "eval"
FLOORS = json.loads((Path(__file__).parent / "eval_floors.json").read_text(encoding="utf-8"))
GOLD_FILES = sorted((EVAL / "dev").glob("*.jsonl")) if (EVAL / "dev").is_dir() else []

pytestmark = pytest.mark.skipif(
    not (EVAL / "score.py").is_file() or not GOLD_FILES,
    reason=f"the shared evaluation set is not at {EVAL} (score.py and dev/*.jsonl)",
)


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("marsad_eval_score", EVAL / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _metrics(gold: Path) -> dict[str, dict[str, Any]]:
    docs = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line]
    predictions = {}
    for doc in docs:
        line = json.dumps(
            {k: doc[k] for k in ("id", "text", "html", "published", "url") if k in doc}
        )
        result = result_line(line)
        predictions[str(result["id"])] = result
    metrics: dict[str, dict[str, Any]] = _scorer().score(docs, predictions, 0.0)
    return metrics


@pytest.mark.parametrize("gold", GOLD_FILES, ids=[g.name for g in GOLD_FILES])
def test_quality_stays_above_the_floors(gold: Path) -> None:
    floors = FLOORS.get(gold.name)
    assert floors is not None, f"tests/eval_floors.json has no floors for {gold.name}"
    metrics = _metrics(gold)
    failures = []
    for bucket, minimums in floors.items():
        for metric, floor in minimums.items():
            value = metrics[bucket][metric]
            if value is None:
                continue
            # The false-alarm rate is a ceiling, everything else a floor.
            bad = value > floor if metric == "false_alarm" else value < floor
            if bad:
                failures.append(f"{bucket}.{metric} = {value:.3f} (limit {floor})")
    assert not failures, f"{gold.name}: " + "; ".join(failures)
