"""Compiled search kernels over the planning graph's flat arrays (numba).

The exact hop-bounded bidirectional search of :func:`graph.algorithms._best`
runs here, step for step as the Python version it replaced did (same heap keys,
same side choice, same label order), so answers, including which of several
equally good paths is returned, do not change. Compiled once per machine and
cached beside this file; the kernel releases the GIL, so searches in worker
threads run in parallel.

Labels live in per-call arrays: a node gets a slot on its first label, and a
slot holds one cost per hop count (``MAX_HOPS + 1``) plus the order in which
its hop counts were first labelled (pairing scans them in that order).
"""

from __future__ import annotations

import heapq
import math
import threading
from typing import Any

import numba
import numpy as np

from graph.model import MAX_HOPS

H1 = MAX_HOPS + 1
OK, OVER_BUDGET = 0, 1


@numba.njit(cache=True, nogil=True)
def _slot(
    slots: Any, owner: Any, n_used: Any, lab: Any, par: Any, order: Any, count: Any, node: int
) -> Any:
    s = slots[node]
    if s >= 0:
        return s, lab, par, order, count, owner
    s = n_used[0]
    if s == len(owner):  # grow every per-slot array by doubling
        cap = 2 * len(owner)
        lab2 = np.full(cap * H1, np.inf)
        lab2[: len(lab)] = lab
        par2 = np.full(cap * H1, -1, dtype=np.int64)
        par2[: len(par)] = par
        order2 = np.zeros(cap * H1, dtype=np.int8)
        order2[: len(order)] = order
        count2 = np.zeros(cap, dtype=np.int8)
        count2[: len(count)] = count
        owner2 = np.zeros(cap, dtype=np.int64)
        owner2[: len(owner)] = owner
        lab, par, order, count, owner = lab2, par2, order2, count2, owner2
    slots[node] = s
    owner[s] = node
    n_used[0] = s + 1
    return s, lab, par, order, count, owner


@numba.njit(cache=True, nogil=True)
def _edges_of(ptr: Any, nodes: Any, lo: int, hi: int) -> int:
    """How many row entries ``nodes[lo:hi]`` have (a layer's cost to expand)."""
    total = 0
    for k in range(lo, hi):
        total += ptr[nodes[k] + 1] - ptr[nodes[k]]
    return total


@numba.njit(cache=True, nogil=True)
def _pushed(nodes: Any, count: int, w: int) -> Any:
    """``nodes`` with ``w`` at ``count`` (a new array of twice the room when full)."""
    if count == len(nodes):
        bigger = np.empty(2 * len(nodes), dtype=np.int64)
        bigger[:count] = nodes[:count]
        nodes = bigger
    nodes[count] = w
    return nodes


@numba.njit(cache=True, nogil=True)
def ball(
    ptr: Any,
    nbr: Any,
    mid: Any,
    visible: Any,
    use_visible: bool,
    starts: Any,
    radius: int,
    budget: int,
    dist: Any,
) -> Any:
    """Breadth-first layers from ``starts`` over visible edges, up to ``radius``:
    (hop distance per node, 127 beyond; the nodes nearest layer first; how many
    lie within r hops). A layer whose frontier rows hold more than ``budget``
    edges is not built. ``dist`` arrives all 127 (at least a node's worth per
    node) and is filled in: reset ``dist[nodes]`` to reuse it."""
    nodes = np.empty(max(1024, 2 * len(starts)), dtype=np.int64)
    count = 0
    for s in starts:
        if dist[s] != 0:
            dist[s] = 0
            nodes[count] = s
            count += 1
    off = [count]
    lo = 0
    while len(off) <= radius:
        if _edges_of(ptr, nodes, lo, count) > budget:
            break
        layer = len(off)
        hi = count
        for k in range(lo, hi):
            u = nodes[k]
            for e in range(ptr[u], ptr[u + 1]):
                if use_visible and not visible[mid[e]]:
                    continue
                w = nbr[e]
                if dist[w] == 127:
                    dist[w] = layer
                    nodes = _pushed(nodes, count, w)
                    count += 1
        lo = hi
        off.append(count)
    return dist, nodes[:count].copy(), np.array(off, dtype=np.int64)


@numba.njit(cache=True, nogil=True)
def meets_ball(
    ptr: Any,
    nbr: Any,
    mid: Any,
    visible: Any,
    use_visible: bool,
    target: int,
    radius: int,
    budget: int,
    dist: Any,
    src_dist: Any,
    src_radius: int,
    max_hops: int,
) -> bool:
    """Whether the layers of :func:`ball` around ``target`` (same radius, same
    ``budget`` rule) meet the sources' ball, ``src_dist`` (hops up to
    ``src_radius``), within ``max_hops`` in all: some node within ``L`` hops of the
    target and ``max_hops - L`` of a source. Stops at the first such node, which on
    a reachable target is usually among its first neighbours; True also when the
    layers built cannot rule a meeting out (``src_radius`` + built radius below
    ``max_hops``). ``dist`` arrives all 127 and leaves so."""
    if src_dist[target] <= max_hops:
        return True
    nodes = np.empty(1024, dtype=np.int64)
    nodes[0] = target
    dist[target] = 0
    count = 1
    lo = 0
    built = 0
    met = False
    while built < radius and not met:
        if _edges_of(ptr, nodes, lo, count) > budget:
            break
        layer = built + 1
        reach = max_hops - layer  # a source this close or closer meets it
        hi = count
        for k in range(lo, hi):
            u = nodes[k]
            for e in range(ptr[u], ptr[u + 1]):
                if use_visible and not visible[mid[e]]:
                    continue
                w = nbr[e]
                if dist[w] == 127:
                    if src_dist[w] <= reach:
                        met = True
                        break
                    dist[w] = layer
                    nodes = _pushed(nodes, count, w)
                    count += 1
            if met:
                break
        lo = hi
        built = layer
    for k in range(count):
        dist[nodes[k]] = 127
    return met or src_radius + built < max_hops


@numba.njit(cache=True, nogil=True)
def _probe(nbr: Any, byid: Any, lo: int, hi: int, near: Any, m: int) -> Any:
    """Positions in the row ``lo:hi`` of the edges to ``near[:m]``, ascending
    (so cheapest first), by binary search in the row's id order."""
    out = np.empty(m, dtype=np.int64)
    k = 0
    for i in range(m):
        x = near[i]
        a, b = 0, hi - lo
        while a < b:
            c = (a + b) >> 1
            if nbr[lo + byid[lo + c]] < x:
                a = c + 1
            else:
                b = c
        if a < hi - lo and nbr[lo + byid[lo + a]] == x:
            out[k] = lo + byid[lo + a]
            k += 1
    found = out[:k]
    found.sort()
    return found


