"""Triage queries on a large synthetic database: the queue, an incident page, the exports.

The database (`synthetic_store.build`) is made through the real `Store`, so the schema is the
migrated one, and filled in bulk. Requests then go through the triage web app itself
(Starlette's test client), so the figures are what an analyst waits for, templates included;
exports go through `triage.exports`.

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
from synthetic_store import build

from storage import Store
from storage.incidents import IncidentFilter
from triage import exports
from triage.app import create_app

if TYPE_CHECKING:
    from collections.abc import Callable

GOAL_MS = 100.0


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
