"""Benchmark: the Neo4j backend next to the embedded one, plain Cypher, APOC and neo4j-admin.

One run, one server (``scripts/neo4j_server.py``, with apoc-core from Maven Central in its
plugins directory: benchmark only, the test suite's server has no plugin), two graphs:
``demo.synth`` (random pairs, ``--edges``) and ``demo.team_graph`` (pooled team,
member -> target pairs 1-3 hops away, ``--team-ties``).

1. batch size: import the first ``--calibrate`` ties into fresh workspaces with each
   ``--batch-sizes`` value and keep the fastest;
2. import of the whole synthetic graph, in this order, each into a fresh workspace in
   one transaction: the store's ``apply`` as it was at ``--before`` (git commit, loaded
   from git), the plain ``UNWIND ... CREATE`` baseline (no MERGE, no evidence document:
   the published ~70k rows/s anchor), the store's ``apply`` now; ties/s on the wall
   clock and CPU seconds (this process plus the server's JVM, which the other load on
   a shared machine disturbs less); and ``EmbeddedStore.apply``;
3. the bulk path: ``warmintro export-neo4j``'s files written from the embedded store and
   imported by ``neo4j-admin database import full`` into a fresh database of a second
   instance (ties/s of the importer's own "IMPORT DONE" time, and of export + import),
   then read back through the Neo4j store and checked equal (stats, best paths);
4. planning view: cold build on each backend and the warm per-call cost;
5. queries: ``most_trusted_path`` and ``rank_introducers`` (max 4 hops) p50/p99 on
   random pairs, both backends' answers equal; and the bounded-fetch alternative;
6. against APOC: on both graphs, ``apoc.algo.dijkstra`` over KNOWS with a ``cost``
   property (-ln strength; every tie here is a rating, so strength is the rating kept
   within [floor, 1]) on
   the same pairs as the backend's trustedPath (planning_view + most_trusted_path,
   admin view). APOC has no hop limit and no privacy mask: where its path has at most
   4 hops both answers must be equal; where it is longer the backend's must be no better.

Start it with a heap that holds the largest import's transaction (1M ties need more
than 4g)::

    WARMINTRO_NEO4J_HEAP=8g WARMINTRO_NEO4J_PAGECACHE=1g \\
        .venv/bin/python scripts/bench_neo4j.py [--edges 1000000] [--team-ties 1000000]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import math
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from neo4j import AsyncDriver, AsyncGraphDatabase  # noqa: E402

from demo.synth import synthetic_edges, synthetic_people  # noqa: E402
from demo.team_graph import PUBLIC_BIT, TeamGraph, team_graph  # noqa: E402
from graph import algorithms  # noqa: E402
from graph.errors import NoPath  # noqa: E402
from graph.model import (  # noqa: E402
    Evidence,
    ImportBatch,
    Member,
    Person,
    Relationship,
    canonical_pair,
)
from graph.store import neo4j as neo4j_store  # noqa: E402
from graph.store.base import GraphStore  # noqa: E402
from graph.store.codec import evidence_to_json, interactions_in, person_to_dict  # noqa: E402
from graph.store.cypher import load_query  # noqa: E402
from graph.store.embedded import EmbeddedStore  # noqa: E402
from graph.store.neo4j import Neo4jStore  # noqa: E402
from graph.store.view import build_view  # noqa: E402
from graph.strength import StrengthWeights  # noqa: E402
from graph.trustgraph import TrustGraph  # noqa: E402
from services.access import Viewer  # noqa: E402
from services.bulk import export_neo4j_import  # noqa: E402

TODAY = date(2026, 11, 1)


MAX_HOPS = 4
APOC = ("org.neo4j.procedure", "apoc-core", "5.26.19")  # newest 5.26 on Maven Central
APOC_CACHE = ROOT / ".cache" / "apoc"


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


# --------------------------------------------------------------------------- set-up


def apoc_jars() -> list[Path]:
    """apoc-core, apoc-common and the jars they need that Neo4j's lib/ does not hold.

    Resolved once with Maven into ``.cache/apoc/VERSION`` (the jars stay in ~/.m2 too).
    """
    group, artifact, version = APOC
    target = APOC_CACHE / version
    if not (target / ".complete").exists():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        pom = target / "pom.xml"
        pom.write_text(
            "<project xmlns='http://maven.apache.org/POM/4.0.0'><modelVersion>4.0.0"
            "</modelVersion><groupId>dev.warmintro</groupId><artifactId>apoc-resolver"
            "</artifactId><version>1</version><packaging>pom</packaging><dependencies>"
            + "".join(
                f"<dependency><groupId>{group}</groupId><artifactId>{name}</artifactId>"
                f"<version>{version}</version></dependency>"
                for name in (artifact, "apoc-common")  # core's POM does not name common
            )
            + "</dependencies></project>",
            encoding="utf-8",
        )
        subprocess.run(
            [
                "mvn", "-B", "-q", "-f", str(pom),
                "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies",
                f"-DoutputDirectory={target / 'lib'}", "-DincludeScope=runtime",
            ],
            check=True,
        )  # fmt: skip
        (target / ".complete").write_text(version + "\n", encoding="utf-8")
    lib = {re.sub(r"-[0-9][^-]*\.jar$", "", j.name) for j in server_module().DIST.glob("lib/*.jar")}
    return sorted(
        j
        for j in (target / "lib").glob("*.jar")
        if re.sub(r"-[0-9][^-]*\.jar$", "", j.name) not in lib
    )


def old_store(ref: str) -> ModuleType:
    """graph/store/neo4j.py as it was at commit ``ref`` (same queries/ and codec as now)."""
    text = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{ref}:graph/store/neo4j.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "neo4j_before.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("neo4j_before", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["neo4j_before"] = module
    spec.loader.exec_module(module)
    return module


class Cpu:
    """CPU seconds of this process plus the benchmark server's JVMs."""

    def __init__(self, run_dir: Path) -> None:
        self._run_dir = run_dir
        self._tick = os.sysconf("SC_CLK_TCK")

    def now(self) -> float:
        total = time.process_time()
        for pid in server_module()._processes_of(self._run_dir):
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            total += (int(fields[11]) + int(fields[12])) / self._tick
        return total


