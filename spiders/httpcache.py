"""The HTTP cache for index pages: conditional requests, so an unchanged feed costs a 304.

Scrapy's HttpCacheMiddleware with an RFC 2616 policy narrowed to what Marsad needs:

- Only index pages (feeds, listings, sitemaps) are cached. Article pages are fetched once and
  then skipped by URL (`SourceSpider.known`), and their bytes are kept by the capture stage; a
  cached article would come back as a fetch that never happened, so none is ever cached.
- A cached index is always revalidated (If-None-Match / If-Modified-Since), never taken as
  fresh: a news index changes within minutes, whatever freshness a server or the Last-Modified
  heuristic promises. A 304 answers with the stored page; a changed page replaces it.
- Only complete 200 answers are stored; an error page (429, 5xx) is never served from cache.
- The cache lives under the data directory (`<data>/httpcache/`), beside what it serves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.extensions.httpcache import FilesystemCacheStorage, RFC2616Policy

from spiders.base import INDEX_META
from storage.paths import data_dir

if TYPE_CHECKING:
    from scrapy.http import Request, Response
    from scrapy.settings import BaseSettings


def cache_dir(settings: BaseSettings) -> str:
    return str(data_dir(settings.get("MARSAD_DATA_DIR")) / "httpcache")


class DataDirCacheStorage(FilesystemCacheStorage):
    """Scrapy's file-system cache, kept in the Marsad data directory."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.cachedir = cache_dir(settings)


class IndexRevalidationPolicy(RFC2616Policy):
    def should_cache_request(self, request: Request) -> bool:
        # Rendered pages come from a browser, which revalidates nothing for us.
        if not request.meta.get(INDEX_META) or request.meta.get("playwright"):
            return False
        return bool(super().should_cache_request(request))

    def should_cache_response(self, response: Response, request: Request) -> bool:
        if response.status != 200:
            return False
        return bool(super().should_cache_response(response, request))

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        if b"ETag" in cachedresponse.headers:
            request.headers[b"If-None-Match"] = cachedresponse.headers[b"ETag"]
        if b"Last-Modified" in cachedresponse.headers:
            request.headers[b"If-Modified-Since"] = cachedresponse.headers[b"Last-Modified"]
        return False
