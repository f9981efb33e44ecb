"""The compiled layer kernels equal plain Python statements of their rules.

``layers.infer`` (the colleague rule, one compiled pass over every company) and
``kernels.layout`` (the CSR rows a patch re-lays) are checked against short
reference loops on random inputs: companies around the clique limit, people
without a node, masks wider than 64 bits, equal strengths
(rank decides), and rows longer than the kernels' in-place sort.
"""

from __future__ import annotations

import dataclasses
import math
import random
from datetime import date

import numpy as np
import pytest

from graph import kernels
from graph.store.layers import (
    Companies,
    Observed,
    _mask_ids,
    infer,
    inferred_evidence,
    mask_ints,
)
from graph.strength import StrengthWeights, estimate_strength

AS_OF = date(2026, 12, 1)
SMALL = dataclasses.replace(StrengthWeights(), colleague_clique_max=4, colleague_anchors=2)


def reference_colleagues(
    groups: list[tuple[str, list[int], int]],
    rows: list[tuple[int, int, float, int, bool]],
    weights: StrengthWeights,
) -> dict[tuple[int, int], tuple[float, int]]:
    """The rule as written: per company (``key``, nodes in id order, people without a
    node), its people by best tie then id; small companies every pair, big ones the
    anchors pairwise and the rest under ``(r - top) // top``; observed pairs and pairs
    no viewer may see dropped."""
    best: dict[int, float] = {}
    mask: dict[int, int] = {}
    observed = {(min(i, j), max(i, j)) for i, j, _s, _m, _e in rows}
    for i, j, s, m, shown in rows:
        if shown:
            for end in (i, j):
                best[end] = max(best.get(end, 0.0), s)
                mask[end] = mask.get(end, 0) | m
    top = max(weights.colleague_anchors, 1)
    out: dict[tuple[int, int], tuple[float, int]] = {}
    for _key, nodes, unplaced in groups:
        size = len(nodes) + unplaced
        if size < 2:
            continue
        people = sorted(nodes, key=lambda i: (-best.get(i, 0.0), nodes.index(i)))
        if size <= weights.colleague_clique_max:
            pairs = [(x, y) for k, x in enumerate(people) for y in people[k + 1 :]]
        else:
            anchors = people[:top]
            pairs = [(x, y) for k, x in enumerate(anchors) for y in anchors[k + 1 :]]
            pairs += [(people[(r - top) // top], people[r]) for r in range(top, len(people))]
        strength = estimate_strength(
            inferred_evidence("a company", size), as_of=AS_OF, weights=weights
        ).strength
        for x, y in pairs:
            pair = (min(x, y), max(x, y))
            both = mask.get(x, 0) & mask.get(y, 0)
            if pair not in observed and both:
                out[pair] = (strength, both)
    return out


def random_world(
    rnd: random.Random,
) -> tuple[int, list[tuple[str, list[int], int]], list[tuple[int, int, float, int, bool]]]:
    n = rnd.randint(5, 120)
    nodes = list(range(n))
    rnd.shuffle(nodes)
    groups: list[tuple[str, list[int], int]] = []
    at = 0
    while at < n and len(groups) < 12:
        k = rnd.choice([1, 2, 3, 4, 5, 6, 9, 14, 30])
        groups.append((f"co{len(groups)}", sorted(nodes[at : at + k]), rnd.choice([0, 0, 1, 3])))
        at += k
    bits = [1 << rnd.randrange(130) for _ in range(6)]
    pairs = {
        (min(i, j), max(i, j))
        for i, j in ((rnd.randrange(n), rnd.randrange(n)) for _ in range(3 * n))
        if i != j
    }
    rows = [
        (
            i,
            j,
            rnd.choice([0.2, 0.5, 0.5, 0.8, rnd.random()]),
            rnd.choice(bits) | rnd.choice(bits),
            rnd.random() < 0.9,
        )
        for i, j in sorted(pairs)
    ]
    return n, groups, rows


@pytest.mark.parametrize("seed", range(40))
def test_the_compiled_colleague_rule_equals_the_rule_as_written(seed: int) -> None:
    rnd = random.Random(seed)
    n, groups, rows = random_world(rnd)
    weights = SMALL if seed % 2 else StrengthWeights()
    ids = [f"p{i:03d}" for i in range(n)]
    index = {pid: i for i, pid in enumerate(ids)}
    unplaced_ids = [
        f"zz{c}-{u}" for c, (_k, _nodes, extra) in enumerate(groups) for u in range(extra)
    ]
    named = [
        (
            key,
            key.upper(),
            sorted([ids[i] for i in nodes] + [u for u in unplaced_ids if u.startswith(f"zz{c}-")]),
        )
        for c, (key, nodes, _extra) in enumerate(groups)
    ]
    companies = Companies.from_groups(named, index, n)
    implied = infer(companies, Observed.build(rows), n, as_of=AS_OF, weights=weights)
    got = {
        (lo, hi): (s, implied.table[t])
        for lo, hi, s, t in zip(
            implied.lo.tolist(),
            implied.hi.tolist(),
            implied.strength.tolist(),
            implied.mid.tolist(),
            strict=True,
        )
    }
    # The unplaced ids sort after every node's id ("zz" > "p"), so id order is node order.
    assert got == reference_colleagues(groups, rows, weights)


@pytest.mark.parametrize("seed", range(20))
def test_the_compiled_layout_equals_rows_sorted_by_the_rule(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 200))
    a = rng.integers(0, n, 4 * n)
    b = np.where(rng.random(4 * n) < 0.3, 0, rng.integers(0, n, 4 * n))  # a hub: long rows
    pairs = sorted(
        {(min(x, y), max(x, y)) for x, y in zip(a.tolist(), b.tolist(), strict=True) if x != y}
    )
    rng.shuffle(pairs)
    lo = np.array([p[0] for p in pairs], dtype=np.int64)
    hi = np.array([p[1] for p in pairs], dtype=np.int64)
    strength = rng.choice(np.array([0.1, 0.5, 0.5, 0.9, 1.0]), len(pairs))
    mid = rng.integers(0, 4, len(pairs)).astype(np.int32)
    ptr, nbr, st, cost, mids, byid, first = kernels.layout(lo, hi, strength, mid, n)
    for i in range(n):
        row = [
            (int(y), float(strength[k]), int(mid[k]), k)
            for k, (x, y) in enumerate(zip(lo.tolist(), hi.tolist(), strict=True))
            if x == i
        ]
        row += [
            (int(x), float(strength[k]), int(mid[k]), k)
            for k, (x, y) in enumerate(zip(lo.tolist(), hi.tolist(), strict=True))
            if y == i
        ]
        row.sort(key=lambda e: (-e[1], -e[2], e[3]))
        seg = slice(int(ptr[i]), int(ptr[i + 1]))
        assert nbr[seg].tolist() == [e[0] for e in row]
        assert st[seg].tolist() == [e[1] for e in row]
        assert mids[seg].tolist() == [e[2] for e in row]
        assert cost[seg].tolist() == [-math.log(e[1]) for e in row]  # exactly math.log's
        assert [int(nbr[seg][j]) for j in byid[seg].tolist()] == sorted(e[0] for e in row)
        assert first[i] == (cost[ptr[i]] if row else math.inf)


@pytest.mark.parametrize("chunk", [1, 3, 7, 1 << 16])
def test_mask_ids_in_chunks_equal_the_distinct_ands_of_the_whole(chunk: int) -> None:
    """The ids and table :func:`layers._mask_ids` makes a chunk of pairs at a time equal
    those of the whole array of ANDs at once (distinct rows, lexsorted lowest word first)."""
    rng = np.random.default_rng(chunk)
    words = rng.integers(0, 4, size=(30, 3)).astype(np.uint64) << np.uint64(62)
    lo = rng.integers(0, 30, 200)
    hi = rng.integers(0, 30, 200)
    mid, table = _mask_ids(lambda a, b: words[lo[a:b]] & words[hi[a:b]], len(lo), 3, chunk)
    ands = [
        mask_ints(words[[a]])[0] & mask_ints(words[[b]])[0] for a, b in zip(lo, hi, strict=True)
    ]
    want = sorted(set(ands), key=lambda m: [(m >> (64 * w)) & (2**64 - 1) for w in range(3)])
    assert table == want
    assert [table[t] for t in mid.tolist()] == ands


@pytest.mark.parametrize("seed", range(12))
def test_sparse_node_masks_hold_each_nodes_or_of_masks(seed: int) -> None:
    """:func:`kernels.node_best_masks` gives each node the OR of the masks of the ties a
    source shows, as the plain loop over the ties does, and the strongest of them, as
    its nonzero words only (ascending); ``NodeMasks.ands`` gives a pair's AND."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 120))
    width = int(rng.integers(1, 4))
    masks = sorted({int(rng.integers(0, 6)) << int(rng.integers(0, 64 * width)) for _ in range(9)})
    m = int(rng.integers(1, 6 * n))
    lo = rng.integers(0, n, m)
    hi = rng.integers(0, n, m)
    strength = rng.choice(np.array([0.1, 0.5, 0.9, 1.0]), m)
    mid = rng.integers(0, len(masks), m).astype(np.int32)
    shown = rng.random(m) < 0.8
    rows = [
        (int(a), int(b), float(s), masks[int(t)], bool(e))
        for a, b, s, t, e in zip(lo, hi, strength, mid, shown, strict=True)
        if a != b
    ]
    observed = Observed.build(list({(min(r[0], r[1]), max(r[0], r[1])): r for r in rows}.values()))
    best, node = observed.best_and_masks(n)
    want_or = [0] * n
    want_best = [0.0] * n
    for i, j, s, mask, e in zip(
        observed.lo.tolist(),
        observed.hi.tolist(),
        observed.strength.tolist(),
        observed.masks(),
        observed.evidenced.tolist(),
        strict=True,
    ):
        if e:
            for end in (i, j):
                want_or[end] |= mask
                want_best[end] = max(want_best[end], s)
    assert best.tolist() == want_best
    dense = mask_ints(node.ands(np.arange(n), np.arange(n)))
    assert dense == want_or
    for i in range(n):
        seg = slice(int(node.ptr[i]), int(node.ptr[i + 1]))
        assert node.word[seg].tolist() == sorted(
            {w for w in range(node.width) if (want_or[i] >> (64 * w)) & (2**64 - 1)}
        )
        assert all(node.bits[seg] != 0)
    a, b = rng.integers(0, n, 50), rng.integers(0, n, 50)
    assert mask_ints(node.ands(a, b)) == [
        want_or[x] & want_or[y] for x, y in zip(a.tolist(), b.tolist(), strict=True)
    ]
