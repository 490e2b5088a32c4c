"""From sentence findings to candidate incidents: one per event (place, time, type) in a document.

The candidates carry the rules' own confidence and whether something ties them to the world (a
precise place, a stated date, a count, a named perpetrator); the incident model (nlp.learned)
reads both when it decides which candidates to report.

Findings are read in order. A finding joins an earlier incident when nothing it states
contradicts it and it either speaks of the same act (a shared violation type, or one an event
commonly carries with the incident's: deaths with an attack, torture with a detention, unless it
states a day of its own more than three sentences after an undated incident) or elaborates
without a place or date of its own ("He was beaten and tortured" after "a journalist was
abducted in Benghazi on 22 April"). An attack on civil society says who the victims were, not
what was done to them: when both name an act, the acts decide (an activist shot dead and
defenders abducted are two incidents). A finding with a different stated place or date opens a
new incident. Places agree when one contains the other or they lie within 25 km; dates when they
are at most three days apart (a day resolved from "Thursday" or "yesterday" may be off), one day
when either is written as a date ("on 14 October"). An incident that states no date stands at
the publication: a finding dated more than a week before it ("in October 2017", "a year
earlier") opens a new incident, and so does one dated only to a month or a year when the
publication date is unknown. An act told in the Arabic past perfect ("وكانت ... قد شنت غارات")
is background: it joins an incident only on the same stated day; so is an act told "after" the
act of its sentence with only a week, month or year of its own (nlp.clauses), and one told as
what set off the news's fighting ("the clashes erupted after gunmen killed"; nlp.findings),
unless an incident told before it has its act (the news named again as the cause); so is one
told as a precedent of the news ("this is not the first of its kind: gunmen abducted"), an
earlier event: when its sentences state no date, its incident has none (not the publication's),
and no act told after it joins it (the report goes back to its news). An act only named again in
Arabic ("الخاطفين", "اعتقالهما", "عملية الاختطاف"; nlp.findings) is the one told before it: when
the time or place its sentence states, in another clause, would part it from every incident,
it joins the latest incident it relates to, which that time or place does not change unless
the incident states none ("the kidnappers were from the security forces, dismissed months
ago"). A sentence that states no
date but tells its day against the last day stated before it ("on the same day", "a day
earlier", "في اليوم التالي") has that day, as exact as a written date (a day told before it, "a
day earlier", is another day: a list of events going back in time); so does a clause told "two
days after" the act before it in the same sentence (nlp.clauses), counted from that act's day.
One told a week or a month away ("two weeks later", "a month earlier", "بعد أسبوع") has the day
that many weeks away, with a week's slack, or that calendar month (nlp.dates.Shift), and "a few
days earlier" is as much another time as "a day earlier"; a time so told after the publication
is no reported event's. A
clause cut off at "while" ("فيما") with a time or a place of its own tells an event of its own
(on the day the clause before it tells, when it tells none), and an act told after two such
events joins the one of its kind, not the latest by affinity. An act the report calls separate
("On Sunday, three officers died in separate attacks", "وفي حادث منفصل") joins no event told
before it. A time told "before that"
("قبل عام على ذلك") counts from the last date stated, not from the publication. A headline (a
first line without a full stop, or two: a title and its deck) states no date: the publication
does not date it, and the body tells when its event happened, however long before.

An incident's place is the most precise Libyan place its sentences name, else the nearest
precise place before them in the document (a headline or first sentence often names the city
once; a clause's own sentence, before the clause). Its date is the most precise date its
sentences state, the earliest among equals (later dates are funerals, statements and
follow-ups); the day someone spoke ("a source said on Wednesday", kept by nlp.dates when its
sentence states no other) only when they state no other day, week or month. A day told beside
the incident's own sentences is lent to it where they state less (see `Days`): a supporting
sentence no incident took, of a related act, gives its day to an incident that states none
("X, who was detained on 19 January, ... died from torture"); the sentence right after one of
the incident's gives a day inside the week or month the incident states ("shot dead last
month. Her body was found on 23 February"), and the sentence before an incident that states no
date lends its day ("a photojournalist missing since October 29. He disappeared ..."). When no
date is stated or lent, a news report's publication date stands in, because a report that
gives no date is about what just happened (the publication month, precision "month", when the
page tells only that); on a page without one, the month or day its title names ("Human Rights
Violations in Libya during July 2024").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from nlp.agents import incident_perpetrators
from nlp.clauses import lead_shift, told_apart
from nlp.dates import DateMention, find_dates, stated_shift
from nlp.findings import AGAINST_PEOPLE, CIVIL_SOCIETY, is_reference
from nlp.model import (
    COUNT_KINDS,
    VIOLATION_TYPES,
    Counts,
    DateRange,
    Evidence,
    Incident,
    Location,
    Victim,
)
from nlp.places import lies_toward, place_by_id
from nlp.text import sentences
from nlp.victims import incident_counts

if TYPE_CHECKING:
    from collections.abc import Callable

    from nlp.agents import DocumentActors
    from nlp.dates import Shift
    from nlp.findings import Finding
    from nlp.places import Place, PlaceMention

SAME_PLACE_KM = 25.0
SAME_DATE_DAYS = 3
# A day written as a date ("on 14 October") is exact: a day more than this from it (the scorer's
# own tolerance) is another event's.
WRITTEN_DAY_SLACK = 1
# A day after publication may still be the news in another time zone (nlp.dates' own slack).
PUBLICATION_SLACK = 1
# An undated report speaks of the days just before its publication ("on Tuesday").
RECENT_DAYS = 7
# A finding without place or date elaborates an incident at most this many sentences back.
ELABORATION_REACH = 3
# Findings join one of the latest incidents only: a report tells its events in turn.
OPEN_DRAFTS = 12
# How far back to look for the place of an incident whose sentences name none.
PLACE_LOOKBACK = 6
# How far from an incident's sentences a supporting sentence may lend it its day: as far as an
# incident's place is looked for.
LEND_REACH = PLACE_LOOKBACK
# The longest period (a month) inside which the next sentence's day is lent: in a year, a day
# told next is as likely another step of the story (a visit, a hearing) as the event's.
LEND_PERIOD_DAYS = 31
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
# Types one event commonly carries together: deaths reported with an attack or a protest are
# that attack's or protest's; abduction, detention, torture and sexual violence are often one
# person's single ordeal; torture often ends in killing.
_AFFINITY = (
    frozenset({"killing", "attack_on_civilians", "repression_of_assembly"}),
    frozenset({"arbitrary_detention", "enforced_disappearance", "torture", "sexual_violence"}),
    frozenset({"killing", "torture"}),
    frozenset({"attack_on_civil_society", "enforced_disappearance", "arbitrary_detention"}),
)
# A type that says who the victims were (journalists, activists), on top of the act done to them.
_OVERLAY = frozenset({"attack_on_civil_society"})
# Places too large to say where something happened.
_VAGUE_KINDS = frozenset({"country", "region", "sea_area"})
_AREA_KINDS = _VAGUE_KINDS | {"district"}
# The more specific of two places that agree, by kind.
_KIND_RANK = {
    "detention_centre": 0,
    "prison": 0,
    "airport": 0,
    "border_crossing": 0,
    "neighbourhood": 1,
    "village": 2,
    "town": 2,
    "city": 3,
    "district": 4,
    "region": 4,
    "sea_area": 5,
    "country": 5,
}
# Findings at least this sure each add a little to their incident's confidence.
CORROBORATING = 0.45


@dataclass(slots=True)
class Draft:
    findings: list[Finding] = field(default_factory=list)
    place: PlaceMention | None = None
    date: DateMention | None = None
    # The date it reports: `date`, unless that is the day someone spoke and another finding
    # states a day, week or month (`date` still decides what joins, as it did before).
    reported: DateMention | None = None
    # The types of its findings, kept as they join: recounting them at every comparison made a
    # page of thousands of sentences about one event cost quadratic time.
    types: set[str] = field(default_factory=set)
    # One of two events a sentence tells apart (nlp.clauses.told_apart).
    parallel: bool = False

    @property
    def last(self) -> int:
        return self.findings[-1].sentence

    def add(self, f: Finding, when: DateMention | None, text: str, *, placed: bool = True) -> None:
        self.findings.append(f)
        self.types.update(f.types)
        if placed:
            self.place = _better_place(self.place, f.place, text)
        self.date = _better_date(self.date, when)
        self.reported = _reported_date(self.reported, when)


def _km(a: Place, b: Place) -> float:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return math.inf
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _ancestors(place: Place) -> set[str]:
    seen: set[str] = set()
    parent = place.parent
    while parent and parent not in seen:
        seen.add(parent)
        found = place_by_id(parent)
        parent = found.parent if found is not None else None
    return seen


def same_area(a: Place, b: Place) -> bool:
    if a.id == b.id:
        return True
    if a.kind in _AREA_KINDS or b.kind in _AREA_KINDS:
        # A country, region or sea names no place to disagree with inside it.
        return a.country == b.country
    if a.id in _ancestors(b) or b.id in _ancestors(a):
        return True
    return _km(a, b) <= SAME_PLACE_KM


def _written(d: DateMention, text: str) -> bool:
    """A day written as a date ("14 October", "16.12.2010"), not resolved from "Thursday", or
    told against the day before ("on the same day"): as exact as a calendar date."""
    return isinstance(d, ToldDay) or any(c.isdigit() for c in text[d.start : d.end])


def dates_agree(a: DateMention, b: DateMention, text: str) -> bool:
    # A day resolved from a weekday or "yesterday" may be a few days off the day it means, or
    # be the day an ordeal ended; a written day is exact.
    slack = SAME_DATE_DAYS
    if a.precision == b.precision == "day" and (_written(a, text) or _written(b, text)):
        slack = WRITTEN_DAY_SLACK
    if any(isinstance(d, ToldDay) and d.earlier for d in (a, b)):
        # "A day earlier", "a few days earlier": a step back from the day just told is exactly
        # another time (a story goes on "the next day"; a list of events goes back in time).
        slack = 0
    return (a.first - b.last).days <= slack and (b.first - a.last).days <= slack


def compatible(
    draft: Draft, f: Finding, when: DateMention | None, text: str, published: DateRange | None
) -> bool:
    if (
        f.place is not None
        and draft.place is not None
        and not same_area(f.place.place, draft.place.place)
        and not lies_toward(text, f.place, draft.place.place)
        and not lies_toward(text, draft.place, f.place.place)
    ):
        return False
    if when is None:
        return True
    if draft.date is None and _headline_only(draft, text):
        return True  # a headline states no date: the body tells when its event happened
    if draft.date is None:
        # An undated report is about what just happened: a finding dated well before the
        # publication ("in October 2017", "a year earlier") tells another, earlier event.
        # Without a publication date, only a day is precise enough to be the news itself.
        if published is None:
            return when.precision not in ("month", "year")
        return _recent(when, published)
    return dates_agree(when, draft.date, text)


def _headline_only(draft: Draft, text: str) -> bool:
    """The draft is only the document's headline: its first line, or its first lines (a title
    and the deck under it: "Civilian Toll in Derna Air Strikes" / "Seven Dead, Dozens
    Injured"), each with no full stop."""
    findings = draft.findings
    if not findings or len(findings) > HEADLINE_LINES:
        return False
    return all(f.sentence == i and _bare_line(f, text) for i, f in enumerate(findings))


