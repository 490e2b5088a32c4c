"""Exports of the queue's selection: CSV, JSON, GeoJSON, an ACLED-shaped CSV, and a
verification bundle (zip).

Every format keeps each source's claims (tolls, dates, perpetrators) beside the source that made
them. Cells that a spreadsheet would run as a formula (scraped text starting with `=`, `+`, `-`,
`@`) are prefixed with an apostrophe. Names inside the bundle come from SHA-256 digests only, so
no scraped text can place a file outside the archive's own folders.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from incidents import claims, corrections
from storage import __version__
from storage.custody import current_actor

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from storage import Store
    from storage.incidents import IncidentFilter

FORMATS = {
    "csv": ("marsad-incidents.csv", "text/csv; charset=utf-8"),
    "json": ("marsad-incidents.json", "application/json"),
    "geojson": ("marsad-incidents.geojson", "application/geo+json"),
    "acled": ("marsad-incidents-acled.csv", "text/csv; charset=utf-8"),
    "bundle": ("marsad-verification-bundle.zip", "application/zip"),
    "gold": ("marsad-gold.jsonl", "application/x-ndjson; charset=utf-8"),
}
# Formats whose export is recorded in the custody log.
LOGGED = frozenset({"bundle"})

# Our types in the order that decides an incident's ACLED event type, with their counterparts
# (shared/eval/README.md). Types without a counterpart are named in the notes instead.
ACLED_TYPES = (
    ("repression_of_assembly", "Protests", "Excessive force against protesters"),
    ("attack_on_civilians", "Explosions/Remote violence", None),
    ("killing", "Violence against civilians", "Attack"),
    ("sexual_violence", "Violence against civilians", "Sexual violence"),
    ("enforced_disappearance", "Violence against civilians", "Abduction/forced disappearance"),
    ("torture", "Violence against civilians", "Attack"),
    ("arbitrary_detention", "Strategic developments", "Arrests"),
)
AIR_STRIKE = re.compile(r"\b(air|drone|aircraft|warplane)s?\b|غار|طائر|مسير", re.IGNORECASE)
# ACLED's 31 columns in the order of its dataset since March 2023, as ACLED's own R package
# documents them (https://dtacled.github.io/acledR/reference/acled_old_dummy.html; the changes
# that made them: https://acleddata.com/methodology/guide-2023-acled-column-changes).
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
ACLED_COUNTRY = {"iso": 434, "region": "Northern Africa", "country": "Libya"}  # ISO 3166-1
# ACLED's actor type codes: 1 state forces, 2 rebel groups, 3 political militias, 4 identity
# militias, 5 rioters, 6 protesters, 7 civilians, 8 external/other forces. Which code each
# category of the actor registry (nlp/data/actors.json) takes is assumed here.
ACLED_INTER = {
    "state_forces": 1,
    "coast_guard": 1,
    "armed_group": 3,
    "unidentified_armed_men": 3,
    "traffickers": 3,
    "foreign_forces": 8,
}
UNIDENTIFIED = "Unidentified Armed Group (Libya)"
# ACLED's disorder type of each event type (its codebook: excessive force against protesters is
# both political violence and a demonstration).
ACLED_DISORDER = {
    "Violence against civilians": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Protests": "Political violence; Demonstrations",
    "Strategic developments": "Strategic developments",
}
# The scale of Marsad's sources (sources.toml), by name: UN, international NGOs and foreign
# news are international, Libyan NGOs and news national (assumed from their descriptions).
INTERNATIONAL_SOURCES = ("amnesty-", "hrw-", "unsmil-", "ohchr-", "anadolu-", "aljazeera-")
# The gazetteer's kinds of place, as ACLED's geo_precision: 1 the place itself, 2 a part of a
# region or an area near a place, 3 a larger region (its centroid).
GEO_PRECISION = {
    "village": 1,
    "town": 1,
    "city": 1,
    "neighbourhood": 1,
    "prison": 1,
    "detention_centre": 1,
    "airport": 1,
    "border_crossing": 1,
    "sea_area": 2,
    "region": 3,
    "district": 3,
    "country": 3,
}
CSV_COLUMNS = (
    "id",
    "status",
    "duplicate_of",
    "title",
    "types",
    "confidence",
    "date_start",
    "date_end",
    "date_precision",
    "location",
    "location_ar",
    "admin1",
    "lat",
    "lon",
    "killed",
    "injured",
    "abducted",
    "detained",
    "victims",
    "disputed",
    "corrected",
    "perpetrators",
    "evidence",
    "assignee",
    "tags",
    "notes",
    "documents",
    "new_sources",
    "sources",
    "languages",
    "urls",
    "input_ids",
    "created_at",
    "updated_at",
)


class Step(Protocol):
    """A count of work done, as `marsad.progress.Progress.task` makes one."""

    def advance(self, steps: int = 1) -> None: ...


class _Unseen:
    def advance(self, steps: int = 1) -> None:
        pass


def _unseen(description: str, total: int | None) -> Step:
    # Nobody watches a download from the web UI count up.
    return _Unseen()


class ExportError(RuntimeError):
    """The export cannot be made as asked (a capture missing or altered)."""


def plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not evaluate."""
    value = plain(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def records(
    store: Store, where: IncidentFilter, *, order: str = "confidence", text: bool = True
) -> list[dict[str, Any]]:
    """The selected incidents, each with its supporting sources (their text when `text`), the
    analysts' corrections, and every field's value as it stands (`facts`: theirs wins)."""
    rows = store.incident_queue(where, order=order, limit=None)
    ids = [int(r["id"]) for r in rows]
    sources = store.sources_of_incidents(ids, text=text)
    corrected = store.incident_corrections(ids)
    out = []
    for row in rows:
        supporting = sources.get(int(row["id"]), [])
        fixed = corrected.get(int(row["id"]), {})
        out.append(
            {
                **row,
                "supporting": supporting,
                "corrections": fixed,
                "facts": corrections.effective(row, supporting, fixed),
            }
        )
    return out


def _current(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in record["supporting"] if s["superseded_at"] is None]


def _perpetrators(record: dict[str, Any]) -> list[str]:
    return list(record["facts"]["perpetrators"])


def _disputed(record: dict[str, Any]) -> str:
    parts = []
    for claim in claims.claims(record["supporting"]):
        if claim.disputed:
            said = " / ".join(
                f"{value} [doc {', '.join(map(str, docs))}]" for value, docs in claim.values.items()
            )
            parts.append(f"{claim.name}: {said}")
    return "; ".join(parts)


def _documents(record: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per supporting document (a document may support with several candidates)."""
    by_doc: dict[int, dict[str, Any]] = {}
    for s in record["supporting"]:
        by_doc.setdefault(int(s["document_id"]), s)
    return list(by_doc.values())


def _title(record: dict[str, Any]) -> str | None:
    return next((d["title"] for d in _documents(record) if d["title"]), None)


def _evidence(record: dict[str, Any]) -> list[str]:
    """The sentences that raised the flag, each once, in the order of the sources."""
    said = [
        str(e["text"]).strip()
        for s in _current(record)
        for e in (s["finding"] or {}).get("evidence") or []
        if isinstance(e, dict) and e.get("text")
    ]
    return list(dict.fromkeys(said))


def _victims(record: dict[str, Any]) -> list[str]:
    """Who was harmed (the analyst's groups where corrected): a group and, where given, how
    many."""
    return [
        v["group"] if v.get("count") is None else f"{v['group']} ({v['count']})"
        for v in record["facts"]["victims"]
    ]


@cache
def _gazetteer() -> dict[tuple[str, str | None], dict[str, Any]]:
    """The gazetteer's places by name and district; the first (most prominent) of a name wins."""
    from nlp.places import DATA

    found: dict[tuple[str, str | None], dict[str, Any]] = {}
    for spec in json.loads(DATA.read_text(encoding="utf-8"))["places"]:
        found.setdefault((spec["name"], spec["admin1"]), spec)
    return found


def _place(record: dict[str, Any]) -> dict[str, Any] | None:
    """The gazetteer's entry for the incident's place (its kind and parent), if it has one."""
    if record["location_name"] is None:
        return None
    return _gazetteer().get((record["location_name"], record["admin1"]))


def _admin2(record: dict[str, Any]) -> str | None:
    """The town a neighbourhood, prison or camp belongs to (the gazetteer's parent)."""
    entry = _place(record)
    if entry is None or not entry["parent"]:
        return None
    from nlp.places import place_by_id

    parent = place_by_id(entry["parent"])
    return parent.name if parent is not None else None


def _geo_precision(record: dict[str, Any]) -> int | None:
    if record["lat"] is None or record["lon"] is None:
        return None
    entry = _place(record)
    # A place the gazetteer does not know (named by an analyst): a part of a region, at best.
    return GEO_PRECISION.get(entry["kind"], 2) if entry else 2


def _summary(record: dict[str, Any]) -> dict[str, Any]:
    current = _current(record)
    return {
        "id": record["id"],
        "status": record["status"],
        "merged_into": record["merged_into"],
        "types": list(record["types"]),
        "confidence": record["confidence"],
        "date": None
        if record["date_start"] is None
        else {
            "start": plain(record["date_start"]),
            "end": plain(record["date_end"]),
            "precision": record["date_precision"],
        },
        "location": None
        if record["location_name"] is None and record["lat"] is None
        else {
            "name": record["location_name"],
            "name_ar": record["location_name_ar"],
            "admin1": record["admin1"],
            "lat": record["lat"],
            "lon": record["lon"],
        },
        "counts": {c: record["facts"][c] for c in claims.COUNTS},
        "perpetrators": _perpetrators(record),
        "victims": record["facts"]["victims"],
        "corrections": {
            name: {
                "value": c["value"],
                "by": c["set_by"],
                "at": plain(c["set_at"]),
                "reason": c["reason"],
            }
            for name, c in record["corrections"].items()
        },
        "machine": {
            name: value
            for name, value in corrections.machine(current).items()
            if name in record["corrections"]
        },
        "assignee": record["assignee"],
        "notes": record["notes"],
        "tags": list(record["tags"]),
        "created_at": plain(record["created_at"]),
        "updated_at": plain(record["updated_at"]),
    }


def _claims(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "field": c.name,
            "disputed": c.disputed,
            "values": [{"value": v, "documents": d} for v, d in c.values.items()],
        }
        for c in claims.claims(record["supporting"])
    ]


def _source(s: dict[str, Any], *, text: bool) -> dict[str, Any]:
    entry = {
        "document_id": s["document_id"],
        "candidate_id": s["candidate_id"],
        "url": s["url"],
        "final_url": s["final_url"],
        "source": s["source"],
        "input_ids": list(s["input_ids"] or []),
        "title": s["title"],
        "language": s["language"],
        "published": plain(s["published"]),
        "fetched_at": plain(s["fetched_at"]),
        "capture_sha256": s["capture_sha256"],
        "current": s["superseded_at"] is None,
        "new": bool(s["is_new"]),
        "nlp_version": s["nlp_version"],
        "finding": s["finding"],
    }
    if text:
        entry["text"] = s["text"]
    return entry


def to_json(records_: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "exported_at": datetime.now(UTC).isoformat(),
        "marsad_version": __version__,
        "incidents": [
            {
                **_summary(r),
                "claims": _claims(r),
                "sources": [_source(s, text=False) for s in r["supporting"]],
            }
            for r in records_
        ],
    }


def to_geojson(records_: list[dict[str, Any]]) -> dict[str, Any]:
    """Points with flat properties (one value each, lists joined with ";"): QGIS and ArcGIS read
    nested objects as text, when they read them at all."""
    features = []
    for r in records_:
        if r["lat"] is None or r["lon"] is None:
            continue
        counts = _summary(r)["counts"]
        docs = _documents(r)
        entry = _place(r)
        properties = {
            "id": r["id"],
            "status": r["status"],
            "duplicate_of": r["merged_into"],
            "title": _title(r),
            "types": ";".join(r["types"]),
            "confidence": r["confidence"],
            "date_start": plain(r["date_start"]),
            "date_end": plain(r["date_end"]),
            "date_precision": r["date_precision"],
            "location": r["location_name"],
            "location_ar": r["location_name_ar"],
            "admin1": r["admin1"],
            "place_kind": entry["kind"] if entry else None,
            # As ACLED's: 1 the place itself, 2 part of a region, 3 a larger region's centroid.
            "geo_precision": _geo_precision(r),
            **counts,
            "victims": ";".join(_victims(r)),
            "perpetrators": ";".join(_perpetrators(r)),
            "corrected": ";".join(sorted(r["corrections"])),
            "sources": ";".join(sorted({d["source"] for d in docs})),
            "urls": " ".join(d["url"] for d in docs),
            "updated_at": plain(r["updated_at"]),
        }
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _csv_rows(records_: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for r in records_:
        summary = _summary(r)
        docs = _documents(r)
        rows.append(
            {
                "id": r["id"],
                "status": r["status"],
                "duplicate_of": r["merged_into"],
                "title": _title(r),
                "types": ";".join(r["types"]),
                "confidence": r["confidence"],
                "date_start": r["date_start"],
                "date_end": r["date_end"],
                "date_precision": r["date_precision"],
                "location": r["location_name"],
                "location_ar": r["location_name_ar"],
                "admin1": r["admin1"],
                "lat": r["lat"],
                "lon": r["lon"],
                **summary["counts"],
                "victims": ";".join(_victims(r)),
                "disputed": _disputed(r),
                "corrected": ";".join(sorted(r["corrections"])),
                "perpetrators": ";".join(summary["perpetrators"]),
                "evidence": " … ".join(_evidence(r)),
                "assignee": r["assignee"],
                "tags": ";".join(r["tags"]),
                "notes": r["notes"],
                "documents": len(docs),
                "new_sources": r["new_sources"],
                "sources": ";".join(sorted({d["source"] for d in docs})),
                "languages": ";".join(sorted({d["language"] or "?" for d in docs})),
                "urls": " ".join(d["url"] for d in docs),
                "input_ids": ";".join(i for d in docs for i in d["input_ids"] or []),
                "created_at": r["created_at"],
                "updated_at": r["updated_at"],
            }
        )
    return rows


def _acled_type(record: dict[str, Any]) -> tuple[str, str]:
    types = set(record["types"])
    for ours, event_type, sub_event in ACLED_TYPES:
        if ours not in types:
            continue
        if sub_event is None:
            evidence = " ".join(
                e.get("text") or ""
                for s in _current(record)
                for e in (s["finding"] or {}).get("evidence") or []
                if isinstance(e, dict)
            )
            sub_event = (
                "Air/drone strike"
                if AIR_STRIKE.search(evidence)
                else "Shelling/artillery/missile attack"
            )
        return event_type, sub_event
    return "", ""


def _acled_actor2(record: dict[str, Any]) -> tuple[str, int]:
    """Who was targeted, as an ACLED actor and its type code (6 protesters, 7 civilians)."""
    groups = {v.get("group") for v in record["facts"]["victims"]}
    if "protesters" in groups:
        return "Protesters (Libya)", 6
    if "migrants_refugees" in groups:
        return "Migrants (Libya)", 7
    return "Civilians (Libya)", 7


def _acled_actors(record: dict[str, Any]) -> list[tuple[str, int]]:
    """The perpetrators (the analyst's where corrected) as ACLED actors with their type codes,
    the most cited first; the unidentified ones under ACLED's own name for them. A name's
    category is the one its findings give, else the actor registry's."""
    from nlp.actors import by_name

    categories = {
        p["name"].strip(): p.get("category")
        for s in _current(record)
        for p in (s["finding"] or {}).get("perpetrators") or []
        if isinstance(p, dict) and isinstance(p.get("name"), str)
    }
    actors: list[tuple[str, int]] = []
    for name in record["facts"]["perpetrators"]:
        category = categories.get(name)
        if category is None and (known := by_name().get(name.casefold())) is not None:
            category = known.category
        actor = (
            UNIDENTIFIED if category == "unidentified_armed_men" else name,
            ACLED_INTER.get(str(category), 3),
        )
        if actor not in actors:
            actors.append(actor)
    return actors or [(UNIDENTIFIED, 3)]


def _source_scale(sources: set[str]) -> str:
    international = any(s.startswith(INTERNATIONAL_SOURCES) for s in sources)
    national = any(not s.startswith(INTERNATIONAL_SOURCES) for s in sources)
    return {(True, True): "National-International", (False, True): "International"}.get(
        (national, international), "National"
    )


def _acled_rows(records_: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per dated incident; ACLED has no place for an event without a date."""
    rows = []
    for r in records_:
        if r["date_start"] is None:
            continue
        event_type, sub_event = _acled_type(r)
        (actor1, inter1), *others = _acled_actors(r)
        actor2, inter2 = _acled_actor2(r)
        evidence = next(iter(_evidence(r)), "")
        unmapped = sorted(set(r["types"]) - {t for t, _, _ in ACLED_TYPES})
        notes = " ".join(
            part
            for part in (
                evidence[:500],
                f"Marsad types: {', '.join(r['types'])}." if unmapped else "",
                f"Sources disagree: {_disputed(r)}." if _disputed(r) else "",
                f"Corrected by an analyst: {', '.join(sorted(r['corrections']))}."
                if r["corrections"]
                else "",
                f"Marsad incident {r['id']} ({r['status']}).",
            )
            if part
        )
        sources = {d["source"] for d in _documents(r)}
        updated = r["updated_at"] or r["created_at"]
        rows.append(
            {
                "event_id_cnty": f"LBY{r['id']}",
                "event_date": r["date_start"],
                "year": r["date_start"].year,
                # ACLED: 1 the day, 2 the week, 3 the month (or less precise).
                "time_precision": {"day": 1, "week": 2}.get(r["date_precision"] or "", 3),
                "disorder_type": ACLED_DISORDER.get(event_type, ""),
                "event_type": event_type,
                "sub_event_type": sub_event,
                "actor1": actor1,
                "assoc_actor_1": "; ".join(name for name, _ in others),
                "inter1": inter1,
                "actor2": actor2,
                "assoc_actor_2": "",
                "inter2": inter2,
                # ACLED writes the pair of codes lowest first: 17 is state forces on civilians.
                "interaction": int(f"{min(inter1, inter2)}{max(inter1, inter2)}"),
                "civilian_targeting": "Civilian targeting" if inter2 == 7 else "",
                **ACLED_COUNTRY,
                "admin1": r["admin1"],
                "admin2": _admin2(r),
                "admin3": None,
                "location": r["location_name"],
                "latitude": r["lat"],
                "longitude": r["lon"],
                "geo_precision": _geo_precision(r),
                "source": "; ".join(sorted(sources)),
                "source_scale": _source_scale(sources),
                "notes": notes,
                "fatalities": r["facts"]["killed"] or 0,
                "tags": None,
                "timestamp": int(updated.timestamp()) if updated is not None else None,
            }
        )
    return rows


def _write_csv(
    rows: list[dict[str, Any]], columns: tuple[str, ...], out: BinaryIO, *, bom: bool = False
) -> None:
    # The byte-order mark tells Excel the file is UTF-8 (without it Arabic opens as mojibake);
    # the ACLED file goes to data tools, which would read it into the first column's name.
    text = io.StringIO(newline="")
    if bom:
        text.write("\ufeff")
    writer = csv.DictWriter(text, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in columns})
    out.write(text.getvalue().encode("utf-8"))


def write_bundle(
    store: Store,
    data_dir: Path,
    records_: list[dict[str, Any]],
    out: BinaryIO,
    *,
    actor: str,
    progress: Callable[[str, int | None], Step] = _unseen,
) -> list[str]:
    """The verification bundle of `marsad bundle` as a zip, for the documents behind the
    selected incidents, with the incidents, their claims and evidence added to its manifest;
    return the SHA-256 of the stored files it carries."""
    from preserve.bundle import BundleError, write_bundle_zip

    incidents = []
    for r in records_:
        sources = []
        for s in r["supporting"]:
            entry = _source(s, text=True)
            entry["capture"] = {
                "sha256": s["capture_sha256"],
                "path": f"captures/{s['capture_sha256']}",
                "size": s["capture_size"],
                "content_type": s["capture_content_type"],
            }
            entry["evidence"] = (s["finding"] or {}).get("evidence") or []
            sources.append(entry)
        incidents.append({**_summary(r), "claims": _claims(r), "sources": sources})
    documents = [s["document_id"] for r in records_ for s in r["supporting"]]
    task = progress("Bundling documents", len(set(documents)))
    try:
        return write_bundle_zip(
            store,
            data_dir,
            documents,
            out,
            actor=actor,
            manifest={"incidents": incidents},
            detail={"incidents": [r["id"] for r in records_]},
            progress=task.advance,
        )
    except BundleError as exc:
        raise ExportError(str(exc)) from exc


def export(
    store: Store,
    data_dir: Path,
    where: IncidentFilter,
    kind: str,
    out: BinaryIO,
    *,
    order: str = "confidence",
    actor: str | None = None,
    left_out: list[int] | None = None,
    progress: Callable[[str, int | None], Step] = _unseen,
) -> int:
    """Write the selection in format `kind` to `out`; return how many incidents it holds.

    Incidents a format cannot hold (ACLED's, an incident without a date) are left out, their
    ids added to `left_out` when given. `progress(description, total)` makes a counter of the
    steps (`marsad.progress.Progress.task`): the documents a bundle or gold file reads one by
    one, else the incidents written, which the tables write at once."""
    if kind not in FORMATS:
        raise ValueError(f"unknown export format {kind!r}")
    # Only the bundle and gold carry the articles' text; the tables would read gigabytes for
    # nothing.
    selected = records(store, where, order=order, text=kind in ("bundle", "gold"))
    written = len(selected)
    if kind == "gold":
        from triage import gold

        gold.write(store, selected, out, progress=progress)
        return written
    if kind == "bundle":
        write_bundle(
            store, data_dir, selected, out, actor=actor or current_actor(), progress=progress
        )
        return written
    if kind == "csv":
        _write_csv(_csv_rows(selected), CSV_COLUMNS, out, bom=True)
    elif kind == "acled":
        rows = _acled_rows(selected)
        _write_csv(rows, ACLED_COLUMNS, out)
        written = len(rows)
        if left_out is not None:
            left_out.extend(int(r["id"]) for r in selected if r["date_start"] is None)
    elif kind == "json":
        out.write(json.dumps(to_json(selected), ensure_ascii=False, indent=2).encode("utf-8"))
    else:
        out.write(json.dumps(to_geojson(selected), ensure_ascii=False).encode("utf-8"))
    progress("Writing incidents", written).advance(written)
    return written


def file_name(kind: str, selection: Sequence[tuple[str, str]], now: datetime | None = None) -> str:
    """`marsad-incidents-<selection>-<UTC time>.<ext>`: which incidents, and when, in the name.

    Only ASCII letters, digits and `-` from the filter values are kept (a name must be safe in
    any file system and in a download header); the rest of a value becomes `-`.
    """
    base, _ = FORMATS[kind]
    stem, _, extension = base.partition(".")
    parts = [
        f"{key}-{re.sub(r'[^A-Za-z0-9]+', '-', value).strip('-') or 'x'}"
        for key, value in selection
        if value
    ]
    when = f"{(now or datetime.now(UTC)).astimezone(UTC):%Y%m%dT%H%M%SZ}"
    chosen = "-".join(parts)[:120].rstrip("-")
    return "-".join(p for p in (stem, chosen, when) if p) + f".{extension}"
