"""What inferred colleague ties cost the planner (issue 14), next to the same view without them.

For each size, on the synthetic network of ``demo.synth`` (ties rated by their synthetic
strength, people with their synthetic companies and titles), the planning view is built
by ``graph.store.view.build_view`` twice in the same run: with
``StrengthWeights(infer_colleagues=False)`` (the baseline) and with ``True``. The evidence
is owned as a team's would be: a handful of members (degree-biased picks), each person
belongs to the region of the nearest member (multi-source breadth-first search), a tie is
seen by the members of both its ends' regions, and one tie in ten also by a non-member
file; people in no member's region are seen only through that file. Owner masks therefore
have one to a few bits, and an inferred tie survives only where both people are visible
to a common owner, as in ``build_view``.

Reported per view: build time (fastest of 3; the cyclic GC runs as in a server, which
builds before freezing), edges, inferred edges added, the largest company, the largest
degree, and the process's resident memory (VmRSS) the kept view adds, with the peak
during the build (VmHWM, reset through /proc/self/clear_refs). The views share their
input (people, evidence), so the retained figure is what the view itself holds.

Then the same seeded queries on both views: half from a member to a person 1, 2 or 3
hops away from them (in the baseline view), half between random people, timed for
``most_trusted_path`` and ``rank_introducers`` (``max_hops`` below, no owner mask: the
answers a team whose members all share paths gets, as in ``scripts/bench_planner.py``).
The GC is frozen during the queries, as the server does after loading. Every
``most_trusted_path`` answer, on both views, is checked (untimed) against the exhaustive
hop-layered search of ``scripts/bench_planner.py``: probabilities equal within 1e-9.

Usage::

    .venv/bin/python scripts/bench_inference.py --edges 100000 1000000
"""

from __future__ import annotations

import argparse
import functools
import gc
import math
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from pathlib import Path

from demo.synth import synthetic_edges, synthetic_people
from graph.algorithms import TrustedPath, most_trusted_path, rank_introducers
from graph.colleagues import INFERRED_OWNER, colleague_groups
from graph.model import Evidence, Person, canonical_pair
from graph.store.base import PlanningView
from graph.store.view import build_view
from graph.strength import StrengthWeights
from graph.trustgraph import TrustGraph

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_planner import exhaustive, percentile, timed

AS_OF = date(2026, 12, 1)
PUBLIC_FILE = "file:connections.csv"
"""A non-member source: its evidence gets the public mask bit."""


# -- memory -------------------------------------------------------------------------------
def _status_kib(key: str) -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def rss_mib() -> float:
    return _status_kib("VmRSS") / 1024


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); False when not allowed."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        return False
    return True


def peak_mib() -> float:
    return _status_kib("VmHWM") / 1024


# -- the workload -------------------------------------------------------------------------
@dataclass
class Workload:
    n_edges: int
    people: list[str]
    details: dict[str, Person]
    evidence: dict[tuple[str, str], dict[str, Evidence]]
    members: list[str]
    owned: dict[str, int] = field(default_factory=dict)  # ties each owner saw


def regions(adjacency: dict[str, list[str]], members: list[str]) -> dict[str, str]:
    """Each person reachable from a member -> the nearest member (breadth-first)."""
    home = {m: m for m in members}
    frontier = list(members)
    while frontier:
        nxt = []
        for u in frontier:
            for w in adjacency[u]:
                if w not in home:
                    home[w] = home[u]
                    nxt.append(w)
        frontier = nxt
    return home


def make_workload(n_edges: int, seed: int, n_members: int) -> Workload:
    edges = list(synthetic_edges(n_edges, seed))
    details = {
        p.id: Person(p.id, p.name, p.company, p.position) for p in synthetic_people(n_edges, seed)
    }
    adjacency: dict[str, list[str]] = {pid: [] for pid in details}
    for u, v, _ in edges:
        adjacency[u].append(v)
        adjacency[v].append(u)
    rng = random.Random(f"{seed}:members")
    members: list[str] = []
    while len(members) < n_members:  # an end of a random tie: picks follow degree
        u, v, _ = rng.choice(edges)
        who = (u, v)[rng.randrange(2)]
        if who not in members:
            members.append(who)
    home = regions(adjacency, members)
    evidence: dict[tuple[str, str], dict[str, Evidence]] = {}
    owned: dict[str, int] = {}
    for u, v, s in edges:
        owners = {home.get(u, PUBLIC_FILE), home.get(v, PUBLIC_FILE)}
        if rng.random() < 0.1:
            owners.add(PUBLIC_FILE)
        evidence[canonical_pair(u, v)] = {o: Evidence(owner=o, rating=s) for o in sorted(owners)}
        for o in owners:
            owned[o] = owned.get(o, 0) + 1
    return Workload(n_edges, list(details), details, evidence, sorted(members), owned)


