"""Triage queries on a large synthetic database: the queue, an incident page, the exports.

The database (`synthetic_store.build`) is made through the real `Store`, so the schema is the
migrated one, and filled in bulk. Web requests go through the triage app itself (Starlette's
test client), so the figures are what an analyst waits for, templates included; the terminal
rows call the store functions `marsad triage list` and `marsad triage show` call; exports go
through `triage.exports.export`, as `marsad export` and the web UI's export link do.

    .venv/bin/python bench/storage_queries.py [--candidates 1000000] [--incidents 200000]
        [--db PATH (reuse the database there, or build it there)] [--keep] [--repeat 7]

The goal is under 100 ms (median) for the queue and for an incident page; the other rows are
figures without a goal. Timing a database that is reused after a run adds that run's custody
log entries (the bundle export writes them), nothing else.
"""

from __future__ import annotations

import argparse
import io
import secrets
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from starlette.testclient import TestClient
from synthetic_store import machine, prepared

from storage import CaptureFiles, Store
from storage.incidents import OPEN, IncidentFilter
from triage import exports
from triage.app import create_app

if TYPE_CHECKING:
    from collections.abc import Callable

GOAL_MS = 100.0


class Row(NamedTuple):
    label: str
    median: float
    worst: float
    size: str
    goal: bool  # whether the row is held to GOAL_MS


def add(rows: list[Row], row: Row) -> None:
    """Keep a row, and say it on stderr at once: the whole run takes minutes."""
    rows.append(row)
    print(f"  {row.label}: {row.median:.1f} ms", file=sys.stderr, flush=True)


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """Median and worst milliseconds over `repeat` calls, after one warm-up call, and the last
    call's result."""
    result = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times), result


def web(client: TestClient, repeat: int, rows: list[Row]) -> None:
    """The queue with each filter the UI offers, each order, a deep page; incident pages."""

    def page(label: str, url: str, goal: bool = True) -> None:
        def get() -> int:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return len(response.content)

        median, worst, size = timed(get, repeat)
        add(rows, Row(label, median, worst, f"{size:,} bytes", goal))

    page("queue: open, by confidence (first page)", "/")
    page("queue: by recency", "/?order=recent")
    page("queue: by incident date", "/?order=date")
    page("queue: page 200 (of 1,400)", "/?page=200")
    page("queue: all statuses", "/?status=all")
    page("queue: confirmed only", "/?status=confirmed")
    page("queue: one type", "/?type=torture")
    page("queue: two types", "/?type=torture&type=killing")
    page("queue: place (any source's)", "/?place=Sabha")
    page("queue: district", "/?district=Benghazi")
    page("queue: date range (one year)", "/?from=2021-01-01&to=2021-12-31")
    page("queue: source", "/?source=source-7")
    page("queue: language", "/?language=ar")
    page("queue: min confidence 0.9", "/?min_confidence=0.9")
    page("queue: assignee", "/?assignee=analyst-1")
    page("queue: tag", "/?tag=priority")
    page(
        "queue: district+dates+type+language, by date",
        "/?district=Benghazi&from=2021-01-01&to=2021-12-31&type=killing&language=en&order=date",
    )
    page("queue: free text (reads article text)", "/?q=Report+12345", goal=False)


def incident_pages(
    client: TestClient, store: Store, repeat: int, rows: list[Row], incident_id: int
) -> None:
    for label, url in [
        ("incident page", f"/incidents/{incident_id}"),
        ("incident page, queue filter kept", f"/incidents/{incident_id}?type=torture&order=recent"),
    ]:

        def get(url: str = url) -> int:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return len(response.content)

        median, worst, size = timed(get, repeat)
        add(rows, Row(label, median, worst, f"{size:,} bytes", True))
    median, worst, size = timed(lambda: len(client.get("/map").content), repeat)
    add(rows, Row("map (the queue's first 2,000)", median, worst, f"{size:,} bytes", False))


def terminal(store: Store, repeat: int, rows: list[Row], incident_id: int) -> None:
    """What `marsad triage list` and `marsad triage show` read (process start-up aside)."""
    for label, where in [
        ("CLI triage list (50, open)", IncidentFilter(statuses=OPEN)),
        ("CLI triage list --language ar", IncidentFilter(statuses=OPEN, language="ar")),
    ]:

        def listing(where: IncidentFilter = where) -> int:
            return len(store.incident_queue(where, order="confidence", limit=50))

        median, worst, n = timed(listing, repeat)
        add(rows, Row(label, median, worst, f"{n} incidents", True))

    def show() -> int:
        # What `marsad triage show` reads: the incident as exported, then its history.
        (record,) = exports.records(store, IncidentFilter(ids=(incident_id,)), text=False)
        store.incident_audit(incident_id)
        return len(exports.to_json([record])["incidents"][0]["sources"])

    median, worst, n = timed(show, repeat)
    add(rows, Row("CLI triage show", median, worst, f"{n} sources", True))


