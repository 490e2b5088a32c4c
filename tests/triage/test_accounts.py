"""Accounts: hashed passwords, roles, sessions tied to their CSRF token, throttled logins, the
`marsad users` commands, and a first start that never runs open."""

from __future__ import annotations

import io
import json
import sys
from typing import TYPE_CHECKING, Any

import pytest
from starlette.testclient import TestClient
from triage_fixtures import EN_ABDUCTION, PASSWORD, csrf_of, en_abduction, signed_in
from typer.testing import CliRunner

from marsad import users_cli
from marsad.cli import app
from storage import Store
from storage.paths import data_paths
from triage import accounts
from triage.app import create_app

if TYPE_CHECKING:
    from triage_fixtures import Desk

users_cli.register(app)
runner = CliRunner()


@pytest.fixture
def one(desk: Desk) -> Desk:
    desk.add("https://en.example/a", EN_ABDUCTION, [en_abduction()])
    return desk


def test_passwords_are_salted_scrypt_hashes() -> None:
    first, second = accounts.hash_password(PASSWORD), accounts.hash_password(PASSWORD)
    assert first != second
    assert first.startswith("scrypt$16384$8$1$")
    assert PASSWORD not in first
    assert accounts.verify_password(PASSWORD, first)
    assert not accounts.verify_password(PASSWORD + "!", first)
    assert not accounts.verify_password(PASSWORD, "md5$whatever")
    with pytest.raises(accounts.AccountError, match="at least 10"):
        accounts.check_password("short")
    with pytest.raises(accounts.AccountError, match="too easy"):
        accounts.check_password("aaaaaaaaaaaaaaaa")
    with pytest.raises(accounts.AccountError, match="no spaces"):
        accounts.check_name("amira salem")


def test_the_users_commands(one: Desk) -> None:
    data = str(one.data_dir)
    one.store.close()

    def run(*args: str, stdin: str | None = None) -> Any:
        return runner.invoke(app, ["users", *args, "--data-dir", data], input=stdin)

    made = run("add", "amira", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    assert made.exit_code == 0, made.output
    assert run("add", "amira", "--password-stdin", stdin=PASSWORD + "\n").exit_code == 1
    assert run("add", "omar", "--role", "boss", "--password-stdin", stdin="x\n").exit_code == 2
    weak = run("add", "omar", "--password-stdin", stdin="short\n")
    assert weak.exit_code == 1
    assert "at least 10" in weak.output
    # Asked twice on a terminal, never shown.
    typed = run("add", "omar", "--role", "viewer", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert typed.exit_code == 0, typed.output
    assert PASSWORD not in typed.output
    assert run("disable", "omar").exit_code == 0
    assert run("passwd", "amira", "--password-stdin", stdin="another long one\n").exit_code == 0
    assert run("role", "amira", "analyst").exit_code == 0
    assert run("disable", "nobody").exit_code == 1
    listed = json.loads(run("list", "--json").output)
    assert [(u["name"], u["role"], u["disabled"]) for u in listed] == [
        ("amira", "analyst", False),
        ("omar", "viewer", True),
    ]
    store = Store(one.data_dir / "marsad.duckdb")
    try:
        assert accounts.authenticate(store, "amira", "another long one") is not None
        assert accounts.authenticate(store, "amira", PASSWORD) is None
        # Disabled: the right password no longer lets it in.
        assert accounts.authenticate(store, "omar", PASSWORD) is None
    finally:
        store.close()


def test_a_viewer_reads_and_exports_but_changes_nothing(one: Desk) -> None:
    client = signed_in(create_app(one.store), one.store, "nadia", "viewer")
    page = client.get("/incidents/1").text
    assert 'id="status-form"' not in page
    assert 'name="abducted"' not in page
    assert "nadia <small>(viewer)</small>" in page
    assert client.get("/export?format=csv").status_code == 200
    token = client.cookies["marsad_csrf"]
    for action, data in [
        ("status", {"status": "in_review"}),
        ("correct", {"abducted": "1", "reason": "r"}),
        ("notes", {"notes": "x"}),
    ]:
        answer = client.post(f"/incidents/1/{action}", data={"csrf": token, **data})
        assert answer.status_code == 403, action
    assert one.store.incident_status(1) == "new"
    assert one.store.incident_corrections([1]) == {}


def test_two_accounts_are_each_named_in_the_history(one: Desk) -> None:
    app_ = create_app(one.store)
    amira = signed_in(app_, one.store, "amira")
    omar = signed_in(app_, one.store, "omar")
    amira.post("/incidents/1/status", data={"csrf": csrf_of(amira), "status": "in_review"})
    omar.post("/incidents/1/status", data={"csrf": csrf_of(omar), "status": "confirmed"})
    history = [(a["actor"], a["to_value"]) for a in one.store.incident_audit(1)[-2:]]
    assert history == [("amira", "in_review"), ("omar", "confirmed")]


def test_a_tossed_csrf_cookie_does_not_stand_in_for_the_session(one: Desk) -> None:
    # Issue #15 item 6: a page on another port of the host set the CSRF cookie, then posted a
    # form carrying the same value. The session's own token is what counts.
    client = signed_in(create_app(one.store), one.store)
    planted = "A" * 43
    client.cookies.set("marsad_csrf", planted)
    answer = client.post("/incidents/1/status", data={"csrf": planted, "status": "confirmed"})
    assert answer.status_code == 403
    assert one.store.incident_status(1) == "new"


def test_three_hundred_wrong_logins_are_throttled(one: Desk) -> None:
    # Issue #15 item 10: 300 wrong logins in 0.3 s with no throttling.
    accounts.add(one.store, "amira", "analyst", PASSWORD, by="test")
    client = TestClient(create_app(one.store))
    client.get("/login")
    token = client.cookies["marsad_csrf"]
    codes = [
        client.post(
            "/login", data={"csrf": token, "name": "amira", "password": f"guess number {n}"}
        ).status_code
        for n in range(300)
    ]
    assert codes.count(401) == 10
    assert codes.count(429) == 290
    # While throttled, even the right password waits: guessing gains nothing.
    right = client.post("/login", data={"csrf": token, "name": "amira", "password": PASSWORD})
    assert right.status_code == 429
    assert "try again in" in right.text


def test_over_tls_the_session_cookie_is_secure_and_host_only(one: Desk) -> None:
    accounts.add(one.store, "amira", "analyst", PASSWORD, by="test")
    client = TestClient(create_app(one.store), base_url="https://marsad.example")
    client.get("/login")
    ok = client.post(
        "/login",
        data={"csrf": client.cookies["marsad_csrf"], "name": "amira", "password": PASSWORD},
        follow_redirects=False,
    )
    cookie = ok.headers["set-cookie"]
    assert cookie.startswith("__Host-marsad_session=")
    assert "Secure" in cookie
    assert "Path=/" in cookie
    assert "Domain" not in cookie


def test_first_start_asks_for_the_admin_on_a_terminal_and_never_runs_open(
    one: Desk, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    where = data_paths(one.data_dir)
    one.store.close()
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    users_cli.first_admin(where)
    assert "no account yet" in capsys.readouterr().err
    answers = iter(["first admin", "amira"])

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal(""))
    monkeypatch.setattr(
        users_cli.typer,
        "prompt",
        lambda text, **_: PASSWORD if text == "Password" else next(answers),
    )
    users_cli.first_admin(where)
    store = Store(where.database)
    try:
        # The name with a space was refused and asked again.
        assert [(u["name"], u["role"]) for u in store.users()] == [("amira", "admin")]
    finally:
        store.close()
