"""What a spider hands to the pipeline: one fetched article page, exactly as it was served."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date, datetime

    from storage import Analysed


@dataclass
class Page:
    """Scraped bytes and text never appear in its repr: Scrapy logs items, and logs carry URLs
    and ids, not what victims' pages say."""

    # Set by the spider.
    source: str
    url: str
    final_url: str
    status: int
    headers: dict[str, list[str]]
    body: bytes = field(repr=False)
    encoding: str | None
    fetched_at: datetime
    languages: tuple[str, ...]
    redirects: list[str] = field(default_factory=list)
    run_id: int | None = None
    # A date the index (feed pubDate, sitemap lastmod) gave for this article.
    listed_date: date | None = None
    # Set by the pipeline stages, in order.
    sha256: str | None = None
    fetch_id: int | None = None
    title: str | None = field(default=None, repr=False)
    text: str | None = field(default=None, repr=False)
    published: date | None = None
    author: str | None = field(default=None, repr=False)
    language: str | None = None
    analysed: Analysed | None = field(default=None, repr=False)
    document_id: int | None = None


@dataclass
class FetchFailed:
    """An article the spider could not fetch (HTTP error, timeout, refused), with the reason."""

    source: str
    url: str
    reason: str
    status: int | None = None
    run_id: int | None = None
