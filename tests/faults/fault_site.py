"""A local web server that misbehaves on purpose, one fault per path, on 127.0.0.1 only.

`FaultSite` serves an RSS feed listing every article path, a source whose "feed" is not XML,
and the articles, each failing (or not) in its own way. It counts requests per path, so a test
can tell a retry from a single attempt.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

# Our own sentences (not taken from any source), long enough to pass the article-length floor.
EN_PARAS = [
    "Residents of a coastal district said an armed group detained four fishermen at dawn and "
    "took them to an unknown location, according to relatives who spoke to local reporters.",
    "The families asked the authorities to disclose where the men are held and to let lawyers "
    "visit them, adding that no warrant was shown and no charge has been announced so far.",
    "A municipal council member said talks with the group had not produced any result and "
    "that the fishermen's boats were still anchored in the harbour under guard.",
]
AR_PARAS = [
    "قال سكان في حي ساحلي إن مجموعة مسلحة احتجزت أربعة صيادين فجر اليوم واقتادتهم إلى مكان "
    "مجهول، بحسب أقارب تحدثوا إلى صحفيين محليين.",
    "وطالبت العائلات السلطات بالكشف عن مكان احتجاز الرجال والسماح للمحامين بزيارتهم، مضيفة أنه "
    "لم يُبرز أي أمر قضائي ولم تُعلن أي تهمة حتى الآن.",
    "وقال عضو في المجلس البلدي إن المحادثات مع المجموعة لم تسفر عن أي نتيجة، وإن قوارب الصيادين "
    "ما زالت راسية في الميناء تحت الحراسة.",
]
DUPLICATE_PARAS = [
    "Volunteers reported that a shelter for displaced families was damaged by shelling overnight "
    "and that two children were treated for shrapnel wounds at the nearest clinic.",
    "The shelter's managers moved the remaining families to a school building and appealed for "
    "blankets, water and medicine while the road to the city stays closed.",
]


def article_html(
    title: str, paras: list[str], *, lang: str = "en", meta_charset: str | None = None
) -> str:
    meta = f'<meta charset="{meta_charset}">' if meta_charset else ""
    body = "".join(f"<p>{p}</p>\n" for p in paras)
    direction = ' dir="rtl"' if lang == "ar" else ""
    return (
        f'<!DOCTYPE html><html lang="{lang}"{direction}><head>{meta}<title>{title}</title>'
        '<meta property="article:published_time" content="2026-11-20T08:00:00Z"></head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>\n{body}</article>"
        "<footer>Local test site</footer></body></html>"
    )


def pdf_with_text(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds `lines` (Helvetica, Latin-1 text)."""
    escaped = [ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for ln in lines]
    text = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(f"({ln}) '" for ln in escaped) + " ET"
    stream = text.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


PRESS_RELEASE_LINES = [
    "PRESS RELEASE - for immediate publication",
    "A coalition of rights groups today called for the release of eleven protesters",
    "who were detained after a peaceful sit-in outside the municipal building.",
    "The groups said the detainees have been denied access to lawyers and relatives",
    "for nine days, and urged the prosecutor to order an independent inquiry into",
    "reports that several of them were beaten during their arrest.",
]

# Paths of the articles the feed lists; the name says what each does.
ARTICLES = [
    "/a/ok",
    "/a/http-500",
    "/a/slow",
    "/a/trickle",
    "/a/redirect-loop",
    "/a/redirect-ok",
    "/a/huge-declared",
    "/a/huge-chunked",
    "/a/truncated-markup",
    "/a/truncated-connection",
    "/a/malformed",
    "/a/cp1256-header",
    "/a/cp1256-meta",
    "/a/cp1256-undeclared",
    "/a/iso8859-6-header",
    "/a/iso8859-6-undeclared",
    "/a/utf8-served-as-latin1",
    "/a/cp1256-served-as-utf8",
    "/a/mojibake-in-the-page",
    "/a/too-long",
    "/a/press-release.pdf",
    "/a/empty-body",
    "/a/empty-article",
    "/a/duplicate-one",
    "/a/duplicate-two",
]
# Listed in a feed of their own: a server asking to wait slows every later request to it, and
# each source's crawl keeps its own per-host pace.
RATE_LIMITED = ["/a/http-503-retry-after", "/a/http-503-then-ok", "/a/http-429"]
HUGE = 50 * 1024 * 1024


