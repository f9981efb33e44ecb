"""The observed layer of a full build, straight from the stored evidence rows.

A full build (first start, a new member, an erasure, a new day) scores every stored
tie. Scoring one tie the plain way (:func:`graph.store.layers.tie_of`: decode each
owner's JSON into ``Evidence``, merge, :func:`graph.strength.estimate_strength`) costs
~60 µs in Python, and real data repeats itself: one member's LinkedIn ties differ only
in the connection date, an edge list's only in the rating. So a tie's strength is
memoised on what it is a function of, its rows' raw JSON text (in row order) and
whether the team adds its evidence, and only distinct content is decoded and scored.
The owner enters a strength only through :data:`graph.colleagues.INFERRED_OWNER` (an
inferred-only tie), so a tie with an owner of that name is keyed by its owners too.
Masks are memoised on the owners. The result is the same floats and masks as
``Observed.build`` over ``tie_of`` for every row (tests/unit/test_fullbuild.py).
"""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from itertools import islice
from operator import eq, itemgetter
from typing import TypeVar, cast

import numpy as np
import numpy.typing as npt

from graph.colleagues import INFERRED_OWNER
from graph.store.base import PUBLIC_OWNER_BIT
from graph.store.codec import evidence_from_json
from graph.store.layers import Observed, numbering, tie_of
from graph.strength import StrengthWeights

#: Distinct contents remembered at once; past it the memo starts again (bounded memory
#: when every tie says something different, where the memo would not help anyway).
MEMO_LIMIT = 1 << 20

StrengthKey = tuple[bool, tuple[str, ...], tuple[str, ...]]
I64 = npt.NDArray[np.int64]
T = TypeVar("T")
F64 = npt.NDArray[np.float64]


class TieScorer:
    """``tie_of`` for ties given as their raw stored rows, memoised on their content.

    >>> from graph.strength import StrengthWeights
    >>> s = TieScorer({"m": 2}, as_of=date(2026, 1, 1), weights=StrengthWeights())
    >>> s.score(("m",), ('{"rating":0.5}',), team=False)
    (0.5, 2)
    >>> s.score(("crm.csv",), ('{"rating":0.5}',), team=False), s.scored
    ((0.5, 1), 1)
    """

    __slots__ = ("_as_of", "_bits", "_masks", "_one", "_strengths", "_weights", "scored")

    def __init__(self, bits: Mapping[str, int], *, as_of: date, weights: StrengthWeights) -> None:
        self._bits = bits
        self._as_of = as_of
        self._weights = weights
        self._strengths: dict[StrengthKey, float] = {}
        self._masks: dict[tuple[bool, tuple[str, ...]], int] = {}
        self._one: dict[str, float] = {}  # a lone non-team row's strength, by its text
        self.scored = 0  # ties scored the plain way (distinct contents), for benchmarks

    def strength(self, owners: tuple[str, ...], datas: tuple[str, ...], *, team: bool) -> float:
        named = owners if INFERRED_OWNER in owners else ()
        key = (team, datas, named)
        found = self._strengths.get(key)
        if found is None:
            evidence = {o: evidence_from_json(o, d) for o, d in zip(owners, datas, strict=True)}
            found = tie_of(evidence, {}, team=team, as_of=self._as_of, weights=self._weights)[0]
            if len(self._strengths) >= MEMO_LIMIT:
                self._strengths.clear()
            self._strengths[key] = found
            self.scored += 1
        return found

    def mask(self, owners: tuple[str, ...], *, team: bool) -> int:
        key = (team, owners)
        found = self._masks.get(key)
        if found is None:
            found = PUBLIC_OWNER_BIT if team else 0
            for owner in owners:
                found |= self._bits.get(owner, PUBLIC_OWNER_BIT)
            if len(self._masks) >= MEMO_LIMIT:
                self._masks.clear()
            self._masks[key] = found
        return found

    def one(self, owner: str, data: str) -> tuple[float, int]:
        """``score`` of the usual tie: one row, not between two members."""
        s = self._one.get(data) if owner != INFERRED_OWNER else None
        if s is None:
            s = self.strength((owner,), (data,), team=False)
            if owner != INFERRED_OWNER:
                if len(self._one) >= MEMO_LIMIT:
                    self._one.clear()
                self._one[data] = s
        m = self._bits.get(owner, PUBLIC_OWNER_BIT)
        return s, m

    def texts(self, texts: Iterable[str]) -> dict[str, float]:
        """Each text's strength as a lone non-team row whose owner is not the inferred
        layer's (the strength is then a function of the text alone): the memo, filled
        for the texts it lacks."""
        memo = self._one
        for data in set(texts).difference(memo):
            memo[data] = self.strength(("",), (data,), team=False)
        if len(memo) > MEMO_LIMIT:  # kept for this call's texts; next time from scratch
            self._one = {}
        return memo

    def score(
        self, owners: tuple[str, ...], datas: tuple[str, ...], *, team: bool
    ) -> tuple[float, int]:
        """What ``tie_of`` says of the tie whose rows are ``owners``/``datas``."""
        return self.strength(owners, datas, team=team), self.mask(owners, team=team)


