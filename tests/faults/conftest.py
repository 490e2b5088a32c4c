"""One crawl of the fault site, shared by the fault tests: it runs in a subprocess (Twisted's
reactor starts once per process) with timeouts shrunk through `marsad crawl --set`."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from fault_site import FaultServer, fault_site

from storage import Store

if TYPE_CHECKING:
    from collections.abc import Iterator

MARSAD = str(Path(sys.executable).with_name("marsad"))
# Small enough to keep the suite quick, large enough that a loaded machine still answers the
# well-behaved paths in time.
FAST = {
    "DOWNLOAD_TIMEOUT": "2",
    "RETRY_TIMES": "1",
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    # Backoff between retries when the server names no wait.
    "RETRY_BACKOFF_BASE": "0.05",
    # The fault site's pages carry fixed dates: no age cut-off, whatever day the tests run.
    "MARSAD_SINCE": "2000-01-01",
}


def write_sources(path: Path, base: str) -> Path:
    path.write_text(
        f"""
[[source]]
name = "faults"
kind = "feed"
languages = ["en", "ar"]
start_urls = ["{base}/feed.xml"]

[[source]]
name = "rate-limited"
kind = "feed"
languages = ["en"]
start_urls = ["{base}/rate-limited/feed.xml"]

[[source]]
name = "not-xml"
kind = "feed"
languages = ["en"]
start_urls = ["{base}/not-xml/feed.xml"]
""",
        encoding="utf-8",
    )
    return path


def crawl_command(sources: Path, data_dir: Path, **extra: str) -> list[str]:
    settings = {**FAST, **extra}
    command = [MARSAD, "crawl", "--sources", str(sources), "--data-dir", str(data_dir)]
    for key, value in settings.items():
        command += ["--set", f"{key}={value}"]
    return command


def path_of(url: str) -> str:
    return urlsplit(url).path


@dataclass
class Crawl:
    server: FaultServer
    data_dir: Path
    result: subprocess.CompletedProcess[str]
    runs: dict[str, dict[str, Any]] = field(default_factory=dict)
    failures: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    fetches: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    captures: dict[str, dict[str, Any]] = field(default_factory=dict)


@pytest.fixture(scope="session")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    tmp = tmp_path_factory.mktemp("faults")
    data_dir = tmp / "data"
    # Far beyond DOWNLOAD_TIMEOUT: on a loaded machine the crawl's timers fire late, and a stall
    # only 2 s longer than the timeout was sometimes answered in time and stored.
    with fault_site(stall=12.0) as server:
        sources = write_sources(tmp / "sources.toml", server.base)
        result = subprocess.run(
            crawl_command(sources, data_dir), capture_output=True, text=True, timeout=240
        )
        done = Crawl(server=server, data_dir=data_dir, result=result)
        store = Store(data_dir / "marsad.duckdb")
        try:
            done.runs = {r["source"]: r for r in store.runs()}
            for row in store.failures():
                done.failures.setdefault(path_of(row["url"]), []).append(row)
            done.documents = {path_of(d["url"]): d for d in store.documents()}
            for fetch in store._rows("SELECT * FROM fetches ORDER BY id"):
                done.fetches.setdefault(path_of(fetch["url"]), []).append(fetch)
            done.captures = {c["sha256"]: c for c in store.all_captures()}
        finally:
            store.close()
        yield done