@numba.njit(cache=True, nogil=True)
def _search(  # noqa: PLR0912, PLR0915 - one frame: calls cost time here
    scratch: Any,
    ptr: Any,
    nbr: Any,
    byid: Any,
    cost: Any,
    mid: Any,
    first_cost: Any,
    visible: Any,
    use_visible: bool,
    sources: Any,
    target: int,
    max_hops: int,
    max_cost: float,
    blocked: Any,
    banned_edges: Any,
    src_dist: Any,
    src_radius: int,
    src_nodes: Any,
    src_off: Any,
    tgt_dist: Any,
    tgt_radius: int,
    tgt_nodes: Any,
    tgt_off: Any,
    allowance: int,
) -> Any:
    """The search of :func:`best_path`, leaving ``scratch`` to be cleaned.

    ``blocked`` holds avoided
    and banned nodes; ``banned_edges`` is (k, 2), forward direction. A ball's
    ``nodes`` are sorted by hop distance, ``off[r]`` of them within ``r`` hops;
    ``byid`` orders each row by neighbour id, so a long row can be probed for the
    few ball members instead of scanned (same edges, same order)."""
    slots_f, slots_b, besth_f, besth_b, is_src, is_blocked = scratch
    for s in sources:
        is_src[s] = True
    for b in blocked:
        is_blocked[b] = True
    cap = 64  # grows by doubling: a small search allocates little
    # Two sides (0 forward, 1 backward): slot maps and per-slot label arrays.
    used_f = np.zeros(1, dtype=np.int64)
    used_b = np.zeros(1, dtype=np.int64)
    lab_f = np.full(cap * H1, np.inf)
    lab_b = np.full(cap * H1, np.inf)
    par_f = np.full(cap * H1, -1, dtype=np.int64)
    par_b = np.full(cap * H1, -1, dtype=np.int64)
    ord_f = np.zeros(cap * H1, dtype=np.int8)
    ord_b = np.zeros(cap * H1, dtype=np.int8)
    cnt_f = np.zeros(cap, dtype=np.int8)
    cnt_b = np.zeros(cap, dtype=np.int8)
    own_f = np.zeros(cap, dtype=np.int64)
    own_b = np.zeros(cap, dtype=np.int64)
    heap_f: list[Any] = [(0.0, 0, 0)]
    heap_f.pop()
    heap_b: list[Any] = [(0.0, 0, 0)]
    heap_b.pop()
    for s in sources:
        k, lab_f, par_f, ord_f, cnt_f, own_f = _slot(
            slots_f, own_f, used_f, lab_f, par_f, ord_f, cnt_f, s
        )
        lab_f[k * H1] = 0.0
        ord_f[k * H1] = 0
        cnt_f[k] = 1
        heap_f.append((0.0, 0, np.int64(s)))
    heapq.heapify(heap_f)
    k, lab_b, par_b, ord_b, cnt_b, own_b = _slot(
        slots_b, own_b, used_b, lab_b, par_b, ord_b, cnt_b, target
    )
    lab_b[k * H1] = 0.0
    cnt_b[k] = 1
    heap_b.append((0.0, 0, np.int64(target)))
    mu = np.inf
    meet_node: Any = -1
    meet_hf: Any = 0
    meet_hb: Any = 0
    spent = 0
    n_banned = banned_edges.shape[0]
    while len(heap_f) > 0 or len(heap_b) > 0:
        top_f = heap_f[0][0] if len(heap_f) > 0 else 0.0
        top_b = heap_b[0][0] if len(heap_b) > 0 else 0.0
        if top_f + top_b >= mu:
            break
        forward = len(heap_f) > 0 and (len(heap_b) == 0 or len(heap_f) <= len(heap_b))
        # pop the cheapest live label of the chosen side
        found = False
        c, h, u = 0.0, 0, 0
        if forward:
            while len(heap_f) > 0:
                c, h, u = heapq.heappop(heap_f)
                sl = slots_f[u]
                if lab_f[sl * H1 + h] < c or besth_f[u] <= h:
                    continue
                besth_f[u] = h
                found = True
                break
        else:
            while len(heap_b) > 0:
                c, h, u = heapq.heappop(heap_b)
                sl = slots_b[u]
                if lab_b[sl * H1 + h] < c or besth_b[u] <= h:
                    continue
                besth_b[u] = h
                found = True
                break
        if not found:
            continue
        spent += 1
        if spent > allowance:
            return OVER_BUDGET, spent, mu, np.zeros(0, dtype=np.int64), own_f, used_f, own_b, used_b
        if h == max_hops or (not forward and is_src[u]):
            continue
        hn = h + 1
        hops_left = max_hops - hn
        if forward:
            dist, radius, near, near_off = tgt_dist, tgt_radius, tgt_nodes, tgt_off
        else:
            dist, radius, near, near_off = src_dist, src_radius, src_nodes, src_off
        use_dist = hops_left <= radius
        lo, hi = ptr[u], ptr[u + 1]
        probe = use_dist and near_off[hops_left] * 24 < hi - lo
        if probe:
            cand = _probe(nbr, byid, lo, hi, near, near_off[hops_left])
            count = len(cand)
        else:
            cand = np.zeros(0, dtype=np.int64)
            count = hi - lo
        for i in range(count):
            e = cand[i] if probe else lo + i
            ec = cost[e]
            nc = c + ec
            if ec > max_cost or nc >= mu:
                break  # rows are cheapest first: nothing after this edge can help
            w = nbr[e]
            if use_dist and dist[w] > hops_left:
                continue
            if is_blocked[w] or (forward and is_src[w]):
                continue
            if use_visible and not visible[mid[e]]:
                continue
            if n_banned > 0:
                hit = False
                for b in range(n_banned):
                    if forward and banned_edges[b, 0] == u and banned_edges[b, 1] == w:
                        hit = True
                    if not forward and banned_edges[b, 0] == w and banned_edges[b, 1] == u:
                        hit = True
                if hit:
                    continue
            if nc + first_cost[w] >= mu and w != target and not is_src[w]:
                continue
            # relax: keep the label unless one with no more hops is as cheap
            if forward:
                sl = slots_f[w]
                if sl < 0:  # first label of w on this side (the call is off the hot path)
                    sl, lab_f, par_f, ord_f, cnt_f, own_f = _slot(
                        slots_f, own_f, used_f, lab_f, par_f, ord_f, cnt_f, w
                    )
                lab, par, lord, lcnt = lab_f, par_f, ord_f, cnt_f
            else:
                sl = slots_b[w]
                if sl < 0:
                    sl, lab_b, par_b, ord_b, cnt_b, own_b = _slot(
                        slots_b, own_b, used_b, lab_b, par_b, ord_b, cnt_b, w
                    )
                lab, par, lord, lcnt = lab_b, par_b, ord_b, cnt_b
            base = sl * H1
            dominated = False
            for hh in range(hn + 1):
                if lab[base + hh] <= nc:
                    dominated = True
                    break
            if dominated:
                continue
            if lab[base + hn] == np.inf:
                lord[base + lcnt[sl]] = hn
                lcnt[sl] += 1
            lab[base + hn] = nc
            par[base + hn] = (np.int64(u) << 3) | h
            if forward:
                heapq.heappush(heap_f, (nc, hn, np.int64(w)))
                osl = slots_b[w]
                olab, oord, ocnt = lab_b, ord_b, cnt_b
            else:
                heapq.heappush(heap_b, (nc, hn, np.int64(w)))
                osl = slots_f[w]
                olab, oord, ocnt = lab_f, ord_f, cnt_f
            if osl >= 0:
                obase = osl * H1
                for q in range(ocnt[osl]):
                    ho = np.int64(oord[obase + q])
                    co = olab[obase + ho]
                    if hn + ho <= max_hops and nc + co < mu:
                        mu = nc + co
                        if forward:
                            meet_node, meet_hf, meet_hb = w, hn, ho
                        else:
                            meet_node, meet_hf, meet_hb = w, ho, hn
    if meet_node < 0:
        return OK, spent, mu, np.zeros(0, dtype=np.int64), own_f, used_f, own_b, used_b
    # trace: forward half reversed, then the backward half without the meeting node
    fwd: list[Any] = [np.int64(meet_node)]
    key = par_f[slots_f[meet_node] * H1 + meet_hf]
    while key >= 0:
        node = key >> 3
        fwd.append(node)
        key = par_f[slots_f[node] * H1 + (key & 7)]
    bwd: list[Any] = [np.int64(0)]
    bwd.pop()
    key = par_b[slots_b[meet_node] * H1 + meet_hb]
    while key >= 0:
        node = key >> 3
        bwd.append(node)
        key = par_b[slots_b[node] * H1 + (key & 7)]
    out = np.empty(len(fwd) + len(bwd), dtype=np.int64)
    for i in range(len(fwd)):
        out[i] = fwd[len(fwd) - 1 - i]
    for i in range(len(bwd)):
        out[len(fwd) + i] = bwd[i]
    return OK, spent, mu, out, own_f, used_f, own_b, used_b