def _bare_line(f: Finding, text: str) -> bool:
    """Is the finding's sentence a whole line with no full stop?"""
    line = text[f.start : f.end].rstrip()
    return line[-1:] not in _STOPS and text[f.end :].lstrip(" \t")[:1] in ("\n", "")


_STOPS = frozenset(".!?؟…:")
# A title and the deck under it.
HEADLINE_LINES = 2


def _recent(d: DateMention, published: DateRange) -> bool:
    return (published.start - d.last).days <= RECENT_DAYS and d.first <= published.end


def related(draft: Draft, f: Finding) -> bool:
    """Does the finding speak of the draft's event? Same type, or a type one event commonly
    carries with the draft's; an abstract noun ("torture" in a list) relates to nothing."""
    mine = {t for t, s in f.types.items() if s >= 2} | f.supports
    theirs = draft.types
    if mine - _OVERLAY and theirs - _OVERLAY:
        # An activist shot dead and defenders abducted are both attacks on civil society, but
        # two acts: when both name an act, the acts decide.
        mine, theirs = mine - _OVERLAY, theirs - _OVERLAY
    return bool(mine & theirs) or any(mine & group and theirs & group for group in _AFFINITY)


# Words by which a report tells its acts apart from the one told before ("On Sunday, three officers
# died in separate attacks", "وفي حادث منفصل").
_SEPARATE = re.compile(
    r"\bseparate (?:attacks?|incidents?|shootings?|assassinations?|killings?|raids?)\b"
    r"|\bin a separate\b|\bin another (?:attack|incident)\b"
    r"|(?:حادث|حادثة|هجوم|هجمات|حوادث|عملية|عمليات) (?:منفصل|منفصلة|منفصلين|[أا]خرى|آخر)\b",
    re.IGNORECASE,
)


