"""Writes by people and tools: upserts, ratings, interactions, erasure."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from graph.errors import InvalidInput, PersonNotFound
from graph.identity import normalize_email, normalize_linkedin_url
from graph.model import (
    Evidence,
    ImportBatch,
    Person,
    Relationship,
    canonical_pair,
    naive_utc,
)
from graph.strength import estimate_strength, merge_evidence
from services.access import Viewer, check_erase
from services.planner import Planner

API_OWNER = "api"
"""Provenance for writes made with a workspace admin key (no member behind it)."""


@dataclass(frozen=True, slots=True)
class Erasure:
    """What an erasure removed, and how many identity keys it put on the list."""

    person_id: str
    relationships: int
    evidence: int
    intro_requests: int
    suppressed_keys: int


@dataclass(frozen=True, slots=True)
class TieView:
    """A tie as the viewer may see it: strength, lines and source count come only
    from evidence whose owners the viewer may browse."""

    a: str
    b: str
    strength: float
    evidence: tuple[str, ...]
    sources: int


class Network:
    """Writes through the API/CLI other than file imports: small, validated batches."""

    def __init__(self, planner: Planner) -> None:
        self.planner = planner
        self.store = planner.store

    def _owner(self, viewer: Viewer) -> str:
        return viewer.member or API_OWNER

    async def upsert_person(self, viewer: Viewer, person: Person) -> Person:
        """Create or update a person; new non-empty fields win.

        A member may change only people they may browse. An id held by someone
        they may not see is answered exactly as a new person would be (the record
        as sent) and nothing is written: the hidden record is neither shown nor
        changed, and a new tie-less person is not browsable either, so the two
        cases look the same.
        """
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
        if viewer.member is not None:
            existing = await self.store.person(viewer.workspace, clean.id)
            if existing is not None and not await self.planner.may_see(
                viewer, existing, browse=True
            ):
                return clean
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
    ) -> TieView:
        a, b = await self._named(viewer, a_ref), await self._named(viewer, b_ref)
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
    ) -> TieView:
        """Count ``count`` messages from one person to the other at ``at`` (metadata only)."""
        if not 1 <= count <= 10_000:
            raise InvalidInput("count must be between 1 and 10000", field="count")
        at = naive_utc(at)
        a = await self._named(viewer, from_ref)
        b = await self._named(viewer, to_ref)
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
    ) -> TieView:
        """Set (or with None clear) the viewer's explicit rating of a tie."""
        if rating is not None:
            check_rating(rating)
        a, b = await self._named(viewer, a_ref), await self._named(viewer, b_ref)
        x, y, ev = await self._own_evidence(viewer, a, b)
        return await self._write(viewer, x, y, replace(ev, rating=rating))

    async def _write(self, viewer: Viewer, x: str, y: str, ev: Evidence) -> TieView:
        await self.store.apply(
            viewer.workspace, ImportBatch(relationships=[Relationship(x, y, (ev,))])
        )
        return await self.tie(viewer, x, y)

    async def _named(self, viewer: Viewer, ref: str) -> Person:
        """A person a write names: members may write only about people they may browse
        (anyone else answers PersonNotFound, as if they did not exist)."""
        return await self.planner.resolve(viewer, ref, browse=True)

    async def tie(self, viewer: Viewer, a: str, b: str) -> TieView:
        """The tie as the viewer may browse it (after their own write it has their evidence)."""
        usable = await self.planner.usable_owners(viewer, browse=True)
        rel = await self.planner.visible_relationship(viewer, a, b, usable=usable)
        if rel is None:
            raise PersonNotFound(b)
        est = estimate_strength(
            merge_evidence(list(rel.evidence)),
            as_of=self.planner.today,
            weights=self.planner.weights,
        )
        return TieView(rel.a, rel.b, est.strength, est.lines, len(rel.evidence))

    async def erase(self, viewer: Viewer, ref: str) -> Erasure:
        """Erase a person completely: their node, ties and evidence (and the evidence
        their own data brought, if they were a member), merges into them, intro
        requests involving them and mentions of them in others' goals and drafts.
        Their identifiers go on the workspace's suppression list (salted hashes) so
        a re-import skips them. The embedded store and the app database zero the
        deleted rows and truncate their write-ahead logs before this returns.
        """
        person = await self._named(viewer, ref)
        check_erase(viewer, person.id)
        ws = viewer.workspace
        merged = [m.merged for m in await self.store.merges(ws) if m.kept == person.id]
        aliases = [
            Person(pid, person.name, person.company, "", person.email, person.url) for pid in merged
        ]
        keys = 0
        if self.planner.suppressions is not None:  # first: a crash after this errs safe
            keys = await asyncio.to_thread(self.planner.suppressions.record, ws, [person, *aliases])
        erased = await self.store.erase_person(ws, person.id)
        for alias in merged:
            if await self.store.person(ws, alias) is not None:
                await self.store.erase_person(ws, alias)
        intros = 0
        if self.planner.suppressions is not None:
            intros = await asyncio.to_thread(
                self.planner.suppressions.scrub_intro_requests, ws, [person.id, *merged], person
            )
        viewer.memo.clear()  # membership may have changed
        return Erasure(erased.person_id, erased.relationships, erased.evidence, intros, keys)


def check_rating(rating: float) -> None:
    if not 0.0 < rating <= 1.0:
        raise InvalidInput(f"a rating must be in (0, 1], got {rating}", field="rating")
