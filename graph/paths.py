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


@dataclass(frozen=True, slots=True)
class PathView:
    """A planned path with the people on it and the evidence of every step."""

    people: tuple[Person, ...]
    steps: tuple[Step, ...]
    probability: float

    @property
    def hops(self) -> int:
        return len(self.steps)


@dataclass(frozen=True, slots=True)
class IntroducerView:
    """A ranked introducer: the first person on the best path through them."""

    person: Person
    score: float
    path_probability: float
    path: PathView
    reasons: tuple[str, ...]
