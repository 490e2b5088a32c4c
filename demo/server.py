"""A local web server for the offline demo site (`demo/site/`), for `marsad demo` and the tests.

It behaves like the small static sites Marsad crawls: content types by extension, the charset a
page declares, `Last-Modified` with 304 answers to `If-Modified-Since`, `index.html` for
directory URLs, and plain 404s. It never serves anything outside the site directory.

    python -m demo.server [--port N]    # browse it at the printed URL
"""

from __future__ import annotations

import argparse
import contextlib
import email.utils
import logging
import re
import threading
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from collections.abc import Iterator

logger = logging.getLogger(__name__)

SITE = Path(__file__).resolve().parent / "site"
SOURCES = Path(__file__).resolve().parent / "sources.toml"
DEFAULT_PORT = 8765

CONTENT_TYPES = {
    ".html": "text/html",
    ".xml": "application/xml",
    ".json": "application/json",
    ".js": "text/javascript",
    ".css": "text/css",
    ".txt": "text/plain",
}
# Feeds, sitemaps and robots.txt must carry absolute URLs, but the demo runs on any port: in
# these files `{base}` stands for the origin the request was made to.
TEMPLATED = {".xml", ".txt"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_HOST = re.compile(r"^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


def declared_charset(body: bytes) -> str:
    """The charset an HTML page declares in its first 1024 bytes (as browsers look), or UTF-8.

    Sending the page's own declaration in the header keeps the one Windows-1256 page consistent
    without a list of exceptions in code.
    """
    match = _META_CHARSET.search(body[:1024])
    return match.group(1).decode("ascii").lower() if match else "utf-8"


class DemoHandler(BaseHTTPRequestHandler):
    root: ClassVar[Path] = SITE
    server_version = "MarsadDemo/1"

    def do_GET(self) -> None:
        self._respond(with_body=True)

    def do_HEAD(self) -> None:
        self._respond(with_body=False)

    def log_message(self, format: str, *args: Any) -> None:
        # Per-request lines go to logging at DEBUG, not to stderr as the stdlib does.
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s %s", self.address_string(), format % args)

    def _resolve(self, raw_path: str) -> Path | None:
        """The file a URL path names inside the site, or None for anything else.

        The path is decoded once (as the request arrived) and any `.`, `..` or hidden segment
        is refused before the file system is touched; the resolved path is then checked to lie
        inside the site, so neither encoded dots nor symlinks lead out of it.
        """
        path = unquote(urlsplit(raw_path).path, errors="strict")
        if "\\" in path or "\x00" in path or not path.startswith("/"):
            return None
        parts = [p for p in path.split("/")[1:] if p != ""]
        if any(p.startswith(".") for p in parts):
            return None
        root = self.root.resolve()
        target = root.joinpath(*parts).resolve()
        if not target.is_relative_to(root):
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def _respond(self, *, with_body: bool) -> None:
        try:
            target = self._resolve(self.path)
        except UnicodeDecodeError:
            target = None
        if target is None:
            self._not_found(with_body=with_body)
            return
        path = urlsplit(self.path).path
        if target.name == "index.html" and not path.endswith(("/", "/index.html")):
            # As static servers do: a directory's relative links only work under its slash.
            # The new location is built from the file found, never from the request's text.
            folder = target.parent.relative_to(self.root.resolve()).as_posix()
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", f"/{folder}/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        modified = datetime.fromtimestamp(int(target.stat().st_mtime), UTC)
        if self._not_modified_since(modified):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("Last-Modified", email.utils.format_datetime(modified, usegmt=True))
            self.end_headers()
            return
        body = target.read_bytes()
        suffix = target.suffix.lower()
        if suffix in TEMPLATED:
            body = body.replace(b"{base}", self._origin().encode("ascii"))
        content_type = CONTENT_TYPES.get(suffix, "application/octet-stream")
        if content_type.startswith("text/") or suffix in (".xml", ".json"):
            charset = declared_charset(body) if suffix == ".html" else "utf-8"
            content_type += f"; charset={charset}"
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", email.utils.format_datetime(modified, usegmt=True))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def _not_modified_since(self, modified: datetime) -> bool:
        header = self.headers.get("If-Modified-Since")
        if not header:
            return False
        try:
            since = email.utils.parsedate_to_datetime(header)
        except (TypeError, ValueError, IndexError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return modified <= since

    def _origin(self) -> str:
        host = self.headers.get("Host", "")
        address = self.server.server_address
        if not _HOST.match(host) and isinstance(address, tuple):
            host = f"{address[0]}:{address[1]}"
        return f"http://{host}"

    def _not_found(self, *, with_body: bool) -> None:
        body = (
            b'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            b"<title>404 Not Found</title></head>"
            b"<body><h1>Not Found</h1><p>No such page on this site.</p></body></html>\n"
        )
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)


@contextlib.contextmanager
def serve(host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve the demo site in a daemon thread; yields its base URL, e.g. http://127.0.0.1:41235."""
    server = ThreadingHTTPServer((host, port), DemoHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    bound_host, bound_port = server.server_address[:2]
    base = f"http://{bound_host!s}:{bound_port}"
    logger.debug("Demo site serving %s at %s", SITE, base)
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m demo.server", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    args = parser.parse_args(argv)
    with serve(args.host, args.port) as base, contextlib.suppress(KeyboardInterrupt):
        print(f"Demo site at {base}/  (Ctrl-C to stop)", flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()
