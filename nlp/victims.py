"""Victim groups, numbers (digits, number words, vague quantities) and casualty counts.

Numbers are read from tokens: digits (with thousands separators), English and Arabic number
words including compounds ("twenty-five", "خمسة عشر", "ثلاثة وعشرون"), and vague quantities
("dozens", "عشرات") at the lowest value their use supports. A count belongs to the count word
nearest to it in the sentence ("killed 5", "مقتل 3", "at least 40 migrants were killed") and a
group's count to the number just before the group's name ("six protesters", "4 مدنيين").
"""

from __future__ import annotations

import itertools
import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlp.model import COUNT_KINDS, VICTIM_GROUPS
from nlp.text import PhraseIndex, arabic_stems, fold, with_article

if TYPE_CHECKING:
    from collections.abc import Iterator

    from nlp.text import Token

DATA = Path(__file__).parent / "data" / "victims.json"
# Counts above this are populations or totals, not the victims of one event.
MAX_EVENT_COUNT = 5000
_DIGITS = re.compile(r"[0-9]+")
# Arabic writes "and", "by", "to" onto a figure too: "و38" (and 38).
_JOINED_DIGITS = re.compile(r"[وبلف]([0-9]+)")
_YEARS = range(1900, 2101)
# How far a count word reaches for its number: seven tokens before it, three after.
BEFORE_REACH = 7
AFTER_REACH = 3
# A number this close to a count word, on the side the language puts it, is that word's.
OWN_REACH = 2
_CONJUNCTIONS = frozenset({"and", "or", "but", "while"})


@dataclass(frozen=True, slots=True)
class Number:
    first: int  # token indices, inclusive
    last: int
    value: int
    exact: bool  # written as a figure or a number word, not "dozens"
    start: int  # original offsets
    end: int


@dataclass(frozen=True, slots=True)
class GroupMention:
    group: str
    first: int
    last: int


@dataclass(frozen=True, slots=True)
class CountWord:
    kind: str  # killed | injured | abducted | detained
    first: int
    last: int


@cache
def data() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return loaded


def version() -> str:
    return str(data()["version"])


@cache
def _groups(language: str) -> PhraseIndex[str]:
    raw = data()["groups"]
    unknown = set(raw) - set(VICTIM_GROUPS)
    if unknown:
        raise ValueError(f"unknown victim groups in victims.json: {sorted(unknown)}")
    pairs: list[tuple[str, str]] = []
    for group, names in raw.items():
        pairs.extend((name, group) for name in names[language])
    # Phrases that contain a group's word without naming people ("بيان صحفي", "press release")
    # map to no group, and being longer they hide the word inside them.
    pairs.extend((phrase, "") for phrase in data()["not_groups"][language])
    return _multi(pairs, language)


@cache
def _count_words(language: str) -> PhraseIndex[str]:
    raw = data()["count_words"]
    pairs = [(w, kind) for kind in COUNT_KINDS for w in raw[kind][language]]
    # Phrases that hold a count word without counting anyone ("detention centre", "مذكرة
    # اعتقال") map to no kind, and being longer they hide the word inside them.
    pairs.extend((phrase, "") for phrase in data()["not_count_words"][language])
    # Freeing counts the people held, as abducted when criminals held them (see `_captives`).
    pairs.extend((w, FREED) for w in data()["captives"]["freeing"][language])
    return _multi(pairs, language)


def _multi(pairs: list[tuple[str, str]], language: str) -> PhraseIndex[str]:
    """An index whose value is every label a phrase carries, joined by '|'."""
    labels: dict[str, list[str]] = {}
    for phrase, label in pairs:
        for form in with_article(phrase.lower()):
            if label not in labels.setdefault(form, []):
                labels[form].append(label)
    return PhraseIndex(((p, "|".join(v)) for p, v in labels.items()), enclitics=language == "ar")


@cache
def _words(language: str) -> _Words:
    raw = data()
    return _Words(
        numbers={fold(k): int(v) for k, v in raw["numbers"][language].items()},
        vague={fold(k): int(v) for k, v in raw["vague"][language].items()},
        scale={fold(k): int(v) for k, v in raw["scale"][language].items()},
        not_people=frozenset(fold(w) for w in raw["not_people"][language]),
        ages=frozenset(fold(w) for w in raw["age_words"][language]),
        labels=frozenset(fold(w) for w in raw["label_words"][language]),
        negations=frozenset(fold(w) for w in raw["negations"][language]),
    )


@dataclass(frozen=True, slots=True)
class _Words:
    numbers: dict[str, int]
    vague: dict[str, int]
    scale: dict[str, int]
    not_people: frozenset[str]  # a number followed by one of these counts no people
    ages: frozenset[str]  # a number after one of these is an age
    labels: frozenset[str]  # a number after one of these names something ("Brigade 444")
    negations: frozenset[str]  # a number after one of these is none ("no one", "لم ... أحد")


def _value(word: str, table: dict[str, int], language: str) -> int | None:
    if word in table:
        return table[word]
    if language == "ar":
        for form in arabic_stems(word):
            if form in table:
                return table[form]
    return None


def is_number_word(word: str, language: str) -> bool:
    """Is the (folded) token a figure or one of the lexicon's number words ("two", "a")?"""
    return word.isdigit() or _value(word, _words(language).numbers, language) is not None


# Arabic numbers that take the article after a definite noun ("الجرحى الستة", the six wounded):
# three to ten and the tens. Not two: "الاثنين" is Monday.
_DEFINITE = frozenset(range(3, 11)) | frozenset(range(20, 100, 10))


def _definite(word: str, numbers: dict[str, int]) -> int | None:
    """The value of an Arabic number written with the article ("الثلاثة", the three)."""
    if not word.startswith("ال"):
        return None
    value = numbers.get(word[2:])
    return value if value in _DEFINITE else None


def _not_people(word: str, words: _Words) -> bool:
    return word in words.not_people or (word.startswith("ال") and word[2:] in words.not_people)


def _compound(a: int, b: int) -> bool:
    """Units and tens that add up: "three and twenty", "twenty five"."""
    return (a < 10 and b % 10 == 0 and 20 <= b <= 90) or (a % 10 == 0 and 20 <= a <= 90 and b < 10)


def _hundreds_and(a: int, b: int, word: str) -> bool:
    """Arabic hundreds and thousands joined by و to what follows: "مائة وخمسين" (150), "ألف
    وخمسمائة" (1,500)."""
    below = 1000 if a % 1000 == 0 else 100
    return word.startswith("و") and a >= 100 and a % 100 == 0 and b < below


