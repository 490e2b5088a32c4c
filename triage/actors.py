"""The perpetrator registry as the triage UI shows and filters it: an actor's names in both
languages, its category, the forces it belonged to and the units under it, each with dates.

Everything comes from `nlp.actors` (the registry the NLP names perpetrators by); the queue's
`actor=` and `parent=` filters become `storage.actors.Span`s here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from nlp import actors as registry
from storage.actors import Span

_ARABIC = re.compile(r"[\u0600-\u06ff]")


@dataclass(frozen=True, slots=True)
class Link:
    """Another actor and the dates of the tie ("YYYY", "YYYY-MM" or a day; end None: lasts)."""

    id: str
    name: str
    start: str
    end: str | None


def known(actor_id: str) -> bool:
    return actor_id in registry.registry()


def by_name(name: str) -> str | None:
    """The actor a source's or an analyst's name is one of the names of, if any."""
    wanted = " ".join(name.split()).casefold()
    for actor in registry.registry().values():
        if wanted in (n.casefold() for n in (actor.name, *actor.aliases)):
            return actor.id
    return None


def _first_day(value: str) -> date:
    parts = [int(p) for p in value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _last_day(value: str) -> date:
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 1:
        return date(parts[0], 12, 31)
    year, month = parts[0] + parts[1] // 12, parts[1] % 12 + 1
    return date(year, month, 1) - timedelta(days=1)


def names(actor_id: str) -> tuple[str, ...]:
    """Every name the actor goes by, case-folded: the canonical one the NLP stores and the
    aliases an analyst may have typed in a correction."""
    actor = registry.registry()[actor_id]
    return tuple(dict.fromkeys(n.casefold() for n in (actor.name, *actor.aliases)))


def units(parent_id: str) -> list[Link]:
    """The actors that belonged to `parent_id` at some time, with when."""
    found = [
        Link(actor.id, actor.name, a.start, a.end)
        for actor in registry.registry().values()
        for a in actor.affiliations
        if a.parent == parent_id
    ]
    return sorted(found, key=lambda link: (link.name.casefold(), link.start))


def spans(actor_id: str | None, parent_id: str | None) -> tuple[Span, ...]:
    """The queue's selection for `actor=` (that actor, any date) and `parent=` (the parent, and
    every unit under it, or under its units, while it was)."""
    chosen: list[Span] = []
    if actor_id is not None:
        chosen.append(Span(names(actor_id)))
    if parent_id is not None:
        chosen.append(Span(names(parent_id)))
        # (actor, start, end) to visit; a unit of a unit counts while both ties held.
        todo: list[tuple[str, date | None, date | None]] = [(parent_id, None, None)]
        seen = {parent_id}
        while todo:
            above, start, end = todo.pop()
            for link in units(above):
                # Both ties held: the later start, the earlier end (None: still holds).
                lo = _first_day(link.start)
                if start is not None:
                    lo = max(lo, start)
                ends = [d for d in (end, _last_day(link.end) if link.end else None) if d]
                hi = min(ends) if ends else None
                if hi is not None and hi < lo:
                    continue
                chosen.append(Span(names(link.id), lo, hi))
                if link.id not in seen:
                    seen.add(link.id)
                    todo.append((link.id, lo, hi))
    return tuple(chosen)


def profile(actor_id: str) -> dict[str, Any]:
    """What the actor page shows of the registry entry."""
    actor = registry.registry()[actor_id]
    spec: dict[str, Any] = next((s for s in registry.data()["actors"] if s["id"] == actor_id), {})
    everyone = registry.registry()
    aliases = list(dict.fromkeys(actor.aliases))
    inter = spec.get("inter")
    return {
        "id": actor.id,
        "name": actor.name,
        "name_ar": spec.get("name_ar"),
        "category": actor.category,
        "inter": inter,
        "inter_label": registry.data().get("inter_codes", {}).get(str(inter)),
        "generic": actor.generic,
        "aliases_ar": [a for a in aliases if _ARABIC.search(a)],
        "aliases_en": [a for a in aliases if not _ARABIC.search(a)],
        "parents": [
            Link(
                a.parent,
                everyone[a.parent].name if a.parent in everyone else a.parent,
                a.start,
                a.end,
            )
            for a in actor.affiliations
        ],
        "units": units(actor_id),
        "area": list(spec.get("area") or []),
        "sources": list(spec.get("sources") or []),
    }


def listing() -> list[dict[str, Any]]:
    """Every actor, by category then name, with its Arabic name and how many units it has."""
    counted: dict[str, int] = {}
    for actor in registry.registry().values():
        for parent in actor.parents:
            counted[parent] = counted.get(parent, 0) + 1
    specs = {s["id"]: s for s in registry.data()["actors"]}
    return sorted(
        (
            {
                "id": a.id,
                "name": a.name,
                "name_ar": specs.get(a.id, {}).get("name_ar"),
                "category": a.category,
                "units": counted.get(a.id, 0),
            }
            for a in registry.registry().values()
        ),
        key=lambda a: (a["category"], a["name"].casefold()),
    )
