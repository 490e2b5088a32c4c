"""`marsad serve`: one long-running process that owns the database and does everything with it.

DuckDB lets one process write a database file at a time, so this process opens it once and
hosts, on one asyncio event loop, the crawl scheduler (`scheduler.py`, APScheduler 3), the
crawls (Scrapy's `AsyncCrawlerRunner` on its asyncio reactor), the triage UI (`triage.app` under
uvicorn) and a small authenticated API that one-shot commands use to ask for work while the
server holds the database (`marsad crawl` asks it to crawl now, `marsad status` asks it for the
figures, and the other commands call its store: `storage.remote`). Blocking work stays
off the loop: the UI's database calls run in a thread pool, extraction runs in threads
(`pipeline.extract`), and so do clustering, the digest and the commands' store calls.

Stopping (SIGTERM or SIGINT): no new runs start, each crawl under way is closed by Scrapy with
reason "shutdown" (its pages in flight are finished or dropped, what was captured is stored, the
run is recorded as interrupted), the web server stops, and the database is closed. A second
signal stops waiting for the crawls. The next start resumes each interrupted source at once.

While serving, `<data dir>/service.json` tells local commands where the server listens and how
to use its API (`marsad.handover`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import json
import logging
import math
import os
import secrets
import signal
import socket
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path  # noqa: TC003 - typer reads annotations at run time
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from marsad.handover import (
    SERVICE_FILE,
    ServerInfo,
    ServerUnreachable,
    ask,
    check_port,
    exit_with,
    local_url,
    open_store,
    read_server_info,
    write_private,
)
from marsad.options import DataDir, SourcesFile  # noqa: TC001 - typer reads annotations at run time
from marsad.overrides import OverrideError
from marsad.overrides import parse as parse_overrides
from spiders.sources import sources_file

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from datetime import tzinfo

    from rich.console import Console
    from scrapy.crawler import AsyncCrawlerRunner
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.types import ASGIApp, Receive, Scope, Send

    from scheduler import CrawlScheduler
    from spiders.sources import Source
    from storage import Store
    from storage.paths import Paths

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_DIGEST_AT = "0 6 * * *"
MIN_TOKEN_LENGTH = 16
MAX_PORT = 65535
# Information a token must carry, estimated from its characters' frequencies.
MIN_TOKEN_BITS = 48
# How long a stop waits for crawls to close before leaving them to the next start.
STOP_PATIENCE = 120.0


class ServiceError(RuntimeError):
    """The service cannot start as configured; the message says what to change."""


# -- configuration ------------------------------------------------------------------------------


def _env_int(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit():
        raise ServiceError(f"{name} must be a whole number, not {text!r}")
    return int(text)


@dataclass(frozen=True, slots=True)
class Settings:
    """The service's settings, from the environment (a systemd unit's `EnvironmentFile`)."""

    token: str | None
    timezone: tzinfo
    jitter: int
    max_crawls: int
    digest_at: str | None
    public_url: str | None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        from scheduler import DEFAULT_JITTER, DEFAULT_MAX_CONCURRENT

        env = os.environ if env is None else env
        token = env.get("MARSAD_TOKEN") or None
        if token is not None and (problem := token_weakness(token)):
            raise ServiceError(
                f"MARSAD_TOKEN {problem} to protect anything: use at least {MIN_TOKEN_LENGTH} "
                "random characters (e.g. `python -c 'import secrets; "
                "print(secrets.token_urlsafe(32))'`)"
            )
        zone = env.get("MARSAD_TIMEZONE", "UTC").strip() or "UTC"
        try:
            timezone = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ServiceError(f"MARSAD_TIMEZONE {zone!r} is not a known time zone") from exc
        digest_at = env.get("MARSAD_DIGEST_AT", DEFAULT_DIGEST_AT).strip()
        return cls(
            token=token,
            timezone=timezone,
            jitter=_env_int(env, "MARSAD_JITTER", DEFAULT_JITTER),
            max_crawls=max(1, _env_int(env, "MARSAD_MAX_CRAWLS", DEFAULT_MAX_CONCURRENT)),
            digest_at=None if digest_at.lower() in ("", "off", "never") else digest_at,
            public_url=(env.get("MARSAD_PUBLIC_URL") or "").rstrip("/") or None,
        )


def token_weakness(token: str) -> str | None:
    """Why `token` is too weak to guard the UI, or None. Length alone let through 16 spaces and
    `aaaaaaaaaaaaaaaa`: the token must also carry MIN_TOKEN_BITS of information, estimated from
    how often each of its characters occurs (a lower bound for a random token, which clears it
    easily: `secrets.token_urlsafe(32)` scores about 200 bits)."""
    if len(token) < MIN_TOKEN_LENGTH:
        return "is too short"
    if any(c.isspace() for c in token):
        return "contains spaces, and is too guessable"
    counts = Counter(token)
    bits = -sum(n * math.log2(n / len(token)) for n in counts.values())
    if bits < MIN_TOKEN_BITS:
        return "repeats too few characters, and is too guessable"
    return None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, token: str | None) -> None:
    """Refuse to listen beyond this machine without a token: the UI holds victims' data."""
    if token is None and not is_loopback(host):
        raise ServiceError(
            f"refusing to listen on {host} without a token: anyone who can reach it could read "
            "and change the triage data. Set MARSAD_TOKEN (at least "
            f"{MIN_TOKEN_LENGTH} characters), or keep the default --host {DEFAULT_HOST} "
            "behind a reverse proxy"
        )


