"""DNS rebinding and cross-origin changes against a real `marsad serve` on 127.0.0.1.

Two attacks found on main (issue 15, items 1 and 6): a name the attacker controls re-pointed at
127.0.0.1 got full pages and a status change through, and a page on another port of the same
host, having set the CSRF cookie itself (cookies know no ports), got Chromium to change an
incident. Both are tried here with plain HTTP and in Debian's Chromium, which is told to resolve
the attacker's name to 127.0.0.1 just as a rebinding DNS server would.
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
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from incidents import cluster
from storage import Analysed, CaptureFiles, Store
from triage import accounts
from triage.ingest import store_document

if TYPE_CHECKING:
    from collections.abc import Iterator

MARSAD = str(Path(sys.executable).with_name("marsad"))
CHROMIUM = "/usr/bin/chromium"
SERVE_ARGS = ["--port", "0", "--no-schedule"]
EVIL = "evil.example"
# The analyst who signs in (assumed: any password that passes `accounts.check_password`).
ANALYST = "tester"
PASSWORD = "correct horse battery"  # noqa: S105 - a test password
PUBLIC = "https://marsad.example.org"
# Our own sentence, analysed by hand into the extraction contract's shape.
TEXT = "Relatives said two fishermen were detained at the port of Misrata on 3 November."
MISRATA = {"name": "Misrata", "name_ar": "مصراتة", "admin1": "Misrata", "lat": 32.37, "lon": 15.09}


def seed_incident(data_dir: Path) -> int:
    store = Store(data_dir / "marsad.duckdb")
    try:
        found = {
            "types": ["arbitrary_detention"],
            "date": {"start": "2026-11-03", "end": "2026-11-03", "precision": "day"},
            "location": MISRATA,
            "perpetrators": [],
            "victims": [],
            "counts": {"killed": None, "injured": None, "abducted": None, "detained": 2},
            "confidence": 0.8,
            "evidence": [{"start": 0, "end": len(TEXT), "text": TEXT}],
        }
        document_id, _ = store_document(
            store,
            CaptureFiles(data_dir / "captures"),
            url="https://example.org/reports/misrata-fishermen",
            body=TEXT.encode("utf-8"),
            content_type="text/plain; charset=utf-8",
            text=TEXT,
            title="A report",
            published=date(2026, 11, 1),
            language="en",
            analysed=Analysed("rebinding-test-nlp", "en", [found]),
            source="rebinding-test",
        )
        (incident_id,) = cluster.attach(store, document_id)
        accounts.add(store, ANALYST, "analyst", PASSWORD, by="test")
        return incident_id
    finally:
        store.close()


class Served:
    def __init__(self, data_dir: Path, info: dict[str, Any], incident: int) -> None:
        self.data_dir = data_dir
        self.info = info
        self.incident = incident

    @property
    def url(self) -> str:
        return str(self.info["url"])

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`marsad serve` with no token (the default deployment: loopback only) and one account."""
    data_dir = tmp_path_factory.mktemp("rebinding") / "data"
    data_dir.mkdir()
    incident = seed_incident(data_dir)
    env = {k: v for k, v in os.environ.items() if k != "MARSAD_TOKEN"}
    env |= {"MARSAD_DIGEST_AT": "off", "MARSAD_PUBLIC_URL": PUBLIC}
    sources = data_dir.parent / "sources.toml"
    sources.write_text("", encoding="utf-8")
    log = (data_dir.parent / "serve.log").open("w")
    process = subprocess.Popen(
        [MARSAD, "serve", "--data-dir", str(data_dir), "--sources", str(sources), *SERVE_ARGS],
        stdout=subprocess.DEVNULL,
        stderr=log,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        info: dict[str, Any] = {}
        while info.get("pid") != process.pid:
            assert process.poll() is None, (data_dir.parent / "serve.log").read_text()
            assert time.monotonic() < deadline, "marsad serve did not start"
            time.sleep(0.05)
            with contextlib.suppress(OSError, ValueError):
                info = json.loads((data_dir / "service.json").read_text(encoding="utf-8"))
        yield Served(data_dir, info, incident)
    finally:
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
        log.close()


def signed_in(served: Served) -> httpx.Client:
    """A client with the analyst's session, signed in through the login form."""
    client = httpx.Client(base_url=served.url, timeout=30)
    client.get("/login")
    answer = client.post(
        "/login",
        data={"csrf": client.cookies["marsad_csrf"], "name": ANALYST, "password": PASSWORD},
    )
    assert answer.status_code == 303, answer.text
    return client


def change(
    served: Served, status: str, *, host: str | None = None, **headers: str
) -> httpx.Response:
    """A status change with a valid CSRF token, as a same-origin form would send it, plus
    `headers`; `host` is the name the request is addressed to."""
    with contextlib.closing(signed_in(served)) as client:
        found = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text)
        assert found is not None
        csrf = found[1]
        if host is not None:
            headers["host"] = host
        return client.post(
            f"/incidents/{served.incident}/status",
            data={"csrf": csrf, "status": status, "reason": "rebinding test"},
            headers={k.replace("_", "-"): v for k, v in headers.items()},
        )


def incident_status(served: Served) -> str:
    """The incident's review state, as its page shows it (the server holds the database)."""
    with contextlib.closing(signed_in(served)) as client:
        page = client.get(f"/incidents/{served.incident}")
    assert page.status_code == 200
    found = re.search(r'class="badge (\w+)" id="status"', page.text)
    assert found is not None
    return found[1]


