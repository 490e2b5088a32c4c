"""Analysts' corrections of what the NLP extracted, beside the machine's values.

Every extracted field of an incident can be set by an analyst: its types, date (range and
precision), place, each count, its perpetrators and its victims. The analyst's value wins
wherever the incident is shown or exported (`effective`); the machine's value (`machine`, read
from the current candidates as clustering reads them) and each source's claims stay beside it.
Re-clustering never touches a corrected field: the store leaves its summary columns alone.

Each field has one text form, read by the CLI and the web form alike (`parse`) and written by
`show`, so what an analyst sees in the form is what they can type back:

    types         killing, torture                  (codes of the extraction contract)
    date          2024-05-12 | 2024-05 | 2024 | 2024-05-12/2024-05-18 [day|week|month|year]
    place         Sirte | سرت | Sirte @ 31.2,16.59  (a gazetteer name fills district and point)
    killed, ...   66                                (a number; `unknown`: not stated)
    perpetrators  Radaa force; unidentified gunmen
    victims       women:1, children:1, civilians
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

from incidents import claims, cluster
from nlp.model import VICTIM_GROUPS
from nlp.model import VIOLATION_TYPES as TYPES
from nlp.places import find_places
from storage.incidents import CORRECTABLE

if TYPE_CHECKING:
    from collections.abc import Sequence

    from storage import Store

FIELDS = tuple(CORRECTABLE)
LABELS = {
    "types": "Types",
    "date": "Date",
    "place": "Place",
    "killed": "Killed",
    "injured": "Injured",
    "abducted": "Abducted",
    "detained": "Detained",
    "perpetrators": "Perpetrators",
    "victims": "Victims",
}
PRECISIONS = ("day", "week", "month", "year")
UNKNOWN = "unknown"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"\d{4}")


class CorrectionError(ValueError):
    """A value an analyst typed that cannot be read, said plainly."""


# -- the machine's values ---------------------------------------------------------------------


def _current(sources: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [s for s in sources if s.get("superseded_at") is None]


def _victims(sources: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each victim group any source names, with the lowest count a source gives it."""
    counts: dict[str, int | None] = {}
    for s in sources:
        for v in (s.get("finding") or {}).get("victims") or []:
            if not isinstance(v, dict) or not isinstance(v.get("group"), str):
                continue
            count = v.get("count") if isinstance(v.get("count"), int) else None
            group = v["group"]
            known = counts.get(group)
            counts[group] = count if known is None else min(known, count or known)
    return [{"group": g, "count": counts[g]} for g in sorted(counts)]


def _perpetrators(sources: Sequence[dict[str, Any]]) -> list[str]:
    seen: Counter[str] = Counter()
    for s in sources:
        for p in (s.get("finding") or {}).get("perpetrators") or []:
            if isinstance(p, dict) and isinstance(p.get("name"), str) and p["name"].strip():
                seen[p["name"].strip()] += 1
    return [name for name, _ in seen.most_common()]


