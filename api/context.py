"""The per-request GraphQL context: the services and who is asking."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.types import Info as StrawberryInfo

from warmintro.services import Planner, Viewer


@dataclass
class RequestContext:
    planner: Planner
    viewer: Viewer


Info = StrawberryInfo[RequestContext, None]
