"""The service's SQL: why each run started, the last run of every source, digests, sizes.

A crawl run itself is recorded by the run recorder (`pipeline.runs`) in `crawl_runs`; the
scheduler adds one row in `run_triggers` saying whether it was a scheduled run, a catch-up after
downtime or a run someone asked for, so that the run log answers "why did this run happen".
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from storage.incidents import UPDATED_SINCE_REVIEW

if TYPE_CHECKING:
    from collections.abc import Sequence
    from contextlib import AbstractContextManager
    from threading import RLock

    import duckdb

TRIGGERS = ("scheduled", "catch-up", "manual")

# Runs with what they found: new candidates are those of the documents the run stored.
_RUNS = """
    SELECT r.id, r.source, r.started_at, r.finished_at, r.status, r.finish_reason,
        r.pages_fetched, r.documents_new, r.failures, t.trigger,
        (SELECT count(*) FROM candidates c JOIN documents d ON d.id = c.document_id
         JOIN fetches f ON f.id = d.fetch_id WHERE f.run_id = r.id) AS candidates_new
    FROM crawl_runs r LEFT JOIN run_triggers t ON t.run_id = r.id
"""


class ScheduleQueries:
    """Store mixin: run triggers, last runs per source, digests and storage sizes."""

    if TYPE_CHECKING:
        # Provided by `Store`, which this mixin is part of.
        _lock: RLock

        def transaction(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]: ...

        def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...

        def _one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None: ...

    def record_trigger(self, run_id: int, trigger: str, planned_for: datetime | None) -> None:
        if trigger not in TRIGGERS:
            raise ValueError(f"unknown trigger {trigger!r}")
        with self.transaction() as db:
            db.execute(
                "INSERT INTO run_triggers (run_id, trigger, planned_for) VALUES (?, ?, ?) "
                "ON CONFLICT (run_id) DO NOTHING",
                [run_id, trigger, planned_for],
            )

    def run_log(self, source: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Runs, newest first, with their trigger and the candidates they brought."""
        if source is None:
            return self._rows(f"{_RUNS} ORDER BY r.id DESC LIMIT ?", [limit])
        return self._rows(
            f"{_RUNS} WHERE r.source = ? ORDER BY r.id DESC LIMIT ?",
            [source, limit],
        )

    def last_runs(self) -> dict[str, dict[str, Any]]:
        """The latest run of every source that has run, by source name."""
        rows = self._rows(
            f"{_RUNS} QUALIFY row_number() OVER (PARTITION BY r.source ORDER BY r.id DESC) = 1"
        )
        return {r["source"]: r for r in rows}

    # -- digests --------------------------------------------------------------------------------

    def last_digest(self) -> dict[str, Any] | None:
        return self._one("SELECT * FROM digests ORDER BY id DESC LIMIT 1")

    def new_incidents(self, since: datetime | None, until: datetime) -> list[dict[str, Any]]:
        """Incidents first clustered in (since, until], not merged away, with their documents."""
        return self._digest_incidents(
            "i.created_at <= ? AND (CAST(? AS TIMESTAMPTZ) IS NULL OR i.created_at > ?) "
            "AND i.merged_into IS NULL AND i.status <> 'duplicate'",
            [until, since, since],
        )

    def updated_incidents(self, since: datetime | None, until: datetime) -> list[dict[str, Any]]:
        """Reviewed incidents that gained a source or a changed claim in (since, until] and are
        still "updated since review"."""
        return self._digest_incidents(
            "i.changed_at <= ? AND (CAST(? AS TIMESTAMPTZ) IS NULL OR i.changed_at > ?) "
            f"AND {UPDATED_SINCE_REVIEW}",
            [until, since, since],
        )

    def _digest_incidents(self, condition: str, params: list[Any]) -> list[dict[str, Any]]:
        return self._rows(
            f"""
            WITH support AS (
                SELECT m.incident_id, count(DISTINCT m.document_id) AS documents,
                    list(DISTINCT d.source ORDER BY d.source) AS sources,
                    max(c.killed) AS killed, max(c.injured) AS injured,
                    max(c.abducted) AS abducted, max(c.detained) AS detained
                FROM incident_members m JOIN candidates c ON c.id = m.candidate_id
                JOIN documents d ON d.id = m.document_id
                WHERE c.superseded_at IS NULL
                GROUP BY m.incident_id
            )
            SELECT i.id, i.status, i.types, i.confidence, i.date_start, i.date_end,
                i.location_name, i.location_name_ar, i.admin1, i.created_at,
                coalesce(s.documents, 0) AS documents, coalesce(s.sources, []) AS sources,
                s.killed, s.injured, s.abducted, s.detained
            FROM incidents i LEFT JOIN support s ON s.incident_id = i.id
            WHERE {condition}
            ORDER BY i.confidence DESC, i.id
            """,  # noqa: S608 - conditions are built from fixed parts
            params,
        )

    def record_digest(
        self,
        *,
        since: datetime | None,
        until: datetime,
        incidents: int,
        html_path: str,
        markdown_path: str,
        sent_to: Sequence[str],
        send_error: str | None,
    ) -> int:
        with self.transaction() as db:
            row = db.execute(
                "INSERT INTO digests (created_at, since, until, incidents, html_path, "
                "markdown_path, sent_to, send_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "RETURNING id",
                [
                    datetime.now(UTC),
                    since,
                    until,
                    incidents,
                    html_path,
                    markdown_path,
                    list(sent_to),
                    send_error,
                ],
            ).fetchone()
        assert row is not None
        return int(row[0])

    # -- status ---------------------------------------------------------------------------------

    def review_counts(self) -> dict[str, int]:
        """Incidents by review state."""
        rows = self._rows("SELECT status, count(*) AS n FROM incidents GROUP BY status")
        return {str(r["status"]): int(r["n"]) for r in rows}

    def capture_totals(self) -> dict[str, int]:
        """How many capture files and preserved artefacts there are, and their bytes."""
        row = self._one(
            "SELECT (SELECT count(*) FROM captures) AS captures, "
            "(SELECT coalesce(sum(size), 0) FROM captures) AS capture_bytes, "
            "(SELECT count(*) FROM artefacts) AS artefacts, "
            "(SELECT coalesce(sum(size), 0) FROM artefacts) AS artefact_bytes"
        )
        assert row is not None
        return {k: int(v) for k, v in row.items()}