@numba.njit(cache=True, nogil=True)
def best_path(scratch: Any, *args: Any) -> Any:
    """(status, pops, mu, path as node ints from a source to the target); an
    empty path when there is none within the limit. ``scratch`` holds six
    arrays the size of the graph (:func:`new_scratch`), clean on entry and left
    clean on return: only the entries this search touched are reset, so a
    search costs nothing per person in the graph."""
    status, spent, mu, path, own_f, used_f, own_b, used_b = _search(scratch, *args)
    slots_f, slots_b, besth_f, besth_b, is_src, is_blocked = scratch
    for k in range(used_f[0]):
        slots_f[own_f[k]] = -1
        besth_f[own_f[k]] = 127
    for k in range(used_b[0]):
        slots_b[own_b[k]] = -1
        besth_b[own_b[k]] = 127
    is_src[args[8]] = False  # sources
    is_blocked[args[12]] = False  # blocked
    return status, spent, mu, path


def new_scratch(n: int) -> tuple[Any, ...]:
    """Clean per-thread work arrays for :func:`best_path` on a graph of ``n`` nodes."""
    return (
        np.full(n, -1, dtype=np.int32),
        np.full(n, -1, dtype=np.int32),
        np.full(n, 127, dtype=np.int8),
        np.full(n, 127, dtype=np.int8),
        np.zeros(n, dtype=np.bool_),
        np.zeros(n, dtype=np.bool_),
    )


_warm = False
SMALL_ROW = 24  # rows up to this long are sorted in place (no allocation per row)
_warming = threading.Lock()


def warm_soon() -> None:
    """Start :func:`warm` in a thread and return: a start loading a snapshot meanwhile
    hashes and maps its files (the GIL released), so the two overlap on a second core
    (~0.5 s of numba's first load off a cold start). :func:`warm` waits for it."""
    if not _warm:
        threading.Thread(target=warm, name="warm-kernels", daemon=True).start()


def warm() -> None:
    """Load the compiled kernels now (~0.1-0.2 s from the on-disk cache, longer on a
    first compile), holding the GIL: graph builds call this so the first query,
    possibly on a server's worker thread, does not stall the event loop."""
    with _warming:
        _warm_locked()


def _warm_locked() -> None:
    global _warm  # noqa: PLW0603 - once per process
    if _warm:
        return
    ptr = np.array([0, 1, 2], dtype=np.int64)
    nbr = np.array([1, 0], dtype=np.int32)
    cost = np.array([0.5, 0.5])
    ball_ = np.zeros(1, dtype=np.int64)
    best_path(
        new_scratch(2),
        ptr,
        nbr,
        np.zeros(2, dtype=np.int32),
        cost,
        np.zeros(2, dtype=np.int32),
        cost,
        np.ones(1, dtype=bool),
        False,
        np.zeros(1, dtype=np.int64),
        1,
        2,
        np.inf,
        np.zeros(0, dtype=np.int64),
        np.zeros((0, 2), dtype=np.int64),
        np.zeros(2, dtype=np.int8),
        0,
        ball_,
        np.ones(1, dtype=np.int64),
        np.zeros(2, dtype=np.int8),
        0,
        ball_ + 1,
        np.ones(1, dtype=np.int64),
        1 << 62,
    )
    # The store's re-layout after a write (graph.trustgraph), so a first patch in a
    # worker thread does not load them while holding the GIL.
    layout(np.zeros(1, np.int64), np.ones(1, np.int64), cost[:1], np.zeros(1, np.int32), 2)
    two = np.array([2], dtype=np.int64)
    colleague_pairs(
        ptr[:2],
        ptr[:2] * 0,
        two * 0,
        two,
        two,
        40,
        8,
        ptr[:0],
        np.arange(3, dtype=np.int64),
        np.zeros(2, np.int32),
        np.ones(2, np.uint64),
    )
    component_labels(ptr, nbr)
    one = np.zeros(1, dtype=np.int64)
    node_best_masks(
        one, one + 1, cost[:1], nbr[1:], np.ones(1, dtype=np.bool_), np.zeros((1, 1), np.uint64), 2
    )
    pair_ands(
        np.arange(3, dtype=np.int64), np.zeros(2, np.int32), np.ones(2, np.uint64), one, one, 1
    )
    ball(
        ptr,
        nbr,
        np.zeros(2, dtype=np.int32),
        np.ones(1, dtype=bool),
        False,
        ball_,
        2,
        10,
        np.full(2, 127, dtype=np.int8),
    )
    meets_ball(
        ptr,
        nbr,
        np.zeros(2, dtype=np.int32),
        np.ones(1, dtype=bool),
        False,
        1,
        2,
        10,
        np.full(2, 127, dtype=np.int8),
        np.full(2, 127, dtype=np.int8),
        1,
        3,
    )
    first_hop_search(
        new_scratch(2),
        ptr,
        nbr,
        cost,
        np.zeros(2, dtype=np.int32),
        np.ones(1, dtype=bool),
        False,
        ball_,
        1,
        2,
        np.inf,
        np.zeros(0, dtype=np.int64),
        np.zeros(2, dtype=np.int8),
        0,
        3,
        True,
        1 << 62,
        ball_,
        np.zeros(1),
        0.0,
    )
    reach_search(
        new_scratch(2),
        ptr,
        nbr,
        np.zeros(2, dtype=np.int32),
        cost,
        np.zeros(2, dtype=np.int32),
        np.ones(1, dtype=bool),
        False,
        ball_,
        np.zeros(0, dtype=np.int64),
        np.zeros(2, dtype=np.int8),
        0,
        ball_ + 1,
        np.ones(1, dtype=np.int64),
        2,
        np.inf,
        1,
        1 << 62,
    )
    within_hops(
        new_scratch(2),
        ptr,
        nbr,
        np.zeros(2, dtype=np.int32),
        np.ones(1, dtype=bool),
        False,
        ball_,
        1,
        2,
    )
    path_strengths(ptr, nbr, np.zeros(2, dtype=np.int32), cost, np.array([0, 1]))
    _warm = True


