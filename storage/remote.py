"""The database through `marsad serve`: one-shot commands call the server's `Store`.

DuckDB lets one process open a database file for writing, and while the service runs that is
the service. A one-shot command (`stats`, `triage`, `export`, `verify`, `preserve`, `bundle`,
`ingest`) then gets a `RemoteStore`: the same methods as `storage.Store`, each call made by the
server on its own store (in a thread, under the store's lock) and the answer sent back. The
command itself runs here as it would alone, with its own terminal, files, standard input,
output and exit code; only the database calls travel.

What travels is JSON with tagged values (dates, times, sets, tuples, paths, bytes and the
project's dataclasses), never pickles. Work that must be one transaction (clustering a
document; merging, splitting, undoing or correcting incidents) is asked for by name with
`apply` and runs whole on the server. The API takes the control token of the service file
only, which only the server's user can read: it is that user's database either way.
"""

from __future__ import annotations

import base64
import dataclasses
import http.client
import importlib
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from collections.abc import Callable

    from storage import Store

T = TypeVar("T")


class Server(Protocol):
    """Where the server that holds the store listens (`marsad serve`'s service file)."""

    @property
    def url(self) -> str: ...

    @property
    def control_token(self) -> str: ...


# Only the project's own packages may name the classes and functions a call carries.
PACKAGES = ("storage.", "incidents.", "triage.", "pipeline.", "preserve.", "nlp.", "marsad.")
# Work made of several calls in one transaction, which the server runs whole: clustering, and
# the analysts' merges, splits, undos and corrections.
OPERATIONS = frozenset(
    {
        "incidents.cluster.attach",
        "incidents.cluster.attach_pending",
        "incidents.cluster.rekey",
        "incidents.workflow.mark_duplicate",
        "incidents.workflow.unmerge",
        "incidents.workflow.split_documents",
        "incidents.workflow.undo",
        "incidents.corrections.apply_form",
    }
)
# Store methods that make no sense from afar: the connection stays the server's.
WITHHELD = frozenset({"close", "transaction"})
# Exceptions a command catches by type come back as that type.
BUILTIN_ERRORS: dict[str, type[Exception]] = {
    e.__name__: e
    for e in (KeyError, ValueError, LookupError, TypeError, PermissionError, FileNotFoundError)
}
# A call can be long (clustering everything pending), but not endless.
CALL_TIMEOUT = 900.0


class CallError(RuntimeError):
    """A call the server could not make, or a value that cannot travel."""


# -- values on the wire ---------------------------------------------------------------------------


def _qualified(kind: type[Any] | Callable[..., Any]) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"


def _project_object(name: str) -> Any:
    module, _, attribute = name.rpartition(".")
    if not name.startswith(PACKAGES) or not module or not attribute.isidentifier():
        raise CallError(f"{name!r} is not one of Marsad's own names")
    try:
        return getattr(importlib.import_module(module), attribute)
    except (ImportError, AttributeError) as exc:
        raise CallError(f"no {name!r} here") from exc


