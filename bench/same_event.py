"""How well clustering finds the same event: pair precision, recall and F1 on the dev corpus.

Every document of `../shared/eval/dev` (`corpus/corpus.jsonl`, `real.jsonl`, `seeds.jsonl`: the
246 annotated documents `tools/cv_extractor.py` reads) goes the way `marsad ingest` takes it
(the contract analysis, the store, `incidents.cluster.attach`) into a fresh database, in
publication order, as a crawl would bring them. Two documents are a predicted pair when some
incident holds a candidate of each. Gold pairs: the "same" groups of `same_event.json` beside
the corpus, plus `bench/same_event_pairs.json` (pairs judged by reading
the documents, with pairs judged to be different events); pairs of "either" groups count
neither way. The gold is not exhaustive: precision is over the judged pairs, and "strict"
counts every unjudged predicted pair as wrong.

Figures per fold of `tools/corpus_folds.json` (a pair belongs to the folds of its two
documents), over all pairs, and over training pairs (neither document in fold 0). Fold 0 is the
validation split: the rules are tuned on training pairs only (`--show` prints those missed,
unjudged or wrong, with the candidates clustering compared; never a validation document).

In what order the documents arrive: `--order published` (the default, what a crawl of new
pages sees: publication date, undated pages last) or `reverse` and `shuffled` (`--seed`), what
a backfill or a crawl of older pages may bring; clustering is greedy in arrival order, so these
measure how much its result depends on it.

Which extractor reads the documents: `--extraction shipped` (the default, what the gate pins)
is `nlp/data/extractor.json`, trained on folds 1-4, so a training document is read by a model
that has learned its own incidents and only fold 0's figures are held out. `--extraction cv`
reads each fold's documents with models trained by `tools/train_extractor.py` on the other
folds, as `tools/cv_extractor.py` does (a few minutes): every figure is then held out.
`--folds 1,2,3,4` leaves fold 0's documents out altogether (models trained on three folds), for
tuning.

    .venv/bin/python bench/same_event.py [--corpus DIR] [--extraction shipped|cv]
        [--folds 1,2,3,4] [--order published|reverse|shuffled] [--seed N] [--show]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from incidents import cluster  # noqa: E402
from nlp import Analysis, decide  # noqa: E402
from pipeline.contract import analyse_document  # noqa: E402
from storage import Analysed, CaptureFiles, Store  # noqa: E402
from triage.ingest import store_document  # noqa: E402

CORPUS = ROOT.parent / "shared" / "eval" / "dev"
Pair = tuple[str, str]


@dataclass(frozen=True)
class Gold:
    same: set[Pair]
    different: set[Pair]
    either: set[Pair]
    folds: dict[str, int]

    def among(self, ids: set[str]) -> Gold:
        """The pairs of these documents only."""

        def kept(pairs: set[Pair]) -> set[Pair]:
            return {p for p in pairs if p[0] in ids and p[1] in ids}

        return Gold(kept(self.same), kept(self.different), kept(self.either), self.folds)


@dataclass(frozen=True)
class Figures:
    gold: int
    predicted: int
    precision: float
    strict: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self) -> str:
        return (
            f"gold {self.gold:3}  predicted {self.predicted:3}  precision {self.precision:.2f} "
            f"(strict {self.strict:.2f})  recall {self.recall:.2f}  F1 {self.f1:.2f}"
        )


def pairs_of(groups: list[list[str]]) -> set[Pair]:
    return {tuple(sorted(p)) for g in groups for p in itertools.combinations(g, 2)}  # type: ignore[misc]


def documents(corpus: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for name in ("corpus/corpus.jsonl", "real.jsonl", "seeds.jsonl")
        for line in (corpus / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def shipped_reading(docs: list[dict[str, Any]]) -> dict[str, tuple[str, Analysis]]:
    """Each document's text and analysis as `marsad ingest` makes them."""
    found = {}
    for doc in docs:
        line = {k: doc[k] for k in ("id", "text", "html", "published", "url") if k in doc}
        found[str(doc["id"])] = analyse_document(line)
    return found


def cv_reading(docs: list[dict[str, Any]], corpus: Path) -> dict[str, tuple[str, Analysis]]:
    """Each document's analysis by models trained on the other folds of the documents given
    (the rules' reading is `marsad ingest`'s: `train_extractor.read_document`)."""
    sys.path.insert(0, str(ROOT / "tools"))
    import train_extractor as te

    sc = te.scorer(corpus.parent)
    wanted = {str(d["id"]) for d in docs}
    loaded = te.load(corpus.parent)
    folds = {d.fold for d in loaded if d.id in wanted}
    every = [d for d in loaded if d.fold in folds]
    found = {}
    for k in sorted(folds):
        models = te.train([d for d in every if d.fold != k], sc)
        for d in every:
            if d.fold == k and d.id in wanted:
                found[d.id] = (str(d.gold["text"]), decide(d.reading, models))
        print(f"fold {k}: read by models trained on the other folds", file=sys.stderr)
    return found


def gold_pairs(corpus: Path) -> Gold:
    noted = json.loads((corpus / "corpus/same_event.json").read_text(encoding="utf-8"))
    extra = json.loads((ROOT / "bench" / "same_event_pairs.json").read_text(encoding="utf-8"))
    folds = json.loads((ROOT / "tools" / "corpus_folds.json").read_text(encoding="utf-8"))
    return Gold(
        same=pairs_of(noted["same"]) | pairs_of(extra["same"]),
        different=pairs_of(extra["different"]),
        either=pairs_of(noted["either"]) | pairs_of(extra["either"]),
        folds={str(k): int(v) for k, v in folds["folds"].items()},
    )