def build(w: Workload, infer: bool) -> PlanningView:
    weights = StrengthWeights(infer_colleagues=infer)
    return build_view(
        w.people, w.evidence, w.members, as_of=AS_OF, weights=weights, details=w.details
    )


@dataclass
class Built:
    label: str
    view: PlanningView
    first_s: float
    retained_mib: float
    peak_mib: float | None
    times: list[float] = field(default_factory=list)

    @property
    def inferred(self) -> int:
        return sum(INFERRED_OWNER in owners for owners in self.view.implied.values())

    @property
    def candidates(self) -> int:
        """Colleague pairs the rule (``graph.store.layers.infer_groups``) proposes: a
        clique per company of at most ``clique_max``, a tree per bigger one (the count does
        not depend on which anchors are chosen); the rest were observed already or share
        no owner."""
        w = StrengthWeights()
        top = max(w.colleague_anchors, 1)
        total = 0
        for _key, _name, ids in colleague_groups(self.view.people):
            n = len(ids)
            if n <= w.colleague_clique_max:
                total += n * (n - 1) // 2
            else:
                total += top * (top - 1) // 2 + n - top
        return total

    @property
    def largest_company(self) -> int:
        return max((len(ids) for ids in self.view.companies.values()), default=0)

    @property
    def max_degree(self) -> int:
        g = self.view.graph
        return max((g.degree(i) for i in range(len(g.ptr) - 1)), default=0)


def build_measured(w: Workload, infer: bool) -> Built:
    """One build whose result is kept, with the memory it adds and its peak."""
    gc.collect()
    before = rss_mib()
    can_peak = reset_peak()
    start = time.perf_counter()
    view = build(w, infer)
    took = time.perf_counter() - start
    peak = peak_mib() - before if can_peak else None
    gc.collect()
    label = "inferred colleagues" if infer else "baseline (no inference)"
    return Built(label, view, took, rss_mib() - before, peak, [took])


def build_timed(w: Workload, infer: bool) -> float:
    gc.collect()
    start = time.perf_counter()
    view = build(w, infer)
    took = time.perf_counter() - start
    del view
    gc.collect()
    return took


# -- the queries --------------------------------------------------------------------------
def hop_layers(g: TrustGraph, start: str, hops: int) -> list[list[int]]:
    """The people exactly 1..hops hops from ``start``, each layer sorted."""
    seen = {g.idx(start)}
    frontier = set(seen)
    out = []
    for _ in range(hops):
        frontier = set().union(*[g.row(u)[0] for u in frontier]) - seen
        seen |= frontier
        out.append(sorted(frontier))
    return out


