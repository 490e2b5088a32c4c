"""The one API over Marsad's DuckDB database. All SQL lives here, parameterised.

DuckDB lets one process write a database file at a time, and within a process connections to
the same file share one database. One `Store` per process is handed out by `shared()`, so the
pipeline stages of several spiders crawling at once write through the same connection, and a
lock keeps their statements from interleaving inside a transaction.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import duckdb

from storage import search
from storage.accounts import AccountQueries
from storage.custody import CustodyQueries
from storage.health import HealthQueries
from storage.incidents import IncidentQueries
from storage.migrations import migrate
from storage.rows import insert_new, insert_rows, next_ids
from storage.schedule import ScheduleQueries

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from pathlib import Path


class DatabaseLocked(RuntimeError):
    """Another process holds the database (DuckDB allows one writer process per file)."""


@dataclass(frozen=True, slots=True)
class NewFetch:
    """One response as served, and the capture file holding its bytes."""

    run_id: int | None
    source: str
    url: str
    final_url: str
    redirects: Sequence[str]
    status: int
    headers: dict[str, list[str]]
    fetched_at: datetime
    sha256: str
    size: int
    content_type: str | None
    path: str
    marsad_version: str


@dataclass(frozen=True, slots=True)
class NewDocument:
    url: str
    final_url: str
    source: str
    fetch_id: int
    capture_sha256: str
    text_sha256: str
    title: str | None
    text: str
    published: date | None
    author: str | None
    language: str | None
    fetched_at: datetime


@dataclass(frozen=True, slots=True)
class Analysed:
    """What one NLP version found in one document: incidents in the extraction contract's shape."""

    nlp_version: str
    language: str | None
    incidents: list[dict[str, Any]]


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


CANDIDATE_COLUMNS = (
    "document_id",
    "nlp_version",
    "ordinal",
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
    "killed",
    "injured",
    "abducted",
    "detained",
    "finding",
    "created_at",
    "yearless_month",
    "yearless_first",
    "yearless_last",
)


def _age(document_id: int) -> tuple[bool, int]:
    """Stored documents (positive ids) before those of the batch (-1, -2... in order)."""
    return document_id < 0, abs(document_id)


class _Seen:
    """Documents known by URL and by text digest: which one a page is, if any (the oldest)."""

    def __init__(self) -> None:
        self._by_url: dict[str, int] = {}
        self._by_text: dict[str, int] = {}

    def add(self, document_id: int, urls: Sequence[str], text_sha256: str) -> None:
        for key, index in [(u, self._by_url) for u in urls] + [(text_sha256, self._by_text)]:
            index[key] = min(index.get(key, document_id), document_id, key=_age)

    def first(self, url: str, text_sha256: str) -> int | None:
        found = [
            i for i in (self._by_url.get(url), self._by_text.get(text_sha256)) if i is not None
        ]
        return min(found, key=_age) if found else None


def _candidate_row(
    document_id: int, version: str, ordinal: int, finding: dict[str, Any], now: datetime
) -> list[Any]:
    # `day_month` (`nlp.model.Incident.to_stored`) has its own columns: `finding` is the
    # contract's incident.
    finding = dict(finding)
    told = finding.pop("day_month", None) or {}
    when = finding.get("date") or {}
    where = finding.get("location") or {}
    counts = finding.get("counts") or {}
    return [
        document_id,
        version,
        ordinal,
        list(finding.get("types") or []),
        float(finding.get("confidence") or 0.0),
        when.get("start"),
        when.get("end"),
        when.get("precision"),
        where.get("name"),
        where.get("name_ar"),
        where.get("admin1"),
        where.get("lat"),
        where.get("lon"),
        _int(counts.get("killed")),
        _int(counts.get("injured")),
        _int(counts.get("abducted")),
        _int(counts.get("detained")),
        json.dumps(finding, ensure_ascii=False, sort_keys=True),
        now,
        _int(told.get("month")),
        _int(told.get("first")),
        _int(told.get("last")),
    ]


def _now() -> datetime:
    return datetime.now(UTC)


