"""Cluster candidates into incidents: one event, every source that reports it, in any language.

The hook for the pipeline and for `marsad reanalyse`, called after a document's candidates are
stored (it is idempotent, and cheap when the document has no new candidate):

    incidents.cluster.attach(store: Store, document_id: int) -> list[int]   # incidents touched

`attach_new(store, document_ids)` does it for a batch of documents the crawl has just stored,
`attach_pending(store)` for every candidate not yet in an incident, and `rekey(store)` re-files
every incident under the blocking keys of the current rules.

Two candidates describe the same event when their dates overlap within their precision, their
places agree (same gazetteer entry, within a few kilometres, or a facility or neighbourhood and
its town: `incidents.sites`; or, within a day and with the same named perpetrator or count, a
place one report's own sentence names beside its place), their types are compatible, and enough
else agrees (shared perpetrators, victims, counts) to reach `MATCH_SCORE`. A shared type that
only says the victims were civil society (`OVERLAY_TYPES`) is not the same act. Perpetrators are
compared by the registry's canonical names, which an Arabic and an English report share, and a
generic one ("armed men"), or a kind of actor named by the act's own town ("Tripoli militias" in
Tripoli), says little; counts agree when equal, or when both are large and within a tenth of
each other ("43 killed", "46 died"). Strong agreement (the same or a nearby
place, and the same named perpetrator or the same count; or, for a day or a month, the same
camp, prison or neighbourhood with the same type, or the same official, journalist or doctor
victims in the same place) lets more through: dates two days apart (reporting lag, or an undated
report stamped with its publication date), a month (a year only on a named perpetrator or a
count) that contains the other's day. Without it, a coarse date joins nothing, and a day apart
in a neighbouring place is another event. No date at all (the report has no publication date
either) needs the same place and type, the other dated closer than a year, and the same named
perpetrator (or a unit of the other's force at the other's date, with the same few victims or
toll too), the same toll of one kind of victims, or the same kinds of perpetrator and victims
("an armed group against protesters") with the same two acts or more; a day and month its
text gives without a year ("16 February", `day_month`) then rules out another month and counts
as a date does, in the year that brings the two together. A dated report joins an incident
only when no report of it rules out its date: one dated apart, or an undated one whose page was
published before the event began (a precedent told as background in a 2019 report is not a
2023 event); and an undated report on a dated page joins no incident of an event that began
after its page was published, so that which of them came first does not decide. A candidate is
compared only with incidents that share one of its blocking keys (the weeks, months and years
its dates touch; for an undated one, its named perpetrators, its tolls and its kinds of
perpetrator and victims, in its place; a dated one also finds the undated reports filed under
those), never with the whole database. Clustering is in arrival order, so when a dated report
joins an incident, the earlier reports it also matches that are still alone in their incidents
are read again: one that now joins this incident is merged into it (a later report that joins
two earlier ones), with why in both histories. Likewise an undated report that joined another
incident before a dated report arrived, and matches that report better than anything left
where it is, moves to the dated report's incident (only from an incident that clustering alone
has handled, and only when what stays there is still one event): where a report with no date
ends should not depend on which reports came first. A document's candidates are different
events: they join in the order of how well each matches, so that a weak match does not keep a
sibling out of the incident it matches better. Analysts' decisions are never undone: an
incident an analyst has acted on is never merged away nor loses a report, and an analyst's
unmerge stays; a new source for an incident already reviewed is attached (or merged) and marked
new; a re-analysed document's candidates go back to the incidents its earlier candidates
supported. Each join's reason is written to the incident's history (`explain`).
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from incidents import sites
from nlp.model import DayMonth

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
# ...and by one more when the rest agrees strongly: a report filed a day or two later that
# gives no date of its own is dated by its publication.
STRONG_LAG = 1
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
# A type that says who the victims were (journalists, activists, lawyers), on top of the act
# done to them (as `nlp.assemble` reads it): a lawyer's killing and an activist's abduction
# share it and are two events.
OVERLAY_TYPES = frozenset({"attack_on_civil_society"})
# Victim groups few enough that two reports of one kind of act against one of them, in one
# place and one month, tell one event.
FEW_VICTIMS = frozenset({"officials", "journalists", "medical_workers"})
# Victim groups too broad to tell one event by (every shelling hits civilians, women, children).
BROAD_VICTIMS = frozenset({"civilians", "women", "children"})
# A toll this high, of one kind of victim, names an undated report's event as a named
# perpetrator does ("six migrants shot dead in Tripoli"); a toll of one is every killing.
NAMING_TOLL = 2
COUNTS = ("killed", "injured", "abducted", "detained")
# Tolls this high that differ by this share or less are one count told twice: reports of one
# massacre give "43 killed" and "46 died" as the toll grows, while tolls of ten or more in one
# place within two days are rare outside one event.
LARGE_TOLL = 10
TOLL_SPREAD = 0.1
# The mark of the keys an undated member is filed under beside its actor keys.
UNDATED = "u"
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


def day_month(candidate: dict[str, Any]) -> DayMonth | None:
    """The day and month an undated candidate's text gives without a year, if any."""
    month, first, last = (candidate.get(f"yearless_{k}") for k in ("month", "first", "last"))
    if not (isinstance(month, int) and 1 <= month <= 12 and isinstance(first, int) and first > 0):
        return None
    return DayMonth(month, first, last if isinstance(last, int) and last >= first else first)


