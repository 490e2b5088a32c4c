"""A local site of many large article pages, to fill a small disk: each page is a short
article (our own sentences) padded with a large incompressible comment, all different."""

from __future__ import annotations

import contextlib
import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

from fault_site import EN_PARAS, article_html

if TYPE_CHECKING:
    from collections.abc import Iterator

PAD = 200 * 1024


def bulky_page(number: int) -> bytes:
    pad = "".join(hashlib.sha256(f"{number}/{i}".encode()).hexdigest() for i in range(PAD // 64))
    paras = [f"Report {number}. {p}" for p in EN_PARAS]
    return (
        article_html(f"Report {number}", paras)
        .replace("</body>", f"<!-- {pad} --></body>")
        .encode()
    )


class BulkyHandler(BaseHTTPRequestHandler):
    server: BulkyServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if self.path == "/feed.xml":
            items = "".join(
                f"<item><title>{n}</title><link>{base}/big/{n}</link></item>"
                for n in range(self.server.pages)
            )
            body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{items}'
            payload, kind = (body + "</channel></rss>").encode(), "application/rss+xml"
        elif self.path.startswith("/big/") and self.path[5:].isdigit():
            payload, kind = bulky_page(int(self.path[5:])), "text/html; charset=utf-8"
        else:
            payload, kind = b"not found", "text/plain"
        self.send_response(200 if kind != "text/plain" else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(payload)


class BulkyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, pages: int) -> None:
        super().__init__(("127.0.0.1", 0), BulkyHandler)
        self.pages = pages


@contextlib.contextmanager
def bulky_site(pages: int) -> Iterator[str]:
    server = BulkyServer(pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
