"""Normalisation, tokens, sentences and phrase look-up that keep offsets into the original text.

Every finding must point at the exact characters of the analysed text, so nothing here may lose
the way back: normalisation maps each kept character to its original index, and every token,
sentence and match is reported in original offsets.

The Arabic character mappings come from camel-tools (alef forms, alef maksura, teh marbuta,
diacritics). They are applied through a translation table built once from those functions,
because calling them per document is string-to-string and would lose offsets. Tokens come from a
regular expression rather than `simple_word_tokenize`, which returns strings without offsets and
costs more than the rest of the analysis together.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

V = TypeVar("V")

TATWEEL = "\u0640"
# Arabic-Indic and Extended Arabic-Indic (Persian) digits read as ASCII digits.
_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {
    chr(0x06F0 + i): str(i) for i in range(10)
}
# Persian letters that appear in Arabic text typed on Persian keyboards.
_PERSIAN = {"\u06cc": "\u064a", "\u06a9": "\u0643"}


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in [*range(0x0600, 0x0700), *range(0x0750, 0x0780)]:
        char = chr(code)
        mapped = normalize_teh_marbuta_ar(
            normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(char)))
        )
        if mapped != char:
            table[code] = mapped
    table[ord(TATWEEL)] = ""
    table.update({ord(k): v for k, v in (_DIGITS | _PERSIAN).items()})
    # Zero-width joiners and marks carry no meaning for matching.
    for code in (0x200C, 0x200D, 0x200E, 0x200F, 0x061C):
        table[code] = ""
    return table


_TABLE = _build_table()
_DELETED = frozenset(chr(code) for code, value in _TABLE.items() if value == "")
assert all(len(value) <= 1 for value in _TABLE.values()), "normalisation must map 1:1 or delete"


_DELETED_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(_DELETED)) + "]")


@dataclass(frozen=True, slots=True)
class Normalised:
    """Text folded for matching, with the way back to the original offsets."""

    text: str
    original: str
    # For each deleted character, in order, the normalised index from which one more original
    # character lies behind; None when nothing was deleted, so indices are the same in both.
    # Bisecting these shifts costs far less than storing one original index per character.
    _shifts: tuple[int, ...] | None

    def start(self, i: int) -> int:
        """Original offset of the character at normalised index `i`."""
        if self._shifts is None:
            return i
        if i >= len(self.text):
            return len(self.original)
        return i + bisect_right(self._shifts, i)

    def end(self, i: int) -> int:
        """Original offset just past the normalised character before index `i`."""
        if self._shifts is None:
            return i
        return self.start(i - 1) + 1 if i > 0 else 0


def normalise(text: str) -> Normalised:
    """Fold Arabic letter variants, strip diacritics and tatweel, read Eastern digits, lower case.

    Lower-casing is done per character so that a character whose lower case is longer
    (such as 'İ') does not shift the offsets of everything after it.
    """
    folded = text.translate(_TABLE)
    lowered = folded.lower()
    if len(lowered) != len(folded):
        lowered = "".join(c.lower()[0] for c in folded)
    if len(folded) == len(text):
        return Normalised(lowered, text, None)
    shifts = tuple(m.start() - j for j, m in enumerate(_DELETED_RE.finditer(text)))
    return Normalised(lowered, text, shifts)


def fold(text: str) -> str:
    """The normalised form of a lexicon entry (no offsets needed)."""
    return normalise(text).text


class Token(NamedTuple):
    # A named tuple rather than a frozen dataclass: a document has hundreds of tokens and
    # tuples are several times cheaper to build.
    text: str  # normalised
    start: int  # original offsets
    end: int


_TOKEN = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)


def tokens(norm: Normalised) -> list[Token]:
    if norm._shifts is None:
        return [Token(m.group(), *m.span()) for m in _TOKEN.finditer(norm.text)]
    return [
        Token(m.group(), norm.start(m.start()), norm.end(m.end()))
        for m in _TOKEN.finditer(norm.text)
    ]


# A sentence ends at . ! ? or the Arabic question mark followed by space, or at a line break.
# Single capital letters and a few common abbreviations are not ends ("U.N.", "Mr.", "Dr.").
# The look-behinds follow the first mark (so they run only where there is one, not at every
# character) and look past it.
_SENTENCE_END = re.compile(
    r"[.!?؟](?<![A-Z].)(?<!\bMr.)(?<!\bMs.)(?<!\bDr.)(?<!\bSt.)(?<!\bNo.)(?<!\bGen.)"
    r"(?<!\bCol.)(?<!\bLt.)[.!?؟]*[\"'”’)]*(?=\s)|\n\s*"
)


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, trimmed of surrounding white space.

    A line break ends a sentence unless the text is hard-wrapped there (`_wrapped_breaks`); a
    sentence that goes on across one keeps the break inside its span.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    inside = _wrapped_breaks(text) if "\n" in text else frozenset()
    for m in _SENTENCE_END.finditer(text):
        if m.start() in inside:
            continue
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    trimmed = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


# Text copied from print or PDF layouts is hard-wrapped: its lines break inside sentences, and
# splitting there parts an act from its victim, place and day. A break is inside a sentence when
# the Arabic line before it cannot end one: it ends on a comma, on a word that always has more to
# follow (a preposition, a conjunction, a particle, a relative pronoun, the first part of a name),
# or inside a quotation it opened. A document that breaks so at least WRAP_EVIDENCE times is
# wrapped by habit, and then a line without a full stop goes on into the next as well when it
# goes on from the line before or opens with the conjunction "و": a headline, a dateline, a
# caption, a list item or a section heading never does either, so they stay sentences of their own.
WRAP_EVIDENCE = 2
_LINE_BREAK = re.compile(r"\n\s*")
# Marks after which a line is done: a sentence's end, or a colon that announces what follows.
_LINE_CLOSED = frozenset(".!?؟…:")
_CLOSING_MARKS = "\"'”’»)]"
_CLAUSE_MARKS = frozenset("،,؛;")
_QUOTES = '“”«»"'
_UNENDING_AR = frozenset(
    fold(
        # prepositions that cannot be left without their noun ("بعد" and "قبل" can: "لم يعلن بعد")
        "في من إلى على عن مع عند حول ضد منذ خلال بين دون لدى نحو عبر حتى ضمن تجاه إثر عقب جراء"
        " بسبب بحق لصالح بدون سوى مثل"
        # conjunctions, particles and relative pronouns that open a clause
        " و أو ثم بل لكن إلا كما فيما بينما حيث إذ لأن كي لكي عندما بعدما أن إن أنه إنه أنها"
        " قد لقد لم لن الذي التي الذين اللذين اللتين اللواتي اللاتي اللذان اللتان"
        # the first part of a name
        " أبو بن ابن عبد"
    ).split()
)


def _wrapped_breaks(text: str) -> frozenset[int]:
    """Where the text's line breaks fall inside a sentence (the offsets of their first newline)."""
    # Per break: its offset, whether the line before it is an open Arabic line (no full stop),
    # whether that line cannot end a sentence, and whether it opens with "و".
    lines: list[tuple[int, bool, bool, bool]] = []
    start = 0
    for m in _LINE_BREAK.finditer(text):
        line = text[start : m.start()].strip()
        start = m.end()
        if m.end() == len(text) or line.rstrip(_CLOSING_MARKS)[-1:] in _LINE_CLOSED:
            lines.append((m.start(), False, False, False))
            continue
        word = _last_word(line)
        if not word or not _is_arabic(word):
            lines.append((m.start(), False, False, False))
            continue
        unended = (
            line[-1] in _CLAUSE_MARKS
            or word in _UNENDING_AR
            or (word[:1] == "و" and word[1:] in _UNENDING_AR)
            or _opens_quotation(line)
        )
        lines.append((m.start(), True, unended, line.startswith("و")))
    habit = sum(unended for _, _, unended, _ in lines) >= WRAP_EVIDENCE
    inside: set[int] = set()
    going_on = False
    for at, is_open, unended, conjoined in lines:
        # `going_on` still tells whether the line before went on into this one.
        going_on = unended or (habit and is_open and (conjoined or going_on))
        if going_on:
            inside.add(at)
    return frozenset(inside)


