"""`marsad serve` as it runs for real: its own process, the local demo site, a fast schedule."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import httpx
from service_fixtures import (
    FAST,
    MARSAD,
    demo_registry,
    seed_incident,
    serving,
    slow_demo_site,
    wait_for,
)

from storage import Store
from triage import accounts

# A test account's password (assumed: any that passes `triage.accounts.check_password`).
PASSWORD = "correct horse battery"  # noqa: S105

if TYPE_CHECKING:
    from pathlib import Path

DIGEST = re.compile(r"^[0-9a-f]{64}$")
DAILY = "0 3 * * *"
FEW = ["--set=CONCURRENT_REQUESTS=2"]


def capture_files(data_dir: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (data_dir / "captures").rglob("*")
        if p.is_file() and DIGEST.match(p.name)
    }


def runs(data_dir: Path) -> list[dict[str, object]]:
    store = Store(data_dir / "marsad.duckdb")
    try:
        return sorted(store.run_log(limit=1000), key=lambda r: int(str(r["id"])))
    finally:
        store.close()


def test_scheduled_runs_and_triage_while_a_crawl_runs(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    incident = seed_incident(data_dir)
    store = Store(data_dir / "marsad.duckdb")
    try:
        accounts.add(store, "amira", "analyst", PASSWORD, by="test")
    finally:
        store.close()
    with slow_demo_site(0.6) as base:
        sources = demo_registry(tmp_path / "sources.toml", base, {"demo-news-ar": "*/5 * * * * *"})
        with serving(data_dir, sources) as served:
            # The first run (the source never ran) fetches six slow articles: triage meanwhile.
            wait_for("a crawl under way", lambda: served.source("demo-news-ar")["state"])
            with httpx.Client(base_url=served.url) as ui:
                ui.get("/login")
                ui.post(
                    "/login",
                    data={"csrf": ui.cookies["marsad_csrf"], "name": "amira", "password": PASSWORD},
                )
                page = ui.get(f"/incidents/{incident}")
                assert page.status_code == 200
                csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
                assert csrf is not None
                acted = ui.post(
                    f"/incidents/{incident}/status",
                    data={
                        "csrf": csrf.group(1),
                        "status": "in_review",
                        "reason": "checking with the local monitor",
                    },
                )
                assert acted.status_code == 303, acted.text
                acted_at = datetime.now(UTC)
                assert served.source("demo-news-ar")["state"] == "crawling"
                # Without a session (or the token) the UI and the API stay shut.
                assert httpx.get(f"{served.url}/", follow_redirects=False).status_code in (
                    303,
                    401,
                )
                wrong = served.api("POST", "/api/crawl", token="not-the-token")  # noqa: S106
                assert wrong[0] == 401

            def scheduled_runs() -> bool:
                finished = [r for r in served.runs() if r["status"] == "finished"]
                return [r["trigger"] for r in finished].count("scheduled") >= 2

            wait_for("two scheduled runs", scheduled_runs, timeout=90)
            assert served.stop() == 0

    log = runs(data_dir)
    assert [r["trigger"] for r in log][:1] == ["catch-up"]
    assert [r["trigger"] for r in log].count("scheduled") >= 2
    first = log[0]
    assert first["finished_at"] is not None
    assert first["finished_at"] > acted_at  # the analyst acted while the crawl was running
    assert first["documents_new"] == 6
    store = Store(data_dir / "marsad.duckdb")
    try:
        audit = store.incident_audit(incident)
        documents = store.documents(source="demo-news-ar")
    finally:
        store.close()
    assert [(a["actor"], a["action"], a["to_value"]) for a in audit][-1] == (
        "amira",
        "status",
        "in_review",
    )
    # Later runs found nothing new: every article is stored once.
    assert len({d["url"] for d in documents}) == len(documents) == 6


def test_sigterm_mid_crawl_then_restart_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    # Two requests at a time: the rest wait in Scrapy's queue, which a stop abandons.
    with slow_demo_site(0.8) as base:
        sources = demo_registry(tmp_path / "sources.toml", base, {"demo-ngo-newsroom": DAILY})
        with serving(data_dir, sources, *FEW) as served:
            wait_for("some pages captured", lambda: len(capture_files(data_dir)) >= 4)
            assert served.source("demo-ngo-newsroom")["state"] == "crawling"
            assert served.stop() == 0
        before = capture_files(data_dir)
        (stopped,) = runs(data_dir)
        assert (stopped["status"], stopped["finish_reason"]) == ("interrupted", "shutdown")
        assert stopped["finished_at"] is not None
        assert not (data_dir / "service.json").exists()

        with serving(data_dir, sources, *FEW) as served:
            wait_for(
                "the interrupted run resumed",
                lambda: (
                    len(served.runs()) == 2 and served.source("demo-ngo-newsroom")["state"] is None
                ),
                timeout=90,
            )
            assert served.stop() == 0

        # A crawl of the same site that was never interrupted, for comparison.
        reference = tmp_path / "reference"
        one_shot = subprocess.run(
            [MARSAD, "crawl", "--sources", str(sources), "--data-dir", str(reference), *FAST],
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert one_shot.returncode == 0, one_shot.stderr[-3000:]

    stopped, resumed = runs(data_dir)
    assert resumed["trigger"] == "catch-up"
    assert resumed["status"] == "finished"
    # The stop came mid-crawl: each run stored part of the articles.
    assert int(str(stopped["documents_new"])) >= 1
    assert int(str(resumed["documents_new"])) >= 1
    after = capture_files(data_dir)
    # Nothing captured before the stop is lost or changed.
    assert all(after.get(name) == digest for name, digest in before.items())
    store = Store(data_dir / "marsad.duckdb")
    try:
        documents = store.documents()
        recorded = {c["sha256"] for c in store.all_captures()}
        fetches = store._rows("SELECT run_id, url FROM fetches WHERE status = 200")
        stored_first = {
            r["url"]
            for r in store._rows(
                "SELECT d.url FROM documents d JOIN fetches f ON f.id = d.fetch_id "
                "WHERE f.run_id = ?",
                [stopped["id"]],
            )
        }
    finally:
        store.close()
    assert set(before) <= recorded
    # Each article once, and the same articles as the uninterrupted crawl stored.
    urls = [d["url"] for d in documents]
    assert len(urls) == len(set(urls))
    assert len({d["text_sha256"] for d in documents}) == len(documents)
    store = Store(reference / "marsad.duckdb")
    try:
        expected = {d["url"] for d in store.documents()}
    finally:
        store.close()
    assert set(urls) == expected
    # The resumed run fetched no article the stopped run had already stored.
    assert stored_first
    again = {f["url"] for f in fetches if f["run_id"] == resumed["id"]}
    assert not (stored_first & again)


def test_a_missed_schedule_is_caught_up_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = Store(data_dir / "marsad.duckdb")
    try:
        # Last crawled three days ago: three daily runs were missed while the service was down.
        old = store.start_run("demo-news-ar")
        store.finish_run(
            old,
            status="finished",
            finish_reason="finished",
            pages_fetched=0,
            documents_new=0,
            failures=0,
            stats={},
        )
        three_days_ago = datetime.now(UTC) - timedelta(days=3)
        store._rows(
            "UPDATE crawl_runs SET started_at = ?, finished_at = ? WHERE id = ?",
            [three_days_ago, three_days_ago, old],
        )
        # Crawled just now: nothing missed.
        fresh = store.start_run("demo-ngo-ar")
        store.finish_run(
            fresh,
            status="finished",
            finish_reason="finished",
            pages_fetched=0,
            documents_new=0,
            failures=0,
            stats={},
        )
    finally:
        store.close()
    with slow_demo_site(0) as base:
        sources = demo_registry(
            tmp_path / "sources.toml", base, {"demo-news-ar": DAILY, "demo-ngo-ar": DAILY}
        )
        with serving(data_dir, sources) as served:
            wait_for(
                "the catch-up run",
                lambda: (
                    served.source("demo-news-ar")["last_status"] == "finished"
                    and served.source("demo-news-ar")["state"] is None
                    and served.source("demo-news-ar")["last_trigger"] == "catch-up"
                ),
            )
            time.sleep(2)
            status = served.status()
            # The next runs follow the schedule again.
            for row in status["sources"]:
                next_run = datetime.fromisoformat(row["next"])
                assert (next_run.hour, next_run.minute) == (3, 0)
                assert next_run > datetime.now(UTC)

            # `marsad status` and `marsad crawl` ask the server, which holds the database.
            shown = subprocess.run(
                [MARSAD, "status", "--data-dir", str(data_dir), "--sources", str(sources)],
                capture_output=True,
                text=True,
                timeout=60,
                env={**os.environ, "COLUMNS": "200"},
            )
            assert shown.returncode == 0, shown.stderr
            assert "last" in shown.stdout
            assert "next" in shown.stdout
            assert f"Served by {served.url}" in shown.stdout
            asked = subprocess.run(
                [
                    MARSAD,
                    "crawl",
                    "demo-ngo-ar",
                    "--data-dir",
                    str(data_dir),
                    "--sources",
                    str(sources),
                ],
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert asked.returncode == 0, asked.stdout + asked.stderr
            assert "Started now: demo-ngo-ar" in asked.stdout
            wait_for(
                "the manual run",
                lambda: (
                    served.source("demo-ngo-ar")["last_trigger"] == "manual"
                    and served.source("demo-ngo-ar")["last_status"] == "finished"
                ),
            )
            # A second server on the same data refuses to start, and says which one runs.
            second = subprocess.run(
                [
                    MARSAD,
                    "serve",
                    "--data-dir",
                    str(data_dir),
                    "--sources",
                    str(sources),
                    "--port",
                    "0",
                ],
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert second.returncode == 2
            assert served.url in second.stderr
            assert served.stop() == 0

        # Started again at once: nothing is missed now, so nothing runs.
        with serving(data_dir, sources) as served:
            time.sleep(3)
            assert served.status()["sources"][0]["state"] is None
            assert served.stop() == 0

    by_source: dict[str, list[object]] = {}
    for run in runs(data_dir):
        by_source.setdefault(str(run["source"]), []).append(run["trigger"])
    assert by_source == {"demo-news-ar": [None, "catch-up"], "demo-ngo-ar": [None, "manual"]}


def test_listening_beyond_this_machine_needs_a_token(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "MARSAD_TOKEN"}
    refused = subprocess.run(
        [MARSAD, "serve", "--data-dir", str(tmp_path / "data"), "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert refused.returncode == 2
    assert "refusing to listen on 0.0.0.0 without a token" in " ".join(refused.stderr.split())
    assert not (tmp_path / "data" / "marsad.duckdb").exists()


def test_sigint_stops_an_idle_server_cleanly(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    sources = demo_registry(
        tmp_path / "sources.toml", "http://127.0.0.1:9", {"demo-news-ar": DAILY}
    )
    with serving(data_dir, sources, "--no-schedule") as served:
        assert served.status()["sources"][0]["next"] is None
        os.kill(served.process.pid, signal.SIGINT)
        assert served.process.wait(timeout=30) == 0
    assert runs(data_dir) == []
    assert not (data_dir / "service.json").exists()
