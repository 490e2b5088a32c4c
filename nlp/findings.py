"""One sentence's finding: which violations it reports, where, when, by whom, against whom.

A sentence yields a finding when at least one trigger survives its context (nlp.context) and the
trigger's condition holds in the sentence (an air strike counts when civilians or civilian objects
are hit; an arrest when it is arbitrary or aimed at a protected group; force when it is used against
an assembly; leaving when civilians were made to leave, "forced families to leave their homes"; an
English displacement participle right before the people it names, "Evicted families will be helped",
tells what they are, not an act). Deaths count as no violation when the sentence names only fighters
among them ("twelve soldiers were killed"), or, in fighting, names no civilian or civilian object
hit; deaths, bodies, blasts and the missing of an accident or a flood count neither, though a weapon
named beside them ("shelling started a fire") still does, and deaths in the thousands are a toll
that only supports an incident. What kidnappers hold is the abduction, not a detention ("the
kidnappers held them for hours"); traffickers holding or abusing people is also trafficking. A
civilian object that only names a place ("سوق الجمعة", "Airport Road") or a speaker ("a hospital
medic said") is no target, and a journalist or activist who reports ("activist X said", "لكن
ناشطين أكدوا") no victim. An Arabic verb of abduction whose object is lives ("خطفت القذائف أرواح
ثلاثة أطفال") tells deaths. Fighters driven out of a town ("a rival group evicted the group") are
no displaced civilians, and an English attack aimed at an armed body ("air strikes against
Islamic State") hits no civilian the sentence names for another reason.
Two types are derived from the others: force still reported against an assembly is
`repression_of_assembly` (not an air strike's deaths beside a protest that condemns it), and a
violation against journalists or activists is also `attack_on_civil_society`, and so is an attack
aimed at a media outlet's or an NGO's premises ("gunmen opened fire on the TV station's bureau").
An English passive that names no victim counts when its subject is a civilian object ("their
school was hit"), and a seizing with no agent when it is a person ("hotel manager X was seized",
not "weapons were seized"). A sentence that puts its event abroad (a foreign place next to the
trigger, closer than any Libyan one, or a town or region abroad and no Libyan place at all)
yields nothing; an organisation's seat ("London-based", "منظمة غير حكومية في مالطا") is no place
of the event, nor, beside a
Libyan place, where the people came from or were sent to ("a migrant from Ghana was killed in
Tajoura", "deported to Sudan from Kufra"). An act told in the
Arabic past perfect ("وكانت ... قد اعتقلت") is background to the news; one told as its precedent,
after "this is not the first" past a comma or colon ("وهذه ليست الأولى من نوعها، فقد اختطف", "It is
not the first time: gunmen abducted"), or in the sentence after one that says only that ("وهذه ليست
المرة الأولى."), is an earlier event (nlp.assemble). One told after what says it set off the
fighting ("سبب اندلاع الاشتباكات يعود إلى حادثة قتل", "the clashes erupted after gunmen killed")
is background too, and the fighting named is the news, not the act's setting. An Arabic
sentence whose every act is only named again (the doers named by the act, "الخاطفين"; an event
noun made definite by the article or a possessive, "الاختطاف", "اعتقالهما"; not "تم اعتقال",
which tells one anew) refers back to an act told before it, unless the time or place it states
is in the re-mention's own clause ("اختطافه يوم 27 فبراير").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING

from nlp.actors import Actor, find_actors
from nlp.agents import bystanders, perpetrators, reports
from nlp.context import BREAK, classify
from nlp.dates import date_spans, find_dates, find_day_months
from nlp.places import find_places, is_journey_end, scenes
from nlp.text import arabic_stems, fold
from nlp.triggers import Entry, data
from nlp.victims import (
    casualty_counts,
    find_count_words,
    find_groups,
    find_numbers,
    group_counts,
    is_number_word,
    vague_kinds,
)

if TYPE_CHECKING:
    from datetime import date

    from nlp.actors import ActorMention
    from nlp.dates import DateMention
    from nlp.model import DayMonth
    from nlp.places import Place, PlaceMention
    from nlp.text import Token
    from nlp.triggers import Hit
    from nlp.victims import GroupMention

LIBYA = "LY"
# Victims who are civilians. Journalists are too (Additional Protocol I, art. 79): "a
# photographer killed in clashes" is civilian harm, not fighters' deaths. ("Activists" is left
# out: the opposition a force fights, "المعارضة", reads as activists.)
CIVILIAN_GROUPS = frozenset(
    {"civilians", "children", "women", "migrants_refugees", "medical_workers", "detainees"}
    | {"journalists"}
)
# An arrest of these people is arbitrary unless the text says they are suspects.
PROTECTED_GROUPS = frozenset(
    {
        "journalists",
        "activists",
        "migrants_refugees",
        "protesters",
        "civilians",
        "women",
        "children",
        "minorities",
        "medical_workers",
    }
)
CIVIL_SOCIETY = frozenset({"journalists", "activists"})
# People whose expulsion or deportation is forced displacement.
DISPLACEABLE = frozenset({"civilians", "migrants_refugees", "minorities", "children", "women"})
# Force counts against an assembly named within this many tokens, in the same clause.
ASSEMBLY_REACH = 10
# An attack aims at the premises named within this many tokens after it, in the same clause;
# an English passive's subject stands this many tokens at most before it.
TARGET_REACH = 12
# "militias from the Libyan city of Misrata": what may stand between a group and its town.
QUALIFIER_CHARS = 40
_QUALIFIER = re.compile(
    r"\s*(?:(?:forces|fighters|members|brigades)\s+)?"
    r"(?:from|of|in|من|في)\s+(?:the\s+)?(?:libyan\s+)?(?:(?:city|town)\s+of\s+)?"
    r"(?:مدينة\s+|بلدة\s+)?"
)
# "London-based", "Geneva based": the place before is where an organisation sits.
_SEAT = re.compile(r"[-\s]based\b", re.IGNORECASE)
# "منظمة غير حكومية في مالطا", "an NGO in Malta": a place abroad right after an organisation
# (and up to three words qualifying it) is its seat too.
_ORG_SEAT = re.compile(
    r"(?:\b(?:organi[sz]ation|NGO|charity)|(?:منظم|مؤسس|جمعي)[ةه])(?:\s+[^\s,،.]+){0,3}"
    r"\s+(?:in\s+|based\s+in\s+|في\s+|ب)$",
    re.IGNORECASE,
)
ORG_SEAT_CHARS = 60
# Actors read per sentence at most (hostile input can repeat a name thousands of times).
MAX_ACTORS = 40
# Casualty figures this large are totals and statistics, not one event's toll.
STATISTIC = 1000
# Words that make the place after them an origin ("forces from Misrata") or a point of
# reference ("20 km east of Tripoli", "شرق العاصمة طرابلس"), not the scene.
_ORIGIN = frozenset(
    {"from", "من", "east", "west", "north", "south", "شرق", "غرب", "شمال", "جنوب"}
    | {"southeast", "southwest", "northeast", "northwest", "شرقي", "غربي", "شمالي", "جنوبي"}
)
# Words that may stand between an origin word and its place ("south of the town of").
_REFERENCE_FILLER = frozenset(
    {"the", "of", "city", "town", "village", "area", "region", "district", "central", "coastal"}
    | {"eastern", "western", "southern", "northern", "libyan", "مدينة", "بلدة", "منطقة", "قرية"}
)
# Places an armed group is named after ("Misrata militias", "كتائب الزنتان").
_GROUP_SEATS = frozenset({"city", "town", "village", "neighbourhood"})
# Places that are areas: a cue word inside their name ("Souq al-Jumaa") names the area.
AREA_KINDS = frozenset({"city", "town", "village", "neighbourhood", "district", "region"})
IRREGULAR = frozenset({"armed_group", "unidentified_armed_men", "traffickers", "foreign_forces"})
# Force that, near an assembly, is its repression. Air strikes and shelling are not: a protest
# that condemns a bombardment names the assembly beside the strike.
FORCE_TYPES = frozenset({"killing", "torture", "arbitrary_detention", "enforced_disappearance"})
AGAINST_PEOPLE = frozenset(
    {"killing", "torture", "arbitrary_detention", "enforced_disappearance", "sexual_violence"}
)
# What traffickers do to the people they hold that makes it trafficking.
HOLDING = frozenset({"arbitrary_detention", "enforced_disappearance", "torture"})
# "activist Fathi X said 11 protesters were killed": an English speaker stands this many
# tokens at most before the reporting verb.
SPEAKER_REACH = 5
# How close an Arabic reporting verb follows the subject it agrees with.
SAYS_REACH = 2
# "journalists said they were beaten": speakers who tell of themselves are the victims.
_SELF = frozenset({"he", "she", "they", "we", "i", "his", "her", "their", "our", "my"})
# The forms of "كان" that open an Arabic past perfect with "قد", and how far "قد" may follow.
_KANA = frozenset({"كان", "كانت", "كانوا", "وكان", "وكانت", "وكانوا", "فكان", "فكانت"})
_QAD = frozenset({"قد", "وقد"})
PLUPERFECT_REACH = 8
# What opens a precedent after "ليست الأولى" when no comma does ("ليست المرة الأولى فقد اختطف").
_AR_FOR = frozenset({"فقد", "اذ"})
# What stands between a place and "seized by" when the place is what was seized ("Mizdah,
# which was recently seized by"; not "protesters in Sirte were seized by").
SEIZED_PLACE_CHARS = 40
_SEIZED = re.compile(
    r"\s*,?\s*(?:which|that)\s+(?:(?:was|is|has|had|been)\s+)*(?:\w+ly\s+)?",
    re.IGNORECASE,
)
# How much white space may stand before a dateline's place at the start of its sentence.
DATELINE_INDENT = 16
# How far into a document its publication day may stand to be the page's stamp ("date
# 2019-10-22", "/ 10 March 2017") rather than an event's day.
STAMP_REACH = 16
# Weights of the confidence a sentence gives; see `_score`.
BASE = {1: 0.25, 2: 0.35, 3: 0.45}
# A foreign place this close to a trigger, and closer than any Libyan place, puts the event
# abroad.
ABROAD_REACH = 80
# A count this large describes a population, not an event's victims.
ANCHOR_COUNT_MAX = 1000


# "the 2011 uprising that toppled and killed": a relative pronoun this many tokens at most
# before the act it tells.
_RELATIVES = frozenset({"that", "which"})
RELATIVE_REACH = 4
# The auxiliaries of an English passive seizing, and the pronouns that make its subject a person.
_WAS = frozenset({"was", "were"})
_PERSONAL = frozenset({"he", "she"})

# Deaths in fighting count when the sentence names civilians or a civilian object among those
# hit: a toll of clashes that says nothing of who died is no more than fighting.
_CIVILIAN_VICTIMS = Entry("trigger", "attack_on_civilians", 2, "civilian_victims")
_IN_FIGHTING = Entry("trigger", "attack_on_civilians", 3)
# "خطفت القذائف أرواح ثلاثة أطفال" (the shells snatched the lives of three children): a verb of
# abduction whose object is lives tells deaths.
_TAKING_LIVES = Entry("trigger", "killing", 3, tag="death")
_LIVES = "ارواح"
LIVES_REACH = 4


@dataclass(slots=True)
class Finding:
    sentence: int
    start: int
    end: int
    types: dict[str, int]  # type -> strength; empty for a supporting sentence
    death_only: bool  # killing rests only on bare death words
    soft: bool
    place: PlaceMention | None
    date: DateMention | None
    actors: list[Actor]
    victims: dict[str, int | None]
    counts: dict[str, int]
    score: float = 0.0
    # Types the sentence speaks of without showing the harm itself ("accused Haftar's forces of
    # an air strike on Tajoura"): it cannot raise an incident, but it supports one.
    supports: frozenset[str] = frozenset()
    # Named actors in the sentence that no rule ties to the act: a last resort for an incident
    # whose sentences name no perpetrator in place.
    other_actors: list[Actor] = field(default_factory=list)
    # Where the story was filed ("طرابلس -"): the scene only when nothing better is named.
    dateline: PlaceMention | None = None
    strength: int = 0
    # The sentence says the detention is arbitrary ("without charge", "تعسفيا"), rather than
    # only that someone was held.
    arbitrary: bool = False
    # The act is told in the past perfect ("وكانت طائرات قد شنت غارات"), as a precedent, as what
    # set off the fighting (`cause`), or in an "after" clause dated only to a week, month or year
    # (nlp.clauses): background to the news, not a step of its event.
    background: bool = False
    # The act is told as a precedent of the news ("this is not the first of its kind: gunmen
    # abducted"): an earlier event, which the publication does not date.
    precedent: bool = False
    # The act is told as what set off the fighting ("the clashes erupted after gunmen killed"):
    # background to the news, unless an incident told before it has its act (nlp.assemble).
    cause: bool = False
    # Every act the Arabic sentence names is one told before, named again by a definite or
    # possessive noun ("الخاطفين", "الاختطاف", "اعتقالهما"): it refers back to that act
    # (nlp.assemble).
    retold: bool = False
    # The count kinds whose figure is only a vague quantity ("dozens"): an incident prefers a
    # written figure from another sentence.
    vague_counts: frozenset[str] = frozenset()
    # On a page without a publication date, the day and month the sentence gives without a year
    # ("on 16 February"), when it states no date: what clustering can still compare.
    day_month: DayMonth | None = None


@dataclass(slots=True)
class Sentence:
    """A sentence of the analysed text with its tokens and the hits in it."""

    index: int
    start: int
    end: int
    first: int  # token range [first, last)
    last: int
    hits: list[Hit]


def libyan_places(text: str, start: int, end: int, language: str) -> list[PlaceMention]:
    """Places in text[start:end] that are in Libya, offsets into `text`; names inside other names
    and speakers' seats dropped (nlp.places.scenes)."""
    found = _places(text, start, end, language)
    return scenes(text, [p for p in found if p.place.country == LIBYA])


