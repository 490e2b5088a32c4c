"""Recompute every hash: is each capture and artefact still the exact bytes first recorded?

Files are looked up by their hash alone (`CaptureFiles.path_for`), never by a path read from the
database, so a tampered row cannot make the check read, or vouch for, a file elsewhere.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from preserve.artefacts import preserved_root
from storage import CaptureFiles

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from storage import Store

_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Problem:
    what: str  # capture, artefact, fetch, document, custody
    status: str  # missing, altered, dangling, broken, unanchored
    sha256: str | None
    detail: str


@dataclass(slots=True)
class Report:
    captures: int = 0
    artefacts: int = 0
    custody_entries: int = 0
    problems: list[Problem] = field(default_factory=list)
    # Not failures: a file written just before a crash whose row never committed is refetched
    # and recorded on the next run; a leftover temporary file is a write that never finished.
    unrecorded: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> dict[str, Any]:
        return {
            "captures": self.captures,
            "artefacts": self.artefacts,
            "custody_entries": self.custody_entries,
            "missing": sum(p.status == "missing" for p in self.problems),
            "altered": sum(p.status == "altered" for p in self.problems),
            "problems": len(self.problems),
            "unrecorded": len(self.unrecorded),
            "leftovers": len(self.leftovers),
        }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _check(files: CaptureFiles, what: str, row: dict[str, Any], report: Report) -> None:
    sha256 = str(row["sha256"])
    try:
        path = files.path_for(sha256)
    except ValueError:
        report.problems.append(Problem(what, "altered", sha256, "recorded hash is not SHA-256"))
        return
    if not path.is_file():
        report.problems.append(Problem(what, "missing", sha256, f"no file at {path}"))
        return
    actual = file_sha256(path)
    if actual != sha256:
        report.problems.append(Problem(what, "altered", sha256, f"file now hashes to {actual}"))
    elif path.stat().st_size != row["size"]:
        report.problems.append(Problem(what, "altered", sha256, "size differs from the record"))


def _stray_files(root: Path, known: set[str], report: Report) -> None:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        if path.name.startswith(".incoming-"):
            report.leftovers.append(str(path))
        elif not _DIGEST.match(path.name) or path.name not in known:
            report.unrecorded.append(str(path))


def verify_store(store: Store, data_dir: Path, heads: Sequence[dict[str, Any]] = ()) -> Report:
    """Check every capture, artefact, reference and the custody chain against its anchors
    (and the `heads` a bundle or a digest carried); log that it was done."""
    report = Report()
    captures = CaptureFiles(data_dir / "captures")
    preserved = CaptureFiles(preserved_root(data_dir))
    capture_rows = store.all_captures()
    artefact_rows = store.artefacts()
    for row in capture_rows:
        _check(captures, "capture", row, report)
    for row in artefact_rows:
        _check(preserved, "artefact", row, report)
    report.captures = len(capture_rows)
    report.artefacts = len(artefact_rows)
    for ref in store.dangling_references():
        report.problems.append(
            Problem(ref["kind"], "dangling", ref["sha256"], f"{ref['kind']} {ref['id']}")
        )
    for entry in store.check_custody_chain():
        report.problems.append(
            Problem("custody", "broken", None, f"custody entry {entry} was altered or removed")
        )
    for problem in store.check_custody_anchors(heads):
        report.problems.append(Problem("custody", "unanchored", None, problem))
    report.custody_entries = len(store.custody())
    _stray_files(captures.root, {str(r["sha256"]) for r in capture_rows}, report)
    _stray_files(preserved.root, {str(r["sha256"]) for r in artefact_rows}, report)
    store.log_custody("verify", [None], detail=report.summary())
    return report
