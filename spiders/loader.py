"""Scrapy's spider loader over the source registry: one spider per declared source.

Set as `SPIDER_LOADER_CLASS`, so `scrapy list` prints the sources and `scrapy crawl <source>`
crawls one. The registry file comes from the `MARSAD_SOURCES` setting (or environment variable),
and `{base}` in it from `MARSAD_SOURCES_BASE` (used for the local demo site).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlparse

from spiders.base import spider_class
from spiders.sources import Source, load_sources, sources_file

if TYPE_CHECKING:
    import builtins

    from scrapy import Request, Spider
    from scrapy.settings import BaseSettings


class SourceSpiderLoader:
    """Implements Scrapy's `SpiderLoaderProtocol`."""

    def __init__(self, sources: list[Source]) -> None:
        self._sources = {s.name: s for s in sources}

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> SourceSpiderLoader:
        path = sources_file(settings.get("MARSAD_SOURCES"))
        return cls(load_sources(path, base=settings.get("MARSAD_SOURCES_BASE")))

    def load(self, spider_name: str) -> type[Spider]:
        try:
            return spider_class(self._sources[spider_name])
        except KeyError:
            raise KeyError(f"Spider not found: {spider_name}") from None

    def list(self) -> builtins.list[str]:
        return sorted(self._sources)

    def find_by_request(self, request: Request) -> builtins.list[str]:
        host = urlparse(request.url).hostname
        return [
            name
            for name, source in sorted(self._sources.items())
            if any(urlparse(u).hostname == host for u in source.start_urls)
        ]
