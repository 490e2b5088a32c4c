from __future__ import annotations

from typing import TYPE_CHECKING

from storage import Store
from storage.migrations import MIGRATIONS

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
