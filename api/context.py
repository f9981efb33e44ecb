"""The per-request GraphQL context: the services and who is asking."""

from __future__ import annotations

from typing import Any

from strawberry.litestar import BaseContext
from strawberry.types import Info as StrawberryInfo

from services.access import Viewer
from services.runtime import Services


class RequestContext(BaseContext, kw_only=True):
    """Strawberry's Litestar context (request, response) plus our services and viewer."""

    services: Any  # Services; msgspec cannot type-check arbitrary classes
    viewer: Any  # Viewer
    person_loader: Any = None  # DataLoader[str, Person | None], one per request


Info = StrawberryInfo[RequestContext, None]

__all__ = ["Info", "RequestContext", "Services", "Viewer"]
