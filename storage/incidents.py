"""Incidents: candidates clustered into events, their review state, and the audit log.

The clustering rules live in `incidents.cluster`; this module holds only their SQL. The audit log is
append-only: every method that changes an incident's review state writes its audit entry in the
same transaction, and nothing here updates or deletes an audit row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from storage import actors, facets, search
from storage.rows import insert_rows

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Mapping, Sequence
    from contextlib import AbstractContextManager

    import duckdb

STATUSES = ("new", "in_review", "confirmed", "rejected", "duplicate", "sent")
OPEN = ("new", "in_review")

# Columns of `incidents` that clustering derives from the supporting candidates.
SUMMARY_COLUMNS = (
    "types",
    "confidence",
    "date_start",
    "date_end",
    "date_precision",
    "location_name",
    "location_name_ar",
    "admin1",
    "lat",
    "lon",
)

# The fields an analyst can correct, with the summary columns each one decides (counts,
# perpetrators and victims are read from the candidates, so a correction of them has none).
CORRECTABLE: dict[str, tuple[str, ...]] = {
    "types": ("types",),
    "date": ("date_start", "date_end", "date_precision"),
    "place": ("location_name", "location_name_ar", "admin1", "lat", "lon"),
    "killed": (),
    "injured": (),
    "abducted": (),
    "detained": (),
    "perpetrators": (),
    "victims": (),
}


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    """What the queue, the CLI and the exports select: every field narrows, None means any."""

    statuses: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    place: str | None = None
    district: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    source: str | None = None
    language: str | None = None
    min_confidence: float | None = None
    text: str | None = None
    assignee: str | None = None
    tag: str | None = None
    # Reviewed incidents with a new source or a changed claim since the last decision.
    updated: bool = False
    ids: tuple[int, ...] = field(default=())
    # Facet choices beyond status and type (`storage.facets`): (facet, values) pairs, each
    # taking any of its values.
    facets: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # With a date range, keep the incidents whose date is not known as well.
    undated: bool = False
    # Perpetrators (`storage.actors`): any of these actors, each within its dates.
    actors: tuple[actors.Span, ...] = ()

    def where(self) -> tuple[str, list[Any]]:
        """The SQL condition on incidents `i` and its parameters.

        An incident's sources and languages are read from its own columns (kept up to date as
        members come and go); conditions that must look at its candidates or documents are
        `i.id IN (...)` rather than correlated EXISTS: DuckDB then filters the candidates or
        documents once and joins, three times faster on a million candidates."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.ids:
            clauses.append(f"i.id IN ({', '.join('?' for _ in self.ids)})")
            params.extend(self.ids)
        if self.statuses:
            clauses.append(f"i.status IN ({', '.join('?' for _ in self.statuses)})")
            params.extend(self.statuses)
        if self.types:
            # One list_contains per type: list_has_any is several times slower in DuckDB.
            either = " OR ".join("list_contains(i.types, ?)" for _ in self.types)
            clauses.append(f"({either})")
            params.extend(self.types)
        if self.place:
            # The incident's own place, or any its sources give (kept on the incident), under
            # any of the gazetteer's spellings.
            place, more = search.place_condition(self.place)
            clauses.append(place)
            params.extend(more)
        if self.district:
            clauses.append("i.admin1 ILIKE ?")
            params.append(f"%{_like(self.district)}%")
        undated = "i.date_start IS NULL OR " if self.undated else ""
        if self.date_from is not None:
            clauses.append(f"({undated}i.date_end >= ?)")
            params.append(self.date_from)
        if self.date_to is not None:
            clauses.append(f"({undated}i.date_start <= ?)")
            params.append(self.date_to)
        if self.source:
            clauses.append("list_contains(i.sources, ?)")
            params.append(self.source)
        if self.language:
            clauses.append("list_contains(i.languages, ?)")
            params.append(self.language)
        if self.min_confidence is not None:
            clauses.append("i.confidence >= ?")
            params.append(self.min_confidence)
        if self.text:
            found, more = search.condition(search.parse(self.text))
            clauses.append(found)
            params.extend(more)
        if self.assignee:
            clauses.append("i.assignee = ?")
            params.append(self.assignee)
        if self.tag:
            clauses.append("list_contains(i.tags, ?)")
            params.append(self.tag)
        if self.updated:
            clauses.append(UPDATED_SINCE_REVIEW)
        for name, values in self.facets:
            if values:
                chosen, more = facets.condition(name, values)
                clauses.append(chosen)
                params.extend(more)
        if self.actors:
            named, more = actors.condition(self.actors)
            clauses.append(named)
            params.extend(more)
        return (" AND ".join(clauses) or "TRUE"), params


# A reviewed incident that gained a source or a changed claim after the last decision on it.
UPDATED_SINCE_REVIEW = (
    "(i.reviewed_at IS NOT NULL AND i.changed_at > i.reviewed_at "
    "AND i.status NOT IN ('new', 'duplicate'))"
)


def updated_since_review(row: dict[str, Any]) -> bool:
    """`UPDATED_SINCE_REVIEW` for an incident row already read."""
    reviewed, changed = row.get("reviewed_at"), row.get("changed_at")
    return (
        reviewed is not None
        and changed is not None
        and changed > reviewed
        and row["status"] not in ("new", "duplicate")
    )


