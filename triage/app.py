"""The triage web UI: an ASGI app (Starlette, server-rendered Jinja2 templates, a little JS).

    create_app(store_or_factory, *, token=None, actor=None, data_dir=None) -> Starlette

`marsad serve` mounts it in the process that owns the database. Everything shown comes from
scraped pages and is hostile: templates autoescape, links are shown only for http(s) URLs,
captures download as `application/octet-stream` attachments and are never rendered, and a strict
Content-Security-Policy (scripts and styles from this app only, nothing inline) means markup that
slipped through would still not run. With a token set, every request must carry it (header,
session cookie from the login form, or `?token=` once); state-changing POSTs need the CSRF token
of the analyst's own session cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from storage import CaptureFiles, search
from storage import facets as facet_counts
from storage.custody import current_actor
from storage.incidents import STATUSES
from triage import (
    bulk,
    claims,
    cluster,
    exports,
    facets,
    filters,
    highlight,
    i18n,
    mapdata,
    mapview,
    trends,
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
AUTH_COOKIE = "marsad_auth"
CSRF_COOKIE = "marsad_csrf"
ANALYST_COOKIE = "marsad_analyst"
STATUS_LABELS = {
    "new": "new",
    "in_review": "in review",
    "confirmed": "confirmed",
    "rejected": "rejected",
    "duplicate": "duplicate",
    "sent": "sent to verification",
}
OPEN_PATHS = ("/login", "/static/")


def _session_value(token: str) -> str:
    """What the auth cookie holds: derived from the token, so the token itself is never stored."""
    return hmac.new(token.encode("utf-8"), b"marsad-triage-session", hashlib.sha256).hexdigest()


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


def _analyst_name(value: str | None) -> str | None:
    if not value:
        return None
    cleaned = re.sub(r"[^\w .@-]", "", value, flags=re.UNICODE).strip()[:60]
    return cleaned or None


class Guard:
    """ASGI middleware: token check, CSRF cookie, and security headers on every response."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token

    def _authorised(self, request: Request) -> bool:
        if self.token is None:
            return True
        presented = [
            request.headers.get("x-marsad-token", ""),
            request.headers.get("authorization", "").removeprefix("Bearer ").strip(),
        ]
        if any(p and hmac.compare_digest(p, self.token) for p in presented):
            return True
        cookie = request.cookies.get(AUTH_COOKIE, "")
        return bool(cookie) and hmac.compare_digest(cookie, _session_value(self.token))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        csrf = request.cookies.get(CSRF_COOKIE)
        fresh_csrf = None
        if not csrf or not re.fullmatch(r"[A-Za-z0-9_-]{32,64}", csrf):
            csrf = fresh_csrf = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf"] = csrf
        set_auth = False
        response: Response | None = None
        path = scope["path"]
        if self.token is not None and not path.startswith(OPEN_PATHS):
            query_token = request.query_params.get("token")
            if query_token and hmac.compare_digest(query_token, self.token):
                # A one-time link: keep the session in a cookie and drop the token from the URL.
                rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
                response = RedirectResponse(
                    path + ("?" + urlencode(rest) if rest else ""), status_code=303
                )
                set_auth = True
            elif not self._authorised(request):
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
                headers["referrer-policy"] = "no-referrer"
                headers["cross-origin-opener-policy"] = "same-origin"
                headers.setdefault("cache-control", "no-store")
                if fresh_csrf:
                    headers.append(
                        "set-cookie",
                        f"{CSRF_COOKIE}={fresh_csrf}; Path=/; HttpOnly; SameSite=Strict",
                    )
                if set_auth and self.token is not None:
                    headers.append(
                        "set-cookie",
                        f"{AUTH_COOKIE}={_session_value(self.token)}; Path=/; HttpOnly; "
                        "SameSite=Strict",
                    )
            await send(message)

        if response is not None:
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


@dataclass
class Context:
    """What the handlers share: how to reach the store, the captures, and who is acting."""

    store_of: Callable[[], Store]
    data_dir: Path
    default_actor: str
    token: str | None

    def actor(self, request: Request) -> str:
        return _analyst_name(request.cookies.get(ANALYST_COOKIE)) or self.default_actor


