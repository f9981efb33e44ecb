"""The planning graph as layers of arrays, so a write re-lays only what it touched.

A store that keeps people and evidence on disk (the embedded one) holds, per
workspace, the *observed* layer: one row per tie some source or the team shows
(``lo``/``hi`` node ints, strength, owner mask), computed from that tie's evidence.
A write recomputes only the rows of the pairs it touched (:meth:`Observed.patched`);
the *implied* colleague layer is re-derived from everyone's current company
(cheap: no evidence is read) and both are laid out as CSR in numpy
(:func:`compose`). The same functions make the first build, so an incremental
view and a full rebuild agree tie for tie (tests/e2e/test_live_graph.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from graph.colleagues import _STUDENT, INFERRED_OWNER, TEAM_OWNER
from graph.model import Evidence
from graph.store.base import PUBLIC_OWNER_BIT
from graph.strength import StrengthWeights, estimate_strength, merge_evidence
from graph.trustgraph import TrustGraph, distinct

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
U64 = npt.NDArray[np.uint64]

TEAM_EVIDENCE = Evidence(owner=TEAM_OWNER, teammate=True)


def tie_of(
    owners: Mapping[str, Evidence],
    bits: Mapping[str, int],
    *,
    team: bool,
    as_of: date,
    weights: StrengthWeights,
) -> tuple[float, int]:
    """One tie's (strength, owner mask) from its stored evidence, as both stores compute it.

    Non-member owners carry the public bit; a tie between two members also carries
    the teammate evidence and the public bit (membership is visible to every member).
    """
    mask = PUBLIC_OWNER_BIT if team else 0
    for owner in owners:
        mask |= bits.get(owner, PUBLIC_OWNER_BIT)
    found = list(owners.values())
    if team:
        found.append(TEAM_EVIDENCE)
    strength = estimate_strength(merge_evidence(found), as_of=as_of, weights=weights).strength
    return strength, mask


def numbering(ids: list[str], index: dict[str, int]) -> Callable[[str], int]:
    """``node(pid)``: the node int of ``pid``, numbering a new id next (in ``ids``/``index``).

    >>> ids, index = ["a"], {"a": 0}
    >>> node = numbering(ids, index)
    >>> node("b"), node("a"), ids
    (1, 0, ['a', 'b'])
    """

    def node(pid: str) -> int:
        i = index.get(pid)
        if i is None:
            i = index[pid] = len(ids)
            ids.append(pid)
        return i

    return node


def _key(lo: I64, hi: I64) -> I64:
    return (lo << 32) | hi


@dataclass(frozen=True, slots=True)
class Observed:
    """Observed ties as arrays, sorted by pair key (``lo << 32 | hi``, ``lo < hi``);
    masks as ids into ``table`` (Python ints of any width: one bit per member)."""

    key: I64
    strength: F64
    mid: I32
    table: list[int]
    # False for a teammate tie no source shows: it does not rank or unmask anyone for
    # colleague inference (as in graph.store.view.build_view).
    evidenced: npt.NDArray[np.bool_]

    @classmethod
    def build(cls, rows: Iterable[tuple[int, int, float, int, bool]]) -> Observed:
        """From ``(i, j, strength, mask, evidenced)`` rows of distinct pairs, in any order."""
        lo_l: list[int] = []
        hi_l: list[int] = []
        st_l: list[float] = []
        mk_l: list[int] = []
        ev_l: list[bool] = []
        for i, j, s, m, e in rows:
            lo_l.append(min(i, j))
            hi_l.append(max(i, j))
            st_l.append(s)
            mk_l.append(m)
            ev_l.append(e)
        key = _key(np.asarray(lo_l, dtype=np.int64), np.asarray(hi_l, dtype=np.int64))
        order = np.argsort(key, kind="stable")
        table = sorted(set(mk_l))
        where = {m: t for t, m in enumerate(table)}
        mid = np.fromiter((where[m] for m in mk_l), dtype=np.int32, count=len(mk_l))
        evidenced = np.asarray(ev_l, dtype=np.bool_)
        return cls(
            key[order],
            np.asarray(st_l, dtype=np.float64)[order],
            mid[order],
            table,
            evidenced[order],
        )

    def __len__(self) -> int:
        return len(self.key)

    @property
    def lo(self) -> I64:
        return self.key >> 32

    @property
    def hi(self) -> I64:
        return self.key & 0xFFFFFFFF

    def masks(self) -> list[int]:
        """Each row's mask (for small layers and tests)."""
        return [self.table[t] for t in self.mid.tolist()]

    def patched(
        self, gone: Iterable[tuple[int, int]], new: Iterable[tuple[int, int, float, int, bool]]
    ) -> Observed:
        """A copy without the ``gone`` pairs and with ``new`` rows (which replace any
        row of the same pair)."""
        add = Observed.build(new)
        drop = [(min(i, j) << 32) | max(i, j) for i, j in gone]
        remove = np.concatenate([np.asarray(drop, dtype=np.int64), add.key])
        keep = np.ones(len(self.key), dtype=np.bool_)
        if len(self.key) and len(remove):  # self.key is sorted: find each, no set built
            at = np.minimum(np.searchsorted(self.key, remove), len(self.key) - 1)
            keep[at[self.key[at] == remove]] = False
        table = sorted(set(self.table) | set(add.table))
        where = {m: t for t, m in enumerate(table)}
        old_map = np.asarray([where[m] for m in self.table] or [0], dtype=np.int32)
        new_map = np.asarray([where[m] for m in add.table] or [0], dtype=np.int32)
        kept = self.key[keep]
        at = np.searchsorted(kept, add.key)  # both sorted, no key in both: a merge
        return Observed(
            np.insert(kept, at, add.key),
            np.insert(self.strength[keep], at, add.strength),
            np.insert(old_map[self.mid[keep]], at, new_map[add.mid]).astype(np.int32),
            table,
            np.insert(self.evidenced[keep], at, add.evidenced),
        )

    def without(self, keep: npt.NDArray[np.bool_]) -> Observed:
        """Only the rows ``keep`` marks."""
        return Observed(
            self.key[keep], self.strength[keep], self.mid[keep], self.table, self.evidenced[keep]
        )

    def best_and_masks(self, n: int) -> tuple[F64, NodeMasks]:
        """Per node: the strongest tie a source shows, and the OR of those ties' masks as
        its nonzero 64-bit words (no Python int per node, no ``(n, W)`` array)."""
        from graph import kernels  # numba loads with the first graph

        words = mask_words(self.table)
        best, ptr, word, bits = kernels.node_best_masks(
            self.lo, self.hi, self.strength, self.mid, self.evidenced, words, n
        )
        return best, NodeMasks(ptr, word, bits, words.shape[1])


