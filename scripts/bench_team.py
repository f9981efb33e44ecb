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
  pairs as a same-run baseline;
- ``rank_introducers`` with an introducer penalty (fatigue and acceptance from a
  generated intro-request history of the member's contacts): compiled with the
  history's adjustments as a mapping (what the API passes), compiled with the
  same as a hook, and the Python loop the kernel replaced with the hook (what
  the API ran before), same queries, same run;
- ``reach`` (3 hops, top 20) from a member to a company's people, half on the 50
  largest companies, half on companies drawn uniformly, compiled and the Python
  loop it replaced, same run.

Every answer is checked, untimed, against an exhaustive hop-layered search from
the target written here over its own arrays (no pruning): the best probability
through each of the member's first hops within the hop limit (times each
one's penalty multiplier for the penalised ranking), and for ``reach`` the best
probability to each of the company's people within 3 hops from the member
(never back through the member). The mismatches must be 0.

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
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from demo.team_graph import PUBLIC_BIT, TeamGraph, team_graph
from graph import algorithms, kernels, snapshot
from graph.algorithms import (
    MAX_MULTIPLIER,
    alternative_paths,
    most_trusted_path,
    rank_introducers,
    reach,
)
from graph.errors import NoPath
from graph.intro import IntroRequest, IntroStatus, introducer_adjustment, introducer_adjustments
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


HOP_LIMITS: tuple[int, ...] = (3, 6)
"""The hop limits of the trustedPath / introducers / alternativePaths series."""

REPEAT = 1
"""How many times the penalty and reach series time each query (the fastest
counts: other processes' load only adds); ``--repeat``."""


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    best = INF
    out: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            out = fn()
        except (NoPath, nx.NetworkXNoPath) as err:
            out = err
        best = min(best, (time.perf_counter() - start) * 1000.0)
    return best, out


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
            met = np.zeros(self.n, dtype=np.bool_)  # not np.unique: it hashes in numpy 2.4
            met[self.dst[e]] = True
            w = np.flatnonzero(met & (dist == 127))
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

    def reach_costs(self, source: int, max_hops: int, vis: np.ndarray) -> np.ndarray:
        """Cheapest cost from ``source`` to every node within ``max_hops``, never
        through the source again (walks: the cheapest is a simple path)."""
        best = np.full(self.n, INF)
        best[source] = 0.0
        active = np.array([source])
        for _ in range(max_hops):
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
        return best


NOW = datetime(2026, 12, 1)
STATUSES = [
    IntroStatus.ASKED,
    IntroStatus.ACCEPTED,
    IntroStatus.DECLINED,
    IntroStatus.NO_RESPONSE,
    IntroStatus.MET,
]


def history(ref: Reference, member: str, rng: random.Random, size: int = 40) -> list[IntroRequest]:
    """A workspace's intro requests: ``size`` asks of the member's contacts (a third
    of them among the 30 strongest, whom a planner sends people to most), over
    the last 90 days, with mixed outcomes."""
    i = ref.index[member]
    row = ref.dst[ref.ptr[i] : ref.ptr[i + 1]]
    strong = row[np.argsort(ref.cost[ref.ptr[i] : ref.ptr[i + 1]], kind="stable")[:30]]
    out = []
    for k in range(size):
        who = int(rng.choice(strong.tolist()) if k % 3 == 0 else rng.choice(row.tolist()))
        t = NOW - timedelta(days=rng.uniform(0, 90))
        status = rng.choice(STATUSES)
        out.append(IntroRequest(f"r{k}", member, ref.ids[who], "x", "g", status, t, t, t))
    return out


def same(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(
        math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-300) for x, y in zip(a, b, strict=True)
    )


GIVE_UP = 20
"""Members in a row with nobody exactly that many hops away after which
:func:`pick_queries` asks nearer targets instead (in the default 10M shape every
person is a member's contact and members are all tied: nobody is 3 hops away)."""


def pick_queries(
    ref: Reference, tg: TeamGraph, n: int, seed: int
) -> list[tuple[str, str, int | None, int]]:
    """(member, target, owner mask or None, hops from the member) with targets
    1, 2 and 3 visible hops away in equal shares."""
    rng = random.Random(seed)
    out: list[tuple[str, str, int | None, int]] = []
    members = list(tg.members)
    misses = dict.fromkeys((1, 2, 3), 0)
    while len(out) < n:
        member = rng.choice(members)
        mask: int | None = None
        if len(out) % 2:
            shared = rng.sample(members, len(members) // 2)
            mask = PUBLIC_BIT | tg.member_bits[member]
            for m in shared:
                mask |= tg.member_bits[m]
        want = 1 + len(out) % 3
        while misses[want] >= GIVE_UP and want > 1:
            want -= 1
        vis = ref.visible(mask)
        dist = ref.hop_distance(ref.index[member], want, vis)
        ring = np.flatnonzero(dist == want)
        if len(ring) == 0:
            misses[want] += 1
            continue
        misses[want] = 0
        target = ref.ids[int(ring[rng.randrange(len(ring))])]
        out.append((member, target, mask, want))
    return out


def bench(
    n_ties: int,
    n_queries: int,
    seed: int,
    only_new: bool = False,
    with_nx: bool = True,
    max_members: int | None = None,
    extras: bool = True,
) -> None:
    t0 = time.perf_counter()
    tg = team_graph(n_ties, seed, max_members)
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
    for a, b, s0, m0 in tg.edges if with_nx and not only_new else []:
        s, m = s0, m0
        old = nxg.get_edge_data(a, b)
        if old is not None:
            s, m = max(old["strength"], s0), old["mask"] | m0
        nxg.add_edge(a, b, strength=s, cost=-math.log(s), mask=m)
    t5 = time.perf_counter()
    nx_bytes = rss() - base
    with tempfile.TemporaryDirectory() as tmp:
        if only_new:
            queries = pick_queries(ref, tg, n_queries, seed)
            times: dict[str, list[float]] = {}
            gc.collect()
            gc.freeze()
            checked_p, mismatches_p = bench_penalty(g, ref, queries, seed, times)
            checked_r, mismatches_r, sizes = bench_reach(g, ref, tg, len(queries), seed, times)
            gc.unfreeze()
            report(queries, ref, checked_p, mismatches_p, checked_r, mismatches_r, sizes, times)
            return
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
    rows = [("planner (TrustGraph)", t3 - t2, planner_bytes)]
    if with_nx:
        rows.append(("networkx Graph (same run)", t5 - t4, nx_bytes))
    for label, secs, size in rows:
        print(f"| {label} | {secs:.2f} | {size / 2**20:.0f} | {size / ref.ties:.0f} |")

    queries = pick_queries(ref, tg, n_queries, seed)
    times = {}
    mismatches = 0
    checked = 0
    found = dict.fromkeys(HOP_LIMITS, 0)
    for s, t in [(q[0], q[1]) for q in queries[:5]]:  # warm-up
        timed(functools.partial(most_trusted_path, g, s, t, max_hops=3))
    for member, target, mask, _hops in queries:
        vis = ref.visible(mask)
        for max_hops in HOP_LIMITS:
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
        if mask is None and with_nx:
            ms, _ = timed(
                functools.partial(nx.bidirectional_dijkstra, nxg, member, target, weight="cost")
            )
            times.setdefault(
                "networkx.bidirectional_dijkstra (admin half, no hop limit)", []
            ).append(ms)
    checked_p, mismatches_p, checked_r, mismatches_r, sizes = (
        extra_series(g, ref, tg, queries, seed, times) if extras else (0, 0, 0, 0, [])
    )
    gc.unfreeze()
    print(
        f"{len(queries)} member -> target queries (1/2/3 hops away: "
        f"{[sum(q[3] == h for q in queries) for h in (1, 2, 3)]}, half with a "
        f"member's mask); with a path: "
        f"{', '.join(f'{n} at ≤{h} hops' for h, n in found.items())}; "
        f"answers checked against the exhaustive search: {checked}, mismatches: {mismatches}"
    )
    report(queries, ref, checked_p, mismatches_p, checked_r, mismatches_r, sizes, times)


def extra_series(
    g: TrustGraph,
    ref: Reference,
    tg: TeamGraph,
    queries: list[tuple[str, str, int | None, int]],
    seed: int,
    times: dict[str, list[float]],
) -> tuple[int, int, int, int, list[int]]:
    """The introducers-with-penalty and reach series: (checked, mismatches) of each, and
    the reach companies' sizes."""
    checked_p, mismatches_p = bench_penalty(g, ref, queries, seed, times)
    checked_r, mismatches_r, sizes = bench_reach(g, ref, tg, len(queries), seed, times)
    return checked_p, mismatches_p, checked_r, mismatches_r, sizes


def report(
    queries: list[tuple[str, str, int | None, int]],
    ref: Reference,
    checked_p: int,
    mismatches_p: int,
    checked_r: int,
    mismatches_r: int,
    sizes: list[int],
    times: dict[str, list[float]],
) -> None:
    if sizes:  # the penalty and reach series ran
        asks = len(history(ref, queries[0][0], random.Random(0)))
        print(
            f"introducers with a penalty (a {asks}-request history of the member's contacts "
            f"per query): answers checked against the exhaustive search: {checked_p}, "
            f"mismatches: {mismatches_p}"
        )
        print(
            f"reach: {len(queries)} member -> company queries (companies of {sizes[0]:,} to "
            f"{sizes[-1]:,} people, median {statistics.median(sizes):,.0f}), 3 hops, top 20; "
            f"answers checked against the exhaustive search: {checked_r}, mismatches: "
            f"{mismatches_r}"
        )
    print("| query | p50 ms | p99 ms | max ms |\n|---|---|---|---|")
    for name, xs in times.items():
        print(
            f"| {name} | {statistics.median(xs):.3f} | {percentile(xs, 0.99):.3f} | {max(xs):.3f} |"
        )


@contextlib.contextmanager
def python_loops() -> Iterator[None]:
    """Run the Python loops the kernels replaced (the same steps)."""
    algorithms.USE_KERNELS = False
    try:
        yield
    finally:
        algorithms.USE_KERNELS = True


def bench_penalty(
    g: TrustGraph,
    ref: Reference,
    queries: list[tuple[str, str, int | None, int]],
    seed: int,
    times: dict[str, list[float]],
) -> tuple[int, int]:
    """Introducers with a penalty: compiled (mapping, hook) and the Python loop (hook)."""
    rng = random.Random(seed + 7)
    checked = mismatches = 0
    for member, target, mask, _hops in queries:
        asks = history(ref, member, rng)
        table = introducer_adjustments(asks, now=NOW)

        def hook(who: str, asks: list[IntroRequest] = asks) -> algorithms.IntroducerAdjustment:
            return introducer_adjustment(who, asks, now=NOW)  # as the API asked before

        vis = ref.visible(mask)
        for max_hops in (3, 6):
            firsts = ref.first_hop_costs(ref.index[member], ref.index[target], max_hops, vis)
            tgt = ref.index[target]

            def mult(w: int, table: dict[str, algorithms.IntroducerAdjustment] = table) -> float:
                adj = table.get(ref.ids[w])
                return 1.0 if adj is None else min(max(adj.multiplier, 1e-9), MAX_MULTIPLIER)

            want = sorted((math.exp(-c) * mult(w) for w, c in firsts.items() if w != tgt))
            want = want[::-1][:5]
            plain = sorted((math.exp(-c) for w, c in firsts.items() if w != tgt))[::-1][:5]
            runs: list[tuple[str, Any, bool]] = [
                ("compiled, no penalty (for scale)", None, True),
                ("compiled, history as a mapping", table, True),
                ("compiled, history as a hook", hook, True),
                ("Python loop, history as a hook (before)", hook, False),
            ]
            for label, penalty, compiled in runs:
                call = functools.partial(
                    rank_introducers,
                    g,
                    member,
                    target,
                    max_hops=max_hops,
                    owner_mask=mask,
                    penalty=penalty,
                )
                if compiled:
                    ms, got = timed(call, REPEAT)
                else:
                    with python_loops():
                        ms, got = timed(call, REPEAT)
                times.setdefault(f"introducers + penalty ≤{max_hops} hops: {label}", []).append(ms)
                scores = [] if isinstance(got, NoPath) else [r.score for r in got]
                checked += 1
                if not same(scores, want if penalty is not None else plain):
                    mismatches += 1
                    print(f"MISMATCH penalty {label} {member}->{target} ≤{max_hops}: {scores}")
    return checked, mismatches


def bench_reach(
    g: TrustGraph,
    ref: Reference,
    tg: TeamGraph,
    n: int,
    seed: int,
    times: dict[str, list[float]],
    hops: int = 3,
    top: int = 20,
) -> tuple[int, int, list[int]]:
    """reach from a member to a company's people: compiled and the Python loop."""
    rng = random.Random(seed + 11)
    staff: dict[int, list[str]] = {}
    for i, c in enumerate(tg.company):
        if f"p{i}" in g:
            staff.setdefault(c, []).append(f"p{i}")
    by_size = sorted(staff, key=lambda c: (-len(staff[c]), c))
    picks = [rng.choice(by_size[:50]) for _ in range(n // 2)]
    picks += [rng.choice(by_size) for _ in range(n - len(picks))]
    members = list(tg.members)
    checked = mismatches = 0
    for k, company in enumerate(picks):
        member = rng.choice(members)
        mask: int | None = None
        if k % 2:
            mask = PUBLIC_BIT | tg.member_bits[member]
            for m in rng.sample(members, len(members) // 2):
                mask |= tg.member_bits[m]
        targets = staff[company]
        call = functools.partial(
            reach, g, member, targets=targets, max_hops=hops, limit=top, owner_mask=mask
        )
        answers = []
        for label, compiled in (("compiled", True), ("Python loop (before)", False)):
            if compiled:
                ms, got = timed(call, REPEAT)
            else:
                with python_loops():
                    ms, got = timed(call, REPEAT)
            times.setdefault(f"reach ≤{hops} hops, top {top}: {label}", []).append(ms)
            answers.append([p.probability for p in got])
        best = ref.reach_costs(ref.index[member], hops, ref.visible(mask))
        found = sorted(c for t in targets if (c := best[ref.index[t]]) < INF)
        want = [math.exp(-c) for c in found[:top]]
        for probs in answers:
            checked += 1
            if not same(probs, want):
                mismatches += 1
                print(f"MISMATCH reach {member}->{company}: {probs[:3]} vs {want[:3]}")
    return checked, mismatches, sorted(len(staff[c]) for c in picks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ties", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="time each penalty and reach query N times and keep the fastest",
    )
    parser.add_argument(
        "--only-new",
        action="store_true",
        help="only the introducers-with-penalty and reach series (skip the rest)",
    )
    parser.add_argument(
        "--no-networkx",
        action="store_true",
        help="skip the networkx baseline (at 10M ties it alone needs ~3.4 GiB)",
    )
    parser.add_argument(
        "--max-members",
        type=int,
        default=None,
        help="cap the team's members (demo.team_graph: the rest of the ego share goes to "
        "contact-to-contact ties); the default shape has ~4,200 members at 10M ties",
    )
    parser.add_argument(
        "--no-extras",
        action="store_true",
        help="skip the introducers-with-penalty and reach series (their Python loops take "
        "seconds a query at 10M ties)",
    )
    parser.add_argument(
        "--hops",
        type=int,
        nargs="+",
        default=[3, 6],
        help="hop limits of the main series (at 10M the 6-hop ones take seconds a query)",
    )
    args = parser.parse_args()
    global REPEAT, HOP_LIMITS  # noqa: PLW0603 - command-line settings
    REPEAT = args.repeat
    HOP_LIMITS = tuple(args.hops)
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, seed {args.seed}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    for n in args.ties:
        bench(
            n,
            args.queries,
            args.seed,
            args.only_new,
            not args.no_networkx,
            args.max_members,
            not args.no_extras,
        )


if __name__ == "__main__":
    main()