# -- the service ----------------------------------------------------------------------------------


class _Server:
    """uvicorn's server without its own signal handling: the service decides when to stop."""

    def __init__(self, app: ASGIApp) -> None:
        import uvicorn

        class Quiet(uvicorn.Server):
            @contextlib.contextmanager
            def capture_signals(self) -> Iterator[None]:
                yield

        # No access log: one-time login links carry the token in their query string.
        self.server = Quiet(
            uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        )

    async def serve(self, sock: socket.socket) -> None:
        await self.server.serve(sockets=[sock])

    def stop(self) -> None:
        self.server.should_exit = True


def _json(data: Any, status_code: int = 200) -> Response:
    from starlette.responses import Response

    body = json.dumps(data, ensure_ascii=False, default=str)
    return Response(body, status_code=status_code, media_type="application/json")


class Service:
    def __init__(
        self,
        paths: Paths,
        sources_path: Path,
        sources: list[Source],
        settings: Settings,
        *,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        schedule: bool = True,
        overrides: dict[str, Any] | None = None,
    ) -> None:
        check_exposure(host, settings.token)
        if not 0 <= port <= MAX_PORT:
            # The socket layer would take 99999 modulo 65536 and listen elsewhere.
            raise ServiceError(f"--port must be between 0 and {MAX_PORT}, not {port}")
        self.paths = paths.ensure()
        self.sources_path = sources_path
        self.sources = sources
        self.settings = settings
        self.host = host
        self.port = port
        self.schedule = schedule
        self.overrides = overrides or {}
        self.control_token = secrets.token_urlsafe(32)
        self._background: set[asyncio.Task[Any]] = set()
        self._store: Store | None = None
        # Bound by `listen` before anything else is touched (see `serve_command`).
        self._socket: socket.socket | None = None
        self._runner: AsyncCrawlerRunner | None = None
        self._scheduler: CrawlScheduler | None = None
        self.info: ServerInfo | None = None

    @property
    def store(self) -> Store:
        assert self._store is not None, "the service is not running"
        return self._store

    @property
    def runner(self) -> AsyncCrawlerRunner:
        assert self._runner is not None, "the service is not running"
        return self._runner

    @property
    def crawls(self) -> CrawlScheduler:
        assert self._scheduler is not None, "the service is not running"
        return self._scheduler

    # -- running ---------------------------------------------------------------------------------

    def run(self) -> None:
        """Serve until SIGTERM or SIGINT. Blocks; the database is held the whole time."""
        from marsad import digest
        from scheduler import cron_trigger
        from storage import acquire, release

        # Settings that can only fail later fail now, before anything starts.
        if self.settings.digest_at:
            cron_trigger(self.settings.digest_at, timezone=self.settings.timezone)
        try:
            digest.Mail.from_env()
        except digest.DigestError as exc:
            raise ServiceError(str(exc)) from exc
        sock = self._socket or self.listen()
        try:
            self._store = acquire(self.paths.database)
            try:
                self._run_loop(sock)
            finally:
                release(self._store)
                self._store = None
        finally:
            sock.close()
            self._socket = None

    def listen(self) -> socket.socket:
        """Take the port first: a busy one is refused before any database is created or an
        admin account asked for."""
        self._socket = self._bind()
        return self._socket

    def _bind(self) -> socket.socket:
        try:
            family, _, _, _, address = socket.getaddrinfo(
                self.host, self.port, type=socket.SOCK_STREAM
            )[0]
            return socket.create_server(address[:2], family=family)
        except OSError as exc:
            raise ServiceError(f"cannot listen on {self.host}:{self.port}: {exc}") from exc

    def _run_loop(self, sock: socket.socket) -> None:
        from scrapy.utils.reactor import install_reactor

        install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
        from twisted.internet import reactor as installed

        # The installed reactor's type is only known at run time (Twisted types it by interface).
        reactor: Any = installed

        loop = asyncio.get_event_loop()
        failure: list[BaseException] = []

        def begin() -> None:
            task = loop.create_task(self._main(sock))

            def done(finished: asyncio.Task[None]) -> None:
                if not finished.cancelled() and finished.exception() is not None:
                    failure.append(finished.exception())  # type: ignore[arg-type]
                reactor.stop()

            task.add_done_callback(done)

        reactor.callWhenRunning(begin)
        # Twisted's own handlers would stop the reactor mid-crawl; the service handles signals.
        reactor.run(installSignalHandlers=False)
        if failure:
            raise failure[0]

    async def _main(self, sock: socket.socket) -> None:
        from scrapy.crawler import AsyncCrawlerRunner

        from marsad import crawl
        from scheduler import CrawlScheduler

        loop = asyncio.get_running_loop()
        stop, force = asyncio.Event(), asyncio.Event()

        def signalled(number: int) -> None:
            if stop.is_set():
                logger.warning("Second %s: not waiting for crawls", signal.Signals(number).name)
                force.set()
            else:
                logger.warning("%s: stopping", signal.Signals(number).name)
                stop.set()

        for number in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(number, signalled, number)

        settings = crawl.crawl_settings(self.paths, self.sources_path, overrides=self.overrides)
        self._runner = AsyncCrawlerRunner(settings)
        self._scheduler = CrawlScheduler(
            self.sources,
            self._crawl,
            timezone=self.settings.timezone,
            jitter=self.settings.jitter,
            max_concurrent=self.settings.max_crawls,
        )
        server = _Server(self._app())
        serving = asyncio.create_task(server.serve(sock))
        host, port = sock.getsockname()[:2]
        self.info = ServerInfo(
            pid=os.getpid(),
            url=local_url(str(host), int(port)),
            control_token=self.control_token,
            started_at=datetime.now(UTC).isoformat(),
        )
        service_file = self.paths.data_dir / SERVICE_FILE
        write_private(service_file, json.dumps({**self.info.public(), **self._secret()}))
        try:
            caught = self.crawls.start(self.store.last_runs(), schedule=self.schedule)
            self._spawn(asyncio.to_thread(self._index_for_search, stop))
            if self.schedule and self.settings.digest_at:
                self._schedule_digest()
            print(
                f"Marsad serving {self.info.url} (database {self.paths.database}); "
                f"{len(self.sources)} sources, "
                + (f"{len(caught)} catch-up runs" if self.schedule else "schedule off"),
                flush=True,
            )
            stopped = asyncio.create_task(stop.wait())
            await asyncio.wait({stopped, serving}, return_when=asyncio.FIRST_COMPLETED)
            stopped.cancel()
            await self._stop_crawls(force)
        finally:
            server.stop()
            with contextlib.suppress(Exception):
                await serving
            with contextlib.suppress(FileNotFoundError):
                service_file.unlink()
            for number in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(number)
        if serving.done() and not serving.cancelled() and serving.exception():
            raise ServiceError(f"the web server stopped: {serving.exception()}")
        logger.warning("Stopped")

    def _secret(self) -> dict[str, str]:
        return {"control_token": self.control_token}

    async def _stop_crawls(self, force: asyncio.Event) -> None:
        self.crawls.stop_scheduling()
        deadline = asyncio.get_running_loop().time() + STOP_PATIENCE
        ended = asyncio.create_task(self._drain())
        forced = asyncio.create_task(force.wait())
        try:
            while not ended.done():
                # Again each round: a crawl may have been starting when the stop came.
                await self.runner.stop()
                left = deadline - asyncio.get_running_loop().time()
                if left <= 0:
                    logger.error("Crawls did not stop in time; the next start resumes them")
                    break
                await asyncio.wait(
                    {ended, forced}, timeout=min(5.0, left), return_when=asyncio.FIRST_COMPLETED
                )
                if forced.done():
                    break
        finally:
            forced.cancel()

    async def _drain(self) -> None:
        await self.crawls.wait()
        while self._background:
            await asyncio.wait(set(self._background))

    def _spawn(self, work: Any) -> asyncio.Task[Any]:
        task = asyncio.create_task(work)
        self._background.add(task)
        task.add_done_callback(self._settled)
        return task

    def _settled(self, task: asyncio.Task[Any]) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("Background work failed", exc_info=task.exception())

    def _index_for_search(self, stop: asyncio.Event) -> None:
        """Index the documents stored before search had an index (an upgrade), a chunk per
        transaction so that requests wait for a chunk at most; the next start goes on."""
        from storage import search

        def between(done: int, total: int) -> None:
            logger.info("Search index: %d of %d documents", done, total)
            if stop.is_set():
                raise InterruptedError

        with contextlib.suppress(InterruptedError):
            search.catch_up(self.store, progress=between)

    # -- crawling --------------------------------------------------------------------------------

    async def _crawl(self, source: Source, trigger: str, planned_for: datetime | None) -> None:
        from scrapy import signals

        from incidents import cluster
        from spiders.base import spider_class

        crawler = self.runner.create_crawler(spider_class(source))

        def started() -> None:
            run_id = getattr(crawler.spider, "run_id", None)
            if run_id is not None:
                self.store.record_trigger(run_id, trigger, planned_for)

        crawler.signals.connect(started, signal=signals.engine_started)
        await self.runner.crawl(crawler)
        run_id = getattr(crawler.spider, "run_id", None)
        # Candidates the run brought become incidents the UI shows; clustering reads and
        # writes the database, so it runs in a thread while the loop serves the UI.
        clustered = await asyncio.to_thread(cluster.attach_pending, self.store)
        logger.info(
            "Source %s: %s run %s done, %d documents clustered",
            source.name,
            trigger,
            run_id,
            clustered,
        )

    # -- the digest ------------------------------------------------------------------------------

    def _schedule_digest(self) -> None:
        from scheduler import catch_up_reason, cron_trigger, previous_fire

        assert self.settings.digest_at is not None
        trigger = cron_trigger(self.settings.digest_at, timezone=self.settings.timezone)
        self.crawls.scheduler.add_job(
            self._digest_job,
            trigger,
            id="digest",
            name="daily digest",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
        last = self.store.last_digest()
        # Only a digest that was due while the service was down is caught up; the first one
        # waits for its time.
        if last is not None:
            previous = previous_fire(trigger, datetime.now(UTC))
            if catch_up_reason({"started_at": last["created_at"]}, previous) is not None:
                logger.info("Digest missed while stopped: writing it now")
                self._spawn(self.digest())

    async def _digest_job(self) -> None:
        self._spawn(self.digest())

    def base_url(self) -> str:
        assert self.info is not None
        return self.settings.public_url or self.info.url

    async def digest(self) -> Any:
        from marsad import digest

        mail = digest.Mail.from_env()
        return await asyncio.to_thread(
            digest.make, self.store, self.paths.data_dir, base_url=self.base_url(), mail=mail
        )

    # -- the web app -----------------------------------------------------------------------------

    def _authorised(self, request: Request) -> bool:
        presented = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        accepted = [self.control_token, self.settings.token]
        return bool(presented) and any(
            t is not None and hmac.compare_digest(presented, t) for t in accepted
        )

    def _controlled(self, request: Request) -> bool:
        """Only the service file's token: the store API reaches everything, files included."""
        presented = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        return bool(presented) and hmac.compare_digest(presented, self.control_token)

    def _app(self) -> ASGIApp:
        from starlette.applications import Starlette
        from starlette.routing import Route

        from marsad import status
        from storage.remote import serve_call
        from triage.app import create_app
        from triage.origins import OriginGuard

        async def store_call(request: Request) -> Response:
            if not self._controlled(request):
                return _json({"error": "the service file's control token is required"}, 401)
            try:
                body = json.loads(await request.body())
            except ValueError:
                return _json({"error": "send JSON"}, 400)
            return _json(await asyncio.to_thread(serve_call, self.store, body))

        async def crawl_now(request: Request) -> Response:
            if not self._authorised(request):
                return _json({"error": "authentication required"}, 401)
            if self.crawls.stopping:
                return _json({"error": "the server is stopping"}, 503)
            try:
                body = await request.json() if await request.body() else {}
                names = body.get("sources") or []
                if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                    raise ValueError
            except ValueError:
                return _json({"error": 'send {"sources": ["name", ...]} or nothing'}, 400)
            outcome = self.crawls.run_now(names)
            return _json(
                {
                    "started": outcome.started,
                    "running": outcome.running,
                    "unknown": outcome.unknown,
                },
                202 if outcome.started else 200,
            )

        async def digest_now(request: Request) -> Response:
            if not self._authorised(request):
                return _json({"error": "authentication required"}, 401)
            written = await self._spawn(self.digest())
            return _json(
                {
                    "incidents": written.incidents,
                    "markdown": str(written.markdown_path),
                    "html": str(written.html_path),
                    "sent_to": list(written.sent_to),
                    "send_error": written.send_error,
                }
            )

        async def status_now(request: Request) -> Response:
            if not self._authorised(request):
                return _json({"error": "authentication required"}, 401)
            assert self.info is not None
            data = await asyncio.to_thread(
                status.collect,
                self.store,
                self.sources,
                self.paths,
                next_runs=self.crawls.next_runs(),
                crawling=self.crawls.crawling(),
                waiting=self.crawls.waiting(),
                server=self.info.public(),
            )
            return _json(data)

        async def run_log(request: Request) -> Response:
            if not self._authorised(request):
                return _json({"error": "authentication required"}, 401)
            source = request.query_params.get("source") or None
            rows = await asyncio.to_thread(self.store.run_log, source, 200)
            return _json(rows)

        api = Starlette(
            routes=[
                Route("/api/runs", run_log),
                Route("/api/crawl", crawl_now, methods=["POST"]),
                Route("/api/digest", digest_now, methods=["POST"]),
                Route("/api/status", status_now),
                Route("/api/store", store_call, methods=["POST"]),
            ]
        )
        triage = create_app(self.store, token=self.settings.token, data_dir=self.paths.data_dir)

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and str(scope.get("path", "")).startswith("/api/"):
                await api(scope, receive, send)
            else:
                await triage(scope, receive, send)

        # Outermost: a request for another host name (DNS rebinding) or a change sent from
        # another origin reaches neither the UI nor the API.
        return OriginGuard(app, bound=self.host, public_urls=[self.settings.public_url])


# -- commands -------------------------------------------------------------------------------------


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr)


