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

from collections.abc import Callable, Iterable, Mapping
from datetime import date

import numpy as np

from graph.colleagues import INFERRED_OWNER
from graph.store.base import PUBLIC_OWNER_BIT
from graph.store.codec import evidence_from_json
from graph.store.layers import Observed, tie_of
from graph.strength import StrengthWeights

#: Distinct contents remembered at once; past it the memo starts again (bounded memory
#: when every tie says something different, where the memo would not help anyway).
MEMO_LIMIT = 1 << 20

StrengthKey = tuple[bool, tuple[str, ...], tuple[str, ...]]


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

    def score(
        self, owners: tuple[str, ...], datas: tuple[str, ...], *, team: bool
    ) -> tuple[float, int]:
        """What ``tie_of`` says of the tie whose rows are ``owners``/``datas``."""
        return self.strength(owners, datas, team=team), self.mask(owners, team=team)


def observed_from_rows(
    rows: Iterable[tuple[str, str, str, str]],
    node: Callable[[str], int],
    team_pairs: set[tuple[str, str]],
    scorer: TieScorer,
) -> Observed:
    """The observed layer from evidence rows ``(a, b, owner, data)`` ordered by pair,
    plus a teammate tie for each pair of ``team_pairs`` no row shows (consumed).

    Equal, array for array, to ``Observed.build`` of ``tie_of`` per pair (rows of a
    pair in the order given, team pairs in sorted order after the evidenced ones).
    """
    lo: list[int] = []
    hi: list[int] = []
    strength: list[float] = []
    mid: list[int] = []  # provisional mask ids, in order of first use
    ids_of: dict[int, int] = {}
    id_get, one = ids_of.get, scorer.one

    def emit(a: str, b: str, owners: list[str], datas: list[str]) -> None:
        i, j = node(a), node(b)
        team = (a, b) in team_pairs
        if team:
            team_pairs.discard((a, b))
        if len(owners) == 1 and not team:
            s, m = one(owners[0], datas[0])
        else:
            s, m = scorer.score(tuple(owners), tuple(datas), team=team)
        t = id_get(m)
        if t is None:
            t = ids_of[m] = len(ids_of)
        lo.append(i if i < j else j)
        hi.append(j if i < j else i)
        strength.append(s)
        mid.append(t)

    pa, pb = "", ""
    owners: list[str] = []
    datas: list[str] = []
    for a, b, owner, data in rows:
        if b != pb or a != pa:
            if owners:
                emit(pa, pb, owners, datas)
            pa, pb, owners, datas = a, b, [owner], [data]
        else:
            owners.append(owner)
            datas.append(data)
    if owners:
        emit(pa, pb, owners, datas)
    shown = len(lo)
    for a, b in sorted(team_pairs):
        emit(a, b, [], [])
    team_pairs.clear()

    return _arrays(lo, hi, strength, mid, list(ids_of), shown)


def _arrays(
    lo: list[int],
    hi: list[int],
    strength: list[float],
    mid: list[int],
    provisional: list[int],
    shown: int,
) -> Observed:
    """Rows (the first ``shown`` evidenced) as ``Observed.build`` lays them out: sorted by
    pair key, masks as ids into their sorted table. ``provisional[t]`` is mask id t's mask."""
    key = (np.asarray(lo, dtype=np.int64) << 32) | np.asarray(hi, dtype=np.int64)
    order = np.argsort(key, kind="stable")
    table = sorted(provisional)
    where = {m: t for t, m in enumerate(table)}
    remap = np.asarray([where[m] for m in provisional] or [0], dtype=np.int32)
    mids = remap[np.asarray(mid, dtype=np.int64)] if mid else np.zeros(0, dtype=np.int32)
    evidenced = np.zeros(len(lo), dtype=np.bool_)
    evidenced[:shown] = True
    return Observed(
        key[order],
        np.asarray(strength, dtype=np.float64)[order],
        mids[order].astype(np.int32),
        table,
        evidenced[order],
    )
