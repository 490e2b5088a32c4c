"""A synthetic Marsad database for the benchmarks, made through the real `Store` and filled in
bulk with SQL: documents with their fetches and captures, two candidates a document spread over
types, places, dates, languages and sources, incidents with their members and blocking keys,
and analyst decisions. Building a million candidates takes about half a minute.
"""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage import Store
from storage.migrations import FILL_PLACE_NAMES

if TYPE_CHECKING:
    from collections.abc import Iterator

TYPES = [
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
]
PLACES = [
    ("Tripoli", "طرابلس", "Tripoli", 32.89, 13.19),
    ("Benghazi", "بنغازي", "Benghazi", 32.12, 20.07),
    ("Misrata", "مصراتة", "Misrata", 32.38, 15.09),
    ("Sabha", "سبها", "Sabha", 27.04, 14.43),
    ("Zawiya", "الزاوية", "Zawiya", 32.76, 12.73),
    ("Sirte", "سرت", "Sirte", 31.21, 16.59),
    ("Derna", "درنة", "Derna", 32.77, 22.64),
    ("Tarhuna", "ترهونة", "Murqub", 32.43, 13.63),
    ("Tajoura", "تاجوراء", "Tripoli", 32.88, 13.35),
    ("Kufra", "الكفرة", "Kufra", 24.18, 23.31),
    ("Ajdabiya", "أجدابيا", "Al Wahat", 30.76, 20.22),
    ("Ghat", "غات", "Ghat", 24.96, 10.17),
]
SOURCES = 18
TEXT = (
    "Armed men abducted a local official outside his home in the city on Tuesday, relatives "
    "said. The municipal council condemned the abduction and called for his release. "
)


