"""The daily digest: incidents new since the last digest, by type and district, with links, and
reviewed incidents updated since (a new source or a changed claim), each with its status.

Each digest covers the time since the previous one ended (the first: the last 24 hours) and is
written as Markdown and HTML under `<data dir>/digests/`, and sent by SMTP when a server and
recipients are configured (`MARSAD_SMTP_*`, `MARSAD_DIGEST_TO`). It names incidents by number,
type, place, date and counts, never by headline or text: a digest travels by email, and what
victims' names appear in stays behind the triage UI's login. Place names come from the NLP's
reading of hostile pages, so both formats escape them.
"""

from __future__ import annotations

import html
import logging
import os
import re
import smtplib
import ssl
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from triage.filters import TYPES

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path

    from storage import Store

logger = logging.getLogger(__name__)

FIRST_WINDOW = timedelta(hours=24)
UNPLACED = "district not known"
SECURITY = ("starttls", "ssl", "none")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#|~])")


class DigestError(ValueError):
    """Digest configuration that cannot work, said plainly."""


@dataclass(frozen=True, slots=True)
class Mail:
    """Where digests are sent: all from the environment, so no secret sits in a file of ours."""

    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    security: str = "starttls"
    user: str | None = None
    password: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Mail | None:
        """`MARSAD_SMTP_HOST` and `MARSAD_DIGEST_TO` switch sending on; None leaves it off."""
        env = os.environ if env is None else env
        host = env.get("MARSAD_SMTP_HOST", "").strip()
        recipients = tuple(
            r.strip() for r in env.get("MARSAD_DIGEST_TO", "").split(",") if r.strip()
        )
        if not host and not recipients:
            return None
        if not host or not recipients:
            raise DigestError("set both MARSAD_SMTP_HOST and MARSAD_DIGEST_TO to send digests")
        security = env.get("MARSAD_SMTP_SECURITY", "starttls").strip().lower()
        if security not in SECURITY:
            raise DigestError(f"MARSAD_SMTP_SECURITY must be one of {', '.join(SECURITY)}")
        default_port = {"starttls": 587, "ssl": 465, "none": 25}[security]
        port_text = env.get("MARSAD_SMTP_PORT", "").strip()
        if port_text and not port_text.isdigit():
            raise DigestError(f"MARSAD_SMTP_PORT must be a number, not {port_text!r}")
        user = env.get("MARSAD_SMTP_USER") or None
        password = env.get("MARSAD_SMTP_PASSWORD") or None
        if password and security == "none" and host not in ("localhost", "127.0.0.1", "::1"):
            raise DigestError(
                "refusing to send the SMTP password unencrypted: set MARSAD_SMTP_SECURITY "
                "to starttls or ssl"
            )
        return cls(
            host=host,
            port=int(port_text) if port_text else default_port,
            sender=env.get("MARSAD_SMTP_FROM", "").strip() or user or f"marsad@{host}",
            recipients=recipients,
            security=security,
            user=user,
            password=password,
        )


@dataclass(frozen=True, slots=True)
class Digest:
    since: datetime
    until: datetime
    base_url: str
    incidents: list[dict[str, Any]]
    quiet_sources: list[str] = field(default_factory=list)
    # Reviewed incidents that gained a source or a changed claim since the last digest.
    updated: list[dict[str, Any]] = field(default_factory=list)
    # The custody log's head when the digest was made: a copy that leaves the machine, for
    # `marsad verify --head` to check the log against later.
    custody_head: dict[str, Any] | None = None

    @property
    def head_line(self) -> str | None:
        head = self.custody_head
        if head is None:
            return None
        return (
            f"Custody log head: {head['entries']} entries; check it later with "
            f"`marsad verify --head {head['id']}:{head['entry_hash']}`"
        )

    def groups(self) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """Incidents by main type (gravest first), then by district in alphabetical order."""
        grouped: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
        for incident in self.incidents:
            grouped[main_type(incident)][incident.get("admin1") or UNPLACED].append(incident)
        return {
            kind: {district: by_district[district] for district in sorted(by_district)}
            for kind, by_district in sorted(grouped.items(), key=lambda g: _rank(g[0]))
        }

    def link(self, incident_id: int) -> str:
        return f"{self.base_url}/incidents/{incident_id}"

    def group_link(self, kind: str, district: str) -> str:
        query: dict[str, str] = {"status": "all", "type": kind}
        if district != UNPLACED:
            query["district"] = district
        return f"{self.base_url}/?{urlencode(query)}"

    @property
    def subject(self) -> str:
        count = len(self.incidents)
        noun = "incident" if count == 1 else "incidents"
        updated = f", {len(self.updated)} updated" if self.updated else ""
        return f"Marsad digest {self.until.astimezone(UTC):%Y-%m-%d}: {count} new {noun}{updated}"