async def _form(request: Request) -> dict[str, str]:
    """The POSTed form, once its CSRF token has been checked against the session's cookie."""
    form = await request.form()
    sent = form.get("csrf")
    expected = request.cookies.get(CSRF_COOKIE)
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
    actor: str | None = None,
    data_dir: Path | None = None,
) -> Starlette:
    """The triage app over `store` (or a callable returning the process's store)."""
    if token is not None and not token:
        raise ValueError("an empty token would let anyone in")
    store_of: Callable[[], Store] = store if callable(store) else (lambda: store)
    resolved_dir = data_dir
    if resolved_dir is None:
        resolved_dir = store_of().path.parent
    ctx = Context(store_of, resolved_dir, actor or current_actor(), token)
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
    env.globals["_"] = i18n.gettext
    templates = Jinja2Templates(env=env)

    def page(request: Request, name: str, status_code: int = 200, **values: Any) -> Response:
        values.setdefault("analyst", ctx.actor(request))
        values["lang"] = i18n.language(request.cookies.get(i18n.LANGUAGE_COOKIE))
        values["keys_on"] = request.cookies.get(i18n.KEYS_COOKIE) != "off"
        values["csrf"] = request.state.csrf
        values["auth"] = ctx.token is not None
        return templates.TemplateResponse(request, name, values, status_code=status_code)

    async def call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        # DuckDB calls block: keep them off the event loop the crawler and scheduler share.
        return await run_in_threadpool(fn, *args, **kwargs)

    async def queue(request: Request) -> Response:
        where = filters.parse(request.query_params)
        order = filters.order(request.query_params)
        number = max(1, _int(request.query_params.get("page")) or 1)
        size = 100

        def load() -> tuple[list[dict[str, Any]], int, dict[str, list[tuple[str, int]]]]:
            s = ctx.store_of()
            if where.text:
                # New documents are indexed before they are searched (a few each time).
                search.catch_up(s)
            rows, total = s.incident_page(where, order=order, size=size, number=number)
            return rows, total, facet_counts.counts(s, where)

        rows, total, counted = await call(load)
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
            bulk_done=_int(params.get("done")),
            bulk_refused=params.getlist("refused")[:20],
            mine=facets.toggled(params, "assignee", ctx.actor(request)),
            where=where,
            order=order,
            query=filters.query_string(request.query_params),
            params=request.query_params,
        )

    async def incident(request: Request) -> Response:
        incident_id = int(request.path_params["incident_id"])
        query = filters.query_string(request.query_params)

        def load() -> dict[str, Any] | None:
            s = ctx.store_of()
            row = s.incident(incident_id)
            if row is None:
                return None
            return {
                "incident": row,
                "sources": s.incident_sources(incident_id),
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
        return page(
            request,
            "incident.html",
            **found,
            claims=claims.claims(found["sources"]),
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
        who = ctx.actor(request)
        reason = (form.get("reason") or "").strip()[:1000] or None

        def apply() -> None:
            s = ctx.store_of()
            if action == "status":
                s.set_incident_status(incident_id, form.get("status", ""), actor=who, reason=reason)
            elif action == "merge":
                target = _int(form.get("target"))
                if target is None:
                    raise ValueError("give the number of the incident this one duplicates")
                cluster.merge(s, incident_id, target, actor=who, reason=reason)
            elif action == "assign":
                assignee = who if form.get("me") else _analyst_name(form.get("assignee"))
                s.set_incident_field(incident_id, "assignee", assignee, actor=who, reason=reason)
            elif action == "notes":
                notes = (form.get("notes") or "").strip()[:20000] or None
                s.set_incident_field(incident_id, "notes", notes, actor=who, reason=reason)
            elif action == "tags":
                tags = [t.strip()[:40] for t in (form.get("tags") or "").split(",")]
                s.set_incident_field(incident_id, "tags", tags, actor=who, reason=reason)
            elif action == "acknowledge":
                s.acknowledge_new_sources(incident_id, actor=who)
            else:
                raise HTTPException(404, "no such action")

        try:
            await call(apply)
        except KeyError as exc:
            raise HTTPException(404, f"no incident {incident_id}") from exc
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from exc
        target = form.get("next")
        if action == "status" and form.get("status") not in ("confirmed", "rejected", "sent"):
            # Only a decision moves on to the next incident; other changes stay on this one.
            target = form.get("back") or target
        return RedirectResponse(_local_path(target, f"/incidents/{incident_id}"), status_code=303)

    async def bulk_action(request: Request) -> Response:
        form = await _form(request)
        listed = await request.form()
        ids = [n for v in listed.getlist("id") if isinstance(v, str) and (n := _int(v)) is not None]
        who = ctx.actor(request)
        action, _, preset = (form.get("action") or "").partition(":")
        value: str | None = preset or (form.get("value") or "").strip()[:60] or None
        if action == "assign":
            value = who if value == "me" else _analyst_name(value)
        reason = (form.get("reason") or "").strip()[:1000] or None
        try:
            done, refused = await call(
                bulk.apply, ctx.store_of(), ids, action, value, actor=who, reason=reason
            )
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from exc
        target = _local_path(form.get("next"), "/")
        said = [("done", str(done))] + [("refused", f"{i}: {why}") for i, why in refused[:20]]
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
        where = filters.parse(request.query_params)
        order = filters.order(request.query_params)
        who = ctx.actor(request)

        def build() -> bytes:
            buffer = io.BytesIO()
            exports.export(
                ctx.store_of(), ctx.data_dir, where, kind, buffer, order=order, actor=who
            )
            return buffer.getvalue()

        body = await call(build)
        name, media = exports.FORMATS[kind]
        return Response(
            body,
            media_type=media,
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )

    async def login(request: Request) -> Response:
        target = _local_path(request.query_params.get("next"), "/")
        if request.method == "GET":
            if ctx.token is None:
                return RedirectResponse("/", status_code=303)
            return page(request, "login.html", next_url=target, error=None)
        form = await _form(request)
        target = _local_path(form.get("next"), "/")
        offered = form.get("token", "")
        if ctx.token is None or not hmac.compare_digest(offered, ctx.token):
            return page(
                request, "login.html", status_code=401, next_url=target, error="wrong token"
            )
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            AUTH_COOKIE, _session_value(ctx.token), httponly=True, samesite="strict"
        )
        name = _analyst_name(form.get("analyst"))
        if name:
            response.set_cookie(ANALYST_COOKIE, name, httponly=True, samesite="strict")
        return response

    async def logout(request: Request) -> Response:
        await _form(request)
        response = RedirectResponse("/login" if ctx.token else "/", status_code=303)
        response.delete_cookie(AUTH_COOKIE)
        return response

    async def analyst(request: Request) -> Response:
        form = await _form(request)
        response = RedirectResponse(_local_path(form.get("next"), "/"), status_code=303)
        name = _analyst_name(form.get("analyst"))
        if name:
            response.set_cookie(ANALYST_COOKIE, name, httponly=True, samesite="strict")
        else:
            response.delete_cookie(ANALYST_COOKIE)
        return response

    async def preferences(request: Request) -> Response:
        """The analyst's language and whether single-key shortcuts work, kept in cookies."""
        form = await _form(request)
        response = RedirectResponse(_local_path(form.get("next"), "/"), status_code=303)
        year = 365 * 24 * 3600
        lang = i18n.language(form.get("lang"))
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

    routes = [
        Route("/", queue),
        Route("/incidents/{incident_id:int}", incident),
        Route("/incidents/{incident_id:int}/{action:str}", act, methods=["POST"]),
        Route("/bulk", bulk_action, methods=["POST"]),
        Route("/documents/{document_id:int}/capture", capture),
        Route("/map", map_view),
        Route("/trends", trends_view),
        Route("/export", export),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/analyst", analyst, methods=["POST"]),
        Route("/preferences", preferences, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        HTTPException: not_found_or_bad
    }
    app = Starlette(routes=routes, exception_handlers=handlers)
    app.add_middleware(Guard, token=token)
    return app
