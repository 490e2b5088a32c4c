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

from nlp.text import PhraseIndex, arabic_stems, fold, with_article

if TYPE_CHECKING:
    from nlp.text import Token

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
    "policy",
    "block",
    "assembly",
    "civilian_object",
    "civil_society_object",
    "combatant",
    "misfortune",
    "hostilities",
    "casualty",
    "suspect",
    "arbitrary",
    "publication",
    "agent",
    "passive_agent",
    "reporting",
    "complementizer",
    "release",
    "coercion",
    "precedent",
    "cause",
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
            for form in with_article(phrase.lower()):
                by_phrase.setdefault(form, []).append(entry)
    for kind, phrases in raw["cues"][language].items():
        if kind not in CUE_KINDS:
            raise ValueError(f"triggers.json: unknown cue kind {kind!r} for {language}")
        for phrase in phrases:
            for form in with_article(phrase.lower()):
                by_phrase.setdefault(form, []).append(Entry(kind))
    if language == "ar":
        # A phrase listed with its clitic ("وقال" as a boundary) would hide, being the closer
        # form, the meanings of its stem ("قال" as a reporting verb): it carries both. Stems
        # are looked up folded, as they are produced: "وأشار" folds to a stem without hamza.
        own: dict[str, list[Entry]] = {}
        for phrase, entries in by_phrase.items():
            own.setdefault(fold(phrase), []).extend(entries)
        for phrase, entries in by_phrase.items():
            if " " not in phrase:
                for form in arabic_stems(fold(phrase))[1:]:
                    entries.extend(own.get(form, ()))
    return PhraseIndex(
        ((phrase, tuple(dict.fromkeys(entries))) for phrase, entries in by_phrase.items()),
        enclitics=language == "ar",
    )


def find_hits(toks: list[Token], language: str) -> list[Hit]:
    """Every trigger and cue in `toks`, in text order, with token positions."""
    return [
        Hit(toks[i].start, toks[j].end, i, j, entries)
        for i, j, _, entries in index(language).spans(toks)
    ]
