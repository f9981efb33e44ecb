"""One exception tree for every expected failure in the domain.

The edges translate these, and only these, into GraphQL union members and CLI
exit codes; anything else is a bug and is masked at the edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum


class WarmintroError(Exception):
    """Base of every expected, user-facing failure."""


class PersonNotFound(WarmintroError):
    """A person reference matched nobody in the workspace (as the caller may see it)."""

    def __init__(self, ref: str) -> None:
        super().__init__(f"no person matches {ref!r}")
        self.ref = ref


class AmbiguousPerson(WarmintroError):
    """A person reference matched several people; the caller must pick one id."""

    def __init__(self, ref: str, candidates: Sequence[str], details: Sequence[str] = ()) -> None:
        shown = "; ".join((details or candidates)[:5])
        super().__init__(f"{ref!r} matches {len(candidates)} people: {shown}")
        self.ref = ref
        self.candidates = tuple(candidates)
        self.details = tuple(details)  # "Name (position, company) [id]" per candidate


class NoPathReason(StrEnum):
    """Why no path exists, so the user knows what to relax."""

    DISCONNECTED = "disconnected"
    BEYOND_HOP_LIMIT = "beyond_hop_limit"
    BLOCKED = "blocked"  # a path exists but min-strength or the avoid list removes it
    SAME_PERSON = "same_person"


class NoPath(WarmintroError):
    """No path within the constraints; ``reason`` says which constraint bites."""

    def __init__(self, reason: NoPathReason, detail: str = "") -> None:
        text = {
            NoPathReason.DISCONNECTED: "the target is not connected to the requester at all",
            NoPathReason.BEYOND_HOP_LIMIT: "the target is only reachable beyond the hop limit",
            NoPathReason.BLOCKED: "every path is blocked by the minimum strength or avoid list",
            NoPathReason.SAME_PERSON: "the requester and the target are the same person",
        }[reason]
        super().__init__(f"{text}{': ' + detail if detail else ''}")
        self.reason = reason
        self.detail = detail


class InvalidInput(WarmintroError):
    """Bad input, located as exactly as we can: file, line and field."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        where = ":".join(str(p) for p in (file, line) if p is not None)
        if field:
            where = f"{where} field {field!r}" if where else f"field {field!r}"
        super().__init__(f"{where}: {message}" if where else message)
        self.message = message
        self.file = file
        self.line = line
        self.field = field


class Forbidden(WarmintroError):
    """The caller's key or sharing level does not allow this."""


class InvalidTransition(WarmintroError):
    """An intro request cannot move from its current status to the asked one."""

    def __init__(self, current: str, wanted: str) -> None:
        super().__init__(f"an intro request cannot go from {current!r} to {wanted!r}")
        self.current = current
        self.wanted = wanted


class StoreUnavailable(WarmintroError):
    """The backing store cannot be reached (Neo4j down, data dir unwritable)."""


class QueryTooExpensive(WarmintroError):
    """A search used up its expansion budget (or the request was cancelled) before it
    finished: narrow it (fewer hops, a smaller k) rather than retry it as it is."""

    def __init__(self, budget: int, what: str = "search") -> None:
        super().__init__(
            f"the {what} needed more than its budget of {budget} expansions; "
            "ask for fewer hops or fewer alternatives"
        )
        self.budget = budget
