from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from spiders.sources import KINDS, SourceError, load_sources

if TYPE_CHECKING:
    from pathlib import Path

ENTRY = """
[[source]]
name = "{name}"
kind = "listing"
languages = ["en"]
start_urls = ["{{base}}/news/"]
article_links = "h2 a"
article_pattern = "^{{base}}/news/\\\\d{{4}}/"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_base_is_filled_in_urls_and_escaped_in_patterns(tmp_path: Path) -> None:
    (source,) = load_sources(
        write(tmp_path, ENTRY.format(name="src-a")), base="http://127.0.0.1:8765"
    )
    assert source.start_urls == ("http://127.0.0.1:8765/news/",)
    assert source.matches_article("http://127.0.0.1:8765/news/2024/x.html")
    # The dots of the base are literal: another host must not match.
    assert not source.matches_article("http://127a0a0a1:8765/news/2024/x.html")
    assert not source.matches_article("http://127.0.0.1:8765/about/")


def test_a_name_declared_twice_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, ENTRY.format(name="src-a") + ENTRY.format(name="src-a"))
    with pytest.raises(SourceError, match="declared twice"):
        load_sources(path, base="http://x")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('kind = "listing"', 'kind = "magic"'), "is not one of"),
        (('name = "src-a"', 'name = "Bad Name"'), "lowercase"),
        (('article_links = "h2 a"', 'colour = "red"'), "unknown field"),
        (('article_links = "h2 a"', ""), "needs `article_links`"),
        (("\\\\d{4}", "(unclosed"), "not a valid regex"),
    ],
)
def test_bad_entries_are_named(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    text = ENTRY.format(name="src-a").replace(*change)
    with pytest.raises(SourceError, match=message):
        load_sources(write(tmp_path, text), base="http://x")


def test_base_placeholder_without_a_base_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no base URL"):
        load_sources(write(tmp_path, ENTRY.format(name="src-a")))


def test_missing_and_broken_files_are_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such source registry"):
        load_sources(tmp_path / "absent.toml")
    with pytest.raises(SourceError, match="not valid TOML"):
        load_sources(write(tmp_path, "[[source]\nname="))


def test_every_kind_is_known_to_the_spiders() -> None:
    from spiders.base import KIND_CLASSES

    assert set(KIND_CLASSES) == set(KINDS)
