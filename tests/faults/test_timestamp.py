"""RFC 3161 timestamps of the custody head (issue 15, item 5), against a real timestamp
authority run locally with OpenSSL (`openssl ts -reply`), and checked with `openssl ts -verify`
as a verifier would."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

import pytest

from marsad import digest
from preserve.timestamp import FOLDER, TimestampError, request, stamp
from storage import Store

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")

CONFIG = """
[ tsa ]
default_tsa = local
[ local ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.crt
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def openssl(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["openssl", *args], capture_output=True, check=True)


@contextlib.contextmanager
def authority(folder: Path, *, grant: bool = True) -> Iterator[str]:
    """A timestamp authority on 127.0.0.1: OpenSSL's own, with a throwaway certificate."""
    openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test-tsa",
        "-keyout", str(folder / "tsa.key"), "-out", str(folder / "tsa.crt"),
        "-addext", "extendedKeyUsage=critical,timeStamping",
    )  # fmt: skip
    (folder / "serial").write_text("01\n")
    (folder / "tsa.cnf").write_text(CONFIG.format(dir=folder))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            query = self.rfile.read(int(self.headers["Content-Length"]))
            (folder / "in.tsq").write_bytes(query)
            if grant:
                openssl(
                    "ts", "-reply", "-config", str(folder / "tsa.cnf"),
                    "-queryfile", str(folder / "in.tsq"), "-out", str(folder / "out.tsr"),
                )  # fmt: skip
                reply = (folder / "out.tsr").read_bytes()
            else:  # PKIStatus rejection (2), no token
                reply = bytes.fromhex("30053003020102")
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    finally:
        server.shutdown()
        server.server_close()


def test_the_request_is_what_openssl_itself_would_send(tmp_path: Path) -> None:
    digest_hex = "ab" * 32
    (tmp_path / "q.tsq").write_bytes(request(bytes.fromhex(digest_hex), 12345))
    shown = openssl("ts", "-query", "-in", str(tmp_path / "q.tsq"), "-text").stdout.decode()
    assert "Hash Algorithm: sha256" in shown
    assert "AB AB AB AB" in shown.upper()
    assert "Nonce: 0x3039" in shown
    assert "Certificate required: yes" in shown


def test_a_digest_timestamps_the_custody_head_and_openssl_verifies_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir, tsa_dir = tmp_path / "data", tmp_path / "tsa"
    tsa_dir.mkdir()
    store = Store(data_dir / "marsad.duckdb")
    try:
        store.log_custody("read", ["a" * 64], actor="amira")
        head = store.custody_head()
        assert head is not None
        with authority(tsa_dir) as url:
            monkeypatch.setenv("MARSAD_TSA_URL", url)
            digest.make(store, data_dir, base_url="http://127.0.0.1:8080")
    finally:
        store.close()
    base = data_dir / FOLDER / f"{head['id']}-{head['entry_hash']}"
    checked = subprocess.run(
        ["openssl", "ts", "-verify", "-queryfile", str(base.with_suffix(".tsq")),
         "-in", str(base.with_suffix(".tsr")), "-CAfile", str(tsa_dir / "tsa.crt")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    assert "Verification: OK" in checked.stdout


def test_a_refusal_is_an_error_and_nothing_is_kept(tmp_path: Path) -> None:
    with authority(tmp_path, grant=False) as url, pytest.raises(TimestampError, match="grant"):
        stamp(url, {"id": 1, "entry_hash": "cd" * 32}, tmp_path)
    assert not (tmp_path / FOLDER).exists()
    with pytest.raises(TimestampError, match="http"):
        stamp("file:///etc/passwd", {"id": 1, "entry_hash": "cd" * 32}, tmp_path)