def find_numbers(toks: list[Token], language: str, text: str) -> list[Number]:
    """Numbers in `toks` (of `text`, the original), in order; years and measures are left out."""
    words = _words(language)
    numbers, vague, scale = words.numbers, words.vague, words.scale
    found: list[Number] = []
    i = 0
    n = len(toks)
    while i < n:
        word = toks[i].text
        value: int | None = None
        exact = True
        j = i
        joined = _JOINED_DIGITS.fullmatch(word) if language == "ar" else None
        if _DIGITS.fullmatch(word) or joined:
            digits = joined.group(1) if joined else word
            # "20,000" and "20 000" come apart into tokens: join three-digit groups.
            while (
                j + 1 < n
                and len(toks[j + 1].text) == 3
                and toks[j + 1].text.isdigit()
                and text[toks[j].end : toks[j + 1].start] in {",", " ", "\u066c", "\u202f"}
            ):
                j += 1
                digits += toks[j].text
            value = int(digits)
            if j == i and value in _YEARS:
                value = None
            elif j + 1 < n and toks[j + 1].text in scale:
                j += 1
                value *= scale[toks[j].text]
        else:
            value = _value(word, numbers, language)
            if value is None and language == "ar":
                value = _definite(word, numbers)
                # "الأيام الثلاثة": a definite number follows the noun it counts
                if value is not None and i > 0 and _not_people(toks[i - 1].text, words):
                    value = None
            if value is None and language == "ar" and _one_of(toks, i):
                value = 1
            if value is None and language == "ar" and _nominative_dual(word):
                value = 2
            if value is None:
                value = _value(word, vague, language)
                exact = value is None
            # Compounds: "twenty five", "خمسة عشر", "ثلاثة وعشرون", "two hundred".
            while value is not None and j + 1 < n:
                nxt = toks[j + 1].text
                tens = _value(nxt, numbers, language)
                if language == "ar" and nxt in {"عشر", "عشره"} and value < 10:
                    value += 10
                elif nxt in scale and value < 1000:
                    value *= scale[nxt]
                elif tens is not None and (
                    _compound(value, tens) or (language == "ar" and _hundreds_and(value, tens, nxt))
                ):
                    value += tens
                else:
                    break
                j += 1
        if value is not None and (
            (j + 1 < n and toks[j + 1].text in words.not_people)
            or (i > 0 and toks[i - 1].text in words.negations)
            or (i > 0 and toks[i - 1].text in words.ages)
            or (i > 0 and _labelled(toks[i - 1].text, words.labels, language))
            or _apposed_age(text, toks[i], toks[j], value)
            or _CLOCK.match(text, toks[j].end) is not None
            or _CLOCK_END.search(text, max(0, toks[i].start - 2), toks[i].start) is not None
        ):
            value = None
        if value is not None:
            found.append(Number(i, j, value, exact, toks[i].start, toks[j].end))
        i = j + 1
    return found


# "صبيان" is the plural of صبي (boy), not its dual.
_NOT_DUAL = frozenset({"صبيان"})


def _nominative_dual(word: str) -> bool:
    """Is the Arabic word two people, the nominative dual of a word for one ("صحفيان", two
    journalists; "ناشطتان", the feminine's ة written ت)? The accusative and genitive dual
    ("صحفيين") is written as the sound plural is, so it names no figure."""
    singular = _singulars("ar")
    return any(
        f.endswith("ان")
        and f not in _NOT_DUAL
        and (f[:-2] in singular or (f.endswith("تان") and f[:-3] + "ه" in singular))
        for f in arabic_stems(word)
    )


# "أحد"/"إحدى" (one of), folded.
_ONE_OF = frozenset({"احد", "احدي"})


def _one_of(toks: list[Token], i: int) -> bool:
    """Is the Arabic word at `i` "one of" the people named right after it ("أحد المتظاهرين",
    "إحدى الناشطات", "أحد أبنائها"), one person? Alone "أحد" is "anyone" ("لم يصب أحد"), and
    "إحدى الميليشيات" names no victim."""
    if toks[i].text not in _ONE_OF or i + 1 >= len(toks):
        return False
    nxt = toks[i + 1].text
    if nxt in _ranking_words() and i + 2 < len(toks):
        nxt = toks[i + 2].text  # "إحدى أبرز السياسيات": one of the most prominent politicians
    return nxt in _people_words_ar() or _kin_form(nxt, "ar", several=True)


@cache
def _ranking_words() -> frozenset[str]:
    return frozenset(fold(w) for w in data()["one_of"]["ar"])


@cache
def _people_words_ar() -> frozenset[str]:
    """The Arabic words of the victim groups, with the article: not "one of the militias"."""
    return frozenset(
        form
        for names in data()["groups"].values()
        for name in names["ar"]
        for form in with_article(fold(name))
    )


def _labelled(word: str, labels: frozenset[str], language: str) -> bool:
    """Is `word` one after which a number is a name or label ("اللواء 444", "Article 19")?"""
    return word in labels or (language == "ar" and any(f in labels for f in arabic_stems(word)))


# "at 01:00", "الساعة 10:30": a time of day.
_CLOCK = re.compile(r"[:.][0-5][0-9](?![0-9])")
_CLOCK_END = re.compile(r"[0-9][:.]$")
# "Qurayrah al-Mazoughi, 65, died": a number set off by commas after a name is an age.
_APPOSED = re.compile(r"\s*,\s*$")
OLDEST = 120


def _apposed_age(text: str, first: Token, last: Token, value: int) -> bool:
    before = text[max(0, first.start - 3) : first.start]
    after = text[last.end : last.end + 1]
    return value <= OLDEST and bool(_APPOSED.search(before)) and after == ","


@cache
def _counted_only(language: str) -> frozenset[str]:
    return frozenset(fold(w) for w in data()["counted_only"][language])


def find_groups(toks: list[Token], language: str, offset: int = 0) -> list[GroupMention]:
    counted_only = _counted_only(language)
    return [
        GroupMention(group, i + offset, j + offset)
        for i, j, key, labels in _groups(language).spans(toks)
        if " ".join(key) not in counted_only
        or (i > 0 and is_number_word(toks[i - 1].text, language))
        for group in labels.split("|")
        if group
    ]


def find_count_words(toks: list[Token], language: str, offset: int = 0) -> list[CountWord]:
    return [
        CountWord(kind, i + offset, j + offset)
        for i, j, _, labels in _count_words(language).spans(toks)
        for kind in labels.split("|")
        if kind
    ]