def machine(sources: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """What the NLP says of the incident, from its current candidates: clustering's summary,
    the lowest toll a source gives (ACLED's practice), perpetrators by how many sources name
    them, and each victim group."""
    current = _current(sources)
    values: dict[str, Any] = {c: claims.lowest(current, c) for c in claims.COUNTS}
    values["perpetrators"] = _perpetrators(current)
    values["victims"] = _victims(current)
    if not current:
        return values | {"types": [], "date": None, "place": None}
    summary = cluster.summarise(current)
    return values | {"types": summary["types"]} | _from_columns(summary)


def _from_columns(row: dict[str, Any]) -> dict[str, Any]:
    """The date and place fields from summary columns."""
    start = row.get("date_start")
    when = (
        None
        if start is None
        else {
            "start": _iso(start),
            "end": _iso(row.get("date_end") or start),
            "precision": row.get("date_precision") or "day",
        }
    )
    place = (
        None
        if not (row.get("location_name") or row.get("location_name_ar") or row.get("lat"))
        else {
            "name": row.get("location_name"),
            "name_ar": row.get("location_name_ar"),
            "admin1": row.get("admin1"),
            "lat": row.get("lat"),
            "lon": row.get("lon"),
        }
    )
    return {"date": when, "place": place}


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def columns(name: str, value: Any) -> dict[str, Any]:
    """The incident's summary columns that field `name` with `value` decides."""
    if name == "types":
        return {"types": list(value or [])}
    if name == "date":
        if value is None:
            return {"date_start": None, "date_end": None, "date_precision": None}
        return {
            "date_start": date.fromisoformat(value["start"]),
            "date_end": date.fromisoformat(value["end"]),
            "date_precision": value["precision"],
        }
    if name == "place":
        place = value or {}
        return {
            "location_name": place.get("name"),
            "location_name_ar": place.get("name_ar"),
            "admin1": place.get("admin1"),
            "lat": place.get("lat"),
            "lon": place.get("lon"),
        }
    return {}


# -- what wins ----------------------------------------------------------------------------------


def effective(
    incident: dict[str, Any], sources: Sequence[dict[str, Any]], corrected: dict[str, Any]
) -> dict[str, Any]:
    """Every field's value as the incident stands: the analyst's where set, else the machine's.
    `corrected` is the incident's entry of `Store.incident_corrections`."""
    values = machine(sources)
    # Types, date and place are kept on the incident itself, correction applied.
    values |= {"types": list(incident.get("types") or [])} | _from_columns(incident)
    for name, correction in corrected.items():
        values[name] = correction["value"]
    return values


def facts(
    incident: dict[str, Any], sources: Sequence[dict[str, Any]], corrected: dict[str, Any]
) -> list[dict[str, Any]]:
    """One row a field for the incident page: the machine's value, the analyst's (if any) and
    who set it, and the text the correction form starts from."""
    ours = machine(sources)
    now = effective(incident, sources, corrected)
    return [
        {
            "field": name,
            "label": LABELS[name],
            "machine": show(name, ours[name]),
            "analyst": None if name not in corrected else show(name, corrected[name]["value"]),
            "by": corrected.get(name, {}).get("set_by"),
            "at": corrected.get(name, {}).get("set_at"),
            "reason": corrected.get(name, {}).get("reason"),
            "text": show(name, now[name]),
        }
        for name in FIELDS
    ]


# -- text forms -------------------------------------------------------------------------------


def show(name: str, value: Any) -> str:
    """A field's value in the text form `parse` reads back."""
    if name == "types":
        return ", ".join(value or [])
    if name == "date":
        if not value:
            return UNKNOWN
        start, end, precision = value["start"], value["end"], value["precision"]
        whole = _whole(start, end, precision)
        if whole is not None:
            return whole
        span = start if end == start else f"{start}/{end}"
        return span if precision == "day" else f"{span} {precision}"
    if name == "place":
        if not value:
            return UNKNOWN
        label = value.get("name") or value.get("name_ar") or ""
        if value.get("lat") is not None and value.get("lon") is not None:
            return f"{label} @ {value['lat']:.4f},{value['lon']:.4f}"
        return str(label)
    if name in claims.COUNTS:
        return UNKNOWN if value is None else str(value)
    if name == "perpetrators":
        return "; ".join(value or [])
    if name == "victims":
        return ", ".join(
            v["group"] if v.get("count") is None else f"{v['group']}:{v['count']}"
            for v in value or []
        )
    raise CorrectionError(f"not a correctable field: {name!r}")


def _whole(start: str, end: str, precision: str) -> str | None:
    """`2024-05` or `2024` for a date that is exactly that month or year, else None."""
    if precision not in ("month", "year") or not _DAY.fullmatch(start):
        return None
    short = start[:7] if precision == "month" else start[:4]
    last = _bound(short, end=True)[0].isoformat()
    return (
        short if start == _bound(short, end=False)[0].isoformat() and end in (start, last) else None
    )


def parse(name: str, text: str) -> Any:
    """An analyst's text for field `name` as the value stored; CorrectionError if unreadable."""
    text = " ".join(text.split())
    if name == "types":
        return _types(text)
    if name == "date":
        return _date(text)
    if name == "place":
        return _place(text)
    if name in claims.COUNTS:
        if text.casefold() in ("", UNKNOWN):
            return None
        if not text.isdigit() or len(text) > 7:
            raise CorrectionError(f"{name}: give a number of people, or `unknown`")
        return int(text)
    if name == "perpetrators":
        return [p.strip()[:120] for p in text.split(";") if p.strip()][:20]
    if name == "victims":
        return _victim_list(text)
    raise CorrectionError(f"not a correctable field: {name!r}; one of {', '.join(FIELDS)}")


def _types(text: str) -> list[str]:
    chosen = [t.strip().replace(" ", "_") for t in text.split(",") if t.strip()]
    unknown = [t for t in chosen if t not in TYPES]
    if unknown:
        raise CorrectionError(f"types: unknown {', '.join(unknown)}; use {', '.join(TYPES)}")
    if not chosen:
        raise CorrectionError("types: an incident needs at least one type (reject it instead)")
    return sorted(set(chosen), key=TYPES.index)


def _date(text: str) -> dict[str, str] | None:
    if text.casefold() in ("", UNKNOWN):
        return None
    span, _, precision = text.partition(" ")
    first, _, last = span.partition("/")
    start, implied = _bound(first, end=False)
    end = start if not last else _bound(last, end=True)[0]
    if not last and implied != "day":
        end = _bound(first, end=True)[0]
    precision = precision.strip() or implied
    if precision not in PRECISIONS:
        raise CorrectionError(f"date: precision is one of {', '.join(PRECISIONS)}")
    if end < start:
        raise CorrectionError("date: the end is before the start")
    return {"start": start.isoformat(), "end": end.isoformat(), "precision": precision}


def _bound(text: str, *, end: bool) -> tuple[date, str]:
    """A day, month or year as its first (or last) day, and its precision."""
    try:
        if _DAY.fullmatch(text):
            return date.fromisoformat(text), "day"
        month = _MONTH.fullmatch(text)
        if month:
            year, number = int(month[1]), int(month[2])
            if not end:
                return date(year, number, 1), "month"
            following = date(year + number // 12, number % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1), "month"
        if _YEAR.fullmatch(text):
            return date(int(text), 12, 31) if end else date(int(text), 1, 1), "year"
    except ValueError:
        pass
    raise CorrectionError(
        f"date: {text!r} is not a date; write 2024-05-12, 2024-05, 2024 or 2024-05-12/2024-05-18"
    )


def _place(text: str) -> dict[str, Any] | None:
    if text.casefold() in ("", UNKNOWN):
        return None
    label, _, point = (part.strip() for part in text.partition("@"))
    if not label:
        raise CorrectionError("place: give a place name before the @")
    found = _gazetteer(label)
    place: dict[str, Any] = {
        "name": found.name if found else (None if _arabic(label) else label[:120]),
        "name_ar": found.name_ar if found else (label[:120] if _arabic(label) else None),
        "admin1": found.admin1 if found else None,
        "lat": found.lat if found else None,
        "lon": found.lon if found else None,
    }
    if point:
        try:
            lat, lon = (float(p) for p in point.split(","))
        except ValueError as exc:
            raise CorrectionError("place: write the point as LAT,LON, e.g. 31.2,16.59") from exc
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise CorrectionError("place: latitude or longitude out of range")
        place |= {"lat": lat, "lon": lon}
    return place


def _arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def _gazetteer(label: str) -> Any:
    """The gazetteer's place for a name typed alone, or None (the name is kept as typed)."""
    # The finder wants a place word before a bare name, as a text would have it.
    phrase = f"في مدينة {label}" if _arabic(label) else f"in the town of {label}"
    mentions = find_places(phrase, "ar" if _arabic(label) else "en")
    whole = [m for m in mentions if phrase[m.start : m.end].casefold() == label.casefold()]
    return whole[0].place if whole else None


def _victim_list(text: str) -> list[dict[str, Any]]:
    out: dict[str, int | None] = {}
    for item in (p.strip() for p in text.split(",")):
        if not item:
            continue
        group, _, count = (part.strip() for part in item.partition(":"))
        group = group.replace(" ", "_")
        if group not in VICTIM_GROUPS:
            raise CorrectionError(
                f"victims: unknown group {group!r}; use {', '.join(VICTIM_GROUPS)}"
            )
        if count and not count.isdigit():
            raise CorrectionError(f"victims: {group}'s count must be a number")
        out[group] = int(count) if count else None
    return [{"group": g, "count": c} for g, c in out.items()]


# -- changing them ------------------------------------------------------------------------------


def correct(
    store: Store, incident_id: int, name: str, value: Any, *, actor: str, reason: str | None
) -> bool:
    """Set the analyst's value of field `name`; whether it changed anything."""
    if name not in FIELDS:
        raise CorrectionError(f"not a correctable field: {name!r}; one of {', '.join(FIELDS)}")
    with store.transaction():
        before = _now(store, incident_id)
        corrected = store.incident_corrections([incident_id]).get(incident_id, {})
        if name in corrected and corrected[name]["value"] == value:
            return False
        store.set_correction(
            incident_id,
            name,
            value,
            columns=columns(name, value),
            actor=actor,
            reason=reason,
            from_text=show(name, before[name]),
            to_text=show(name, value),
        )
    return True


def uncorrect(store: Store, incident_id: int, name: str, *, actor: str, reason: str | None) -> bool:
    """Drop the analyst's value of field `name`, back to the machine's; whether there was one."""
    if name not in FIELDS:
        raise CorrectionError(f"not a correctable field: {name!r}; one of {', '.join(FIELDS)}")
    with store.transaction():
        before = _now(store, incident_id)
        ours = machine(store.incident_sources(incident_id))
        return store.clear_correction(
            incident_id,
            name,
            columns=columns(name, ours[name]),
            actor=actor,
            reason=reason,
            from_text=show(name, before[name]),
            to_text=show(name, ours[name]),
        )


def _now(store: Store, incident_id: int) -> dict[str, Any]:
    row = store.incident(incident_id)
    if row is None:
        raise KeyError(f"no incident {incident_id}")
    corrected = store.incident_corrections([incident_id]).get(incident_id, {})
    return effective(row, store.incident_sources(incident_id), corrected)


def apply_form(
    store: Store,
    incident_id: int,
    texts: dict[str, str],
    *,
    clear: Sequence[str] = (),
    pin: bool = False,
    actor: str,
    reason: str | None,
) -> list[str]:
    """Apply field texts and the fields to give back to the machine, all or nothing; the
    fields changed. A web form sends every field, so only texts that differ from the
    incident's current values count; with `pin` (a command naming its fields) each text given
    becomes the analyst's value even where it equals the machine's, so re-analysis cannot move
    it. Every text is read before anything is written: one bad value changes nothing."""
    with store.transaction():
        now = _now(store, incident_id)
        wanted = {
            name: parse(name, text)
            for name, text in texts.items()
            if name in FIELDS
            and name not in clear
            and (pin or " ".join(text.split()) != show(name, now[name]))
        }
        changed = [n for n in clear if uncorrect(store, incident_id, n, actor=actor, reason=reason)]
        for name, value in wanted.items():
            if correct(store, incident_id, name, value, actor=actor, reason=reason):
                changed.append(name)
    return changed
