"""Pytest plugin: one real Neo4j 5.26 server per test session, never a mock, never skipped.

The server starts on first use of ``neo4j_server`` (through scripts/neo4j_server.py,
as instance ``pytest-<pid>``) and stops when the session ends, whatever happened.
If it cannot start, every test that needs it fails with the reason and the log tail.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import os
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol, cast

import pytest
from neo4j import AsyncDriver, AsyncGraphDatabase

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "neo4j_server.py"


class _Info(Protocol):
    uri: str
    user: str
    password: str


class _ServerScript(Protocol):
    """The part of scripts/neo4j_server.py this plugin uses."""

    def start(self, name: str) -> _Info: ...
    def stop(self, name: str) -> None: ...
    def instances(self) -> list[str]: ...


@cache
def server_script() -> _ServerScript:
    """scripts/neo4j_server.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("warmintro_neo4j_server", SCRIPT)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {SCRIPT}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return cast("_ServerScript", module)


@dataclass(frozen=True, slots=True)
class Neo4jServer:
    """Where the session's server listens and how to log in."""

    uri: str
    user: str
    password: str


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _reap_stale(script: _ServerScript) -> None:
    """Stop servers left by pytest runs that were killed before their teardown."""
    for name in script.instances():
        prefix, _, pid = name.partition("-")
        if prefix == "pytest" and pid.isdigit() and not _pid_alive(int(pid)):
            with contextlib.suppress(Exception):
                script.stop(name)


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Neo4jServer]:
    """A running Neo4j 5.26 Community server for the whole session (fails, never skips)."""
    script = server_script()
    name = f"pytest-{os.getpid()}"
    _reap_stale(script)
    atexit.register(script.stop, name)  # if the session is torn down abruptly
    try:
        info = script.start(name)
    except Exception as exc:
        with contextlib.suppress(Exception):
            script.stop(name)
        pytest.fail(f"could not start the Neo4j test server: {exc}", pytrace=False)
    try:
        yield Neo4jServer(info.uri, info.user, info.password)
    finally:
        script.stop(name)


@pytest.fixture(scope="session")
async def neo4j_driver(neo4j_server: Neo4jServer) -> AsyncIterator[AsyncDriver]:
    """The official async driver, connected to the session's server."""
    driver = AsyncGraphDatabase.driver(
        neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password)
    )
    try:
        await driver.verify_connectivity()
        yield driver
    finally:
        await driver.close()
