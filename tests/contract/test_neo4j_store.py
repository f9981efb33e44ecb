"""What only the Neo4j backend can get wrong: schema, atomicity, versions, isolation keys."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import AsyncDriver
from neo4j.exceptions import Neo4jError

from graph.errors import StoreUnavailable
from graph.model import Evidence, ImportBatch, Merge, Person
from graph.store import neo4j as neo4j_store
from graph.store.embedded import EmbeddedStore
from graph.store.neo4j import Neo4jStore
from graph.store.view import build_view
from tests.conftest import TODAY, rel, small_network

pytestmark = pytest.mark.neo4j


@pytest.fixture
def ws() -> str:
    return f"n{uuid.uuid4().hex[:12]}"


@pytest.fixture
async def store(neo4j_driver: AsyncDriver) -> AsyncIterator[Neo4jStore]:
    s = Neo4jStore(neo4j_driver, today=lambda: TODAY)
    yield s
    await s.close()


async def version(driver: AsyncDriver, ws: str) -> int:
    records, _, _ = await driver.execute_query(
        "OPTIONAL MATCH (w:Workspace {name: $ws}) RETURN coalesce(w.version, 0) AS v", ws=ws
    )
    v: int = records[0]["v"]
    return v


async def test_schema_is_created_once_and_idempotently(
    store: Neo4jStore, neo4j_driver: AsyncDriver, ws: str
) -> None:
    await store.stats(ws)
    await Neo4jStore(neo4j_driver).stats(ws)  # a second worker re-runs IF NOT EXISTS
    records, _, _ = await neo4j_driver.execute_query(
        "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties"
    )
    constraints = {r["name"]: (r["type"], r["labelsOrTypes"], r["properties"]) for r in records}
    assert constraints["person_key"] == ("UNIQUENESS", ["Person"], ["workspace", "id"])
    assert constraints["member_key"] == ("UNIQUENESS", ["Member"], ["workspace", "person_id"])
    assert constraints["merge_key"] == ("UNIQUENESS", ["Merge"], ["workspace", "merged"])
    assert constraints["workspace_key"] == ("UNIQUENESS", ["Workspace"], ["name"])
    records, _, _ = await neo4j_driver.execute_query(
        "SHOW INDEXES YIELD name, labelsOrTypes, properties, state"
    )
    indexes = {r["name"]: (r["labelsOrTypes"], r["properties"], r["state"]) for r in records}
    assert indexes["person_url"] == (["Person"], ["workspace", "url"], "ONLINE")
    assert indexes["person_email"] == (["Person"], ["workspace", "email"], "ONLINE")


async def test_every_node_and_relationship_carries_the_workspace(
    store: Neo4jStore, neo4j_driver: AsyncDriver, ws: str
) -> None:
    await store.apply(ws, small_network())
    records, _, _ = await neo4j_driver.execute_query(
        "MATCH (n {workspace: $ws}) RETURN count(n) AS nodes", ws=ws
    )
    assert records[0]["nodes"] == 6 + 1  # people and the member
    records, _, _ = await neo4j_driver.execute_query(
        "MATCH (:Person {workspace: $ws})-[k]-(:Person) "
        "RETURN count(k) AS all, count(k.workspace) AS keyed, collect(DISTINCT k.workspace) AS w",
        ws=ws,
    )
    assert records[0]["all"] == records[0]["keyed"] == 2 * 5
    assert records[0]["w"] == [ws]


async def test_a_batch_that_fails_midway_leaves_nothing(
    store: Neo4jStore, neo4j_driver: AsyncDriver, ws: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await store.apply(ws, small_network())
    before, v0 = await store.stats(ws), await version(neo4j_driver, ws)
    people = [Person(f"x{i}", f"X {i}") for i in range(10)]
    rels = [rel(f"x{i}", f"x{i + 1}", rating=0.5) for i in range(9)]
    good_row = neo4j_store._tie_row
    rows = 0

    def poisoned(b: str, e: Evidence, data: str) -> dict[str, Any]:
        nonlocal rows
        rows += 1
        row = good_row(b, e, data)
        if rows == 8:  # a map is not a storable property value: the server refuses it
            row["interactions"] = {"not": "storable"}
        return row

    monkeypatch.setattr(neo4j_store, "BATCH_ROWS", 2)  # several UNWINDs land before it fails
    monkeypatch.setattr(neo4j_store, "_tie_row", poisoned)
    with pytest.raises(Neo4jError):
        await store.apply(ws, ImportBatch(people=people, relationships=rels))
    assert await store.stats(ws) == before
    assert await store.person(ws, "x0") is None
    assert await version(neo4j_driver, ws) == v0


async def test_a_later_write_creates_what_is_new_and_merges_what_is_stored(
    store: Neo4jStore, neo4j_driver: AsyncDriver, ws: str, tmp_path: Path
) -> None:
    """A later write CREATEs ties with a new end and MERGEs only ties between people
    stored before it (a merge's kept person among them): no tie is doubled, every
    repeated (tie, owner) keeps its last row, as in the embedded store."""
    first = ImportBatch(
        people=[Person("a", "A"), Person("b", "B", email="b@x.org"), Person("m", "M")],
        relationships=[
            rel("a", "b", rating=0.2),
            rel("m", "b", rating=0.3),
            rel("a", "s", rating=0.4),
        ],
    )
    later = ImportBatch(
        people=[
            Person("b", "", company="Acme"),
            Person("k", "K"),
            Person("n", "N"),
            Person("s", "S"),
        ],
        relationships=[
            rel("a", "b", rating=0.6),  # stored tie, same owner: updated, not doubled
            rel("a", "b", rating=0.7, owner="you"),  # stored ends, new owner
            rel("a", "b", rating=0.8),  # repeated in the batch: the last row wins
            rel("k", "b", rating=0.5),  # m's tie moves onto the new kept person k
            rel("n", "a", rating=0.9),  # a new end
            rel("a", "s", rating=0.1),  # s was a stub: stored before
            rel("n", "z", rating=0.9),  # an end nobody described, not stored
        ],
        merges=[Merge("k", "m", "same email")],
    )
    embedded = EmbeddedStore(tmp_path / "db.sqlite", today=lambda: TODAY)
    try:
        for batch in (first, later):
            assert await store.apply(ws, batch) == await embedded.apply(ws, batch)
        assert await store.stats(ws) == await embedded.stats(ws)
        assert sorted(await store.people(ws), key=lambda p: p.id) == sorted(
            await embedded.people(ws), key=lambda p: p.id
        )
        for person in ("a", "b", "k", "n", "s", "z", "m"):
            got = await store.relationships_of(ws, person)
            want = await embedded.relationships_of(ws, person)
            assert sorted(got, key=str) == sorted(want, key=str), person
    finally:
        await embedded.close()
    records, _, _ = await neo4j_driver.execute_query(
        "MATCH (:Person {workspace: $ws})-[k:KNOWS]->(:Person) RETURN count(k) AS n", ws=ws
    )
    assert records[0]["n"] == 6  # a-b twice (two owners), k-b, n-a, a-s, n-z


async def test_a_later_write_sets_changed_stored_ties_and_leaves_unchanged_ones(
    store: Neo4jStore, neo4j_driver: AsyncDriver, ws: str, tmp_path: Path
) -> None:
    """Ties between stored people are read, not MERGEd: an unchanged one keeps its
    relationship untouched, a changed document or interaction count is SET on the
    stored relationship (interactions back to none included), and the result equals
    the embedded store's; so do the people (one unchanged, one re-sent without a name,
    one with a new position)."""
    first = ImportBatch(
        people=[Person("a", "A"), Person("b", "B"), Person("c", "C", company="Acme")],
        relationships=[
            rel("a", "b", rating=0.2),
            rel("a", "c", messages_ab=3),
            rel("b", "c", rating=0.4, messages_ba=2),
        ],
    )
    later = ImportBatch(
        people=[Person("a", "A"), Person("b", ""), Person("c", "C", position="CTO")],
        relationships=[
            rel("a", "b", rating=0.2),  # unchanged
            rel("a", "c", rating=0.5),  # document changed, no interactions any more
            rel("b", "c", rating=0.4, messages_ba=7),  # interactions changed
        ],
    )
    query = (
        "MATCH (x:Person {workspace: $ws})-[k:KNOWS]->(y:Person) "
        "RETURN x.id + '-' + y.id AS pair, elementId(k) AS ref, k.interactions AS n"
    )
    embedded = EmbeddedStore(tmp_path / "db.sqlite", today=lambda: TODAY)
    try:
        await store.apply(ws, first)
        await embedded.apply(ws, first)
        records, _, _ = await neo4j_driver.execute_query(query, ws=ws)
        before = {r["pair"]: r["ref"] for r in records}
        assert await store.apply(ws, later) == await embedded.apply(ws, later)
        assert await store.stats(ws) == await embedded.stats(ws)
        assert sorted(await store.people(ws), key=lambda p: p.id) == sorted(
            await embedded.people(ws), key=lambda p: p.id
        )
        for person in ("a", "b", "c"):
            got = await store.relationships_of(ws, person)
            want = await embedded.relationships_of(ws, person)
            assert sorted(got, key=str) == sorted(want, key=str), person
    finally:
        await embedded.close()
    records, _, _ = await neo4j_driver.execute_query(query, ws=ws)
    after = {r["pair"]: (r["ref"], r["n"]) for r in records}
    assert {pair: ref for pair, (ref, _) in after.items()} == before  # none re-created
    assert after["a-c"][1] is None and after["b-c"][1] == 7


async def test_every_write_bumps_the_version(
    store: Neo4jStore, neo4j_driver: AsyncDriver, ws: str
) -> None:
    from graph.model import Sharing

    assert await version(neo4j_driver, ws) == 0
    await store.apply(ws, small_network())
    assert await version(neo4j_driver, ws) == 1
    await store.set_sharing(ws, "me", Sharing.FULL)
    assert await version(neo4j_driver, ws) == 2
    await store.erase_person(ws, "eve")
    assert await version(neo4j_driver, ws) == 3


async def test_a_second_worker_sees_writes_through_the_version(
    store: Neo4jStore, neo4j_driver: AsyncDriver, ws: str
) -> None:
    other = Neo4jStore(neo4j_driver, today=lambda: TODAY)
    await store.apply(ws, small_network())
    first = await other.planning_view(ws)
    assert await other.planning_view(ws) is first  # cached while nothing changed
    await store.apply(ws, ImportBatch(relationships=[rel("cy", "eve", rating=0.7)]))
    again = await other.planning_view(ws)
    assert again is not first
    assert again.graph.strength("cy", "eve") == pytest.approx(0.7)


async def test_evidence_ends_nobody_described_stay_out_of_people(
    store: Neo4jStore, ws: str, tmp_path: Path
) -> None:
    # The embedded store keeps such ids out of its people; so must this one.
    embedded = EmbeddedStore(tmp_path / "db.sqlite", today=lambda: TODAY)
    batch = ImportBatch(people=[Person("a", "A")], relationships=[rel("a", "ghost", rating=0.4)])
    for s in (embedded, store):
        await s.apply(ws, batch)
    assert await store.stats(ws) == await embedded.stats(ws)
    assert await store.person(ws, "ghost") is None
    assert [p.id for p in await store.people(ws)] == ["a"]
    assert await store.search_people(ws, "ghost", limit=5) == []
    view = await store.planning_view(ws)
    assert view.graph.strength("a", "ghost") == pytest.approx(0.4)
    # Describing the person later makes them real.
    await store.apply(ws, ImportBatch(people=[Person("ghost", "Gus Host")]))
    ghost = await store.person(ws, "ghost")
    assert ghost is not None and ghost.name == "Gus Host"
    await embedded.close()


async def test_empty_url_and_email_match_nobody(store: Neo4jStore, ws: str) -> None:
    await store.apply(ws, small_network())
    assert await store.people_by_url(ws, "") == []
    assert await store.people_by_email(ws, "") == []


async def test_unreachable_server_is_store_unavailable() -> None:
    from graph.store.neo4j import Neo4jStore as Store

    # Port 9 (discard) on loopback: nothing listens there.
    store = Store.from_settings(uri="bolt://127.0.0.1:9", user="neo4j", password="x")
    try:
        with pytest.raises(StoreUnavailable):
            await store.ping()
        with pytest.raises(StoreUnavailable):
            await store.stats("any")
    finally:
        await store.close()


async def test_concurrent_misses_rebuild_the_view_and_counts_once(
    store: Neo4jStore, ws: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await store.apply(ws, small_network())
    builds: list[str] = []
    reads: list[str] = []
    real_build, real_read = build_view, store._read

    def counting_build(*args: Any, **kwargs: Any) -> Any:
        builds.append(ws)
        return real_build(*args, **kwargs)

    async def counting_read(name: str, **params: Any) -> list[dict[str, Any]]:
        reads.append(name)
        return await real_read(name, **params)

    monkeypatch.setattr(neo4j_store, "build_view", counting_build)
    monkeypatch.setattr(store, "_read", counting_read)
    for round_ in range(2):  # cold, then after a write made both stale
        builds.clear()
        reads.clear()
        views = await asyncio.gather(*(store.planning_view(ws) for _ in range(8)))
        stats = await asyncio.gather(*(store.stats(ws) for _ in range(8)))
        assert len(builds) == 1, round_
        assert reads.count("stats") == 1, round_
        assert all(v is views[0] for v in views)
        assert len(set(stats)) == 1
        await store.apply(ws, ImportBatch(relationships=[rel("me", "eve", rating=0.3)]))
    assert (await store.planning_view(ws)).relationship("me", "eve") is not None


async def test_people_written_before_name_keys_are_found_by_name_and_block(
    store: Neo4jStore, neo4j_driver: AsyncDriver, ws: str
) -> None:
    """Nodes without name_key / company_norm (a database from before they existed) get
    them on the first lookup by name or fuzzy block, and are found like the others."""
    from graph.identity import PersonKeys

    ana = Person("li:ana", "Ana Pérez", "ACME Inc.", url="https://www.linkedin.com/in/ana")
    bo = Person("bo", "Bo Lee", "Self-employed")
    await store.apply(ws, ImportBatch(people=[ana, bo], relationships=[rel("li:ana", "bo")]))
    await neo4j_driver.execute_query(
        "MATCH (p:Person {workspace: $ws}) REMOVE p.name_key, p.company_norm", ws=ws
    )
    keys = PersonKeys()
    keys.add_person(Person("x", "Ana Perez-Ruiz", "Acme"))  # block (acme, ana)
    keys.names.add("bo lee")
    assert await store.people_for_keys(ws, keys) == [bo, ana]
    records, _, _ = await neo4j_driver.execute_query(
        "MATCH (p:Person {workspace: $ws}) RETURN p.id AS id, p.name_key AS n,"
        " p.company_norm AS c ORDER BY id",
        ws=ws,
    )
    assert [(r["id"], r["n"], r["c"]) for r in records] == [
        ("bo", "bo lee", "self employed"),
        ("li:ana", "ana perez", "acme"),
    ]
