"""Cluster candidates into incidents: one event, every source that reports it, in any language.

The hook for the pipeline and for `marsad reanalyse`, called after a document's candidates are
stored (it is idempotent, and cheap when the document has no new candidate):

    incidents.cluster.attach(store: Store, document_id: int) -> list[int]   # incidents touched

`attach_new(store, document_ids)` does it for a batch of documents the crawl has just stored,
and `attach_pending(store)` for every candidate not yet in an incident.

Two candidates describe the same event when their dates overlap within their precision, their
places agree (same gazetteer entry, or within a few kilometres), their types are compatible, and
enough else agrees (shared perpetrators, victims, counts) to reach `MATCH_SCORE`. A candidate is
compared only with incidents that share one of its blocking keys (the weeks, months and years its
dates touch), never with the whole database. Analysts' decisions are never undone: a new source
for an incident already reviewed is attached and marked new; a re-analysed document's candidates
go back to the incidents its earlier candidates supported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from storage import Store

ACTOR = "marsad/cluster"

# A pair of candidates at or above this score is one event (see `score`).
MATCH_SCORE = 4.0
# Places further apart than this are different events whatever else agrees.
FAR_KM = 25.0
NEAR_KM = 10.0
# Reports of one event often disagree by a day ("yesterday" counted from different mornings).
DAY_TOLERANCE = {"day": 1, "week": 2, "month": 0, "year": 0}
PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}

# Types that one event can carry under different names in different reports: a protest dispersed
# with live fire is `repression_of_assembly` to one source and `killing` to another.
COMPATIBLE_GROUPS = (
    frozenset({"killing", "attack_on_civilians", "torture", "repression_of_assembly"}),
    frozenset(
        {
            "arbitrary_detention",
            "enforced_disappearance",
            "torture",
            "attack_on_civil_society",
            "repression_of_assembly",
            "sexual_violence",
            "trafficking",
        }
    ),
    frozenset({"attack_on_civilians", "forced_displacement"}),
    frozenset({"killing", "enforced_disappearance"}),
)
# Categories too generic to say that two reports name the same perpetrator.
WEAK_CATEGORIES = frozenset({"unidentified_armed_men", "unknown", ""})


@dataclass(frozen=True, slots=True)
class Window:
    start: date
    end: date
    precision: str


def window(candidate: dict[str, Any]) -> Window | None:
    start, end = candidate.get("date_start"), candidate.get("date_end")
    if not isinstance(start, date):
        return None
    precision = str(candidate.get("date_precision") or "day")
    if not isinstance(end, date) or end < start:
        end = start
    if end == start and precision in ("month", "year"):
        # A coarse date given as its first day still covers the whole month or year.
        if precision == "year":
            end = date(start.year, 12, 31)
        else:
            following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
            end = following - timedelta(days=1)
    return Window(start, end, precision)


# -- blocking keys -----------------------------------------------------------------------------


def _weeks(start: date, end: date) -> list[str]:
    first, last = start.toordinal() // 7, end.toordinal() // 7
    return [f"w{n}" for n in range(first, last + 1)]


def _months(start: date, end: date) -> list[str]:
    keys, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        keys.append(f"m{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return keys


def _years(start: date, end: date) -> list[str]:
    return [f"y{y:04d}" for y in range(start.year, end.year + 1)]


def index_keys(w: Window) -> list[str]:
    """The keys an incident member is filed under: at its own precision, so a coarse date is
    one key, not every week of a year."""
    if w.precision == "year":
        return _years(w.start, w.end)
    if w.precision == "month" or (w.end - w.start).days > 62:
        return _months(w.start, w.end)
    return _weeks(w.start, w.end)


def lookup_keys(w: Window) -> list[str]:
    """The keys under which any incident whose dates overlap `w` (with tolerance) is filed."""
    pad = timedelta(days=DAY_TOLERANCE.get(w.precision, 0))
    start, end = w.start - pad, w.end + pad
    return _weeks(start, end) + _months(start, end) + _years(start, end)


# -- pairwise comparison -----------------------------------------------------------------------


def _km(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    if None in (a.get("lat"), a.get("lon"), b.get("lat"), b.get("lon")):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _names(c: dict[str, Any]) -> set[str]:
    return {
        str(n).strip().casefold()
        for n in (c.get("location_name"), c.get("location_name_ar"))
        if n and str(n).strip()
    }


def _date_score(a: Window | None, b: Window | None) -> float | None:
    if a is None or b is None:
        return None
    pad = timedelta(days=max(DAY_TOLERANCE.get(a.precision, 0), DAY_TOLERANCE.get(b.precision, 0)))
    if a.start > b.end + pad or b.start > a.end + pad:
        return None
    coarse = max(PRECISION_RANK.get(a.precision, 3), PRECISION_RANK.get(b.precision, 3))
    if coarse == 0:
        return 2.0 if a.start == b.start else 1.5
    return {1: 1.25, 2: 0.5}.get(coarse, 0.25)


def _place_score(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    """None when the places contradict each other."""
    km = _km(a, b)
    if km is not None:
        if km <= 1.0 or _names(a) & _names(b):
            return 2.0
        if km <= NEAR_KM:
            return 1.5
        return None if km > FAR_KM else 0.5
    names_a, names_b = _names(a), _names(b)
    if names_a and names_b:
        return 2.0 if names_a & names_b else None
    if a.get("admin1") and b.get("admin1"):
        return 0.25 if a["admin1"] == b["admin1"] else None
    return 0.0


def _type_score(a: Sequence[str], b: Sequence[str]) -> float | None:
    ta, tb = set(a), set(b)
    if ta & tb:
        return 1.5
    if any(ta & g and tb & g for g in COMPATIBLE_GROUPS):
        return 0.75
    return None


def _perpetrators(c: dict[str, Any]) -> tuple[set[str], set[str]]:
    names, categories = set(), set()
    for p in (c.get("finding") or {}).get("perpetrators") or []:
        if not isinstance(p, dict):
            continue
        for alias in [p.get("name"), *(p.get("aliases") or [])]:
            if isinstance(alias, str) and alias.strip():
                names.add(alias.strip().casefold())
        category = p.get("category")
        if isinstance(category, str) and category not in WEAK_CATEGORIES:
            categories.add(category)
    return names, categories


def _others_score(a: dict[str, Any], b: dict[str, Any]) -> float:
    score = 0.0
    names_a, cats_a = _perpetrators(a)
    names_b, cats_b = _perpetrators(b)
    if names_a & names_b or cats_a & cats_b:
        score += 1.0
    groups_a = {v.get("group") for v in (a.get("finding") or {}).get("victims") or []}
    groups_b = {v.get("group") for v in (b.get("finding") or {}).get("victims") or []}
    if (groups_a & groups_b) - {None}:
        score += 0.25
    for count in ("killed", "injured", "abducted", "detained"):
        if a.get(count) and a.get(count) == b.get(count):
            score += 0.5
            break
    return score


def score(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    """How strongly two candidates look like one event; None when something rules it out."""
    if a.get("document_id") == b.get("document_id"):
        # One analysis already separated the incidents of one document.
        return None
    date_part = _date_score(window(a), window(b))
    if date_part is None:
        return None
    place_part = _place_score(a, b)
    if place_part is None:
        return None
    type_part = _type_score(a.get("types") or [], b.get("types") or [])
    if type_part is None:
        return None
    return date_part + place_part + type_part + _others_score(a, b)


# -- incident summary --------------------------------------------------------------------------


def summarise(members: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The incident's headline fields from its current candidates. Disagreements stay in the
    candidates themselves (see `incidents.claims`); this is only what the queue sorts and shows."""
    if not members:
        raise ValueError("an incident needs at least one candidate")
    counts: dict[str, int] = {}
    for m in members:
        for t in m.get("types") or []:
            counts[t] = counts.get(t, 0) + 1
    types = sorted(counts, key=lambda t: (-counts[t], t))
    dated = [m for m in members if window(m) is not None]
    best_date = min(
        dated,
        key=lambda m: (PRECISION_RANK.get(m.get("date_precision") or "day", 3), -m["confidence"]),
        default=None,
    )
    placed = [m for m in members if _names(m) or m.get("lat") is not None]
    best_place = max(
        placed,
        key=lambda m: (m.get("lat") is not None, m.get("admin1") is not None, m["confidence"]),
        default=None,
    )
    documents = {m["document_id"] for m in members}
    confidence = min(
        0.99, max(float(m["confidence"]) for m in members) + 0.05 * (len(documents) - 1)
    )
    place = best_place or {}
    return {
        "types": types,
        "confidence": round(confidence, 3),
        "date_start": best_date["date_start"] if best_date else None,
        "date_end": (best_date["date_end"] or best_date["date_start"]) if best_date else None,
        "date_precision": best_date["date_precision"] if best_date else None,
        "location_name": place.get("location_name"),
        "location_name_ar": place.get("location_name_ar"),
        "admin1": place.get("admin1"),
        "lat": place.get("lat"),
        "lon": place.get("lon"),
    }