def absorbs(
    draft: Draft, f: Finding, when: DateMention | None, text: str, published: DateRange | None
) -> bool:
    if not compatible(draft, f, when, text, published):
        return False
    if f.types and _SEPARATE.search(text, f.start, f.end):
        return False  # "three officers died in separate attacks": not the event told before
    if f.background and f.types and (when is None or draft.date is None):
        return False  # an earlier act joins an event only on the same stated day
    if draft.date is None and draft.findings[0].precedent and f.types:
        # Nothing tells the act after an undated precedent apart from the news: the report
        # goes back to its news.
        return False
    if not f.types:
        return related(draft, f) and f.sentence - draft.last <= ELABORATION_REACH
    if related(draft, f):
        if (
            when is not None
            and draft.date is None
            and f.sentence - draft.last > ELABORATION_REACH
            and not _headline_only(draft, text)  # which the body then tells
        ):
            # A dated act told well after an undated one ("On Thursday evening, gunmen shot
            # dead a colonel" paragraphs after a car bomb) dates it only if it is the same act;
            # deaths beside an attack are that attack's only when told with it.
            return bool(set(f.types) & (draft.types - _OVERLAY))
        return True
    stated = (f.place is not None and f.place.precision <= 2) or when is not None
    # Only a narrated act elaborates ("he was beaten and tortured"); a list of abuses does not.
    return not stated and f.strength == 3 and f.sentence - draft.last <= ELABORATION_REACH


