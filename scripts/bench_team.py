"""The planner on pooled-team graphs (issue 19): build, memory, latency, exactness.

For each size, one graph from :func:`demo.team_graph.team_graph` (members' ego
networks with heavy-tailed sizes and overlaps, teammate ties, a contact-to-contact
layer, companies). Reported in one run:

- build time of the planning graph (``TrustGraph.from_edges``) and of a networkx
  ``Graph`` with the same edges and ``strength``/``cost``/``mask`` attributes;
- save and load times of a snapshot of the planning graph (graph.snapshot);
- retained memory of each (resident set growth after the build, with freed
  memory handed back to the OS by ``malloc_trim``), in bytes per tie;
- p50/p99 of ``most_trusted_path``, ``rank_introducers`` (limit 5) and
  ``alternative_paths`` (k=3) for member -> target queries, targets 1, 2 and 3
  hops from the member, at hop limits 3 and 6; half of the queries see every
  tie (admin), half a member's mask (own bit, public, half of the team's bits);
  and ``networkx.bidirectional_dijkstra`` (no hop limit, no mask) on the same
  pairs as a same-run baseline.

Every answer is checked, untimed, against an exhaustive hop-layered search from
the target written here over its own arrays (no pruning): the best probability
through each of the member's first hops within the hop limit. The mismatches
must be 0.

Usage::

    .venv/bin/python scripts/bench_team.py --ties 100000 1000000
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import functools
import gc
import math
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from demo.team_graph import PUBLIC_BIT, TeamGraph, team_graph
from graph import kernels, snapshot
from graph.algorithms import alternative_paths, most_trusted_path, rank_introducers
from graph.errors import NoPath
from graph.trustgraph import TrustGraph

INF = math.inf


def rss() -> int:
    """Resident bytes of this process, after handing freed heap back to the OS."""
    gc.collect()
    with contextlib.suppress(OSError):  # not glibc: the figure is then an upper bound
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def percentile(xs: list[float], q: float) -> float:
    ordered = sorted(xs)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    try:
        out = fn()
    except (NoPath, nx.NetworkXNoPath) as err:
        out = err
    return (time.perf_counter() - start) * 1000.0, out


class Reference:
    """The same ties as plain CSR arrays, for the exhaustive check and query picking.

    Written independently of the planner: parallel edges keep the max strength
    and OR their masks; costs are ``-ln strength``.
    """

    def __init__(self, tg: TeamGraph) -> None:
        merged: dict[tuple[str, str], tuple[float, int]] = {}
        for a, b, s, m in tg.edges:
            key = (a, b) if a < b else (b, a)
            old = merged.get(key)
            merged[key] = (s, m) if old is None else (max(old[0], s), old[1] | m)
        self.ids = sorted({x for pair in merged for x in pair})
        self.index = {p: i for i, p in enumerate(self.ids)}
        self.ties = len(merged)
        n = len(self.ids)
        us = np.array([self.index[a] for a, _ in merged], dtype=np.int64)
        vs = np.array([self.index[b] for _, b in merged], dtype=np.int64)
        cost = np.array([-math.log(s) for s, _ in merged.values()])
        table = sorted({m for _, m in merged.values()})
        where = {m: i for i, m in enumerate(table)}
        mid = np.array([where[m] for _, m in merged.values()], dtype=np.int64)
        src = np.concatenate([us, vs])
        order = np.argsort(src, kind="stable")
        self.dst = np.concatenate([vs, us])[order]
        self.cost = np.concatenate([cost, cost])[order]
        self.mid = np.concatenate([mid, mid])[order]
        self.ptr = np.searchsorted(src[order], np.arange(n + 1))
        self.table = table
        self.n = n

    def visible(self, mask: int | None) -> np.ndarray:
        """Per directed edge: may this viewer use it?"""
        if mask is None:
            return np.ones(len(self.dst), dtype=bool)
        ok = np.array([bool(m & mask) for m in self.table])
        return ok[self.mid]

    def _edges_from(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the directed edges leaving ``nodes``, and their first ends."""
        lo, hi = self.ptr[nodes], self.ptr[nodes + 1]
        lens = hi - lo
        total = int(lens.sum())
        shift = np.repeat(lo - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens)
        return np.arange(total, dtype=np.int64) + shift, np.repeat(nodes, lens)

    def hop_distance(self, start: int, hops: int, vis: np.ndarray) -> np.ndarray:
        dist = np.full(self.n, 127, dtype=np.int8)
        dist[start] = 0
        frontier = np.array([start])
        for h in range(1, hops + 1):
            e, _ = self._edges_from(frontier)
            e = e[vis[e]]
            w = np.unique(self.dst[e])
            w = w[dist[w] == 127]
            dist[w] = h
            frontier = w
        return dist

    def first_hop_costs(
        self, source: int, target: int, max_hops: int, vis: np.ndarray
    ) -> dict[int, float]:
        """First hop -> cheapest cost of a path source, hop, ..., target within
        ``max_hops`` that does not come back through the source."""
        best = np.full(self.n, INF)
        best[target] = 0.0
        active = np.array([target])
        for _ in range(max_hops - 1):
            e, u = self._edges_from(active)
            e, u = e[vis[e]], u[vis[e]]
            w, cand = self.dst[e], best[u] + self.cost[e]
            keep = w != source
            nxt = best.copy()
            np.minimum.at(nxt, w[keep], cand[keep])
            active = np.flatnonzero(nxt < best)
            best = nxt
            if len(active) == 0:
                break
        out: dict[int, float] = {}
        lo, hi = self.ptr[source], self.ptr[source + 1]
        for k in range(lo, hi):
            w = int(self.dst[k])
            if vis[k] and best[w] < INF:
                out[w] = float(self.cost[k] + best[w])
        return out


