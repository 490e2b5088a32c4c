"""The rules' incidents before the learned models decide which to keep.

Tests of what the rules read (who did it, when, how many, which type) use this: whether a
one-sentence text is worth an incident is the learned models' call (nlp.learned), tested in
tests/nlp/test_learned.py and by the quality gate, not here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Literal

from nlp import read
from nlp.assemble import candidates
from nlp.text import normalise, tokens
from nlp.victims import casualty_counts, find_count_words, find_groups, find_numbers

if TYPE_CHECKING:
    from nlp.model import Analysis, Incident

# The publication day the tests of what the rules read assume (a Wednesday).
PUB = date(2023, 5, 10)


def rules_incidents(
    text: str,
    language: str,
    published: date | None = None,
    published_precision: Literal["day", "month"] = "day",
) -> list[Incident]:
    reading = read(text, language, published, published_precision)
    found = candidates(
        list(reading.findings),
        reading.text,
        reading.language,
        reading.stand_in,
        reading.places_of,
        reading.actors_of,
    )
    return [c.incident for c in found]


def rule_types(text: str, language: str) -> set[str]:
    """Every type of the rules' incidents in a text published on `PUB`."""
    return {t for i in rules_incidents(text, language, PUB) for t in i.types}


def rules_analysis(
    text: str,
    language: str,
    published: date | None = None,
    *,
    published_precision: Literal["day", "month"] = "day",
) -> Analysis:
    """`nlp.analyse` with the rules' incidents: a stand-in where what is checked is how a caller
    reaches the NLP (the URL's month, say), not whether one sentence is worth an incident."""
    from nlp.model import Analysis

    found = rules_incidents(text, language, published, published_precision)
    kept = None if published_precision != "day" else published
    return Analysis(language, kept, tuple(found), "rules")


def rules_counts(text: str, language: str) -> dict[str, int]:
    """The casualty counts the rules read in one sentence, people named one by one included."""
    toks = tokens(normalise(text))
    return casualty_counts(
        find_count_words(toks, language),
        find_numbers(toks, language, text),
        toks,
        language,
        find_groups(toks, language),
    )
