"""The thin thread to the real server: statements from queries/ through the async driver."""

from __future__ import annotations

import uuid

import pytest
from neo4j import AsyncDriver, AsyncManagedTransaction

from graph.store.cypher import load_query

pytestmark = pytest.mark.neo4j


@pytest.mark.parametrize("value", ["hello", 42, 2.5, None, ["a", 1], {"k": "v"}])
async def test_ping_round_trips(neo4j_driver: AsyncDriver, value: object) -> None:
    q = load_query("ping")
    records, _, _ = await neo4j_driver.execute_query(q.text, {"value": value})
    assert records[0]["value"] == value


async def test_server_is_neo4j_5_26(neo4j_driver: AsyncDriver) -> None:
    info = await neo4j_driver.get_server_info()
    assert info.agent.startswith("Neo4j/5.26.")


async def test_write_transaction_then_read_back(neo4j_driver: AsyncDriver) -> None:
    marker = uuid.uuid4().hex

    async def create(tx: AsyncManagedTransaction) -> str:
        result = await tx.run("CREATE (s:Smoke {marker: $m}) RETURN s.marker AS m", m=marker)
        record = await result.single(strict=True)
        return str(record["m"])

    async def count(tx: AsyncManagedTransaction) -> int:
        result = await tx.run("MATCH (s:Smoke {marker: $m}) RETURN count(s) AS n", m=marker)
        record = await result.single(strict=True)
        return int(record["n"])

    async with neo4j_driver.session() as session:
        assert await session.execute_write(create) == marker
        assert await session.execute_read(count) == 1
        deleted = await session.run("MATCH (s:Smoke {marker: $m}) DETACH DELETE s", m=marker)
        await deleted.consume()
        assert await session.execute_read(count) == 0
