"""A sentence that tells two events, one dated against the other: "the official was abducted
two days after a militia opened fire on a demonstration", "وذلك بعد يوم من مقتل ثلاثة أشخاص في
قصف". The clause after "N days after" is another act on another day; told in one sentence, its
findings would make one incident of two (ANNOTATION_GUIDE: one incident per distinct event).

`split` cuts such a sentence in two where the marker starts; `lead_shift` reads, at the start
of the second clause, how far it lies from the day of the first: days, or a week or a month away,
which are not exact ("a week after raids" is the day a week before with a week's slack, "بعد
شهر من" the calendar month before: `nlp.dates.Shift`). Only a marker in mid
sentence with an act on both sides splits (or after "the killings came", which names the news
already told), and not one whose second act is told of a pronoun or of no subject of its own
("a day after he was shot", "after being tortured", "بعد ساعات على اختطافه"): that is the same
person's ordeal.

A sentence that joins two acts with "while" ("فيما", "بينما", "في حين") and gives each its own
time ("gunmen killed a cleric on Friday night, while a couple were wounded this morning when a
shell hit their home") or its own place ("a man was shot dead in Sirte, while two activists
were abducted in Derna") tells two events too: `split` cuts it at the conjunction, and
`told_apart` says the clause after it opens an incident of its own. Without a time or a place on
each side, "while" joins one event's sides ("two were killed while three others were
wounded").

An act told after "after" ("بعد أن") with only a week, a month or a year of its own, behind an
act told with no time, is background to it, an earlier event: "the bombing was meant to bring
terror to a city that had been spared, after the city saw last week its first assassination
since 2011". `split` cuts there too, and `told_before` says the clause's act is background. A
day after "after" is often the cause told with its effect ("bodies were recovered after an air
strike killed 40 on 3 July"), and "after being shot", "after he was abducted" go on with one
person's ordeal: those stay whole.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from datetime import date
from typing import TYPE_CHECKING

from nlp.dates import Shift, find_dates, stated_shift

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

_EN_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
# Arabic units as (unit, count): hours are the same day, as near as a day can tell.
_AR_UNITS = {
    "ساعة": ("day", 0),
    "ساعات": ("day", 0),
    "ساعتين": ("day", 0),
    "يوم": ("day", 1),
    "يومين": ("day", 2),
    "أسبوع": ("week", 1),
    "اسبوع": ("week", 1),
    "أسبوعين": ("week", 2),
    "اسبوعين": ("week", 2),
    "شهر": ("month", 1),
    "شهرين": ("month", 2),
}
_AR_COUNTS = {"ثلاثة": 3, "أربعة": 4, "اربعة": 4, "خمسة": 5, "ستة": 6, "سبعة": 7}
_EN = re.compile(
    r"\b(?:(?P<n>an?|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+"
    r"(?P<unit>days?|weeks?|months?)|(?:a\s+few\s+|several\s+)?hours)\s+(?P<dir>after|before)\s+"
    r"(?P<next>\w+)",
    re.IGNORECASE,
)
_AR = re.compile(
    r"(?:(?<=\s)|^)(?:و?ذلك\s+)?(?P<dir>بعد|قبل)\s+"
    r"(?:(?P<count>ثلاثة|أربعة|اربعة|خمسة|ستة|سبعة)\s+أيام|(?P<unit>ساعات|ساعة|ساعتين|يومين|يوم|"
    r"أسبوعين|اسبوعين|أسبوع|اسبوع|شهرين|شهر))(?:\s+قليلة)?\s+(?:من|على)\s+(?P<next>\S+)"
)
# "The killings came a week after ...", "وتأتي هذه العملية بعد يومين من ...": the sentence's
# subject is the news already told, and the act after the marker is an earlier one.
_EN_CAME = re.compile(r"\W*(?:[\w’'-]+\s+){1,4}(?:came|comes|come)\s+(?:(?:just|only)\s+)?$", re.I)
_AR_CAME = re.compile(r"\W*[وف]?(?:يأتي|تأتي|يأتى|تأتى|جاء|جاءت)\s+(?:\S+\s+){0,3}$")
# A pronoun, or a clause without a subject of its own ("three days after being tortured").
_EN_SAME = frozenset(
    {"he", "she", "they", "it", "his", "her", "their", "its", "him", "them", "being", "having"}
)
# An Arabic noun with a possessive pronoun: "اختطافه", "احتجازهم", "اعتقالها".
_AR_POSSESSIVE = re.compile(r"\S{3,}(?:ه|ها|هم|هما|هن)$")
# "While" between two acts, each told with its own time; "and earlier this month" too. Not
# "while" before a participle or a place, which tells what the same person was doing ("killed
# while driving", "while in his house", "while in custody").
_EN_WHILE = re.compile(
    r"\b(?:while(?!\s+(?:\w+ing|in|at|inside|under)\b)|whereas"
    r"|and(?=\s+(?:earlier|later)\s+(?:this|that|last|in|on)\b))\b",
    re.I,
)
# Not "فيما بعد" ("later on") nor "فيما يتعلق" ("as for"), which join no second event.
_AR_WHILE = re.compile(
    r"(?:(?<=\s)|^)و?(?:فيما(?!\s+(?:بعد|يتعلق|يخص)(?!\S))|بينما|في\s+حين)(?!\S)"
)
# A day stands in for the publication: only whether the two times differ matters. It is late
# enough that no written date lies after it (those are read as still to come) and is no Friday,
# the Arabic week's most named day.
_STAND_IN = date(2100, 1, 4)
# How far from a "while" each side's time and place are looked for (a clause is seldom longer),
# and how many "while"s of one sentence are tried.
WHILE_REACH = 300
WHILE_TRIES = 4


def _marker(text: str, start: int, end: int, language: str) -> re.Match[str] | None:
    pattern = _AR if language.split("-")[0].lower() == "ar" else _EN
    return pattern.search(text, start, end)


def _shift(m: re.Match[str]) -> Shift:
    """The second clause's time against the first's: "A two days after B" puts B two days
    before, "a week after" a week before, with a week's slack (`Shift.of`)."""
    direction = -1 if m["dir"].lower() in ("after", "بعد") else 1
    if m.re is _AR:
        unit, count = ("day", _AR_COUNTS[m["count"]]) if m["count"] else _AR_UNITS[m["unit"]]
    elif m["unit"] is None:
        unit, count = "day", 0  # hours after: the same day, as near as a day can tell
    else:
        n = m["n"].lower()
        unit, count = m["unit"].lower().rstrip("s"), int(n) if n.isdigit() else _EN_NUMBERS[n]
    return Shift(unit, count, direction if count else 0)