def export_rows(store: Store, data_dir: Path, rows: list[Row]) -> None:
    """Each export format on a district's year; a bundle of a district's month (its captures
    written first); the whole open queue as CSV. Timed once each: they take seconds."""
    year = IncidentFilter(
        statuses=OPEN, district="Benghazi", date_from=date(2021, 1, 1), date_to=date(2021, 12, 31)
    )
    month = IncidentFilter(
        statuses=OPEN, district="Benghazi", date_from=date(2021, 3, 1), date_to=date(2021, 3, 31)
    )
    # The synthetic captures are named by the SHA-256 of the document id's digits.
    captures = CaptureFiles(data_dir / "captures")
    for record in exports.records(store, month):
        for source in record["supporting"]:
            captures.put(str(source["document_id"]).encode())
    jobs = [
        (f"export {kind}: a district's year", year, kind)
        for kind in ("csv", "json", "geojson", "acled")
    ]
    jobs += [
        ("export bundle: a district's month", month, "bundle"),
        ("export csv: the whole open queue", IncidentFilter(statuses=OPEN), "csv"),
    ]
    for label, where, kind in jobs:
        out = io.BytesIO()
        start = time.perf_counter()
        n = exports.export(store, data_dir, where, kind, out, actor="bench")
        ms = (time.perf_counter() - start) * 1000
        add(
            rows,
            Row(label, ms, ms, f"{n:,} inc., {out.getbuffer().nbytes / 2**20:,.1f} MiB", False),
        )


def run(path: Path, repeat: int) -> list[Row]:
    store = Store(path)
    counts = store._one(
        "SELECT (SELECT count(*) FROM candidates) AS candidates, "
        "(SELECT count(*) FROM incidents) AS incidents, "
        "(SELECT count(*) FROM documents) AS documents, "
        "(SELECT count(*) FROM incident_audit) AS decisions"
    )
    assert counts is not None
    print(
        f"database: {counts['candidates']:,} candidates, {counts['incidents']:,} incidents, "
        f"{counts['documents']:,} documents, {counts['decisions']:,} audit entries "
        f"({path.stat().st_size / 2**20:,.0f} MiB)"
    )
    # The pages timed here only read: the machine token (a read-only viewer) is enough.
    token = secrets.token_urlsafe(32)
    client = TestClient(
        create_app(store, token=token, data_dir=path.parent),
        headers={"authorization": f"Bearer {token}"},
    )
    rows: list[Row] = []
    incident_id = store.incident_ids(IncidentFilter(statuses=("new",)), limit=1)[0]
    web(client, repeat, rows)
    incident_pages(client, store, repeat, rows, incident_id)
    terminal(store, repeat, rows, incident_id)
    export_rows(store, path.parent, rows)
    store.close()
    return rows


def report(rows: list[Row], repeat: int) -> None:
    print(f"\n{repeat} timed runs after a warm-up (exports: one run each)")
    print(f"{'request':<48} {'median ms':>10} {'worst ms':>10}  {'result':<26} goal < 100 ms")
    for row in rows:
        verdict = "" if not row.goal else ("pass" if row.median < GOAL_MS else "MISS")
        print(f"{row.label:<48} {row.median:>10.1f} {row.worst:>10.1f}  {row.size:<26} {verdict}")
    held = [r for r in rows if r.goal]
    missed = [r for r in held if r.median >= GOAL_MS]
    print(f"\n{len(held) - len(missed)} of {len(held)} rows held to the goal pass")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=1_000_000)
    parser.add_argument("--incidents", type=int, default=200_000)
    parser.add_argument("--db", type=Path, help="database to reuse (built there if missing)")
    parser.add_argument("--keep", action="store_true", help="keep a database built here")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(machine())
    with prepared(args.db, args.candidates, args.incidents, keep=args.keep) as path:
        rows = run(path, args.repeat)
    report(rows, args.repeat)


if __name__ == "__main__":
    main()
