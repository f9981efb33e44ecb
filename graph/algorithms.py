"""Planning algorithms: most trusted paths, alternatives, introducers and reach.

A path's probability is the product of its strengths; maximising it is a shortest
path on cost ``-ln strength``. Every algorithm here is exact under a hop limit,
which plain Dijkstra is not (the cheapest path may have too many hops), so the
searches keep Pareto labels of (cost, hops) per node: a label is dropped only
when the node already holds one with no more hops at no more cost.

Speed comes from pruning that never changes the answer: adjacency rows are
sorted by cost so a scan stops at the first edge that cannot beat the best path
found; both ends' hop balls over the viewer's visible edges (vectorised over the
graph's flat arrays) drop labels that cannot reach the other end within the hops
left and answer "too far" without a search; and the bidirectional search stops
on the classic two-heap criterion. The searches themselves are compiled
(graph.kernels); the Python loops they replaced stay here as the reference the
tests and benchmarks compare them with (``USE_KERNELS``).

A team (several sources) is one search from all of them at once: a path starts
at whichever member gives the best probability and never passes through another
member (starting at that member instead would be at least as good).
"""

from __future__ import annotations

import heapq
import itertools
import math
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from graph.errors import InvalidInput, NoPath, NoPathReason, QueryTooExpensive
from graph.model import DEFAULT_MAX_HOPS, MAX_HOPS
from graph.trustgraph import Row, TrustGraph

INF = math.inf
MAX_MULTIPLIER = 1.5
"""Largest score multiplier a penalty hook may return (a reliable introducer)."""
BALL_BUDGET = 200_000
BALL_CACHE_BYTES = 64 * 2**20  # per graph: the source balls kept for later questions
_ball_lock = threading.Lock()
"""Most set elements one hop-ball layer may union; beyond it the layer is skipped."""
USE_KERNELS = True
"""False: introducers, diverse alternatives and reach run the Python loops the
compiled kernels replaced, step for step the same (tests and benchmarks compare)."""


class Budget:
    """How many label expansions (heap pops) searches may still make.

    One request's searches share one budget, so the work a request can cause is
    bounded whatever its arguments; ``stop`` asks a search running in a worker
    thread to give up (its request timed out). Each search counts in a local and
    settles up on exit: the hot loops pay one increment and compare per pop.

    >>> b = Budget(10)
    >>> b.charge(4); b.left
    6
    """

    __slots__ = ("left", "stop", "total")

    def __init__(self, expansions: int) -> None:
        self.total = expansions
        self.left = expansions
        self.stop = False

    def allowance(self) -> int:
        if self.stop:
            raise QueryTooExpensive(self.total, "request")
        return self.left

    def charge(self, spent: int) -> None:
        self.left -= spent


UNLIMITED = 1 << 62
"""The allowance of a search without a budget (the CLI, tests)."""
CHECK_EVERY = 1023
"""Pops between checks of a budget's ``stop`` flag (a mask: every 1024th pop)."""


def _over(budget: Budget | None, spent: int, allow: int) -> bool:
    """Whether a search must stop: past its allowance, or (checked every 1024th pop)
    told to stop; raises ``QueryTooExpensive`` then, so callers write ``if _over(..)``
    only to keep the check on one line."""
    if spent > allow or (budget is not None and not spent & CHECK_EVERY and budget.stop):
        raise QueryTooExpensive(budget.total if budget else UNLIMITED)
    return False


@dataclass(frozen=True, slots=True)
class TrustedPath:
    """A path from a requester to a target; ``probability`` is the product of strengths."""

    nodes: tuple[str, ...]
    strengths: tuple[float, ...]
    probability: float

    @property
    def hops(self) -> int:
        return len(self.strengths)


@dataclass(frozen=True, slots=True)
class IntroducerAdjustment:
    """What the outreach history says about an introducer: a score multiplier
    in (0, ``MAX_MULTIPLIER``] and the reasons for it."""

    multiplier: float = 1.0
    reasons: tuple[str, ...] = ()


PenaltyHook = Callable[[str], IntroducerAdjustment]
"""Any introducer's adjustment; called once per usable contact of the requesters."""
Penalties = Mapping[str, IntroducerAdjustment]
"""The adjustments of the few introducers a history names (everyone else 1x, no
reasons): only these are looked at, so prefer it to a hook that scans history."""
NO_ADJUSTMENT = IntroducerAdjustment()


@dataclass(frozen=True, slots=True)
class IntroducerRank:
    introducer: str
    score: float
    path_probability: float
    path: TrustedPath
    reasons: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class _Filter:
    max_cost: float
    mask: int | None
    blocked: frozenset[int]
    visible: list[bool] | None  # per mask id (TrustGraph.visible); None: every edge


def _filter(
    g: TrustGraph, min_strength: float, avoid: Iterable[str], owner_mask: int | None
) -> _Filter:
    if not 0.0 <= min_strength <= 1.0:
        raise InvalidInput(
            f"min strength must be in [0, 1], got {min_strength}", field="minStrength"
        )
    # An edge of exactly min_strength is allowed: compare costs with a hair of slack.
    max_cost = INF if min_strength <= 0.0 else -math.log(min_strength) + 1e-12
    blocked = frozenset(g.index[a] for a in avoid if a in g.index)
    return _Filter(max_cost, owner_mask, blocked, g.visible(owner_mask))


