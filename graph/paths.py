"""Typed answers of the planner: a path with its people and the evidence of each step.

The CLI, the API and the file exports all render these records; none of them
re-parses another's output.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.model import Person


@dataclass(frozen=True, slots=True)
class Step:
    """One tie on a path, in path order, with the evidence lines that explain it."""

    source: str
    target: str
    strength: float
    evidence: tuple[str, ...]
    sources: tuple[str, ...] = ()  # whose data shows the tie (members' names, file:NAME)
    inferred: bool = False  # implied by shared current company, never observed


@dataclass(frozen=True, slots=True)
class PathView:
    """A planned path with the people on it and the evidence of every step."""

    people: tuple[Person, ...]
    steps: tuple[Step, ...]
    probability: float

    @property
    def hops(self) -> int:
        return len(self.steps)

    @property
    def requester(self) -> Person:
        """Whom the path starts from: for a team query, the member whose network it uses."""
        return self.people[0]


@dataclass(frozen=True, slots=True)
class IntroducerView:
    """A ranked introducer: the first person on the best path through them."""

    person: Person
    score: float
    path_probability: float
    path: PathView
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DirectTie:
    """The requester already knows the target: the tie itself is the answer."""

    requester: Person
    person: Person
    strength: float
    evidence: tuple[str, ...]
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IntroducerList:
    """Who can introduce the requester, and the direct tie when there is one.

    ``introducers`` then holds only routes warmer than the direct tie.
    """

    direct: DirectTie | None
    introducers: tuple[IntroducerView, ...]
