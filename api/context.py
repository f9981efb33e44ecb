"""The per-request GraphQL context: the services and who is asking, typed.

Resolvers reach every service through ``info.context``; with these types mypy
--strict checks each resolver→service call (a misspelt keyword fails the build).
"""

from __future__ import annotations

from typing import Any

from litestar import Response
from strawberry.dataloader import DataLoader
from strawberry.litestar import BaseContext
from strawberry.types import Info as StrawberryInfo

from graph.model import Person
from services.access import Viewer
from services.runtime import Services

NOBODY = Viewer(workspace="", member="")
"""The viewer of a request that executes nothing (GraphiQL's HTML shell): a member
of no workspace, so it could see nothing even if something ran."""


class RequestContext(BaseContext, kw_only=True):
    """Strawberry's Litestar context (request, response) plus our services and viewer."""

    services: Services
    viewer: Viewer
    person_loader: DataLoader[str, Person | None]  # one per request: no N+1 on people


def request_context(
    services: Services, viewer: Viewer, response: Response[Any] | None = None
) -> RequestContext:
    """A fresh context for one request: people it names are loaded in one batch;
    ``response`` is where resolvers set a status code (a store outage is a 503)."""

    async def load_people(ids: list[str]) -> list[Person | None]:
        return [await services.store.person(viewer.workspace, pid) for pid in ids]

    return RequestContext(
        services=services,
        viewer=viewer,
        person_loader=DataLoader(load_fn=load_people),
        response=response,
    )


Info = StrawberryInfo[RequestContext, None]

__all__ = ["NOBODY", "Info", "RequestContext", "Services", "Viewer", "request_context"]
