"""Every planning algorithm against brute-force enumeration of simple paths.

Ties are legal, so tests compare probabilities and check that each returned path
is valid (edges exist, filters hold, hop limit holds, simple, right endpoints,
starts at exactly one team member) rather than expecting one exact path.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import os
import random
from collections.abc import Callable, Iterable
from unittest import mock

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demo.synth import synthetic_edges, synthetic_people
from graph import algorithms
from graph.algorithms import (
    IntroducerAdjustment,
    TrustedPath,
    alternative_paths,
    most_trusted_path,
    rank_introducers,
    reach,
)
from graph.errors import InvalidInput, NoPath, NoPathReason, PersonNotFound
from graph.trustgraph import TrustGraph

NODES = [f"n{i}" for i in range(9)]
STRENGTHS = st.sampled_from([0.1, 0.2, 0.3, 0.5, 0.5, 0.7, 0.9, 1.0])  # repeats: ties
Edge = tuple[str, str, float, int]


@dataclasses.dataclass(frozen=True)
class Query:
    g: TrustGraph
    edges: list[Edge]
    sources: list[str]
    target: str
    max_hops: int
    min_strength: float
    avoid: list[str]
    owner_mask: int | None

    def unfiltered(self) -> Query:
        """The same question without min-strength and avoid (the mask is privacy, kept)."""
        return dataclasses.replace(self, min_strength=0.0, avoid=[])


@st.composite
def queries(draw: st.DrawFn) -> Query:
    n = draw(st.integers(2, 9))
    nodes = NODES[:n]
    pairs = list(itertools.combinations(nodes, 2))
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    edges = [(a, b, draw(STRENGTHS), draw(st.sampled_from([1, 2, 3]))) for a, b in chosen]
    parallel = draw(st.booleans())
    if edges and parallel:  # a parallel edge: max strength, OR of masks
        a, b, _, _ = draw(st.sampled_from(edges))
        edges.append((b, a, draw(STRENGTHS), draw(st.sampled_from([1, 2, 4]))))
    g = TrustGraph.from_edges(edges, nodes)
    sources = draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=3, unique=True))
    target = draw(st.sampled_from(nodes))
    others = [x for x in nodes if x not in sources and x != target]
    avoid = draw(st.lists(st.sampled_from(others), unique=True, max_size=2)) if others else []
    return Query(
        g=g,
        edges=edges,
        sources=sources,
        target=target,
        max_hops=draw(st.integers(1, 6)),
        min_strength=draw(st.sampled_from([0.0, 0.0, 0.25, 0.5, 0.6])),
        avoid=avoid,
        owner_mask=draw(st.sampled_from([None, None, 1, 2, 3, 4])),
    )


def brute_paths(
    q: Query, *, target: str | None = None, hop_limit: int | None = None
) -> list[tuple[float, tuple[str, ...]]]:
    """Every simple path from one source to the target through no other source."""
    target = q.target if target is None else target
    nxg: nx.Graph[str] = nx.Graph()
    nxg.add_nodes_from(q.g.nodes())
    for a, b, _, _ in q.edges:  # merged parallel edges: read the graph's own strength
        s, m = q.g.strength(a, b), q.g.mask(a, b)
        assert s is not None and m is not None
        if s >= q.min_strength and (q.owner_mask is None or m & q.owner_mask):
            nxg.add_edge(a, b, s=s)
    out = []
    for src in q.sources:
        if src == target:
            continue
        for p in nx.all_simple_paths(nxg, src, target, cutoff=hop_limit or q.max_hops):
            if set(q.avoid) & set(p[1:-1]) or set(q.sources) & set(p[1:]):
                continue
            prob = math.prod(nxg.edges[a, b]["s"] for a, b in itertools.pairwise(p))
            out.append((prob, tuple(p)))
    out.sort(key=lambda t: -t[0])
    return out


def check_valid(q: Query, path: TrustedPath, target: str | None = None) -> None:
    assert path.nodes[0] in q.sources
    assert path.nodes[-1] == (q.target if target is None else target)
    assert not set(q.sources) & set(path.nodes[1:]), "passes through another team member"
    assert len(set(path.nodes)) == len(path.nodes), "path is not simple"
    assert 1 <= path.hops == len(path.nodes) - 1 <= q.max_hops
    assert not set(path.nodes[1:-1]) & set(q.avoid)
    for (a, b), s in zip(itertools.pairwise(path.nodes), path.strengths, strict=True):
        assert q.g.strength(a, b) == s
        assert s >= q.min_strength
        mask = q.g.mask(a, b)
        assert mask is not None
        if q.owner_mask is not None:
            assert mask & q.owner_mask
    assert path.probability == pytest.approx(math.prod(path.strengths), rel=1e-12)


def expected_reason(q: Query) -> NoPathReason:
    if brute_paths(q.unfiltered()):
        return NoPathReason.BLOCKED
    if brute_paths(q.unfiltered(), hop_limit=len(NODES)):
        return NoPathReason.BEYOND_HOP_LIMIT
    return NoPathReason.DISCONNECTED


def best_by_first_hop(
    expected: Iterable[tuple[float, tuple[str, ...]]], *, skip_target: bool = False
) -> dict[str, float]:
    best: dict[str, float] = {}
    for prob, p in expected:
        if skip_target and p[1] == p[-1]:
            continue
        best[p[1]] = max(best.get(p[1], 0.0), prob)
    return best


SETTINGS = settings(
    max_examples=int(os.environ.get("WARMINTRO_HYPOTHESIS_EXAMPLES", "400")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@SETTINGS
@given(queries(), st.sampled_from([0, 1, 5, algorithms.BALL_BUDGET]))
def test_most_trusted_path_matches_brute_force(q: Query, ball_budget: int) -> None:
    def run() -> TrustedPath:
        with mock.patch.object(algorithms, "BALL_BUDGET", ball_budget):  # weaker hop balls
            return most_trusted_path(
                q.g,
                q.sources,
                q.target,
                max_hops=q.max_hops,
                min_strength=q.min_strength,
                avoid=q.avoid,
                owner_mask=q.owner_mask,
            )

    if q.target in q.sources:
        with pytest.raises(NoPath) as err:
            run()
        assert err.value.reason is NoPathReason.SAME_PERSON
        return
    expected = brute_paths(q)
    if not expected:
        with pytest.raises(NoPath) as err:
            run()
        assert err.value.reason is expected_reason(q)
        return
    path = run()
    check_valid(q, path)
    assert path.probability == pytest.approx(expected[0][0], rel=1e-9)


@SETTINGS
@given(queries(), st.integers(1, 5))
def test_k_best_paths_match_brute_force(q: Query, k: int) -> None:
    if q.target in q.sources:
        return
    expected = brute_paths(q)

    def run() -> list[TrustedPath]:
        return alternative_paths(
            q.g,
            q.sources,
            q.target,
            k=k,
            max_hops=q.max_hops,
            min_strength=q.min_strength,
            avoid=q.avoid,
            diverse_first_hops=False,
            owner_mask=q.owner_mask,
        )

    if not expected:
        with pytest.raises(NoPath) as err:
            run()
        assert err.value.reason is expected_reason(q)
        return
    got = run()
    assert len(got) == min(k, len(expected))
    assert len({p.nodes for p in got}) == len(got), "a path is listed twice"
    assert [p.probability for p in got] == pytest.approx([p for p, _ in expected[:k]], rel=1e-9)
    for path in got:
        check_valid(q, path)


@SETTINGS
@given(queries(), st.integers(1, 5))
def test_diverse_paths_are_the_best_per_first_hop(q: Query, k: int) -> None:
    if q.target in q.sources:
        return
    best = best_by_first_hop(brute_paths(q))

    def run() -> list[TrustedPath]:
        return alternative_paths(
            q.g,
            q.sources,
            q.target,
            k=k,
            max_hops=q.max_hops,
            min_strength=q.min_strength,
            avoid=q.avoid,
            owner_mask=q.owner_mask,
        )

    if not best:
        with pytest.raises(NoPath) as err:
            run()
        assert err.value.reason is expected_reason(q)
        return
    got = run()
    firsts = [p.nodes[1] for p in got]
    assert len(set(firsts)) == len(firsts), "an introducer is used twice"
    assert [p.probability for p in got] == pytest.approx(
        sorted(best.values(), reverse=True)[:k], rel=1e-9
    )
    for p in got:
        check_valid(q, p)
        assert p.probability == pytest.approx(best[p.nodes[1]], rel=1e-9)


@SETTINGS
@given(
    queries(),
    st.integers(1, 5),
    st.dictionaries(
        st.sampled_from(NODES), st.sampled_from([0.1, 0.5, 0.5, 0.9, 1.0, 1.2, 1.5, 3.0])
    ),
)
def test_rank_introducers_matches_brute_force(
    q: Query, limit: int, multipliers: dict[str, float]
) -> None:
    if q.target in q.sources:
        return
    best = best_by_first_hop(brute_paths(q), skip_target=True)

    def penalty(who: str) -> IntroducerAdjustment:
        return IntroducerAdjustment(multipliers.get(who, 1.0), (f"fatigue {who}",))

    hook: Callable[[str], IntroducerAdjustment] | None = penalty if multipliers else None
    got = rank_introducers(
        q.g,
        q.sources,
        q.target,
        max_hops=q.max_hops,
        limit=limit,
        min_strength=q.min_strength,
        avoid=q.avoid,
        owner_mask=q.owner_mask,
        penalty=hook,
    )

    def mult(who: str) -> float:
        return min(multipliers.get(who, 1.0), algorithms.MAX_MULTIPLIER) if hook else 1.0

    scores = sorted((p * mult(n) for n, p in best.items()), reverse=True)[:limit]
    assert [r.score for r in got] == pytest.approx(scores, rel=1e-9)
    assert [(-r.score, r.introducer) for r in got] == sorted((-r.score, r.introducer) for r in got)
    for r in got:
        check_valid(q, r.path)
        assert r.introducer == r.path.nodes[1] != q.target
        assert r.path_probability == pytest.approx(best[r.introducer], rel=1e-9)
        assert r.score == pytest.approx(r.path_probability * mult(r.introducer), rel=1e-9)
        assert (f"fatigue {r.introducer}" in r.reasons) == bool(hook)


@SETTINGS
@given(queries(), st.integers(1, 6), st.sets(st.sampled_from(NODES)))
def test_reach_matches_brute_force(q: Query, limit: int, wanted: set[str]) -> None:
    best: dict[str, float] = {}
    for t in q.g.nodes():
        if t in q.sources or t not in wanted or t in q.avoid:
            continue
        found = brute_paths(q, target=t)
        if found:
            best[t] = found[0][0]
    got = reach(
        q.g,
        q.sources,
        targets=wanted,
        max_hops=q.max_hops,
        limit=limit,
        min_strength=q.min_strength,
        avoid=q.avoid,
        owner_mask=q.owner_mask,
    )
    assert [p.probability for p in got] == pytest.approx(
        sorted(best.values(), reverse=True)[:limit], rel=1e-9
    )
    assert len({p.nodes[-1] for p in got}) == len(got)
    for p in got:
        check_valid(q, p, target=p.nodes[-1])
        assert p.probability == pytest.approx(best[p.nodes[-1]], rel=1e-9)


# -- a bigger graph: pruning that small graphs never trigger ---------------------------------
def layered_best(g: TrustGraph, start: str, hops: int, banned: set[str]) -> dict[str, float]:
    """Cheapest cost from ``start`` to every node within ``hops`` (walks; no pruning)."""
    best = {start: 0.0}
    for _ in range(hops):
        nxt = dict(best)
        for u, c in best.items():
            if u in banned and u != start:
                continue
            for w in g.neighbours(u):
                s = g.strength(u, w)
                assert s is not None
                if w not in banned and c - math.log(s) < nxt.get(w, math.inf):
                    nxt[w] = c - math.log(s)
        best = nxt
    return best


@pytest.fixture(scope="module")
def synthetic() -> TrustGraph:
    return TrustGraph.from_edges((a, b, s, 1) for a, b, s in synthetic_edges(6000, seed=11))


@pytest.mark.parametrize("max_hops", [1, 2, 3, 4, 5, 6])
def test_exact_on_a_synthetic_network(synthetic: TrustGraph, max_hops: int) -> None:
    g = synthetic
    rng = random.Random(max_hops)
    nodes = sorted(g.nodes())
    for _ in range(15):
        s, t = rng.sample(nodes, 2)
        fwd = layered_best(g, s, (max_hops + 1) // 2, set())
        bwd = layered_best(g, t, max_hops // 2, set())
        cost = min((c + bwd[m] for m, c in fwd.items() if m in bwd), default=math.inf)
        try:
            got = most_trusted_path(g, s, t, max_hops=max_hops).probability
        except NoPath:
            got = 0.0
        assert got == pytest.approx(math.exp(-cost), rel=1e-9, abs=1e-300)
        # Introducers: the first edge, then the best way on that avoids the requester.
        from_t = layered_best(g, t, max_hops - 1, {s})
        through = {}
        for n in g.neighbours(s):
            if n != t and n in from_t:
                sn = g.strength(s, n)
                assert sn is not None
                through[n] = sn * math.exp(-from_t[n])
        ranks = rank_introducers(g, s, t, max_hops=max_hops, limit=4)
        assert [r.score for r in ranks] == pytest.approx(
            sorted(through.values(), reverse=True)[:4], rel=1e-9
        )


# -- named cases ---------------------------------------------------------------------------
def line(*edges: tuple[str, str, float]) -> TrustGraph:
    return TrustGraph.from_edges([(a, b, s, 1) for a, b, s in edges])


def test_hop_limit_prefers_a_weaker_short_path_over_a_stronger_long_one() -> None:
    g = line(
        ("s", "a", 0.99), ("a", "b", 0.99), ("b", "c", 0.99), ("c", "t", 0.99), ("s", "t", 0.1)
    )
    assert most_trusted_path(g, "s", "t", max_hops=4).nodes == ("s", "a", "b", "c", "t")
    assert most_trusted_path(g, "s", "t", max_hops=3).nodes == ("s", "t")


def test_hop_limit_needs_labels_not_plain_dijkstra() -> None:
    # The cheapest way to reach m uses 2 hops, but only the 1-hop way leaves room to reach t.
    g = line(("s", "x", 0.99), ("x", "m", 0.99), ("s", "m", 0.5), ("m", "t", 0.9))
    p = most_trusted_path(g, "s", "t", max_hops=2)
    assert p.nodes == ("s", "m", "t")
    assert p.probability == pytest.approx(0.45)


def test_ties_return_one_of_the_best_paths() -> None:
    g = line(("s", "a", 0.5), ("a", "t", 0.8), ("s", "b", 0.8), ("b", "t", 0.5))
    p = most_trusted_path(g, "s", "t")
    assert p.nodes in {("s", "a", "t"), ("s", "b", "t")}
    assert p.probability == pytest.approx(0.4)
    assert {q.nodes[1] for q in alternative_paths(g, "s", "t", k=2)} == {"a", "b"}


def test_team_sources_start_from_the_best_member() -> None:
    g = line(("alice", "x", 0.3), ("x", "t", 0.9), ("bob", "y", 0.9), ("y", "t", 0.9))
    p = most_trusted_path(g, ["alice", "bob"], "t")
    assert p.nodes == ("bob", "y", "t")


def test_team_paths_never_pass_through_another_member() -> None:
    # alice-bob is a perfect tie: alice->bob->t is as good as bob->t, and is not returned.
    g = line(("alice", "bob", 1.0), ("bob", "t", 0.6), ("alice", "x", 0.5), ("x", "t", 0.5))
    assert most_trusted_path(g, ["alice", "bob"], "t").nodes == ("bob", "t")
    assert [r.introducer for r in rank_introducers(g, ["alice", "bob"], "t")] == ["x"]
    assert [p.nodes[-1] for p in reach(g, ["alice", "bob"], targets=g.nodes())] == [
        "t",
        "x",
    ]


def test_no_path_reasons() -> None:
    g = line(("s", "a", 0.9), ("a", "b", 0.9), ("b", "t", 0.2), ("u", "v", 0.5))
    cases: list[tuple[dict[str, object], str, NoPathReason]] = [
        ({}, "v", NoPathReason.DISCONNECTED),
        ({"max_hops": 2}, "t", NoPathReason.BEYOND_HOP_LIMIT),
        ({"min_strength": 0.5}, "t", NoPathReason.BLOCKED),
        ({"avoid": ["a"]}, "t", NoPathReason.BLOCKED),
        ({}, "s", NoPathReason.SAME_PERSON),
    ]
    for kwargs, target, reason in cases:
        with pytest.raises(NoPath) as err:
            most_trusted_path(g, "s", target, **kwargs)  # type: ignore[arg-type]
        assert err.value.reason is reason, (kwargs, target)


def test_owner_mask_hides_edges_without_revealing_them() -> None:
    g = TrustGraph.from_edges([("s", "a", 0.9, 2), ("a", "t", 0.9, 2), ("s", "t", 0.1, 1)])
    assert most_trusted_path(g, "s", "t", owner_mask=1).nodes == ("s", "t")
    assert most_trusted_path(g, "s", "t", owner_mask=3).nodes == ("s", "a", "t")
    g2 = TrustGraph.from_edges([("s", "a", 0.9, 2), ("a", "t", 0.9, 2)], ["s", "t"])
    with pytest.raises(NoPath) as err:
        most_trusted_path(g2, "s", "t", owner_mask=1)
    assert err.value.reason is NoPathReason.DISCONNECTED  # not "blocked": that would leak


def test_bad_arguments() -> None:
    g = line(("s", "t", 0.5))
    with pytest.raises(PersonNotFound):
        most_trusted_path(g, "s", "ghost")
    with pytest.raises(PersonNotFound):
        rank_introducers(g, ["s", "ghost"], "t")
    for bad in ({"max_hops": 7}, {"max_hops": 0}, {"avoid": ["t"]}, {"min_strength": 1.5}):
        with pytest.raises(InvalidInput):
            most_trusted_path(g, "s", "t", **bad)
    with pytest.raises(InvalidInput):
        most_trusted_path(g, [], "t")
    with pytest.raises(InvalidInput):
        alternative_paths(g, "s", "t", k=0)
    for strength in (1.5, 0.0, -0.1, math.nan):
        with pytest.raises(InvalidInput):
            TrustGraph.from_edges([("a", "b", strength, 1)])
    with pytest.raises(InvalidInput):
        TrustGraph.from_edges([("a", "a", 0.5, 1)])


def test_penalty_reorders_introducers_and_explains() -> None:
    g = line(("me", "ana", 0.9), ("ana", "t", 0.8), ("me", "bo", 0.8), ("bo", "t", 0.8))

    def tired(who: str) -> IntroducerAdjustment:
        return (
            IntroducerAdjustment(0.5, ("asked twice in 30 days",))
            if who == "ana"
            else IntroducerAdjustment()
        )

    assert [r.introducer for r in rank_introducers(g, "me", "t")] == ["ana", "bo"]
    ranked = rank_introducers(g, "me", "t", penalty=tired)
    assert [r.introducer for r in ranked] == ["bo", "ana"]
    assert ranked[1].score == pytest.approx(0.72 * 0.5)
    assert ranked[1].path_probability == pytest.approx(0.72)
    assert "asked twice in 30 days" in ranked[1].reasons


def test_incremental_edits_are_seen() -> None:
    g = line(("s", "a", 0.5), ("a", "t", 0.5))
    g.add_edge("s", "t", 0.9)
    assert most_trusted_path(g, "s", "t").nodes == ("s", "t")
    g.add_edge("t", "s", 0.2, 4)  # weaker parallel edge: strength kept, masks OR-ed
    assert (g.strength("s", "t"), g.mask("s", "t")) == (0.9, 5)
    g.set_edge("s", "t", 0.1, 1)
    assert most_trusted_path(g, "s", "t").nodes == ("s", "a", "t")
    g.remove_edge("s", "t")
    assert most_trusted_path(g, "s", "t", max_hops=2).nodes == ("s", "a", "t")
    g.remove_node("a")
    assert "a" not in g and len(g) == 2 and g.number_of_edges() == 0
    with pytest.raises(NoPath) as err:
        most_trusted_path(g, "s", "t")
    assert err.value.reason is NoPathReason.DISCONNECTED
    g.add_edge("a", "t", 0.7)  # a comes back as a new node
    g.add_edge("s", "a", 0.7)
    assert most_trusted_path(g, "s", "t").probability == pytest.approx(0.49)


def test_round_trip_through_networkx() -> None:
    edges = [("a", "b", 0.5, 1), ("b", "c", 0.25, 2)]
    g = TrustGraph.from_edges(edges, ["lonely"])
    nxg = g.to_networkx()
    assert set(nxg.nodes) == {"a", "b", "c", "lonely"}
    assert nxg.edges["b", "c"]["cost"] == pytest.approx(-math.log(0.25))
    assert sorted(g.edges()) == sorted(edges)


def test_synthetic_network_is_deterministic_and_realistic() -> None:
    edges = list(synthetic_edges(20_000, seed=5))
    assert edges == list(synthetic_edges(20_000, seed=5))
    assert edges != list(synthetic_edges(20_000, seed=6))
    assert len({frozenset((a, b)) for a, b, _ in edges}) == 20_000
    nxg: nx.Graph[str] = nx.Graph()
    nxg.add_edges_from((a, b) for a, b, _ in edges)
    degrees = sorted((d for _, d in nxg.degree()), reverse=True)
    assert degrees[0] > 10 * degrees[len(degrees) // 2]  # heavy tail
    assert nx.average_clustering(nxg) > 0.2  # random graphs of this density: ~0.005
    strengths = [s for _, _, s in edges]
    weak = sum(s <= 0.3 for s in strengths) / len(strengths)
    strong = sum(s >= 0.6 for s in strengths) / len(strengths)
    assert 0.5 < weak < 0.8 and 0.08 < strong < 0.3
    people = synthetic_people(20_000, seed=5)
    assert {p.id for p in people} >= set(nxg.nodes)
    companies = sorted(
        (sum(1 for p in people if p.company == c) for c in {p.company for p in people}),
        reverse=True,
    )
    assert companies[0] > 50 * companies[len(companies) // 2]  # a few giants, many small firms
