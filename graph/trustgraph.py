"""A compact, read-optimised undirected graph for the planner.

Nodes are person ids mapped to ints. Each node keeps parallel lists of
neighbours, costs (``-ln strength``), strengths and owner masks, sorted by cost
so searches can stop scanning a node's edges once the rest cannot help.
Connected components are cached so "no path" answers say *why* in O(1).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator

from graph.errors import InvalidInput, PersonNotFound


class TrustGraph:
    """Undirected weighted graph with per-edge owner masks (privacy filtering).

    Examples
    --------
    >>> g = TrustGraph.from_edges([("a", "b", 0.5, 1), ("b", "c", 1.0, 2)])
    >>> sorted(g.neighbours("b"))
    ['a', 'c']
    >>> g.strength("c", "b")
    1.0
    >>> "a" in g, len(g)
    (True, 3)
    """

    __slots__ = (
        "_component",
        "_dirty",
        "_edges",
        "costs",
        "ids",
        "index",
        "masks",
        "nbrs",
        "strengths",
    )

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.index: dict[str, int] = {}
        self._edges: list[dict[int, tuple[float, int]]] = []  # node -> {nbr: (strength, mask)}
        self.nbrs: list[list[int]] = []
        self.costs: list[list[float]] = []
        self.strengths: list[list[float]] = []
        self.masks: list[list[int]] = []
        self._dirty: set[int] = set()
        self._component: list[int] | None = None

    @classmethod
    def from_edges(
        cls, edges: Iterable[tuple[str, str, float, int]], nodes: Iterable[str] = ()
    ) -> TrustGraph:
        """Build from ``(u, v, strength, owner_mask)``; parallel edges keep the max
        strength and OR their masks."""
        g = cls()
        for node in nodes:
            g._node(node)
        for u, v, strength, mask in edges:
            g.add_edge(u, v, strength, mask)
        g._finish_all()
        return g

    # -- construction -------------------------------------------------------------------
    def _node(self, node: str) -> int:
        i = self.index.get(node)
        if i is None:
            i = len(self.ids)
            self.index[node] = i
            self.ids.append(node)
            self._edges.append({})
            self.nbrs.append([])
            self.costs.append([])
            self.strengths.append([])
            self.masks.append([])
            self._component = None
        return i

    def add_node(self, node: str) -> None:
        self._node(node)

    def add_edge(self, u: str, v: str, strength: float, mask: int = 1) -> None:
        """Add or strengthen an undirected edge (max strength, OR of masks)."""
        if not (0.0 < strength <= 1.0) or math.isnan(strength):
            raise InvalidInput(f"strength must be in (0, 1], got {strength!r}", field="strength")
        if u == v:
            raise InvalidInput(f"self-loop on {u!r}", field="target")
        i, j = self._node(u), self._node(v)
        old = self._edges[i].get(j)
        if old is not None:
            strength, mask = max(old[0], strength), old[1] | mask
        self._edges[i][j] = (strength, mask)
        self._edges[j][i] = (strength, mask)
        self._dirty.update((i, j))
        self._component = None

    def set_edge(self, u: str, v: str, strength: float, mask: int) -> None:
        """Replace an edge's strength and mask (the store recomputed the tie)."""
        i, j = self._node(u), self._node(v)
        self._edges[i].pop(j, None)
        self._edges[j].pop(i, None)
        self.add_edge(u, v, strength, mask)

    def remove_edge(self, u: str, v: str) -> None:
        i, j = self.index.get(u), self.index.get(v)
        if i is None or j is None:
            return
        self._edges[i].pop(j, None)
        self._edges[j].pop(i, None)
        self._dirty.update((i, j))
        self._component = None

    def _finish(self, i: int) -> None:
        items = sorted(self._edges[i].items(), key=lambda kv: (-kv[1][0], kv[0]))
        self.nbrs[i] = [j for j, _ in items]
        self.strengths[i] = [s for _, (s, _m) in items]
        self.costs[i] = [-math.log(s) for _, (s, _m) in items]
        self.masks[i] = [m for _, (_s, m) in items]

    def _finish_all(self) -> None:
        for i in self._dirty:
            self._finish(i)
        self._dirty.clear()

    def ready(self) -> TrustGraph:
        """Re-sort adjacency touched by incremental writes; cheap when nothing changed."""
        if self._dirty:
            self._finish_all()
        return self

    # -- queries ------------------------------------------------------------------------
    def __contains__(self, node: object) -> bool:
        return node in self.index

    def __len__(self) -> int:
        return len(self.ids)

    def nodes(self) -> Iterator[str]:
        return iter(self.ids)

    def number_of_edges(self) -> int:
        return sum(len(e) for e in self._edges) // 2

    def edges(self) -> Iterator[tuple[str, str, float, int]]:
        for i, row in enumerate(self._edges):
            for j, (s, m) in row.items():
                if i < j:
                    yield self.ids[i], self.ids[j], s, m

    def idx(self, node: str) -> int:
        i = self.index.get(node)
        if i is None:
            raise PersonNotFound(node)
        return i

    def neighbours(self, node: str) -> list[str]:
        return [self.ids[j] for j in self._edges[self.idx(node)]]

    def strength(self, u: str, v: str) -> float | None:
        edge = self._edges[self.idx(u)].get(self.idx(v))
        return edge[0] if edge else None

    def mask(self, u: str, v: str) -> int | None:
        edge = self._edges[self.idx(u)].get(self.idx(v))
        return edge[1] if edge else None

    def component(self, i: int) -> int:
        """Connected-component label of node ``i`` (all edges, no filters)."""
        if self._component is None:
            comp = [-1] * len(self.ids)
            for start in range(len(self.ids)):
                if comp[start] != -1:
                    continue
                comp[start] = start
                stack = [start]
                while stack:
                    u = stack.pop()
                    for w in self._edges[u]:
                        if comp[w] == -1:
                            comp[w] = start
                            stack.append(w)
            self._component = comp
        return self._component[i]

    def to_networkx(self) -> object:
        """A ``networkx.Graph`` with ``strength``, ``cost`` and ``mask`` edge attributes."""
        import networkx as nx  # local: only tests and exports need it

        g = nx.Graph()
        g.add_nodes_from(self.ids)
        for u, v, s, m in self.edges():
            g.add_edge(u, v, strength=s, cost=-math.log(s), mask=m)
        return g
