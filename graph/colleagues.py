"""Ties a team's data implies but never states: teammates, and colleagues at one company.

A LinkedIn export is a star around its owner: it never says which of the owner's
contacts know each other. Two facts it does carry let the planner go further:

* the members of a workspace know each other (they pooled their networks), and
* two people who currently work at the same company probably know each other a
  little — less the bigger the company.

Both become evidence the planner can route through, clearly labelled. Colleague
ties never grow quadratically, and no one becomes a hub: a company with more than
``clique_max`` people in the graph ranks them by how well the team reaches them
and ties its ``anchors`` best-reached people to each other and everyone else to
one better-reached colleague, each person taking at most ``anchors`` such
"juniors" (a tree of fan-out ``anchors``). A company of ``n > clique_max`` people
adds ``n - anchors + anchors * (anchors - 1) / 2`` ties and no one gets more than
``2 * anchors - 1`` of them: a 5,000-person company adds 5,020 ties, not millions,
and no 5,000-degree node that every search touching it would expand.

Examples
--------
>>> from graph.model import Person
>>> people = {p.id: p for p in [Person("a", "A", company="Acme Inc."),
...                             Person("b", "B", company="ACME"),
...                             Person("c", "C", company="Globex"),
...                             Person("d", "D", company="Freelance")]}
>>> [(t.a, t.b, t.company, t.size) for t in colleague_ties(people, lambda pid: 0.0)]
[('a', 'b', 'Acme Inc.', 2)]
>>> round(colleague_strength(2), 2), round(colleague_strength(400), 3)
(0.3, 0.03)
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from graph.identity import normalize_company
from graph.model import Person

TEAM_OWNER = "team"
"""Provenance of membership ties: visible to every member of the workspace."""
INFERRED_OWNER = "inferred"
"""Provenance of colleague ties inferred from current companies."""

NOT_A_COMPANY = frozenset(
    {
        "",
        "self",
        "self employed",
        "selfemployed",
        "freelance",
        "freelancer",
        "independent",
        "independent consultant",
        "consultant",
        "student",
        "retired",
        "unemployed",
        "stealth",
        "stealth startup",
        "stealth mode",
        "confidential",
        "various",
        "none",
        "n a",
        "na",
        "private",
        "home",
    }
)
"""Company fields that name no shared workplace: never a reason to infer a tie."""


_STUDENT = re.compile(r"\b(student|undergrad\w*|phd candidate|mba candidate)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ColleagueTie:
    """An inferred tie: ``a`` and ``b`` both list ``company`` as their current employer."""

    a: str
    b: str
    company: str  # as one of them spells it
    size: int  # people at that company in the graph


def colleague_strength(size: int, *, ceiling: float = 0.3, scale: float = 0.6) -> float:
    """How much two colleagues know each other, falling with the company's size.

    ``scale / sqrt(size)``, capped at ``ceiling``: two people at a 2-person
    company (0.3) know each other far better than two at a 400-person one (0.03).
    """
    return min(ceiling, scale / math.sqrt(max(size, 1)))


def company_key(company: str) -> str:
    """The company as compared for inference ("" when it names no workplace).

    >>> company_key("Acme, Inc."), company_key("Self-employed"), company_key("Student")
    ('acme', '', '')
    """
    key = normalize_company(company)
    return "" if key in NOT_A_COMPANY or key.replace(" ", "") in NOT_A_COMPANY else key


def colleague_ties(
    people: Mapping[str, Person],
    anchor_score: Callable[[str], float],
    *,
    clique_max: int = 40,
    anchors: int = 8,
) -> Iterator[ColleagueTie]:
    """Every inferred colleague pair: all pairs of a company of at most ``clique_max``
    people; in a bigger one, a tree (see the module docstring).

    ``anchor_score`` ranks the people of a big company (higher first, then by id):
    the planner passes each person's strongest observed tie, so everyone at a big
    company is tied to a colleague the team reaches at least as well, and the
    ``anchors`` best-reached are tied to each other. Ranked ``0..n-1``, rank
    ``r >= anchors`` is tied to rank ``(r - anchors) // anchors``.

    >>> from graph.model import Person
    >>> big = {f"p{i:02}": Person(f"p{i:02}", "", company="Acme") for i in range(12)}
    >>> ties = list(colleague_ties(big, lambda pid: -int(pid[1:]), clique_max=3, anchors=2))
    >>> [(t.a, t.b) for t in ties]  # doctest: +NORMALIZE_WHITESPACE
    [('p00', 'p01'), ('p00', 'p02'), ('p00', 'p03'), ('p01', 'p04'), ('p01', 'p05'),
     ('p02', 'p06'), ('p02', 'p07'), ('p03', 'p08'), ('p03', 'p09'), ('p04', 'p10'),
     ('p04', 'p11')]
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for pid, person in people.items():
        key = company_key(person.company)
        if key and not _STUDENT.search(person.position):  # a campus is not a team
            groups[key].append(pid)
    for ids in groups.values():
        size = len(ids)
        if size < 2:
            continue
        ids.sort()
        name = people[ids[0]].company
        if size <= clique_max:
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    yield ColleagueTie(a, b, name, size)
            continue
        ranked = sorted(ids, key=lambda pid: (-anchor_score(pid), pid))
        top = max(anchors, 1)
        for i, hub in enumerate(ranked[:top]):
            for other in ranked[i + 1 : top]:
                yield ColleagueTie(min(hub, other), max(hub, other), name, size)
        for r in range(top, size):
            pid, senior = ranked[r], ranked[(r - top) // top]
            yield ColleagueTie(min(senior, pid), max(senior, pid), name, size)
