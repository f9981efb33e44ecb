"""A compact, read-optimised undirected graph for the planner (flat arrays, CSR).

Nodes are person ids mapped to ints. The edges live in a handful of flat numpy
arrays in compressed-sparse-row form: ``ptr[i]:ptr[i + 1]`` is node ``i``'s row
in ``nbr`` (neighbour ints), ``cost`` (``-ln strength``), ``strength`` and
``mid`` (an index into ``mask_table``, the distinct owner masks: masks are Python
ints of any width, one bit per member, and a team has few distinct ones). Each
row is sorted strongest first, so searches stop scanning a row once the rest
cannot help. That is 24 bytes per direction of a tie, against ~350 for the
per-node lists and dicts this replaced (BENCHMARKS.md, issue 19).

Hop-distance balls, "which neighbours lie in this ball" and the breadth-first
searches are vectorised over these arrays (:meth:`gather`). The graph is
immutable in practice: the stores rebuild their view after a write, so the
editing methods (kept for callers and tests) rebuild the arrays, O(ties) each.
Removed nodes leave an unused int slot behind; that keeps every other int stable.
"""

from __future__ import annotations

import gc
import math
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from graph.errors import InvalidInput, PersonNotFound

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Row = tuple[list[int], list[float], list[int]]  # neighbours, costs, mask ids


