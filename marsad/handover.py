"""`marsad serve`'s service file, and how one-shot commands use a running server.

While serving, `<data dir>/service.json` (readable by its owner only) says where the server
listens and holds a control token made at start. `marsad crawl` hands its crawl over to the
server through the API; the other commands that use the database call the server's store
through it (`open_store`, `storage.remote`); the few that need the database file for
themselves stop with what to do.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import typer

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from storage import Store
    from storage.paths import Paths

SERVICE_FILE = "service.json"


# -- the service file that local commands read ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServerInfo:
    pid: int
    url: str
    control_token: str
    started_at: str

    def public(self) -> dict[str, Any]:
        return {"pid": self.pid, "url": self.url, "started_at": self.started_at}


def write_private(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    temporary.replace(path)


def read_server_info(paths: Paths) -> ServerInfo | None:
    """The running server of this data directory, if its service file names a live process."""
    try:
        data = json.loads((paths.data_dir / SERVICE_FILE).read_text(encoding="utf-8"))
        info = ServerInfo(
            pid=int(data["pid"]),
            url=str(data["url"]),
            control_token=str(data["control_token"]),
            started_at=str(data["started_at"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        os.kill(info.pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return info


def local_url(host: str, port: int) -> str:
    if host in ("0.0.0.0", ""):  # noqa: S104 - recognising the wildcard, not binding to it
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


# -- asking a running server ----------------------------------------------------------------------


class ServerUnreachable(RuntimeError):
    pass


def ask(info: ServerInfo, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """Call the server's API with the control token (or `MARSAD_TOKEN`)."""
    if not info.url.startswith("http://"):
        raise ServerUnreachable(f"unexpected server address {info.url!r}")
    token = info.control_token or os.environ.get("MARSAD_TOKEN", "")
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - an http:// URL this process checked above
        info.url + path,
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - as above
            return int(response.status), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        try:
            return int(exc.code), json.loads(exc.read() or b"null")
        except ValueError:
            return int(exc.code), None
    except (OSError, ValueError) as exc:
        raise ServerUnreachable(f"{info.url} did not answer: {exc}") from exc


def exit_with(console: Console, message: str, code: int) -> typer.Exit:
    # One line however narrow the terminal: it can be searched for and pasted whole.
    console.print(message, soft_wrap=True)
    return typer.Exit(code)


def fail(console: Console, message: str, code: int = 2) -> typer.Exit:
    """An error (plain text, never read as markup) on one line, and the exit code."""
    from rich.markup import escape

    return exit_with(console, f"[bold red]error:[/] {escape(message)}", code)


def hand_over_crawl(paths: Paths, names: list[str], console: Console) -> None:
    """When `marsad serve` holds the database, ask it to crawl `names` now and exit.

    Returns (doing nothing) when no server runs for this data directory.
    """
    info = read_server_info(paths)
    if info is None:
        return
    try:
        code, answer = ask(info, "POST", "/api/crawl", {"sources": names})
    except ServerUnreachable as exc:
        raise exit_with(
            console,
            f"The database is held by `marsad serve` (pid {info.pid}), which did not answer "
            f"({exc}). Wait for it, or stop it before crawling from the command line.",
            2,
        ) from exc
    if code >= 300 or not isinstance(answer, dict):
        raise exit_with(console, f"The server at {info.url} refused the crawl ({code}).", 2)
    lines = [f"The database is held by `marsad serve` at {info.url}: it crawls there."]
    if answer["started"]:
        lines.append(f"Started now: {', '.join(answer['started'])}.")
    if answer["running"]:
        lines.append(f"Already crawling: {', '.join(answer['running'])}.")
    if answer["unknown"]:
        lines.append(f"Not in the server's sources: {', '.join(answer['unknown'])}.")
    lines.append("Follow the runs with `marsad status` or in the UI.")
    raise exit_with(console, " ".join(lines), 2 if answer["unknown"] else 0)


def refuse_when_served(paths: Paths, command: str, console: Console) -> None:
    """Exit with what to do when `marsad serve` holds the database `command` needs."""
    info = read_server_info(paths)
    if info is None:
        return
    raise exit_with(
        console,
        f"`marsad {command}` needs the database, which `marsad serve` (pid {info.pid}, "
        f"{info.url}) holds. Stop the server (`systemctl stop marsad`, or Ctrl-C where it "
        f"runs), run `marsad {command}`, then start the server again.",
        2,
    )


def check_port(port: int, console: Console) -> None:
    """Stop with one line for a port no socket can have (typer's range check prints a box)."""
    if not 0 <= port <= 65535:
        raise fail(console, f"--port takes 0 to 65535 (0: any free port), not {port}")


def open_store(paths: Paths, console: Console, *, create: bool = False) -> Store:
    """The database for a one-shot command: the running server's, through its API, or the file.

    Without `create`, a data directory that holds no database is an error, not a new empty one:
    a mistyped `--data-dir` on a read command must not look like an empty deployment.
    """
    from storage import DatabaseLocked, Store
    from storage.remote import CallError, RemoteStore

    info = read_server_info(paths)
    if info is not None:
        try:
            remote = RemoteStore(info, paths.database)
            remote.call("ping")
        except (CallError, ConnectionError) as exc:
            raise fail(
                console,
                f"the database is held by `marsad serve` (pid {info.pid}), which did not "
                f"answer: {exc}",
            ) from exc
        # It answers to every Store method; the command need not know where the database is.
        return cast("Store", remote)
    if not create and not paths.database.exists():
        raise fail(
            console,
            f"no database at {paths.database}: check --data-dir (or $MARSAD_DATA_DIR), "
            "or make one with `marsad crawl`, `marsad demo` or `marsad ingest`",
        )
    try:
        return Store(paths.ensure().database)
    except DatabaseLocked as exc:
        raise fail(console, str(exc)) from exc
