"""The Litestar app factory: one place that wires services, GraphQL, auth and health."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any, ClassVar

import strawberry
from graphql import GraphQLError
from litestar import Litestar, Request, get
from litestar.background_tasks import BackgroundTasks
from litestar.datastructures import State
from litestar.di import Provide
from litestar.enums import ScopeType
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.response import Response
from litestar.status_codes import HTTP_503_SERVICE_UNAVAILABLE
from litestar.types import (
    ASGIApp,
    Dependencies,
    HTTPResponseStartEvent,
    Message,
    Receive,
    Scope,
    Send,
)
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.litestar import make_graphql_controller
from strawberry.schema.config import StrawberryConfig

from api.context import NOBODY, RequestContext, request_context
from api.cost import CostLimiter
from api.schema import Mutation, Query
from api.web import WEB_HANDLERS, graphiql_response
from graph.errors import StoreUnavailable
from graph.store.base import GraphStore
from services.access import Viewer
from services.appdb import KeyOwner, hash_key
from services.runtime import Services
from services.settings import Settings, get_settings

log = logging.getLogger("warmintro.http")
OPEN_PATHS = frozenset({"/healthz", "/readyz"})


def is_unexpected(error: GraphQLError) -> bool:
    """Mask resolver crashes; validation and limit errors keep their message."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