CHUNK = 200_000  # rows decoded at a time: bounded memory at 10M ties


def observed_from_rows(
    rows: sqlite3.Cursor | Iterator[tuple[str, str, str, str]],
    index: dict[str, int],
    ids: list[str],
    team_pairs: set[tuple[str, str]],
    scorer: TieScorer,
) -> Observed:
    """The observed layer from evidence rows ``(a, b, owner, data)`` ordered by pair,
    plus a teammate tie for each pair of ``team_pairs`` no row shows (consumed).

    Equal, array for array, to ``Observed.build`` of ``tie_of`` per pair (rows of a
    pair in the order given, team pairs in sorted order after the evidenced ones). An
    id with no node yet is numbered (added to ``index`` and ``ids``) in the order
    the plain build met it. The usual tie (one row, not between members) is handled
    in bulk: lookups through ``map`` in C, the strength by its text from a memo
    filled once per distinct text; the rest pair by pair.
    """
    node = numbering(ids, index)

    # A million fresh row tuples, none in a cycle: the collector's passes over them were
    # a fifth of the build's CPU. Off for the loop (as gc.freeze is used after builds).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _observed(rows, index, node, team_pairs, scorer)
    finally:
        if collecting:
            gc.enable()


def _observed(
    rows: sqlite3.Cursor | Iterator[tuple[str, str, str, str]],
    index: dict[str, int],
    node: Callable[[str], int],
    team_pairs: set[tuple[str, str]],
    scorer: TieScorer,
) -> Observed:
    out = _Out()
    held: list[tuple[str, str, str, str]] = []
    fetch = rows.fetchmany if isinstance(rows, sqlite3.Cursor) else None
    while True:
        got = fetch(CHUNK) if fetch is not None else list(islice(rows, CHUNK))
        chunk = held + got if held else got
        if not chunk:
            break
        held = _chunk(
            chunk,
            last=not got,
            index=index,
            node=node,
            team_pairs=team_pairs,
            scorer=scorer,
            out=out,
        )
    shown = out.size
    rest = sorted(team_pairs)
    team_pairs.clear()
    if rest:
        s, m = scorer.score((), (), team=True)
        if None in map(index.get, (p for pair in rest for p in pair)):
            for a, b in rest:  # numbered in pair order, as before
                node(a)
                node(b)
        i = list(map(index.__getitem__, (a for a, _ in rest)))
        j = list(map(index.__getitem__, (b for _, b in rest)))
        out.add(i, j, [s] * len(rest), [out.mask_id(m)] * len(rest))
    return _arrays(out, shown)


class _Out:
    """Rows of the layer as they are made (chunks of numpy arrays), masks as provisional
    ids in order of first use."""

    def __init__(self) -> None:
        self.lo: list[I64] = []
        self.hi: list[I64] = []
        self.strength: list[F64] = []
        self.mid: list[I64] = []
        self.ids_of: dict[int, int] = {}
        self.size = 0

    def mask_id(self, mask: int) -> int:
        found = self.ids_of.get(mask)
        if found is None:
            found = self.ids_of[mask] = len(self.ids_of)
        return found

    def add(self, i: Sequence[int], j: Sequence[int], s: Sequence[float], t: Sequence[int]) -> None:
        ia, ja = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
        self.lo.append(np.minimum(ia, ja))
        self.hi.append(np.maximum(ia, ja))
        self.strength.append(np.asarray(s, dtype=np.float64))
        self.mid.append(np.asarray(t, dtype=np.int64))
        self.size += len(ia)