# This process, as the crawl runs it starts name it (the random part tells a reused pid apart).
_OWNER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


class Store(CustodyQueries, IncidentQueries, HealthQueries, ScheduleQueries, AccountQueries):
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = duckdb.connect(str(path))
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise DatabaseLocked(
                    f"{path} is in use by another Marsad process (is `marsad serve` running?)"
                ) from exc
            raise
        # Times come back in UTC whatever the host's zone (every reader converts to UTC anyway),
        # and twice as fast: the host's "Etc/UTC" takes a slower conversion path than "UTC".
        self._db.execute("SET TimeZone = 'UTC'")
        self._lock = threading.RLock()
        # How deep the lock's holder is in `transaction()`: inner ones join the outermost.
        self._depth = 0
        # Whether the transaction under way added custody entries, to anchor once committed.
        self._custody_added = False
        with self._lock:
            migrate(self._db)
            search.remember_common(self._db)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Statements inside commit together or not at all.

        A transaction opened inside another joins it: the pipeline writes a batch of pages
        with the same calls that write one, and pays for one commit.
        """
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self._db
                finally:
                    self._depth -= 1
                return
            self._db.execute("BEGIN TRANSACTION")
            self._depth = 1
            self._custody_added = False
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0
            self._db.execute("COMMIT")
            if self._custody_added:
                self._custody_added = False
                self.anchor_custody()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            cursor = self._db.execute(sql, list(params))
            names = [d[0] for d in cursor.description or ()]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def columns(self, table: str) -> list[tuple[str, str]]:
        """(name, type) of each column of `table`, in order."""
        return [
            (r["column_name"], r["data_type"])
            for r in self._rows(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = ? ORDER BY ordinal_position",
                [table],
            )
        ]

    def migrations(self) -> list[str]:
        return [
            r["name"] for r in self._rows("SELECT name FROM schema_migrations ORDER BY version")
        ]

    # -- sources and runs ---------------------------------------------------------------------

    def upsert_source(
        self,
        name: str,
        *,
        title: str | None,
        kind: str,
        languages: Sequence[str],
        start_urls: Sequence[str],
        schedule: str | None,
    ) -> None:
        now = _now()
        with self.transaction() as db:
            db.execute(
                """
                INSERT INTO sources (name, title, kind, languages, start_urls, schedule,
                                     first_seen, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET
                    title = excluded.title, kind = excluded.kind,
                    languages = excluded.languages, start_urls = excluded.start_urls,
                    schedule = excluded.schedule, updated_at = excluded.updated_at
                """,
                [name, title, kind, list(languages), list(start_urls), schedule, now, now],
            )

    def start_run(self, source: str) -> int:
        with self.transaction() as db:
            # One process at a time holds the database, so a run another process left
            # "running" died with it (SIGKILL, power loss): record it as failed, with what it did.
            db.execute(
                """
                UPDATE crawl_runs r SET status = 'failed', finish_reason = 'abandoned',
                    finished_at = ?,
                    pages_fetched = (SELECT count(*) FROM fetches f WHERE f.run_id = r.id),
                    documents_new = (SELECT count(*) FROM documents d JOIN fetches f
                                     ON d.fetch_id = f.id WHERE f.run_id = r.id),
                    failures = (SELECT count(*) FROM failures x WHERE x.run_id = r.id)
                WHERE status = 'running' AND owner IS DISTINCT FROM ?
                """,
                [_now(), _OWNER],
            )
            row = db.execute(
                "INSERT INTO crawl_runs (source, started_at, status, owner) "
                "VALUES (?, ?, 'running', ?) RETURNING id",
                [source, _now(), _OWNER],
            ).fetchone()
        assert row is not None
        return int(row[0])

    def finish_run(
        self,
        run_id: int,
        *,
        status: str,
        finish_reason: str | None,
        pages_fetched: int,
        documents_new: int,
        failures: int,
        stats: dict[str, Any],
    ) -> None:
        with self._lock:
            self._db.execute(
                """
                UPDATE crawl_runs SET finished_at = ?, status = ?, finish_reason = ?,
                    pages_fetched = ?, documents_new = ?, failures = ?, stats = ?
                WHERE id = ?
                """,
                [
                    _now(),
                    status,
                    finish_reason,
                    pages_fetched,
                    documents_new,
                    failures,
                    json.dumps(stats, default=str, sort_keys=True),
                    run_id,
                ],
            )

    def run(self, run_id: int) -> dict[str, Any] | None:
        return self._one("SELECT * FROM crawl_runs WHERE id = ?", [run_id])

    def runs(self, source: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        if source is None:
            return self._rows("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT ?", [limit])
        return self._rows(
            "SELECT * FROM crawl_runs WHERE source = ? ORDER BY id DESC LIMIT ?", [source, limit]
        )

    # -- captures and fetches -----------------------------------------------------------------

    def record_fetch(self, fetch: NewFetch) -> int:
        """Record one fetch and, the first time its bytes are seen, their capture file."""
        return self.record_fetches([fetch])[0]

    def record_fetches(self, fetches: Sequence[NewFetch]) -> list[int]:
        """Record fetches together, each capture once; their ids, in order."""
        if not fetches:
            return []
        with self.transaction() as db:
            insert_new(
                db,
                "captures",
                ("sha256", "size", "content_type", "path", "first_fetched_at"),
                [(f.sha256, f.size, f.content_type, f.path, f.fetched_at) for f in fetches],
            )
            ids = next_ids(db, "fetch_ids", len(fetches))
            insert_rows(
                db,
                "fetches",
                (
                    "id",
                    "run_id",
                    "source",
                    "url",
                    "final_url",
                    "redirects",
                    "status",
                    "headers",
                    "fetched_at",
                    "sha256",
                    "marsad_version",
                ),
                [
                    (
                        fetch_id,
                        f.run_id,
                        f.source,
                        f.url,
                        f.final_url,
                        list(f.redirects),
                        f.status,
                        json.dumps(f.headers, sort_keys=True),
                        f.fetched_at,
                        f.sha256,
                        f.marsad_version,
                    )
                    for fetch_id, f in zip(ids, fetches, strict=True)
                ],
            )
        return ids

    def fetch(self, fetch_id: int) -> dict[str, Any] | None:
        return self._one("SELECT * FROM fetches WHERE id = ?", [fetch_id])

    def capture(self, sha256: str) -> dict[str, Any] | None:
        return self._one("SELECT * FROM captures WHERE sha256 = ?", [sha256])

    def known_urls(self) -> set[str]:
        """URLs already fetched successfully, as requested and as finally served.

        A fetch by a run that died, or stopped because the disk was full, is not counted
        unless its page became a document: the process may have been killed, or unable to
        write, between capturing the page and storing it.
        """
        rows = self._rows(
            "SELECT f.url, f.final_url FROM fetches f LEFT JOIN crawl_runs r ON r.id = f.run_id "
            "WHERE f.status BETWEEN 200 AND 299 "
            "AND coalesce(r.finish_reason, '') NOT IN ('abandoned', 'disk_full') "
            "UNION SELECT url, final_url FROM documents"
        )
        return {u for r in rows for u in (r["url"], r["final_url"])}

    # -- documents and failures ---------------------------------------------------------------

    def document_id_for(self, *, url: str, text_sha256: str) -> int | None:
        """The document already stored under this URL or with this exact text, if any."""
        return self._stored_documents([url], [text_sha256]).first(url, text_sha256)

    def _stored_documents(self, urls: Sequence[str], digests: Sequence[str]) -> _Seen:
        """The stored documents whose URL (as requested or served) or text is among these."""
        seen = _Seen()
        for row in self._rows(
            "SELECT id, url, final_url, text_sha256 FROM documents "
            "WHERE url IN (SELECT unnest(?)) OR final_url IN (SELECT unnest(?)) "
            "OR text_sha256 IN (SELECT unnest(?))",
            [list(urls), list(urls), list(digests)],
        ):
            seen.add(int(row["id"]), (row["url"], row["final_url"]), row["text_sha256"])
        return seen

    def add_document_once(
        self, doc: NewDocument, analysed: Analysed | None = None
    ) -> tuple[int, bool]:
        """The document's id and whether it is new: stored unless its URL or text already is."""
        return self.add_documents_once([(doc, analysed)])[0]

    def add_documents_once(
        self, docs: Sequence[tuple[NewDocument, Analysed | None]]
    ) -> list[tuple[int, bool]]:
        """Each document's id and whether it is new: stored, with what the NLP found in it,
        unless its URL or text already is (in the store, or earlier in `docs`).

        Checked and inserted in one transaction under the store's lock, so two pages with the
        same text stored at once by two threads still make one document.
        """
        with self.transaction():
            seen = self._stored_documents(
                [d.url for d, _ in docs], [d.text_sha256 for d, _ in docs]
            )
            new: list[tuple[NewDocument, Analysed | None]] = []
            found: list[tuple[int, bool]] = []
            for doc, analysed in docs:
                first = seen.first(doc.url, doc.text_sha256)
                if first is None:
                    # A placeholder id (-1 for the first new document...) until they are numbered.
                    first = -1 - len(new)
                    seen.add(first, (doc.url, doc.final_url), doc.text_sha256)
                    new.append((doc, analysed))
                    found.append((first, True))
                else:
                    found.append((first, False))
            ids = self._insert_documents(new)
        return [(ids[-1 - i] if i < 0 else i, is_new) for i, is_new in found]

    def add_document(self, doc: NewDocument, analysed: Analysed | None = None) -> int:
        """Store a document, and what the NLP found in it, together or not at all."""
        return self._insert_documents([(doc, analysed)])[0]

    def _insert_documents(self, docs: Sequence[tuple[NewDocument, Analysed | None]]) -> list[int]:
        if not docs:
            return []
        now = _now()
        with self.transaction() as db:
            ids = next_ids(db, "document_ids", len(docs))
            insert_rows(
                db,
                "documents",
                (
                    "id",
                    "url",
                    "final_url",
                    "source",
                    "fetch_id",
                    "capture_sha256",
                    "text_sha256",
                    "title",
                    "text",
                    "published",
                    "author",
                    "language",
                    "fetched_at",
                    "created_at",
                ),
                [
                    (
                        document_id,
                        doc.url,
                        doc.final_url,
                        doc.source,
                        doc.fetch_id,
                        doc.capture_sha256,
                        doc.text_sha256,
                        doc.title,
                        doc.text,
                        doc.published,
                        doc.author,
                        doc.language,
                        doc.fetched_at,
                        now,
                    )
                    for document_id, (doc, _) in zip(ids, docs, strict=True)
                ],
            )
            # A new document has no older candidates to supersede.
            self._insert_analyses(
                db,
                [(i, a) for i, (_, a) in zip(ids, docs, strict=True) if a is not None],
                now,
            )
            # Searchable as soon as stored, in the same transaction.
            search.index_added(db, ids)
        return ids

    def _insert_analyses(
        self,
        db: duckdb.DuckDBPyConnection,
        analyses: Sequence[tuple[int, Analysed]],
        now: datetime,
    ) -> None:
        insert_rows(
            db,
            "analyses",
            ("document_id", "nlp_version", "language", "incidents", "analysed_at"),
            [(i, a.nlp_version, a.language, len(a.incidents), now) for i, a in analyses],
        )
        insert_rows(
            db,
            "candidates",
            CANDIDATE_COLUMNS,
            [
                _candidate_row(document_id, analysed.nlp_version, ordinal, finding, now)
                for document_id, analysed in analyses
                for ordinal, finding in enumerate(analysed.incidents)
            ],
        )

    def record_analysis(self, document_id: int, analysed: Analysed) -> bool:
        """Store a re-analysis; False when this NLP version already analysed the document."""
        with self.transaction() as db:
            seen = db.execute(
                "SELECT 1 FROM analyses WHERE document_id = ? AND nlp_version = ?",
                [document_id, analysed.nlp_version],
            ).fetchone()
            if seen:
                return False
            now = _now()
            db.execute(
                "UPDATE candidates SET superseded_at = ? "
                "WHERE document_id = ? AND superseded_at IS NULL AND nlp_version <> ?",
                [now, document_id, analysed.nlp_version],
            )
            self._insert_analyses(db, [(document_id, analysed)], now)
        return True

    def documents_to_analyse(self, nlp_version: str) -> list[dict[str, Any]]:
        """Documents no analysis by `nlp_version` has seen yet."""
        return self._rows(
            "SELECT id, final_url, text, language, published FROM documents d WHERE NOT EXISTS ("
            "SELECT 1 FROM analyses a WHERE a.document_id = d.id AND a.nlp_version = ?) "
            "ORDER BY id",
            [nlp_version],
        )

    def candidates(
        self, document_id: int | None = None, *, current: bool = True
    ) -> list[dict[str, Any]]:
        """Candidates, of one document or all; only those not superseded unless `current=False`."""
        where = ["superseded_at IS NULL"] if current else []
        params: list[Any] = []
        if document_id is not None:
            where.append("document_id = ?")
            params.append(document_id)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = self._rows(
            f"SELECT * FROM candidates {clause} ORDER BY document_id, ordinal, id",  # noqa: S608
            params,
        )
        for row in rows:
            row["finding"] = json.loads(row["finding"])
        return rows

    def document(self, document_id: int) -> dict[str, Any] | None:
        return self._one("SELECT * FROM documents WHERE id = ?", [document_id])

    def documents(self, source: str | None = None) -> list[dict[str, Any]]:
        if source is None:
            return self._rows("SELECT * FROM documents ORDER BY id")
        return self._rows("SELECT * FROM documents WHERE source = ? ORDER BY id", [source])

    def record_failure(
        self,
        *,
        run_id: int | None,
        source: str,
        url: str,
        stage: str,
        reason: str,
        sha256: str | None = None,
    ) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO failures (run_id, source, url, stage, reason, sha256, failed_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [run_id, source, url, stage, reason, sha256, _now()],
            )

    def failures(self, run_id: int | None = None) -> list[dict[str, Any]]:
        if run_id is None:
            return self._rows("SELECT * FROM failures ORDER BY id")
        return self._rows("SELECT * FROM failures WHERE run_id = ? ORDER BY id", [run_id])

    # -- summaries ----------------------------------------------------------------------------

    def document_counts(self) -> list[dict[str, Any]]:
        """Documents per source and language."""
        return self._rows(
            "SELECT source, coalesce(language, '?') AS language, count(*) AS documents "
            "FROM documents GROUP BY ALL ORDER BY source, language"
        )

    def totals(self) -> dict[str, int]:
        row = self._one(
            "SELECT (SELECT count(*) FROM documents) AS documents, "
            "(SELECT count(*) FROM captures) AS captures, "
            "(SELECT count(*) FROM fetches) AS fetches, "
            "(SELECT count(*) FROM failures) AS failures, "
            "(SELECT count(*) FROM candidates WHERE superseded_at IS NULL) AS candidates, "
            "(SELECT count(*) FROM crawl_runs) AS runs"
        )
        assert row is not None
        return {k: int(v) for k, v in row.items()}


_shared: dict[Path, tuple[Store, int]] = {}
_shared_lock = threading.Lock()


def acquire(path: Path) -> Store:
    """The process's one Store for `path`, opened on first use; pair with `release`."""
    key = path.resolve()
    with _shared_lock:
        store, users = _shared.get(key, (None, 0))
        if store is None:
            store = Store(key)
        _shared[key] = (store, users + 1)
        return store


def release(store: Store) -> None:
    key = store.path.resolve()
    with _shared_lock:
        held, users = _shared.get(key, (None, 0))
        if held is not store:
            return
        if users <= 1:
            del _shared[key]
            store.close()
        else:
            _shared[key] = (store, users - 1)