async def fresh_response() -> Response[Any]:
    """The response GraphQL handlers may add headers or cookies to (one per request)."""
    return Response({}, background=BackgroundTasks([]))


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with the hardening extensions the settings ask for.

    Strawberry builds its extensions afresh for every request (a shared instance would
    mix concurrent requests' state), so each entry is a factory. The limiters' validation
    rule classes are made once here: the validation cache is keyed by the rule classes,
    and new classes per request would make every lookup miss.
    """
    rules = [
        *QueryDepthLimiter(max_depth=settings.graphql_max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases).validation_rules,
        *CostLimiter(budget=settings.graphql_cost_budget).validation_rules,
    ]
    extensions: list[Any] = [
        partial(AddValidationRules, rules),
        partial(MaxTokensLimiter, max_token_count=settings.graphql_max_tokens),
        partial(ParserCache, maxsize=512),
        partial(ValidationCache, maxsize=512),
        partial(MaskErrors, should_mask_error=is_unexpected),
    ]
    if not settings.graphql_introspection:
        extensions.append(DisableIntrospection)
    config = StrawberryConfig(disable_field_suggestions=settings.environment != "development")
    return strawberry.Schema(query=Query, mutation=Mutation, extensions=extensions, config=config)


schema = build_schema(Settings(environment="development"))
"""The schema as exported to schema.graphql (extensions do not change the SDL)."""


@get("/healthz", sync_to_thread=False)
def healthz() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


@get("/readyz")
async def readyz(state: State) -> Response[dict[str, str]]:
    """Readiness: the store answers a trivial query."""
    store: GraphStore = state.services.store
    try:
        await store.ping()
    except StoreUnavailable as exc:
        return Response(
            {"status": "unavailable", "detail": str(exc)}, status_code=HTTP_503_SERVICE_UNAVAILABLE
        )
    return Response({"status": "ready"})


def bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            text = value.decode("latin-1")
            if text.lower().startswith("bearer "):
                return text[7:].strip()
    return None


def is_open(scope: Scope) -> bool:
    """Paths served without a key: health, and static shells that hold no data."""
    path = scope["path"]
    if path in OPEN_PATHS or path == "/" or path.startswith("/static/"):
        return True
    if path == "/graphql" and scope.get("method") == "GET":
        # GraphiQL's HTML shell; a GET carrying a query still needs a key.
        return not scope.get("query_string")
    return False


async def send_json(send: Send, status: int, body: dict[str, Any], request_id: str) -> None:
    data = json.dumps(body).encode()
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(data)).encode()),
            (b"x-request-id", request_id.encode()),
        ],
    }
    await send(start)
    await send({"type": "http.response.body", "body": data, "more_body": False})


def edge_middleware(settings: Settings) -> Any:
    """Request ids, JSON access logs, API-key auth, body-size and time limits."""

    def factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != ScopeType.HTTP:
                await app(scope, receive, send)
                return
            headers = dict(scope.get("headers", ()))
            request_id = (
                headers.get(b"x-request-id", b"").decode("latin-1")[:64] or uuid.uuid4().hex
            )
            started = time.perf_counter()
            status_seen = 0
            owner: KeyOwner | None = None

            async def send_with_id(message: Message) -> None:
                nonlocal status_seen
                if message["type"] == "http.response.start":
                    status_seen = message["status"]
                    message["headers"] = [
                        *message.get("headers", []),
                        (b"x-request-id", request_id.encode()),
                    ]
                await send(message)

            try:
                if not is_open(scope):
                    services: Services = scope["app"].state.services
                    key = bearer(scope)
                    owner = services.appdb.authenticate(key) if key else None
                    if owner is None:
                        status_seen = 401
                        await send_json(
                            send,
                            401,
                            {"error": "a valid API key is required (Authorization: Bearer <key>)"},
                            request_id,
                        )
                        return
                    content_type = headers.get(b"content-type", b"")
                    length = int(headers.get(b"content-length", b"0") or 0)
                    if (
                        not content_type.startswith(b"multipart/")
                        and length > settings.max_json_body_bytes
                    ):
                        status_seen = 413
                        await send_json(send, 413, {"error": "request body too large"}, request_id)
                        return
                    scope.setdefault("state", {})["key_owner"] = owner
                try:
                    async with asyncio.timeout(settings.query_timeout_seconds):
                        await app(scope, receive, send_with_id)
                except TimeoutError:
                    if not status_seen:
                        status_seen = 504
                        await send_json(send, 504, {"error": "query timed out"}, request_id)
            finally:
                log.info(
                    json.dumps(
                        {
                            "event": "request",
                            "request_id": request_id,
                            "method": scope.get("method"),
                            "path": scope["path"],
                            "status": status_seen,
                            "ms": round((time.perf_counter() - started) * 1000, 2),
                            "workspace": owner.workspace if owner else None,
                        }
                    )
                )

        return middleware

    return factory


def key_identifier(request: Request[Any, Any, Any]) -> str:
    """Rate-limit bucket: the API key (hashed), else the client address."""
    key = bearer(request.scope)
    if key:
        return "key:" + hash_key(key)[:16]
    client = request.client
    return "ip:" + (client.host if client else "unknown")


def configure_logging() -> None:
    """One JSON object per line on stderr (uvicorn's own access log stays off)."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("warmintro")
    if not logger.handlers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> Litestar:
    """Build the ASGI app; tests pass their own settings and store."""
    settings = settings or get_settings()
    configure_logging()

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        services = Services.build(settings, store)
        app.state.services = services
        # Load the default workspace's graph now rather than on the first query, then
        # move it out of the cyclic GC's sight: a full collection over a million-edge
        # graph would otherwise land inside some unlucky request.
        await services.store.planning_view(settings.workspace)
        gc.freeze()
        try:
            yield
        finally:
            if store is None:
                await services.close()
            else:
                services.appdb.close()

    async def context_getter(request: Request[Any, Any, State]) -> RequestContext:
        services: Services = request.app.state.services
        owner: KeyOwner | None = request.scope["state"].get("key_owner")
        # Only GraphiQL's HTML shell passes the edge middleware without a key; the
        # controller builds a context for it all the same, but nothing executes.
        viewer = NOBODY if owner is None else Viewer(owner.workspace, owner.member)
        return request_context(services, viewer)

    stock = make_graphql_controller(
        build_schema(settings),
        path="/graphql",
        context_getter=context_getter,
        multipart_uploads_enabled=True,
        allow_queries_via_get=False,
    )

    class GraphQLController(stock):  # type: ignore[valid-type,misc]
        # Strawberry provides the response object from a sync function that Litestar
        # runs in a worker thread: a thread hop on every request. Same object, on the loop.
        dependencies: ClassVar[Dependencies] = {
            **stock.dependencies,
            "response": Provide(fresh_response),
        }

        async def render_graphql_ide(self, request: Request[Any, Any, Any]) -> Response[str]:
            return graphiql_response()

    middleware: list[Any] = [edge_middleware(settings)]
    if settings.rate_limit_per_minute > 0:
        middleware.append(
            RateLimitConfig(
                rate_limit=("minute", settings.rate_limit_per_minute),
                identifier_for_request=key_identifier,
                exclude=["/healthz", "/readyz"],
            ).middleware
        )
    return Litestar(
        route_handlers=[healthz, readyz, GraphQLController, *WEB_HANDLERS],
        lifespan=[lifespan],
        middleware=middleware,
        request_max_body_size=settings.import_max_bytes,
        debug=settings.environment == "development",
    )
