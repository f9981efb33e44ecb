"""Outreach services: introducer ranking with history, drafts, lint, intro requests.

Ranking here wraps the planner's with the workspace's asking history: recent
asks tire an introducer and their accept/decline record calibrates their score
(see :mod:`graph.intro`). Drafts come from a :class:`outreach.draft.DraftEngine`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from graph.errors import Forbidden, InvalidInput, PersonNotFound, WarmintroError
from graph.intro import IntroRequest, IntroStatus, OutcomePolicy, introducer_adjustments
from graph.model import DEFAULT_MAX_HOPS, Person, Relationship
from graph.paths import IntroducerList, IntroducerView
from outreach.lint import LintResult, lint_outreach
from services.access import Viewer
from services.appdb import AppDB
from services.planner import Planner

if TYPE_CHECKING:
    from outreach.draft import DraftEngine


@dataclass(frozen=True, slots=True)
class DraftView:
    """A draft and whom it involves. ``kind`` "direct" is a note to a contact the
    requester already knows (``introducer`` is then the target, its addressee);
    ``alternative`` is an intro request through a much warmer route, when one exists;
    ``next_hop`` is set on a path longer than two hops: the person the introducer is
    asked to introduce, who is connected to ``target``."""

    draft: Any  # outreach.draft.Draft
    requester: Person
    introducer: Person
    target: Person
    kind: str = "intro"
    alternative: DraftView | None = None
    next_hop: Person | None = None


TONES = ("warm", "formal", "brief")

MUCH_WARMER = 2.0
"""A route through an introducer is offered beside a direct note when its probability is
at least this many times the direct tie's strength."""


