"""Every planning algorithm against brute-force enumeration of simple paths.

Ties are legal, so tests compare probabilities and check that each returned path
is valid (edges exist, filters hold, hop limit holds, simple, right endpoints).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
STRENGTHS = st.sampled_from([0.1, 0.2, 0.3, 0.5, 0.5, 0.7, 0.9, 1.0])


@st.composite
def graphs(draw: st.DrawFn) -> tuple[TrustGraph, list[tuple[str, str, float, int]]]:
    n = draw(st.integers(2, 9))
    nodes = NODES[:n]
    pairs = [(a, b) for i, a in enumerate(nodes) for b in nodes[i + 1 :]]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    edges = [(a, b, draw(STRENGTHS), draw(st.sampled_from([1, 2, 3]))) for a, b in chosen]
    return TrustGraph.from_edges(edges, nodes), edges


@st.composite
def queries(draw: st.DrawFn) -> dict[str, object]:
    g, edges = draw(graphs())
    nodes = list(g.nodes())
    sources = draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=2, unique=True))
    target = draw(st.sampled_from(nodes))
    others = [x for x in nodes if x not in sources and x != target]
    avoid = draw(st.lists(st.sampled_from(others), unique=True, max_size=2)) if others else []
    return {
        "g": g,
        "edges": edges,
        "sources": sources,
        "target": target,
        "max_hops": draw(st.integers(1, 4)),
        "min_strength": draw(st.sampled_from([0.0, 0.0, 0.25, 0.6])),
        "avoid": avoid,
        "owner_mask": draw(st.sampled_from([None, None, 1, 2, 3])),
    }


def brute_paths(
    q: dict[str, object], *, use_filters: bool = True, hop_limit: int | None = None
) -> list[tuple[float, tuple[str, ...]]]:
    """Every simple path from any source to the target, with its probability."""
    edges = q["edges"]
    assert isinstance(edges, list)
    g = nx.Graph()
    g.add_nodes_from(q["g"].nodes())  # type: ignore[attr-defined]
    for a, b, s, m in edges:
        if use_filters:
            if s < q["min_strength"]:  # type: ignore[operator]
                continue
            mask = q["owner_mask"]
            if mask is not None and not m & mask:  # type: ignore[operator]
                continue
        g.add_edge(a, b, s=s)
    avoid = set(q["avoid"]) if use_filters else set()  # type: ignore[call-overload]
    sources: list[str] = q["sources"]  # type: ignore[assignment]
    out = []
    for src in sources:
        if src == q["target"]:
            continue
        cutoff = hop_limit if hop_limit is not None else q["max_hops"]
        for p in nx.all_simple_paths(g, src, q["target"], cutoff=cutoff):
            if avoid & set(p[1:-1]) or set(sources) & set(p[1:]):
                continue
            prob = math.prod(g.edges[a, b]["s"] for a, b in zip(p, p[1:], strict=False))
            out.append((prob, tuple(p)))
    out.sort(key=lambda t: -t[0])
    return out


def check_valid(q: dict[str, object], path: TrustedPath) -> None:
    g: TrustGraph = q["g"]  # type: ignore[assignment]
    assert path.nodes[0] in q["sources"]  # type: ignore[operator]
    assert path.nodes[-1] == q["target"] or q.get("reach")
    assert len(set(path.nodes)) == len(path.nodes), "path is not simple"
    assert path.hops <= q["max_hops"]  # type: ignore[operator]
    assert not set(path.nodes[1:-1]) & set(q["avoid"])  # type: ignore[call-overload]
    for (a, b), s in zip(
        zip(path.nodes, path.nodes[1:], strict=False), path.strengths, strict=True
    ):
        assert g.strength(a, b) == s
        assert s >= q["min_strength"]  # type: ignore[operator]
        mask = q["owner_mask"]
        if mask is not None:
            assert g.mask(a, b) & mask  # type: ignore[operator]
    assert path.probability == pytest.approx(math.prod(path.strengths))


SETTINGS = settings(
    max_examples=int(os.environ.get("WARMINTRO_HYPOTHESIS_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@SETTINGS
@given(queries())
def test_most_trusted_path_matches_brute_force(q: dict[str, object]) -> None:
    expected = brute_paths(q)
    kwargs = {k: q[k] for k in ("max_hops", "min_strength", "avoid", "owner_mask")}
    if q["target"] in q["sources"]:  # type: ignore[operator]
        with pytest.raises(NoPath) as err:
            most_trusted_path(q["g"], q["sources"], q["target"], **kwargs)  # type: ignore[arg-type]
        assert err.value.reason is NoPathReason.SAME_PERSON
        return
    if not expected:
        with pytest.raises(NoPath) as err:
            most_trusted_path(q["g"], q["sources"], q["target"], **kwargs)  # type: ignore[arg-type]
        within_unfiltered = brute_paths({**q, "min_strength": 0.0, "avoid": []})
        anywhere = brute_paths({**q, "min_strength": 0.0, "avoid": []}, hop_limit=len(NODES))
        if within_unfiltered:
            assert err.value.reason is NoPathReason.BLOCKED
        elif anywhere:
            assert err.value.reason is NoPathReason.BEYOND_HOP_LIMIT
        else:
            assert err.value.reason is NoPathReason.DISCONNECTED
        return
    path = most_trusted_path(q["g"], q["sources"], q["target"], **kwargs)  # type: ignore[arg-type]
    check_valid(q, path)
    assert path.probability == pytest.approx(expected[0][0], rel=1e-9)


@SETTINGS
@given(queries(), st.integers(1, 4))
def test_k_best_paths_match_brute_force(q: dict[str, object], k: int) -> None:
    if q["target"] in q["sources"]:  # type: ignore[operator]
        return
    expected = brute_paths(q)
    kwargs = {k_: q[k_] for k_ in ("max_hops", "min_strength", "avoid", "owner_mask")}
    if not expected:
        with pytest.raises(NoPath):
            alternative_paths(
                q["g"], q["sources"], q["target"], k=k, diverse_first_hops=False, **kwargs
            )  # type: ignore[arg-type]
        return
    got = alternative_paths(
        q["g"], q["sources"], q["target"], k=k, diverse_first_hops=False, **kwargs
    )  # type: ignore[arg-type]
    assert len(got) == min(k, len(expected))
    assert len({p.nodes for p in got}) == len(got)
    for path, (prob, _) in zip(got, expected, strict=False):
        check_valid(q, path)
        assert path.probability == pytest.approx(prob, rel=1e-9)


def best_by_first_hop(
    expected: Iterable[tuple[float, tuple[str, ...]]], *, skip_target: bool = False
) -> dict[str, float]:
    best: dict[str, float] = {}
    for prob, p in expected:
        first = p[1]
        if skip_target and first == p[-1]:
            continue
        best[first] = max(best.get(first, 0.0), prob)
    return best


@SETTINGS
@given(queries(), st.integers(1, 4))
def test_diverse_paths_are_the_best_per_first_hop(q: dict[str, object], k: int) -> None:
    if q["target"] in q["sources"]:  # type: ignore[operator]
        return
    kwargs = {k_: q[k_] for k_ in ("max_hops", "min_strength", "avoid", "owner_mask")}
    best = best_by_first_hop(brute_paths(q))
    if not best:
        with pytest.raises(NoPath):
            alternative_paths(q["g"], q["sources"], q["target"], k=k, **kwargs)  # type: ignore[arg-type]
        return
    got = alternative_paths(q["g"], q["sources"], q["target"], k=k, **kwargs)  # type: ignore[arg-type]
    firsts = [p.nodes[1] for p in got]
    assert len(set(firsts)) == len(firsts)
    top = sorted(best.values(), reverse=True)[:k]
    assert [p.probability for p in got] == pytest.approx(top, rel=1e-9)
    for p in got:
        check_valid(q, p)
        assert p.probability == pytest.approx(best[p.nodes[1]], rel=1e-9)


@SETTINGS
@given(queries(), st.integers(1, 4))
def test_rank_introducers_matches_brute_force(q: dict[str, object], limit: int) -> None:
    if q["target"] in q["sources"]:  # type: ignore[operator]
        return
    kwargs = {k_: q[k_] for k_ in ("max_hops", "min_strength", "avoid", "owner_mask")}
    best = best_by_first_hop(brute_paths(q), skip_target=True)
    got = rank_introducers(q["g"], q["sources"], q["target"], limit=limit, **kwargs)  # type: ignore[arg-type]
    assert [r.score for r in got] == pytest.approx(
        sorted(best.values(), reverse=True)[:limit], rel=1e-9
    )
    for r in got:
        check_valid(q, r.path)
        assert r.introducer == r.path.nodes[1] != q["target"]
        assert r.score == pytest.approx(best[r.introducer], rel=1e-9)


@SETTINGS
@given(queries(), st.integers(1, 5), st.sets(st.sampled_from(NODES)))
def test_reach_matches_brute_force(q: dict[str, object], limit: int, wanted: set[str]) -> None:
    g: TrustGraph = q["g"]  # type: ignore[assignment]
    sources: list[str] = q["sources"]  # type: ignore[assignment]
    best: dict[str, float] = {}
    for t in g.nodes():
        if t in sources or t not in wanted or t in q["avoid"]:  # type: ignore[operator]
            continue
        found = brute_paths({**q, "target": t})
        if found:
            best[t] = found[0][0]
    got = reach(
        g,
        sources,
        matches=wanted.__contains__,
        limit=limit,
        **{k_: q[k_] for k_ in ("max_hops", "min_strength", "avoid", "owner_mask")},  # type: ignore[arg-type]
    )
    assert [p.probability for p in got] == pytest.approx(
        sorted(best.values(), reverse=True)[:limit], rel=1e-9
    )
    for p in got:
        check_valid({**q, "reach": True}, p)
        assert p.probability == pytest.approx(best[p.nodes[-1]], rel=1e-9)


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


def test_team_sources_start_from_the_best_member() -> None:
    g = line(("alice", "x", 0.3), ("x", "t", 0.9), ("bob", "y", 0.9), ("y", "t", 0.9))
    p = most_trusted_path(g, ["alice", "bob"], "t")
    assert p.nodes == ("bob", "y", "t")


def test_no_path_reasons() -> None:
    g = line(("s", "a", 0.9), ("a", "b", 0.9), ("b", "t", 0.2), ("u", "v", 0.5))
    with pytest.raises(NoPath) as err:
        most_trusted_path(g, "s", "v")
    assert err.value.reason is NoPathReason.DISCONNECTED
    with pytest.raises(NoPath) as err:
        most_trusted_path(g, "s", "t", max_hops=2)
    assert err.value.reason is NoPathReason.BEYOND_HOP_LIMIT
    with pytest.raises(NoPath) as err:
        most_trusted_path(g, "s", "t", min_strength=0.5)
    assert err.value.reason is NoPathReason.BLOCKED
    with pytest.raises(NoPath) as err:
        most_trusted_path(g, "s", "t", avoid=["a"])
    assert err.value.reason is NoPathReason.BLOCKED
    with pytest.raises(NoPath) as err:
        most_trusted_path(g, "s", "s")
    assert err.value.reason is NoPathReason.SAME_PERSON


def test_owner_mask_hides_edges_without_revealing_them() -> None:
    g = TrustGraph.from_edges([("s", "a", 0.9, 2), ("a", "t", 0.9, 2), ("s", "t", 0.1, 1)])
    assert most_trusted_path(g, "s", "t", owner_mask=1).nodes == ("s", "t")
    g2 = TrustGraph.from_edges([("s", "a", 0.9, 2), ("a", "t", 0.9, 2)], ["s", "t"])
    with pytest.raises(NoPath) as err:
        most_trusted_path(g2, "s", "t", owner_mask=1)
    assert err.value.reason is NoPathReason.DISCONNECTED  # not "blocked": that would leak


def test_bad_arguments() -> None:
    g = line(("s", "t", 0.5))
    with pytest.raises(PersonNotFound):
        most_trusted_path(g, "s", "ghost")
    with pytest.raises(InvalidInput):
        most_trusted_path(g, "s", "t", max_hops=7)
    with pytest.raises(InvalidInput):
        most_trusted_path(g, "s", "t", avoid=["t"])
    with pytest.raises(InvalidInput):
        TrustGraph.from_edges([("a", "b", 1.5, 1)])
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

    plain = rank_introducers(g, "me", "t")
    assert [r.introducer for r in plain] == ["ana", "bo"]
    ranked = rank_introducers(g, "me", "t", penalty=tired)
    assert [r.introducer for r in ranked] == ["bo", "ana"]
    assert ranked[1].score == pytest.approx(0.72 * 0.5)
    assert ranked[1].path_probability == pytest.approx(0.72)
    assert "asked twice in 30 days" in ranked[1].reasons

    def boosted(who: str) -> IntroducerAdjustment:
        return IntroducerAdjustment(9.0) if who == "bo" else IntroducerAdjustment()

    top = rank_introducers(g, "me", "t", penalty=boosted, limit=1)
    assert top[0].introducer == "bo"
    assert top[0].score == pytest.approx(0.64 * 1.5)  # multipliers are capped


def test_incremental_edits_are_seen() -> None:
    g = line(("s", "a", 0.5), ("a", "t", 0.5))
    g.add_edge("s", "t", 0.9)
    assert most_trusted_path(g, "s", "t").nodes == ("s", "t")
    g.remove_edge("s", "t")
    assert most_trusted_path(g, "s", "t").nodes == ("s", "a", "t")
