"""A bounded, least-recently-used set of planning views (the Neo4j backend, per worker).

A Neo4j worker may serve many workspaces; keeping every view it ever built would
grow without limit (about a gigabyte per million ties). The cache holds views
until their estimated sizes would pass a byte budget, then drops the least
recently used ones. The view being handed out is never dropped: one larger than
the whole budget is still served, and kept alone.

Sizes are estimates (:func:`view_size`): the graph's arrays exactly, the Python
records (people, evidence, indexes) from a sample of each, scaled by a factor
measured against resident-set growth (scripts/bench_neo4j_workspaces.py).
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import date
from itertools import islice
from typing import Any

from graph.model import Evidence, Person
from graph.store.base import PlanningView, ViewOptions

SAMPLE = 256
"""Records measured per collection; the rest are assumed alike."""

OVERHEAD = 1.2
"""Resident bytes per byte counted by ``sys.getsizeof``: allocator rounding, free
lists, dict slack. Calibrated on a 1M-tie pooled-team view (scripts/
bench_neo4j_workspaces.py build: 1,087 MiB of resident growth, 1,030 MiB estimated
with 1.15; BENCHMARKS.md)."""

_SMALL_INTS = range(-5, 257)  # CPython's shared small ints cost nothing per use


def _leaf(value: Any) -> int:
    """Bytes of a field value not shared with anything else (ids are interned)."""
    if value is None or isinstance(value, bool) or (type(value) is int and value in _SMALL_INTS):
        return 0
    if isinstance(value, tuple):
        return sys.getsizeof(value) + sum(_leaf(v) for v in value)
    if isinstance(value, str) and not value:
        return 0  # the empty string is a singleton
    return sys.getsizeof(value)


def _record(obj: Person | Evidence, skip: str) -> int:
    """An object's own bytes and its fields' (the ``skip`` field is a shared id)."""
    return sys.getsizeof(obj) + sum(
        _leaf(getattr(obj, f.name)) for f in fields(obj) if f.name != skip
    )


def _sample(items: Iterable[Any], n: int) -> Iterator[Any]:
    """Up to ``SAMPLE`` of ``n`` items, spread evenly over them."""
    step = max(1, n // SAMPLE)
    return islice(items, 0, None, step)


def _mean(values: Iterable[int]) -> float:
    total = count = 0
    for v in values:
        total += v
        count += 1
    return total / count if count else 0.0


def _index_bytes(index: Mapping[str, tuple[str, ...]]) -> int:
    """A key -> ids index: the dict, each key string and id tuple (the ids are shared)."""
    per = _mean(sys.getsizeof(k) + sys.getsizeof(v) for k, v in _sample(index.items(), len(index)))
    return sys.getsizeof(index) + int(per * len(index))


def view_size(view: PlanningView) -> int:
    """Estimated resident bytes a view holds (its graph, people, evidence and indexes).

    Id strings are counted once, with the graph's id list: the streamed build
    interns them, so the people, the evidence keys and the graph share one
    string per id. Implied ties are not stored one by one (graph.store.view).
    """
    g = view.graph
    n = len(g.ids)
    ids = _mean(sys.getsizeof(s) for s in _sample(g.ids, n))
    graph = (
        g.nbytes()
        + sys.getsizeof(g.ids)
        + sys.getsizeof(g.index)
        + int(n * (ids + sys.getsizeof(1 << 20)))  # the string and the int it maps to
        + sum(sys.getsizeof(m) for m in g.mask_table)
    )
    people = view.people
    person = _mean(_record(p, "id") for p in _sample(people.values(), len(people)))
    evidence = view.evidence
    # Per tie: the pair tuple, the owner -> evidence dict, and each evidence record.
    pair = _mean(
        sys.getsizeof(k) + sys.getsizeof(owners) + sum(_record(e, "owner") for e in owners.values())
        for k, owners in _sample(evidence.items(), len(evidence))
    )
    counted = (
        graph
        + sys.getsizeof(people)
        + int(person * len(people))
        + sys.getsizeof(evidence)
        + int(pair * len(evidence))
        + _index_bytes(view.names)
        + _index_bytes(view.companies)
        + sys.getsizeof(view.owner_bits)
    )
    return int(counted * OVERHEAD)


@dataclass(frozen=True, slots=True)
class CachedView:
    """A view and what it was built for: the workspace version, day and options."""

    version: int
    today: date
    options: ViewOptions
    view: PlanningView
    size: int

    def fresh(self, version: int, today: date, options: ViewOptions) -> bool:
        # ">=": a build that started after this caller read the version is newer still.
        return self.version >= version and (self.today, self.options) == (today, options)


class ViewCache:
    """Workspace -> its cached view, least recently used first, within ``budget`` bytes.

    ``budget`` None (or 0) keeps every view. Not thread-safe: the store calls it
    from its event loop only.
    """

    def __init__(self, budget: int | None = None) -> None:
        self.budget = budget or None
        self._views: OrderedDict[str, CachedView] = OrderedDict()
        self._sizes: dict[str, int] = {}  # last known size per workspace, kept after eviction
        self.evictions = 0

    def get(self, workspace: str) -> CachedView | None:
        """The cached view (marked most recently used), if any."""
        entry = self._views.get(workspace)
        if entry is not None:
            self._views.move_to_end(workspace)
        return entry

    def discard(self, workspace: str) -> None:
        """Forget a stale view before its rebuild, so both are not held at once."""
        self._views.pop(workspace, None)

    def make_room(self, workspace: str) -> list[str]:
        """Before a build: evict for the size this workspace had last time (if known)."""
        return self._evict(self._sizes.get(workspace, 0))

    def put(self, workspace: str, entry: CachedView) -> list[str]:
        """Keep ``entry``, evicting least recently used views to stay within budget;
        returns the evicted workspaces. An entry over the whole budget is kept alone."""
        self._views.pop(workspace, None)
        evicted = self._evict(entry.size)
        self._views[workspace] = entry
        self._sizes[workspace] = entry.size
        return evicted

    def _evict(self, incoming: int) -> list[str]:
        evicted: list[str] = []
        if self.budget is None:
            return evicted
        while self._views and self.resident + incoming > self.budget:
            name, _ = self._views.popitem(last=False)
            evicted.append(name)
        self.evictions += len(evicted)
        return evicted

    @property
    def resident(self) -> int:
        """Estimated bytes of the views held."""
        return sum(e.size for e in self._views.values())

    def workspaces(self) -> list[str]:
        """Cached workspaces, least recently used first."""
        return list(self._views)

    def __contains__(self, workspace: object) -> bool:
        return workspace in self._views

    def __len__(self) -> int:
        return len(self._views)
