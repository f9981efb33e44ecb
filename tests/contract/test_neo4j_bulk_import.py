"""The bulk path for first loads: files written by ``export-neo4j``, imported by the real
``neo4j-admin database import full`` into a fresh database of a separate instance, read
back by the Neo4j store exactly as the embedded store holds them; two workspaces whose
person ids overlap import in one run, each in its own id space.

Also: a first write through ``apply`` (the CREATE path) keeps the last row of a
repeated (tie, owner), as MERGE did, and a later write into an imported workspace
takes the MERGE path.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from neo4j import AsyncGraphDatabase

from graph import algorithms
from graph.errors import NoPath
from graph.model import (
    Evidence,
    ImportBatch,
    Member,
    Merge,
    Person,
    Relationship,
    Sharing,
    canonical_pair,
)
from graph.store.base import GraphStore
from graph.store.embedded import EmbeddedStore
from graph.store.neo4j import Neo4jStore
from graph.store.neo4j_import import admin_args, write_import_files
from services.access import Viewer
from services.bulk import export_neo4j_import
from tests.conftest import TODAY
from tests.neo4j_harness import Neo4jServer, server_script

pytestmark = pytest.mark.neo4j
WS = "team one"


def rel(a: str, b: str, *evidence: Evidence) -> Relationship:
    x, y = canonical_pair(a, b)
    return Relationship(x, y, evidence)


def source_batch() -> ImportBatch:
    """Awkward values on purpose: quotes, commas, unicode, empty fields, lists, a stub end."""
    people = [
        Person("me", "Me, Myself", company="Acme", position="CEO", email="me@x.org"),
        Person("bo", 'Bo "the" Builder', company="Acme", schools=("MIT", "Ecole Polytechnique")),
        Person("cy", "Çy Ünïcode", url="https://www.linkedin.com/in/cy", employers=("A", "B, C")),
        Person("dee", "Dee"),
        Person("old", "Old Dee"),
        Person("mo", "Mo", company="Beta"),
    ]
    note = (("Tags", 'vip, "close"'),)
    rels = [
        rel("me", "bo", Evidence("me", messages_ab=4, messages_ba=2, notes=note)),
        rel("bo", "cy", Evidence("me", connected_on=date(2020, 1, 2), invited_with_note=True)),
        rel("bo", "cy", Evidence("edges.csv", rating=0.8)),
        rel("me", "old", Evidence("me", last_contact=datetime(2026, 9, 1, 10, 30))),
        rel("cy", "zz-stub", Evidence("edges.csv", rating=0.4)),
        rel("mo", "dee", Evidence("mo", shared_employers=("Beta",), emails_ab=3)),
    ]
    return ImportBatch(
        people=people,
        relationships=rels,
        members=[Member("me"), Member("mo", Sharing.PATHS)],
        merges=[Merge("dee", "old", "same email")],
    )


async def snapshot(store: GraphStore, ws: str) -> dict[str, Any]:
    """Everything a reader sees of a workspace, in comparable form."""
    people = sorted(await store.people(ws), key=lambda p: p.id)
    ties = {p.id: await store.relationships_of(ws, p.id) for p in people}
    view = await store.planning_view(ws)
    ids = sorted(view.graph.index)
    best = {}
    for s in ids:
        for t in ids:
            if s < t:
                try:
                    best[(s, t)] = algorithms.most_trusted_path(view.graph, s, t).probability
                except NoPath:
                    best[(s, t)] = 0.0
    return {
        "stats": await store.stats(ws),
        "people": people,
        "ties": ties,
        "members": await store.members(ws),
        "merges": await store.merges(ws),
        "acme": await store.people_matching(ws, company="acme", title=""),
        "everyone": await store.people_matching(ws, company="", title=""),
        "by_url": await store.people_by_url(ws, "https://www.linkedin.com/in/cy"),
        "by_email": await store.people_by_email(ws, "me@x.org"),
        "search": await store.search_people(ws, "dee", limit=10),
        "best": best,
    }


@pytest.fixture
async def embedded(tmp_path: Path) -> AsyncIterator[EmbeddedStore]:
    store = EmbeddedStore(tmp_path / "db.sqlite", today=lambda: TODAY)
    await store.apply(WS, source_batch())
    try:
        yield store
    finally:
        await store.close()


async def test_export_imports_with_neo4j_admin_and_reads_back_equal(
    embedded: EmbeddedStore, tmp_path: Path
) -> None:
    files = await export_neo4j_import(embedded, Viewer(WS), tmp_path / "files")
    assert (files.people, files.stubs, files.members, files.merges) == (5, 1, 2, 1)
    assert files.ties == (await embedded.stats(WS)).relationships
    # A second workspace with the same person ids, in its own id space, in the same run.
    other = "team two"
    second = source_batch()
    await embedded.apply(
        other,
        ImportBatch(
            people=[replace(p, name=p.name + " II") for p in second.people[:4]],
            relationships=second.relationships[:3],
            members=second.members[:1],
        ),
    )
    files2 = write_import_files(
        tmp_path / "files2",
        other,
        await embedded.people(other),
        (await embedded.planning_view(other)).evidence,
        await embedded.members(other),
        await embedded.merges(other),
        id_space="2",
    )
    script: Any = server_script()  # scripts/neo4j_server.py as a module
    name = f"bulkimport-{os.getpid()}"
    info = script.start(name, script.Extras(admin=(tuple(admin_args([files, files2])),)))
    driver = AsyncGraphDatabase.driver(info.uri, auth=(info.user, info.password))
    neo = Neo4jStore(driver, today=lambda: TODAY, owns_driver=True)
    try:
        assert await snapshot(neo, other) == await snapshot(embedded, other)
        assert await snapshot(neo, WS) == await snapshot(embedded, WS)
        # A later write into the imported workspace merges into it (not a first load).
        more = ImportBatch(
            people=[Person("bo", "Bo", company="Gamma")],
            relationships=[rel("bo", "dee", Evidence("me", rating=0.7))],
        )
        for store in (neo, embedded):
            await store.apply(WS, more)
        assert await snapshot(neo, WS) == await snapshot(embedded, WS)
    finally:
        await neo.close()
        script.stop(name)


async def test_operator_only_and_empty_folder(embedded: EmbeddedStore, tmp_path: Path) -> None:
    from graph.errors import InvalidInput

    with pytest.raises(InvalidInput):
        await export_neo4j_import(embedded, Viewer(WS, member="me"), tmp_path / "a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x").write_text("")
    with pytest.raises(InvalidInput):
        await export_neo4j_import(embedded, Viewer(WS), tmp_path / "b")
    with pytest.raises(ValueError, match="canonical"):
        write_import_files(tmp_path / "c", WS, [], {("b", "a"): {"o": Evidence("o")}})
    with pytest.raises(ValueError, match="id_space"):
        write_import_files(tmp_path / "d", WS, [], {}, id_space="a b")


async def test_first_write_keeps_the_last_row_of_a_repeated_tie(
    neo4j_server: Neo4jServer, tmp_path: Path
) -> None:
    """The CREATE path of a first write agrees with the embedded store on repeated rows."""
    batch = ImportBatch(
        people=[Person("a", "A"), Person("b", "B"), Person("a", "A again")],
        relationships=[
            rel("a", "b", Evidence("o", rating=0.3)),
            rel("b", "a", Evidence("o", rating=0.6, messages_ab=1)),
            rel("a", "c", Evidence("o", rating=0.5)),
        ],
    )
    ws = f"fresh-{uuid.uuid4().hex[:8]}"
    driver = AsyncGraphDatabase.driver(
        neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password)
    )
    neo = Neo4jStore(driver, today=lambda: TODAY, owns_driver=True)
    emb = EmbeddedStore(tmp_path / "db.sqlite", today=lambda: TODAY)
    try:
        for _ in range(2):  # a first write (CREATE), then the same rows again (MERGE)
            for store in (neo, emb):
                await store.apply(ws, batch)
            assert await snapshot(neo, ws) == await snapshot(emb, ws)
            assert (await neo.stats(ws)).relationships == 2
    finally:
        await neo.close()
        await emb.close()