def keys_for(members: Iterable[dict[str, Any]]) -> set[str]:
    keys: set[str] = set()
    for m in members:
        w = window(m)
        if w is not None:
            keys.update(index_keys(w))
    return keys


# -- attaching ---------------------------------------------------------------------------------


def _best(
    candidate: dict[str, Any], members: Sequence[dict[str, Any]], allowed: set[int]
) -> int | None:
    by_incident: dict[int, float] = {}
    for m in members:
        incident = int(m["incident_id"])
        if incident not in allowed:
            continue
        s = score(candidate, m)
        if s is not None and s >= MATCH_SCORE and s > by_incident.get(incident, -1.0):
            by_incident[incident] = s
    if not by_incident:
        return None
    return max(by_incident, key=lambda i: (by_incident[i], -i))


def _attach_one(store: Store, candidate: dict[str, Any], prior: list[int]) -> int:
    w = window(candidate)
    nearby = store.incidents_with_keys(lookup_keys(w)) if w is not None else []
    members = store.member_candidates(sorted(set(nearby) | set(prior)))
    # Incidents already holding another current candidate of this document are other events.
    taken = {int(m["incident_id"]) for m in members if m["document_id"] == candidate["document_id"]}
    incident_id: int | None = None
    if prior:
        # A re-analysed document goes back to the incident its earlier reading supported when the
        # new reading still fits there (or when nothing else of that incident is left to compare).
        for old in prior:
            if old in taken:
                continue
            peers = [m for m in members if m["incident_id"] == old]
            if not peers or _best(candidate, peers, {old}) is not None:
                incident_id = old
                break
    if incident_id is None:
        incident_id = _best(candidate, members, set(nearby) - taken)
    if incident_id is None:
        return store.attach_candidate(
            candidate,
            None,
            summary=summarise([candidate]),
            keys=keys_for([candidate]),
            actor=ACTOR,
            is_new=False,
            reason="no matching incident",
        )
    group = [m for m in members if m["incident_id"] == incident_id] + [candidate]
    status = store.incident_status(incident_id)
    reanalysed = incident_id in prior
    return store.attach_candidate(
        candidate,
        incident_id,
        summary=summarise(group),
        keys=keys_for(group),
        actor=ACTOR,
        # A source is "new" to an analyst only once an analyst has acted on the incident.
        is_new=status != "new" and not reanalysed,
        reason="re-analysis of a supporting document" if reanalysed else "same event",
    )