def _check_hops(max_hops: int) -> None:
    if not 1 <= max_hops <= MAX_HOPS:
        raise InvalidInput(
            f"max hops must be between 1 and {MAX_HOPS}, got {max_hops}", field="maxHops"
        )


def _sources(g: TrustGraph, sources: str | Iterable[str]) -> list[int]:
    names = [sources] if isinstance(sources, str) else list(sources)
    if not names:
        raise InvalidInput("at least one source is needed", field="from")
    return sorted({g.idx(s) for s in names})


def _make_path(g: TrustGraph, idxs: list[int]) -> TrustedPath:
    # Two half-paths may share a node; cutting the loop never lowers the probability.
    seen: dict[int, int] = {}
    out: list[int] = []
    for i in idxs:
        if i in seen:
            del out[seen[i] + 1 :]
            seen = {n: k for k, n in enumerate(out)}
            continue
        seen[i] = len(out)
        out.append(i)
    from graph import kernels

    found = kernels.path_strengths(g.ptr, g.nbr, g.byid, g.strength_, np.asarray(out))
    strengths = tuple(found.tolist())
    if not all(x > 0.0 for x in strengths):  # NaN: no tie between two consecutive nodes
        raise KeyError(out)
    ids = g.ids
    return TrustedPath(tuple([ids[i] for i in out]), strengths, math.prod(strengths))


FAR = 127
"""Hop distance of a node outside a ball (int8)."""


