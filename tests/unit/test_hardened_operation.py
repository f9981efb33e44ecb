"""api/hardened_operation.py through ``schema.execute`` (no HTTP): the one extension does
what the six it replaced did — rules, token limit, caches, masking."""

from __future__ import annotations

import asyncio
from functools import partial

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableIntrospection, QueryDepthLimiter

from api.hardened_operation import HardenedOperation, parsed, validated


def crashes(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


@strawberry.type
class Node:
    @strawberry.field
    def child(self) -> Node:
        return Node()

    @strawberry.field
    def name(self) -> str:
        return "n"


@strawberry.type
class Query:
    @strawberry.field
    def node(self) -> Node:
        return Node()

    @strawberry.field
    def boom(self) -> str:
        raise RuntimeError("secret internals")


def schema(max_tokens: int = 1000) -> strawberry.Schema:
    rules = [
        *QueryDepthLimiter(max_depth=3).validation_rules,
        *DisableIntrospection().validation_rules,
    ]
    hardening = partial(HardenedOperation, rules, max_tokens=max_tokens, should_mask_error=crashes)
    return strawberry.Schema(query=Query, extensions=[hardening])


def run(s: strawberry.Schema, query: str) -> strawberry.types.ExecutionResult:
    return asyncio.run(s.execute(query))


def messages(result: strawberry.types.ExecutionResult) -> list[str]:
    return [e.message for e in result.errors or []]


def test_a_plain_query_answers() -> None:
    result = run(schema(), "{ node { child { name } } }")
    assert result.errors is None
    assert result.data == {"node": {"child": {"name": "n"}}}


def test_the_rules_hold() -> None:
    deep = run(schema(), "{ node { child { child { child { name } } } } }")
    assert deep.data is None
    assert any("exceeds maximum operation depth" in m for m in messages(deep))
    introspection = run(schema(), "{ __schema { types { name } } }")
    assert any("introspection" in m.lower() for m in messages(introspection))


def test_the_token_limit_holds() -> None:
    result = run(schema(max_tokens=10), "{ node { child { child { name } } } }")
    assert result.data is None
    assert any("more than 10 tokens" in m for m in messages(result))


def test_crashes_are_masked_and_validation_errors_are_not() -> None:
    crashed = run(schema(), "{ boom }")
    assert messages(crashed) == ["Unexpected error."]
    invalid = run(schema(), "{ nosuch }")
    assert messages(invalid) == ["Cannot query field 'nosuch' on type 'Query'."]


def test_documents_and_validation_are_cached_across_requests() -> None:
    s = schema()
    query = "{ node { name } }"
    run(s, query)
    parse_hits, validate_hits = parsed.cache_info().hits, validated.cache_info().hits
    assert run(s, query).data == {"node": {"name": "n"}}
    assert parsed.cache_info().hits == parse_hits + 1
    assert validated.cache_info().hits == validate_hits + 1
