"""The Neo4j backend's bounded set of workspace views: budget, LRU order, rebuilds, writes."""

from __future__ import annotations

import gc
import random
import tracemalloc
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import AsyncDriver

from graph.errors import NoPath
from graph.model import (
    Evidence,
    ImportBatch,
    Member,
    Merge,
    Person,
    Relationship,
    canonical_pair,
)
from graph.store import neo4j as neo4j_store
from graph.store.base import PlanningView
from graph.store.embedded import EmbeddedStore
from graph.store.neo4j import Neo4jStore
from graph.store.view import build_view
from graph.store.view_cache import OVERHEAD, view_size
from services.access import Viewer
from services.planner import Planner
from tests.conftest import TODAY, rel, small_network

pytestmark = pytest.mark.neo4j


def network(seed: int, ties: int = 300) -> ImportBatch:
    """A random team: three members' ties to 120 people, a few contact-to-contact ties."""
    rng = random.Random(seed)
    members = ["m0", "m1", "m2"]
    ids = [f"p{i}" for i in range(120)]
    people = [Person(i, f"Person {i}", company=rng.choice(["Acme", "Globex", ""])) for i in ids]
    people += [Person(m, m.upper()) for m in members]
    pairs: dict[tuple[str, str], Relationship] = {}
    while len(pairs) < ties:
        a = rng.choice(members + ids)
        b = rng.choice(ids)
        if a == b:
            continue
        owner = rng.choice(members)
        r = rel(a, b, owner=owner, rating=round(rng.uniform(0.05, 0.95), 3), messages_ab=3)
        pairs[(r.a, r.b)] = r
    return ImportBatch(
        people=people, relationships=list(pairs.values()), members=[Member(m) for m in members]
    )


def answers(view: PlanningView, queries: list[tuple[str, str]]) -> list[Any]:
    """Best path (ids, probability) per query, straight from the view's graph."""
    from graph import algorithms

    out: list[Any] = []
    for s, t in queries:
        try:
            path = algorithms.most_trusted_path(view.graph, s, t, max_hops=4)
            out.append((tuple(path.nodes), path.probability))
        except NoPath as err:
            out.append(err.reason.value)
    return out


def edges(view: PlanningView) -> dict[tuple[str, str], tuple[float, int]]:
    return {canonical_pair(u, v): (s, m) for u, v, s, m in view.graph.edges()}


QUERIES = [("m0", f"p{i}") for i in range(0, 120, 7)] + [("m1", "p3"), ("m2", "p99")]


@pytest.fixture(scope="module")
def names() -> list[str]:
    run = uuid.uuid4().hex[:8]
    return [f"lru{run}-{k}" for k in range(4)]


@pytest.fixture(scope="module")
async def loaded(neo4j_driver: AsyncDriver, names: list[str]) -> AsyncIterator[int]:
    """Four similar workspaces; yields the largest view's estimated size."""
    writer = Neo4jStore(neo4j_driver, today=lambda: TODAY)
    for k, ws in enumerate(names):
        await writer.apply(ws, network(k))
    sizes = [view_size(await writer.planning_view(ws)) for ws in names]
    yield max(sizes)
    await writer.close()


def bounded(driver: AsyncDriver, budget: int | None) -> Neo4jStore:
    return Neo4jStore(driver, today=lambda: TODAY, view_budget=budget)


async def test_resident_views_stay_under_budget_and_the_least_recently_used_goes(
    neo4j_driver: AsyncDriver, names: list[str], loaded: int
) -> None:
    budget = int(loaded * 2.5)  # room for two views, never three
    store = bounded(neo4j_driver, budget)
    a, b, c, d = names
    steps = [
        (a, [a]),
        (b, [a, b]),
        (a, [b, a]),  # a hit makes a the most recently used
        (c, [a, c]),  # so b, not a, goes
        (d, [c, d]),
        (c, [d, c]),
        (b, [c, b]),
    ]
    for ws, resident in steps:
        view = await store.planning_view(ws)
        assert store.views.workspaces() == resident, ws
        assert store.views.resident <= budget
        assert store.views.get(ws) is not None and store.views.get(ws).view is view  # type: ignore[union-attr]
    assert store.views.evictions == 3  # b, a, d


