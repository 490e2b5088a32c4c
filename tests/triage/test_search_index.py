"""The search index outside requests: documents indexed as they are stored, a command that
catches up a store indexed by nothing yet, and words in most documents kept as the list of the
documents that lack them, with the same results as reading every text.

The expected results are read off the texts these tests write (which words each holds), by a
plain substring test in the test itself, not by the index's code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import typer
from triage_fixtures import finding, signed_in
from typer.testing import CliRunner

from marsad.cli import app
from marsad.triage_cli import register
from storage import search
from storage.incidents import IncidentFilter
from triage.app import create_app

if TYPE_CHECKING:
    from triage_fixtures import Desk

    from storage import Store

# Twelve reports: every one says "militia", all but two "abducted", three "Sabratha", one
# "journalist"; the two without "abducted" say "released". Each is its own incident (a day each).
TEXTS = [
    f"A militia abducted man {n} in Sabratha."
    if n < 3
    else "A militia released a journalist."
    if n == 10
    else "A militia released a prisoner."
    if n == 11
    else f"A militia abducted report {n} witness."
    for n in range(12)
]


def _unindex(store: Store) -> None:
    """The store as a version without search left it: documents, and no index of them."""
    with store.transaction() as db:
        db.execute("DELETE FROM search_postings")
        db.execute("DELETE FROM search_documents")


def _fill(desk: Desk) -> dict[str, int]:
    """Store the reports; their incidents by text."""
    incidents = {}
    for n, text in enumerate(TEXTS):
        document = desk.add(
            f"https://a.example/{n}",
            text,
            [finding(text, text, types=["arbitrary_detention"], day=f"2024-05-{n + 1:02}")],
        )
        row = desk.store._one(
            "SELECT incident_id FROM incident_members WHERE document_id = ?", [document]
        )
        assert row is not None
        incidents[text] = int(row["incident_id"])
    return incidents


def _expected(incidents: dict[str, int], *needles: str) -> set[int]:
    return {i for text, i in incidents.items() if all(n in text.lower() for n in needles)}


def _found(desk: Desk, text: str, order: str = "confidence") -> set[int]:
    where = IncidentFilter(text=text, statuses=())
    ids = desk.store.incident_ids(where, order=order)
    assert desk.store.incident_page(where, order=order, size=100, number=1)[1] == len(ids)
    return set(ids)


@pytest.fixture
def common_from_four(monkeypatch: pytest.MonkeyPatch) -> None:
    # Common words are looked for from four documents on, not a thousand: twelve are enough.
    monkeypatch.setattr(search, "_COMMON_FROM", 4)


@pytest.mark.usefixtures("common_from_four")
def test_words_in_most_documents_are_kept_by_those_that_lack_them(desk: Desk) -> None:
    incidents = _fill(desk)
    store = desk.store
    common = {r["term"] for r in store._rows("SELECT term FROM search_common")}
    # Sabratha was in three of the first four documents, when common words were first looked
    # for: it stays kept by the documents lacking it (nine now), and is found all the same.
    assert {"a", "militia", "abducted", "sabratha"} <= common
    assert not common & {"journalist", "released"}
    assert store._rows("SELECT count(*) AS n FROM search_postings WHERE term = 'militia'") == [
        {"n": 0}
    ]
    absent = store._rows("SELECT count(*) AS n FROM search_absent WHERE term = 'abducted'")
    assert absent == [{"n": 2}]
    for query, needles in [
        ("militia", ("militia",)),
        ("abducted", ("abducted",)),
        ("militia abducted", ("militia", "abducted")),
        ("abducted Sabratha", ("abducted", "sabratha")),
        ("abducted journalist", ("abducted", "journalist")),
        ("journalist", ("journalist",)),
        ("released militia", ("released", "militia")),
    ]:
        expected = _expected(incidents, *needles)
        assert _found(desk, query) == expected, query
        assert _found(desk, query, order="relevance") == expected, query


@pytest.mark.usefixtures("common_from_four")
def test_common_words_are_kept_up_as_documents_come(desk: Desk) -> None:
    incidents = _fill(desk)
    text = "Relatives said the prisoner was released."
    desk.add(
        "https://b.example/new",
        text,
        [finding(text, text, types=["arbitrary_detention"], day="2024-06-20")],
    )
    new = desk.store._one("SELECT max(id) AS id FROM incidents")
    assert new is not None
    # A new document without "militia" joins its list of documents lacking it.
    assert _found(desk, "militia") == set(incidents.values())
    assert _found(desk, "released") == _expected(incidents, "released") | {int(new["id"])}


def test_documents_are_searchable_as_soon_as_stored(desk: Desk) -> None:
    incidents = _fill(desk)
    assert search.pending(desk.store) == 0
    assert _found(desk, "Sabratha") == _expected(incidents, "sabratha")


def test_a_store_indexed_by_nothing_yet_searches_slowly_and_catches_up_in_chunks(
    desk: Desk,
) -> None:
    incidents = _fill(desk)
    store = desk.store
    with store.transaction() as db:
        for table in ("postings", "documents", "forms", "absent", "common"):
            db.execute(f"DELETE FROM search_{table}")  # noqa: S608 - fixed names
    assert search.pending(store) == 12
    # Complete before indexing: the texts not indexed are read.
    assert _found(desk, "abducted Sabratha") == _expected(incidents, "abducted", "sabratha")
    # Documents stored meanwhile wait for the catch-up (the index grows in id order).
    text = "A militia abducted a lawyer."
    desk.add(
        "https://b.example/late",
        text,
        [finding(text, text, types=["enforced_disappearance"], day="2024-06-20")],
    )
    assert search.pending(store) == 13
    steps: list[tuple[int, int]] = []
    assert search.catch_up(store, chunk=5, progress=lambda *step: steps.append(step)) == 13
    assert steps == [(5, 13), (10, 13), (13, 13)]
    assert search.pending(store) == 0
    assert _found(desk, "lawyer") != set()


def test_the_command_indexes_what_is_not_and_says_how_many(desk: Desk) -> None:
    _fill(desk)
    _unindex(desk.store)
    desk.store.close()
    runner = CliRunner()
    result = runner.invoke(app, ["search-index", "--data-dir", str(desk.data_dir)])
    assert result.exit_code == 0, result.output
    assert "12 document(s) indexed for search." in result.output
    again = runner.invoke(app, ["search-index", "--data-dir", str(desk.data_dir)])
    assert "0 document(s) indexed for search." in again.output


def test_the_queue_says_when_documents_wait_for_the_index(desk: Desk) -> None:
    _fill(desk)
    client = signed_in(create_app(desk.store), desk.store)
    assert 'id="search-unindexed"' not in client.get("/", params={"q": "Sabratha"}).text
    _unindex(desk.store)
    page = client.get("/", params={"q": "Sabratha", "status": "all"})
    assert page.status_code == 200
    assert "12 documents are not indexed for search yet" in page.text
    # Found all the same, from their text.
    assert page.text.count("data-id=") == 3
    # Nothing was indexed by the request.
    assert desk.store.search_pending() == 12


def test_the_terminal_list_says_when_documents_wait_for_the_index(desk: Desk) -> None:
    _fill(desk)
    _unindex(desk.store)
    desk.store.close()
    triage = typer.Typer()
    register(triage)
    result = CliRunner().invoke(
        triage,
        ["triage", "list", "--search", "Sabratha", "--json", "--data-dir", str(desk.data_dir)],
    )
    assert result.exit_code == 0, result.output
    assert "12 document(s) are not indexed for search yet" in result.output


@pytest.mark.usefixtures("common_from_four")
def test_an_index_from_before_common_words_is_sorted_out_by_the_catch_up(desk: Desk) -> None:
    incidents = _fill(desk)
    store = desk.store
    with store.transaction() as db:
        # As the index of migration m015 left it: every word's postings, no common words.
        for table in ("postings", "documents", "forms", "absent", "common"):
            db.execute(f"DELETE FROM search_{table}")  # noqa: S608 - fixed names
        search._index(db, -1, 10**9)
    assert store._rows("SELECT count(*) AS n FROM search_postings WHERE term = 'militia'") == [
        {"n": 12}
    ]
    # This process knew "militia" as common (the hint of which SQL is fast): found all the same.
    assert "militia" in search._COMMON_HINT
    assert _found(desk, "militia released") == _expected(incidents, "militia", "released")
    assert search.catch_up(store) == 0
    assert store._rows("SELECT count(*) AS n FROM search_postings WHERE term = 'militia'") == [
        {"n": 0}
    ]
    assert _found(desk, "militia released") == _expected(incidents, "militia", "released")


def test_documents_stored_during_a_catch_up_are_caught_up_too(desk: Desk) -> None:
    _fill(desk)
    store = desk.store
    _unindex(store)
    text = "A militia abducted a lawyer in Sabratha."

    def crawl_meanwhile(done: int, _total: int) -> None:
        # A crawl stores a page between two chunks: the index is behind, so it is not indexed
        # as it is stored.
        if done == 5:
            desk.add(
                "https://b.example/meanwhile",
                text,
                [finding(text, text, types=["enforced_disappearance"], day="2024-06-20")],
            )

    assert search.catch_up(store, chunk=5, progress=crawl_meanwhile) == 13
    assert search.pending(store) == 0