def _sources(path: Path) -> list[Source]:
    from spiders.sources import SourceError, load_sources

    try:
        return load_sources(path)
    except SourceError as exc:
        raise exit_with(_console(True), f"[bold red]error:[/] {exc}", 2) from exc


def serve(
    data_dir: DataDir = None,
    sources: SourcesFile = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on; beyond loopback needs MARSAD_TOKEN.")
    ] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = DEFAULT_PORT,
    no_schedule: Annotated[
        bool,
        typer.Option("--no-schedule", help="Serve the UI and API only: no scheduled crawls."),
    ] = False,
    setting: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            "-s",
            metavar="KEY=VALUE",
            help="Override a Scrapy setting for every crawl (repeatable).",
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show the crawler's log.")
    ] = False,
) -> None:
    """Run the service: scheduled crawls, the triage UI and the daily digest, in one process."""
    from scheduler import ScheduleError
    from storage import DatabaseLocked
    from storage.paths import data_paths

    err = _console(True)
    check_port(port, err)
    try:
        overrides = parse_overrides(setting)
    except OverrideError as exc:
        raise exit_with(err, f"[bold red]error:[/] {exc}", 2) from exc
    overrides.setdefault("LOG_LEVEL", "INFO" if verbose else "WARNING")
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for name in ("marsad", "scheduler", "pipeline.runs"):
        logging.getLogger(name).setLevel(logging.INFO)
    paths = data_paths(data_dir)
    path = sources_file(sources)
    try:
        service = Service(
            paths,
            path,
            _sources(path),
            Settings.from_env(),
            host=host,
            port=port,
            schedule=not no_schedule,
            overrides=overrides,
        )
        from marsad import users_cli

        service.listen()
        users_cli.first_admin(service.paths)
        service.run()
    except (ServiceError, ScheduleError, DatabaseLocked) as exc:
        # The port is taken first, so a second `serve` on the same data usually stops there.
        info = read_server_info(paths)
        where = f" (a server is already running: {info.url}, pid {info.pid})" if info else ""
        raise exit_with(err, f"[bold red]error:[/] {exc}{where}", 2) from exc