def peak_rss(run_dir: Path) -> str:
    """Peak resident memory of this process and of the server's JVMs (VmHWM), in MiB."""
    out = [f"client {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}"]
    for pid in server_module()._processes_of(run_dir):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        hwm = re.search(r"VmHWM:\s+(\d+) kB", status)
        if hwm:
            out.append(f"server pid {pid} {int(hwm.group(1)) // 1024}")
    return ", ".join(out)


async def measured(cpu: Cpu, fn: Callable[[], Awaitable[object]]) -> tuple[float, float]:
    """Wall and CPU seconds of ``fn``."""
    c0, t0 = cpu.now(), time.perf_counter()
    await fn()
    return time.perf_counter() - t0, cpu.now() - c0


def team_batch(tg: TeamGraph) -> ImportBatch:
    """The team graph as an import: each tie's owner is the member whose mask bit it has
    (teammate ties are public: a file's), its strength an explicit rating."""
    owner_of = {bit: m for m, bit in tg.member_bits.items()}
    ids = sorted({x for a, b, _, _ in tg.edges for x in (a, b)})
    rels = []
    for u, v, s, mask in tg.edges:
        a, b = canonical_pair(u, v)
        owner = "edges.csv" if mask == PUBLIC_BIT else owner_of[mask]
        rels.append(Relationship(a, b, (Evidence(owner, rating=s),)))
    return ImportBatch(
        people=[Person(i, i) for i in ids],
        relationships=rels,
        members=[Member(m) for m in tg.members],
    )


def member_pairs(g: TrustGraph, members: list[str], n: int, seed: int) -> list[tuple[str, str]]:
    """Member -> target pairs with targets 1, 2 and 3 hops away in equal shares."""
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    ptr, nbr = g.ptr, g.nbr
    for _ in range(50 * n):
        if len(out) >= n:
            break
        member, want = rng.choice(members), 1 + len(out) % 3
        dist = np.full(len(g.ids), -1, dtype=np.int8)
        frontier = np.array([g.index[member]], dtype=np.int64)
        dist[frontier] = 0
        for hop in range(1, want + 1):
            lo, hi = ptr[frontier], ptr[frontier + 1]
            lens = hi - lo
            shift = np.repeat(lo - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens)
            reached = np.unique(nbr[np.arange(int(lens.sum()), dtype=np.int64) + shift])
            frontier = reached[dist[reached] < 0]
            dist[frontier] = hop
        if len(frontier):
            out.append((member, g.ids[int(frontier[rng.randrange(len(frontier))])]))
    return out


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