def _places(text: str, start: int, end: int, language: str) -> list[PlaceMention]:

    return [
        replace(p, start=p.start + start, end=p.end + start)
        for p in find_places(text[start:end], language)
    ]


def _is_dateline(text: str, sentence_start: int, place: PlaceMention) -> bool:
    """'طرابلس - ...', 'TRIPOLI (Reuters) -' or '(Tripoli) -': where the story was filed, not
    where it happened."""
    # Only white space, or the bracket a dateline may stand in, may precede it (a sentence's
    # opening place: no need to read further).
    before = text[sentence_start : place.start].strip()
    if place.start - sentence_start > DATELINE_INDENT or before not in ("", "("):
        return False
    after = text[place.end : place.end + 16].lstrip()
    if before:
        return after.startswith(")") and after[1:].lstrip().startswith(("-", ":", "–", "—"))
    return after.startswith(("-", ":", "(", "–", "—"))


def build(
    sent: Sentence,
    text: str,
    toks: list[Token],
    language: str,
    published: date | None,
    *,
    month_only: bool = False,
    after_precedent: bool = False,
) -> Finding | None:
    """The finding of one sentence, or None when it reports no violation in Libya.

    `published` is the publication day, or with `month_only` a day of the publication month
    (nlp.dates.find_dates); `after_precedent` says the sentence before tells only that what
    follows is not the first of its kind (`opens_precedent`)."""
    stoks = toks[sent.first : sent.last]
    hits = sent.hits
    triggers = [h for h in hits if h.triggers]
    if not triggers:
        return None
    actors = find_actors(stoks, sent.first)[:MAX_ACTORS]
    # "men" in "armed men" names the perpetrators, not victims.
    # Victims are neither the perpetrators' own words ("armed men") nor who reports ("said
    # the activist", "وقال الناشط").
    groups = [
        g
        for g in find_groups(stoks, language, sent.first)
        if not any(a.first <= g.last and g.first <= a.last for a in actors)
        and not reports(g.first, hits)
        and not (language == "en" and _speaker(g.last, hits, toks))
        and not (language == "ar" and _says(g.first, g.last, hits, toks, text))
    ]
    group_names = {g.group for g in groups}
    group_firsts = {g.first for g in groups}
    categories = {a.actor.category for a in actors}

    # A place inside a name ("Misrata militias", "فجر ليبيا") is not where anything happened,
    # nor is an organisation's seat ("New York-based Human Rights Watch").
    all_places = [
        p
        for p in _places(text, sent.start, sent.end, language)
        if not any(a.start <= p.start < a.end for a in actors)
        and not _SEAT.match(text, p.end)
        and not (
            p.place.country != LIBYA
            and _ORG_SEAT.search(text, max(sent.start, p.start - ORG_SEAT_CHARS), p.start)
        )
    ]
    # A market or an airport that only names a district ("سوق الجمعة", "Airport Road") is no
    # civilian object hit.
    areas = [p for p in all_places if p.place.kind in AREA_KINDS]
    cues = {
        e.kind
        for h in hits
        for e in h.entries
        if e.kind != "trigger"
        and not (
            e.kind in ("civilian_object", "civil_society_object")
            and (
                any(p.start <= h.start < p.end for p in areas)
                or (language == "en" and _speaker(h.last, hits, toks))
            )
        )
    }
    # A sentence that names a town or region abroad and no place in Libya tells of events there.
    abroad = any(p.place.kind != "country" for p in all_places) and all(
        p.place.country != LIBYA for p in all_places
    )
    # "The clashes erupted after" names the fighting: the setting of an act told before it, not
    # of the act that set it off, told after it (`_caused`).
    caused = _caused(triggers, hits)
    if not caused and any(h.has("cause") for h in hits):
        cues.add("hostilities")
    # Where people come from or were sent to ("a migrant from Ghana", "deported to Sudan") is
    # not where an act told beside a place in Libya happened: the act was done where they were.
    possible_scenes = (
        [p for p in all_places if p.place.country == LIBYA or not is_journey_end(text, p)]
        if not abroad and any(p.place.country == LIBYA for p in all_places)
        else all_places
    )
    scene_starts = [p.start for p in possible_scenes]
    kept: dict[str, int] = {}
    soft_only: dict[str, int] = {}
    death_only = True
    starts: dict[bool, list[int]] = {True: [], False: []}
    force_at: list[tuple[int, int, str]] = []
    used: list[Hit] = []
    support: set[str] = set()
    soft_kinds: set[str] = set()
    for hit in triggers:
        status = classify(hit, hits, toks, text, sent.start)
        if status.hard or abroad or _abroad(hit, possible_scenes, scene_starts):
            continue
        if _names_past_event(hit, toks) or _seizes_place(hit, all_places, text):
            continue
        if language == "en" and _seizes_no_one(
            hit, toks, text, sent.first, groups, actors, all_places
        ):
            continue
        if language == "en" and _names_their_status(hit, toks, group_firsts, sent.first):
            continue
        if language == "en" and _expels_fighters(hit, hits, toks, actors, sent.last):
            continue
        is_soft = bool(status.soft)
        soft_kinds.update(status.soft)
        for entry in _aimed(hit, hits, text):
            if entry.type == "enforced_disappearance" and _takes_lives(hit, toks, sent.last):
                entry = _TAKING_LIVES
            if entry.needs == "civilian_object" and not any(
                h.has("civilian_object") and 0 < hit.first - h.last <= TARGET_REACH for h in hits
            ):
                continue  # the passive's subject is no civilian object: "a boy was hit by a car"
            if not _needs_met(entry, cues, group_names, categories) or (
                entry.needs == "civilian_harm"
                and language == "en"
                and not cues & {"casualty", "civilian_object"}
                and _aimed_at_fighters(hit, hits, toks, actors, sent.last)
            ):
                # Leaving that nobody forced ("families chose to leave their homes"), or fighters
                # driven out of a town, does not speak of displacement at all.
                if not status.soft and entry.needs != "coercion":
                    support.add(entry.type)
                    used.append(hit)
                continue
            if entry.type == "attack_on_civilians" and entry.strength < 3 and "assembly" in cues:
                continue  # gunfire at a protest is repression, not hostilities
            if "misfortune" in cues and (
                entry.tag in ("death", "body", "blast")
                or (entry.type == "attack_on_civilians" and entry.strength < 3)
                or (entry.type == "enforced_disappearance" and entry.strength == 1)
            ):
                # Deaths, bodies, blasts and the missing of an accident, a flood or an
                # epidemic; a weapon named ("shelling caused a fire") is still an attack.
                continue
            if entry.type == "attack_on_civilians" and entry.strength < 3 and "release" in cues:
                continue  # a raid that frees captives is a rescue
            if (
                entry.tag in ("death", "body")
                and "combatant" in cues
                and not group_names
                and "civilian_object" not in cues
                and not _killers_are_the_fighters(hit, hits, actors, toks, language)
            ):
                continue  # only fighters named among the dead: no violation
            if entry.tag == "death" and "hostilities" in cues:
                # Deaths in fighting: civilians caught in it are an attack on civilians,
                # fighters' deaths are no violation, whoever else the sentence names ("clashes
                # between migrants and smugglers killed three smugglers").
                if not _needs_met(_CIVILIAN_VICTIMS, cues, group_names, categories) or (
                    language == "en" and _armed_object(hit.last + 1, hits, toks, actors, sent.last)
                ):
                    continue
                entry = _IN_FIGHTING
            target = soft_only if is_soft else kept
            target[entry.type] = max(target.get(entry.type, 0), entry.strength)
            starts[is_soft].append(hit.start)
            used.append(hit)
            if entry.type in FORCE_TYPES:
                force_at.append((hit.first, hit.start, entry.type))
            if entry.type == "killing" and (
                entry.tag != "death" or _agentive(hit, actors, language)
            ):
                death_only = False
    if not kept and not soft_only and not support:
        return None
    anchor = min(starts[False] or starts[True] or [h.start for h in used])

    all_dates = _sentence_dates(text, sent, language, published, month_only)
    dates = _event_dates(all_dates, hits, None if month_only else published)
    # A number inside a name ("the 444 Brigade") or a date ("April 29") counts nobody; without
    # a publication date, dates without a year are not read, but their days are still days.
    date_at = [(d.start, d.end) for d in all_dates]
    if published is None:
        date_at = [
            (s + sent.start, e + sent.start)
            for s, e in date_spans(text[sent.start : sent.end], language)
        ]
    date_starts = [s for s, _ in date_at]
    numbers = [
        n
        for n in find_numbers(stoks, language, text)
        if not any(a.first <= n.first + sent.first <= a.last for a in actors)
        and not _inside(n.start, date_at, date_starts)
    ]
    numbers = [
        type(n)(n.first + sent.first, n.last + sent.first, n.value, n.exact, n.start, n.end)
        for n in numbers
    ]
    libyan = scenes(text, [p for p in all_places if p.place.country == LIBYA])
    dateline = next((p for p in libyan if _is_dateline(text, sent.start, p)), None)
    libyan = [p for p in libyan if p is not dateline]
    words = find_count_words(stoks, language, sent.first)
    counts = casualty_counts(words, numbers, toks, language, groups)
    victims = group_counts(groups, numbers, toks)
    if "killing" in kept and death_only and counts.get("killed", 0) >= STATISTIC:
        # Deaths in the thousands are a war's or a disaster's toll, not one event's.
        kept.pop("killing")
        support.add("killing")
    exact_count = any(
        n.exact and n.value < ANCHOR_COUNT_MAX
        for n in numbers
        if n.value in counts.values() or n.value in victims.values()
    )
    # A soft sentence needs a day it happened on ("since June 2020" dates a pattern), or a
    # recent week told from the publication ("days ago", "الأسبوع الماضي": one happening, as a
    # weekday is), or a count of victims; in court, legal and policy news the numbers count
    # defendants, years and resolutions, so only a time will do.
    anchored = any(d.precision == "day" or (d.relative and d.precision == "week") for d in dates)
    anchored = anchored or (exact_count and not soft_kinds & {"legal", "policy"})
    soft = not kept
    if soft and soft_only and anchored:
        kept = soft_only
    elif soft and not support:
        return None
    if "killing" not in kept:
        death_only = False

    if (
        "arbitrary_detention" in kept
        and "arbitrary" not in cues
        and any(e.tag == "captor" for h in used for e in h.triggers)
    ):
        # "the kidnappers held them", "one of the kidnappers was arrested": the holding is the
        # abduction, the arrest is of a suspect.
        kept.pop("arbitrary_detention")
    if kept.get("attack_on_civilians") == 3 and death_only:
        kept.pop("killing", None)  # deaths from air strikes and shelling are the attack's harm
    elif kept.get("attack_on_civilians", 0) < 3 and "killing" in kept:
        kept.pop("attack_on_civilians", None)  # "shot dead": the shooting is the killing
    # Only force still reported counts against an assembly: deaths that were an air strike's
    # harm, told beside a protest that condemns the strike, are not.
    assembly = [h for h in hits if h.has("assembly")]
    near_assembly = any(
        abs(a.first - t) <= ASSEMBLY_REACH and not BREAK.search(text, *sorted((a.start, ts)))
        for a in assembly
        for t, ts, kind in force_at
        if kind in kept
    )
    _derive(kept, near_assembly, group_names)
    perps = perpetrators(
        _qualified(actors, all_places, text), [h for h in used if _strong(h)], hits, text, language
    )
    held = [n for t, n in kept.items() if t in HOLDING]
    if held and any(a.category == "traffickers" for a in perps):
        # Traffickers holding, abducting or abusing people is trafficking in persons (its
        # harbouring by force), whether or not the text names a sale or a ransom.
        kept["trafficking"] = max(kept.get("trafficking", 0), max(held))
    if kept and max(kept.values()) == 3:
        # An abstract noun beside a narrated event is its setting ("an air strike on the
        # detention centre"), not a second violation.
        kept = {t: s for t, s in kept.items() if s > 1}
    place = _nearest(libyan, anchor, text)
    date = min(dates, key=lambda d: abs(d.start - anchor)) if dates else None
    day_month = None
    if date is None and published is None:
        told = find_day_months(text[sent.start : sent.end], language)
        if told:
            day_month = min(told, key=lambda d: abs(d.start + sent.start - anchor)).day
    acts = [h for h in used if _strong(h)]
    precedent = bool(acts) and (after_precedent or _precedent(acts, hits, toks, text))
    cause = caused and bool(acts)
    finding = Finding(
        sentence=sent.index,
        start=sent.start,
        end=sent.end,
        types=kept,
        death_only=death_only and "killing" in kept,
        soft=soft,
        place=place,
        date=date,
        day_month=day_month,
        actors=perps,
        other_actors=bystanders(actors, used, hits, text),
        supports=frozenset(support),
        dateline=dateline,
        victims=victims,
        counts=counts,
        vague_counts=vague_kinds(counts, numbers),
        arbitrary="arbitrary" in cues
        or any(e.type == "arbitrary_detention" and not e.needs for h in used for e in h.triggers),
        background=precedent or cause or _pluperfect(stoks, sent.first, acts),
        precedent=precedent,
        cause=cause,
        # Arabic only: the reports that told an act twice this way were Arabic, and an English
        # reading ("the abduction", "their arrest") had no training case to rest on.
        retold=language == "ar" and _retells_all(kept, used, toks, text, [place, date]),
    )
    finding.score = _score(finding, exact_count, "general" in cues) if kept else 0.0
    finding.strength = max(kept.values(), default=0)
    if counts and min(counts.values()) >= STATISTIC:
        finding.score = max(0.0, finding.score - 0.15)
    return finding


