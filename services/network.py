"""Writes by people and tools: upserts, ratings, interactions, erasure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime

from graph.errors import InvalidInput
from graph.identity import normalize_email, normalize_linkedin_url
from graph.model import (
    Evidence,
    ImportBatch,
    Person,
    Relationship,
    canonical_pair,
)
from graph.store.base import Erased
from services.access import Viewer, check_erase
from services.planner import Planner

API_OWNER = "api"
"""Provenance for writes made with a workspace admin key (no member behind it)."""


def naive_utc(at: datetime) -> datetime:
    """Times are stored naive, in UTC (as the loaders store them): an aware time is
    converted, so it compares with the tie's stored ones.

    >>> from datetime import timedelta, timezone
    >>> naive_utc(datetime(2026, 1, 2, 10, tzinfo=timezone(timedelta(hours=2))))
    datetime.datetime(2026, 1, 2, 8, 0)
    """
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at


class Network:
    """Writes through the API/CLI other than file imports: small, validated batches."""

    def __init__(self, planner: Planner) -> None:
        self.planner = planner
        self.store = planner.store

    def _owner(self, viewer: Viewer) -> str:
        return viewer.member or API_OWNER

    async def upsert_person(self, viewer: Viewer, person: Person) -> Person:
        if not person.id.strip() or not person.name.strip():
            raise InvalidInput(
                "a person needs an id and a name", field="id" if not person.id else "name"
            )
        email = normalize_email(person.email) if person.email else ""
        url = normalize_linkedin_url(person.url) if person.url else ""
        if person.email and not email:
            raise InvalidInput(f"not an email address: {person.email!r}", field="email")
        if person.url and not url:
            raise InvalidInput(f"not a LinkedIn profile URL: {person.url!r}", field="url")
        clean = replace(person, email=email, url=url)
        await self.store.apply(viewer.workspace, ImportBatch(people=[clean]))
        stored = await self.store.person(viewer.workspace, clean.id)
        assert stored is not None
        return stored

    async def _own_evidence(
        self, viewer: Viewer, a: Person, b: Person
    ) -> tuple[str, str, Evidence]:
        if a.id == b.id:
            raise InvalidInput("a relationship needs two different people", field="b")
        x, y = canonical_pair(a.id, b.id)
        owner = self._owner(viewer)
        rel = await self.store.relationship(viewer.workspace, x, y)
        mine = next((e for e in rel.evidence if e.owner == owner), None) if rel else None
        return x, y, mine or Evidence(owner=owner)

    async def upsert_relationship(
        self,
        viewer: Viewer,
        a_ref: str,
        b_ref: str,
        *,
        connected_on: date | None = None,
        shared_employers: Sequence[str] = (),
        rating: float | None = None,
    ) -> Relationship:
        a, b = await self.planner.resolve(viewer, a_ref), await self.planner.resolve(viewer, b_ref)
        x, y, ev = await self._own_evidence(viewer, a, b)
        if rating is not None:
            check_rating(rating)
        ev = replace(
            ev,
            connected_on=connected_on or ev.connected_on,
            shared_employers=tuple(dict.fromkeys((*ev.shared_employers, *shared_employers))),
            rating=rating if rating is not None else ev.rating,
        )
        return await self._write(viewer, x, y, ev)

    async def record_interaction(
        self, viewer: Viewer, from_ref: str, to_ref: str, *, at: datetime, count: int = 1
    ) -> Relationship:
        """Count ``count`` messages from one person to the other at ``at`` (metadata only)."""
        if not 1 <= count <= 10_000:
            raise InvalidInput("count must be between 1 and 10000", field="count")
        at = naive_utc(at)
        a = await self.planner.resolve(viewer, from_ref)
        b = await self.planner.resolve(viewer, to_ref)
        x, y, ev = await self._own_evidence(viewer, a, b)
        forward = a.id == x
        ev = replace(
            ev,
            messages_ab=ev.messages_ab + (count if forward else 0),
            messages_ba=ev.messages_ba + (0 if forward else count),
            first_contact=min(filter(None, (ev.first_contact, at))),
            last_contact=max(filter(None, (ev.last_contact, at))),
        )
        return await self._write(viewer, x, y, ev)

    async def rate_relationship(
        self, viewer: Viewer, a_ref: str, b_ref: str, rating: float | None
    ) -> Relationship:
        """Set (or with None clear) the viewer's explicit rating of a tie."""
        if rating is not None:
            check_rating(rating)
        a, b = await self.planner.resolve(viewer, a_ref), await self.planner.resolve(viewer, b_ref)
        x, y, ev = await self._own_evidence(viewer, a, b)
        return await self._write(viewer, x, y, replace(ev, rating=rating))

    async def _write(self, viewer: Viewer, x: str, y: str, ev: Evidence) -> Relationship:
        await self.store.apply(
            viewer.workspace, ImportBatch(relationships=[Relationship(x, y, (ev,))])
        )
        rel = await self.store.relationship(viewer.workspace, x, y)
        assert rel is not None
        return rel

    async def erase(self, viewer: Viewer, ref: str) -> Erased:
        person = await self.planner.resolve(viewer, ref)
        check_erase(viewer, person.id)
        return await self.store.erase_person(viewer.workspace, person.id)


def check_rating(rating: float) -> None:
    if not 0.0 < rating <= 1.0:
        raise InvalidInput(f"a rating must be in (0, 1], got {rating}", field="rating")
