"""Re-capture a source's recorded pages from the live site.  NEEDS THE NETWORK.

    .venv/bin/python tools/recapture_fixtures.py <source> [<source>...] [--articles 2]

Run it when `tests/test_source_fixtures.py` fails because a site changed, or to replace a
written fixture with a real capture. It crawls the source once through Scrapy's own downloader
(robots.txt, the Marsad user agent, throttling and retries as in a real crawl; nothing is
stored in the database), saves the first index page and the first articles exactly as served
into tests/fixtures/<source>/, and writes expected.json from what the spider and the pipeline's
extraction make of them now, with the provenance `recorded` (date and URL) that
`marsad sources` shows in place of `reconstructed` or `assumed`. Read the diff before committing
it: the new expectations are only right if the extraction is right, so check titles, dates and
the opening text by eye.
Never run by the test suite.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import CrawlerProcess
from scrapy.http import HtmlResponse, Response, XmlResponse
from scrapy.utils.test import get_crawler

from marsad.crawl import crawl_settings
from pipeline.extract import extract_article
from pipeline.language import detect_language
from spiders.base import INDEX_META, SourceSpider, spider_class
from spiders.items import Page
from spiders.sources import DEFAULT_SOURCES, Source, load_sources
from storage.paths import data_paths

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def capture(
    sources: list[Source], registry: Path, articles: int
) -> dict[str, tuple[Response, list[Page]]]:
    """One small live crawl per source: its first index response and a few article pages."""
    settings = crawl_settings(
        data_paths(None),
        registry,
        overrides={
            "MARSAD_CHECK_ARTICLES": articles,
            "ITEM_PIPELINES": {},
            "EXTENSIONS": {"pipeline.runs.RunRecorder": None},
            "HTTPCACHE_ENABLED": False,
            "LOG_LEVEL": "INFO",
        },
    )
    indexes: dict[str, Response] = {}
    pages: dict[str, list[Page]] = {s.name: [] for s in sources}

    def on_response(response: Response, request: Request, spider: SourceSpider) -> None:
        if request.meta.get(INDEX_META) and spider.name not in indexes:
            indexes[spider.name] = response

    def on_item(item: Any) -> None:
        if isinstance(item, Page):
            pages[item.source].append(item)

    process = CrawlerProcess(settings)
    for source in sources:
        crawler = process.create_crawler(spider_class(source))
        crawler.signals.connect(on_response, signal=signals.response_received)
        crawler.signals.connect(on_item, signal=signals.item_scraped)
        process.crawl(crawler)
    process.start()
    return {name: (indexes[name], pages[name]) for name in indexes}


def index_links(source: Source, response: Response) -> tuple[list[str], str | None]:
    """What the spider finds on the index now, as the fixture test will ask of it."""
    cls = spider_class(source)
    crawler = get_crawler(cls, settings_dict={"MARSAD_SINCE": "2000-01-01"})
    spider = cls.from_crawler(crawler)
    crawler.spider = spider
    requests = [r for r in spider.read_index(response) if isinstance(r, Request)]
    links = [r.url for r in requests if r.callback == spider.parse_article]
    following = [r.url for r in requests if r.callback != spider.parse_article]
    return links, (following[0] if following else None)


def write(
    source: Source, index: Response, pages: list[Page], notes: str | None, into: Path
) -> Path:
    folder = into / source.name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    content_type = (index.headers.get("Content-Type") or b"").decode("latin-1")
    xml = isinstance(index, XmlResponse) or "xml" in content_type or "rss" in content_type
    index_file = "feed.xml" if xml else "index.html"
    (folder / index_file).write_bytes(index.body)
    links, following = index_links(source, index)
    articles = []
    for n, page in enumerate(pages, 1):
        name = f"article-{n}.html"
        (folder / name).write_bytes(page.body)
        got = extract_article(page.body, page.url, page.encoding)
        first = got.text.split("\n", 2)
        articles.append(
            {
                "file": name,
                "url": page.url,
                "content_type": next(iter(page.headers.get("Content-Type", [])), ""),
                "title": got.title,
                "published": got.published.isoformat() if got.published else None,
                "language": detect_language(got.text, source.languages),
                # The opening of the body, after the headline when the text starts with it.
                "text_prefix": (first[1] if len(first) > 1 and first[0] == got.title else first[0])[
                    :60
                ],
            }
        )
    # The URL asked for (a start URL), not where a redirect ended.
    index_url = (index.meta.get("redirect_urls") or [index.url])[0]
    expected = {
        "source": source.name,
        "provenance": {
            "index": "recorded",
            "articles": "recorded",
            "date": datetime.now(UTC).date().isoformat(),
            "url": index_url,
            "evidence": "Recorded from the live site by tools/recapture_fixtures.py, pages as "
            "served; expectations from the extraction at the time, checked by eye.",
        },
        "note": notes or "Captured from the live site by tools/recapture_fixtures.py.",
        "index": {
            "file": index_file,
            "url": index_url,
            "content_type": content_type,
            "links": links,
            "next_page": following,
        },
        "articles": articles,
    }
    (folder / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="+", help="sources to re-capture (see `marsad sources`)")
    parser.add_argument("--articles", type=int, default=2, help="article pages to keep")
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES, help="registry")
    parser.add_argument("--into", type=Path, default=FIXTURES, help="fixtures directory")
    args = parser.parse_args()
    by_name = {s.name: s for s in load_sources(args.sources)}
    unknown = [n for n in args.names if n not in by_name]
    if unknown:
        parser.error(f"unknown source(s): {', '.join(unknown)}")
    chosen = [by_name[n] for n in args.names]
    captured = capture(chosen, args.sources, args.articles)
    status = 0
    for source in chosen:
        if source.name not in captured or len(captured[source.name][1]) < args.articles:
            print(f"{source.name}: not enough pages captured; fixtures left as they were")
            status = 1
            continue
        index, pages = captured[source.name]
        # The index as served, with its real URL, for the test's response class.
        if not isinstance(index, XmlResponse | HtmlResponse):
            print(f"{source.name}: the index is not text ({type(index).__name__}); skipped")
            status = 1
            continue
        folder = write(source, index, pages, source.notes, args.into)
        print(f"{source.name}: written to {folder}; review the diff before committing")
    return status


if __name__ == "__main__":
    sys.exit(main())