def status_command(data_dir: DataDir = None, sources: SourcesFile = None) -> None:
    """Each source's last and next run, health flags, incidents by review state, sizes."""
    from marsad import status
    from scheduler import ScheduleError, cron_trigger, next_fire
    from storage.paths import data_paths

    console, err = _console(), _console(True)
    paths = data_paths(data_dir)
    info = read_server_info(paths)
    if info is not None:
        try:
            code, answer = ask(info, "GET", "/api/status")
        except ServerUnreachable as exc:
            raise exit_with(
                err, f"[bold red]error:[/] the server holds the database: {exc}", 2
            ) from exc
        if code != 200 or not isinstance(answer, dict):
            raise exit_with(err, f"[bold red]error:[/] the server answered {code}", 2)
        status.render(answer, console)
        return
    chosen = _sources(sources_file(sources))
    try:
        settings = Settings.from_env()
        now = datetime.now(UTC)
        next_runs = {
            s.name: next_fire(cron_trigger(s.schedule, timezone=settings.timezone), now)
            for s in chosen
        }
    except (ServiceError, ScheduleError) as exc:
        raise exit_with(err, f"[bold red]error:[/] {exc}", 2) from exc
    store = open_store(paths, err)
    try:
        data = status.collect(store, chosen, paths, next_runs=next_runs)
    finally:
        store.close()
    status.render(data, console)