def _same_person(m: re.Match[str]) -> bool:
    word = m["next"]
    if m.re is _AR:
        return bool(_AR_POSSESSIVE.match(word))
    return word.lower() in _EN_SAME


def split(
    text: str, start: int, end: int, language: str, acts: Sequence[int]
) -> list[tuple[int, int]]:
    """The clauses of the sentence text[start:end]: two when it tells a second act dated against
    the first, else the sentence itself. `acts` are the starts of its trigger words, in order."""
    m = _marker(text, start, end, language)
    if m is None:
        return _split_after(text, start, end, language, acts) or _split_while(
            text, start, end, language, acts
        )
    if _same_person(m):
        return [(start, end)]
    cut = m.start()
    at = bisect_left(acts, cut)
    came = (_AR_CAME if m.re is _AR else _EN_CAME).fullmatch(text, start, cut) is not None
    if at == len(acts) or (at == 0 and not came):
        return [(start, end)]  # an act on one side only ("Two days after ..., X" too)
    return [(start, cut), (cut, end)]


def lead_shift(text: str, start: int, end: int, language: str) -> Shift | None:
    """The time of the clause that starts at `start` with "N days after" ("a week after", "بعد
    شهر من") against the clause before, or None when it does not start with such a marker."""
    m = _marker(text, start, min(end, start + 60), language)
    if m is None or m.start() != start:
        return None
    return _shift(m)


