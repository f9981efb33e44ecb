"""Ties a team's data implies but never states: teammates, and colleagues at one company.

A LinkedIn export is a star around its owner: it never says which of the owner's
contacts know each other. Two facts it does carry let the planner go further:

* the members of a workspace know each other (they pooled their networks), and
* two people who currently work at the same company probably know each other a
  little — less the bigger the company.

Both become evidence the planner can route through, clearly labelled. Colleague
ties never grow quadratically: a company with more than ``clique_max`` people in
the graph links each of them only to its ``anchors`` best-connected people.

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
    """Every inferred colleague pair, at most ``size * anchors`` per big company.

    ``anchor_score`` ranks the people of a big company (higher first): the
    planner passes each person's strongest observed tie, so the colleagues that
    a big company's people are linked to are the ones the team reaches best.
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
        hubs = sorted(ids, key=lambda pid: (-anchor_score(pid), pid))[:anchors]
        hub_set = set(hubs)
        for i, hub in enumerate(hubs):
            for other in hubs[i + 1 :]:
                yield ColleagueTie(min(hub, other), max(hub, other), name, size)
        for pid in ids:
            if pid in hub_set:
                continue
            for hub in hubs:
                yield ColleagueTie(min(hub, pid), max(hub, pid), name, size)
