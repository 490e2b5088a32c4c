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
        (("\\\\d{4}", "(unclosed"), "not a valid regex"),
        # Issue 15: mistyped fields, a local file, a pattern that backtracks for ever.
        (('start_urls = ["{base}/news/"]', "start_urls = [42]"), "list of strings"),
        (('start_urls = ["{base}/news/"]', 'start_urls = "{base}/news/"'), "list of strings"),
        (('start_urls = ["{base}/news/"]', 'start_urls = ["file:///etc/passwd"]'), "not an http"),
        (('languages = ["en"]', 'languages = "en"'), "list of strings"),
        (('article_links = "h2 a"', "article_links = 3"), "must be a string"),
        (("\\\\d{4}/", "(a+)+$"), "backtrack catastrophically"),
        (("\\\\d{4}/", "(x|xy)*z"), "backtrack catastrophically"),
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


def test_a_listing_needs_a_selector_or_a_pattern(tmp_path: Path) -> None:
    without_selector = ENTRY.format(name="src-a").replace('article_links = "h2 a"', "")
    (source,) = load_sources(write(tmp_path, without_selector), base="http://x")
    assert source.article_links is None
    neither = "\n".join(ln for ln in without_selector.splitlines() if "article_pattern" not in ln)
    with pytest.raises(SourceError, match="needs `article_links` or `article_pattern`"):
        load_sources(write(tmp_path, neither), base="http://x")


def test_a_registry_that_is_not_utf8_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_bytes(ENTRY.format(name="src-a").encode("utf-8") + b'\ntitle = "\xe9t\xe9"\n')
    with pytest.raises(SourceError, match="not UTF-8"):
        load_sources(path, base="http://x")


def test_bad_registries_stop_the_crawl_with_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from marsad.cli import app

    feed = 'start_urls = ["https://example.org/feed"]'
    cases = {
        "start_urls = [42]": "list of strings",
        'start_urls = ["file:///etc/passwd"]': "not an http",
        f'{feed}\narticle_pattern = "(a+)+$"': "backtrack",
    }
    path = tmp_path / "sources.toml"
    for fields, message in cases.items():
        path.write_text(
            f'[[source]]\nname = "bad"\nkind = "feed"\nlanguages = ["en"]\n{fields}\n',
            encoding="utf-8",
        )
        result = CliRunner().invoke(
            app, ["crawl", "--sources", str(path), "--data-dir", str(tmp_path / "d")]
        )
        assert result.exit_code == 2, result.output
        # One message (Rich wraps it to the terminal's width), no traceback.
        assert message in " ".join(result.output.split())
        assert "Traceback" not in result.output
    path.write_bytes(b'[[source]]\nname = "caf\xe9"\n')
    result = CliRunner().invoke(app, ["sources", "--sources", str(path)])
    assert result.exit_code == 2 and "not UTF-8" in " ".join(result.output.split())
