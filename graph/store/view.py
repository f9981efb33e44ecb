"""Turning stored evidence into the planner's view: shared by both backends.

Both stores keep evidence per (pair, owner); how owners become mask bits, how
merged ids fold into kept ones and how evidence becomes a strength must not
differ between them, so it is written once, here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date

from graph.colleagues import INFERRED_OWNER, TEAM_OWNER, colleague_ties, company_key
from graph.identity import normalize_name
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
    """Turn stored evidence into the planner's graph (strength per merged tie).

    Besides what the sources say, the view holds the ties a team's data implies
    (:mod:`graph.colleagues`): members are tied to each other (visible to every
    member), and people at the same current company get a weak inferred tie,
    usable only by viewers who may see both people. The implied evidence lives
    in the view (``implied``), never in the store.
    """
    bits = owner_bits_for(members)
    details = details or {}
    member_ids = sorted(bits)
    implied: dict[tuple[str, str], dict[str, Evidence]] = {}
    for i, a in enumerate(member_ids):
        for b in member_ids[i + 1 :]:
            implied[(a, b)] = {TEAM_OWNER: Evidence(owner=TEAM_OWNER, teammate=True)}

    node_mask: dict[str, int] = {}
    best_tie: dict[str, float] = {}
    strengths: dict[tuple[str, str], tuple[float, int]] = {}
    for pair, owners in evidence.items():
        mask = 0
        for owner in owners:
            mask |= bits.get(owner, PUBLIC_OWNER_BIT)
        team = implied.get(pair)
        if team:
            mask |= PUBLIC_OWNER_BIT  # membership is visible to every member
        merged = merge_evidence([*owners.values(), *(team.values() if team else ())])
        strength = estimate_strength(merged, as_of=as_of, weights=weights).strength
        strengths[pair] = (strength, mask)
        for end in pair:
            node_mask[end] = node_mask.get(end, 0) | mask
            best_tie[end] = max(best_tie.get(end, 0.0), strength)
    for pair, owners in implied.items():
        if pair not in strengths:
            merged = merge_evidence(list(owners.values()))
            strength = estimate_strength(merged, as_of=as_of, weights=weights).strength
            strengths[pair] = (strength, PUBLIC_OWNER_BIT)

    if weights.infer_colleagues and details:
        _infer_colleagues(details, node_mask, best_tie, weights, as_of, implied, strengths)
    edges = ((a, b, s, m) for (a, b), (s, m) in strengths.items())
    graph = TrustGraph.from_edges(edges, people)
    return PlanningView(
        graph, bits, details, evidence, implied, name_index(details), company_index(details)
    )


def _infer_colleagues(
    details: Mapping[str, Person],
    node_mask: Mapping[str, int],
    best_tie: Mapping[str, float],
    weights: StrengthWeights,
    as_of: date,
    implied: dict[tuple[str, str], dict[str, Evidence]],
    strengths: dict[tuple[str, str], tuple[float, int]],
) -> None:
    """Add inferred colleague ties where no tie was observed (see graph.colleagues)."""
    ties = colleague_ties(
        details,
        lambda pid: best_tie.get(pid, 0.0),
        clique_max=weights.colleague_clique_max,
        anchors=weights.colleague_anchors,
    )
    for tie in ties:
        pair = (tie.a, tie.b)
        # Usable only where both people are visible: the company fields came with them.
        mask = node_mask.get(tie.a, 0) & node_mask.get(tie.b, 0)
        if pair in strengths or not mask:
            continue
        inferred = Evidence(
            owner=INFERRED_OWNER, colleague_company=tie.company, colleague_size=tie.size
        )
        implied[pair] = {INFERRED_OWNER: inferred}
        strength = estimate_strength(inferred, as_of=as_of, weights=weights).strength
        strengths[pair] = (strength, mask)


def company_index(details: Mapping[str, Person]) -> dict[str, tuple[str, ...]]:
    """Company key (graph.colleagues.company_key) -> the ids of the people there."""
    companies: dict[str, list[str]] = defaultdict(list)
    for pid, person in details.items():
        key = company_key(person.company)
        if key:
            companies[key].append(pid)
    return {key: tuple(ids) for key, ids in companies.items()}


def name_index(details: Mapping[str, Person]) -> dict[str, tuple[str, ...]]:
    """Folded full name -> the ids of everyone with that name (PersonRef by name)."""
    names: dict[str, list[str]] = defaultdict(list)
    for pid, person in details.items():
        key = normalize_name(person.name)
        if key:
            names[key].append(pid)
    return {key: tuple(ids) for key, ids in names.items()}


def flip(e: Evidence) -> Evidence:
    """The same evidence seen from the other end (swap the directional counts)."""
    return replace(
        e,
        messages_ab=e.messages_ba,
        messages_ba=e.messages_ab,
        emails_ab=e.emails_ba,
        emails_ba=e.emails_ab,
    )
