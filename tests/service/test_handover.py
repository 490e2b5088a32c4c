"""One-shot commands and a server's service file: what they say when a server holds the data."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

import pytest
import typer
from rich.console import Console

from marsad import handover, service
from storage.paths import data_paths

if TYPE_CHECKING:
    from pathlib import Path


def service_file(data_dir: Path, pid: int, url: str = "http://127.0.0.1:9") -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / handover.SERVICE_FILE).write_text(
        json.dumps({"pid": pid, "url": url, "control_token": "t", "started_at": "now"}),
        encoding="utf-8",
    )


def test_no_service_file_means_no_server(tmp_path: Path) -> None:
    paths = data_paths(tmp_path / "data")
    assert handover.read_server_info(paths) is None
    handover.refuse_when_served(paths, "reanalyse", Console())


def test_a_dead_servers_file_is_ignored(tmp_path: Path) -> None:
    # Far above any pid a Linux kernel hands out (pid_max is at most 2**22).
    service_file(tmp_path / "data", 2**30)
    assert handover.read_server_info(data_paths(tmp_path / "data")) is None


def test_reanalyse_is_refused_with_what_to_do(tmp_path: Path) -> None:
    service_file(tmp_path / "data", os.getpid())
    console = Console(record=True, width=200)
    with pytest.raises(typer.Exit) as stopped:
        handover.refuse_when_served(data_paths(tmp_path / "data"), "reanalyse", console)
    assert stopped.value.exit_code == 2
    said = console.export_text()
    assert "Stop the server" in said
    assert "marsad reanalyse" in said


def test_a_server_that_does_not_answer_is_named(tmp_path: Path) -> None:
    # Port 9 on loopback: nothing listens, the connection is refused.
    service_file(tmp_path / "data", os.getpid())
    console = Console(record=True, width=200)
    with pytest.raises(typer.Exit) as stopped:
        handover.hand_over_crawl(data_paths(tmp_path / "data"), ["a-source"], console)
    assert stopped.value.exit_code == 2
    assert f"pid {os.getpid()}" in console.export_text()


@pytest.mark.parametrize(
    ("host", "token", "refused"),
    [
        ("127.0.0.1", None, False),
        ("::1", None, False),
        ("localhost", None, False),
        ("0.0.0.0", None, True),
        ("192.0.2.10", None, True),
        ("0.0.0.0", "a-long-enough-token-123", False),
    ],
)
def test_exposure(host: str, token: str | None, refused: bool) -> None:
    if refused:
        with pytest.raises(service.ServiceError, match="without a token"):
            service.check_exposure(host, token)
    else:
        service.check_exposure(host, token)


def test_settings_from_the_environment() -> None:
    with pytest.raises(service.ServiceError, match="too short"):
        service.Settings.from_env({"MARSAD_TOKEN": "short"})
    with pytest.raises(service.ServiceError, match="time zone"):
        service.Settings.from_env({"MARSAD_TIMEZONE": "Mars/Olympus"})
    with pytest.raises(service.ServiceError, match="MARSAD_JITTER"):
        service.Settings.from_env({"MARSAD_JITTER": "soon"})
    chosen = service.Settings.from_env(
        {"MARSAD_TIMEZONE": "Africa/Tripoli", "MARSAD_DIGEST_AT": "off", "MARSAD_JITTER": "60"}
    )
    assert (str(chosen.timezone), chosen.digest_at, chosen.jitter) == ("Africa/Tripoli", None, 60)


@pytest.mark.parametrize("command", [["stats"], ["triage", "list"], ["digest"], ["status"]])
def test_a_server_that_does_not_answer_stops_every_command_in_one_line(
    tmp_path: Path, command: list[str]
) -> None:
    from typer.testing import CliRunner

    from marsad import cli, triage_cli

    for register in (triage_cli.register, service.register):
        register(cli.app)
    service_file(tmp_path / "data", os.getpid())
    result = CliRunner().invoke(cli.app, [*command, "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "did not answer" in line or "127.0.0.1:9" in line
