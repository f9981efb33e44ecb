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

The rule itself is :func:`graph.store.layers.infer_groups`, vectorised over the
companies :func:`colleague_groups` lists; both stores build their views with it.

Examples
--------
>>> from graph.model import Person
>>> people = {p.id: p for p in [Person("a", "A", company="Acme Inc."),
...                             Person("b", "B", company="ACME"),
...                             Person("c", "C", company="Globex"),
...                             Person("d", "D", company="Freelance")]}
>>> list(colleague_groups(people))
[('acme', 'Acme Inc.', ['a', 'b']), ('globex', 'Globex', ['c'])]
>>> round(colleague_strength(2), 2), round(colleague_strength(400), 3)
(0.3, 0.03)
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping

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


def colleague_groups(people: Mapping[str, Person]) -> Iterator[tuple[str, str, list[str]]]:
    """Who could be colleagues: ``(company key, name as spelt, ids sorted)`` per company,
    students and names of no workplace left out; the input of
    :func:`graph.store.layers.infer_groups`.

    The name is the one the first id (in id order) gives, as the embedded store reads it.
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for pid, person in people.items():
        key = company_key(person.company)
        if key and not _STUDENT.search(person.position):  # a campus is not a team
            groups[key].append(pid)
    for key, ids in groups.items():
        ids.sort()
        yield key, people[ids[0]].company, ids