def group_counts(
    groups: list[GroupMention], numbers: list[Number], toks: list[Token]
) -> dict[str, int | None]:
    """Each group named, with the number written just before it ("six protesters") if any.

    Only the numbers ending in the three tokens before a group can count it, so they are found
    by bisection: a hostile sentence of thousands of groups and numbers costs linear time.
    """
    out: dict[str, int | None] = {}
    lasts = [num.last for num in numbers]
    for g in groups:
        count = None
        for k in range(bisect_left(lasts, g.first - 3), bisect_right(lasts, g.first)):
            num = numbers[k]
            gap = g.first - num.last
            is_article = toks[num.first].text in {"a", "an"}
            # gap 0: the group's own word is a dual ("طفلين", two children)
            dual = gap == 0 and num.first == g.first == g.last
            if (dual or 1 <= gap <= (1 if is_article else 3)) and num.value <= MAX_EVENT_COUNT:
                count = num.value
        if out.get(g.group) is None:
            out[g.group] = count
    return out


@cache
def _qualifier_words(language: str) -> frozenset[str]:
    """The words of qualifiers ("at least") and, in English, of time adverbials ("on Tuesday"),
    which stand between a count word and its figure without parting them."""
    words = {w for q in data()["qualifiers"][language] for w in fold(q).split()}
    if language == "en":
        words |= {"of"} | set(data()["time_words"]["en"])
    return frozenset(words)


def casualty_counts(
    words: list[CountWord],
    numbers: list[Number],
    toks: list[Token],
    language: str,
    groups: list[GroupMention] | None = None,
) -> dict[str, int]:
    """Count kind -> number, each number given to the nearest count word that can take it.

    English puts the number before ("40 migrants were killed"), Arabic usually after the verbal
    noun ("مقتل 4 مدنيين"): the usual side wins a tie. Vague quantities lose ties to figures. A
    number beyond another count word of another kind is that word's ("مقتل شخصين وإصابة ثلاثة
    آخرين": three were injured, not killed), and a dual that is itself the count word counts
    two ("قتيلين", two dead). A count word with no number but people named in the singular
    beside it counts them ("a journalist was abducted", "اعتقال الناشط"), unless people are
    named in the plural there too; so does a death or abduction the grammar tells of one person
    ("he was kidnapped", "his abduction", Arabic "اختطافه"), the others beside him ("اختطافه هو
    و38 من أقاربه") making one more.

    A number counts for a word only within a few tokens of it, so each word looks at the numbers
    in that window alone (found by bisection): the cost is linear in the sentence, however many
    count words and numbers a hostile page strings together.
    """
    out: dict[str, int] = {}
    words = [w for w in _captives(words, toks, language) if not _sentenced(w, toks, language)]
    used: set[int] = set()
    after_bias = -1 if language == "ar" else 1
    qualifiers = _qualifier_words(language)
    subsets = _subset_words(language)
    lasts = [num.last for num in numbers]
    firsts = [num.first for num in numbers]
    kind_at = {w.first: w.kind for w in words}
    owners = _owners(words, numbers, toks, language, qualifiers)
    listed = _listed_after_one(numbers, toks, language, groups or [])
    for w in words:
        if w.kind in out:
            continue

        def other_word(positions: range, kind: str = w.kind) -> bool:
            return any(kind_at.get(p, kind) != kind for p in positions)

        best: tuple[int, int] | None = None
        window = range(bisect_left(lasts, w.first - BEFORE_REACH), bisect_left(lasts, w.first))
        before = (
            (k, w.first - numbers[k].last)
            for k in window
            if not other_word(range(numbers[k].last + 1, w.first))
        )
        itself = (
            (k, 0)
            for k in range(bisect_left(firsts, w.first), bisect_right(firsts, w.first))
            if numbers[k].last == w.last
        )
        after = (
            (k, d + after_bias)
            for k, d in _after(w, numbers, bisect_right(firsts, w.last), toks, qualifiers)
            if not other_word(range(w.last + 1, numbers[k].first))
        )
        for k, distance in itertools.chain(before, itself, after):
            num = numbers[k]
            if k in used or num.value > MAX_EVENT_COUNT or toks[num.first].text in {"a", "an"}:
                continue
            if k in listed:
                continue
            if _of_a_part(k, numbers, w, toks, subsets):
                continue
            if owners.get(k, w.kind) != w.kind:
                continue
            if not num.exact:
                distance += 2
            if best is None or distance < best[0]:
                best = (distance, k)
        if best is not None:
            chain = _conjoined(best[1], numbers, toks, language, kind_at)
            chain = [k for k in chain if k == best[1] or (k not in used and k not in owners)]
            used.update(chain)
            out[w.kind] = sum(numbers[k].value for k in chain)
    if language == "en":
        for w in words:
            subject = None if w.kind in out else _passive_subject(w, numbers, lasts, toks, kind_at)
            if (
                subject is not None
                and subject not in used
                and subject not in listed
                and owners.get(subject, w.kind) == w.kind
            ):
                chain = _conjoined(subject, numbers, toks, language, kind_at)
                chain = [c for c in chain if c == subject or (c not in used and c not in owners)]
                used.update(chain)
                out[w.kind] = sum(numbers[c].value for c in chain)
    _count_singles(words, groups or [], numbers, toks, language, out)
    for w in words:
        if w.kind not in out and w.kind in _ONE_KINDS and _tells_one(w, toks, language):
            out[w.kind] = 1
        elif w.kind in out and _and_others(w, numbers, toks, language, out[w.kind]):
            out[w.kind] += 1
    _share(words, toks, language, out)
    for w in words:
        if w.kind == "detained" and w.kind in out and _of_suspects(w, toks, language):
            del out[w.kind]
    return out


def _listed_after_one(
    numbers: list[Number], toks: list[Token], language: str, groups: list[GroupMention]
) -> frozenset[int]:
    """The English figures that add people to one named before them ("a woman and her two
    children were killed": three), left to `_count_singles` to add up."""
    if language != "en":
        return frozenset()
    ones = {g.last for g in groups if _names_one(g, toks, language)}
    found = set()
    for k, num in enumerate(numbers):
        p = num.first - 1
        if p >= 0 and toks[p].text in _POSSESSIVES_EN:
            p -= 1
        if num.exact and p >= 1 and toks[p].text == "and" and p - 1 in ones:
            found.add(k)
    return frozenset(found)


