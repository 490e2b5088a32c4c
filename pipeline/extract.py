"""Extract: the article's title, text, publication date and author, with trafilatura.

`extract_article` is shared with `marsad extract`, so a page analysed from the command line and
the same page crawled give the same text and the same evidence offsets.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import trafilatura
from htmldate import find_date
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from pipeline.charset import decode_html
from pipeline.stage import Stage

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from spiders.items import Page


@dataclass(frozen=True, slots=True)
class Article:
    title: str | None
    text: str
    published: date | None
    author: str | None


# Replacement characters a text may hold before it counts as garbled whatever its length.
GARBLED_FEW = 3
# Arabic letters in UTF-8 begin with the bytes D8-DB; read as Windows-1252 (or Latin-1) each
# becomes one of Ø Ù Ú Û followed by a character from the upper half of that code page.
_ARABIC_MOJIBAKE = re.compile(
    "[\u00d8-\u00db][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
    "\u20ac\u2122]"
)

# Permalinks such as /2019/12/1276320.html name the month a page appeared in, not the day.
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/")


def month_in_url(url: str | None) -> date | None:
    """The first day of the month a /YYYY/MM/ URL names, for pages that give no publication day."""
    found = _URL_MONTH.search(url or "")
    if found is None:
        return None
    return date(int(found[1]), int(found[2]), 1)


def _as_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def garbled(text: str) -> int | None:
    """How many unreadable characters `text` holds when there are too many for it to be read
    (more than one in a hundred characters, and more than a stray few), else None: replacement
    characters, and Arabic UTF-8 read as Windows-1252 somewhere upstream (a page whose own
    text is already mojibake decodes cleanly, and wrongly, in any charset)."""
    count = text.count("\ufffd") + 2 * len(_ARABIC_MOJIBAKE.findall(text))
    return count if count > max(GARBLED_FEW, len(text) // 100) else None


logger = logging.getLogger(__name__)


def extract_pdf(body: bytes) -> Article:
    """The text layer and metadata of a PDF (press releases are often published as PDFs)."""
    try:
        reader = PdfReader(io.BytesIO(body))
        text = "\n".join((page.extract_text() or "").strip() for page in reader.pages).strip()
        meta = reader.metadata
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        # A broken PDF is a page without article text, not a crashed crawl.
        logger.warning("Unreadable PDF: %s", type(exc).__name__)
        return Article(title=None, text="", published=None, author=None)
    created = meta.creation_date if meta else None
    return Article(
        title=(meta.title if meta else None) or None,
        text=text,
        published=created.date() if created else None,
        author=(meta.author if meta else None) or None,
    )


def extract_article(
    body: bytes | str, url: str | None = None, encoding: str | None = None
) -> Article:
    """The main text and metadata of an HTML page or a PDF; empty text when there is no article."""
    if isinstance(body, bytes) and body.lstrip()[:5] == b"%PDF-":
        return extract_pdf(body)
    html = body if isinstance(body, str) else decode_html(body, encoding).text
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True
    )
    if doc is None:
        return Article(title=None, text="", published=None, author=None)
    fields = doc if isinstance(doc, dict) else doc.as_dict()
    published = _as_date(fields.get("date"))
    if published is None:
        # trafilatura reads htmldate already; the fallback adds its slower, extensive search.
        published = _as_date(find_date(html, url=url, extensive_search=True))
    return Article(
        title=fields.get("title") or None,
        text=(fields.get("text") or "").strip(),
        published=published,
        author=fields.get("author") or None,
    )


class ExtractStage(Stage):
    stage_name = "extract"
    computes = True

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.min_chars = crawler.settings.getint("MARSAD_MIN_ARTICLE_CHARS")
        self.max_chars = crawler.settings.getint("MARSAD_MAX_TEXT_CHARS")

    async def handle(self, page: Page) -> Page:
        article = await self.compute(extract_article, page.body, page.final_url, page.encoding)
        return self.apply(page, article)

    def apply(self, page: Page, article: Article) -> Page:
        if not article.text:
            raise self.drop(page, "no_text", "no article text found")
        if (count := garbled(article.text)) is not None:
            # No charset read the bytes cleanly; the capture is kept for another try.
            raise self.drop(
                page, "garbled_text", f"{count} undecodable characters in {len(article.text)}"
            )
        if self.max_chars and len(article.text) > self.max_chars:
            raise self.drop(
                page, "too_long", f"{len(article.text)} characters, over {self.max_chars}"
            )
        if len(article.text) < self.min_chars:
            raise self.drop(
                page, "too_short", f"{len(article.text)} characters, under {self.min_chars}"
            )
        page.title = article.title
        page.text = article.text
        page.published = article.published or page.listed_date
        page.author = article.author
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("pipeline/extracted")
        return page
