"""Scrapy settings for Marsad crawls (`scrapy.cfg` points here; `marsad crawl` starts from them).

Politeness first: robots.txt obeyed, an identifying user agent, AutoThrottle, at most two
requests at a time per host (across all spiders of a process), retries with backoff on 429
and 5xx, and conditional requests so an unchanged feed or listing is not downloaded again.
"""

from __future__ import annotations

import os

from pipeline import contract
from storage import __version__

BOT_NAME = "marsad"
SPIDER_LOADER_CLASS = "spiders.loader.SourceSpiderLoader"
NEWSPIDER_MODULE = "spiders"


def _user_agent() -> str:
    """Identify the crawler and say where to reach its operators (`MARSAD_CONTACT` overrides)."""
    contact = os.environ.get("MARSAD_CONTACT", "https://github.com/marsad-observatory/marsad")
    return f"Marsad/{__version__} (human-rights monitoring; +{contact})"


USER_AGENT = _user_agent()
ROBOTSTXT_OBEY = True
ROBOTSTXT_USER_AGENT = "Marsad"

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# What one response yields is handled this many at a time. Scrapy starts this many tasks for
# every response; an article yields one page, so its default of 100 only costs time.
CONCURRENT_ITEMS = 8
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
# Article pages are small; a page past this is not an article and is refused, not buffered.
# The limits are the extraction contract's too (pipeline/contract.py), so they are set there.
DOWNLOAD_MAXSIZE = contract.MAX_HTML_CHARS
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# Retries wait: Retry-After when the server gives one, else 2 s, 4 s, 8 s... (spiders/retry.py).
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 120.0
# Articles one run requests at most, however many its indexes list (a backfill may raise it).
MARSAD_MAX_ARTICLES = 1000
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.retry.BackoffRetryMiddleware": 550,
    # Redirects and meta refreshes are followed only within the source (spiders/redirects.py).
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "spiders.redirects.SourceMetaRefreshMiddleware": 580,
    "spiders.redirects.SourceRedirectMiddleware": 600,
    # Per host across all the spiders of a process, after the cache (spiders/domainlimit.py).
    "spiders.domainlimit.HostConcurrencyMiddleware": 950,
}

# A public name whose DNS answer is internal is refused (spiders/resolver.py); True for an
# intranet deployment whose sources live on private names.
TWISTED_DNS_RESOLVER = "spiders.resolver.PublicNameResolver"
MARSAD_PRIVATE_DNS_OK = False

# Index pages are revalidated with conditional requests, so an unchanged feed costs a 304;
# article pages are never cached (they are fetched once, see spiders/httpcache.py).
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "spiders.httpcache.IndexRevalidationPolicy"
HTTPCACHE_STORAGE = "spiders.httpcache.DataDirCacheStorage"
HTTPCACHE_GZIP = True

# Incremental runs: articles an index dates before the cut-off are skipped and pagination stops
# there. The cut-off is each source's `max_age_days` ago, or MARSAD_SINCE (YYYY-MM-DD, set by
# `marsad crawl --since`) for a backfill, which also pages past articles already stored.
MARSAD_SINCE = None
# However far a backfill goes, one run reads at most this many index pages of a source.
MARSAD_MAX_INDEX_PAGES = 50
# Set by `marsad sources check`: read the first index page and this many articles, store nothing.
MARSAD_CHECK_ARTICLES = 0

# Text shorter than this is a stub, a menu or an error page, not an article.
MARSAD_MIN_ARTICLE_CHARS = 200
# Worker processes for extraction, language detection and the NLP (pipeline/workers.py):
# None for one per core (none on a single core), 0 to keep that work in threads.
MARSAD_CPU_WORKERS = None
# Each page's budget: seconds of extraction, language detection or NLP (each; the worker is
# stopped past it), and characters of article text analysed. A page over either is recorded
# as a failure (`too_slow`, `too_long`), its capture kept, and the other pages go on.
MARSAD_PAGE_BUDGET = 60.0
MARSAD_MAX_TEXT_CHARS = contract.MAX_TEXT_CHARS

ITEM_PIPELINES = {
    "pipeline.capture.CaptureStage": 100,
    "pipeline.extract.ExtractStage": 200,
    "pipeline.language.LanguageStage": 300,
    "pipeline.analyse.AnalyseStage": 400,
    "pipeline.store.StoreStage": 500,
}
EXTENSIONS = {
    "pipeline.runs.RunRecorder": 100,
}

# Chromium from Debian drives the `rendered` sources; browser downloads do not work here.
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": "/usr/bin/chromium",
    "headless": True,
    "args": [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ],
}
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
# Scrapy's telnet console would give whoever reads its password from the log a Python prompt
# inside a process holding victims' data: off.
TELNETCONSOLE_ENABLED = False
