"""Application services: what the CLI and the GraphQL resolvers call.

Each service method parses nothing and renders nothing: it resolves person
references, asks the store for a planning view, runs a pure algorithm and
returns plain records. Edges (CLI, API) only translate.
"""

from __future__ import annotations

import asyncio
import os
import pickle
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date
from operator import is_
from types import MappingProxyType
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from graph import algorithms
from graph.colleagues import INFERRED_OWNER, TEAM_OWNER, colleague_strength
from graph.errors import (
    AmbiguousPerson,
    InvalidInput,
    PersonNotFound,
    QueryTooExpensive,
    WarmintroError,
)
from graph.exports import ExportGraph, ego_graph
from graph.identity import normalize_email, normalize_linkedin_url, normalize_name
from graph.model import (
    DEFAULT_MAX_HOPS,
    MAX_HOPS,
    Member,
    Person,
    Relationship,
    Sharing,
    canonical_pair,
)
from graph.paths import DirectTie, IntroducerList, IntroducerView, PathView, Step
from graph.store.base import GraphStore, PlanningView, Stats
from graph.strength import StrengthWeights, estimate_strength, merge_evidence
from graph.titles import title_matches
from services.access import AccessPolicy, OwnerFilter, Viewer, shadow_id
from services.erasure import Suppressions

PLAN_LEVELS = frozenset({Sharing.PATHS, Sharing.FULL})
"""Members' sharing levels whose ties a viewer may route through."""
EGO_MAX_NODES = 500
"""The most people an ego-network export holds (it says when it was cut)."""

PLANNING_BUDGET: ContextVar[algorithms.Budget | None] = ContextVar("planning_budget", default=None)
"""The expansion budget of the request being served (None: unlimited, the CLI).

The API sets it once per request (api/app.py) from the cost limit; every search the
request runs, through any service, draws on it, so no argument combination makes a
request do more work than its cost budget allows.
"""

T = TypeVar("T")
IN_THREAD_EXPANSIONS = 2_000
"""Expansions (about 20 ms) a budgeted search may make in the server's worker thread. A
search that needs more is run again in a forked child process: a pure-Python search holds
the GIL, and a thread holding it for long (or preempted by the OS while holding it) keeps
the event loop from answering anything. Forking the server (copy-on-write, the view frozen
out of the GC's sight) costs 2-4 ms at 150 MB."""


IN_LOOP_EXPANSIONS = 128
"""Expansions a budgeted search may make on the event loop itself before it is handed to
a worker thread. On the 1M-tie pooled team (scripts/bench_http_team.py) a trustedPath
search makes at most ~80 (p50 4), well under a millisecond of compiled code: less than
the hop to a thread and back costs the server per request. A search past this (a Yen
search's spurs, a pure-Python one, ~10 us each) moves to a thread (and past
IN_THREAD_EXPANSIONS to a child process) as before, so a request holds the loop for
about a millisecond at most."""

INTRODUCERS_IN_LOOP = 1024
"""The same for an introducers ranking: one compiled first-hop search of ~450-600
expansions on the bench's questions. At 128, 534 of its 900 rankings failed the trial
and ran again in a thread (the trial's work thrown away, plus the hop): in process
1.47 CPU-ms per introducers call at 128, 1.13 at 1024; the wall time a ranking held
the loop (load ~4) p50 0.32 / p99 6.6 ms at 128, 0.50 / 8.5 ms at 1024."""


class _NeedsThread(Exception):
    """The search needs more expansions than the event loop may give it."""


def on_loop(
    search: Callable[[algorithms.Budget | None], T],
    budget: algorithms.Budget,
    allowance: int = IN_LOOP_EXPANSIONS,
) -> T:
    """``search`` within ``allowance`` expansions of ``budget``; ``_NeedsThread`` (the
    trial's expansions charged) when it would need more."""
    trial = algorithms.Budget(min(allowance, budget.allowance()))
    try:
        found = search(trial)
    except QueryTooExpensive:
        if trial.total >= budget.left:  # the trial was all the request had left
            raise QueryTooExpensive(budget.total) from None
        budget.charge(trial.total)
        raise _NeedsThread from None
    budget.charge(trial.total - trial.left)
    return found


def run_search(
    search: Callable[[algorithms.Budget | None], T], budget: algorithms.Budget | None
) -> T:
    """Run ``search`` in this thread if it is short, else in a child process (see above).

    Without a budget (the CLI) or without ``fork``, the search simply runs here.
    """
    if budget is None or not hasattr(os, "fork"):
        return search(budget)
    trial = algorithms.Budget(min(IN_THREAD_EXPANSIONS, budget.allowance()))
    try:
        found = search(trial)
    except QueryTooExpensive:
        if trial.total >= budget.left:  # the trial was all the request had left
            raise QueryTooExpensive(budget.total) from None
        budget.charge(trial.total)
        return _in_child(search, budget)
    budget.charge(trial.total - trial.left)
    return found