def _retells_all(
    kept: dict[str, int],
    used: list[Hit],
    toks: list[Token],
    text: str,
    told: list[PlaceMention | DateMention | None],
) -> bool:
    """Does every act of the sentence only name again an act told before it: each of its types
    named by a re-mention (`_retells`) and by nothing that narrates anew (a verb, or "تم"/"جرى"
    with its verbal noun: "جرى اختطاف السيدتين")? A construct noun beside the possessive one
    ("ظل مكان احتجاز الشابين مجهولا ... وراء اعتقالهما") names no new act; a type no phrase
    names, derived from who the victims are, is the act's. A place or time the sentence `told`
    in the re-mention's own clause ("اختطافه يوم 27 فبراير") is the act's: then the
    sentence tells when or where it happened, as a new report would."""
    named = {e.type for h in used for e in h.triggers if e.type in kept and kept[e.type] >= 2}
    if not named:
        return False
    again = [h for h in used if _retells(h, toks)]
    anew = {
        e.type
        for h in used
        if h not in again
        for e in h.triggers
        if e.strength == 3 or _periphrastic(h, toks)
    }
    if not named <= {e.type for h in again for e in h.triggers} or named & anew:
        return False
    acts = [(h.start, h.end) for h in used]
    return not any(
        m is not None and any(_attached(m.start, m.end, h, acts, text) for h in again) for m in told
    )


