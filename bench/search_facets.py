"""Search and facets on a large synthetic database, against the substring scan they replace.

The database is `synthetic_store.build`'s (a million candidates, 500,000 documents, 200,000
incidents by default). The search index is built first if it is not (`storage.search.catch_up`
as `marsad search-index` runs it, timed). Then, each a median of `--repeat` runs after a
warm-up:

- "scan": the queue's former text filter (ILIKE over every document's title, text and URL);
- "search": the same words through the index, unranked (a filter) and ranked (best match);
- facet counts for the queue's selections;
- storing a batch of 20 documents with their index entries (as the pipeline stores), and with
  indexing left out;
- the queue page with its facets and the clustered map (web).

    .venv/bin/python bench/search_facets.py [--db PATH (reuse, or build there)] [--repeat 5]

The goal is under 100 ms (median) for searches and facet counts. Every synthetic document has
the same sentences, so a word of them is in all 500,000 documents: the rows "a word in every
document" are the worst case, not a typical one.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import secrets
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from starlette.testclient import TestClient
from storage_queries import GOAL_MS, Row, add, report
from synthetic_store import TEXT, machine, prepared

from storage import Store, facets, search
from storage.incidents import OPEN, IncidentFilter
from storage.store import NewDocument
from triage.app import create_app

if TYPE_CHECKING:
    from collections.abc import Callable

T = TypeVar("T")

# The queue's text filter before the index, as it was (storage/incidents.py at main).
SCAN = (
    "SELECT count(*) AS n FROM incidents i WHERE i.status IN ('new', 'in_review') AND "
    "(i.notes ILIKE ? OR i.location_name ILIKE ? OR i.location_name_ar ILIKE ? "
    "OR i.id IN (SELECT m.incident_id FROM documents d JOIN incident_members m "
    "ON m.document_id = d.id WHERE d.title ILIKE ? OR d.text ILIKE ? OR d.url ILIKE ?))"
)
SEARCHES = [
    ("a rare word (one document)", "12345"),
    ("two words, one rare", "Report 12345"),
    ("a place, expanded to its spellings", "Misurata"),
    ("an Arabic place, variant spelling", "مصراته"),
    ("a word in every document", "abduction"),
    ("two words in every document", "council release"),
]


# CPU milliseconds (median) of each row, all threads: on a machine shared with other jobs the
# wall time mostly measures the wait for a core, the CPU time the work.
CPU: dict[str, float] = {}


def timed(fn: Callable[[], T], repeat: int, label: str) -> tuple[float, float, T]:
    """Median and worst wall milliseconds over `repeat` calls after a warm-up, and the last
    call's result; the median CPU milliseconds go in `CPU[label]`."""
    result = fn()
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    CPU[label] = statistics.median(cpus)
    return statistics.median(walls), max(walls), result


