"""Build nlp/data/gazetteer.json from the shared gazetteer material and the hand-made additions.

    python tools/build_gazetteer.py [SOURCE_DIR] [--manual nlp/data/places_manual.json]
                                    [--out nlp/data/gazetteer.json]

SOURCE_DIR (default ../shared/gazetteer beside the repository) holds the OpenStreetMap places,
the GeoNames rows, the postal-code list and the district polygons described in its SOURCES.md.
Rows that name the same place (a shared spelling within a few kilometres) are merged into one
entry; every entry gets its district by point-in-polygon, its Latin spelling variants
(al-/el-/article-less forms, -ah/-a endings, diacritics folded) and a cue level per name saying
how much context a match needs before it counts (see nlp/places.py). The output is sorted and
has no timestamps, so the same input always gives the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import math
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO.parent / "shared" / "gazetteer"
DEFAULT_MANUAL = REPO / "nlp" / "data" / "places_manual.json"
DEFAULT_OUT = REPO / "nlp" / "data" / "gazetteer.json"

# Cue levels: how much context a name needs before a match counts (nlp/places.py reads them).
FREE, LOC, STRONG = "free", "loc", "strong"
_LEVELS = (FREE, LOC, STRONG)
# Rows of these sources and kinds are well known enough to match on their own.
_KIND_RANK = {"city": 3, "town": 2, "village": 1}
# Same spelling closer than this is one place (OSM often has a town node and a village node).
MERGE_KM = 12.0
# Latin spellings in these OSM languages are read as variants; others are transliterations
# into other alphabets or languages whose spellings confuse more than they help.
_OSM_LATIN_LANGS = ("en", "fr", "it", "de", "es")
# GeoNames lists historical and foreign-language names among the alternates; an alternate is
# kept only when it still looks like the place's main name.
_ALTERNATE_SIMILARITY = 0.7
# Words that describe a place rather than name it: stripped from the ends of source names
# ("Bani Walid Center", "مدينة جرمة", "Eshmekh Town"), and a name made only of them is dropped.
_GENERIC_PREFIX_AR = ("مدينة", "مدينه", "قرية", "قريه", "بلدة", "بلده")
_GENERIC_SUFFIX_AR = ("المركز", "الوسط")
_GENERIC_LATIN = frozenset(
    {"center", "centre", "central", "town", "village", "city", "the", "st", "qaria", "al"}
)
_GENERIC_SUFFIX_LATIN = frozenset({"center", "centre", "town", "village", "city"})
_GENERIC_AR = frozenset(
    {"قرية", "قريه", "مدينة", "مدينه", "المدينة", "المدينه", "منطقة", "بلدة", "حي", "شارع"}
)
_ARTICLES = frozenset(
    {"al", "el", "ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az", "ed", "en", "er", "es"}
    | {"et", "ez", "ul"}
)
_ARABIC = re.compile(r"[\u0600-\u06ff]")
# Arabic letters, hamza forms, diacritics and tatweel, nothing else: GeoNames lists Persian,
# Urdu and Kurdish spellings in Arabic script ("زاویه"), which fold into ordinary Arabic words.
_NOT_ARABIC_LETTER = re.compile(r"[^\u0621-\u063a\u0640-\u0652\u0670\s]")
_LATIN = re.compile(r"[A-Za-z]")
_ARABIC_RUN = re.compile(r"[\u0600-\u06ff][\u0600-\u06ff\s]*[\u0600-\u06ff]|[\u0600-\u06ff]")
_LATIN_RUN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff][^\u0600-\u06ff;()/]*")
_APOSTROPHES = re.compile(r"[`'’‘ʿʾ´]")


@dataclass
class Row:
    """One source row, before merging."""

    source: str  # "gn", "osm" or "lpc"
    key: str  # the row's own identifier in its source
    lat: float
    lon: float
    kind: str
    names_ar: list[str]
    names_latin: list[str]
    display: str | None = None
    display_ar: str | None = None
    population: int | None = None
    district_hint: str | None = None  # a polygon code from the postal list


@dataclass
class Entry:
    id: str
    name: str
    name_ar: str | None
    kind: str
    country: str
    lat: float
    lon: float
    admin1: str | None = None
    parent: str | None = None
    population: int | None = None
    names_ar: dict[str, str] = field(default_factory=dict)
    names_latin: dict[str, str] = field(default_factory=dict)
    weight: int = 0
    any_case: bool = False  # Latin names match in lower case too (sea areas, regions)
    sources: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "name_ar": self.name_ar,
            "kind": self.kind,
            "country": self.country,
            "admin1": self.admin1,
            "lat": round(self.lat, 4),
            "lon": round(self.lon, 4),
            "parent": self.parent,
            "population": self.population,
            "weight": self.weight,
            "any_case": self.any_case,
            "names_ar": dict(sorted(self.names_ar.items())),
            "names_latin": dict(sorted(self.names_latin.items())),
            "sources": sorted(set(self.sources)),
        }


# --- names -----------------------------------------------------------------------------------


def fold_key(name: str) -> str:
    """A comparison key for spellings: case, diacritics, apostrophes, hyphens and the Arabic
    letter variants that nlp.text folds (alef forms, teh marbuta, alef maksura) ignored."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text).lower()
    text = text.translate(_AR_FOLD)
    return " ".join(re.split(r"[\s\-‐–_,]+", text)).strip()