def plain_rows(batch: ImportBatch, *, full: bool) -> tuple[list[dict[str, object]], ...]:
    """The plain baseline's rows. Lean (the published anchor): people with id and name,
    one tie per relationship with its owner and rating. Full: the same information as
    ``apply`` sends, the people with every property ``create_people`` stores (empty
    ones as null) and one tie per evidence record with its owner, the evidence document
    (``evidence_to_json``) and its interactions."""
    if not full:
        return (
            [{"id": p.id, "name": p.name} for p in batch.people],
            [
                {"a": r.a, "b": r.b, "owner": "edges.csv", "rating": r.evidence[0].rating}
                for r in batch.relationships
            ],
        )
    people: list[dict[str, object]] = []
    for p in batch.people:
        row: dict[str, object] = dict(person_to_dict(p))
        for key in ("email", "url", "schools", "employers"):
            row[key] = row[key] or None
        people.append(row)
    ties: list[dict[str, object]] = [
        {
            "a": r.a,
            "b": r.b,
            "owner": e.owner,
            "data": evidence_to_json(e),
            "interactions": interactions_in(e) or None,
        }
        for r in batch.relationships
        for e in r.evidence
    ]
    return people, ties


async def plain_load(
    cpu: Cpu, driver: AsyncDriver, batch: ImportBatch, size: int, *, full: bool
) -> tuple[float, float, float, float]:
    """Seconds to build the rows, to ship-and-count the tie rows, and to CREATE the batch
    plainly (one transaction; the rows are built before this timer), and the CPU seconds
    (this process and the server's JVMs) of the CREATE alone."""
    started = time.perf_counter()
    people, ties = plain_rows(batch, full=full)
    build = time.perf_counter() - started
    suffix = "_full" if full else ""
    ws = f"plain{uuid.uuid4().hex[:8]}"
    async with driver.session() as session:
        started = time.perf_counter()
        for i in range(0, len(ties), size):
            chunk = ties[i : i + size]
            result = await session.run(load_query("baseline_transfer").text, rows=chunk)
            await result.consume()
        transfer = time.perf_counter() - started
        c0, started = cpu.now(), time.perf_counter()
        tx = await session.begin_transaction()
        for name, rows in (
            (f"baseline_create_people{suffix}", people),
            (f"baseline_create_ties{suffix}", ties),
        ):
            for i in range(0, len(rows), size):
                chunk = rows[i : i + size]
                result = await tx.run(load_query(name).text, workspace=ws, rows=chunk)
                await result.consume()
        await tx.commit()
        create = time.perf_counter() - started
        used = cpu.now() - c0
    return build, transfer, create, used


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


async def against_apoc(
    driver: AsyncDriver, store: Neo4jStore, ws: str, pairs: list[tuple[str, str]]
) -> dict[str, object]:
    """Time the backend's trustedPath and apoc.algo.dijkstra on the same pairs; compare."""
    async with driver.session(notifications_min_severity="OFF") as session:
        started = time.perf_counter()
        result = await session.run(
            load_query("bench_apoc_cost").text, workspace=ws, floor=StrengthWeights().floor
        )
        await result.consume()
        cost_s = time.perf_counter() - started

        async def dijkstra(s: str, t: str) -> tuple[list[str], float] | None:
            result = await session.run(
                load_query("bench_apoc_dijkstra").text, workspace=ws, source=s, target=t
            )
            record = await result.single()
            return None if record is None else (record["ids"], record["weight"])

        for s, t in pairs[:5]:  # warm-up: plans cached, JIT
            await dijkstra(s, t)
            probability((await store.planning_view(ws)).graph, s, t)
        ours_t, apoc_t, ours, theirs = [], [], [], []
        for s, t in pairs:
            started = time.perf_counter()
            ours.append(probability((await store.planning_view(ws)).graph, s, t))
            ours_t.append(time.perf_counter() - started)
            started = time.perf_counter()
            theirs.append(await dijkstra(s, t))
            apoc_t.append(time.perf_counter() - started)
    comparable = mismatches = longer = 0
    for (s, t), mine, found in zip(pairs, ours, theirs, strict=True):
        if found is None:
            comparable += 1
            bad = mine != 0.0
        elif len(found[0]) - 1 <= MAX_HOPS:
            comparable += 1
            bad = not math.isclose(mine, math.exp(-found[1]), rel_tol=1e-9)
        else:  # APOC's best is longer than the limit: the bounded best is no better
            longer += 1
            bad = mine > math.exp(-found[1]) * (1 + 1e-9)
        if bad:
            mismatches += 1
            print(f"MISMATCH {s}->{t}: trustedPath {mine!r}, apoc {found!r}")
    return {
        "ours": ours_t,
        "apoc": apoc_t,
        "comparable": comparable,
        "longer": longer,
        "mismatches": mismatches,
        "cost_s": cost_s,
        "hops": [len(f[0]) - 1 for f in theirs if f is not None],
    }