def build(
    store: Store, *, base_url: str, until: datetime | None = None, since: datetime | None = None
) -> Digest:
    """The digest of incidents clustered after the last digest (or `since`) up to `until`."""
    until = until or datetime.now(UTC)
    if since is None:
        last = store.last_digest()
        since = last["until"] if last else until - FIRST_WINDOW
    assert since is not None
    quiet = sorted(name for name, h in store.source_health().items() if h["flagged"])
    incidents = store.new_incidents(since, until)
    updated = store.updated_incidents(since, until)
    # Types, date and place on the incident already carry an analyst's correction; counts are
    # read from the candidates, so an analyst's count replaces them here.
    corrected = store.incident_corrections([int(i["id"]) for i in incidents + updated])
    for incident in incidents + updated:
        for name, correction in corrected.get(int(incident["id"]), {}).items():
            if name in ("killed", "injured", "abducted", "detained"):
                incident[name] = correction["value"]
    return Digest(
        since=since,
        until=until,
        base_url=base_url.rstrip("/"),
        incidents=incidents,
        quiet_sources=quiet,
        updated=updated,
        custody_head=store.custody_head(),
    )


def _rank(kind: str) -> tuple[int, str]:
    return (TYPES.index(kind) if kind in TYPES else len(TYPES), kind)


def main_type(incident: Mapping[str, Any]) -> str:
    """The type an incident is filed under: the gravest of its types, in the triage UI's order."""
    types = [str(t) for t in incident.get("types") or []]
    return min(types, key=_rank) if types else "unclassified"


def _label(kind: str) -> str:
    return kind.replace("_", " ")


def _place(incident: Mapping[str, Any], escape: Callable[[str], str]) -> str:
    names = [incident.get("location_name"), incident.get("location_name_ar")]
    return " / ".join(escape(str(n)) for n in names if n) or "place not known"


def _when(incident: Mapping[str, Any]) -> str:
    start, end = incident.get("date_start"), incident.get("date_end")
    if start and end and start != end:
        return f"{start} to {end}"
    return str(start or end or "date not known")


def _counts(incident: Mapping[str, Any]) -> str:
    parts = [
        f"{incident[key]} {key}"
        for key in ("killed", "injured", "abducted", "detained")
        if isinstance(incident.get(key), int)
    ]
    return ", ".join(parts)


def _line_parts(
    incident: Mapping[str, Any],
    escape: Callable[[str], str],
    name: Callable[[str], str] | None = None,
) -> list[str]:
    """The facts of one incident, its review status first, each part through `escape`; the
    place's names (read from scraped pages) through `name`, one at a time."""
    facts = [_when(incident)]
    counts = _counts(incident)
    if counts:
        facts.append(counts)
    others = [_label(t) for t in incident.get("types") or [] if t != main_type(incident)]
    if others:
        facts.append("also " + ", ".join(others))
    sources = incident.get("documents") or 0
    facts.append(f"{sources} source{'s' if sources != 1 else ''}")
    facts.append(f"confidence {float(incident.get('confidence') or 0):.2f}")
    status = escape(str(incident.get("status") or "new").replace("_", " "))
    return [status, _place(incident, name or escape), *map(escape, facts)]


def _md(text: str) -> str:
    """Text as literal Markdown: no markup, no links, no line breaks of its own."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _window(digest: Digest) -> str:
    since, until = digest.since.astimezone(UTC), digest.until.astimezone(UTC)
    return f"{since:%Y-%m-%d %H:%M} to {until:%Y-%m-%d %H:%M} UTC"


def markdown(digest: Digest) -> str:
    lines = [f"# {digest.subject}", "", f"New since the last digest: {_window(digest)}.", ""]
    if not digest.incidents:
        lines += ["No new incidents.", ""]
    for kind, districts in digest.groups().items():
        total = sum(len(v) for v in districts.values())
        lines += [f"## {_md(_label(kind))} ({total})", ""]
        for district, incidents in districts.items():
            link = digest.group_link(kind, district)
            lines += [f"### [{_md(district)}]({link}) ({len(incidents)})", ""]
            for incident in incidents:
                number = int(incident["id"])
                details = "; ".join(_line_parts(incident, _md))
                lines.append(f"- [Incident {number}]({digest.link(number)}): {details}")
            lines.append("")
    if digest.updated:
        lines += [f"## Updated since review ({len(digest.updated)})", ""]
        for incident in digest.updated:
            number = int(incident["id"])
            details = "; ".join([_md(_label(main_type(incident))), *_line_parts(incident, _md)])
            lines.append(f"- [Incident {number}]({digest.link(number)}): {details}")
        lines.append("")
    if digest.quiet_sources:
        lines += ["## Sources that stopped yielding articles", ""]
        lines += [f"- {_md(name)}" for name in digest.quiet_sources]
        lines.append("")
    lines.append(f"Triage queue: {digest.base_url}/")
    if digest.head_line:
        lines += ["", digest.head_line]
    return "\n".join(lines) + "\n"


def _isolated(text: str) -> str:
    """Scraped text for HTML: escaped, and isolated from its neighbours' direction."""
    return f"<bdi>{html.escape(text)}</bdi>"


