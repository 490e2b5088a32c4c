from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

from storage import Store
from storage.migrations import MIGRATIONS, applied

if TYPE_CHECKING:
    from pathlib import Path

EXPECTED = {
    "sources": [
        ("name", "VARCHAR"),
        ("title", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("languages", "VARCHAR[]"),
        ("start_urls", "VARCHAR[]"),
        ("schedule", "VARCHAR"),
        ("first_seen", "TIMESTAMP WITH TIME ZONE"),
        ("updated_at", "TIMESTAMP WITH TIME ZONE"),
    ],
    "crawl_runs": [
        ("id", "BIGINT"),
        ("source", "VARCHAR"),
        ("started_at", "TIMESTAMP WITH TIME ZONE"),
        ("finished_at", "TIMESTAMP WITH TIME ZONE"),
        ("status", "VARCHAR"),
        ("finish_reason", "VARCHAR"),
        ("pages_fetched", "INTEGER"),
        ("documents_new", "INTEGER"),
        ("failures", "INTEGER"),
        ("stats", "JSON"),
        ("owner", "VARCHAR"),
    ],
    "captures": [
        ("sha256", "VARCHAR"),
        ("size", "BIGINT"),
        ("content_type", "VARCHAR"),
        ("path", "VARCHAR"),
        ("first_fetched_at", "TIMESTAMP WITH TIME ZONE"),
    ],
    "fetches": [
        ("id", "BIGINT"),
        ("run_id", "BIGINT"),
        ("source", "VARCHAR"),
        ("url", "VARCHAR"),
        ("final_url", "VARCHAR"),
        ("redirects", "VARCHAR[]"),
        ("status", "INTEGER"),
        ("headers", "JSON"),
        ("fetched_at", "TIMESTAMP WITH TIME ZONE"),
        ("sha256", "VARCHAR"),
        ("marsad_version", "VARCHAR"),
    ],
    "documents": [
        ("id", "BIGINT"),
        ("url", "VARCHAR"),
        ("final_url", "VARCHAR"),
        ("source", "VARCHAR"),
        ("fetch_id", "BIGINT"),
        ("capture_sha256", "VARCHAR"),
        ("text_sha256", "VARCHAR"),
        ("title", "VARCHAR"),
        ("text", "VARCHAR"),
        ("published", "DATE"),
        ("author", "VARCHAR"),
        ("language", "VARCHAR"),
        ("fetched_at", "TIMESTAMP WITH TIME ZONE"),
        ("created_at", "TIMESTAMP WITH TIME ZONE"),
    ],
    "failures": [
        ("id", "BIGINT"),
        ("run_id", "BIGINT"),
        ("source", "VARCHAR"),
        ("url", "VARCHAR"),
        ("stage", "VARCHAR"),
        ("reason", "VARCHAR"),
        ("sha256", "VARCHAR"),
        ("failed_at", "TIMESTAMP WITH TIME ZONE"),
    ],
    "analyses": [
        ("document_id", "BIGINT"),
        ("nlp_version", "VARCHAR"),
        ("language", "VARCHAR"),
        ("incidents", "INTEGER"),
        ("analysed_at", "TIMESTAMP WITH TIME ZONE"),
    ],
    "candidates": [
        ("id", "BIGINT"),
        ("document_id", "BIGINT"),
        ("nlp_version", "VARCHAR"),
        ("ordinal", "INTEGER"),
        ("types", "VARCHAR[]"),
        ("confidence", "DOUBLE"),
        ("date_start", "DATE"),
        ("date_end", "DATE"),
        ("date_precision", "VARCHAR"),
        ("location_name", "VARCHAR"),
        ("location_name_ar", "VARCHAR"),
        ("admin1", "VARCHAR"),
        ("lat", "DOUBLE"),
        ("lon", "DOUBLE"),
        ("killed", "INTEGER"),
        ("injured", "INTEGER"),
        ("abducted", "INTEGER"),
        ("detained", "INTEGER"),
        ("finding", "JSON"),
        ("created_at", "TIMESTAMP WITH TIME ZONE"),
        ("superseded_at", "TIMESTAMP WITH TIME ZONE"),
        ("yearless_month", "SMALLINT"),
        ("yearless_first", "SMALLINT"),
        ("yearless_last", "SMALLINT"),
    ],
    "custody_log": [
        ("id", "BIGINT"),
        ("logged_at", "TIMESTAMP WITH TIME ZONE"),
        ("actor", "VARCHAR"),
        ("action", "VARCHAR"),
        ("sha256", "VARCHAR"),
        ("detail", "VARCHAR"),
        ("prev_hash", "VARCHAR"),
        ("entry_hash", "VARCHAR"),
    ],
    "artefacts": [
        ("sha256", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("capture_sha256", "VARCHAR"),
        ("fetch_id", "BIGINT"),
        ("document_id", "BIGINT"),
        ("size", "BIGINT"),
        ("content_type", "VARCHAR"),
        ("path", "VARCHAR"),
        ("tool", "VARCHAR"),
        ("marsad_version", "VARCHAR"),
        ("created_at", "TIMESTAMP WITH TIME ZONE"),
    ],
    "incidents": [
        ("id", "BIGINT"),
        ("status", "VARCHAR"),
        ("merged_into", "BIGINT"),
        ("assignee", "VARCHAR"),
        ("notes", "VARCHAR"),
        ("tags", "VARCHAR[]"),
        ("types", "VARCHAR[]"),
        ("confidence", "DOUBLE"),
        ("date_start", "DATE"),
        ("date_end", "DATE"),
        ("date_precision", "VARCHAR"),
        ("location_name", "VARCHAR"),
        ("location_name_ar", "VARCHAR"),
        ("admin1", "VARCHAR"),
        ("lat", "DOUBLE"),
        ("lon", "DOUBLE"),
        ("created_at", "TIMESTAMP WITH TIME ZONE"),
        ("updated_at", "TIMESTAMP WITH TIME ZONE"),
        ("last_source_at", "TIMESTAMP WITH TIME ZONE"),
        ("documents", "INTEGER"),
        ("new_sources", "INTEGER"),
        ("sources", "VARCHAR[]"),
        ("languages", "VARCHAR[]"),
        ("title", "VARCHAR"),
        ("place_names", "VARCHAR"),
        ("reviewed_at", "TIMESTAMP WITH TIME ZONE"),
        ("changed_at", "TIMESTAMP WITH TIME ZONE"),
        ("perpetrators", "VARCHAR[]"),
    ],
    "incident_keys": [("key", "VARCHAR"), ("incident_id", "BIGINT")],
    "incident_members": [
        ("candidate_id", "BIGINT"),
        ("incident_id", "BIGINT"),
        ("document_id", "BIGINT"),
        ("attached_at", "TIMESTAMP WITH TIME ZONE"),
        ("attached_by", "VARCHAR"),
        ("is_new", "BOOLEAN"),
    ],
    "incident_audit": [
        ("id", "BIGINT"),
        ("incident_id", "BIGINT"),
        ("logged_at", "TIMESTAMP WITH TIME ZONE"),
        ("actor", "VARCHAR"),
        ("action", "VARCHAR"),
        ("from_value", "VARCHAR"),
        ("to_value", "VARCHAR"),
        ("reason", "VARCHAR"),
        ("field", "VARCHAR"),
    ],
    "incident_merges": [
        ("id", "BIGINT"),
        ("source_id", "BIGINT"),
        ("target_id", "BIGINT"),
        ("candidates", "BIGINT[]"),
        ("source_status", "VARCHAR"),
        ("merged_at", "TIMESTAMP WITH TIME ZONE"),
        ("merged_by", "VARCHAR"),
        ("undone_at", "TIMESTAMP WITH TIME ZONE"),
    ],
    "users": [
        ("name", "VARCHAR"),
        ("role", "VARCHAR"),
        ("password_hash", "VARCHAR"),
        ("created_at", "TIMESTAMP WITH TIME ZONE"),
        ("created_by", "VARCHAR"),
        ("password_set_at", "TIMESTAMP WITH TIME ZONE"),
        ("disabled_at", "TIMESTAMP WITH TIME ZONE"),
        ("language", "VARCHAR"),
    ],
    "incident_corrections": [
        ("incident_id", "BIGINT"),
        ("field", "VARCHAR"),
        ("value", "JSON"),
        ("set_by", "VARCHAR"),
        ("set_at", "TIMESTAMP WITH TIME ZONE"),
        ("reason", "VARCHAR"),
    ],
    "ingested": [
        ("document_id", "BIGINT"),
        ("input_id", "VARCHAR"),
        ("ingested_at", "TIMESTAMP WITH TIME ZONE"),
    ],
    "run_triggers": [
        ("run_id", "BIGINT"),
        ("trigger", "VARCHAR"),
        ("planned_for", "TIMESTAMP WITH TIME ZONE"),
    ],
    "digests": [
        ("id", "BIGINT"),
        ("created_at", "TIMESTAMP WITH TIME ZONE"),
        ("since", "TIMESTAMP WITH TIME ZONE"),
        ("until", "TIMESTAMP WITH TIME ZONE"),
        ("incidents", "INTEGER"),
        ("html_path", "VARCHAR"),
        ("markdown_path", "VARCHAR"),
        ("sent_to", "VARCHAR[]"),
        ("send_error", "VARCHAR"),
    ],
    "search_postings": [("term", "VARCHAR"), ("document_id", "BIGINT"), ("tf", "INTEGER")],
    "search_documents": [("document_id", "BIGINT"), ("terms", "INTEGER")],
    "search_forms": [("form", "VARCHAR"), ("term", "VARCHAR")],
}


def test_blank_database_migrates_to_the_exact_schema(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.duckdb")
    try:
        assert store.migrations() == [name for name, _ in MIGRATIONS]
        for table, columns in EXPECTED.items():
            assert store.columns(table) == columns, table
    finally:
        store.close()


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "m.duckdb"
    Store(path).close()
    store = Store(path)
    try:
        assert store.migrations() == [name for name, _ in MIGRATIONS]
    finally:
        store.close()


def test_incidents_clustered_before_m006_get_their_documents_summary(tmp_path: Path) -> None:
    path = tmp_path / "m.duckdb"
    db = duckdb.connect(str(path))
    applied(db)
    for version, (name, fn) in enumerate(MIGRATIONS[:5], start=1):
        fn(db)
        db.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [version, name])
    for doc, source, language, title in [
        (1, "b-news", "en", None),
        (2, "a-news", "ar", "Second"),
        (3, "b-news", None, "Third"),
    ]:
        db.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, 1, 'sha', ?, ?, 'text', NULL, NULL, ?, "
            "now(), now())",
            [doc, url := f"https://x.example/{doc}", url, source, f"t{doc}", title, language],
        )
    for incident in (10, 11):
        db.execute(
            "INSERT INTO incidents (id, status, tags, types, confidence, created_at, updated_at, "
            "last_source_at) VALUES (?, 'new', [], ['killing'], 0.5, now(), now(), now())",
            [incident],
        )
    # Incident 10: documents 1 and 2 (two candidates of document 2, one shown as new) and 3;
    # incident 11 has no member left.
    for candidate, doc, is_new in [
        (100, 1, False),
        (101, 2, True),
        (102, 2, False),
        (103, 3, False),
    ]:
        db.execute(
            "INSERT INTO incident_members VALUES (?, 10, ?, now(), 'test', ?)",
            [candidate, doc, is_new],
        )
    db.close()
    store = Store(path)
    try:
        assert store.migrations() == [name for name, _ in MIGRATIONS]
        ten, eleven = store.incident(10), store.incident(11)
    finally:
        store.close()
    assert ten is not None and eleven is not None
    assert (ten["documents"], ten["new_sources"], ten["title"]) == (3, 1, "Second")
    assert ten["sources"] == ["a-news", "b-news"] and ten["languages"] == ["ar", "en"]
    assert (eleven["documents"], eleven["new_sources"], eleven["sources"]) == (0, 0, [])
    assert eleven["languages"] == [] and eleven["title"] is None


def test_incidents_clustered_before_m007_get_the_place_names_of_their_candidates(
    tmp_path: Path,
) -> None:
    path = tmp_path / "m.duckdb"
    db = duckdb.connect(str(path))
    applied(db)
    for version, (name, fn) in enumerate(MIGRATIONS[:6], start=1):
        fn(db)
        db.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [version, name])
    for incident in (10, 11):
        db.execute(
            "INSERT INTO incidents (id, status, tags, types, confidence, created_at, updated_at, "
            "last_source_at) VALUES (?, 'new', [], ['killing'], 0.5, now(), now(), now())",
            [incident],
        )
    rows: list[tuple[int, str | None, str | None]] = [
        (100, "Tripoli", "طرابلس"),
        (101, "Tajoura", None),
        (102, "Tripoli", "طرابلس"),
        (103, None, None),
    ]
    for candidate, name, name_ar in rows:
        db.execute(
            "INSERT INTO candidates (id, document_id, nlp_version, ordinal, types, confidence, "
            "location_name, location_name_ar, finding, created_at) "
            "VALUES (?, 1, 'v', 0, ['killing'], 0.5, ?, ?, '{}', now())",
            [candidate, name, name_ar],
        )
        db.execute(
            "INSERT INTO incident_members VALUES (?, 10, 1, now(), 'test', FALSE)", [candidate]
        )
    db.close()
    store = Store(path)
    try:
        ten, eleven = store.incident(10), store.incident(11)
    finally:
        store.close()
    assert ten is not None and eleven is not None
    assert ten["place_names"] == "Tajoura\nTripoli\nطرابلس"
    assert eleven["place_names"] == ""
