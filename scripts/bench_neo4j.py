"""Benchmark: the Neo4j backend next to the embedded one on the same synthetic graph.

One run, one graph (``demo.synth``, 1M ties by default):

1. batch size: import the first ``--calibrate`` ties into fresh workspaces with
   each ``--batch-sizes`` value, and keep the fastest; on the same sample, two
   same-run baselines: the rows shipped and counted (client and Bolt cost only)
   and the plain ``UNWIND ... CREATE`` load the published ~70k rows/s anchor
   measures (no MERGE, no evidence document, fresh workspace);
2. import: the whole graph through ``Neo4jStore.apply`` (one transaction, UNWIND
   batches of the chosen size) and through ``EmbeddedStore.apply``; ties/s;
3. planning view: cold build on each backend, and the warm per-call cost;
4. queries: p50/p99 of ``most_trusted_path`` and ``rank_introducers`` (max 4 hops)
   over ``--pairs`` seeded random pairs, each timed through the store's
   ``planning_view`` (on Neo4j that includes the version round trip), with both
   backends' answers checked equal;
5. the alternative: a bounded neighbourhood fetched per query (ties touching the
   ends and their neighbours, exact for 4 hops) and searched in memory.

APOC is not installed on the Community server the tests use, so there is no
``apoc.algo.dijkstra`` column. Start the server with a heap that holds the
largest import's transaction (1M ties need more than 4g; 8g works)::

    WARMINTRO_NEO4J_HEAP=8g WARMINTRO_NEO4J_PAGECACHE=1g \\
        .venv/bin/python scripts/bench_neo4j.py [--edges 1000000] [--pairs 200]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from neo4j import AsyncDriver, AsyncGraphDatabase  # noqa: E402

from demo.synth import synthetic_edges, synthetic_people  # noqa: E402
from graph import algorithms  # noqa: E402
from graph.errors import NoPath  # noqa: E402
from graph.model import Evidence, ImportBatch, Person, Relationship, canonical_pair  # noqa: E402
from graph.store import neo4j as neo4j_store  # noqa: E402
from graph.store.base import GraphStore  # noqa: E402
from graph.store.cypher import load_query  # noqa: E402
from graph.store.embedded import EmbeddedStore  # noqa: E402
from graph.store.neo4j import Neo4jStore  # noqa: E402
from graph.store.view import build_view  # noqa: E402
from graph.strength import StrengthWeights  # noqa: E402
from graph.trustgraph import TrustGraph  # noqa: E402

TODAY = date(2026, 11, 1)
MAX_HOPS = 4


def server_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "neo4j_server", ROOT / "scripts" / "neo4j_server.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["neo4j_server"] = module
    spec.loader.exec_module(module)
    return module


def synthetic_batch(n_edges: int, seed: int) -> ImportBatch:
    """The synthetic graph as an edge-list import: each strength is an explicit rating."""
    people = [Person(p.id, p.name, p.company, p.position) for p in synthetic_people(n_edges, seed)]
    rels = []
    for u, v, s in synthetic_edges(n_edges, seed):
        a, b = canonical_pair(u, v)
        rels.append(Relationship(a, b, (Evidence("edges.csv", rating=s),)))
    return ImportBatch(people=people, relationships=rels)


def head(batch: ImportBatch, n: int) -> ImportBatch:
    rels = batch.relationships[:n]
    ends = {x for r in rels for x in (r.a, r.b)}
    return ImportBatch(people=[p for p in batch.people if p.id in ends], relationships=rels)


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ms(samples: list[float]) -> str:
    return f"{pct(samples, 0.5) * 1e3:.2f} / {pct(samples, 0.99) * 1e3:.2f}"


async def timed(fn: Callable[[], Awaitable[object]]) -> tuple[float, object]:
    started = time.perf_counter()
    out = await fn()
    return time.perf_counter() - started, out


def probability(g: TrustGraph, s: str, t: str) -> float:
    try:
        return algorithms.most_trusted_path(g, s, t, max_hops=MAX_HOPS).probability
    except NoPath:
        return 0.0


def ranking(g: TrustGraph, s: str, t: str) -> list[float]:
    try:
        return [r.score for r in algorithms.rank_introducers(g, s, t, max_hops=MAX_HOPS)]
    except NoPath:
        return []


async def plain_load(driver: AsyncDriver, batch: ImportBatch, size: int) -> tuple[float, float]:
    """Seconds to ship-and-count the tie rows, and to CREATE the batch plainly (one transaction)."""
    people: list[dict[str, object]] = [{"id": p.id, "name": p.name} for p in batch.people]
    ties: list[dict[str, object]] = [
        {"a": r.a, "b": r.b, "owner": "edges.csv", "rating": r.evidence[0].rating}
        for r in batch.relationships
    ]
    ws = f"plain{uuid.uuid4().hex[:8]}"
    async with driver.session() as session:
        started = time.perf_counter()
        for i in range(0, len(ties), size):
            chunk = ties[i : i + size]
            result = await session.run(load_query("baseline_transfer").text, rows=chunk)
            await result.consume()
        transfer = time.perf_counter() - started
        started = time.perf_counter()
        tx = await session.begin_transaction()
        for name, rows in (("baseline_create_people", people), ("baseline_create_ties", ties)):
            for i in range(0, len(rows), size):
                chunk = rows[i : i + size]
                result = await tx.run(load_query(name).text, workspace=ws, rows=chunk)
                await result.consume()
        await tx.commit()
        create = time.perf_counter() - started
    return transfer, create


async def query_latencies(
    store: GraphStore, ws: str, pairs: list[tuple[str, str]]
) -> tuple[list[float], list[float], list[float], list[list[float]]]:
    """Per pair: time to the planner's graph plus the search, for both algorithms."""
    path_t, rank_t, probs, ranks = [], [], [], []
    for s, t in pairs:
        started = time.perf_counter()
        g = (await store.planning_view(ws)).graph
        probs.append(probability(g, s, t))
        path_t.append(time.perf_counter() - started)
        started = time.perf_counter()
        g = (await store.planning_view(ws)).graph
        ranks.append(ranking(g, s, t))
        rank_t.append(time.perf_counter() - started)
    return path_t, rank_t, probs, ranks


