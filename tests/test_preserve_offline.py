"""`marsad preserve` leaves the documented sites alone unless asked: a captured page whose image
lives on its (local) site is rendered without a request to it, and `--online` fetches it with a
warning first. The page is written for this test, and captured at that site's own address:
Chromium refuses a page elsewhere the loopback address (local network access)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, ClassVar

import pytest
from typer.testing import CliRunner

from marsad import cli, triage_cli, verify

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

triage_cli.register(cli.app)
verify.register(cli.app)

pytestmark = pytest.mark.browser


class Site(BaseHTTPRequestHandler):
    asked: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.asked.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    Site.asked = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _ingested(data: str, site: str) -> None:
    page = (
        "<html><body><article><h1>Students seized</h1>"
        f'<img src="{site}/photo.png" alt="">'
        "<p>Gunmen abducted four students outside a cafe in Tripoli on 12 May 2024, their "
        "families said.</p></article></body></html>"
    )
    line = {"id": "o1", "published": "2024-05-13", "url": f"{site}/o1", "html": page}
    added = CliRunner().invoke(cli.app, ["ingest", "--jsonl", "--data-dir", data], json.dumps(line))
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["incidents"], "a candidate, so that it is preserved"


def test_offline_by_default(site: str, tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    _ingested(data, site)
    done = CliRunner().invoke(cli.app, ["preserve", "--data-dir", data])
    assert done.exit_code == 0, done.output
    assert "warning" not in done.stderr
    assert Site.asked == []


def test_online_when_asked_with_a_warning(site: str, tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    _ingested(data, site)
    done = CliRunner().invoke(cli.app, ["preserve", "--online", "--data-dir", data])
    assert done.exit_code == 0, done.output
    assert done.stderr.startswith("warning: --online:")
    assert Site.asked == ["/photo.png"]
