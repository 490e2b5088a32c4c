"""`marsad users`: the accounts of the people who use the triage UI.

    marsad users add NAME --role admin|analyst|viewer [--password-stdin]
    marsad users list [--json]
    marsad users disable NAME | enable NAME
    marsad users passwd NAME [--password-stdin]
    marsad users role NAME ROLE

Passwords are asked twice on the terminal, never taken as an argument (it would sit in the
shell's history); `--password-stdin` reads one line for scripts. Like `marsad reanalyse`, these
need the database to themselves: stop the server first. `marsad serve` started on a terminal
with no account yet asks for the first admin (`first_admin`).
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from marsad.options import AsJson, DataDir  # noqa: TC001 - typer reads annotations at run time
from marsad.terminal import inert

if TYPE_CHECKING:
    from pathlib import Path

    from storage import Store
    from storage.paths import Paths

console = Console()
err = Console(stderr=True)
users_app = typer.Typer(no_args_is_help=True, help="Accounts of the triage UI.")

Name = Annotated[str, typer.Argument(help="Account name.")]
FromStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from one line of stdin."),
]


def _paths(data_dir: Path | None) -> Paths:
    """The data directory, refused with what to do while `marsad serve` holds its database
    (before any password is asked). Not through the server: it keeps open sessions in memory,
    with their roles, which a disabled account or a changed role would leave standing."""
    from marsad import handover
    from storage.paths import data_paths

    paths = data_paths(data_dir).ensure()
    handover.refuse_when_served(paths, "users", err)
    return paths


def _store(paths: Paths) -> Store:
    from storage import DatabaseLocked, Store

    try:
        return Store(paths.database)
    except DatabaseLocked as exc:
        err.print(inert(f"error: {exc} (stop the server first)"))
        raise typer.Exit(2) from exc


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def _actor() -> str:
    from storage.custody import current_actor

    return current_actor()


@users_app.command()
def add(
    name: Name,
    role: Annotated[str, typer.Option(help="admin, analyst or viewer.")] = "analyst",
    password_stdin: FromStdin = False,
    data_dir: DataDir = None,
) -> None:
    """Create an account."""
    from triage import accounts

    try:
        accounts.check_name(name)
        accounts.check_role(role)
    except accounts.AccountError as exc:
        raise typer.BadParameter(str(exc)) from exc
    paths = _paths(data_dir)
    password = _password(password_stdin)
    store = _store(paths)
    try:
        accounts.add(store, name, role, password, by=_actor())
    except ValueError as exc:
        err.print(inert(f"error: {exc}"))
        raise typer.Exit(1) from exc
    finally:
        store.close()
    console.print(inert(f"Account {name} ({role}) created"))


@users_app.command("list")
def list_users(data_dir: DataDir = None, as_json: AsJson = False) -> None:
    """Every account: role, when created and by whom, disabled or not."""
    store = _store(_paths(data_dir))
    try:
        rows = store.users()
    finally:
        store.close()
    if as_json:
        out = [
            {
                "name": r["name"],
                "role": r["role"],
                "created_at": r["created_at"].isoformat(),
                "created_by": r["created_by"],
                "disabled": r["disabled_at"] is not None,
            }
            for r in rows
        ]
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"{len(rows)} account(s)")
    for column in ("name", "role", "created (UTC)", "by", "password set", "state"):
        table.add_column(column)
    for r in rows:
        table.add_row(
            inert(r["name"]),
            r["role"],
            f"{r['created_at']:%Y-%m-%d %H:%M}",
            inert(r["created_by"]),
            f"{r['password_set_at']:%Y-%m-%d}",
            "disabled" if r["disabled_at"] else "active",
        )
    console.print(table)


def _apply(name: str, paths: Paths, done: str, action: str, value: str = "") -> None:
    from triage import accounts

    store = _store(paths)
    try:
        if action == "disable":
            store.set_user_disabled(name, True)
        elif action == "enable":
            store.set_user_disabled(name, False)
        elif action == "role":
            store.set_user_role(name, accounts.check_role(value))
        else:
            accounts.set_password(store, name, value)
    except KeyError as exc:
        err.print(inert(f"error: no account {name!r}"))
        raise typer.Exit(1) from exc
    except ValueError as exc:
        err.print(inert(f"error: {exc}"))
        raise typer.Exit(1) from exc
    finally:
        store.close()
    console.print(inert(f"Account {name}: {done}"))


@users_app.command()
def disable(name: Name, data_dir: DataDir = None) -> None:
    """Disable an account: it can no longer log in (its name stays in the history)."""
    _apply(name, _paths(data_dir), "disabled", "disable")


@users_app.command()
def enable(name: Name, data_dir: DataDir = None) -> None:
    """Enable a disabled account again."""
    _apply(name, _paths(data_dir), "enabled", "enable")


@users_app.command()
def passwd(name: Name, password_stdin: FromStdin = False, data_dir: DataDir = None) -> None:
    """Set an account's password."""
    paths = _paths(data_dir)
    _apply(name, paths, "password changed", "passwd", _password(password_stdin))


@users_app.command()
def role(
    name: Name,
    new_role: Annotated[str, typer.Argument(help="admin, analyst or viewer.")],
    data_dir: DataDir = None,
) -> None:
    """Change an account's role."""
    _apply(name, _paths(data_dir), f"now {new_role}", "role", new_role)


def first_admin(paths: Paths) -> None:
    """Before `marsad serve` starts: with no account yet, ask for the first admin on a terminal;
    elsewhere, say how to make one (the UI lets nobody in until then: it never runs open)."""
    from storage import DatabaseLocked, Store
    from triage import accounts

    try:
        store = Store(paths.database)
    except DatabaseLocked:
        return  # `serve` says who holds it
    try:
        if store.active_user_count() > 0:
            return
        if not sys.stdin.isatty():
            err.print(
                "warning: no account yet, so nobody can use the triage UI: stop the server and "
                "run `marsad users add NAME --role admin`"
            )
            return
        err.print("No account yet: create the first admin of the triage UI.")
        while True:
            name = str(typer.prompt("Admin account name"))
            try:
                accounts.add(store, name, "admin", _password(False), by=_actor())
            except ValueError as exc:
                err.print(inert(f"error: {exc}"))
                continue
            err.print(inert(f"Account {name} (admin) created"))
            return
    finally:
        store.close()


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
