"""The view cache's bookkeeping without a server: budget, LRU order, oversized views."""

from __future__ import annotations

from datetime import date

from graph.model import Evidence, Person
from graph.store.base import PlanningView, ViewOptions
from graph.store.view import build_view
from graph.store.view_cache import CachedView, ViewCache, view_size
from graph.strength import StrengthWeights
from graph.trustgraph import TrustGraph
from services.runtime import open_store
from services.settings import Backend, Settings

DAY = date(2026, 11, 1)


def entry(size: int, version: int = 1) -> CachedView:
    return CachedView(version, DAY, ViewOptions(), PlanningView(TrustGraph(), {}), size)


def test_least_recently_used_views_go_first_and_the_budget_holds() -> None:
    cache = ViewCache(100)
    assert cache.put("a", entry(40)) == []
    assert cache.put("b", entry(40)) == []
    assert cache.get("a") is not None  # a is now the most recently used
    assert cache.put("c", entry(40)) == ["b"]
    assert cache.workspaces() == ["a", "c"]
    assert cache.resident == 80
    assert cache.put("d", entry(70)) == ["a", "c"]
    assert cache.workspaces() == ["d"]
    assert cache.evictions == 3


def test_a_view_over_the_whole_budget_is_kept_alone() -> None:
    cache = ViewCache(100)
    cache.put("a", entry(30))
    assert cache.put("big", entry(500)) == ["a"]
    assert cache.workspaces() == ["big"]
    assert cache.put("a", entry(30)) == ["big"]


def test_a_rebuilt_view_replaces_its_stale_copy() -> None:
    cache = ViewCache(100)
    cache.put("a", entry(60, version=1))
    assert cache.put("a", entry(60, version=2)) == []  # not evicted for its own old copy
    got = cache.get("a")
    assert got is not None and got.version == 2 and cache.resident == 60


def test_room_is_made_before_a_build_for_the_size_last_seen() -> None:
    cache = ViewCache(100)
    cache.put("a", entry(60))
    cache.put("b", entry(30))
    cache.discard("a")  # stale: dropped before its rebuild
    assert cache.make_room("a") == []  # a was 60 last time: 30 + 60 fits
    cache.put("c", entry(20))
    assert cache.make_room("a") == ["b"]  # 30 + 20 + 60 would not
    assert cache.make_room("new") == []  # nothing known about it


def test_no_budget_keeps_everything() -> None:
    cache = ViewCache(None)
    for k in range(50):
        cache.put(f"w{k}", entry(10**9))
    assert len(cache) == 50 and cache.evictions == 0


def test_the_estimate_grows_with_what_the_view_holds() -> None:
    def view(n: int) -> PlanningView:
        people = {f"p{i}": Person(f"p{i}", f"Person {i}", company="Acme") for i in range(n)}
        evidence = {
            (f"p{i}", f"p{i + 1}"): {"me": Evidence("me", rating=0.5, messages_ab=i)}
            for i in range(n - 1)
        }
        return build_view(
            people, evidence, ["me"], as_of=DAY, weights=StrengthWeights(), details=people
        )

    small, large = view_size(view(1_000)), view_size(view(10_000))
    assert 8 < large / small < 12  # about linear in the records held
    assert large > 10_000 * 300  # a person and a tie's evidence cost hundreds of bytes each


def test_the_setting_reaches_the_store() -> None:
    settings = Settings(backend=Backend.NEO4J, neo4j_view_budget_mb=64)
    assert settings.neo4j_view_budget == 64 * 2**20
    store = open_store(settings)  # the driver connects lazily: no server needed
    assert store.views.budget == 64 * 2**20  # type: ignore[attr-defined]
    assert Settings(neo4j_view_budget_mb=0).neo4j_view_budget is None
