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
from typing import TYPE_CHECKING, Any, BinaryIO

from incidents import claims, corrections
from marsad import __version__
from storage.custody import current_actor

if TYPE_CHECKING:
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
ACLED_COLUMNS = (
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
)
CSV_COLUMNS = (
    "id",
    "status",
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
    "disputed",
    "corrected",
    "perpetrators",
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
    features = []
    for r in records_:
        if r["lat"] is None or r["lon"] is None:
            continue
        summary = _summary(r)
        summary["urls"] = [d["url"] for d in _documents(r)]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                "properties": summary,
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
                "disputed": _disputed(r),
                "corrected": ";".join(sorted(r["corrections"])),
                "perpetrators": ";".join(summary["perpetrators"]),
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


def _acled_actor2(record: dict[str, Any]) -> str:
    groups = {v.get("group") for v in record["facts"]["victims"]}
    if "protesters" in groups:
        return "Protesters (Libya)"
    if "migrants_refugees" in groups:
        return "Migrants (Libya)"
    return "Civilians (Libya)"


def _acled_rows(records_: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for r in records_:
        event_type, sub_event = _acled_type(r)
        perpetrators = _perpetrators(r)
        evidence = next(
            (
                e.get("text")
                for s in _current(r)
                for e in (s["finding"] or {}).get("evidence") or []
                if isinstance(e, dict) and e.get("text")
            ),
            "",
        )
        unmapped = sorted(set(r["types"]) - {t for t, _, _ in ACLED_TYPES})
        notes = " ".join(
            part
            for part in (
                str(evidence)[:500],
                f"Marsad types: {', '.join(r['types'])}." if unmapped else "",
                f"Sources disagree: {_disputed(r)}." if _disputed(r) else "",
                f"Corrected by an analyst: {', '.join(sorted(r['corrections']))}."
                if r["corrections"]
                else "",
                f"Marsad incident {r['id']} ({r['status']}).",
            )
            if part
        )
        docs = _documents(r)
        rows.append(
            {
                "event_date": r["date_start"],
                "time_precision": {"day": 1, "week": 2}.get(r["date_precision"] or "", 3)
                if r["date_start"]
                else "",
                "event_type": event_type,
                "sub_event_type": sub_event,
                "actor1": perpetrators[0] if perpetrators else "Unidentified Armed Group (Libya)",
                "actor2": _acled_actor2(r),
                "admin1": r["admin1"],
                "location": r["location_name"],
                "latitude": r["lat"],
                "longitude": r["lon"],
                "geo_precision": 1
                if r["lat"] is not None and r["location_name"]
                else (3 if r["admin1"] else ""),
                "source": "; ".join(sorted({d["source"] for d in docs})),
                "notes": notes,
                "fatalities": r["facts"]["killed"] or 0,
            }
        )
    return rows


def _write_csv(rows: list[dict[str, Any]], columns: tuple[str, ...], out: BinaryIO) -> None:
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in columns})
    out.write(text.getvalue().encode("utf-8"))


def write_bundle(
    store: Store, data_dir: Path, records_: list[dict[str, Any]], out: BinaryIO, *, actor: str
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
    try:
        return write_bundle_zip(
            store,
            data_dir,
            documents,
            out,
            actor=actor,
            manifest={"incidents": incidents},
            detail={"incidents": [r["id"] for r in records_]},
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
) -> int:
    """Write the selection in format `kind` to `out`; return how many incidents it holds."""
    if kind not in FORMATS:
        raise ValueError(f"unknown export format {kind!r}")
    # Only the bundle and gold carry the articles' text; the tables would read gigabytes for
    # nothing.
    selected = records(store, where, order=order, text=kind in ("bundle", "gold"))
    if kind == "csv":
        _write_csv(_csv_rows(selected), CSV_COLUMNS, out)
    elif kind == "acled":
        _write_csv(_acled_rows(selected), ACLED_COLUMNS, out)
    elif kind == "json":
        out.write(json.dumps(to_json(selected), ensure_ascii=False, indent=2).encode("utf-8"))
    elif kind == "geojson":
        out.write(json.dumps(to_geojson(selected), ensure_ascii=False).encode("utf-8"))
    elif kind == "gold":
        from triage import gold

        gold.write(store, selected, out)
    else:
        write_bundle(store, data_dir, selected, out, actor=actor or current_actor())
    return len(selected)
