"""Triage queries on a large synthetic database: the queue, an incident page, the exports.

The database is made through the real `Store` (so the schema is the migrated one) and filled in
bulk with SQL: documents with their fetches and captures, candidates spread over types, places,
dates, languages and sources, incidents with their members and keys, and analyst decisions.
Requests then go through the triage web app itself (Starlette's test client), so the figures
are what an analyst waits for, templates included; exports go through `triage.exports`.

    .venv/bin/python bench/storage_queries.py [--candidates 1000000] [--incidents 200000]
        [--db PATH (reuse or keep the database)] [--repeat 5]

The goal is under 100 ms for the queue and for an incident page.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from starlette.testclient import TestClient

from storage import Store
from storage.incidents import IncidentFilter
from triage import exports
from triage.app import create_app

if TYPE_CHECKING:
    from collections.abc import Callable

GOAL_MS = 100.0
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


def build(path: Path, candidates: int, incidents: int) -> None:
    """Fill a new database at `path`: two candidates a document, `incidents` incidents."""
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
            DATE '2020-01-01' + (i % 2000)::INTEGER, NULL,
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
            DATE '2020-01-01' + ((c % {incidents}) % 2000)::INTEGER,
            DATE '2020-01-01' + ((c % {incidents}) % 2000)::INTEGER, 'day',
            p.n, p.a, p.d, p.lat, p.lon,
            CASE WHEN c % 4 = 0 THEN c % 9 END, NULL, CASE WHEN c % 5 = 0 THEN 1 + c % 6 END, NULL,
            json_object('evidence', [json_object('start', 0, 'end', 60,
                'text', substr('{TEXT}', 1, 60))]),
            TIMESTAMPTZ '2024-01-01' + INTERVAL (c) SECOND,
            CASE WHEN c % 10 = 9 THEN TIMESTAMPTZ '2024-06-01' END
            FROM range({candidates}) t(c),
            LATERAL (SELECT ({places})[1 + (c % {incidents}) % {len(PLACES)}] AS p)""",
        f"""INSERT INTO incidents SELECT i,
            CASE WHEN i % 10 < 6 THEN 'new' WHEN i % 10 < 7 THEN 'in_review'
                 WHEN i % 10 < 8 THEN 'confirmed' WHEN i % 10 < 9 THEN 'rejected'
                 ELSE 'sent' END,
            NULL, CASE WHEN i % 10 = 6 THEN 'analyst-' || (i % 5) END, NULL,
            CASE WHEN i % 50 = 0 THEN ['priority'] ELSE [] END,
            [({types})[1 + i % 10]], 0.5 + (hash(i) % 50) / 100.0,
            DATE '2020-01-01' + (i % 2000)::INTEGER, DATE '2020-01-01' + (i % 2000)::INTEGER,
            'day', p.n, p.a, p.d, p.lat, p.lon,
            TIMESTAMPTZ '2024-01-01' + INTERVAL (i) SECOND,
            TIMESTAMPTZ '2024-01-01' + INTERVAL (i) SECOND,
            TIMESTAMPTZ '2024-01-01' + INTERVAL (i) SECOND
            FROM range({incidents}) t(i),
            LATERAL (SELECT ({places})[1 + i % {len(PLACES)}] AS p)""",
        f"""INSERT INTO incident_members SELECT c, c % {incidents}, c // 2,
            TIMESTAMPTZ '2024-01-01' + INTERVAL (c) SECOND, 'cluster', c % 97 = 0
            FROM range({candidates}) t(c)""",
        f"""INSERT INTO incident_keys SELECT 'm:' || strftime(DATE '2020-01-01'
            + (i % 2000)::INTEGER, '%Y-%m'), i FROM range({incidents}) t(i)""",
        f"""INSERT INTO incident_audit SELECT i, i % {incidents},
            TIMESTAMPTZ '2024-07-01' + INTERVAL (i) SECOND, 'analyst-' || (i % 5), 'status',
            'new', 'in_review', NULL FROM range({incidents // 2}) t(i)""",
    ]
    with store.transaction() as db:
        for sql in statements:
            db.execute(sql)
    store.close()


