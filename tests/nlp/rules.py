"""The rules' incidents before the learned models decide which to keep.

Tests of what the rules read (who did it, when, how many, which type) use this: whether a
one-sentence text is worth an incident is the learned models' call (nlp.learned), tested in
tests/nlp/test_learned.py and by the quality gate, not here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from nlp import read
from nlp.assemble import candidates

if TYPE_CHECKING:
    from datetime import date

    from nlp.model import Incident


def rules_incidents(
    text: str,
    language: str,
    published: date | None = None,
    published_precision: Literal["day", "month"] = "day",
) -> list[Incident]:
    reading = read(text, language, published, published_precision)
    found = candidates(list(reading.findings), reading.text, reading.stand_in, reading.places_of)
    return [c.incident for c in found]
