"""Pytest plugin: one real Neo4j server per test session (never a mock, never skipped).

Started on first use through scripts/neo4j_server.py and stopped at session end.
If it cannot start, every test that needs it fails with the reason.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from neo4j import AsyncDriver, AsyncGraphDatabase

ROOT = Path(__file__).resolve().parent.parent


def _server_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("neo4j_server", ROOT / "scripts" / "neo4j_server.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["neo4j_server"] = module
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Neo4jServer:
    uri: str
    user: str
    password: str


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Neo4jServer]:
    server = _server_module()
    name = f"pytest-{os.getpid()}"
    try:
        info = server.start(name)
    except Exception as exc:  # noqa: BLE001 - any failure must fail loudly, with its text
        server.stop(name)
        pytest.fail(f"could not start the Neo4j test server: {exc}", pytrace=False)
    try:
        yield Neo4jServer(info.uri, info.user, info.password)
    finally:
        server.stop(name)


@pytest.fixture(scope="session")
async def neo4j_driver(neo4j_server: Neo4jServer) -> AsyncIterator[AsyncDriver]:
    driver = AsyncGraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password))
    try:
        await driver.verify_connectivity()
        yield driver
    finally:
        await driver.close()
