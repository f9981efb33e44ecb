"""The expansion budget and where a search runs (services.planner.run_search)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

import pytest

from graph import algorithms
from graph.algorithms import Budget
from graph.errors import NoPath, NoPathReason, QueryTooExpensive
from graph.trustgraph import TrustGraph
from services.access import Viewer
from services.planner import (
    IN_LOOP_EXPANSIONS,
    IN_THREAD_EXPANSIONS,
    PLANNING_BUDGET,
    Planner,
    run_search,
)
from tests.conftest import small_network


def chain(n: int) -> TrustGraph:
    return TrustGraph.from_edges([(f"p{i}", f"p{i + 1}", 0.9, 1) for i in range(n)])


def test_a_search_stops_at_its_budget_with_a_typed_error() -> None:
    g = chain(50)
    with pytest.raises(QueryTooExpensive) as err:
        algorithms.alternative_paths(g, "p0", "p6", k=5, max_hops=6, budget=Budget(3))
    assert err.value.budget == 3
    budget = Budget(10_000)
    algorithms.most_trusted_path(g, "p0", "p6", max_hops=6, budget=budget)
    assert 0 < budget.total - budget.left < 100  # what it spent was charged


def test_a_stopped_budget_ends_a_running_search() -> None:
    budget = Budget(10**9)
    budget.stop = True
    with pytest.raises(QueryTooExpensive):
        algorithms.most_trusted_path(chain(10), "p0", "p6", max_hops=6, budget=budget)


def needs(expansions: int) -> Callable[[Budget | None], int]:
    """A stand-in search that needs ``expansions`` and says which process ran it."""

    def search(budget: Budget | None) -> int:
        assert budget is not None
        if budget.left < expansions:
            raise QueryTooExpensive(budget.total)
        budget.charge(expansions)
        return os.getpid()

    return search


def test_short_searches_run_in_process_long_ones_in_a_child() -> None:
    budget = Budget(30_000)
    assert run_search(needs(10), budget) == os.getpid()
    assert budget.left == 30_000 - 10
    child = run_search(needs(IN_THREAD_EXPANSIONS + 5_000), budget)
    assert child != os.getpid()
    assert budget.left == 30_000 - 10 - IN_THREAD_EXPANSIONS - (IN_THREAD_EXPANSIONS + 5_000)
    with pytest.raises(QueryTooExpensive) as err:
        run_search(needs(50_000), budget)
    assert err.value.budget == 30_000


def test_domain_errors_cross_from_the_child_intact() -> None:
    def search(budget: Budget | None) -> None:
        assert budget is not None
        if budget.total <= IN_THREAD_EXPANSIONS:
            raise QueryTooExpensive(budget.total)  # the trial: move to a child
        raise NoPath(NoPathReason.BLOCKED, "in a child")

    with pytest.raises(NoPath) as err:
        run_search(search, Budget(30_000))
    assert err.value.reason is NoPathReason.BLOCKED
    assert "in a child" in str(err.value)


async def test_one_search_failing_does_not_stop_the_next_of_the_request(
    planner: Planner,
) -> None:
    await planner.store.apply("t", small_network())
    token = PLANNING_BUDGET.set(Budget(30_000))
    try:
        with pytest.raises(NoPath):
            await planner.trusted_path(Viewer("t"), "me", "eve")  # eve is isolated
        found = await planner.trusted_path(Viewer("t"), "me", "cy")
    finally:
        PLANNING_BUDGET.reset(token)
    assert found.people[-1].id == "cy"


async def test_short_searches_run_on_the_loop_longer_ones_in_a_thread(planner: Planner) -> None:
    def needs_here(expansions: int) -> Callable[[Budget | None], int]:
        def search(budget: Budget | None) -> int:
            assert budget is not None
            if budget.left < expansions:
                raise QueryTooExpensive(budget.total)
            budget.charge(expansions)
            return threading.get_ident()

        return search

    budget = Budget(30_000)
    token = PLANNING_BUDGET.set(budget)
    try:
        assert await planner._plan(needs_here(10)) == threading.get_ident()
        assert budget.left == 30_000 - 10
        elsewhere = await planner._plan(needs_here(IN_LOOP_EXPANSIONS + 10))
        # A caller may give its search a larger allowance on the loop (introducers).
        here = await planner._plan(needs_here(IN_LOOP_EXPANSIONS + 10), IN_LOOP_EXPANSIONS + 10)
    finally:
        PLANNING_BUDGET.reset(token)
    assert elsewhere != threading.get_ident()
    assert here == threading.get_ident()
    # The loop's trial is charged too: a request cannot retry its way past its budget.
    assert budget.left == 30_000 - 10 - IN_LOOP_EXPANSIONS - 2 * (IN_LOOP_EXPANSIONS + 10)
