"""Pooled-team planning graphs in the shape real teams have (benchmarks, issue 19).

A team pools its members' LinkedIn ego networks: most members have a few hundred
connections (median ~400), a few have 5,000-30,000, and popular people appear in
many members' networks (overlap). Members are tied to each other (teammate ties,
visible to every member), and mail/CRM data adds a sparser layer of ties between
contacts, mostly within a company. Each tie carries the owner bit of the member
whose data holds it (bit 0 is public: teammate ties), as ``graph.store.view`` does.

The random-pair graphs of :mod:`demo.synth` have none of this: most of their pairs
are unreachable, while a team's queries start at a member hub.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

PUBLIC_BIT = 1
TEAMMATE_STRENGTH = 0.62


@dataclass(frozen=True, slots=True)
class TeamGraph:
    """Edges ``(u, v, strength, owner_mask)`` plus who the members are."""

    edges: list[tuple[str, str, float, int]]
    members: list[str]
    member_bits: dict[str, int]
    ego_sizes: list[int]
    people: int
    companies: int
    company: list[int]
    """Company index of each contact ``p{i}`` (companies are numbered by size rank)."""


def _ego_sizes(rng: np.random.Generator, total: int, most: int | None = None) -> list[int]:
    """Heavy-tailed ego network sizes summing to about ``total`` (less if ``most``
    members are drawn first)."""
    sizes: list[int] = []
    big_cap = max(5_000, total // 3)
    while sum(sizes) < total and (most is None or len(sizes) < most):
        if rng.random() < 0.08:
            size = int(math.exp(rng.uniform(math.log(5_000), math.log(30_000))))
            size = min(size, big_cap)
        else:
            size = int(np.clip(rng.lognormal(math.log(400), 0.9), 20, 4_999))
        sizes.append(size)
    if sum(sizes) > total:
        sizes[-1] = max(20, sizes[-1] - (sum(sizes) - total))
    return sizes


def team_graph(n_ties: int, seed: int = 1, max_members: int | None = None) -> TeamGraph:
    """A pooled-team graph of about ``n_ties`` distinct ties (deterministic per seed).

    About 62% of the ties are members' ego networks, the members' teammate ties
    (every pair) follow, and contact-to-contact ties fill the rest. The member count
    grows with the ties (~1,250 at 3M, ~4,200 at 10M), and so do the teammate ties
    (every pair: ~8.7M of them at 10M, so that graph has ~15M ties) and the owner
    masks' width. ``max_members`` caps the members (the first ones drawn, so the
    same seed gives the same first members); the ego share the cap leaves out goes
    to the contact-to-contact layer (a team with much mail/CRM data).
    """
    rng = np.random.default_rng(seed)
    sizes = _ego_sizes(rng, int(n_ties * 0.62), max_members)
    n_members = len(sizes)
    n_people = max(1_000, int(sum(sizes) * 0.7))
    # Popularity (who appears in many members' networks) is Pareto-distributed.
    pop = rng.pareto(1.3, n_people) + 1.0
    cdf = np.cumsum(pop)
    cdf /= cdf[-1]
    # Companies: Zipf-like sizes, people assigned at random.
    n_companies = max(10, n_people // 40)
    comp_w = 1.0 / np.arange(1, n_companies + 1) ** 1.05
    comp_cdf = np.cumsum(comp_w) / comp_w.sum()
    company = np.searchsorted(comp_cdf, rng.random(n_people))
    order = np.argsort(company, kind="stable")
    starts = np.searchsorted(company[order], np.arange(n_companies + 1))

    members = [f"m{i}" for i in range(n_members)]
    bits = {m: 1 << (i + 1) for i, m in enumerate(sorted(members))}
    owner_of = np.full(n_people, -1, dtype=np.int64)
    edges: list[tuple[str, str, float, int]] = []
    for i, wanted in enumerate(sizes):
        size = min(wanted, n_people)
        picked = np.unique(np.searchsorted(cdf, rng.random(int(size * 1.4) + 10)))
        while len(picked) < size:
            more = np.searchsorted(cdf, rng.random(size))
            picked = np.unique(np.concatenate([picked, more]))
        picked = rng.permutation(picked)[:size]
        fresh = picked[owner_of[picked] < 0]
        owner_of[fresh] = i
        strong = rng.random(size) < 0.15
        strength = np.where(strong, rng.uniform(0.4, 0.95, size), rng.uniform(0.05, 0.3, size))
        bit = bits[members[i]]
        m = members[i]
        edges.extend(
            (m, f"p{p}", float(s), bit)
            for p, s in zip(picked.tolist(), strength.tolist(), strict=True)
        )
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            edges.append((a, b, TEAMMATE_STRENGTH, PUBLIC_BIT))
    # Contact-to-contact ties (mail, CRM) among people some member knows.
    known = np.flatnonzero(owner_of >= 0)
    rest = max(0, n_ties - len(edges))
    us = known[np.searchsorted(np.cumsum(pop[known]) / pop[known].sum(), rng.random(rest))]
    same = rng.random(rest) < 0.6
    comp_of_u = company[us]
    lo, hi = starts[comp_of_u], starts[comp_of_u + 1]
    colleague = order[lo + (rng.random(rest) * (hi - lo)).astype(np.int64)]
    anyone = known[rng.integers(0, len(known), rest)]
    vs = np.where(same, colleague, anyone)
    strengths = rng.uniform(0.1, 0.6, rest)
    for u, v, s in zip(us.tolist(), vs.tolist(), strengths.tolist(), strict=True):
        if u != v:
            edges.append((f"p{u}", f"p{v}", float(s), bits[members[int(owner_of[u])]]))
    return TeamGraph(
        edges, members, bits, sizes, n_people + n_members, n_companies, company.tolist()
    )