def digest_command(data_dir: DataDir = None) -> None:
    """Write the digest of incidents new since the last one now (and send it if configured)."""
    from marsad import digest
    from storage.paths import data_paths

    console, err = _console(), _console(True)
    paths = data_paths(data_dir)
    info = read_server_info(paths)
    try:
        mail = digest.Mail.from_env()
        settings = Settings.from_env()
    except (digest.DigestError, ServiceError) as exc:
        raise exit_with(err, f"[bold red]error:[/] {exc}", 2) from exc
    if info is not None:
        try:
            code, answer = ask(info, "POST", "/api/digest")
        except ServerUnreachable as exc:
            raise exit_with(
                err, f"[bold red]error:[/] the server holds the database: {exc}", 2
            ) from exc
        if code != 200 or not isinstance(answer, dict):
            raise exit_with(err, f"[bold red]error:[/] the server answered {code}", 2)
        incidents, markdown, error = answer["incidents"], answer["markdown"], answer["send_error"]
    else:
        store = open_store(paths, err)
        try:
            base = settings.public_url or local_url(DEFAULT_HOST, DEFAULT_PORT)
            written = digest.make(store, paths.data_dir, base_url=base, mail=mail)
        finally:
            store.close()
        incidents, markdown, error = written.incidents, written.markdown_path, written.send_error
    console.print(f"Digest: {incidents} new incidents, written to {markdown}")
    if error:
        raise exit_with(err, f"[bold red]error:[/] not sent: {error}", 1)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("status")(status_command)
    app.command("digest")(digest_command)
