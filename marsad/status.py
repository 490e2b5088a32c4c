"""`marsad status`: each source's last and next run, health flags, review counts and sizes.

The figures are gathered as plain JSON-ready data by `collect`, so the running server can answer
them (`GET /api/status`) while it holds the database, and `render` prints them the same way
whichever process gathered them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from rich.table import Table

from storage.incidents import STATUSES

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from rich.console import Console

    from spiders.sources import Source
    from storage import Store
    from storage.paths import Paths


def _iso(value: Any) -> str | None:
    return value.astimezone(UTC).isoformat() if isinstance(value, datetime) else None


def _size(path: Any) -> int:
    try:
        return int(path.stat().st_size)
    except OSError:
        return 0


def collect(
    store: Store,
    sources: Sequence[Source],
    paths: Paths,
    *,
    next_runs: Mapping[str, datetime | None],
    crawling: Sequence[str] = (),
    waiting: Sequence[str] = (),
    server: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    last = store.last_runs()
    health = store.source_health()
    rows = []
    for source in sources:
        run = last.get(source.name)
        flags = health.get(source.name)
        if source.name in crawling:
            state = "crawling"
        elif source.name in waiting:
            state = "waiting"
        else:
            state = None
        rows.append(
            {
                "source": source.name,
                "schedule": source.schedule,
                "state": state,
                "last": _iso(run["started_at"]) if run else None,
                "last_finished": _iso(run["finished_at"]) if run else None,
                "last_status": run["status"] if run else None,
                "last_trigger": run["trigger"] if run else None,
                "pages": int(run["pages_fetched"]) if run else 0,
                "documents_new": int(run["documents_new"]) if run else 0,
                "candidates_new": int(run["candidates_new"]) if run else 0,
                "failures": int(run["failures"]) if run else 0,
                "next": _iso(next_runs.get(source.name)),
                "empty_runs": int(flags["empty_runs"]) if flags else 0,
                "flagged": bool(flags["flagged"]) if flags else False,
            }
        )
    review = store.review_counts()
    captures = store.capture_totals()
    database = paths.database
    digest = store.last_digest()
    return {
        "generated_at": _iso(datetime.now(UTC)),
        "server": dict(server) if server else None,
        "database": str(database),
        "sources": rows,
        "review": {status: review.get(status, 0) for status in STATUSES},
        "sizes": {
            "database_bytes": _size(database) + _size(database.with_name(database.name + ".wal")),
            **captures,
        },
        "last_digest": _iso(digest["created_at"]) if digest else None,
        "disk": _disk(paths),
    }


def _disk(paths: Paths) -> dict[str, Any] | None:
    from storage import disk

    room = disk.space(paths.data_dir)
    if room is None:
        return None
    return {
        "free_bytes": room.free,
        "total_bytes": room.total,
        "minimum_free_bytes": room.minimum,
        "warning": room.warning(),
    }


def _bytes(n: int) -> str:
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def _when(value: str | None) -> str:
    if not value:
        return "-"
    return f"{datetime.fromisoformat(value):%Y-%m-%d %H:%M:%S}"


def render(data: Mapping[str, Any], console: Console) -> None:
    from marsad.terminal import inert

    server = data.get("server")
    if server:
        console.print(f"Served by [bold]{server['url']}[/] (pid {server['pid']})")
    else:
        console.print("No server is running: `next` is when `marsad serve` would run each source.")
    runs = Table(title="Sources (times in UTC)")
    for column in ("source", "schedule", "last", "outcome", "next", "health"):
        runs.add_column(column)
    for row in data["sources"]:
        if row["last"]:
            outcome = (
                f"{row['last_status']} ({row['last_trigger'] or 'one-shot'}): "
                f"{row['pages']} pages, {row['documents_new']} new documents, "
                f"{row['candidates_new']} new candidates, {row['failures']} failures"
            )
        else:
            outcome = "never run"
        if row["state"]:
            outcome = f"{row['state']} now; last {outcome}"
        if row["flagged"]:
            health = f"QUIET: {row['empty_runs']} runs without articles"
        else:
            health = "ok" if row["last"] else "-"
        runs.add_row(
            inert(row["source"]),
            inert(row["schedule"]),
            _when(row["last"]),
            outcome,
            _when(row["next"]),
            health,
        )
    console.print(runs)
    review = Table(title="Incidents by review state")
    review.add_column("state")
    review.add_column("incidents", justify="right")
    for state, count in data["review"].items():
        review.add_row(state, str(count))
    console.print(review)
    sizes = data["sizes"]
    store = Table(title="Storage")
    store.add_column("what")
    store.add_column("size", justify="right")
    store.add_row(f"database {inert(data['database'])}", _bytes(sizes["database_bytes"]))
    store.add_row(f"{sizes['captures']} captures", _bytes(sizes["capture_bytes"]))
    store.add_row(f"{sizes['artefacts']} preserved artefacts", _bytes(sizes["artefact_bytes"]))
    room = data.get("disk")
    if room:
        store.add_row("free on the disk", _bytes(room["free_bytes"]))
    console.print(store)
    if room and room["warning"]:
        console.print(f"[bold yellow]warning:[/] {inert(room['warning'])}")
    console.print(f"Last digest: {_when(data.get('last_digest'))}")
