"""The command line starts without the heavy half of the project.

`marsad --help`, `marsad --version` and a mistyped option answer at once only because the
commands import storage, the NLP, Scrapy and the web stack inside their bodies; one import moved
to a module's top would make every invocation pay for all of them. Checked in a fresh
interpreter, since this test session has imported everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys

# Each costs from a tenth of a second (DuckDB) to most of a second (Scrapy with Twisted, the
# NLP's data tables) to import.
HEAVY = (
    "apscheduler",
    "camel_tools",
    "duckdb",
    "incidents",
    "langdetect",
    "nlp",
    "playwright",
    "preserve",
    "scrapy",
    "starlette",
    "storage",
    "trafilatura",
    "triage",
    "twisted",
    "uvicorn",
)

# As `marsad.cli.main` builds the application before running it.
BUILD = """
import json, sys
from marsad import cli, service, triage_cli, users_cli, verify
for register in (verify.register, triage_cli.register, users_cli.register, service.register):
    register(cli.app)
print(json.dumps(sorted(sys.modules)))
"""


def test_building_the_command_line_imports_nothing_heavy() -> None:
    out = subprocess.run(
        [sys.executable, "-c", BUILD], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    loaded = {name.split(".")[0] for name in json.loads(out)}
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
