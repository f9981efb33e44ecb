"""The compact planning core: flat arrays, the compiled search, wide masks, budgets.

The searches are compared with a plain hop-layered search written here over the
graph's ``edges()`` (no pruning, no arrays), on graphs with member hubs large
enough that the kernel probes hub rows for the few ball members instead of
scanning them.
"""

from __future__ import annotations

import math
import random
from concurrent.futures import ThreadPoolExecutor

import networkx as nx
import numpy as np
import pytest

from graph.algorithms import Budget, alternative_paths, most_trusted_path, rank_introducers
from graph.errors import NoPath, QueryTooExpensive
from graph.trustgraph import TrustGraph

Edge = tuple[str, str, float, int]


def hub_graph(seed: int, hubs: int = 3, leaves: int = 300) -> list[Edge]:
    """Members (bits 1 << 1..) with hundreds of contacts each, teammate ties (bit 0),
    and a sparse layer between contacts; strengths from a small set, so ties tie."""
    rng = random.Random(seed)
    strengths = [0.1, 0.2, 0.3, 0.5, 0.62, 0.9]
    edges: list[Edge] = []
    people = [f"p{i}" for i in range(leaves * 2)]
    for h in range(hubs):
        for p in rng.sample(people, leaves):
            edges.append((f"m{h}", p, rng.choice(strengths), 1 << (h + 1)))
        for k in range(h):
            edges.append((f"m{k}", f"m{h}", 0.62, 1))
    for _ in range(leaves):
        a, b = rng.sample(people, 2)
        edges.append((a, b, rng.choice(strengths), 1 << rng.randint(1, hubs)))
    return edges


def layered(
    edges: list[Edge], source: str, target: str, max_hops: int, mask: int | None
) -> dict[str, float]:
    """First hop -> best cost of a path through it within ``max_hops`` that does
    not come back through the source (parallel edges merged as the graph does)."""
    merged: dict[tuple[str, str], tuple[float, int]] = {}
    for a, b, s, m in edges:
        key = (min(a, b), max(a, b))
        old = merged.get(key)
        merged[key] = (s, m) if old is None else (max(old[0], s), old[1] | m)
    adj: dict[str, list[tuple[str, float]]] = {}
    for (a, b), (s, m) in merged.items():
        if mask is None or m & mask:
            adj.setdefault(a, []).append((b, -math.log(s)))
            adj.setdefault(b, []).append((a, -math.log(s)))
    best = {target: 0.0}
    for _ in range(max_hops - 1):
        nxt = dict(best)
        for u, c in best.items():
            for w, ec in adj.get(u, []):
                if w != source and c + ec < nxt.get(w, math.inf):
                    nxt[w] = c + ec
        best = nxt
    return {w: ec + best[w] for w, ec in adj.get(source, []) if w in best}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_searches_from_hubs_equal_the_layered_search(seed: int) -> None:
    edges = hub_graph(seed)
    g = TrustGraph.from_edges(edges)
    rng = random.Random(seed)
    people = sorted(n for n in g.nodes() if n.startswith("p"))
    for _ in range(25):
        source, target = f"m{rng.randrange(3)}", rng.choice(people)
        mask = rng.choice([None, 1 | 2, 1 | 4 | 8, 2])
        for max_hops in (2, 3, 4):
            firsts = layered(edges, source, target, max_hops, mask)
            by_first = sorted(firsts.values())
            try:
                got = most_trusted_path(g, source, target, max_hops=max_hops, owner_mask=mask)
                assert by_first
                assert got.probability == pytest.approx(math.exp(-by_first[0]), rel=1e-9)
            except NoPath:
                assert not by_first
            try:
                alts = alternative_paths(g, source, target, k=3, max_hops=max_hops, owner_mask=mask)
            except NoPath:
                alts = []
            assert [p.probability for p in alts] == pytest.approx(
                [math.exp(-c) for c in by_first[:3]], rel=1e-9
            )
            intro = sorted(c for w, c in firsts.items() if w != target)[:5]
            ranked = rank_introducers(g, source, target, max_hops=max_hops, owner_mask=mask)
            assert [r.path_probability for r in ranked] == pytest.approx(
                [math.exp(-c) for c in intro], rel=1e-9
            )