# The Arabic auxiliaries of a passive told with a verbal noun: "تم اعتقاله", "جرى اختطاف".
_AR_DONE = frozenset(fold(w) for w in ("تم", "جرى", "يتم", "يجري"))


def _periphrastic(hit: Hit, toks: list[Token]) -> bool:
    """Does "تم" or "جرى" stand right before the Arabic verbal noun ("وجرى اختطاف السيدتين")?"""
    return hit.first > 0 and not _AR_DONE.isdisjoint(arabic_stems(toks[hit.first - 1].text))


def _attached(start: int, end: int, hit: Hit, acts: list[tuple[int, int]], text: str) -> bool:
    """Is text[start:end] in the clause of the phrase, no punctuation and no other act between
    them?"""
    lo, hi = (hit.end, start) if hit.end <= start else (end, hit.start)
    if lo > hi:
        return True  # they overlap
    return BREAK.search(text, lo, hi) is None and not any(lo <= a < hi for a, _ in acts)


# The nouns an Arabic act is an "operation" of: "عملية الاختطاف", "عملية خطفهما".
_AR_OPERATION = frozenset(fold(w) for w in ("عملية", "عمليات"))


def _retells(hit: Hit, toks: list[Token]) -> bool:
    """Does the Arabic phrase name again an act told before it? The doers named by the act
    ("الخاطفين", the kidnappers), or an event noun made definite by the article ("الاختطاف",
    "المختطفين") or by a possessive ("اعتقالهما", their arrest), or the "operation" of an act so
    made definite ("عملية خطفهما", where the verbal noun is written as the verb)."""
    entries = hit.triggers
    if any(e.tag == "captor" for e in entries):
        return True
    if hit.first != hit.last:
        return False
    nouns = [e for e in entries if e.strength == 2]
    word = toks[hit.first].text
    before = toks[hit.first - 1].text if hit.first > 0 else ""
    operation = bool(before) and not _AR_OPERATION.isdisjoint(arabic_stems(before))
    if not (nouns or operation):
        return False
    bare = _ar_bare(word)
    if bare.startswith(("ال", "لل")):
        return True
    return _ar_possessive(bare, nouns=not operation)