def report_apoc(label: str, r: dict[str, object]) -> None:
    ours, apoc = r["ours"], r["apoc"]
    assert isinstance(ours, list)
    assert isinstance(apoc, list)
    hops = r["hops"]
    assert isinstance(hops, list)
    print(
        f"{label}: {len(ours)} pairs; trustedPath (planning_view + search, <= {MAX_HOPS} hops) "
        f"p50/p99 {ms(ours)} ms; apoc.algo.dijkstra {ms(apoc)} ms; p50 ratio "
        f"{pct(apoc, 0.5) / pct(ours, 0.5):.1f}x; APOC path hops "
        f"{ {h: hops.count(h) for h in sorted(set(hops))} }"
        f"; comparable (APOC <= {MAX_HOPS} hops or none) {r['comparable']}, longer {r['longer']}, "
        f"mismatches {r['mismatches']} (setting cost: {r['cost_s']:.1f} s)"
    )


async def bulk_path(
    server: ModuleType, emb: EmbeddedStore, ws: str, tmp: Path, name: str
) -> tuple[float, float, float, Any]:
    """export-neo4j's files from ``emb``, imported by neo4j-admin into a new instance.

    Returns export seconds, the importer's own seconds ("IMPORT DONE in ..."), the
    neo4j-admin wall seconds, and the running instance (stopped by the caller).
    """
    started = time.perf_counter()
    files = await export_neo4j_import(emb, Viewer(ws), tmp / "neo4j-import")
    export_s = time.perf_counter() - started
    started = time.perf_counter()
    info = server.start(name, server.Extras(admin=(tuple(files.admin_args()),)))
    start_s = time.perf_counter() - started
    log = (server.RUN / name / "admin.log").read_text(errors="replace")
    done = re.search(r"IMPORT DONE in (?:(\d+)m )?(\d+)s (\d+)ms", log)
    assert done is not None, log[-2000:]
    minutes, secs, millis = (int(x or 0) for x in done.groups())
    return export_s, minutes * 60 + secs + millis / 1000, start_s, info


