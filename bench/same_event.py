"""How well clustering finds the same event: pair precision, recall and F1 on the dev corpus.

Every document of `../shared/eval/dev/corpus/corpus.jsonl` and `../shared/eval/dev/real.jsonl`
goes the way `marsad ingest` takes it (the contract analysis, the store, `incidents.cluster.attach`)
into a fresh database, in publication order, as a crawl would bring them. Two documents are a
predicted pair when some incident holds a candidate of each. Gold pairs: the "same" groups of
`same_event.json` beside the corpus, plus `bench/same_event_pairs.json` (pairs judged by reading
training-fold documents, with pairs judged to be different events); pairs of "either" groups
count neither way. The gold is not exhaustive: precision is over the judged pairs, and "strict"
counts every unjudged predicted pair as wrong. Figures for all pairs and for training pairs
(both documents outside fold 0 of `tools/corpus_folds.json`); `--show` prints the training
pairs missed or unjudged with the candidates clustering compared (never validation documents).

    .venv/bin/python bench/same_event.py [--corpus DIR] [--show]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from incidents import cluster  # noqa: E402
from pipeline.contract import analyse_document  # noqa: E402
from storage import Analysed, CaptureFiles, Store  # noqa: E402
from triage.ingest import store_document  # noqa: E402

Pair = tuple[str, str]


def pairs_of(groups: list[list[str]]) -> set[Pair]:
    return {tuple(sorted(p)) for g in groups for p in itertools.combinations(g, 2)}  # type: ignore[misc]


def clustered(
    docs: list[dict[str, Any]], tmp: Path
) -> tuple[set[Pair], dict[str, list[dict[str, Any]]]]:
    """The predicted pairs, and each document's candidates as clustering saw them."""
    store = Store(tmp / "same-event.duckdb")
    captures = CaptureFiles(tmp / "captures")
    ids: dict[int, str] = {}
    order = sorted(docs, key=lambda d: (str(d.get("published") or "9999"), str(d["id"])))
    for doc in order:
        line: dict[str, Any] = {
            k: doc[k] for k in ("id", "text", "html", "published", "url") if k in doc
        }
        text, analysis = analyse_document(line)
        contract = analysis.to_contract()
        document_id, _ = store_document(
            store,
            captures,
            url=str(doc.get("url") or f"ingest:{doc['id']}"),
            body=text.encode("utf-8"),
            content_type="text/plain; charset=utf-8",
            text=text,
            title=None,
            published=analysis.published,
            language=analysis.language,
            analysed=Analysed(analysis.nlp_version, analysis.language, contract["incidents"]),
        )
        ids[document_id] = str(doc["id"])
        cluster.attach(store, document_id)
    incidents = [i["id"] for i in store.incident_queue(None, limit=None)]
    members: dict[int, set[str]] = {}
    candidates: dict[str, list[dict[str, Any]]] = {}
    for m in store.member_candidates(incidents):
        doc_id = ids[int(m["document_id"])]
        members.setdefault(int(m["incident_id"]), set()).add(doc_id)
        candidates.setdefault(doc_id, []).append(m)
    store.close()
    pairs = {tuple(sorted(p)) for d in members.values() for p in itertools.combinations(d, 2)}
    return pairs, candidates  # type: ignore[return-value]


def describe(c: dict[str, Any]) -> str:
    finding = c.get("finding") or {}
    actors = [p.get("name") for p in finding.get("perpetrators", [])]
    counts = {k: c[k] for k in ("killed", "injured", "abducted", "detained") if c.get(k)}
    return (
        f"#{c['incident_id']} {c['types']} {c['date_start']}..{c['date_end']} "
        f"({c['date_precision']}) {c['location_name']} {actors} {counts}"
    )


def figures(pred: set[Pair], gold: set[Pair], wrong: set[Pair], either: set[Pair]) -> str:
    """Precision over the judged pairs, strict precision (every unjudged pair wrong), recall."""
    tp = len(pred & gold)
    judged = tp + len(pred & wrong)
    p = tp / judged if judged else 1.0
    strict = tp / len(pred - either) if pred - either else 1.0
    r = tp / len(gold) if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return (
        f"gold {len(gold):2}  predicted {len(pred - either):2}  precision {p:.2f} "
        f"(strict {strict:.2f})  recall {r:.2f}  F1 {f:.2f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/eval/dev")
    ap.add_argument(
        "--show", action="store_true", help="print training pairs missed or unjudged, with why"
    )
    args = ap.parse_args()
    docs = [
        json.loads(line)
        for name in ("corpus/corpus.jsonl", "real.jsonl")
        for line in (args.corpus / name).open(encoding="utf-8")
        if line.strip()
    ]
    noted = json.loads((args.corpus / "corpus/same_event.json").read_text(encoding="utf-8"))
    extra = json.loads((ROOT / "bench" / "same_event_pairs.json").read_text(encoding="utf-8"))
    gold = pairs_of(noted["same"]) | pairs_of(extra["same"])
    wrong = pairs_of(extra["different"])
    either = pairs_of(noted["either"])
    folds = json.loads((ROOT / "tools" / "corpus_folds.json").read_text(encoding="utf-8"))["folds"]
    with tempfile.TemporaryDirectory() as tmp:
        pred, candidates = clustered(docs, Path(tmp))
    print(f"{len(docs)} documents")
    validation = {p for p in pred | gold if 0 in (folds.get(p[0]), folds.get(p[1]))}
    for name, keep in (("all", set(pred | gold)), ("training", (pred | gold) - validation)):
        print(f"{name:9} " + figures(pred & keep, gold & keep, wrong, either))
    if args.show:
        # Validation documents are not read for tuning: only training pairs are shown.
        for label, shown in (("missed", gold - pred), ("unjudged", pred - gold - wrong - either)):
            for a, b in sorted(shown - validation):
                print(label, a, b)
                for doc in (a, b):
                    for c in candidates.get(doc, []):
                        print(f"    {doc} {describe(c)}")
        for a, b in sorted(pred & wrong):
            print("wrong", a, b)
            for doc in (a, b):
                for c in candidates.get(doc, []):
                    print(f"    {doc} {describe(c)}")
    print(f"measured {date.today().isoformat()}")


if __name__ == "__main__":
    main()
