"""Pages in one charset labelled as another (issue 15, item 9; issue 18's Windows-1256 demo
page): the text is read in the charset that yields it, and `marsad extract FILE` reads a page's
`<meta charset>` as the crawler does. The crawl-level cases are in test_faults.py."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fault_site import AR_PARAS, EN_PARAS, article_html

from pipeline.charset import decode_html
from pipeline.extract import garbled

MARSAD = str(Path(sys.executable).with_name("marsad"))
DEMO_CP1256 = Path("demo/site/news-ar/news/2026/11/48162.html")
ARABIC = article_html("احتجاز صيادين", AR_PARAS, lang="ar")
ENGLISH = article_html("Fishermen held in Zuwara — café owner says", EN_PARAS) + "é à ü ç"


@pytest.mark.parametrize(
    ("html", "encoding", "label", "expected"),
    [
        (ARABIC, "utf-8", "iso-8859-1", "utf-8"),
        (ARABIC, "utf-8", "windows-1256", "utf-8"),
        (ARABIC, "windows-1256", "utf-8", "cp1256"),
        (ARABIC, "windows-1256", None, "cp1256"),
        (ARABIC, "iso-8859-6", "utf-8", "iso8859-6"),
        (ARABIC, "windows-1256", "no-such-charset", "cp1256"),
        (ENGLISH, "cp1252", "iso-8859-1", "cp1252"),
        (ENGLISH, "cp1252", "utf-8", "cp1252"),
        (ENGLISH, "utf-8", "iso-8859-1", "utf-8"),
    ],
)
def test_the_charset_that_yields_the_text_wins(
    html: str, encoding: str, label: str | None, expected: str
) -> None:
    decoded = decode_html(html.encode(encoding), label)
    assert decoded.text == html
    assert decoded.encoding == expected
    assert decoded.clean


def test_a_byte_order_mark_beats_the_label() -> None:
    decoded = decode_html(codecs.BOM_UTF8 + ARABIC.encode("utf-8"), "windows-1256")
    assert decoded.text == ARABIC


def test_bytes_no_charset_reads_are_marked_unclean() -> None:
    decoded = decode_html(bytes(range(256)) * 10, "utf-8")
    assert not decoded.clean
    assert garbled(decoded.text) is not None


def test_mojibake_in_the_page_itself_counts_as_garbled() -> None:
    text = " ".join(AR_PARAS)
    assert garbled(text) is None
    assert garbled(text.encode("utf-8").decode("cp1252", errors="replace")) is not None
    assert garbled(text.encode("utf-8").decode("latin-1")) is not None
    # Latin letters with diacritics are not mojibake.
    assert garbled("Ørsted, Zürich, Ústí, Ûbe — " * 20) is None


def test_extract_file_reads_the_pages_meta_charset() -> None:
    body = DEMO_CP1256.read_bytes()
    assert b"windows-1256" in body[:1024].lower()
    # A heading of the page, read in the charset the page declares.
    heading = body.split(b"<h1")[1].split(b">", 1)[1].split(b"</h1>")[0].decode("cp1256")
    result = subprocess.run(
        [MARSAD, "extract", str(DEMO_CP1256)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "300"},
    )
    assert result.returncode == 0, result.stderr
    assert "language ar" in result.stdout
    assert "0 incident(s)" not in result.stdout
    assert heading.split()[0] in result.stdout or heading.split()[-1] in result.stdout
