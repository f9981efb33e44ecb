"""The Neo4j backend plans exactly like the embedded one on random graphs."""

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
from graph.embedded import EmbeddedStore
from graph.errors import NoPath
from graph.model import Evidence, ImportBatch, Member, Person, Relationship, canonical_pair
from graph.neo4j_store import Neo4jStore
from graph.trustgraph import TrustGraph
from tests.neo4j_harness import Neo4jServer

pytestmark = pytest.mark.neo4j
TODAY = date(2026, 11, 1)
IDS = [f"p{i}" for i in range(10)]


@st.composite
def batches(draw: st.DrawFn) -> ImportBatch:
    n = draw(st.integers(3, 10))
    ids = IDS[:n]
    owners = ids[:2]
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, min_size=1, max_size=20))
    rels = []
    for a, b in chosen:
        evs = []
        for owner in draw(st.lists(st.sampled_from(owners), unique=True, min_size=1, max_size=2)):
            evs.append(
                Evidence(
                    owner=owner,
                    messages_ab=draw(st.integers(0, 30)),
                    messages_ba=draw(st.integers(0, 30)),
                    last_contact=draw(
                        st.none() | st.datetimes(datetime(2020, 1, 1), datetime(2026, 10, 1))
                    ),
                    connected_on=draw(st.none() | st.dates(date(2010, 1, 1), date(2026, 1, 1))),
                    rating=draw(st.none() | st.sampled_from([0.2, 0.5, 0.9])),
                )
            )
        x, y = canonical_pair(a, b)
        rels.append(Relationship(x, y, tuple(evs)))
    return ImportBatch(
        people=[Person(i, i.upper()) for i in ids],
        relationships=rels,
        members=[Member(o) for o in owners],
    )


@pytest.fixture(scope="module")
def backends(
    neo4j_server: Neo4jServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[EmbeddedStore, Neo4jStore, asyncio.AbstractEventLoop]]:
    loop = asyncio.new_event_loop()
    driver = AsyncGraphDatabase.driver(
        neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password)
    )
    embedded = EmbeddedStore(Path(tmp_path_factory.mktemp("eq")) / "db.sqlite", today=lambda: TODAY)
    neo = Neo4jStore(driver, today=lambda: TODAY, owns_driver=True)
    yield embedded, neo, loop
    loop.run_until_complete(neo.close())
    loop.run_until_complete(embedded.close())
    loop.close()


def outcome(g: TrustGraph, s: str, t: str) -> tuple[str, float]:
    try:
        return "path", algorithms.most_trusted_path(g, s, t).probability
    except NoPath as err:
        return err.reason.value, 0.0


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=batches(), data=st.data())
def test_backends_agree(
    backends: tuple[EmbeddedStore, Neo4jStore, asyncio.AbstractEventLoop],
    batch: ImportBatch,
    data: st.DataObject,
) -> None:
    embedded, neo, loop = backends
    ws = f"eq{uuid.uuid4().hex[:10]}"
    loop.run_until_complete(embedded.apply(ws, batch))
    loop.run_until_complete(neo.apply(ws, batch))
    assert loop.run_until_complete(embedded.stats(ws)) == loop.run_until_complete(neo.stats(ws))
    ge = loop.run_until_complete(embedded.planning_view(ws)).graph
    gn = loop.run_until_complete(neo.planning_view(ws)).graph
    ids = [p.id for p in batch.people]
    for _ in range(5):
        s, t = data.draw(st.sampled_from(ids)), data.draw(st.sampled_from(ids))
        kind_e, prob_e = outcome(ge, s, t)
        kind_n, prob_n = outcome(gn, s, t)
        assert kind_e == kind_n
        assert prob_e == pytest.approx(prob_n, abs=1e-9)
        if s != t:
            re_ = algorithms.rank_introducers(ge, s, t)
            rn = algorithms.rank_introducers(gn, s, t)
            assert [r.score for r in re_] == pytest.approx([r.score for r in rn], abs=1e-9)
            assert {
                r.introducer for r in re_ if r.score > (re_[-1].score if re_ else 0) + 1e-9
            } == {r.introducer for r in rn if r.score > (rn[-1].score if rn else 0) + 1e-9}