@numba.njit(cache=True, nogil=True)
def first_hop_search(  # noqa: PLR0912, PLR0915 - one frame: calls cost time here
    scratch: Any,
    ptr: Any,
    nbr: Any,
    cost: Any,
    mid: Any,
    visible: Any,
    use_visible: bool,
    sources: Any,
    target: int,
    max_hops: int,
    max_cost: float,
    blocked: Any,
    src_dist: Any,
    src_radius: int,
    k: int,
    include_target: bool,
    allowance: int,
    pen_nodes: Any,
    pen_log: Any,
    slack: float,
) -> Any:
    """The search of :func:`graph.algorithms._via_first_hops`: (status, pops, found
    first hops, their score costs, their hops, the source each is reached from,
    traces from each back to the target as one flat array with offsets). Same
    steps as the Python loop; ``scratch`` is left clean.

    The penalty depends only on the first hop, so it arrives precomputed:
    ``pen_log[i]`` is ``ln`` of the multiplier of ``pen_nodes[i]`` (everyone else
    1x), subtracted from a score cost as the Python loop does; ``slack`` is the
    most any multiplier lowers a score cost (0 without a penalty), which the
    stopping bounds allow for."""
    slots_f, slots_b, _besth_f, besth_b, is_src, is_blocked = scratch
    for s in sources:
        is_src[s] = True
    for b in blocked:
        is_blocked[b] = True
    # First hops: slots_f[n] indexes fc (cheapest first-edge cost) and fv (via which source).
    fc = np.empty(16, dtype=np.float64)
    fv = np.empty(16, dtype=np.int64)
    fn = np.empty(16, dtype=np.int64)
    nf = 0
    for s in sources:
        for e in range(ptr[s], ptr[s + 1]):
            c = cost[e]
            if c > max_cost:
                break
            n = nbr[e]
            if is_src[n] or is_blocked[n]:
                continue
            if use_visible and not visible[mid[e]]:
                continue
            q = slots_f[n]
            if q < 0:
                if nf == len(fc):
                    fc2 = np.empty(2 * nf, dtype=np.float64)
                    fc2[:nf] = fc
                    fv2 = np.empty(2 * nf, dtype=np.int64)
                    fv2[:nf] = fv
                    fn2 = np.empty(2 * nf, dtype=np.int64)
                    fn2[:nf] = fn
                    fc, fv, fn = fc2, fv2, fn2
                slots_f[n] = nf
                fc[nf] = c
                fv[nf] = s
                fn[nf] = n
                nf += 1
            elif c < fc[q]:
                fc[q] = c
                fv[q] = s
    fa = np.zeros(nf, dtype=np.float64)  # ln multiplier per first hop
    for i in range(len(pen_nodes)):
        q = slots_f[pen_nodes[i]]
        if q >= 0:
            fa[q] = pen_log[i]
    status = OK
    spent = 0
    found_n = [np.int64(0)]
    found_n.pop()
    found_s = [0.0]
    found_s.pop()
    found_h = [np.int64(0)]
    found_h.pop()
    used_b = np.zeros(1, dtype=np.int64)
    cap = 64  # grows by doubling: a small search allocates little
    lab_b = np.full(cap * H1, np.inf)
    par_b = np.full(cap * H1, -1, dtype=np.int64)
    ord_b = np.zeros(cap * H1, dtype=np.int8)
    cnt_b = np.zeros(cap, dtype=np.int8)
    own_b = np.zeros(cap, dtype=np.int64)
    if nf > 0:
        min_first = np.inf
        for q in range(nf):
            min_first = min(min_first, fc[q])
        done = np.zeros(nf, dtype=np.bool_)
        best: list[float] = [0.0]  # max-heap of the k best score costs, negated
        best.pop()
        kth = np.inf
        limit = max_hops - 1
        heap: list[Any] = [(0.0, 0, np.int64(target))]
        sl, lab_b, par_b, ord_b, cnt_b, own_b = _slot(
            slots_b, own_b, used_b, lab_b, par_b, ord_b, cnt_b, target
        )
        lab_b[sl * H1] = 0.0
        cnt_b[sl] = 1
        while len(heap) > 0:
            c, h, u = heapq.heappop(heap)
            sl = slots_b[u]
            if lab_b[sl * H1 + h] < c or besth_b[u] <= h:
                continue
            besth_b[u] = h
            spent += 1
            if spent > allowance:
                status = OVER_BUDGET
                break
            if c + min_first - slack >= kth:
                break
            q = slots_f[u]
            if q >= 0 and not done[q] and (include_target or u != target):
                done[q] = True
                score = c + fc[q] - fa[q]
                found_n.append(np.int64(u))
                found_s.append(score)
                found_h.append(np.int64(h))
                heapq.heappush(best, -score)
                if len(best) > k:
                    heapq.heappop(best)
                if len(best) == k:
                    kth = -best[0]
            if h == limit:
                continue
            hops_left = max_hops - h - 1
            use_dist = hops_left <= src_radius
            for e in range(ptr[u], ptr[u + 1]):
                ec = cost[e]
                if ec > max_cost or c + ec + min_first - slack >= kth:
                    break
                w = nbr[e]
                if use_dist and src_dist[w] > hops_left:
                    continue
                if is_blocked[w] or is_src[w]:
                    continue
                if use_visible and not visible[mid[e]]:
                    continue
                hn = h + 1
                nc = c + ec
                sl = slots_b[w]
                if sl < 0:
                    sl, lab_b, par_b, ord_b, cnt_b, own_b = _slot(
                        slots_b, own_b, used_b, lab_b, par_b, ord_b, cnt_b, w
                    )
                base = sl * H1
                dominated = False
                for hh in range(hn + 1):
                    if lab_b[base + hh] <= nc:
                        dominated = True
                        break
                if dominated:
                    continue
                lab_b[base + hn] = nc
                par_b[base + hn] = (np.int64(u) << 3) | h
                heapq.heappush(heap, (nc, hn, np.int64(w)))
    # traces: each found first hop back to the target
    m = len(found_n)
    vias = np.empty(m, dtype=np.int64)
    offsets = np.zeros(m + 1, dtype=np.int64)
    trace = [np.int64(0)]
    trace.pop()
    for i in range(m):
        node = found_n[i]
        vias[i] = fv[slots_f[node]]
        trace.append(node)
        key = par_b[slots_b[node] * H1 + found_h[i]]
        while key >= 0:
            trace.append(key >> 3)
            key = par_b[slots_b[key >> 3] * H1 + (key & 7)]
        offsets[i + 1] = len(trace)
    # clean the scratch for the next search on this thread
    for q in range(nf):
        slots_f[fn[q]] = -1
    for q in range(used_b[0]):
        slots_b[own_b[q]] = -1
        besth_b[own_b[q]] = 127
    for s in sources:
        is_src[s] = False
    for b in blocked:
        is_blocked[b] = False
    out_n = np.empty(m, dtype=np.int64)
    out_s = np.empty(m, dtype=np.float64)
    out_h = np.empty(m, dtype=np.int64)
    for i in range(m):
        out_n[i] = found_n[i]
        out_s[i] = found_s[i]
        out_h[i] = found_h[i]
    out_t = np.empty(len(trace), dtype=np.int64)
    for i in range(len(trace)):
        out_t[i] = trace[i]
    return status, spent, out_n, out_s, out_h, vias, out_t, offsets