def _check_goal(goal: str, tone: str) -> None:
    """Refuse a goal a draft cannot honestly carry (empty, too long, a pitch in itself)."""
    if not goal.strip():
        raise InvalidInput("say in your own words what you want to talk about", field="goal")
    if len(goal) > 500:
        raise InvalidInput("keep the goal under 500 characters", field="goal")
    if tone not in TONES:
        raise InvalidInput(f"tone is {', '.join(TONES)}; got {tone!r}", field="tone")
    flagged = [f for f in lint_outreach(goal).findings if f.severity.value == "error"]
    if flagged:
        raise InvalidInput(
            "the goal itself reads as a pitch or pressure ("
            + "; ".join(f"{f.rule}: {f.excerpt!r}" for f in flagged)
            + "); say plainly what you want to learn or ask about",
            field="goal",
        )


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Outreach:
    def __init__(
        self,
        planner: Planner,
        appdb: AppDB,
        *,
        policy: OutcomePolicy | None = None,
        engine: DraftEngine | None = None,
    ) -> None:
        self.planner = planner
        self.appdb = appdb
        self.policy = policy or OutcomePolicy()
        self._engine = engine

    @property
    def engine(self) -> DraftEngine:
        if self._engine is None:
            from outreach.draft import TemplateDraftEngine

            self._engine = TemplateDraftEngine()
        return self._engine

    @staticmethod
    def lint(text: str) -> LintResult:
        return lint_outreach(text)

    async def introducers(
        self,
        viewer: Viewer,
        to_ref: str,
        *,
        from_ref: str | None = None,
        limit: int = 5,
        max_hops: int = DEFAULT_MAX_HOPS,
        avoid: Sequence[str] = (),
        company: str = "",
        title: str = "",
    ) -> IntroducerList:
        """The planner's ranking, adjusted by fatigue and acceptance history.

        With a ``company`` hint, a target nobody has in their data is planned to
        through the people the team reaches at that company (inferred last tie).
        """
        if company.strip() and not await self._known(viewer, to_ref):
            return await self.planner.introducers_outside(
                viewer,
                to_ref,
                company=company,
                title=title,
                from_ref=from_ref,
                limit=limit,
                max_hops=max_hops,
            )
        history = self.appdb.intro_requests(viewer.workspace)
        penalty = introducer_adjustments(history, now=_now(), policy=self.policy)
        return await self.planner.introducers(
            viewer,
            to_ref,
            from_ref=from_ref,
            limit=limit,
            max_hops=max_hops,
            avoid=avoid,
            penalty=penalty,
        )

    async def _known(self, viewer: Viewer, ref: str) -> bool:
        """Whether ``ref`` names someone the viewer may plan to."""
        if not ref.strip():
            return False
        try:
            await self.planner.resolve(viewer, ref)
        except PersonNotFound:
            return False
        return True

    async def draft(
        self,
        viewer: Viewer,
        to_ref: str,
        *,
        goal: str,
        via_ref: str | None = None,
        from_ref: str | None = None,
        tone: str = "warm",
    ) -> DraftView:
        """A referral request: to an introducer who knows the target, or, on a longer
        path, to the first introducer about the next person on it (named target kept)."""
        _check_goal(goal, tone)
        planner = self.planner
        target = await planner.resolve(viewer, to_ref)
        requesters = await planner.requesters(viewer, from_ref)
        usable = await planner.usable_owners(viewer, browse=False)

        async def tie(a: str, b: str) -> Relationship | None:
            return await planner.visible_relationship(viewer, a, b, usable=usable)

        if via_ref:
            introducer = await planner.resolve(viewer, via_ref)
            knowing = []
            if await tie(introducer.id, target.id) is not None:
                knowing = [p for p in requesters if await tie(p.id, introducer.id)]
            if not knowing:
                # Not a recorded two-hop route (a longer path, or a teammate or inferred
                # tie on it): take the best route the planner finds through them.
                route = await self._route_through(viewer, to_ref, from_ref, introducer.id)
                if route is None:
                    raise InvalidInput(
                        f"{introducer.name} has no path to {target.name} in this graph; "
                        "ask for the introducers list to see who does",
                        field="via",
                    )
                return await self._first_step(route.path.people, goal, tone, tie)
            requester = knowing[0]
        else:
            found = await self.introducers(viewer, to_ref, from_ref=from_ref, limit=20)
            via_one = [r for r in found.introducers if r.path.hops == 2]
            if found.direct is not None:
                direct = found.direct
                note = await self._direct_note(direct.requester, target, goal, tone, tie)
                warmer = via_one[0] if via_one else None
                if warmer is None or warmer.path_probability < MUCH_WARMER * direct.strength:
                    return note
                intro = await self._intro_draft(
                    direct.requester, warmer.person, target, goal, tone, tie
                )
                return replace(note, alternative=intro)
            if not via_one:
                if not found.introducers:
                    raise InvalidInput(
                        f"nobody in your network can introduce you to {target.name}", field="to"
                    )
                return await self._first_step(found.introducers[0].path.people, goal, tone, tie)
            introducer = via_one[0].person
            requester = via_one[0].path.people[0]
        return await self._intro_draft(requester, introducer, target, goal, tone, tie)

    async def _direct_note(
        self,
        requester: Person,
        target: Person,
        goal: str,
        tone: str,
        tie: Callable[[str, str], Awaitable[Relationship | None]],
    ) -> DraftView:
        from outreach.draft import DraftContext, Tone

        ctx = DraftContext(
            requester=requester,
            introducer=target,
            target=target,
            requester_introducer=await tie(requester.id, target.id),
            introducer_target=None,
            goal=goal.strip(),
            tone=Tone(tone),
            today=self.planner.today,
        )
        draft = self.engine.direct_note(ctx)
        return DraftView(draft, requester, target, target, kind="direct")

    async def _first_step(
        self,
        people: Sequence[Person],
        goal: str,
        tone: str,
        tie: Callable[[str, str], Awaitable[Relationship | None]],
    ) -> DraftView:
        """The ask for the first step of a path (requester, introducer, next, …, target):
        double opt-in goes one hop at a time, so the introducer is asked about the next
        person, and the draft names the real target as the reason."""
        requester, introducer, target = people[0], people[1], people[-1]
        if len(people) <= 3:
            return await self._intro_draft(requester, introducer, target, goal, tone, tie)
        return await self._intro_draft(
            requester, introducer, people[2], goal, tone, tie, goal_target=target
        )

    async def _intro_draft(
        self,
        requester: Person,
        introducer: Person,
        target: Person,
        goal: str,
        tone: str,
        tie: Callable[[str, str], Awaitable[Relationship | None]],
        *,
        goal_target: Person | None = None,
    ) -> DraftView:
        """With ``goal_target``, ``target`` is the next hop and the view's target is the
        person to reach (``next_hop`` names the person the introducer is asked about)."""
        from outreach.draft import DraftContext, Tone

        ctx = DraftContext(
            requester=requester,
            introducer=introducer,
            target=target,
            requester_introducer=await tie(requester.id, introducer.id),
            introducer_target=await tie(introducer.id, target.id),
            goal=goal.strip(),
            tone=Tone(tone),
            today=self.planner.today,
            goal_target=goal_target,
        )
        draft = self.engine.draft(ctx)
        if goal_target is None:
            return DraftView(draft, requester, introducer, target)
        return DraftView(draft, requester, introducer, goal_target, next_hop=target)

    async def create_request(
        self,
        viewer: Viewer,
        to_ref: str,
        *,
        via_ref: str,
        goal: str,
        from_ref: str | None = None,
        draft: str = "",
    ) -> IntroRequest:
        planner = self.planner
        target = await planner.resolve(viewer, to_ref)
        introducer = await planner.resolve(viewer, via_ref)
        requester = (await planner.requesters(viewer, from_ref))[0]
        if viewer.member and requester.id != viewer.member:
            raise Forbidden("members record intro requests only for themselves")
        if not goal.strip():
            raise InvalidInput("a request needs a goal", field="goal")
        usable = await planner.usable_owners(viewer, browse=False)
        knows_requester = await planner.visible_relationship(
            viewer, requester.id, introducer.id, usable=usable
        )
        knows_target = await planner.visible_relationship(
            viewer, introducer.id, target.id, usable=usable
        )
        if (
            knows_requester is None
            and knows_target is None
            and not await self._on_a_route(viewer, to_ref, from_ref, introducer.id)
        ):
            raise InvalidInput(
                f"{introducer.name} knows neither you nor {target.name} in this graph; "
                "ask someone on a path to them (see the introducers list)",
                field="via",
            )
        errors = [f for f in lint_outreach(draft).findings if f.severity.value == "error"]
        if draft.strip() and errors:
            raise InvalidInput(
                "the draft has lint errors; fix them before recording the ask ("
                + "; ".join(f"{f.rule}: {f.excerpt!r}" for f in errors)
                + ")",
                field="draft",
            )
        return self.appdb.create_intro_request(
            viewer.workspace,
            requester=requester.id,
            introducer=introducer.id,
            target=target.id,
            goal=goal.strip(),
            draft=draft,
        )

    async def _on_a_route(
        self, viewer: Viewer, to_ref: str, from_ref: str | None, introducer_id: str
    ) -> bool:
        """Whether the planner routes to the target through this first introducer."""
        try:
            return await self._route_through(viewer, to_ref, from_ref, introducer_id) is not None
        except WarmintroError:
            return False

    async def _route_through(
        self, viewer: Viewer, to_ref: str, from_ref: str | None, introducer_id: str
    ) -> IntroducerView | None:
        """The planner's best route to the target that starts with this introducer (a
        teammate or an inferred colleague has no recorded tie, but is a real route)."""
        found = await self.introducers(viewer, to_ref, from_ref=from_ref, limit=50)
        return next((r for r in found.introducers if r.person.id == introducer_id), None)

    def update_request(self, viewer: Viewer, request_id: str, status: IntroStatus) -> IntroRequest:
        current = self.appdb.intro_request(viewer.workspace, request_id)
        if viewer.member and current.requester != viewer.member:
            raise Forbidden("only the requester may update this intro request")
        return self.appdb.update_intro_status(viewer.workspace, request_id, status)

    def requests(self, viewer: Viewer, status: IntroStatus | None = None) -> list[IntroRequest]:
        return self.appdb.intro_requests(viewer.workspace, status=status, requester=viewer.member)
