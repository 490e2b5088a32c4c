"""What analysts decided, as gold for the extractor: the evaluation contract's gold format.

One JSON line per document behind a reviewed incident (`../shared/eval/README.md`, "Gold
format"), so `score.py` can measure the extractor against analysts' decisions and the learned
extractor can be retrained on them:

- a document supporting confirmed (or sent) incidents carries each of them, with the analyst's
  value of every corrected field and, for the rest, what the machine read in that document
  (its own counts, perpetrators and victims; the incident's types, place and date, which the
  analyst confirmed as the event's);
- a document whose incidents were all rejected as "not an incident" carries none: a negative.

Each incident also carries `evidence`, the spans of the document's text the machine cited
(offsets into `text`), and `marsad` (incident number, status, corrected fields). Incidents
still open, or rejected for another reason (old news, outside Libya), are left out: they say
nothing certain about what the text reports.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any, BinaryIO

from incidents import corrections

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from storage import Store
    from triage.exports import Step

CONFIRMED = ("confirmed", "sent")
NEGATIVE_REASON = "not an incident"
STATUSES = (*CONFIRMED, "rejected")


def _date(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """The gold date: a day, month or year at its precision; a range as its start with the
    range as tolerance."""
    if not value:
        return None
    start, end = date.fromisoformat(value["start"]), date.fromisoformat(value["end"])
    if value["precision"] == "year":
        return {"value": value["start"][:4]}
    if value["precision"] == "month" and (start.year, start.month) == (end.year, end.month):
        return {"value": value["start"][:7]}
    gold: dict[str, Any] = {"value": value["start"]}
    if (end - start).days > 1:
        gold["tolerance_days"] = (end - start).days
    return gold


def _location(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if not value:
        return None
    names = [n for n in (value.get("name"), value.get("name_ar")) if n]
    return {"names": names, "lat": value.get("lat"), "lon": value.get("lon")}


def _perpetrators(corrected: dict[str, Any], finding: dict[str, Any]) -> list[list[str]]:
    if "perpetrators" in corrected:
        return [[name] for name in corrected["perpetrators"]["value"]]
    groups = []
    for p in finding.get("perpetrators") or []:
        if isinstance(p, dict) and isinstance(p.get("name"), str):
            aliases = [a for a in p.get("aliases") or [] if isinstance(a, str)]
            groups.append(list(dict.fromkeys([p["name"], *aliases])))
    return groups


def _incident(
    record: dict[str, Any], reading: dict[str, Any], corrected: dict[str, Any]
) -> dict[str, Any]:
    """One gold incident of a document: `reading` is the document's candidate."""
    finding = reading.get("finding") or {}
    facts = corrections.effective(record, [reading], corrected)
    victims = facts["victims"] if "victims" in corrected else _victims(finding)
    counts = {
        name: facts[name]
        for name in ("killed", "injured", "abducted", "detained")
        if facts[name] is not None
    }
    return {
        "types": list(record["types"]),
        "optional": False,
        "location": _location(facts["place"]),
        "date": _date(facts["date"]),
        "perpetrators": _perpetrators(corrected, finding),
        "victims": sorted({v["group"] for v in victims}),
        "counts": counts,
        "evidence": [
            {"start": e["start"], "end": e["end"], "text": e.get("text")}
            for e in finding.get("evidence") or []
            if isinstance(e, dict) and isinstance(e.get("start"), int)
        ],
        "marsad": {
            "incident": record["id"],
            "status": record["status"],
            "corrected": sorted(corrected),
        },
    }


def _victims(finding: dict[str, Any]) -> list[dict[str, Any]]:
    return [v for v in finding.get("victims") or [] if isinstance(v, dict) and v.get("group")]


def documents(
    store: Store, records: list[dict[str, Any]], step: Callable[[], None] | None = None
) -> Iterator[dict[str, Any]]:
    """Gold lines for the documents behind `records` (from `exports.records`, with text);
    `step` is called after each rejected incident's history is read (a call to the store each)."""
    rejected_as_noise = set()
    for r in records:
        if r["status"] == "rejected":
            if _rejected_as_noise(store, int(r["id"])):
                rejected_as_noise.add(int(r["id"]))
            if step is not None:
                step()
    by_document: dict[int, dict[str, Any]] = {}
    for record in records:
        keep = record["status"] in CONFIRMED
        noise = int(record["id"]) in rejected_as_noise
        for reading in record["supporting"]:
            if reading["superseded_at"] is not None:
                continue
            doc = by_document.setdefault(
                int(reading["document_id"]),
                {"reading": reading, "incidents": [], "negative": True, "notes": []},
            )
            if keep:
                doc["incidents"].append(_incident(record, reading, record["corrections"]))
                doc["notes"].append(f"incident {record['id']} {record['status']}")
            if not noise:
                doc["negative"] = False
            else:
                doc["notes"].append(f"incident {record['id']} rejected: {NEGATIVE_REASON}")
    for document_id, doc in sorted(by_document.items()):
        if not doc["incidents"] and not doc["negative"]:
            continue
        reading = doc["reading"]
        yield {
            "id": f"marsad-{document_id}",
            "lang": reading["language"],
            "published": None if reading["published"] is None else reading["published"].isoformat(),
            "url": reading["url"],
            "text": reading["text"],
            "note": "Marsad analysts' decisions: " + "; ".join(doc["notes"]),
            "incidents": doc["incidents"],
        }


def _rejected_as_noise(store: Store, incident_id: int) -> bool:
    """Whether the incident's last rejection said it is not an incident at all."""
    for entry in reversed(store.incident_audit(incident_id)):
        if entry["action"] in ("status", "undo") and entry["to_value"] == "rejected":
            return str(entry["reason"] or "").startswith(NEGATIVE_REASON)
    return False


def write(
    store: Store,
    records: list[dict[str, Any]],
    out: BinaryIO,
    *,
    progress: Callable[[str, int | None], Step] | None = None,
) -> int:
    """Write the gold lines to the binary stream `out`; how many documents."""
    rejected = sum(r["status"] == "rejected" for r in records)
    task = None if progress is None else progress("Reading rejections", rejected)
    count = 0
    for line in documents(store, records, None if task is None else task.advance):
        out.write((json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8"))
        count += 1
    return count