@numba.njit(cache=True, nogil=True)
def reach_search(  # noqa: PLR0912, PLR0915 - one frame: calls cost time here
    scratch: Any,
    ptr: Any,
    nbr: Any,
    byid: Any,
    cost: Any,
    mid: Any,
    visible: Any,
    use_visible: bool,
    sources: Any,
    blocked: Any,
    near_dist: Any,
    near_radius: int,
    near_nodes: Any,
    near_off: Any,
    max_hops: int,
    max_cost: float,
    limit: int,
    allowance: int,
) -> Any:
    """The search of :func:`graph.algorithms.reach`: (status, pops, the targets in
    the order they were settled, their hops, traces from each back to its source
    as one flat array with offsets).

    One label-setting search from all sources; a target is a node at distance 0
    of the ball ``near_*`` built around the targets (so the targets are its
    start set), listed when first settled; it stops once ``limit`` are listed.
    Rows are cut to the ball's members when the hops left allow no further, and
    a long row is probed for them (same edges, same order). Same steps as the
    Python loop; ``scratch`` is left clean."""
    slots_f, _slots_b, besth_f, _besth_b, is_src, is_blocked = scratch
    for s in sources:
        is_src[s] = True
    for b in blocked:
        is_blocked[b] = True
    used = np.zeros(1, dtype=np.int64)
    cap = 64  # grows by doubling: a small search allocates little
    lab = np.full(cap * H1, np.inf)
    par = np.full(cap * H1, -1, dtype=np.int64)
    lord = np.zeros(cap * H1, dtype=np.int8)
    lcnt = np.zeros(cap, dtype=np.int8)
    own = np.zeros(cap, dtype=np.int64)
    heap: list[Any] = [(0.0, 0, 0)]
    heap.pop()
    for s in sources:
        sl, lab, par, lord, lcnt, own = _slot(slots_f, own, used, lab, par, lord, lcnt, s)
        lab[sl * H1] = 0.0
        lcnt[sl] = 1
        heap.append((0.0, 0, np.int64(s)))
    heapq.heapify(heap)
    found_n = [np.int64(0)]
    found_n.pop()
    found_h = [np.int64(0)]
    found_h.pop()
    status = OK
    spent = 0
    while len(found_n) < limit and len(heap) > 0:
        c, h, u = heapq.heappop(heap)
        sl = slots_f[u]
        if lab[sl * H1 + h] < c or besth_f[u] <= h:
            continue
        first_settle = besth_f[u] == 127
        besth_f[u] = h
        spent += 1
        if spent > allowance:
            status = OVER_BUDGET
            break
        if first_settle and near_dist[u] == 0:
            found_n.append(np.int64(u))
            found_h.append(np.int64(h))
        if h == max_hops:
            continue
        hops_left = max_hops - h - 1
        use_dist = hops_left <= near_radius
        lo, hi = ptr[u], ptr[u + 1]
        probe = use_dist and near_off[hops_left] * 24 < hi - lo
        if probe:
            cand = _probe(nbr, byid, lo, hi, near_nodes, near_off[hops_left])
            count = len(cand)
        else:
            cand = np.zeros(0, dtype=np.int64)
            count = hi - lo
        hn = h + 1
        for i in range(count):
            e = cand[i] if probe else lo + i
            ec = cost[e]
            if ec > max_cost:
                break
            w = nbr[e]
            if use_dist and near_dist[w] > hops_left:
                continue
            if is_blocked[w] or is_src[w]:
                continue
            if use_visible and not visible[mid[e]]:
                continue
            nc = c + ec
            sl = slots_f[w]
            if sl < 0:
                sl, lab, par, lord, lcnt, own = _slot(slots_f, own, used, lab, par, lord, lcnt, w)
            base = sl * H1
            dominated = False
            for hh in range(hn + 1):
                if lab[base + hh] <= nc:
                    dominated = True
                    break
            if dominated:
                continue
            lab[base + hn] = nc
            par[base + hn] = (np.int64(u) << 3) | h
            heapq.heappush(heap, (nc, hn, np.int64(w)))
    # traces: each listed target back to its source (settled labels never change)
    m = len(found_n)
    offsets = np.zeros(m + 1, dtype=np.int64)
    trace = [np.int64(0)]
    trace.pop()
    for i in range(m):
        node = found_n[i]
        trace.append(node)
        key = par[slots_f[node] * H1 + found_h[i]]
        while key >= 0:
            trace.append(key >> 3)
            key = par[slots_f[key >> 3] * H1 + (key & 7)]
        offsets[i + 1] = len(trace)
    for q in range(used[0]):
        slots_f[own[q]] = -1
        besth_f[own[q]] = 127
    for s in sources:
        is_src[s] = False
    for b in blocked:
        is_blocked[b] = False
    out_n = np.empty(m, dtype=np.int64)
    out_h = np.empty(m, dtype=np.int64)
    for i in range(m):
        out_n[i] = found_n[i]
        out_h[i] = found_h[i]
    out_t = np.empty(len(trace), dtype=np.int64)
    for i in range(len(trace)):
        out_t[i] = trace[i]
    return status, spent, out_n, out_h, out_t, offsets


