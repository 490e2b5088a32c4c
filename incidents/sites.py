"""What clustering knows of a candidate's place beyond its name and point: the gazetteer's kind
of place (a neighbourhood, a detention centre, a town), the town a facility belongs to, and the
places its evidence names in the sentence that names its own ("the Qalaa district of Murzuq").

A stored candidate keeps the place's names and coordinates, not its gazetteer entry; the entry
is found again by reading the name as the NLP reads it, and kept only when its point is the
candidate's (a name two places share is then not mistaken for the other one).
"""

from __future__ import annotations

import math
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nlp.places import Place

# Places small enough that two reports of one kind of act there within days are one event.
SPECIFIC_KINDS = frozenset(
    {"neighbourhood", "village", "detention_centre", "prison", "airport", "border_crossing"}
)
# How far the candidate's point may be from the entry found by its name (rounding).
SAME_POINT_KM = 1.0
# Evidence read for the places named beside the candidate's own: enough for the candidates
# one crawl batch compares, bounded for a long-running service.
EVIDENCE_CACHE = 4096


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, l1, p2, l2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


@cache
def _entry(name: str, language: str, lat: float, lon: float) -> Place | None:
    from nlp.places import find_places

    # A locative cue, as in running text: some names are read only after one.
    cue = "في " if language == "ar" else "in "
    for mention in find_places(cue + name, language):
        if (
            mention.start == len(cue)
            and mention.end == len(cue) + len(name)
            and _km(lat, lon, mention.place.lat, mention.place.lon) <= SAME_POINT_KM
        ):
            return mention.place
    return None


def place_of(candidate: dict[str, Any]) -> Place | None:
    """The gazetteer entry of the candidate's place, or None (no place, no point, or a name
    and point the gazetteer does not hold together)."""
    lat, lon = candidate.get("lat"), candidate.get("lon")
    if lat is None or lon is None:
        return None
    for key, language in (("location_name", "en"), ("location_name_ar", "ar")):
        name = candidate.get(key)
        if isinstance(name, str) and name.strip():
            found = _entry(name.strip(), language, round(float(lat), 4), round(float(lon), 4))
            if found is not None:
                return found
    return None


def within(a: Place | None, b: Place | None) -> bool:
    """Is one of the two places part of the other (a detention centre and its town)?"""
    if a is None or b is None:
        return False
    return a.parent == b.id or b.parent == a.id


def town_names(candidate: dict[str, Any]) -> set[str]:
    """The names, casefolded, of the town the candidate's neighbourhood or facility belongs to
    (Tripoli for Mitiga airport); none for a town or an unknown place."""
    from nlp.places import place_by_id

    own = place_of(candidate)
    town = place_by_id(own.parent) if own is not None and own.parent else None
    if town is None:
        return set()
    return {n.strip().casefold() for n in (town.name, town.name_ar) if n and n.strip()}


def same_specific(a: Place | None, b: Place | None) -> bool:
    """Are both the same small place (a neighbourhood, a facility, a village)?"""
    return a is not None and b is not None and a.id == b.id and a.kind in SPECIFIC_KINDS


def _evidence(candidate: dict[str, Any]) -> tuple[str, ...]:
    found = (candidate.get("finding") or {}).get("evidence") or []
    return tuple(e["text"] for e in found if isinstance(e, dict) and isinstance(e.get("text"), str))


@lru_cache(maxsize=EVIDENCE_CACHE)
def _beside(own: str, sentences: tuple[str, ...]) -> frozenset[str]:
    from nlp.places import find_places

    named: set[str] = set()
    for sentence in sentences:
        # `find_places` reads names in both scripts whatever the language it is given.
        ids = {m.place.id for m in find_places(sentence, "en")}
        if own in ids:
            named |= ids - {own}
    return frozenset(named)


def beside(candidate: dict[str, Any]) -> frozenset[str]:
    """The gazetteer ids of the other places named in the candidate's evidence sentences that
    name its own place: "the Qalaa district of the town of Murzuq" gives Murzuq to a candidate
    placed at Qalaa, where the gazetteer has no link between them or holds a namesake."""
    own = place_of(candidate)
    if own is None:
        return frozenset()
    return _beside(own.id, _evidence(candidate))


def named_together(a: dict[str, Any], b: dict[str, Any]) -> Place | None:
    """The place of one candidate that the other's evidence names beside its own place."""
    place_a, place_b = place_of(a), place_of(b)
    if place_a is None or place_b is None:
        return None
    if place_b.id in beside(a):
        return place_b
    if place_a.id in beside(b):
        return place_a
    return None
