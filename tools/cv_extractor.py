"""Cross-validated quality of the extractor: train on four folds, score the fifth, five times.

    python tools/cv_extractor.py [--eval ../shared/eval] [--folds 0,1,2,3,4] [--errors]
                                 [--json FILE]
    python tools/cv_extractor.py --repeats N [--folds 1,2,3,4] [--k K]
                                 [--save FILE | --against FILE]
    python tools/cv_extractor.py --external FILE [FILE ...] [--folds F] [--errors] [--json FILE]

Folds are tools/corpus_folds.json's (documents reporting the same event share a fold). For each
held-out fold the models are trained by tools/train_extractor.py's `train` on the other folds and
the held-out documents are scored with the shared scorer's own functions; the held-out
predictions of all folds are then scored together, per language. Also printed: the same figures
on the training documents (the gap between the two in event F1 says how much the models learned
the corpus rather than the language), the errors by kind, where the gold incidents not reported
are lost (a candidate under the threshold, sentences the sentence model drops, or no candidate
of their own), and a reliability table of the incident confidence (the share of incidents at
each confidence that match a gold incident).

While tuning, pass `--folds 1,2,3,4` so the validation fold (0) stays unseen: look at errors of
the training folds, fix kinds of errors, then check the five folds.

One fixed split of a few hundred documents cannot tell small gains from the noise of which
document falls in which fold. `--repeats N` deals the documents of the chosen folds (by default
the training folds: the validation fold stays out) into k folds (by default as many as chosen)
N times, with seeds 0 to N-1, stratified by language and by whether the document reports an
incident, documents the annotators noted as reporting the same event in one fold; it trains and
scores each repeat as above and prints, per language and metric, the mean and standard deviation
over the repeats. `--save FILE` keeps each repeat's figures; `--against FILE` (run on other code,
same options) prints per language and metric the mean paired difference, this code minus the
saved run, its standard deviation and how many repeats came out higher, lower and the same.

`--external` scores gold files of documents outside ../shared/eval/dev (annotated later, in the
same gold format) with models trained on the chosen folds, by default the training folds as the
shipped model is: the same figures, errors by kind and listing, on text that neither the weights
nor the rules were made from (until someone tunes on it).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_extractor as te

from nlp.model import COUNT_KINDS

if TYPE_CHECKING:
    from collections.abc import Iterable
    from types import ModuleType

METRICS = (
    "event_f1",
    "incident_f1",
    "type_f1",
    "location_acc",
    "date_acc",
    "actor_f1",
    "false_alarm",
)
BUCKETS = ("all", "ar", "en")
BINS = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
ERROR_KINDS = (
    "missed",
    "several events merged",
    "one event doubled",
    "flagged in a document with no incident",
    "extra incident beside real ones",
    "place wrong",
    "date wrong",
    "date is the publication date",
    "count wrong",
    "type added",
    "type missed",
)


def errors(gold: dict[str, Any], preds: list[dict[str, Any]], sc: ModuleType) -> Counter[str]:
    """The document's errors by kind, read from the scorer's pairing."""
    out: Counter[str] = Counter()
    golds = gold.get("incidents", [])
    pairs = sc.match(golds, preds)
    paired_g = {gi for gi, _ in pairs}
    paired_p = {pi for _, pi in pairs}

    def overlap(g: dict[str, Any], p: dict[str, Any]) -> bool:
        return bool((set(g["types"]) | set(g.get("alt_types", []))) & set(p["types"]))

    for gi, g in enumerate(golds):
        if gi in paired_g or g.get("optional"):
            continue
        # a paired prediction of the same kind took this event in with another
        merged = any(overlap(g, preds[pi]) for pi in paired_p)
        out["several events merged" if merged else "missed"] += 1
    for pi, p in enumerate(preds):
        if pi in paired_p:
            continue
        if not golds:
            out["flagged in a document with no incident"] += 1
        elif any(overlap(golds[gi], p) for gi in paired_g):
            out["one event doubled"] += 1
        else:
            out["extra incident beside real ones"] += 1
    for gi, pi in pairs:
        g, p = golds[gi], preds[pi]
        if g.get("optional"):
            continue
        if g.get("location") and not sc.location_ok(g["location"], p.get("location")):
            out["place wrong"] += 1
        if g.get("date") and not sc.date_ok(g["date"], p.get("date")):
            stamped = p.get("date") and p["date"]["start"] == gold.get("published")
            out["date is the publication date" if stamped else "date wrong"] += 1
        for kind, n in (g.get("counts") or {}).items():
            if n is not None and (p.get("counts") or {}).get(kind) not in (None, n):
                out["count wrong"] += 1
        allowed = set(g["types"]) | set(g.get("alt_types", []))
        out["type added"] += len(set(p["types"]) - allowed)
        out["type missed"] += len(set(g["types"]) - set(p["types"]))
    return out


LOST = ("under the threshold", "its sentences dropped", "no candidate of its own")


def lost(
    gold: dict[str, Any],
    reported: list[dict[str, Any]],
    every: list[dict[str, Any]],
    undropped: list[dict[str, Any]],
    sc: ModuleType,
) -> list[tuple[int, str, float | None]]:
    """Where each required gold incident the extractor does not report is lost: a candidate
    the incident model scores under the threshold (`every` holds all candidates, with their
    confidence), sentences the sentence model drops (it pairs among `undropped`, the candidates
    of all trigger sentences), or no candidate of its own (merged into another, or missed)."""
    golds = gold.get("incidents", [])
    found = {gi for gi, _ in sc.match(golds, reported)}
    loose = dict(sc.match(golds, every))
    kept = {gi for gi, _ in sc.match(golds, undropped)}
    out: list[tuple[int, str, float | None]] = []
    for gi, g in enumerate(golds):
        if gi in found or g.get("optional"):
            continue
        if gi in loose:
            out.append((gi, LOST[0], float(every[loose[gi]]["confidence"])))
        else:
            out.append((gi, LOST[1] if gi in kept else LOST[2], None))
    return out


COUNT_OUTCOMES = ("wrong", "missing", "spurious")


def count_errors(
    gold: dict[str, Any], preds: list[dict[str, Any]], sc: ModuleType
) -> tuple[Counter[tuple[str, str]], list[str]]:
    """Per paired required incident and count kind: wrong (both given, they differ), missing
    (gold gives one, the prediction none) or spurious (the prediction gives one, gold none),
    with a line per error for the listing."""
    out: Counter[tuple[str, str]] = Counter()
    lines = []
    golds = gold.get("incidents", [])
    for gi, pi in sc.match(golds, preds):
        g, p = golds[gi], preds[pi]
        if g.get("optional"):
            continue
        given, found = g.get("counts") or {}, p.get("counts") or {}
        for kind in COUNT_KINDS:
            want, got = given.get(kind), found.get(kind)
            if want == got:
                continue
            outcome = "spurious" if want is None else "missing" if got is None else "wrong"
            out[outcome, kind] += 1
            lines.append(f"count {kind} {outcome}: gold {want} predicted {got}")
    return out, lines


def actor_errors(gold: dict[str, Any], preds: list[dict[str, Any]], sc: ModuleType) -> list[str]:
    """Per paired incident, the gold perpetrators missed and the predicted ones no gold names."""
    out = []
    golds = gold.get("incidents", [])
    for gi, pi in sc.match(golds, preds):
        g, p = golds[gi], preds[pi]
        if g.get("optional") or not g.get("perpetrators"):
            continue
        groups = [{sc.norm(a) for a in grp} for grp in g["perpetrators"]]
        named = [
            (q["name"], {sc.norm(q["name"])} | {sc.norm(a) for a in q.get("aliases", [])})
            for q in p.get("perpetrators", [])
        ]
        missed = [
            grp[0]
            for grp, gs in zip(g["perpetrators"], groups, strict=True)
            if not any(n & gs for _, n in named)
        ]
        wrong = [name for name, n in named if not any(n & gs for gs in groups)]
        if missed or wrong:
            out.append(f"perpetrators missed {missed} wrong {wrong}")
    return out


def reliability(
    docs: list[te.Doc], predictions: dict[str, dict[str, Any]], sc: ModuleType
) -> list[tuple[str, int, float]]:
    """Per confidence bin: incidents, and the share paired with a required gold incident."""
    seen: dict[int, list[int]] = {}
    for d in docs:
        golds = d.gold.get("incidents", [])
        preds = predictions[d.id]["incidents"]
        paired = {pi: gi for gi, pi in sc.match(golds, preds)}
        for pi, p in enumerate(preds):
            gi = paired.get(pi)
            if gi is not None and golds[gi].get("optional"):
                continue
            b = next(k for k in range(len(BINS) - 1) if p["confidence"] < BINS[k + 1])
            seen.setdefault(b, []).append(int(gi is not None))
    return [
        (f"{BINS[b]:.1f}-{min(BINS[b + 1], 1.0):.1f}", len(v), sum(v) / len(v))
        for b, v in sorted(seen.items())
    ]


Stratum = tuple[str, bool]


def stratum(gold: dict[str, Any]) -> Stratum:
    """A document's stratum for reshuffling: its language, and whether it reports an incident
    the scorer requires (the documents with none are where the false alarms are counted)."""
    required = any(not g.get("optional") for g in gold.get("incidents", []))
    return str(gold.get("lang", "?")), required


def same_event_groups(eval_dir: Path) -> list[list[str]]:
    """The documents the annotators noted as reporting the same event ("same" and "either"
    groups), which tools/corpus_folds.json keeps in one fold: apart, a model trained on one
    would be scored on its twin."""
    noted = json.loads((eval_dir / "dev" / "corpus" / "same_event.json").read_text("utf-8"))
    return [list(g) for g in noted["same"] + noted["either"]]


def reshuffle(
    strata: dict[str, Stratum], k: int, seed: int, together: Iterable[list[str]] = ()
) -> dict[str, int]:
    """Each document's fold (0 to k-1) in the repeat `seed`: the documents of each stratum are
    shuffled and dealt to the fold that has fewest of that stratum (then fewest in all), the
    documents of a group in `together` as one (a group takes the stratum of its first id)."""
    parent = {i: i for i in strata}

    def root(i: str) -> str:
        while parent[i] != i:
            i = parent[i]
        return i

    for group in together:
        inside = sorted(i for i in group if i in parent)
        for i in inside[1:]:
            a, b = root(inside[0]), root(i)
            if a != b:
                parent[b] = a
    units: dict[str, list[str]] = {}
    for i in sorted(strata):
        units.setdefault(root(i), []).append(i)
    by_stratum: dict[Stratum, list[list[str]]] = {}
    for unit in units.values():
        by_stratum.setdefault(strata[unit[0]], []).append(unit)
    rng = random.Random(seed)  # noqa: S311 (a reproducible split, not a secret)
    total = [0] * k
    fold_of: dict[str, int] = {}
    for key in sorted(by_stratum):
        dealt = by_stratum[key]
        rng.shuffle(dealt)
        here = [0] * k
        for unit in dealt:
            # ties broken at random, so that no fold is always the one with one more
            ties = [rng.random() for _ in range(k)]
            f = min(range(k), key=lambda j: (here[j], total[j], ties[j]))
            here[f] += len(unit)
            total[f] += len(unit)
            fold_of.update((i, f) for i in unit)
    return fold_of


Figures = dict[str, dict[str, float]]
EXTERNAL = -1  # the fold of a document from --external: never trained on


def tuning_folds(spec: str, present: set[int]) -> set[int]:
    """The folds `--folds` names ("1,2,3,4"), or by default all but the validation fold."""
    if spec:
        return {int(f) for f in spec.split(",")}
    return present - {json.loads(te.FOLDS.read_text(encoding="utf-8"))["validation_fold"]}


def repeat_figures(
    docs: list[te.Doc], k: int, seed: int, together: list[list[str]], sc: ModuleType
) -> Figures:
    """The held-out figures per language of one repeat: `docs` reshuffled into k folds, each
    scored by models trained on the others."""
    fold_of = reshuffle({d.id: stratum(d.gold) for d in docs}, k, seed, together)
    moved = [replace(d, fold=fold_of[d.id]) for d in docs]
    shipped: dict[str, dict[str, Any]] = {}
    for f in range(k):
        models = te.train([d for d in moved if d.fold != f], sc)
        shipped.update(te.predict([d for d in moved if d.fold == f], models))
    scored = sc.score([d.gold for d in docs], shipped, 0.0)
    return {
        b: {m: scored[b][m] for m in METRICS if scored[b].get(m) is not None}
        for b in BUCKETS
        if scored.get(b)
    }


def spread(values: list[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (0 for a single value)."""
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def summary(runs: list[Figures]) -> dict[str, dict[str, tuple[float, float]]]:
    """Per language and metric, the mean and standard deviation over the repeats."""
    return {
        b: {
            m: spread([r[b][m] for r in runs])
            for m in METRICS
            if all(m in r.get(b, {}) for r in runs)
        }
        for b in BUCKETS
        if all(b in r for r in runs)
    }