class FaultHandler(BaseHTTPRequestHandler):
    server: FaultServer
    protocol_version = "HTTP/1.1"
    routes: ClassVar[dict[str, Callable[[FaultHandler], None]]] = {}

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read the counts, not a log."""

    def send(
        self, status: int, body: bytes, content_type: str = "text/html", **headers: str
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        with self.server.lock:
            self.server.hits[path] += 1
            hits = self.server.hits[path]
        handler = self.routes.get(path)
        if handler is None:
            self.send(404, b"not found", "text/plain")
            return
        self.hits = hits
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            handler(self)


def route(path: str) -> Callable[[Callable[[FaultHandler], None]], Callable[[FaultHandler], None]]:
    def register(fn: Callable[[FaultHandler], None]) -> Callable[[FaultHandler], None]:
        FaultHandler.routes[path] = fn
        return fn

    return register


def _feed(h: FaultHandler, paths: list[str]) -> None:
    base = h.server.base
    items = "".join(f"<item><title>{p}</title><link>{base}{p}</link></item>" for p in paths)
    rss = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Faults</title>{items}'
    h.send(200, (rss + "</channel></rss>").encode(), "application/rss+xml")


route("/feed.xml")(lambda h: _feed(h, ARTICLES))
route("/rate-limited/feed.xml")(lambda h: _feed(h, RATE_LIMITED))


@route("/not-xml/feed.xml")
def _not_xml(h: FaultHandler) -> None:
    h.send(200, b"<html><body><p>Our feed moved. {{ broken & <<</p>", "application/rss+xml")


@route("/a/ok")
def _ok(h: FaultHandler) -> None:
    h.send(200, article_html("Fishermen detained", EN_PARAS).encode(), "text/html; charset=utf-8")


@route("/a/http-500")
def _http_500(h: FaultHandler) -> None:
    h.send(500, b"<h1>Internal Server Error</h1>")


@route("/a/http-503-retry-after")
def _http_503(h: FaultHandler) -> None:
    h.send(503, b"<h1>Down for maintenance</h1>", Retry_After="1")


@route("/a/http-503-then-ok")
def _http_503_then_ok(h: FaultHandler) -> None:
    if h.hits == 1:
        h.send(503, b"<h1>Busy</h1>", Retry_After="1")
    else:
        paras = [p.replace("fishermen", "fishers") for p in EN_PARAS]
        h.send(200, article_html("Back after a 503", paras).encode(), "text/html; charset=utf-8")


@route("/a/http-429")
def _http_429(h: FaultHandler) -> None:
    h.send(429, b"Too Many Requests", "text/plain", Retry_After="1")


@route("/a/slow")
def _slow(h: FaultHandler) -> None:
    time.sleep(h.server.stall)
    h.send(200, article_html("Too late", EN_PARAS).encode())


@route("/a/trickle")
def _trickle(h: FaultHandler) -> None:
    body = article_html("Trickled", EN_PARAS).encode()
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    deadline = time.monotonic() + h.server.stall
    for i in range(len(body)):
        if time.monotonic() > deadline:
            return
        h.wfile.write(body[i : i + 1])
        h.wfile.flush()
        time.sleep(0.2)


@route("/a/redirect-loop")
def _loop_a(h: FaultHandler) -> None:
    h.send(302, b"", Location="/a/redirect-loop-b")


@route("/a/redirect-loop-b")
def _loop_b(h: FaultHandler) -> None:
    h.send(302, b"", Location="/a/redirect-loop")


@route("/a/redirect-ok")
def _redirect_ok(h: FaultHandler) -> None:
    h.send(301, b"", Location="/a/redirect-target")


@route("/a/redirect-target")
def _redirect_target(h: FaultHandler) -> None:
    paras = [p.replace("four", "five") for p in EN_PARAS]
    h.send(200, article_html("Moved article", paras).encode(), "text/html; charset=utf-8")


def _stream_zeros(h: FaultHandler, declare: bool) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    if declare:
        h.send_header("Content-Length", str(HUGE))
    else:
        h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    chunk = b"<p>" + b"x" * (256 * 1024 - 7) + b"</p>"
    sent = 0
    while sent < HUGE:
        if declare:
            h.wfile.write(chunk)
        else:
            h.wfile.write(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        sent += len(chunk)
    if not declare:
        h.wfile.write(b"0\r\n\r\n")


@route("/a/huge-declared")
def _huge_declared(h: FaultHandler) -> None:
    _stream_zeros(h, declare=True)


@route("/a/huge-chunked")
def _huge_chunked(h: FaultHandler) -> None:
    _stream_zeros(h, declare=False)


@route("/a/truncated-markup")
def _truncated_markup(h: FaultHandler) -> None:
    html = article_html("Cut short", [p.replace("group", "unit") for p in EN_PARAS])
    h.send(200, html[: html.index("</article>") - 40].encode(), "text/html; charset=utf-8")


@route("/a/truncated-connection")
def _truncated_connection(h: FaultHandler) -> None:
    body = article_html("Dropped", EN_PARAS).encode()
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", str(len(body) * 2))
    h.end_headers()
    h.wfile.write(body)
    h.wfile.flush()
    h.close_connection = True


@route("/a/malformed")
def _malformed(h: FaultHandler) -> None:
    paras = [p.replace("dawn", "dusk") for p in EN_PARAS]
    soup = (
        "<html><head><title>Tag soup</title><body><div><article><h1>Tag soup</h1>"
        f"<p>{paras[0]}<b><i>{paras[1]}</b></i><p>{paras[2]}<td></tr>"
        "<<<>>> <p =broken attr='x><span></article></div></div></html>\x00\x01"
    )
    h.send(200, soup.encode(), "text/html; charset=utf-8")


def _arabic(
    title: str, encoding: str, *, header: bool, meta: bool
) -> Callable[[FaultHandler], None]:
    def serve(h: FaultHandler) -> None:
        html = article_html(title, AR_PARAS, lang="ar", meta_charset=encoding if meta else None)
        content_type = f"text/html; charset={encoding}" if header else "text/html"
        h.send(200, html.encode(encoding), content_type)

    return serve


route("/a/cp1256-header")(_arabic("احتجاز صيادين", "windows-1256", header=True, meta=False))
route("/a/cp1256-meta")(
    _arabic("احتجاز صيادين في الميناء", "windows-1256", header=False, meta=True)
)
route("/a/cp1256-undeclared")(_arabic("صيادون محتجزون", "windows-1256", header=False, meta=False))
route("/a/iso8859-6-header")(_arabic("احتجاز أربعة صيادين", "iso-8859-6", header=True, meta=False))
route("/a/iso8859-6-undeclared")(
    _arabic("أربعة صيادين في مكان مجهول", "iso-8859-6", header=False, meta=False)
)


def _mislabelled(title: str, encoding: str, label: str) -> Callable[[FaultHandler], None]:
    """Arabic in `encoding`, said by the header (and the page) to be in `label`."""

    def serve(h: FaultHandler) -> None:
        html = article_html(title, AR_PARAS, lang="ar", meta_charset=label)
        h.send(200, html.encode(encoding), f"text/html; charset={label}")

    return serve


route("/a/utf8-served-as-latin1")(_mislabelled("صيادون في الميناء", "utf-8", "iso-8859-1"))
route("/a/cp1256-served-as-utf8")(_mislabelled("قوارب الصيادين", "windows-1256", "utf-8"))


@route("/a/too-long")
def _too_long(h: FaultHandler) -> None:
    # A report past the text budget (MARSAD_MAX_TEXT_CHARS): a million characters and more.
    paras = EN_PARAS * (1_100_000 // sum(len(p) for p in EN_PARAS) + 1)
    h.send(200, article_html("Endless", paras).encode(), "text/html; charset=utf-8")


@route("/a/mojibake-in-the-page")
def _mojibake(h: FaultHandler) -> None:
    # The site's own text is already Arabic UTF-8 read as Windows-1252: garbage in any charset.
    paras = [p.encode("utf-8").decode("cp1252", errors="replace") for p in AR_PARAS]
    html = article_html("Ø§Ø­ØªØ¬Ø§Ø²", paras, meta_charset="utf-8")
    h.send(200, html.encode("utf-8"), "text/html; charset=utf-8")


@route("/a/press-release.pdf")
def _press_release(h: FaultHandler) -> None:
    h.send(200, pdf_with_text(PRESS_RELEASE_LINES), "application/pdf")


@route("/a/empty-body")
def _empty_body(h: FaultHandler) -> None:
    h.send(200, b"", "text/html")


@route("/a/empty-article")
def _empty_article(h: FaultHandler) -> None:
    h.send(200, article_html("Untitled", []).encode(), "text/html; charset=utf-8")


@route("/a/duplicate-one")
@route("/a/duplicate-two")
def _duplicate(h: FaultHandler) -> None:
    h.send(200, article_html("Shelter hit", DUPLICATE_PARAS).encode(), "text/html; charset=utf-8")


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, stall: float) -> None:
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.stall = stall
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


@contextlib.contextmanager
def fault_site(stall: float = 6.0) -> Iterator[FaultServer]:
    """Serve the fault site in a thread; `stall` is how long the slow paths hold a request."""
    server = FaultServer(stall)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
