"""``exportPaths``: the paths to a target as GraphML, GEXF, Cytoscape.js JSON or Mermaid.

A thin resolver: plan with the same service as ``alternativePaths``, then hand
the rendered paths to :mod:`graph.exports`. Mount it on ``Query``::

    export_paths: ExportResult = strawberry.field(
        resolver=export_paths, description=EXPORT_PATHS_DESCRIPTION
    )
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from api import types as t
from api.context import Info
from graph import exports
from graph.errors import WarmintroError
from warmintro.render import path_dict

# Registers the domain enum with Strawberry (it returns the same class, so mypy
# sees a real type); graph/ itself stays free of Strawberry.
ExportFormat = exports.ExportFormat
strawberry.enum(ExportFormat, name="ExportFormat")

MEDIA_TYPES = {
    exports.ExportFormat.GRAPHML: "application/graphml+xml",
    exports.ExportFormat.GEXF: "application/gexf+xml",
    exports.ExportFormat.CYTOSCAPE: "application/json",
    exports.ExportFormat.MERMAID: "text/vnd.mermaid",
}

EXPORT_PATHS_DESCRIPTION = (
    "The k best paths to a person as one graph file: GraphML, GEXF (Gephi), "
    "Cytoscape.js elements JSON or a Mermaid flowchart."
)


@strawberry.type(description="A graph file as text; save content with the media type's extension.")
class GraphExport:
    format: ExportFormat
    media_type: str
    content: str
    people: int
    ties: int


ExportResult = Annotated[
    GraphExport | t.NoPath | t.PersonNotFound | t.AmbiguousPerson | t.InvalidInput,
    strawberry.union("ExportResult"),
]


async def export_paths(
    info: Info,
    to: str,
    format: ExportFormat,
    from_: Annotated[str | None, strawberry.argument(name="from")] = None,
    k: int = 3,
    max_hops: int = 3,
) -> ExportResult:
    c = info.context
    try:
        paths = await c.services.planner.alternative_paths(
            c.viewer, from_, to, k=k, max_hops=max_hops
        )
        graph = exports.paths_graph([path_dict(p) for p in paths])
        kind = ExportFormat(format)
        return GraphExport(
            format=kind,
            media_type=MEDIA_TYPES[kind],
            content=exports.render(graph, kind),
            people=len(graph.nodes),
            ties=len(graph.edges),
        )
    except WarmintroError as err:
        problem = t.problem_of(err)
        if isinstance(problem, t.Forbidden | t.NotFound):  # not members of this union
            return t.InvalidInput(message=problem.message, field=None, file=None, line=None)
        return problem