ORDERS = ("published", "reverse", "shuffled")


def arrival(docs: list[dict[str, Any]], order: str, seed: int = 1) -> list[dict[str, Any]]:
    """The documents in the order they reach clustering."""
    published = sorted(docs, key=lambda d: (str(d.get("published") or "9999"), str(d["id"])))
    if order == "reverse":
        return published[::-1]
    if order == "shuffled":
        random.Random(seed).shuffle(published)
    return published


def clustered(
    docs: list[dict[str, Any]], read: dict[str, tuple[str, Analysis]], tmp: Path
) -> tuple[set[Pair], dict[str, list[dict[str, Any]]]]:
    """The predicted pairs when the documents arrive in the order given, and each document's
    candidates as clustering saw them."""
    store = Store(tmp / "same-event.duckdb")
    captures = CaptureFiles(tmp / "captures")
    ids: dict[int, str] = {}
    for doc in docs:
        text, analysis = read[str(doc["id"])]
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
            analysed=Analysed(analysis.nlp_version, analysis.language, analysis.stored_incidents()),
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


def figures(pred: set[Pair], gold: Gold) -> Figures:
    """Precision over the judged pairs, strict precision (every unjudged pair wrong), recall."""
    counted = pred - gold.either
    tp = len(counted & gold.same)
    judged = tp + len(counted & gold.different)
    return Figures(
        gold=len(gold.same),
        predicted=len(counted),
        precision=tp / judged if judged else 1.0,
        strict=tp / len(counted) if counted else 1.0,
        recall=tp / len(gold.same) if gold.same else 1.0,
    )


def by_fold(pred: set[Pair], gold: Gold) -> dict[str, Figures]:
    """Figures over all pairs, over training pairs, and over each fold's pairs."""

    def within(keep: set[Pair]) -> Figures:
        part = Gold(gold.same & keep, gold.different & keep, gold.either & keep, gold.folds)
        return figures(pred & keep, part)

    every = pred | gold.same | gold.different | gold.either
    touching = {
        k: {p for p in every if k in (gold.folds.get(p[0]), gold.folds.get(p[1]))}
        for k in sorted(set(gold.folds.values()))
    }
    found = {"all": within(every), "training": within(every - touching[0])}
    found |= {f"fold {k}": within(pairs) for k, pairs in touching.items() if pairs}
    return found


def measure(
    corpus: Path = CORPUS, orders: tuple[str, ...] = ("published",)
) -> dict[str, dict[str, Figures]]:
    """The figures `main` prints with the shipped extractor, for each arrival order, for the
    quality gate."""
    docs = documents(corpus)
    read = shipped_reading(docs)
    found = {}
    for order in orders:
        with tempfile.TemporaryDirectory() as tmp:
            pred, _ = clustered(arrival(docs, order), read, Path(tmp))
        found[order] = by_fold(pred, gold_pairs(corpus))
    return found


def describe(c: dict[str, Any]) -> str:
    finding = c.get("finding") or {}
    actors = [p.get("name") for p in finding.get("perpetrators", [])]
    counts = {k: c[k] for k in ("killed", "injured", "abducted", "detained") if c.get(k)}
    return (
        f"#{c['incident_id']} {c['types']} {c['date_start']}..{c['date_end']} "
        f"({c['date_precision']}) {c['location_name']} {actors} {counts}"
    )


def show(pred: set[Pair], gold: Gold, candidates: dict[str, list[dict[str, Any]]]) -> None:
    """Training pairs missed, unjudged or wrong, with what clustering compared. Validation
    documents are not read for tuning: pairs touching fold 0 are never shown."""
    judged = gold.same | gold.different | gold.either
    for label, shown in (
        ("missed", gold.same - pred),
        ("unjudged", pred - judged),
        ("wrong", pred & gold.different),
    ):
        for a, b in sorted(shown):
            if 0 in (gold.folds.get(a), gold.folds.get(b)):
                continue
            print(label, a, b)
            for doc in (a, b):
                for c in candidates.get(doc, []):
                    print(f"    {doc} {describe(c)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--extraction", choices=("shipped", "cv"), default="shipped")
    ap.add_argument("--folds", default="", help="only these folds' documents, e.g. 1,2,3,4")
    ap.add_argument("--order", choices=ORDERS, default="published", help="arrival order")
    ap.add_argument("--seed", type=int, default=1, help="the shuffled order's seed")
    ap.add_argument(
        "--show", action="store_true", help="print training pairs missed, unjudged or wrong"
    )
    args = ap.parse_args()
    gold = gold_pairs(args.corpus)
    docs = documents(args.corpus)
    if args.folds:
        wanted = {int(f) for f in args.folds.split(",")}
        docs = [d for d in docs if gold.folds[str(d["id"])] in wanted]
        gold = gold.among({str(d["id"]) for d in docs})
    read = cv_reading(docs, args.corpus) if args.extraction == "cv" else shipped_reading(docs)
    with tempfile.TemporaryDirectory() as tmp:
        pred, candidates = clustered(arrival(docs, args.order, args.seed), read, Path(tmp))
    print(f"{len(docs)} documents, {args.extraction} extraction, {args.order} order")
    for name, found in by_fold(pred, gold).items():
        print(f"{name:9} {found.line()}")
    if args.show:
        show(pred, gold, candidates)
    print(f"measured {date.today().isoformat()}")


if __name__ == "__main__":
    main()