Paired = tuple[float, float, int, int, int]


def paired(runs: list[Figures], saved: list[Figures]) -> dict[str, dict[str, Paired]]:
    """Per language and metric over repeats of the same seeds: the mean difference (this run
    minus the saved one), its standard deviation, and how many repeats came out higher, lower
    and the same."""
    if len(runs) != len(saved):
        raise ValueError(f"{len(runs)} repeats against {len(saved)} saved")
    out: dict[str, dict[str, Paired]] = {}
    for b in BUCKETS:
        if not all(b in r for r in runs + saved):
            continue
        for m in METRICS:
            if not all(m in r[b] for r in runs + saved):
                continue
            diffs = [r[b][m] - s[b][m] for r, s in zip(runs, saved, strict=True)]
            mean, sd = spread(diffs)
            higher = sum(d > 1e-9 for d in diffs)
            lower = sum(d < -1e-9 for d in diffs)
            out.setdefault(b, {})[m] = (mean, sd, higher, lower, len(diffs) - higher - lower)
    return out


def repeated(args: argparse.Namespace, docs: list[te.Doc], sc: ModuleType) -> None:
    """`--repeats`: the figures' mean and spread over reshuffled folds, or the paired
    difference against a saved run."""
    wanted = tuning_folds(args.folds, {d.fold for d in docs})
    docs = [d for d in docs if d.fold in wanted]
    k = args.k or len(wanted)
    setup = {"folds": sorted(wanted), "k": k, "documents": sorted(d.id for d in docs)}
    saved = None
    if args.against:
        saved = json.loads(args.against.read_text(encoding="utf-8"))
        mine = {**setup, "seeds": list(range(args.repeats))}
        theirs = {key: saved.get(key) for key in mine}
        if theirs != mine:
            differ = ", ".join(key for key in mine if mine[key] != theirs[key])
            sys.exit(f"{args.against} was run with other {differ}: compare like with like")
    together = same_event_groups(args.eval)
    runs = []
    for seed in range(args.repeats):
        runs.append(repeat_figures(docs, k, seed, together, sc))
        print(f"repeat {seed}: event F1 {runs[-1]['all']['event_f1']:.3f}", file=sys.stderr)
    print(
        f"held-out figures, folds {','.join(map(str, sorted(wanted)))} ({len(docs)} documents) "
        f"reshuffled into {k} folds, {args.repeats} repeats (seeds 0-{args.repeats - 1}): "
        "mean and standard deviation"
    )
    print(f"{'':6}" + "".join(f"{m:>16}" for m in METRICS))
    for b, row in summary(runs).items():
        cells = "".join(
            f"{'-':>16}" if m not in row else f"{row[m][0]:>9.3f} ±{row[m][1]:.3f}" for m in METRICS
        )
        print(f"{b:6}{cells}")
    if args.save:
        record = {**setup, "seeds": list(range(args.repeats)), "repeats": runs}
        args.save.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    if saved is not None:
        print(
            f"this code minus {args.against}, same repeats: mean difference ± standard "
            "deviation (repeats higher / lower / same)"
        )
        for b, row2 in paired(runs, saved["repeats"]).items():
            for m, (mean, sd, up, down, same) in row2.items():
                print(f"  {b:4} {m:14} {mean:+.4f} ± {sd:.4f}  ({up} / {down} / {same})")


