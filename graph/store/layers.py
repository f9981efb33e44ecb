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
from graph.trustgraph import TrustGraph

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

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
        keep = ~np.isin(self.key, remove) if len(remove) else np.ones(len(self.key), bool)
        table = sorted(set(self.table) | set(add.table))
        where = {m: t for t, m in enumerate(table)}
        old_map = np.asarray([where[m] for m in self.table] or [0], dtype=np.int32)
        new_map = np.asarray([where[m] for m in add.table] or [0], dtype=np.int32)
        key = np.concatenate([self.key[keep], add.key])
        strength = np.concatenate([self.strength[keep], add.strength])
        mid = np.concatenate([old_map[self.mid[keep]], new_map[add.mid]]).astype(np.int32)
        evidenced = np.concatenate([self.evidenced[keep], add.evidenced])
        order = np.argsort(key, kind="stable")
        return Observed(key[order], strength[order], mid[order], table, evidenced[order])

    def without(self, keep: npt.NDArray[np.bool_]) -> Observed:
        """Only the rows ``keep`` marks."""
        return Observed(
            self.key[keep], self.strength[keep], self.mid[keep], self.table, self.evidenced[keep]
        )

    def best_and_masks(self, n: int) -> tuple[F64, dict[int, int]]:
        """Per node: the strongest tie a source shows, and the OR of those ties' masks."""
        shown = self.evidenced
        lo, hi, strength, mid = (
            self.lo[shown],
            self.hi[shown],
            self.strength[shown],
            self.mid[shown],
        )
        best = np.zeros(n, dtype=np.float64)
        np.maximum.at(best, lo, strength)
        np.maximum.at(best, hi, strength)
        width = max(len(self.table), 1)
        ends = np.concatenate([lo, hi])
        both = np.concatenate([mid, mid]).astype(np.int64)
        pairs = np.unique(ends * width + both)
        node_mask: dict[int, int] = {}
        table = self.table
        for node, t in zip((pairs // width).tolist(), (pairs % width).tolist(), strict=True):
            node_mask[node] = node_mask.get(node, 0) | table[t]
        return best, node_mask


@dataclass(frozen=True, slots=True)
class Implied:
    """Inferred colleague ties (not in the observed layer) and the companies they name."""

    lo: I64
    hi: I64
    strength: F64
    mask: list[int]
    companies: dict[str, tuple[str, int]]  # company key -> (name as spelt, people there)

    @classmethod
    def none(cls) -> Implied:
        empty = np.zeros(0, dtype=np.int64)
        return cls(empty, empty, np.zeros(0, dtype=np.float64), [], {})


def is_student(position: str) -> bool:
    """A campus is not a team (the rule of graph.colleagues)."""
    return _STUDENT.search(position) is not None


def infer_groups(
    groups: Iterable[tuple[str, str, list[str]]],
    index: Mapping[str, int],
    observed: Observed,
    n: int,
    *,
    as_of: date,
    weights: StrengthWeights,
) -> Implied:
    """The colleague layer from companies given as ``(key, name as spelt, ids sorted)``,
    vectorised per company: the pairs :func:`graph.colleagues.colleague_ties` proposes,
    each ranked by its strongest observed tie, usable only by viewers who may see both
    ends (the AND of the ends' masks), never shadowing an observed tie. Strength
    depends only on the company's size: computed once per size.
    """
    best, node_mask = observed.best_and_masks(n)
    clique_max, top = weights.colleague_clique_max, max(weights.colleague_anchors, 1)
    los: list[I64] = []
    his: list[I64] = []
    sizes: list[I64] = []
    named: list[tuple[str, str, int]] = []
    for key, name, ids in groups:
        nodes = np.fromiter((index.get(pid, -1) for pid in ids), np.int64, len(ids))
        size = len(ids)
        if size < 2:
            continue
        if size <= clique_max:
            i, j = np.triu_indices(size, 1)
            a, b = nodes[i], nodes[j]
        else:
            scores = np.where(nodes >= 0, best[np.maximum(nodes, 0)], 0.0)
            ranked = nodes[np.lexsort((np.arange(size), -scores))]
            i, j = np.triu_indices(top, 1)
            rest = np.arange(top, size)
            a = np.concatenate([ranked[i], ranked[(rest - top) // top]])
            b = np.concatenate([ranked[j], ranked[rest]])
        ok = (a >= 0) & (b >= 0)
        a, b = a[ok], b[ok]
        los.append(np.minimum(a, b))
        his.append(np.maximum(a, b))
        sizes.append(np.full(len(a), size, dtype=np.int64))
        named.append((key, name, size))
    if not los:
        return Implied.none()
    lo, hi, size_of = np.concatenate(los), np.concatenate(his), np.concatenate(sizes)
    if len(observed.key):
        pair_key = _key(lo, hi)
        pos = np.minimum(np.searchsorted(observed.key, pair_key), len(observed.key) - 1)
        fresh = observed.key[pos] != pair_key
        lo, hi, size_of = lo[fresh], hi[fresh], size_of[fresh]
    masks = [
        node_mask.get(i, 0) & node_mask.get(j, 0)
        for i, j in zip(lo.tolist(), hi.tolist(), strict=True)
    ]
    usable = np.fromiter((m != 0 for m in masks), bool, len(masks))
    lo, hi, size_of = lo[usable], hi[usable], size_of[usable]
    masks = [m for m in masks if m]
    by_size: dict[int, float] = {}
    companies: dict[str, tuple[str, int]] = {}
    for key, name, size in named:
        if size not in by_size:
            by_size[size] = estimate_strength(
                inferred_evidence(name, size), as_of=as_of, weights=weights
            ).strength
        companies.setdefault(key, (name, size))
    strength = np.fromiter((by_size[z] for z in size_of.tolist()), np.float64, len(size_of))
    return Implied(lo, hi, strength, masks, companies)


def inferred_evidence(company: str, size: int) -> Evidence:
    return Evidence(owner=INFERRED_OWNER, colleague_company=company, colleague_size=size)


def compose(
    ids: list[str], index: dict[str, int], observed: Observed, implied: Implied
) -> TrustGraph:
    """Both layers laid out as one CSR graph (observed ties first, then inferred)."""
    table = sorted(set(observed.table) | set(implied.mask))
    where = {m: t for t, m in enumerate(table)}
    old_map = np.asarray([where[m] for m in observed.table] or [0], dtype=np.int32)
    inferred = np.fromiter((where[m] for m in implied.mask), np.int32, len(implied.mask))
    mid = np.concatenate([old_map[observed.mid], inferred]).astype(np.int32)
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
    ends = np.unique(np.concatenate([observed.lo[keep], observed.hi[keep]]))
    return {ids[i] for i in ends.tolist()}
