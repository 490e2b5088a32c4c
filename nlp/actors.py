"""The perpetrator registry (`data/actors.json`): who is named as having done something.

The registry is compiled by `tools/build_actor_registry.py` from the cited table
`tools/actor_registry.toml`. Each actor has a category code and English and Arabic aliases; an
alias found in the text names the actor, longest alias first, so "جهاز دعم الاستقرار" is the
Stability Support Apparatus and not a bare "apparatus", and "قوة الردع والتدخل المشتركة
أبوسليم" is a Tripoli unit, not the Abu Salim district. Generic entries (armed men, militias,
security forces) are actors too, because that is how most reports name perpetrators.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlp.model import ACTOR_CATEGORIES, Perpetrator
from nlp.text import PhraseIndex

if TYPE_CHECKING:
    from datetime import date

    from nlp.text import Token

DATA = Path(__file__).parent / "data" / "actors.json"


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    category: str
    aliases: tuple[str, ...]
    generic: bool  # "armed men", "militias": says what kind, not who
    # The forces it has belonged to, each with its dates: "the 106th Brigade of Haftar's
    # forces" names one perpetrator, the unit.
    affiliations: tuple[Affiliation, ...] = ()

    @property
    def parents(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.parent for a in self.affiliations))

    def parents_on(self, day: date | None) -> tuple[str, ...]:
        """The forces it belonged to on `day` (all of them when the day is unknown): a brigade
        under the Interior Ministry one year may be under the Presidential Council the next."""
        return tuple(
            dict.fromkeys(a.parent for a in self.affiliations if day is None or a.holds(day))
        )

    def perpetrator(self) -> Perpetrator:
        return Perpetrator(self.name, self.category, self.aliases)


@dataclass(frozen=True, slots=True)
class Affiliation:
    parent: str  # registry id
    start: str  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    end: str | None  # same forms; None while it lasts

    def holds(self, day: date) -> bool:
        """Is `day` within the range, each end read at its own precision ("2019" ends with
        2019)?"""
        iso = day.isoformat()
        return iso[: len(self.start)] >= self.start and (
            self.end is None or iso[: len(self.end)] <= self.end
        )


@dataclass(frozen=True, slots=True)
class ActorMention:
    actor: Actor
    start: int  # original offsets
    end: int
    first: int  # token indices
    last: int


@cache
def data() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return loaded


def version() -> str:
    return str(data()["version"])


@cache
def registry() -> dict[str, Actor]:
    actors: dict[str, Actor] = {}
    for spec in data()["actors"]:
        if spec["category"] not in ACTOR_CATEGORIES:
            raise ValueError(f"actor {spec['id']}: unknown category {spec['category']}")
        actors[spec["id"]] = Actor(
            spec["id"],
            spec["name"],
            spec["category"],
            tuple(spec["aliases"]),
            bool(spec.get("generic", False)),
            tuple(Affiliation(p["id"], p["from"], p["to"]) for p in spec.get("parents", ())),
        )
    return actors


@cache
def by_name() -> dict[str, Actor]:
    """Actors by their canonical name, case-folded: how stored findings name them."""
    return {a.name.casefold(): a for a in registry().values()}


@cache
def _index() -> PhraseIndex[Actor]:
    # One index for both languages: English names appear in Arabic text and the reverse.
    return PhraseIndex((alias, actor) for actor in registry().values() for alias in actor.aliases)


def find_actors(toks: list[Token], offset: int = 0) -> list[ActorMention]:
    """Actors named in `toks`; token indices count from `offset`."""
    return [
        ActorMention(actor, toks[i].start, toks[j].end, i + offset, j + offset)
        for i, j, _, actor in _index().spans(toks)
    ]