@numba.njit(cache=True, nogil=True)
def within_hops(  # noqa: PLR0912, PLR0915 - one frame: calls cost time here
    scratch: Any,
    ptr: Any,
    nbr: Any,
    mid: Any,
    visible: Any,
    use_visible: bool,
    sources: Any,
    target: int,
    max_hops: int,
) -> bool:
    """Is ``target`` within ``max_hops`` (negative: any number) of a source over
    visible edges? Breadth-first from both ends, growing the side whose next
    layer reads fewer edges; ``scratch`` is left clean."""
    _slots_f, _slots_b, seen_s, seen_t, _is_src, _is_blocked = scratch
    touched = [np.int64(target)]
    seen_t[target] = 0
    found = False
    front_s = np.empty(len(sources), dtype=np.int64)
    k = 0
    for s in sources:
        if s == target:
            found = True
        if seen_s[s] != 0:
            seen_s[s] = 0
            touched.append(np.int64(s))
            front_s[k] = s
            k += 1
    front_s = front_s[:k]
    front_t = np.array([target], dtype=np.int64)
    hops = 0
    while not found and (max_hops < 0 or hops < max_hops):
        len_s = 0
        for u in front_s:
            len_s += ptr[u + 1] - ptr[u]
        len_t = 0
        for u in front_t:
            len_t += ptr[u + 1] - ptr[u]
        grow_s = len_s <= len_t
        seen, other, front = (seen_s, seen_t, front_s) if grow_s else (seen_t, seen_s, front_t)
        nxt = [np.int64(0)]
        nxt.pop()
        for u in front:
            for e in range(ptr[u], ptr[u + 1]):
                if use_visible and not visible[mid[e]]:
                    continue
                w = nbr[e]
                if seen[w] == 0:
                    continue
                if other[w] == 0:
                    found = True
                    break
                seen[w] = 0
                if other[w] == 127:  # first time either side sees w
                    touched.append(np.int64(w))
                nxt.append(np.int64(w))
            if found:
                break
        if found or len(nxt) == 0:
            break
        arr = np.empty(len(nxt), dtype=np.int64)
        for i in range(len(nxt)):
            arr[i] = nxt[i]
        if grow_s:
            front_s = arr
        else:
            front_t = arr
        hops += 1
    for w in touched:
        seen_s[w] = 127
        seen_t[w] = 127
    return found


@numba.njit(cache=True, nogil=True)
def path_strengths(ptr: Any, nbr: Any, byid: Any, strength: Any, path: Any) -> Any:
    """The strength of each edge along ``path`` (a binary search in each row's
    neighbour-id order); NaN where two consecutive nodes are not tied."""
    out = np.full(max(len(path) - 1, 0), np.nan)
    for i in range(len(path) - 1):
        u, x = path[i], path[i + 1]
        lo, hi = ptr[u], ptr[u + 1]
        a, b = 0, hi - lo
        while a < b:
            c = (a + b) >> 1
            if nbr[lo + byid[lo + c]] < x:
                a = c + 1
            else:
                b = c
        if a < hi - lo and nbr[lo + byid[lo + a]] == x:
            out[i] = strength[lo + byid[lo + a]]
    return out


@numba.njit(cache=True, nogil=True)
def component_labels(ptr: Any, nbr: Any) -> Any:
    """Each node's connected-component label: the smallest node int in its component
    (union-find with path halving; the root of a set is always its smallest member).

    >>> component_labels(np.array([0, 1, 2, 2, 2]), np.array([1, 0], dtype=np.int32)).tolist()
    [0, 0, 2, 3]
    """
    n = len(ptr) - 1
    parent = np.arange(n, dtype=np.int64)
    for u in range(n):
        for k in range(ptr[u], ptr[u + 1]):
            a = u
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            b = np.int64(nbr[k])
            while parent[b] != b:
                parent[b] = parent[parent[b]]
                b = parent[b]
            if a < b:
                parent[b] = a
            elif b < a:
                parent[a] = b
    for u in range(n):  # roots precede their members: one pass settles every label
        parent[u] = parent[parent[u]]
    return parent