class _Ball:
    """Hop distances from a start set up to ``radius`` over the edges a viewer's
    ``mask`` allows, ignoring the other filters (avoid, min strength).

    A path the search may use is never shorter, so ``dist`` bounds hop distances
    from below: a node with ``dist > r`` is more than ``r`` hops away. (Counting
    only visible edges makes the balls around a member's hub far smaller for a
    member viewer than for an admin.) Built by a compiled breadth-first search
    (:func:`graph.kernels.ball`); a layer that would read more than
    ``BALL_BUDGET`` edges is not built (the bound is then weaker).

    ``dist`` comes from a per-thread pool (a fresh array the size of the graph
    cost more than a small ball's search); :meth:`release` cleans it and hands it
    back once the searches are done with the ball. A ball never released is
    simply collected.
    """

    __slots__ = ("dist", "kept", "nodes", "off", "radius")

    def __init__(
        self, g: TrustGraph, starts: Iterable[int], radius: int, mask: int | None = None
    ) -> None:
        from graph import kernels

        vis = g.visible_array(mask)
        dist, nodes, off = kernels.ball(
            g.ptr,
            g.nbr,
            g.mid,
            _ALL_VISIBLE if vis is None else vis,
            vis is not None,
            np.fromiter(starts, dtype=np.int64),
            radius,
            BALL_BUDGET,
            _clean_dist(len(g.ptr) - 1),
        )
        self.dist: npt.NDArray[np.int8] = dist
        self.nodes: npt.NDArray[np.int64] = nodes  # nearest layer first
        self.off: npt.NDArray[np.int64] = off  # off[r]: how many lie within r hops
        self.radius = len(off) - 1
        self.kept = False  # True once shared through the graph's ball cache: read-only

    def release(self) -> None:
        """Clean ``dist`` and give it back to this thread's pool (the ball is done)."""
        if self.kept:
            return
        self.dist[self.nodes] = FAR
        _give_back(self.dist)

    def sorted_nodes(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """The ball's nodes, nearest layer first, and how many lie within r hops."""
        return self.nodes, self.off

    def row(self, g: TrustGraph, u: int, hops_left: int) -> Row:
        """``u``'s cost-sorted row, only the neighbours at most ``hops_left`` hops
        from this ball's start set."""
        if hops_left > self.radius:
            return g.row(u)
        return g.row_where(u, self.dist, hops_left)


def _source_ball(g: TrustGraph, src: list[int], mask: int | None) -> _Ball:
    """The 2-hop ball around ``src`` for this viewer, shared by the questions asked
    of this graph (a member asks many questions from the same hub, whose ball is
    most of a question's cost; the graph is replaced, never edited, on a write).
    Kept balls are never released; the cache holds at most ``BALL_CACHE_BYTES``."""
    key = (tuple(sorted(src)), mask)
    cache = g.ball_cache
    with _ball_lock:
        found: _Ball | None = cache.get(key)
        if found is not None:
            cache.move_to_end(key)
            return found
    ball = _Ball(g, src, 2, mask)
    size = ball.dist.nbytes + ball.nodes.nbytes
    if size > BALL_CACHE_BYTES // 4:
        return ball  # a huge ball (an admin's whole graph): used once, released
    ball.kept = True
    with _ball_lock:
        cache[key] = ball
        total = sum(b.dist.nbytes + b.nodes.nbytes for b in cache.values())
        while total > BALL_CACHE_BYTES and len(cache) > 1:
            _k, old = cache.popitem(last=False)
            total -= old.dist.nbytes + old.nodes.nbytes
    return ball


def _maybe_within(a: _Ball, b: _Ball, max_hops: int) -> bool:
    """False only when the balls prove the ends are more than ``max_hops`` apart."""
    if a.radius + b.radius < max_hops:
        return True
    r = min(a.radius, max_hops)
    near_a = a.nodes[: a.off[r]]
    return bool((b.dist[near_a] <= max_hops - r).any())


def _meets(g: TrustGraph, src_ball: _Ball, target: int, max_hops: int, mask: int | None) -> bool:
    """``_maybe_within(src_ball, _Ball(g, [target], 2, mask), max_hops)`` without
    building the target's ball: its layers stop at the first node that meets the
    source ball (:func:`graph.kernels.meets_ball`). Built whole, that ball reads the
    rows of the member hubs next to the target: most of a reachable question's cost."""
    from graph import kernels

    vis = g.visible_array(mask)
    dist = _clean_dist(len(g.ptr) - 1)
    met = bool(
        kernels.meets_ball(
            g.ptr,
            g.nbr,
            g.mid,
            _ALL_VISIBLE if vis is None else vis,
            vis is not None,
            target,
            2,
            BALL_BUDGET,
            dist,
            src_ball.dist,
            src_ball.radius,
            max_hops,
        )
    )
    _give_back(dist)  # left clean by the kernel
    return met


def _clean_dist(n: int) -> npt.NDArray[np.int8]:
    """A hop array for ``n`` nodes, all FAR: from this thread's pool, else new."""
    pool: list[npt.NDArray[np.int8]] | None = getattr(_local, "dists", None)
    if pool is None:
        pool = _local.dists = []
    while pool and len(pool[-1]) < n:
        pool.pop()  # from a smaller graph
    return pool.pop() if pool else np.full(n, FAR, dtype=np.int8)


def _give_back(dist: npt.NDArray[np.int8]) -> None:
    """Return a hop array, all FAR again, to this thread's pool (at most four kept)."""
    pool: list[npt.NDArray[np.int8]] = getattr(_local, "dists", [])
    if len(pool) < 4:
        pool.append(dist)


class _Side:
    """One direction of a hop-bounded label-setting search.

    ``labels[node][hops]`` is the best cost found so far for reaching ``node`` in
    exactly ``hops`` hops. ``best_h[node]`` is the fewest hops with which ``node``
    was settled (popped); a label is kept only if no label with as few hops is as
    cheap, since such a label can do everything it can.
    """

    __slots__ = ("best_h", "heap", "labels", "parent")

    def __init__(self, starts: Iterable[int]) -> None:
        self.labels: dict[int, dict[int, float]] = {}
        self.parent: dict[int, int] = {}  # (node << 3 | hops) -> the same for the predecessor
        self.best_h: dict[int, int] = {}
        self.heap: list[tuple[float, int, int]] = []
        for s in starts:
            self.labels[s] = {0: 0.0}
            self.heap.append((0.0, 0, s))
        heapq.heapify(self.heap)

    def pop(self) -> tuple[float, int, int] | None:
        """The cheapest live label, settled; None when the heap runs dry."""
        heap, labels, best_h = self.heap, self.labels, self.best_h
        while heap:
            c, h, u = heapq.heappop(heap)
            if labels[u][h] < c or best_h.get(u, h + 1) <= h:
                continue  # superseded by a cheaper label with the same or fewer hops
            best_h[u] = h
            return c, h, u
        return None

    def relax(self, w: int, hops: int, cost: float, u: int, hu: int) -> bool:
        """Offer a label; True when it is not dominated (and was queued)."""
        row = self.labels.get(w)
        if row is None:
            row = self.labels[w] = {}
        else:
            for h, c in row.items():
                if h <= hops and c <= cost:
                    return False
        row[hops] = cost
        self.parent[w << 3 | hops] = u << 3 | hu
        heapq.heappush(self.heap, (cost, hops, w))
        return True

    def trace(self, node: int, hops: int) -> list[int]:
        """Nodes from ``node`` back to the start the label came from."""
        out = [node]
        key = node << 3 | hops
        while (key := self.parent.get(key, -1)) >= 0:
            out.append(key >> 3)
        return out


def _best(
    g: TrustGraph,
    sources: list[int],
    target: int,
    max_hops: int,
    flt: _Filter,
    banned_nodes: frozenset[int] = frozenset(),
    banned_edges: frozenset[tuple[int, int]] = frozenset(),
    budget: Budget | None = None,
) -> tuple[float, list[int]] | None:
    """Exact hop-bounded bidirectional label-setting search (compiled:
    :func:`graph.kernels.best_path`).

    Each side keeps Pareto labels (cost, hops) per node and pairs every new label
    with the other side's labels at that node (``mu``: the best pairing within
    the hop limit). It stops once the two heaps' minimum keys together reach
    ``mu``: any path not yet paired has an unsettled label on each side. Labels
    that cannot reach the other end within the hops left (by the hop balls
    over visible edges) or cannot beat ``mu`` are never created; a source is never an
    intermediate (starting at it would be at least as good).
    """
    src_ball, tgt_ball = _Ball(g, sources, 2, flt.mask), _Ball(g, [target], 2, flt.mask)
    try:
        if not _maybe_within(src_ball, tgt_ball, max_hops):
            return None
        return _best_in_balls(
            g,
            sources,
            target,
            max_hops,
            flt,
            banned_nodes,
            banned_edges,
            budget,
            src_ball,
            tgt_ball,
        )
    finally:
        src_ball.release()
        tgt_ball.release()


def _best_in_balls(
    g: TrustGraph,
    sources: list[int],
    target: int,
    max_hops: int,
    flt: _Filter,
    banned_nodes: frozenset[int],
    banned_edges: frozenset[tuple[int, int]],
    budget: Budget | None,
    src_ball: _Ball,
    tgt_ball: _Ball,
) -> tuple[float, list[int]] | None:
    from graph import kernels  # numba: loaded with the first graph, not on import

    allow = budget.allowance() if budget else UNLIMITED
    vis = g.visible_array(flt.mask)
    status, spent, mu, path = kernels.best_path(
        _scratch(len(g.ptr) - 1),
        g.ptr,
        g.nbr,
        g.byid,
        g.cost,
        g.mid,
        g.first_cost,
        _ALL_VISIBLE if vis is None else vis,
        vis is not None,
        np.asarray(sources, dtype=np.int64),
        target,
        max_hops,
        flt.max_cost,
        np.fromiter(flt.blocked | banned_nodes, dtype=np.int64),
        np.asarray(sorted(banned_edges), dtype=np.int64).reshape(-1, 2),
        src_ball.dist,
        src_ball.radius,
        *src_ball.sorted_nodes(),
        tgt_ball.dist,
        tgt_ball.radius,
        *tgt_ball.sorted_nodes(),
        allow,
    )
    if status == kernels.OVER_BUDGET:  # as _over: raised before the budget is charged
        raise QueryTooExpensive(budget.total if budget else UNLIMITED)
    if budget is not None:
        budget.charge(spent)
    if not len(path):
        return None
    return float(mu), path.tolist()


_ALL_VISIBLE = np.ones(1, dtype=bool)
_local = threading.local()


def _scratch(n: int) -> tuple[Any, ...]:
    """This thread's clean work arrays for the kernel, for graphs of up to ``n`` nodes
    and more (12 bytes per node, per thread that searches)."""
    from graph import kernels

    found: tuple[Any, ...] | None = getattr(_local, "scratch", None)
    if found is None or len(found[0]) < n:
        found = _local.scratch = kernels.new_scratch(n)
    return found


def _within_hops(
    g: TrustGraph, sources: list[int], target: int, max_hops: int | None, mask: int | None
) -> bool:
    """Bidirectional breadth-first search: is ``target`` within ``max_hops`` (None:
    any number) of a source, using only edges the mask allows? Compiled
    (:func:`graph.kernels.within_hops`): on random pairs, most of which have no
    path, the no-path reason was most of a query's time."""
    from graph import kernels

    vis = g.visible_array(mask)
    return bool(
        kernels.within_hops(
            _scratch(len(g.ptr) - 1),
            g.ptr,
            g.nbr,
            g.mid,
            _ALL_VISIBLE if vis is None else vis,
            vis is not None,
            np.asarray(sources, dtype=np.int64),
            target,
            -1 if max_hops is None else max_hops,
        )
    )


def _no_path_reason(
    g: TrustGraph, sources: list[int], target: int, max_hops: int, mask: int | None
) -> NoPathReason:
    # Privacy: edges outside the caller's mask are treated as absent, never as
    # "blocked", so the reason cannot reveal ties the caller may not see.
    if _within_hops(g, sources, target, max_hops, mask):
        return NoPathReason.BLOCKED
    if mask is None:
        connected = any(g.component(s) == g.component(target) for s in sources)
    else:
        connected = _within_hops(g, sources, target, None, mask)
    return NoPathReason.BEYOND_HOP_LIMIT if connected else NoPathReason.DISCONNECTED


def _endpoints(
    g: TrustGraph, sources: str | Iterable[str], target: str, avoid: Iterable[str]
) -> tuple[list[int], int, list[str]]:
    src = _sources(g, sources)
    tgt = g.idx(target)
    avoid_list = list(avoid)
    if target in avoid_list:
        raise InvalidInput("the target cannot be in the avoid list", field="avoid")
    return src, tgt, [a for a in avoid_list if g.index.get(a) not in src]


def most_trusted_path(
    g: TrustGraph,
    sources: str | Iterable[str],
    target: str,
    *,
    max_hops: int = DEFAULT_MAX_HOPS,
    min_strength: float = 0.0,
    avoid: Iterable[str] = (),
    owner_mask: int | None = None,
    budget: Budget | None = None,
) -> TrustedPath:
    """The path to ``target`` with the highest product of strengths, within ``max_hops``.

    Parameters
    ----------
    g : TrustGraph
        The graph to search.
    sources : str or iterable of str
        The requester, or a team: the path starts at one of them and passes
        through no other (starting there would be at least as good).
    target : str
        Who to reach.
    max_hops : int
        Hop limit, 1 to 6 (LinkedIn's "3rd degree" is 3).
    min_strength : float
        Edges weaker than this are not used.
    avoid : iterable of str
        People never used as intermediaries (sources in it are ignored).
    owner_mask : int, optional
        Only edges whose owner mask shares a bit with it are used (privacy).

    Returns
    -------
    TrustedPath
        One best path; when several tie, any of them.

    Raises
    ------
    PersonNotFound
        A source or the target is not in the graph.
    InvalidInput
        ``max_hops`` outside 1..6, ``min_strength`` outside [0, 1], no source, or
        the target in ``avoid``.
    NoPath
        With the reason: ``same_person``, ``disconnected``, ``beyond_hop_limit`` or
        ``blocked`` (a path within the limit exists but min-strength or avoid
        removes it). Edges outside ``owner_mask`` count as absent, not as
        blocking, so the reason never reveals ties the caller may not see.

    Examples
    --------
    >>> g = TrustGraph.from_edges([("me", "ana", 0.9, 1), ("ana", "cy", 0.8, 1),
    ...                            ("me", "bo", 0.5, 1), ("bo", "cy", 0.99, 1)])
    >>> p = most_trusted_path(g, "me", "cy")
    >>> p.nodes, round(p.probability, 2)
    (('me', 'ana', 'cy'), 0.72)
    >>> most_trusted_path(g, "me", "cy", avoid=["ana"]).nodes
    ('me', 'bo', 'cy')
    >>> most_trusted_path(g, "me", "cy", max_hops=1)
    Traceback (most recent call last):
    ...
    graph.errors.NoPath: the target is only reachable beyond the hop limit
    """
    _check_hops(max_hops)
    src, tgt, avoid_list = _endpoints(g, sources, target, avoid)
    if tgt in src:
        raise NoPath(NoPathReason.SAME_PERSON)
    flt = _filter(g, min_strength, avoid_list, owner_mask)
    # The best path is the best through the best first hop: one search from the
    # target that meets the sources' contacts (measured faster from member hubs
    # than the bidirectional search, which Yen's spur searches still use).
    src_ball = _source_ball(g, src, flt.mask)
    found = []
    try:
        if _meets(g, src_ball, tgt, max_hops, flt.mask):
            found = _via_first_hops_compiled(
                g, src, tgt, max_hops, flt, 1, True, budget, src_ball=src_ball
            )
    finally:
        src_ball.release()
    if not found:
        raise NoPath(_no_path_reason(g, src, tgt, max_hops, owner_mask))
    return _make_path(g, found[0][1])


def _first_hops(g: TrustGraph, src: list[int], flt: _Filter) -> dict[int, tuple[float, int]]:
    """Each usable neighbour of the sources: (cheapest first-edge cost, via which source)."""
    out: dict[int, tuple[float, int]] = {}
    source_set = set(src)
    vis = flt.visible
    for s in src:
        row_n, row_c, row_m = g.row(s)
        for k, n in enumerate(row_n):
            c = row_c[k]
            if c > flt.max_cost:
                break
            if n in source_set or n in flt.blocked:
                continue
            if vis is not None and not vis[row_m[k]]:
                continue
            if c < out.get(n, (INF, -1))[0]:
                out[n] = (c, s)
    return out


def _via_first_hops(
    g: TrustGraph,
    src: list[int],
    tgt: int,
    max_hops: int,
    flt: _Filter,
    k: int,
    adjust: Callable[[int], float] | None = None,
    include_target: bool = True,
    budget: Budget | None = None,
    slack: float = 0.0,
) -> list[tuple[float, list[int]]]:
    """Best path through each distinct first hop, top ``k`` by (adjusted) cost.

    One backward search from the target (sources banned as intermediaries, at most
    ``max_hops - 1`` hops) meets the requester's first-hop contacts; it stops once
    no unsettled contact could still enter the top ``k``. ``adjust`` gives a first
    hop's score multiplier, ``slack`` the ``ln`` of the largest one (0 without):
    the stopping bounds allow for it. This is the Python reference of
    :func:`graph.kernels.first_hop_search` (:func:`_via_first_hops_compiled`),
    which runs unless ``USE_KERNELS`` is off.
    """
    first = _first_hops(g, src, flt)
    if not first:
        return []
    min_first = min(c for c, _ in first.values())
    src_ball = _Ball(g, src, 2, flt.mask)
    side = _Side([tgt])
    banned = flt.blocked | set(src)
    found: dict[int, tuple[float, int]] = {}  # first hop -> (score cost, hops)
    best: list[float] = []  # max-heap (negated) of the k best score costs
    kth = INF
    limit = max_hops - 1
    vis, max_cost = flt.visible, flt.max_cost
    allow, spent = budget.allowance() if budget else UNLIMITED, 0
    while (popped := side.pop()) is not None:
        spent += 1
        _over(budget, spent, allow)
        c, h, u = popped
        if c + min_first - slack >= kth:
            break
        if u in first and u not in found and (include_target or u != tgt):
            score = c + first[u][0] - (math.log(adjust(u)) if adjust else 0.0)
            found[u] = (score, h)
            heapq.heappush(best, -score)
            if len(best) > k:
                heapq.heappop(best)
            if len(best) == k:
                kth = -best[0]
        if h == limit:
            continue
        # The next node must still reach a source: within max_hops - (h + 1) hops.
        row_n, row_c, row_m = src_ball.row(g, u, max_hops - h - 1)
        for j, ec in enumerate(row_c):
            if ec > max_cost or c + ec + min_first - slack >= kth:
                break
            w = row_n[j]
            if w in banned or (vis is not None and not vis[row_m[j]]):
                continue
            side.relax(w, h + 1, c + ec, u, h)
    if budget is not None:
        budget.charge(spent)
    ranked = sorted(found.items(), key=lambda kv: (kv[1][0], g.ids[kv[0]]))[:k]
    out = []
    for n, (score, h) in ranked:
        # The first settle of n is its cheapest label within the hop budget.
        out.append((score, [first[n][1], *side.trace(n, h)]))
    return out


def _via_first_hops_compiled(
    g: TrustGraph,
    src: list[int],
    tgt: int,
    max_hops: int,
    flt: _Filter,
    k: int,
    include_target: bool,
    budget: Budget | None,
    src_ball: _Ball | None = None,
    penalties: dict[int, float] | None = None,
    slack: float = 0.0,
) -> list[tuple[float, list[int]]]:
    """:func:`_via_first_hops` compiled; ``penalties`` maps a first hop to its
    multiplier (absent: 1x)."""
    from graph import kernels

    allow = budget.allowance() if budget else UNLIMITED
    if src_ball is None:
        ball = _source_ball(g, src, flt.mask)
        try:
            return _via_first_hops_compiled(
                g, src, tgt, max_hops, flt, k, include_target, budget, ball, penalties, slack
            )
        finally:
            ball.release()
    vis = g.visible_array(flt.mask)
    status, spent, nodes, scores, _hops, vias, trace, offsets = kernels.first_hop_search(
        _scratch(len(g.ptr) - 1),
        g.ptr,
        g.nbr,
        g.cost,
        g.mid,
        _ALL_VISIBLE if vis is None else vis,
        vis is not None,
        np.asarray(src, dtype=np.int64),
        tgt,
        max_hops,
        flt.max_cost,
        np.fromiter(flt.blocked, dtype=np.int64, count=len(flt.blocked)),
        src_ball.dist,
        src_ball.radius,
        k,
        include_target,
        allow,
        *_penalty_arrays(penalties),
        slack,
    )
    if status == kernels.OVER_BUDGET:
        raise QueryTooExpensive(budget.total if budget else UNLIMITED)
    if budget is not None:
        budget.charge(spent)
    ids = g.ids
    score_l, node_l, via_l = scores.tolist(), nodes.tolist(), vias.tolist()
    found = sorted(range(len(node_l)), key=lambda i: (score_l[i], ids[node_l[i]]))[:k]
    flat, off = trace.tolist(), offsets.tolist()
    return [(score_l[i], [via_l[i], *flat[off[i] : off[i + 1]]]) for i in found]


_NO_NODES = np.zeros(0, dtype=np.int64)
_NO_LOGS = np.zeros(0, dtype=np.float64)


def _penalty_arrays(penalties: dict[int, float] | None) -> tuple[Any, Any]:
    """First hops with a multiplier other than 1x, and the ``ln`` of each."""
    if not penalties:
        return _NO_NODES, _NO_LOGS
    nodes = np.fromiter(penalties, dtype=np.int64, count=len(penalties))
    logs = np.array([math.log(m) for m in penalties.values()], dtype=np.float64)
    return nodes, logs


def alternative_paths(
    g: TrustGraph,
    sources: str | Iterable[str],
    target: str,
    *,
    k: int = 3,
    max_hops: int = DEFAULT_MAX_HOPS,
    min_strength: float = 0.0,
    avoid: Iterable[str] = (),
    diverse_first_hops: bool = True,
    owner_mask: int | None = None,
    budget: Budget | None = None,
) -> list[TrustedPath]:
    """The ``k`` most trusted simple paths, best first.

    With ``diverse_first_hops`` (the default) every path goes through a different
    first hop, so the user is never sent to the same introducer twice; without it,
    Yen's algorithm lists the k best simple paths within the hop limit.

    Examples
    --------
    >>> g = TrustGraph.from_edges([("me", "ana", 0.9, 1), ("ana", "cy", 0.8, 1),
    ...                            ("me", "bo", 0.5, 1), ("bo", "cy", 0.99, 1),
    ...                            ("ana", "bo", 0.7, 1)])
    >>> [p.nodes for p in alternative_paths(g, "me", "cy", k=2)]
    [('me', 'ana', 'cy'), ('me', 'bo', 'cy')]
    >>> [p.nodes for p in alternative_paths(g, "me", "cy", k=2, diverse_first_hops=False)]
    [('me', 'ana', 'cy'), ('me', 'ana', 'bo', 'cy')]
    """
    _check_hops(max_hops)
    if k < 1:
        raise InvalidInput(f"k must be at least 1, got {k}", field="k")
    src, tgt, avoid_list = _endpoints(g, sources, target, avoid)
    if tgt in src:
        raise NoPath(NoPathReason.SAME_PERSON)
    flt = _filter(g, min_strength, avoid_list, owner_mask)
    if diverse_first_hops:
        if USE_KERNELS:
            found = _via_first_hops_compiled(g, src, tgt, max_hops, flt, k, True, budget)
        else:
            found = _via_first_hops(g, src, tgt, max_hops, flt, k, budget=budget)
        paths = [_make_path(g, p) for _, p in found]
    else:
        paths = _yen(g, src, tgt, max_hops, flt, k, budget)
    if not paths:
        raise NoPath(_no_path_reason(g, src, tgt, max_hops, owner_mask))
    return paths


def _cost(g: TrustGraph, nodes: list[int]) -> float:
    return sum(g.edge_cost(a, b) for a, b in itertools.pairwise(nodes))


def _yen(
    g: TrustGraph,
    src: list[int],
    tgt: int,
    max_hops: int,
    flt: _Filter,
    k: int,
    budget: Budget | None = None,
) -> list[TrustedPath]:
    """Yen's k shortest simple paths with a hop limit and a set of sources."""
    first = _best(g, src, tgt, max_hops, flt, budget=budget)
    if first is None:
        return []
    accepted: list[list[int]] = [first[1]]
    candidates: list[tuple[float, list[int]]] = []
    seen = {tuple(first[1])}
    while len(accepted) < k:
        last = accepted[-1]
        # Spur at "before the first node": another source.
        used_starts = {p[0] for p in accepted}
        others = [s for s in src if s not in used_starts]
        if others:
            banned = frozenset(src) - set(others)
            found = _best(g, others, tgt, max_hops, flt, banned_nodes=banned, budget=budget)
            if found and tuple(found[1]) not in seen:
                seen.add(tuple(found[1]))
                heapq.heappush(candidates, (found[0], found[1]))
        for i in range(len(last) - 1):
            root = last[: i + 1]
            spur = root[-1]
            banned_edges = set()
            for p in accepted:
                if p[: i + 1] == root:
                    banned_edges.add((p[i], p[i + 1]))
            banned_nodes = frozenset(root[:-1]) | (frozenset(src) - {spur})
            found = _best(
                g,
                [spur],
                tgt,
                max_hops - i,
                flt,
                banned_nodes=banned_nodes,
                banned_edges=frozenset(banned_edges),
                budget=budget,
            )
            if found is None:
                continue
            path = root[:-1] + found[1]
            if tuple(path) in seen:
                continue
            seen.add(tuple(path))
            heapq.heappush(candidates, (_cost(g, path), path))
        if not candidates:
            break
        accepted.append(heapq.heappop(candidates)[1])
    return [_make_path(g, p) for p in accepted]


def rank_introducers(
    g: TrustGraph,
    requester: str | Iterable[str],
    target: str,
    *,
    max_hops: int = DEFAULT_MAX_HOPS,
    limit: int = 5,
    min_strength: float = 0.0,
    avoid: Iterable[str] = (),
    owner_mask: int | None = None,
    penalty: PenaltyHook | Penalties | None = None,
    budget: Budget | None = None,
) -> list[IntroducerRank]:
    """The requester's contacts ranked by the best path probability through them.

    ``penalty`` (introducer fatigue, acceptance history) multiplies each score
    (clamped to (0, ``MAX_MULTIPLIER``]) and adds its reasons: a hook asked about
    every usable contact of the requesters, or the adjustments of the few people a
    history names. It depends only on the introducer, so it is laid out per first
    hop before the compiled search runs. The target is never its own introducer.

    Examples
    --------
    >>> g = TrustGraph.from_edges([("me", "ana", 0.9, 1), ("ana", "cy", 0.8, 1),
    ...                            ("me", "bo", 0.5, 1), ("bo", "cy", 0.99, 1)])
    >>> [(r.introducer, round(r.score, 3)) for r in rank_introducers(g, "me", "cy")]
    [('ana', 0.72), ('bo', 0.495)]
    >>> tired = lambda who: IntroducerAdjustment(0.5, ("asked twice this month",))
    >>> [r.introducer for r in rank_introducers(g, "me", "cy", penalty=tired)][:1]
    ['ana']
    """
    _check_hops(max_hops)
    if limit < 1:
        raise InvalidInput(f"limit must be at least 1, got {limit}", field="limit")
    src, tgt, avoid_list = _endpoints(g, requester, target, avoid)
    if tgt in src:
        raise NoPath(NoPathReason.SAME_PERSON)
    flt = _filter(g, min_strength, avoid_list, owner_mask)
    if max_hops < 2:
        return []
    adjustments: dict[int, IntroducerAdjustment] = {}
    slack = 0.0
    if isinstance(penalty, Mapping):
        index = g.index
        adjustments = {index[who]: _clamped(adj) for who, adj in penalty.items() if who in index}
        # the most a listed multiplier lowers a score cost; everyone else is 1x
        slack = max([0.0, *(math.log(a.multiplier) for a in adjustments.values())])
    elif penalty is not None:
        slack = math.log(MAX_MULTIPLIER)  # the most a hook can raise a score
    if USE_KERNELS:
        if penalty is not None and not isinstance(penalty, Mapping):
            for n in _first_hops(g, src, flt):  # the only people the search scores
                adjustments[n] = _clamped(penalty(g.ids[n]))
        found = _via_first_hops_compiled(
            g,
            src,
            tgt,
            max_hops,
            flt,
            limit,
            False,
            budget,
            penalties={n: a.multiplier for n, a in adjustments.items() if a.multiplier != 1.0},
            slack=slack,
        )
    else:  # the Python reference: a hook is asked as contacts are met

        def adjust(n: int) -> float:
            if isinstance(penalty, Mapping):
                return adjustments.get(n, NO_ADJUSTMENT).multiplier
            assert penalty is not None
            adj = adjustments[n] = _clamped(penalty(g.ids[n]))
            return adj.multiplier

        found = _via_first_hops(
            g,
            src,
            tgt,
            max_hops,
            flt,
            limit,
            adjust if penalty is not None else None,
            include_target=False,
            budget=budget,
            slack=slack,
        )
    out = []
    for _score, nodes in found:
        path = _make_path(g, nodes)
        n = nodes[1]
        adj = adjustments.get(n, NO_ADJUSTMENT)
        reasons = (
            f"{path.probability:.0%} chance over {path.hops} hop{'s' if path.hops != 1 else ''}",
            *adj.reasons,
        )
        out.append(
            IntroducerRank(
                g.ids[n], path.probability * adj.multiplier, path.probability, path, reasons
            )
        )
    out.sort(key=lambda r: (-r.score, r.introducer))
    return out


def _clamped(adj: IntroducerAdjustment) -> IntroducerAdjustment:
    mult = min(max(adj.multiplier, 1e-9), MAX_MULTIPLIER)
    return adj if mult == adj.multiplier else IntroducerAdjustment(mult, adj.reasons)


def reach(
    g: TrustGraph,
    sources: str | Iterable[str],
    *,
    targets: Iterable[str],
    max_hops: int = DEFAULT_MAX_HOPS,
    limit: int = 20,
    min_strength: float = 0.0,
    avoid: Iterable[str] = (),
    owner_mask: int | None = None,
    budget: Budget | None = None,
) -> list[TrustedPath]:
    """The best paths to the ``limit`` most reachable of ``targets``, best first.

    Avoided people are neither used nor listed; targets not in the graph are
    ignored. One multi-target search from the sources; it stops as soon as
    ``limit`` targets are settled, so each returned path is the best one to its
    person and the list is the true top ``limit``. Sources are not listed, and no
    path passes through one. Knowing the targets up front lets the last two hops
    follow only edges into the targets and their neighbours (a 1-hop
    ball; 2 hops cost more to build around a large company than they save, by
    ``scripts/bench_planner.py``). Compiled (:func:`graph.kernels.reach_search`);
    the loop below is its Python reference (``USE_KERNELS`` off).

    Examples
    --------
    >>> g = TrustGraph.from_edges([("me", "ana", 0.9, 1), ("ana", "cy", 0.8, 1),
    ...                            ("me", "bo", 0.5, 1), ("bo", "dee", 0.99, 1)])
    >>> [p.nodes[-1] for p in reach(g, "me", targets={"cy", "dee"})]
    ['cy', 'dee']
    """
    _check_hops(max_hops)
    if limit < 1:
        raise InvalidInput(f"limit must be at least 1, got {limit}", field="first")
    src = _sources(g, sources)
    flt = _filter(g, min_strength, [a for a in avoid if g.index.get(a) not in src], owner_mask)
    source_set = set(src)
    blocked = flt.blocked | source_set
    wanted = {i for t in targets if (i := g.index.get(t)) is not None} - blocked
    out: list[TrustedPath] = []
    if not wanted:
        return out
    near = _Ball(g, wanted, 1, flt.mask)
    if USE_KERNELS:
        try:
            return _reach_compiled(g, src, blocked, near, max_hops, limit, flt, budget)
        finally:
            near.release()
    side = _Side(src)
    done: set[int] = set()
    vis, max_cost = flt.visible, flt.max_cost
    allow, spent = budget.allowance() if budget else UNLIMITED, 0
    while len(out) < limit and (popped := side.pop()) is not None:
        spent += 1
        _over(budget, spent, allow)
        c, h, u = popped
        if u in wanted and u not in done:
            done.add(u)
            out.append(_make_path(g, side.trace(u, h)[::-1]))
        if h == max_hops:
            continue
        row_n, row_c, row_m = near.row(g, u, max_hops - h - 1)
        for j, ec in enumerate(row_c):
            if ec > max_cost:
                break
            w = row_n[j]
            if w in blocked or (vis is not None and not vis[row_m[j]]):
                continue
            side.relax(w, h + 1, c + ec, u, h)
    if budget is not None:
        budget.charge(spent)
    return out


def _reach_compiled(
    g: TrustGraph,
    src: list[int],
    blocked: frozenset[int] | set[int],
    near: _Ball,
    max_hops: int,
    limit: int,
    flt: _Filter,
    budget: Budget | None,
) -> list[TrustedPath]:
    from graph import kernels

    allow = budget.allowance() if budget else UNLIMITED
    vis = g.visible_array(flt.mask)
    status, spent, _nodes, _hops, trace, offsets = kernels.reach_search(
        _scratch(len(g.ptr) - 1),
        g.ptr,
        g.nbr,
        g.byid,
        g.cost,
        g.mid,
        _ALL_VISIBLE if vis is None else vis,
        vis is not None,
        np.asarray(src, dtype=np.int64),
        np.fromiter(blocked, dtype=np.int64, count=len(blocked)),
        near.dist,
        near.radius,
        *near.sorted_nodes(),
        max_hops,
        flt.max_cost,
        limit,
        allow,
    )
    if status == kernels.OVER_BUDGET:  # as _over: raised before the budget is charged
        raise QueryTooExpensive(budget.total if budget else UNLIMITED)
    if budget is not None:
        budget.charge(spent)
    flat, off = trace.tolist(), offsets.tolist()
    return [_make_path(g, flat[off[i] : off[i + 1]][::-1]) for i in range(len(off) - 1)]
