"""A WARC record of one fetch (ISO 28500, WARC/1.1, written with warcio).

The record is a function of the fetch alone: the same fetch always gives the same bytes (record
ids are derived from the capture's hash, the URL and the fetch time), so a WARC written at
capture time and one rebuilt later by `marsad preserve` are identical.

Scrapy hands the pipeline the body after undoing transfer and content encodings, so the HTTP
block carries the decoded body with `Content-Length` set to it; the headers exactly as served,
the request URL and the redirect chain follow in a `metadata` record.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC
from http import HTTPStatus
from io import BytesIO
from typing import TYPE_CHECKING

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

CONTENT_TYPE = "application/warc"
# Headers that describe how the bytes travelled, not the body the record holds.
_TRANSPORT = {"content-encoding", "transfer-encoding", "content-length"}
_NAMESPACE = uuid.UUID("6f0d1b64-3d4e-4c55-9a57-0c0a6b1e7a11")


@dataclass(frozen=True, slots=True)
class Fetch:
    url: str
    final_url: str
    redirects: Sequence[str]
    status: int
    headers: dict[str, list[str]]
    fetched_at: datetime
    sha256: str
    marsad_version: str


def _warc_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _record_id(fetch: Fetch, part: str) -> str:
    name = f"{part}|{fetch.sha256}|{fetch.final_url}|{_warc_date(fetch.fetched_at)}"
    return f"<urn:uuid:{uuid.uuid5(_NAMESPACE, name)}>"


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def warc_for_fetch(fetch: Fetch, body: bytes) -> bytes:
    """warcinfo, response and metadata records for one fetch, as one uncompressed WARC file."""
    out = BytesIO()
    writer = WARCWriter(out, gzip=False, warc_version="1.1")
    date = _warc_date(fetch.fetched_at)
    info = writer.create_warcinfo_record(
        f"marsad-{fetch.sha256}.warc",
        {
            "software": f"Marsad/{fetch.marsad_version} (warcio)",
            "format": "WARC File Format 1.1",
            "description": "One fetch by Marsad; the body is the capture named by its SHA-256.",
        },
    )
    info.rec_headers.replace_header("WARC-Date", date)
    info.rec_headers.replace_header("WARC-Record-ID", _record_id(fetch, "warcinfo"))
    writer.write_record(info)

    headers = [
        (name, value)
        for name, values in sorted(fetch.headers.items())
        if name.lower() not in _TRANSPORT
        for value in values
    ]
    headers.append(("Content-Length", str(len(body))))
    response_id = _record_id(fetch, "response")
    response = writer.create_warc_record(
        fetch.final_url,
        "response",
        payload=BytesIO(body),
        # A known length keeps warcio from buffering through a temporary file.
        length=len(body),
        http_headers=StatusAndHeaders(_status_line(fetch.status), headers, protocol="HTTP/1.1"),
        warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": response_id},
    )
    writer.write_record(response)

    provenance = {
        "request_url": fetch.url,
        "final_url": fetch.final_url,
        "redirects": list(fetch.redirects),
        "status": fetch.status,
        "headers_as_served": fetch.headers,
        "fetched_at": date,
        "capture_sha256": fetch.sha256,
        "marsad_version": fetch.marsad_version,
    }
    described = json.dumps(provenance, ensure_ascii=False, sort_keys=True).encode()
    metadata = writer.create_warc_record(
        fetch.final_url,
        "metadata",
        payload=BytesIO(described),
        length=len(described),
        warc_content_type="application/json",
        warc_headers_dict={
            "WARC-Date": date,
            "WARC-Record-ID": _record_id(fetch, "metadata"),
            "WARC-Concurrent-To": response_id,
        },
    )
    writer.write_record(metadata)
    return out.getvalue()
