"""Every command that uses the database works beside a running `marsad serve`, as it does alone.

The same commands run twice on two identical data directories: once alone, once while a server
holds the database (their store calls go through its API). What each prints and its exit code
must be the same; only the data directory's name (and so where tables wrap) and clock times
may differ.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest
from service_fixtures import TOKEN, demo_registry, seed_incident, serving
from typer.testing import CliRunner

from marsad import cli, service, triage_cli, users_cli, verify

if TYPE_CHECKING:
    from pathlib import Path

for register in (verify.register, triage_cli.register, users_cli.register, service.register):
    register(cli.app)

GOOD = {
    "id": "field-7",
    "text": "Witnesses said armed men abducted two students from their homes in Sebha "
    "on 2 November 2026.",
    "published": "2026-11-03",
}
INGEST = json.dumps(GOOD) + "\n" + "{not json\n"


def commands(data: str, out: str) -> list[tuple[list[str], str | None]]:
    """The terminal workflow of the README, errors included: (arguments, standard input)."""
    where = ["--data-dir", data]
    return [
        (["stats", *where], None),
        (["triage", "list", *where, "--json"], None),
        (["triage", "show", "1", *where], None),
        (["triage", "review", "1", "--as", "amira", *where], None),
        (["triage", "confirm", "1", "--as", "amira", "--reason", "two sources", *where], None),
        (["triage", "confirm", "99", *where], None),
        (["triage", "tag", "1", "fishermen,misrata", *where], None),
        (["ingest", "--jsonl", *where], INGEST),
        (["triage", "merge", "2", "1", "--why", "same event, another report", *where], None),
        (["triage", "merge", "1", "99", "--why", "other", "--reason", "x", *where], None),
        (["triage", "cluster", *where], None),
        (["triage", "edit", "1", "--killed", "3", "--reason", "re-read", *where], None),
        (["triage", "unmerge", "2", "--as", "amira", *where], None),
        (["triage", "undo", "999", *where], None),
        (["triage", "show", "1", *where, "--json"], None),
        (["export", "--format", "csv", "--status", "all", "-o", f"{out}/all.csv", *where], None),
        (["export", "--format", "acled", "--status", "all", "-o", f"{out}/a.csv", *where], None),
        (["preserve", *where], None),
        (["verify", *where, "--json"], None),
        (["bundle", "1", "--out", f"{out}/bundle", *where], None),
    ]


CLOCK = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?(\+00:00|Z)?|\d{8}T\d{6,12}Z")
# A PDF and a WARC record carry their making time: their hashes differ from run to run.
HASH = re.compile(r"\b[0-9a-f]{12}\b")


def run_all(data_dir: Path, out: Path) -> list[tuple[int, str]]:
    runner = CliRunner()
    said = []
    for args, stdin in commands(str(data_dir), str(out)):
        result = runner.invoke(cli.app, args, input=stdin)
        # Tables wrap the data directory's name where its length says: compared without spaces.
        text = "".join(HASH.sub("<hash>", CLOCK.sub("<time>", result.stdout)).split())
        said.append(
            (result.exit_code, text.replace(str(data_dir), "<data>").replace(str(out), "<out>"))
        )
    return said


def exported(out: Path) -> list[str]:
    # ACLED's last column, `timestamp`, is the incident's last change in Unix time.
    return [
        re.sub(r",\d{10}$", ",<time>", CLOCK.sub("<time>", text), flags=re.MULTILINE)
        for text in ((out / name).read_text(encoding="utf-8-sig") for name in ("all.csv", "a.csv"))
    ]


@pytest.mark.browser  # `marsad preserve` renders in Chromium
def test_the_terminal_workflow_beside_the_server_says_what_it_says_alone(
    tmp_path: Path,
) -> None:
    alone, beside = tmp_path / "alone", tmp_path / "beside"
    for data_dir in (alone, beside):
        seed_incident(data_dir / "data")
        (data_dir / "out").mkdir()
    expected = run_all(alone / "data", alone / "out")
    # The runs alone are the reference: each did what it should.
    assert [code for code, _ in expected] == [
        *(0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1),
        *(0, 0, 0, 0, 0, 0),
    ]
    assert json.loads(expected[7][1])["incidents"] == [2]
    shown = json.loads(expected[14][1])
    assert shown["tags"] == ["fishermen", "misrata"]
    assert shown["counts"]["killed"] == 3
    sources = demo_registry(
        tmp_path / "sources.toml", "http://127.0.0.1:9", {"demo-news-ar": "0 3 * * *"}
    )
    with serving(beside / "data", sources, "--no-schedule") as served:
        got = run_all(beside / "data", beside / "out")
        assert served.process.poll() is None
    assert got == expected
    assert exported(beside / "out") == exported(alone / "out")
    (bundle,) = (beside / "out" / "bundle").iterdir()
    (reference,) = (alone / "out" / "bundle").iterdir()

    def files(folder: Path) -> list[str]:
        return sorted(re.sub(r"[0-9a-f]{64}", "<sha256>", p.name) for p in folder.rglob("*"))

    assert files(bundle) == files(reference)


@pytest.mark.parametrize("command", [["reanalyse"], ["users", "list"]])
def test_commands_that_need_the_file_alone_say_so_in_one_line(
    tmp_path: Path, command: list[str]
) -> None:
    data_dir = tmp_path / "data"
    seed_incident(data_dir)
    sources = demo_registry(
        tmp_path / "sources.toml", "http://127.0.0.1:9", {"demo-news-ar": "0 3 * * *"}
    )
    with serving(data_dir, sources, "--no-schedule"):
        result = CliRunner().invoke(cli.app, [*command, "--data-dir", str(data_dir)])
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "marsad serve" in line
    assert "Stop the server" in line


def test_the_sources_run_history_is_read_from_the_server(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    seed_incident(data_dir)
    sources = demo_registry(
        tmp_path / "sources.toml", "http://127.0.0.1:9", {"demo-news-ar": "0 3 * * *"}
    )
    with serving(data_dir, sources, "--no-schedule"):
        result = CliRunner().invoke(
            cli.app, ["sources", "--sources", str(sources), "--data-dir", str(data_dir)]
        )
    assert result.exit_code == 0
    assert "demo-news-ar" in result.stdout
    assert "Run history unavailable" not in result.stderr


def test_the_store_api_takes_only_the_service_files_token(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    seed_incident(data_dir)
    sources = demo_registry(
        tmp_path / "sources.toml", "http://127.0.0.1:9", {"demo-news-ar": "0 3 * * *"}
    )
    with serving(data_dir, sources, "--no-schedule") as served:
        # The UI's token (MARSAD_TOKEN) opens the UI, not the store: its holders may be remote.
        code, _ = served.api("POST", "/api/store", {"call": "totals"}, token=TOKEN)
        assert code == 401
        code, answer = served.api("POST", "/api/store", {"call": "close"})
        assert code == 200
        assert "no call" in str(answer["error"]["args"])
        code, answer = served.api("POST", "/api/store", {"call": "totals"})
        assert code == 200
        assert answer["value"]["$"] == "dict"
