"""Every source in the registry against its recorded pages (fundus's parametrised parser test).

For each source, `tests/fixtures/<name>/expected.json` names an index page (feed, listing or
sitemap) and two article pages saved beside it, with their URLs. The index is fed to the
source's own spider, which must find exactly the expected article links (and next page); each
article goes through the pipeline's extraction and language detection, which must give the
expected title, date, language and opening text. A source without fixtures fails here, and
each fixture says whether its pages were recorded, reconstructed from evidence or assumed.
"""

from __future__ import annotations

import gzip
import json
import tomllib
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import scrapy
from scrapy.http import HtmlResponse, Response, XmlResponse
from scrapy.utils.test import get_crawler

from marsad.settings import MARSAD_MIN_ARTICLE_CHARS
from pipeline.extract import extract_article
from pipeline.language import detect_language
from spiders.base import SourceSpider, spider_class
from spiders.sources import DEFAULT_SOURCES, Source, SourceError, load_sources

FIXTURES = Path(__file__).parent / "fixtures"
# Recorded from the live site, reconstructed from named evidence, or written from assumptions.
PROVENANCE = ("recorded", "reconstructed", "assumed")
SOURCES = load_sources(DEFAULT_SOURCES)
BY_NAME = {s.name: s for s in SOURCES}


def read(path: Path) -> bytes:
    body = path.read_bytes()
    return gzip.decompress(body) if path.suffix == ".gz" else body


@cache
def expected(name: str) -> dict[str, Any]:
    path = FIXTURES / name / "expected.json"
    assert path.is_file(), f"source {name!r} has no recorded fixtures ({path})"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def response_for(url: str, body: bytes, content_type: str) -> Response:
    cls = XmlResponse if "xml" in content_type or "rss" in content_type else HtmlResponse
    return cls(url=url, body=body, headers={"Content-Type": content_type})


def spider_for(source: Source) -> SourceSpider:
    cls = spider_class(source)
    # A backfill date far back: recorded pages must extract whatever their age.
    crawler = get_crawler(cls, settings_dict={"MARSAD_SINCE": "2000-01-01"})
    spider = cls.from_crawler(crawler)
    crawler.spider = spider
    assert isinstance(spider, SourceSpider)
    return spider


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_the_index_page_leads_to_the_expected_articles(name: str) -> None:
    source, fixture = BY_NAME[name], expected(name)
    index = fixture["index"]
    assert index["url"] in source.start_urls, "the recorded index is one of the source's start URLs"
    spider = spider_for(source)
    body = read(FIXTURES / name / index["file"])
    results = list(spider.read_index(response_for(index["url"], body, index["content_type"])))
    requests = [r for r in results if isinstance(r, scrapy.Request)]
    articles = [r.url for r in requests if r.callback == spider.parse_article]
    following = [r.url for r in requests if r.callback != spider.parse_article]
    assert articles == index["links"]
    assert following == ([index["next_page"]] if index["next_page"] else [])
    assert not [r for r in results if not isinstance(r, scrapy.Request)], "no failure items"


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_the_recorded_articles_extract(name: str) -> None:
    source, fixture = BY_NAME[name], expected(name)
    assert len(fixture["articles"]) >= 2
    for article in fixture["articles"]:
        url = article["url"]
        assert source.matches_article(url)
        assert url in fixture["index"]["links"], "the recorded article is reached from the index"
        got = extract_article(read(FIXTURES / name / article["file"]), url)
        assert got.title == article["title"], url
        assert got.published is not None and got.published.isoformat() == article["published"]
        assert len(got.text) >= MARSAD_MIN_ARTICLE_CHARS, url
        # The body's opening words come first, after at most the headline: no menus before it.
        assert article["text_prefix"] in got.text[: len(got.title or "") + 200], url
        assert detect_language(got.text, source.languages) == article["language"]
        assert article["language"] in source.languages


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_each_fixture_says_where_it_came_from(name: str) -> None:
    fixture = expected(name)
    assert fixture["source"] == name
    provenance = fixture["provenance"]
    for part in ("index", "articles"):
        assert provenance[part] in PROVENANCE
    date.fromisoformat(provenance["date"])
    if "recorded" in (provenance["index"], provenance["articles"]):
        # Recorded from the live site, or a saved copy of it: where and when.
        assert provenance["url"].startswith("https://")
    # What the pages rest on, in words: the evidence named, or what was assumed.
    assert len(provenance["evidence"]) > 40
    assert fixture["index"]["url"].startswith("https://")


def test_every_fixture_directory_belongs_to_a_source() -> None:
    assert sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) == sorted(BY_NAME)


def test_the_registry_covers_arabic_and_english_news_and_ngos() -> None:
    assert len(SOURCES) >= 14
    assert {lang for s in SOURCES for lang in s.languages} >= {"ar", "en"}
    assert all(s.notes for s in SOURCES), "every source says what its declaration rests on"


def test_a_duplicate_source_name_in_the_registry_fails(tmp_path: Path) -> None:
    text = DEFAULT_SOURCES.read_text(encoding="utf-8")
    first = tomllib.loads(text)["source"][0]["name"]
    copy = tmp_path / "sources.toml"
    copy.write_text(
        text + f'\n[[source]]\nname = "{first}"\nkind = "feed"\n'
        'languages = ["en"]\nstart_urls = ["https://example.org/feed"]\n',
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match="declared twice"):
        load_sources(copy)
