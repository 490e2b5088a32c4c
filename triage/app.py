"""The triage web UI: an ASGI app (Starlette, server-rendered Jinja2 templates, a little JS).

    create_app(store_or_factory, *, token=None, data_dir=None) -> Starlette

`marsad serve` mounts it in the process that owns the database. Everything shown comes from
scraped pages and is hostile: templates autoescape, links are shown only for http(s) URLs,
captures download as `application/octet-stream` attachments and are never rendered, and a strict
Content-Security-Policy (scripts and styles from this app only, nothing inline) means markup that
slipped through would still not run. Every page needs a signed-in account (`triage.accounts`):
viewers read and export, analysts and admins also act, and the audit log names the account.
State-changing POSTs need the CSRF token of the session itself. `MARSAD_TOKEN`, when set, lets
machines read and export with an `Authorization: Bearer` or `X-Marsad-Token` header.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import os
import re
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from incidents import claims, corrections, workflow
from storage import CaptureFiles, disk
from storage import facets as facet_counts
from storage.incidents import STATUSES, IncidentFilter, updated_since_review
from triage import (
    accounts,
    actors_view,
    bulk,
    exports,
    facets,
    filters,
    highlight,
    i18n,
    mapdata,
    mapview,
    trends,
    upload,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from storage import Store

HERE = Path(__file__).resolve().parent
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SESSION_COOKIE = "marsad_session"
# Over TLS the session cookie is `__Host-` prefixed: only this origin, over HTTPS, can set it.
TLS_SESSION_COOKIE = "__Host-marsad_session"
CSRF_COOKIE = "marsad_csrf"
# Who a machine with the shared token is, in the custody log.
TOKEN_ACCOUNT = accounts.Account("api-token", "viewer")
STATUS_LABELS = {
    "new": "new",
    "in_review": "in review",
    "confirmed": "confirmed",
    "rejected": "rejected",
    "duplicate": "duplicate",
    "sent": "sent to verification",
}
OPEN_PATHS = ("/login", "/static/")
MAX_EXPORTS = 1
EXPORT_PREFIX = ".export-"
STALE_EXPORT_SECONDS = 24 * 3600


def safe_url(url: Any) -> str | None:
    """`url` if it is an http(s) URL a link may point at, else None (shown as text only)."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _local_path(target: str | None, default: str) -> str:
    """A redirect target inside this app only (no scheme, no host, no `//`)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def _clear_stale_exports(data_dir: Path) -> None:
    """Exports whose download was cut short before the file could be removed."""
    for left in data_dir.glob(f"{EXPORT_PREFIX}*"):
        with contextlib.suppress(OSError):
            if time.time() - left.stat().st_mtime > STALE_EXPORT_SECONDS:
                left.unlink()


def _name(value: str | None) -> str | None:
    if not value:
        return None
    cleaned = re.sub(r"[^\w .@-]", "", value, flags=re.UNICODE).strip()[:60]
    return cleaned or None


def _session_cookie(scope: Scope) -> str:
    return TLS_SESSION_COOKIE if scope.get("scheme") == "https" else SESSION_COOKIE


class Guard:
    """ASGI middleware: who is asking (session, or the machine token), the CSRF token, and
    security headers on every response."""

    def __init__(self, app: ASGIApp, token: str | None, sessions: accounts.Sessions) -> None:
        self.app = app
        self.token = token
        self.sessions = sessions

    def _machine(self, request: Request) -> bool:
        if self.token is None:
            return False
        presented = [
            request.headers.get("x-marsad-token", ""),
            request.headers.get("authorization", "").removeprefix("Bearer ").strip(),
        ]
        return any(p and hmac.compare_digest(p, self.token) for p in presented)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        state = scope.setdefault("state", {})
        session = self.sessions.get(request.cookies.get(_session_cookie(scope)))
        fresh_csrf = None
        if session is not None:
            # Tied to the session: a CSRF cookie planted from another port is never read.
            state["account"], csrf = session.account, session.csrf
        else:
            state["account"] = TOKEN_ACCOUNT if self._machine(request) else None
            # Before login, the login form's own token is a cookie it is checked against.
            csrf = request.cookies.get(CSRF_COOKIE) or ""
            if not re.fullmatch(r"[A-Za-z0-9_-]{32,64}", csrf):
                csrf = fresh_csrf = secrets.token_urlsafe(32)
        state["csrf"] = csrf
        response: Response | None = None
        path = scope["path"]
        if state["account"] is None and not path.startswith(OPEN_PATHS):
            if request.method == "GET" and "text/html" in request.headers.get("accept", ""):
                response = RedirectResponse(
                    "/login?" + urlencode({"next": request.url.path}), status_code=303
                )
            else:
                response = PlainTextResponse("authentication required", status_code=401)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["content-security-policy"] = CSP
                headers["x-content-type-options"] = "nosniff"
                headers["x-frame-options"] = "DENY"
                # Not `no-referrer`: under it a browser names the origin of its own form posts
                # `null`, and the origin guard (rightly) refuses those. Other sites still get no
                # referrer.
                headers["referrer-policy"] = "same-origin"
                headers["cross-origin-opener-policy"] = "same-origin"
                headers.setdefault("cache-control", "no-store")
                if fresh_csrf:
                    secure = "; Secure" if scope.get("scheme") == "https" else ""
                    headers.append(
                        "set-cookie",
                        f"{CSRF_COOKIE}={fresh_csrf}; Path=/; HttpOnly; SameSite=Strict{secure}",
                    )
            await send(message)

        if response is not None:
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


@dataclass
class Context:
    """What the handlers share: how to reach the store, the captures, sessions and logins."""

    store_of: Callable[[], Store]
    data_dir: Path
    token: str | None
    sessions: accounts.Sessions
    # Per client address and per account name: 10 failed logins in 5 minutes, then wait.
    throttle: accounts.Throttle

    @staticmethod
    def account(request: Request) -> accounts.Account:
        found = request.state.account
        assert isinstance(found, accounts.Account), "the guard lets no anonymous request here"
        return found

    def actor(self, request: Request) -> str:
        return self.account(request).name


async def _form(request: Request) -> dict[str, str]:
    """The POSTed form, once its CSRF token has been checked against the session's own."""
    form = await request.form()
    sent = form.get("csrf")
    expected = request.state.csrf
    if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent, expected):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def create_app(
    store: Store | Callable[[], Store],
    *,
    token: str | None = None,
    data_dir: Path | None = None,
) -> Starlette:
    """The triage app over `store` (or a callable returning the process's store)."""
    if token is not None and not token:
        raise ValueError("an empty token would let anyone in")
    store_of: Callable[[], Store] = store if callable(store) else (lambda: store)
    resolved_dir = data_dir
    if resolved_dir is None:
        resolved_dir = store_of().path.parent
    sessions = accounts.Sessions()
    ctx = Context(
        store_of, resolved_dir, token, sessions, accounts.Throttle(limit=10, window=300.0)
    )
    # Exports at once: each reads its whole selection; more wait their turn (503, try again).
    exporting = asyncio.Semaphore(MAX_EXPORTS)
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.globals["STATUS_LABELS"] = STATUS_LABELS
    env.globals["STATUSES"] = STATUSES
    env.globals["TYPES"] = filters.TYPES
    env.globals["TRANSITIONS"] = workflow.TRANSITIONS
    env.globals["REJECT_REASONS"] = workflow.REJECT_REASONS
    env.globals["DUPLICATE_REASONS"] = workflow.DUPLICATE_REASONS
    i18n.install(env)
    templates = Jinja2Templates(env=env)

    def page(request: Request, name: str, status_code: int = 200, **values: Any) -> Response:
        account = request.state.account
        values["account"] = account
        values["can_edit"] = account is not None and account.can_edit
        values.setdefault("undo_offer", None)
        # Where the page's forms come back to, without the one-time outcome of the last post.
        rest = [
            (k, v)
            for k, v in request.query_params.multi_items()
            if k not in ("done", "changed", "refused")
        ]
        values["here"] = request.url.path + ("?" + urlencode(rest) if rest else "")
        values["lang"] = i18n.choose(
            account.language if account is not None else None,
            request.cookies.get(i18n.LANGUAGE_COOKIE),
            request.headers.get("accept-language"),
        )
        values["keys_on"] = request.cookies.get(i18n.KEYS_COOKIE) != "off"
        values["csrf"] = request.state.csrf
        room = disk.space(ctx.data_dir)
        values["disk_warning"] = room.warning() if room is not None else None
        return templates.TemplateResponse(request, name, values, status_code=status_code)

    async def call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        # DuckDB calls block: keep them off the event loop the crawler and scheduler share.
        return await run_in_threadpool(fn, *args, **kwargs)

    def updated_count() -> int:
        return ctx.store_of().incident_count(IncidentFilter(updated=True))

    def undo_offer(request: Request) -> dict[str, Any] | None:
        """The action just done (`?done=` after a redirect), if it can still be undone."""
        done = _int(request.query_params.get("done"))
        if done is None:
            return None
        s = ctx.store_of()
        entry = s.audit_entry(done)
        if entry is None:
            return None
        last = workflow.undoable(s, int(entry["incident_id"]))
        return entry if last is not None and int(last["id"]) == done else None

    async def queue(request: Request) -> Response:
        where = filters.parse(request.query_params)
        order = filters.order(request.query_params)
        number = max(1, _int(request.query_params.get("page")) or 1)
        size = 100

        def load() -> tuple[list[dict[str, Any]], int, dict[str, list[tuple[str, int]]], int]:
            s = ctx.store_of()
            rows, total = s.incident_page(where, order=order, size=size, number=number)
            # Documents not indexed yet are searched all the same, only slowly: say so.
            unindexed = s.search_pending() if where.text else 0
            return rows, total, facet_counts.counts(s, where), unindexed

        rows, total, counted, unindexed = await call(load)
        updated = await call(updated_count)
        offer = await call(undo_offer, request)
        chosen = dict(where.facets) | {"status": where.statuses, "type": where.types}
        params = request.query_params
        return page(
            request,
            "queue.html",
            incidents=rows,
            total=total,
            page_number=number,
            pages=max(1, -(-total // size)),
            facets={
                key: facets.values(params, key, found, chosen.get(key, ()))
                for key, found in counted.items()
            },
            facet_labels=facets.LABELS,
            chips=facets.chips(params),
            columns=[
                (label, key, facets.sort_url(params, key, order)) for label, key in facets.COLUMNS
            ],
            me=ctx.actor(request),
            bulk_done=_int(params.get("changed")),
            bulk_refused=params.getlist("refused")[:20],
            mine=facets.toggled(params, "assignee", ctx.actor(request)),
            where=where,
            order=order,
            query=filters.query_string(request.query_params),
            params=request.query_params,
            undo_offer=offer,
            updated_count=updated,
            unindexed=unindexed,
        )

    async def incident(request: Request) -> Response:
        incident_id = int(request.path_params["incident_id"])
        query = filters.query_string(request.query_params)

        def load() -> dict[str, Any] | None:
            s = ctx.store_of()
            row = s.incident(incident_id)
            if row is None:
                return None
            sources = s.incident_sources(incident_id)
            fixed = s.incident_corrections([incident_id]).get(incident_id, {})
            last = workflow.undoable(s, incident_id)
            return {
                "updated_count": updated_count(),
                "is_updated": updated_since_review(row),
                "incident": row,
                "undo_offer": undo_offer(request),
                "undo_entry": None if last is None else int(last["id"]),
                "sources": sources,
                "facts": corrections.facts(row, sources, fixed),
                "audit": s.incident_audit(incident_id),
                "neighbours": s.incident_neighbours(
                    incident_id,
                    filters.parse(request.query_params),
                    order=filters.order(request.query_params),
                ),
            }

        found = await call(load)
        if found is None:
            raise HTTPException(404, f"no incident {incident_id}")
        before, after = found.pop("neighbours")
        suffix = f"?{query}" if query else ""
        prev_url = None if before is None else f"/incidents/{before}{suffix}"
        next_url = None if after is None else f"/incidents/{after}{suffix}"
        for source in found["sources"]:
            source["segments"] = highlight.segments(
                source["text"] or "", (source["finding"] or {}).get("evidence") or []
            )
        listed = claims.for_review(found["sources"])
        # Each claim links to the sentence of each document that states it.
        cited: dict[tuple[str, str, int], str] = {}
        for source in found["sources"]:
            if source["superseded_at"] is not None:
                continue
            document = int(source["document_id"])
            for claim in listed:
                for value, docs in claim.values.items():
                    if document not in docs:
                        continue
                    index = highlight.cited(
                        source["text"] or "",
                        (source["finding"] or {}).get("evidence") or [],
                        claims.cues(claim.name, source),
                    )
                    if index is not None:
                        cited.setdefault((claim.name, value, document), f"ev-{document}-{index}")
        return page(
            request,
            "incident.html",
            **found,
            claims=listed,
            cited=cited,
            query=query,
            suffix=suffix,
            prev_url=prev_url,
            next_url=next_url,
            self_url=f"/incidents/{incident_id}{suffix}",
        )

    async def act(request: Request) -> Response:
        incident_id = int(request.path_params["incident_id"])
        action = request.path_params["action"]
        form = await _form(request)
        if not ctx.account(request).can_edit:
            raise HTTPException(403, "a viewer account cannot change incidents")
        listed = await request.form()
        cleared = [v for v in listed.getlist("clear") if v in corrections.FIELDS]
        split_off = [
            n
            for v in listed.getlist("document")
            if isinstance(v, str) and (n := _int(v)) is not None
        ]
        who = ctx.actor(request)
        reason = (form.get("reason") or "").strip()[:1000] or None

        def apply() -> int | None:
            """The action's audit entry when it can be undone, else None."""
            s = ctx.store_of()
            if action == "status":
                return workflow.change_status(
                    s,
                    incident_id,
                    form.get("status", ""),
                    actor=who,
                    reason_code=form.get("why") or None,
                    reason=reason,
                )
            if action == "merge":
                return workflow.mark_duplicate(
                    s,
                    incident_id,
                    _int(form.get("target")),
                    actor=who,
                    reason_code=form.get("why") or None,
                    reason=reason,
                )
            if action == "unmerge":
                workflow.unmerge(s, incident_id, actor=who, reason=reason)
            elif action == "split":
                new_id = workflow.split_documents(
                    s, incident_id, split_off, actor=who, reason=reason
                )
                form["next"] = f"/incidents/{new_id}"
            elif action == "undo":
                entry = _int(form.get("entry"))
                if entry is None:
                    raise ValueError("which history entry?")
                workflow.undo(s, entry, actor=who)
            elif action == "assign":
                assignee = who if form.get("me") else _name(form.get("assignee"))
                s.set_incident_field(incident_id, "assignee", assignee, actor=who, reason=reason)
            elif action == "notes":
                notes = (form.get("notes") or "").strip()[:20000] or None
                s.set_incident_field(incident_id, "notes", notes, actor=who, reason=reason)
            elif action == "tags":
                tags = [t.strip()[:40] for t in (form.get("tags") or "").split(",")]
                s.set_incident_field(incident_id, "tags", tags, actor=who, reason=reason)
            elif action == "correct":
                if not reason:
                    raise ValueError("say why you correct the machine (kept in the history)")
                texts = {name: form[name] for name in corrections.FIELDS if name in form}
                corrections.apply_form(
                    s, incident_id, texts, clear=cleared, actor=who, reason=reason
                )
            elif action == "acknowledge":
                s.acknowledge_new_sources(incident_id, actor=who)
            else:
                raise HTTPException(404, "no such action")
            return None

        try:
            entry = await call(apply)
        except KeyError as exc:
            raise HTTPException(404, f"no incident {incident_id}") from exc
        except ValueError as exc:
            if action == "merge":
                # Back to the check of the target, with what the analyst typed and why not.
                return await duplicate_page(request, incident_id, form, str(exc))
            raise HTTPException(400, str(exc)) from exc
        target = form.get("next")
        if action == "status" and form.get("status") not in ("confirmed", "rejected", "sent"):
            # Only a decision moves on to the next incident; other changes stay on this one.
            target = form.get("back") or target
        target = _local_path(target, f"/incidents/{incident_id}")
        if entry is not None:
            # The next page offers to undo it for a few seconds.
            target += ("&" if "?" in target else "?") + urlencode({"done": entry})
        return RedirectResponse(target, status_code=303)

    async def duplicate_page(
        request: Request, incident_id: int, typed: dict[str, str], error: str | None = None
    ) -> Response:
        """The check before a duplicate mark: what the target is (type, place, date, headline,
        status), or why it cannot be one, with what the analyst typed kept."""

        def load() -> tuple[dict[str, Any] | None, dict[str, Any] | None, str | None]:
            s = ctx.store_of()
            here = s.incident(incident_id)
            if here is None:
                return None, None, error
            try:
                found = workflow.check_duplicate(s, incident_id, _int(typed.get("target")))
            except ValueError as exc:
                return here, None, error or str(exc)
            return here, found, error

        here, target, problem = await call(load)
        if here is None:
            raise HTTPException(404, f"no incident {incident_id}")
        return page(
            request,
            "duplicate.html",
            status_code=200 if problem is None else 400,
            incident=here,
            target=target,
            error=problem,
            typed=typed,
            next_url=_local_path(typed.get("next"), f"/incidents/{incident_id}"),
        )

    async def duplicate(request: Request) -> Response:
        incident_id = int(request.path_params["incident_id"])
        typed = {
            k: v
            for k, v in request.query_params.items()
            if k in ("target", "why", "reason", "next")
        }
        return await duplicate_page(request, incident_id, typed)

    async def bulk_action(request: Request) -> Response:
        form = await _form(request)
        if not ctx.account(request).can_edit:
            raise HTTPException(403, "a viewer account cannot change incidents")
        listed = await request.form()
        ids = [n for v in listed.getlist("id") if isinstance(v, str) and (n := _int(v)) is not None]
        who = ctx.actor(request)
        action, _, preset = (form.get("action") or "").partition(":")
        value: str | None = preset or (form.get("value") or "").strip()[:60] or None
        if action == "assign":
            value = who if value == "me" else _name(value)
        reason = (form.get("reason") or "").strip()[:1000] or None
        try:
            done, refused = await call(
                bulk.apply,
                ctx.store_of(),
                ids,
                action,
                value,
                actor=who,
                reason_code=form.get("why") or None,
                reason=reason,
            )
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from exc
        target = _local_path(form.get("next"), "/")
        said = [("changed", str(done))] + [("refused", f"{i}: {why}") for i, why in refused[:20]]
        return RedirectResponse(
            target + ("&" if "?" in target else "?") + urlencode(said), status_code=303
        )

    async def capture(request: Request) -> Response:
        document_id = int(request.path_params["document_id"])

        def load() -> tuple[str, bytes] | None:
            s = ctx.store_of()
            doc = s.document(document_id)
            if doc is None:
                return None
            sha256 = str(doc["capture_sha256"])
            body = CaptureFiles(ctx.data_dir / "captures").get(sha256)
            s.log_custody(
                "read", [sha256], actor=ctx.actor(request), detail={"via": "triage download"}
            )
            return sha256, body

        try:
            found = await call(load)
        except FileNotFoundError as exc:
            raise HTTPException(410, "the capture file is missing (run `marsad verify`)") from exc
        if found is None:
            raise HTTPException(404, f"no document {document_id}")
        sha256, body = found
        # Never rendered by the browser: a download of the exact bytes, named by their hash.
        return Response(
            body,
            media_type="application/octet-stream",
            headers={
                "content-disposition": f'attachment; filename="capture-{sha256}.bin"',
                "x-capture-sha256": sha256,
            },
        )

    async def map_view(request: Request) -> Response:
        where = filters.parse(request.query_params)
        params = request.query_params
        query = filters.query_string(params)
        win = mapview.window(params.get("zoom"), params.get("x"), params.get("y"))
        drawn = await call(mapview.view, ctx.store_of(), where, win, query)
        return page(
            request,
            "map.html",
            geo=mapdata.load(),
            win=win,
            drawn=drawn,
            query=query,
            where=where,
            params=params,
            order=filters.order(params),
            columns=[],
            chips=facets.chips(params),
        )

    async def trends_view(request: Request) -> Response:
        where = filters.parse(request.query_params)
        params = request.query_params

        def load() -> list[tuple[str, dict[str, Any]]]:
            s = ctx.store_of()
            return [(by, trends.chart(s, where, by)) for by in ("type", "district")]

        return page(
            request,
            "trends.html",
            charts=await call(load),
            query=filters.query_string(params),
            params=params,
            order=filters.order(params),
            columns=[],
            chips=facets.chips(params),
        )

    async def export(request: Request) -> Response:
        kind = request.query_params.get("format", "csv")
        if kind not in exports.FORMATS:
            raise HTTPException(400, f"unknown format {kind!r}")
        if kind in exports.LOGGED and request.method != "POST":
            # It writes custody entries: a link followed from anywhere must not.
            raise HTTPException(
                405, f"a {kind} export is recorded in the custody log: use its button"
            )
        if request.method == "POST":
            await _form(request)
        if exporting.locked():
            raise HTTPException(503, "another export is being built: try again when it is done")
        where = filters.parse(request.query_params)
        order = filters.order(request.query_params)
        who = ctx.actor(request)

        def build() -> Path:
            # Written to the data directory's disk and streamed from there, never held in memory.
            _clear_stale_exports(ctx.data_dir)
            fd, name = tempfile.mkstemp(dir=ctx.data_dir, prefix=EXPORT_PREFIX)
            try:
                with os.fdopen(fd, "wb") as out:
                    exports.export(
                        ctx.store_of(), ctx.data_dir, where, kind, out, order=order, actor=who
                    )
            except BaseException:
                Path(name).unlink(missing_ok=True)
                raise
            return Path(name)

        async with exporting:
            try:
                built = await call(build)
            except exports.ExportError as exc:
                raise HTTPException(409, str(exc)) from exc
        _, media = exports.FORMATS[kind]
        selection = [(k, v) for k in filters.KEYS for v in request.query_params.getlist(k)]
        name = exports.file_name(kind, selection)
        return FileResponse(
            built,
            media_type=media,
            filename=name,
            background=BackgroundTask(built.unlink, missing_ok=True),
        )

    async def login(request: Request) -> Response:
        target = _local_path(request.query_params.get("next"), "/")
        if request.method == "GET":
            anyone = await call(lambda: ctx.store_of().active_user_count() > 0)
            return page(request, "login.html", next_url=target, error=None, anyone=anyone)
        form = await _form(request)
        target = _local_path(form.get("next"), "/")
        name = (form.get("name") or "").strip()[:60]
        client = request.client.host if request.client else "?"
        keys = (f"client:{client}", f"name:{name.casefold()}")
        wait = ctx.throttle.wait(*keys)
        if wait > 0:
            minutes = max(1, round(wait / 60))
            return page(
                request,
                "login.html",
                status_code=429,
                next_url=target,
                anyone=True,
                error=f"too many failed logins: try again in {minutes} minute(s)",
            )
        found = await call(accounts.authenticate, ctx.store_of(), name, form.get("password") or "")
        if found is None:
            ctx.throttle.failed(*keys)
            return page(
                request,
                "login.html",
                status_code=401,
                next_url=target,
                anyone=True,
                error="wrong name or password (or the account is disabled)",
            )
        ctx.throttle.succeeded(*keys)
        token, _ = ctx.sessions.start(found)
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            _session_cookie(request.scope),
            token,
            max_age=accounts.SESSION_HOURS * 3600,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response

    async def logout(request: Request) -> Response:
        await _form(request)
        ctx.sessions.end(request.cookies.get(_session_cookie(request.scope)))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(_session_cookie(request.scope))
        return response

    async def preferences(request: Request) -> Response:
        """The analyst's language (kept on the account too) and whether single-key shortcuts
        work, kept in cookies."""
        form = await _form(request)
        response = RedirectResponse(_local_path(form.get("next"), "/"), status_code=303)
        year = 365 * 24 * 3600
        lang = i18n.language(form.get("lang"))
        account = ctx.account(request)
        if account is not TOKEN_ACCOUNT:
            await call(accounts.set_language, ctx.store_of(), ctx.sessions, account, lang)
        response.set_cookie(i18n.LANGUAGE_COOKIE, lang, max_age=year, samesite="strict")
        keys = "off" if form.get("keys") == "off" else "on"
        response.set_cookie(i18n.KEYS_COOKIE, keys, max_age=year, samesite="strict")
        return response

    async def not_found_or_bad(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return page(
            request,
            "error.html",
            status_code=exc.status_code,
            status=exc.status_code,
            message=exc.detail,
        )

    async def bad_filter(request: Request, exc: Exception) -> Response:
        return page(request, "error.html", status_code=400, status=400, message=str(exc))

    routes = [
        Route("/", queue),
        Route("/incidents/{incident_id:int}", incident),
        Route("/incidents/{incident_id:int}/duplicate", duplicate),
        Route("/incidents/{incident_id:int}/{action:str}", act, methods=["POST"]),
        Route("/bulk", bulk_action, methods=["POST"]),
        Route("/documents/{document_id:int}/capture", capture),
        Route("/map", map_view),
        Route("/trends", trends_view),
        *actors_view.routes(page, call, ctx.store_of),
        Route("/export", export, methods=["GET", "POST"]),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/preferences", preferences, methods=["POST"]),
        *upload.routes(ctx, page, call, _form),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        HTTPException: not_found_or_bad,
        filters.FilterError: bad_filter,
    }
    app = Starlette(routes=routes, exception_handlers=handlers)
    app.add_middleware(Guard, token=token, sessions=sessions)
    return app