def _last_word(line: str) -> str:
    """The line's last word, normalised (its diacritics and tatweel are part of it)."""
    end = len(line)
    while end and not (line[end - 1].isalnum() or line[end - 1] in _DELETED):
        end -= 1
    start = end
    while start and (line[start - 1].isalnum() or line[start - 1] in _DELETED):
        start -= 1
    return fold(line[start:end])


def _opens_quotation(line: str) -> bool:
    """Does the line's last quotation mark open a quotation ("قال إن “الوضع")?"""
    at = max(line.rfind(q) for q in _QUOTES)
    if at < 0:
        return False
    if line[at] != '"':
        return line[at] in "“«"
    # A straight quote opens when it stands before a word, not after one.
    return (at == 0 or not line[at - 1].isalnum()) and line[at + 1 : at + 2].isalnum()


# Arabic proclitics: conjunction (و ف), preposition (ب ل ك), future/emphasis are not needed for
# names and nouns. "لل" is ل + ال with the alef dropped.
_PROCLITICS_AR = (
    "وبال",
    "فبال",
    "وال",
    "فال",
    "بال",
    "كال",
    "ولل",
    "فلل",
    "لل",
    "وب",
    "فب",
    "ول",
    "فل",
    "وك",
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
)
_PRONOUNS_AR = frozenset({"هما", "كما", "هم", "هن", "ها", "كم", "نا", "ه"})
# Enclitic pronouns and common inflectional endings on verbs and nouns.
_ENCLITICS_AR = (
    "هما",
    "كما",
    "هم",
    "هن",
    "ها",
    "كم",
    "نا",
    "وا",
    "ون",
    "ين",
    "ات",
    "ان",
    "ه",
    "ت",
    "ي",
)


