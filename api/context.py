"""The per-request GraphQL context: the services and who is asking."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.types import Info as StrawberryInfo

from warmintro.runtime import Services
from warmintro.services import Viewer


@dataclass
class RequestContext:
    services: Services
    viewer: Viewer


Info = StrawberryInfo[RequestContext, None]