async def bounded(
    store: Neo4jStore, ws: str, pairs: list[tuple[str, str]]
) -> tuple[list[float], list[int], list[float]]:
    """Fetch the ties a 4-hop path can use (those touching s, t or a neighbour) per query."""
    members = [m.person_id for m in await store.members(ws)]
    times, sizes, probs = [], [], []
    for s, t in pairs:
        started = time.perf_counter()
        ball = {s, t, *await store.neighbours(ws, [s, t])}
        evidence = await store.neighbourhood_evidence(ws, sorted(ball))
        view = build_view(ball, evidence, members, as_of=TODAY, weights=StrengthWeights())
        probs.append(probability(view.graph, s, t))
        times.append(time.perf_counter() - started)
        sizes.append(len(evidence))
    return times, sizes, probs


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--bounded-pairs", type=int, default=50)
    parser.add_argument("--calibrate", type=int, default=100_000)
    parser.add_argument("--batch-sizes", default="5000,10000,20000,50000")
    parser.add_argument("--instance", default="bench-neo4j", help="scripts/neo4j_server.py name")
    parser.add_argument("--keep", action="store_true", help="leave the server running")
    args = parser.parse_args()

    server = server_module()
    info = server.start(args.instance)
    driver = AsyncGraphDatabase.driver(info.uri, auth=(info.user, info.password))
    neo = Neo4jStore(driver, today=lambda: TODAY, owns_driver=True)
    try:
        t0 = time.perf_counter()
        batch = synthetic_batch(args.edges, args.seed)
        n_rel = len(batch.relationships)
        took = time.perf_counter() - t0
        print(f"graph: {len(batch.people):,} people, {n_rel:,} ties ({took:.1f} s)")
        await neo.stats("warm-up")  # schema set-up outside the timings

        sizes = [int(x) for x in args.batch_sizes.split(",")]
        sample = head(batch, args.calibrate)
        rates = {}
        # A discarded first import: JIT and page cache warm-up would otherwise
        # penalise whichever size is measured first.
        await neo.apply(f"warm{uuid.uuid4().hex[:8]}", sample)
        for size in sizes:
            neo4j_store.BATCH_ROWS = size
            dt, _ = await timed(lambda: neo.apply(f"cal{uuid.uuid4().hex[:8]}", sample))
            rates[size] = len(sample.relationships) / dt
            print(f"batch {size:>6}: {rates[size]:,.0f} ties/s on {len(sample.relationships):,}")
        chosen = max(rates, key=lambda k: rates[k])
        neo4j_store.BATCH_ROWS = chosen
        n_sample = len(sample.relationships)
        transfer, create = await plain_load(driver, sample, chosen)
        print(
            f"same sample, batch {chosen}: shipped and counted only {n_sample / transfer:,.0f} "
            f"rows/s; plain UNWIND CREATE {n_sample / create:,.0f} ties/s; warmintro import "
            f"{rates[chosen]:,.0f} ties/s ({rates[chosen] * create / n_sample:.2f}x plain)"
        )

        ws = f"bench{uuid.uuid4().hex[:8]}"
        neo_import, _ = await timed(lambda: neo.apply(ws, batch))
        print(
            f"neo4j import: {neo_import:.1f} s, {n_rel / neo_import:,.0f} ties/s (batch {chosen})"
        )
        with tempfile.TemporaryDirectory() as tmp:
            emb = EmbeddedStore(Path(tmp) / "db.sqlite", today=lambda: TODAY)
            emb_import, _ = await timed(lambda: emb.apply(ws, batch))
            print(f"embedded import: {emb_import:.1f} s, {n_rel / emb_import:,.0f} ties/s")
            assert await emb.stats(ws) == await neo.stats(ws)

            emb_view, _ = await timed(lambda: emb.planning_view(ws))
            neo_view, _ = await timed(lambda: neo.planning_view(ws))
            warm = []
            for _ in range(50):
                dt, _ = await timed(lambda: neo.planning_view(ws))
                warm.append(dt)
            print(f"view build: embedded {emb_view:.1f} s, neo4j {neo_view:.1f} s (cold)")
            print(f"neo4j warm planning_view (version check): {ms(warm)} ms p50/p99")

            nodes = sorted(batch.people, key=lambda p: p.id)
            rng = random.Random(args.seed)
            pairs = [(rng.choice(nodes).id, rng.choice(nodes).id) for _ in range(args.pairs)]
            pairs = [(s, t) for s, t in pairs if s != t]
            e_path, e_rank, e_probs, e_ranks = await query_latencies(emb, ws, pairs)
            n_path, n_rank, n_probs, n_ranks = await query_latencies(neo, ws, pairs)
            for a, b in zip(e_probs, n_probs, strict=True):
                assert abs(a - b) <= 1e-9, (a, b)
            for ra, rb in zip(e_ranks, n_ranks, strict=True):
                assert len(ra) == len(rb)
                assert all(abs(x - y) <= 1e-9 for x, y in zip(ra, rb, strict=True))
            found = sum(p > 0 for p in e_probs)
            print(
                f"pairs: {len(pairs)} ({found} with a path within {MAX_HOPS} hops); answers equal"
            )
            print(f"most_trusted_path p50/p99 ms: embedded {ms(e_path)}, neo4j {ms(n_path)}")
            print(f"rank_introducers  p50/p99 ms: embedded {ms(e_rank)}, neo4j {ms(n_rank)}")

            few = pairs[: args.bounded_pairs]
            b_times, b_sizes, b_probs = await bounded(neo, ws, few)
            for a, b in zip(e_probs, b_probs, strict=False):
                assert abs(a - b) <= 1e-9, (a, b)
            print(
                f"bounded fetch most_trusted_path p50/p99 ms: {ms(b_times)} "
                f"(ties fetched p50 {statistics.median(b_sizes):,.0f}, max {max(b_sizes):,}); "
                "answers equal"
            )
            await emb.close()
    finally:
        await neo.close()
        if not args.keep:
            server.stop(args.instance)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("WARMINTRO_NEO4J_HEAP", "8g")
    os.environ.setdefault("WARMINTRO_NEO4J_PAGECACHE", "1g")
    sys.exit(asyncio.run(main()))