@pytest.mark.parametrize("name", [EVIL, f"{EVIL}:8080", "127.0.0.1.nip.io", "localhost.evil"])
def test_a_foreign_host_name_gets_nothing(served: Served, name: str) -> None:
    port_name = name if ":" in name else f"{name}:{served.port}"
    page = httpx.get(f"{served.url}/", headers={"host": port_name}, timeout=30)
    assert page.status_code == 421
    assert "incident" not in page.text.lower()
    api = httpx.get(
        f"{served.url}/api/status",
        headers={"host": port_name, "authorization": f"Bearer {served.info['control_token']}"},
        timeout=30,
    )
    assert api.status_code == 421


@pytest.mark.parametrize(
    "name", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "marsad.example.org"]
)
def test_the_servers_own_names_are_answered(served: Served, name: str) -> None:
    with contextlib.closing(signed_in(served)) as client:
        page = client.get("/", headers={"host": name.format(port=served.port)})
    assert page.status_code == 200


def test_a_rebound_name_cannot_change_an_incident(served: Served) -> None:
    before = incident_status(served)
    refused = change(
        served, "rejected", host=f"{EVIL}:{served.port}", origin=f"http://{EVIL}:{served.port}"
    )
    assert refused.status_code == 421
    assert incident_status(served) == before


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": f"http://{EVIL}:8080"},
        {"origin": "http://127.0.0.1:1"},  # another port of the same host
        {"origin": "null"},
        {"sec_fetch_site": "same-site"},
        {"sec_fetch_site": "cross-site"},
    ],
)
def test_a_change_from_another_origin_is_refused(served: Served, headers: dict[str, str]) -> None:
    before = incident_status(served)
    refused = change(served, "rejected", **headers)
    assert refused.status_code == 403
    assert incident_status(served) == before


@pytest.mark.parametrize(
    ("fetch", "expected"),
    [
        (
            {
                "sec-fetch-site": "cross-site",
                "sec-fetch-mode": "no-cors",
                "sec-fetch-dest": "image",
            },
            403,
        ),
        ({"sec-fetch-site": "same-site", "sec-fetch-mode": "cors", "sec-fetch-dest": "empty"}, 403),
        (
            {
                "sec-fetch-site": "cross-site",
                "sec-fetch-mode": "navigate",
                "sec-fetch-dest": "document",
            },
            200,
        ),
        (
            {
                "sec-fetch-site": "same-origin",
                "sec-fetch-mode": "no-cors",
                "sec-fetch-dest": "image",
            },
            200,
        ),
        ({}, 200),
    ],
)
def test_a_foreign_page_cannot_make_the_browser_read_for_it(
    served: Served, fetch: dict[str, str], expected: int
) -> None:
    # A capture download writes a custody entry: an <img> on another site must not.
    with contextlib.closing(signed_in(served)) as client:
        answer = client.get("/documents/1/capture", headers=fetch)
    assert answer.status_code == expected


def test_same_origin_and_non_browser_changes_go_through(served: Served) -> None:
    own = change(served, "in_review", origin=served.url, sec_fetch_site="same-origin")
    assert own.status_code == 303, own.text
    assert incident_status(served) == "in_review"
    # Behind a TLS proxy the browser names the public origin.
    public = change(served, "new", host="marsad.example.org", origin=PUBLIC)
    assert public.status_code == 303, public.text
    assert incident_status(served) == "new"
    # The CLI and curl send no Origin: the CSRF token still guards them.
    assert change(served, "in_review").status_code == 303
    assert incident_status(served) == "in_review"
    assert change(served, "new").status_code == 303


# -- the same attacks in a real browser ----------------------------------------------------------


@contextlib.contextmanager
def attacker_site(target: str, incident: int) -> Iterator[str]:
    """A page on another port of 127.0.0.1 that plants a CSRF cookie of its choosing (cookies
    are shared across ports) and submits a status change carrying it to the server."""
    planted = "A" * 43
    page = f"""<!doctype html><html><body>
<form id="f" method="post" action="{target}/incidents/{incident}/status">
<input name="csrf" value="{planted}"><input name="status" value="rejected">
<input name="reason" value="cookie tossing"></form>
<script>
document.cookie = "marsad_csrf={planted}; path=/";
document.getElementById("f").submit();
</script></body></html>""".encode()

    class Attacker(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Attacker)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_chromium_rebinding_and_cookie_tossing_fail(served: Served) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium at /usr/bin/chromium")
    before = incident_status(served)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", f"--host-resolver-rules=MAP {EVIL} 127.0.0.1"],
        )
        try:
            page = browser.new_page()
            # Rebinding: the attacker's name now resolves to this machine.
            answer = page.goto(f"http://{EVIL}:{served.port}/incidents/{served.incident}")
            assert answer is not None and answer.status == 421
            assert "Misrata" not in page.content()
            # Cookie tossing from another port: the form is submitted with the planted token.
            with attacker_site(served.url, served.incident) as attacker:
                with page.expect_response(
                    lambda r: r.url.endswith(f"/incidents/{served.incident}/status")
                ) as posted:
                    page.goto(attacker)
                assert posted.value.status == 403
        finally:
            browser.close()
    assert incident_status(served) == before
