"""Places named in a text: Libyan cities, towns, neighbourhoods, facilities, districts, regions
and sea areas, and the foreign places Libya reporting mentions, with offsets and a precision.

The gazetteer (data/gazetteer.json, built by tools/build_gazetteer.py) gives each name a cue
level, because many Libyan place names are ordinary words (الخمس "the five", البيضاء "white",
الزاوية "the corner", "Hun"):

- free: the name counts wherever it appears (طرابلس, Misrata);
- loc: it counts after a locative word or clitic (في, من, إلى, بـ, لـ; in, near, from ...), after
  a place noun, or next to another place in a list ("طرابلس والخمس");
- strong: it counts only after a place noun (مدينة, منطقة, قرية; the town of ...) or in a list.

Latin-script names must be capitalised in the text (the first word that is not an article).

When one name has several readings (Tripoli in Libya or Lebanon; Zawiya the city or the
district; Souq al-Jumaa in Tripoli or a village elsewhere), the reading that other places in the
same text support wins (the same parent, district or country, then the nearest), then the more
specific kind, then the more prominent place.

Precision follows ACLED's geo-precision: 1 the place itself, 2 near it or part of it ("near X",
"south of X", "قرب", "ضواحي", "جنوب"), 3 a district, region, country or sea area.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from nlp.text import Normalised, PhraseIndex, arabic_stems, fold, normalise, tokens

if TYPE_CHECKING:
    from nlp.text import Token

DATA = Path(__file__).parent / "data" / "gazetteer.json"

AREA_KINDS = frozenset({"district", "region", "country", "sea_area"})
FREE, LOC, STRONG = 0, 1, 2
_LEVEL = {"free": FREE, "loc": LOC, "strong": STRONG}


@dataclass(frozen=True, slots=True)
class Place:
    id: str  # stable, e.g. "gn:2210247", "osm:town-50", "m:abu-salim", "iso:LY-BA"
    name: str  # usual English/Latin name
    name_ar: str | None
    kind: str  # city | town | village | neighbourhood | district | region | country |
    # detention_centre | prison | border_crossing | sea_area | airport
    country: str  # ISO 3166-1 alpha-2; "LY" for Libya
    admin1: str | None  # Libyan district (shabiya), English name
    lat: float
    lon: float
    parent: str | None  # id of the containing city for neighbourhoods and facilities
    population: int | None


@dataclass(frozen=True, slots=True)
class PlaceMention:
    place: Place
    start: int  # offsets into the original text
    end: int
    precision: int  # 1 the place itself, 2 near it or part of it, 3 an area only


class _Reading(NamedTuple):
    place: int  # index into the gazetteer's places
    level: int  # FREE, LOC or STRONG
    check: int  # token of the phrase that must be capitalised in the text; -1 for none


class _Name(NamedTuple):
    readings: tuple[_Reading, ...]  # empty for phrases that are no place ("Geneva Conventions")
    arabic: bool
    possessive: bool  # an English name with 's ("Tripoli's")
    # Words (and word endings) after which the name is an ordinary word: الخمس سنوات.
    not_before: tuple[frozenset[str], tuple[str, ...]] | None = None


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    places: tuple[Place, ...]
    weights: tuple[int, ...]
    by_id: dict[str, Place]
    index: PhraseIndex[_Name]


def _folded(words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words.split())


# Words a Latin place name may start with in lower case ("al-Zawiya", "off Zuwara").
_LOWER_OK = frozenset(
    {"al", "el", "an", "ar", "as", "ash", "at", "az", "ad", "ed", "es", "ez", "the", "of", "off"}
    | {"bin", "ben", "ibn", "wa", "de", "du", "la", "le", "abu", "bu", "sidi", "umm"}
)
_POSSESSIVE = ("'s", "’s")
# Latin names are indexed without their article, which is matched separately: thousands of
# names start with "al" or "el", and a phrase index keyed on "al" would try them all at every
# "al" in a text.
_ARTICLES = _folded("al el the an ar as ash at ath az ad adh ed en er es et ez")
_ARTICLE_JOIN = frozenset({" ", "-", "‐", "–", "'", "’"})
_HYPHENS = frozenset({"-", "‐", "–"})


@cache
def _data() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return loaded


def version() -> str:
    return str(_data()["version"])


@cache
def _gazetteer() -> _Gazetteer:
    raw = _data()
    places: list[Place] = []
    weights: list[int] = []
    readings: dict[str, list[_Reading]] = {}
    for i, spec in enumerate(raw["places"]):
        places.append(
            Place(
                spec["id"],
                spec["name"],
                spec["name_ar"],
                spec["kind"],
                spec["country"],
                spec["admin1"],
                float(spec["lat"]),
                float(spec["lon"]),
                spec["parent"],
                spec["population"],
            )
        )
        weights.append(int(spec["weight"]))
        for name, level in spec["names_ar"].items():
            readings.setdefault(_key(name), []).append(_Reading(i, _LEVEL[level], -1))
        for name, level in spec["names_latin"].items():
            words = _key(name).split()
            if len(words) > 1 and words[0] in _ARTICLES:
                words = words[1:]
            check = -1 if spec["any_case"] else _capital_word(words)
            bare = " ".join(words)
            # "Tripoli's", "Abu Salim's": the tokenizer keeps 's on the word.
            possessives = (bare + p for p in _POSSESSIVE) if len(words) <= 2 else ()
            for form in (bare, *possessives):
                readings.setdefault(form, []).append(_Reading(i, _LEVEL[level], check))
    guards = {
        _key(name): (frozenset(fold(w) for w in rule["words"]), tuple(rule["endings"]))
        for name, rule in raw["not_before"].items()
    }
    index: PhraseIndex[_Name] = PhraseIndex()
    for phrase, found in readings.items():
        unique = tuple(dict.fromkeys(found))
        arabic = _is_arabic(phrase)
        index.add(phrase, _Name(unique, arabic, phrase.endswith(_POSSESSIVE), guards.get(phrase)))
    for phrase in raw["not_places"]:
        key = _key(phrase)
        if key not in readings:
            index.add(key, _Name((), _is_arabic(key), False))
    return _Gazetteer(tuple(places), tuple(weights), {p.id: p for p in places}, index)


def _key(name: str) -> str:
    """A name as the phrase index sees it: normalised tokens joined by spaces."""
    return " ".join(t.text for t in tokens(normalise(name)))


def _capital_word(words: list[str]) -> int:
    return next((k for k, w in enumerate(words) if w not in _LOWER_OK), -1)


def _is_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text[:4])


def place_by_id(place_id: str) -> Place | None:
    return _gazetteer().by_id.get(place_id)


# --- context cues (normalised forms) ---------------------------------------------------------


# A place noun before a name: the strongest sign it is a place.
_AR_PLACE_NOUNS = _folded(
    "مدينة مدينتي مدن بلدة بلدتي بلدات قرية قريتي قرى منطقة منطقتي مناطق حي احياء ضاحية ضواحي "
    "الضواحي شعبية بلدية واحة اطراف الاطراف مشارف سجن مركز معبر منفذ ميناء مطار قاعدة مخيم"
)
_EN_PLACE_NOUNS = _folded(
    "town towns city cities village villages area areas district districts region oasis "
    "municipality neighbourhood neighborhood suburb suburbs outskirts port prison camp airport "
    "governorate province capital"
)
_EN_NOUNS_AFTER = _folded(
    "district area neighbourhood neighborhood town city village municipality region oasis "
    "prison port airport suburb"
)
# Locative words: enough for a name that is also an ordinary word (loc level).
_AR_LOCATIVES = _folded(
    "في من الى إلى على قرب بالقرب نحو داخل حول عند بين شرق غرب شمال جنوب شرقي غربي شمالي جنوبي "
    "وسط محيط تجاه باتجاه صوب خارج انحاء عبر مدخل مداخل قبالة سواحل ساحل شواطئ حتى مقربة "
    # verbs whose object is a place in conflict reporting
    "دخل دخلت اقتحم اقتحمت قصف قصفت استهدف استهدفت حاصر حاصرت هاجم هاجمت غادر غادرت"
)
_EN_LOCATIVES = _folded(
    "in at near from to into outside around toward towards across inside between via through on "
    "against of off within nearby "
    # verbs whose object is a place in conflict reporting
    "entered reached captured seized stormed shelled attacked bombed besieged left fled"
)
# Words that put an event near a place or in a part of it (precision 2).
_AR_NEAR = _folded(
    "قرب بالقرب مقربة ضواحي الضواحي ضاحية اطراف الاطراف محيط مشارف تخوم خارج قبالة جنوب شمال شرق "
    "غرب جنوبي شمالي شرقي غربي الجنوبي الشمالي الشرقي الغربي جنوبية شمالية شرقية غربية الجنوبية "
    "الشمالية الشرقية الغربية كم كيلومتر كيلومترا كيلومترات كلم"
)
_AR_NEAR_FILLER = _folded("من مدينة بلدة قرية منطقة العاصمة")
_EN_NEAR = _folded(
    "near nearby outside outskirts outskirt suburbs vicinity around close off coast edge edges "
    "environs surrounding surroundings south north east west southeast southwest northeast "
    "northwest southern northern eastern western km kilometres kilometers miles"
)
_EN_NEAR_FILLER = _folded("the of to from town city village area capital oasis port")
# What may separate two places in a list: commas, "and"/"or", the conjunction و.
_LIST_GAP = re.compile(r"[\s,،]*(?:(?:and|or|و|او|أو|ثم)\s*)?[\s,،]*", re.IGNORECASE)


class _Span(NamedTuple):
    first: int  # token positions, inclusive
    last: int
    start: int  # original offsets of the name (clitics and 's left out)
    end: int
    readings: tuple[_Reading, ...]  # those whose capitalisation fits
    achieved: int  # the strongest cue found: FREE (none), LOC or STRONG
    arabic: bool


def find_places(text: str | Normalised, language: str) -> list[PlaceMention]:
    """Places named in `text`, in text order, with offsets into the original text.

    `language` is taken for the common signature of the finders; names in both scripts are
    looked up whatever it is, since Arabic articles quote Latin names and English ones Arabic.
    """
    del language
    norm = normalise(text) if isinstance(text, str) else text
    toks = tokens(norm)
    gaz = _gazetteer()
    original = norm.original
    spans: list[_Span] = []
    for i, j, key, name in gaz.index.spans(toks):
        if not name.readings or _guarded(toks, j, name):
            continue
        start, end = _name_offsets(original, toks[i], toks[j], key, name)
        if name.arabic:
            achieved = _arabic_cue(toks, i, key[0])
            fitting = name.readings
        else:
            fitting = tuple(r for r in name.readings if _capitalised(original, toks, i, r.check))
            if i > 0 and _article(original, toks[i - 1], toks[i]):
                i -= 1
                start = toks[i].start
            achieved = _latin_cue(toks, i, j)
        if fitting:
            spans.append(_Span(i, j, start, end, fitting, achieved, name.arabic))
    accepted = _accept(spans, original)
    mentions = _resolve(accepted, gaz)
    return [
        PlaceMention(place, span.start, span.end, _precision(place, toks, span))
        for span, place in mentions
    ]


def _article(original: str, article: Token, word: Token) -> bool:
    """Is `article` the Arabic article of the name starting at `word` ("al-Zawiya", "Az
    Zawiyah")? "the", "as", "at" and "an" are English words unless capitalised or hyphenated
    before the name; "the" is never part of a name's span."""
    join = original[article.end : word.start]
    if article.text not in _ARTICLES or article.text == "the" or join not in _ARTICLE_JOIN:
        return False
    return article.text in ("al", "el") or join in _HYPHENS or original[article.start].isupper()


def _guarded(toks: list[Token], j: int, name: _Name) -> bool:
    if name.not_before is None or j + 1 >= len(toks):
        return False
    words, endings = name.not_before
    after = toks[j + 1].text
    return after in words or any(after.endswith(e) and len(after) > len(e) + 2 for e in endings)


def _name_offsets(
    original: str, first: Token, last: Token, key: tuple[str, ...], name: _Name
) -> tuple[int, int]:
    start, end = first.start, last.end
    if name.possessive:
        end -= 2
    if name.arabic and first.text != key[0]:
        # A proclitic (و ب ل ف ك, لل) is glued to the first word: point at the name itself.
        word = first.text
        if word.endswith(key[0]):
            skip = len(word) - len(key[0])
        elif key[0].startswith("ال") and word.endswith(key[0][1:]):
            skip = len(word) - len(key[0]) + 1  # لل: the article's alef is dropped
        else:
            skip = 0
        start = _advance(original, start, skip)
    return start, end


def _advance(original: str, start: int, count: int) -> int:
    """The original offset `count` normalised characters after `start` (diacritics and tatweel
    are deleted by normalisation, so they do not count)."""
    deleted = _deleted()
    pos = start
    while count > 0 and pos < len(original):
        if original[pos] not in deleted:
            count -= 1
        pos += 1
    while pos < len(original) and original[pos] in deleted:
        pos += 1
    return pos


@cache
def _deleted() -> frozenset[str]:
    """Characters normalisation deletes inside Arabic words (diacritics, tatweel, joiners)."""
    candidates = [*range(0x0600, 0x0780), 0x200C, 0x200D, 0x200E, 0x200F, 0x061C]
    return frozenset(chr(c) for c in candidates if not fold(chr(c)))


def _capitalised(original: str, toks: list[Token], i: int, check: int) -> bool:
    if check < 0:
        return True
    k = i + check
    return k < len(toks) and original[toks[k].start].isupper()


def _arabic_cue(toks: list[Token], i: int, first_key: str) -> int:
    word = toks[i].text
    if word != first_key:
        prefix = word[: len(word) - len(first_key)] if word.endswith(first_key) else word[:2]
        if "ب" in prefix or "ل" in prefix:
            return LOC  # بسرت, لسرت, وبسرت, للخمس
    if i == 0:
        return FREE
    before = arabic_stems(toks[i - 1].text)
    if any(s in _AR_PLACE_NOUNS for s in before):
        return STRONG
    if any(s in _AR_LOCATIVES for s in before):
        return LOC
    return FREE


def _latin_cue(toks: list[Token], i: int, j: int) -> int:
    after = toks[j + 1].text if j + 1 < len(toks) else ""
    prev = toks[i - 1].text if i > 0 else ""
    prev2 = toks[i - 2].text if i > 1 else ""
    if after in _EN_NOUNS_AFTER or (prev == "of" and prev2 in _EN_PLACE_NOUNS):
        return STRONG
    if prev in _EN_LOCATIVES or prev in _EN_PLACE_NOUNS:
        return LOC
    return FREE


def _accept(spans: list[_Span], original: str) -> list[_Span]:
    """The spans whose cue suffices for at least one reading, with those readings; a name that
    needs a locative cue also counts next to an accepted place in a list."""
    kept: list[_Span | None] = []
    for span in spans:
        ok = tuple(r for r in span.readings if r.level <= span.achieved)
        kept.append(span._replace(readings=ok) if ok else None)
    for n, span in enumerate(spans):
        if kept[n] is not None:
            continue
        listed = tuple(r for r in span.readings if r.level <= LOC)
        if not listed:
            continue
        neighbours = (n - 1, n + 1)
        for m in neighbours:
            other = kept[m] if 0 <= m < len(spans) else None
            if other is None:
                continue
            gap = original[other.end : span.start] if m < n else original[span.end : other.start]
            if _LIST_GAP.fullmatch(gap):
                kept[n] = span._replace(readings=listed)
                break
    return [s for s in kept if s is not None]


def _resolve(spans: list[_Span], gaz: _Gazetteer) -> list[tuple[_Span, Place]]:
    """One place per span: the only reading, or the one the text's other places support."""
    unique = {s.readings[0].place for s in spans if len(s.readings) == 1}
    context = [gaz.places[i] for i in sorted(unique)]
    chosen: dict[tuple[_Reading, ...], Place] = {}  # a name repeats; rank its readings once
    out = []
    for span in spans:
        if len(span.readings) == 1:
            out.append((span, gaz.places[span.readings[0].place]))
            continue
        place = chosen.get(span.readings)
        if place is None:
            best = min(span.readings, key=lambda r: _rank(gaz, r.place, context))
            place = chosen[span.readings] = gaz.places[best.place]
        out.append((span, place))
    return out


def _rank(gaz: _Gazetteer, index: int, context: list[Place]) -> tuple[int, float, bool, int, str]:
    place = gaz.places[index]
    support = 0
    nearest = math.inf
    for other in context:
        if other.id == place.id:  # named unambiguously elsewhere in the text
            support = 4
            continue
        if (
            other.parent == place.id
            or place.parent == other.id
            or (place.parent is not None and place.parent == other.parent)
        ):
            support = max(support, 3)
        elif place.country == other.country == "LY" and place.admin1 == other.admin1:
            support = max(support, 2)
        elif place.country == other.country:
            support = max(support, 1)
        if place.kind not in AREA_KINDS and other.kind not in AREA_KINDS:
            nearest = min(nearest, _km(place, other))
    return (-support, nearest, place.kind in AREA_KINDS, -gaz.weights[index], place.id)


def _km(a: Place, b: Place) -> float:
    """Distance for ranking readings: equirectangular, close enough within North Africa."""
    dx = (a.lon - b.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    return 111.2 * math.hypot(dx, a.lat - b.lat)


def _precision(place: Place, toks: list[Token], span: _Span) -> int:
    if place.kind in AREA_KINDS:
        return 3
    return 2 if _near(toks, span) else 1


def _near(toks: list[Token], span: _Span) -> bool:
    """Does a word like 'near', 'south of', 'قرب', 'جنوب' put the event around the place?"""
    k = span.first - 1
    if span.arabic:
        for _ in range(3):
            if k < 0:
                return False
            stems = arabic_stems(toks[k].text)
            if any(s in _AR_NEAR for s in stems):
                return True
            if not any(s in _AR_NEAR_FILLER for s in stems):
                return False
            k -= 1
        return False
    for _ in range(4):
        if k < 0:
            return False
        word = toks[k].text
        if word in _EN_NEAR:
            return True
        if word not in _EN_NEAR_FILLER:
            return False
        k -= 1
    return False


def spellings() -> list[tuple[Place, tuple[str, ...]]]:
    """Each place with its spellings in both scripts, in the gazetteer's order: its names and
    those that name it wherever they appear or after a locative (not those needing a place noun,
    such as الخضراء "the green" for Tarhuna), for search to expand a place name into."""
    found = []
    for place, spec in zip(_gazetteer().places, _data()["places"], strict=True):
        names = [spec["name"], spec["name_ar"]]
        for group in ("names_ar", "names_latin"):
            names.extend(n for n, level in spec[group].items() if level != "strong")
        found.append((place, tuple(dict.fromkeys(n for n in names if n))))
    return found