def _better_place(a: PlaceMention | None, b: PlaceMention | None, text: str) -> PlaceMention | None:
    """The scene of the two: precise before vague, scene before reference, part before whole."""
    if a is None:
        return b
    if b is None:
        return a

    def key(p: PlaceMention, other: PlaceMention) -> tuple[int, bool, bool, int]:
        inside = other.place.id in _ancestors(p.place)
        return (p.precision, is_reference(text, p), not inside, _KIND_RANK.get(p.place.kind, 3))

    return b if key(b, a) < key(a, b) else a


def _better_date(a: DateMention | None, b: DateMention | None) -> DateMention | None:
    if a is None:
        return b
    if b is None:
        return a
    rank_a, rank_b = _PRECISION_RANK.get(a.precision, 4), _PRECISION_RANK.get(b.precision, 4)
    if rank_a != rank_b:
        return a if rank_a < rank_b else b
    return a if a.first <= b.first else b


def _reported_date(a: DateMention | None, b: DateMention | None) -> DateMention | None:
    """`_better_date`, except that the day someone spoke dates the event only when its
    sentences state no other day, week or month ("killed over the weekend" beside "the IOM
    said on Tuesday")."""
    if a is not None and b is not None and a.said != b.said:
        worst = max(_PRECISION_RANK.get(a.precision, 4), _PRECISION_RANK.get(b.precision, 4))
        if worst < _PRECISION_RANK["year"]:
            return b if a.said else a
    return _better_date(a, b)


@dataclass(frozen=True, slots=True)
class ToldDay(DateMention):
    """A time told against the day stated before it ("a day earlier", "two weeks later"); the
    offsets are that day's."""

    earlier: bool = False  # before that day ("a day earlier", "a month earlier")


def _told_against(
    f: Finding,
    anchor: DateMention | None,
    text: str,
    language: str,
    published: DateRange | None = None,
    since: int = 0,
) -> DateMention | None:
    """The time a sentence that states no date tells against the latest day stated before it
    ("on the same day", "a day earlier", "two weeks later", "في اليوم التالي", "بعد شهر"),
    else None: the anchor's, or a later day told in the text since `since` by a sentence that
    names no act ("This came to an end on 10 January. That same day, police detained
    hundreds"). A week or a month so told is not exact (`nlp.dates.Shift`). A time after the
    publication (a trial set for "the following month") is no reported event's: as
    nlp.dates leaves out future dates, it is not read."""
    shift = stated_shift(text[f.start : f.end], language)
    if shift is None:
        return None
    anchor = _last_day(text, since, f.start, language, published) or anchor
    if anchor is None or anchor.precision != "day":
        return None
    told = _shifted(anchor, shift)
    if published is not None and (told.first - published.end).days > PUBLICATION_SLACK:
        return None
    return told


