"""`marsad serve` on a port another program holds: one error line naming the address, exit 2,
no traceback (the issue found `marsad demo` there giving one)."""

from __future__ import annotations

import os
import socket
import subprocess
from typing import TYPE_CHECKING

from service_fixtures import MARSAD

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