def distinct(values: npt.NDArray[Any]) -> tuple[npt.NDArray[Any], Ints]:
    """Sorted distinct values and each value's index among them, by one sort
    (``np.unique`` hashes integers in numpy 2.x: many times slower at a million).

    >>> v, i = distinct(np.array([3, 1, 3]))
    >>> v.tolist(), i.tolist()
    ([1, 3], [1, 0, 1])
    """
    order = np.argsort(values)  # any order of equal values gives the same answer
    ordered = values[order]
    new = np.ones(len(ordered), dtype=np.bool_)
    new[1:] = ordered[1:] != ordered[:-1]
    which = np.empty(len(values), dtype=np.int64)
    which[order] = np.cumsum(new) - 1
    return ordered[new], which


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
        "_visible",
        "_visible_np",
        "ball_cache",
        "byid",
        "cost",
        "first_cost",
        "ids",
        "index",
        "mask_table",
        "mid",
        "nbr",
        "ptr",
        "strength_",
    )

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.index: dict[str, int] = {}
        self.ptr: Ints = np.zeros(1, dtype=np.int64)
        self.nbr: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        # Per row, the positions of its edges in neighbour-id order (relative to the row).
        self.byid: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self.cost: Floats = np.zeros(0, dtype=np.float64)
        self.strength_: Floats = np.zeros(0, dtype=np.float64)
        self.mid: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self.mask_table: list[int] = []
        # Cheapest edge cost per node (inf for none): a lower bound on one more hop.
        self.first_cost: Floats = np.zeros(0, dtype=np.float64)
        self._live = 0
        self._component: Ints | None = None
        self._visible: dict[int, list[bool]] = {}
        self._visible_np: dict[int, Bools] = {}
        # Source balls shared by this graph's questions (graph.algorithms._source_ball).
        self.ball_cache: OrderedDict[tuple[tuple[int, ...], int | None], Any] = OrderedDict()

    @classmethod
    def from_edges(
        cls, edges: Iterable[tuple[str, str, float, int]], nodes: Iterable[str] = ()
    ) -> TrustGraph:
        """Build from ``(u, v, strength, owner_mask)`` rows plus optional isolated nodes.

        Parallel edges keep the max strength and OR their masks. Raises
        ``InvalidInput`` for a strength outside (0, 1] or a self-loop. Row order
        is strongest first, then the larger mask, then the order ties first
        appeared (as the dict-based graph before it had it, so answers that
        tie are broken the same way).

        The cyclic garbage collector is paused during the build: the id dict
        grows by a million entries and nothing built here forms a cycle.
        """
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            g = cls()
            for node in nodes:
                g._intern(node)
            us, vs, ss, ms = g._read(edges)
            g._assemble(us, vs, ss, ms)
            return g
        finally:
            if was_enabled:
                gc.enable()

    def _intern(self, node: str) -> int:
        i = self.index.get(node)
        if i is None:
            i = self.index[node] = len(self.ids)
            self.ids.append(node)
        return i

    def _read(
        self, edges: Iterable[tuple[str, str, float, int]]
    ) -> tuple[list[int], list[int], list[float], list[int]]:
        index, ids = self.index, self.ids
        us: list[int] = []
        vs: list[int] = []
        ss: list[float] = []
        ms: list[int] = []
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
            j = index.get(v)
            if j is None:
                j = index[v] = len(ids)
                ids.append(v)
            us.append(i)
            vs.append(j)
            ss.append(float(strength))
            ms.append(mask)
        return us, vs, ss, ms

    def _assemble(self, us: list[int], vs: list[int], ss: list[float], ms: list[int]) -> None:
        """Merge parallel edges and lay the rows out (vectorised, but for the masks)."""
        n = len(self.ids)
        u = np.asarray(us, dtype=np.int64)
        v = np.asarray(vs, dtype=np.int64)
        s = np.asarray(ss, dtype=np.float64)
        lo, hi = np.minimum(u, v), np.maximum(u, v)
        order = np.argsort(lo * max(n, 1) + hi, kind="stable")
        key = (lo * max(n, 1) + hi)[order]
        starts = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]])) if len(key) else key
        first = order[starts]  # the earliest row of each tie: its place in row order
        strength = np.maximum.reduceat(s[order], starts) if len(key) else s
        masks = [ms[k] for k in first.tolist()]
        sizes = np.diff(np.append(starts, len(key)))
        for t in np.flatnonzero(sizes > 1).tolist():  # parallel edges: OR the masks
            at = int(starts[t])
            for k in order[at : at + int(sizes[t])].tolist():
                masks[t] |= ms[k]
        table = sorted(set(masks))
        where = {m: i for i, m in enumerate(table)}
        mid = np.fromiter((where[m] for m in masks), dtype=np.int32, count=len(masks))
        a, b = lo[order][starts] if len(key) else lo, hi[order][starts] if len(key) else hi
        self._layout(a, b, strength, mid, table, first)

    @classmethod
    def from_arrays(
        cls,
        ids: list[str],
        index: dict[str, int],
        lo: npt.NDArray[np.integer[Any]],
        hi: npt.NDArray[np.integer[Any]],
        strength: Floats,
        mid: npt.NDArray[np.int32],
        mask_table: list[int],
    ) -> TrustGraph:
        """Build from distinct ties already as arrays (no parallel edges, no self-loops):
        ``lo[k]``-``hi[k]`` with ``strength[k]`` and mask ``mask_table[mid[k]]``.

        The stores' incremental path: no per-tie Python but the costs, so a graph
        with a million ties is laid out in well under a second. Row order breaks
        ties by position in these arrays, as :meth:`from_edges` does by first sight.

        >>> g = TrustGraph.from_arrays(["a", "b", "c"], {"a": 0, "b": 1, "c": 2},
        ...     np.array([0, 1]), np.array([1, 2]), np.array([0.5, 0.9]),
        ...     np.array([0, 1], dtype=np.int32), [1, 2])
        >>> g.neighbours("b"), g.mask("b", "c")
        (['c', 'a'], 2)
        """
        g = cls()
        g.ids, g.index = ids, index
        seq = np.arange(len(lo), dtype=np.int64)
        g._layout(
            np.asarray(lo, dtype=np.int64),
            np.asarray(hi, dtype=np.int64),
            np.asarray(strength, dtype=np.float64),
            np.asarray(mid, dtype=np.int32),
            list(mask_table),
            seq,
        )
        return g

    def _layout(
        self,
        a: Ints,
        b: Ints,
        strength: Floats,
        mid: npt.NDArray[np.int32],
        table: list[int],
        first: Ints,
    ) -> None:
        """Lay distinct ties out as CSR rows: strongest first, then larger mask, then ``first``.

        The ties in ``first`` order, laid out by one compiled kernel that holds no GIL
        (:func:`graph.kernels.layout`): no Python per tie, so a store re-laying a million
        ties in a worker thread leaves the event loop and the questions answering.
        """
        from graph import kernels  # numba loads on the first graph, not on import

        n = len(self.ids)
        if len(first) > 1 and bool(np.any(first[1:] < first[:-1])):
            order = np.argsort(first, kind="stable")
            a, b, strength, mid = a[order], b[order], strength[order], mid[order]
        (
            self.ptr,
            self.nbr,
            self.strength_,
            self.cost,
            self.mid,
            self.byid,
            self.first_cost,
        ) = kernels.layout(
            np.asarray(a, dtype=np.int64),
            np.asarray(b, dtype=np.int64),
            np.asarray(strength, dtype=np.float64),
            np.asarray(mid, dtype=np.int32),
            n,
        )
        self.mask_table = table
        self._live = len(self.index)
        self._component = None
        self._visible = {}
        self._visible_np = {}
        self.ball_cache = OrderedDict()
        kernels.warm()

    def restored(self) -> None:
        """Finish a graph whose arrays, ids and index were loaded (graph.snapshot)."""
        self._live = len(self.index)
        self._component = None
        self._visible = {}
        self._visible_np = {}
        self.ball_cache = OrderedDict()
        from graph import kernels  # numba loads on the first graph, not on import

        kernels.warm()

    # -- edits: rebuild the arrays (the stores rebuild views instead) --------------------
    def _rebuild(self, changes: dict[tuple[int, int], tuple[float, int] | None]) -> None:
        us: list[int] = []
        vs: list[int] = []
        ss: list[float] = []
        ms: list[int] = []
        for i, j, s, m in self._int_edges():
            if (i, j) in changes:
                continue
            us.append(i)
            vs.append(j)
            ss.append(s)
            ms.append(m)
        for (i, j), new in changes.items():
            if new is not None:
                us.append(i)
                vs.append(j)
                ss.append(new[0])
                ms.append(new[1])
        self._assemble(us, vs, ss, ms)

    def _check_pair(self, u: str, v: str, strength: float) -> tuple[int, int]:
        _check_strength(strength)
        if u == v:
            raise InvalidInput(f"self-loop on {u!r}", field="target")
        i, j = self._node(u), self._node(v)
        return (i, j) if i < j else (j, i)

    def _node(self, node: str) -> int:
        i = self.index.get(node)
        if i is None:
            i = self._intern(node)
            self._rebuild({})
        return i

    def add_node(self, node: str) -> None:
        self._node(node)

    def add_edge(self, u: str, v: str, strength: float, mask: int = 1) -> None:
        """Add or strengthen an undirected edge (max strength, OR of masks)."""
        pair = self._check_pair(u, v, strength)
        k = self.position(*pair)
        if k is not None:
            strength = max(float(self.strength_[k]), strength)
            mask = self.mask_table[int(self.mid[k])] | mask
        self._rebuild({pair: (strength, mask)})

    def set_edge(self, u: str, v: str, strength: float, mask: int) -> None:
        """Replace an edge's strength and mask (the store recomputed the tie)."""
        self._rebuild({self._check_pair(u, v, strength): (strength, mask)})

    def remove_edge(self, u: str, v: str) -> None:
        """Remove the edge if present (no error when it is not)."""
        i, j = self.index.get(u), self.index.get(v)
        if i is None or j is None or self.position(i, j) is None:
            return
        self._rebuild({(min(i, j), max(i, j)): None})

    def remove_node(self, node: str) -> None:
        """Remove a person and their edges (no error when absent)."""
        i = self.index.pop(node, None)
        if i is None:
            return
        a, b = int(self.ptr[i]), int(self.ptr[i + 1])
        gone: dict[tuple[int, int], tuple[float, int] | None] = {
            (min(i, j), max(i, j)): None for j in self.nbr[a:b].tolist()
        }
        self._rebuild(gone)

    def ready(self) -> TrustGraph:
        """Kept for callers of the earlier API: writes are applied eagerly."""
        return self

    # -- queries ------------------------------------------------------------------------
    def __contains__(self, node: object) -> bool:
        return node in self.index

    def __len__(self) -> int:
        return self._live

    def nodes(self) -> Iterator[str]:
        return iter(self.index)

    def number_of_edges(self) -> int:
        return len(self.nbr) // 2

    def _int_edges(self) -> Iterator[tuple[int, int, float, int]]:
        src = np.repeat(np.arange(len(self.ptr) - 1), np.diff(self.ptr))
        once = np.flatnonzero(src < self.nbr)
        table = self.mask_table
        for i, j, s, m in zip(
            src[once].tolist(),
            self.nbr[once].tolist(),
            self.strength_[once].tolist(),
            self.mid[once].tolist(),
            strict=True,
        ):
            yield i, j, s, table[m]

    def edges(self) -> Iterator[tuple[str, str, float, int]]:
        """Each undirected edge once, as ``(u, v, strength, owner_mask)``."""
        ids = self.ids
        for i, j, s, m in self._int_edges():
            yield ids[i], ids[j], s, m

    def idx(self, node: str) -> int:
        """The int of ``node``; ``PersonNotFound`` when absent."""
        i = self.index.get(node)
        if i is None:
            raise PersonNotFound(node)
        return i

    def degree(self, i: int) -> int:
        return int(self.ptr[i + 1] - self.ptr[i])

    def row(self, i: int) -> Row:
        """Node ``i``'s neighbours, costs and mask ids, cheapest first."""
        a, b = int(self.ptr[i]), int(self.ptr[i + 1])
        return self.nbr[a:b].tolist(), self.cost[a:b].tolist(), self.mid[a:b].tolist()

    def row_where(self, i: int, dist: npt.NDArray[np.int8], hops: int) -> Row:
        """The part of node ``i``'s row whose neighbours ``w`` have ``dist[w] <= hops``."""
        a, b = int(self.ptr[i]), int(self.ptr[i + 1])
        nbr = self.nbr[a:b]
        keep = np.flatnonzero(dist[nbr] <= hops)
        return (
            nbr[keep].tolist(),
            self.cost[a:b][keep].tolist(),
            self.mid[a:b][keep].tolist(),
        )

    def position(self, i: int, j: int) -> int | None:
        """Where the edge i-j sits in the flat arrays (i's row); None without one."""
        a, b = int(self.ptr[i]), int(self.ptr[i + 1])
        if a == b:
            return None
        hit = np.flatnonzero(self.nbr[a:b] == j)
        return a + int(hit[0]) if len(hit) else None

    def has_edge(self, i: int, j: int) -> bool:
        return self.position(i, j) is not None

    def edge_strength(self, i: int, j: int) -> float:
        k = self.position(i, j)
        if k is None:
            raise KeyError((i, j))
        return float(self.strength_[k])

    def edge_cost(self, i: int, j: int) -> float:
        k = self.position(i, j)
        if k is None:
            raise KeyError((i, j))
        return float(self.cost[k])

    def visible(self, mask: int | None) -> list[bool] | None:
        """Per mask id: may a viewer with ``mask`` use an edge of it? None: everything.

        Cached per mask (a server sees few distinct viewers' masks).
        """
        if mask is None:
            return None
        found = self._visible.get(mask)
        if found is None:
            if len(self._visible) > 256:
                self._visible.clear()
            found = self._visible[mask] = [bool(m & mask) for m in self.mask_table]
        return found

    def visible_array(self, mask: int | None) -> Bools | None:
        """:meth:`visible` as a numpy array (for the compiled kernels)."""
        if mask is None:
            return None
        found = self._visible_np.get(mask)
        if found is None:
            if len(self._visible_np) > 256:
                self._visible_np.clear()
            vis = self.visible(mask)
            found = self._visible_np[mask] = np.asarray(vis, dtype=bool)
        return found

    def gather(self, nodes: Ints, mask: int | None = None) -> tuple[Ints, Ints]:
        """Every edge leaving ``nodes``: (their neighbours, the node each edge leaves),
        keeping only the edges ``mask`` may use. Vectorised: no per-edge Python."""
        lo, hi = self.ptr[nodes], self.ptr[nodes + 1]
        lens = hi - lo
        total = int(lens.sum())
        shift = np.repeat(lo - (np.cumsum(lens) - lens), lens)
        pos = np.arange(total, dtype=np.int64) + shift
        owners = np.repeat(nodes, lens)
        vis = self.visible(mask)
        if vis is not None:
            ok = np.asarray(vis, dtype=bool)[self.mid[pos]]
            pos, owners = pos[ok], owners[ok]
        return self.nbr[pos].astype(np.int64), owners

    def row_lengths(self, nodes: Ints) -> int:
        return int((self.ptr[nodes + 1] - self.ptr[nodes]).sum())

    def neighbours(self, node: str) -> list[str]:
        """Neighbours, strongest tie first."""
        i = self.idx(node)
        return [self.ids[j] for j in self.nbr[self.ptr[i] : self.ptr[i + 1]].tolist()]

    def strength(self, u: str, v: str) -> float | None:
        k = self.position(self.idx(u), self.idx(v))
        return None if k is None else float(self.strength_[k])

    def mask(self, u: str, v: str) -> int | None:
        k = self.position(self.idx(u), self.idx(v))
        return None if k is None else self.mask_table[int(self.mid[k])]

    def component(self, i: int) -> int:
        """Connected-component label of node ``i`` (all edges, no filters).

        Computed once per graph version by a compiled union-find over the flat
        arrays (without the GIL): tens of milliseconds per million ties.
        """
        if self._component is None:
            from graph import kernels

            self._component = kernels.component_labels(self.ptr, self.nbr)
        return int(self._component[i])

    def components(self) -> Ints | None:
        """The component labels if computed (for a snapshot), else None."""
        return self._component

    def use_components(self, labels: Ints) -> None:
        """Adopt labels saved with this graph's arrays (graph.snapshot); checked for size."""
        if len(labels) != len(self.ptr) - 1:
            raise ValueError("component labels do not fit this graph")
        self._component = labels

    def nbytes(self) -> int:
        """Bytes held by the flat arrays (not the id strings and dict)."""
        return sum(
            a.nbytes for a in (self.ptr, self.nbr, self.byid, self.cost, self.strength_, self.mid)
        ) + int(self.first_cost.nbytes)

    def to_networkx(self) -> Any:
        """A ``networkx.Graph`` with ``strength``, ``cost`` and ``mask`` edge attributes."""
        import networkx as nx  # local: only tests and exports need it

        g: Any = nx.Graph()
        g.add_nodes_from(self.index)
        for u, v, s, m in self.edges():
            g.add_edge(u, v, strength=s, cost=-math.log(s), mask=m)
        return g