@numba.njit(cache=True, nogil=True)
def layout(a: Any, b: Any, strength: Any, mid: Any, n: int) -> Any:
    """CSR rows of the distinct ties ``a[k]``-``b[k]``: each row strongest first, then the
    larger mask id, then by ``k``; with each entry's cost (``-log`` strength, exactly as
    ``math.log`` gives it), each row's entries in neighbour order, and each row's first
    cost. One pass of compiled code that holds no GIL: a store re-lays a million ties
    in a worker thread while questions keep running.

    >>> ptr, nbr, st, cost, mid, byid, first = layout(np.array([0, 1]), np.array([1, 2]),
    ...     np.array([0.5, 0.9]), np.array([0, 1], dtype=np.int32), 3)
    >>> ptr.tolist(), nbr.tolist(), st.tolist(), byid.tolist()
    ([0, 1, 3, 4], [1, 2, 0, 1], [0.5, 0.9, 0.5, 0.9], [0, 1, 0, 0])
    >>> bool(cost[1] == -math.log(0.9)), first.tolist() == [cost[0], cost[1], cost[3]]
    (True, True)
    """
    ptr = np.zeros(n + 1, dtype=np.int64)
    for k in range(len(a)):
        ptr[a[k] + 1] += 1
        ptr[b[k] + 1] += 1
    for i in range(n):
        ptr[i + 1] += ptr[i]
    m = 2 * len(a)
    nbr = np.empty(m, dtype=np.int32)
    st = np.empty(m, dtype=np.float64)
    cost = np.empty(m, dtype=np.float64)
    mids = np.empty(m, dtype=np.int32)
    fill = ptr[:-1].copy()
    for k in range(len(a)):  # rows in tie order (a counting sort, stable)
        c = -math.log(strength[k])
        for x, y in ((a[k], b[k]), (b[k], a[k])):
            p = fill[x]
            fill[x] += 1
            nbr[p], st[p], cost[p], mids[p] = y, strength[k], c, mid[k]
    for i in range(n):
        lo, hi = ptr[i], ptr[i + 1]
        if hi - lo <= 1:
            continue
        if hi - lo <= SMALL_ROW:  # insertion sort, stable: most rows are short
            for k in range(lo + 1, hi):
                xn, xs, xc, xm = nbr[k], st[k], cost[k], mids[k]
                j = k - 1
                while j >= lo and (st[j] < xs or (st[j] == xs and mids[j] < xm)):
                    nbr[j + 1], st[j + 1] = nbr[j], st[j]
                    cost[j + 1], mids[j + 1] = cost[j], mids[j]
                    j -= 1
                nbr[j + 1], st[j + 1], cost[j + 1], mids[j + 1] = xn, xs, xc, xm
            continue
        # Two stable sorts: by mask id, then by strength.
        seg = np.argsort(-mids[lo:hi], kind="mergesort")
        seg = seg[np.argsort(-st[lo:hi][seg], kind="mergesort")]
        nbr[lo:hi], st[lo:hi] = nbr[lo:hi][seg], st[lo:hi][seg]
        cost[lo:hi], mids[lo:hi] = cost[lo:hi][seg], mids[lo:hi][seg]
    first = np.full(n, np.inf)
    for i in range(n):
        if ptr[i + 1] > ptr[i]:
            first[i] = cost[ptr[i]]
    return ptr, nbr, st, cost, mids, by_neighbour(ptr, nbr), first


@numba.njit(cache=True, nogil=True)
def by_neighbour(ptr: Any, nbr: Any) -> Any:
    """Per row, the positions of its entries in neighbour-id order (relative to the row)."""
    out = np.empty(len(nbr), dtype=np.int32)
    for i in range(len(ptr) - 1):
        lo, hi = ptr[i], ptr[i + 1]
        if hi - lo <= SMALL_ROW:  # insertion sort of positions: most rows are short
            for k in range(hi - lo):
                x = np.int32(k)
                j = k - 1
                while j >= 0 and nbr[lo + out[lo + j]] > nbr[lo + x]:
                    out[lo + j + 1] = out[lo + j]
                    j -= 1
                out[lo + j + 1] = x
            continue
        within = np.argsort(nbr[lo:hi], kind="mergesort")
        for k in range(hi - lo):
            out[lo + k] = within[k]
    return out


@numba.njit(cache=True, nogil=True)
def node_best_masks(
    lo: Any, hi: Any, strength: Any, mid: Any, shown: Any, words: Any, n: int
) -> Any:
    """Per node, over the ties a source shows (``shown``): the strongest tie, and the
    OR of those ties' masks (``words[mid[k]]`` per tie) as its nonzero 64-bit words
    only: ``ptr`` (per node, into the next two), ``word`` (which word, ascending) and
    ``bits`` (its value).

    Sparse because a big team's masks are many words wide (66 at 4,200 members) and a
    person's OR has a few owner bits: the ``(n, W)`` array of every node's words was
    1.2 GiB at 10M ties. The ties are grouped by node first (one int per tie end),
    each node's OR is made in a scratch row, then its nonzero words are kept.

    >>> best, ptr, word, bits = node_best_masks(np.array([0]), np.array([1]),
    ...     np.array([0.5]), np.array([0]), np.array([True]),
    ...     np.array([[0, 6]], dtype=np.uint64), 3)
    >>> best.tolist(), ptr.tolist(), word.tolist(), bits.tolist()
    ([0.5, 0.5, 0.0], [0, 1, 2, 2], [1, 1], [6, 6])
    """
    best, start, tie_mask = _shown_by_node(lo, hi, strength, mid, shown, n)
    ptr = np.zeros(n + 1, dtype=np.int64)
    _node_words(words, start, tie_mask, ptr, np.empty(0, np.int32), np.empty(0, np.uint64))
    word = np.empty(ptr[n], dtype=np.int32)
    bits = np.empty(ptr[n], dtype=np.uint64)
    _node_words(words, start, tie_mask, ptr, word, bits)
    return best, ptr, word, bits


@numba.njit(cache=True, nogil=True)
def _shown_by_node(lo: Any, hi: Any, strength: Any, mid: Any, shown: Any, n: int) -> Any:
    """Per node, its strongest shown tie, and its shown ties' mask ids grouped by node
    (``start`` per node, into ``tie_mask``)."""
    best = np.zeros(n, dtype=np.float64)
    start = np.zeros(n + 1, dtype=np.int64)
    for k in range(len(lo)):
        if shown[k]:
            s = strength[k]
            best[lo[k]] = max(best[lo[k]], s)
            best[hi[k]] = max(best[hi[k]], s)
            start[lo[k] + 1] += 1
            start[hi[k] + 1] += 1
    for i in range(n):
        start[i + 1] += start[i]
    tie_mask = np.empty(start[n], dtype=np.int32)  # per node, its shown ties' mask ids
    fill = start[:n].copy()
    for k in range(len(lo)):
        if shown[k]:
            tie_mask[fill[lo[k]]] = mid[k]
            fill[lo[k]] += 1
            tie_mask[fill[hi[k]]] = mid[k]
            fill[hi[k]] += 1
    return best, start, tie_mask


@numba.njit(cache=True, nogil=True)
def _sort_few(a: Any, n: int) -> None:
    """Sort ``a[:n]`` in place (insertion sort: a node's OR has a few nonzero words)."""
    for q in range(1, n):
        x = a[q]
        r = q - 1
        while r >= 0 and a[r] > x:
            a[r + 1] = a[r]
            r -= 1
        a[r + 1] = x