_AR_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ی": "ي", "ک": "ك", "ـ": ""}
)


def ascii_latin(name: str) -> str:
    """Diacritics off, apostrophes and ayn marks off, spaces tidied: 'Ţubruq' -> 'Tubruq'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text)
    return " ".join(text.replace("_", " ").split())


def split_scripts(value: str) -> tuple[list[str], list[str]]:
    """Arabic and Latin names inside one source string ('Qaryat Maqrun المقرون طبرق',
    'الدرسية (طلميثة)', 'Qasr Libya (Theodorias);Qasr Libya')."""
    arabic: list[str] = []
    latin: list[str] = []
    value = unicodedata.normalize("NFKC", value)  # presentation forms such as "ﻻ" to letters
    for part in re.split(r"[;()/]", value):
        for run in _ARABIC_RUN.findall(part):
            arabic.extend(" ".join(p.split()) for p in re.split(r"\s*[-–]\s*", run) if p.strip())
        for run in _LATIN_RUN.findall(part):
            run = run.strip(" -.,")
            if run:
                latin.append(run)
    return arabic, latin


def strip_generic_ar(name: str) -> str:
    words = name.split()
    if len(words) > 1 and words[0] in _GENERIC_PREFIX_AR:
        words = words[1:]
    if len(words) > 1 and words[-1] in _GENERIC_SUFFIX_AR:
        words = words[:-1]
    return " ".join(words)


def strip_generic_latin(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[-1].lower() in _GENERIC_SUFFIX_LATIN:
        words = words[:-1]
    if len(words) > 1 and words[0].lower() == "central":
        words = words[1:]
    return " ".join(words)


def usable_ar(name: str) -> bool:
    words = fold_key(name).split()
    if not words or _NOT_ARABIC_LETTER.search(name):
        return False
    if all(w in {fold_key(g) for g in _GENERIC_AR} for w in words):
        return False
    return len("".join(words)) >= 3


def usable_latin(name: str) -> bool:
    words = fold_key(name).split()
    if not words or any(ch.isdigit() for ch in name) or _ARABIC.search(name):
        return False
    if not name[:1].isupper():  # romanisation keys ("tbrq", "alkhums"), not spellings
        return False
    if all(w in _GENERIC_LATIN | _ARTICLES for w in words):
        return False
    return len("".join(words)) >= 3


def latin_variants(name: str) -> set[str]:
    """Spellings news writers use for one romanised name.

    'Az Zawiyah' -> Zawiyah, Zawiya, Al Zawiya, El Zawiyah, ...; 'Qasr Bin Ghashir' -> Qasr Ben
    Ghashir. Hyphens need no variants: the tokenizer splits 'al-Zawiya' like 'al Zawiya'.
    """
    base = ascii_latin(name)
    if base.isupper() or base.islower():  # "AL AMERYA", "tobruk city"
        base = base.title()
    words = base.replace("-", " ").split()
    if not words:
        return set()
    cores: list[list[str]] = [words]
    if len(words) > 1 and words[0].lower() in _ARTICLES:
        bare = words[1:]
        cores = [bare, ["Al", *bare], ["El", *bare], words]
    out: set[str] = set()
    for core in cores:
        for form in _ending_forms(core):
            for inner in _inner_forms(form):
                out.add(" ".join(inner))
    return {v for v in out if usable_latin(v)}


def _ending_forms(words: list[str]) -> list[list[str]]:
    last = words[-1]
    forms = [words]
    if len(last) > 4 and last.lower().endswith("ah"):
        forms.append([*words[:-1], last[:-1]])
    elif len(last) > 3 and last.lower().endswith(("iya", "ya", "ta", "na", "ra")):
        forms.append([*words[:-1], last + "h"])
    return forms


_INNER = {"al": "el", "el": "al", "bin": "ben", "ben": "bin", "abu": "abou", "ain": "ayn"}


def _inner_forms(words: list[str]) -> list[list[str]]:
    forms = [words]
    for i, w in enumerate(words):
        swap = _INNER.get(w.lower())
        if swap is not None and i > 0:
            forms = forms + [
                [*f[:i], swap if w.islower() else swap.title(), *f[i + 1 :]] for f in forms
            ]
    return forms


def similar(a: str, b: str) -> float:
    def core(s: str) -> str:
        words = fold_key(s).split()
        if len(words) > 1 and words[0] in _ARTICLES:
            words = words[1:]
        return "".join(words)

    return SequenceMatcher(None, core(a), core(b)).ratio()


# --- geometry --------------------------------------------------------------------------------


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


Ring = list[tuple[float, float]]  # (lon, lat)


def in_ring(lon: float, lat: float, ring: Ring) -> bool:
    """Ray casting: a ray east from the point crosses the ring's edges an odd number of times
    when the point is inside."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def in_polygon(lon: float, lat: float, polygon: list[Ring]) -> bool:
    """Inside the outer ring and outside every hole."""
    return in_ring(lon, lat, polygon[0]) and not any(in_ring(lon, lat, h) for h in polygon[1:])