def machine() -> str:
    """Cores, memory, CPU, Python and DuckDB: the figures mean little without them."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    return (
        f"machine: {os.cpu_count()} cores ({cpu}), {memory:.0f} GiB; "
        f"Python {platform.python_version()}, DuckDB {duckdb.__version__}"
    )


@contextlib.contextmanager
def prepared(
    db: Path | None, candidates: int, incidents: int, *, keep: bool = False
) -> Iterator[Path]:
    """The store a benchmark measures: `db` when given (built there if missing, and kept), else
    one built in a scratch folder that goes afterwards unless `keep`."""
    scratch = Path(tempfile.mkdtemp(prefix="marsad-bench-"))
    path = db or scratch / "marsad.duckdb"
    try:
        if not path.exists():
            start = time.perf_counter()
            build(path, candidates, incidents)
            print(f"built {path} in {time.perf_counter() - start:.1f} s")
        yield path
    finally:
        if keep or db:
            print(f"database kept: {path}")
        if not keep:
            shutil.rmtree(scratch)


def build(path: Path, candidates: int, incidents: int, days: int = 2000) -> None:
    """Fill a new database at `path`: two candidates a document, `incidents` incidents whose
    dates spread over `days` days from 2020-01-01."""
    documents = candidates // 2
    store = Store(path)
    places = (
        "["
        + ", ".join(
            f"{{'n': '{n}', 'a': '{a}', 'd': '{d}', 'lat': {la}, 'lon': {lo}}}"
            for n, a, d, la, lo in PLACES
        )
        + "]"
    )
    types = "[" + ", ".join(f"'{t}'" for t in TYPES) + "]"
    statements = [
        f"""INSERT INTO captures SELECT sha256(i::VARCHAR), 40000 + i % 30000, 'text/html',
            'captures/' || sha256(i::VARCHAR), TIMESTAMPTZ '2024-01-01' + INTERVAL (i) SECOND
            FROM range({documents}) t(i)""",
        f"""INSERT INTO fetches SELECT i, 1, 'source-' || (i % {SOURCES}),
            'https://source-' || (i % {SOURCES}) || '.example/news/' || i,
            'https://source-' || (i % {SOURCES}) || '.example/news/' || i, [], 200,
            '{{"content-type": "text/html"}}', TIMESTAMPTZ '2024-01-01' + INTERVAL (i) SECOND,
            sha256(i::VARCHAR), 'bench' FROM range({documents}) t(i)""",
        f"""INSERT INTO documents SELECT i,
            'https://source-' || (i % {SOURCES}) || '.example/news/' || i,
            'https://source-' || (i % {SOURCES}) || '.example/news/' || i,
            'source-' || (i % {SOURCES}), i, sha256(i::VARCHAR), md5(i::VARCHAR),
            'Report ' || i, 'Report ' || i || '. ' || repeat('{TEXT}', 12),
            DATE '2020-01-01' + (i % {days})::INTEGER, NULL,
            CASE WHEN i % 3 = 0 THEN 'ar' ELSE 'en' END,
            TIMESTAMPTZ '2024-01-01' + INTERVAL (i) SECOND,
            TIMESTAMPTZ '2024-01-01' + INTERVAL (i) SECOND
            FROM range({documents}) t(i)""",
        f"""INSERT INTO analyses SELECT i, 'bench', CASE WHEN i % 3 = 0 THEN 'ar' ELSE 'en' END,
            2, TIMESTAMPTZ '2024-01-01' FROM range({documents}) t(i)""",
        f"""INSERT INTO candidates SELECT c, c // 2, 'bench', c % 2,
            [({types})[1 + c % 10]] || CASE WHEN c % 7 = 0 THEN [({types})[1 + (c + 3) % 10]]
                ELSE [] END,
            0.5 + (hash(c) % 50) / 100.0,
            DATE '2020-01-01' + ((c % {incidents}) % {days})::INTEGER,
            DATE '2020-01-01' + ((c % {incidents}) % {days})::INTEGER, 'day',
            p.n, p.a, p.d, p.lat, p.lon,
            CASE WHEN c % 4 = 0 THEN c % 9 END, NULL, CASE WHEN c % 5 = 0 THEN 1 + c % 6 END, NULL,
            json_object('evidence', [json_object('start', 0, 'end', 60,
                'text', substr('{TEXT}', 1, 60))]),
            TIMESTAMPTZ '2024-01-01' + INTERVAL (c) SECOND,
            CASE WHEN c % 10 = 9 THEN TIMESTAMPTZ '2024-06-01' END,
            NULL, NULL, NULL  -- every candidate is dated: no year-less day and month (m020)
            FROM range({candidates}) t(c),
            LATERAL (SELECT ({places})[1 + (c % {incidents}) % {len(PLACES)}] AS p)""",
        f"""INSERT INTO incident_members SELECT c, c % {incidents}, c // 2,
            TIMESTAMPTZ '2024-01-01' + INTERVAL (c) SECOND, 'cluster', c % 97 = 0
            FROM range({candidates}) t(c)""",
        # Members first: each incident's documents summary (migration m006) is read from them.
        f"""INSERT INTO incidents (id, status, merged_into, assignee, notes, tags, types,
            confidence, date_start, date_end, date_precision, location_name, location_name_ar,
            admin1, lat, lon, created_at, updated_at, last_source_at, documents, new_sources,
            sources, languages, title)
            SELECT i,
            CASE WHEN i % 10 < 6 THEN 'new' WHEN i % 10 < 7 THEN 'in_review'
                 WHEN i % 10 < 8 THEN 'confirmed' WHEN i % 10 < 9 THEN 'rejected'
                 ELSE 'sent' END,
            NULL, CASE WHEN i % 10 = 6 THEN 'analyst-' || (i % 5) END, NULL,
            CASE WHEN i % 50 = 0 THEN ['priority'] ELSE [] END,
            [({types})[1 + i % 10]], 0.5 + (hash(i) % 50) / 100.0,
            DATE '2020-01-01' + (i % {days})::INTEGER, DATE '2020-01-01' + (i % {days})::INTEGER,
            'day', p.n, p.a, p.d, p.lat, p.lon,
            TIMESTAMPTZ '2024-01-01' + INTERVAL (i) SECOND,
            TIMESTAMPTZ '2024-01-01' + INTERVAL (i) SECOND,
            TIMESTAMPTZ '2024-01-01' + INTERVAL (i) SECOND,
            coalesce(s.documents, 0), coalesce(s.new_sources, 0), coalesce(s.sources, []),
            coalesce(s.languages, []), s.title
            FROM range({incidents}) t(i)
            LEFT JOIN (
                SELECT m.incident_id, count(DISTINCT m.document_id) AS documents,
                    count(*) FILTER (WHERE m.is_new) AS new_sources,
                    list(DISTINCT d.source ORDER BY d.source) AS sources,
                    list(DISTINCT d.language ORDER BY d.language)
                        FILTER (WHERE d.language IS NOT NULL) AS languages,
                    arg_min(d.title, d.id) AS title
                FROM incident_members m JOIN documents d ON d.id = m.document_id GROUP BY 1
            ) s ON s.incident_id = i,
            LATERAL (SELECT ({places})[1 + i % {len(PLACES)}] AS p)
            ORDER BY i""",
        FILL_PLACE_NAMES,
        # The week key `incidents.cluster` files a day-precise incident under: w<ordinal // 7>.
        f"""INSERT INTO incident_keys SELECT 'w' || ((date_diff('day', DATE '0001-01-01',
            DATE '2020-01-01' + (i % {days})::INTEGER) + 1) // 7), i
            FROM range({incidents}) t(i)""",
        f"""INSERT INTO incident_audit
            (id, incident_id, logged_at, actor, action, from_value, to_value, reason)
            SELECT i, i % {incidents},
            TIMESTAMPTZ '2024-07-01' + INTERVAL (i) SECOND, 'analyst-' || (i % 5), 'status',
            'new', 'in_review', NULL FROM range({incidents // 2}) t(i)""",
    ]
    with store.transaction() as db:
        # The bar is drawn with carriage returns over the benchmark's own output.
        db.execute("SET enable_progress_bar = false")
        for sql in statements:
            db.execute(sql)
        # DuckDB sequences cannot be set: draw them past the ids written above, so that rows
        # added later (a benchmark's new documents) get fresh ids.
        for sequence, table in [
            ("document_ids", "documents"),
            ("fetch_ids", "fetches"),
            ("candidate_ids", "candidates"),
            ("incident_ids", "incidents"),
            ("incident_audit_ids", "incident_audit"),
        ]:
            db.execute(
                f"SELECT max(nextval('{sequence}')) FROM range((SELECT max(id) + 1 FROM {table}))"
            )
    store.close()