def arabic_stems(token: str, *, enclitics: bool = False) -> list[str]:
    """The token and the stems left after stripping clitics, most specific first.

    `لل` also yields the form with the article restored, so `للمهاجرين` finds `المهاجرين`.
    """
    return list(_stems(token, enclitics))


# Words repeat (Zipf), so remembering their stems saves most of the work on every document.
@lru_cache(maxsize=1 << 16)
def _stems(token: str, enclitics: bool) -> tuple[str, ...]:
    forms = [token]
    for prefix in _PROCLITICS_AR:
        if token.startswith(prefix) and len(token) - len(prefix) >= 2:
            rest = token[len(prefix) :]
            forms.append(rest)
            if prefix.endswith(("لل", "ال")):
                forms.append("ال" + rest)
    if enclitics:
        for form in list(forms):
            for suffix in _ENCLITICS_AR:
                if form.endswith(suffix) and len(form) - len(suffix) >= 3:
                    stem = form[: -len(suffix)]
                    forms.append(stem)
                    if suffix in _PRONOUNS_AR and stem.endswith("و"):
                        # A plural verb drops its alef before a pronoun: اغتصبوها = اغتصبوا + ها.
                        forms.extend((stem + "ا", stem[:-1]))
                    elif suffix in _PRONOUNS_AR and stem.endswith("ت"):
                        # A noun's final ة is written ت before a pronoun: وفاته = وفاة + ه (ة is
                        # normalised to ه).
                        forms.append(stem[:-1] + "ه")
    return tuple(dict.fromkeys(forms))


def with_article(phrase: str) -> list[str]:
    """An Arabic phrase and, if it has none, its form with the article on the first word.

    Lexicons list nouns bare (صحفي, مهاجرين); text often carries the article (الصحفي). The
    matcher strips conjunctions and prepositions but not the article alone, since many place
    names begin with it, so noun lexicons add the article form themselves.
    """
    if not phrase or not _is_arabic(phrase) or phrase.startswith("ال"):
        return [phrase]
    return [phrase, "ال" + phrase]


def _is_arabic(word: str) -> bool:
    return "\u0600" <= word[0] <= "\u06ff" or "\u0600" <= word[-1] <= "\u06ff"


@dataclass(frozen=True, slots=True)
class Match(Generic[V]):
    start: int  # original offsets
    end: int
    value: V
    surface: str  # the normalised phrase that matched


# Distinct words remembered per index before the memory is cleared and rebuilt.
_PLAN_CACHE = 200_000