def held_out(
    train_docs: list[te.Doc],
    test_docs: list[te.Doc],
    sc: ModuleType,
    shipped: dict[str, dict[str, Any]],
    held: dict[str, dict[str, Any]],
    undropped: dict[str, dict[str, Any]],
) -> te.Models:
    """Train on `train_docs` and add the predictions for `test_docs` to the three maps: what
    the extractor reports, every candidate with its confidence, and the candidates of every
    trigger sentence."""
    models = te.train(train_docs, sc)
    # What the model reports, decided on its unrounded probability: the contract's confidence
    # has two decimals, and filtering on it would also report the candidates at 0.595-0.6
    # that the extractor leaves out.
    shipped.update(te.predict(test_docs, models))
    # every candidate with its confidence, for the reliability and trade-off tables
    loose = replace(models, incident=replace(models.incident, threshold=0.0))
    held.update(te.predict(test_docs, loose))
    # and with every trigger sentence kept, to tell what the sentence model drops
    undropped.update(
        te.predict(test_docs, replace(loose, sentence=replace(loose.sentence, threshold=0.0)))
    )
    return models


def table(figures: dict[str, Any]) -> None:
    print(f"{'':6}" + "".join(f"{m:>14}" for m in METRICS))
    for bucket in BUCKETS:
        m = figures.get(bucket)
        if m is not None:
            cells = "".join(f"{'-':>14}" if m[c] is None else f"{m[c]:>14.3f}" for c in METRICS)
            print(f"{bucket:6}{cells}")


