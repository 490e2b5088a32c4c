"""A sentence that tells two events, one dated against the other: "the official was abducted
two days after a militia opened fire on a demonstration", "وذلك بعد يوم من مقتل ثلاثة أشخاص في
قصف". The clause after "N days after" is another act on another day; told in one sentence, its
findings would make one incident of two (ANNOTATION_GUIDE: one incident per distinct event).

`split` cuts such a sentence in two where the marker starts; `lead_shift` reads, at the start
of the second clause, how many days it lies from the day of the first. Only a marker in mid
sentence with an act on both sides splits (or after "the killings came", which names the news
already told), and not one whose second act is told of a pronoun or of no subject of its own
("a day after he was shot", "after being tortured", "بعد ساعات على اختطافه"): that is the same
person's ordeal.

A sentence also tells two events when each of two coordinated clauses states a time of its own
("a cleric was killed on Friday night, while a man and his wife were wounded this morning",
"قتل ... ليلة الجمعة فيما أصيب ... صباح اليوم"; "a day earlier a child was killed, and earlier
this month five children were injured"): it is cut at the coordinator ("while", "whereas",
"فيما", "بينما"; "and", "و" only right before the time), unless the second clause is told of a
pronoun, or its time is counted from the first's ("and a day later"), or the two times overlap.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from datetime import date
from typing import TYPE_CHECKING

from nlp.dates import find_dates, stated_shift

if TYPE_CHECKING:
    from collections.abc import Sequence

    from nlp.dates import DateMention

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
_AR_UNITS = {
    "ساعة": 0,
    "ساعات": 0,
    "ساعتين": 0,
    "يوم": 1,
    "يومين": 2,
    "أسبوع": 7,
    "اسبوع": 7,
    "أسبوعين": 14,
    "اسبوعين": 14,
}
_AR_COUNTS = {"ثلاثة": 3, "أربعة": 4, "اربعة": 4, "خمسة": 5, "ستة": 6, "سبعة": 7}
_EN = re.compile(
    r"\b(?:(?P<n>an?|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+"
    r"(?P<unit>days?|weeks?)|(?:a\s+few\s+|several\s+)?hours)\s+(?P<dir>after|before)\s+"
    r"(?P<next>\w+)",
    re.IGNORECASE,
)
_AR = re.compile(
    r"(?:(?<=\s)|^)(?:و?ذلك\s+)?(?P<dir>بعد|قبل)\s+"
    r"(?:(?P<count>ثلاثة|أربعة|اربعة|خمسة|ستة|سبعة)\s+أيام|(?P<unit>ساعات|ساعة|ساعتين|يومين|يوم|"
    r"أسبوعين|اسبوعين|أسبوع|اسبوع))(?:\s+قليلة)?\s+(?:من|على)\s+(?P<next>\S+)"
)
# "The killings came a week after ...", "وتأتي هذه العملية بعد يومين من ...": the sentence's
# subject is the news already told, and the act after the marker is an earlier one.
_EN_CAME = re.compile(r"\W*(?:[\w’'-]+\s+){1,4}(?:came|comes|come)\s+(?:(?:just|only)\s+)?$", re.I)
_AR_CAME = re.compile(r"\W*[وف]?(?:يأتي|تأتي|يأتى|تأتى|جاء|جاءت)\s+(?:\S+\s+){0,3}$")
# A pronoun, or a clause without a subject of its own ("three days after being tortured").
_EN_SAME = frozenset(
    {"he", "she", "they", "it", "his", "her", "their", "its", "him", "them", "being", "having"}
)
# Words that make two times one period ("from 1 January until 5 March", "منذ مطلع يناير وحتى").
_UNTIL = frozenset({"until", "till", "to", "through", "حتى", "الى", "إلى"})
# An Arabic noun with a possessive pronoun: "اختطافه", "احتجازهم", "اعتقالها".
_AR_POSSESSIVE = re.compile(r"\S{3,}(?:ه|ها|هم|هما|هن)$")


def _marker(text: str, start: int, end: int, language: str) -> re.Match[str] | None:
    pattern = _AR if language.split("-")[0].lower() == "ar" else _EN
    return pattern.search(text, start, end)


def _shift(m: re.Match[str]) -> int:
    """The second clause's day minus the first's: "A two days after B" puts B two days before."""
    if m.re is _AR:
        days = _AR_COUNTS[m["count"]] if m["count"] else _AR_UNITS[m["unit"]]
    elif m["unit"] is None:
        days = 0  # hours after: the same day, as near as a day can tell
    else:
        n = m["n"].lower()
        days = int(n) if n.isdigit() else _EN_NUMBERS[n]
        if m["unit"].lower().startswith("week"):
            days *= 7
    return -days if m["dir"].lower() in ("after", "بعد") else days


def _same_person(m: re.Match[str]) -> bool:
    word = m["next"]
    if m.re is _AR:
        return bool(_AR_POSSESSIVE.match(word))
    return word.lower() in _EN_SAME


def split(
    text: str,
    start: int,
    end: int,
    language: str,
    acts: Sequence[int],
    published: date | None = None,
) -> list[tuple[int, int]]:
    """The clauses of the sentence text[start:end]: two when it tells a second act dated against
    the first, or two acts each at a time of its own, else the sentence itself. `acts` are the
    starts of its trigger words, in order; `published` resolves "on Friday" and "yesterday"."""
    m = _marker(text, start, end, language)
    if m is None or _same_person(m):
        cut = _time_of_its_own(text, start, end, language, acts, published)
        return [(start, end)] if cut is None else [(start, cut), (cut, end)]
    cut = m.start()
    at = bisect_left(acts, cut)
    came = (_AR_CAME if m.re is _AR else _EN_CAME).fullmatch(text, start, cut) is not None
    if at == len(acts) or (at == 0 and not came):
        return [(start, end)]  # an act on one side only ("Two days after ..., X" too)
    return [(start, cut), (cut, end)]


# Coordinators that join two clauses: those that always open a clause ("while", "فيما"), and
# "and"/"و", which opens one only when the time comes right after it ("and on Friday").
_EN_JOIN = re.compile(r"(?:,\s*)?\b(?P<strong>while|whereas)\b|;|(?:,\s*)?\band\b", re.I)
_AR_JOIN = re.compile(r"(?:(?<=\s)|^)(?P<strong>فيما|بينما)(?=\s)|(?:(?<=\s)|^)و(?=\S)")
# How far the time may stand after a weak coordinator: "and on Friday", "وفي صباح اليوم".
_RIGHT_AFTER = 5
# Relative days are found only against a publication date; without one, any day stands in to
# find where they are, and only their wording tells whether two of them differ.
_STAND_IN = date(2001, 1, 1)


def _time_of_its_own(
    text: str,
    start: int,
    end: int,
    language: str,
    acts: Sequence[int],
    published: date | None,
) -> int | None:
    """Where a second clause with an act and a time of its own begins, else None."""
    if len(acts) < 2:
        return None
    ar = language.split("-")[0].lower() == "ar"
    joins = [
        j
        for j in (_AR_JOIN if ar else _EN_JOIN).finditer(text, start, end)
        if acts[0] < j.start() <= acts[-1]
    ]
    if not joins:
        return None
    times = [
        _moved(d, start) for d in find_dates(text[start:end], language, published or _STAND_IN)
    ]
    for second in times:
        # the coordinator nearest before the time, of those that may open its clause
        near = [
            j
            for j in joins
            if j.end() <= second.start
            and (j["strong"] is not None or second.start - j.end() <= _RIGHT_AFTER)
        ]
        if not near:
            continue
        j = near[-1]
        nxt = text[j.end() : end].split(maxsplit=1)
        if (
            not any(a >= j.end() for a in acts)
            or not nxt
            or _same_word(nxt[0], ar)
            or nxt[0].lower() in _UNTIL
        ):
            continue
        if stated_shift(text[j.end() : second.end], language) is not None:
            continue  # "and a day later": counted from the first clause's time
        earlier = [d for d in times if d.end <= j.start()]
        if earlier:
            if not _differ(earlier[-1], second, text, published):
                continue
        elif stated_shift(text[start : j.start()], language) is None:
            continue  # no time of the first clause's own
        return j.start()
    return None


def _moved(d: DateMention, by: int) -> DateMention:
    return type(d)(d.start + by, d.end + by, d.first, d.last, d.precision, d.relative)


def _differ(a: DateMention, b: DateMention, text: str, published: date | None) -> bool:
    if published is None and (a.relative or b.relative):
        return text[a.start : a.end].strip() != text[b.start : b.end].strip()
    return a.last < b.first or b.last < a.first


def _same_word(word: str, ar: bool) -> bool:
    """The word opening a clause tells of the person already named: a pronoun, a verb with
    one attached ("وعرضوه")."""
    if ar:
        return bool(_AR_POSSESSIVE.match(word))
    return word.lower().strip(",") in _EN_SAME


def lead_shift(text: str, start: int, end: int, language: str) -> int | None:
    """Days from the clause before to the clause that starts at `start` with "N days after"
    (negative: earlier), or None when it does not start with such a marker."""
    m = _marker(text, start, min(end, start + 60), language)
    if m is None or m.start() != start:
        return None
    return _shift(m)
