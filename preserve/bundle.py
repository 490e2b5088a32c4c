"""A verification bundle: what a verifier needs to check documents without access to Marsad.

    marsad-bundle-<UTC time>/
        captures/<sha256>            the exact bytes served
        preserved/<sha256>.warc      WARC record of the fetch
        preserved/<sha256>.png|.pdf  full-page screenshot and PDF, rendered from the capture
        manifest.json                per document: URLs, redirect chain, status, headers, UTC
                                     fetch time, Marsad version, hashes, custody entries
        SHA256SUMS                   `sha256sum -c SHA256SUMS` checks every file above

File names inside the bundle come from hashes only, never from a URL, title or source name, and
every path is checked to stay inside the bundle, so no scraped text can place a file elsewhere.
A stored file that no longer matches its hash stops the export: a bundle never carries an
altered capture. `marsad bundle` writes the folder; `marsad export --format bundle` writes the
same contents as one zip, with the exported incidents added to the manifest.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from preserve.artefacts import EXTENSIONS, preserved_root
from storage import CaptureFiles, __version__
from storage.custody import current_actor

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from storage import Store


# Bytes copied at a time from a stored file into a bundle.
CHUNK = 1 << 20


class BundleError(RuntimeError):
    """The bundle cannot be made (unknown document, altered or missing file, unsafe path)."""


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _inside(root: Path, relative: str) -> Path:
    target = (root / relative).resolve()
    if not target.is_relative_to(root):
        raise BundleError(f"refusing to write outside the bundle: {relative!r}")
    return target


def _copy_checked(source: Path, sha256: str, out: IO[bytes]) -> None:
    """Copy a stored file to `out` a chunk at a time, refused unless its bytes still match the
    hash it is named by (the caller discards what was written when this raises)."""
    if not source.is_file():
        raise BundleError(f"{sha256} is missing from the data directory (run `marsad verify`)")
    digest = hashlib.sha256()
    with source.open("rb") as stored:
        while chunk := stored.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != sha256:
        raise BundleError(f"{sha256} no longer matches its hash (run `marsad verify`)")


def _stored(files: CaptureFiles, sha256: str) -> Path:
    try:
        return files.path_for(sha256)
    except ValueError as exc:
        raise BundleError(f"the database names a file by a non-hash: {sha256!r}") from exc


def write_bundle(
    store: Store,
    data_dir: Path,
    document_ids: list[int],
    out_dir: Path,
    *,
    actor: str | None = None,
    progress: Callable[[], None] | None = None,
) -> Path:
    """Write a bundle for `document_ids` into a new folder under `out_dir`; return the folder.

    `progress` is called after each document is read and checked."""
    now = datetime.now(UTC)
    out_dir.mkdir(parents=True, exist_ok=True)
    final = (out_dir / f"marsad-bundle-{now:%Y%m%dT%H%M%S%fZ}").resolve()
    # Built under a hidden name and renamed when complete: a failed export leaves nothing that
    # looks like a bundle.
    root = final.with_name(f".{final.name}.partial")
    root.mkdir()
    try:
        contents = _contents(store, data_dir, document_ids, now, actor, {}, progress)
        for relative, (source, sha256) in contents.stored.items():
            target = _inside(root, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as out:
                _copy_checked(source, sha256, out)
        for relative, body in contents.written().items():
            _inside(root, relative).write_bytes(body)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    root.rename(final)
    store.log_custody(
        "export",
        dict.fromkeys(contents.hashes),
        actor=actor,
        detail={"bundle": final.name, "documents": document_ids},
    )
    return final


def write_bundle_zip(
    store: Store,
    data_dir: Path,
    document_ids: list[int],
    out: BinaryIO,
    *,
    actor: str | None = None,
    manifest: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
    progress: Callable[[], None] | None = None,
) -> list[str]:
    """The same bundle as one zip written to `out`, with `manifest` merged into its manifest
    (an export adds the incidents); return the SHA-256 of every stored file it carries.
    `progress` is called after each document is read and checked."""
    now = datetime.now(UTC)
    contents = _contents(store, data_dir, document_ids, now, actor, manifest or {}, progress)
    stamp = now.timetuple()[:6]

    def entry(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        return info

    # Streamed a chunk at a time: a bundle of many large captures never sits in memory.
    with zipfile.ZipFile(out, "w") as archive:
        for name, (source, sha256) in contents.stored.items():
            with archive.open(entry(name), "w", force_zip64=True) as member:
                _copy_checked(source, sha256, member)
        for name, body in contents.written().items():
            archive.writestr(entry(name), body)
    if contents.hashes:
        store.log_custody(
            "export",
            dict.fromkeys(contents.hashes),
            actor=actor,
            detail={"bundle": "zip", "documents": document_ids, **(detail or {})},
        )
    return contents.hashes


@dataclass(frozen=True, slots=True)
class _Contents:
    # path inside the bundle -> (the stored file, its SHA-256), copied a chunk at a time
    stored: dict[str, tuple[Path, str]]
    manifest: bytes
    hashes: list[str]  # the stored files it carries (captures and artefacts)

    def written(self) -> dict[str, bytes]:
        """The files made for the bundle: the manifest, then SHA256SUMS over every file. A
        stored file is named by its hash, and copied only if its bytes still match it."""
        digests = {name: sha256 for name, (_, sha256) in self.stored.items()}
        digests["manifest.json"] = hashlib.sha256(self.manifest).hexdigest()
        sums = "".join(f"{digests[name]}  {name}\n" for name in sorted(digests))
        return {"manifest.json": self.manifest, "SHA256SUMS": sums.encode("utf-8")}


def _contents(
    store: Store,
    data_dir: Path,
    document_ids: list[int],
    now: datetime,
    actor: str | None,
    extra: dict[str, Any],
    progress: Callable[[], None] | None = None,
) -> _Contents:
    captures = CaptureFiles(data_dir / "captures")
    preserved = CaptureFiles(preserved_root(data_dir))
    entries = []
    files: dict[str, tuple[Path, str]] = {}
    hashes: list[str] = []
    for document_id in dict.fromkeys(document_ids):
        doc = store.document(document_id)
        if doc is None:
            raise BundleError(f"no document {document_id}")
        fetch = store.fetch(doc["fetch_id"]) or {}
        sha256 = str(doc["capture_sha256"])
        capture_row = store.capture(sha256) or {}
        capture_path = f"captures/{sha256}"
        files[capture_path] = (_stored(captures, sha256), sha256)
        hashes.append(sha256)
        artefacts = []
        for art in store.artefacts(document_id=document_id):
            relative = f"preserved/{art['sha256']}{EXTENSIONS[art['kind']]}"
            files[relative] = (_stored(preserved, art["sha256"]), art["sha256"])
            hashes.append(art["sha256"])
            artefacts.append(
                {
                    "kind": art["kind"],
                    "sha256": art["sha256"],
                    "path": relative,
                    "content_type": art["content_type"],
                    "tool": art["tool"],
                    "created_at": _plain(art["created_at"]),
                }
            )
        custody = [
            {
                k: _plain(v)
                for k, v in entry.items()
                if k in ("logged_at", "actor", "action", "detail", "entry_hash")
            }
            for entry in store.custody(sha256)
        ]
        entries.append(
            {
                "document_id": document_id,
                "source": doc["source"],
                "title": doc["title"],
                "published": _plain(doc["published"]),
                "language": doc["language"],
                "capture": {
                    "sha256": sha256,
                    "path": capture_path,
                    "size": capture_row.get("size"),
                    "content_type": capture_row.get("content_type"),
                },
                "fetch": {
                    "request_url": fetch.get("url"),
                    "final_url": fetch.get("final_url"),
                    "redirects": fetch.get("redirects"),
                    "status": fetch.get("status"),
                    "headers": json.loads(fetch["headers"]) if fetch.get("headers") else None,
                    "fetched_at_utc": _plain(fetch.get("fetched_at")),
                    "marsad_version": fetch.get("marsad_version"),
                },
                "artefacts": artefacts,
                "custody": custody,
            }
        )
        if progress is not None:
            progress()
    manifest = {
        "created_at_utc": now.isoformat(),
        "created_by": actor or current_actor(),
        "marsad_version": __version__,
        "hash": "SHA-256",
        "documents": entries,
        # The custody log's head as the bundle was made: `marsad verify --head ID:SHA256`
        # checks that the log still holds it, unaltered.
        "custody_head": store.custody_head(),
        **extra,
    }
    body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return _Contents(files, body.encode("utf-8"), hashes)
