"""The rest of the terminal's commands beside a running `marsad serve`, as they are alone: the
triage moves test_beside_service leaves out, every export format (to a file and to standard
output), and their refusals. Run twice on identical data directories, once alone and once beside
the server; standard output, standard error and the exit codes must match, clock times and the
data directory's name aside.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from service_fixtures import demo_registry, seed_incident, serving
from typer.testing import CliRunner

from marsad import cli, service, triage_cli, users_cli, verify

if TYPE_CHECKING:
    from pathlib import Path

for register in (verify.register, triage_cli.register, users_cli.register, service.register):
    register(cli.app)

LINE = {
    "id": "field-9",
    "text": "Witnesses said armed men detained two fishermen at the port of Misrata on "
    "3 November 2026.",
    "published": "2026-11-04",
}
CLOCK = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?(\+00:00|Z)?|\d{8}T\d{6,12}Z")


def commands(data: str, out: str) -> list[tuple[list[str], str | None]]:
    where = ["--data-dir", data]
    me = ["--as", "amira", *where]
    every = ["--status", "all", *where]
    return [
        (["ingest", "--jsonl", *where], json.dumps(LINE) + "\n"),
        (["triage", "assign", "1", "amira", *me], None),
        (["triage", "note", "1", "called the family", *me], None),
        (["triage", "reject", "1", *me], None),
        (["triage", "reject", "1", "--why", "not an incident", *me], None),
        (["triage", "reopen", "1", *me], None),
        # The line joins incident 1 (the same detention): split off, then merged back.
        (["triage", "split", "1", "--document", "2", *me], None),
        (["triage", "merge", "2", "1", "--why", "same event, another report", *me], None),
        (["triage", "confirm", "1", *me], None),
        (["triage", "send", "1", *me], None),
        (["triage", "send", "3", *me], None),
        (["triage", "list", "--status", "bogus", *where], None),
        (["triage", "list", "--status", "all", *where], None),
        (["export", "--format", "json", "-o", "-", *every], None),
        (["export", "--format", "geojson", "-o", "-", *every], None),
        (["export", "--format", "gold", "-o", "-", *where], None),
        (["export", "--format", "acled", "-o", "-", *every], None),
        (["export", "--format", "bundle", "-o", f"{out}/b.zip", *every], None),
        (["export", "--format", "csv", "-o", f"{out}/b.zip", *every], None),
        (["export", "--format", "csv", "-o", f"{out}/b.zip", "--force", *every], None),
        (["export", "--format", "nonsense", *every], None),
    ]


def run_all(data_dir: Path, out: Path) -> list[tuple[int, str, str]]:
    runner = CliRunner()
    said = []
    for args, stdin in commands(str(data_dir), str(out)):
        result = runner.invoke(cli.app, args, input=stdin)
        texts = []
        for text in (result.stdout, result.stderr):
            # Tables wrap where the data directory's name says: compared without spaces.
            text = "".join(CLOCK.sub("<time>", text).split())
            texts.append(text.replace(str(data_dir), "<data>").replace(str(out), "<out>"))
        # The ACLED file's `timestamp` is the last change in Unix time.
        stdout = re.sub(r",\d{10}(?=LBY|$)", ",<time>", texts[0])
        said.append((result.exit_code, stdout, texts[1]))
    return said


def test_the_rest_beside_the_server_says_what_it_says_alone(tmp_path: Path) -> None:
    alone, beside = tmp_path / "alone", tmp_path / "beside"
    for data_dir in (alone, beside):
        seed_incident(data_dir / "data")
        (data_dir / "out").mkdir()
    expected = run_all(alone / "data", alone / "out")
    # Alone, each did what it should: the refusals among them (a rejection without its reason,
    # sending an incident that does not exist, a status and a format that mean nothing, a file
    # that exists) are refused.
    assert [code for code, _, _ in expected] == [
        *(0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1),
        *(2, 0, 0, 0, 0, 0, 0, 2, 0, 2),
    ]
    assert expected[7][1] == "Incident2mergedinto1"
    assert json.loads(expected[13][1])["incidents"]
    assert json.loads(expected[14][1])["type"] == "FeatureCollection"
    assert '"id":"marsad-' in expected[15][1]
    sources = demo_registry(
        tmp_path / "sources.toml", "http://127.0.0.1:9", {"demo-news-ar": "0 3 * * *"}
    )
    with serving(beside / "data", sources, "--no-schedule") as served:
        got = run_all(beside / "data", beside / "out")
        assert served.process.poll() is None
    assert got == expected
    assert (beside / "out" / "b.zip").read_bytes().startswith(b"\xef\xbb\xbf")
