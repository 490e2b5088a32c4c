"""`marsad serve` on a port another program holds: one error line naming the address, exit 2,
no traceback (the issue found `marsad demo` there giving one), and no database created."""

from __future__ import annotations

import os
import socket
import subprocess
from typing import TYPE_CHECKING

from service_fixtures import MARSAD, demo_registry, serving

if TYPE_CHECKING:
    from pathlib import Path


def test_a_busy_port_is_named_in_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "MARSAD_DIGEST_AT": "off"}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [MARSAD, "serve", "--port", str(port), "--no-schedule"]
        refused = subprocess.run(
            [*command, "--data-dir", str(tmp_path / "data")],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            check=False,
        )
    assert refused.returncode == 2
    assert "Traceback" not in refused.stderr
    errors = [line for line in refused.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert errors[0].startswith(f"error: cannot listen on 127.0.0.1:{port}:")
    # Refused before anything was created: no database, no admin asked for.
    assert not (tmp_path / "data" / "marsad.duckdb").exists()
    assert "no account yet" not in refused.stderr


def test_a_second_server_on_the_same_data_names_the_first(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    sources = demo_registry(
        tmp_path / "sources.toml", "http://127.0.0.1:9", {"demo-news-ar": "0 3 * * *"}
    )
    with serving(data_dir, sources, "--no-schedule") as first:
        port = first.url.rsplit(":", 1)[1]
        for where in (port, "0"):  # the same port, then another: the database is held either way
            second = subprocess.run(
                [MARSAD, "serve", "--port", where, "--no-schedule", "--data-dir", str(data_dir)],
                capture_output=True,
                text=True,
                timeout=120,
                env={**os.environ, "MARSAD_DIGEST_AT": "off"},
                check=False,
            )
            assert second.returncode == 2, second.stderr
            assert "Traceback" not in second.stderr
            pid = first.info["pid"]
            assert f"a server is already running: {first.url}, pid {pid}" in second.stderr