# "After" opening a clause with a subject of its own ("بعد أن شهدت المدينة", "after militias
# seized"), not one that goes on with the same person's ordeal ("after being shot", "after he
# was abducted"): `_split_after`.
_EN_AFTER = re.compile(
    r"\bafter(?!\s+(?:\w+ing|he|she|they|it|his|her|their|its|him|them)\b)", re.IGNORECASE
)
_AR_AFTER = re.compile(r"(?:(?<=\s)|^)و?(?:بعد\s+أن|بعد\s+ان|بعدما)(?!\S)")
# Times too coarse to be the moments just before an act told with no time of its own.
_BACKGROUND_PRECISIONS = frozenset({"week", "month", "year"})


def _after(language: str) -> re.Pattern[str]:
    return _AR_AFTER if language.split("-")[0].lower() == "ar" else _EN_AFTER


def _cuts(
    word: re.Pattern[str], text: str, start: int, end: int, acts: Sequence[int]
) -> Iterator[re.Match[str]]:
    """The first WHILE_TRIES matches of `word` in text[start:end] with an act on each side."""
    for tried, m in enumerate(word.finditer(text, start, end)):
        if tried == WHILE_TRIES:
            return
        at = bisect_left(acts, m.start())
        if 0 < at < len(acts):
            yield m


def _split_after(
    text: str, start: int, end: int, language: str, acts: Sequence[int]
) -> list[tuple[int, int]] | None:
    """The two clauses of a sentence whose act told after "after" has a week, month or year of
    its own and whose act before it has no time: the city "saw its first assassination last
    week", before the bombing the sentence is about. None when it has no such "after"."""
    for m in _cuts(_after(language), text, start, end, acts):
        cut = m.start()
        after = _time(text, m.end(), min(end, m.end() + WHILE_REACH), language)
        if (
            after is not None
            and after[-1] in _BACKGROUND_PRECISIONS
            and _time(text, max(start, cut - WHILE_REACH), cut, language) is None
        ):
            return [(start, cut), (cut, end)]
    return None


def _while(language: str) -> re.Pattern[str]:
    return _AR_WHILE if language.split("-")[0].lower() == "ar" else _EN_WHILE


def _time(text: str, start: int, end: int, language: str) -> tuple[object, ...] | None:
    """The first time text[start:end] tells, as a comparable key, else None."""
    span = text[start:end]
    found = find_dates(span, language, _STAND_IN)
    if found:
        return (found[0].first, found[0].last, found[0].precision)
    shift = stated_shift(span, language)
    # "On the same day" is the day of the clause before.
    return None if shift is None or not shift.direction else ("shift", shift)


def _split_while(
    text: str, start: int, end: int, language: str, acts: Sequence[int]
) -> list[tuple[int, int]]:
    for m in _cuts(_while(language), text, start, end, acts):
        cut = m.start()
        # Each side's time and place are read near the cut, so that a hostile sentence of
        # endless clauses costs in proportion to its length.
        first, last = max(start, cut - WHILE_REACH), min(end, m.end() + WHILE_REACH)
        before = _time(text, first, cut, language)
        after = _time(text, m.end(), last, language)
        if (before is not None and after is not None and before != after) or _elsewhere(
            text, first, cut, m.end(), last, language
        ):
            return [(start, cut), (cut, end)]
    return [(start, end)]


def _elsewhere(text: str, start: int, cut: int, resume: int, end: int, language: str) -> bool:
    """Do the clauses text[start:cut] and text[resume:end] each name a Libyan place, none of
    one's in the other's area ("killed in Sirte, while ... abducted in Derna")?"""
    # Imported here: both modules read sentences that nlp reads clause by clause.
    from nlp.assemble import same_area
    from nlp.findings import libyan_places

    first = [p.place for p in libyan_places(text, start, cut, language) if p.precision <= 2]
    if not first:
        return False
    second = [p.place for p in libyan_places(text, resume, end, language) if p.precision <= 2]
    return bool(second) and not any(same_area(a, b) for a in first for b in second)


def told_apart(text: str, start: int, language: str) -> bool:
    """Does the clause at `start` open with the "while" `split` cut a sentence at, so that it
    tells an event of its own?"""
    return _while(language).match(text, start) is not None


def told_before(text: str, start: int, language: str) -> bool:
    """Does the clause at `start` open with the "after" `split` cut a sentence at, so that its
    act is background to the sentence's?"""
    return _after(language).match(text, start) is not None