def same(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(
        math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-300) for x, y in zip(a, b, strict=True)
    )


def pick_queries(
    ref: Reference, tg: TeamGraph, n: int, seed: int
) -> list[tuple[str, str, int | None, int]]:
    """(member, target, owner mask or None, hops from the member) with targets
    1, 2 and 3 visible hops away in equal shares."""
    rng = random.Random(seed)
    out: list[tuple[str, str, int | None, int]] = []
    members = list(tg.members)
    while len(out) < n:
        member = rng.choice(members)
        mask: int | None = None
        if len(out) % 2:
            shared = rng.sample(members, len(members) // 2)
            mask = PUBLIC_BIT | tg.member_bits[member]
            for m in shared:
                mask |= tg.member_bits[m]
        want = 1 + len(out) % 3
        vis = ref.visible(mask)
        dist = ref.hop_distance(ref.index[member], want, vis)
        ring = np.flatnonzero(dist == want)
        if len(ring) == 0:
            continue
        target = ref.ids[int(ring[rng.randrange(len(ring))])]
        out.append((member, target, mask, want))
    return out


def bench(n_ties: int, n_queries: int, seed: int) -> None:
    t0 = time.perf_counter()
    tg = team_graph(n_ties, seed)
    t1 = time.perf_counter()
    ref = Reference(tg)
    print(
        f"\n~{n_ties:,} ties requested: {ref.ties:,} distinct ties, {ref.n:,} people, "
        f"{len(tg.members)} members (ego median {statistics.median(tg.ego_sizes):.0f}, "
        f"max {max(tg.ego_sizes):,}), {tg.companies:,} companies; generated in {t1 - t0:.1f} s"
    )
    kernels.warm()  # the compiled kernel's code (a fixed ~45 MiB per process) is not per tie
    base = rss()
    t2 = time.perf_counter()
    g = TrustGraph.from_edges(tg.edges)
    t3 = time.perf_counter()
    planner_bytes = rss() - base
    base = rss()
    t4 = time.perf_counter()
    nxg: Any = nx.Graph()
    for a, b, s0, m0 in tg.edges:
        s, m = s0, m0
        old = nxg.get_edge_data(a, b)
        if old is not None:
            s, m = max(old["strength"], s0), old["mask"] | m0
        nxg.add_edge(a, b, strength=s, cost=-math.log(s), mask=m)
    t5 = time.perf_counter()
    nx_bytes = rss() - base
    with tempfile.TemporaryDirectory() as tmp:
        t6 = time.perf_counter()
        snapshot.save(g, Path(tmp) / "snap", "bench")
        t7 = time.perf_counter()
        loaded = snapshot.load(Path(tmp) / "snap", "bench")
        t8 = time.perf_counter()
        assert loaded is not None
        same_arrays = all(
            np.array_equal(getattr(loaded, a), getattr(g, a)) for a in ("nbr", "cost", "mid")
        )
        size = sum(p.stat().st_size for p in (Path(tmp) / "snap").iterdir())
        del loaded
    print(
        f"snapshot: {size / 2**20:.0f} MiB on disk, saved in {t7 - t6:.2f} s, loaded "
        f"(every file's digest checked, ids indexed, arrays mapped) in {t8 - t7:.2f} s; "
        f"arrays equal: {same_arrays}"
    )
    gc.collect()
    gc.freeze()  # as the server does after a build
    print("| graph | build s | retained MiB | bytes/tie |\n|---|---|---|---|")
    for label, secs, size in (
        ("planner (TrustGraph)", t3 - t2, planner_bytes),
        ("networkx Graph (same run)", t5 - t4, nx_bytes),
    ):
        print(f"| {label} | {secs:.2f} | {size / 2**20:.0f} | {size / ref.ties:.0f} |")

    queries = pick_queries(ref, tg, n_queries, seed)
    times: dict[str, list[float]] = {}
    mismatches = 0
    checked = 0
    found = {3: 0, 6: 0}
    for s, t in [(q[0], q[1]) for q in queries[:5]]:  # warm-up
        timed(functools.partial(most_trusted_path, g, s, t, max_hops=3))
    for member, target, mask, _hops in queries:
        vis = ref.visible(mask)
        for max_hops in (3, 6):
            calls = {
                "trustedPath": functools.partial(
                    most_trusted_path, g, member, target, max_hops=max_hops, owner_mask=mask
                ),
                "introducers": functools.partial(
                    rank_introducers, g, member, target, max_hops=max_hops, owner_mask=mask
                ),
                "alternativePaths k=3": functools.partial(
                    alternative_paths, g, member, target, k=3, max_hops=max_hops, owner_mask=mask
                ),
            }
            got: dict[str, Any] = {}
            for name, call in calls.items():
                ms, got[name] = timed(call)
                times.setdefault(f"{name} ≤{max_hops} hops", []).append(ms)
            firsts = ref.first_hop_costs(ref.index[member], ref.index[target], max_hops, vis)
            by_first = sorted(firsts.values())
            tgt = ref.index[target]
            intro = sorted(c for w, c in firsts.items() if w != tgt)
            want = {
                "trustedPath": [math.exp(-c) for c in by_first[:1]],
                "alternativePaths k=3": [math.exp(-c) for c in by_first[:3]],
                "introducers": [math.exp(-c) for c in intro[:5]],
            }
            mine = {
                "trustedPath": []
                if isinstance(got["trustedPath"], NoPath)
                else [got["trustedPath"].probability],
                "alternativePaths k=3": []
                if isinstance(got["alternativePaths k=3"], NoPath)
                else [p.probability for p in got["alternativePaths k=3"]],
                "introducers": []
                if isinstance(got["introducers"], NoPath)
                else [r.path_probability for r in got["introducers"]],
            }
            found[max_hops] += bool(mine["trustedPath"])
            for name, expected in want.items():
                checked += 1
                if not same(sorted(mine[name], reverse=True), expected):
                    mismatches += 1
                    print(f"MISMATCH {name} {member}->{target} ≤{max_hops}: {mine[name]}")
        if mask is None:
            ms, _ = timed(
                functools.partial(nx.bidirectional_dijkstra, nxg, member, target, weight="cost")
            )
            times.setdefault(
                "networkx.bidirectional_dijkstra (admin half, no hop limit)", []
            ).append(ms)
    gc.unfreeze()
    print(
        f"{len(queries)} member -> target queries (1/2/3 hops away in equal shares, half with a "
        f"member's mask); with a path: {found[3]} at ≤3 hops, {found[6]} at ≤6 hops; "
        f"answers checked against the exhaustive search: {checked}, mismatches: {mismatches}"
    )
    print("| query | p50 ms | p99 ms | max ms |\n|---|---|---|---|")
    for name, xs in times.items():
        print(
            f"| {name} | {statistics.median(xs):.3f} | {percentile(xs, 0.99):.3f} | {max(xs):.3f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ties", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, seed {args.seed}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    for n in args.ties:
        bench(n, args.queries, args.seed)


if __name__ == "__main__":
    main()