def make_queries(g: TrustGraph, members: list[str], n: int, seed: int) -> list[tuple[str, str]]:
    """Half member -> someone 1-3 hops away from them, half random pairs (seeded)."""
    rng = random.Random(f"{seed}:queries")
    layers = {m: hop_layers(g, m, 3) for m in members}
    out: list[tuple[str, str]] = []
    for _ in range(n // 2):
        m = rng.choice(members)
        d = rng.randint(1, 3)
        while not layers[m][d - 1]:
            d -= 1
        out.append((m, g.ids[rng.choice(layers[m][d - 1])]))
    nodes = list(g.nodes())
    while len(out) < n:
        s, t = rng.sample(nodes, 2)
        out.append((s, t))
    return out


@dataclass
class Run:
    path_ms: list[float]
    intro_ms: list[float]
    probabilities: list[float]
    paths: list[TrustedPath | None]
    mismatches: int
    checked: int


def run_queries(
    view: PlanningView, queries: list[tuple[str, str]], max_hops: int, repeat: int
) -> Run:
    g = view.graph
    for s, t in queries[-10:]:  # warm-up (random pairs): caches, component labels for NoPath
        timed(functools.partial(most_trusted_path, g, s, t, max_hops=max_hops))
        timed(functools.partial(rank_introducers, g, s, t, max_hops=max_hops))
    path_ms, intro_ms, probs = [], [], []
    paths: list[TrustedPath | None] = []
    for s, t in queries:
        ms, found = timed(functools.partial(most_trusted_path, g, s, t, max_hops=max_hops), repeat)
        path_ms.append(ms)
        ms, _ = timed(functools.partial(rank_introducers, g, s, t, max_hops=max_hops), repeat)
        intro_ms.append(ms)
        path = found if isinstance(found, TrustedPath) else None
        paths.append(path)
        probs.append(path.probability if path else 0.0)
    mismatches = 0
    for (s, t), prob in zip(queries, probs, strict=True):  # untimed
        want = exhaustive(g, s, t, max_hops)
        mismatches += not math.isclose(prob, want, rel_tol=1e-9, abs_tol=1e-300)
    return Run(path_ms, intro_ms, probs, paths, mismatches, len(queries))


def uses_inferred(view: PlanningView, path: TrustedPath | None) -> bool:
    if path is None:
        return False
    return any(
        INFERRED_OWNER in view.implied.get(canonical_pair(a, b), {})
        for a, b in pairwise(path.nodes)
    )


# -- the report ---------------------------------------------------------------------------
def p50_p99(xs: list[float]) -> str:
    return f"{statistics.median(xs):.3f} | {percentile(xs, 0.99):.3f}"


def bench(args: argparse.Namespace, n_edges: int) -> tuple[list[str], list[str]]:
    start = time.perf_counter()
    gc.collect()
    rss_start = rss_mib()
    w = make_workload(n_edges, args.seed, args.members)
    gc.collect()
    print(
        f"\n{n_edges:,} ties, {len(w.people):,} people, {len(w.members)} members "
        f"(ties seen per owner: "
        + ", ".join(f"{o}={k:,}" for o, k in sorted(w.owned.items()))
        + f"); workload {time.perf_counter() - start:.1f} s, "
        f"{rss_mib() - rss_start:,.0f} MiB",
        flush=True,
    )
    base = build_measured(w, infer=False)
    inf = build_measured(w, infer=True)
    for _ in range(args.builds - 1):
        for built in (base, inf):
            built.times.append(build_timed(w, built.label.startswith("inferred")))
    build_rows = []
    for b in (base, inf):
        peak = f"{b.peak_mib:,.0f}" if b.peak_mib is not None else "n/a"
        build_rows.append(
            f"| {n_edges:,} | {b.label} | {b.view.graph.number_of_edges():,} "
            f"| {b.inferred:,} of {b.candidates:,} "
            f"| {b.largest_company:,} | {b.max_degree:,} | {min(b.times):.2f} "
            f"({', '.join(f'{t:.2f}' for t in b.times)}) | {b.retained_mib:,.0f} | {peak} |"
        )
        print(build_rows[-1], flush=True)

    queries = make_queries(base.view.graph, w.members, args.queries, args.seed)
    gc.collect()
    gc.freeze()
    runs = {b.label: run_queries(b.view, queries, args.max_hops, args.repeat) for b in (base, inf)}
    gc.unfreeze()
    r0, r1 = runs[base.label], runs[inf.label]
    half = len(queries) // 2
    found0 = sum(p > 0 for p in r0.probabilities)
    found1 = sum(p > 0 for p in r1.probabilities)
    better = sum(
        b > a * (1 + 1e-9) for a, b in zip(r0.probabilities, r1.probabilities, strict=True)
    )
    via = sum(uses_inferred(inf.view, p) for p in r1.paths)
    print(
        f"{len(queries)} queries ({half} member -> 1-3 hops, {len(queries) - half} random pairs), "
        f"max {args.max_hops} hops: a path for {found0} (baseline) / {found1} (inferred); "
        f"inferred view better on {better}, its best path uses an inferred tie on {via}; "
        f"most_trusted_path vs exhaustive search: {r0.mismatches}/{r0.checked} mismatches "
        f"(baseline), {r1.mismatches}/{r1.checked} (inferred)"
    )
    query_rows = []
    for b in (base, inf):
        r = runs[b.label]
        with_path = [ms for ms, p in zip(r.path_ms, r.probabilities, strict=True) if p > 0]
        member = r.path_ms[:half]
        query_rows.append(
            f"| {n_edges:,} | {b.label} | {p50_p99(r.path_ms)} | {p50_p99(with_path)} "
            f"| {p50_p99(member)} | {p50_p99(r.intro_ms)} | {r.mismatches}/{r.checked} |"
        )
        print(query_rows[-1], flush=True)
    del base, inf, runs, w
    gc.collect()
    return build_rows, query_rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--edges", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--members", type=int, default=6)
    parser.add_argument("--max-hops", type=int, default=4)
    parser.add_argument("--builds", type=int, default=3, help="builds per view; the fastest")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--repeat", type=int, default=1, help="time each query N times, keep the fastest"
    )
    args = parser.parse_args(argv)
    print(
        f"python {platform.python_version()} on {platform.machine()}, seed {args.seed}, "
        f"repeat {args.repeat}, as of {AS_OF}"
    )
    builds: list[str] = []
    queries: list[str] = []
    for n in args.edges:
        b, q = bench(args, n)
        builds += b
        queries += q
    print(
        "\nBuild (time: fastest of "
        f"{args.builds}, all runs in brackets; memory: VmRSS the kept view adds, and "
        "the peak over the RSS before the build)"
    )
    print(
        "| ties | view | edges in graph | inferred edges (of candidates) | largest company "
        "| max degree | build s | retained MiB | peak MiB |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(builds))
    print(
        f"\nQueries (ms; max {args.max_hops} hops; p50 | p99; most_trusted_path on all "
        "queries, on those with a path, and on the member -> 1-3 hops half)"
    )
    print(
        "| ties | view | path p50 | path p99 | with a path p50 | p99 | member p50 | p99 "
        "| introducers p50 | p99 | mismatches vs exhaustive |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(queries))


if __name__ == "__main__":
    main()
