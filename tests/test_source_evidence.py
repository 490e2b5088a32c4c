"""The declared patterns against real addresses of the sites (../shared/sources/real_urls.tsv).

Every `article` row is a real article page its source's pattern must accept; every `reject` row
a listing, static page, other edition or other section it must refuse. The addresses were found
in other people's public code and in stored copies of the pages, not written for this test.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from spiders.sources import DEFAULT_SOURCES, load_sources

REAL_URLS = Path(__file__).resolve().parent.parent.parent / "shared" / "sources" / "real_urls.tsv"
ROWS = (
    list(csv.DictReader(REAL_URLS.read_text(encoding="utf-8").splitlines(), delimiter="\t"))
    if REAL_URLS.is_file()
    else []
)
BY_NAME = {s.name: s for s in load_sources(DEFAULT_SOURCES)}

pytestmark = pytest.mark.skipif(not ROWS, reason=f"the shared evidence is not at {REAL_URLS}")


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['source']}-{n}" for n, r in enumerate(ROWS)])
def test_each_real_address_is_judged_as_the_evidence_says(row: dict[str, str]) -> None:
    source = BY_NAME[row["source"]]
    assert row["expect"] in ("article", "reject")
    assert source.matches_article(row["url"]) == (row["expect"] == "article"), row["where_found"]


def test_the_evidence_covers_every_source_it_names() -> None:
    assert {r["source"] for r in ROWS} <= set(BY_NAME)
    assert len(ROWS) >= 53
