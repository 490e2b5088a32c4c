"""Accounts for the fault tests: made in the store, then signed in through the login form, as
`tests/triage/triage_fixtures.py` does (that module is not on the path of `tests/faults`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from starlette.testclient import TestClient

from triage import accounts

if TYPE_CHECKING:
    import httpx
    from starlette.applications import Starlette

    from storage import Store

# A test password (assumed: any that passes `accounts.check_password`).
PASSWORD = "correct horse battery"  # noqa: S105 - a test password


def signed_in(
    app: Starlette, store: Store, name: str = "tester", role: str = "analyst"
) -> TestClient:
    """A client of `app` logged in through the login form as a new account `name`."""
    accounts.add(store, name, role, PASSWORD, by="test")
    client = TestClient(app)
    log_in(client, name)
    return client


def log_in(client: httpx.Client, name: str) -> None:
    """Log `client` in through the login form as the existing account `name`."""
    client.get("/login")
    answer = client.post(
        "/login",
        data={"csrf": client.cookies["marsad_csrf"], "name": name, "password": PASSWORD},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


def csrf_of(client: httpx.Client, path: str = "/") -> str:
    """The CSRF token a page's forms carry (the session's own)."""
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)
