"""A direct route for the common GraphQL request: ``POST /graphql`` with a JSON body.

Through Litestar's controller a request pays for routing, dependency injection, a
signature model, Strawberry's request adapter and a ``Response`` object before and
after the schema runs: on a 2-core machine that machinery cost more server CPU per
request than the schema's own parse, validate and execute (scripts/bench_http_team.py,
py-spy). This handler runs the same schema (the same extensions: caches, limits, error
masking) with the same context and encodes the result exactly as Strawberry's view does
(``process_result``, compact JSON, status 200). Everything else (multipart uploads,
batches, streaming ``Accept`` types, GraphiQL, a body that is not one JSON object with
the expected field types, a document Strawberry answers with an HTTP error) is handed to
the stock controller unchanged, the body replayed, so its answer is the controller's.

Example (inside ASGI middleware, after authentication)::

    if await graphql.handle(scope, receive, send, viewer):
        return  # answered
"""

from __future__ import annotations

import json
from typing import Any

import strawberry
from litestar import Response
from litestar.background_tasks import BackgroundTasks
from litestar.exceptions import HTTPException
from litestar.types import Scope
from strawberry.exceptions import MissingQueryError
from strawberry.http import process_result
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from api.context import request_context
from services.access import Viewer
from services.runtime import Services

POST_OPERATIONS = frozenset(OperationType.from_http("POST"))
STREAMING_ACCEPT = (b"multipart/", b"text/event-stream")
HANDED_ON = (CannotGetOperationTypeError, InvalidOperationTypeError, MissingQueryError)
"""Strawberry's view answers these with an HTTP error of its own: let it."""
NOT_A_REQUEST = "a GraphQL request is a JSON object (or a list of them)"


def qualifies(scope: Scope) -> bool:
    """A plain JSON POST to /graphql that expects one JSON answer."""
    if scope.get("method") != "POST" or scope["path"] != "/graphql":
        return False
    headers = dict(scope.get("headers", ()))
    if b"application/json" not in headers.get(b"content-type", b"").lower():
        return False
    accept = headers.get(b"accept", b"").lower()
    return not any(kind in accept for kind in STREAMING_ACCEPT)


def operation(body: bytes) -> tuple[str, dict[str, Any] | None, str | None] | None:
    """(query, variables, operation name) of a single JSON request, else None.

    JSON that is neither an object nor a list (a batch) is refused here: the stock
    controller would fail on it with a 500.
    """
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        if isinstance(data, list):
            return None
        raise HTTPException(status_code=400, detail=NOT_A_REQUEST)
    query, variables = data.get("query"), data.get("variables")
    name, extensions = data.get("operationName"), data.get("extensions")
    if not isinstance(query, str) or extensions is not None:
        return None
    if not isinstance(variables, (dict, type(None))) or not isinstance(name, (str, type(None))):
        return None
    return query, variables, name


async def execute(
    schema: strawberry.Schema, services: Services, viewer: Viewer, body: bytes
) -> tuple[bytes, Response[Any]] | None:
    """The encoded answer to ``body`` and the response resolvers may have set a status,
    headers or cookies on (as the controller's ``sub_response``), or None when the stock
    controller should answer."""
    parsed = operation(body)
    if parsed is None:
        return None
    query, variables, name = parsed
    sub_response: Response[Any] = Response({}, background=BackgroundTasks([]))
    try:
        result = await schema.execute(
            query,
            variable_values=variables,
            context_value=request_context(services, viewer, sub_response),
            operation_name=name,
            allowed_operation_types=POST_OPERATIONS,
        )
    except HANDED_ON:
        return None
    return json.dumps(process_result(result), separators=(",", ":")).encode(), sub_response


def head(answer: bytes, sub_response: Response[Any]) -> tuple[int, list[tuple[bytes, bytes]]]:
    """Status and headers of the answer, with what resolvers set on ``sub_response``."""
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(answer)).encode()),
    ]
    headers += [
        (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in sub_response.headers.items()
    ]
    headers += [cookie.to_encoded_header() for cookie in sub_response.cookies]
    return sub_response.status_code or 200, headers
