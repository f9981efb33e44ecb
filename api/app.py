"""The Litestar app factory: one place that wires services, GraphQL, auth and health."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import re
import sys
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
from litestar.exceptions import HTTPException
from litestar.response import Response
from litestar.status_codes import (
    HTTP_404_NOT_FOUND,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_503_SERVICE_UNAVAILABLE,
)
from litestar.types import (
    ASGIApp,
    Dependencies,
    HTTPResponseStartEvent,
    Message,
    Receive,
    ReceiveMessage,
    Scope,
    Send,
)
from strawberry.extensions import DisableIntrospection, MaxAliasesLimiter, QueryDepthLimiter
from strawberry.litestar import make_graphql_controller
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from api import fast_graphql
from api.context import NOBODY, RequestContext, request_context
from api.cost import CostLimiter
from api.hardened_operation import HardenedOperation
from api.schema import Mutation, Query
from api.web import WEB_HANDLERS, graphiql_response
from graph.algorithms import Budget
from graph.errors import StoreUnavailable
from graph.store.base import GraphStore
from graph.store.embedded import EmbeddedStore
from services.access import Viewer
from services.appdb import KeyOwner, hash_key
from services.planner import PLANNING_BUDGET
from services.runtime import Services, prepare_data_dir
from services.settings import Settings, get_settings

log = logging.getLogger("warmintro.http")
gql_log = logging.getLogger("warmintro.graphql")
OPEN_PATHS = frozenset({"/healthz", "/readyz"})
SUGGESTION = re.compile(r"\s*Did you mean .*$", re.DOTALL)
SWITCH_INTERVAL = 0.001
"""Seconds a thread may hold the GIL while another waits (CPython's default is 5 ms):
with searches in worker threads, the event loop gets the GIL back 5x sooner, which
keeps /healthz well under 100 ms with every planning slot busy."""


def is_unexpected(error: GraphQLError) -> bool:
    """Mask resolver crashes; validation and limit errors keep their message."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


async def fresh_response() -> Response[Any]:
    """The response GraphQL handlers may add headers or cookies to (one per request)."""
    return Response({}, background=BackgroundTasks([]))


class HardenedSchema(strawberry.Schema):
    """Strawberry's schema with production error handling.

    Strawberry logs every error at ERROR with the query's full text: a flood of
    invalid queries would fill the log with whatever clients sent. Here expected
    failures (validation, bad variables, limits) go to INFO as their message alone,
    resolver crashes to ERROR with the traceback but not the query; and outside
    development every "Did you mean ...?" hint is cut (fields, arguments, enum
    values, types: they spell out the schema to someone probing without it).
    """

    hide_suggestions = True

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if self.hide_suggestions:
                error.message = SUGGESTION.sub("", error.message)
            if is_unexpected(error):
                gql_log.error(
                    json.dumps({"event": "resolver_error", "path": error.path}),
                    exc_info=error.original_error,
                )
            else:
                gql_log.info(json.dumps({"event": "invalid_query", "error": error.message[:300]}))


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with the hardening the settings ask for, as one extension.

    Strawberry builds its extensions afresh for every request (a shared instance would
    mix concurrent requests' state), so the entry is a factory; one extension rather
    than six because each costs hook set-up on every request (api/hardened_operation.py).
    The limiters' validation rule classes are made once here: the validation cache is
    keyed by the rule classes, and new classes per request would make every lookup miss.
    """
    rules = [
        *QueryDepthLimiter(max_depth=settings.graphql_max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases).validation_rules,
        *CostLimiter(budget=settings.graphql_cost_budget).validation_rules,
    ]
    if not (settings.graphql_introspection or settings.graphiql_enabled):
        # GraphiQL needs introspection to show the schema.
        rules.extend(DisableIntrospection().validation_rules)
    extensions: list[Any] = [
        partial(
            HardenedOperation,
            rules,
            max_tokens=settings.graphql_max_tokens,
            should_mask_error=is_unexpected,
        )
    ]
    development = settings.environment == "development"
    config = StrawberryConfig(disable_field_suggestions=not development)
    built = HardenedSchema(query=Query, mutation=Mutation, extensions=extensions, config=config)
    built.hide_suggestions = not development
    return built


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


async def send_json(
    send: Send,
    status: int,
    body: dict[str, Any],
    request_id: str,
    extra: list[tuple[bytes, bytes]] | None = None,
) -> None:
    """A small JSON answer; ``request_id`` empty when ``send`` adds the header itself."""
    data = json.dumps(body).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(data)).encode()),
        *(extra or []),
    ]
    if request_id:
        headers.append((b"x-request-id", request_id.encode()))
    await send_whole(send, status, headers, data)


async def send_whole(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes
) -> None:
    """One complete response: its start, then its whole body."""
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": status,
        "headers": headers,
    }
    await send(start)
    await send({"type": "http.response.body", "body": body, "more_body": False})


class WindowLimiter:
    """A fixed one-minute window of requests per bucket: an API key, or a client address.

    Requests without a valid key are counted per address (guessing keys must cost
    something), requests with one per key. The table is dropped each minute, so it
    never holds more than a minute's buckets; a dict lookup per request, where
    Litestar's RateLimitMiddleware cost about 5% of a trustedPath request's CPU
    (its store, history encoding and extra send wrapper).
    """

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.window = 0
        self.counts: dict[str, int] = {}

    def retry_after(self, bucket: str, now: float) -> int:
        """0 when this request may go on, else the seconds until the next window."""
        if self.per_minute <= 0:
            return 0
        window = int(now // 60)
        if window != self.window:
            self.window, self.counts = window, {}
        count = self.counts[bucket] = self.counts.get(bucket, 0) + 1
        return 0 if count <= self.per_minute else 60 - int(now % 60)

    def headers(self, bucket: str, now: float) -> list[tuple[bytes, bytes]]:
        """RateLimit-* headers (IETF draft) for a response in ``bucket``'s window."""
        left = max(0, self.per_minute - self.counts.get(bucket, 0))
        return [
            (b"ratelimit-policy", f"{self.per_minute}; w=60".encode()),
            (b"ratelimit-limit", str(self.per_minute).encode()),
            (b"ratelimit-remaining", str(left).encode()),
            (b"ratelimit-reset", str(60 - int(now % 60)).encode()),
        ]


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def is_multipart(headers: dict[bytes, bytes]) -> bool:
    return headers.get(b"content-type", b"").lower().startswith(b"multipart/")


def body_limit(settings: Settings, headers: dict[bytes, bytes]) -> int:
    """Uploads (multipart) may be large; every other body is a GraphQL document."""
    return settings.import_max_bytes if is_multipart(headers) else settings.max_json_body_bytes


def limited(receive: Receive, limit: int) -> Receive:
    """``receive`` that counts body bytes as they stream in and stops past ``limit``.

    Content-Length is checked up front, but a chunked body has none: counting here
    cuts it at the limit whatever the framing, before the rest is read or buffered.
    Litestar answers the exception with 413.
    """
    received = 0

    async def receive_limited() -> ReceiveMessage:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise HTTPException(
                    status_code=HTTP_413_REQUEST_ENTITY_TOO_LARGE,
                    detail=f"request body larger than {limit} bytes",
                )
        return message

    return receive_limited


def refusal(
    scope: Scope, bad_keys: WindowLimiter
) -> tuple[int, dict[str, Any], list[tuple[bytes, bytes]]]:
    """The answer to a request without a valid key: 401, or 429 past the address's limit."""
    wait = bad_keys.retry_after(client_address(scope), time.time())
    if wait:
        error = "too many requests without a valid key"
        return 429, {"error": error}, [(b"retry-after", str(wait).encode())]
    return 401, {"error": "a valid API key is required (Authorization: Bearer <key>)"}, []


def announced_length(headers: dict[bytes, bytes], limit: int) -> int:
    """The Content-Length header (0 when absent; past ``limit`` when unparseable)."""
    try:
        return int(headers.get(b"content-length", b"0") or 0)
    except ValueError:
        return limit + 1


async def read_body(receive: Receive) -> bytes | None:
    """The whole request body (None if the client went away first)."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def replayed(body: bytes, receive: Receive) -> Receive:
    """``receive`` that hands out an already read ``body`` first, then listens on."""
    pending = True

    async def receive_again() -> ReceiveMessage:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return receive_again


async def answer_graphql(
    schema: strawberry.Schema,
    app: ASGIApp,
    scope: Scope,
    receive: Receive,
    send: Send,
    owner: KeyOwner,
) -> None:
    """A JSON POST to /graphql through :mod:`api.fast_graphql`, else through ``app``."""
    services: Services = scope["app"].state.services
    viewer = Viewer(owner.workspace, owner.member)
    try:
        body = await read_body(receive)
        if body is None:
            return
        answer = await fast_graphql.execute(schema, services, viewer, body)
    except HTTPException as exc:  # too large, or not a GraphQL request at all
        refused = {"status_code": exc.status_code, "detail": exc.detail}
        await send_json(send, exc.status_code, refused, "")
        return
    if answer is None:
        await app(scope, replayed(body, receive), send)
        return
    encoded, sub_response = answer
    status, headers = fast_graphql.head(encoded, sub_response)
    await send_whole(send, status, headers, encoded)
    if sub_response.background is not None:
        await sub_response.background()


async def dispatch(
    schema: strawberry.Schema | None,
    app: ASGIApp,
    scope: Scope,
    receive: Receive,
    send: Send,
    owner: KeyOwner | None,
) -> None:
    """Hand the request on: a JSON GraphQL one to the direct route when there is one."""
    if schema is not None and owner is not None and fast_graphql.qualifies(scope):
        await answer_graphql(schema, app, scope, receive, send, owner)
    else:
        await app(scope, receive, send)


def edge_middleware(settings: Settings, schema: strawberry.Schema | None = None) -> Any:
    """Request ids, JSON access logs, API-key auth, rate limits, body-size and time
    limits, and the request's planning budget; with ``schema``, JSON GraphQL requests
    are answered directly (:mod:`api.fast_graphql`)."""
    bad_keys = WindowLimiter(settings.bad_key_limit_per_minute)
    per_key = WindowLimiter(settings.rate_limit_per_minute)

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
            limit_headers: list[tuple[bytes, bytes]] = []

            async def send_with_id(message: Message) -> None:
                nonlocal status_seen
                if message["type"] == "http.response.start":
                    status_seen = message["status"]
                    extra = [(b"x-request-id", request_id.encode()), *limit_headers]
                    message["headers"] = [*message.get("headers", []), *extra]
                await send(message)

            budget = Budget(settings.request_expansions)
            budget_token = PLANNING_BUDGET.set(budget)

            try:
                if not is_open(scope):
                    services: Services = scope["app"].state.services
                    key = bearer(scope)
                    owner = services.appdb.authenticate(key) if key else None
                    if owner is None:
                        status, body, extra = refusal(scope, bad_keys)
                        await send_json(send_with_id, status, body, "", extra)
                        return
                    scope.setdefault("state", {})["key_owner"] = owner
                wait, limit_headers = rate_limit(per_key, scope)
                if wait:
                    retry = [(b"retry-after", str(wait).encode())]
                    await send_json(send_with_id, 429, {"error": "too many requests"}, "", retry)
                    return
                limit = body_limit(settings, headers)
                if announced_length(headers, limit) > limit:
                    await send_json(send_with_id, 413, {"error": "request body too large"}, "")
                    return
                try:
                    async with asyncio.timeout(settings.query_timeout_seconds):
                        await dispatch(
                            schema, app, scope, limited(receive, limit), send_with_id, owner
                        )
                except TimeoutError:
                    budget.stop = True  # a search still running in a thread gives up
                    if not status_seen:
                        status_seen = 504
                        await send_json(send_with_id, 504, {"error": "query timed out"}, "")
            finally:
                PLANNING_BUDGET.reset(budget_token)
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


def rate_limit(limiter: WindowLimiter, scope: Scope) -> tuple[int, list[tuple[bytes, bytes]]]:
    """(seconds to wait, 0 to go on; the RateLimit-* headers for the response)."""
    bucket = rate_bucket(scope)
    if not bucket or limiter.per_minute <= 0:
        return 0, []
    now = time.time()
    return limiter.retry_after(bucket, now), limiter.headers(bucket, now)


def rate_bucket(scope: Scope) -> str:
    """Whose minute a request counts against: its API key (hashed), else its address
    (the page's shell and static files); health checks count against nobody."""
    if scope["path"] in OPEN_PATHS:
        return ""
    key = bearer(scope)
    if key and scope.get("state", {}).get("key_owner") is not None:
        return "key:" + hash_key(key)[:16]
    return "ip:" + client_address(scope)


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
    config = settings  # narrowed for the closures below
    configure_logging()
    prepare_data_dir(settings)
    # Searches run in worker threads: hand the GIL back to the event loop sooner.
    sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        services = Services.build(settings, store)
        app.state.services = services
        # Load the default workspace's graph now rather than on the first query, then
        # move it out of the cyclic GC's sight: a full collection over a million-edge
        # graph would otherwise land inside some unlucky request.
        await services.store.planning_view(settings.workspace)
        gc.freeze()
        follower = None
        if isinstance(services.store, EmbeddedStore):  # other workers' and the CLI's writes
            follower = asyncio.create_task(services.store.follow_writes(settings.workspace))
        try:
            yield
        finally:
            if follower is not None:
                follower.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await follower
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

    graphql_schema = build_schema(settings)
    stock = make_graphql_controller(
        graphql_schema,
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
            if not config.graphiql_enabled:  # development, or WARMINTRO_GRAPHIQL=true
                return Response("Not Found", status_code=HTTP_404_NOT_FOUND)
            return graphiql_response()

    # The direct route answers what the controller would, with the same schema (and
    # caches); it encodes one JSON result, so incremental delivery stays the controller's.
    direct = (
        None if graphql_schema.config.enable_experimental_incremental_execution else graphql_schema
    )
    middleware: list[Any] = [edge_middleware(settings, direct)]
    return Litestar(
        route_handlers=[healthz, readyz, GraphQLController, *WEB_HANDLERS],
        lifespan=[lifespan],
        middleware=middleware,
        request_max_body_size=settings.import_max_bytes,
        debug=settings.environment == "development",
    )