def load_external(paths: list[Path], known: set[str]) -> list[te.Doc]:
    """Gold documents from files outside ../shared/eval/dev (the same gold format), each in
    the EXTERNAL fold; an id the dev set already uses is refused, as its figures would mix."""
    docs = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            gold = json.loads(line)
            if gold["id"] in known:
                sys.exit(f"{path}:{number}: id {gold['id']} is already a dev document's")
            known.add(gold["id"])
            docs.append(te.Doc(gold["id"], gold, EXTERNAL, te.read_document(gold)))
    return docs


def external(args: argparse.Namespace, docs: list[te.Doc], sc: ModuleType) -> dict[str, Any]:
    """Score documents no fold holds with models trained on the chosen folds (by default the
    training folds, as the shipped model is): text that neither the rules nor the weights saw."""
    ext = load_external(args.external, {d.id for d in docs})
    chosen = tuning_folds(args.folds, {d.fold for d in docs})
    train_docs = [d for d in docs if d.fold in chosen]
    shipped: dict[str, dict[str, Any]] = {}
    held: dict[str, dict[str, Any]] = {}
    undropped: dict[str, dict[str, Any]] = {}
    held_out(train_docs, ext, sc, shipped, held, undropped)
    figures: dict[str, Any] = sc.score([d.gold for d in ext], shipped, 0.0)
    named = ", ".join(str(p) for p in args.external)
    print(f"external documents ({len(ext)}, {named}), models trained on folds", end=" ")
    print(f"{','.join(map(str, sorted(chosen)))} ({len(train_docs)} documents)")
    table(figures)
    return {"external": figures, **report(ext, shipped, held, undropped, sc, args.errors)}


