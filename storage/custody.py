"""Chain of custody: who touched which capture, when, and why; and what was preserved from it.

The custody log is append-only and hash-chained: each entry's hash covers its own fields and the
hash of the entry before it, so an entry edited or deleted after the fact breaks the chain at
that point (`check_custody_chain`). A chain inside the database cannot prove its own tail,
though: whoever can write the file can delete the newest entries, or edit one and recompute
every hash after it. So the chain's head (last id, its hash, the number of entries) is anchored
outside the database after every commit that adds entries: appended to `custody-anchors.jsonl`
beside it (`check_custody_anchors`), and carried in every bundle's manifest and every digest,
which leave the machine. Artefacts (screenshots, PDFs, WARC records) are files made
from a capture, stored and hashed like captures, and listed beside the capture they came from.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from storage.rows import insert_new

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from contextlib import AbstractContextManager
    from pathlib import Path
    from threading import RLock

    import duckdb

# What a custody entry says was done with a capture.
ACTIONS = ("read", "export", "preserve", "verify")
# Beside the database: one line per commit that added custody entries, never rewritten.
ANCHORS = "custody-anchors.jsonl"

logger = logging.getLogger(__name__)


def current_actor() -> str:
    """Who is acting: `$MARSAD_ACTOR` when set (a service names its analyst), else the OS user."""
    actor = os.environ.get("MARSAD_ACTOR")
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid:{os.getuid()}"


def _entry_hash(
    prev_hash: str | None, at: datetime, actor: str, action: str, sha256: str | None, detail: str
) -> str:
    fields = [prev_hash, at.astimezone(UTC).isoformat(), actor, action, sha256, detail]
    payload = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class NewArtefact:
    sha256: str
    kind: str
    capture_sha256: str
    fetch_id: int | None
    document_id: int | None
    size: int
    content_type: str
    path: str
    tool: str
    marsad_version: str


class CustodyQueries:
    """Store mixin: the custody log and the preserved artefacts."""

    if TYPE_CHECKING:
        # Provided by `Store`, which this mixin is part of.
        _lock: RLock
        path: Path
        _custody_added: bool

        def transaction(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]: ...

        def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...

    # -- custody log --------------------------------------------------------------------------

    def log_custody(
        self,
        action: str,
        sha256s: Iterable[str | None],
        *,
        actor: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> int:
        """Append one entry per capture (None: an act over all captures); return how many."""
        if action not in ACTIONS:
            raise ValueError(f"unknown custody action {action!r}")
        who = actor or current_actor()
        text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str)
        at = datetime.now(UTC)
        count = 0
        with self.transaction() as db:
            last = db.execute(
                "SELECT entry_hash FROM custody_log ORDER BY id DESC LIMIT 1"
            ).fetchone()
            prev = None if last is None else str(last[0])
            # Anchored once the outermost transaction commits (`Store.transaction`).
            self._custody_added = True
            for sha256 in sha256s:
                entry = _entry_hash(prev, at, who, action, sha256, text)
                db.execute(
                    "INSERT INTO custody_log (logged_at, actor, action, sha256, detail, prev_hash, "
                    "entry_hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [at, who, action, sha256, text, prev, entry],
                )
                prev = entry
                count += 1
        return count

    def custody(self, sha256: str | None = None) -> list[dict[str, Any]]:
        """The log, oldest first; for one capture, its own entries and the acts over all."""
        if sha256 is None:
            rows = self._rows("SELECT * FROM custody_log ORDER BY id")
        else:
            rows = self._rows(
                "SELECT * FROM custody_log WHERE sha256 = ? OR sha256 IS NULL ORDER BY id",
                [sha256],
            )
        for row in rows:
            row["detail"] = json.loads(row["detail"])
        return rows

    def custody_head(self) -> dict[str, Any] | None:
        """The newest entry's id and hash, and how many entries there are: what an anchor
        records, and what a bundle or a digest carries."""
        rows = self._rows(
            "SELECT id, entry_hash, (SELECT count(*) FROM custody_log) AS entries "
            "FROM custody_log ORDER BY id DESC LIMIT 1"
        )
        if not rows:
            return None
        return {
            "id": int(rows[0]["id"]),
            "entry_hash": str(rows[0]["entry_hash"]),
            "entries": int(rows[0]["entries"]),
        }

    def anchor_custody(self) -> None:
        """Append the chain's head to the anchors file, written through to the disk."""
        head = self.custody_head()
        if head is None:
            return
        line = json.dumps({"anchored_at": datetime.now(UTC).isoformat(), **head}) + "\n"
        try:
            with (self.path.parent / ANCHORS).open("a", encoding="utf-8") as anchors:
                anchors.write(line)
                anchors.flush()
                os.fsync(anchors.fileno())
        except OSError as exc:
            # The entries are committed; `marsad verify` reports them as unanchored.
            logger.error("Could not anchor the custody log's head: %s", exc.strerror)

    def custody_anchors(self) -> list[dict[str, Any]]:
        """The anchors written so far, oldest first; a line that cannot be read is returned as
        {"unreadable": line number}."""
        try:
            lines = (self.path.parent / ANCHORS).read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        anchors: list[dict[str, Any]] = []
        for number, line in enumerate(lines, 1):
            try:
                anchor = json.loads(line)
                anchors.append(
                    {
                        "id": int(anchor["id"]),
                        "entry_hash": str(anchor["entry_hash"]),
                        "entries": int(anchor["entries"]),
                        "anchored_at": str(anchor.get("anchored_at")),
                    }
                )
            except (ValueError, KeyError, TypeError):
                anchors.append({"unreadable": number})
        return anchors

    def check_custody_anchors(self, extra: Sequence[dict[str, Any]] = ()) -> list[str]:
        """What the anchors (the file's, and `extra` ones from bundles or digests) say was
        removed or rewritten since they were taken: empty when every anchored head is still
        in the log, with its hash, and nothing was added after the last without one."""
        entries = {
            int(r["id"]): str(r["entry_hash"])
            for r in self._rows("SELECT id, entry_hash FROM custody_log ORDER BY id")
        }
        anchors = self.custody_anchors()
        problems = []
        for anchor in [*anchors, *extra]:
            if "unreadable" in anchor:
                problems.append(f"line {anchor['unreadable']} of {ANCHORS} cannot be read")
                continue
            found = entries.get(anchor["id"])
            if found is None:
                problems.append(
                    f"custody entry {anchor['id']}, anchored at {anchor.get('anchored_at')}, "
                    "is gone: the log was cut back"
                )
            elif found != anchor["entry_hash"]:
                problems.append(
                    f"custody entry {anchor['id']} no longer has the hash anchored at "
                    f"{anchor.get('anchored_at')}: the log was rewritten"
                )
            elif anchor.get("entries") is not None and anchor["entries"] != sum(
                1 for i in entries if i <= anchor["id"]
            ):
                problems.append(
                    f"the custody log held {anchor['entries']} entries up to entry "
                    f"{anchor['id']} when anchored; it now holds a different number"
                )
        newest = max((a["id"] for a in anchors if "unreadable" not in a), default=None)
        if entries and newest is None:
            problems.append(
                f"{ANCHORS} is missing or empty: the log's tail cannot be checked (a data "
                "directory from before anchoring is anchored by this check from now on)"
            )
        elif newest is not None and entries and max(entries) > newest:
            problems.append(
                f"custody entries after {newest} carry no anchor: added outside Marsad, or "
                "the anchor could not be written"
            )
        return problems

    def check_custody_chain(self) -> list[int]:
        """Ids of custody entries whose hash or link no longer matches: empty when intact."""
        broken = []
        prev: str | None = None
        for row in self._rows("SELECT * FROM custody_log ORDER BY id"):
            expected = _entry_hash(
                prev, row["logged_at"], row["actor"], row["action"], row["sha256"], row["detail"]
            )
            if row["prev_hash"] != prev or row["entry_hash"] != expected:
                broken.append(int(row["id"]))
            prev = row["entry_hash"]
        return broken

    # -- artefacts ----------------------------------------------------------------------------

    def record_artefact(self, artefact: NewArtefact) -> None:
        self.record_artefacts([artefact])

    def record_artefacts(self, artefacts: Sequence[NewArtefact]) -> None:
        """List artefacts beside their captures; one already listed is kept as it was."""
        if not artefacts:
            return
        with self.transaction() as db:
            now = datetime.now(UTC)
            insert_new(
                db,
                "artefacts",
                (
                    "sha256",
                    "kind",
                    "capture_sha256",
                    "fetch_id",
                    "document_id",
                    "size",
                    "content_type",
                    "path",
                    "tool",
                    "marsad_version",
                    "created_at",
                ),
                [
                    (
                        a.sha256,
                        a.kind,
                        a.capture_sha256,
                        a.fetch_id,
                        a.document_id,
                        a.size,
                        a.content_type,
                        a.path,
                        a.tool,
                        a.marsad_version,
                        now,
                    )
                    for a in artefacts
                ],
            )

    def artefacts(
        self, *, document_id: int | None = None, fetch_id: int | None = None
    ) -> list[dict[str, Any]]:
        """Artefacts of one document or one fetch, or all of them."""
        if document_id is not None:
            return self._rows(
                "SELECT * FROM artefacts WHERE document_id = ? OR fetch_id = "
                "(SELECT fetch_id FROM documents WHERE id = ?) ORDER BY created_at, kind",
                [document_id, document_id],
            )
        if fetch_id is not None:
            return self._rows(
                "SELECT * FROM artefacts WHERE fetch_id = ? ORDER BY created_at, kind", [fetch_id]
            )
        return self._rows("SELECT * FROM artefacts ORDER BY created_at, kind")

    def all_captures(self) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM captures ORDER BY first_fetched_at, sha256")

    def dangling_references(self) -> list[dict[str, Any]]:
        """Fetches and documents that name a capture the captures table does not hold."""
        return self._rows(
            "SELECT 'fetch' AS kind, id, sha256 FROM fetches f "
            "WHERE NOT EXISTS (SELECT 1 FROM captures c WHERE c.sha256 = f.sha256) "
            "UNION ALL SELECT 'document' AS kind, id, capture_sha256 AS sha256 FROM documents d "
            "WHERE NOT EXISTS (SELECT 1 FROM captures c WHERE c.sha256 = d.capture_sha256) "
            "ORDER BY kind, id"
        )

    def documents_to_preserve(self) -> list[dict[str, Any]]:
        """Documents behind current candidate incidents that lack a screenshot or a PDF."""
        return self._rows(
            "SELECT d.id, d.url, d.final_url, d.fetch_id, d.capture_sha256 FROM documents d "
            "WHERE EXISTS (SELECT 1 FROM candidates c "
            "              WHERE c.document_id = d.id AND c.superseded_at IS NULL) "
            "AND (SELECT count(DISTINCT kind) FROM artefacts a "
            "     WHERE a.document_id = d.id AND a.kind IN ('screenshot', 'pdf')) < 2 "
            "ORDER BY d.id"
        )