@dataclass(frozen=True, slots=True)
class NodeMasks:
    """Each node's OR of masks, sparse: node ``i``'s nonzero words are ``word[ptr[i] :
    ptr[i + 1]]`` (ascending), with values ``bits`` there; ``width`` words in all.

    Sparse, not an ``(n, width)`` array: at 10M ties a team has 4,200 members (66
    words) and a person's OR has a few bits, so the dense array was 1.2 GiB."""

    ptr: I64
    word: I32
    bits: U64
    width: int

    def ands(self, lo: I64, hi: I64) -> U64:
        """Per pair, the AND of its ends' masks as ``width`` words (``(len(lo), width)``)."""
        from graph import kernels

        return kernels.pair_ands(  # type: ignore[no-any-return]
            self.ptr, self.word, self.bits, lo, hi, self.width
        )


def mask_words(masks: list[int]) -> U64:
    """Masks (Python ints of any width) as rows of 64-bit words, lowest word first."""
    width = max(1, (max(masks, default=0).bit_length() + 63) // 64)
    out = np.zeros((max(len(masks), 1), width), dtype=np.uint64)
    for t, m in enumerate(masks):
        for w in range(width):
            out[t, w] = (m >> (64 * w)) & 0xFFFF_FFFF_FFFF_FFFF
    return out


def mask_ints(words: U64) -> list[int]:
    """The inverse of :func:`mask_words`."""
    out: list[int] = []
    for row in words.tolist():
        m = 0
        for w, x in enumerate(row):
            m |= int(x) << (64 * w)
        out.append(m)
    return out


@dataclass(frozen=True, slots=True)
class Implied:
    """Inferred colleague ties (not in the observed layer) and the companies they name;
    masks as ids into ``table``."""

    lo: I64
    hi: I64
    strength: F64
    mid: I32
    table: list[int]
    companies: dict[str, tuple[str, int]]  # company key -> (name as spelt, people there)

    @classmethod
    def none(cls) -> Implied:
        empty = np.zeros(0, dtype=np.int64)
        return cls(empty, empty, np.zeros(0, dtype=np.float64), np.zeros(0, np.int32), [], {})

    @property
    def mask(self) -> list[int]:
        """Each tie's mask (for small layers and tests)."""
        return [self.table[t] for t in self.mid.tolist()]


def is_student(position: str) -> bool:
    """A campus is not a team (the rule of graph.colleagues)."""
    return _STUDENT.search(position) is not None


@dataclass(frozen=True, slots=True)
class Companies:
    """Who works where, as arrays, for the colleague rule.

    ``of_node[i]`` is node ``i``'s company (an index into ``keys`` and ``names``) or -1
    (no company, a student, or gone); ``rank[i]`` orders people whose rank in a company
    ties (by id, as the rule has it); ``unplaced[c]`` counts people of company ``c``
    who have no node (they count in its size, nothing more).
    """

    keys: list[str]
    names: list[str]  # as spelt by the first non-student there, by id
    of_node: I32
    rank: I64
    unplaced: I64

    @classmethod
    def from_groups(
        cls, groups: Iterable[tuple[str, str, list[str]]], index: Mapping[str, int], n: int
    ) -> Companies:
        """From ``(key, name as spelt, ids sorted)`` per company."""
        keys: list[str] = []
        names: list[str] = []
        unplaced: list[int] = []
        of_node = np.full(n, -1, dtype=np.int32)
        rank = np.zeros(n, dtype=np.int64)
        at = 0
        for key, name, ids in groups:
            c = len(keys)
            keys.append(key)
            names.append(name)
            nodes = np.fromiter((index.get(pid, -1) for pid in ids), np.int64, len(ids))
            placed = nodes[nodes >= 0]
            of_node[placed] = c
            rank[placed] = at + np.flatnonzero(nodes >= 0)
            at += len(ids)
            unplaced.append(len(ids) - len(placed))
        return cls(keys, names, of_node, rank, np.asarray(unplaced, dtype=np.int64))

    def grown(self, n: int) -> Companies:
        """The same, with room for ``n`` nodes (new ones belong nowhere yet)."""
        extra = n - len(self.of_node)
        if extra <= 0:
            return self
        return Companies(
            self.keys,
            self.names,
            np.concatenate([self.of_node, np.full(extra, -1, dtype=np.int32)]),
            np.concatenate([self.rank, np.zeros(extra, dtype=np.int64)]),
            self.unplaced,
        )

    def moved(
        self,
        moves: Mapping[int, tuple[str, str]],
        ids: list[str],
        names_of: Callable[[list[str]], Mapping[str, str]],
    ) -> Companies:
        """A copy where node ``i`` works at company key ``moves[i][0]`` ("" for none), spelt
        ``moves[i][1]``.

        Only companies someone left or joined are re-ranked by id; those and any company
        a re-stated person spells differently are re-named (``names_of(first ids)`` gives
        each first person's spelling, in one read). A re-import that re-states people
        where they already work costs no ranking.

        >>> co = Companies.from_groups([("acme", "Acme", ["a", "b"])], {"a": 0, "b": 1}, 3)
        >>> ids = ["a", "b", "c"]
        >>> spelt = {"a": "ACME", "b": "Acme", "c": "Acme"}
        >>> same = co.moved({1: ("acme", "Acme")}, ids, lambda firsts: spelt)
        >>> same.names, same.of_node.tolist()
        (['Acme'], [0, 0, -1])
        >>> joined = co.moved({2: ("acme", "Acme"), 0: ("acme", "ACME")}, ids, lambda f: spelt)
        >>> joined.names, joined.of_node.tolist(), joined.rank.tolist()
        (['ACME'], [0, 0, 0], [0, 1, 2])
        """
        grown = self.grown(len(ids))
        of_node, rank = grown.of_node.copy(), grown.rank.copy()
        keys, names = list(self.keys), list(self.names)
        at = {k: c for c, k in enumerate(keys)}
        touched: set[int] = set()
        respelt: set[int] = set()
        for i, (key, spelt) in moves.items():
            c = at.get(key, -1) if key else -1
            if key and c < 0:
                c = at[key] = len(keys)
                keys.append(key)
                names.append(key)
            if of_node[i] == c:  # where they were: the ranks stand
                if c >= 0 and spelt != names[c]:
                    respelt.add(c)
                continue
            if of_node[i] >= 0:
                touched.add(int(of_node[i]))
            of_node[i] = c
            if c >= 0:
                touched.add(c)
        unplaced = np.concatenate(
            [self.unplaced, np.zeros(len(keys) - len(self.unplaced), dtype=np.int64)]
        )
        firsts: dict[int, str] = {}
        named = touched | respelt
        if named:
            nodes = np.flatnonzero(np.isin(of_node, np.fromiter(named, np.int32, len(named))))
            nodes = nodes[np.lexsort((rank[nodes], of_node[nodes]))]
            comp = of_node[nodes]
            bounds = np.flatnonzero(np.concatenate([[True], comp[1:] != comp[:-1], [True]]))
            for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
                c = int(comp[lo])
                if c in touched:
                    there = sorted(nodes[lo:hi].tolist(), key=ids.__getitem__)
                    rank[there] = np.arange(len(there), dtype=np.int64)
                    firsts[c] = ids[there[0]]
                else:  # same people, same ranks: the first is the lowest rank
                    firsts[c] = ids[int(nodes[lo])]
            spelling = names_of(sorted(set(firsts.values())))
            for c, first in firsts.items():
                names[c] = spelling.get(first, keys[c])
        return Companies(keys, names, of_node, rank, unplaced)

    def sizes(self) -> I64:
        """People per company (students and people without a company not counted)."""
        placed = self.of_node[self.of_node >= 0]
        return np.bincount(placed, minlength=len(self.keys)).astype(np.int64) + self.unplaced


def infer(
    companies: Companies,
    observed: Observed,
    n: int,
    *,
    as_of: date,
    weights: StrengthWeights,
) -> Implied:
    """The colleague layer (the one rule both stores use) for every company at once,
    vectorised: colleagues paired as below, each person ranked by their strongest
    observed tie, a pair usable only by viewers who may see both ends (the AND of
    the ends' masks), never shadowing an observed tie. Strength depends only on the
    company's size: computed once per size.

    A company of at most ``colleague_clique_max`` people: every pair. A bigger one:
    its ``colleague_anchors`` best-tied people (ties broken by id) pairwise, and
    everyone else in a tree of that fan-out below them (bounded degree, no hubs).
    """
    size_c = companies.sizes()
    if not bool(np.any(companies.of_node[:n] >= 0)):
        return Implied.none()
    best, masks = observed.best_and_masks(n)
    lo, hi, size_of = _colleague_pairs(companies, size_c, best, masks, observed.key, weights)
    mid, table = _mask_ids(lambda a, b: masks.ands(lo[a:b], hi[a:b]), len(lo), masks.width)
    named = np.flatnonzero(size_c >= 2)
    sizes, _ = distinct(size_of)
    by_size = np.fromiter(
        (
            estimate_strength(
                inferred_evidence("a company", int(z)), as_of=as_of, weights=weights
            ).strength
            for z in sizes.tolist()
        ),
        np.float64,
        len(sizes),
    )
    strength = by_size[np.searchsorted(sizes, size_of)] if len(sizes) else np.zeros(0, np.float64)
    listed = {companies.keys[c]: (companies.names[c], int(size_c[c])) for c in named.tolist()}
    return Implied(lo, hi, strength, np.asarray(mid, np.int32).reshape(-1), table, listed)


def _colleague_pairs(
    companies: Companies,
    size_c: I64,
    best: F64,
    masks: NodeMasks,
    observed: I64,
    w: StrengthWeights,
) -> tuple[I64, I64, I64]:
    """The pairs the rule proposes that no source shows and some viewer may see (``lo``,
    ``hi``, company size), from one compiled pass."""
    from graph import kernels  # numba loads with the first graph

    n = len(best)
    of = companies.of_node[:n]
    nodes = np.flatnonzero(of >= 0)
    comp = of[nodes].astype(np.int64)
    order = np.lexsort((companies.rank[nodes], -best[nodes], comp))
    nodes, comp = nodes[order], comp[order]
    placed = np.bincount(comp, minlength=len(size_c)).astype(np.int64)
    start = np.zeros(len(size_c), dtype=np.int64)
    np.cumsum(placed[:-1], out=start[1:])
    return kernels.colleague_pairs(  # type: ignore[no-any-return]
        nodes.astype(np.int64),
        comp,
        start,
        placed,
        size_c.astype(np.int64),
        w.colleague_clique_max,
        max(w.colleague_anchors, 1),
        observed,
        masks.ptr,
        masks.word,
        masks.bits,
    )


MASK_CHUNK = 1 << 16
"""Pairs whose AND of mask words is made at once by :func:`_mask_ids`: a 10M-tie team
has ~4,500 members (70 words, 560 bytes a pair), and the whole array was gigabytes."""


def _mask_ids(
    ands: Callable[[int, int], U64], count: int, width: int, chunk: int = MASK_CHUNK
) -> tuple[I64, list[int]]:
    """Per pair, an id into the table of the distinct ANDs of its ends' masks, and that
    table as ints, ordered as a lexsort of the rows (lowest word first).

    ``ands(a, b)`` gives pairs ``a`` to ``b``'s ANDs as rows of ``width`` words; they
    are asked ``chunk`` pairs at a time and only the distinct rows are kept."""
    if not count:
        return np.zeros(0, dtype=np.int64), []
    mid = np.empty(count, dtype=np.int64)
    known: dict[bytes, int] = {}
    kept: list[U64] = []
    for start in range(0, count, chunk):
        both = ands(start, min(start + chunk, count))
        order = np.lexsort(both.T[::-1])
        ordered = both[order]
        new = np.ones(len(ordered), dtype=np.bool_)
        new[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
        local = np.empty(len(both), dtype=np.int64)
        local[order] = np.cumsum(new) - 1
        ids = np.empty(int(new.sum()), dtype=np.int64)
        for r, row in enumerate(ordered[new]):
            got = known.setdefault(row.tobytes(), len(known))
            if got == len(kept):
                kept.append(row.copy())  # not a view: it would keep the chunk
            ids[r] = got
        mid[start : start + chunk] = ids[local]
    table = np.asarray(kept, dtype=np.uint64).reshape(len(kept), width)
    order = np.lexsort(table.T[::-1])
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[mid], mask_ints(table[order])


def infer_groups(
    groups: Iterable[tuple[str, str, list[str]]],
    index: Mapping[str, int],
    observed: Observed,
    n: int,
    *,
    as_of: date,
    weights: StrengthWeights,
) -> Implied:
    """:func:`infer` for companies given as ``(key, name as spelt, ids sorted)``."""
    companies = Companies.from_groups(groups, index, n)
    return infer(companies, observed, n, as_of=as_of, weights=weights)


def inferred_evidence(company: str, size: int) -> Evidence:
    return Evidence(owner=INFERRED_OWNER, colleague_company=company, colleague_size=size)


def compose(
    ids: list[str], index: dict[str, int], observed: Observed, implied: Implied
) -> TrustGraph:
    """Both layers laid out as one CSR graph (observed ties first, then inferred)."""
    table = sorted(set(observed.table) | set(implied.table))
    where = {m: t for t, m in enumerate(table)}
    old_map = np.asarray([where[m] for m in observed.table] or [0], dtype=np.int32)
    new_map = np.asarray([where[m] for m in implied.table] or [0], dtype=np.int32)
    mid = np.concatenate([old_map[observed.mid], new_map[implied.mid]]).astype(np.int32)
    return TrustGraph.from_arrays(
        ids,
        index,
        np.concatenate([observed.lo, implied.lo]),
        np.concatenate([observed.hi, implied.hi]),
        np.concatenate([observed.strength, implied.strength]),
        mid,
        table,
    )


def visible_ends(observed: Observed, ids: list[str], allowed: Callable[[int], bool]) -> set[str]:
    """Ids at either end of an observed tie whose mask ``allowed`` accepts."""
    ok = np.asarray([allowed(m) for m in observed.table] or [False], dtype=bool)
    keep = ok[observed.mid] if len(observed.mid) else np.zeros(0, dtype=bool)
    ends, _ = distinct(np.concatenate([observed.lo[keep], observed.hi[keep]]))
    return {ids[i] for i in ends.tolist()}


def observed_mask(observed: Observed, graph: TrustGraph, node: str) -> int:
    """The OR of the masks of ``node``'s observed ties (0: it has none): what
    :func:`visible_ends` asks of every node, for one. The node's row in the planning
    graph holds every observed neighbour (the graph lays out all observed ties), and
    each pair is found in the observed layer by binary search: a few microseconds
    where reading the person's evidence rows from SQLite took a tenth of a millisecond
    and more (a hub's thousands)."""
    i = graph.index.get(node)
    if i is None:
        return 0
    row = graph.nbr[graph.ptr[i] : graph.ptr[i + 1]].astype(np.int64)
    if not len(row) or not len(observed.key):
        return 0
    keys = _key(np.minimum(row, i), np.maximum(row, i))
    pos = np.minimum(np.searchsorted(observed.key, keys), len(observed.key) - 1)
    mask = 0
    for m in set(observed.mid[pos[observed.key[pos] == keys]].tolist()):
        mask |= observed.table[m]
    return mask
