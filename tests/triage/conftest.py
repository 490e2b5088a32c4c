"""The `desk` fixture: a data directory with a store (see triage_fixtures for the documents)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from triage_fixtures import Desk

from storage import Store

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    data_dir = tmp_path / "data"
    store = Store(data_dir / "marsad.duckdb")
    try:
        yield Desk(store, data_dir)
    finally:
        store.close()
