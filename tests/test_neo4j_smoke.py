"""The thin thread to the real server: a statement from queries/ through the async driver."""

from __future__ import annotations

import uuid

import pytest
from neo4j import AsyncDriver

from graph.cypher import load_query

pytestmark = pytest.mark.neo4j


async def test_ping_round_trips(neo4j_driver: AsyncDriver) -> None:
    q = load_query("ping")
    records, _, _ = await neo4j_driver.execute_query(q.text, {"value": "hello"})
    assert records[0]["value"] == "hello"


async def test_server_is_neo4j_5_26(neo4j_driver: AsyncDriver) -> None:
    info = await neo4j_driver.get_server_info()
    assert info.agent.startswith("Neo4j/5.26")


async def test_write_then_read(neo4j_driver: AsyncDriver) -> None:
    marker = uuid.uuid4().hex
    await neo4j_driver.execute_query("CREATE (:Smoke {marker: $m})", {"m": marker})
    records, _, _ = await neo4j_driver.execute_query(
        "MATCH (s:Smoke {marker: $m}) RETURN count(s) AS n", {"m": marker}
    )
    assert records[0]["n"] == 1
