"""nlp: find human-rights incidents in Arabic and English news text.

`analyse(text, language, published)` is pure: text in, incidents out, no I/O beyond the
package's own data files, no network, the same answer every time. The steps:

1. normalise the text (offsets kept) and find violation triggers and context cues in one pass
   (nlp.triggers); a text without a trigger stops here, which is most of what a crawl brings;
2. per sentence with a trigger, decide from its context whether it reports an event, and read
   its places, dates, actors, victims and counts (nlp.context, nlp.findings);
3. group the findings into incidents with a confidence and evidence sentences (nlp.assemble).
"""

from __future__ import annotations

import calendar
import json
from bisect import bisect_left, bisect_right
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from nlp import actors, triggers, victims
from nlp.model import Analysis, DateRange

if TYPE_CHECKING:
    from datetime import date

    from nlp.places import PlaceMention

__all__ = ["Analysis", "__version__", "analyse", "version"]

# Bump CODE_VERSION when the rules change; data versions are appended so that a change to a
# lexicon also makes stored candidates stale.
CODE_VERSION = "1.1.0"
# Scraped text is hostile: a "sentence" of thousands of trigger words would make the context
# checks, which compare the phrases of a sentence pairwise, quadratic. No real sentence comes
# near this many.
MAX_HITS_PER_SENTENCE = 120


@cache
def version() -> str:
    """The version stored with every candidate: the rules' version and each data file's."""
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
    from nlp.assemble import assemble
    from nlp.findings import Sentence, build, libyan_places
    from nlp.text import normalise, sentences, tokens

    lang = language.split("-")[0].lower()
    stand_in = _publication(published, published_precision)
    month = published if published_precision == "month" else None
    if published_precision != "day":
        published = None
    empty = Analysis(language, published, (), version())
    if lang not in triggers.LANGUAGES or not text:
        return empty
    toks = tokens(normalise(text))
    hits = triggers.find_hits(toks, lang)
    if not any(h.triggers for h in hits):
        return empty

    spans = sentences(text)
    token_starts = [t.start for t in toks]
    hit_starts = [h.start for h in hits]
    sents: list[Sentence] = []
    findings = []
    for i, (s, e) in enumerate(spans):
        lo, hi = bisect_left(hit_starts, s), bisect_right(hit_starts, e - 1)
        sent = Sentence(
            i,
            s,
            e,
            bisect_left(token_starts, s),
            bisect_left(token_starts, e),
            hits[lo : min(hi, lo + MAX_HITS_PER_SENTENCE)],
        )
        sents.append(sent)
        if any(h.triggers for h in sent.hits):
            finding = build(sent, text, toks, lang, published or month, month_only=bool(month))
            if finding is not None:
                findings.append(finding)
    if not findings:
        return empty

    @cache
    def places_of(i: int) -> list[PlaceMention]:
        return libyan_places(text, spans[i][0], spans[i][1], lang)

    incidents = assemble(findings, text, stand_in, places_of)
    return Analysis(language, published, tuple(incidents), version())


def _publication(published: date | None, precision: str) -> DateRange | None:
    """The date range a publication date stands for when a text states no date of its own."""
    if published is None:
        return None
    if precision == "month":
        last = calendar.monthrange(published.year, published.month)[1]
        first = published.replace(day=1)
        return DateRange(first, first.replace(day=last), "month", from_publication=True)
    return DateRange(published, published, "day", from_publication=True)
