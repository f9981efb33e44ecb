"""The Litestar app factory: one place that wires store, services, GraphQL and health."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Request, get
from litestar.datastructures import State
from litestar.response import Response
from litestar.status_codes import HTTP_503_SERVICE_UNAVAILABLE
from strawberry.litestar import make_graphql_controller

from api.context import RequestContext
from api.schema import schema
from graph.errors import StoreUnavailable
from graph.store import GraphStore
from warmintro.runtime import make_planner, open_store
from warmintro.services import Planner, Viewer
from warmintro.settings import Settings, get_settings


@get("/healthz", sync_to_thread=False)
def healthz() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


@get("/readyz")
async def readyz(state: State) -> Response[dict[str, str]]:
    """Readiness: the store answers a trivial query."""
    store: GraphStore = state.store
    try:
        await store.ping()
    except StoreUnavailable as exc:
        return Response(
            {"status": "unavailable", "detail": str(exc)}, status_code=HTTP_503_SERVICE_UNAVAILABLE
        )
    return Response({"status": "ready"})


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> Litestar:
    """Build the ASGI app; tests pass their own settings and store."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store or open_store(settings)
        app.state.planner = make_planner(settings, app.state.store)
        try:
            yield
        finally:
            if owned:
                await app.state.store.close()

    async def context_getter(request: Request[object, object, State]) -> RequestContext:
        planner: Planner = request.app.state.planner
        return RequestContext(planner=planner, viewer=Viewer(settings.workspace))

    graphql = make_graphql_controller(schema, path="/graphql", context_getter=context_getter)
    return Litestar(
        route_handlers=[healthz, readyz, graphql],
        lifespan=[lifespan],
        debug=settings.environment == "development",
    )
