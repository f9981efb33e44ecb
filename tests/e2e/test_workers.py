"""Several server processes on the Neo4j backend: they share one socket and see each
other's writes. Runs `warmintro serve --workers 2` for real against the test server."""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cli.main import tcp_listener
from services.appdb import AppDB
from tests.e2e.http_server import serve_workers
from tests.neo4j_harness import Neo4jServer


async def nodelay_of_accepted(listener: socket.socket) -> int:
    """TCP_NODELAY on the server side of one connection accepted by asyncio."""
    flags: list[int] = []

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        flags.append(
            writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        )
        writer.close()

    server = await asyncio.start_server(on_connect, sock=listener)
    host, port = listener.getsockname()[:2]
    reader, writer = await asyncio.open_connection(host, port)
    await reader.read()
    writer.close()
    server.close()
    await server.wait_closed()
    return flags[0]


def test_shared_listener_gets_tcp_nodelay_on_every_connection() -> None:
    # The cause of 40 ms responses with uvicorn's own multi-worker socket: asyncio sets
    # TCP_NODELAY only on sockets whose protocol is IPPROTO_TCP, and proto 0 is not.
    plain = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    plain.bind(("127.0.0.1", 0))
    assert asyncio.run(nodelay_of_accepted(plain)) == 0
    assert asyncio.run(nodelay_of_accepted(tcp_listener("127.0.0.1", 0))) != 0


@pytest.fixture
def two_workers(neo4j_server: Neo4jServer, tmp_path: Path) -> Iterator[tuple[str, str]]:
    db = AppDB(tmp_path / "app.db")
    workspace = f"w{os.getpid()}{time.monotonic_ns() % 10**6}"
    db.create_workspace(workspace)
    key = db.create_key(workspace, None)
    db.close()
    env = {
        "WARMINTRO_BACKEND": "neo4j",
        "WARMINTRO_NEO4J_URI": neo4j_server.uri,
        "WARMINTRO_NEO4J_USER": neo4j_server.user,
        "WARMINTRO_NEO4J_PASSWORD": neo4j_server.password,
        "WARMINTRO_DATA_DIR": str(tmp_path),
        "WARMINTRO_WORKSPACE": workspace,
        "WARMINTRO_RATE_LIMIT_PER_MINUTE": "0",
    }
    with serve_workers(env, log=tmp_path / "server.log") as url:
        yield url, key


def test_two_workers_serve_and_see_each_others_writes(two_workers: tuple[str, str]) -> None:
    url, key = two_workers
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}) as client:

        def gql(query: str) -> dict[str, object]:
            # A fresh connection per request lets the kernel spread them over both workers.
            r = client.post("/graphql", json={"query": query}, headers={"Connection": "close"})
            assert r.status_code == 200, r.text
            data: dict[str, object] = r.json()["data"]
            return data

        assert gql("{ networkStats { people } }") == {"networkStats": {"people": 0}}
        for i in range(5):
            created = gql(
                f'mutation {{ upsertPerson(person: {{id: "p{i}", name: "Person {i}"}}) '
                "{ __typename } }"
            )
            assert created == {"upsertPerson": {"__typename": "Person"}}
            # Whichever worker answers, it sees every write so far.
            for _ in range(6):
                assert gql("{ networkStats { people } }") == {"networkStats": {"people": i + 1}}


def test_a_revoked_key_stops_working_on_every_worker(
    two_workers: tuple[str, str], tmp_path: Path
) -> None:
    """Keys are checked against the app database on every request, never a per-worker
    cache: once revoked (through either worker), no worker accepts the key."""
    url, admin = two_workers
    db = AppDB(tmp_path / "app.db")
    (workspace,) = db.workspaces()
    key = db.create_key(workspace, None)
    db.close()

    def status(k: str, query: str = "{ networkStats { people } }") -> int:
        r = httpx.post(
            url + "/graphql",
            json={"query": query},
            headers={"Authorization": f"Bearer {k}", "Connection": "close"},
            timeout=30,
        )
        return r.status_code

    assert [status(key) for _ in range(6)] == [200] * 6
    revoke = f'mutation {{ revokeApiKey(prefix: "{key[:10]}") {{ __typename }} }}'
    assert status(admin, revoke) == 200
    assert [status(key) for _ in range(8)] == [401] * 8
    assert status(admin) == 200