# The auxiliaries of a plural subject before an English passive ("were kidnapped", "have been
# reported killed"), and how far before them the subject's figure may stand.
_PLURAL_AUXILIARIES = frozenset({"were", "are", "have", "had"})
SUBJECT_REACH = 20


def _passive_subject(
    w: CountWord,
    numbers: list[Number],
    lasts: list[int],
    toks: list[Token],
    kind_at: dict[int, str],
) -> int | None:
    """The figure of the subject of an English passive, however long the subject: "Two members
    of the commission, a rights group, were abducted", "Five aid workers who were part of a
    convoy were briefly kidnapped". The nearest figure before the auxiliary, with no count word
    between it and the participle."""
    skip = _one_person("en").skip | {"reported"}
    p = w.first - 1
    while p >= 0 and w.first - p <= SKIP_REACH and toks[p].text in skip:
        p -= 1
    if p < 0 or toks[p].text not in _PLURAL_AUXILIARIES:
        return None
    k = bisect_left(lasts, p) - 1
    # "Five aid workers who were part of a convoy": "a" names no figure of the subject
    while k >= 0 and toks[numbers[k].first].text in {"a", "an"}:
        k -= 1
    if k < 0:
        return None
    num = numbers[k]
    if (
        p - num.last > SUBJECT_REACH
        or not num.exact
        or num.value > MAX_EVENT_COUNT
        or any(pos in kind_at for pos in range(num.last + 1, w.first))
        or _of_a_part(k, numbers, w, toks, _subset_words("en"))
    ):
        return None
    return k


# How far before "to death" a court's sentence is looked for ("sentenced the five men to death").
SENTENCE_REACH = 6


def _sentenced(w: CountWord, toks: list[Token], language: str) -> bool:
    """Is `w` the "to death" of a death sentence, which kills no one yet?"""
    if " ".join(t.text for t in toks[w.first : w.last + 1]) != "to death":
        return False
    words = _sentencing_words(language)
    return any(t.text in words for t in toks[max(0, w.first - SENTENCE_REACH) : w.first])


@cache
def _sentencing_words(language: str) -> frozenset[str]:
    return frozenset(fold(w) for w in data()["to_death"]["sentencing"][language])


# The kind of a word that frees people ("freed", "حررت"): it counts them only as captives.
FREED = "freed"
# How far from a word of holding or freeing its captors are looked for.
CAPTOR_REACH = 10
_OBJECTS = ("هم", "هن", "ها", "ه")


@cache
def _captor_words(language: str) -> tuple[frozenset[str], frozenset[str]]:
    raw = data()["captives"]
    return (
        frozenset(fold(w) for w in raw["captors"][language]),
        frozenset(fold(w) for w in raw["agent_markers"][language]),
    )


def _captives(words: list[CountWord], toks: list[Token], language: str) -> list[CountWord]:
    """People held or freed count as abducted when criminals held them ("migrants held captive
    by traffickers", "263 مهاجرا احتجزتهم عصابة"): captivity by a gang is an abduction, not a
    detention. A word of freeing with no such captors counts no one ("released a statement")."""
    out = []
    for w in words:
        if w.kind in {FREED, "detained"} and _held_by_captors(w, toks, language):
            out.append(CountWord("abducted", w.first, w.last))
        elif w.kind != FREED:
            out.append(w)
    return out


def _held_by_captors(w: CountWord, toks: list[Token], language: str) -> bool:
    """Are criminals named near `w` as the ones who held the people: after "by", "from", "لدى",
    "من قبضة", or (Arabic) as the subject right after the verb ("احتجزتهم عصابة")?"""
    captors, markers = _captor_words(language)
    lo, hi = max(0, w.first - CAPTOR_REACH), min(len(toks), w.last + CAPTOR_REACH + 1)
    for i in range(lo, hi):
        forms = arabic_stems(toks[i].text) if language == "ar" else [toks[i].text]
        if not any(f in captors for f in forms):
            continue
        # a verb with its object written onto it: the noun after it is its subject (but after
        # a verbal noun, "اعتقال الخاطفين", the noun is the one acted on)
        if language == "ar" and i == w.last + 1 and toks[w.last].text.endswith(_OBJECTS):
            return True
        if any(toks[j].text in markers for j in range(max(lo, i - 3), i)):
            return True
    return False


@dataclass(frozen=True, slots=True)
class _OnePerson:
    auxiliaries: frozenset[str]  # "was kidnapped"
    skip: frozenset[str]  # words between the auxiliary and the participle
    possessives: frozenset[str]  # "his abduction"
    objects: frozenset[str]  # "arrested him"
    nouns: frozenset[str]  # the count words a possessive goes with
    not_told: frozenset[str]  # count words whose passive names things or states too
    stems: frozenset[str]  # Arabic count words that carry a person's pronoun


@cache
def _one_person(language: str) -> _OnePerson:
    raw = data()["one_person"][language]

    def words(key: str) -> frozenset[str]:
        return frozenset(fold(w) for w in raw.get(key, []))

    return _OnePerson(
        words("auxiliaries"),
        words("skip"),
        words("possessives"),
        words("objects"),
        words("nouns"),
        words("not_told"),
        words("stems"),
    )


# Kinds told of one person that count one (see victims.json's "one_person").
_ONE_KINDS = frozenset({"killed", "abducted"})
_HE_AND = frozenset({"هو", "هي"})


def _and_others(
    w: CountWord, numbers: list[Number], toks: list[Token], language: str, given: int
) -> bool:
    """Is the figure of "اختطافه هو و38 من أقاربه" (his abduction, he and 38 of his relatives)
    or "اختطفوه و10 أشخاص آخرين" (they abducted him and 10 other people) the others beside the
    person the count word's pronoun names, who makes one more?"""
    if language != "ar" or w.last + 1 >= len(toks):
        return False
    at = w.last + 2 if toks[w.last + 1].text in _HE_AND else w.last + 1
    return any(
        n.first == at and n.value == given and toks[n.first].text.startswith("و") for n in numbers
    ) and _tells_one(w, toks, language)


_NOBODY = frozenset({"nobody", "none", "noone"})
# The Arabic pronouns of one person, longest first ("ها" her, "ه" him).
_ONE_PRONOUNS = ("ها", "ه")
# How many words may stand between an English auxiliary and its participle ("was reportedly
# briefly abducted").
SKIP_REACH = 3