def _in_year(told: DayMonth, year: int) -> Window:
    end = calendar.monthrange(year, told.month)[1]
    return Window(
        date(year, told.month, min(told.first, end)),
        date(year, told.month, min(told.last, end)),
        "day",
    )


def _placed(told: DayMonth, other: Window) -> Window:
    """The days in the year that puts them nearest `other`: the year the event would have if
    the two reports were one."""

    def gap(w: Window) -> int:
        return max(0, (w.start - other.end).days, (other.start - w.end).days)

    years = range(other.start.year - 1, other.end.year + 2)
    return min((_in_year(told, y) for y in years), key=gap)


def _as_dated(a: dict[str, Any], b: dict[str, Any]) -> tuple[Window, Window] | None:
    """Both candidates' dates when one or both give only a day and a month ("16 February" on
    an undated page), that day placed in the year nearest the other's date (a leap year for
    two day-months); None when one of them has neither."""
    wa, wb = window(a), window(b)
    told_a = day_month(a) if wa is None else None
    told_b = day_month(b) if wb is None else None
    if told_a is None and told_b is None:
        return None
    if (wa is None and told_a is None) or (wb is None and told_b is None):
        return None
    if wa is None and wb is None:
        assert told_a is not None and told_b is not None
        wa = _in_year(told_a, 2000)
    if wb is None:
        assert told_b is not None and wa is not None
        return wa, _placed(told_b, wa)
    assert told_a is not None
    return _placed(told_a, wb), wb


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
    pad = timedelta(days=DAY_TOLERANCE.get(w.precision, 0) + STRONG_LAG)
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


def _tolls(c: dict[str, Any]) -> set[str]:
    return {
        f"{kind}={c[kind]}"
        for kind in COUNTS
        if isinstance(c.get(kind), int) and c[kind] >= NAMING_TOLL
    }


def _victims(c: dict[str, Any]) -> set[str]:
    found = (c.get("finding") or {}).get("victims") or []
    return {str(v["group"]) for v in found if isinstance(v, dict) and v.get("group")}


def actor_keys(c: dict[str, Any]) -> list[str]:
    """An undated candidate's keys: each named perpetrator (and the forces it then belonged to;
    undated, every force it ever belonged to, the one meant being decided against a dated
    report), and each toll of `NAMING_TOLL` or more, in each of its place's names (what strong
    agreement needs anyway), so it is compared with few incidents, not with a city. A
    neighbourhood's or a facility's report is filed under its town's names too: an undated
    arrest at Mitiga airport is a dated one's in Tripoli (dv-a-011 and dv-c-007)."""
    w = window(c)
    actors = sorted(_named(c) | _parents(c, w.start if w is not None else None))
    places = sorted(_names(c) | sites.town_names(c))
    return (
        [f"a{actor}@{place}" for actor in actors for place in places]
        + [f"c{toll}@{place}" for toll in sorted(_tolls(c)) for place in places]
        + [f"k{kind}@{place}" for kind in sorted(_kinds(c)) for place in places]
    )


