"""Deterministic synthetic professional networks for tests and benchmarks.

The generator mixes three mechanisms known to produce what real professional
networks show:

- **companies as communities**: people join companies by a Pitman–Yor process,
  so company sizes are heavy-tailed (a few giants, many small firms);
- **preferential attachment** (Barabási–Albert), mostly inside one's company,
  so degrees are heavy-tailed;
- **triadic closure** (Holme–Kim): after linking to someone, a newcomer often
  links to one of their contacts too, which gives high clustering.

A second phase adds ties among people already present (mostly closing
triangles), as networks densify over time. Strengths are a realistic mix: most
ties weak (0.05–0.3), some medium, a minority strong (0.6–0.95), with strong ties
more likely between colleagues.

Everything is a pure function of ``(n_edges, seed)``.

Examples
--------
>>> edges = list(synthetic_edges(200, seed=7))
>>> len(edges), len({(a, b) for a, b, _ in edges})
(200, 200)
>>> all(0.0 < s <= 1.0 and a != b for a, b, s in edges)
True
>>> edges == list(synthetic_edges(200, seed=7))
True
>>> people = synthetic_people(200, seed=7)
>>> {a for a, _, _ in edges} | {b for _, b, _ in edges} <= {p.id for p in people}
True
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import NamedTuple


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


EDGES_PER_PERSON = 5
"""Average degree is twice this; 1M edges give 200k people."""

_FIRST = _words(
    "Ada Alan Amara Ana Ben Bo Carla Chen Cy Dana Dee Eli Emma Eva Farah Finn Gia Hana Ivan "
    "Jo Jun Kai Kim Lea Leo Lina Luis Maya Mei Nia Noor Omar Pia Raj Rosa Sam Sara Tara Tom "
    "Uma Vic Wen Yara Yusuf Zoe"
)
_LAST = _words(
    "Adams Bauer Costa Diaz Evans Fischer Garcia Haddad Ito Jensen Khan Kowalski Lee Lopez "
    "Meyer Nguyen Novak Okafor Park Patel Quinn Rossi Sato Schmidt Silva Singh Smith Tanaka "
    "Wang Weber Young Zhang"
)
_SYLLABLES = _words("ac me ly ra no va zen tri co sol ix or um bit lu pa ka ter on is")
_SUFFIX = ("Labs", "Systems", "Capital", "Health", "AI", "Bank", "Logistics", "Studio", "")
_TITLES = (
    ("Software Engineer", 30),
    ("Senior Software Engineer", 15),
    ("Product Manager", 10),
    ("Designer", 6),
    ("Sales Manager", 8),
    ("Account Executive", 8),
    ("Recruiter", 5),
    ("Data Scientist", 6),
    ("Engineering Manager", 5),
    ("Director of Engineering", 2),
    ("Head of Payments", 1),
    ("VP Sales", 1),
    ("CTO", 1),
    ("CEO", 1),
    ("Founder", 1),
)


class SyntheticPerson(NamedTuple):
    id: str
    name: str
    company: str
    position: str


def _n_people(n_edges: int) -> int:
    return max(n_edges // EDGES_PER_PERSON, 12)


def _companies(n: int, seed: int) -> list[int]:
    """Company index per person, Pitman–Yor (discount 0.6, concentration 20)."""
    rng = random.Random(f"{seed}:companies")
    discount, concentration = 0.6, 20.0
    out: list[int] = []
    sizes: list[int] = []
    for i in range(n):
        if rng.random() * (i + concentration) < concentration + discount * len(sizes):
            sizes.append(0)
            c = len(sizes) - 1
        else:
            while True:  # pick an earlier person's company, accept with (size - d) / size
                c = out[rng.randrange(i)]
                if rng.random() * sizes[c] < sizes[c] - discount:
                    break
        sizes[c] += 1
        out.append(c)
    return out


def _company_name(c: int, seed: int) -> str:
    rng = random.Random(f"{seed}:company:{c}")
    stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    suffix = rng.choice(_SUFFIX)
    return f"{stem} {suffix}".strip() if c % 7 else f"{stem} {c}"  # some numbered: no clashes


def synthetic_people(n_edges: int, seed: int) -> list[SyntheticPerson]:
    """The people of ``synthetic_edges(n_edges, seed)`` with name, company and position.

    >>> synthetic_people(100, seed=1)[0].id
    'p0'
    """
    n = _n_people(n_edges)
    companies = _companies(n, seed)
    rng = random.Random(f"{seed}:people")
    titles = [t for t, _ in _TITLES]
    weights = [w for _, w in _TITLES]
    names: dict[int, str] = {}
    out = []
    for i, c in enumerate(companies):
        if c not in names:
            names[c] = _company_name(c, seed)
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        out.append(SyntheticPerson(f"p{i}", name, names[c], rng.choices(titles, weights)[0]))
    return out


def _strength(rng: random.Random, colleagues: bool) -> float:
    r = rng.random()
    strong, medium = (0.3, 0.55) if colleagues else (0.08, 0.25)
    if r < strong:
        return round(rng.uniform(0.6, 0.95), 3)
    if r < medium:
        return round(rng.uniform(0.3, 0.6), 3)
    return round(rng.uniform(0.05, 0.3), 3)


class _Growth:
    """The network while it grows: adjacency, degree-proportional pick pools."""

    def __init__(self, n: int, n_edges: int, company: list[int], rng: random.Random) -> None:
        self.n, self.n_edges, self.company, self.rng = n, n_edges, company, rng
        self.nbrs: list[list[int]] = [[] for _ in range(n)]
        self.pool: list[int] = []  # each person once per tie: uniform picks ~ degree
        self.company_pool: dict[int, list[int]] = {}
        self.seen: set[int] = set()
        self.edges: list[tuple[int, int]] = []

    def link(self, u: int, v: int) -> None:
        key = u * self.n + v if u < v else v * self.n + u
        if u == v or key in self.seen or len(self.edges) >= self.n_edges:
            return
        self.seen.add(key)
        self.nbrs[u].append(v)
        self.nbrs[v].append(u)
        self.pool.extend((u, v))
        self.company_pool.setdefault(self.company[u], []).append(u)
        self.company_pool.setdefault(self.company[v], []).append(v)
        self.edges.append((u, v))

    def attach(self, u: int) -> int:
        """A degree-proportional pick, usually a colleague of ``u``."""
        rng = self.rng
        mates = self.company_pool.get(self.company[u])
        if mates and rng.random() < 0.65:
            return mates[rng.randrange(len(mates))]
        return self.pool[rng.randrange(len(self.pool))] if self.pool else rng.randrange(u)

    def arrive(self, u: int, budget: int) -> None:
        """Person ``u`` joins with a few ties (Holme–Kim: attach, then close triangles)."""
        rng, nbrs = self.rng, self.nbrs
        m = min(1 + int(rng.expovariate(1 / (EDGES_PER_PERSON * 0.8 - 1))), u, 60)
        anchor = -1
        for _ in range(m):
            if len(self.edges) >= budget:
                return
            if anchor >= 0 and nbrs[anchor] and rng.random() < 0.6:
                self.link(u, nbrs[anchor][rng.randrange(len(nbrs[anchor]))])
            else:
                anchor = self.attach(u)
                self.link(u, anchor)

    def densify(self) -> None:
        """New ties among people already present, mostly friends of friends."""
        rng, nbrs, pool = self.rng, self.nbrs, self.pool
        while len(self.edges) < self.n_edges:
            u = pool[rng.randrange(len(pool))] if rng.random() < 0.5 else rng.randrange(self.n)
            if nbrs[u] and rng.random() < 0.7:
                w = nbrs[u][rng.randrange(len(nbrs[u]))]
                self.link(u, nbrs[w][rng.randrange(len(nbrs[w]))])
            else:
                self.link(u, self.attach(u))


def synthetic_edges(n_edges: int, seed: int) -> Iterator[tuple[str, str, float]]:
    """Exactly ``n_edges`` distinct undirected ``(u, v, strength)`` ties, deterministic.

    Parameters
    ----------
    n_edges : int
        How many ties; people are ``n_edges // 5`` (at least 12).
    seed : int
        Same seed, same network.

    Examples
    --------
    >>> next(synthetic_edges(50, seed=3))[0]
    'p1'
    """
    if n_edges < 1:
        return
    n = _n_people(n_edges)
    if n_edges > n * (n - 1) // 2:
        raise ValueError(f"{n_edges} edges do not fit among {n} people")
    company = _companies(n, seed)
    growth = _Growth(n, n_edges, company, random.Random(f"{seed}:edges"))
    arrival_budget = int(n_edges * 0.8)  # the rest densifies the grown network
    for u in range(1, n):
        growth.arrive(u, arrival_budget)
    growth.densify()
    srng = random.Random(f"{seed}:strengths")
    for u, v in growth.edges:
        yield f"p{u}", f"p{v}", _strength(srng, company[u] == company[v])