def _tells_one(w: CountWord, toks: list[Token], language: str) -> bool:
    """Does the count word tell its act of one person, with no figure: "was kidnapped", "his
    abduction", "killed him", Arabic "اختطافه" (his abduction), "قتلوه" (they killed him)?"""
    one = _one_person(language)
    phrase = " ".join(t.text for t in toks[w.first : w.last + 1])
    nxt = toks[w.last + 1].text if w.last + 1 < len(toks) else ""
    if language == "ar":
        return w.first == w.last and any(
            _pronoun_of_one(form, one.stems) for form in arabic_stems(phrase)
        )
    if phrase in one.not_told or (
        w.first > 0 and toks[w.first - 1].text == "to" and not phrase.endswith(("ing", "ed"))
    ):
        return False  # "threatened to kill him": an intent; "confessed to killing him" an act
    if nxt in one.objects or (phrase == "to death" and toks[w.first - 1].text in one.objects):
        return True  # "killed him", "killing him", "beat him to death"
    if phrase in one.nouns:
        return w.first > 0 and toks[w.first - 1].text in one.possessives
    p = w.first - 1
    while p >= 0 and w.first - p <= SKIP_REACH and toks[p].text in one.skip:
        p -= 1
    if p >= 1 and (toks[p - 1].text in _NOBODY or (p >= 2 and toks[p - 2].text == "no")):
        return False  # "no one was killed", "nobody was hurt"
    return p >= 0 and toks[p].text in one.auxiliaries


def _pronoun_of_one(form: str, stems: frozenset[str]) -> bool:
    """Is `form` one of `stems` with a singular pronoun: "مقتله", "وفاتها" (ة written ت before
    it), "قتلوه" (a plural verb drops its alef before it)?"""
    for pronoun in _ONE_PRONOUNS:
        if not form.endswith(pronoun):
            continue
        base = form[: -len(pronoun)]
        restored = base[:-1] + "ه" if base.endswith("ت") else base
        if base in stems or base + "ا" in stems or restored in stems:
            return True
    return False


@cache
def _subset_words(language: str) -> frozenset[str]:
    return frozenset(fold(w) for w in data()["subset_words"][language])


# How close before "including" the figure of the whole stands ("seven civilians, including").
WHOLE_REACH = 3


def _of_a_part(
    k: int, numbers: list[Number], w: CountWord, toks: list[Token], subsets: frozenset[str]
) -> bool:
    """Does figure `k` count part of the people `w` counts: after "including" or "بينهم", when
    the count word or the figure of the whole comes before it ("the dead included seven
    children", "seven civilians, including three children, died")? Not when it opens a clause
    of its own ("including 21 Christians kidnapped and executed")."""
    num = numbers[k]
    if num.first >= 2 and " ".join(t.text for t in toks[num.first - 2 : num.first]) in subsets:
        marker = num.first - 2
    elif num.first >= 1 and toks[num.first - 1].text in subsets:
        marker = num.first - 1
    else:
        return False
    return w.last < marker or (k > 0 and marker - numbers[k - 1].last <= WHOLE_REACH)


# How many words may name the people a figure counts before "and" and the next figure: three
# as a rule ("three Sudanese migrants and"), five when they hold no clause ("18 migrants from
# Sudan and 4 from Eritrea", "18 مهاجرا من الجنسية السودانية و4").
CONJOINED_GAP = 3
PHRASE_GAP = 5
# English words that make the words between two figures a clause of the first, not the people
# it counts: "8 men received life sentences and 7 were killed".
_CLAUSE_EN = frozenset({"was", "were", "is", "are", "has", "have", "had", "been", "who", "which"})


def _conjoined(
    k: int, numbers: list[Number], toks: list[Token], language: str, kind_at: dict[int, str]
) -> list[int]:
    """Figure `k` and the figures joined to it by "and", each with the people it counts, that
    together are the subject of one count word: "three children and two women were killed",
    "مقتل 3 أطفال و2 من النساء" (five). A count word between them ("killed 3 and wounded 2")
    or a figure not of people ("two days") parts them."""

    def joined(a: Number, b: Number) -> bool:
        between = range(a.last + 1, b.first)
        if not 1 <= len(between) <= PHRASE_GAP or any(p in kind_at for p in between):
            return False
        long = len(between) > CONJOINED_GAP
        if not _a_phrase(toks[a.last + 1 : b.first], language, long=long):
            return False
        if language == "ar":
            # "و" written onto the figure, not the first letter of "واحدة" (one)
            word = toks[b.first].text
            return word.startswith("و") and word not in _words(language).numbers
        # "three men and their two children"
        joiner = b.first - 2 if toks[b.first - 1].text in _POSSESSIVES_EN else b.first - 1
        return len(between) >= 2 and toks[joiner].text == "and"

    def figure(n: Number) -> bool:
        # "a journalist" is one person named, not a figure to add ("nine protesters and a
        # journalist" are often two events of the report)
        return n.exact and toks[n.first].text not in {"a", "an"}

    if not figure(numbers[k]):
        return [k]
    lo = hi = k
    while lo > 0 and figure(numbers[lo - 1]) and joined(numbers[lo - 1], numbers[lo]):
        lo -= 1
    last = len(numbers) - 1
    while hi < last and figure(numbers[hi + 1]) and joined(numbers[hi], numbers[hi + 1]):
        hi += 1
    return list(range(lo, hi + 1))


def _a_phrase(words: list[Token], language: str, *, long: bool) -> bool:
    """Can the words between two figures name the people the first counts, with "and" before
    the second? Not when "including" or "بينهم" opens the part of them the second counts ("18
    people including women and 4 children": the children are among the 18), nor when an English
    clause stands there ("who were held", and past the usual three words a verb in -ed, "8 men
    received life sentences and 7 were killed")."""
    texts = [t.text for t in words]
    subsets = _subset_words(language)
    if any(w in subsets for w in texts) or any(
        " ".join(pair) in subsets for pair in itertools.pairwise(texts)
    ):
        return False
    return language == "ar" or not any(
        w in _CLAUSE_EN or (long and w.endswith("ed")) for w in texts
    )


# Acts told of the same people one after the other: "kidnapped and executed", "اختطاف وقتل".
# Injuries are left out: "killed and wounded 10" is a total of both.
_SHARED_KINDS = frozenset({"killed", "abducted", "detained"})


def _share(words: list[CountWord], toks: list[Token], language: str, out: dict[str, int]) -> None:
    """Two count words of different kinds joined by "and", one with a number and the other with
    none, count the same people ("21 Christians kidnapped and executed", "اختطاف وقتل 5")."""
    for a, b in itertools.pairwise(words):
        if (a.kind in out) == (b.kind in out) or not {a.kind, b.kind} <= _SHARED_KINDS:
            continue
        if language == "ar":
            joined = b.first == a.last + 1 and toks[b.first].text.startswith("و")
        else:
            joined = b.first == a.last + 2 and toks[a.last + 1].text == "and"
        if joined:
            given, other = (a, b) if a.kind in out else (b, a)
            out[other.kind] = out[given.kind]