# The queue's orders, each a key read in descending order; the id makes every key unique, so
# an incident's neighbours are the next key down and the next key up. (An undated incident
# sorts as the earliest.)
_KEYS = {
    "confidence": ("i.confidence", "i.last_source_at", "i.id"),
    "recent": ("i.last_source_at", "i.confidence", "i.id"),
    "date": ("coalesce(i.date_start, DATE '0001-01-01')", "i.confidence", "i.id"),
    # The queue's other columns (text sorts with the missing first, read in reverse).
    "id": ("i.id",),
    "status": ("i.status", "i.confidence", "i.id"),
    "types": ("coalesce(i.types[1], '')", "i.confidence", "i.id"),
    "place": ("coalesce(i.location_name, i.location_name_ar, '')", "i.confidence", "i.id"),
    "documents": ("i.documents", "i.confidence", "i.id"),
    "title": ("coalesce(i.title, '')", "i.confidence", "i.id"),
    "assignee": ("coalesce(i.assignee, '')", "i.confidence", "i.id"),
}
# The columns the other orders read beyond id, confidence, recency and date.
_SORTED_BY = {
    "status": ", i.status",
    "types": ", i.types",
    "place": ", i.location_name, i.location_name_ar",
    "documents": ", i.documents",
    "title": ", i.title",
    "assignee": ", i.assignee",
}
# Every order also reversed, named with a leading "-": ascending on every key.
ORDERS = (*_KEYS, *(f"-{name}" for name in _KEYS))
_ORDERINGS = {name: ", ".join(f"{k} DESC" for k in key) for name, key in _KEYS.items()} | {
    f"-{name}": ", ".join(f"{k} ASC" for k in key) for name, key in _KEYS.items()
}


def _place_names(candidates: Iterable[dict[str, Any]]) -> str:
    """The place names candidates give, English and Arabic, one a line (what the place filter
    searches; a line break is in no place name)."""
    names = {
        name
        for c in candidates
        for name in (c.get("location_name"), c.get("location_name_ar"))
        if name
    }
    return "\n".join(sorted(names))


def _perpetrator_names(findings: Iterable[dict[str, Any]]) -> list[str]:
    """The perpetrators findings name, each once (what the perpetrator facet counts)."""
    names = {
        p["name"].strip()
        for f in findings
        for p in f.get("perpetrators") or []
        if isinstance(p, dict) and isinstance(p.get("name"), str) and p["name"].strip()
    }
    return sorted(names)


