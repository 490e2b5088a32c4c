"""Actor pages of the triage UI: the registry's actors, and one actor's names in both
languages, category, affiliations and units with their dates, and the incidents naming it.

    routes(page, call, store_of) -> list[Route]   # registered by `triage.app.create_app`

Every account may read them (viewers too); they change nothing. The queue filters the same
selection with `?actor=ID` (that actor) and `?parent=ID` (it and its units while they were
its), so the page links there for the rest, the map and the exports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse
from starlette.routing import Route

from storage.incidents import IncidentFilter
from triage import actors

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from starlette.requests import Request
    from starlette.responses import Response

    from storage import Store

# Incidents listed on an actor's page; the queue link has them all.
SHOWN = 50


def routes(
    page: Callable[..., Response],
    call: Callable[..., Awaitable[Any]],
    store_of: Callable[[], Store],
) -> list[Route]:
    async def index(request: Request) -> Response:
        return page(request, "actors.html", actors=actors.listing())

    async def actor(request: Request) -> Response:
        actor_id = str(request.path_params["actor_id"])
        if not actors.known(actor_id):
            raise HTTPException(404, "no such actor in the registry")
        profile = actors.profile(actor_id)

        def load(spans: tuple[Any, ...]) -> tuple[list[dict[str, Any]], int]:
            where = IncidentFilter(actors=spans)
            return store_of().incident_page(where, order="date", size=SHOWN, number=1)

        named, total = await call(load, actors.spans(actor_id, None))
        under = 0
        if profile["units"]:
            _, under = await call(load, actors.spans(None, actor_id))
        return page(
            request,
            "actor.html",
            actor=profile,
            incidents=named,
            total=total,
            under=under,
            queue_actor="/?" + urlencode({"status": "all", "actor": actor_id}),
            queue_parent="/?" + urlencode({"status": "all", "parent": actor_id}),
        )

    async def named(request: Request) -> Response:
        """A perpetrator as a source names it, sent to its registry page."""
        found = actors.by_name(request.query_params.get("name") or "")
        if found is None:
            raise HTTPException(404, "that name is not in the registry")
        return RedirectResponse(f"/actors/{found}", status_code=303)

    return [
        Route("/actors", index),
        Route("/actors/named", named),
        Route("/actors/{actor_id:str}", actor),
    ]
