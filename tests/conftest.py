from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test may write to the developer's data/ by accident."""
    data = tmp_path / "data"
    monkeypatch.setenv("MARSAD_DATA_DIR", str(data))
    return data