def _in_child(search: Callable[[algorithms.Budget | None], T], budget: algorithms.Budget) -> T:
    """Fork, run ``search`` in the child, read its pickled result (or domain error) back."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: only the search, the pipe and _exit, nothing shared
        os.close(read_end)
        try:
            try:
                payload: tuple[Any, ...] = ("ok", search(budget), budget.left)
            except WarmintroError as err:
                payload = ("error", (type(err), err.args, err.__dict__), budget.left)
            data = pickle.dumps(payload)
        except BaseException as crash:
            data = pickle.dumps(("crash", repr(crash)[:500], budget.left))
        with os.fdopen(write_end, "wb") as out:
            out.write(data)
        os._exit(0)
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as inp:
            data = inp.read()
    finally:
        os.waitpid(pid, 0)
    if not data:
        raise RuntimeError("the search process died without an answer")
    kind, value, left = pickle.loads(data)  # noqa: S301 - our own child, through our own pipe
    budget.charge(budget.left - left)
    if kind == "error":
        cls, args, attrs = value
        problem = cls.__new__(cls)
        problem.args = args
        problem.__dict__.update(attrs)
        raise problem
    if kind == "crash":
        raise RuntimeError(f"the search process failed: {value}")
    result: T = value
    return result


def outside_person(ref: str, company: str, title: str = "") -> Person:
    """A stand-in for someone in nobody's data, from what the user knows of them.

    >>> outside_person("linkedin.com/in/marcus-bell", "Quillfeather Labs").id
    'outside:marcus-bell'
    >>> outside_person("", "Northwind Bank", "CTO").name
    'the CTO at Northwind Bank'
    """
    url = normalize_linkedin_url(ref) if looks_like_url(ref) else ""
    slug = url.rsplit("/", 1)[-1] if url else normalize_name(ref).replace(" ", "-")
    name = ref.strip() if ref.strip() and not url else ""
    if not name:
        name = f"the {title.strip()} at {company.strip()}" if title.strip() else slug
    key = slug or normalize_name(f"{title} {company}").replace(" ", "-")
    return Person(
        id=f"outside:{key}", name=name, company=company.strip(), position=title.strip(), url=url
    )


def describe(p: Person) -> str:
    """How a candidate is shown to someone choosing between namesakes.

    >>> describe(Person("li:ana", "Ana Pérez", company="Acme", position="CTO"))
    'Ana Pérez (CTO, Acme) [li:ana]'
    """
    role = ", ".join(x for x in (p.position, p.company) if x)
    return f"{p.name} ({role}) [{p.id}]" if role else f"{p.name} [{p.id}]"


def looks_like_url(ref: str) -> bool:
    return "linkedin.com/" in ref.casefold()


@dataclass(frozen=True, slots=True)
class _Search:
    """A path query's resolved inputs: ids of who asks, the target and who to avoid."""

    sources: list[str]
    target: str
    avoid: list[str]
    view: PlanningView
    owner_mask: int | None
    known: dict[str, Person]  # the sources and the target as resolved: rendering reuses them


