"""Scrapy settings for Marsad crawls (`scrapy.cfg` points here; `marsad crawl` starts from them).

Politeness first: robots.txt obeyed, an identifying user agent, AutoThrottle, at most two
requests at a time per domain, and retries with backoff on 429 and 5xx.
"""

from __future__ import annotations

from marsad import config

BOT_NAME = "marsad"
SPIDER_LOADER_CLASS = "spiders.loader.SourceSpiderLoader"
NEWSPIDER_MODULE = "spiders"

USER_AGENT = config.user_agent()
ROBOTSTXT_OBEY = True
ROBOTSTXT_USER_AGENT = "Marsad"

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
RANDOMIZE_DOWNLOAD_DELAY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
# Article pages are small; a page past this is not an article and is refused, not buffered.
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]

# Text shorter than this is a stub, a menu or an error page, not an article.
MARSAD_MIN_ARTICLE_CHARS = 200

ITEM_PIPELINES = {
    "pipeline.capture.CaptureStage": 100,
    "pipeline.extract.ExtractStage": 200,
    "pipeline.language.LanguageStage": 300,
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
