"""Turning stored evidence into the planner's view: shared by both backends.

Both stores keep evidence per (pair, owner); how owners become mask bits, how
merged ids fold into kept ones and how evidence becomes a strength must not
differ between them, so it is written once, here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date

from graph.colleagues import INFERRED_OWNER, TEAM_OWNER, colleague_groups, company_key
from graph.identity import normalize_name
from graph.model import Evidence, ImportBatch, Person
from graph.store.base import PlanningView, ViewOptions
from graph.store.layers import (
    TEAM_EVIDENCE,
    Implied,
    Observed,
    compose,
    infer_groups,
    inferred_evidence,
    numbering,
    tie_of,
)
from graph.strength import StrengthWeights
from graph.trustgraph import TrustGraph


def rewrite_merged(
    batch: ImportBatch, known_merges: Mapping[str, str]
) -> list[tuple[tuple[str, str], Evidence]]:
    """The batch's evidence keyed by canonical pair, with merged ids folded into kept ones."""
    kept = dict(known_merges)
    kept.update({m.merged: m.kept for m in batch.merges})
    out: list[tuple[tuple[str, str], Evidence]] = []
    append = out.append
    # A plain loop, no generator per tie: a first import runs this over every tie.
    for rel in batch.relationships:
        a, b = rel.a, rel.b
        if kept:
            a, b = kept.get(a, a), kept.get(b, b)
        if a < b:
            pair = (a, b)
            for e in rel.evidence:
                append((pair, e))
        elif b < a:  # canonical_pair swaps: "ab" counts run from the first end to the second
            pair = (b, a)
            for e in rel.evidence:
                append((pair, flip(e)))
        # a == b: a tie of a person with themself (after merging) is dropped
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
    infer_colleagues: bool = True,
) -> PlanningView:
    """Turn stored evidence into the planner's graph (strength per merged tie).

    Besides what the sources say, the view holds the ties a team's data implies
    (:mod:`graph.colleagues`): members are tied to each other (visible to every
    member), and people at the same current company get a weak inferred tie,
    usable only by viewers who may see both people. The implied evidence lives
    in the view (``implied``), never in the store; inferred ties are not stored
    one by one there but recognised on lookup (:class:`ImpliedTies`).

    The ties go through the embedded store's layers (:class:`Observed`,
    :func:`infer_groups`, :func:`compose`), so both backends derive strengths,
    masks and colleague ties with the same code.

    ``infer_colleagues`` is the workspace's switch; inference runs only when both
    it and ``weights.infer_colleagues`` (the process-wide setting) are on.
    """
    bits = owner_bits_for(members)
    details = details or {}
    member_ids = sorted(bits)
    team_ties = {
        (a, b): {TEAM_OWNER: TEAM_EVIDENCE}
        for i, a in enumerate(member_ids)
        for b in member_ids[i + 1 :]
    }
    ids: list[str] = []
    index: dict[str, int] = {}
    node = numbering(ids, index)

    for pid in people:
        node(pid)

    def rows() -> Iterator[tuple[int, int, float, int, bool]]:
        alone = set(team_ties)  # teammate ties no source shows
        for (a, b), owners in evidence.items():
            team = (a, b) in alone
            alone.discard((a, b))
            s, m = tie_of(owners, bits, team=team, as_of=as_of, weights=weights)
            yield node(a), node(b), s, m, True
        for a, b in sorted(alone):
            s, m = tie_of({}, bits, team=True, as_of=as_of, weights=weights)
            yield node(a), node(b), s, m, False

    observed = Observed.build(rows())
    options = ViewOptions(infer_colleagues=infer_colleagues and weights.infer_colleagues)
    implied = Implied.none()
    if options.infer_colleagues and details:
        groups = colleague_groups(details)
        implied = infer_groups(groups, index, observed, len(ids), as_of=as_of, weights=weights)
    graph = compose(ids, index, observed, implied)
    return PlanningView(
        graph,
        bits,
        details,
        evidence,
        ImpliedTies(team_ties, evidence, graph, details, implied.companies),
        name_index(details),
        company_index(details),
        options,
    )


class ImpliedTies(Mapping[tuple[str, str], Mapping[str, Evidence]]):
    """What the view implies per canonical pair: teammates, and inferred colleagues.

    Teammate pairs are few and kept. Inferred colleague ties are not stored one by
    one (an Evidence object and a dict per tie cost ~0.5 KiB at a million ties):
    a pair is an inferred tie exactly when the graph holds an edge between them
    that no source observed and that is not a teammate tie, since inference is
    the only other way an edge gets there. Its evidence is rebuilt on lookup from
    the company record (name as spelt, size) kept once per company.
    """

    __slots__ = ("_companies", "_details", "_evidence", "_graph", "_team")

    def __init__(
        self,
        team: Mapping[tuple[str, str], Mapping[str, Evidence]],
        evidence: Mapping[tuple[str, str], Mapping[str, Evidence]],
        graph: TrustGraph,
        details: Mapping[str, Person],
        companies: Mapping[str, tuple[str, int]],
    ) -> None:
        self._team = team
        self._evidence = evidence
        self._graph = graph
        self._details = details
        self._companies = companies

    @property
    def team(self) -> Mapping[tuple[str, str], Mapping[str, Evidence]]:
        return self._team

    @property
    def companies(self) -> Mapping[str, tuple[str, int]]:
        """Company key -> (name as spelt, people there) of the inferred ties."""
        return self._companies

    def __getitem__(self, pair: tuple[str, str]) -> Mapping[str, Evidence]:
        found = self.get(pair)
        if found is None:
            raise KeyError(pair)
        return found

    def get(  # type: ignore[override]
        self, pair: tuple[str, str], default: Mapping[str, Evidence] | None = None
    ) -> Mapping[str, Evidence] | None:
        """What the view implies for ``pair`` (asked for every step of an answer, and
        most steps imply nothing: no KeyError raised and caught for them)."""
        team = self._team.get(pair)
        if team is not None:
            return team
        found = self._colleagues(pair) if self._companies else None
        return default if found is None else found

    def _colleagues(self, pair: tuple[str, str]) -> Mapping[str, Evidence] | None:
        if pair in self._evidence:
            return None
        g = self._graph
        i, j = g.index.get(pair[0]), g.index.get(pair[1])
        if i is None or j is None or not g.has_edge(i, j):
            return None
        person = self._details.get(pair[0])
        company = self._companies.get(company_key(person.company)) if person else None
        if company is None:
            return None
        return {INFERRED_OWNER: inferred_evidence(*company)}

    def __iter__(self) -> Iterator[tuple[str, str]]:
        yield from self._team
        if not self._companies:
            return
        for a, b, _s, _m in self._graph.edges():
            pair = (a, b) if a < b else (b, a)
            if pair not in self._team and self._colleagues(pair) is not None:
                yield pair

    def __len__(self) -> int:
        return sum(1 for _ in self)


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
