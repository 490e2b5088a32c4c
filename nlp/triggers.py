"""Violation triggers and context cues, from `data/triggers.json`, found in one pass over a text.

Triggers and cues share one phrase index so that a longer phrase wins over a trigger inside it:
"Committee against Torture" (a block phrase) hides "torture", "arrest warrant" hides "arrest".
A phrase may carry several meanings at once ("killed" is a killing trigger and a casualty cue),
so each phrase maps to a tuple of entries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlp.text import PhraseIndex

if TYPE_CHECKING:
    from nlp.text import Match, Token

DATA = Path(__file__).parent / "data" / "triggers.json"
LANGUAGES = ("en", "ar")
CUE_KINDS = (
    "negation",
    "denial",
    "hypothetical",
    "call",
    "general",
    "mandate",
    "legal",
    "block",
    "assembly",
    "civilian_object",
    "combatant",
    "casualty",
    "suspect",
    "arbitrary",
    "publication",
    "boundary",
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One meaning of a phrase: a trigger (`kind == "trigger"`) or a cue of some kind."""

    kind: str
    type: str = ""
    strength: int = 0
    needs: str = ""
    tag: str = ""


@dataclass(frozen=True, slots=True)
class Hit:
    """A phrase found in the text: original offsets, token span, meanings."""

    start: int
    end: int
    first: int  # index of its first token
    last: int  # index of its last token
    entries: tuple[Entry, ...]

    def has(self, kind: str) -> bool:
        return any(e.kind == kind for e in self.entries)

    @property
    def triggers(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.kind == "trigger")


@cache
def data() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return loaded


def version() -> str:
    return str(data()["version"])


@cache
def index(language: str) -> PhraseIndex[tuple[Entry, ...]]:
    """The phrase index of triggers and cues for `language` ("en" or "ar")."""
    raw = data()
    by_phrase: dict[str, list[Entry]] = {}
    for spec in raw["triggers"][language]:
        entry = Entry(
            "trigger",
            spec["type"],
            int(spec["strength"]),
            spec.get("needs", ""),
            spec.get("tag", ""),
        )
        for phrase in spec["phrases"]:
            by_phrase.setdefault(phrase.lower(), []).append(entry)
    for kind, phrases in raw["cues"][language].items():
        for phrase in phrases:
            by_phrase.setdefault(phrase.lower(), []).append(Entry(kind))
    return PhraseIndex(
        ((phrase, tuple(entries)) for phrase, entries in by_phrase.items()),
        enclitics=language == "ar",
    )


def find_hits(toks: list[Token], language: str) -> list[Hit]:
    """Every trigger and cue in `toks`, in text order, with token positions."""
    first_of = {t.start: i for i, t in enumerate(toks)}
    last_of = {t.end: i for i, t in enumerate(toks)}
    return [_hit(m, first_of, last_of) for m in index(language).iter_matches(toks)]


def _hit(m: Match[tuple[Entry, ...]], first_of: dict[int, int], last_of: dict[int, int]) -> Hit:
    return Hit(m.start, m.end, first_of[m.start], last_of[m.end], m.value)
