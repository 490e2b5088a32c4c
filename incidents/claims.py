"""What each source claims about an incident, kept apart: sources disagree on tolls, dates and
perpetrators, and an analyst must see who said what rather than one reconciled number."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

COUNTS = ("killed", "injured", "abducted", "detained")


@dataclass(frozen=True, slots=True)
class Claim:
    """One field's values across sources; `values` maps each stated value to its documents."""

    name: str
    values: dict[str, list[int]] = field(default_factory=dict)

    @property
    def disputed(self) -> bool:
        return len(self.values) > 1


def _date(source: dict[str, Any]) -> str | None:
    start, end = source.get("date_start"), source.get("date_end")
    if start is None:
        return None
    text = str(start) if end in (None, start) else f"{start} to {end}"
    precision = source.get("date_precision")
    return f"{text} ({precision})" if precision and precision != "day" else text


def _place(source: dict[str, Any]) -> str | None:
    return source.get("location_name") or source.get("location_name_ar")


def _perpetrators(source: dict[str, Any]) -> str | None:
    names = sorted(
        {
            str(p.get("name"))
            for p in (source.get("finding") or {}).get("perpetrators") or []
            if isinstance(p, dict) and p.get("name")
        }
    )
    return ", ".join(names) or None


def _count(name: str, source: dict[str, Any]) -> str | None:
    value = source.get(name)
    return None if value is None else str(value)


def claims(sources: Sequence[dict[str, Any]]) -> list[Claim]:
    """Per field, each value a current source states and which documents state it."""
    current = [s for s in sources if s.get("superseded_at") is None]
    readers: dict[str, Callable[[dict[str, Any]], str | None]] = {
        "date": _date,
        "place": _place,
        "perpetrators": _perpetrators,
    }
    for count in COUNTS:
        readers[count] = partial(_count, count)
    out = []
    for name, read in readers.items():
        claim = Claim(name)
        for source in current:
            value = read(source)
            if value is None:
                continue
            docs = claim.values.setdefault(value, [])
            if source["document_id"] not in docs:
                docs.append(int(source["document_id"]))
        if claim.values:
            out.append(claim)
    return out


def _types(source: dict[str, Any]) -> str | None:
    return ", ".join(t.replace("_", " ") for t in source.get("types") or []) or None


def _victims(source: dict[str, Any]) -> str | None:
    groups = [
        str(v["group"]) if not isinstance(v.get("count"), int) else f"{v['group']} {v['count']}"
        for v in (source.get("finding") or {}).get("victims") or []
        if isinstance(v, dict) and v.get("group")
    ]
    return ", ".join(groups) or None


def for_review(sources: Sequence[dict[str, Any]]) -> list[Claim]:
    """`claims`, with the types and the victim groups each source gives (what an analyst reads
    beside the sources; the exports' disputes stay those of `claims`)."""
    current = [s for s in sources if s.get("superseded_at") is None]
    extra = []
    for name, read in (("types", _types), ("victims", _victims)):
        claim = Claim(name)
        for source in current:
            value = read(source)
            if value is not None:
                docs = claim.values.setdefault(value, [])
                if source["document_id"] not in docs:
                    docs.append(int(source["document_id"]))
        if claim.values:
            extra.append(claim)
    return extra[:1] + claims(sources) + extra[1:]


def cues(name: str, source: dict[str, Any]) -> list[str]:
    """Words of a source's claim `name` to find in its evidence: the sentence that gave it."""
    finding = source.get("finding") or {}
    if name == "place":
        return [n for n in (source.get("location_name"), source.get("location_name_ar")) if n]
    if name == "date" and source.get("date_start") is not None:
        return [str(source["date_start"].day)]
    if name in COUNTS and source.get(name) is not None:
        return [str(source[name])]
    if name == "perpetrators":
        return [
            alias
            for p in finding.get("perpetrators") or []
            if isinstance(p, dict)
            for alias in [p.get("name"), *(p.get("aliases") or [])]
            if isinstance(alias, str) and alias
        ]
    return []


def lowest(sources: Sequence[dict[str, Any]], count: str) -> int | None:
    """The most conservative figure any current source gives (ACLED's practice for tolls)."""
    values = [
        int(s[count])
        for s in sources
        if s.get("superseded_at") is None and isinstance(s.get(count), int)
    ]
    return min(values) if values else None