def _ar_bare(word: str) -> str:
    """An Arabic word without its conjunction and preposition (the article kept)."""
    if word[:1] in ("و", "ف") and len(word) > 3:
        word = word[1:]
    if word[:1] in ("ب", "ل", "ك") and len(word) > 3 and word[1:3] == "ال":
        word = word[1:]
    return word


def _ar_possessive(word: str, *, nouns: bool) -> bool:
    """Is the word an act's phrase with a possessive pronoun ("اعتقالهما" = اعتقال + هما; "وفاته"
    = وفاة + ه), and not a phrase itself? Only nouns of the lexicon, unless `nouns` is False."""
    phrases = _ar_act_words()[0 if nouns else 1]
    if word in phrases or "ال" + word in phrases:
        return False
    stems = [word[: -len(s)] for s in _AR_POSSESSIVES if word.endswith(s)]
    return any(
        len(stem) >= 3 and (stem in phrases or (stem.endswith("ت") and stem[:-1] + "ه" in phrases))
        for stem in stems
    )


_AR_POSSESSIVES = ("هما", "هم", "هن", "ها", "ه")


@cache
def _ar_act_words() -> tuple[frozenset[str], frozenset[str]]:
    """The one-word Arabic act phrases: the event nouns (strength 2), and every one."""
    nouns, every = set(), set()
    for spec in data()["triggers"]["ar"]:
        for phrase in spec["phrases"]:
            if " " in phrase:
                continue
            word = fold(phrase)
            every.add(word)
            if spec["strength"] == 2:
                nouns.add(word)
    return frozenset(nouns), frozenset(every)


