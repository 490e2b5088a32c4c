"""Perpetrator precision, recall and F1 by fold: training folds apart from the validation fold.

Runs `marsad extract --jsonl` over `../shared/eval/dev/corpus/corpus.jsonl` once and scores it
with the corpus's own scorer (`../shared/eval/score.py`), split by `tools/corpus_folds.json`:
folds 1-4 are what the actor registry and the perpetrator rules were grown from, fold 0 is the
validation split, never read for tuning. Perpetrators are scored on incidents paired with a
required gold incident, as `score.py` does.

    .venv/bin/python bench/perpetrators.py [--eval DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", type=Path, default=ROOT.parent / "shared/eval")
    args = ap.parse_args()
    # The corpus's own scorer, beside the gold (standard library only).
    spec = importlib.util.spec_from_file_location("eval_score", args.eval / "score.py")
    if spec is None or spec.loader is None:
        sys.exit(f"no scorer at {args.eval}")
    score: Any = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    folds = json.loads((ROOT / "tools/corpus_folds.json").read_text(encoding="utf-8"))["folds"]
    corpus = args.eval / "dev/corpus/corpus.jsonl"
    docs = [json.loads(line) for line in corpus.open(encoding="utf-8") if line.strip()]
    marsad = Path(sys.executable).with_name("marsad")
    predictions = score.run_cmd(f"{marsad} extract --jsonl", docs, 600)
    print("split       lang  docs  perpetrator P     R    F1   event F1")
    validation = {doc_id for doc_id, fold in folds.items() if fold == 0}
    for name, wanted in (("training", False), ("validation", True)):
        metrics = score.score(
            [d for d in docs if (d["id"] in validation) == wanted], predictions, 0.0
        )
        for lang in ("all", "ar", "en"):
            m = metrics[lang]
            print(
                f"{name:10}  {lang:4}  {m['docs']:4}  {m['actor_p']:13.3f} {m['actor_r']:5.3f} "
                f"{m['actor_f1']:5.3f}  {m['event_f1']:8.3f}"
            )


if __name__ == "__main__":
    main()