# How far from a detained count word the words naming suspects are looked for.
SUSPECT_BEFORE = 6
SUSPECT_AFTER = 8


@cache
def _suspect_words(language: str) -> frozenset[str]:
    return frozenset(fold(w) for w in data()["suspect_words"][language])


def _of_suspects(w: CountWord, toks: list[Token], language: str) -> bool:
    """Are the people arrested the act's suspects ("four men were arrested in connection with
    the kidnapping", "القبض على الخاطفين")?"""
    suspects = _suspect_words(language)
    for t in toks[max(0, w.first - SUSPECT_BEFORE) : w.last + SUSPECT_AFTER + 1]:
        forms = arabic_stems(t.text) if language == "ar" else [t.text]
        if any(f in suspects for f in forms):
            return True
    return False


def _count_singles(
    words: list[CountWord],
    groups: list[GroupMention],
    numbers: list[Number],
    toks: list[Token],
    language: str,
    out: dict[str, int],
) -> None:
    """A count for each kind whose count word has people named in the singular within reach and
    no one named in the plural (`groups` in text order): one, or one for each of those joined by
    "and" ("a man and his wife were wounded", "إصابة طفلة وأمها"). Reach ends at a count word of
    another kind: in "بمصرع طفلة وإصابة مدنيين" the girl died and the civilians were wounded.

    A relative named by a pronoun is one person ("إصابة شقيقه", his brother was wounded), and one
    more beside the person the pronoun names when "and" joins them ("خطف الناشط وصديقه", "X and
    his friend were kidnapped"). The list goes on past the reach while "and" joins the next
    person, names between ("القاضي فلان، ووكيل النيابة فلان"), and "and two of his guards"
    ("واثنين من مرافقيه") adds its figure; "and his companions" leaves the number unknown.
    Relatives counted by a possessive ("a woman and her two children", three) or by an Arabic
    dual with its pronoun ("امرأة وطفلاها", a woman and her two children) are so many people;
    "as well as" and "بالإضافة إلى" join a list as "and" does."""
    firsts = [g.first for g in groups]
    number_at = {n.first: n for n in numbers}
    order = sorted(words, key=lambda w: w.first)
    before, after = _other_kinds(order)
    for k, w in enumerate(order):
        if w.kind in out:
            continue
        lo = max(w.first - BEFORE_REACH, before[k])
        if language == "ar" and before[k] > 0:
            lo = w.first  # "مقتل امرأة وإصابة طفليها": the woman is the killing's object
        hi = min(w.last + AFTER_REACH + 1, after[k])
        near = groups[bisect_left(firsts, lo) : bisect_right(firsts, hi)]
        named = [_people(g, toks, language, number_at) for g in near]
        if not all(named):
            continue
        kin = _kin(toks, lo, hi, language, number_at)
        spans = sorted({p for p in named if p is not None} | set(kin))
        if not spans:
            continue
        stop = min(after[k], len(toks) - 1)
        count = _joined(spans, toks, language) + _possessor(spans[0][0], w, toks, language)
        while True:  # the list goes on past the reach
            last = spans[-1][1]
            nxt = _next_person(last, stop, groups, firsts, toks, language, number_at)
            if nxt is None:
                break
            spans.append(nxt)
            count += nxt[2]
        last = spans[-1][1]
        if _and_companions(last, stop, toks, language):
            continue
        others = _and_some_of(last, stop, number_at, toks, language)
        out[w.kind] = count + (others.value if others is not None else 0)


# How many words (a name) may stand between two people listed ("القاضي فلان الفلاني، ووكيل").
NAME_GAP = 4
_POSSESSIVES_EN = frozenset({"his", "her", "their"})
# "a man and a child", "the judge and his driver"
_DETERMINERS_EN = _POSSESSIVES_EN | {"a", "an", "the"}


def _and_before(first: int, last: int, toks: list[Token], language: str) -> bool:
    """Does "and" ("as well as", "بالإضافة إلى") join a person starting at token `first` to what
    ends at `last`, with at most NAME_GAP words (a name) between?"""
    if language == "ar":
        joiner = 2 if tuple(t.text for t in toks[max(0, first - 2) : first]) in _AS_WELL_AR else 0
        gap = first - joiner - last - 1
        return 0 <= gap <= NAME_GAP and (joiner > 0 or toks[first].text.startswith("و"))
    between = [t.text for t in toks[last + 1 : first]]
    if between and between[-1] in _DETERMINERS_EN:
        between.pop()
    if between[-3:] == ["as", "well", "as"]:
        del between[-2:]
        between[-1] = "and"
    return bool(between) and between[-1] == "and" and len(between) <= NAME_GAP + 1


# "بالإضافة إلى", "إضافة إلى", "فضلا عن" (as well as), folded.
_AS_WELL_AR = frozenset({("بالاضافه", "الي"), ("اضافه", "الي"), ("فضلا", "عن")})


@cache
def _kin_words(language: str) -> tuple[frozenset[str], frozenset[str]]:
    """The words for one relative or companion, and for several, named by a pronoun."""
    raw = data()["kin"][language]
    return frozenset(fold(w) for w in raw["one"]), frozenset(fold(w) for w in raw["several"])


def _kin_form(word: str, language: str, several: bool) -> bool:
    one, many = _kin_words(language)
    table = many if several else one
    if language == "en":
        return word in table
    return any(
        form.endswith(p) and form[: -len(p)] in table
        for form in arabic_stems(word)
        for p in _ONE_PRONOUNS
    )


def _kin(
    toks: list[Token], lo: int, hi: int, language: str, number_at: dict[int, Number]
) -> list[tuple[int, int, int]]:
    """Relatives named by a pronoun between tokens `lo` and `hi`, with how many they are:
    "شقيقه", "his brother" (one), "شقيقاه" (his two brothers), "his two sons"."""
    found = []
    for i in range(max(lo, 1 if language == "en" else 0), min(hi + 1, len(toks))):
        word = toks[i].text
        if _kin_form(word, language, several=False) and (
            language == "ar" or toks[i - 1].text in _POSSESSIVES_EN
        ):
            found.append((i, i, 1))
        elif language == "ar" and _dual_kin(word):
            found.append((i, i, 2))
        elif language == "en" and _kin_form(word, language, several=True):
            counted = _counted_by_possessive(i, toks, number_at)
            if counted is not None:
                found.append(counted)
    return found


