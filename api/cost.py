"""A cost limit for expensive fields (OWASP GraphQL: limit query cost).

Depth and alias limits bound a document's shape; they do not stop one request
from asking for forty path searches through aliases, fragments or repeated
fields. Each planning field has a cost; a document whose operations sum past the
budget is rejected before execution.

Example::

    schema = strawberry.Schema(Query, extensions=[CostLimiter({"reach": 20}, budget=60)])
"""

from __future__ import annotations

from collections.abc import Mapping

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)
from strawberry.extensions.add_validation_rules import AddValidationRules

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
            total += costs.get(node.name.value, 0)
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