def test_masks_wider_than_64_bits_filter_as_before() -> None:
    bit = 1 << 100  # member 99 of a large team
    g = TrustGraph.from_edges(
        [("me", "a", 0.9, bit), ("a", "t", 0.9, bit), ("me", "b", 0.2, 2), ("b", "t", 0.2, 2)]
    )
    assert most_trusted_path(g, "me", "t", owner_mask=bit | 1).nodes == ("me", "a", "t")
    assert most_trusted_path(g, "me", "t", owner_mask=2).nodes == ("me", "b", "t")
    assert g.mask("a", "t") == bit
    with pytest.raises(NoPath):
        most_trusted_path(g, "me", "t", owner_mask=1 << 70)


def test_rows_are_strongest_first_then_larger_mask_then_first_seen() -> None:
    g = TrustGraph.from_edges(
        [("x", "c", 0.5, 1), ("x", "a", 0.9, 1), ("x", "d", 0.5, 4), ("x", "b", 0.5, 1)]
    )
    assert g.neighbours("x") == ["a", "d", "c", "b"]
    for i in range(len(g)):  # byid lists each row in neighbour-id order
        a, b = int(g.ptr[i]), int(g.ptr[i + 1])
        ordered = g.nbr[a + g.byid[a:b]]
        assert list(ordered) == sorted(g.nbr[a:b].tolist())
    assert g.nbytes() > 0


def test_the_arrays_take_a_few_dozen_bytes_per_tie() -> None:
    g = TrustGraph.from_edges(hub_graph(4))
    per_tie = g.nbytes() / g.number_of_edges()
    # 2 directions x (4 nbr + 4 byid + 8 cost + 8 strength + 4 mask id) = 56, plus per node
    assert 56 <= per_tie < 80


def test_a_search_past_its_budget_raises_and_a_search_within_it_is_charged() -> None:
    g = TrustGraph.from_edges(hub_graph(5))
    target = g.neighbours("m1")[-1]
    budget = Budget(3)
    with pytest.raises(QueryTooExpensive):
        most_trusted_path(g, "m0", target, max_hops=4, budget=budget)
    with pytest.raises(QueryTooExpensive):
        rank_introducers(g, "m0", target, max_hops=4, budget=budget)
    with pytest.raises(QueryTooExpensive):
        alternative_paths(g, "m0", target, max_hops=4, budget=budget)
    assert budget.left == 3  # as the Python loops: raised before charging
    roomy = Budget(1_000_000)
    most_trusted_path(g, "m0", target, max_hops=4, budget=roomy)
    after_path = roomy.left
    assert 0 < roomy.total - after_path < 1_000_000
    rank_introducers(g, "m0", target, max_hops=4, budget=roomy)
    assert roomy.left < after_path
    stopped = Budget(1_000_000)
    stopped.stop = True
    with pytest.raises(QueryTooExpensive):
        most_trusted_path(g, "m0", target, max_hops=4, budget=stopped)


def test_component_labels_match_networkx() -> None:
    edges = hub_graph(6, hubs=2, leaves=50)
    edges += [("lone1", "lone2", 0.5, 1), ("lone2", "lone3", 0.5, 1)]
    g = TrustGraph.from_edges(edges, ["isolated"])
    nxg = g.to_networkx()
    for comp in nx.connected_components(nxg):
        labels = {g.component(g.idx(n)) for n in comp}
        assert len(labels) == 1
    assert g.component(g.idx("isolated")) != g.component(g.idx("lone1"))


def test_searches_in_threads_give_the_same_answers() -> None:
    edges = hub_graph(7)
    g = TrustGraph.from_edges(edges)
    targets = sorted(n for n in g.nodes() if n.startswith("p"))[:60]

    def ask(t: str) -> float:
        try:
            return most_trusted_path(g, "m0", t, max_hops=4).probability
        except NoPath:
            return 0.0

    alone = [ask(t) for t in targets]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(ask, targets)) == alone
    assert np.count_nonzero(alone) > 0
