"""Numbered schema migrations, applied in order and recorded in `schema_migrations`.

Each migration is a small function of a connection; a new one is appended, never edited once
released, so every database reaches the same schema by the same steps.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

Migration = Callable[["duckdb.DuckDBPyConnection"], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_crawl_foundation(db: duckdb.DuckDBPyConnection) -> None:
    db.execute("""
        CREATE TABLE sources (
            name VARCHAR PRIMARY KEY,
            title VARCHAR,
            kind VARCHAR NOT NULL,
            languages VARCHAR[] NOT NULL,
            start_urls VARCHAR[] NOT NULL,
            schedule VARCHAR,
            first_seen TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL
        )
    """)
    db.execute("CREATE SEQUENCE crawl_run_ids")
    db.execute("""
        CREATE TABLE crawl_runs (
            id BIGINT PRIMARY KEY DEFAULT nextval('crawl_run_ids'),
            source VARCHAR NOT NULL,
            started_at TIMESTAMPTZ NOT NULL,
            finished_at TIMESTAMPTZ,
            status VARCHAR NOT NULL,
            finish_reason VARCHAR,
            pages_fetched INTEGER NOT NULL DEFAULT 0,
            documents_new INTEGER NOT NULL DEFAULT 0,
            failures INTEGER NOT NULL DEFAULT 0,
            stats JSON
        )
    """)
    db.execute("""
        CREATE TABLE captures (
            sha256 VARCHAR PRIMARY KEY,
            size BIGINT NOT NULL,
            content_type VARCHAR,
            path VARCHAR NOT NULL,
            first_fetched_at TIMESTAMPTZ NOT NULL
        )
    """)
    db.execute("CREATE SEQUENCE fetch_ids")
    db.execute("""
        CREATE TABLE fetches (
            id BIGINT PRIMARY KEY DEFAULT nextval('fetch_ids'),
            run_id BIGINT,
            source VARCHAR NOT NULL,
            url VARCHAR NOT NULL,
            final_url VARCHAR NOT NULL,
            redirects VARCHAR[] NOT NULL,
            status INTEGER NOT NULL,
            headers JSON NOT NULL,
            fetched_at TIMESTAMPTZ NOT NULL,
            sha256 VARCHAR NOT NULL,
            marsad_version VARCHAR NOT NULL
        )
    """)
    db.execute("CREATE SEQUENCE document_ids")
    db.execute("""
        CREATE TABLE documents (
            id BIGINT PRIMARY KEY DEFAULT nextval('document_ids'),
            url VARCHAR NOT NULL UNIQUE,
            final_url VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            fetch_id BIGINT NOT NULL,
            capture_sha256 VARCHAR NOT NULL,
            text_sha256 VARCHAR NOT NULL,
            title VARCHAR,
            text VARCHAR NOT NULL,
            published DATE,
            author VARCHAR,
            language VARCHAR,
            fetched_at TIMESTAMPTZ NOT NULL,
            created_at TIMESTAMPTZ NOT NULL
        )
    """)
    db.execute("CREATE INDEX documents_text_sha256 ON documents (text_sha256)")
    db.execute("CREATE INDEX documents_source ON documents (source)")
    db.execute("CREATE SEQUENCE failure_ids")
    db.execute("""
        CREATE TABLE failures (
            id BIGINT PRIMARY KEY DEFAULT nextval('failure_ids'),
            run_id BIGINT,
            source VARCHAR NOT NULL,
            url VARCHAR NOT NULL,
            stage VARCHAR NOT NULL,
            reason VARCHAR NOT NULL,
            sha256 VARCHAR,
            failed_at TIMESTAMPTZ NOT NULL
        )
    """)


@migration
def m002_candidates(db: duckdb.DuckDBPyConnection) -> None:
    # Every analysis of a document is recorded, even one that found nothing, so `reanalyse`
    # knows which documents a newer NLP has not yet seen.
    db.execute("""
        CREATE TABLE analyses (
            document_id BIGINT NOT NULL,
            nlp_version VARCHAR NOT NULL,
            language VARCHAR,
            incidents INTEGER NOT NULL,
            analysed_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (document_id, nlp_version)
        )
    """)
    db.execute("CREATE SEQUENCE candidate_ids")
    # One row per incident an analysis found; `finding` holds it exactly as the extraction
    # contract words it, the other columns are copies for filtering and clustering. A newer
    # analysis supersedes older rows instead of deleting them, so decisions that cite them stay
    # traceable.
    db.execute("""
        CREATE TABLE candidates (
            id BIGINT PRIMARY KEY DEFAULT nextval('candidate_ids'),
            document_id BIGINT NOT NULL,
            nlp_version VARCHAR NOT NULL,
            ordinal INTEGER NOT NULL,
            types VARCHAR[] NOT NULL,
            confidence DOUBLE NOT NULL,
            date_start DATE,
            date_end DATE,
            date_precision VARCHAR,
            location_name VARCHAR,
            location_name_ar VARCHAR,
            admin1 VARCHAR,
            lat DOUBLE,
            lon DOUBLE,
            killed INTEGER,
            injured INTEGER,
            abducted INTEGER,
            detained INTEGER,
            finding JSON NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            superseded_at TIMESTAMPTZ
        )
    """)
    db.execute("CREATE INDEX candidates_document ON candidates (document_id)")


def applied(db: duckdb.DuckDBPyConnection) -> set[int]:
    db.execute("""
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name VARCHAR NOT NULL,
            applied_at TIMESTAMPTZ NOT NULL
        )
    """)
    return {row[0] for row in db.execute("SELECT version FROM schema_migrations").fetchall()}


def migrate(db: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every migration not yet recorded, each in its own transaction; return their names."""
    done = applied(db)
    ran = []
    for version, (name, fn) in enumerate(MIGRATIONS, start=1):
        if version in done:
            continue
        db.execute("BEGIN TRANSACTION")
        try:
            fn(db)
            db.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                [version, name, datetime.now(UTC)],
            )
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        ran.append(name)
    return ran