def _names_past_event(hit: Hit, toks: list[Token]) -> bool:
    """'the 2011 NATO airstrikes', 'the 2019 attack': a year before the event noun names an
    earlier event the text refers to, not one it reports; so does one before the noun a
    relative clause tells the act of ('the 2011 uprising that toppled and killed Gaddafi')."""
    if _the_year(hit.first, toks, (1, 2)):
        return True
    for r in range(hit.first - 1, max(0, hit.first - 1 - RELATIVE_REACH), -1):
        if toks[r].text in _RELATIVES:
            return _the_year(r, toks, (2, 3, 4))
    return False


def _the_year(first: int, toks: list[Token], gaps: tuple[int, ...]) -> bool:
    """Does 'the' and a year stand this many tokens before token `first` ('the 2011 ...')?"""
    for k in gaps:
        at = first - k
        if at < 1 or toks[at - 1].text != "the":
            continue
        word = toks[at].text
        if len(word) == 4 and word.isdigit() and word[:2] in ("19", "20"):
            return True
    return False


def _seizes_place(hit: Hit, places: list[PlaceMention], text: str) -> bool:
    """'Mizdah, which was recently seized by east-based forces': the seizing of a place is no
    abduction."""
    if not any(e.tag == "seizure" for e in hit.triggers):
        return False
    return any(
        0 <= hit.start - p.end <= SEIZED_PLACE_CHARS and _SEIZED.fullmatch(text[p.end : hit.start])
        for p in places
    )


def _seizes_no_one(
    hit: Hit,
    toks: list[Token],
    text: str,
    sentence_first: int,
    groups: list[GroupMention],
    actors: list[ActorMention],
    places: list[PlaceMention],
) -> bool:
    """Does an English passive seizing with no agent ("Weapons were seized", "the town was
    seized") name no person as its subject? It is an abduction only when the word before it is
    one: a victim ("two activists were seized"), "he" or "she", or a name past the sentence's
    first word ("hotel manager Walid X was seized") that is neither a place nor a force."""
    if not any(e.tag == "seizure" for e in hit.triggers) or toks[hit.first].text not in _WAS:
        return False
    if toks[hit.last].text == "by":
        return False  # "was seized by": its agent decides, as for any seizing
    before = hit.first - 1
    if before < sentence_first:
        return True
    if toks[before].text in _PERSONAL or any(g.last == before for g in groups):
        return False
    if before == sentence_first:
        return True  # a capital there tells nothing: "Fuel was seized"
    start = toks[before].start
    return not (
        text[start].isupper()
        and not any(a.first <= before <= a.last for a in actors)
        and not any(p.start <= start < p.end for p in places)
    )


def _takes_lives(hit: Hit, toks: list[Token], stop: int) -> bool:
    """Is the Arabic abduction verb's object "lives" ("خطفت القذائف العشوائية أرواح 3 أطفال"),
    a figure of speech for deaths? Its subject may stand between them."""
    return any(
        _LIVES in arabic_stems(t.text)
        for t in toks[hit.last + 1 : min(stop, hit.last + 1 + LIVES_REACH)]
    )


def _speaker(last: int, hits: list[Hit], toks: list[Token]) -> bool:
    """Is the English noun phrase ending at token `last` the subject of a reporting verb just
    after it ("a Libyan activist, Name, said ...", "a hospital medic said"), and not telling of
    itself ("said they were beaten")? A violation word before the verb makes the phrase its
    victim ("a journalist detained last week said", "gunmen killed two activists, witnesses
    said")."""
    for h in hits:
        if not (h.has("reporting") and 0 < h.first - last <= SPEAKER_REACH):
            continue
        if any(t.triggers and t.first < h.first for t in hits):
            return False
        after = [t.text for t in toks[h.last + 1 : h.last + 3]]
        if after[:1] == ["that"]:
            after = after[1:]
        return not (after and after[0] in _SELF)
    return False


def _says(first: int, last: int, hits: list[Hit], toks: list[Token], text: str) -> bool:
    """Is the Arabic noun phrase at tokens `first`-`last` the subject of a reporting verb right
    after it ("لكن ناشطين حقوقيين أكدوا أن الجثث ...": activists who report the deaths), not the
    object of an act before it in its clause ("اعتقلت قوة أمنية ناشطين قالوا ...")?"""
    if not any(h.has("reporting") and 0 < h.first - last <= SAYS_REACH for h in hits):
        return False
    opens = max((h.last for h in hits if h.has("boundary") and h.last < first), default=-1)
    return not any(
        h.triggers
        and opens < h.first
        and h.last < first
        and not BREAK.search(text, toks[h.last].end, toks[first].start)
        for h in hits
    )


def _agentive(hit: Hit, actors: list[ActorMention], language: str) -> bool:
    """Does a killer stand as the subject just after the Arabic death verb, "قتل مسلحون مجهولون
    رجل دين"? Then it tells a killing, not a toll, even beside a shell that hit a house. (An
    English actor before "killed" is often not its subject: "shelling attributed to Haftar's
    forces kills 5".)"""
    return language == "ar" and any(a.first == hit.last + 1 for a in actors)


# Besides a number ("killed two men", "killed a Frenchman"), what starts the object of an English
# death verb: without one the verb is a participle ("the attackers killed have been identified",
# "two gunmen killed in clashes") and its subject died.
_OBJECT_START = frozenset({"the", "his", "her", "their", "several", "at"})


def _killers_are_the_fighters(
    hit: Hit, hits: list[Hit], actors: list[ActorMention], toks: list[Token], language: str
) -> bool:
    """Are the only fighters the sentence names the killers, the subject of the English death
    verb ("Gunmen killed a Frenchman")? Then someone else died. (An Arabic "قتل مسلحون" may be
    either voice: the sentence's other words decide.)"""
    if language != "en":
        return False
    after = toks[hit.last + 1].text if hit.last + 1 < len(toks) else ""
    if not (after in _OBJECT_START or is_number_word(after, language)):
        return False
    killers = [a for a in actors if a.last == hit.first - 1]
    return bool(killers) and all(
        any(a.first <= h.first and h.last <= a.last for a in killers)
        for h in hits
        if h.has("combatant")
    )