@numba.njit(cache=True, nogil=True)
def _node_words(words: Any, start: Any, tie_mask: Any, ptr: Any, word: Any, bits: Any) -> None:
    """Each node's OR of its ties' masks, in a scratch row: with ``word`` empty, counts
    its nonzero words into ``ptr`` (``ptr[i + 1] - ptr[i]``); else writes them (word
    ascending) and their values into ``word`` and ``bits`` at ``ptr``."""
    width = words.shape[1]
    # Each mask's nonzero words only: a tie's mask is a few owner bits.
    nz_ptr = np.zeros(len(words) + 1, dtype=np.int64)
    for t in range(len(words)):
        nz_ptr[t + 1] = nz_ptr[t] + np.count_nonzero(words[t])
    nz_word = np.empty(nz_ptr[-1], dtype=np.int64)
    at = 0
    for t in range(len(words)):
        for w in range(width):
            if words[t, w] != 0:
                nz_word[at] = w
                at += 1
    counting = len(word) == 0 and ptr[-1] == 0
    scratch = np.zeros(width, dtype=np.uint64)
    touched = np.empty(width, dtype=np.int64)
    for i in range(len(start) - 1):
        got = 0
        for e in range(start[i], start[i + 1]):
            t = tie_mask[e]
            for j in range(nz_ptr[t], nz_ptr[t + 1]):
                w = nz_word[j]
                if scratch[w] == 0:
                    touched[got] = w
                    got += 1
                scratch[w] |= words[t, w]
        if counting:
            ptr[i + 1] = ptr[i] + got
            for q in range(got):
                scratch[touched[q]] = 0
            continue
        _sort_few(touched, got)
        for q in range(got):
            word[ptr[i] + q] = touched[q]
            bits[ptr[i] + q] = scratch[touched[q]]
            scratch[touched[q]] = 0


@numba.njit(cache=True, nogil=True)
def _shares(ptr: Any, word: Any, bits: Any, a: int, b: int) -> bool:
    """Whether nodes ``a`` and ``b``'s sparse masks (:func:`node_best_masks`) share a bit."""
    p, q = ptr[a], ptr[b]
    while p < ptr[a + 1] and q < ptr[b + 1]:
        if word[p] < word[q]:
            p += 1
        elif word[p] > word[q]:
            q += 1
        else:
            if bits[p] & bits[q]:
                return True
            p += 1
            q += 1
    return False


@numba.njit(cache=True, nogil=True)
def pair_ands(ptr: Any, word: Any, bits: Any, lo: Any, hi: Any, width: int) -> Any:
    """Per pair, the AND of its ends' sparse masks (:func:`node_best_masks`) as a row of
    ``width`` words.

    >>> pair_ands(np.array([0, 1, 3]), np.array([1, 0, 1], np.int32),
    ...     np.array([6, 9, 3], np.uint64), np.array([0]), np.array([1]), 2).tolist()
    [[0, 2]]
    """
    out = np.zeros((len(lo), width), dtype=np.uint64)
    for k in range(len(lo)):
        a, b = lo[k], hi[k]
        p, q = ptr[a], ptr[b]
        while p < ptr[a + 1] and q < ptr[b + 1]:
            if word[p] < word[q]:
                p += 1
            elif word[p] > word[q]:
                q += 1
            else:
                out[k, word[p]] = bits[p] & bits[q]
                p += 1
                q += 1
    return out


@numba.njit(cache=True, nogil=True)
def _observed_at(key: Any, x: int) -> bool:
    """Whether the sorted ``key`` holds ``x`` (binary search)."""
    lo, hi = 0, len(key)
    while lo < hi:
        mid = (lo + hi) >> 1
        if key[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo < len(key) and key[lo] == x


@numba.njit(cache=True, nogil=True)
def colleague_pairs(
    nodes: Any,
    comp: Any,
    start: Any,
    placed: Any,
    size: Any,
    clique_max: int,
    top: int,
    observed: Any,
    mptr: Any,
    mword: Any,
    mbits: Any,
) -> Any:
    """The colleague rule's pairs (graph.store.layers.infer), filtered: ``nodes`` in rule
    order (by company, then best tie, then rank), ``comp`` their companies; per company
    its first position, people placed and size. Each person is paired with every later
    one in a company of at most ``clique_max`` people, and in a bigger one the first
    ``top`` pairwise and everyone after them under one parent (positions ``top`` apart).
    A pair some source shows (its ``lo << 32 | hi`` in the sorted ``observed``) or that
    no viewer may see (its ends' masks, sparse as :func:`node_best_masks` makes them,
    share no bit) is dropped. Returns ``lo``, ``hi`` and company size, clique pairs
    first. The AND of the ends' words is not returned: with thousands of members it is
    hundreds of bytes a pair (graph.store.layers makes the mask ids from it in chunks).

    >>> lo, hi, size = colleague_pairs(np.array([0, 1, 2]), np.array([0, 0, 0]),
    ...     np.array([0]), np.array([3]), np.array([3]), 5, 2, np.array([1], np.int64),
    ...     np.arange(4), np.zeros(3, np.int32), np.ones(3, np.uint64))
    >>> lo.tolist(), hi.tolist(), size.tolist()
    ([0, 1], [2, 2], [3, 3])
    """
    bound = 0
    for p in range(len(nodes)):
        c = comp[p]
        r = p - start[c]
        if size[c] < 2:
            continue
        if size[c] <= clique_max:
            bound += placed[c] - 1 - r
        else:
            bound += max(min(top, placed[c]) - 1 - r, 0) + (1 if r >= top else 0)
    out = (
        np.empty(bound, dtype=np.int64),
        np.empty(bound, dtype=np.int64),
        np.empty(bound, dtype=np.int64),
    )
    got = 0
    for p in range(len(nodes)):  # clique and anchor pairs first ...
        c = comp[p]
        r = p - start[c]
        if size[c] >= 2:
            later = placed[c] - 1 - r if size[c] <= clique_max else min(top, placed[c]) - 1 - r
            for q in range(p + 1, p + 1 + max(later, 0)):
                got = _keep(nodes[p], nodes[q], size[c], observed, mptr, mword, mbits, out, got)
    for p in range(len(nodes)):  # ... then the trees below the anchors
        c = comp[p]
        r = p - start[c]
        if size[c] > clique_max and r >= top:
            parent = nodes[start[c] + (r - top) // top]
            got = _keep(parent, nodes[p], size[c], observed, mptr, mword, mbits, out, got)
    lo, hi, sizes = out
    return lo[:got].copy(), hi[:got].copy(), sizes[:got].copy()


@numba.njit(cache=True, nogil=True)
def _keep(
    x: int,
    y: int,
    size: int,
    observed: Any,
    mptr: Any,
    mword: Any,
    mbits: Any,
    out: Any,
    got: int,
) -> int:
    """Row ``got`` of ``out`` is the pair ``x``-``y`` unless observed or seen by no viewer."""
    lo, hi, sizes = out
    a, b = min(x, y), max(x, y)
    if not _shares(mptr, mword, mbits, a, b) or _observed_at(
        observed, (a << 32) | b
    ):  # the cheap test first
        return got
    lo[got], hi[got], sizes[got] = a, b, size
    return got + 1
