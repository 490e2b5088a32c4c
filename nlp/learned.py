"""The learned decisions: which sentences report an event, which candidates are incidents.

The rules (nlp.findings, nlp.assemble) propose; two linear models, trained on the annotated
corpus by `tools/train_extractor.py`, decide:

- *sentence*: does this trigger sentence report a concrete event in Libya, rather than
  background, history, a statistic, advocacy or an event abroad? A sentence the model is fairly
  sure does not is left out before the rules group sentences into candidates;
- *incident*: is this candidate incident one an analyst would log, and not a duplicate of
  another candidate of the document (the same event once at the publication date, once at the
  stated date)? Its probability is the incident's confidence.

Features are hashed strings: the rules' own readings (types and strengths, context cues, place
and date precision, the date's age against the publication date, counts, actors) and the word
and character n-grams of the sentence. Scoring is a dot product over a weight table read from
`data/extractor.json`, so the runtime needs nothing beyond the standard library and stays
deterministic.
"""

from __future__ import annotations

import hashlib
import json
import math
import zlib
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import date

    from nlp.findings import Finding, Sentence
    from nlp.model import DateRange, Incident
    from nlp.text import Token

DATA = Path(__file__).parent / "data" / "extractor.json"
# Features are hashed into 2**BITS buckets: training sees about 30,000 distinct features, so
# few collide.
BITS = 18
MASK = (1 << BITS) - 1
CHAR_GRAMS = (3, 4)
# Sentences longer than this are cut for the n-grams: hostile text can hold a "sentence" of
# megabytes, and the first words of a sentence say most of what it is about.
MAX_TOKENS = 80

VAGUE_KINDS = frozenset({"country", "region", "sea_area"})
# The rules' own bar for reporting a candidate (a feature of the incident model).
RULE_KEEP = 0.5

Features = dict[int, float]


def _index(name: str) -> int:
    return zlib.crc32(name.encode("utf-8")) & MASK


def hashed(names: Iterable[str], values: dict[str, float] | None = None) -> Features:
    """Binary features by name, plus real-valued ones (`values`), hashed to indices."""
    out: Features = {}
    for name in names:
        out[_index(name)] = 1.0
    for name, value in (values or {}).items():
        i = _index(name)
        out[i] = out.get(i, 0.0) + value
    return out


def _age(day: date, published: date | None) -> str:
    """How long before the publication `day` is, in coarse steps."""
    if published is None:
        return "nopub"
    days = (published - day).days
    for limit, name in ((-2, "future"), (1, "day"), (7, "week"), (31, "month"), (366, "year")):
        if days <= limit:
            return name
    return "older"


def _words(toks: Sequence[Token]) -> list[str]:
    return [t.text for t in toks[:MAX_TOKENS]]


def _ngrams(words: list[str]) -> list[str]:
    out = [f"w:{w}" for w in words]
    out += [f"b:{a} {b}" for a, b in pairwise(words)]
    for w in words:
        padded = f"<{w}>"
        for n in CHAR_GRAMS:
            out += [f"c:{padded[i : i + n]}" for i in range(len(padded) - n + 1)]
    return out


def sentence_features(
    finding: Finding,
    sent: Sentence,
    toks: list[Token],
    language: str,
    published: date | None,
) -> Features:
    """What the sentence model reads: the rules' findings and the sentence's n-grams."""
    stoks = toks[sent.first : sent.last]
    names = [f"lang:{language}", "bias"]
    names += [f"type:{t}:{s}" for t, s in finding.types.items()]
    names += [f"supports:{t}" for t in finding.supports]
    names += [f"cue:{e.kind}" for h in sent.hits for e in h.entries if e.kind != "trigger"]
    names += [f"tag:{e.tag}" for h in sent.hits for e in h.triggers if e.tag]
    if finding.soft:
        names.append("soft")
    if finding.death_only:
        names.append("death_only")
    place = finding.place
    names.append(f"place:{place.precision}:{place.place.kind}" if place else "place:none")
    if finding.dateline is not None:
        names.append("dateline")
    when = finding.date
    if when is None:
        names.append("date:none")
    else:
        names += [f"date:{when.precision}", f"age:{_age(when.last, published)}"]
        if when.relative:
            names.append("date:relative")
    if published is not None:
        years = [
            int(t.text)
            for t in stoks
            if len(t.text) == 4 and t.text.isdigit() and 1900 < int(t.text) <= published.year
        ]
        if years and max(years) < published.year - 1:
            names.append("year:old")
    names += [f"count:{k}" for k in finding.counts]
    names += [f"victim:{g}" for g in finding.victims]
    names += [f"actor:{a.category}:{'generic' if a.generic else 'named'}" for a in finding.actors]
    names.append(f"position:{min(sent.index, 6)}")
    names += _ngrams(_words(stoks))
    return hashed(names, {"score": finding.score})