def _pluperfect(stoks: list[Token], first: int, acts: list[Hit]) -> bool:
    """Is an act of the sentence told in the past perfect, "كان ... قد <act>", the act's trigger
    within a word or two of "قد"? (The English past perfect is mostly reported speech: "said
    that ... had killed".)"""
    for i, t in enumerate(stoks):
        if t.text not in _KANA:
            continue
        for j in range(i + 1, min(len(stoks), i + 1 + PLUPERFECT_REACH)):
            if stoks[j].text in _QAD and any(0 < h.first - (first + j) <= 3 for h in acts):
                return True
    return False


def _precedent(acts: list[Hit], hits: list[Hit], toks: list[Token], text: str) -> bool:
    """Is every act of the sentence told after "not the first" ("ليست الأولى") and past a comma,
    a colon or "فقد"? Right after it, the act is the news told again ("not the first time gunmen
    have abducted a lawyer", "ليست المرة الأولى التي يختطف فيها")."""
    markers = [h for h in hits if h.has("precedent")]

    def parted(m: Hit, a: Hit) -> bool:
        return m.last < a.first and (
            BREAK.search(text, m.end, a.start) is not None
            or any(t.text in _AR_FOR for t in toks[m.last + 1 : a.first])
        )

    return all(any(parted(m, a) for m in markers) for a in acts)


def _caused(acts: list[Hit], hits: list[Hit]) -> bool:
    """Is every act of the sentence told after what says it set off the fighting ("the clashes
    erupted after", "سبب اندلاع الاشتباكات يعود إلى")? The act that set off the news is
    background to it, an earlier event."""
    causes = [h.last for h in hits if h.has("cause")]
    return bool(causes) and all(min(causes) < a.first for a in acts)


def opens_precedent(hits: list[Hit]) -> bool:
    """Does a sentence that tells no act say that what follows is not the first of its kind
    ("This is not the first time.", "وهذه ليست المرة الأولى.")?"""
    return any(h.has("precedent") for h in hits)


def _strong(hit: Hit) -> bool:
    """A trigger that narrates an act; an abstract noun ("detention centre") only sets a scene."""
    return any(e.strength >= 2 for e in hit.triggers)


def _qualified(
    actors: list[ActorMention], places: list[PlaceMention], text: str
) -> list[ActorMention]:
    """Armed groups named by their town: "Misrata militias", "militias from the city of
    Misrata", "ميليشيات من مدينة مصراتة", "كتائب الزنتان" become one actor of their own. A
    country or a region ("rebels in Libya", "a militia in western Libya") only says where a
    group is, not which group it is."""
    out = []
    towns = [p for p in places if p.place.kind in _GROUP_SEATS]
    for m in actors:
        place = None
        if m.actor.generic and m.actor.category == "armed_group":
            after = [
                p
                for p in towns
                if 0 <= p.start - m.end <= QUALIFIER_CHARS
                and _QUALIFIER.fullmatch(text[m.end : p.start].lower())
            ]
            before = [p for p in towns if 0 <= m.start - p.end <= 1]
            found = after or before
            place = found[0].place if found else None
        out.append(m if place is None else replace(m, actor=qualified_actor(m.actor, place)))
    return out


def qualified_actor(actor: Actor, place: Place) -> Actor:
    names = [place.name] + ([place.name_ar] if place.name_ar else [])
    aliases = [f"{place.name} militias", f"militias from {place.name}", f"{place.name} forces"]
    if place.name_ar:
        aliases += [f"ميليشيات {place.name_ar}", f"ميليشيات من {place.name_ar}"]
        aliases += [f"كتائب {place.name_ar}", f"قوات {place.name_ar}"]
    return Actor(
        f"{actor.id}@{place.id}",
        f"{names[0]} {actor.name}",
        actor.category,
        tuple(aliases),
        generic=False,
    )


def _abroad(hit: Hit, places: list[PlaceMention], starts: list[int]) -> bool:
    """Is the place nearest the trigger, if one is near, outside Libya? (`places` in text order,
    `starts` their starts: only those within reach are looked at.)"""
    lo = bisect_left(starts, hit.start - ABROAD_REACH)
    hi = bisect_right(starts, hit.start + ABROAD_REACH)
    near = places[lo:hi]
    if not near:
        return False
    return min(near, key=lambda p: abs(p.start - hit.start)).place.country != LIBYA


# Words before an English participle that make it an attribute of the people after it.
_ATTRIBUTE_OPENERS = frozenset({"the", "these", "those", "newly", "recently", "many", "some"})


def _names_their_status(
    hit: Hit, toks: list[Token], group_firsts: set[int], sentence_first: int
) -> bool:
    """Is an English displacement participle an attribute of the people after it ("Evicted
    families will be helped with rent", "the displaced families of Tawergha")? It names
    people by what they are, not an act the sentence reports."""
    if not all(e.type == "forced_displacement" for e in hit.triggers):
        return False
    if hit.first != hit.last or not toks[hit.first].text.endswith("ed"):
        return False
    opens = hit.first == sentence_first or toks[hit.first - 1].text in _ATTRIBUTE_OPENERS
    return opens and hit.last + 1 in group_firsts


# The words that may open an English object before the noun it names ("the", "positions of").
_OBJECT_OPENERS = frozenset(
    {"the", "a", "its", "their", "his", "rival", "armed", "all", "positions", "position", "of"}
)
# Nouns of an armed body as that object ("evicted the group"), besides the combatant cues.
_ARMED_BODIES = frozenset({"group", "groups", "militia", "militias", "forces", "brigade"})
# What an English attack names its target with: "air strikes against Islamic State".
_AIMED_AT = frozenset({"against", "on", "targeting", "at"})
OBJECT_REACH = 3


def _armed_object(
    i: int, hits: list[Hit], toks: list[Token], actors: list[ActorMention], stop: int
) -> bool:
    """Does the English object starting at token `i` name an armed body ("the group", "three
    smugglers")?"""
    first = i
    while (
        i < stop
        and i - first < OBJECT_REACH
        and (
            toks[i].text in _OBJECT_OPENERS
            or toks[i].text.isdigit()
            or is_number_word(toks[i].text, "en")
        )
    ):
        i += 1
    if i >= stop:
        return False
    if toks[i].text in _ARMED_BODIES and i + 1 < stop and toks[i + 1].text == "of":
        return False  # "expelled groups of migrants" counts people, it names no force
    return (
        toks[i].text in _ARMED_BODIES
        or any(a.first == i for a in actors)
        or any(h.first == i and h.has("combatant") for h in hits)
    )