def ring_km(lon: float, lat: float, ring: Ring) -> float:
    """Rough distance from a point to a ring's edges (equirectangular, fine at this scale)."""
    scale = math.cos(math.radians(lat))
    best = math.inf
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        ax, ay = (x1 - lon) * scale, y1 - lat
        bx, by = (x2 - lon) * scale, y2 - lat
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
        px, py = ax + t * dx, ay + t * dy
        best = min(best, math.hypot(px, py) * 111.2)
    return best


@dataclass
class District:
    iso: str
    name: str
    name_ar: str
    lat: float  # the seat's coordinates
    lon: float
    names_ar: list[str]
    names_latin: list[str]


@dataclass
class Shape:
    code: str  # the postal region code (B1 ... F22)
    isos: list[str]  # the districts it follows; empty for a synthetic region
    polygons: list[list[Ring]]


def read_shapes(path: Path) -> list[Shape]:
    data = json.loads(path.read_text("utf-8"))
    shapes = []
    for feature in data["features"]:
        props = feature["properties"]
        geom = feature["geometry"]
        coords = geom["coordinates"]
        polygons = coords if geom["type"] == "MultiPolygon" else [coords]
        isos = [re.match(r"(LY-[A-Z]+)", s).group(1) for s in props.get("sources", [])]  # type: ignore[union-attr]
        shapes.append(
            Shape(
                props["code"],
                [_ISO_FIX.get(i, i) for i in isos],
                [[[(float(x), float(y)) for x, y in ring] for ring in poly] for poly in polygons],
            )
        )
    return sorted(shapes, key=lambda s: s.code)


# The polygon file writes Al Jufrah as LY-JUU; ISO 3166-2 has LY-JU.
_ISO_FIX = {"LY-JUU": "LY-JU"}


