"""Ordinary mistakes get one clear line and a non-zero exit, and create nothing.

Each case here is one a new user made (issue 18): a busy port, a mistyped data directory, a
status or date that means nothing, an export over an existing file.
"""

from __future__ import annotations

import csv
import io
import socket
from typing import TYPE_CHECKING

import pytest
from triage_fixtures import EN_ABDUCTION, en_abduction, signed_in
from typer.testing import CliRunner

from marsad import cli, service, triage_cli, verify
from storage import __version__
from triage.app import create_app

if TYPE_CHECKING:
    from pathlib import Path

    from triage_fixtures import Desk

for register in (verify.register, triage_cli.register, service.register):
    register(cli.app)


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli.app, list(args), env=env)
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def one_error_line(stderr: str) -> str:
    (line,) = stderr.strip().splitlines()
    assert line.startswith("error: ")
    return line


def filled(desk: Desk) -> str:
    desk.add("https://en.example/a", EN_ABDUCTION, [en_abduction()])
    desk.store.close()
    return str(desk.data_dir)


def test_version() -> None:
    code, out, _ = run("--version")
    assert (code, out.strip()) == (0, f"marsad {__version__}")


def test_demo_on_a_busy_port_says_so_and_creates_nothing(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = run("demo", "--port", str(port), "--data-dir", str(tmp_path / "data"))
    assert code == 2
    assert f"127.0.0.1:{port}" in one_error_line(err)
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize("command", [["demo"], ["serve"]])
def test_a_port_out_of_range_is_refused_in_one_line(tmp_path: Path, command: list[str]) -> None:
    code, _, err = run(*command, "--port", "99999", "--data-dir", str(tmp_path / "data"))
    assert code == 2
    assert "--port takes 0 to 65535" in one_error_line(err)
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["triage", "list"],
        ["triage", "show", "1"],
        ["export", "-o", "-"],
        ["verify"],
        ["bundle", "1", "--out", "x"],
        ["preserve"],
        ["status"],
        ["digest"],
    ],
)
def test_a_data_dir_that_holds_nothing_is_refused_not_created(
    tmp_path: Path, command: list[str]
) -> None:
    nowhere = tmp_path / "no" / "such" / "place"
    code, _, err = run(*command, "--data-dir", str(nowhere))
    assert code == 2
    assert f"no database at {nowhere / 'marsad.duckdb'}" in one_error_line(err)
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize(
    ("option", "said"),
    [
        (["--status", "bogus"], "unknown status 'bogus'"),
        (["--type", "nonsense"], "unknown type 'nonsense'"),
        (["--from", "2026-13-45"], "from takes a date as YYYY-MM-DD, not '2026-13-45'"),
        (["--min-confidence", "3"], "min_confidence takes a number from 0 to 1"),
        (["--order", "sideways"], "unknown order 'sideways'"),
    ],
)
def test_triage_list_refuses_filters_that_mean_nothing(
    desk: Desk, option: list[str], said: str
) -> None:
    code, out, err = run("triage", "list", "--data-dir", filled(desk), *option)
    assert code == 2
    assert said in one_error_line(err)
    assert out == ""


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("type=nonsense", "unknown type &#39;nonsense&#39;"),
        ("from=2026-13-45", "from takes a date as YYYY-MM-DD, not &#39;2026-13-45&#39;"),
        ("status=bogus", "unknown status &#39;bogus&#39;"),
    ],
)
@pytest.mark.parametrize("page", ["/", "/map", "/export"])
def test_the_ui_refuses_filters_that_mean_nothing(
    desk: Desk, page: str, query: str, said: str
) -> None:
    desk.add("https://en.example/a", EN_ABDUCTION, [en_abduction()])
    answer = signed_in(create_app(desk.store), desk.store).get(f"{page}?{query}")
    assert answer.status_code == 400
    assert said in answer.text


def test_the_queue_refuses_an_unknown_order(desk: Desk) -> None:
    answer = signed_in(create_app(desk.store), desk.store).get("/?order=sideways")
    assert answer.status_code == 400
    assert "unknown order &#39;sideways&#39;" in answer.text


def test_export_to_stdout(desk: Desk) -> None:
    code, out, err = run("export", "-o", "-", "--data-dir", filled(desk))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert [r["id"] for r in rows] == ["1"]
    assert "1 incident(s) written to stdout" in err
    assert not (desk.data_dir.parent / "-").exists()


def test_export_keeps_an_existing_file_unless_forced(desk: Desk, tmp_path: Path) -> None:
    data = filled(desk)
    target = tmp_path / "mine.csv"
    target.write_text("an analyst's own work\n", encoding="utf-8")
    code, _, err = run("export", "-o", str(target), "--data-dir", data)
    assert code == 2
    assert "exists; give --force to replace it" in one_error_line(err)
    assert target.read_text(encoding="utf-8") == "an analyst's own work\n"
    code, _, _ = run("export", "-o", str(target), "--force", "--data-dir", data)
    assert code == 0
    assert "confidence" in target.read_text(encoding="utf-8")


def test_export_without_a_name_is_named_for_its_selection_and_time(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from triage_fixtures import BENGHAZI, finding

    undated = finding(EN_ABDUCTION, EN_ABDUCTION, types=["killing"], day="2024-06-02")
    undated.update(date=None, location=BENGHAZI)
    desk.add("https://c.example/undated", EN_ABDUCTION + " ", [undated])
    data = filled(desk)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("export", "--format", "acled", "--status", "all", "--data-dir", data)
    assert code == 0
    (written,) = tmp_path.glob("marsad-incidents-acled-status-all-*Z.csv")
    assert str(written) in out.replace("\n", "")
    assert "1 left out, without a date: 1" in out


def test_a_download_is_named_for_its_selection_and_time(desk: Desk) -> None:
    desk.add("https://en.example/a", EN_ABDUCTION, [en_abduction()])
    answer = signed_in(create_app(desk.store), desk.store).get(
        "/export?format=geojson&type=killing"
    )
    assert answer.status_code == 200
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="marsad-incidents-type-killing-2')
    assert disposition.endswith('Z.geojson"')