def timed(
    fn: Callable[[], object], repeat: int, *, warm: bool = True
) -> tuple[float, float, object]:
    """Median and worst milliseconds over `repeat` calls (after one warm-up), and a result."""
    result = fn() if warm else None
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times), result


def run(path: Path, repeat: int) -> list[tuple[str, float, float, str, bool | None]]:
    store = Store(path)
    client = TestClient(create_app(store, actor="bench"))
    counts = store._one(
        "SELECT (SELECT count(*) FROM candidates) AS candidates, "
        "(SELECT count(*) FROM incidents) AS incidents, "
        "(SELECT count(*) FROM documents) AS documents"
    )
    print(
        f"database: {counts['candidates']:,} candidates, {counts['incidents']:,} incidents, "
        f"{counts['documents']:,} documents ({path.stat().st_size / 2**20:,.0f} MiB)"
    )
    rows: list[tuple[str, float, float, str, bool | None]] = []

    def page(label: str, url: str, goal: bool = True) -> None:
        def get() -> int:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return len(response.content)

        median, worst, size = timed(get, repeat)
        rows.append((label, median, worst, f"{size:,} bytes", median < GOAL_MS if goal else None))

    some = int(store.incident_queue(IncidentFilter(statuses=("new",)), limit=1)[0]["id"])
    page("queue: open, by confidence", "/")
    page("queue: by recency", "/?order=recent")
    page("queue: by incident date", "/?order=date")
    page("queue: type filter", "/?type=torture")
    page("queue: district + date range", "/?district=Benghazi&from=2021-01-01&to=2021-12-31")
    page("queue: place (any source's)", "/?place=Sabha")
    page("queue: source filter", "/?source=source-7")
    page("queue: language filter", "/?language=ar")
    page("queue: min confidence", "/?min_confidence=0.9")
    page("queue: all statuses", "/?status=all")
    page("queue: page 200", "/?page=200")
    page("queue: free text (searches article text)", "/?q=Report+12345", goal=False)
    page("incident page", f"/incidents/{some}")
    page("incident page, queue filter kept", f"/incidents/{some}?type=torture&order=recent")
    page("map (2,000 incidents)", "/map", goal=False)

    for label, where in [
        (
            "export csv: one district, one year",
            IncidentFilter(
                district="Benghazi", date_from=_d("2021-01-01"), date_to=_d("2021-12-31")
            ),
        ),
        ("export csv: open queue", IncidentFilter(statuses=("new", "in_review"))),
    ]:

        def export(where: IncidentFilter = where) -> int:
            out = io.BytesIO()
            return exports.export(store, path.parent, where, "csv", out)

        median, worst, n = timed(export, 1, warm=False)
        rows.append((label, median, worst, f"{n:,} incidents", None))
    store.close()
    return rows


def _d(value: str) -> object:
    from datetime import date

    return date.fromisoformat(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=1_000_000)
    parser.add_argument("--incidents", type=int, default=200_000)
    parser.add_argument("--db", type=Path, help="database to reuse (built there if missing)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as tmp:
        path = args.db or Path(tmp) / "marsad.duckdb"
        if not path.exists():
            start = time.perf_counter()
            build(path, args.candidates, args.incidents)
            print(f"built in {time.perf_counter() - start:.1f} s")
        rows = run(path, args.repeat)
    print(f"{'request':<44} {'median ms':>10} {'worst ms':>10}  {'size':<18} goal <100 ms")
    for label, median, worst, size, ok in rows:
        verdict = "" if ok is None else ("met" if ok else "MISSED")
        print(f"{label:<44} {median:>10.1f} {worst:>10.1f}  {size:<18} {verdict}")


if __name__ == "__main__":
    main()
