"""A cost limit for expensive fields (OWASP GraphQL: limit query cost).

Depth and alias limits bound a document's shape; they do not stop one request
from asking for forty path searches through aliases, fragments or repeated
fields. Each planning field has a cost; a document whose operations sum past the
budget is rejected before execution.

Path searches are priced by their arguments, from measurements on the demo
workspace (``scripts/measure_search_cost.py``): about 10 µs per label expansion,
and one cost unit buys ``Settings.expansions_per_cost_unit`` (1,000) expansions
at run time, so the validation price and the run-time budget agree. Yen's k
paths (``diverseFirstHops: false``) grow with k × hops (k=50, 6 hops: ~100k
expansions, 1.1 s mean); the default diverse search grows with hops (k=50, 6
hops: ~4k). An argument given as a variable is priced at its worst value: the
validator cannot see variables.

Example::

    schema = strawberry.Schema(Query, extensions=[CostLimiter({"reach": 20}, budget=60)])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from graphql import (
    BooleanValueNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)
from strawberry.extensions.add_validation_rules import AddValidationRules

from graph.model import DEFAULT_MAX_HOPS, MAX_HOPS

DEFAULT_COSTS: Mapping[str, int] = {
    "trustedPath": 10,
    "alternativePaths": 25,
    "introducers": 20,
    "reach": 25,
    "draftIntroRequest": 20,
    "exportPaths": 25,
    "exportEgo": 25,
    "searchPeople": 5,
    "importLinkedIn": 30,
    "importEdges": 30,
}


def int_arg(node: FieldNode, name: str, default: int, worst: int) -> int:
    """A literal int argument, its default when absent, ``worst`` for a variable."""
    for arg in node.arguments or ():
        if arg.name.value == name:
            if isinstance(arg.value, IntValueNode):
                try:
                    return min(max(int(arg.value.value), 0), worst)
                except ValueError:
                    return worst
            return worst
    return default


def bool_arg(node: FieldNode, name: str, default: bool, worst: bool) -> bool:
    for arg in node.arguments or ():
        if arg.name.value == name:
            value = arg.value
            return value.value if isinstance(value, BooleanValueNode) else worst
    return default


def trusted_path_cost(node: FieldNode) -> int:
    hops = int_arg(node, "maxHops", DEFAULT_MAX_HOPS, MAX_HOPS)
    return 5 + 2 * hops


def alternative_paths_cost(node: FieldNode) -> int:
    """Diverse first hops: one backward search (grows with hops); Yen's: k searches."""
    k = int_arg(node, "k", 3, 50)
    hops = int_arg(node, "maxHops", DEFAULT_MAX_HOPS, MAX_HOPS)
    if bool_arg(node, "diverseFirstHops", True, False):
        return 5 + 2 * hops + k // 10
    return 5 + k * hops // 3


PRICED_BY_ARGUMENTS: Mapping[str, Callable[[FieldNode], int]] = {
    "trustedPath": trusted_path_cost,
    "alternativePaths": alternative_paths_cost,
}


def field_cost(node: FieldNode, costs: Mapping[str, int]) -> int:
    name = node.name.value
    priced = PRICED_BY_ARGUMENTS.get(name)
    return priced(node) if priced is not None and name in costs else costs.get(name, 0)


def document_cost(
    selection: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    costs: Mapping[str, int],
    seen: frozenset[str] = frozenset(),
) -> int:
    """Sum the costs of root fields, including those reached through fragments.

    Only root (Query/Mutation) fields are priced: nested fields that share a name
    (``IntroducerList.introducers``) cost nothing extra.
    """
    if selection is None:
        return 0
    total = 0
    for node in selection.selections:
        if isinstance(node, FieldNode):
            total += field_cost(node, costs)
        elif isinstance(node, InlineFragmentNode):
            total += document_cost(node.selection_set, fragments, costs, seen)
        elif isinstance(node, FragmentSpreadNode):
            name = node.name.value
            if name in fragments and name not in seen:
                total += document_cost(
                    fragments[name].selection_set, fragments, costs, seen | {name}
                )
    return total


class CostLimiter(AddValidationRules):
    """Reject documents whose summed field cost exceeds ``budget``."""

    def __init__(self, costs: Mapping[str, int] = DEFAULT_COSTS, *, budget: int = 60) -> None:
        class CostRule(ValidationRule):
            def __init__(self, context: ValidationContext) -> None:
                super().__init__(context)
                doc = context.document
                fragments = {
                    d.name.value: d
                    for d in doc.definitions
                    if isinstance(d, FragmentDefinitionNode)
                }
                for op in doc.definitions:
                    if isinstance(op, OperationDefinitionNode):
                        cost = document_cost(op.selection_set, fragments, costs)
                        if cost > budget:
                            context.report_error(
                                GraphQLError(f"query cost {cost} exceeds the budget of {budget}")
                            )

        super().__init__([CostRule])