def _like(text: str) -> str:
    """`text` as a literal inside an ILIKE pattern (DuckDB's default escape is backslash)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _now() -> datetime:
    return datetime.now(UTC)


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    if isinstance(row.get("finding"), str):
        row["finding"] = json.loads(row["finding"])
    return row


class IncidentQueries:
    """Store mixin: incidents, their supporting candidates, review state and audit log."""

    if TYPE_CHECKING:
        # Provided by `Store`, which this mixin is part of.
        def transaction(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]: ...

        def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...

        def _one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None: ...

    # -- clustering -----------------------------------------------------------------------------

    def unclustered_candidates(
        self, documents: Sequence[int] | None = None
    ) -> list[dict[str, Any]]:
        """Current candidates (of these documents, or all) that support no incident yet, in
        document order, with their document's publication date (`published`), which clustering
        compares with the events of the incidents they might join."""
        if documents is None:
            sql = (
                "SELECT c.*, d.published FROM candidates c "
                "JOIN documents d ON d.id = c.document_id WHERE c.superseded_at IS NULL "
                "AND NOT EXISTS (SELECT 1 FROM incident_members m WHERE m.candidate_id = c.id) "
                "ORDER BY c.document_id, c.ordinal, c.id"
            )
            params: list[Any] = []
        else:
            if not documents:
                return []
            # Narrowed to the documents on both sides first: an anti-join against every
            # membership costs tens of milliseconds on a million candidates.
            marks = ", ".join("?" * len(documents))
            sql = (
                "SELECT c.*, d.published FROM candidates c "  # noqa: S608
                f"JOIN documents d ON d.id = c.document_id WHERE c.document_id IN ({marks}) "
                "AND c.superseded_at IS NULL AND c.id NOT IN "
                f"(SELECT m.candidate_id FROM incident_members m WHERE m.document_id IN ({marks})) "
                "ORDER BY c.document_id, c.ordinal, c.id"
            )
            params = [*documents, *documents]
        rows = self._rows(sql, params)
        return [_decode(r) for r in rows]

    def incidents_of_superseded(self, document_id: int) -> list[int]:
        """Incidents that superseded candidates of this document supported (before re-analysis)."""
        return [
            int(r["incident_id"])
            for r in self._rows(
                "SELECT DISTINCT m.incident_id FROM incident_members m "
                "JOIN candidates c ON c.id = m.candidate_id "
                "JOIN incidents i ON i.id = m.incident_id "
                "WHERE m.document_id = ? AND c.superseded_at IS NOT NULL "
                "AND i.status <> 'duplicate' ORDER BY 1",
                [document_id],
            )
        ]

    def incidents_with_keys(self, keys: Iterable[str]) -> list[int]:
        """Live (not merged away) incidents indexed under any of `keys`."""
        wanted = sorted(set(keys))
        if not wanted:
            return []
        return [
            int(r["incident_id"])
            for r in self._rows(
                "SELECT DISTINCT incident_id FROM incident_keys WHERE key IN "  # noqa: S608
                f"({', '.join('?' for _ in wanted)}) ORDER BY 1",
                wanted,
            )
        ]

    def member_candidates(
        self, incident_ids: Sequence[int], *, current: bool = True
    ) -> list[dict[str, Any]]:
        """Candidates supporting these incidents, with `incident_id`, `is_new` and their
        document's publication date (`published`): the columns clustering compares, without the
        timestamps (converting a timestamp with its time zone to Python costs more than the
        query, and clustering reads thousands of rows a call)."""
        if not incident_ids:
            return []
        only = "WHERE c.superseded_at IS NULL" if current else ""
        rows = self._rows(
            "SELECT c.id, c.document_id, c.nlp_version, c.ordinal, c.types, c.confidence, "  # noqa: S608
            "c.date_start, c.date_end, c.date_precision, c.location_name, c.location_name_ar, "
            "c.admin1, c.lat, c.lon, c.killed, c.injured, c.abducted, c.detained, c.finding, "
            "c.yearless_month, c.yearless_first, c.yearless_last, m.incident_id, m.is_new, "
            "d.published "
            "FROM candidates c JOIN (SELECT * FROM incident_members "
            "WHERE list_contains(?::BIGINT[], incident_id)) m ON m.candidate_id = c.id "
            "JOIN documents d ON d.id = c.document_id "
            f"{only} "
            "ORDER BY m.incident_id, m.attached_at, c.id",
            [list(incident_ids)],
        )
        return [_decode(r) for r in rows]

    def attach_candidate(
        self,
        candidate: dict[str, Any],
        incident_id: int | None,
        *,
        summary: dict[str, Any],
        keys: Iterable[str],
        actor: str,
        is_new: bool,
        reason: str,
    ) -> int:
        """Attach `candidate` to an incident (a new one when `incident_id` is None), store the
        incident's recomputed summary and blocking keys, and log it; return the incident id."""
        now = _now()
        values = [summary[c] for c in SUMMARY_COLUMNS]
        with self.transaction() as db:
            if incident_id is None:
                # A new incident has one document: what the queue shows of it is that
                # document's, read in the same statement; it has no keys to replace yet.
                row = db.execute(
                    f"INSERT INTO incidents (status, tags, {', '.join(SUMMARY_COLUMNS)}, "  # noqa: S608
                    "created_at, updated_at, last_source_at, documents, new_sources, sources, "
                    "languages, title, place_names, perpetrators) SELECT 'new', [], "
                    f"{', '.join('?' for _ in SUMMARY_COLUMNS)}, ?, ?, ?, 1, ?, [d.source], "
                    "CASE WHEN d.language IS NULL THEN [] ELSE [d.language] END, d.title, ?, ? "
                    "FROM documents d WHERE d.id = ? RETURNING id",
                    [
                        *values,
                        now,
                        now,
                        now,
                        int(is_new),
                        _place_names([candidate]),
                        _perpetrator_names([candidate.get("finding") or {}]),
                        candidate["document_id"],
                    ],
                ).fetchone()
                assert row is not None
                incident_id = int(row[0])
                action, to_value = "created", "new"
                self._add_member(db, candidate, incident_id, now, actor, is_new)
            else:
                changed = self._changes_claims(db, candidate, incident_id)
                self._add_member(db, candidate, incident_id, now, actor, is_new)
                kept = self._corrected_columns(db, incident_id)
                self._refresh_documents(
                    db,
                    incident_id,
                    also={
                        c: v for c, v in zip(SUMMARY_COLUMNS, values, strict=True) if c not in kept
                    }
                    | {"updated_at": now, "last_source_at": now}
                    | ({"changed_at": now} if changed else {}),
                )
                db.execute("DELETE FROM incident_keys WHERE incident_id = ?", [incident_id])
                action, to_value = "attached", None
            insert_rows(
                db,
                "incident_keys",
                ("key", "incident_id"),
                [(key, incident_id) for key in sorted(set(keys))],
            )
            self._audit(
                db,
                incident_id,
                actor,
                action,
                None,
                to_value or f"document {candidate['document_id']}",
                reason,
                now,
            )
        return incident_id

    @staticmethod
    def _changes_claims(
        db: duckdb.DuckDBPyConnection, candidate: dict[str, Any], incident_id: int
    ) -> bool:
        """Whether attaching `candidate` tells the incident something new: a document it did
        not have, or a re-reading of one that claims otherwise than the last reading did."""
        before = db.execute(
            "SELECT c.types, c.date_start, c.date_end, c.location_name, c.killed, c.injured, "
            "c.abducted, c.detained, c.finding->'$.perpetrators' FROM incident_members m "
            "JOIN candidates c ON c.id = m.candidate_id "
            "WHERE m.incident_id = ? AND m.document_id = ? ORDER BY c.id DESC LIMIT 1",
            [incident_id, candidate["document_id"]],
        ).fetchone()
        if before is None:
            return True
        finding = candidate.get("finding") or {}
        now = (
            list(candidate.get("types") or []),
            candidate.get("date_start"),
            candidate.get("date_end"),
            candidate.get("location_name"),
            candidate.get("killed"),
            candidate.get("injured"),
            candidate.get("abducted"),
            candidate.get("detained"),
            finding.get("perpetrators") or [],
        )
        perpetrators = json.loads(before[8]) if before[8] else []
        return (list(before[0]), *before[1:8], perpetrators) != now

    @staticmethod
    def _add_member(
        db: duckdb.DuckDBPyConnection,
        candidate: dict[str, Any],
        incident_id: int,
        now: datetime,
        actor: str,
        is_new: bool,
    ) -> None:
        db.execute(
            "INSERT INTO incident_members (candidate_id, incident_id, document_id, "
            "attached_at, attached_by, is_new) VALUES (?, ?, ?, ?, ?, ?)",
            [candidate["id"], incident_id, candidate["document_id"], now, actor, is_new],
        )

    def refresh_incident(
        self, incident_id: int, *, summary: dict[str, Any], keys: Iterable[str]
    ) -> None:
        """Store a recomputed summary (after a merge or re-analysis); review state and the
        columns of fields an analyst corrected untouched."""
        with self.transaction() as db:
            kept = self._corrected_columns(db, incident_id)
            columns = [c for c in SUMMARY_COLUMNS if c not in kept]
            db.execute(
                f"UPDATE incidents SET {', '.join(f'{c} = ?' for c in columns)}, "  # noqa: S608
                "updated_at = ? WHERE id = ?",
                [*(summary[c] for c in columns), _now(), incident_id],
            )
            self._replace_keys(db, {incident_id: keys})

    @staticmethod
    def _corrected_columns(db: duckdb.DuckDBPyConnection, incident_id: int) -> set[str]:
        """Summary columns an analyst's correction holds: clustering leaves them alone."""
        fields = db.execute(
            "SELECT field FROM incident_corrections WHERE incident_id = ?", [incident_id]
        ).fetchall()
        return {c for (name,) in fields for c in CORRECTABLE.get(str(name), ())}

    @staticmethod
    def _refresh_documents(
        db: duckdb.DuckDBPyConnection, incident_id: int, *, also: dict[str, Any] | None = None
    ) -> None:
        """Recompute what the queue shows of the incident's documents (count, sources,
        languages, first title, new sources), the place names its candidates give and the
        perpetrators its current ones name (unless an analyst corrected them), from its
        memberships; set the `also` columns in the same statement.

        Narrow reads, each answered from an index (DuckDB scans the primary key for an
        `IN (SELECT unnest(...))` of a few ids), cost a few milliseconds where a join would
        read every document or candidate."""
        members = db.execute(
            "SELECT document_id, is_new, candidate_id FROM incident_members WHERE incident_id = ?",
            [incident_id],
        ).fetchall()
        documents = sorted({int(document_id) for document_id, _, _ in members})
        places = db.execute(
            "SELECT location_name, location_name_ar, superseded_at IS NULL, "
            "finding->'$.perpetrators' FROM candidates "
            "WHERE id IN (SELECT unnest(?::BIGINT[]))",
            [[int(candidate_id) for _, _, candidate_id in members]],
        ).fetchall()
        perpetrators = IncidentQueries._corrected_perpetrators(db, incident_id)
        if perpetrators is None:
            perpetrators = _perpetrator_names(
                {"perpetrators": json.loads(found) if found else []}
                for _, _, current, found in places
                if current
            )
        rows = db.execute(
            "SELECT id, source, language, title FROM documents "
            "WHERE id IN (SELECT unnest(?::BIGINT[])) ORDER BY id",
            [documents],
        ).fetchall()
        columns = {
            "documents": len(documents),
            "new_sources": sum(1 for _, is_new, _ in members if is_new),
            "sources": sorted({str(source) for _, source, _, _ in rows}),
            "languages": sorted({str(lang) for _, _, lang, _ in rows if lang is not None}),
            "title": next((title for _, _, _, title in rows if title is not None), None),
            "place_names": _place_names(
                [{"location_name": n, "location_name_ar": a} for n, a, _, _ in places]
            ),
            "perpetrators": perpetrators,
        } | (also or {})
        db.execute(
            f"UPDATE incidents SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",  # noqa: S608 - names are ours
            [*columns.values(), incident_id],
        )

    @staticmethod
    def _corrected_perpetrators(
        db: duckdb.DuckDBPyConnection, incident_id: int
    ) -> list[str] | None:
        """The analyst's perpetrators of the incident, if corrected (they win in the facet as
        everywhere)."""
        row = db.execute(
            "SELECT value FROM incident_corrections WHERE incident_id = ? "
            "AND field = 'perpetrators'",
            [incident_id],
        ).fetchone()
        if row is None:
            return None
        return _perpetrator_names(
            [{"perpetrators": [{"name": n} for n in json.loads(row[0]) or []]}]
        )

    def live_incident_ids(self, *, after: int = 0, limit: int = 1000) -> list[int]:
        """Ids of the incidents not merged away, in order, the first `limit` after `after`."""
        rows = self._rows(
            "SELECT id FROM incidents WHERE merged_into IS NULL AND id > ? ORDER BY id LIMIT ?",
            [after, limit],
        )
        return [int(r["id"]) for r in rows]

    def replace_incident_keys(self, keys: Mapping[int, Iterable[str]]) -> None:
        """File these incidents under these blocking keys instead of their own, in one
        transaction; summaries and review state untouched."""
        if keys:
            with self.transaction() as db:
                self._replace_keys(db, keys)

    @staticmethod
    def _replace_keys(db: duckdb.DuckDBPyConnection, keys: Mapping[int, Iterable[str]]) -> None:
        db.execute(
            "DELETE FROM incident_keys WHERE list_contains(?::BIGINT[], incident_id)",
            [sorted(keys)],
        )
        insert_rows(
            db,
            "incident_keys",
            ("key", "incident_id"),
            [(key, i) for i, found in sorted(keys.items()) for key in sorted(set(found))],
        )

    @staticmethod
    def _audit(
        db: duckdb.DuckDBPyConnection,
        incident_id: int,
        actor: str,
        action: str,
        from_value: str | None,
        to_value: str | None,
        reason: str | None,
        at: datetime | None = None,
        field: str | None = None,
    ) -> int:
        row = db.execute(
            "INSERT INTO incident_audit (incident_id, logged_at, actor, action, from_value, "
            "to_value, reason, field) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [incident_id, at or _now(), actor, action, from_value, to_value, reason or None, field],
        ).fetchone()
        assert row is not None
        return int(row[0])

    # -- review -------------------------------------------------------------------------------

    def set_incident_status(
        self, incident_id: int, status: str, *, actor: str, reason: str | None = None
    ) -> str:
        """Move an incident to `status`; return the status it had. Merging is `merge_incidents`;
        the workflow's rules are `incidents.workflow`'s, which calls `change_incident_status`."""
        return self.change_incident_status(incident_id, status, actor=actor, reason=reason)[0]

    def change_incident_status(
        self,
        incident_id: int,
        status: str,
        *,
        actor: str,
        reason: str | None = None,
        allowed_from: Collection[str] | None = None,
        action: str = "status",
    ) -> tuple[str, int | None]:
        """Move an incident to `status` if its status now is one of `allowed_from` (any when
        None), checked in the same transaction; the status it had and the audit entry's id (None
        when it already had that status)."""
        if status not in STATUSES or status == "duplicate":
            raise ValueError(f"cannot set status {status!r} directly")
        with self.transaction() as db:
            old = self._status(db, incident_id)
            if old == "duplicate":
                raise ValueError(f"incident {incident_id} was merged into another")
            if old == status:
                return old, None
            if allowed_from is not None and old not in allowed_from:
                raise ValueError(
                    f"incident {incident_id} is {old.replace('_', ' ')}: it cannot become "
                    f"{status.replace('_', ' ')} from there"
                )
            now = _now()
            db.execute(
                "UPDATE incidents SET status = ?, updated_at = ?, reviewed_at = ? WHERE id = ?",
                [status, now, now, incident_id],
            )
            entry = self._audit(db, incident_id, actor, action, old, status, reason, now)
        return old, entry

    def set_incident_field(
        self,
        incident_id: int,
        name: str,
        value: str | list[str] | None,
        *,
        actor: str,
        reason: str | None = None,
    ) -> None:
        """Set the assignee, notes or tags; the audit keeps the old and new values."""
        if name not in ("assignee", "notes", "tags"):
            raise ValueError(f"not an analyst field: {name!r}")
        with self.transaction() as db:
            self._status(db, incident_id)
            row = db.execute(
                f"SELECT {name} FROM incidents WHERE id = ?",  # noqa: S608 - checked name
                [incident_id],
            ).fetchone()
            assert row is not None
            old = row[0]
            if name == "tags":
                value = sorted({t for t in (value or []) if t})
            if old == value or (name == "tags" and list(old) == value):
                return
            db.execute(
                f"UPDATE incidents SET {name} = ?, updated_at = ? WHERE id = ?",  # noqa: S608
                [value, _now(), incident_id],
            )
            self._audit(db, incident_id, actor, name, _text(old), _text(value), reason)

    def set_correction(
        self,
        incident_id: int,
        field: str,
        value: Any,
        *,
        columns: dict[str, Any],
        actor: str,
        reason: str | None,
        from_text: str | None,
        to_text: str | None,
    ) -> None:
        """Record an analyst's value for `field` (the summary `columns` it decides set with it),
        and audit the change from `from_text` to `to_text`."""
        self._check_correction(field, columns)
        now = _now()
        with self.transaction() as db:
            self._status(db, incident_id)
            db.execute(
                "INSERT OR REPLACE INTO incident_corrections (incident_id, field, value, set_by, "
                "set_at, reason) VALUES (?, ?, ?, ?, ?, ?)",
                [incident_id, field, json.dumps(value, ensure_ascii=False), actor, now, reason],
            )
            self._set_columns(db, incident_id, columns, now)
            if field == "perpetrators":
                self._refresh_documents(db, incident_id)
            self._audit(
                db, incident_id, actor, "corrected", from_text, to_text, reason, now, field=field
            )

    def clear_correction(
        self,
        incident_id: int,
        field: str,
        *,
        columns: dict[str, Any],
        actor: str,
        reason: str | None,
        from_text: str | None,
        to_text: str | None,
    ) -> bool:
        """Drop the analyst's value for `field`, putting back the machine's summary `columns`;
        whether there was one."""
        self._check_correction(field, columns)
        now = _now()
        with self.transaction() as db:
            self._status(db, incident_id)
            found = db.execute(
                "DELETE FROM incident_corrections WHERE incident_id = ? AND field = ? RETURNING 1",
                [incident_id, field],
            ).fetchall()
            if not found:
                return False
            self._set_columns(db, incident_id, columns, now)
            if field == "perpetrators":
                self._refresh_documents(db, incident_id)
            self._audit(
                db, incident_id, actor, "uncorrected", from_text, to_text, reason, now, field=field
            )
        return True

    @staticmethod
    def _check_correction(field: str, columns: dict[str, Any]) -> None:
        if field not in CORRECTABLE:
            raise ValueError(f"not a correctable field: {field!r}")
        if set(columns) != set(CORRECTABLE[field]):
            raise ValueError(f"a correction of {field} sets {', '.join(CORRECTABLE[field])}")

    @staticmethod
    def _set_columns(
        db: duckdb.DuckDBPyConnection, incident_id: int, columns: dict[str, Any], now: datetime
    ) -> None:
        values = {**columns, "updated_at": now}
        db.execute(
            f"UPDATE incidents SET {', '.join(f'{c} = ?' for c in values)} WHERE id = ?",  # noqa: S608 - names are checked against CORRECTABLE
            [*values.values(), incident_id],
        )

    def incident_corrections(self, incident_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """Per incident, per corrected field: `value`, `set_by`, `set_at`, `reason`."""
        if not incident_ids:
            return {}
        found: dict[int, dict[str, Any]] = {}
        for row in self._rows(
            "SELECT * FROM incident_corrections WHERE list_contains(?::BIGINT[], incident_id) "
            "ORDER BY incident_id, field",
            [list(incident_ids)],
        ):
            incident_id = int(row.pop("incident_id"))
            name = str(row.pop("field"))
            row["value"] = json.loads(row["value"]) if row["value"] is not None else None
            found.setdefault(incident_id, {})[name] = row
        return found

    def merge_incidents(
        self,
        source_id: int,
        target_id: int,
        *,
        actor: str,
        reason: str | None = None,
        new_sources: bool = False,
    ) -> int:
        """Mark `source_id` a duplicate of `target_id` and move its candidates there; return the
        audit entry of the merge. The moves are recorded so that `unmerge_incident` can undo it.

        The target keeps its own review state; the caller recomputes its summary. With
        `new_sources` (clustering merging into an incident an analyst has acted on), the moved
        sources are marked new there and the target counts as changed since its review, as a
        source clustering attaches is.
        """
        if source_id == target_id:
            raise ValueError("an incident cannot be merged into itself")
        now = _now()
        with self.transaction() as db:
            old = self._status(db, source_id)
            if old == "duplicate":
                raise ValueError(f"incident {source_id} was already merged")
            if self._status(db, target_id) == "duplicate":
                raise ValueError(f"incident {target_id} was merged into another")
            moved = [
                int(r[0])
                for r in db.execute(
                    "SELECT candidate_id FROM incident_members WHERE incident_id = ? ORDER BY 1",
                    [source_id],
                ).fetchall()
            ]
            db.execute(
                "INSERT INTO incident_merges (source_id, target_id, candidates, source_status, "
                "merged_at, merged_by) VALUES (?, ?, ?, ?, ?, ?)",
                [source_id, target_id, moved, old, now, actor],
            )
            db.execute(
                "UPDATE incidents SET status = 'duplicate', merged_into = ?, updated_at = ? "
                "WHERE id = ?",
                [target_id, now, source_id],
            )
            db.execute(
                "UPDATE incident_members SET incident_id = ?, is_new = is_new OR ? "
                "WHERE incident_id = ?",
                [target_id, new_sources, source_id],
            )
            db.execute("DELETE FROM incident_keys WHERE incident_id = ?", [source_id])
            self._refresh_documents(db, source_id)
            self._refresh_documents(db, target_id)
            db.execute(
                "UPDATE incidents SET updated_at = ?, last_source_at = ?, "
                "changed_at = CASE WHEN ? THEN ? ELSE changed_at END WHERE id = ?",
                [now, now, new_sources, now, target_id],
            )
            entry = self._audit(
                db, source_id, actor, "merged", old, f"incident {target_id}", reason, now
            )
            self._audit(
                db, target_id, actor, "absorbed", None, f"incident {source_id}", reason, now
            )
        return entry

    def unmerge_incident(self, source_id: int, *, actor: str, reason: str | None = None) -> int:
        """Undo the merge that made `source_id` a duplicate: its candidates still in the target
        come back, with the status it had; return the target. The caller recomputes both
        summaries."""
        now = _now()
        with self.transaction() as db:
            if self._status(db, source_id) != "duplicate":
                raise ValueError(f"incident {source_id} is not marked as a duplicate")
            found = db.execute(
                "SELECT id, target_id, candidates, source_status FROM incident_merges "
                "WHERE source_id = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1",
                [source_id],
            ).fetchone()
            if found is None:
                raise ValueError(f"no record of how incident {source_id} was merged")
            merge_id, target_id, moved, status = int(found[0]), int(found[1]), found[2], found[3]
            if self._status(db, target_id) == "duplicate":
                raise ValueError(
                    f"incident {target_id} was since merged into another: undo that merge first"
                )
            db.execute(
                "UPDATE incident_members SET incident_id = ? "
                "WHERE incident_id = ? AND list_contains(?::BIGINT[], candidate_id)",
                [source_id, target_id, list(moved)],
            )
            db.execute(
                "UPDATE incidents SET status = ?, merged_into = NULL, updated_at = ? WHERE id = ?",
                [status, now, source_id],
            )
            db.execute("UPDATE incident_merges SET undone_at = ? WHERE id = ?", [now, merge_id])
            self._refresh_documents(db, source_id)
            self._refresh_documents(db, target_id)
            db.execute("UPDATE incidents SET updated_at = ? WHERE id = ?", [now, target_id])
            self._audit(
                db, source_id, actor, "unmerged", f"incident {target_id}", status, reason, now
            )
            self._audit(
                db, target_id, actor, "released", f"incident {source_id}", None, reason, now
            )
        return target_id

    def move_document(
        self,
        document_id: int,
        source_id: int,
        target_id: int,
        *,
        actor: str,
        reason: str,
        is_new: bool,
    ) -> None:
        """Move the document's candidates from incident `source_id` to `target_id` (clustering
        placing a report again once a better match has arrived), with the move in both
        histories. The caller recomputes both summaries and keys."""
        now = _now()
        with self.transaction() as db:
            for incident_id in (source_id, target_id):
                if self._status(db, incident_id) == "duplicate":
                    raise ValueError(f"incident {incident_id} was merged into another")
            moved = db.execute(
                "UPDATE incident_members SET incident_id = ?, is_new = ?, attached_at = ?, "
                "attached_by = ? WHERE incident_id = ? AND document_id = ? RETURNING candidate_id",
                [target_id, is_new, now, actor, source_id, document_id],
            ).fetchall()
            if not moved:
                raise ValueError(f"document {document_id} supports no incident {source_id}")
            self._refresh_documents(db, source_id, also={"updated_at": now})
            self._refresh_documents(db, target_id, also={"updated_at": now, "last_source_at": now})
            self._audit(
                db, source_id, actor, "detached", f"document {document_id}", None, reason, now
            )
            self._audit(
                db,
                target_id,
                actor,
                "attached",
                f"incident {source_id}",
                f"document {document_id}",
                reason,
                now,
            )

    def split_incident(
        self,
        incident_id: int,
        candidate_ids: Sequence[int],
        *,
        summary: dict[str, Any],
        keys: Iterable[str],
        actor: str,
        reason: str | None = None,
    ) -> int:
        """Move `candidate_ids` (members of `incident_id`) to a new incident with `summary` and
        `keys`; return its id. Both keep their histories; the caller recomputes the old
        incident's summary."""
        chosen = sorted(set(candidate_ids))
        if not chosen:
            raise ValueError("choose the sources that go to the new incident")
        now = _now()
        with self.transaction() as db:
            status = self._status(db, incident_id)
            if status == "duplicate":
                raise ValueError(f"incident {incident_id} was merged into another")
            members = {
                int(r[0])
                for r in db.execute(
                    "SELECT candidate_id FROM incident_members WHERE incident_id = ?",
                    [incident_id],
                ).fetchall()
            }
            stray = [c for c in chosen if c not in members]
            if stray:
                raise ValueError(f"not sources of incident {incident_id}: {stray}")
            if members <= set(chosen):
                raise ValueError("leave at least one source on the incident being split")
            values = [summary[c] for c in SUMMARY_COLUMNS]
            row = db.execute(
                f"INSERT INTO incidents (status, tags, {', '.join(SUMMARY_COLUMNS)}, "  # noqa: S608
                "created_at, updated_at, last_source_at) VALUES ('new', [], "
                f"{', '.join('?' for _ in SUMMARY_COLUMNS)}, ?, ?, ?) RETURNING id",
                [*values, now, now, now],
            ).fetchone()
            assert row is not None
            new_id = int(row[0])
            db.execute(
                "UPDATE incident_members SET incident_id = ?, is_new = FALSE "
                "WHERE list_contains(?::BIGINT[], candidate_id)",
                [new_id, chosen],
            )
            self._replace_keys(db, {new_id: keys})
            self._refresh_documents(db, new_id)
            self._refresh_documents(db, incident_id, also={"updated_at": now})
            self._audit(
                db, new_id, actor, "created", None, "new", f"split from incident {incident_id}"
            )
            self._audit(db, incident_id, actor, "split", None, f"incident {new_id}", reason, now)
        return new_id

    def acknowledge_new_sources(self, incident_id: int, *, actor: str) -> int:
        """Clear the "new" mark of sources attached after a decision, and take the incident out
        of "updated since review"; return how many sources were marked."""
        with self.transaction() as db:
            self._status(db, incident_id)
            row = db.execute(
                "SELECT count(*) FILTER (WHERE m.is_new), any_value(i.changed_at > i.reviewed_at) "
                "FROM incidents i LEFT JOIN incident_members m ON m.incident_id = i.id "
                "WHERE i.id = ?",
                [incident_id],
            ).fetchone()
            count, updated = (int(row[0]), bool(row[1])) if row else (0, False)
            if count or updated:
                db.execute(
                    "UPDATE incident_members SET is_new = FALSE WHERE incident_id = ?",
                    [incident_id],
                )
                db.execute(
                    "UPDATE incidents SET new_sources = 0, reviewed_at = ? WHERE id = ?",
                    [_now(), incident_id],
                )
                self._audit(
                    db, incident_id, actor, "acknowledged", None, f"{count} new source(s)", None
                )
        return count

    @staticmethod
    def _status(db: duckdb.DuckDBPyConnection, incident_id: int) -> str:
        row = db.execute("SELECT status FROM incidents WHERE id = ?", [incident_id]).fetchone()
        if row is None:
            raise KeyError(f"no incident {incident_id}")
        return str(row[0])

    # -- reading --------------------------------------------------------------------------------

    def incident_status(self, incident_id: int) -> str | None:
        row = self._one("SELECT status FROM incidents WHERE id = ?", [incident_id])
        return None if row is None else str(row["status"])

    def incident(self, incident_id: int) -> dict[str, Any] | None:
        rows = self._incident_rows([incident_id])
        return rows[0] if rows else None

    def incident_queue(
        self,
        where: IncidentFilter | None = None,
        *,
        order: str = "confidence",
        limit: int | None = 200,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Incidents matching `where`, in the queue's `order` (relevance: best match first)."""
        # The page's ids are chosen first, then only its rows read: sorting whole rows (lists
        # and all) to keep a hundred costs several times more.
        return self._incident_rows(
            self.incident_ids(where, order=order, limit=limit, offset=offset)
        )

    def incident_page(
        self,
        where: IncidentFilter | None = None,
        *,
        order: str = "confidence",
        size: int,
        number: int,
    ) -> tuple[list[dict[str, Any]], int]:
        """Page `number` (from 1) of the queue and how many incidents match in all.

        The filter is evaluated once for both, into a table of the matches' sort keys: on a
        place, source or language filter it is most of the cost of a page. (A total by window,
        `count(*) OVER ()`, makes DuckDB carry every match through the sort instead.)"""
        if order == "relevance":
            ids, total = search.ranked_page(
                self, where or IncidentFilter(), limit=size, offset=(number - 1) * size
            )
            return self._incident_rows(ids), total
        condition, params = (where or IncidentFilter()).where()
        found = self._rows(
            "WITH matched AS MATERIALIZED (SELECT i.id, i.confidence, i.last_source_at, "  # noqa: S608 - condition and order are built from fixed parts
            f"i.date_start{_SORTED_BY.get(order.lstrip('-'), '')} FROM incidents i "
            f"WHERE {condition}) "
            "SELECT i.id, (SELECT count(*) FROM matched) AS total FROM matched i "
            f"ORDER BY {_ORDERINGS[order]} LIMIT {int(size)} OFFSET {int((number - 1) * size)}",
            params,
        )
        total = int(found[0]["total"]) if found else self.incident_count(where)
        return self._incident_rows([int(r["id"]) for r in found]), total

    def _incident_rows(self, ids: list[int]) -> list[dict[str, Any]]:
        """Incidents `ids`, in that order."""
        if not ids:
            return []
        rows = {
            int(r["id"]): r
            for r in self._rows(
                "SELECT * FROM incidents WHERE list_contains(?::BIGINT[], id)", [ids]
            )
        }
        return [rows[i] for i in ids if i in rows]

    def incident_ids(
        self,
        where: IncidentFilter | None = None,
        *,
        order: str = "confidence",
        limit: int | None = 5000,
        offset: int = 0,
    ) -> list[int]:
        """The ids of the incidents matching `where`, in the queue's order."""
        if order == "relevance":
            return search.ranked_page(self, where or IncidentFilter(), limit=limit, offset=offset)[
                0
            ]
        condition, params = (where or IncidentFilter()).where()
        page = "" if limit is None else f"LIMIT {int(limit)} OFFSET {int(offset)}"
        rows = self._rows(
            f"SELECT i.id FROM incidents i WHERE {condition} "  # noqa: S608 - condition and order are built from fixed parts
            f"ORDER BY {_ORDERINGS[order]} {page}",
            params,
        )
        return [int(r["id"]) for r in rows]

    def search_pending(self) -> int:
        """How many documents the search index does not hold yet (searched slowly, from text)."""
        return search.pending(self)

    def incident_neighbours(
        self, incident_id: int, where: IncidentFilter | None = None, *, order: str = "confidence"
    ) -> tuple[int | None, int | None]:
        """The incidents just before and just after `incident_id` in the queue's order under
        `where`: None at either end, and for both when the incident is not in that queue.
        Two single-row reads by key, wherever in the queue the incident stands."""
        if order == "relevance":
            return search.ranked_neighbours(self, incident_id, where or IncidentFilter())
        if order.startswith("-"):
            # Reversed, the one before is the one after.
            after, before = self.incident_neighbours(incident_id, where, order=order[1:])
            return before, after
        condition, params = (where or IncidentFilter()).where()
        key = _KEYS[order]
        row = f"({', '.join(key)})"
        up = ", ".join(f"{k} ASC" for k in key)
        row_sql = (
            f"WITH here AS (SELECT {row} AS k FROM incidents i WHERE i.id = ? AND {condition}) "  # noqa: S608 - keys and condition are built from fixed parts
            f"SELECT (SELECT i.id FROM incidents i, here WHERE {condition} AND {row} > here.k "
            f"ORDER BY {up} LIMIT 1) AS before, "
            f"(SELECT i.id FROM incidents i, here WHERE {condition} AND {row} < here.k "
            f"ORDER BY {_ORDERINGS[order]} LIMIT 1) AS after"
        )
        found = self._one(row_sql, [incident_id, *params, *params, *params])
        if found is None:
            return None, None
        return found["before"], found["after"]

    def incident_count(self, where: IncidentFilter | None = None) -> int:
        condition, params = (where or IncidentFilter()).where()
        row = self._one(
            f"SELECT count(*) AS n FROM incidents i WHERE {condition}",  # noqa: S608
            params,
        )
        return int(row["n"]) if row else 0

    def incident_sources(self, incident_id: int) -> list[dict[str, Any]]:
        """Each supporting candidate with its document (text included) and capture and fetch."""
        return self.sources_of_incidents([incident_id]).get(incident_id, [])

    def sources_of_incidents(
        self, incident_ids: Sequence[int], *, text: bool = True
    ) -> dict[int, list[dict[str, Any]]]:
        """`incident_sources` for many incidents in one query (exports: one query, not one each);
        without the documents' text (None) unless `text`, which exports of tables do not need."""
        rows = self._rows(
            "SELECT m.incident_id, m.candidate_id, m.attached_at, m.attached_by, m.is_new, "  # noqa: S608 - the text column is one of two fixed parts
            "c.types, c.confidence, c.date_start, c.date_end, c.date_precision, "
            "c.location_name, c.location_name_ar, c.admin1, c.lat, c.lon, c.killed, c.injured, "
            "c.abducted, c.detained, c.finding, c.nlp_version, c.superseded_at, "
            "d.id AS document_id, d.url, d.final_url, d.source, d.title, "
            f"{'d.text' if text else 'NULL AS text'}, d.published, "
            "d.language, d.capture_sha256, d.fetched_at, "
            "cap.size AS capture_size, cap.content_type AS capture_content_type, "
            "(SELECT list(g.input_id ORDER BY g.input_id) FROM ingested g "
            " WHERE g.document_id = d.id) AS input_ids "
            "FROM incident_members m JOIN candidates c ON c.id = m.candidate_id "
            "JOIN documents d ON d.id = m.document_id "
            "LEFT JOIN captures cap ON cap.sha256 = d.capture_sha256 "
            # list_contains filters the members as they are read; an IN (subquery) here makes
            # DuckDB join every candidate and document first.
            "WHERE list_contains(?::BIGINT[], m.incident_id) "
            "ORDER BY m.incident_id, c.superseded_at NULLS FIRST, m.attached_at, c.id",
            [list(incident_ids)],
        )
        grouped: dict[int, list[dict[str, Any]]] = {}
        for row in rows:
            grouped.setdefault(int(row.pop("incident_id")), []).append(_decode(row))
        return grouped

    def audit_entry(self, entry_id: int) -> dict[str, Any] | None:
        return self._one("SELECT * FROM incident_audit WHERE id = ?", [entry_id])

    def incident_audit(self, incident_id: int) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT * FROM incident_audit WHERE incident_id = ? ORDER BY id", [incident_id]
        )

    # -- ingest ---------------------------------------------------------------------------------

    def record_ingest(self, document_id: int, input_id: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO ingested (document_id, input_id, ingested_at) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                [document_id, input_id, _now()],
            )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)
