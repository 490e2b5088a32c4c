"""What `analyse` returns: incidents with their evidence, in the extraction contract's shape.

The dataclasses are frozen so an analysis can be shared and cached without being changed behind
anyone's back. `to_contract()` gives exactly the JSON shape of shared/eval/README.md; nothing
else leaves the package, so the pipeline, the command line and the scorer see the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import date

VIOLATION_TYPES = (
    "killing",
    "attack_on_civilians",
    "torture",
    "arbitrary_detention",
    "enforced_disappearance",
    "sexual_violence",
    "trafficking",
    "attack_on_civil_society",
    "repression_of_assembly",
    "forced_displacement",
)
ACTOR_CATEGORIES = (
    "state_forces",
    "armed_group",
    "coast_guard",
    "foreign_forces",
    "traffickers",
    "unidentified_armed_men",
)
VICTIM_GROUPS = (
    "civilians",
    "migrants_refugees",
    "protesters",
    "journalists",
    "activists",
    "detainees",
    "children",
    "women",
    "minorities",
    "medical_workers",
    "officials",
)
COUNT_KINDS = ("killed", "injured", "abducted", "detained")


@dataclass(frozen=True, slots=True)
class Evidence:
    """A sentence that raised the flag: `text == analysed_text[start:end]`."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class DateRange:
    start: date
    end: date
    precision: str  # "day" | "week" | "month" | "year"
    # True when the text states no date and the publication date stands in for it.
    from_publication: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "precision": self.precision,
        }


@dataclass(frozen=True, slots=True)
class DayMonth:
    """Days of a month written without a year ("16 February", "الـ16 من فبراير الماضي") in a
    text with no publication date to give them one: no date, yet a report of another month
    cannot be this one's event. `first` and `last` are days of `month` (1-12)."""

    month: int
    first: int
    last: int

    def to_dict(self) -> dict[str, int]:
        return {"month": self.month, "first": self.first, "last": self.last}


@dataclass(frozen=True, slots=True)
class Location:
    place_id: str
    name: str
    name_ar: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    kind: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "name_ar": self.name_ar,
            "admin1": self.admin1,
            "lat": self.lat,
            "lon": self.lon,
        }


@dataclass(frozen=True, slots=True)
class Perpetrator:
    name: str
    category: str
    aliases: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "category": self.category, "aliases": list(self.aliases)}


@dataclass(frozen=True, slots=True)
class Victim:
    group: str
    count: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"group": self.group, "count": self.count}


@dataclass(frozen=True, slots=True)
class Counts:
    killed: int | None = None
    injured: int | None = None
    abducted: int | None = None
    detained: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "killed": self.killed,
            "injured": self.injured,
            "abducted": self.abducted,
            "detained": self.detained,
        }


@dataclass(frozen=True, slots=True)
class Incident:
    types: tuple[str, ...]
    date: DateRange | None
    location: Location | None
    perpetrators: tuple[Perpetrator, ...]
    victims: tuple[Victim, ...]
    counts: Counts
    confidence: float
    evidence: tuple[Evidence, ...]
    # Kept for clustering, not part of the contract: the day and month an undated incident's
    # text gives without a year.
    day_month: DayMonth | None = None

    def to_contract(self) -> dict[str, Any]:
        return {
            "types": list(self.types),
            "date": self.date.to_dict() if self.date else None,
            "location": self.location.to_dict() if self.location else None,
            "perpetrators": [p.to_dict() for p in self.perpetrators],
            "victims": [v.to_dict() for v in self.victims],
            "counts": self.counts.to_dict(),
            "confidence": round(self.confidence, 2),
            "evidence": [e.to_dict() for e in self.evidence],
        }

    def to_stored(self) -> dict[str, Any]:
        """The contract shape, plus `day_month` when known: what the store keeps of it."""
        found = self.to_contract()
        if self.day_month is not None:
            found["day_month"] = self.day_month.to_dict()
        return found


@dataclass(frozen=True, slots=True)
class Analysis:
    language: str
    published: date | None
    incidents: tuple[Incident, ...] = field(default=())
    nlp_version: str = ""

    def to_contract(self) -> dict[str, Any]:
        """The contract's result object, without the document `id` (the caller owns that)."""
        return {
            "language": self.language,
            "published": self.published.isoformat() if self.published else None,
            "incidents": [i.to_contract() for i in self.incidents],
        }

    def stored_incidents(self) -> list[dict[str, Any]]:
        """The incidents as the store keeps them (`Incident.to_stored`)."""
        return [i.to_stored() for i in self.incidents]

    def to_dict(self) -> dict[str, Any]:
        """The contract shape plus the NLP version, as the pipeline stores it."""
        return {**self.to_contract(), "nlp_version": self.nlp_version}
