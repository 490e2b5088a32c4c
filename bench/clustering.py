"""Time to merge a new document's candidates into incidents, as the store grows.

`incidents.cluster.attach` compares a candidate only with the incidents filed under its blocking
keys (the weeks, months and years its dates touch), so its cost should follow how many incidents
share those weeks, not how many the database holds. Two growths are measured, each at 10,000,
100,000 and 1,000,000 candidates (a fifth as many incidents), built by `synthetic_store`:

- over time: twenty incidents a day, so a bigger store covers more days (how a monitor grows);
- in density: the same 2,000 days, so a bigger store packs more incidents into each week.

For each store, new documents (each with one candidate dated inside the stored span, in a
stored place) are stored and attached one by one, the way the store stage does it.

    .venv/bin/python bench/clustering.py [--sizes 10000 100000 1000000] [--documents 200]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic_store import PLACES, TYPES, build, machine

from incidents import cluster
from storage import Analysed, CaptureFiles, Store
from triage.ingest import store_document

PER_DAY = 20
DENSE_DAYS = 2000


def candidate(rng: random.Random, days: int) -> tuple[str, dict[str, object]]:
    """A text and the finding the NLP would report for it: one event, a day, a place."""
    name, name_ar, admin1, lat, lon = rng.choice(PLACES)
    day = date(2020, 1, 1) + timedelta(days=rng.randrange(days))
    kind = rng.choice(TYPES)
    text = f"Report of {kind.replace('_', ' ')} in {name} on {day:%d %B %Y}, witnesses said."
    finding = {
        "types": [kind],
        "date": {"start": day.isoformat(), "end": day.isoformat(), "precision": "day"},
        "location": {
            "name": name,
            "name_ar": name_ar,
            "admin1": admin1,
            "lat": lat,
            "lon": lon,
        },
        "perpetrators": [],
        "victims": [],
        "counts": {"killed": rng.choice([None, 1, 2]), "injured": None, "abducted": None},
        "confidence": 0.8,
        "evidence": [{"start": 0, "end": len(text), "text": text}],
    }
    return text, finding


def measure(size: int, days: int, documents: int, tmp: Path) -> tuple[float, float, float, float]:
    """Median, mean and 95th-percentile ms per attach, and the build time in seconds."""
    path = tmp / f"cluster-{size}-{days}.duckdb"
    started = time.perf_counter()
    build(path, size, size // 5, days)
    built = time.perf_counter() - started
    store = Store(path)
    captures = CaptureFiles(tmp / "captures")
    rng = random.Random(size)
    times = []
    for n in range(documents):
        text, finding = candidate(rng, days)
        document_id, _ = store_document(
            store,
            captures,
            url=f"https://bench.example/new/{size}/{days}/{n}",
            body=text.encode("utf-8"),
            content_type="text/plain; charset=utf-8",
            text=text,
            title=None,
            published=None,
            language="en",
            analysed=Analysed("bench", "en", [finding]),
            source="bench",
        )
        start = time.perf_counter()
        cluster.attach(store, document_id)
        times.append((time.perf_counter() - start) * 1000)
    store.close()
    path.unlink()
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    return statistics.median(times), statistics.fmean(times), p95, built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--documents", type=int, default=200)
    args = parser.parse_args()
    print(machine())
    print(f"{args.documents} new documents of one candidate each, attached one by one")
    print(
        f"{'growth':<8} {'candidates':>11} {'incidents':>10} {'days':>6} {'built s':>8} "
        f"{'median ms':>10} {'mean ms':>8} {'p95 ms':>8}"
    )
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as tmp:
        for growth in ("time", "density"):
            for size in args.sizes:
                days = max(1, size // 5 // PER_DAY) if growth == "time" else DENSE_DAYS
                median, mean, p95, built = measure(size, days, args.documents, Path(tmp))
                print(
                    f"{growth:<8} {size:>11,} {size // 5:>10,} {days:>6,} {built:>8.1f} "
                    f"{median:>10.1f} {mean:>8.1f} {p95:>8.1f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
