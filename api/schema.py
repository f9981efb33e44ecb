"""The GraphQL schema. Resolvers are thin: resolve arguments, call a service, map results."""

from __future__ import annotations

import strawberry

from api.context import Info


@strawberry.type(description="Size of the caller's workspace.")
class NetworkStats:
    people: int
    relationships: int
    interactions: int
    members: int
    merges: int


@strawberry.type
class Query:
    @strawberry.field(description="Counts of people, relationships and interactions.")
    async def network_stats(self, info: Info) -> NetworkStats:
        s = await info.context.planner.stats(info.context.viewer)
        return NetworkStats(
            people=s.people,
            relationships=s.relationships,
            interactions=s.interactions,
            members=s.members,
            merges=s.merges,
        )


schema = strawberry.Schema(query=Query)