def _last_day(
    text: str, since: int, until: int, language: str, published: DateRange | None
) -> DateMention | None:
    """The last day `text[since:until]` states, not the day someone spoke."""
    if until <= since:
        return None
    now = published.start if published is not None and published.precision == "day" else None
    days = [
        d
        for d in find_dates(text[since:until], language, now)
        if d.precision == "day" and not d.said
    ]
    if not days:
        return None
    return replace(days[-1], start=days[-1].start + since, end=days[-1].end + since)


def _dated_against(
    f: Finding, anchor: DateMention | None, text: str, language: str
) -> DateMention | None:
    """The day of a clause that tells its act "two days after" the act told before it in the
    same sentence (nlp.clauses), else None."""
    if anchor is None or anchor.precision != "day":
        return None
    shift = lead_shift(text, f.start, f.end, language)
    return None if shift is None else _shifted(anchor, shift)


def _shifted(anchor: DateMention, shift: Shift) -> ToldDay:
    """The time `shift` tells against the anchor's day: a day, or a week or a month away."""
    first, last, precision = shift.of(anchor.first, anchor.last)
    return ToldDay(
        anchor.start,
        anchor.end,
        first,
        last,
        precision,
        anchor.relative,
        earlier=shift.direction < 0,
    )


# "قبل عام على ذلك" ("a year before that"): the time before it counts from the last date stated,
# not from the publication.
_STAND_IN = date(2001, 1, 1)
_AR_THAT = re.compile(r"\s*(?:على|من|عن)\s+ذلك(?!\w)")
_AR_BEFORE_THAT = re.compile(r"(?:قبل|بعد)(?:\s+\w+){1,2}\s+(?:على|من|عن)\s+ذلك(?!\w)")


def _before_that(
    f: Finding, anchor: DateMention | None, text: str, published: DateRange | None
) -> DateMention | None:
    """The date of a sentence that tells its time against the date stated before it ("found
    in October 2017 ... a year before that, 10 bodies were found"), else None."""
    if anchor is None or _AR_BEFORE_THAT.search(text, f.start, f.end) is None:
        return None
    # Without a publication date, any day stands in to find how far back the time lies.
    now = published.start if published is not None else _STAND_IN
    for d in find_dates(text[f.start : f.end], "ar", now):
        if not d.relative or _AR_THAT.match(text, f.start + d.end) is None:
            continue
        start, end = f.start + d.start, f.start + d.end
        if d.precision == "year":
            year = anchor.first.year - (now.year - d.first.year)
            return DateMention(start, end, date(year, 1, 1), date(year, 12, 31), "year", False)
        first = anchor.first - (now - d.first)
        return DateMention(start, end, first, first + (d.last - d.first), d.precision, False)
    return None


