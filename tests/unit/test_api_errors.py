"""Every expected failure has a typed GraphQL answer; a store outage is a masked 503.

The schema is walked, not listed by hand: a new query, mutation or domain error
that breaks the rule fails here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLList, GraphQLNamedType, GraphQLNonNull, GraphQLUnionType
from litestar.testing import TestClient

from api import types as t
from api.answers import OUTAGE_MESSAGE
from api.app import create_app, schema
from graph.errors import (
    AmbiguousPerson,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    NoPath,
    NoPathReason,
    PersonNotFound,
    QueryTooExpensive,
    StoreUnavailable,
    WarmintroError,
)
from graph.store.embedded import EmbeddedStore
from services.appdb import AppDB, IntroRequestNotFound
from services.settings import Settings

SAMPLES: dict[type[WarmintroError], Callable[[], WarmintroError]] = {
    PersonNotFound: lambda: PersonNotFound("nobody"),
    AmbiguousPerson: lambda: AmbiguousPerson("Ana", ["a1", "a2"]),
    NoPath: lambda: NoPath(NoPathReason.SAME_PERSON),
    InvalidInput: lambda: InvalidInput("bad", field="x"),
    Forbidden: lambda: Forbidden("no"),
    InvalidTransition: lambda: InvalidTransition("drafted", "met"),
    QueryTooExpensive: lambda: QueryTooExpensive(30_000),
    IntroRequestNotFound: lambda: IntroRequestNotFound("r1"),
}
"""One instance of every domain error the services raise (StoreUnavailable aside)."""


def subclasses(cls: type[WarmintroError]) -> Iterator[type[WarmintroError]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def named(type_: Any) -> GraphQLNamedType:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    assert isinstance(type_, GraphQLNamedType)
    return type_


def result_fields() -> list[tuple[str, GraphQLUnionType]]:
    gql = schema._schema
    out = []
    for root in (gql.query_type, gql.mutation_type):
        assert root is not None
        for name, field in root.fields.items():
            kind = named(field.type)
            if isinstance(kind, GraphQLUnionType):
                out.append((f"{root.name}.{name}", kind))
    return out


def test_every_domain_error_has_a_sample() -> None:
    known = {StoreUnavailable, *SAMPLES}
    assert set(subclasses(WarmintroError)) <= known, "add a sample for the new error"


@pytest.mark.parametrize(("field", "union"), result_fields(), ids=str)
def test_every_result_union_answers_every_domain_error(field: str, union: GraphQLUnionType) -> None:
    members = {m.name for m in union.types}
    for error_type, make in SAMPLES.items():
        problem = t.problem_of(make())
        assert type(problem).__name__ in members, f"{field}: {error_type.__name__}"


def test_every_query_and_mutation_with_failures_returns_a_union() -> None:
    """The fields the contract fixes as plain types; everything else is a union."""
    plain = {"networkStats", "lintOutreach", "introRequests", "members"}
    gql = schema._schema
    for root in (gql.query_type, gql.mutation_type):
        assert root is not None
        for name, field in root.fields.items():
            if name not in plain:
                assert isinstance(named(field.type), GraphQLUnionType), name


class DownStore(EmbeddedStore):
    """A store whose reads fail, once ``down``, the way a lost connection does."""

    down = False

    async def planning_view(self, workspace: str) -> Any:
        if self.down:
            raise StoreUnavailable("connection refused (10.0.0.7:7687)")
        return await super().planning_view(workspace)

    async def person(self, workspace: str, person_id: str) -> Any:
        if self.down:
            raise StoreUnavailable("connection refused (10.0.0.7:7687)")
        return await super().person(workspace, person_id)


@pytest.fixture
def client_and_key(tmp_path: Path) -> Iterator[tuple[TestClient[Any], str]]:
    settings = Settings(data_dir=tmp_path, rate_limit_per_minute=0, environment="production")
    db = AppDB(tmp_path / "app.db")
    db.create_workspace(settings.workspace)
    key = db.create_key(settings.workspace, None)
    db.close()
    store = DownStore(tmp_path / "graph.db")
    with TestClient(app=create_app(settings, store=store)) as client:
        store.down = True
        yield client, key


@pytest.mark.parametrize(
    "query",
    [
        '{ trustedPath(to: "x") { __typename } }',
        '{ person(ref: "x") { __typename } }',
        '{ introducers(to: "x") { __typename } }',
        '{ introRequests(after: "b2Zmc2V0OjA=") { edges { cursor } } }',
    ],
)
def test_a_store_outage_is_a_masked_503(
    client_and_key: tuple[TestClient[Any], str], query: str
) -> None:
    client, key = client_and_key
    resp = client.post(
        "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {key}"}
    )
    body = resp.json()
    if resp.status_code == 200:  # introRequests reads the app DB, which is up
        assert "errors" not in body
        return
    assert resp.status_code == 503
    assert body["errors"][0]["message"] == OUTAGE_MESSAGE
    assert "10.0.0.7" not in resp.text  # the cause is logged, not shown


def test_a_malformed_cursor_is_invalid_input_not_a_crash(
    client_and_key: tuple[TestClient[Any], str],
) -> None:
    client, key = client_and_key
    resp = client.post(
        "/graphql",
        json={"query": '{ introRequests(after: "%%%") { edges { cursor } } }'},
        headers={"Authorization": f"Bearer {key}"},
    )
    error = resp.json()["errors"][0]
    assert error["extensions"]["code"] == "InvalidInput"
    assert "Unexpected error" not in error["message"]