@cache
def _dual_stems() -> frozenset[str]:
    """An Arabic dual in the construct state, as written before a pronoun: "طفلا", "طفلي"."""
    return frozenset(fold(w) + end for w in data()["kin"]["ar"]["two"] for end in ("ا", "ي"))


def _dual_kin(word: str) -> bool:
    """Is the Arabic word two people named by a pronoun ("وطفلاها", her two children)?"""
    duals = _dual_stems()
    return any(
        form.endswith(p) and form[: -len(p)] in duals
        for form in arabic_stems(word)
        for p in _DUAL_PRONOUNS
    )


# The pronouns written onto a dual: his, her, their (two), their.
_DUAL_PRONOUNS = ("هما", "ها", "هم", "ه")


def _counted_by_possessive(
    i: int, toks: list[Token], number_at: dict[int, Number]
) -> tuple[int, int, int] | None:
    """The span from the possessive and the figure of "her two children" ending at token `i`."""
    for first in range(i - 1, max(0, i - 4), -1):  # a number word is at most three tokens
        num = number_at.get(first)
        if (
            num is not None
            and num.last == i - 1
            and num.exact
            and toks[first - 1].text in _POSSESSIVES_EN
            and toks[first].text not in {"a", "an"}
        ):
            return (first - 1, i, num.value)
    return None


def _people(
    g: GroupMention, toks: list[Token], language: str, number_at: dict[int, Number]
) -> tuple[int, int, int] | None:
    """The span of a mention of people and how many it names, when the text says: one ("a
    journalist"), two (an Arabic dual with its pronoun), or a figure after a possessive ("her
    two children"); else None."""
    if _names_one(g, toks, language) and not (language == "ar" and _counted_noun(g, number_at)):
        return (g.first, g.last, 1)
    if language == "ar" and g.first == g.last and _dual_kin(toks[g.first].text):
        return (g.first, g.last, 2)
    if language == "en":
        return _counted_by_possessive(g.first, toks, number_at) or _listed_figure(
            g, toks, number_at
        )
    return None


def _counted_noun(g: GroupMention, number_at: dict[int, Number]) -> bool:
    """Is the Arabic singular the noun a figure right before it counts ("25 شخصا", "مائة شخص"),
    not one person? A number word is at most three tokens."""
    return any(
        (num := number_at.get(first)) is not None and num.last == g.first - 1
        for first in range(max(0, g.first - 3), g.first)
    )


def _listed_figure(
    g: GroupMention, toks: list[Token], number_at: dict[int, Number]
) -> tuple[int, int, int] | None:
    """The span and figure of "two children" in "a man and two children": a figure right before
    the group, after "and" ("killed a man and two children", three)."""
    for first in range(g.first - 1, max(0, g.first - 4), -1):
        num = number_at.get(first)
        if (
            num is not None
            and num.last == g.first - 1
            and num.exact
            and toks[first - 1].text == "and"
            and toks[first].text not in {"a", "an"}
        ):
            return (first, g.last, num.value)
    return None


def _possessor(first: int, w: CountWord, toks: list[Token], language: str) -> int:
    """One more when the first person listed is a relative joined by "and" to the one the
    pronoun names ("خطف العريبي وصديقه": the activist and his friend)."""
    if not _kin_form(toks[first].text, language, several=False):
        return 0
    if language == "ar":
        return int(toks[first].text.startswith("و") and first - 1 > w.last)
    return int(first >= 2 and toks[first - 2].text == "and" and first - 2 > w.last)


def _next_person(
    last: int,
    stop: int,
    groups: list[GroupMention],
    firsts: list[int],
    toks: list[Token],
    language: str,
    number_at: dict[int, Number],
) -> tuple[int, int, int] | None:
    """The people named (see `_people`) that "and" joins to the list ending at `last`."""
    limit = min(stop, last + NAME_GAP + 4)
    for g in groups[bisect_right(firsts, last) : bisect_right(firsts, limit)]:
        person = _people(g, toks, language, number_at)
        if _and_before(person[0] if person else g.first, last, toks, language):
            return person
    for person in _kin(toks, last + 1, limit, language, number_at):
        if _and_before(person[0], last, toks, language):
            return person
    if language == "en":
        # joined to the list, "the driver" is one more person ("a man and a child, as well as
        # the driver"); alone it may be anyone's ("the driver of the car bomb")
        for i in range(last + 2, min(limit, len(toks) - 1) + 1):
            if (
                toks[i - 1].text == "the"
                and _kin_form(toks[i].text, language, several=False)
                and _and_before(i, last, toks, language)
            ):
                return (i, i, 1)
    return None


def _and_companions(last: int, stop: int, toks: list[Token], language: str) -> bool:
    """Does "and his companions" ("ومرافقيه") or "and a number of others" ("وعددا من
    المواطنين") follow the list, leaving the number unknown?"""
    more = _more_unknown(language)
    for i in range(last + 1, min(stop, last + NAME_GAP + 2) + 1):
        word = toks[i].text
        forms = arabic_stems(word) if language == "ar" else [word]
        if (
            _kin_form(word, language, several=True) or any(f in more for f in forms)
        ) and _and_before(i, last, toks, language):
            return True
    return False


@cache
def _more_unknown(language: str) -> frozenset[str]:
    return frozenset(fold(w) for w in data()["more_unknown"][language])


def _and_some_of(
    last: int, stop: int, number_at: dict[int, Number], toks: list[Token], language: str
) -> Number | None:
    """The figure of "and two of his guards" ("واثنين من مرافقيه") after the list."""
    of = "من" if language == "ar" else "of"
    for i in range(last + 1, min(stop, last + NAME_GAP + 2) + 1):
        num = number_at.get(i)
        if (
            num is not None
            and num.exact
            and num.last + 1 < len(toks)
            and toks[num.last + 1].text == of
            and _and_before(i, last, toks, language)
        ):
            return num
    return None


def _other_kinds(order: list[CountWord]) -> tuple[list[int], list[int]]:
    """For each count word (in text order), the first token after the nearest count word of
    another kind before it, and the last token before the nearest one after it."""
    before, after = [0] * len(order), [1 << 30] * len(order)
    last_end: dict[str, int] = {}  # kind -> one past the last token of its latest word
    for k, w in enumerate(order):
        before[k] = max((e for kind, e in last_end.items() if kind != w.kind), default=0)
        last_end[w.kind] = w.last + 1
    next_start: dict[str, int] = {}
    for k in range(len(order) - 1, -1, -1):
        w = order[k]
        after[k] = min((s - 1 for kind, s in next_start.items() if kind != w.kind), default=1 << 30)
        next_start[w.kind] = w.first
    return before, after