class PhraseIndex(Generic[V]):
    """Finds known phrases (names, triggers) in text, longest match first, Arabic clitic-aware.

    Phrases are stored as tuples of normalised tokens keyed by their first token. Look-up walks
    the text's tokens once; for each token it tries the token and its clitic-stripped stems, so
    `بطرابلس` and `وطرابلس` find `طرابلس` and `للمهاجرين` finds `المهاجرين`. With `enclitics`,
    the last token of a phrase may also carry a pronoun or plural ending (`اعتقلوهم`).
    """

    def __init__(self, phrases: Iterable[tuple[str, V]] = (), *, enclitics: bool = False) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], V]]] = {}
        self._enclitics = enclitics
        # Per distinct word, the phrases it can start, longest first, and the one-token phrase it
        # can be with an enclitic: words repeat, so each is worked out once.
        self._plans: dict[str, tuple[tuple[tuple[str, ...], V], ...]] = {}
        self._singles: dict[str, tuple[tuple[str, ...], V] | None] = {}
        for phrase, value in phrases:
            self.add(phrase, value)

    def add(self, phrase: str, value: V) -> None:
        key = tuple(t.text for t in tokens(normalise(phrase)))
        if not key:
            return
        entries = self._by_first.setdefault(key[0], [])
        entries.append((key, value))
        entries.sort(key=lambda e: -len(e[0]))
        self._plans.clear()
        self._singles.clear()

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_first.values())

    def _forms(self, word: str, *, last: bool) -> tuple[str, ...]:
        if not _is_arabic(word):
            return (word,)
        return _stems(word, self._enclitics and last)

    def _plan(self, word: str) -> tuple[tuple[tuple[str, ...], V], ...]:
        """Phrases `word` may start: longest first, then in the order of its forms."""
        plan = self._plans.get(word)
        if plan is None:
            ranked = [
                (-len(key), rank, order, key, value)
                for rank, form in enumerate(self._forms(word, last=False))
                for order, (key, value) in enumerate(self._by_first.get(form, ()))
            ]
            ranked.sort(key=lambda r: r[:3])
            plan = tuple((key, value) for _, _, _, key, value in ranked)
            if len(self._plans) > _PLAN_CACHE:
                self._plans.clear()
            self._plans[word] = plan
        return plan

    def _single(self, word: str) -> tuple[tuple[str, ...], V] | None:
        """The one-token phrase `word` is once an enclitic the first pass kept is stripped."""
        if word in self._singles:
            return self._singles[word]
        found = None
        for form in self._forms(word, last=True):
            found = next(((k, v) for k, v in self._by_first.get(form, ()) if len(k) == 1), None)
            if found is not None:
                break
        if len(self._singles) > _PLAN_CACHE:
            self._singles.clear()
        self._singles[word] = found
        return found

    def find(self, text: str | Normalised) -> list[Match[V]]:
        norm = normalise(text) if isinstance(text, str) else text
        return list(self.iter_matches(tokens(norm)))

    def iter_matches(self, toks: list[Token]) -> Iterator[Match[V]]:
        for i, j, key, value in self.spans(toks):
            yield Match(toks[i].start, toks[j].end, value, " ".join(key))

    def spans(self, toks: list[Token]) -> list[tuple[int, int, tuple[str, ...], V]]:
        """Matches as (first token, last token, phrase key, value): the cheap form of
        `iter_matches` for callers that work in token positions."""
        out = []
        i = 0
        n_toks = len(toks)
        plans = self._plans
        while i < n_toks:
            word = toks[i][0]
            plan = plans.get(word)
            if plan is None:
                plan = self._plan(word)
            best: tuple[tuple[str, ...], V] | None = None
            for key, value in plan:
                if len(key) == 1 or self._matches_rest(key, toks, i):
                    best = (key, value)
                    break
            if best is None and self._enclitics:
                best = self._single(word)
            if best is None:
                i += 1
                continue
            key, value = best
            n = len(key)
            out.append((i, i + n - 1, key, value))
            i += n
        return out

    def _matches_rest(self, key: tuple[str, ...], toks: list[Token], i: int) -> bool:
        if i + len(key) > len(toks):
            return False
        for j in range(1, len(key)):
            last = j == len(key) - 1
            word = toks[i + j].text
            if word != key[j] and key[j] not in self._forms(word, last=last):
                return False
        return True
