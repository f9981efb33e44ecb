"""Application services: what the CLI and the GraphQL resolvers call.

Each service method parses nothing and renders nothing: it resolves person
references, asks the store for a planning view, runs a pure algorithm and
returns plain records. Edges (CLI, API) only translate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from graph import algorithms
from graph.errors import AmbiguousPerson, InvalidInput, PersonNotFound
from graph.model import Person, Sharing
from graph.store import GraphStore, PlanningView, Stats
from graph.strength import StrengthWeights, estimate_strength, merge_evidence
from loaders.identity import normalize_email, normalize_linkedin_url


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is asking: a workspace and, for API keys, the member behind the key.

    ``member`` None means the local operator (CLI on their own data dir), who
    sees everything in the workspace.
    """

    workspace: str
    member: str | None = None


@dataclass(frozen=True, slots=True)
class Step:
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
    person: Person
    score: float
    path_probability: float
    path: PathView
    reasons: tuple[str, ...]


def looks_like_url(ref: str) -> bool:
    return "linkedin.com/" in ref.casefold()


class Planner:
    """Person resolution and planning over any :class:`GraphStore`."""

    def __init__(
        self,
        store: GraphStore,
        *,
        weights: StrengthWeights | None = None,
        today: date | None = None,
        max_hops_limit: int = 6,
    ) -> None:
        self.store = store
        self.weights = weights or StrengthWeights()
        self._today = today
        self.max_hops_limit = max_hops_limit

    @property
    def today(self) -> date:
        return self._today or date.today()

    # -- people -------------------------------------------------------------------
    async def resolve(self, viewer: Viewer, ref: str) -> Person:
        """Resolve a PersonRef: an id, a LinkedIn profile URL (any form) or an email.

        Raises ``PersonNotFound`` or ``AmbiguousPerson`` saying which.
        """
        ref = ref.strip()
        if not ref:
            raise InvalidInput("empty person reference", field="ref")
        ws = viewer.workspace
        person = await self.store.person(ws, ref)
        if person is not None:
            return person
        if looks_like_url(ref):
            url = normalize_linkedin_url(ref)
            matches = await self.store.people_by_url(ws, url) if url else []
        elif "@" in ref:
            email = normalize_email(ref)
            matches = await self.store.people_by_email(ws, email) if email else []
        else:
            matches = []
        if not matches:
            merged_into = {m.merged: m.kept for m in await self.store.merges(ws)}.get(ref)
            if merged_into:
                found = await self.store.person(ws, merged_into)
                if found:
                    return found
            raise PersonNotFound(ref)
        if len(matches) > 1:
            raise AmbiguousPerson(ref, [p.id for p in matches])
        return matches[0]

    async def resolve_many(self, viewer: Viewer, refs: Sequence[str]) -> list[Person]:
        return [await self.resolve(viewer, r) for r in refs]

    async def requesters(self, viewer: Viewer, from_ref: str | None) -> list[Person]:
        """The path sources: the named person, else the viewer, else the whole team."""
        if from_ref:
            return [await self.resolve(viewer, from_ref)]
        if viewer.member:
            return [await self.resolve(viewer, viewer.member)]
        members = await self.store.members(viewer.workspace)
        people = [p for m in members if (p := await self.store.person(viewer.workspace, m.person_id))]
        if not people:
            raise InvalidInput(
                "nobody to plan from: this workspace has no members yet; pass --from", field="from"
            )
        return people

    async def owner_mask(self, viewer: Viewer, view: PlanningView) -> int | None:
        """Which owners' evidence the viewer may route through (None: all)."""
        if viewer.member is None:
            return None
        members = await self.store.members(viewer.workspace)
        allowed = {
            m.person_id
            for m in members
            if m.person_id == viewer.member or m.sharing is not Sharing.PRIVATE
        }
        return view.mask_for(allowed)

    # -- planning -------------------------------------------------------------------
    def _check_hops(self, max_hops: int) -> None:
        if not 1 <= max_hops <= self.max_hops_limit:
            raise InvalidInput(
                f"max hops must be between 1 and {self.max_hops_limit}, got {max_hops}",
                field="maxHops",
            )

    async def trusted_path(
        self,
        viewer: Viewer,
        from_ref: str | None,
        to_ref: str,
        *,
        max_hops: int = 3,
        min_strength: float = 0.0,
        avoid: Sequence[str] = (),
    ) -> PathView:
        self._check_hops(max_hops)
        sources = await self.requesters(viewer, from_ref)
        target = await self.resolve(viewer, to_ref)
        avoid_ids = [p.id for p in await self.resolve_many(viewer, avoid)]
        view = await self.store.planning_view(viewer.workspace)
        path = algorithms.most_trusted_path(
            view.graph,
            [s.id for s in sources],
            target.id,
            max_hops=max_hops,
            min_strength=min_strength,
            avoid=avoid_ids,
            owner_mask=await self.owner_mask(viewer, view),
        )
        return await self._render(viewer, path.nodes, path.strengths, path.probability)

    async def alternative_paths(
        self,
        viewer: Viewer,
        from_ref: str | None,
        to_ref: str,
        *,
        k: int = 3,
        max_hops: int = 3,
        min_strength: float = 0.0,
        avoid: Sequence[str] = (),
        diverse_first_hops: bool = True,
    ) -> list[PathView]:
        self._check_hops(max_hops)
        if not 1 <= k <= 50:
            raise InvalidInput(f"k must be between 1 and 50, got {k}", field="k")
        sources = await self.requesters(viewer, from_ref)
        target = await self.resolve(viewer, to_ref)
        avoid_ids = [p.id for p in await self.resolve_many(viewer, avoid)]
        view = await self.store.planning_view(viewer.workspace)
        paths = algorithms.alternative_paths(
            view.graph,
            [s.id for s in sources],
            target.id,
            k=k,
            max_hops=max_hops,
            min_strength=min_strength,
            avoid=avoid_ids,
            diverse_first_hops=diverse_first_hops,
            owner_mask=await self.owner_mask(viewer, view),
        )
        return [await self._render(viewer, p.nodes, p.strengths, p.probability) for p in paths]

    async def introducers(
        self,
        viewer: Viewer,
        to_ref: str,
        *,
        from_ref: str | None = None,
        limit: int = 5,
        max_hops: int = 3,
        avoid: Sequence[str] = (),
        penalty: algorithms.PenaltyHook | None = None,
    ) -> list[IntroducerView]:
        self._check_hops(max_hops)
        sources = await self.requesters(viewer, from_ref)
        target = await self.resolve(viewer, to_ref)
        avoid_ids = [p.id for p in await self.resolve_many(viewer, avoid)]
        view = await self.store.planning_view(viewer.workspace)
        ranks = algorithms.rank_introducers(
            view.graph,
            [s.id for s in sources],
            target.id,
            max_hops=max_hops,
            limit=limit,
            avoid=avoid_ids,
            owner_mask=await self.owner_mask(viewer, view),
            penalty=penalty,
        )
        out = []
        for r in ranks:
            person = await self.store.person(viewer.workspace, r.introducer)
            assert person is not None  # the graph only holds stored people
            path = await self._render(viewer, r.path.nodes, r.path.strengths, r.path.probability)
            out.append(IntroducerView(person, r.score, r.path_probability, path, r.reasons))
        return out

    async def reach(
        self,
        viewer: Viewer,
        *,
        company: str | None,
        title: str | None = None,
        from_ref: str | None = None,
        limit: int = 20,
        max_hops: int = 3,
    ) -> list[PathView]:
        self._check_hops(max_hops)
        if not (company or title):
            raise InvalidInput("give a company, a title or both", field="company")
        sources = await self.requesters(viewer, from_ref)
        view = await self.store.planning_view(viewer.workspace)
        ws = viewer.workspace
        people = {p.id: p for p in await self.store.people(ws)}
        company_n = (company or "").casefold().strip()
        title_n = (title or "").casefold().strip()

        def matches(pid: str) -> bool:
            p = people.get(pid)
            if p is None:
                return False
            return (not company_n or company_n in p.company.casefold()) and (
                not title_n or title_n in p.position.casefold()
            )

        paths = algorithms.reach(
            view.graph,
            [s.id for s in sources],
            matches=matches,
            max_hops=max_hops,
            limit=limit,
            owner_mask=await self.owner_mask(viewer, view),
        )
        return [await self._render(viewer, p.nodes, p.strengths, p.probability) for p in paths]

    async def stats(self, viewer: Viewer) -> Stats:
        return await self.store.stats(viewer.workspace)

    # -- rendering ------------------------------------------------------------------
    async def evidence_lines(self, viewer: Viewer, a: str, b: str) -> tuple[str, ...]:
        rel = await self.store.relationship(viewer.workspace, a, b)
        if rel is None:
            return ()
        merged = merge_evidence(list(rel.evidence))
        return estimate_strength(merged, as_of=self.today, weights=self.weights).lines

    async def _render(
        self,
        viewer: Viewer,
        nodes: Sequence[str],
        strengths: Sequence[float],
        probability: float,
    ) -> PathView:
        people = []
        for pid in nodes:
            person = await self.store.person(viewer.workspace, pid)
            if person is None:
                raise PersonNotFound(pid)
            people.append(person)
        steps = tuple(
            Step(a, b, s, await self.evidence_lines(viewer, a, b))
            for a, b, s in zip(nodes, nodes[1:], strengths, strict=True)
        )
        return PathView(tuple(people), steps, probability)