def group(
    findings: list[Finding], text: str, language: str, published: DateRange | None = None
) -> list[Draft]:
    drafts: list[Draft] = []
    anchor: DateMention | None = None
    # The last finding and its day.
    before: tuple[Finding | None, DateMention | None] = (None, None)
    for f in findings:
        when = (
            _before_that(f, anchor, text, published)
            or f.date
            or _told_against(
                f, anchor, text, language, published, before[0].end if before[0] else 0
            )
            or _dated_against(f, anchor, text, language)
        )
        # A clause cut off its sentence at "while" with a time or a place of its own
        # (nlp.clauses) tells an event of its own: it neither joins nor elaborates an earlier
        # one. Without a time of its own, it has the one the clause before it tells ("shot dead
        # in Sirte on Monday, while two activists were abducted in Derna"). One that tells the
        # same act with no place or figure of its own tells a reaction to it ("while on
        # Saturday the UN condemned the killing").
        previous = before[0]
        apart = (
            previous is not None
            and previous.sentence == f.sentence
            and told_apart(text, f.start, language)
            and not _retold(f, previous)
        )
        if apart and when is None:
            when = before[1]
        told = anchor
        anchor = when or anchor
        before = (f, when)
        # The latest draft the finding relates to; one it would only elaborate comes second.
        recent = range(max(0, len(drafts) - OPEN_DRAFTS), len(drafts))
        candidates = [
            (related(drafts[k], f), k)
            for k in recent
            if not apart and absorbs(drafts[k], f, when, text, published)
        ]
        target = drafts[max(candidates)[1]] if candidates else None
        if target is not None and target.parallel and not set(f.types) & target.types:
            # Of two events told apart in one sentence, an act told later is of its own kind's
            # ("killed a cleric on Friday night, while a couple were wounded this morning by a
            # shell ... The cleric was shot dead in Ard Zwawa").
            target = next(
                (
                    drafts[k]
                    for r, k in sorted(candidates, reverse=True)
                    if r and drafts[k].parallel and set(f.types) & drafts[k].types
                ),
                target,
            )
        if target is None and f.retold and not apart:
            # An act named again (in Arabic: "the kidnappers were from the security forces and
            # were dismissed months ago", "their arrest ... a rumour in Yefren") is the one told
            # before: the time or place its sentence states is another clause's, and changes
            # the incident only where it states none (as the sentence's own incident had it).
            retold = next((drafts[k] for k in reversed(recent) if related(drafts[k], f)), None)
            if retold is not None:
                anchor, before = told, (f, None)
                dated = when if retold.date is None else None
                retold.add(f, dated, text, placed=retold.place is None)
                continue
        if target is None and f.cause:
            # The act that set off the fighting is the act of an incident told before it, named
            # again ("gunmen killed a young man ... clashes broke out after the killing"), when
            # one has it; else an earlier event (nlp.findings).
            target = next((drafts[k] for k in reversed(recent) if _same_act(drafts[k], f)), None)
        if target is None and not f.types:
            continue  # a supporting sentence with nothing to support
        if target is None:
            target = Draft()
            if apart and drafts and drafts[-1].last == f.sentence:
                target.parallel = drafts[-1].parallel = True
            drafts.append(target)
        target.add(f, when, text)
    return drafts


def _same_act(draft: Draft, f: Finding) -> bool:
    """Does the finding name an act the draft has (not only who its victims were)?"""
    return bool((set(f.types) - _OVERLAY) & (draft.types - _OVERLAY))


def _retold(f: Finding, previous: Finding) -> bool:
    """Does the clause only tell again the act of the clause before it: its types, no place and
    no figure of its own ("his family said he was abducted" counts the one abducted again)?"""
    return (
        bool(f.types)
        and set(f.types) <= set(previous.types)
        and f.place is None
        and all(previous.counts.get(k) == n for k, n in f.counts.items())
    )


@dataclass(frozen=True, slots=True)
class Candidate:
    """An incident the rules propose, with what the incident model reads about it."""

    incident: Incident
    findings: tuple[Finding, ...]
    confidence: float  # the rules' own confidence
    concrete: bool  # tied to the world by a precise place, a stated date, a count or a name


def candidates(
    findings: list[Finding],
    text: str,
    language: str,
    published: DateRange | None,
    places_before: Callable[[int], list[PlaceMention]],
    document_actors: Callable[[], DocumentActors] | None = None,
) -> list[Candidate]:
    """Candidate incidents of a document from its findings, in order.

    `published` is when the document appeared (a day, or a month when only that is known): the
    date of an incident whose sentences state none. `places_before(i)` gives the Libyan places
    of sentence `i` (for an incident whose own sentences name no place); `document_actors()`
    the document's actors (for an incident whose own sentences name no perpetrator).
    """
    out = []
    drafts = group(findings, text, language, published)
    days = Days(findings, drafts, text, language, published)
    for draft in drafts:
        if max(s for f in draft.findings for s in f.types.values()) < 2:
            continue  # only abstract nouns ("abuses", "torture"): a topic, not an act
        incident = _incident(draft, text, published, places_before, document_actors, days)
        out.append(
            Candidate(
                incident, tuple(draft.findings), incident.confidence, _concrete(draft, incident)
            )
        )
    return out