class Districts:
    """Which district a point lies in."""

    def __init__(self, shapes: list[Shape], districts: dict[str, District]) -> None:
        self.shapes = shapes
        self.districts = districts

    def _nearest_seat(self, lat: float, lon: float, isos: list[str]) -> str:
        return min(
            isos, key=lambda i: (km(lat, lon, self.districts[i].lat, self.districts[i].lon), i)
        )

    def _resolve(self, shape: Shape, lat: float, lon: float) -> str:
        # A synthetic region follows no district, and one shape may stand for several (the
        # polygon file joins Az Zawiyah and An Nuqat al Khams): the nearest seat decides.
        return self._nearest_seat(lat, lon, shape.isos or sorted(self.districts))

    def locate(self, lat: float, lon: float, hint: str | None = None) -> str:
        for shape in self.shapes:
            if any(in_polygon(lon, lat, polygon) for polygon in shape.polygons):
                return self._resolve(shape, lat, lon)
        # Outside every polygon (the coarse shapes cut off some of the coast): the postal
        # list's hint if there is one, else the nearest shape.
        by_code = {s.code: s for s in self.shapes}
        if hint in by_code:
            return self._resolve(by_code[hint], lat, lon)
        nearest = min(
            (ring_km(lon, lat, polygon[0]), shape.code)
            for shape in self.shapes
            for polygon in shape.polygons
        )
        return self._resolve(by_code[nearest[1]], lat, lon)


# --- sources ---------------------------------------------------------------------------------


def read_osm(path: Path) -> list[Row]:
    rows = []
    for item in json.loads(path.read_text("utf-8"))["data"]:
        langs: dict[str, str] = {}
        for block in item["name"]:
            langs.update(block)
        arabic: list[str] = []
        latin: list[str] = []
        display: str | None = None
        for lang, value in sorted(langs.items()):
            ar, la = split_scripts(value)
            # Arabic script under fa, ur, azb ... spells those languages: "خمس" (Urdu for
            # Khoms) is the Arabic word "five".
            if lang == "ar" or lang in _OSM_LATIN_LANGS:
                arabic.extend(ar)
            if lang in _OSM_LATIN_LANGS or lang == "ar":
                latin.extend(la)
                if lang == "en" and la:
                    display = la[0]
        if display is None and latin:
            display = latin[0]
        kind = {"hamlet": "village"}.get(item["type"], item["type"])
        rows.append(
            Row(
                "osm",
                # OSM ids in this file count per place type, so the type is part of the key.
                f"{item['type']}-{item['id']}",
                float(item["latitude"]),
                float(item["longitude"]),
                kind,
                arabic,
                latin,
                display=display,
                display_ar=arabic[0] if arabic else None,
            )
        )
    return rows


def read_geonames(path: Path) -> list[Row]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for r in csv.reader(handle, delimiter="\t"):
            name, ascii_name, alternates = r[1], r[2], [a for a in r[3].split(",") if a]
            # "شعبية X" names the district, not the town; "استان" is Persian for province.
            arabic = [
                a for a in alternates if _ARABIC.search(a) and not a.startswith(("شعبية", "استان"))
            ]
            latin = [name, ascii_name] + [
                a
                for a in alternates
                if _LATIN.search(a) and similar(a, ascii_name) >= _ALTERNATE_SIMILARITY
            ]
            population = int(r[14]) if r[14] else None
            rows.append(
                Row(
                    "gn",
                    r[0],
                    float(r[4]),
                    float(r[5]),
                    "city" if (population or 0) >= 50_000 or r[7] == "PPLC" else "town",
                    arabic,
                    latin,
                    display=ascii_name,
                    display_ar=arabic[0] if arabic else None,
                    population=population,
                )
            )
    return rows


def read_postal(path: Path) -> list[Row]:
    rows = []
    for item in json.loads(path.read_text("utf-8"))["cities"]:
        rows.append(
            Row(
                "lpc",
                slug(item["name_en"]),
                float(item["lat"]),
                float(item["lng"]),
                item["kind"],
                [item["name_ar"]],
                [item["name_en"]],
                display=item["name_en"],
                display_ar=item["name_ar"],
                population=item.get("population"),
                district_hint=item.get("shabiya_hint"),
            )
        )
    return rows


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_latin(name).lower()).strip("-")


# --- merging ---------------------------------------------------------------------------------


def row_keys(row: Row) -> set[str]:
    keys = {fold_key(strip_generic_ar(n)) for n in row.names_ar if usable_ar(strip_generic_ar(n))}
    for n in row.names_latin:
        for v in latin_variants(strip_generic_latin(n)):
            keys.add(fold_key(v))
    return keys


