"""One schema extension for the API's per-operation hardening: limits, caches, masking.

Strawberry builds every extension afresh for each request and wraps each of its hooks
in a context manager, so six small extensions (extra validation rules, a token limit,
parse and validation caches, error masking, no introspection) cost more CPU per
request than a cached ``{ __typename }`` itself (about 60% of ``Schema.execute``
under cProfile; ``MaskErrors`` alone checks each result against a runtime
``Protocol``, ~9%). This does the same work in one extension:

- ``on_operation``: appends the validation rules (depth, aliases, cost, and
  introspection when it is off) and sets the parser's token limit; after the
  operation, masks the errors ``should_mask_error`` picks, as ``MaskErrors`` does;
- ``on_parse`` / ``on_validate``: LRU caches of the parsed document (by text and
  parse options) and of the validation errors (by schema, the parsed document's
  identity and rules).

Example::

    rules = (*QueryDepthLimiter(max_depth=10).validation_rules,)
    schema = strawberry.Schema(
        Query, extensions=[partial(HardenedOperation, rules, max_tokens=2000)]
    )
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any

from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema
from graphql.language.parser import parse
from strawberry.extensions import MaskErrors
from strawberry.schema.schema import validate_document

CACHE_SIZE = 512
"""Distinct documents kept parsed and validated (clients send a handful)."""


@lru_cache(maxsize=CACHE_SIZE)
def parsed(query: str, **options: Any) -> DocumentNode:
    return parse(query, **options)


class SameDocument:
    """A parsed document as a cache key, compared by identity.

    ``parsed`` hands out one document object per query text, so identity finds the
    same validation; hashing the AST itself walks every node (~11 us per request for
    the benchmark's trustedPath query). The key holds the document, so its id cannot
    be reused while it is cached.
    """

    __slots__ = ("document",)

    def __init__(self, document: DocumentNode) -> None:
        self.document = document

    def __hash__(self) -> int:
        return id(self.document)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SameDocument) and other.document is self.document


@lru_cache(maxsize=CACHE_SIZE)
def validated(
    schema: GraphQLSchema, document: SameDocument, rules: tuple[type[ASTValidationRule], ...]
) -> list[GraphQLError]:
    return validate_document(schema, document.document, rules)


class HardenedOperation(MaskErrors):
    """Extra validation rules, a token limit, parse/validation caches and error masking.

    The rule classes must be made once (not per request): the validation cache is keyed
    by them, and new classes would make every lookup miss.
    """

    def __init__(
        self,
        rules: Sequence[type[ASTValidationRule]],
        *,
        max_tokens: int,
        should_mask_error: Callable[[GraphQLError], bool],
    ) -> None:
        super().__init__(should_mask_error=should_mask_error)
        self.rules = tuple(rules)
        self.max_tokens = max_tokens

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.validation_rules = (*context.validation_rules, *self.rules)
        context.parse_options["max_tokens"] = self.max_tokens
        yield from super().on_operation()

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None:
            context.graphql_document = parsed(context.query, **context.parse_options)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None
        context.pre_execution_errors = validated(
            context.schema._schema,
            SameDocument(context.graphql_document),
            context.validation_rules,
        )
        yield

    def _process_result(self, result: object) -> None:
        # MaskErrors asks isinstance(result, <runtime Protocol>): slow on every request.
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = self._process_errors(errors)  # type: ignore[attr-defined]
