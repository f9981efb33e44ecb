"""``exportPaths`` and ``exportEgo``: graph files (GraphML, GEXF, Cytoscape.js JSON, Mermaid).

Thin resolvers: plan with the same service as ``alternativePaths`` (or build a
person's ego network as the viewer may browse it), then hand the graph to
:mod:`graph.exports`. Mount them on ``Query``::

    export_paths: ExportResult = strawberry.field(
        resolver=export_paths, description=EXPORT_PATHS_DESCRIPTION
    )
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from api import types as t
from api.answers import answers
from api.context import Info
from graph import exports
from graph.model import DEFAULT_MAX_HOPS

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

EXPORT_EGO_DESCRIPTION = (
    "A person's network to `hops` ties (at most 500 people; `truncated` in the file says "
    "when it was cut), with only the ties you may browse, as one graph file."
)
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


ExportResult = Annotated[GraphExport | t.Problem, strawberry.union("ExportResult")]


def _export(graph: exports.ExportGraph, format: ExportFormat) -> GraphExport:
    kind = ExportFormat(format)
    return GraphExport(
        format=kind,
        media_type=MEDIA_TYPES[kind],
        content=exports.render(graph, kind),
        people=len(graph.nodes),
        ties=len(graph.edges),
    )


@answers
async def export_paths(
    info: Info,
    to: str,
    format: ExportFormat,
    from_: Annotated[str | None, strawberry.argument(name="from")] = None,
    k: int = 3,
    max_hops: int = DEFAULT_MAX_HOPS,
) -> ExportResult:
    c = info.context
    paths = await c.services.planner.alternative_paths(c.viewer, from_, to, k=k, max_hops=max_hops)
    return _export(exports.paths_graph(paths), format)


@answers
async def export_ego(
    info: Info,
    person: str,
    format: ExportFormat,
    hops: int = 1,
    max_nodes: int = 200,
) -> ExportResult:
    c = info.context
    graph = await c.services.planner.ego_network(c.viewer, person, hops=hops, max_nodes=max_nodes)
    return _export(graph, format)