def cluster(rows: list[Row], same: list[list[str]]) -> list[list[Row]]:
    """Rows that share a spelling and lie within MERGE_KM of each other are one place, and so
    are the rows the hand-made list says are one place."""
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    keys = [row_keys(r) for r in rows]
    by_key: dict[str, list[int]] = {}
    for i, ks in enumerate(keys):
        for k in ks:
            by_key.setdefault(k, []).append(i)
    for k in sorted(by_key):
        members = by_key[k]
        for a in members:
            for b in members:
                if a < b and km(rows[a].lat, rows[a].lon, rows[b].lat, rows[b].lon) <= MERGE_KM:
                    parent[find(b)] = find(a)
    position = {f"{r.source}:{r.key}": i for i, r in enumerate(rows)}
    for ids in same:
        first, *others = (position[i] for i in ids)
        for other in others:
            parent[find(other)] = find(first)
    groups: dict[int, list[Row]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(find(i), []).append(row)
    return list(groups.values())


_SOURCE_ORDER = {"gn": 0, "osm": 1, "lpc": 2}


def _row_order(row: Row) -> tuple[int, int, str]:
    number = row.key.rsplit("-", 1)[-1]
    return (_SOURCE_ORDER[row.source], int(number) if number.isdigit() else 0, row.key)


def _first(group: list[Row], order: dict[str, int], value: str) -> str | None:
    """The first non-empty `value` of the rows, sources in `order`, bigger places first."""
    ranked = sorted(group, key=lambda r: (order[r.source], -_KIND_RANK[r.kind], _row_order(r)))
    return next((getattr(r, value) for r in ranked if getattr(r, value)), None)


def merge(group: list[Row]) -> Entry:
    group = sorted(group, key=_row_order)
    ident = group[0]
    kinds = [r.kind for r in group if r.source != "gn"] or [ident.kind]
    kind = max(kinds, key=_KIND_RANK.__getitem__)
    # Coordinates: GeoNames' city centre, else the most important OSM node, else the postal list.
    best = sorted(group, key=lambda r: (r.source != "gn", -_KIND_RANK[r.kind], _row_order(r)))[0]
    english = _first(group, {"osm": 0, "lpc": 1, "gn": 2}, "display")
    arabic_display = _first(group, {"lpc": 0, "osm": 1, "gn": 2}, "display_ar")
    arabic = strip_generic_ar(arabic_display) if arabic_display else None
    population = next((r.population for r in group if r.source == "gn" and r.population), None)
    population = population or next((r.population for r in group if r.population), None)
    display = strip_generic_latin(ascii_latin(english)) if english else None
    if display is not None and (display.islower() or display.isupper()):
        display = display.title()  # "al fkhfakhah", "ALZAHRA"
    entry = Entry(
        id=f"{ident.source}:{ident.key}",
        name=display or arabic or ident.key,
        name_ar=arabic,
        kind=kind,
        country="LY",
        lat=best.lat,
        lon=best.lon,
        population=population,
        sources=[f"{r.source}:{r.key}" for r in group],
    )
    well_known = any(r.source in ("gn", "lpc") for r in group) or kind in ("city", "town")
    for r in group:
        for n in r.names_ar:
            for form in sorted({n, strip_generic_ar(n)}):
                if usable_ar(form):
                    add_name(entry.names_ar, form, FREE if well_known else STRONG)
        for n in r.names_latin:
            for v in sorted(latin_variants(strip_generic_latin(n))):
                add_name(entry.names_latin, v, FREE if well_known else LOC)
    return entry


def add_name(names: dict[str, str], name: str, level: str) -> None:
    """Keep one spelling per folded form, and the laxest level any source gives it."""
    key = fold_key(name)
    for existing in list(names):
        if fold_key(existing) == key:
            if _LEVELS.index(level) < _LEVELS.index(names[existing]):
                names[existing] = level
            return
    names[name] = level


# --- the hand-made part ----------------------------------------------------------------------


def core_key(name: str) -> str:
    """The comparison key without a leading Latin article: nlp/places.py matches "Al Urban",
    "El Urban" and "Urban" alike, so a level or a drop must hold for all of them."""
    words = fold_key(name).split()
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


def _spellings(name: str) -> set[str]:
    """The keys of a listed name and of the Latin variants made from it."""
    forms = {name} if _ARABIC.search(name) else {name, *latin_variants(name)}
    return {core_key(f) for f in forms}


def _level_table(manual: dict[str, Any]) -> tuple[dict[str, str], set[str]]:
    levels: dict[str, str] = {}
    for level in (LOC, STRONG):
        for name in manual["cues"][level]:
            levels.update(dict.fromkeys(_spellings(name), level))
    dropped = {key for name in manual["cues"]["drop"] for key in _spellings(name)}
    return levels, dropped


def apply_levels(entry: Entry, levels: dict[str, str], dropped: set[str]) -> None:
    for names in (entry.names_ar, entry.names_latin):
        for name in list(names):
            key = core_key(name)
            if key in dropped:
                del names[name]
            elif key in levels and _LEVELS.index(levels[key]) > _LEVELS.index(names[name]):
                names[name] = levels[key]


def manual_entry(item: dict[str, Any]) -> Entry:
    entry = Entry(
        id=item["id"],
        name=item["name"],
        name_ar=item.get("name_ar"),
        kind=item["kind"],
        country=item.get("country", "LY"),
        lat=float(item["lat"]),
        lon=float(item["lon"]),
        parent=item.get("parent"),
        population=item.get("population"),
        any_case=item.get("any_case", False),
        sources=[f"manual:{item['source']}"],
    )
    level = item.get("cue", FREE)
    for n in [entry.name, *item.get("names_latin", [])]:
        for v in sorted(latin_variants(n)) if item.get("variants", True) else [n]:
            add_name(entry.names_latin, v, level)
    for n in [*([entry.name_ar] if entry.name_ar else []), *item.get("names_ar", [])]:
        add_name(entry.names_ar, n, level)
    for n, lvl in item.get("names_cued", {}).items():
        names = entry.names_ar if _ARABIC.search(n) else entry.names_latin
        names.pop(next((k for k in names if fold_key(k) == fold_key(n)), n), None)
        names[n] = lvl  # the level given here holds, stricter or laxer
    return entry


def _names_of(entry: Entry) -> set[str]:
    return {fold_key(n) for n in (*entry.names_ar, *entry.names_latin)}


def absorb(entries: list[Entry], manual: Entry, radius_km: float) -> list[Entry]:
    """A hand-made entry replaces source entries of the same name nearby (OSM lists several
    Tripoli neighbourhoods as towns), keeping their spellings."""
    names = _names_of(manual)
    kept = []
    for entry in entries:
        close = km(entry.lat, entry.lon, manual.lat, manual.lon) <= radius_km
        if close and entry.country == manual.country and names & _names_of(entry):
            for n, lvl in entry.names_ar.items():
                add_name(manual.names_ar, n, lvl)
            for n, lvl in entry.names_latin.items():
                add_name(manual.names_latin, n, lvl)
            manual.sources.extend(entry.sources)
            if manual.population is None:
                manual.population = entry.population
        else:
            kept.append(entry)
    return kept


def find_entry(entries: list[Entry], ref: str) -> Entry:
    """An entry by id, or by a spelling when only one entry has it (for aliases)."""
    by_id = [e for e in entries if e.id == ref]
    if by_id:
        return by_id[0]
    key = fold_key(ref)
    named = [e for e in entries if key in _names_of(e)]
    if len(named) != 1:
        raise SystemExit(f"alias target {ref!r} matches {len(named)} entries")
    return named[0]


# Default weight by kind when the population is unknown: the tie-break between readings of one
# name prefers the more prominent place.
_KIND_WEIGHT = {
    "city": 50_000,
    "town": 10_000,
    "neighbourhood": 20_000,
    "airport": 5_000,
    "prison": 5_000,
    "detention_centre": 5_000,
    "border_crossing": 3_000,
    "village": 1_000,
    "district": 1,
    "region": 1,
    "sea_area": 1,
    "country": 1,
}


# Kinds that lie in no single district.
_NO_DISTRICT = frozenset({"country", "region", "sea_area"})


def build(source: Path, manual_path: Path) -> dict[str, Any]:
    manual = json.loads(manual_path.read_text("utf-8"))
    districts = {
        d["iso"]: District(
            d["iso"], d["name"], d["name_ar"], d["lat"], d["lon"], d["names_ar"], d["names_latin"]
        )
        for d in manual["districts"]
    }
    locator = Districts(read_shapes(source / "libya_shabiyat.geojson"), districts)
    rows = (
        read_geonames(source / "geonames_cities15000_LY.tsv")
        + read_osm(source / "osm_libya_places.json")
        + read_postal(source / "libya_postal_cities.json")
    )
    hints = {f"{r.source}:{r.key}": r.district_hint for r in rows if r.district_hint}
    entries = [merge(g) for g in cluster(rows, [s["ids"] for s in manual["same_place"]])]
    entries = [e for e in entries if e.names_ar or e.names_latin]

    for item in manual["places"]:
        made = manual_entry(item)
        entries = absorb(entries, made, float(item.get("absorb_km", 8.0)))
        entries.append(made)
    for alias in manual["aliases"]:
        entry = find_entry(entries, alias["place"])
        for key in ("name", "name_ar", "kind", "parent"):
            if key in alias:
                setattr(entry, key, alias[key])
        level = alias.get("cue", FREE)
        for n in [*alias.get("names_latin", []), *([alias["name"]] if "name" in alias else [])]:
            for v in sorted(latin_variants(n)):
                add_name(entry.names_latin, v, level)
        for n in [*alias.get("names_ar", []), *([alias["name_ar"]] if "name_ar" in alias else [])]:
            add_name(entry.names_ar, n, level)

    for city_id, radius in sorted(manual["neighbourhoods_within_km"].items()):
        city = find_entry(entries, city_id)
        for entry in entries:
            if (
                entry.kind in ("town", "village")
                and entry.parent is None
                and entry.id.startswith("osm:")
                and km(entry.lat, entry.lon, city.lat, city.lon) <= radius
            ):
                # OSM types many quarters of the big cities as towns or villages.
                entry.kind = "neighbourhood"
                entry.parent = city.id

    for d in districts.values():
        entry = Entry(
            id=f"iso:{d.iso}",
            name=d.name,
            name_ar=d.name_ar,
            kind="district",
            country="LY",
            lat=d.lat,
            lon=d.lon,
            admin1=d.name,
            sources=["manual:ISO 3166-2:LY"],
        )
        for n in [d.name, *d.names_latin]:
            for v in sorted(latin_variants(n)):
                add_name(entry.names_latin, v, FREE)
            for suffix in ("District", "Province", "Municipality"):
                add_name(entry.names_latin, f"{n} {suffix}", FREE)
        for n in [d.name_ar, *d.names_ar]:
            add_name(entry.names_ar, n, FREE)
            add_name(entry.names_ar, f"شعبية {n}", FREE)
        entries.append(entry)

    levels, dropped = _level_table(manual)
    for entry in entries:
        apply_levels(entry, levels, dropped)
        if entry.country == "LY" and entry.admin1 is None and entry.kind not in _NO_DISTRICT:
            hint = next((hints[s] for s in entry.sources if s in hints), None)
            entry.admin1 = districts[locator.locate(entry.lat, entry.lon, hint)].name
        entry.weight = entry.population or _KIND_WEIGHT[entry.kind]
    entries = [e for e in entries if e.names_ar or e.names_latin]

    ids = [e.id for e in entries]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SystemExit(f"duplicate place ids: {duplicates}")
    known = set(ids)
    missing = sorted({e.parent for e in entries if e.parent and e.parent not in known})
    if missing:
        raise SystemExit(f"unknown parents: {missing}")
    return {
        "version": manual["version"],
        "about": (
            "Places for nlp/places.py, generated by tools/build_gazetteer.py from the sources "
            "in GAZETTEER_SOURCES.md and places_manual.json; do not edit by hand. Name levels: "
            "free = matches anywhere, loc = needs a locative cue or a neighbouring place, "
            "strong = needs a place noun (city, town, area ...) or a neighbouring place."
        ),
        "not_places": sorted(manual["not_places"]),
        "not_before": {
            name: {"words": sorted(rule["words"]), "endings": sorted(rule["endings"])}
            for name, rule in sorted(manual["not_before"]["names"].items())
        },
        "places": [e.as_json() for e in sorted(entries, key=lambda e: e.id)],
    }


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--manual", type=Path, default=DEFAULT_MANUAL)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    data = build(args.source, args.manual)
    args.out.write_text(render(data), encoding="utf-8")
    kinds: dict[str, int] = {}
    for p in data["places"]:
        kinds[p["kind"]] = kinds.get(p["kind"], 0) + 1
    print(f"{len(data['places'])} places: {dict(sorted(kinds.items()))}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