def encode(value: Any) -> Any:
    """`value` as JSON, with every non-JSON type tagged so that `decode` gives it back."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"$": "dict", "v": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {"$": "tuple", "v": [encode(v) for v in value]}
    if isinstance(value, set | frozenset):
        return {"$": "set", "v": [encode(v) for v in value]}
    if isinstance(value, datetime):
        return {"$": "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {"$": "date", "v": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$": "decimal", "v": str(value)}
    if isinstance(value, Path):
        return {"$": "path", "v": str(value)}
    if isinstance(value, bytes):
        return {"$": "bytes", "v": base64.b64encode(value).decode("ascii")}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = _qualified(type(value))
        if not name.startswith(PACKAGES):
            raise CallError(f"a {name} cannot be sent")
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$": "object", "class": name, "v": fields}
    raise CallError(f"a {type(value).__name__} cannot be sent")


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    tag: Any = value.get("$")
    inner: Any = value.get("v")
    if tag == "dict":
        return {decode(k): decode(v) for k, v in inner}
    if tag == "tuple":
        return tuple(decode(v) for v in inner)
    if tag == "set":
        return {decode(v) for v in inner}
    if tag == "datetime":
        return datetime.fromisoformat(inner)
    if tag == "date":
        return date.fromisoformat(inner)
    if tag == "decimal":
        return Decimal(inner)
    if tag == "path":
        return Path(inner)
    if tag == "bytes":
        return base64.b64decode(inner)
    if tag == "object":
        kind = _project_object(str(value.get("class")))
        if not (isinstance(kind, type) and dataclasses.is_dataclass(kind)):
            raise CallError(f"{value.get('class')!r} is not a record type")
        return kind(**{k: decode(v) for k, v in inner.items()})
    raise CallError(f"unknown value tag {tag!r}")


def _error(exc: Exception) -> dict[str, Any]:
    kind = type(exc)
    name = kind.__name__ if kind.__name__ in BUILTIN_ERRORS else _qualified(kind)
    try:
        args = encode(list(exc.args))
    except CallError:
        args = [str(exc)]
    return {"type": name, "args": args}


def _raise(error: dict[str, Any]) -> None:
    name, args = str(error.get("type")), decode(error.get("args") or [])
    kind: Any = BUILTIN_ERRORS.get(name)
    if kind is None and name.startswith(PACKAGES):
        try:
            kind = _project_object(name)
        except CallError:
            kind = None
    if not (isinstance(kind, type) and issubclass(kind, Exception)):
        raise CallError(f"the server failed: {name}: {'; '.join(map(str, args))}")
    raise kind(*args)


# -- the server's side --------------------------------------------------------------------------


def _callable(store: Store, name: str) -> Callable[..., Any]:
    if name in OPERATIONS:
        operation = _project_object(name)
        return lambda *args, **kwargs: operation(store, *args, **kwargs)
    method = getattr(type(store), name, None)
    if name.startswith("_") or name in WITHHELD or not callable(method):
        raise CallError(f"the store has no call {name!r}")
    bound: Callable[..., Any] = getattr(store, name)
    return bound


def serve_call(store: Store, request: Any) -> dict[str, Any]:
    """Make one call sent by a `RemoteStore` on `store`; its answer, ready to send back."""
    try:
        if not isinstance(request, dict) or not isinstance(request.get("call"), str):
            raise CallError('send {"call": name, "args": [...], "kwargs": {...}}')
        if request["call"] == "ping":
            return {"value": encode(store.path)}
        function = _callable(store, request["call"])
        args = decode(request.get("args", []))
        kwargs = decode(request["kwargs"]) if "kwargs" in request else {}
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise CallError("args must be a list and kwargs an object")
        return {"value": encode(function(*args, **kwargs))}
    except Exception as exc:  # every failure goes back to the caller, typed
        return {"error": _error(exc)}


# -- the command's side -------------------------------------------------------------------------


class RemoteStore:
    """Stands in for `storage.Store` while `marsad serve` holds the database."""

    def __init__(self, info: Server, database: Path) -> None:
        parts = urlsplit(info.url)
        if parts.scheme != "http" or parts.hostname is None:
            raise CallError(f"unexpected server address {info.url!r}")
        self.info = info
        self.path = database
        self._connection = http.client.HTTPConnection(
            parts.hostname, parts.port or 80, timeout=CALL_TIMEOUT
        )

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        body = json.dumps(
            {"call": name, "args": encode(list(args)), "kwargs": encode(kwargs)},
            ensure_ascii=False,
        ).encode("utf-8")
        headers = {
            "Authorization": f"Bearer {self.info.control_token}",
            "Content-Type": "application/json",
        }
        try:
            self._connection.request("POST", "/api/store", body, headers)
            response = self._connection.getresponse()
            status, payload = response.status, response.read()
        except (OSError, http.client.HTTPException) as exc:
            self._connection.close()
            raise ConnectionError(f"{self.info.url} did not answer: {exc}") from exc
        if status != 200:
            raise CallError(f"the server at {self.info.url} answered {status} to {name}")
        answer = json.loads(payload)
        if "error" in answer:
            _raise(answer["error"])
        return decode(answer.get("value"))

    def apply(self, operation: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        name = _qualified(operation)
        if name not in OPERATIONS:
            raise CallError(f"{name} cannot run on the server")
        result: T = self.call(name, *args, **kwargs)
        return result

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_") or name in WITHHELD:
            raise AttributeError(name)
        return lambda *args, **kwargs: self.call(name, *args, **kwargs)

    def close(self) -> None:
        self._connection.close()


def apply(store: Store, operation: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`operation(store, ...)`: here, or whole on the server when the server holds the store."""
    if isinstance(store, RemoteStore):
        return store.apply(operation, *args, **kwargs)
    return operation(store, *args, **kwargs)
