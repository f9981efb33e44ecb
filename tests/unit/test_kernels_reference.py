"""The compiled introducer ranking (with a penalty) and reach equal their Python loops,
and the target-side test that stops at the first meeting equals the two-ball test.

``algorithms.USE_KERNELS`` off runs the loops the kernels replaced; both must give
exactly the same answers (same order, same floats, same reasons) and charge a
budget the same number of expansions, on small generated graphs (every filter)
and on graphs with member hubs (long rows: the kernels probe them for ball
members instead of scanning). The penalty is given three ways: none, a hook (any
introducer) and a mapping (the few people a history names, ids outside the graph
included). CI checks a fixed example set; ``HYPOTHESIS_EXPLORE=1`` explores.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import algorithms
from graph.algorithms import (
    Budget,
    IntroducerAdjustment,
    Penalties,
    PenaltyHook,
    rank_introducers,
    reach,
)
from graph.errors import NoPath, QueryTooExpensive
from graph.trustgraph import TrustGraph
from tests.unit.test_algorithms import NODES, Query, queries
from tests.unit.test_compact_core import hub_graph

MULTIPLIERS = st.sampled_from([0.0, 1e-12, 0.1, 0.36, 0.6, 1.0, 1.0, 1.2, 1.5, 3.0])
SETTINGS = settings(
    max_examples=int(os.environ.get("WARMINTRO_HYPOTHESIS_EXAMPLES", "300")),
    deadline=None,
    derandomize=not os.environ.get("HYPOTHESIS_EXPLORE"),
    suppress_health_check=[HealthCheck.too_slow],
)


def both(call: Callable[[Budget], Any]) -> tuple[Any, Any]:
    """(compiled, reference) answers of ``call``, each with the expansions it charged;
    an exception counts as the answer."""
    out = []
    for compiled in (True, False):
        budget = Budget(1 << 40)
        with mock.patch.object(algorithms, "USE_KERNELS", compiled):
            try:
                got: Any = call(budget)
            except NoPath as err:
                got = ("NoPath", err.reason)
        out.append((got, budget.total - budget.left))
    return out[0], out[1]


@st.composite
def penalties(draw: st.DrawFn, names: list[str]) -> PenaltyHook | Penalties | None:
    kind = draw(st.sampled_from(["none", "hook", "mapping"]))
    chosen = draw(
        st.dictionaries(st.sampled_from([*names, "not-in-graph"]), MULTIPLIERS, min_size=1)
    )
    table = {
        who: IntroducerAdjustment(m, (f"asked {who} recently",) if m != 1.0 else ())
        for who, m in chosen.items()
    }
    if kind == "mapping":
        return table
    if kind == "hook":
        return lambda who: table.get(who, IntroducerAdjustment(1.0, (f"met {who}",)))
    return None


@SETTINGS
@given(queries(), st.integers(1, 5), st.data())
def test_introducers_with_a_penalty_equal_the_python_loop(
    q: Query, limit: int, data: st.DataObject
) -> None:
    penalty = data.draw(penalties(NODES))
    compiled, reference = both(
        lambda budget: rank_introducers(
            q.g,
            q.sources,
            q.target,
            max_hops=q.max_hops,
            limit=limit,
            min_strength=q.min_strength,
            avoid=q.avoid,
            owner_mask=q.owner_mask,
            penalty=penalty,
            budget=budget,
        )
    )
    assert compiled == reference


@SETTINGS
@given(
    queries(),
    st.integers(1, 6),
    st.sets(st.sampled_from(NODES)),
    st.sampled_from([0, 1, algorithms.BALL_BUDGET]),
)
def test_reach_equals_the_python_loop(
    q: Query, limit: int, wanted: set[str], ball_budget: int
) -> None:
    with mock.patch.object(algorithms, "BALL_BUDGET", ball_budget):  # cut balls too
        compiled, reference = both(
            lambda budget: reach(
                q.g,
                q.sources,
                targets=wanted,
                max_hops=q.max_hops,
                limit=limit,
                min_strength=q.min_strength,
                avoid=q.avoid,
                owner_mask=q.owner_mask,
                budget=budget,
            )
        )
    assert compiled == reference


HUBS = {seed: TrustGraph.from_edges(hub_graph(seed)) for seed in (11, 12)}


@settings(SETTINGS, max_examples=60)
@given(
    st.sampled_from(sorted(HUBS)),
    st.integers(0, 10_000),
    st.sampled_from([None, 1 | 2, 1 | 4 | 8, 2]),
    st.integers(2, 6),
    st.integers(1, 5),
    st.data(),
)
def test_on_member_hubs_both_equal_the_python_loops(
    seed: int, pick: int, mask: int | None, max_hops: int, limit: int, data: st.DataObject
) -> None:
    g = HUBS[seed]
    rng = random.Random(pick)
    people = sorted(n for n in g.nodes() if n.startswith("p"))
    members = rng.sample(["m0", "m1", "m2"], rng.randint(1, 2))
    target = rng.choice(people)
    # the members' strongest contacts: the ones a penalty can move in or out of the top
    contacts = sorted({w for m in members for w in g.neighbours(m)[:30]} - set(members))
    penalty = data.draw(penalties(contacts))
    compiled, reference = both(
        lambda budget: rank_introducers(
            g,
            members,
            target,
            max_hops=max_hops,
            limit=limit,
            owner_mask=mask,
            penalty=penalty,
            budget=budget,
        )
    )
    assert compiled == reference
    # a company's worth of targets, or a few (few: the hub rows are probed for them)
    wanted = rng.sample(people, rng.choice([3, 8, 60]))
    compiled, reference = both(
        lambda budget: reach(
            g, members, targets=wanted, max_hops=max_hops, owner_mask=mask, budget=budget
        )
    )
    assert compiled == reference


def test_a_mapping_and_the_same_hook_rank_alike() -> None:
    g = HUBS[11]
    table = {
        who: IntroducerAdjustment(0.36, ("asked twice in 30 days",))
        for who in g.neighbours("m0")[:5]
    }
    target = sorted(n for n in g.nodes() if n.startswith("p"))[7]
    by_map = rank_introducers(g, "m0", target, max_hops=4, penalty=table)
    by_hook = rank_introducers(
        g, "m0", target, max_hops=4, penalty=lambda w: table.get(w, IntroducerAdjustment())
    )
    assert [(r.introducer, r.score, r.reasons) for r in by_map] == [
        (r.introducer, r.score, r.reasons) for r in by_hook
    ]
    assert by_map, "the example must rank someone"


def test_reach_past_its_budget_raises_before_charging() -> None:
    g = HUBS[12]
    wanted = sorted(n for n in g.nodes() if n.startswith("p"))[:50]
    for compiled in (True, False):
        budget = Budget(5)
        with (
            mock.patch.object(algorithms, "USE_KERNELS", compiled),
            pytest.raises(QueryTooExpensive),
        ):
            reach(g, "m0", targets=wanted, max_hops=3, budget=budget)
        assert budget.left == 5


@SETTINGS
@given(queries(), st.sampled_from([0, 1, 3, algorithms.BALL_BUDGET]))
def test_meeting_the_source_ball_equals_the_two_ball_test(q: Query, ball_budget: int) -> None:
    """``_meets`` stops at the first meeting instead of building the target's ball:
    it must answer exactly what ``_maybe_within`` answers with that ball built whole
    (cut balls included), for every hop limit."""
    with mock.patch.object(algorithms, "BALL_BUDGET", ball_budget):
        src = [q.g.idx(s) for s in q.sources]
        src_ball = algorithms._Ball(q.g, src, 2, q.owner_mask)
        for target in range(len(q.g.ptr) - 1):
            for max_hops in range(1, 7):
                tgt_ball = algorithms._Ball(q.g, [target], 2, q.owner_mask)
                want = algorithms._maybe_within(src_ball, tgt_ball, max_hops)
                tgt_ball.release()
                got = algorithms._meets(q.g, src_ball, target, max_hops, q.owner_mask)
                assert got == want, (target, max_hops)
        src_ball.release()


@pytest.mark.parametrize("seed", [1, 2])
def test_meeting_on_member_hubs_equals_the_two_ball_test(seed: int) -> None:
    g = TrustGraph.from_edges(hub_graph(seed))
    rng = random.Random(seed)
    for budget in (50, algorithms.BALL_BUDGET):
        with mock.patch.object(algorithms, "BALL_BUDGET", budget):
            for _ in range(30):
                src = [g.idx(f"m{rng.randrange(3)}")]
                mask = rng.choice([None, 1 | 2, 1 | 4 | 8, 2])
                src_ball = algorithms._Ball(g, src, 2, mask)
                target = rng.randrange(len(g.ptr) - 1)
                for max_hops in (1, 2, 3, 4):
                    tgt_ball = algorithms._Ball(g, [target], 2, mask)
                    want = algorithms._maybe_within(src_ball, tgt_ball, max_hops)
                    tgt_ball.release()
                    assert algorithms._meets(g, src_ball, target, max_hops, mask) == want
                src_ball.release()