async def test_an_evicted_workspace_is_rebuilt_and_answers_exactly_as_before(
    neo4j_driver: AsyncDriver, names: list[str], loaded: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = bounded(neo4j_driver, int(loaded * 1.5))  # one view at a time
    a, b = names[:2]
    first = await store.planning_view(a)
    before = answers(first, QUERIES)
    edges_before = edges(first)
    planner = Planner(store, today=TODAY)
    member = Viewer(a, "m1")  # through the service, with a member's privacy mask
    paths_before = [await planner.trusted_path(member, "m1", f"p{i}") for i in (5, 42, 77)]
    builds: list[str] = []
    real = build_view

    def counting(*args: Any, **kwargs: Any) -> Any:
        builds.append("x")
        return real(*args, **kwargs)

    monkeypatch.setattr(neo4j_store, "build_view", counting)
    await store.planning_view(b)
    assert a not in store.views and store.views.workspaces() == [b]
    again = await store.planning_view(a)
    assert len(builds) == 2  # b, then a rebuilt
    assert again is not first
    assert answers(again, QUERIES) == before
    assert edges(again) == edges_before
    assert again.people == first.people
    assert again.evidence == first.evidence
    assert again.owner_bits == first.owner_bits
    await store.planning_view(b)  # a is evicted again: the service rebuilds it too
    assert [await planner.trusted_path(member, "m1", f"p{i}") for i in (5, 42, 77)] == paths_before


async def test_a_write_through_another_worker_invalidates_a_cached_view(
    neo4j_driver: AsyncDriver, names: list[str], loaded: int
) -> None:
    budget = int(loaded * 2.5)
    worker, other = bounded(neo4j_driver, budget), bounded(neo4j_driver, budget)
    a, b = names[:2]
    await worker.planning_view(b)
    first = await worker.planning_view(a)
    assert await worker.planning_view(a) is first
    await other.apply(a, ImportBatch(relationships=[rel("p1", "p2", owner="m1", rating=0.77)]))
    again = await worker.planning_view(a)
    assert again is not first
    assert again.graph.strength("p1", "p2") == pytest.approx(0.77)
    assert worker.views.workspaces() == [b, a]  # the stale copy was replaced, not kept
    assert worker.views.resident <= budget


async def test_a_view_larger_than_the_budget_is_served_and_kept_alone(
    neo4j_driver: AsyncDriver, names: list[str], loaded: int
) -> None:
    store = bounded(neo4j_driver, loaded // 2)
    for ws in names[:3]:
        view = await store.planning_view(ws)
        assert len(view.graph) > 0
        assert store.views.workspaces() == [ws]
        assert await store.planning_view(ws) is view  # kept: the next call is a hit


async def test_no_budget_keeps_every_view(
    neo4j_driver: AsyncDriver, names: list[str], loaded: int
) -> None:
    store = bounded(neo4j_driver, None)
    for ws in names:
        await store.planning_view(ws)
    assert store.views.workspaces() == names
    assert store.views.evictions == 0


async def test_the_size_estimate_tracks_what_the_view_retains(
    neo4j_driver: AsyncDriver, names: list[str]
) -> None:
    """The estimate against the bytes the allocator holds for the view (tracemalloc)."""
    store = bounded(neo4j_driver, None)
    ws = f"size{uuid.uuid4().hex[:8]}"
    await store.apply(ws, network(7, ties=4000))
    await store.planning_view(names[1])  # the driver's buffers and pools exist already
    gc.collect()
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        view = await store.planning_view(ws)
        gc.collect()
        retained = tracemalloc.get_traced_memory()[0] - start
    finally:
        tracemalloc.stop()
    # tracemalloc counts the bytes asked for, not the allocator's rounding and slack that
    # OVERHEAD adds (calibrated against resident memory at 1M ties, BENCHMARKS.md).
    counted = view_size(view) / OVERHEAD
    assert 0.75 * retained <= counted <= 1.35 * retained, (counted, retained)


async def test_paged_reads_build_the_same_view_as_the_embedded_store(
    neo4j_driver: AsyncDriver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages of two people: ties whose first end sits on a page edge, stubs, merges."""
    monkeypatch.setattr(neo4j_store, "PAGE_PEOPLE", 2)
    ws = f"page{uuid.uuid4().hex[:8]}"
    neo = bounded(neo4j_driver, None)
    embedded = EmbeddedStore(tmp_path / "db.sqlite", today=lambda: TODAY)
    batches = [
        small_network(),
        ImportBatch(
            people=[Person("zed", "Zed Z", company="Acme")],
            relationships=[
                rel("zed", "ghost", rating=0.4),  # ghost: a stub, nobody describes them
                rel("ana", "zed", owner="edges.csv", rating=0.6),
                Relationship(
                    "cy", "dee", (Evidence("me", rating=0.5), Evidence("zed", rating=0.2))
                ),
            ],
            merges=[Merge("dee", "eve", "same email")],
            members=[Member("zed")],
        ),
    ]
    for batch in batches:
        for s in (embedded, neo):
            await s.apply(ws, batch)
    ev, nv = await embedded.planning_view(ws), await neo.planning_view(ws)
    n_edges, e_edges = edges(nv), edges(ev)
    assert n_edges.keys() == e_edges.keys()
    for pair, (strength, mask) in e_edges.items():
        assert n_edges[pair][0] == pytest.approx(strength, abs=1e-12)
        assert n_edges[pair][1] == mask
    assert set(nv.graph.nodes()) == set(ev.graph.nodes())
    assert dict(nv.people) == dict(ev.people)
    assert {k: dict(v) for k, v in nv.evidence.items()} == {
        k: dict(v) for k, v in ev.evidence.items()
    }
    assert nv.owner_bits == ev.owner_bits
    assert "ghost" not in nv.people and "ghost" in nv.graph
    await embedded.close()