def _expels_fighters(
    hit: Hit, hits: list[Hit], toks: list[Token], actors: list[ActorMention], stop: int
) -> bool:
    """Is the object of an English verb of expulsion an armed body ("another rival group
    evicted the group", "expelled Islamic State fighters from the city")? Fighters driven out
    of a town are no displaced civilians."""
    if not all(e.type == "forced_displacement" for e in hit.triggers):
        return False
    return _armed_object(hit.last + 1, hits, toks, actors, stop)


def _aimed_at_fighters(
    hit: Hit, hits: list[Hit], toks: list[Token], actors: list[ActorMention], stop: int
) -> bool:
    """Is an English attack aimed at an armed body ("which has flown air strikes against
    Islamic State", "shelling on the militia's positions")? Then a civilian named elsewhere in
    the sentence was not its target."""
    i = hit.last + 1
    return i < stop and toks[i].text in _AIMED_AT and _armed_object(i + 1, hits, toks, actors, stop)


def _needs_met(entry: Entry, cues: set[str], groups: set[str], categories: set[str]) -> bool:
    if entry.needs in ("civilian_harm", "civilian_victims"):
        return (
            "civilian_object" in cues
            or bool(groups & CIVILIAN_GROUPS)
            or (entry.needs == "civilian_harm" and "casualty" in cues and "combatant" not in cues)
        )
    if entry.needs == "protected":
        if "arbitrary" in cues:
            return True
        if "suspect" in cues:
            return False
        return bool(groups & PROTECTED_GROUPS) or bool(categories & IRREGULAR)
    if entry.needs == "civilian_object":
        # A passive with no victim named ("their school was hit") tells of an attack only when
        # its subject is a civilian object.
        return "civilian_object" in cues
    if entry.needs == "assembly":
        return "assembly" in cues
    if entry.needs == "civil_society":
        return bool(groups & CIVIL_SOCIETY)
    if entry.needs == "premises":
        return False  # a storming counts only through the premises it aims at: `_aimed`
    if entry.needs == "victim":
        return bool(groups & DISPLACEABLE)
    if entry.needs == "coercion":
        # People made to leave where they live, not fighters driven out of a town.
        return "coercion" in cues and ("civilian_object" in cues or bool(groups & DISPLACEABLE))
    return True


def _aimed(hit: Hit, hits: list[Hit], text: str) -> tuple[Entry, ...]:
    """An attack's meanings, with the one its target gives it: fire, a raid or a bomb aimed at a
    media outlet's or an NGO's premises, named after it in its clause ("opened fire on the TV
    station's bureau", "stormed the headquarters of a TV channel"), is an attack on civil
    society (the contract), whether or not it also harmed civilians; an outlet that reports the
    attack ("..., according to a TV station", "told a radio station that") is no target."""
    attacks = [
        e.strength
        for e in hit.triggers
        if (e.type == "attack_on_civilians" and e.needs == "civilian_harm")
        or e.needs in ("civil_society", "premises")
    ]
    if not attacks or not any(
        h.has("civil_society_object")
        and 0 < h.first - hit.last <= TARGET_REACH
        and not BREAK.search(text, hit.end, h.start)
        for h in hits
    ):
        return hit.triggers
    return (*hit.triggers, Entry("trigger", "attack_on_civil_society", max(attacks)))


def _derive(types: dict[str, int], near_assembly: bool, groups: set[str]) -> None:
    if near_assembly:
        force = [s for t, s in types.items() if t in FORCE_TYPES]
        if force:
            types["repression_of_assembly"] = max(
                types.get("repression_of_assembly", 0), max(force)
            )
    if groups & CIVIL_SOCIETY:
        against = [s for t, s in types.items() if t in AGAINST_PEOPLE]
        if against:
            types["attack_on_civil_society"] = max(
                types.get("attack_on_civil_society", 0), max(against)
            )


def _nearest(places: list[PlaceMention], anchor: int, text: str) -> PlaceMention | None:
    """The scene: the most precise place, one not named as an origin, closest to the trigger.

    A place before the trigger is more often the subject's home ("Misrata militias shelled
    ...") than the scene, so its distance counts half as much again.
    """
    if not places:
        return None

    def key(p: PlaceMention) -> tuple[int, bool, float]:
        distance = abs(p.start - anchor) * (1.5 if p.start < anchor else 1.0)
        return (p.precision, is_reference(text, p), distance)

    return min(places, key=key)


def is_reference(text: str, place: PlaceMention) -> bool:
    """Is the place named as an origin or a point of reference rather than a scene?

    The origin word must govern the place, with only words like "the city of" between: in
    "وعددا من المواطنين بمدينة البيضاء" the "من" counts the citizens, and the town is where
    they were.
    """
    for word in reversed(text[max(0, place.start - 30) : place.start].split()[-3:]):
        if word.lower() in _ORIGIN:
            return True
        if word.lower() not in _REFERENCE_FILLER:
            return False
    return False


def _sentence_dates(
    text: str, sent: Sentence, language: str, published: date | None, month_only: bool
) -> list[DateMention]:
    return [
        replace(d, start=d.start + sent.start, end=d.end + sent.start)
        for d in find_dates(text[sent.start : sent.end], language, published, month_only=month_only)
    ]


def _inside(offset: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    """Is `offset` inside one of `spans` (in text order, not overlapping; `starts` their
    starts)? By bisection, since a hostile sentence may hold thousands of dates and numbers."""
    at = bisect_right(starts, offset)
    return at > 0 and offset < spans[at - 1][1]


def _event_dates(
    found: list[DateMention], hits: list[Hit], published: date | None
) -> list[DateMention]:
    """The dates, less those that date a publication ("a report published on ...") and the
    page's own stamp: the publication day written at the head of the document ("date 2019-10-22
    Unicef condemns ...", "10 March 2017 Migrants shot on beach"), which dates no event."""
    publishing = [h for h in hits if h.has("publication")]
    return [
        d
        for d in found
        if not any(h.end <= d.start and d.start - h.end <= 24 for h in publishing)
        and not (
            d.start <= STAMP_REACH
            and not d.relative
            and published is not None
            and d.first == d.last == published
        )
    ]


def _score(f: Finding, exact_count: bool, general: bool) -> float:
    """How sure the sentence makes us: the trigger's strength plus what anchors it."""
    score = BASE[max(f.types.values())]
    if f.place is not None and f.place.precision <= 2:
        score += 0.15
    if f.date is not None:
        score += 0.1
    if exact_count:
        score += 0.1
    if any(not a.generic for a in f.actors):
        score += 0.1
    elif f.actors:
        score += 0.05
    if f.victims:
        score += 0.05
    if f.soft:
        score -= 0.15
    if general:
        score -= 0.05
    return max(0.0, min(1.0, score))