def _names_one(g: GroupMention, toks: list[Token], language: str) -> bool:
    """Does the mention name one person? A phrase by its head noun, the last word in English
    ("citizen journalist"), the first in Arabic ("نائب رئيس الجهاز")."""
    if g.first == g.last:
        return _is_singular(toks[g.first].text, language)
    phrase = " ".join(t.text for t in toks[g.first : g.last + 1])
    head = toks[g.first if language == "ar" else g.last].text
    return phrase in _singulars(language) or _is_singular(head, language)


def _joined(spans: list[tuple[int, int, int]], toks: list[Token], language: str) -> int:
    """How many people the mentions (token spans and how many each names, in order) name: the
    first's, and those of each mention joined to the one before by "and" (the Arabic و)."""
    count = spans[0][2]
    for (_, last, _), (first, _, people) in itertools.pairwise(spans):
        count += people if _and_before(first, last, toks, language) else 0
    return count


@cache
def _singulars(language: str) -> frozenset[str]:
    """The group words that name one person, with and without the article."""
    return frozenset(f for word in data()["singular"][language] for f in with_article(fold(word)))


def _is_singular(word: str, language: str) -> bool:
    """Is the word one person? In Arabic also the indefinite accusative, whose tanween is
    written as a final alef ("قتل مسلحون صحفيا", "اعتقلت ناشطا"; not a noun ending in ة)."""
    singular = _singulars(language)
    return word in singular or (
        language == "ar"
        and any(f in singular or (f[-1:] == "ا" and f[:-1] in singular) for f in arabic_stems(word))
    )


def _owners(
    words: list[CountWord],
    numbers: list[Number],
    toks: list[Token],
    language: str,
    qualifiers: frozenset[str],
) -> dict[int, str]:
    """Number index -> the kind of the count word that claims it, which no other word may take.

    A count word claims a number right beside it on the side the language puts it: English
    "over 12 were wounded" (but not across "and": "killed 43 and wounded hundreds"), Arabic
    "وإصابة 3 آخرين"; and in Arabic the noun right after a number is what it counts ("سقوط 15
    جريحا": fifteen wounded). An English number that follows a count word, qualifiers aside
    ("wounded 3 children, killed ...", "killed at least 43"), is not claimed by the next one.
    """
    found: dict[int, str] = {}
    by_first = {w.first: w for w in words}
    by_last = {w.last: w for w in words}
    for k, num in enumerate(numbers):
        if language == "ar":
            # "شخصين وإصابة": a word joined by و opens the next clause; it counts nothing before.
            joined = num.last + 1 < len(toks) and toks[num.last + 1].text.startswith(("و", "ف"))
            before = [by_last.get(num.first - gap) for gap in range(1, OWN_REACH + 1)]
            act = before[0]
            if (
                act is not None
                and not toks[num.first].text.startswith("و")
                and _is_act(toks[act.first].text)
            ):
                # "قتل 22 جريحا": an act's object is the figure, whatever the noun after it says
                owner: CountWord | None = act
            else:
                claims = [None if joined else by_first.get(num.last + 1), *before]
                owner = next((w for w in claims if w is not None), None)
            if owner is not None:
                found[k] = owner.kind
            continue
        p = num.first - 1
        while p >= 0 and num.first - p <= OWN_REACH + 2 and toks[p].text in qualifiers:
            p -= 1
        if p in by_last:
            continue  # "killed at least 43": the number is the object of the word before it
        for pos in range(num.last + 1, min(num.last + OWN_REACH + 1, len(toks))):
            if pos in by_first:
                found[k] = by_first[pos].kind
                break
            if toks[pos].text in _CONJUNCTIONS:
                break
    return found


@cache
def _act_words() -> frozenset[str]:
    return frozenset(fold(w) for w in data()["act_words"]["ar"])


def _is_act(word: str) -> bool:
    """Is the Arabic count word an act done to people ("قتل", "اعتقال"), not a noun for them
    ("قتلى", "جرحى") or a neutral word ("سقوط 15 جريحا": fifteen fell wounded)?"""
    return any(f in _act_words() for f in arabic_stems(word))


def _after(
    w: CountWord, numbers: list[Number], first: int, toks: list[Token], qualifiers: frozenset[str]
) -> Iterator[tuple[int, int]]:
    """The numbers from `numbers[first]` on that stand close enough after `w`, with their distance:
    one more than the tokens between that are not qualifiers ("the drowning of up to 50
    people": qualifiers do not put the number further) nor a time adverbial ("kidnapped on
    Tuesday seven aid workers"; digits between that are no figure are a date's)."""
    between = 0
    pos = w.last + 1
    for k in range(first, len(numbers)):
        num = numbers[k]
        while pos < num.first:
            word = toks[pos].text
            if word not in qualifiers and not _DIGITS.fullmatch(word):
                between += 1
                if between >= AFTER_REACH:
                    return
            pos += 1
        yield k, 1 + between


def vague_kinds(counts: dict[str, int], numbers: list[Number]) -> frozenset[str]:
    """The kinds whose figure only a vague quantity gives ("dozens wounded"), no written number."""
    vague = {n.value for n in numbers if not n.exact}
    exact = {n.value for n in numbers if n.exact}
    return frozenset(k for k, v in counts.items() if v in vague and v not in exact)


def incident_counts(
    sentences: list[tuple[float, int, dict[str, int], frozenset[str]]],
) -> dict[str, int]:
    """An incident's counts from its sentences' (score, start, counts, vague kinds): for each
    kind, the figure of the best-scored sentence that gives one, the earlier on a tie. Only a
    written figure counts: "dozens wounded" or "killing thousands" states no number (the
    annotation guide: "only those the text states"), so a kind only vague quantities give has
    no count, and a later sentence's figure ("more than 60 injured") gives it one.

    Not the largest: a report's later sentences add unverified or wider figures ("media
    reported as many as 30"), a cumulative toll, or a figure of a related event.
    """
    out: dict[str, int] = {}
    for _, _, counts, fuzzy in sorted(sentences, key=lambda s: (-s[0], s[1])):
        for kind, n in counts.items():
            if kind not in fuzzy:
                out.setdefault(kind, n)
    return out
