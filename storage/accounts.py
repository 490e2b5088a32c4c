"""Accounts of the people who use the triage UI: name, role, password hash, disabled or not,
and the interface language each chose.

Hashing and the rules on names, roles and passwords are `triage.accounts`'; this module holds
only their SQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence
    from contextlib import AbstractContextManager

    import duckdb


class AccountQueries:
    """Store mixin: the `users` table."""

    if TYPE_CHECKING:
        # Provided by `Store`, which this mixin is part of.
        def transaction(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]: ...

        def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...

        def _one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None: ...

    def add_user(self, name: str, role: str, password_hash: str, *, created_by: str) -> None:
        now = datetime.now(UTC)
        with self.transaction() as db:
            found = db.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone()
            if found is not None:
                raise ValueError(f"there is already an account {name!r}")
            db.execute(
                "INSERT INTO users (name, role, password_hash, created_at, created_by, "
                "password_set_at) VALUES (?, ?, ?, ?, ?, ?)",
                [name, role, password_hash, now, created_by, now],
            )

    def user(self, name: str) -> dict[str, Any] | None:
        return self._one("SELECT * FROM users WHERE name = ?", [name])

    def users(self) -> list[dict[str, Any]]:
        """Every account, without its password hash."""
        return self._rows(
            "SELECT name, role, created_at, created_by, password_set_at, disabled_at "
            "FROM users ORDER BY name"
        )

    def active_user_count(self) -> int:
        row = self._one("SELECT count(*) AS n FROM users WHERE disabled_at IS NULL")
        return int(row["n"]) if row else 0

    def set_user_password(self, name: str, password_hash: str) -> None:
        self._update_user(name, "password_hash = ?, password_set_at = ?", [password_hash])

    def set_user_disabled(self, name: str, disabled: bool) -> None:
        if disabled:
            self._update_user(name, "disabled_at = ?", [])
        else:
            self._update_user(name, "disabled_at = NULL", [], stamp=False)

    def set_user_role(self, name: str, role: str) -> None:
        self._update_user(name, "role = ?", [role], stamp=False)

    def set_user_language(self, name: str, language: str) -> None:
        """The interface language the account chose (`triage.i18n.LANGUAGES`)."""
        self._update_user(name, "language = ?", [language], stamp=False)

    def _update_user(
        self, name: str, assignments: str, values: list[Any], *, stamp: bool = True
    ) -> None:
        params = [*values, datetime.now(UTC)] if stamp else values
        with self.transaction() as db:
            found = db.execute(
                f"UPDATE users SET {assignments} WHERE name = ? RETURNING name",  # noqa: S608 - fixed assignments
                [*params, name],
            ).fetchall()
            if not found:
                raise KeyError(f"no account {name!r}")
