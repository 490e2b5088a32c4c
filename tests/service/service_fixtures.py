"""Helpers for the service tests: analysed documents put in through the Store API, a slowed copy
of the demo site, a registry of demo sources with a fast schedule, and a running `marsad serve`.

The sentences are written for these tests; findings follow the extraction contract.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from demo.server import SOURCES, DemoHandler
from incidents import cluster
from storage import Analysed, CaptureFiles, Store
from triage.ingest import store_document

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

MARSAD = str(Path(sys.executable).with_name("marsad"))
TOKEN = "service-test-token-0123456789"  # noqa: S105 - a test server's token
FAST = ["--set=DOWNLOAD_DELAY=0", "--set=AUTOTHROTTLE_ENABLED=False"]

MISRATA = {"name": "Misrata", "name_ar": "مصراتة", "admin1": "Misrata", "lat": 32.37, "lon": 15.09}
SEBHA = {"name": "Sebha", "name_ar": "سبها", "admin1": "Sabha", "lat": 27.04, "lon": 14.43}


def finding(
    text: str,
    *,
    types: list[str],
    day: str,
    location: dict[str, Any] | None,
    counts: dict[str, int] | None = None,
    confidence: float = 0.8,
) -> dict[str, Any]:
    return {
        "types": types,
        "date": {"start": day, "end": day, "precision": "day"},
        "location": location,
        "perpetrators": [],
        "victims": [],
        "counts": {"killed": None, "injured": None, "abducted": None, "detained": None}
        | (counts or {}),
        "confidence": confidence,
        "evidence": [{"start": 0, "end": len(text), "text": text}],
    }


def add_incident(
    store: Store,
    data_dir: Path,
    url: str,
    text: str,
    found: dict[str, Any],
    *,
    title: str = "A report",
) -> int:
    """Store one analysed document and cluster it; the id of its incident."""
    document_id, _ = store_document(
        store,
        CaptureFiles(data_dir / "captures"),
        url=url,
        body=text.encode("utf-8"),
        content_type="text/plain; charset=utf-8",
        text=text,
        title=title,
        published=date(2026, 11, 1),
        language="en",
        analysed=Analysed("service-test-nlp", "en", [found]),
        source="service-test",
    )
    (incident_id,) = cluster.attach(store, document_id)
    return incident_id


def seed_incident(data_dir: Path) -> int:
    """A fresh data directory holding one incident to triage."""
    store = Store(data_dir / "marsad.duckdb")
    try:
        text = "Relatives said two fishermen were detained at the port of Misrata on 3 November."
        return add_incident(
            store,
            data_dir,
            "https://example.org/reports/misrata-fishermen",
            text,
            finding(
                text,
                types=["arbitrary_detention"],
                day="2026-11-03",
                location=MISRATA,
                counts={"detained": 2},
            ),
        )
    finally:
        store.close()


# -- the demo site, slowed down so that a crawl is seen in progress -------------------------------


@contextlib.contextmanager
def slow_demo_site(seconds: float) -> Iterator[str]:
    class Slow(DemoHandler):
        delay: ClassVar[float] = seconds

        def do_GET(self) -> None:
            if re.search(r"/(news|stories)/\d{4}/", self.path):
                time.sleep(self.delay)
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                super().do_GET()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host!s}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _toml(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    # A JSON string is a valid TOML basic string.
    return json.dumps(value, ensure_ascii=False)


def demo_registry(path: Path, base: str, schedules: dict[str, str]) -> Path:
    """The named demo sources, at `base`, each on the schedule given."""
    entries = tomllib.loads(SOURCES.read_text(encoding="utf-8"))["source"]
    blocks = []
    for entry in entries:
        if entry["name"] not in schedules:
            continue
        entry = {**entry, "schedule": schedules[entry["name"]]}
        lines = ["[[source]]"]
        for key, value in entry.items():
            text = _toml(value).replace("{base}", base)
            lines.append(f"{key} = {text}")
        blocks.append("\n".join(lines))
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return path


# -- a running service ------------------------------------------------------------------------


def wait_for(what: str, check: Callable[[], Any], timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@dataclass
class Served:
    process: subprocess.Popen[str]
    data_dir: Path
    log: Path
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return str(self.info["url"])

    def api(
        self, method: str, path: str, body: Any = None, token: str | None = None
    ) -> tuple[int, Any]:
        request = urllib.request.Request(
            self.url + path,
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={"Authorization": f"Bearer {token or self.info['control_token']}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    def status(self) -> dict[str, Any]:
        code, data = self.api("GET", "/api/status")
        assert code == 200, data
        return dict(data)

    def runs(self) -> list[dict[str, Any]]:
        code, data = self.api("GET", "/api/runs")
        assert code == 200, data
        return list(data)

    def source(self, name: str) -> dict[str, Any]:
        return next(s for s in self.status()["sources"] if s["source"] == name)

    def stop(self, timeout: float = 90) -> int:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def serving(data_dir: Path, sources: Path, *extra: str) -> Iterator[Served]:
    """`marsad serve` on a free port, as its own process; stopped with SIGTERM at the end."""
    env = {
        **os.environ,
        "MARSAD_TOKEN": TOKEN,
        "MARSAD_JITTER": "0",
        "MARSAD_DIGEST_AT": "off",
    }
    log = data_dir.parent / f"serve-{time.monotonic_ns()}.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as err:
        process = subprocess.Popen(
            [
                MARSAD,
                "serve",
                "--data-dir",
                str(data_dir),
                "--sources",
                str(sources),
                "--port",
                "0",
                *FAST,
                *extra,
            ],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=env,
            text=True,
        )
    served = Served(process, data_dir, log)

    def started() -> dict[str, Any] | None:
        assert process.poll() is None, served.stderr()[-3000:]
        try:
            info = json.loads((data_dir / "service.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return info if info.get("pid") == process.pid else None

    try:
        served.info = wait_for("the service to start", started)
        yield served
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