def _chunk(
    chunk: list[tuple[str, str, str, str]],
    *,
    last: bool,
    index: dict[str, int],
    node: Callable[[str], int],
    team_pairs: set[tuple[str, str]],
    scorer: TieScorer,
    out: _Out,
) -> list[tuple[str, str, str, str]]:
    """Score the pairs of ``chunk`` into ``out``; return the rows of its last pair when
    more rows may follow (they belong with the next chunk)."""
    a, b, o, d = zip(*chunk, strict=True)
    n = len(chunk)
    new = np.ones(n, dtype=np.bool_)
    if n > 1:
        same_a = np.fromiter(map(eq, a[1:], a[:-1]), np.bool_, n - 1)
        same_b = np.fromiter(map(eq, b[1:], b[:-1]), np.bool_, n - 1)
        new[1:] = ~(same_a & same_b)
    starts = np.flatnonzero(new)
    held: list[tuple[str, str, str, str]] = []
    if not last:
        held = chunk[int(starts[-1]) :]
        starts = starts[:-1]
        n = len(chunk) - len(held)
        if not len(starts):
            return held
    firsts = starts.tolist()
    ia, ib = list(map(index.get, a[:n])), list(map(index.get, b[:n]))
    if None in ia or None in ib:
        for r in firsts:  # an id with no person row: numbered in pair order, as before
            node(a[r])
            node(b[r])
        ia, ib = list(map(index.get, a[:n])), list(map(index.get, b[:n]))
    i_of, j_of = cast(list[int], ia), cast(list[int], ib)  # no None left
    sizes = np.diff(np.append(starts, n))
    lone = sizes == 1
    if team_pairs:
        lone &= ~np.fromiter(
            map(team_pairs.__contains__, zip(a, b, strict=True)), np.bool_, len(a)
        )[starts]
    lone &= ~np.fromiter(map(INFERRED_OWNER.__eq__, o), np.bool_, len(o))[starts]
    fast = starts[lone].tolist()
    if fast:
        fo, fd = _pick(o, fast), _pick(d, fast)
        strength_of = scorer.texts(fd)
        id_of = {w: out.mask_id(scorer.mask((w,), team=False)) for w in set(fo)}
        out.add(
            _pick(i_of, fast),
            _pick(j_of, fast),
            list(map(strength_of.__getitem__, fd)),
            list(map(id_of.__getitem__, fo)),
        )
    slow = starts[~lone].tolist()
    if slow:
        ends = (starts[~lone] + sizes[~lone]).tolist()
        si: list[int] = []
        sj: list[int] = []
        ss: list[float] = []
        st: list[int] = []
        for r, e in zip(slow, ends, strict=True):
            pair = (a[r], b[r])
            team = pair in team_pairs
            team_pairs.discard(pair)
            sc, m = scorer.score(o[r:e], d[r:e], team=team)
            si.append(i_of[r])
            sj.append(j_of[r])
            ss.append(sc)
            st.append(out.mask_id(m))
        out.add(si, sj, ss, st)
    return held


def _pick(column: Sequence[T], rows: list[int]) -> Sequence[T]:
    """``column[r] for r in rows``, in C."""
    picked: Sequence[T] = itemgetter(*rows)(column) if len(rows) > 1 else [column[r] for r in rows]
    return picked


def _arrays(out: _Out, shown: int) -> Observed:
    """Rows (the first ``shown`` evidenced) as ``Observed.build`` lays them out: sorted by
    pair key, masks as ids into their sorted table."""
    empty_i, empty_f = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    lo = np.concatenate(out.lo) if out.lo else empty_i
    hi = np.concatenate(out.hi) if out.hi else empty_i
    key = (lo << 32) | hi
    order = np.argsort(key, kind="stable")
    provisional = list(out.ids_of)  # insertion order: mask of each provisional id
    table = sorted(provisional)
    where = {m: t for t, m in enumerate(table)}
    remap = np.asarray([where[m] for m in provisional] or [0], dtype=np.int32)
    mids = remap[np.concatenate(out.mid)] if out.mid else np.zeros(0, dtype=np.int32)
    evidenced = np.zeros(len(lo), dtype=np.bool_)
    evidenced[:shown] = True
    strength = np.concatenate(out.strength) if out.strength else empty_f
    return Observed(
        key[order], strength[order], mids[order].astype(np.int32), table, evidenced[order]
    )
