"""Marsad against a site that fails in every way we know of: each fault ends in a recorded
reason or a stored document, and the crawl itself finishes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from fault_site import AR_PARAS, ARTICLES, DUPLICATE_PARAS, EN_PARAS, HUGE, RATE_LIMITED

from marsad.settings import DOWNLOAD_MAXSIZE

if TYPE_CHECKING:
    from conftest import Crawl


def reasons(crawl: Crawl, path: str) -> list[str]:
    return [row["reason"] for row in crawl.failures.get(path, [])]


def test_the_crawl_finishes_and_both_runs_are_recorded(crawl: Crawl) -> None:
    assert crawl.result.returncode == 0, crawl.result.stderr[-3000:]
    assert "Traceback" not in crawl.result.stderr
    assert {s: r["status"] for s, r in crawl.runs.items()} == {
        "faults": "finished",
        "rate-limited": "finished",
        # Its one index is no feed: the run saw nothing and says so.
        "not-xml": "failed",
    }
    assert "/a/ok" in crawl.documents


def test_every_article_ends_as_a_document_or_a_recorded_failure(crawl: Crawl) -> None:
    stored = {d["capture_sha256"] for d in crawl.documents.values()}
    # A page whose text is already a document counts as that document (its fetch is kept).
    duplicates = {p for p, fs in crawl.fetches.items() if any(f["sha256"] in stored for f in fs)}
    silent = [
        p
        for p in ARTICLES + RATE_LIMITED
        if p not in crawl.documents and p not in crawl.failures and p not in duplicates
    ]
    assert silent == []
    # The run's own count agrees with the rows it left.
    for source, run in crawl.runs.items():
        recorded = sum(1 for rows in crawl.failures.values() for r in rows if r["source"] == source)
        assert run["failures"] == recorded, source


@pytest.mark.parametrize(
    ("path", "reason", "attempts"),
    [
        ("/a/http-500", "http_500", {2}),
        ("/a/http-503-retry-after", "http_503 (Retry-After: 1)", {2}),
        ("/a/http-429", "http_429 (Retry-After: 1)", {2}),
        ("/a/truncated-connection", "truncated: the connection closed before", {2}),
        ("/a/slow", "timeout: ", {2}),
        ("/a/trickle", "timeout: ", {2}),
        ("/a/redirect-loop", "redirect_loop: max redirections reached", {11}),
        ("/a/huge-declared", f"too_large: Expected to receive {HUGE} bytes", {1}),
        # Cancelling a streamed body can first surface as a lost connection, which is retried.
        ("/a/huge-chunked", "too_large: ", {1, 2}),
    ],
)
def test_a_failed_fetch_is_retried_as_configured_and_recorded_with_its_reason(
    crawl: Crawl, path: str, reason: str, attempts: set[int]
) -> None:
    (only,) = reasons(crawl, path)
    assert only.startswith(reason)
    assert crawl.failures[path][0]["stage"] == "fetch"
    assert crawl.server.hits[path] in attempts
    assert path not in crawl.documents


def test_a_redirect_loop_is_given_up_on_at_the_redirect_limit(crawl: Crawl) -> None:
    # Scrapy's REDIRECT_MAX_TIMES (20): the loop is followed that far, not forever.
    assert crawl.server.hits["/a/redirect-loop"] + crawl.server.hits["/a/redirect-loop-b"] == 21


def test_a_503_then_ok_is_retried_into_a_document(crawl: Crawl) -> None:
    assert crawl.server.hits["/a/http-503-then-ok"] == 2
    assert "/a/http-503-then-ok" not in crawl.failures
    assert crawl.documents["/a/http-503-then-ok"]["title"] == "Back after a 503"


def test_the_size_limit_keeps_a_50_mb_page_out(crawl: Crawl) -> None:
    assert all(c["size"] <= DOWNLOAD_MAXSIZE for c in crawl.captures.values())
    assert "/a/huge-declared" not in crawl.fetches
    assert "/a/huge-chunked" not in crawl.fetches


def test_a_redirect_keeps_the_request_url_the_final_url_and_the_chain(crawl: Crawl) -> None:
    doc = crawl.documents["/a/redirect-ok"]
    (fetch,) = crawl.fetches["/a/redirect-ok"]
    assert doc["final_url"].endswith("/a/redirect-target")
    assert fetch["final_url"] == doc["final_url"]
    assert [u.rsplit("/", 1)[1] for u in fetch["redirects"]] == ["redirect-ok"]


@pytest.mark.parametrize("path", ["/a/truncated-markup", "/a/malformed"])
def test_broken_markup_still_gives_its_text(crawl: Crawl, path: str) -> None:
    text = crawl.documents[path]["text"]
    assert "Residents of a coastal district" in text
    assert "\x00" not in text


@pytest.mark.parametrize(
    "path",
    [
        "/a/cp1256-header",
        "/a/cp1256-meta",
        "/a/cp1256-undeclared",
        "/a/iso8859-6-header",
        "/a/iso8859-6-undeclared",
    ],
)
def test_arabic_legacy_encodings_decode_with_and_without_a_declared_charset(
    crawl: Crawl, path: str
) -> None:
    doc = crawl.documents[path]
    assert AR_PARAS[0][:40] in doc["text"]
    assert "\ufffd" not in doc["text"]
    assert doc["language"] == "ar"
    # The capture is the bytes as served, not a re-encoded copy.
    assert doc["capture_sha256"] in crawl.captures
    assert "utf" not in (crawl.captures[doc["capture_sha256"]]["content_type"] or "")


@pytest.mark.parametrize(
    ("path", "label"),
    [("/a/utf8-served-as-latin1", "iso-8859-1"), ("/a/cp1256-served-as-utf8", "utf-8")],
)
def test_arabic_under_the_wrong_charset_is_stored_as_arabic(
    crawl: Crawl, path: str, label: str
) -> None:
    doc = crawl.documents[path]
    assert AR_PARAS[0][:40] in doc["text"]
    assert "\ufffd" not in doc["text"]
    assert doc["language"] == "ar"
    # The capture keeps the bytes and the label as served.
    assert label in crawl.captures[doc["capture_sha256"]]["content_type"]


def test_text_that_is_garbage_in_every_charset_is_a_failure_with_its_reason(crawl: Crawl) -> None:
    (only,) = crawl.failures["/a/mojibake-in-the-page"]
    assert only["stage"] == "extract"
    assert only["reason"].startswith("garbled_text: ")
    assert only["sha256"] in crawl.captures
    assert "/a/mojibake-in-the-page" not in crawl.documents


def test_a_pdf_press_release_is_read_through_its_text_layer(crawl: Crawl) -> None:
    doc = crawl.documents["/a/press-release.pdf"]
    assert "coalition of rights groups today called for the release" in doc["text"]
    assert crawl.captures[doc["capture_sha256"]]["content_type"] == "application/pdf"


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/a/empty-body", "no_text"), ("/a/empty-article", "too_short"), ("/a/too-long", "too_long")],
)
def test_a_page_with_too_little_or_too_much_text_is_dropped_with_its_reason(
    crawl: Crawl, path: str, reason: str
) -> None:
    (row,) = crawl.failures[path]
    assert (row["stage"], row["reason"].split(":")[0]) == ("extract", reason)
    assert row["sha256"] in crawl.captures
    assert path not in crawl.documents


def test_the_same_article_under_two_urls_is_one_document(crawl: Crawl) -> None:
    holding = [d for d in crawl.documents.values() if DUPLICATE_PARAS[0][:50] in d["text"]]
    assert len(holding) == 1
    # Both fetches were recorded, against the one capture.
    one, two = crawl.fetches["/a/duplicate-one"], crawl.fetches["/a/duplicate-two"]
    assert one[0]["sha256"] == two[0]["sha256"] == holding[0]["capture_sha256"]


def test_a_feed_that_is_not_xml_is_recorded_as_a_bad_index(crawl: Crawl) -> None:
    (row,) = crawl.failures["/not-xml/feed.xml"]
    assert row["reason"].startswith("bad_index: not an RSS or Atom feed")
    run = crawl.runs["not-xml"]
    assert (run["status"], run["finish_reason"]) == ("failed", "bad_index")
    assert (run["failures"], run["documents_new"]) == (1, 0)


def test_english_pages_are_english(crawl: Crawl) -> None:
    assert crawl.documents["/a/ok"]["language"] == "en"
    assert EN_PARAS[1][:40] in crawl.documents["/a/ok"]["text"]
