"""A compact, read-optimised undirected graph for the planner.

Nodes are person ids mapped to ints. Each node keeps parallel lists of
neighbours, costs (``-ln strength``), strengths and owner masks, sorted by cost
(cheapest first) so searches can stop scanning a node's edges once the rest
cannot help, plus a ``pos`` dict (neighbour -> position) that doubles as the
adjacency set: hop-distance balls and "which neighbours lie in this ball" are
set operations that run in C.

Writes after construction (``add_edge``, ``set_edge``, ``remove_edge``,
``remove_node``) rebuild only the rows they touch. Removed nodes leave an unused
int slot behind; that keeps every other node's int stable.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any

from graph.errors import InvalidInput, PersonNotFound

Row = dict[int, tuple[float, int]]  # neighbour -> (strength, owner mask)


def _check_strength(strength: float) -> None:
    ok = isinstance(strength, int | float) and not isinstance(strength, bool)
    if not (ok and 0.0 < strength <= 1.0):  # NaN fails the comparison too
        raise InvalidInput(f"strength must be in (0, 1], got {strength!r}", field="strength")


class TrustGraph:
    """Undirected weighted graph with per-edge owner masks (privacy filtering).

    Examples
    --------
    >>> g = TrustGraph.from_edges([("a", "b", 0.5, 1), ("b", "c", 1.0, 2), ("b", "a", 0.6, 4)])
    >>> sorted(g.neighbours("b"))
    ['a', 'c']
    >>> g.strength("a", "b"), g.mask("a", "b")  # parallel edges: max strength, OR of masks
    (0.6, 5)
    >>> "a" in g, len(g), g.number_of_edges()
    (True, 3, 2)
    >>> g.remove_node("c"); "c" in g, g.number_of_edges()
    (False, 1)
    """

    __slots__ = (
        "_component",
        "_live",
        "costs",
        "ids",
        "index",
        "masks",
        "nbrs",
        "pos",
        "strengths",
    )

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.index: dict[str, int] = {}
        self.nbrs: list[list[int]] = []
        self.costs: list[list[float]] = []
        self.strengths: list[list[float]] = []
        self.masks: list[list[int]] = []
        self.pos: list[dict[int, int]] = []
        self._live = 0
        self._component: list[int] | None = None

    @classmethod
    def from_edges(
        cls, edges: Iterable[tuple[str, str, float, int]], nodes: Iterable[str] = ()
    ) -> TrustGraph:
        """Build from ``(u, v, strength, owner_mask)`` rows plus optional isolated nodes.

        Parallel edges keep the max strength and OR their masks. Raises
        ``InvalidInput`` for a strength outside (0, 1] or a self-loop.

        The cyclic garbage collector is paused during the build: it would
        rescan the growing graph again and again (2x slower at a million edges),
        and nothing built here forms a cycle.
        """
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return cls._build(edges, nodes)
        finally:
            if was_enabled:
                gc.enable()

    @classmethod
    def _build(
        cls, edges: Iterable[tuple[str, str, float, int]], nodes: Iterable[str]
    ) -> TrustGraph:
        g = cls()
        index, ids = g.index, g.ids
        rows: list[Row] = []
        for node in nodes:
            if node not in index:
                index[node] = len(ids)
                ids.append(node)
                rows.append({})
        for u, v, strength, mask in edges:  # the hot loop of a store rebuild: kept inline
            try:
                ok = 0.0 < strength <= 1.0 and strength.__class__ is not bool
            except TypeError:
                ok = False
            if not ok:
                _check_strength(strength)
            if u == v:
                raise InvalidInput(f"self-loop on {u!r}", field="target")
            i = index.get(u)
            if i is None:
                i = index[u] = len(ids)
                ids.append(u)
                rows.append({})
            j = index.get(v)
            if j is None:
                j = index[v] = len(ids)
                ids.append(v)
                rows.append({})
            old = rows[i].get(j)
            if old is None:
                rows[i][j] = rows[j][i] = (strength, mask)
            else:
                rows[i][j] = rows[j][i] = (max(old[0], strength), old[1] | mask)
        n = len(ids)
        g.nbrs, g.costs, g.strengths = [[]] * n, [[]] * n, [[]] * n  # placeholders
        g.masks, g.pos = [[]] * n, [{}] * n
        g._live = n
        for i, row in enumerate(rows):
            g._set_row(i, row)
        return g

    # -- construction -------------------------------------------------------------------
    def _node(self, node: str) -> int:
        i = self.index.get(node)
        if i is None:
            i = len(self.ids)
            self.index[node] = i
            self.ids.append(node)
            self.nbrs.append([])
            self.costs.append([])
            self.strengths.append([])
            self.masks.append([])
            self.pos.append({})
            self._live += 1
            self._component = None
        return i

    def _row(self, i: int) -> Row:
        return dict(
            zip(self.nbrs[i], zip(self.strengths[i], self.masks[i], strict=True), strict=True)
        )

    def _set_row(self, i: int, row: Row) -> None:
        # Strongest first; equal ties keep insertion order (sorting is stable).
        items = sorted(row.items(), key=itemgetter(1), reverse=True)
        nbrs = [j for j, _ in items]
        strengths = [s for _, (s, _m) in items]
        self.nbrs[i] = nbrs
        self.strengths[i] = strengths
        self.costs[i] = [-math.log(s) for s in strengths]
        self.masks[i] = [m for _, (_s, m) in items]
        self.pos[i] = dict(zip(nbrs, range(len(nbrs)), strict=True))

    def add_node(self, node: str) -> None:
        self._node(node)

    def add_edge(self, u: str, v: str, strength: float, mask: int = 1) -> None:
        """Add or strengthen an undirected edge (max strength, OR of masks)."""
        _check_strength(strength)
        if u == v:
            raise InvalidInput(f"self-loop on {u!r}", field="target")
        i, j = self._node(u), self._node(v)
        p = self.pos[i].get(j)
        if p is not None:
            strength, mask = max(self.strengths[i][p], strength), self.masks[i][p] | mask
        self._put(i, j, strength, mask)
        self._component = None

    def set_edge(self, u: str, v: str, strength: float, mask: int) -> None:
        """Replace an edge's strength and mask (the store recomputed the tie)."""
        _check_strength(strength)
        if u == v:
            raise InvalidInput(f"self-loop on {u!r}", field="target")
        self._put(self._node(u), self._node(v), strength, mask)
        self._component = None

    def _put(self, i: int, j: int, strength: float, mask: int) -> None:
        for a, b in ((i, j), (j, i)):
            row = self._row(a)
            row[b] = (strength, mask)
            self._set_row(a, row)

    def remove_edge(self, u: str, v: str) -> None:
        """Remove the edge if present (no error when it is not)."""
        i, j = self.index.get(u), self.index.get(v)
        if i is None or j is None or j not in self.pos[i]:
            return
        for a, b in ((i, j), (j, i)):
            row = self._row(a)
            del row[b]
            self._set_row(a, row)
        self._component = None

    def remove_node(self, node: str) -> None:
        """Remove a person and their edges (no error when absent)."""
        i = self.index.pop(node, None)
        if i is None:
            return
        for j in self.nbrs[i]:
            row = self._row(j)
            del row[i]
            self._set_row(j, row)
        self._set_row(i, {})
        self._live -= 1
        self._component = None

    def ready(self) -> TrustGraph:
        """Kept for callers of the earlier API: writes are applied eagerly now."""
        return self

    # -- queries ------------------------------------------------------------------------
    def __contains__(self, node: object) -> bool:
        return node in self.index

    def __len__(self) -> int:
        return self._live

    def nodes(self) -> Iterator[str]:
        return iter(self.index)

    def number_of_edges(self) -> int:
        return sum(map(len, self.nbrs)) // 2

    def edges(self) -> Iterator[tuple[str, str, float, int]]:
        """Each undirected edge once, as ``(u, v, strength, owner_mask)``."""
        for i, row in enumerate(self.nbrs):
            for k, j in enumerate(row):
                if i < j:
                    yield self.ids[i], self.ids[j], self.strengths[i][k], self.masks[i][k]

    def idx(self, node: str) -> int:
        """The int of ``node``; ``PersonNotFound`` when absent."""
        i = self.index.get(node)
        if i is None:
            raise PersonNotFound(node)
        return i

    def neighbours(self, node: str) -> list[str]:
        """Neighbours, strongest tie first."""
        return [self.ids[j] for j in self.nbrs[self.idx(node)]]

    def strength(self, u: str, v: str) -> float | None:
        i, j = self.idx(u), self.idx(v)
        p = self.pos[i].get(j)
        return None if p is None else self.strengths[i][p]

    def mask(self, u: str, v: str) -> int | None:
        i, j = self.idx(u), self.idx(v)
        p = self.pos[i].get(j)
        return None if p is None else self.masks[i][p]

    def component(self, i: int) -> int:
        """Connected-component label of node ``i`` (all edges, no filters).

        Computed once per graph version, a breadth-first search whose layers are
        set unions (C speed): about a second per million edges.
        """
        if self._component is None:
            comp = [-1] * len(self.ids)
            pos = self.pos
            for start in range(len(self.ids)):
                if comp[start] != -1:
                    continue
                seen = {start}
                frontier: set[int] = {start}
                while frontier:
                    frontier = set().union(*[pos[u] for u in frontier])
                    frontier -= seen
                    seen |= frontier
                for u in seen:
                    comp[u] = start
            self._component = comp
        return self._component[i]

    def to_networkx(self) -> Any:
        """A ``networkx.Graph`` with ``strength``, ``cost`` and ``mask`` edge attributes."""
        import networkx as nx  # local: only tests and exports need it

        g: Any = nx.Graph()
        g.add_nodes_from(self.index)
        for u, v, s, m in self.edges():
            g.add_edge(u, v, strength=s, cost=-math.log(s), mask=m)
        return g
