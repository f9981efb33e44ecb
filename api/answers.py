"""One decorator turns a resolver's domain failures into members of its result union.

Every result union carries the same problem members (``t.PROBLEMS``), so whatever
domain error a service raises has a typed answer; a store outage is an
infrastructure failure instead: logged, answered with a short masked message and
HTTP 503, never "Unexpected error.".

Examples
--------
>>> import asyncio
>>> from graph.errors import PersonNotFound
>>> @answers
... async def person(ref: str) -> object:
...     raise PersonNotFound(ref)
>>> type(asyncio.run(person("nobody"))).__name__
'PersonNotFound'
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar, cast

from graphql import GraphQLError
from litestar.status_codes import HTTP_503_SERVICE_UNAVAILABLE
from strawberry.types import Info as StrawberryInfo

from api import types as t
from graph.errors import StoreUnavailable, WarmintroError

P = ParamSpec("P")
R = TypeVar("R")
log = logging.getLogger("warmintro.api")
OUTAGE_MESSAGE = "The store is unavailable right now; try again shortly."


def _info(args: tuple[Any, ...], kwargs: dict[str, Any]) -> StrawberryInfo[Any, Any] | None:
    found = kwargs.get("info")
    if isinstance(found, StrawberryInfo):
        return found
    return next((a for a in args if isinstance(a, StrawberryInfo)), None)


def outage(err: StoreUnavailable, info: StrawberryInfo[Any, Any] | None) -> GraphQLError:
    """Log the outage with its cause; answer 503 with a message that reveals nothing."""
    log.warning("store unavailable: %s", err)
    response = getattr(getattr(info, "context", None), "response", None)
    if response is not None:
        response.status_code = HTTP_503_SERVICE_UNAVAILABLE
    return GraphQLError(OUTAGE_MESSAGE, extensions={"code": "STORE_UNAVAILABLE"})


def answers(resolver: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Wrap a resolver whose return type is a result union (see the module doc)."""

    @functools.wraps(resolver)
    async def answer(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await resolver(*args, **kwargs)
        except StoreUnavailable as err:
            raise outage(err, _info(args, kwargs)) from err
        except WarmintroError as err:
            return cast(R, t.problem_of(err))  # a member of every result union

    return answer


def plain_errors(resolver: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """For the few fields whose type is not a union (fixed by the contract): a domain
    error becomes a GraphQL error with its message and ``extensions.code`` naming the
    error type (e.g. ``InvalidInput`` for a malformed cursor), never a masked crash."""

    @functools.wraps(resolver)
    async def answer(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await resolver(*args, **kwargs)
        except StoreUnavailable as err:
            raise outage(err, _info(args, kwargs)) from err
        except WarmintroError as err:
            raise GraphQLError(str(err), extensions={"code": type(err).__name__}) from err

    return answer