class Days:
    """Days told beside an incident's own sentences, lent to it where they state less.

    Both lenders are sentences no incident took: a supporting sentence (one that names an act
    without reporting it) speaks of a related act, often the first step of the incident's
    ordeal ("Omar, who was detained on 19 January, ..." before "he died from torture"); the
    sentence right after one of the incident's goes on with its story ("was shot dead last
    month. Her body was found on 23 February"). A day is lent only to an incident that states
    no day: by a supporting sentence to one that states no date, or a day inside the period it
    states; by the next sentence only a day inside a stated week or month (after an undated
    report, a day may be a statement's or a caption's; in a year, another step of the story's).
    The sentence right before an incident that states no date, one naming no act, lends it its
    one day when it is not a day of speaking: it introduces the incident's victim ("concerned
    for a photojournalist missing since October 29", then "he disappeared after leaving his
    house"). Neither lends the publication day: a dateline states it. On a page without a
    publication date, an incident that states no date takes the one day told between its
    sentences ("the authorities started demolishing buildings on 8 and 9 March 2023" between
    the headline and "16 families were evicted"): nothing else dates it.
    """

    def __init__(
        self,
        findings: list[Finding],
        drafts: list[Draft],
        text: str,
        language: str,
        published: DateRange | None,
    ) -> None:
        self.taken = {f.sentence for d in drafts for f in d.findings}
        self.reporting = {f.sentence for f in findings if f.types}
        self.supporting = [
            f
            for f in findings
            if not f.types
            and f.sentence not in self.taken
            and f.date is not None
            and f.date.precision == "day"
        ]
        self.text, self.language, self.published = text, language, published
        self._spans: list[tuple[int, int]] | None = None
        self.title = _title_period(text, language) if published is None else None

    def lent(self, draft: Draft) -> DateMention | None:
        own = draft.date
        if own is not None and own.precision == "day":
            return None
        first, last = draft.findings[0].sentence, draft.last
        for f in self.supporting:
            if (
                first - LEND_REACH <= f.sentence <= last + LEND_REACH
                and f.date is not None
                and (own is None or _within(f.date, own))
                and not self._publication(f.date)
                and related(draft, f)
            ):
                return f.date
        if own is None and self.published is None:
            # An undated page: the one day told among the incident's sentences is its best.
            told = [
                d
                for i in range(first + 1, last)
                if i not in self.taken and i not in self.reporting
                for d in self._days(i)
            ]
            return told[0] if len(told) == 1 else None
        if own is None:
            before = first - 1
            if before < 0 or before in self.taken or before in self.reporting:
                return None
            told = [d for d in self._days(before) if not d.said]
            if len(told) == 1 and not self._publication(told[0]):
                return told[0]
            return None
        if (own.last - own.first).days > LEND_PERIOD_DAYS:
            return None
        for f in draft.findings:
            after = f.sentence + 1
            if after in self.taken or after in self.reporting:
                continue
            told = self._days(after)
            if len(told) == 1 and _within(told[0], own) and not self._publication(told[0]):
                return told[0]
        return None

    def _days(self, i: int) -> list[DateMention]:
        """The days sentence `i` states."""
        if self._spans is None:
            self._spans = sentences(self.text)
        if i >= len(self._spans):
            return []
        start, end = self._spans[i]
        published = self.published
        found = find_dates(
            self.text[start:end],
            self.language,
            published.start if published is not None else None,
            month_only=published is not None and published.precision == "month",
        )
        return [d for d in found if d.precision == "day"]

    def _publication(self, d: DateMention) -> bool:
        p = self.published
        return p is not None and p.precision == "day" and d.first == d.last == p.start


def _title_period(text: str, language: str) -> DateRange | None:
    """The month or day a page's title names ("Human Rights Violations in Libya during July
    2024"): on a page without a publication date, what the report covers, and so the date of its
    incidents that state none, as the publication's would be."""
    title = text.lstrip().split("\n", 1)[0].rstrip()
    if not title or title[-1] in _STOPS:
        return None  # a sentence of the body, not a title
    found = [d for d in find_dates(title, language, None) if d.precision in ("day", "month")]
    if len(found) != 1:
        return None
    return DateRange(found[0].first, found[0].last, found[0].precision, from_publication=True)


def _within(d: DateMention, period: DateMention) -> bool:
    return period.first <= d.first and d.last <= period.last


def _concrete(draft: Draft, incident: Incident) -> bool:
    """Something ties the incident to the world: a precise place, a stated date, a count, or a
    named perpetrator. Without any, a report speaks of violations, not of an event."""
    return (
        (incident.location is not None and incident.location.kind not in _VAGUE_KINDS)
        or (incident.date is not None and not incident.date.from_publication)
        or any(v is not None for v in incident.counts.to_dict().values())
        or any(not a.generic for f in draft.findings for a in f.actors)
    )


