"""What travels between a one-shot command and the server's store, and what may not."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from storage import Analysed, Store
from storage.incidents import IncidentFilter
from storage.remote import CallError, decode, encode, serve_call

if TYPE_CHECKING:
    from collections.abc import Iterator


def test_values_come_back_as_they_went() -> None:
    value = {
        1: [date(2026, 11, 3), datetime(2026, 11, 3, 7, 15, tzinfo=UTC)],
        "set": {"a", "b"},
        "tuple": (1, "x"),
        "path": Path("/srv/marsad"),
        "bytes": b"\x00\xff",
        "decimal": Decimal("0.25"),
        "record": Analysed("nlp-1", "ar", [{"types": ["killing"]}]),
        "filter": IncidentFilter(statuses=("new",), date_from=date(2026, 1, 1)),
    }
    assert decode(encode(value)) == value


def test_only_the_projects_own_records_travel() -> None:
    with pytest.raises(CallError, match="not one of Marsad's own names"):
        decode({"$": "object", "class": "subprocess.Popen", "v": {"args": "id"}})
    with pytest.raises(CallError, match="cannot be sent"):
        encode(object())


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "marsad.duckdb")
    try:
        yield opened
    finally:
        opened.close()


def test_the_server_makes_store_calls_and_sends_errors_back_typed(store: Store) -> None:
    answer = serve_call(store, {"call": "totals", "args": [], "kwargs": encode({})})
    assert decode(answer["value"])["documents"] == 0
    missing = serve_call(
        store,
        {
            "call": "set_incident_status",
            "args": encode([7, "confirmed"]),
            "kwargs": encode({"actor": "amira", "reason": None}),
        },
    )
    assert missing["error"]["type"] == "KeyError"
    # Re-filing incidents is one of the operations the server runs whole (`marsad triage rekey`).
    rekeyed = serve_call(
        store, {"call": "incidents.cluster.rekey", "args": [], "kwargs": encode({})}
    )
    assert decode(rekeyed["value"]) == 0
    for name in ("close", "transaction", "_rows", "no_such_call", "os.system"):
        refused = serve_call(store, {"call": name})
        assert "no call" in str(refused["error"]["args"]) or "own names" in str(
            refused["error"]["args"]
        )
