"""``warmintro export``, and the ``--format`` rendering shared by ``path`` and ``introducers``.

Register on the main app with ``register(app)``; render planner results with
``render_paths(paths, fmt)``. The formats and their guarantees are documented in
:mod:`graph.exports`.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from cli.common import EXIT_BAD_INPUT, JsonOpt, emit, run
from graph.exports import ExportFormat, paths_graph, render
from graph.model import DEFAULT_MAX_HOPS, MAX_HOPS
from graph.paths import PathView
from graph.store.neo4j_import import ImportFiles
from services.access import Viewer
from services.bulk import export_neo4j_import
from services.planner import EGO_MAX_NODES, Planner

FormatOpt = Annotated[
    ExportFormat | None,
    typer.Option(
        "--format",
        case_sensitive=False,
        help="Print a graph file instead: graphml, gexf (Gephi), cytoscape (JSON) or mermaid.",
    ),
]
"""Reusable ``--format`` option for ``path`` and ``introducers`` (None: their usual output)."""


def render_paths(paths: Sequence[PathView], fmt: ExportFormat | str) -> str:
    """The paths (best first) as one graph in ``fmt``.

    ``path --k``, ``introducers`` (pass ``[i.path for i in ranked]``) and ``reach``
    share it.
    The text has no trailing newline (``typer.echo`` adds one). Raises
    ``InvalidInput`` for an unknown format.
    """
    return render(paths_graph(paths), fmt).rstrip("\n")


def write_output(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    output.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {output}", err=True)


def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            case_sensitive=False,
            metavar="FORMAT",
            help="graphml, gexf, cytoscape or mermaid.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON: the same as --format cytoscape.")
    ] = False,
    to_ref: Annotated[
        str | None, typer.Option("--to", help="Export the best paths to this person (PersonRef).")
    ] = None,
    from_ref: Annotated[
        str | None, typer.Option("--from", help="Requester (PersonRef); default: you or your team.")
    ] = None,
    k: Annotated[int, typer.Option("--k", min=1, max=50, help="How many paths (with --to).")] = 3,
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, max=MAX_HOPS)] = DEFAULT_MAX_HOPS,
    ego: Annotated[
        str | None,
        typer.Option("--ego", help="Export this person's network instead (PersonRef)."),
    ] = None,
    hops: Annotated[int, typer.Option("--hops", min=1, max=6, help="Ego radius (with --ego).")] = 1,
    max_nodes: Annotated[
        int,
        typer.Option(
            "--max-nodes", min=2, max=EGO_MAX_NODES, help="Cap on people in an ego network."
        ),
    ] = EGO_MAX_NODES,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to a file instead of stdout.")
    ] = None,
) -> None:
    """Export the paths to a person (--to) or a person's ego network (--ego) as a graph file.

    GraphML and GEXF open in Gephi, Cytoscape, yEd and Neo4j (apoc.import.graphml);
    cytoscape is Cytoscape.js elements JSON; mermaid is a flowchart for Markdown.
    """
    if (to_ref is None) == (ego is None):
        typer.echo("error: give exactly one of --to REF or --ego REF", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    if as_json and fmt not in (None, ExportFormat.CYTOSCAPE):
        typer.echo(f"error: --json is --format cytoscape; it cannot be {fmt}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    chosen = ExportFormat.CYTOSCAPE if as_json else fmt
    if chosen is None:
        typer.echo("error: give --format graphml|gexf|cytoscape|mermaid (or --json)", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)

    async def body(planner: Planner, viewer: Viewer) -> str:
        if ego is not None:
            graph = await planner.ego_network(viewer, ego, hops=hops, max_nodes=max_nodes)
            if graph.truncated:
                typer.echo(
                    f"note: the ego network was cut at {max_nodes} people (--max-nodes; an "
                    f"export holds at most {EGO_MAX_NODES}): people beyond it are left out",
                    err=True,
                )
            return render(graph, chosen)
        assert to_ref is not None
        paths = await planner.alternative_paths(viewer, from_ref, to_ref, k=k, max_hops=max_hops)
        return render_paths(paths, chosen) + "\n"

    write_output(run(ctx, body), output)


def export_neo4j(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="New or empty folder for the CSV files.")],
    database: Annotated[
        str, typer.Option("--database", help="Database name in the printed command.")
    ] = "neo4j",
    as_json: JsonOpt = False,
) -> None:
    """Write the workspace as neo4j-admin import files (a fast first load into Neo4j).

    Stop the Neo4j server, run the printed command, start it: the Neo4j backend then
    reads the workspace as if it had been imported through it.
    """

    async def body(planner: Planner, viewer: Viewer) -> ImportFiles:
        return await export_neo4j_import(planner.store, viewer, directory)

    files = run(ctx, body, as_json=as_json)
    command = shlex.join(["neo4j-admin", *files.admin_args(database)])
    counts = {
        "people": files.people,
        "stubs": files.stubs,
        "ties": files.ties,
        "evidence": files.evidence,
        "members": files.members,
        "merges": files.merges,
    }
    if as_json:
        emit({"directory": str(files.directory), **counts, "command": command})
        return
    typer.echo(
        f"wrote {files.directory}: {files.people} people ({files.stubs} stubs), "
        f"{files.ties} ties ({files.evidence} evidence rows), {files.members} members, "
        f"{files.merges} merges"
    )
    typer.echo("with the Neo4j server stopped, run:")
    typer.echo(f"  {command}")


def register(app: typer.Typer) -> None:
    """Add ``export`` and ``export-neo4j`` to the ``warmintro`` command line."""
    app.command("export")(export)
    app.command("export-neo4j")(export_neo4j)
