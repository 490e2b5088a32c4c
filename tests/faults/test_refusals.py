"""Wrong settings and paths on the command line: one line of error, a non-zero exit, nothing
started or created (issue 15, item 10)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from marsad.service import ServiceError, Settings

MARSAD = str(Path(sys.executable).with_name("marsad"))


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [MARSAD, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )


def one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error:")
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize(
    "token", [" " * 16, "a" * 16, "ab" * 8, "a" * 40, "short-token", "passwords are ok too"]
)
def test_weak_tokens_are_refused(token: str) -> None:
    with pytest.raises(ServiceError, match="MARSAD_TOKEN"):
        Settings.from_env({"MARSAD_TOKEN": token})


def test_random_tokens_are_accepted() -> None:
    for _ in range(50):
        token = secrets.token_urlsafe(32)
        assert Settings.from_env({"MARSAD_TOKEN": token}).token == token


def test_serve_with_a_weak_token_does_not_start(tmp_path: Path) -> None:
    result = run(
        "serve", "--data-dir", str(tmp_path / "d"), env={"MARSAD_TOKEN": "aaaaaaaaaaaaaaaa"}
    )
    one_line_error(result, "MARSAD_TOKEN")


def test_a_port_out_of_range_is_refused_not_wrapped(tmp_path: Path) -> None:
    result = run("serve", "--port", "99999", "--data-dir", str(tmp_path / "d"))
    one_line_error(result, "99999")


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ("DOWNLOAD_DELAY=abc", ["DOWNLOAD_DELAY", "number"]),
        ("CONCURRENT_REQUESTS=2.5", ["CONCURRENT_REQUESTS", "whole number"]),
        ("DOWNLOAD_TIMEOUT=-1", ["DOWNLOAD_TIMEOUT"]),
        ("DOWNLOAD_DELAY=nan", ["DOWNLOAD_DELAY"]),
        ("AUTOTHROTTLE_ENABLED=maybe", ["AUTOTHROTTLE_ENABLED", "True or False"]),
        ("MARSAD_SINCE=yesterday", ["MARSAD_SINCE", "YYYY-MM-DD"]),
        ("=1", ["KEY=VALUE"]),
    ],
)
def test_a_mistyped_setting_stops_the_crawl_before_it_starts(
    tmp_path: Path, setting: str, words: list[str]
) -> None:
    data_dir = tmp_path / "d"
    one_line_error(run("crawl", "--data-dir", str(data_dir), "--set", setting), *words)
    one_line_error(run("serve", "--data-dir", str(data_dir), "--set", setting), *words)
    assert not (data_dir / "marsad.duckdb").exists()


@pytest.mark.parametrize("output", ["/proc/version", "/sys/kernel/notes", "/dev/null", "/etc"])
def test_export_refuses_system_files_and_directories(tmp_path: Path, output: str) -> None:
    data_dir = tmp_path / "d"
    one_line_error(run("export", "--output", output, "--data-dir", str(data_dir)), "--output")
    assert not data_dir.exists()


@pytest.mark.parametrize("out", ["/proc", "/sys/kernel", "/etc/passwd"])
def test_bundle_refuses_system_trees_and_files(tmp_path: Path, out: str) -> None:
    data_dir = tmp_path / "d"
    one_line_error(run("bundle", "1", "--out", out, "--data-dir", str(data_dir)), "--out")
    assert not data_dir.exists()


@pytest.mark.parametrize(
    ("command", "data_dir"),
    [
        (["stats"], "/etc/passwd"),
        (["crawl"], "/etc/passwd/inside"),
        (["status"], "/proc/self"),
        (["triage", "list"], "/etc/passwd"),
        (["verify"], "/etc/passwd"),
    ],
)
def test_a_data_dir_that_is_a_file_or_a_system_tree_is_refused(
    command: list[str], data_dir: str
) -> None:
    one_line_error(run(*command, "--data-dir", data_dir), "--data-dir")


def test_the_data_dir_from_the_environment_is_checked_too() -> None:
    one_line_error(run("stats", env={"MARSAD_DATA_DIR": "/etc/passwd"}), "--data-dir")