def _same_acts(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two acts or more in common, and one report's acts all among the other's."""
    acts_a = set(a.get("types") or []) - OVERLAY_TYPES
    acts_b = set(b.get("types") or []) - OVERLAY_TYPES
    return len(acts_a & acts_b) >= 2 and (acts_a <= acts_b or acts_b <= acts_a)


def _kinds(c: dict[str, Any]) -> set[str]:
    """Each kind of perpetrator with each kind of victim, both telling: "traffickers/migrants"."""
    categories = {str(p.get("category")) for p in _perpetrators(c)} - WEAK_CATEGORIES
    return {f"{k}/{v}" for k in categories for v in _victims(c) - BROAD_VICTIMS}


def _same_toll_and_victims(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """The same toll of the same kind of victims: what names an undated report's event when it
    names no perpetrator."""
    return bool(_tolls(a) & _tolls(b)) and bool((_victims(a) & _victims(b)) - BROAD_VICTIMS)


def _date_score(a: Window, b: Window, *, strong: bool) -> float | None:
    lag = STRONG_LAG if strong else 0
    pad = timedelta(
        days=max(DAY_TOLERANCE.get(a.precision, 0), DAY_TOLERANCE.get(b.precision, 0)) + lag
    )
    if a.start > b.end + pad or b.start > a.end + pad:
        return None
    coarse = max(PRECISION_RANK.get(a.precision, 3), PRECISION_RANK.get(b.precision, 3))
    if coarse == 0:
        apart = abs((a.start - b.start).days)
        return 2.0 if apart == 0 else 1.5 if apart == 1 else 1.0
    return {1: 1.25, 2: 0.5}.get(coarse, 0.25)


def _undated_inside(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Is the undated one of the two placed at a small place inside the dated one's town?"""
    undated, dated = (a, b) if window(a) is None else (b, a)
    if window(dated) is None:
        return False
    small, town = sites.place_of(undated), sites.place_of(dated)
    return (
        small is not None
        and town is not None
        and small.kind in sites.SPECIFIC_KINDS
        and small.parent == town.id
    )


def _place_score(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    """None when the places contradict each other."""
    km = _km(a, b)
    if km is not None:
        if km <= 1.0 or _names(a) & _names(b):
            return 2.0
        if km <= NEAR_KM or sites.within(sites.place_of(a), sites.place_of(b)):
            # A neighbourhood or a facility and its town: a big city's quarters lie further
            # from its centre point than NEAR_KM.
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
    if (ta & tb) - OVERLAY_TYPES or ta == tb:
        return 1.5
    if any(ta & g and tb & g for g in COMPATIBLE_GROUPS):
        return 0.75
    return None


def _perpetrators(c: dict[str, Any]) -> list[dict[str, Any]]:
    found = (c.get("finding") or {}).get("perpetrators") or []
    return [p for p in found if isinstance(p, dict) and isinstance(p.get("name"), str)]


def _named(c: dict[str, Any]) -> set[str]:
    """Perpetrators the registry names (canonical, so an Arabic and an English report agree),
    less those that only say what kind of actor ("armed men", "militias")."""
    generic = _generic_names()
    places = _names(c)
    return {
        name
        for p in _perpetrators(c)
        if (name := p["name"].strip().casefold()) not in generic
        and p.get("category") not in WEAK_CATEGORIES
        and not _kind_of_place(name, places)
    }


def _kind_of_place(name: str, places: set[str]) -> bool:
    """Is the name a kind of actor and the candidate's own place ("Tripoli militias" for an
    act in Tripoli)? It then says no more than "militias" there: "Misrata militias" names a
    force in Tripoli, not in Misrata."""
    for place in places:
        rest = name.replace(place, " ").split()
        if len(rest) < len(name.split()) and " ".join(rest) in _generic_words():
            return True
    return False


def _above(c: dict[str, Any], other: dict[str, Any] | None = None) -> set[str]:
    """The forces the candidate's named perpetrators belonged to at its date: one report's
    "106th Brigade" is another's "Haftar's forces". An undated candidate compared with a dated
    one (`other`) is read at the other's date, the event's date if they are one event; without
    any date, none: which of a unit's successive masters is meant is then unknown."""
    w = window(c) or (window(other) if other is not None else None)
    if w is None:
        return set()
    return _parents(c, w.start)


def _parents(c: dict[str, Any], day: date | None) -> set[str]:
    """The forces the candidate's named perpetrators belonged to on `day` (ever, if None)."""
    from nlp.actors import by_name, registry

    actors = registry()
    return {
        actors[parent].name.casefold()
        for name in _named(c)
        if (actor := by_name().get(name)) is not None
        for parent in actor.parents_on(day)
    }


def _same_perpetrator(a: dict[str, Any], b: dict[str, Any]) -> bool:
    named_a, named_b = _named(a), _named(b)
    return bool(named_a & named_b or named_a & _above(b) or named_b & _above(a))


def _unit_of_force(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Does an undated report name a unit of the force a dated one names, at the dated one's
    date ("the 106th Brigade" undated, "Haftar's forces" in July 2019)? Weaker than the same
    name: a big force has acted in its city many times."""
    if (window(a) is None) == (window(b) is None):
        return False
    return bool(_named(a) & _above(b, a) or _named(b) & _above(a, b))


@cache
def _generic_names() -> frozenset[str]:
    from nlp.actors import registry

    return frozenset(a.name.casefold() for a in registry().values() if a.generic)


@cache
def _generic_words() -> frozenset[str]:
    """Every name of the kinds of actor ("militias", "ميليشيات", "forces")."""
    from nlp.actors import registry

    return frozenset(
        alias.casefold() for a in registry().values() if a.generic for alias in (a.name, *a.aliases)
    )


def _agreement(a: dict[str, Any], b: dict[str, Any]) -> tuple[float, bool, bool]:
    """What agrees beyond place, date and type; whether it names the event (the same named
    perpetrator, or the same count); whether it names the victims (one of `FEW_VICTIMS`)."""
    score = 0.0
    named = _same_perpetrator(a, b) or _unit_of_force(a, b)
    if named:
        score += 1.0
    else:
        kinds_a = {str(p.get("category")) for p in _perpetrators(a)} - WEAK_CATEGORIES
        kinds_b = {str(p.get("category")) for p in _perpetrators(b)} - WEAK_CATEGORIES
        names_a = {p["name"].casefold() for p in _perpetrators(a)}
        if names_a & {p["name"].casefold() for p in _perpetrators(b)} or kinds_a & kinds_b:
            score += 0.25
    groups_a = {v.get("group") for v in (a.get("finding") or {}).get("victims") or []}
    groups_b = {v.get("group") for v in (b.get("finding") or {}).get("victims") or []}
    if (groups_a & groups_b) - {None}:
        score += 0.25
    few = bool(groups_a & groups_b & FEW_VICTIMS)
    counted = any(_same_count(a.get(count), b.get(count)) for count in COUNTS)
    if counted:
        score += 0.5
    return score, named or counted, few


def _same_count(x: Any, y: Any) -> bool:
    """The same toll, or two large tolls within `TOLL_SPREAD` of each other."""
    if not (isinstance(x, int) and isinstance(y, int) and x > 0 and y > 0):
        return False
    if x == y:
        return True
    return min(x, y) >= LARGE_TOLL and abs(x - y) <= TOLL_SPREAD * max(x, y)


def _within_a_day(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Both dated to the day, a day apart at most (read from the columns: most pairs compared
    are ruled out by place, and this is asked of each of them)."""
    start_a, start_b = a.get("date_start"), b.get("date_start")
    return (
        (a.get("date_precision") or "day") == (b.get("date_precision") or "day") == "day"
        and isinstance(start_a, date)
        and isinstance(start_b, date)
        and abs((start_a - start_b).days) <= DAY_TOLERANCE["day"]
    )


def score(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    """How strongly two candidates look like one event; None when something rules it out."""
    if a.get("document_id") == b.get("document_id"):
        # One analysis already separated the incidents of one document.
        return None
    mapped = _place_score(a, b)
    close = _within_a_day(a, b)
    if mapped is None and not close:
        return None
    type_part = _type_score(a.get("types") or [], b.get("types") or [])
    if type_part is None:
        return None
    others, names_event, names_victims = _agreement(a, b)
    named_event_actor = _same_perpetrator(a, b)
    wa, wb = window(a), window(b)
    place_part = mapped
    if (
        (mapped is None or mapped < 1.5)
        and close
        and names_event
        and type_part >= 1.5
        and sites.named_together(a, b) is not None
    ):
        # Places the map keeps apart that one report's own sentence puts together ("the Qalaa
        # district of Murzuq", when the gazetteer read Qalaa as a namesake elsewhere): one event
        # only on the same type, within the usual day, and the same named perpetrator or count,
        # since a sentence may also name two places struck one after the other.
        place_part = 1.5
    if place_part is None:
        return None
    # The same camp, prison or neighbourhood, or an MP, a journalist or a doctor in one city,
    # names the event as a named perpetrator does, for a day or a month; a year ("journalists
    # killed in 2014") is a tally, not that event.
    yearly = "year" in (wa.precision if wa else "", wb.precision if wb else "")
    # Only places the map puts together loosen the dates: a sentence naming both does not.
    near = mapped is not None and mapped >= 1.5
    strong = (names_event and near) or (
        not yearly
        and (
            (names_victims and near)
            or (type_part >= 1.5 and sites.same_specific(sites.place_of(a), sites.place_of(b)))
        )
    )
    if wa is None or wb is None:
        # No date to compare: the same place, the same type, and the same named perpetrator or
        # the same toll of the same kind of victims (or a unit of the dated report's force with
        # either); and the other dated closer than a year (a year is a tally of that force's
        # acts there, not one event). An undated report at a small place (an airport, a
        # prison, a neighbourhood) in the dated one's town is at its place too: it names where
        # in the town ("arrested at Mitiga airport", a Tripoli arrest), where an undated report
        # in a town names all of its town's places.
        if (place_part < 2.0 and not _undated_inside(a, b)) or type_part < 1.5 or yearly:
            return None
        if not (
            named_event_actor
            or _same_toll_and_victims(a, b)
            or (_kinds(a) & _kinds(b) and _same_acts(a, b))
            or (_unit_of_force(a, b) and (names_victims or bool(_tolls(a) & _tolls(b))))
        ):
            return None
        told = _as_dated(a, b)
        if told is None:
            return place_part + type_part + others
        # A day and month without a year ("16 February") rules out another month and counts
        # as a date does, in the year that brings the two together.
        told_part = _date_score(*told, strong=strong)
        if told_part is None:
            return None
        return told_part + place_part + type_part + others
    date_part = _date_score(wa, wb, strong=strong)
    if date_part is None:
        return None
    coarse = max(PRECISION_RANK.get(wa.precision, 3), PRECISION_RANK.get(wb.precision, 3))
    if coarse >= PRECISION_RANK["month"] and not strong:
        return None  # "in 2013, in Benghazi" is every Benghazi event of that year
    if date_part < 2.0 and place_part < 2.0 and not (names_event or names_victims):
        return None  # the next day, in the next district: in a war, another shelling
    return date_part + place_part + type_part + others


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
        own = actor_keys(m)
        if w is not None:
            keys.update(index_keys(w))
        else:
            # Its dates file an undated report nowhere: a dated report that arrives after it
            # finds it by these.
            keys.update(UNDATED + k for k in own)
        keys.update(own)
    return keys


def search_keys(candidate: dict[str, Any]) -> list[str]:
    """The keys of the incidents a candidate is compared with: those filed under its dates
    (with tolerance) and the undated reports of its place naming its perpetrator, toll or kinds;
    for an undated candidate, every incident of its place naming them."""
    w = window(candidate)
    own = actor_keys(candidate)
    if w is None:
        return own
    return lookup_keys(w) + [UNDATED + k for k in own]


# -- attaching ---------------------------------------------------------------------------------


def _matches(
    candidate: dict[str, Any], members: Sequence[dict[str, Any]], allowed: set[int]
) -> dict[int, tuple[float, dict[str, Any]]]:
    """Each incident the candidate matches, with its best score there and the member giving it."""
    found: dict[int, tuple[float, dict[str, Any]]] = {}
    for m in members:
        incident = int(m["incident_id"])
        if incident not in allowed:
            continue
        s = score(candidate, m)
        if s is not None and s >= MATCH_SCORE and s > found.get(incident, (-1.0, m))[0]:
            found[incident] = (s, m)
    if not found or (
        window(candidate) is None
        and day_month(candidate) is None
        and not isinstance(candidate.get("published"), date)
    ):
        return found
    # A dated report (or one giving a day and month) joins only an incident whose every report
    # with a date it could be one event with: an undated report (a named force in a city, at
    # no known date) matches that force's acts there in any year, and would otherwise chain
    # them into one incident. An undated report on a dated page likewise joins no incident of
    # an event that began after its page was published, whichever of them came first.
    peers: dict[int, list[dict[str, Any]]] = {}
    for m in members:
        peers.setdefault(int(m["incident_id"]), []).append(m)
    return {i: best for i, best in found.items() if not _ruled_out(candidate, peers[i])}


def _ruled_out(candidate: dict[str, Any], peers: Sequence[dict[str, Any]]) -> bool:
    """Does a report of the incident date it apart from the candidate, with no other report of
    it whose period covers that one's day and agrees with the candidate?"""
    return any(
        _apart(candidate, m) and not any(_covers(p, m) and not _apart(candidate, p) for p in peers)
        for m in peers
    )


def _apart(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Do the two candidates' dates (or days and months without a year) rule out one event? An
    undated report rules out an event that began after its page was published (a precedent told
    as background in a 2019 report is not a 2023 event), whichever of the two is the undated
    one: the answer must not depend on which arrived first."""
    wa, wb = window(a), window(b)
    if wa is not None and wb is not None:
        return _date_score(wa, wb, strong=True) is None
    if _published_before(b, wa) or _published_before(a, wb):
        return True
    told = _as_dated(a, b)
    return told is not None and _date_score(*told, strong=True) is None


def _published_before(undated: dict[str, Any], event: Window | None) -> bool:
    """Was the undated report's page published before the event began, by more than the lag of
    a report dated by its publication (a day or two)?"""
    published = undated.get("published")
    return (
        event is not None
        and isinstance(published, date)
        and event.start > published + timedelta(days=STRONG_LAG + 1)
    )


def _covers(period: dict[str, Any], day: dict[str, Any]) -> bool:
    """Is the other report's date inside this report's period of days ("from 23 to 29 August",
    "last week")? A report of one day of those then belongs with a report of another day."""
    outer, inner = window(period), window(day)
    return (
        outer is not None
        and inner is not None
        and outer.precision in ("day", "week")
        and outer.start <= inner.start
        and inner.end <= outer.end
    )


def _best(
    candidate: dict[str, Any], members: Sequence[dict[str, Any]], allowed: set[int]
) -> tuple[int, dict[str, Any]] | None:
    """The incident the candidate matches best, and the member it matches best there."""
    found = _matches(candidate, members, allowed)
    if not found:
        return None
    incident = max(found, key=lambda i: (found[i][0], -i))
    return incident, found[incident][1]


def explain(a: dict[str, Any], b: dict[str, Any]) -> str:
    """Why two candidates were taken for one event, for the incident's history."""
    wa, wb = window(a), window(b)
    placed = _as_dated(a, b) if wa is None or wb is None else None
    if placed is not None:
        given = [
            d
            for d in (day_month(a) if wa is None else None, day_month(b) if wb is None else None)
            if d
        ]
        days = " and ".join(
            f"{d.first}"
            + (f"-{d.last}" if d.last > d.first else "")
            + f" {calendar.month_name[d.month]}"
            for d in given
        )
        when = f"undated, {days} without a year agreeing"
    elif wa is None or wb is None:
        when = "one undated"
    elif wa.precision == wb.precision == "day":
        apart = abs((wa.start - wb.start).days)
        when = "same day" if apart == 0 else f"{apart} day{'s' * (apart > 1)} apart"
    else:
        when = f"{wa.precision} and {wb.precision} overlap"
    site_a, site_b = sites.place_of(a), sites.place_of(b)
    if sites.same_specific(site_a, site_b) and site_a is not None:
        place = f"same {site_a.kind.replace('_', ' ')} ({site_a.name})"
    elif _names(a) & _names(b):
        place = "same place"
    elif sites.within(site_a, site_b) and site_a is not None and site_b is not None:
        inner, outer = (site_a, site_b) if site_a.parent == site_b.id else (site_b, site_a)
        place = f"{inner.name} is in {outer.name}"
    else:
        km = _km(a, b)
        together = sites.named_together(a, b) if km is None or km > NEAR_KM else None
        if together is not None:
            place = f"one report names {together.name} in the sentence that gives its own place"
        else:
            place = "nearby places" if km is None else f"places {km:.0f} km apart"
    parts = [when, place, "types " + ", ".join(sorted(set(a["types"]) | set(b["types"])))]
    shared = sorted(_named(a) & _named(b))
    if shared:
        parts.append("same perpetrator " + ", ".join(shared))
    else:
        units = sorted((_named(a) & _above(b, a)) | (_named(b) & _above(a, b)))
        if units:
            parts.append("perpetrator's force then " + ", ".join(units))
    groups = _victims(a) & _victims(b)
    victims = sorted(groups & FEW_VICTIMS)
    if not victims and (wa is None or wb is None) and _same_toll_and_victims(a, b):
        victims = sorted(groups - BROAD_VICTIMS)  # what joined the undated report
    if victims:
        parts.append("same victims (" + ", ".join(victims) + ")")
    elif (wa is None or wb is None) and not shared and _kinds(a) & _kinds(b):
        kinds = ", ".join(k.replace("/", " against ") for k in sorted(_kinds(a) & _kinds(b)))
        parts.append(f"same kinds of perpetrator and victims ({kinds})")
    counts = [k for k in COUNTS if _same_count(a.get(k), b.get(k))]
    if counts:
        kind = counts[0]
        told = str(a[kind]) if a[kind] == b[kind] else f"{a[kind]} and {b[kind]}"
        parts.append(f"same count ({kind} {told})")
    return "same event: " + "; ".join(parts)


def _attach_one(store: Store, candidate: dict[str, Any], prior: list[int]) -> int:
    nearby = store.incidents_with_keys(search_keys(candidate))
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
    reason = "re-analysis of a supporting document"
    matched = _matches(candidate, members, set(nearby) - taken)
    if incident_id is None and matched:
        incident_id = max(matched, key=lambda i: (matched[i][0], -i))
        reason = explain(candidate, matched[incident_id][1])
    if incident_id is None:
        incident_id = store.attach_candidate(
            candidate,
            None,
            summary=summarise([candidate]),
            keys=keys_for([candidate]),
            actor=ACTOR,
            is_new=False,
            reason="no matching incident",
        )
        if window(candidate) is not None:
            _regather(store, candidate, incident_id, [candidate], members, reviewed=False)
        return incident_id
    group = [m for m in members if m["incident_id"] == incident_id] + [candidate]
    status = store.incident_status(incident_id)
    reanalysed = incident_id in prior
    store.attach_candidate(
        candidate,
        incident_id,
        summary=summarise(group),
        keys=keys_for(group),
        actor=ACTOR,
        # A source is "new" to an analyst only once an analyst has acted on the incident.
        is_new=status != "new" and not reanalysed,
        reason=reason,
    )
    others = {i: found for i, found in matched.items() if i != incident_id}
    if others and window(candidate) is not None:
        # Only a dated report gathers: an undated one that matches two incidents (a named
        # force in a city, at no known date) cannot tell which event it is, let alone that
        # they are one.
        _gather(store, candidate, incident_id, group, others, members, reviewed=status != "new")
    if window(candidate) is not None:
        _regather(store, candidate, incident_id, group, members, reviewed=status != "new")
    return incident_id


def _lone(store: Store, incident_id: int, members: Sequence[dict[str, Any]]) -> bool:
    """Whether the incident is one report that only clustering has handled: new, of one
    document, with nothing in its history but clustering creating it, attaching readings of that
    document or moving reports out (an analyst's status, correction, note, split or unmerge
    rules it out)."""
    return len({m["document_id"] for m in members}) == 1 and _clustered_only(store, incident_id)


def _rejoins(store: Store, member: dict[str, Any], own: int, incident_id: int) -> bool:
    """Whether the lone report's candidate, read again as if it arrived now, joins
    `incident_id` rather than another incident."""
    nearby = (set(store.incidents_with_keys(search_keys(member))) | {incident_id}) - {own}
    members = store.member_candidates(sorted(nearby))
    taken = {int(m["incident_id"]) for m in members if m["document_id"] == member["document_id"]}
    found = _best(member, members, nearby - taken)
    return found is not None and found[0] == incident_id


def _gather(
    store: Store,
    candidate: dict[str, Any],
    incident_id: int,
    group: Sequence[dict[str, Any]],
    others: dict[int, tuple[float, dict[str, Any]]],
    members: Sequence[dict[str, Any]],
    *,
    reviewed: bool,
) -> None:
    """The earlier reports the candidate matches beside the incident it joined: each one still
    alone in its incident, that only clustering has handled, and that joins this incident when
    read again now, is merged into it (a later report joining two earlier ones, or an earlier
    report that agrees with an incident once this report is in it). An incident an analyst
    has acted on is never merged away; one that gains a report this way shows it as new."""
    documents = {m["document_id"] for m in group}
    merged = False
    for other in sorted(others, key=lambda i: (-others[i][0], i)):
        peers = [m for m in members if m["incident_id"] == other]
        if documents & {m["document_id"] for m in peers} or not _lone(store, other, peers):
            continue
        if not all(_rejoins(store, m, other, incident_id) for m in peers):
            continue
        why = explain(others[other][1], candidate).removeprefix("same event: ")
        store.merge_incidents(
            other,
            incident_id,
            actor=ACTOR,
            reason=f"same event as document {candidate['document_id']}, which joined incident "
            f"{incident_id}: {why}",
            new_sources=reviewed,
        )
        documents |= {m["document_id"] for m in peers}
        merged = True
    if merged:
        refresh(store, incident_id)


def _regather(
    store: Store,
    candidate: dict[str, Any],
    incident_id: int,
    group: Sequence[dict[str, Any]],
    members: Sequence[dict[str, Any]],
    *,
    reviewed: bool,
) -> None:
    """Move to the dated report's incident each undated report (one a document) that joined
    another incident before it arrived and matches it better than anything left there, when
    clustering alone has handled that incident and what stays there is still one event."""
    documents = {m["document_id"] for m in group}
    undated = {
        int(m["incident_id"])
        for m in members
        if m["incident_id"] != incident_id
        and m["document_id"] not in documents
        and window(m) is None
        and day_month(m) is None
        and (score(m, candidate) or 0.0) >= MATCH_SCORE
    }
    if not undated:
        return
    # Read again: `_gather` may have merged some of these incidents into this one.
    held: dict[int, list[dict[str, Any]]] = {}
    for m in store.member_candidates(sorted(undated)):
        held.setdefault(int(m["incident_id"]), []).append(m)
    moved = False
    for own, peers in sorted(held.items()):
        if own == incident_id:
            continue
        for report in peers:
            if (
                report["document_id"] in documents
                or window(report) is not None
                or day_month(report) is not None
            ):
                continue
            here = score(report, candidate)
            rest = [m for m in peers if m["document_id"] != report["document_id"]]
            there = max((score(report, m) or 0.0 for m in rest), default=None)
            if here is None or here < MATCH_SCORE or there is None or here <= there:
                continue
            if _ruled_out(report, group) or not _linked(rest) or not _clustered_only(store, own):
                continue
            why = explain(report, candidate).removeprefix("same event: ")
            store.move_document(
                report["document_id"],
                own,
                incident_id,
                actor=ACTOR,
                reason=f"undated report of document {report['document_id']} matches document "
                f"{candidate['document_id']} better than incident {own} ({here:.2f} against "
                f"{there:.2f}): {why}",
                is_new=reviewed,
            )
            refresh(store, own)
            documents.add(report["document_id"])
            moved = True
            break  # what is left of the incident has changed: read it again next time
    if moved:
        refresh(store, incident_id)


def _linked(members: Sequence[dict[str, Any]]) -> bool:
    """Does every document of the incident still match a report of another of its documents?"""
    documents = {m["document_id"] for m in members}
    return len(documents) < 2 or all(
        any(
            (score(a, b) or 0.0) >= MATCH_SCORE
            for a in members
            if a["document_id"] == d
            for b in members
            if b["document_id"] != d
        )
        for d in documents
    )


def _clustered_only(store: Store, incident_id: int) -> bool:
    """Has nothing but clustering's creating it and attaching (or moving) reports touched the
    incident: no analyst's status, correction, note, merge or split? Every change of status (a
    merge too) is in the history: one read tells them all."""
    return all(
        entry["actor"] == ACTOR and entry["action"] in ("created", "attached", "detached")
        for entry in store.incident_audit(incident_id)
    )


def _strongest_first(
    store: Store, candidates: Sequence[dict[str, Any]]
) -> Sequence[dict[str, Any]]:
    """One document's candidates, those matching a stored incident best first: its incidents
    are different events, so the first to join an incident keeps its siblings out of it, and a
    weak match (a recalled strike of another year, by the same force in the same town) must
    not take the report that a sibling matches better."""
    if len(candidates) < 2:
        return candidates

    def strength(candidate: dict[str, Any]) -> float:
        nearby = store.incidents_with_keys(search_keys(candidate))
        found = _matches(candidate, store.member_candidates(nearby), set(nearby))
        return max((s for s, _ in found.values()), default=0.0)

    return sorted(candidates, key=lambda c: -strength(c))


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
        for candidate in _strongest_first(store, candidates):
            touched.append(_attach_one(store, candidate, prior))
        for incident_id in prior:
            if incident_id not in touched:
                refresh(store, incident_id)
    return sorted(set(touched))


def attach_new(store: Store, document_ids: Sequence[int]) -> list[int]:
    """Cluster the candidates of documents stored just now, in order, in one transaction (no
    earlier reading of them supports an incident); the incidents touched."""
    with store.transaction():
        by_document: dict[int, list[dict[str, Any]]] = {}
        for c in store.unclustered_candidates(document_ids):
            by_document.setdefault(int(c["document_id"]), []).append(c)
        touched = [
            _attach_one(store, c, [])
            for siblings in by_document.values()
            for c in _strongest_first(store, siblings)
        ]
    return sorted(set(touched))


def attach_pending(store: Store) -> int:
    """Cluster every candidate not yet in an incident (after an upgrade or a bulk load)."""
    documents = sorted({int(c["document_id"]) for c in store.unclustered_candidates()})
    for document_id in documents:
        attach(store, document_id)
    return len(documents)


def rekey(store: Store, batch: int = 500) -> int:
    """File every live incident under the blocking keys its current candidates give under the
    rules of this version (an incident is otherwise re-filed only when clustering next touches
    it, so a rule that adds keys would not find the incidents stored before it); the number
    re-filed. Membership, summaries and review state are untouched; running it again is safe."""
    done, after = 0, 0
    while ids := store.live_incident_ids(after=after, limit=batch):
        groups: dict[int, list[dict[str, Any]]] = {}
        for m in store.member_candidates(ids):
            groups.setdefault(int(m["incident_id"]), []).append(m)
        # An incident with no current candidate keeps its keys, as `refresh` keeps its summary.
        store.replace_incident_keys({i: keys_for(members) for i, members in groups.items()})
        done += len(groups)
        after = ids[-1]
    return done


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
