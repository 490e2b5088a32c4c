"""The source registry: every source is declared once, as data, in a TOML file.

A source names how its articles are discovered (`kind`), where to start, and the selectors or
patterns that pick article links. Generic spiders per kind read these entries; adding a source
is one entry plus one recorded fixture.

The file is edited by hand and read by a crawler that fetches what it names, so every field is
checked: its type, start URLs that are http(s) only, and article patterns that compile and
cannot backtrack catastrophically (a pattern is run against every link of every page).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from spiders.patterns import PatternError, check_pattern

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = REPO_ROOT / "sources.toml"

KINDS = ("feed", "sitemap", "listing", "rendered")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
DEFAULT_SCHEDULE = "0 */6 * * *"
# A scheduled run looks this far back; older articles wait for a backfill (`crawl --since`).
DEFAULT_MAX_AGE_DAYS = 30
# The Scrapy settings a source may override, and the bounds that keep an override polite: a
# source can slow its crawl down, never speed it past the project's limits.
POLITENESS_BOUNDS: dict[str, tuple[float, float]] = {
    "download_delay": (1.0, 600.0),
    "concurrent_requests_per_domain": (1, 2),
    "autothrottle_start_delay": (1.0, 600.0),
    "autothrottle_max_delay": (1.0, 3600.0),
    "autothrottle_target_concurrency": (0.1, 2.0),
    "download_timeout": (5, 600),
    "retry_times": (0, 5),
}


class SourceError(ValueError):
    """A source entry that cannot be used, with the file and entry named."""


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    kind: str
    languages: tuple[str, ...]
    start_urls: tuple[str, ...]
    title: str | None = None
    article_links: str | None = None
    next_page: str | None = None
    article_pattern: str | None = None
    schedule: str = DEFAULT_SCHEDULE
    wait_for: str | None = None
    # Where a listing shows each article's date, relative to the article's link: the nearest
    # enclosing element that holds one article link is searched (e.g. "time::attr(datetime)").
    link_dates: str | None = None
    max_age_days: int = DEFAULT_MAX_AGE_DAYS
    notes: str | None = None
    politeness: dict[str, Any] = field(default_factory=dict)

    def matches_article(self, url: str) -> bool:
        """Whether `url` is an article of this source; Arabic slugs match encoded or not."""
        if len(url) > MAX_URL_CHARS:
            return False
        if self.article_pattern is None:
            return True
        return any(re.search(self.article_pattern, u) for u in {url, unquote(url)})


# No article address is this long; a longer link is junk or an attack on the pattern.
MAX_URL_CHARS = 2048
_FIELDS = set(Source.__dataclass_fields__)
_TEXT_FIELDS = (
    *("title", "article_links", "next_page", "article_pattern"),
    *("wait_for", "link_dates", "notes", "schedule"),
)


def _strings(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry[key]
    # A bare string would be read as a list of its characters.
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SourceError(f"{where}: {key} must be a list of strings, not {value!r:.60}")
    return tuple(value)


def _check_url(url: str, where: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceError(f"{where}: start URL {url!r:.80} is not an http(s) address")
    return url


def _parse(entry: dict[str, Any], where: str, base: str | None) -> Source:
    unknown = set(entry) - _FIELDS
    if unknown:
        raise SourceError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    for required in ("name", "kind", "languages", "start_urls"):
        if required not in entry:
            raise SourceError(f"{where}: missing required field {required!r}")
    name = entry["name"]
    if not isinstance(name, str) or not _NAME.match(name):
        raise SourceError(f"{where}: name {name!r} must be lowercase letters, digits and '-'")
    if entry["kind"] not in KINDS:
        raise SourceError(f"{where}: kind {entry['kind']!r:.40} is not one of {', '.join(KINDS)}")
    for key in _TEXT_FIELDS:
        if key in entry and not isinstance(entry[key], str):
            raise SourceError(f"{where}: {key} must be a string, not {entry[key]!r:.60}")

    def fill(value: str) -> str:
        if "{base}" in value:
            if base is None:
                raise SourceError(f"{where}: uses {{base}} but no base URL was given")
            return value.replace("{base}", base.rstrip("/"))
        return value

    values = dict(entry)
    values["languages"] = _strings(entry, "languages", where)
    values["start_urls"] = tuple(
        _check_url(fill(u), where) for u in _strings(entry, "start_urls", where)
    )
    if values.get("article_pattern"):
        pattern = values["article_pattern"]
        if "{base}" in pattern:
            # The base URL is literal text inside a regular expression.
            pattern = pattern.replace("{base}", re.escape(fill("{base}")))
        try:
            check_pattern(pattern)
        except PatternError as exc:
            raise SourceError(f"{where}: article_pattern {exc}") from exc
        values["article_pattern"] = pattern
    elif entry["kind"] == "listing" and not entry.get("article_links"):
        # Without a selector, every link on the page would be an article.
        raise SourceError(f"{where}: a listing needs `article_links` or `article_pattern`")
    if entry["kind"] == "rendered" and not entry.get("article_links"):
        raise SourceError(f"{where}: a rendered source needs `article_links`")
    if not values["start_urls"]:
        raise SourceError(f"{where}: start_urls is empty")
    max_age = values.get("max_age_days", DEFAULT_MAX_AGE_DAYS)
    if not isinstance(max_age, int) or isinstance(max_age, bool) or max_age < 1:
        raise SourceError(f"{where}: max_age_days must be a whole number of days, at least 1")
    values["politeness"] = _politeness(entry.get("politeness", {}), where)
    return Source(**values)


def _politeness(overrides: Any, where: str) -> dict[str, Any]:
    if not isinstance(overrides, dict):
        raise SourceError(f"{where}: politeness must be a table")
    for key, value in overrides.items():
        if key not in POLITENESS_BOUNDS:
            allowed = ", ".join(sorted(POLITENESS_BOUNDS))
            raise SourceError(f"{where}: politeness.{key} cannot be set per source ({allowed})")
        low, high = POLITENESS_BOUNDS[key]
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not low <= value <= high:
            raise SourceError(f"{where}: politeness.{key} = {value!r} is outside {low}..{high}")
    return dict(overrides)


def load_sources(path: Path, *, base: str | None = None) -> list[Source]:
    """Read and check a registry file; `{base}` in URLs is replaced by `base`."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SourceError(f"{path}: no such source registry") from exc
    except IsADirectoryError as exc:
        raise SourceError(f"{path}: is a directory, not a source registry") from exc
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"{path}: not valid TOML: {exc}") from exc
    entries = data.get("source", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SourceError(f"{path}: sources are declared as [[source]] tables")
    sources = [
        _parse(entry, f"{path.name} source #{i + 1}", base) for i, entry in enumerate(entries)
    ]
    seen: set[str] = set()
    for source in sources:
        if source.name in seen:
            raise SourceError(f"{path.name}: source name {source.name!r} is declared twice")
        seen.add(source.name)
    return sources


def sources_file(option: str | Path | None = None) -> Path:
    """The source registry: the option if given, else `$MARSAD_SOURCES`, else `sources.toml`."""
    chosen = option or os.environ.get("MARSAD_SOURCES")
    return Path(chosen).expanduser().resolve() if chosen else DEFAULT_SOURCES