def run(path: Path, repeat: int) -> list[Row]:
    store = Store(path)
    rows: list[Row] = []
    start = time.perf_counter()
    # As `marsad search-index` does it.
    indexed = search.catch_up(store, chunk=50_000)
    ms = (time.perf_counter() - start) * 1000
    if indexed:
        add(rows, Row("build the index", ms, ms, f"{indexed:,} documents", False))
    size = store._one(
        "SELECT (SELECT count(*) FROM search_postings) AS postings, "
        "(SELECT count(*) FROM search_forms) AS forms"
    )
    assert size is not None
    print(f"index: {size['postings']:,} postings, {size['forms']:,} Arabic forms")

    # The same page without a search: how loaded the machine is, to read the rows below against.
    plain = IncidentFilter(statuses=OPEN)
    label = "queue, no search (for reference)"
    median, worst, n = timed(
        lambda: store.incident_page(plain, size=100, number=1)[1], repeat, label
    )
    add(rows, Row(label, median, worst, f"{n:,} incidents", False))

    for label, text in SEARCHES:
        pattern = f"%{text}%"

        def scan(pattern: str = pattern) -> int:
            found = store._one(SCAN, [pattern] * 6)
            assert found is not None
            return int(found["n"])

        median, worst, n = timed(scan, repeat, f"scan: {label}")
        add(rows, Row(f"scan: {label}", median, worst, f"{n:,} incidents", False))
        where = IncidentFilter(statuses=OPEN, text=text)
        for order in ("confidence", "relevance"):

            def page(where: IncidentFilter = where, order: str = order) -> int:
                return store.incident_page(where, order=order, size=100, number=1)[1]

            kind = "ranked" if order == "relevance" else "filter"
            median, worst, n = timed(page, repeat, f"search ({kind}): {label}")
            add(rows, Row(f"search ({kind}): {label}", median, worst, f"{n:,} incidents", True))

    for label, where in [
        ("facets: the open queue", IncidentFilter(statuses=OPEN)),
        ("facets: every status", IncidentFilter()),
        (
            "facets: two districts, two types",
            IncidentFilter(
                statuses=OPEN,
                types=("killing", "torture"),
                facets=(("district", ("Benghazi", "Tripoli")),),
            ),
        ),
        ("facets: undated only", IncidentFilter(facets=(("precision", ("undated",)),))),
        ("facets: a rare word searched", IncidentFilter(statuses=OPEN, text="12345")),
    ]:

        def count(where: IncidentFilter = where) -> int:
            return sum(len(v) for v in facets.counts(store, where).values())

        median, worst, n = timed(count, repeat, label)
        add(rows, Row(label, median, worst, f"{n} values", True))

    stored(store, rows, repeat)

    # The pages timed here only read: the machine token (a read-only viewer) is enough.
    token = secrets.token_urlsafe(32)
    client = TestClient(
        create_app(store, token=token, data_dir=path.parent),
        headers={"authorization": f"Bearer {token}"},
    )
    for label, url in [
        ("web: queue with facets", "/"),
        (
            "web: queue, two districts, sorted by place",
            "/?district=Benghazi&district=Tripoli&order=place",
        ),
        ("web: queue searching a rare word", "/?q=12345"),
        ("web: map of every incident, clustered", "/map?status=all"),
        ("web: map zoomed in four times", "/map?status=all&zoom=4&x=150&y=60"),
    ]:

        def get(url: str = url) -> int:
            response = client.get(url)
            assert response.status_code == 200, url
            return len(response.content)

        median, worst, n = timed(get, repeat, label)
        add(rows, Row(label, median, worst, f"{n:,} bytes", False))
    store.close()
    return rows


def stored(store: Store, rows: list[Row], repeat: int) -> None:
    """What indexing as documents are stored costs: a batch of the pipeline's size stored with
    its index entries in the same transaction, and stored with indexing left out."""
    batch = 20
    made = itertools.count()

    def store_batch() -> int:
        docs = []
        for _ in range(batch):
            n = next(made)
            text = f"Report stored-{n}-{secrets.token_hex(4)}. " + TEXT * 12
            docs.append(
                (
                    NewDocument(
                        url=f"https://bench.example/stored/{n}/{secrets.token_hex(4)}",
                        final_url=f"https://bench.example/stored/{n}",
                        source="bench",
                        fetch_id=0,
                        capture_sha256="0" * 64,
                        text_sha256=hashlib.sha256(text.encode()).hexdigest(),
                        title=f"Report stored-{n}",
                        text=text,
                        published=None,
                        author=None,
                        language="en",
                        fetched_at=datetime.now(UTC),
                    ),
                    None,
                )
            )
        return len(store.add_documents_once(docs))

    label = f"store {batch} documents, indexed"
    median, worst, n = timed(store_batch, repeat, label)
    add(rows, Row(label, median, worst, f"{n} documents", False))
    indexing = search.index_added
    search.index_added = lambda db, ids: None
    try:
        label = f"store {batch} documents, not indexed"
        median, worst, n = timed(store_batch, repeat, label)
    finally:
        search.index_added = indexing
    add(rows, Row(label, median, worst, f"{n} documents", False))
    search.catch_up(store)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=1_000_000)
    parser.add_argument("--incidents", type=int, default=200_000)
    parser.add_argument("--db", type=Path, help="database to reuse (built there if missing)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(machine())
    with prepared(args.db, args.candidates, args.incidents) as path:
        rows = run(path, args.repeat)
    report(rows, args.repeat)
    print(f"(goal: {GOAL_MS:.0f} ms)")
    print(f"\n{'CPU time, all threads':<48} {'median ms':>10}  of the process, while timed")
    for label, ms in CPU.items():
        print(f"{label:<48} {ms:>10.1f}")


if __name__ == "__main__":
    main()
