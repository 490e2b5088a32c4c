"""The source registry: every source is declared once, as data, in a TOML file.

A source names how its articles are discovered (`kind`), where to start, and the selectors or
patterns that pick article links. Generic spiders per kind read these entries; adding a source
is one entry plus one recorded fixture.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

if TYPE_CHECKING:
    from pathlib import Path

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
        if self.article_pattern is None:
            return True
        return any(re.search(self.article_pattern, u) for u in {url, unquote(url)})


_FIELDS = set(Source.__dataclass_fields__)


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
        raise SourceError(f"{where}: kind {entry['kind']!r} is not one of {', '.join(KINDS)}")
    if entry["kind"] in ("listing", "rendered") and not entry.get("article_links"):
        raise SourceError(f"{where}: a {entry['kind']} source needs `article_links`")

    def fill(value: str) -> str:
        if "{base}" in value:
            if base is None:
                raise SourceError(f"{where}: uses {{base}} but no base URL was given")
            return value.replace("{base}", base.rstrip("/"))
        return value

    values = dict(entry)
    values["languages"] = tuple(entry["languages"])
    values["start_urls"] = tuple(fill(u) for u in entry["start_urls"])
    if values.get("article_pattern"):
        pattern = values["article_pattern"]
        if "{base}" in pattern:
            # The base URL is literal text inside a regular expression.
            pattern = pattern.replace("{base}", re.escape(fill("{base}")))
        try:
            re.compile(pattern)
        except re.error as exc:
            raise SourceError(f"{where}: article_pattern is not a valid regex: {exc}") from exc
        values["article_pattern"] = pattern
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
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"{path}: not valid TOML: {exc}") from exc
    sources = [
        _parse(entry, f"{path.name} source #{i + 1}", base)
        for i, entry in enumerate(data.get("source", []))
    ]
    seen: set[str] = set()
    for source in sources:
        if source.name in seen:
            raise SourceError(f"{path.name}: source name {source.name!r} is declared twice")
        seen.add(source.name)
    return sources