class Planner:
    """Person resolution and planning over any :class:`GraphStore`."""

    def __init__(
        self,
        store: GraphStore,
        *,
        weights: StrengthWeights | None = None,
        today: date | None = None,
        max_hops_limit: int = MAX_HOPS,
        suppressions: Suppressions | None = None,
        planning_threads: int = 1,
    ) -> None:
        self.store = store
        self.suppressions = suppressions  # erased people, kept out of imports
        # Who a viewer mask may browse, per graph (stores with usable_ends).
        # One computation per graph and mask, shared by the requests that ask meanwhile.
        self._usable_ends: dict[tuple[int, int], tuple[object, asyncio.Future[set[str]]]] = {}
        # Sharing levels per workspace as last read (see _sharing_of), and the owner masks
        # derived from them per view and viewer (see _mask).
        self._sharing: dict[str, tuple[tuple[Member, ...], Mapping[str, Sharing]]] = {}
        self._masks: dict[
            str, tuple[PlanningView, Mapping[str, Sharing], dict[tuple[str | None, bool], int]]
        ] = {}
        self.weights = weights or StrengthWeights()
        self._today = today
        self.max_hops_limit = max_hops_limit
        self.planning_threads = planning_threads
        self._slots: tuple[asyncio.AbstractEventLoop, anyio.CapacityLimiter] | None = None

    async def _plan(
        self,
        search: Callable[[algorithms.Budget | None], T],
        in_loop: int = IN_LOOP_EXPANSIONS,
    ) -> T:
        """Run a pure search: a short one (``in_loop`` expansions) on the event loop, a
        longer one in a worker thread, at most ``planning_threads`` at once, so the
        event loop keeps answering (health checks, other keys) meanwhile.

        The search gets the request's expansion budget; when the request is cancelled
        (its timeout), the budget's ``stop`` flag makes the thread give up within
        about a thousand expansions instead of running on unseen.
        """
        budget = PLANNING_BUDGET.get()
        if budget is not None:
            try:
                return on_loop(search, budget, in_loop)
            except _NeedsThread:
                pass
        loop = asyncio.get_running_loop()
        if self._slots is None or self._slots[0] is not loop:
            self._slots = (loop, anyio.CapacityLimiter(self.planning_threads))
        try:
            return await anyio.to_thread.run_sync(
                run_search, search, budget, limiter=self._slots[1], abandon_on_cancel=True
            )
        except asyncio.CancelledError:  # the request timed out: the thread stops too
            if budget is not None:
                budget.stop = True
            raise

    @property
    def today(self) -> date:
        return self._today or date.today()

    # -- access -------------------------------------------------------------------
    async def policy(self, viewer: Viewer) -> AccessPolicy:
        """The viewer's access policy, read once per request (cached on the viewer)."""
        found = viewer.memo.get("policy")
        if found is None:
            sharing = self._sharing_of(viewer.workspace, await self.store.members(viewer.workspace))
            found = viewer.memo["policy"] = AccessPolicy(viewer.member, sharing)
        return found

    def _sharing_of(self, workspace: str, members: list[Member]) -> Mapping[str, Sharing]:
        """Members' sharing levels as a mapping, shared by the requests that read the same
        member rows: a store that caches them per stored version hands out the same
        ``Member`` objects until a write, so identity says the rules are unchanged
        (hundreds of members made this mapping a visible part of every request)."""
        hit = self._sharing.get(workspace)
        if hit is not None and len(hit[0]) == len(members) and all(map(is_, hit[0], members)):
            return hit[1]
        sharing = MappingProxyType({m.person_id: m.sharing for m in members})
        if len(self._sharing) >= 64:
            self._sharing.clear()
        self._sharing[workspace] = (tuple(members), sharing)
        return sharing

    async def visible_ids(
        self, viewer: Viewer, *, browse: bool, view: PlanningView | None = None
    ) -> set[str] | None:
        """Everyone the viewer may see (None: everyone): members, and the ends of ties
        with evidence the viewer may use. Same rule as :meth:`may_see`, for a whole
        workspace at once."""
        policy = await self.policy(viewer)
        usable = policy.usable(browse=browse)
        if usable is None:
            return None
        view = view or await self.store.planning_view(viewer.workspace)
        seen = set(policy.sharing)
        if view.usable_ends is not None:
            allowed = view.mask_for(policy.members_usable(browse=browse))
            key = (id(view.graph), allowed)
            hit = self._usable_ends.get(key)
            loop = asyncio.get_running_loop()
            if hit is not None and hit[0] is view.graph and hit[1].done():
                if hit[1].exception() is None:
                    return seen | hit[1].result()
                hit = None
            if hit is None or hit[0] is not view.graph or hit[1].get_loop() is not loop:
                future = asyncio.ensure_future(
                    asyncio.to_thread(view.usable_ends, lambda mask: bool(mask & allowed))
                )
                if len(self._usable_ends) >= 32:  # a few graphs x the viewers' masks
                    self._usable_ends.pop(next(iter(self._usable_ends)))
                hit = self._usable_ends[key] = (view.graph, future)
            return seen | await asyncio.shield(hit[1])
        for pair, owners in view.evidence.items():
            if any(usable(o) for o in owners):
                seen.update(pair)
        return seen

    # -- people -------------------------------------------------------------------
    async def resolve(
        self,
        viewer: Viewer,
        ref: str,
        *,
        browse: bool = False,
        view: PlanningView | None = None,
    ) -> Person:
        """Resolve a PersonRef: an id, a LinkedIn profile URL (any form), an email, or
        an exact full name (case- and accent-insensitive).

        Raises ``PersonNotFound`` or ``AmbiguousPerson`` saying which. People the
        viewer may not see are reported exactly like people who do not exist, so
        probing by id, URL, email or name reveals nothing (see :meth:`may_see`); an
        ambiguity lists only candidates the viewer may see. With a planning
        ``view`` at hand, ids are looked up in it (no store round trip).
        """
        found = [
            p
            for p in await self._candidates(viewer, ref, view)
            if await self.may_see(viewer, p, browse=browse, view=view)
        ]
        if not found:
            raise PersonNotFound(ref)
        if len(found) > 1:
            found.sort(key=lambda p: (p.name, p.company, p.id))
            raise AmbiguousPerson(ref, [p.id for p in found], [describe(p) for p in found])
        return found[0]

    async def may_see(
        self, viewer: Viewer, person: Person, *, browse: bool, view: PlanningView | None = None
    ) -> bool:
        """Sharing rules: may ``viewer`` name ``person`` (plan) or look them up (browse)?

        Planning may use anyone reachable through evidence the viewer may route
        through (their own, public sources, ``paths`` and ``full`` members).
        Browsing is stricter: a ``paths`` member's contacts show only on paths.
        With a ``view`` whose store keeps the owner masks of observed ties, the rule
        is read from the person's ties there (as :meth:`visible_ids` does for a whole
        workspace) instead of from their evidence rows.
        """
        policy = await self.policy(viewer)
        if policy.admin or person.id == viewer.member or policy.is_member(person.id):
            return True
        if view is not None and view.observed_mask is not None:
            allowed = await self._mask(viewer, view, {Sharing.FULL} if browse else PLAN_LEVELS)
            return allowed is None or bool(view.observed_mask(person.id) & allowed)
        usable = policy.usable(browse=browse)
        return any(
            usable is None or usable(e.owner)
            for r in await self.store.relationships_of(viewer.workspace, person.id)
            for e in r.evidence
        )

    async def usable_owners(self, viewer: Viewer, *, browse: bool) -> OwnerFilter | None:
        """Whose evidence the viewer may use (None: anyone's): their own, non-member
        sources', and members' sharing ``full`` (browse) or ``paths``/``full`` (plan)."""
        return (await self.policy(viewer)).usable(browse=browse)

    async def visible_relationship(
        self,
        viewer: Viewer,
        a: str,
        b: str,
        *,
        usable: OwnerFilter | None,
        view: PlanningView | None = None,
    ) -> Relationship | None:
        """The tie with only the evidence ``usable`` admits (None if nothing is left):
        a private member's messages never explain someone else's path or draft."""
        if view is not None:
            rel = view.relationship(a, b)
        else:
            rel = await self.store.relationship(viewer.workspace, a, b)
        if rel is None or usable is None:
            return rel
        kept = tuple(e for e in rel.evidence if usable(e.owner))
        return replace(rel, evidence=kept) if kept else None

    async def _candidates(
        self, viewer: Viewer, ref: str, view: PlanningView | None = None
    ) -> list[Person]:
        """Everyone ``ref`` could mean, before any visibility check."""
        ref = ref.strip()
        if not ref:
            raise InvalidInput("empty person reference", field="ref")
        ws = viewer.workspace
        person = view.person(ref) if view is not None else None
        if person is None:
            person = await self.store.person(ws, ref)
        if person is not None:
            # A member's upload that named a hidden person's id got its own node.
            shadow = await self.store.person(ws, shadow_id(ref, viewer)) if viewer.member else None
            return [person, shadow] if shadow else [person]
        if looks_like_url(ref):
            url = normalize_linkedin_url(ref)
            matches = await self.store.people_by_url(ws, url) if url else []
        elif "@" in ref:
            email = normalize_email(ref)
            matches = await self.store.people_by_email(ws, email) if email else []
        else:
            view = view or await self.store.planning_view(ws)
            ids = view.names.get(normalize_name(ref), ())
            matches = [p for pid in ids if (p := view.person(pid)) is not None]
        if matches:
            return matches
        merged_into = {m.merged: m.kept for m in await self.store.merges(ws)}.get(ref)
        if merged_into:
            found = await self.store.person(ws, merged_into)
            if found:
                return [found]
        return []

    async def resolve_many(
        self, viewer: Viewer, refs: Sequence[str], view: PlanningView | None = None
    ) -> list[Person]:
        return [await self.resolve(viewer, r, view=view) for r in refs]

    async def search(
        self, viewer: Viewer, text: str, *, limit: int, offset: int = 0
    ) -> tuple[list[Person], bool]:
        """People matching ``text`` the viewer may browse, and whether more exist.

        Exact full-name matches come first, accents and case aside ("jose alvarez"
        finds "José Álvarez"), then everyone whose fields contain the text.
        """
        out: list[Person] = []
        view = await self.store.planning_view(viewer.workspace)
        named = [p for pid in view.names.get(normalize_name(text), ()) if (p := view.person(pid))]
        seen: set[str] = set()
        skip = offset
        for p in named:
            if await self.may_see(viewer, p, browse=True):
                seen.add(p.id)
                if skip:
                    skip -= 1
                else:
                    out.append(p)
        batch_offset = 0
        batch = max(limit * 4, 50)
        while len(out) <= limit:
            found = await self.store.search_people(
                viewer.workspace, text, limit=batch, offset=batch_offset
            )
            for p in found:
                if p.id not in seen and await self.may_see(viewer, p, browse=True):
                    if skip:
                        skip -= 1
                    else:
                        out.append(p)
            if len(found) < batch:
                break
            batch_offset += batch
        return out[:limit], len(out) > limit

    async def requesters(
        self, viewer: Viewer, from_ref: str | None, view: PlanningView | None = None
    ) -> list[Person]:
        """The path sources: the named person, else the viewer, else the whole team."""
        if from_ref:
            return [await self.resolve(viewer, from_ref, view=view)]
        if viewer.member:
            return [await self.resolve(viewer, viewer.member, view=view)]
        policy = await self.policy(viewer)
        people = [
            p for m in sorted(policy.sharing) if (p := await self.store.person(viewer.workspace, m))
        ]
        if not people:
            raise InvalidInput(
                "nobody to plan from: this workspace has no members yet; pass --from", field="from"
            )
        return people

    async def owner_mask(self, viewer: Viewer, view: PlanningView) -> int | None:
        """Which owners' evidence the viewer may route through (None: all)."""
        return await self._mask(viewer, view, PLAN_LEVELS)

    async def browse_mask(self, viewer: Viewer, view: PlanningView) -> int | None:
        """Which owners' ties the viewer may browse (None: all): a ``paths`` member's
        contacts show only on paths, so only ``full`` members' ties (and the viewer's
        own and public sources') are browsable."""
        return await self._mask(viewer, view, {Sharing.FULL})

    async def _mask(
        self, viewer: Viewer, view: PlanningView, usable: frozenset[Sharing] | set[Sharing]
    ) -> int | None:
        policy = await self.policy(viewer)
        if policy.admin:
            return None
        browse = Sharing.PATHS not in usable
        # The same rules (the same sharing mapping) and the same view give the same mask:
        # one table per workspace, dropped with its view or rules (never keeping an old
        # graph alive), so a write (new member rows) or a new view recomputes it.
        table = self._masks.get(viewer.workspace)
        if table is None or table[0] is not view or table[1] is not policy.sharing:
            table = self._masks[viewer.workspace] = (view, policy.sharing, {})
        key = (policy.member, browse)
        mask = table[2].get(key)
        if mask is None:
            mask = table[2][key] = view.mask_for(policy.members_usable(browse=browse))
        return mask

    # -- planning -------------------------------------------------------------------
    def _check_hops(self, max_hops: int) -> None:
        if not 1 <= max_hops <= self.max_hops_limit:
            raise InvalidInput(
                f"max hops must be between 1 and {self.max_hops_limit}, got {max_hops}",
                field="maxHops",
            )

    async def _search(
        self,
        viewer: Viewer,
        from_ref: str | None,
        to_ref: str,
        avoid: Sequence[str],
        max_hops: int,
    ) -> _Search:
        """Resolve what every path query needs, in the order users' mistakes surface."""
        self._check_hops(max_hops)
        view = await self.store.planning_view(viewer.workspace)
        sources = await self.requesters(viewer, from_ref, view)
        target = await self.resolve(viewer, to_ref, view=view)
        avoid_ids = [p.id for p in await self.resolve_many(viewer, avoid, view)]
        return _Search(
            [s.id for s in sources],
            target.id,
            avoid_ids,
            view,
            await self.owner_mask(viewer, view),
            {p.id: p for p in (*sources, target)},
        )

    async def trusted_path(
        self,
        viewer: Viewer,
        from_ref: str | None,
        to_ref: str,
        *,
        max_hops: int = DEFAULT_MAX_HOPS,
        min_strength: float = 0.0,
        avoid: Sequence[str] = (),
    ) -> PathView:
        q = await self._search(viewer, from_ref, to_ref, avoid, max_hops)
        path = await self._plan(
            lambda budget: algorithms.most_trusted_path(
                q.view.graph,
                q.sources,
                q.target,
                max_hops=max_hops,
                min_strength=min_strength,
                avoid=q.avoid,
                owner_mask=q.owner_mask,
                budget=budget,
            )
        )
        return await self._render(
            viewer, q.view, path.nodes, path.strengths, path.probability, q.known
        )

    async def alternative_paths(
        self,
        viewer: Viewer,
        from_ref: str | None,
        to_ref: str,
        *,
        k: int = 3,
        max_hops: int = DEFAULT_MAX_HOPS,
        min_strength: float = 0.0,
        avoid: Sequence[str] = (),
        diverse_first_hops: bool = True,
    ) -> list[PathView]:
        if not 1 <= k <= 50:
            raise InvalidInput(f"k must be between 1 and 50, got {k}", field="k")
        q = await self._search(viewer, from_ref, to_ref, avoid, max_hops)
        paths = await self._plan(
            lambda budget: algorithms.alternative_paths(
                q.view.graph,
                q.sources,
                q.target,
                k=k,
                max_hops=max_hops,
                min_strength=min_strength,
                avoid=q.avoid,
                diverse_first_hops=diverse_first_hops,
                owner_mask=q.owner_mask,
                budget=budget,
            )
        )
        return [
            await self._render(viewer, q.view, p.nodes, p.strengths, p.probability, q.known)
            for p in paths
        ]

    async def introducers(
        self,
        viewer: Viewer,
        to_ref: str,
        *,
        from_ref: str | None = None,
        limit: int = 5,
        max_hops: int = DEFAULT_MAX_HOPS,
        avoid: Sequence[str] = (),
        penalty: algorithms.PenaltyHook | algorithms.Penalties | None = None,
    ) -> IntroducerList:
        """Who can introduce the requester to the target, best first.

        When the requester (or, for a team query, some member) already knows the
        target, that direct tie is the answer (``direct``) and only routes warmer
        than it are listed.
        """
        q = await self._search(viewer, from_ref, to_ref, avoid, max_hops)
        direct = await self._direct(viewer, q)
        ranks = await self._plan(
            lambda budget: algorithms.rank_introducers(
                q.view.graph,
                q.sources,
                q.target,
                max_hops=max_hops,
                limit=limit,
                avoid=q.avoid,
                owner_mask=q.owner_mask,
                penalty=penalty,
                budget=budget,
            ),
            INTRODUCERS_IN_LOOP,
        )
        out = []
        for r in ranks:
            if direct is not None and r.path_probability <= direct.strength:
                continue
            person = await self._person(viewer, q.view, r.introducer)
            path = await self._render(
                viewer, q.view, r.path.nodes, r.path.strengths, r.path.probability, q.known
            )
            out.append(IntroducerView(person, r.score, r.path_probability, path, r.reasons))
        return IntroducerList(direct, tuple(out))

    async def introducers_outside(
        self,
        viewer: Viewer,
        to_ref: str,
        *,
        company: str,
        title: str = "",
        from_ref: str | None = None,
        limit: int = 5,
        max_hops: int = DEFAULT_MAX_HOPS,
    ) -> IntroducerList:
        """Likely introducers to someone in nobody's data, given where they work.

        Colleagues probably know each other a little (:mod:`graph.colleagues`), so
        the team's warmest routes to people at ``company`` end in an inferred tie to
        the target. The target is a stand-in person (``outside:`` id) built from the
        reference (a URL or a name) and the hint; every such route is marked inferred.
        """
        self._check_hops(max_hops)
        if not company.strip():
            raise InvalidInput("say where they work: a company hint is needed", field="company")
        view = await self.store.planning_view(viewer.workspace)
        sources = await self.requesters(viewer, from_ref, view)
        # Only colleagues the viewer may plan to: the company's size as the strength
        # model sees it must not count people the viewer's sharing rules hide.
        visible = await self.visible_ids(viewer, browse=False, view=view)
        colleagues = [c for c in view.people_at(company) if visible is None or c in visible]
        target = outside_person(to_ref, company, title)
        if not view.options.infer_colleagues:  # every route here ends in an inferred tie
            raise InvalidInput(
                "colleague inference is off in this workspace, and only an inferred tie "
                "reaches someone in nobody's data (an admin can switch it on)",
                field="hint",
            )
        if not colleagues:
            return IntroducerList(None, ())
        strength = colleague_strength(
            len(colleagues),
            ceiling=self.weights.colleague_ceiling,
            scale=self.weights.colleague_scale,
        )
        source_ids = [s.id for s in sources]
        mask = await self.owner_mask(viewer, view)
        paths = await self._plan(
            lambda budget: algorithms.reach(
                view.graph,
                source_ids,
                targets=colleagues,
                max_hops=max_hops - 1 if max_hops > 1 else 1,
                limit=max(limit * 4, 20),
                owner_mask=mask,
                budget=budget,
            )
        )
        seen: set[str] = set()
        out: list[IntroducerView] = []
        for source in sources:  # a requester who works there knows the place first-hand
            if source.id in colleagues:
                step = Step(
                    source.id,
                    target.id,
                    strength,
                    (f"{source.name} works at {source.company} (inferred)",),
                    (),
                    True,
                )
                path = PathView((source, target), (step,), strength)
                reasons: tuple[str, ...] = (f"{source.name} works there",)
                out.append(IntroducerView(source, strength, strength, path, reasons))
                seen.add(source.id)
        for p in paths:
            first = p.nodes[1]  # the one the requester asks: the colleague, or who knows them
            if first in seen:
                continue
            seen.add(first)
            known = await self._render(viewer, view, p.nodes, p.strengths, p.probability)
            last = known.people[-1]
            step = Step(
                last.id,
                target.id,
                strength,
                (
                    f"{last.name} works at {last.company}; {target.name} is said to work "
                    "there too (inferred)",
                ),
                (),
                True,
            )
            probability = p.probability * strength
            path = PathView((*known.people, target), (*known.steps, step), probability)
            reasons = (f"reaches {last.name} at {last.company}", "the last tie is inferred")
            person = known.people[1]
            out.append(IntroducerView(person, probability, probability, path, reasons))
            if len(out) == limit:
                break
        return IntroducerList(None, tuple(out))

    async def _direct(self, viewer: Viewer, q: _Search) -> DirectTie | None:
        """The strongest tie a requester has to the target, if the viewer may use one."""
        g = q.view.graph
        best: tuple[float, str] | None = None
        for source in q.sources:
            if source == q.target or source not in g or q.target not in g:
                continue
            strength = g.strength(source, q.target)
            mask = g.mask(source, q.target) or 0
            usable = q.owner_mask is None or mask & q.owner_mask
            if strength is not None and usable and (best is None or strength > best[0]):
                best = (strength, source)
        if best is None:
            return None
        path = await self._render(viewer, q.view, [best[1], q.target], [best[0]], best[0], q.known)
        step = path.steps[0]
        return DirectTie(path.people[0], path.people[1], best[0], step.evidence, step.sources)

    async def reach(
        self,
        viewer: Viewer,
        *,
        company: str | None,
        title: str | None = None,
        from_ref: str | None = None,
        limit: int = 20,
        max_hops: int = DEFAULT_MAX_HOPS,
    ) -> list[PathView]:
        """The warmest paths to people at ``company`` and/or with ``title``.

        Companies match however they are spelt ("ACME, Inc." is "Acme"); titles match
        words and common abbreviations ("CTO" is "Chief Technology Officer", not
        "Director"). Each path names the member whose network it uses (``requester``).
        """
        self._check_hops(max_hops)
        if not ((company or "").strip() or (title or "").strip()):
            raise InvalidInput("give a company, a title or both", field="company")
        view = await self.store.planning_view(viewer.workspace)
        sources = await self.requesters(viewer, from_ref, view)
        targets = self._matching(view, company, title)
        mask = await self.owner_mask(viewer, view)
        paths = await self._plan(
            lambda budget: algorithms.reach(
                view.graph,
                [s.id for s in sources],
                targets=targets,
                max_hops=max_hops,
                limit=limit,
                owner_mask=mask,
                budget=budget,
            )
        )
        return [
            await self._render(viewer, view, p.nodes, p.strengths, p.probability) for p in paths
        ]

    @staticmethod
    def _matching(view: PlanningView, company: str | None, title: str | None) -> list[str]:
        if not (company or "").strip():
            if not (title or "").strip():
                return list(view.people)
            return [p.id for p in view.people.values() if title_matches(title or "", p.position)]
        ids = view.people_at(company or "")
        if not (title or "").strip():
            return list(ids)
        return [
            pid
            for pid in ids
            if (p := view.person(pid)) is not None and title_matches(title or "", p.position)
        ]

    async def stats(self, viewer: Viewer) -> Stats:
        """Counts of what the viewer may browse: an admin's are the workspace's; a
        member's leave out what teammates' levels hide (a ``private`` member's data,
        a ``paths`` member's contacts), so a count never reveals hidden people."""
        policy = await self.policy(viewer)
        usable = policy.usable(browse=True)
        if usable is None:
            return await self.store.stats(viewer.workspace)
        view = await self.store.planning_view(viewer.workspace)
        if view.counts_without is None:  # both stores set it; a view built by hand does not
            raise TypeError("the store's planning view cannot count a member's view")
        hidden = frozenset(m for m in policy.sharing if not usable(m))
        return await asyncio.to_thread(view.counts_without, hidden)

    # -- rendering ------------------------------------------------------------------
    async def evidence_lines(
        self,
        viewer: Viewer,
        a: str,
        b: str,
        *,
        usable: OwnerFilter | None,
        view: PlanningView | None = None,
    ) -> tuple[str, ...]:
        rel = await self.visible_relationship(viewer, a, b, usable=usable, view=view)
        if rel is None:
            return ()
        merged = merge_evidence(list(rel.evidence))
        return estimate_strength(merged, as_of=self.today, weights=self.weights).lines

    async def ego_network(
        self, viewer: Viewer, center_ref: str, *, hops: int, max_nodes: int = EGO_MAX_NODES
    ) -> ExportGraph:
        """A person's ego network to ``hops``, with names and evidence, as the viewer may
        browse it (a ``paths`` member's contacts stay off it, as in :meth:`search`).

        Ties come from the in-memory planning view (strengths as the planner sees
        them); people and evidence lines are looked up only for what made it into the
        capped graph.
        """
        if not 1 <= hops <= self.max_hops_limit:
            raise InvalidInput(
                f"hops must be between 1 and {self.max_hops_limit}, got {hops}", field="hops"
            )
        if not 1 <= max_nodes <= EGO_MAX_NODES:
            raise InvalidInput(
                f"maxNodes must be between 1 and {EGO_MAX_NODES}, got {max_nodes}",
                field="maxNodes",
            )
        view = await self.store.planning_view(viewer.workspace)
        center = await self.resolve(viewer, center_ref, browse=True, view=view)
        graph = view.graph
        mask = await self.browse_mask(viewer, view)

        def ties(pid: str) -> list[Step]:
            if pid not in graph:
                return []
            return [
                Step(pid, other, graph.strength(pid, other) or 0.0, ())
                for other in graph.neighbours(pid)
                if mask is None or (graph.mask(pid, other) or 0) & mask
            ]

        ego = ego_graph(center.id, ties, hops=hops, max_nodes=max_nodes)
        usable = await self.usable_owners(viewer, browse=True)
        for node in ego.nodes.values():
            person = await self._person(viewer, view, node.id)
            node.name, node.company = person.name, person.company
            node.position, node.url = person.position, person.url
        for edge in ego.edges.values():
            lines = await self.evidence_lines(
                viewer, edge.source, edge.target, usable=usable, view=view
            )
            edge.evidence = list(lines)
        return ego

    async def _person(self, viewer: Viewer, view: PlanningView, person_id: str) -> Person:
        """A person on a planned path: from the view the path came from, else the store."""
        person = view.person(person_id) or await self.store.person(viewer.workspace, person_id)
        if person is None:
            raise PersonNotFound(person_id)
        return person

    async def _render(
        self,
        viewer: Viewer,
        view: PlanningView,
        nodes: Sequence[str],
        strengths: Sequence[float],
        probability: float,
        known: Mapping[str, Person] | None = None,
    ) -> PathView:
        """Names, evidence and provenance for a path, from the view the search ran on
        (``known``: people this request already read, not read again)."""
        known = known or {}
        people = [known.get(pid) or await self._person(viewer, view, pid) for pid in nodes]
        policy = await self.policy(viewer)
        today = self.today
        usable = policy.usable(browse=False)
        members = set(policy.sharing)
        steps = []
        for a, b, strength in zip(nodes, nodes[1:], strengths, strict=False):
            rel = await self.visible_relationship(viewer, a, b, usable=usable, view=view)
            owners = [e.owner for e in rel.evidence] if rel else []
            inferred = owners == [INFERRED_OWNER]
            if inferred:  # say whose data listed the two people at that company
                owners = self._owners_touching(view, (a, b), usable)
            lines: tuple[str, ...] = ()
            if rel is not None:
                merged = merge_evidence(list(rel.evidence))
                lines = estimate_strength(merged, as_of=today, weights=self.weights).lines
            sources = self._source_names(view, owners, members)
            if inferred and sources:
                lines = tuple(f"{line} (from {', '.join(sources)})" for line in lines)
            steps.append(Step(a, b, strength, lines, sources, inferred))
        return PathView(tuple(people), tuple(steps), probability)

    @staticmethod
    def _owners_touching(
        view: PlanningView, ends: Sequence[str], usable: OwnerFilter | None
    ) -> list[str]:
        """Owners of the observed ties at ``ends`` the viewer may use (their data
        carried these people's current companies)."""
        owners: set[str] = set()
        g = view.graph
        for end in ends:
            if end not in g:
                continue
            for other in g.neighbours(end):
                for owner in view.evidence.get(canonical_pair(end, other), {}):
                    if usable is None or usable(owner):
                        owners.add(owner)
        return sorted(owners)

    @staticmethod
    def _source_names(
        view: PlanningView, owners: Sequence[str], members: set[str]
    ) -> tuple[str, ...]:
        """Members by name, other sources by their label; the team's own tie says nothing more."""
        names: list[str] = []
        for owner in owners:
            if owner in (TEAM_OWNER, INFERRED_OWNER):
                continue
            if owner in members:
                person = view.person(owner)
                names.append(person.name if person and person.name else owner)
            else:
                names.append(owner if ":" in owner else f"file:{owner}")
        return tuple(dict.fromkeys(names))