@migration
def m003_evidence(db: duckdb.DuckDBPyConnection) -> None:
    # Which process started a run: a run still "running" under another process's id belongs to
    # a process that died (DuckDB lets one process hold the file), and is marked failed.
    db.execute("ALTER TABLE crawl_runs ADD COLUMN owner VARCHAR")
    db.execute("CREATE SEQUENCE custody_ids")
    # Append-only, and chained: each entry's hash covers the one before it, so an edited or
    # deleted entry breaks the chain and `marsad verify` says where.
    db.execute("""
        CREATE TABLE custody_log (
            id BIGINT PRIMARY KEY DEFAULT nextval('custody_ids'),
            logged_at TIMESTAMPTZ NOT NULL,
            actor VARCHAR NOT NULL,
            action VARCHAR NOT NULL,
            sha256 VARCHAR,
            detail VARCHAR NOT NULL,
            prev_hash VARCHAR,
            entry_hash VARCHAR NOT NULL
        )
    """)
    db.execute("CREATE INDEX custody_log_sha256 ON custody_log (sha256)")
    # Screenshots, PDFs and WARC records made from a capture, kept and hashed like captures.
    db.execute("""
        CREATE TABLE artefacts (
            sha256 VARCHAR PRIMARY KEY,
            kind VARCHAR NOT NULL,
            capture_sha256 VARCHAR NOT NULL,
            fetch_id BIGINT,
            document_id BIGINT,
            size BIGINT NOT NULL,
            content_type VARCHAR NOT NULL,
            path VARCHAR NOT NULL,
            tool VARCHAR NOT NULL,
            marsad_version VARCHAR NOT NULL,
            created_at TIMESTAMPTZ NOT NULL
        )
    """)
    db.execute("CREATE INDEX artefacts_fetch ON artefacts (fetch_id)")
    db.execute("CREATE INDEX artefacts_document ON artefacts (document_id)")


