"""nlp: find human-rights incidents in Arabic and English news text.

`analyse(text, language, published)` is pure: text in, incidents out, no I/O beyond the
package's own data files, no network, the same answer every time. The steps:

1. normalise the text (offsets kept) and find violation triggers and context cues in one pass
   (nlp.triggers); a text without a trigger stops here, which is most of what a crawl brings;
2. per sentence with a trigger, decide from its context whether it reports an event, and read
   its places, dates, actors, victims and counts (nlp.context, nlp.findings) — steps 1 and 2
   are `read`;
3. `decide`: the learned models (nlp.learned) keep the sentences that report an event, the
   rules group them into candidate incidents with evidence sentences (nlp.assemble), and the
   models keep the candidates that are incidents, with their probability as confidence.
"""

from __future__ import annotations

import calendar
import json
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from nlp import actors, clauses, triggers, victims
from nlp.model import Analysis, DateRange

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from nlp.agents import DocumentActors
    from nlp.assemble import Candidate
    from nlp.findings import Finding
    from nlp.learned import Features, Linear, Models
    from nlp.places import PlaceMention

__all__ = ["Analysis", "Reading", "__version__", "analyse", "decide", "propose", "read", "version"]

# Bump CODE_VERSION when the rules change; data versions are appended so that a change to a
# lexicon also makes stored candidates stale.
CODE_VERSION = "2.13.2"
# Scraped text is hostile: a "sentence" of thousands of trigger words would make the context
# checks, which compare the phrases of a sentence pairwise, quadratic. No real sentence comes
# near this many.
MAX_HITS_PER_SENTENCE = 120


def version() -> str:
    """The version stored with every candidate: the rules', each data file's, the models'."""
    from nlp.learned import shipped

    return f"{_rules_version()}+extractor.{shipped().version}"


@cache
def _rules_version() -> str:
    from nlp import places

    # The month names and the gazetteer are data too: a new edition can change what is found.
    months = json.loads((Path(__file__).parent / "data" / "months.json").read_text("utf-8"))
    return (
        f"{CODE_VERSION}"
        f"+triggers.{triggers.version()}"
        f"+actors.{actors.version()}"
        f"+victims.{victims.version()}"
        f"+months.{months.get('_version', 0)}"
        f"+gazetteer.{places.version()}"
    )


def __getattr__(name: str) -> str:
    # Computed on first use: reading the gazetteer's edition loads the gazetteer.
    if name == "__version__":
        return version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def analyse(
    text: str,
    language: str,
    published: date | None = None,
    *,
    published_precision: Literal["day", "month"] = "day",
) -> Analysis:
    """The incidents `text` reports. `language` is an ISO 639-1 code ("ar", "en", "ar-LY").

    `published` is the publication date. When only its month is known (a /2019/12/ permalink),
    pass that month's first day with `published_precision="month"`: relative dates ("Tuesday",
    "أمس") then stay unresolved and an undated incident is dated to the month.
    """
    from nlp.learned import shipped

    return decide(read(text, language, published, published_precision), shipped())


@dataclass(frozen=True, slots=True)
class Reading:
    """What the rules read in a document, before the learned models decide (see `decide`)."""

    language: str
    published: date | None  # the publication day, None when unknown or only its month is
    text: str
    stand_in: DateRange | None  # the date of an incident whose text states none
    findings: tuple[Finding, ...]
    features: tuple[Features | None, ...]  # the sentence model's, per finding with types
    places_of: Callable[[int], list[PlaceMention]]
    # Where the whole document names actors, read from its tokens only when an incident asks.
    actors_of: Callable[[], DocumentActors] | None = None


