"""The Neo4j backend stores and plans exactly like the embedded one on random graphs.

Each example applies the same operations to both backends (a first import, a
second owner's import that may fold one person into another, maybe an erase),
then compares stats (also with some owners' evidence hidden, as a member's counts
are), people, every tie's strength and owner mask, best-path
probabilities and introducer rankings for random pairs. Rankings are compared
as introducer -> score maps with no limit, so ties in order do not matter.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j import AsyncGraphDatabase

from graph import algorithms
from graph.errors import NoPath
from graph.model import Evidence, ImportBatch, Member, Merge, Person, Relationship, canonical_pair
from graph.store import neo4j as neo4j_store
from graph.store.base import GraphStore
from graph.store.embedded import EmbeddedStore
from graph.store.neo4j import Neo4jStore
from graph.trustgraph import TrustGraph
from tests.conftest import TODAY
from tests.neo4j_harness import Neo4jServer

pytestmark = pytest.mark.neo4j
IDS = [f"p{i}" for i in range(10)]

Backends = tuple[EmbeddedStore, Neo4jStore, asyncio.AbstractEventLoop]


@st.composite
def evidence(draw: st.DrawFn, owner: str) -> Evidence:
    return Evidence(
        owner=owner,
        messages_ab=draw(st.integers(0, 30)),
        messages_ba=draw(st.integers(0, 30)),
        last_contact=draw(st.none() | st.datetimes(datetime(2020, 1, 1), datetime(2026, 10, 1))),
        connected_on=draw(st.none() | st.dates(date(2010, 1, 1), date(2026, 1, 1))),
        shared_employers=draw(st.sampled_from([(), ("Acme",)])),
        invited_with_note=draw(st.sampled_from([None, True, False])),
        rating=draw(st.none() | st.sampled_from([0.2, 0.5, 0.9])),
    )


@st.composite
def relationships(draw: st.DrawFn, ids: list[str], owners: list[str]) -> list[Relationship]:
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, min_size=1, max_size=20))
    out = []
    for a, b in chosen:
        who = draw(st.lists(st.sampled_from(owners), unique=True, min_size=1, max_size=2))
        x, y = canonical_pair(a, b)
        out.append(Relationship(x, y, tuple(draw(evidence(o)) for o in who)))
    return out


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[ImportBatch], str | None]:
    n = draw(st.integers(3, 10))
    ids = IDS[:n]
    owners = ids[:2]
    first = ImportBatch(
        people=[Person(i, i.upper(), company=draw(st.sampled_from(["Acme", ""]))) for i in ids],
        relationships=draw(relationships(ids, [*owners, "edges.csv"])),
        members=[Member(o) for o in owners],
    )
    batches = [first]
    if draw(st.integers(0, 3)):  # usually a second owner's import, often folding two people
        merges = []
        if draw(st.integers(0, 3)):
            kept, merged = draw(st.lists(st.sampled_from(ids), unique=True, min_size=2, max_size=2))
            merges.append(Merge(kept, merged, "same email"))
        batches.append(
            ImportBatch(
                relationships=draw(relationships(ids, [ids[-1]])),
                merges=merges,
                members=[Member(ids[-1])],
            )
        )
        if draw(st.booleans()):  # a re-import that still names the merged id
            batches.append(ImportBatch(relationships=draw(relationships(ids, owners[:1]))))
    erase = draw(st.none() | st.sampled_from(ids))
    return batches, erase


@pytest.fixture(scope="module")
def backends(
    neo4j_server: Neo4jServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Backends]:
    # Hypothesis drives a synchronous test, so this module runs its own loop.
    loop = asyncio.new_event_loop()
    driver = AsyncGraphDatabase.driver(
        neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password)
    )
    embedded = EmbeddedStore(Path(tmp_path_factory.mktemp("eq")) / "db.sqlite", today=lambda: TODAY)
    neo = Neo4jStore(driver, today=lambda: TODAY, owns_driver=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(neo4j_store, "PAGE_PEOPLE", 3)  # the view is read in several pages
        yield embedded, neo, loop
    loop.run_until_complete(neo.close())
    loop.run_until_complete(embedded.close())
    loop.close()


def best(g: TrustGraph, s: str, t: str) -> tuple[str, float]:
    try:
        return "path", algorithms.most_trusted_path(g, s, t).probability
    except NoPath as err:
        return err.reason.value, 0.0


def introducers(g: TrustGraph, s: str, t: str) -> dict[str, float]:
    try:
        ranks = algorithms.rank_introducers(g, s, t, limit=len(IDS))
    except NoPath:
        return {}
    return {r.introducer: r.score for r in ranks}


def edges(g: TrustGraph) -> dict[tuple[str, str], tuple[float, int]]:
    return {canonical_pair(u, v): (s, m) for u, v, s, m in g.edges()}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario=scenarios(), data=st.data())
def test_backends_agree(
    backends: Backends, scenario: tuple[list[ImportBatch], str | None], data: st.DataObject
) -> None:
    embedded, neo, loop = backends
    batches, erase = scenario
    ws = f"eq{uuid.uuid4().hex[:10]}"
    stores: tuple[GraphStore, GraphStore] = (embedded, neo)
    for batch in batches:
        results = [loop.run_until_complete(s.apply(ws, batch)) for s in stores]
        assert results[0] == results[1]
    if erase is not None:
        erased = [loop.run_until_complete(s.erase_person(ws, erase)) for s in stores]
        assert erased[0] == erased[1]
    e_stats, n_stats = (loop.run_until_complete(s.stats(ws)) for s in stores)
    assert e_stats == n_stats
    e_people, n_people = (loop.run_until_complete(s.people(ws)) for s in stores)
    assert sorted(e_people, key=lambda p: p.id) == sorted(n_people, key=lambda p: p.id)
    for p in e_people:
        e_rels, n_rels = (loop.run_until_complete(s.relationships_of(ws, p.id)) for s in stores)
        assert e_rels == n_rels
    ev, nv = (loop.run_until_complete(s.planning_view(ws)) for s in stores)
    assert ev.owner_bits == nv.owner_bits
    ge, gn = ev.graph, nv.graph
    assert set(ge.nodes()) == set(gn.nodes())
    e_edges, n_edges = edges(ge), edges(gn)
    assert e_edges.keys() == n_edges.keys()
    for pair, (strength, mask) in e_edges.items():
        assert n_edges[pair][0] == pytest.approx(strength, abs=1e-12)
        assert n_edges[pair][1] == mask
    # A member's counts (hidden teammates' evidence left out): SQL on one side, Cypher
    # on the other, each through the view as the planner calls it (off the loop).
    owners = sorted({*ev.owner_bits, "edges.csv"})
    for _ in range(2):
        hidden = frozenset(data.draw(st.sets(st.sampled_from(owners), max_size=len(owners))))
        counts = [
            loop.run_until_complete(asyncio.to_thread(v.counts_without, hidden))
            for v in (ev, nv)
            if v.counts_without is not None
        ]
        assert len(counts) == 2
        assert counts[0] == counts[1], sorted(hidden)
    nodes = sorted(ge.nodes())
    for _ in range(6):
        s, t = data.draw(st.sampled_from(nodes)), data.draw(st.sampled_from(nodes))
        kind_e, prob_e = best(ge, s, t)
        kind_n, prob_n = best(gn, s, t)
        assert kind_e == kind_n
        assert prob_n == pytest.approx(prob_e, abs=1e-9)
        rank_e, rank_n = introducers(ge, s, t), introducers(gn, s, t)
        assert rank_e.keys() == rank_n.keys()
        for who, score in rank_e.items():
            assert rank_n[who] == pytest.approx(score, abs=1e-9)