def _fallback_place(
    draft: Draft, places_before: Callable[[int], list[PlaceMention]]
) -> PlaceMention | None:
    opening = draft.findings[0]
    first = opening.sentence
    last_resort: PlaceMention | None = next(
        (f.dateline for f in draft.findings if f.dateline is not None), None
    )
    for i in range(first, max(-1, first - 1 - PLACE_LOOKBACK), -1):
        # A clause (nlp.clauses) looks first at the clause before it in its sentence.
        found = [p for p in places_before(i) if i < first or p.end <= opening.start]
        precise = [p for p in found if p.precision <= 2]
        if precise:
            return min(precise, key=lambda p: p.precision)
        if found and last_resort is None:
            last_resort = found[0]
    return last_resort  # the dateline, else the first vague place (the country)


def _incident(
    draft: Draft,
    text: str,
    published: DateRange | None,
    places_before: Callable[[int], list[PlaceMention]],
    document_actors: Callable[[], DocumentActors] | None,
    days: Days | None = None,
) -> Incident:
    findings = draft.findings
    types: dict[str, int] = {}
    for f in findings:
        for t, s in f.types.items():
            types[t] = max(types.get(t, 0), s)
    if "attack_on_civilians" in types and "killing" in types:
        if types["attack_on_civilians"] < 3:
            del types["attack_on_civilians"]  # the shooting was the killing
        elif all(f.death_only for f in findings if "killing" in f.types):
            del types["killing"]  # the deaths were the attack's
    if (
        types.get("enforced_disappearance") == 3
        and "arbitrary_detention" in types
        and not any(f.arbitrary for f in findings)
    ):
        # Kidnappers "held" their captives: the holding is the abduction, unless the text says
        # the detention itself is arbitrary.
        del types["arbitrary_detention"]
    if max(types.values()) > 1:
        # An abstract noun ("detention", "abuses") beside a reported act is its setting.
        types = {t: s for t, s in types.items() if s > 1}
    against = [s for t, s in types.items() if t in AGAINST_PEOPLE]
    if against and any(CIVIL_SOCIETY & f.victims.keys() for f in findings):
        # The journalist named in one sentence is the "he" abducted in the next: a violation
        # against the incident's journalists or activists is an attack on civil society.
        types["attack_on_civil_society"] = max(
            types.get("attack_on_civil_society", 0), max(against)
        )

    place = draft.place
    inferred_place = False
    if place is None or place.precision > 2:
        earlier = _fallback_place(draft, places_before)
        if earlier is not None and (place is None or earlier.precision < place.precision):
            place, inferred_place = earlier, True

    when: DateRange | None = None
    stated = (days.lent(draft) if days is not None else None) or draft.reported
    if stated is not None:
        when = DateRange(stated.first, stated.last, stated.precision)
    elif not findings[0].precedent:
        when = published or (days.title if days is not None else None)

    best = max(findings, key=lambda f: f.score)
    confidence = best.score
    others = sum(1 for f in findings if f is not best and f.score >= CORROBORATING)
    confidence += min(0.15, 0.05 * others)
    if inferred_place:
        confidence += 0.05
    confidence = round(min(1.0, confidence), 3)

    perpetrators = tuple(a.perpetrator() for a in incident_perpetrators(findings, document_actors))
    victims: dict[str, int | None] = {}
    for f in findings:
        for g, n in f.victims.items():
            if victims.get(g) is None:
                victims[g] = n
    counts = incident_counts([(f.score, f.start, f.counts, f.vague_counts) for f in findings])
    spans = sorted({(f.start, f.end) for f in findings})
    return Incident(
        types=tuple(t for t in VIOLATION_TYPES if t in types),
        date=when,
        location=location_of(place.place) if place is not None else None,
        perpetrators=perpetrators,
        victims=tuple(Victim(g, n) for g, n in victims.items()),
        counts=Counts(**{k: counts.get(k) for k in COUNT_KINDS}),
        confidence=confidence,
        evidence=tuple(Evidence(s, e, text[s:e]) for s, e in spans),
        day_month=None if when else next((f.day_month for f in findings if f.day_month), None),
    )


def location_of(place: Place) -> Location:
    return Location(
        place_id=place.id,
        name=place.name,
        name_ar=place.name_ar,
        admin1=place.admin1,
        lat=place.lat,
        lon=place.lon,
        kind=place.kind,
    )
