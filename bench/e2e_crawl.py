"""End to end: crawl a generated site of N articles through every stage, then crawl it again.

The site is written to a temporary folder and served on 127.0.0.1 by the demo server's handler
(the same behaviour as the demo site: Last-Modified and 304s, robots.txt, a sitemap index): N
article pages in Arabic and English of 2,000 to 6,000 characters of text, a third reporting an
incident, generated from `nlp_speed`'s own templates. The crawl is the real `marsad crawl`, in
its own process, capture -> extract -> language -> analyse -> store. Politeness is switched off
for the measurement (no download delay, no AutoThrottle, 16 requests at a time to the one
host), since a polite crawl measures the delay, not Marsad.

Reported: pages a second and peak memory of the crawl (its process, fork server and workers,
proportional set size summed); the same pages through trafilatura extraction alone (the
pipeline's own `extract_article`, in this process, one core); their ratio (the goal is at least
0.5); and a second crawl of the unchanged site, which should fetch only the index pages.

    .venv/bin/python bench/e2e_crawl.py [--pages 1000] [--keep]
"""

from __future__ import annotations

import argparse
import html
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp_speed import make_document

from demo.server import DemoHandler
from pipeline.extract import extract_article
from storage import Store

PER_SITEMAP = 1000
FIRST_DAY = date(2026, 1, 1)
CRAWL_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
}


