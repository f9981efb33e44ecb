"""A workspace as ``neo4j-admin database import full`` input: the bulk path for first loads.

Importing a large workspace through Bolt runs every tie through Cypher; for a first
load into an empty Neo4j database, ``neo4j-admin`` writes the store files directly
(BENCHMARKS.md has both rates). The usual route: import the sources with the CLI into
the embedded store (its default), write the files with ``warmintro export-neo4j DIR``,
and run the printed ``neo4j-admin`` command on the stopped Neo4j server.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from graph.errors import InvalidInput
from graph.store.base import GraphStore
from graph.store.neo4j_import import ImportFiles, write_import_files
from services.access import Viewer


async def export_neo4j_import(store: GraphStore, viewer: Viewer, directory: Path) -> ImportFiles:
    """Write the viewer's workspace into ``directory`` (which must be empty or new).

    Only the local operator (no member behind the viewer) exports: the files hold
    every member's evidence, whatever their sharing level.
    """
    if viewer.member is not None:
        raise InvalidInput("only the workspace's operator can export it for neo4j-admin")
    if await asyncio.to_thread(_holds_files, directory):
        raise InvalidInput(f"{directory} is not empty: neo4j-admin would import what is there")
    ws = viewer.workspace
    # The planning view holds the stored evidence per (pair, owner) as the store read it.
    view = await store.planning_view(ws)
    people = await store.people(ws)
    members, merges = await store.members(ws), await store.merges(ws)
    return await asyncio.to_thread(
        write_import_files, directory, ws, people, view.evidence, members, merges
    )


def _holds_files(directory: Path) -> bool:
    return directory.exists() and any(directory.iterdir())
