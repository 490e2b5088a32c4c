"""RFC 3161 trusted timestamps of the custody log's head, when a timestamp authority is set.

A timestamp authority (`MARSAD_TSA_URL`) signs "this hash existed at this time" with a key the
data's holders do not have: a token over the custody head proves the log held that head then,
whatever happens to the machine later. The query and the signed reply are kept as
`custody-timestamps/<entry id>-<head hash>.tsq|.tsr` beside the database; anyone can check them
with OpenSSL (`openssl ts -verify -queryfile X.tsq -in X.tsr -CAfile <the TSA's chain>`).

Only the request is built here (a few fixed DER fields); the reply is checked for the granted
status and kept as received, for OpenSSL to verify.
"""

from __future__ import annotations

import secrets
import urllib.request
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

FOLDER = "custody-timestamps"
# id-sha256 (2.16.840.1.101.3.4.2.1), DER-encoded with its NULL parameters.
_SHA256 = bytes.fromhex("300d06096086480165030402010500")
TIMEOUT = 30.0


class TimestampError(RuntimeError):
    """The authority could not be reached or did not grant a timestamp."""


def _der(tag: int, body: bytes) -> bytes:
    if len(body) < 0x80:
        length = bytes([len(body)])
    else:
        size = (len(body).bit_length() + 7) // 8
        length = bytes([0x80 | size]) + len(body).to_bytes(size, "big")
    return bytes([tag]) + length + body


def _integer(value: int) -> bytes:
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def request(digest: bytes, nonce: int) -> bytes:
    """A TimeStampReq (RFC 3161 section 2.4.1) for a SHA-256 `digest`, asking for the
    authority's certificate in the reply."""
    imprint = _der(0x30, _SHA256 + _der(0x04, digest))
    certificate_requested = _der(0x01, b"\xff")
    return _der(0x30, _integer(1) + imprint + _integer(nonce) + certificate_requested)


def _granted(reply: bytes) -> bool:
    """Whether a TimeStampResp's PKIStatus is granted (0) or granted with changes (1)."""
    # SEQUENCE { SEQUENCE (PKIStatusInfo) { INTEGER status, ... }, token }
    try:
        position = 0
        for expected in (0x30, 0x30):
            if reply[position] != expected:
                return False
            position += 2 if reply[position + 1] < 0x80 else 2 + (reply[position + 1] & 0x7F)
        if reply[position] != 0x02 or reply[position + 1] != 1:
            return False
        return reply[position + 2] in (0, 1)
    except IndexError:
        return False


def stamp(url: str, head: dict[str, object], data_dir: Path) -> Path:
    """Ask the authority at `url` to timestamp the custody `head`; the saved reply's path."""
    entry_hash = str(head["entry_hash"])
    query = request(bytes.fromhex(entry_hash), secrets.randbits(63))
    if not url.startswith(("https://", "http://")):
        raise TimestampError(f"MARSAD_TSA_URL must be an http(s) URL, not {url!r}")
    sent = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, data=query, headers={"Content-Type": "application/timestamp-query"}, method="POST"
    )
    try:
        with urllib.request.urlopen(sent, timeout=TIMEOUT) as answer:  # noqa: S310
            reply = answer.read(1 << 20)
    except OSError as exc:
        raise TimestampError(f"the timestamp authority could not be reached: {exc}") from exc
    if not _granted(reply):
        raise TimestampError("the timestamp authority did not grant a timestamp")
    folder = data_dir / FOLDER
    folder.mkdir(exist_ok=True)
    base = folder / f"{head['id']}-{entry_hash}"
    base.with_suffix(".tsq").write_bytes(query)
    saved = base.with_suffix(".tsr")
    saved.write_bytes(reply)
    return saved
