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
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from nlp import triggers
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
        _capital(original, toks, span, place)
        or PlaceMention(
            _side(original, span, place), span.start, span.end, _precision(place, toks, span)
        )
        for span, place in mentions
    ]


LIBYA_ID = "iso:LY"
CAPITAL_ID = "gn:2210247"  # Tripoli
_CAPITAL_OF = re.compile(r"capital\s+of\s+$", re.IGNORECASE)


def _capital(original: str, toks: list[Token], span: _Span, place: Place) -> PlaceMention | None:
    """ "Libya's capital", "the capital of Libya": Tripoli, not the country."""
    if place.id != LIBYA_ID:
        return None
    capital = _gazetteer().by_id.get(CAPITAL_ID)
    if capital is None:
        return None
    after = span.last + 1
    if (
        after < len(toks)
        and toks[after].text == "capital"
        and original[span.end : span.end + 2] in ("'s", "’s")
    ):
        return PlaceMention(capital, span.start, toks[after].end, 1)
    before = _CAPITAL_OF.search(original, max(0, span.start - 16), span.start)
    if before is not None:
        return PlaceMention(capital, before.start(), span.end, 1)
    return None


# A neighbour's adjective next to a place puts it (or a border crossing's side of it) in that
# country: "الذهيبة التونسية", "Ras Jedir on the Tunisian side", "the Tunisian border town of
# Ben Guerdane". Folded forms.
_NEIGHBOURS = {
    **dict.fromkeys(_folded("tunisian التونسية التونسي"), "TN"),
    **dict.fromkeys(_folded("egyptian المصرية المصري"), "EG"),
    **dict.fromkeys(_folded("algerian الجزائرية الجزائري"), "DZ"),
    **dict.fromkeys(_folded("chadian التشادية التشادي"), "TD"),
    **dict.fromkeys(_folded("sudanese السودانية السوداني"), "SD"),
    **dict.fromkeys(_folded("nigerien النيجرية النيجري"), "NE"),
}
_SIDE_AFTER = re.compile(
    r"\s*(?:\(\s*)?(?:(?:on|from|at)\s+the\s+(?P<en>\w+)\s+side|(?:من|في|على)\s+الجانب\s+(?P<ar>\w+)"
    r"|(?P<adj>\w+))",
    re.IGNORECASE,
)
_SIDE_BEFORE = re.compile(
    r"(?P<adj>\w+)\s+(?:(?:border|coastal|southern|northern|eastern|western|frontier)\s+)*"
    r"(?:town|city|village|port|island|crossing)\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _side(original: str, span: _Span, place: Place) -> Place:
    """The place, moved to a neighbouring country when an adjective says it lies there."""
    if place.country != "LY" or place.kind == "country":
        return place
    after = _SIDE_AFTER.match(original, span.end, span.end + 40)
    before = _SIDE_BEFORE.search(original, max(0, span.start - 60), span.start)
    for m in (after, before):
        if m is None:
            continue
        word = next(g for g in m.groups() if g)
        country = _NEIGHBOURS.get(fold(word))
        if country is not None:
            return replace(place, country=country, admin1=None)
    return place


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


# --- places that are not where something happened ------------------------------------------
#
# A place name often stands inside another name or marks who speaks, not where the event was:
# an office ("based in Tripoli", "مقرها طرابلس", "Tripoli-based"); a street, neighbourhood or camp
# named after a town ("شارع الزاوية", "Shara al-Zawiya", "حي الزنتان" in Derna, "مخيم نازحي
# تاورغاء" in Tripoli); an armed unit named after its district or town ("قوة الردع ... أبوسليم",
# "كتائب الزنتان", "the Abu Salim Central Security"); the seat of whoever reports ("مراسل الجزيرة
# في طرابلس", "وزارة الصحة في طرابلس", "the health ministry in Tripoli"). The first kinds are
# never the scene; a seat is not when the sentence names another place. Local sources and
# residents ("مصادر محلية في درنة", "local sources in Derna") speak from the scene.

_WORD = re.compile(r"\w+(?:['’]\w+)*")
# An office: these words just before the place, or "-based" just after it.
_OFFICE = _folded("based headquartered مقرها ومقرها مقره ومقره office")
# A street, neighbourhood or camp named after a town: the town right after these words.
_NAMED_AFTER_AR = _folded("شارع حي مخيم نازحي مهجري نازحو مهجرو النازحين المهجرين نازحين مهجرين")
_NAMED_AFTER_LATIN = _folded("shara sharia shari hay hai")
_STREET_AFTER_LATIN = _folded("street st")
_TOWN_KINDS = frozenset({"city", "town", "village"})
# Armed units: in Arabic the unit's name follows it ("كتائب الزنتان", "قوة الردع المشتركة
# أبوسليم"), in English it precedes it ("the Abu Salim Central Security", "Misrata brigades").
_UNITS_AR = _folded(
    "قوة القوة قوات كتيبة الكتيبة كتائب لواء اللواء سرية السرية ميليشيا ميليشيات مليشيا مليشيات "
    "جهاز الجهاز غرفة الغرفة"
)
# Words of a unit's own name that may stand between the unit noun and its place, a town's too:
# "كتيبة شهداء الزاوية", "قوة حماية مصراتة", "غرفة عمليات أجدابيا".
_UNIT_NAME_AR = _folded("شهداء ثوار درع حماية عمليات")
_UNITS_LATIN = _folded(
    "brigade brigades battalion battalions militia militias force forces deterrence "
    "apparatus revolutionaries shield"
)
UNIT_REACH = 4
_COUNCILS_AR = _folded("مجلس المجلس")
_CENTRAL_SECURITY = re.compile(r"\s+central\s+security\b", re.IGNORECASE)
# English names an armed unit after its town in two ways: the town first, then at most three
# capitalised words of the name and the unit noun ("the Zawiya Martyrs Brigade", "the Misrata
# Joint Operations Room"), or the unit noun, "of" and the town ("the Brigade of Misrata"). Not a
# local body's office ("security directorate", "council", "municipality"): it works in its town
# and its building is a scene ("a car bomb hit the Benghazi Security Directorate").
_LATIN_UNIT_NOUNS = (
    r"(?:[Bb]rigades?|[Bb]attalions?|[Mm]ilitias?|[Ff]orces?"
    r"|[Oo]perations\s+[Rr]oom|[Mm]ilitary\s+[Cc]ouncils?|[Gg]uards?|[Ss]hield|[Rr]evolutionaries|[Dd]eterrence)"
)
_LATIN_UNIT_AFTER = re.compile(
    r"(?:[\s-]+(?:[A-Z][\w'’-]*|[0-9]+(?:st|nd|rd|th)?)){0,3}?[\s-]+" + _LATIN_UNIT_NOUNS + r"\b"
)
_LATIN_UNIT_BEFORE = re.compile(
    r"\b" + _LATIN_UNIT_NOUNS + r"\s+of\s+(?:the\s+)?(?:(?:city|town)\s+of\s+)?$"
)
LATIN_UNIT_CHARS = 48
# Where whoever speaks or reports sits: one of these, then "in"/"في", then the place.
_SPEAKERS_AR = _folded(
    "وزارة الوزارة حكومة الحكومة بعثة البعثة سفارة السفارة مكتب المكتب متحدث المتحدث الناطق "
    "ناطق مصدر مصادر المصادر مؤتمر المؤتمر صحفي"
)
_SPEAKERS_LATIN = _folded(
    "ministry government mission embassy office spokesman spokeswoman spokesperson sources "
    "conference briefing"
)
# A reporter's post is never the scene, whatever else the sentence names.
_REPORTERS_AR = _folded("مراسل مراسلة مراسلو مراسلي")
_REPORTERS_LATIN = _folded("correspondent correspondents reporter reporters")
# "a militia from the coastal city of Misrata", "مسلحون من مدينة الزنتان": where fighters come
# from. What may stand between "from" and the town, and who may come from it.
_ORIGIN_FILLER = _folded(
    "the coastal nearby neighbouring neighboring western eastern southern northern libyan city "
    "town of مدينة بلدة منطقة"
)
_FROM = _folded("from من")
_FIGHTERS = (
    _UNITS_LATIN
    | _UNITS_AR
    | _folded("fighters militiamen gunmen مسلحين مسلحون مقاتلين مقاتلون ثوار")
)
_SEAT_GAP = _folded("in at في")
_LOCAL = _folded("local residents محلية محلي محليين أهالي سكان")
SPEAKER_REACH = 3
# A spokesman's title before the place of the body they speak for, and the words that may stand
# between. Not a mayor's: a mayor is as often the victim ("اختطاف عميد بلدية سرت"), and then
# his town is where it happened.
_TITLES_LATIN = _folded("spokesman spokeswoman spokesperson")
_TITLE_LINKS_LATIN = _folded("of for the city town municipality")
_TITLES_AR = _folded("المتحدث الناطق متحدث ناطق")
_TITLE_LINKS_AR = _folded("بلدية البلدية باسم مستشفى مجلس")
# A local council, named for its town ("المجلس المحلي تاورغاء", "المجلس البلدي لمدينة سرت"),
# after a word of saying: triggers.json's Arabic reporting cues, or a verb of appeal, protest or
# warning (not reporting cues there, where an appeal marks an act as only called for).
_COUNCIL_KINDS = _folded("المحلي البلدي")
_COUNCIL_TOWN = _folded("مدينة لمدينة")
_APPEALS_AR = _folded("طالب طالبت استنكر استنكرت ندد نددت حذر حذرت")
# How many words of a body's own name may stand between it and its seat, and the words that link
# them ("من" الأمم المتحدة, Government "of" National Accord).
SEAT_NAME_REACH = 6
_NAME_LINKS = _folded("من of the for")
# Where people fled to ("نزحوا إلى قمينس", "families fled to Zuwara"): the event that drove them
# out happened where they fled from. A word of flight, at most FLIGHT_REACH words before
# "to"/"إلى" (the place they left may stand between), then the place ("the town of", "مدينة").
_TO = _folded("to towards into إلى نحو")
# Also a school or camp that takes them in ("لجأ آخرون إلى مدرسة بسلوق").
_DESTINATION_FILLER = _folded(
    "the a city town capital of school schools مدينة بلدة منطقة العاصمة مدرسة مدارس"
)
_FLED_AR = _folded(
    "فر فروا فرت فرار هرب هربوا هربت هروب نزح نزحوا نزحت نزوح لجأ لجأوا لجؤوا لجأت لجوء "
    "توجه توجهوا توجهت"
)
_FLED_LATIN = _folded("fled flee fleeing escaped displaced")
FLIGHT_REACH = 5
# A town that takes the displaced in ("استضافت مدينة أجدابيا آخرين", "families took refuge in
# Zuwara") is where they went, not where they were driven out.
_HOSTS_AR = _folded("استضافت استضاف تستضيف يستضيف استقبلت استقبل تستقبل يستقبل احتضنت احتضن")
_SHELTERED_LATIN = _folded("sheltered sheltering refuge hosted housed")
# Where someone was moved to from a place the sentence names ("نقل من بنغازي إلى طرابلس",
# "transferred from Zawiya to Tripoli"): what was done to them happened where they were.
_MOVED_AR = _folded("نقل نقلت نقلوا")
_MOVED_LATIN = _folded("transferred moved")
# Where captives are held now ("محتجزان الآن في طرابلس", "are still being held in Tripoli"): the
# place they were seized, when the sentence names it, is the scene. English "held in" alone is
# also an event held somewhere ("a protest held in Tripoli"), so it needs "now", "still" ...
_HELD_AR = _folded("محتجز محتجزة محتجزان محتجزون محتجزين")
_HELD_LATIN = _folded("held")
_NOW = _folded("now currently still being الآن حاليا")
_IN = _folded("in at في")
HELD_REACH = 3


def scenes(text: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """The mentions that may be where something happened: not inside another name, nor a
    reporter's post, nor where people fled to or found refuge (the guide's location is "where it
    happened"; they went there after). A speaker's seat counts only when the sentence names no
    other place, and then as vaguely as a region (precision 3), so that a precise place named
    just before it in the text is preferred. So do where someone was moved to and where captives
    are held now, and where what spread to the news's place was before ("امتد القصف بطرابلس ليطال
    الزاوية"). A landmark (a place a direction or a distance is measured from) is no other
    place: beside it, a seat counts as it is."""
    named = [
        (
            p,
            is_seat(text, p)
            or is_destination(text, p)
            or ("seat" if is_held(text, p) or _spread_from(text, p, mentions) else ""),
        )
        for p in mentions
        if not inside_a_name(text, p)
    ]
    others = [p for p, seat in named if not seat]
    seats = [p for p, seat in named if seat == "seat"]
    marks = [p for p in others if landmark(text, p)]
    if marks and all(p in marks or p.place.kind in AREA_KINDS for p in others):
        # "محتجزين في أجدابيا، على بعد 160 كيلومترا من بنغازي، ثاني أكبر مدن ليبيا": a
        # landmark, or the country around, names no other scene
        return others + seats
    return others or [replace(p, precision=3) for p in seats]


# Words of reaching a further place: what happened in the place before them reached the one after.
_SPREAD = re.compile(
    r"(?<!\w)(?:ليطال|لتطال|ليطول|لتطول|ليشمل|لتشمل|(?:ليصل|لتصل|امتد|امتدت)\s+(?:إلى|الى))(?!\w)"
    r"|\b(?:spread|spreading|extended|extending)\s+to\b"
)


def _spread_from(text: str, mention: PlaceMention, mentions: list[PlaceMention]) -> bool:
    """Is the place where something was before it spread to a place named after it ("امتد القصف
    العشوائي بالعاصمة طرابلس ليطال مدينة الزاوية", "fighting in Tripoli spread to Zawiya")?"""
    return any(
        m.start > mention.end and _SPREAD.search(text, mention.end, m.start) for m in mentions
    )


def _before(text: str, start: int, count: int) -> list[str]:
    """The `count` words before `start`, normalised, nearest first."""
    window = fold(text[max(0, start - 12 * count) : start])
    return _WORD.findall(window)[: -count - 1 : -1]


def _after(text: str, end: int) -> str:
    m = _WORD.search(fold(text[end : end + 24]))
    return m.group() if m else ""


def _clitic(text: str, mention: PlaceMention) -> bool:
    """Does a proclitic (بـ, لـ, و) stand glued to the name ("بطرابلس")?"""
    return mention.start > 0 and text[mention.start - 1].isalpha()


def inside_a_name(text: str, mention: PlaceMention) -> bool:
    """Is the place part of another name: an office's address, a street, neighbourhood or camp
    named after a town, or an armed unit named after its district or town?"""
    before = _before(text, mention.start, UNIT_REACH + 3)
    after = _after(text, mention.end)
    if any(w.strip("-") in _OFFICE for w in before[:2]) or text[
        mention.end : mention.end + 6
    ].lower() in ("-based", "‐based"):
        return True
    arabic = _is_arabic(text[mention.start : mention.end])
    glued = _clitic(text, mention)
    if mention.place.kind in _TOWN_KINDS and before and not glued:
        if arabic and any(s in _NAMED_AFTER_AR for s in arabic_stems(before[0])):
            return True
        if not arabic and (before[0] in _NAMED_AFTER_LATIN or after in _STREET_AFTER_LATIN):
            return True
    if _origin(before):
        return True
    if not arabic:
        return (
            after in _UNITS_LATIN
            or bool(_CENTRAL_SECURITY.match(text, mention.end))
            or bool(_LATIN_UNIT_AFTER.match(text[mention.end : mention.end + LATIN_UNIT_CHARS]))
            or bool(
                _LATIN_UNIT_BEFORE.search(
                    text[max(0, mention.start - LATIN_UNIT_CHARS) : mention.start]
                )
            )
        )
    if glued or not before:
        return False
    if before[0] in _UNITS_AR:
        return True  # "كتائب الزنتان": the unit from the town
    council = any(s in _COUNCILS_AR for s in arabic_stems(before[0]))
    if (council and after == "العسكري") or (
        before[0] == "العسكري" and len(before) > 1 and before[1] in _COUNCILS_AR
    ):
        return True  # "مجلس الزنتان العسكري", "المجلس العسكري الزنتان": a military council
    if mention.place.kind != "neighbourhood":
        # A town closes a unit's name only after words of that name ("قوة حماية مصراتة"): after
        # any definite word it may be the object ("قصفت القوات الجوية سرت", the air force
        # bombed Sirte).
        for word in before[:UNIT_REACH]:
            if word in _UNITS_AR:
                return True
            if not (word in _UNIT_NAME_AR or word.isdigit()):
                return False
        return False
    # "قوة الردع والتدخل المشتركة أبوسليم": the district closes the unit's own name, whose words
    # are definite nouns and adjectives; a verb or a preposition between would end it.
    for word in before[:UNIT_REACH]:
        if word in _UNITS_AR:
            return True
        bare = word[1:] if word.startswith("و") else word
        if not (bare.startswith("ال") or word in _UNIT_NAME_AR):
            return False
    return False


def _origin(before: list[str]) -> bool:
    """Do the words before a place make it where fighters come from?"""
    k = 0
    while k < len(before) and before[k] in _ORIGIN_FILLER:
        k += 1
    return k + 1 < len(before) and before[k] in _FROM and before[k + 1] in _FIGHTERS


def is_seat(text: str, mention: PlaceMention) -> str:
    """Where a reporter has their post ("post": "مراسل الجزيرة في طرابلس", "a correspondent in
    Tripoli") or a speaker sits ("seat": "وزارة الصحة بطرابلس", "the health ministry in
    Tripoli"), else ""."""
    before = _before(text, mention.start, SPEAKER_REACH + 1)
    arabic = _is_arabic(text[mention.start : mention.end])
    if not _clitic(text, mention) and (_titled(before, arabic) or _speaking_council(before)):
        return "seat"
    if arabic and _clitic(text, mention) and text[mention.start - 1] == "ب":
        words = before[:SPEAKER_REACH]  # "بطرابلس": the locative is the clitic
    elif before and before[0] in _SEAT_GAP:
        words = before[1 : SPEAKER_REACH + 1]
    else:
        return ""

    if any(w in _LOCAL for w in words[:2]):
        return ""  # "مصادر محلية في درنة", "local sources in Derna": they are where it happened

    def said_by(lexicon: frozenset[str]) -> bool:
        return any(w in lexicon or (arabic and w[:1] in "وف" and w[1:] in lexicon) for w in words)

    if said_by(_REPORTERS_AR if arabic else _REPORTERS_LATIN):
        return "post"
    speakers = _SPEAKERS_AR if arabic else _SPEAKERS_LATIN
    return "seat" if said_by(speakers) or _named_body(text, mention.start, speakers) else ""


@cache
def _says_ar() -> frozenset[str]:
    reporting = triggers.data()["cues"]["ar"]["reporting"]
    return frozenset(fold(w) for w in reporting if " " not in w) | _APPEALS_AR


def _speaking_council(before: list[str]) -> bool:
    """Do the words before a place (nearest first) make it the name of a local council that
    speaks ("وقال المجلس المحلي تاورغاء", "طالب المجلس البلدي لمدينة سرت")? A council speaks for
    its town's people wherever what it tells happened: Tawergha's, of an attack on their camp in
    Tripoli (dv-a-021, dv-e-005)."""
    words = before[1:] if before and before[0] in _COUNCIL_TOWN else before
    if len(words) < 3 or words[0] not in _COUNCIL_KINDS or words[1] not in _COUNCILS_AR:
        return False
    verb, says = words[2], _says_ar()
    return verb in says or (verb[:1] in "وف" and verb[1:] in says)


def _titled(before: list[str], arabic: bool) -> bool:
    """Do the words before a place (nearest first) make it part of a spokesman's title: "a
    spokesman for the Misrata hospital", "المتحدث باسم مستشفى سبها", "الناطق باسم بلدية
    مصراتة"? The place is the office's, not the scene."""
    fillers, titles = (
        (_TITLE_LINKS_AR, _TITLES_AR) if arabic else (_TITLE_LINKS_LATIN, _TITLES_LATIN)
    )
    k = 0
    while k < min(len(before), SPEAKER_REACH) and before[k] in fillers:
        k += 1
    if k == len(before) or (not arabic and k == 0):
        return False
    word = before[k]
    return word in titles or (arabic and word[:1] in "وف" and word[1:] in titles)


def _named_body(text: str, start: int, speakers: frozenset[str]) -> bool:
    """Does a speaker stand before the locative at `start` behind the words of its own name
    ("الحكومة المدعومة من الأمم المتحدة في طرابلس", "the Government of National Accord in
    Tripoli")? A name's words are definite (ال) or capitalised; a verb or a common noun ends it."""
    words = _WORD.findall(text[max(0, start - 12 * (SEAT_NAME_REACH + 1)) : start])
    for word in words[-2 : -SEAT_NAME_REACH - 2 : -1]:  # the locative left out
        folded = fold(word)
        if folded in speakers:
            return True
        if not (folded in _NAME_LINKS or folded.startswith("ال") or word[:1].isupper()):
            return False
    return False


def is_destination(text: str, mention: PlaceMention) -> str:
    """Is the place where people fled to or found refuge ("refuge": "نزح السكان من تاورغاء إلى
    بنغازي", "they fled to Zuwara", "استضافت مدينة أجدابيا آخرين"), never the scene, or where
    someone was moved to ("seat": "نقل من بنغازي إلى طرابلس"), a scene only when the sentence
    names no other place? Else ""."""
    before = _before(text, mention.start, FLIGHT_REACH + 4)
    if _clitic(text, mention) and before and len(before[0]) == 1:
        before = before[1:]  # "إلى مدرسة بسلوق": the clitic stands for "in"
    k = 0
    while k < len(before) and before[k] in _DESTINATION_FILLER:
        k += 1
    if k < len(before) and _hosts(before[k : k + 2]):
        return "refuge"
    if k == len(before) or before[k] not in _TO:
        return ""
    words = before[k + 1 : k + 1 + FLIGHT_REACH]
    if _is_arabic(text[mention.start : mention.end]):
        stems = [set(arabic_stems(w, enclitics=True)) for w in words]
        fled, moved = _FLED_AR, _MOVED_AR
    else:
        stems = [{w} for w in words]
        fled, moved = _FLED_LATIN, _MOVED_LATIN
    if any(s & fled for s in stems):
        return "refuge"
    # moved "from" a place: the origin stands between the verb and "to"
    mover = next((i for i, s in enumerate(stems) if s & moved), None)
    return "seat" if mover is not None and any(w in _FROM for w in words[:mover]) else ""


def _hosts(words: list[str]) -> bool:
    """Do the words before a place (nearest first) make it a host of the displaced?"""
    if any(s in _HOSTS_AR for s in arabic_stems(words[0])):
        return True
    return len(words) > 1 and words[0] in _IN and words[1] in _SHELTERED_LATIN


def is_held(text: str, mention: PlaceMention) -> bool:
    """Is the place where captives are held now ("وهما محتجزان الآن في العاصمة طرابلس", "they
    are still being held in Tripoli")?"""
    before = _before(text, mention.start, HELD_REACH + 3)
    arabic = _is_arabic(text[mention.start : mention.end])
    k = 0
    while k < len(before) and before[k] in _DESTINATION_FILLER:
        k += 1
    if arabic and k == 0 and _clitic(text, mention) and text[mention.start - 1] == "ب":
        words = before  # "بطرابلس": the locative is the clitic
    elif k < len(before) and before[k] in _IN:
        words = before[k + 1 :]
    else:
        return False
    if not arabic:  # "still being held in", "now held in"
        return len(words) > 1 and words[0] in _HELD_LATIN and words[1] in _NOW
    now = 0
    while now < len(words) and words[now] in _NOW:
        now += 1
    return now < len(words) and words[now] in _HELD_AR  # "محتجزان الآن في"


# Where people come from or were sent to, never where an act on them happened: "a migrant from
# Ghana was killed in Tajoura", "ستة آخرون من غانا والنيجر", "deported to Sudan from Kufra",
# "ترحيلهم إلى مصر", "the wounded were flown to Tunisia". A place is an origin after "from"
# when people, or a word of coming, stand just before it; a destination after "to" when a word of
# sending or travel stands a few words before it; the places listed after either are too.
_LIST_ITEM = r"[^\s,،.؛;:()]+(?:\s+[^\s,،.؛;:()]+)?"
_LIST_SEP = r"(?:\s*[,،]\s*(?:(?:and|or)\s+|و)?|\s+(?:and|or|أو)\s+|\s+و)"
_JOURNEY = re.compile(
    r"(?:\b(?P<origin>from)|(?<!\w)(?P<min>من)|\b(?:to|towards|into)|(?<!\w)(?:إلى|الى|إلي|نحو))"
    r"\s+(?:the\s+)?(?:" + _LIST_ITEM + _LIST_SEP + r"){0,6}$",
    re.IGNORECASE,
)
JOURNEY_CHARS = 160
# Who may come from a place: people, the foreigners a report counts ("most of them",
# "nationalities"), and words of coming ("arriving from", "قادما من", "ينحدرون من").
_COMERS = _folded(
    "migrant migrants refugee refugees immigrants asylum seekers asylum-seekers worker workers "
    "labourers laborers nationals citizens people persons men women children teenagers boys "
    "girls others families travellers travelers passengers students mostly mainly most "
    "came come comes coming arrived arriving hailing hail hails originally returning "
    "flight flights "
    "مهاجر مهاجرا مهاجرة مهاجرين مهاجرون لاجئ لاجئا لاجئين لاجئون عامل عاملا عمال عاملين "
    "مواطن مواطنا مواطنين مواطنون رعايا اشخاص شخص شخصا اخرون اخرين شبان نساء اطفال عائلات اسر "
    "جنسيات جنسية طلاب طالبي معظم اغلب غالبية منهم بينهم قادم قادما قادمة قادمين قادمون وصول "
    "عودة عائد عائدا عائدين ينحدر ينحدرون يتحدر يتحدرون تنحدر تتحدر اصل اصول رحلة طائرة"
)
COMER_REACH = 3
# Words of sending or travel before "to": "deported to", "sent back to", "heading to",
# "ترحيل ... إلى", "تعيدهم إلى", "متجهين إلى" (stems, clitics stripped).
_SENT = _folded(
    "deported deport deporting deportation deportations expelled expel expelling expulsion "
    "expulsions returned return returning repatriated repatriation back pushed taken brought "
    "transferred moved evacuated flown headed heading bound route journey trip crossing voyage "
    "way travel travelling traveling sailing migration fled flee fleeing escaped smuggled "
    "trafficked "
    "ترحيل رحل رحلت رحلوا يرحل اعادة اعاد اعادت اعيد اعيدوا تعيد يعيد عودة عاد عادوا طرد طردت "
    "طردوا ابعاد ابعد ابعدت نقل نقلت نقلوا متجه متجها متجهين متجهة متجهون متوجه متوجها "
    "متوجهين متوجهة توجه توجهوا رحلة ابحار هجرة تهريب هرب هربوا فر فروا نزح نزحوا"
)
SENT_REACH = 5


def is_journey_end(text: str, mention: PlaceMention) -> bool:
    """Is the place named only as where people come from ("migrants from Sudan, Eritrea and
    Chad", "مهاجر من غانا") or were sent to ("deported to Sudan", "ترحيلهم إلى مصر")?"""
    m = _JOURNEY.search(text, max(0, mention.start - JOURNEY_CHARS), mention.start)
    if m is None:
        return False
    if m.group("origin") or m.group("min"):
        words, lexicon = _before(text, m.start(), COMER_REACH), _COMERS
    else:
        words, lexicon = _before(text, m.start(), SENT_REACH), _SENT
    return any(s in lexicon for w in words for s in arabic_stems(w, enclitics=True))


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


# --- places named as landmarks ---------------------------------------------------------------
#
# A place often stands only as the point a direction or a distance is measured from: "قرب مدرسة
# غرب طرابلس" (a school west of Tripoli, in Zawiya), "المدينة الواقعة شرقي بنغازي" (Derna),
# "250 kilometers northwest of Kufra", "160 كيلومترا من بنغازي". The scene lies somewhere in
# that direction, at that distance, so a place that lies there is no other scene. "In the south
# of Tripoli", "بجنوب طرابلس", "في جنوب" name a part of the place, not a landmark.
_BEARINGS = {
    **dict.fromkeys(_folded("north شمال شمالي"), 0.0),
    **dict.fromkeys(_folded("east شرق شرقي"), 90.0),
    **dict.fromkeys(_folded("south جنوب جنوبي"), 180.0),
    **dict.fromkeys(_folded("west غرب غربي"), 270.0),
    **dict.fromkeys(_folded("northeast north-east"), 45.0),
    **dict.fromkeys(_folded("southeast south-east"), 135.0),
    **dict.fromkeys(_folded("southwest south-west"), 225.0),
    **dict.fromkeys(_folded("northwest north-west"), 315.0),
}
_UNITS = _folded(
    "km kms kilometres kilometers kilometre kilometer miles mile كم كلم كيلو كيلومتر كيلومترا "
    "كيلومترات"
)
_MILE_UNITS = _folded("miles mile")
_LANDMARK_FILLER = _folded("the capital city town العاصمة مدينة بلدة منطقة")
# How far a direction reaches when no distance is told: Derna is some 250 km "east of Benghazi".
LANDMARK_REACH_KM = 300.0
# A told distance is rounded and measured by road: the place may lie this much nearer or farther.
DISTANCE_SLACK = 0.5
BEARING_SLACK = 60.0  # degrees either side of the told direction
LANDMARK_WORDS = 6


# An end of a road: the road word, a word of linking, then this place or the other end and "and".
_ROAD_END = re.compile(
    r"(?:\b(?:road|highway|route)s?\b|(?<!\w)(?:ال)?طريق)\s+(?:[^\s,،.]+\s+){0,2}?"
    r"(?:linking|connecting|joining|between|from|الرابط|الرابطة|الواصل|الواصلة|بين)\s+"
    r"(?:the\s+)?(?:(?:towns?|cities|city)\s+of\s+)?"
    r"(?:(?:[^\s,،.()]+\s+){1,3}?(?:(?:and|to|-|–|إلى|الى)\s+|و))?$",
    re.IGNORECASE,
)
ROAD_CHARS = 80


class Landmark(NamedTuple):
    bearing: float | None  # degrees from north; None when only a distance is told
    reach: float  # km


def landmark(text: str, mention: PlaceMention) -> Landmark | None:
    """Is the place named only as the point a direction or distance is measured from ("west of
    Tripoli", "شرقي بنغازي", "50 كيلومترا غرب طرابلس", "160 km from Benghazi"), or as an end of a
    road ("on the road linking Tahala and Ghat", "الطريق الرابط بين طهالة وغات")? Then where the
    scene may lie from it."""
    if _ROAD_END.search(text, max(0, mention.start - ROAD_CHARS), mention.start):
        return Landmark(None, LANDMARK_REACH_KM)
    before = _before(text, mention.start, LANDMARK_WORDS)
    arabic = _is_arabic(text[mention.start : mention.end])
    k = 0
    while k < len(before) and before[k] in _LANDMARK_FILLER:
        k += 1
    linked = k < len(before) and before[k] in ("of", "from", "من")
    k += linked
    if not arabic and not linked:
        return None  # "southern Tripoli" is a part of it; "south of Tripoli" a landmark
    bearings: list[float] = []
    first = k
    while k < len(before) and before[k] in _BEARINGS and len(bearings) < 2:
        bearings.append(_BEARINGS[before[k]])
        k += 1
    if bearings and k < len(before) and before[k] == "the":
        k += 1
    if bearings and k < len(before) and before[k] in ("in", "في"):
        return None  # "in the south of Tripoli", "في جنوب طرابلس": a part of it
    if bearings and arabic and before[first][:1] in "بل":
        return None  # "بجنوب طرابلس"
    distance = None
    if k < len(before) and before[k] in _UNITS:
        unit = before[k]
        if k + 1 < len(before) and before[k + 1].isdigit():
            distance = float(before[k + 1]) * (1.609 if unit in _MILE_UNITS else 1.0)
        else:
            distance = LANDMARK_REACH_KM
    if not bearings and distance is None:
        return None
    reach = distance * (1 + DISTANCE_SLACK) if distance is not None else LANDMARK_REACH_KM
    if len(bearings) == 2:
        # "north-west", "جنوب شرق": between the two, whichever way round the circle is shorter
        a, b = bearings
        bearing = (a + b) / 2 if abs(a - b) <= 180 else ((a + b) / 2 + 180) % 360
        return Landmark(bearing, reach)
    return Landmark(bearings[0] if bearings else None, reach)


def lies_toward(text: str, mark: PlaceMention, place: Place) -> bool:
    """Does `place` lie where the landmark `mark` points to ("Zawiya" for "west of Tripoli")?"""
    told = landmark(text, mark)
    if told is None or place.kind in AREA_KINDS:
        return False
    km = _km(mark.place, place)
    if km > told.reach:
        return False
    if told.bearing is None:
        return True
    dx = (place.lon - mark.place.lon) * math.cos(math.radians((place.lat + mark.place.lat) / 2))
    bearing = math.degrees(math.atan2(dx, place.lat - mark.place.lat)) % 360
    off = abs(bearing - told.bearing) % 360
    return min(off, 360 - off) <= BEARING_SLACK
