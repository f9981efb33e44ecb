"""Turning stored evidence into the planner's view: shared by both backends.

Both stores keep evidence per (pair, owner); how owners become mask bits, how
merged ids fold into kept ones and how evidence becomes a strength must not
differ between them, so it is written once, here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date

from graph.model import Evidence, ImportBatch, Person, canonical_pair
from graph.store.base import PUBLIC_OWNER_BIT, PlanningView
from graph.strength import StrengthWeights, estimate_strength, merge_evidence
from graph.trustgraph import TrustGraph


def rewrite_merged(
    batch: ImportBatch, known_merges: Mapping[str, str]
) -> list[tuple[tuple[str, str], Evidence]]:
    """The batch's evidence keyed by canonical pair, with merged ids folded into kept ones."""
    kept = dict(known_merges)
    kept.update({m.merged: m.kept for m in batch.merges})
    out: list[tuple[tuple[str, str], Evidence]] = []
    for rel in batch.relationships:
        a, b = kept.get(rel.a, rel.a), kept.get(rel.b, rel.b)
        if a == b:
            continue
        pair = canonical_pair(a, b)
        flipped = pair[0] != a  # "ab" counts run from the first end to the second
        out.extend((pair, flip(e) if flipped else e) for e in rel.evidence)
    return out


def owner_bits_for(members: Iterable[str]) -> dict[str, int]:
    """Give every member its own mask bit after the public bit, in a stable order."""
    return {m: 1 << (i + 1) for i, m in enumerate(sorted(members))}


def build_view(
    people: Iterable[str],
    evidence: dict[tuple[str, str], dict[str, Evidence]],
    members: Iterable[str],
    *,
    as_of: date,
    weights: StrengthWeights,
    details: Mapping[str, Person] | None = None,
) -> PlanningView:
    """Turn stored evidence into the planner's graph (strength per merged tie); the
    view keeps ``evidence`` and ``details`` (people by id) to describe paths with."""
    bits = owner_bits_for(members)

    def edges() -> Iterable[tuple[str, str, float, int]]:
        for (a, b), owners in evidence.items():
            mask = 0
            for owner in owners:
                mask |= bits.get(owner, PUBLIC_OWNER_BIT)
            merged = merge_evidence(list(owners.values()))
            yield a, b, estimate_strength(merged, as_of=as_of, weights=weights).strength, mask

    return PlanningView(TrustGraph.from_edges(edges(), people), bits, details or {}, evidence)


def flip(e: Evidence) -> Evidence:
    """The same evidence seen from the other end (swap the directional counts)."""
    return replace(e, messages_ab=e.messages_ba, messages_ba=e.messages_ab)
