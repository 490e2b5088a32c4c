"""The disk under the data directory: telling a full or failing disk from a bad page, and how
much room is left.

On a 20 MB disk a crawl used to hit ENOSPC on half its pages, log tracebacks, record no failure
and call its run finished. A write that fails for want of space (or a read-only or failing
disk) is not about the page: the pipeline records it as `disk_full` and stops the crawl, since
every later page would fail the same way.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

logger = logging.getLogger(__name__)

# Out of space or quota, read-only, or an I/O error: the disk, not the page.
DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO})
# How DuckDB words the same errors (it raises its own exception type with the OS's message).
_DISK_MESSAGES = tuple(os.strerror(n) for n in sorted(DISK_ERRNOS))
# Free space below which `marsad status` and the UI warn (MARSAD_MIN_FREE_MB overrides).
DEFAULT_MIN_FREE_MB = 1024
# Set aside while a crawl runs: room to record how the run ended once the disk is full.
RESERVE_BYTES = 4 * 2**20
_RESERVE_PREFIX = ".disk-reserve-"


def disk_error(exc: BaseException) -> str | None:
    """What is wrong with the disk when `exc` is a disk failure (following its causes), else
    None. Names the error, never a path or data."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return None
        if isinstance(seen, OSError) and seen.errno in DISK_ERRNOS:
            return os.strerror(seen.errno)
        if not isinstance(seen, OSError):
            message = str(seen)
            for known in _DISK_MESSAGES:
                if known in message:
                    return known
        seen = seen.__cause__ or seen.__context__
    return None


@dataclass(frozen=True, slots=True)
class Space:
    free: int
    total: int
    minimum: int

    @property
    def low(self) -> bool:
        return self.free < self.minimum

    def warning(self) -> str | None:
        if not self.low:
            return None
        return (
            f"only {self.free // 2**20} MB free on the data directory's disk (warning below "
            f"{self.minimum // 2**20} MB): captures and the database need room to be kept"
        )


def minimum_free(env: Mapping[str, str] | None = None) -> int:
    """The free-space threshold in bytes, from MARSAD_MIN_FREE_MB (a bad value keeps the
    default rather than silencing the warning)."""
    text = (os.environ if env is None else env).get("MARSAD_MIN_FREE_MB", "").strip()
    megabytes = int(text) if text.isdigit() else DEFAULT_MIN_FREE_MB
    return megabytes * 2**20


def space(data_dir: Path, env: Mapping[str, str] | None = None) -> Space | None:
    """Free and total bytes on the disk holding `data_dir` (or its nearest existing parent)."""
    where = data_dir
    while not where.exists() and where != where.parent:
        where = where.parent
    try:
        usage = shutil.disk_usage(where)
    except OSError:
        return None
    return Space(free=usage.free, total=usage.total, minimum=minimum_free(env))


class Reserve:
    """A few megabytes held on the data directory's disk while a crawl runs, and given back
    when the disk fills up, so that the crawl can still record how its run ended."""

    def __init__(self, data_dir: Path, name: str, size: int = RESERVE_BYTES) -> None:
        self.path = data_dir / f"{_RESERVE_PREFIX}{os.getpid()}-{name}"
        self.size = size
        self._clear_stale(data_dir)

    @staticmethod
    def _clear_stale(data_dir: Path) -> None:
        """Reserves left by processes that died without giving them back."""
        for left in data_dir.glob(f"{_RESERVE_PREFIX}*"):
            pid = left.name.removeprefix(_RESERVE_PREFIX).split("-", 1)[0]
            if not pid.isdigit():
                continue
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:
                left.unlink(missing_ok=True)
            except PermissionError:  # alive, another user's
                continue

    def hold(self) -> None:
        try:
            with self.path.open("wb") as out:
                os.posix_fallocate(out.fileno(), 0, self.size)
        except OSError as exc:
            self.path.unlink(missing_ok=True)
            logger.warning("No room to set aside %d bytes on the data disk: %s", self.size, exc)

    def give_back(self) -> None:
        self.path.unlink(missing_ok=True)