def incident_features(
    incident: Incident,
    findings: Sequence[Finding],
    sentence_p: Sequence[float],
    others: Sequence[Incident],
    published: date | None,
    rule_confidence: float,
    concrete: bool,
) -> Features:
    """What the incident model reads: the candidate, its sentences' probabilities, and the
    document's other candidates of its type (a duplicate at the publication date, or another
    event that a place or time tells apart)."""
    p_max = max(sentence_p, default=0.0)
    names = ["bias", f"concrete:{concrete}"]
    # What the rules alone would decide: report a concrete candidate they are fairly sure of.
    names.append(f"rule:keep:{concrete and rule_confidence >= RULE_KEEP}")
    names += [f"type:{t}" for t in incident.types]
    loc = incident.location
    names.append("loc:none" if loc is None else f"loc:{loc.kind in VAGUE_KINDS}")
    when = incident.date
    if when is None:
        names.append("date:none")
    elif when.from_publication:
        names.append("date:publication")
    else:
        names.append(f"date:{_age(when.end, published) in ('older', 'future')}")
    # Acts told only as background (a precedent, the Arabic past perfect) that the rules kept
    # apart from the news are an earlier event, whatever dates the two state.
    earlier = all(f.background for f in findings if f.types)
    for o in others:
        if not set(o.types) & set(incident.types):
            continue
        rank = "stronger" if o.confidence > incident.confidence else "weaker"
        # A twin of the same type may be the same event told twice; one that another place
        # or another time tells apart is another event: at another time, often an earlier one
        # told as background; at the same time in another place, a second event of the news.
        apart = "time" if earlier else _apart(incident, o, published)
        names.append(f"apart:{apart}:{rank}" if apart else f"double:{rank}")
    values = {
        "p_max": _logit(p_max),
        "p_mean": _logit(sum(sentence_p) / len(sentence_p)) if sentence_p else 0.0,
        "rule": rule_confidence,
    }
    return hashed(names, values)


def _apart(a: Incident, b: Incident, published: date | None) -> str | None:
    """What tells the two candidates apart: "time", else "place", else None."""
    if not _same_time(a.date, b.date, published):
        return "time"
    if (
        a.location is not None
        and b.location is not None
        and a.location.place_id != b.location.place_id
    ):
        return "place"
    return None


def _same_time(a: DateRange | None, b: DateRange | None, published: date | None) -> bool:
    if a is None or b is None:
        return True
    if a.from_publication or b.from_publication:
        # The same event told once at the publication date, once at its stated day: only a
        # recent stated day can be the news itself (the rules open a new incident for a day
        # more than a week before the publication).
        stated = b if a.from_publication else a
        return (
            stated.from_publication
            or published is None
            or _age(stated.end, published) in ("future", "day", "week")
        )
    return abs((a.start - b.start).days) <= 1


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


@dataclass(frozen=True, slots=True)
class Linear:
    """A logistic model over hashed features."""

    bias: float
    weights: dict[int, float]
    threshold: float

    def probability(self, features: Features) -> float:
        z = self.bias + sum(self.weights.get(i, 0.0) * v for i, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_dict(self) -> dict[str, Any]:
        return {
            "bias": round(self.bias, 5),
            "threshold": self.threshold,
            "weights": {str(i): round(w, 5) for i, w in sorted(self.weights.items())},
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Linear:
        return cls(
            float(raw["bias"]),
            {int(i): float(w) for i, w in raw["weights"].items()},
            float(raw["threshold"]),
        )


@dataclass(frozen=True, slots=True)
class Models:
    version: str
    sentence: Linear
    incident: Linear

    @classmethod
    def versioned(cls, sentence: Linear, incident: Linear) -> Models:
        """The models, versioned by a digest of their weights."""
        models = (sentence, incident)
        weights = json.dumps([m.to_dict() for m in models], sort_keys=True)
        digest = hashlib.sha256(weights.encode("utf-8")).hexdigest()[:10]
        return cls(digest, *models)

    def to_dict(self, about: dict[str, Any]) -> dict[str, Any]:
        return {
            "version": self.version,
            "bits": BITS,
            **about,
            "sentence": self.sentence.to_dict(),
            "incident": self.incident.to_dict(),
        }


@cache
def shipped() -> Models:
    """The model in `data/extractor.json`."""
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    if raw.get("bits") != BITS:
        raise ValueError(f"{DATA.name}: hashed with {raw.get('bits')} bits, the code uses {BITS}")
    return Models(
        str(raw["version"]),
        Linear.from_dict(raw["sentence"]),
        Linear.from_dict(raw["incident"]),
    )