@migration
def m004_triage(db: duckdb.DuckDBPyConnection) -> None:
    # An incident is one event as analysts review it, supported by candidates from any number of
    # documents. Its summary columns are recomputed from its current candidates; its review
    # columns (status, assignee, notes, tags) are only ever changed by an analyst.
    db.execute("CREATE SEQUENCE incident_ids")
    db.execute("""
        CREATE TABLE incidents (
            id BIGINT PRIMARY KEY DEFAULT nextval('incident_ids'),
            status VARCHAR NOT NULL,
            merged_into BIGINT,
            assignee VARCHAR,
            notes VARCHAR,
            tags VARCHAR[] NOT NULL,
            types VARCHAR[] NOT NULL,
            confidence DOUBLE NOT NULL,
            date_start DATE,
            date_end DATE,
            date_precision VARCHAR,
            location_name VARCHAR,
            location_name_ar VARCHAR,
            admin1 VARCHAR,
            lat DOUBLE,
            lon DOUBLE,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            last_source_at TIMESTAMPTZ NOT NULL
        )
    """)
    # Blocking keys (a week, month or year the incident's dates touch): clustering a candidate
    # looks up the few incidents sharing one of its keys instead of scanning every incident.
    db.execute("""
        CREATE TABLE incident_keys (
            key VARCHAR NOT NULL,
            incident_id BIGINT NOT NULL,
            PRIMARY KEY (key, incident_id)
        )
    """)
    db.execute("CREATE INDEX incident_keys_incident ON incident_keys (incident_id)")
    # Which candidates support which incident. A membership outlives its candidate's
    # supersession so that a decision stays traceable to what the analyst saw; `is_new` marks a
    # source attached after an analyst had already acted on the incident.
    db.execute("""
        CREATE TABLE incident_members (
            candidate_id BIGINT PRIMARY KEY,
            incident_id BIGINT NOT NULL,
            document_id BIGINT NOT NULL,
            attached_at TIMESTAMPTZ NOT NULL,
            attached_by VARCHAR NOT NULL,
            is_new BOOLEAN NOT NULL
        )
    """)
    db.execute("CREATE INDEX incident_members_incident ON incident_members (incident_id)")
    db.execute("CREATE INDEX incident_members_document ON incident_members (document_id)")
    # Append-only: the Store API inserts here and never updates or deletes.
    db.execute("CREATE SEQUENCE incident_audit_ids")
    db.execute("""
        CREATE TABLE incident_audit (
            id BIGINT PRIMARY KEY DEFAULT nextval('incident_audit_ids'),
            incident_id BIGINT NOT NULL,
            logged_at TIMESTAMPTZ NOT NULL,
            actor VARCHAR NOT NULL,
            action VARCHAR NOT NULL,
            from_value VARCHAR,
            to_value VARCHAR,
            reason VARCHAR
        )
    """)
    db.execute("CREATE INDEX incident_audit_incident ON incident_audit (incident_id)")
    # Documents brought in with `marsad ingest` keep the id they had in the input.
    db.execute("""
        CREATE TABLE ingested (
            document_id BIGINT NOT NULL,
            input_id VARCHAR NOT NULL,
            ingested_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (document_id, input_id)
        )
    """)


@migration
def m005_service(db: duckdb.DuckDBPyConnection) -> None:
    # Why a run started (the scheduler's plan, a catch-up after downtime, or someone asking);
    # kept beside crawl_runs so the run recorder stays the one writer of the runs themselves.
    db.execute("""
        CREATE TABLE run_triggers (
            run_id BIGINT PRIMARY KEY,
            trigger VARCHAR NOT NULL,
            planned_for TIMESTAMPTZ
        )
    """)
    # Each digest covers (since, until]; the next one starts where the last one ended.
    db.execute("CREATE SEQUENCE digest_ids")
    db.execute("""
        CREATE TABLE digests (
            id BIGINT PRIMARY KEY DEFAULT nextval('digest_ids'),
            created_at TIMESTAMPTZ NOT NULL,
            since TIMESTAMPTZ,
            until TIMESTAMPTZ NOT NULL,
            incidents INTEGER NOT NULL,
            html_path VARCHAR NOT NULL,
            markdown_path VARCHAR NOT NULL,
            sent_to VARCHAR[] NOT NULL,
            send_error VARCHAR
        )
    """)


