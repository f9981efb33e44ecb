"""The direct route for JSON GraphQL requests (api/fast_graphql.py) answers exactly what
Strawberry's Litestar controller answers, and hands it everything else.

A body with an ``extensions`` object is the controller's (the direct route takes only
query, variables and operationName), so each question is asked both ways and the two
answers compared byte for byte.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph.model import Evidence, ImportBatch, Member, Person, Relationship, Sharing
from services.appdb import AppDB
from services.settings import Settings
from tests.e2e.http_server import serve


@dataclass
class Server:
    url: str
    admin: str
    member: str


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from graph.store.embedded import EmbeddedStore

    data: Path = tmp_path_factory.mktemp("direct")
    store = EmbeddedStore(data / "warmintro.db")
    people = [Person(p, p.title()) for p in ("ana", "ben", "cy", "dee")]
    rels = [
        Relationship("ana", "ben", (Evidence(owner="ana", rating=0.9),)),
        Relationship("ben", "cy", (Evidence(owner="ana", rating=0.7),)),
        Relationship("cy", "dee", (Evidence(owner="ben", rating=0.8),)),
    ]
    members = [Member("ana", Sharing.FULL), Member("ben", Sharing.PRIVATE)]
    store.apply_sync("w", ImportBatch(people=people, relationships=rels, members=members))
    asyncio.run(store.close())
    db = AppDB(data / "app.db")
    db.create_workspace("w")
    admin, member = db.create_key("w", None), db.create_key("w", "ana")
    db.close()
    settings = Settings(
        data_dir=data, workspace="w", rate_limit_per_minute=0, environment="production"
    )
    with serve(settings) as url:
        yield Server(url, admin, member)


def post(server: Server, key: str, body: bytes, content_type: str = "application/json") -> Any:
    return httpx.post(
        server.url + "/graphql",
        content=body,
        headers={"Authorization": f"Bearer {key}", "Content-Type": content_type},
        timeout=30,
    )


PATH = (
    "query($t: String!) { trustedPath(to: $t, maxHops: 3) { __typename "
    "... on Path { probability hops people { id name } steps { from to evidence sources } } "
    "... on NoPath { reason } ... on PersonNotFound { message } } }"
)
QUESTIONS: list[dict[str, Any]] = [
    {"query": PATH, "variables": {"t": "cy"}},
    {"query": PATH, "variables": {"t": "dee"}},  # ben is private: no path for ana
    {"query": PATH, "variables": {"t": "nobody"}},
    {"query": "{ __typename }"},
    {"query": "query A { __typename } query B { me: __typename }", "operationName": "B"},
    {"query": "{ trustedPath(to: 3) }"},  # invalid: the validation errors
    {"query": "{ nosuchField }"},  # no "Did you mean" in production
    {"query": "{ __schema { types { name } } }"},  # introspection off
    {"query": "{ " + "a: __typename " * 400 + "}"},  # past the alias limit
    {"query": "{ { {"},  # a syntax error
    {"query": PATH, "variables": {"t": 5}},  # a variable of the wrong type
]


@pytest.mark.parametrize("question", QUESTIONS, ids=range(len(QUESTIONS)))
@pytest.mark.parametrize("who", ["admin", "member"])
def test_the_direct_route_answers_as_the_controller_does(
    server: Server, question: dict[str, Any], who: str
) -> None:
    key = server.admin if who == "admin" else server.member
    direct = post(server, key, json.dumps(question).encode())
    stock = post(server, key, json.dumps({**question, "extensions": {}}).encode())
    assert direct.status_code == stock.status_code == 200
    assert direct.content == stock.content
    assert direct.headers["content-type"] == stock.headers["content-type"]
    assert "x-request-id" in direct.headers


def test_a_path_is_found_through_the_direct_route(server: Server) -> None:
    answer = post(server, server.member, json.dumps(QUESTIONS[0]).encode()).json()
    found = answer["data"]["trustedPath"]
    assert found["__typename"] == "Path"
    assert [p["id"] for p in found["people"]] == ["ana", "ben", "cy"]


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        b'"a string"',
        b'{"variables": {}}',
        b'{"query": 5}',
        b'{"query": "{ __typename }", "variables": [1]}',
        b'[{"query": "{ __typename }"}, {"query": "{ __typename }"}]',
    ],
)
def test_other_bodies_are_the_controllers(server: Server, body: bytes) -> None:
    """Malformed, batched or odd bodies reach the stock controller, body intact (JSON
    that is not an object or a list, on which the controller fails with a 500, is
    refused by the direct route)."""
    answer = post(server, server.admin, body)
    if body.startswith(b"[{"):  # a batch: Strawberry refuses it unless batching is on
        assert answer.status_code == 400
        return
    assert answer.status_code == 400, answer.text
    assert "x-request-id" in answer.headers


def test_a_mutation_runs_through_the_direct_route(server: Server) -> None:
    upsert = 'mutation { upsertPerson(person: {id: "eve", name: "Eve E"}) { __typename } }'
    answer = post(server, server.admin, json.dumps({"query": upsert}).encode())
    assert answer.json() == {"data": {"upsertPerson": {"__typename": "Person"}}}
    look = '{ person(ref: "eve") { ... on Person { name } } }'
    answer = post(server, server.admin, json.dumps({"query": look}).encode())
    assert answer.json() == {"data": {"person": {"name": "Eve E"}}}


def test_without_a_key_nothing_runs(server: Server) -> None:
    answer = httpx.post(server.url + "/graphql", json={"query": "{ __typename }"}, timeout=30)
    assert answer.status_code == 401
