"""Which charset a page is really in: servers and pages often say the wrong one.

Seen in the wild and in `tests/faults/`: Arabic UTF-8 served as ISO-8859-1 (stored as mojibake,
read as Hungarian), Windows-1256 served as UTF-8 (stored as U+FFFD). The order of trust:

1. a byte-order mark, which no editor writes by accident;
2. the declared charset (the HTTP header, else the page's `<meta charset>`), when the bytes
   decode cleanly in it, except that bytes which are valid UTF-8 while declared as a legacy
   charset are UTF-8: text in a legacy charset with bytes above 0x7F is practically never
   valid UTF-8 by chance, while UTF-8 sent with the server's default Latin-1 header is common;
3. the page's own `<meta charset>` when the header's charset fails on the bytes;
4. UTF-8, then charset-normalizer's reading of the bytes (what Scrapy itself falls back on),
   among the legacy charsets of Arabic and English pages first.

When none decodes cleanly, the declared charset (or UTF-8) is used with replacement
characters; the extract stage records the page as garbled when too many remain.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding

LEGACY = ["cp1256", "iso8859_6", "cp1252"]


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    # False when no charset decoded the bytes cleanly and replacement characters were used.
    clean: bool


def _codec(name: str | None) -> str | None:
    """Python's canonical codec name (w3lib maps Latin-1 to Windows-1252, as browsers do)."""
    if not name:
        return None
    resolved = resolve_encoding(name)
    if resolved is None:
        return None
    try:
        return codecs.lookup(resolved).name
    except LookupError:
        return None


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, declared: str | None = None) -> Decoded:
    """`body` as text, in the charset it is really in; `declared` is what the server said."""
    bom, mark = read_bom(body)
    if bom is not None and mark is not None:
        codec = _codec(bom) or "utf-8"
        text = _strict(body[len(mark) :], codec)
        if text is not None:
            return Decoded(text, codec, clean=True)
    meta = _codec(html_body_declared_encoding(body))
    header = _codec(declared)
    stated = header or meta
    if stated is not None:
        text = _strict(body, stated)
        if text is not None:
            if not stated.startswith("utf") and not body.isascii():
                as_utf8 = _strict(body, "utf-8")
                if as_utf8 is not None:
                    return Decoded(as_utf8, "utf-8", clean=True)
            return Decoded(text, stated, clean=True)
    if meta is not None and meta != stated and (text := _strict(body, meta)) is not None:
        return Decoded(text, meta, clean=True)
    if stated != "utf-8" and (text := _strict(body, "utf-8")) is not None:
        return Decoded(text, "utf-8", clean=True)
    from charset_normalizer import from_bytes

    # The legacy charsets of Arabic and Western European web pages first: on a short page the
    # unrestricted guess can prefer an unrelated code page that also decodes it (cp775 for a
    # Windows-1252 English page in the tests).
    for candidates in (LEGACY, None):
        guess = from_bytes(body, cp_isolation=candidates).best()
        guessed = _codec(guess.encoding) if guess is not None else None
        if guessed is not None and (text := _strict(body, guessed)) is not None:
            return Decoded(text, guessed, clean=True)
    fallback = stated or "utf-8"
    return Decoded(body.decode(fallback, errors="replace"), fallback, clean=False)