@migration
def m006_incident_documents(db: duckdb.DuckDBPyConnection) -> None:
    # What the queue shows of an incident's documents, kept on the incident as members are
    # attached, moved and acknowledged (`storage.incidents`): summarising them from the
    # memberships at each page, and filtering on a source or language through them, cost
    # more than the 100 ms a queue page may take on a million candidates.
    db.execute("ALTER TABLE incidents ADD COLUMN documents INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE incidents ADD COLUMN new_sources INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE incidents ADD COLUMN sources VARCHAR[] NOT NULL DEFAULT []")
    db.execute("ALTER TABLE incidents ADD COLUMN languages VARCHAR[] NOT NULL DEFAULT []")
    db.execute("ALTER TABLE incidents ADD COLUMN title VARCHAR")
    db.execute("""
        UPDATE incidents i SET documents = s.documents, new_sources = s.new_sources,
            sources = s.sources, languages = s.languages, title = s.title
        FROM (
            SELECT m.incident_id, count(DISTINCT m.document_id) AS documents,
                count(*) FILTER (WHERE m.is_new) AS new_sources,
                list(DISTINCT d.source ORDER BY d.source) AS sources,
                coalesce(list(DISTINCT d.language ORDER BY d.language)
                    FILTER (WHERE d.language IS NOT NULL), []) AS languages,
                arg_min(d.title, d.id) AS title
            FROM incident_members m JOIN documents d ON d.id = m.document_id
            GROUP BY 1
        ) s
        WHERE s.incident_id = i.id
    """)


# Each incident's place names from its members' candidates (also run by the storage benchmark
# over the incidents it generates).
FILL_PLACE_NAMES = """
    UPDATE incidents i SET place_names = s.place_names
    FROM (
        SELECT m.incident_id,
            coalesce(string_agg(DISTINCT n.name, chr(10) ORDER BY n.name), '') AS place_names
        FROM incident_members m JOIN candidates c ON c.id = m.candidate_id,
            LATERAL (SELECT unnest([c.location_name, c.location_name_ar]) AS name) n
        WHERE n.name IS NOT NULL
        GROUP BY 1
    ) s
    WHERE s.incident_id = i.id
"""


@migration
def m007_incident_place_names(db: duckdb.DuckDBPyConnection) -> None:
    # Every place name the incident's candidates give (English and Arabic), one a line, kept as
    # members are attached and moved (`storage.incidents`): the queue's place filter searched
    # the candidates themselves, which cost more than 100 ms on a million of them.
    db.execute("ALTER TABLE incidents ADD COLUMN place_names VARCHAR NOT NULL DEFAULT ''")
    db.execute(FILL_PLACE_NAMES)


@migration
def m010_corrections(db: duckdb.DuckDBPyConnection) -> None:
    # An analyst's value for an extracted field of an incident, one row a field. The machine's
    # value is never overwritten: it stays in the candidates, and re-clustering leaves the
    # incident's summary columns of a corrected field alone (`storage.incidents`).
    db.execute("""
        CREATE TABLE incident_corrections (
            incident_id BIGINT NOT NULL,
            field VARCHAR NOT NULL,
            value JSON,
            set_by VARCHAR NOT NULL,
            set_at TIMESTAMPTZ NOT NULL,
            reason VARCHAR,
            PRIMARY KEY (incident_id, field)
        )
    """)
    # Which field an audit entry changed (corrections name it; older actions leave it empty).
    db.execute("ALTER TABLE incident_audit ADD COLUMN field VARCHAR")
    # Each merge, with the candidates it moved and the status the duplicate had: enough to undo
    # it (the duplicate returns with its sources and history).
    db.execute("CREATE SEQUENCE incident_merge_ids")
    db.execute("""
        CREATE TABLE incident_merges (
            id BIGINT PRIMARY KEY DEFAULT nextval('incident_merge_ids'),
            source_id BIGINT NOT NULL,
            target_id BIGINT NOT NULL,
            candidates BIGINT[] NOT NULL,
            source_status VARCHAR NOT NULL,
            merged_at TIMESTAMPTZ NOT NULL,
            merged_by VARCHAR NOT NULL,
            undone_at TIMESTAMPTZ
        )
    """)


@migration
def m012_accounts(db: duckdb.DuckDBPyConnection) -> None:
    # People who use the triage UI, each with a role; the audit log names them. Passwords are
    # kept only as scrypt hashes (`triage.accounts`). Accounts are disabled, never deleted, so
    # the names in the history always point to someone.
    db.execute("""
        CREATE TABLE users (
            name VARCHAR PRIMARY KEY,
            role VARCHAR NOT NULL,
            password_hash VARCHAR NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            created_by VARCHAR NOT NULL,
            password_set_at TIMESTAMPTZ NOT NULL,
            disabled_at TIMESTAMPTZ
        )
    """)