async def one_import(
    kind: str,
    cpu: Cpu,
    driver: AsyncDriver,
    stores: dict[str, Any],
    batch: ImportBatch,
    size: int,
) -> tuple[float, float, float, float, str]:
    """Wall and CPU seconds of one import into a fresh workspace, the plain baseline's
    row building and ship-and-count seconds (0 otherwise) and the workspace written.

    A ``*_later`` kind is a later write: the first tenth of the batch's ties (and their
    ends) is applied first, outside the timer, so the timed ``apply`` of the whole batch
    updates people and MERGEs ties already stored beside CREATE-ing the rest."""
    if kind.startswith("plain"):
        build, shipped, wall, used = await plain_load(
            cpu, driver, batch, size, full=kind == "plain_full"
        )
        return wall, used, build, shipped, ""  # the CREATE part: build and transfer apart
    ws = f"{kind.replace('_', '')}{uuid.uuid4().hex[:8]}"
    store = stores[kind.removesuffix("_later")]
    if kind.endswith("_later"):
        await store.apply(ws, head(batch, len(batch.relationships) // 10))
    wall, used = await measured(cpu, lambda: store.apply(ws, batch))
    return wall, used, 0.0, 0.0, ws


def import_labels(args: argparse.Namespace, *, with_before: bool) -> dict[str, str]:
    """The imports of the table, by kind, in their forward order."""
    labels = {
        "before": f"apply before ({args.before}), first write",
        "before_later": f"apply before ({args.before}), later write",
        "plain": "plain UNWIND ... CREATE, lean (id+name; owner+rating)",
        "plain_full": "plain UNWIND ... CREATE, same information as apply",
        "now": "apply now, first write",
        "now_later": "apply now, later write",
    }
    if not with_before:  # --before none: only the baselines and now
        del labels["before"], labels["before_later"]
    if args.no_later:
        for kind in ("before_later", "now_later"):
            labels.pop(kind, None)
    return labels


async def import_table(
    args: argparse.Namespace,
    cpu: Cpu,
    driver: AsyncDriver,
    neo: Any,
    before: Any,
    batch: ImportBatch,
    size: int,
) -> tuple[str, str]:
    """Before, the plain baselines and now, each into a fresh workspace, ``--repeats`` times.

    Repeats rotate and alternate the order, so no import always runs first (the first
    import of a repeat is often the slow one: the store's files grow, the last one's
    garbage is collected). Ratios are against the full plain
    baseline (the same information as ``apply``) of the same repeat, and the lean one
    beside it. Returns the last workspaces written by now and before (first writes)."""
    n_rel = len(batch.relationships)
    labels = import_labels(args, with_before=before is not None)
    stores = {"now": neo, "before": before}
    walls: dict[str, list[float]] = {k: [] for k in labels}
    cpus: dict[str, list[float]] = {k: [] for k in labels}
    ratios: dict[str, list[float]] = {k: [] for k in labels}
    cpu_ratios: dict[str, list[float]] = {k: [] for k in labels}
    built_ratios: dict[str, list[float]] = {k: [] for k in labels}
    builds: dict[str, list[float]] = {"plain": [], "plain_full": []}
    transfer: list[float] = []
    written = {"now": "", "before": ""}
    print(
        "| repeat | import, one transaction | s | ties/s | CPU s "
        "| ÷ plain full (same repeat) | ÷ plain lean |"
    )
    print("|---|---|---|---|---|---|---|")
    if args.warm_round:  # one discarded full-size import of each kind: files, JIT, caches
        for kind in labels:
            await one_import(kind, cpu, driver, stores, batch, size)
    kinds = list(labels)
    for rep in range(args.repeats):
        # Rotated (and reversed every other repeat): with 2 x len(kinds) repeats every
        # import takes every place in the order equally often.
        shift = (rep // 2) % len(kinds)
        order = kinds[shift:] + kinds[:shift]
        if (rep + args.reverse) % 2:
            order.reverse()
        got: dict[str, tuple[float, float]] = {}
        for kind in order:
            out = await one_import(kind, cpu, driver, stores, batch, size)
            wall, used, built, shipped, ws = out
            got[kind] = (wall, used)
            if kind in builds:
                builds[kind].append(built)
            if shipped:
                transfer.append(shipped)
            if ws and kind in written:
                written[kind] = ws
        for kind in order:
            wall, used = got[kind]
            walls[kind].append(wall)
            cpus[kind].append(used)
            ratios[kind].append(got["plain_full"][0] / wall)
            cpu_ratios[kind].append(got["plain_full"][1] / used)
            built_ratios[kind].append((got["plain_full"][0] + builds["plain_full"][-1]) / wall)
            print(
                f"| {rep + 1} | {labels[kind]} | {wall:.2f} | {n_rel / wall:,.0f} | "
                f"{used:.1f} | {got['plain_full'][0] / wall:.2f}x | "
                f"{got['plain'][0] / wall:.2f}x |",
                flush=True,
            )
    print(f"\nmedian (min-max) of {args.repeats} repeat(s), load {os.getloadavg()[0]:.1f}:")
    print(
        "| import | s | ties/s | CPU s | ÷ plain full (wall), per repeat | ÷ plain full (CPU) "
        "| ÷ plain full with its rows' building (wall) |"
    )
    print("|---|---|---|---|---|---|---|")
    for kind, label in labels.items():
        w, r, c, b = walls[kind], ratios[kind], cpu_ratios[kind], built_ratios[kind]
        print(
            f"| {label} | {statistics.median(w):.2f} ({min(w):.2f}-{max(w):.2f}) | "
            f"{n_rel / statistics.median(w):,.0f} | {statistics.median(cpus[kind]):.2f} | "
            f"{statistics.median(r):.2f}x ({min(r):.2f}-{max(r):.2f}) | "
            f"{statistics.median(c):.2f}x ({min(c):.2f}-{max(c):.2f}) | "
            f"{statistics.median(b):.2f}x ({min(b):.2f}-{max(b):.2f}) |"
        )
    lean = [f / p for f, p in zip(walls["plain_full"], walls["plain"], strict=True)]
    for kind in ("now", "now_later"):
        if kind not in walls:
            continue
        r = [p / n for p, n in zip(walls["plain"], walls[kind], strict=True)]
        print(
            f"{kind} ÷ plain lean, per repeat: {', '.join(f'{x:.2f}x' for x in r)}; "
            f"median {statistics.median(r):.2f}x"
        )
    print(
        f"plain full ÷ plain lean wall: median {statistics.median(lean):.2f}x; rows built "
        f"before the timer: lean {statistics.median(builds['plain']):.2f} s, full "
        f"{statistics.median(builds['plain_full']):.2f} s (median)"
    )
    print(
        f"(plain CPU is the CREATE's alone, as its wall time; its rows' building and a "
        f"ship-and-count pass, median {n_rel / statistics.median(transfer):,.0f} rows/s, "
        f"are apart)"
    )
    return written["now"], written["before"]


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--team-ties", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--apoc-pairs", type=int, default=150)
    parser.add_argument("--bounded-pairs", type=int, default=50)
    parser.add_argument("--calibrate", type=int, default=100_000)
    parser.add_argument("--batch-sizes", default="5000,10000,20000,50000")
    parser.add_argument(
        "--before", default="a679cd5", help="git commit of the 'before' apply ('none': skip it)"
    )
    parser.add_argument("--instance", default="bench-neo4j", help="scripts/neo4j_server.py name")
    parser.add_argument("--keep", action="store_true", help="leave the server running")
    parser.add_argument(
        "--import-only", action="store_true", help="stop after the import table (step 2)"
    )
    parser.add_argument("--repeats", type=int, default=1, help="of the import table")
    parser.add_argument(
        "--warm-round", action="store_true", help="one discarded full-size round of imports"
    )
    parser.add_argument("--no-later", action="store_true", help="time first writes only")
    parser.add_argument(
        "--reverse",
        action="store_true",
        help="start with the reversed order (a second run of one repeat, in another hold)",
    )
    parser.add_argument(
        "--tx-memory",
        default="",
        help="the server's dbms.memory.transaction.total.max (default: 70%% of the heap)",
    )
    args = parser.parse_args()

    server = server_module()
    jars = apoc_jars()
    print(f"apoc: {', '.join(j.name for j in jars)} in the benchmark server's plugins/")
    config = ["dbms.security.procedures.unrestricted=apoc.*"]
    if args.tx_memory:  # one transaction per import: 1M ties need more than 70% of 3g
        config.append(f"dbms.memory.transaction.total.max={args.tx_memory}")
    extras = server.Extras(plugins=tuple(jars), config=tuple(config))
    info = server.start(args.instance, extras)
    cpu = Cpu(server.RUN / args.instance)
    driver = AsyncGraphDatabase.driver(info.uri, auth=(info.user, info.password))
    neo = Neo4jStore(driver, today=lambda: TODAY, owns_driver=True)
    before = (
        None
        if args.before == "none"
        else old_store(args.before).Neo4jStore(driver, today=lambda: TODAY)
    )
    bulk_name = f"{args.instance}-bulk"
    print(
        f"{date.today()} load {os.getloadavg()[0]:.1f}; before = {args.before}, "
        f"batch rows {neo4j_store.BATCH_ROWS}"
    )
    try:
        t0 = time.perf_counter()
        batch = synthetic_batch(args.edges, args.seed)
        n_rel = len(batch.relationships)
        took = time.perf_counter() - t0
        print(f"graph: {len(batch.people):,} people, {n_rel:,} ties ({took:.1f} s)")
        await neo.stats("warm-up")  # schema set-up outside the timings

        sizes = [int(x) for x in args.batch_sizes.split(",")]
        sample = head(batch, args.calibrate)
        # A discarded first import: JIT and page cache warm-up would otherwise
        # penalise whichever size is measured first.
        await neo.apply(f"warm{uuid.uuid4().hex[:8]}", sample)
        if len(sizes) > 1:
            rates = {}
            for size in sizes:
                neo4j_store.BATCH_ROWS = size
                dt, _ = await timed(lambda: neo.apply(f"cal{uuid.uuid4().hex[:8]}", sample))
                rates[size] = len(sample.relationships) / dt
                print(
                    f"batch {size:>6}: {rates[size]:,.0f} ties/s on {len(sample.relationships):,}"
                )
            neo4j_store.BATCH_ROWS = max(rates, key=lambda k: rates[k])
        chosen = neo4j_store.BATCH_ROWS

        ws, old_ws = await import_table(args, cpu, driver, neo, before, batch, chosen)
        print(f"peak resident MiB: {peak_rss(server.RUN / args.instance)}")
        if before is not None:  # the same workspace stored
            assert await neo.stats(ws) == await before.stats(old_ws)
        if args.import_only:
            return 0
        with tempfile.TemporaryDirectory() as tmp:
            emb = EmbeddedStore(Path(tmp) / "db.sqlite", today=lambda: TODAY)
            emb_import, _ = await timed(lambda: emb.apply(ws, batch))
            print(f"embedded import: {emb_import:.1f} s, {n_rel / emb_import:,.0f} ties/s")
            assert await emb.stats(ws) == await neo.stats(ws)

            export_s, import_s, start_s, bulk_info = await bulk_path(
                server, emb, ws, Path(tmp), bulk_name
            )
            print(
                f"bulk path: export-neo4j files {export_s:.1f} s; neo4j-admin import "
                f"{import_s:.1f} s ({n_rel / import_s:,.0f} ties/s; with export "
                f"{n_rel / (import_s + export_s):,.0f} ties/s); admin+start wall {start_s:.1f} s"
            )
            bulk_driver = AsyncGraphDatabase.driver(
                bulk_info.uri, auth=(bulk_info.user, bulk_info.password)
            )
            bulk = Neo4jStore(bulk_driver, today=lambda: TODAY, owns_driver=True)
            assert await bulk.stats(ws) == await emb.stats(ws)

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
            b_view = (await bulk.planning_view(ws)).graph
            for a, b, (s, t) in zip(e_probs, n_probs, pairs, strict=True):
                assert abs(a - b) <= 1e-9, (a, b)
                assert abs(a - probability(b_view, s, t)) <= 1e-9
            await bulk.close()
            server.stop(bulk_name)
            for ra, rb in zip(e_ranks, n_ranks, strict=True):
                assert len(ra) == len(rb)
                assert all(abs(x - y) <= 1e-9 for x, y in zip(ra, rb, strict=True))
            found = sum(p > 0 for p in e_probs)
            print(
                f"pairs: {len(pairs)} ({found} with a path within {MAX_HOPS} hops); answers equal "
                "(embedded, neo4j, and the neo4j-admin imported copy)"
            )
            print(f"most_trusted_path p50/p99 ms: embedded {ms(e_path)}, neo4j {ms(n_path)}")
            print(f"rank_introducers  p50/p99 ms: embedded {ms(e_rank)}, neo4j {ms(n_rank)}")

            few = pairs[: args.bounded_pairs]
            b_times, b_sizes, b_probs = await bounded(neo, ws, few)
            # Reported, not asserted: this check predates issue 19 and fails on small
            # dense graphs since the compact core (see BENCHMARKS.md); the import,
            # bulk and APOC figures below do not depend on it.
            off = [(a, b) for a, b in zip(e_probs, b_probs, strict=False) if abs(a - b) > 1e-9]
            print(
                f"bounded fetch most_trusted_path p50/p99 ms: {ms(b_times)} "
                f"(ties fetched p50 {statistics.median(b_sizes):,.0f}, max {max(b_sizes):,}); "
                f"answers unequal to the whole view's: {len(off)} of {len(b_probs)} {off[:3]}"
            )
            await emb.close()

        report_apoc("random pairs", await against_apoc(driver, neo, ws, pairs[: args.apoc_pairs]))

        tg = team_graph(args.team_ties, args.seed)
        tbatch = team_batch(tg)
        team_ws = f"team{uuid.uuid4().hex[:8]}"
        dt, _ = await timed(lambda: neo.apply(team_ws, tbatch))
        print(
            f"team graph: {len(tbatch.relationships):,} ties, {len(tbatch.people):,} people, "
            f"{len(tg.members)} members; imported in {dt:.1f} s"
        )
        g = (await neo.planning_view(team_ws)).graph
        tpairs = member_pairs(g, sorted(tg.members), args.apoc_pairs, args.seed)
        report_apoc(
            "team member -> target (1-3 hops)", await against_apoc(driver, neo, team_ws, tpairs)
        )
    finally:
        await neo.close()
        server.stop(bulk_name)
        if not args.keep:
            server.stop(args.instance)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("WARMINTRO_NEO4J_HEAP", "8g")
    os.environ.setdefault("WARMINTRO_NEO4J_PAGECACHE", "1g")
    sys.exit(asyncio.run(main()))
