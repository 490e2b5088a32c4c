"""Documents added in the UI of a running `marsad serve` (the deployment the README recommends):
stored by the server, seen at once by the terminal's commands beside it, refused to a viewer."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import httpx
from service_fixtures import demo_registry, seed_incident, serving
from typer.testing import CliRunner

from marsad import cli, triage_cli
from storage import Store
from triage import accounts

if TYPE_CHECKING:
    from pathlib import Path

triage_cli.register(cli.app)

PASSWORD = "correct horse battery"  # noqa: S105 - a test password
LINES = "\n".join(
    [
        json.dumps(
            {
                "id": "field-11",
                "text": "Witnesses said armed men abducted two students from their homes in "
                "Sebha on 2 November 2026.",
                "published": "2026-11-03",
            }
        ),
        "{not json",
    ]
).encode("utf-8")


def _signed_in(ui: httpx.Client, name: str) -> str:
    ui.get("/login")
    ui.post("/login", data={"csrf": ui.cookies["marsad_csrf"], "name": name, "password": PASSWORD})
    found = re.search(r'name="csrf" value="([^"]+)"', ui.get("/").text)
    assert found is not None
    return found.group(1)


def test_an_upload_to_the_running_service(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    seed_incident(data_dir)
    store = Store(data_dir / "marsad.duckdb")
    try:
        accounts.add(store, "amira", "analyst", PASSWORD, by="test")
        accounts.add(store, "nadia", "viewer", PASSWORD, by="test")
    finally:
        store.close()
    sources = demo_registry(
        tmp_path / "sources.toml", "http://127.0.0.1:9", {"demo-news-ar": "0 3 * * *"}
    )
    with serving(data_dir, sources, "--no-schedule") as served:
        with httpx.Client(base_url=served.url) as ui:
            csrf = _signed_in(ui, "nadia")
            refused = ui.post(
                "/ingest", data={"csrf": csrf}, files={"file": ("field.jsonl", LINES)}
            )
            assert refused.status_code == 403
        with httpx.Client(base_url=served.url, timeout=120) as ui:
            csrf = _signed_in(ui, "amira")
            sent = ui.post("/ingest", data={"csrf": csrf}, files={"file": ("field.jsonl", LINES)})
            assert sent.status_code == 200, sent.text
            assert re.search(r'id="ingest-stored">1<', sent.text)
            assert re.search(r"<td class=\"num\">2</td>", sent.text)
        listed = CliRunner().invoke(
            cli.app, ["triage", "list", "--json", "--data-dir", str(data_dir)]
        )
        assert listed.exit_code == 0, listed.output
        assert served.process.poll() is None
    # The uploaded line's incident beside the seeded one (the gazetteer spells it Sabha).
    assert sorted(r["location_name"] for r in json.loads(listed.stdout)) == ["Misrata", "Sabha"]
