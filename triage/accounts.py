"""People, not a shared name: accounts with roles, passwords, sessions and login throttling.

Roles: `admin` (accounts and settings, and everything an analyst does), `analyst` (review and
edit incidents), `viewer` (read and export). Passwords are hashed with the standard library's
scrypt (memory-hard: 16 MiB a hash), each with its own salt. A session is a random token in a
cookie (`Secure` and `__Host-` prefixed when served over TLS) mapped in memory to its account,
with a CSRF token of its own: a cookie planted from another port cannot stand in for it.
Sessions end at logout, after `SESSION_HOURS`, or when the server restarts. Failed logins are
counted per client and per account name; past the limit, logins wait (`Throttle`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import threading
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage import Store

ROLES = ("admin", "analyst", "viewer")
EDITORS = frozenset({"admin", "analyst"})
MIN_PASSWORD = 10
SESSION_HOURS = 12
# scrypt's cost: n=2**14, r=8 takes 16 MiB and some tens of milliseconds a hash.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_NAME = re.compile(r"[\w.@-]{1,60}", re.UNICODE)


class AccountError(ValueError):
    """An account that cannot be made or changed as asked, said plainly."""


@dataclass(frozen=True, slots=True)
class Account:
    name: str
    role: str
    # The interface language the account chose, None until it chooses (`triage.i18n`).
    language: str | None = None

    @property
    def can_edit(self) -> bool:
        return self.role in EDITORS


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    encode = base64.b64encode
    return (
        f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt).decode()}${encode(digest).decode()}"
    )


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        expected = base64.b64decode(digest)
        found = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except ValueError:
        return False
    return hmac.compare_digest(found, expected)


# Checked against when the account does not exist, so that a wrong name costs as much as a
# wrong password and timing does not tell which names exist.
_DUMMY = hash_password(secrets.token_urlsafe(16))


def check_name(name: str) -> str:
    name = name.strip()
    if not _NAME.fullmatch(name):
        raise AccountError(
            "an account name is 1 to 60 letters, digits, dots, @, - or _ (no spaces)"
        )
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(set(password)) < 4:
        raise AccountError("that password is too easy to guess")
    return password


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"a role is one of {', '.join(ROLES)}")
    return role


def add(store: Store, name: str, role: str, password: str, *, by: str) -> Account:
    name, role = check_name(name), check_role(role)
    store.add_user(name, role, hash_password(check_password(password)), created_by=by)
    return Account(name, role)


def set_password(store: Store, name: str, password: str) -> None:
    store.set_user_password(name, hash_password(check_password(password)))


def authenticate(store: Store, name: str, password: str) -> Account | None:
    """The account if the name and password are right and it is not disabled, else None."""
    row = store.user(name.strip()) if _NAME.fullmatch(name.strip()) else None
    if row is None:
        verify_password(password, _DUMMY)
        return None
    if not verify_password(password, str(row["password_hash"])) or row["disabled_at"]:
        return None
    language = row.get("language")
    return Account(str(row["name"]), str(row["role"]), str(language) if language else None)


def set_language(store: Store, sessions: Sessions, account: Account, language: str) -> Account:
    """Keep `language` on the account, and in every open session of it (other browsers too)."""
    store.set_user_language(account.name, language)
    changed = replace(account, language=language)
    sessions.update(changed)
    return changed


@dataclass(frozen=True, slots=True)
class Session:
    account: Account
    csrf: str
    expires: float


@dataclass
class Sessions:
    """Open sessions, in memory, by the SHA-256 of their token (the token itself is not kept)."""

    _open: dict[str, Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @staticmethod
    def _key(token: str) -> str:
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    def start(self, account: Account) -> tuple[str, Session]:
        token = secrets.token_urlsafe(32)
        session = Session(
            account, secrets.token_urlsafe(32), time.monotonic() + SESSION_HOURS * 3600
        )
        with self._lock:
            now = time.monotonic()
            self._open = {k: s for k, s in self._open.items() if s.expires > now}
            self._open[self._key(token)] = session
        return token, session

    def get(self, token: str | None) -> Session | None:
        if not token:
            return None
        with self._lock:
            session = self._open.get(self._key(token))
        if session is None or session.expires <= time.monotonic():
            return None
        return session

    def update(self, account: Account) -> None:
        """Every open session of `account`'s name sees it as it now is."""
        with self._lock:
            self._open = {
                k: replace(s, account=account) if s.account.name == account.name else s
                for k, s in self._open.items()
            }

    def end(self, token: str | None) -> None:
        if token:
            with self._lock:
                self._open.pop(self._key(token), None)


@dataclass
class Throttle:
    """Failed logins per key (a client address, an account name): past `limit` within
    `window` seconds, that key waits until the oldest failure leaves the window."""

    limit: int
    window: float
    _failures: dict[str, list[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, *keys: str) -> float:
        """Seconds until a login may be tried for these keys (0: now)."""
        now = time.monotonic()
        longest = 0.0
        with self._lock:
            for key in keys:
                recent = [t for t in self._failures.get(key, []) if t > now - self.window]
                self._failures[key] = recent
                if len(recent) >= self.limit:
                    longest = max(longest, recent[0] + self.window - now)
        return longest

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._failures.setdefault(key, []).append(now)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