def read(
    text: str,
    language: str,
    published: date | None = None,
    published_precision: Literal["day", "month"] = "day",
) -> Reading:
    """Steps 1 and 2 of `analyse`: the rules' findings per sentence, with their features."""
    from nlp.agents import document_actors
    from nlp.findings import Sentence, build, libyan_places, opens_precedent
    from nlp.learned import sentence_features
    from nlp.text import normalise, sentences, tokens

    lang = language.split("-")[0].lower()
    stand_in = _publication(published, published_precision)
    month = published if published_precision == "month" else None
    if published_precision != "day":
        published = None
    empty = Reading(language, published, text, stand_in, (), (), _no_places)
    if lang not in triggers.LANGUAGES or not text:
        return empty
    toks = tokens(normalise(text))
    hits = triggers.find_hits(toks, lang)
    if not any(h.triggers for h in hits):
        return empty

    spans = sentences(text)
    token_starts = [t.start for t in toks]
    hit_starts = [h.start for h in hits]
    findings = []
    features: list[Features | None] = []
    # "This is not the first time." tells the next sentence's acts as a precedent of the news.
    lead_in = False
    for i, (start, end) in enumerate(spans):
        lo, hi = bisect_left(hit_starts, start), bisect_right(hit_starts, end - 1)
        acts = [h.start for h in hits[lo:hi] if h.triggers]
        if not acts:
            lead_in = opens_precedent(hits[lo:hi])
            continue
        after_precedent, lead_in = lead_in, False
        # A sentence telling a second act dated against the first is read clause by clause.
        for s, e in clauses.split(text, start, end, lang, acts):
            lo, hi = bisect_left(hit_starts, s), bisect_right(hit_starts, e - 1)
            sent = Sentence(
                i,
                s,
                e,
                bisect_left(token_starts, s),
                bisect_left(token_starts, e),
                hits[lo : min(hi, lo + MAX_HITS_PER_SENTENCE)],
            )
            finding = build(
                sent,
                text,
                toks,
                lang,
                published or month,
                month_only=bool(month),
                after_precedent=after_precedent,
            )
            if finding is not None:
                if s > start and clauses.told_before(text, s, lang):
                    finding.background = True
                findings.append(finding)
                features.append(
                    sentence_features(finding, sent, toks, lang, published)
                    if finding.types
                    else None
                )

    @cache
    def places_of(i: int) -> list[PlaceMention]:
        return libyan_places(text, spans[i][0], spans[i][1], lang)

    @cache
    def actors_of() -> DocumentActors:
        return document_actors(toks)

    return Reading(
        language, published, text, stand_in, tuple(findings), tuple(features), places_of, actors_of
    )


def propose(reading: Reading, sentence: Linear) -> list[tuple[Candidate, Features]]:
    """The candidates grouped from the sentences the sentence model keeps, each with the
    incident model's features."""
    from nlp.assemble import candidates
    from nlp.learned import incident_features

    p_of = {
        id(f): sentence.probability(x) if x is not None else 1.0
        for f, x in zip(reading.findings, reading.features, strict=True)
    }
    kept = [f for f in reading.findings if not f.types or p_of[id(f)] >= sentence.threshold]

    found = candidates(
        kept,
        reading.text,
        reading.language,
        reading.stand_in,
        reading.places_of,
        reading.actors_of,
    )
    out = []
    for c in found:
        others = [o.incident for o in found if o is not c]
        ps = [p_of[id(f)] for f in c.findings if f.types]
        x = incident_features(
            c.incident, c.findings, ps, others, reading.published, c.confidence, c.concrete
        )
        out.append((c, x))
    return out


def decide(reading: Reading, models: Models) -> Analysis:
    """Step 3 of `analyse`: the learned models keep the sentences that report an event, the
    rules group them into candidates (nlp.assemble), the models keep the candidates that are
    incidents, with their probability as confidence."""
    incidents = []
    for c, x in propose(reading, models.sentence):
        p = models.incident.probability(x)
        if p >= models.incident.threshold:
            incidents.append(replace(c.incident, confidence=round(p, 3)))
    stamp = f"{_rules_version()}+extractor.{models.version}"
    return Analysis(reading.language, reading.published, tuple(incidents), stamp)


def _no_places(_: int) -> list[PlaceMention]:
    return []


def _publication(published: date | None, precision: str) -> DateRange | None:
    """The date range a publication date stands for when a text states no date of its own."""
    if published is None:
        return None
    if precision == "month":
        last = calendar.monthrange(published.year, published.month)[1]
        first = published.replace(day=1)
        return DateRange(first, first.replace(day=last), "month", from_publication=True)
    return DateRange(published, published, "day", from_publication=True)