def attach(store: Store, document_id: int) -> list[int]:
    """Cluster the document's candidates not yet in an incident; the incidents touched."""
    touched: list[int] = []
    # One transaction: the document's candidates join incidents together or not at all, and
    # no other attach reads the clusters half-written.
    with store.transaction():
        candidates = store.unclustered_candidates([document_id])
        if not candidates:
            return touched
        prior = store.incidents_of_superseded(document_id)
        for candidate in candidates:
            touched.append(_attach_one(store, candidate, prior))
        for incident_id in prior:
            if incident_id not in touched:
                refresh(store, incident_id)
    return sorted(set(touched))


def attach_new(store: Store, document_ids: Sequence[int]) -> list[int]:
    """Cluster the candidates of documents stored just now, in order, in one transaction (no
    earlier reading of them supports an incident); the incidents touched."""
    with store.transaction():
        touched = [_attach_one(store, c, []) for c in store.unclustered_candidates(document_ids)]
    return sorted(set(touched))


def attach_pending(store: Store) -> int:
    """Cluster every candidate not yet in an incident (after an upgrade or a bulk load)."""
    documents = sorted({int(c["document_id"]) for c in store.unclustered_candidates()})
    for document_id in documents:
        attach(store, document_id)
    return len(documents)


def refresh(store: Store, incident_id: int) -> None:
    """Recompute an incident's summary from its current candidates (none left: keep it as is)."""
    members = store.member_candidates([incident_id])
    if members:
        store.refresh_incident(incident_id, summary=summarise(members), keys=keys_for(members))


def merge(store: Store, source_id: int, target_id: int, *, actor: str, reason: str | None) -> None:
    """An analyst's merge: `source_id` becomes a duplicate of `target_id`, which gains its
    sources."""
    with store.transaction():
        store.merge_incidents(source_id, target_id, actor=actor, reason=reason)
        refresh(store, target_id)