@migration
def m013_updated_since_review(db: duckdb.DuckDBPyConnection) -> None:
    # When an analyst last decided on an incident, and when the machine last gave it a new
    # source or a changed claim: a reviewed incident changed since is "updated since review".
    db.execute("ALTER TABLE incidents ADD COLUMN reviewed_at TIMESTAMPTZ")
    db.execute("ALTER TABLE incidents ADD COLUMN changed_at TIMESTAMPTZ")
    db.execute("""
        UPDATE incidents i SET reviewed_at = a.at FROM (
            SELECT incident_id, max(logged_at) AS at FROM incident_audit
            WHERE action IN ('status', 'merged', 'acknowledged') GROUP BY 1
        ) a WHERE a.incident_id = i.id
    """)
    db.execute("UPDATE incidents SET changed_at = last_source_at WHERE new_sources > 0")


@migration
def m015_search_index(db: duckdb.DuckDBPyConnection) -> None:
    # The search index of `storage.search`: each document's normalised words with their counts,
    # how many words each indexed document has (for ranking, and to know how far indexing got),
    # and the Arabic forms under which a word is found (بمصراتة under مصراتة). Filled from the
    # documents as searches need it, so upgrading costs nothing until the first search.
    db.execute("""
        CREATE TABLE search_postings (
            term VARCHAR NOT NULL,
            document_id BIGINT NOT NULL,
            tf INTEGER NOT NULL
        )
    """)
    db.execute("""
        CREATE TABLE search_documents (
            document_id BIGINT PRIMARY KEY,
            terms INTEGER NOT NULL
        )
    """)
    db.execute("""
        CREATE TABLE search_forms (
            form VARCHAR NOT NULL,
            term VARCHAR NOT NULL,
            PRIMARY KEY (form, term)
        )
    """)


@migration
def m016_perpetrators_and_account_language(db: duckdb.DuckDBPyConnection) -> None:
    # The perpetrators an incident's current candidates name (or the analyst's correction of
    # them), kept on the incident as members come and go (`storage.incidents`), so that the
    # queue's perpetrator facet counts incidents without reading their candidates.
    db.execute("ALTER TABLE incidents ADD COLUMN perpetrators VARCHAR[] NOT NULL DEFAULT []")
    db.execute("""
        UPDATE incidents i SET perpetrators = s.names FROM (
            SELECT m.incident_id, list_sort(list_distinct(list(trim(p.name)))) AS names
            FROM incident_members m JOIN candidates c ON c.id = m.candidate_id,
                LATERAL (SELECT unnest(c.finding->>'$.perpetrators[*].name') AS name) p
            WHERE c.superseded_at IS NULL AND trim(p.name) <> ''
            GROUP BY 1
        ) s
        WHERE s.incident_id = i.id
    """)
    db.execute("""
        UPDATE incidents i SET perpetrators = list_sort(list_distinct(
            from_json(k.value, '["VARCHAR"]')))
        FROM incident_corrections k
        WHERE k.incident_id = i.id AND k.field = 'perpetrators' AND k.value IS NOT NULL
    """)
    # The interface language each account chose (NULL: the browser's cookie or language).
    db.execute("ALTER TABLE users ADD COLUMN language VARCHAR")


@migration
def m019_search_common_words(db: duckdb.DuckDBPyConnection) -> None:
    # Words in more than half the indexed documents (`storage.search`): the index lists the
    # documents that lack each of them instead of those that hold it, so a search for "the" or
    # "في" reads a short list, not half a million postings. Filled as the index grows (an index
    # built before this migration is sorted out by the next `marsad search-index` or server start).
    db.execute("CREATE TABLE search_common (term VARCHAR PRIMARY KEY)")
    db.execute("""
        CREATE TABLE search_absent (
            term VARCHAR NOT NULL,
            document_id BIGINT NOT NULL
        )
    """)


@migration
def m020_candidate_day_month(db: duckdb.DuckDBPyConnection) -> None:
    # The day and month an undated candidate's text gives without a year ("16 February" on a
    # page with no publication date; `nlp.model.DayMonth`), which the contract's `date` cannot
    # hold: clustering keeps a report of another month apart. Empty for candidates stored
    # before; `marsad reanalyse` under an NLP version that reads it fills them.
    for column in ("yearless_month", "yearless_first", "yearless_last"):
        db.execute(f"ALTER TABLE candidates ADD COLUMN {column} SMALLINT")