def render_html(digest: Digest) -> str:
    e = html.escape
    out = [
        '<!DOCTYPE html>\n<html lang="en" dir="ltr"><head><meta charset="utf-8">',
        f"<title>{e(digest.subject)}</title></head><body>",
        f"<h1>{e(digest.subject)}</h1>",
        f"<p>New since the last digest: {e(_window(digest))}.</p>",
    ]
    if not digest.incidents:
        out.append("<p>No new incidents.</p>")
    for kind, districts in digest.groups().items():
        total = sum(len(v) for v in districts.values())
        out.append(f"<h2>{e(_label(kind))} ({total})</h2>")
        for district, incidents in districts.items():
            link = e(digest.group_link(kind, district))
            out.append(
                f'<h3><a href="{link}"><bdi>{e(district)}</bdi></a> ({len(incidents)})</h3><ul>'
            )
            for incident in incidents:
                number = int(incident["id"])
                # Each value isolated: an Arabic name beside digits and semicolons would
                # otherwise pull them into its right-to-left run and scramble the line.
                details = "; ".join(
                    f"<bdi>{part}</bdi>" for part in _line_parts(incident, e, _isolated)
                )
                out.append(
                    f'<li><a href="{e(digest.link(number))}">Incident {number}</a>: {details}</li>'
                )
            out.append("</ul>")
    if digest.updated:
        out.append(f"<h2>Updated since review ({len(digest.updated)})</h2><ul>")
        for incident in digest.updated:
            number = int(incident["id"])
            details = "; ".join(
                f"<bdi>{part}</bdi>"
                for part in [e(_label(main_type(incident))), *_line_parts(incident, e, _isolated)]
            )
            out.append(
                f'<li><a href="{e(digest.link(number))}">Incident {number}</a>: {details}</li>'
            )
        out.append("</ul>")
    if digest.quiet_sources:
        out.append("<h2>Sources that stopped yielding articles</h2><ul>")
        out += [f"<li>{e(name)}</li>" for name in digest.quiet_sources]
        out.append("</ul>")
    out.append(f'<p><a href="{e(digest.base_url)}/">Triage queue</a></p>')
    if digest.head_line:
        out.append(f"<p><small>{e(digest.head_line)}</small></p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def send(mail: Mail, digest: Digest, text: str, page: str) -> None:
    """Send the digest (plain text with an HTML alternative); raises on any SMTP failure."""
    message = EmailMessage()
    message["Subject"] = digest.subject
    message["From"] = mail.sender
    message["To"] = ", ".join(mail.recipients)
    message.set_content(text)
    message.add_alternative(page, subtype="html")
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if mail.security == "ssl":
        client = smtplib.SMTP_SSL(mail.host, mail.port, timeout=30, context=context)
    else:
        client = smtplib.SMTP(mail.host, mail.port, timeout=30)
    with client:
        if mail.security == "starttls":
            client.starttls(context=context)
        if mail.user and mail.password:
            client.login(mail.user, mail.password)
        client.send_message(message)


@dataclass(frozen=True, slots=True)
class Written:
    digest_id: int
    incidents: int
    markdown_path: Path
    html_path: Path
    sent_to: tuple[str, ...]
    send_error: str | None


def make(store: Store, data_dir: Path, *, base_url: str, mail: Mail | None = None) -> Written:
    """Build, write, (send) and record the next digest. Blocking: run it off the event loop."""
    digest = build(store, base_url=base_url)
    folder = data_dir / "digests"
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"digest-{digest.until.astimezone(UTC):%Y%m%dT%H%M%S}"
    text, page = markdown(digest), render_html(digest)
    md_path, html_path = folder / f"{stem}.md", folder / f"{stem}.html"
    md_path.write_text(text, encoding="utf-8")
    html_path.write_text(page, encoding="utf-8")
    sent_to: tuple[str, ...] = ()
    error = None
    if mail is not None:
        try:
            send(mail, digest, text, page)
            sent_to = mail.recipients
        except (OSError, smtplib.SMTPException) as exc:
            # The files are written and recorded either way; the failure is named, not hidden.
            error = f"{type(exc).__name__}: {exc}"
            logger.error("Digest not sent through %s:%d: %s", mail.host, mail.port, error)
    tsa = os.environ.get("MARSAD_TSA_URL", "").strip()
    if tsa and digest.custody_head is not None:
        from preserve.timestamp import TimestampError, stamp

        try:
            saved = stamp(tsa, digest.custody_head, data_dir)
            logger.info("Custody head %s timestamped: %s", digest.custody_head["id"], saved)
        except TimestampError as exc:
            # The digest is written and recorded either way; the next one tries again.
            logger.error("Custody head not timestamped: %s", exc)
    digest_id = store.record_digest(
        since=digest.since,
        until=digest.until,
        incidents=len(digest.incidents),
        html_path=str(html_path),
        markdown_path=str(md_path),
        sent_to=sent_to,
        send_error=error,
    )
    logger.info("Digest %d: %d new incidents, %s", digest_id, len(digest.incidents), md_path)
    return Written(digest_id, len(digest.incidents), md_path, html_path, sent_to, error)
