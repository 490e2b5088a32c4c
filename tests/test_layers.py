"""The layers contract (pyproject.toml, `[tool.importlinter]`): nothing imports upwards."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
# In a fresh interpreter, run from the repository root so that its packages are the ones read:
# once Twisted's reactor is installed (as the crawl tests do), import-linter's own checks fail.
CHECK = (
    "import sys; from importlinter.cli import lint_imports; "
    "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))"
)


def test_no_package_imports_a_layer_above_it() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, check=False
    )
    # The report names each import that goes the wrong way, with its module and line.
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_package_has_a_layer() -> None:
    """A new package outside the contract would be free to import anything."""
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    (contract,) = config["contracts"]
    layered = {name.strip() for layer in contract["layers"] for name in layer.split("|")}
    packages = {init.parent.name for init in ROOT.glob("*/__init__.py")}
    assert layered == set(config["root_packages"]) == packages


def test_the_scheduler_module_stays_below_marsad() -> None:
    """scheduler.py is a module, which import-linter cannot take as a root: `marsad` hosts it."""
    tree = ast.parse((ROOT / "scheduler.py").read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
    assert "marsad" not in imported