def article(n: int, text: str, language: str, day: date) -> str:
    """An article page: a title, a publication date and the text in paragraphs."""
    sentences = [s for s in text.replace("؟", ".").split(". ") if s]
    paragraphs = [". ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    body = "\n".join(f"<p>{html.escape(p)}.</p>" for p in paragraphs)
    title = html.escape(sentences[0][:80])
    direction = "rtl" if language == "ar" else "ltr"
    return (
        f'<!DOCTYPE html>\n<html lang="{language}" dir="{direction}"><head>'
        f'<meta charset="utf-8"><title>{title}</title>'
        f'<meta property="article:published_time" content="{day.isoformat()}">'
        f"</head><body><header><nav><a href='/'>Home</a></nav></header>"
        f"<main><article><h1>{title}</h1><time datetime='{day.isoformat()}'>{day}</time>"
        f"{body}</article></main><footer>Bench site, article {n}</footer></body></html>\n"
    )


def write_site(root: Path, pages: int) -> list[Path]:
    """The site under `root`; the article files, in order."""
    rng = random.Random(pages)
    articles = root / "articles"
    articles.mkdir(parents=True)
    files = []
    for n in range(pages):
        language = rng.choice(("ar", "en"))
        day = FIRST_DAY + timedelta(days=n % 300)
        text = make_document(rng, language, rng.randint(2000, 6000))
        path = articles / f"{n}.html"
        path.write_text(article(n, text, language, day), encoding="utf-8")
        files.append(path)
    sitemaps = root / "sitemaps"
    sitemaps.mkdir()
    for first in range(0, pages, PER_SITEMAP):
        urls = "".join(
            f"<url><loc>{{base}}/articles/{n}.html</loc>"
            f"<lastmod>{FIRST_DAY + timedelta(days=n % 300)}</lastmod></url>"
            for n in range(first, min(pages, first + PER_SITEMAP))
        )
        (sitemaps / f"{first // PER_SITEMAP}.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n',
            encoding="utf-8",
        )
    index = "".join(
        f"<sitemap><loc>{{base}}/sitemaps/{i}.xml</loc></sitemap>"
        for i in range(-(-pages // PER_SITEMAP))
    )
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}'
        "</sitemapindex>\n",
        encoding="utf-8",
    )
    (root / "robots.txt").write_text(
        "User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n", encoding="utf-8"
    )
    return files


class CountingServer:
    """The demo server's handler over the bench site, counting the requests it answers."""

    def __init__(self, site: Path) -> None:
        from http.server import ThreadingHTTPServer

        counter = self

        class Handler(DemoHandler):
            root: ClassVar[Path] = site
            # Keep-alive, as news sites serve: a new connection per page measures Twisted's
            # connection set-up, not Marsad.
            protocol_version = "HTTP/1.1"

            def _respond(self, *, with_body: bool) -> None:
                with counter.lock:
                    counter.requests += 1
                super()._respond(with_body=with_body)

        self.lock = threading.Lock()
        self.requests = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def take(self) -> int:
        with self.lock:
            count, self.requests = self.requests, 0
        return count


def _descendants(pid: int) -> list[int]:
    """`pid` and every process under it (the crawl, its fork server, its workers)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                queue += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _pss_kib(pid: int) -> int:
    """Proportional set size: memory shared between the processes is counted once in all."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def crawl(sources: Path, data_dir: Path) -> tuple[float, int]:
    """One `marsad crawl` in its own process: seconds taken and the peak memory (KiB, summed
    over the crawl's processes, sampled five times a second)."""
    command = [str(Path(sys.executable).parent / "marsad"), "crawl"]
    command += ["--sources", str(sources), "--data-dir", str(data_dir)]
    for key, value in CRAWL_SETTINGS.items():
        command += ["--set", f"{key}={value}"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603 - our own command
    peak = 0
    while process.poll() is None:
        peak = max(peak, sum(_pss_kib(p) for p in _descendants(process.pid)))
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"marsad crawl failed with exit code {process.returncode}")
    return elapsed, peak


def extraction_alone(files: list[Path], base: str) -> float:
    """Seconds for the pipeline's trafilatura extraction of every page, in this process."""
    bodies = [(p.read_text(encoding="utf-8"), f"{base}/articles/{p.name}") for p in files]
    started = time.perf_counter()
    for body, url in bodies:
        extract_article(body, url)
    return time.perf_counter() - started


def stored(data_dir: Path) -> dict[str, Any]:
    store = Store(data_dir / "marsad.duckdb")
    try:
        return store.totals()
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the site and data folder")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="marsad-bench-"))
    try:
        started = time.perf_counter()
        files = write_site(tmp / "site", args.pages)
        size = sum(p.stat().st_size for p in files)
        print(
            f"site: {args.pages:,} articles, {size / 2**20:.1f} MiB of HTML, "
            f"written in {time.perf_counter() - started:.1f} s"
        )
        server = CountingServer(tmp / "site")
        with server as base:
            sources = tmp / "sources.toml"
            sources.write_text(
                '[[source]]\nname = "bench"\nlanguages = ["ar", "en"]\nkind = "sitemap"\n'
                f'start_urls = ["{base}/sitemap.xml"]\n'
                f'article_pattern = "^{base}/articles/"\nmax_age_days = 36500\n',
                encoding="utf-8",
            )
            first, rss = crawl(sources, tmp / "data")
            first_requests = server.take()
            totals = stored(tmp / "data")
            again, _ = crawl(sources, tmp / "data")
            again_requests = server.take()
            alone = extraction_alone(files, base)
        print(f"stored: {totals}")
        if totals.get("documents") != args.pages:
            print(f"WARNING: {totals.get('documents')} documents stored for {args.pages} pages")
        marsad_rate = args.pages / first
        alone_rate = args.pages / alone
        print(f"{'':<36} {'seconds':>8} {'pages/s':>8} {'requests':>9}")
        print(
            f"{'marsad crawl (all stages)':<36} {first:>8.1f} {marsad_rate:>8.1f} "
            f"{first_requests:>9,}"
        )
        print(f"{'trafilatura extraction alone':<36} {alone:>8.1f} {alone_rate:>8.1f}")
        print(f"{'re-crawl of the unchanged site':<36} {again:>8.1f} {'':>8} {again_requests:>9,}")
        print(
            f"ratio marsad / extraction alone: {marsad_rate / alone_rate:.2f} (goal >= 0.5); "
            f"peak memory of the crawl (all its processes): {rss / 1024:.0f} MiB; "
            f"re-crawl: {again / first:.2f} of the time, "
            f"{again_requests / first_requests:.3f} of the requests"
        )
    finally:
        if args.keep:
            print(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