def source(doc: te.Doc) -> str:
    return "external" if doc.fold == EXTERNAL else f"fold {doc.fold}"


def report(
    docs: list[te.Doc],
    shipped: dict[str, dict[str, Any]],
    held: dict[str, dict[str, Any]],
    undropped: dict[str, dict[str, Any]],
    sc: ModuleType,
    listing: bool,
) -> dict[str, Any]:
    """Print the errors by kind, where unreported gold incidents are lost, the count errors,
    the confidence's reliability and the minimum-confidence trade-off (with `listing`, each
    error by document too); return them for `--json`."""
    gold = [d.gold for d in docs]
    kinds: Counter[str] = Counter()
    losses: dict[str, Counter[str]] = {"ar": Counter(), "en": Counter()}
    counted: dict[str, Counter[tuple[str, str]]] = {"ar": Counter(), "en": Counter()}
    by_lang: dict[str, Counter[str]] = {"ar": Counter(), "en": Counter()}
    for d in docs:
        found = errors(d.gold, shipped[d.id]["incidents"], sc)
        found = +found  # without the kinds counted zero times
        kinds.update(found)
        by_lang.setdefault(d.gold.get("lang", "?"), Counter()).update(found)
        if listing and found:
            print(f"  {d.id} ({source(d)}): " + ", ".join(f"{k} {n}" for k, n in found.items()))
        missed = lost(
            d.gold,
            shipped[d.id]["incidents"],
            held[d.id]["incidents"],
            undropped[d.id]["incidents"],
            sc,
        )
        losses.setdefault(d.gold.get("lang", "?"), Counter()).update(w for _, w, _ in missed)
        if listing:
            for gi, where, p in missed:
                at = "" if p is None else f" (confidence {p:.2f})"
                print(f"  {d.id} ({source(d)}): gold incident {gi} lost: {where}{at}")
        by_count, count_lines = count_errors(d.gold, shipped[d.id]["incidents"], sc)
        counted.setdefault(d.gold.get("lang", "?"), Counter()).update(by_count)
        if listing:
            for line in actor_errors(d.gold, shipped[d.id]["incidents"], sc) + count_lines:
                print(f"  {d.id} ({source(d)}): {line}")
    print("held-out errors by kind (all / ar / en)")
    for kind in ERROR_KINDS:
        print(f"  {kind:42} {kinds[kind]:4d} {by_lang['ar'][kind]:4d} {by_lang['en'][kind]:4d}")

    print("required gold incidents not reported, by where they are lost (all / ar / en)")
    for where in LOST:
        ar, en = losses["ar"][where], losses["en"][where]
        print(f"  {where:42} {ar + en:4d} {ar:4d} {en:4d}")

    print("held-out count errors of paired required incidents (all / ar / en)")
    for outcome in COUNT_OUTCOMES:
        for kind in COUNT_KINDS:
            ar, en = counted["ar"][outcome, kind], counted["en"][outcome, kind]
            print(f"  {outcome + ' ' + kind:42} {ar + en:4d} {ar:4d} {en:4d}")

    table = reliability(docs, held, sc)
    print("confidence reliability (held out): bin, incidents, share matching a gold incident")
    for name, n, share in table:
        print(f"  {name}  {n:4d}  {share:.2f}")
    # The false alarms per language too: the threshold rule bounds them in each language.
    print("minimum confidence (held out): incident P, R, event F1, false alarms (all, ar, en)")
    trade_off = []
    for cut in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        at = sc.score(gold, held, cut)
        m = at["all"]
        alarms = [(at.get(lang) or {}).get("false_alarm") or 0.0 for lang in ("ar", "en")]
        trade_off.append(
            (cut, m["incident_p"], m["incident_r"], m["event_f1"], m["false_alarm"], *alarms)
        )
        print(f"  {cut:.1f}  " + "  ".join(f"{v:.3f}" for v in trade_off[-1][1:]))
    return {
        "errors": dict(kinds),
        "errors_by_language": {k: dict(v) for k, v in by_lang.items()},
        "lost_by_language": {k: dict(v) for k, v in losses.items()},
        "count_errors_by_language": {
            lang: {f"{o} {k}": n for (o, k), n in c.items()} for lang, c in counted.items()
        },
        "reliability": table,
        "trade_off": trade_off,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--eval", type=Path, default=te.EVAL)
    ap.add_argument("--folds", default="", help="only these folds, e.g. 1,2,3,4 while tuning")
    ap.add_argument("--errors", action="store_true", help="list each held-out error by document")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    ap.add_argument(
        "--repeats", type=int, default=0, help="reshuffle the chosen folds N times (seeds 0..N-1)"
    )
    ap.add_argument("--k", type=int, default=0, help="with --repeats: folds per repeat")
    ap.add_argument("--save", type=Path, help="with --repeats: write each repeat's figures")
    ap.add_argument("--against", type=Path, help="with --repeats: compare with a --save file")
    ap.add_argument(
        "--external",
        type=Path,
        nargs="+",
        help="score these gold files, outside the folds, with models trained on --folds",
    )
    args = ap.parse_args()
    if args.repeats < 0 or args.k < 0 or args.k == 1:
        ap.error("--repeats must be positive and --k at least 2")
    if args.repeats and (args.errors or args.json):
        ap.error("--errors and --json are for the fixed folds, not with --repeats")
    if not args.repeats and (args.k or args.save or args.against):
        ap.error("--k, --save and --against go with --repeats")
    if args.external and args.repeats:
        ap.error("--external scores one training of the chosen folds, not --repeats")
    if args.save and not args.save.parent.is_dir():
        ap.error(f"no folder {args.save.parent} to save to")

    sc = te.scorer(args.eval)
    docs = te.load(args.eval)
    if args.repeats:
        repeated(args, docs, sc)
        return
    if args.external:
        out = external(args, docs, sc)
        if args.json:
            args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
        return
    if args.folds:
        wanted = {int(f) for f in args.folds.split(",")}
        docs = [d for d in docs if d.fold in wanted]
    folds = sorted({d.fold for d in docs})
    held: dict[str, dict[str, Any]] = {}
    undropped: dict[str, dict[str, Any]] = {}
    shipped: dict[str, dict[str, Any]] = {}
    trained: list[dict[str, dict[str, Any]]] = []
    for k in folds:
        train_docs = [d for d in docs if d.fold != k]
        test_docs = [d for d in docs if d.fold == k]
        models = held_out(train_docs, test_docs, sc, shipped, held, undropped)
        trained.append(te.evaluate(train_docs, models, sc))
        print(f"fold {k}: trained on {len(train_docs)} documents", file=sys.stderr)
    gold = [d.gold for d in docs]
    figures: dict[str, Any] = sc.score(gold, shipped, 0.0)
    train_event = sum(t["all"]["event_f1"] for t in trained) / len(trained)
    print(f"held-out figures, folds {','.join(map(str, folds))} ({len(docs)} documents)")
    table(figures)
    gap = train_event - figures["all"]["event_f1"]
    print(
        f"event F1 on training folds {train_event:.3f}, held out {figures['all']['event_f1']:.3f}"
    )
    print(f"gap {gap:.3f}")

    details = report(docs, shipped, held, undropped, sc, args.errors)
    if args.json:
        out = {"held_out": figures, "train_event_f1": train_event, "gap": gap, **details}
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
