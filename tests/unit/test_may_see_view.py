"""The sharing rule read from the planning view's owner masks equals the rule read from
the evidence rows, for every person, member and mode, before and after writes.

:meth:`Planner.may_see` with a view asks the embedded store's observed-tie masks
(a binary search per neighbour) instead of reading the person's evidence from SQLite;
the answer must not change: members at every sharing level, non-member sources
(a file label, the admin's writes), teammate ties, people with no tie at all, and the
same after a sharing change and an erasure.
"""

from __future__ import annotations

import asyncio
import random
from datetime import date
from pathlib import Path

from graph.model import Evidence, ImportBatch, Member, Person, Relationship, Sharing
from graph.model import canonical_pair as pair
from graph.store.embedded import EmbeddedStore
from services.access import Viewer
from services.planner import Planner

TODAY = date(2026, 11, 1)
LEVELS = [Sharing.FULL, Sharing.PATHS, Sharing.PRIVATE]


def team(seed: int) -> ImportBatch:
    rng = random.Random(seed)
    members = [f"m{i}" for i in range(6)]
    people = [f"p{i}" for i in range(120)]
    rels = []
    seen = set()
    for _ in range(200):
        a, b = rng.sample(members + people, 2)
        if pair(a, b) in seen:
            continue
        seen.add(pair(a, b))
        # Mostly one member's data (ego networks), sometimes two, sometimes a shared source.
        by = rng.sample(members, rng.choice([1, 1, 1, 2]))
        if rng.random() < 0.15:
            by.append(rng.choice(["file:crm", "admin"]))
        rels.append(
            Relationship(*pair(a, b), tuple(Evidence(o, rating=rng.random() or 0.5) for o in by))
        )
    return ImportBatch(
        people=[Person(p, p.upper()) for p in members + people],
        members=[Member(m, LEVELS[i % 3]) for i, m in enumerate(members)],
        relationships=rels,
    )


async def same_rules(store: EmbeddedStore, ws: str) -> None:
    planner = Planner(store, today=TODAY)
    view = await store.planning_view(ws)
    assert view.observed_mask is not None
    members = [m.person_id for m in await store.members(ws)]
    people = await store.people(ws)
    for member in members:
        for browse in (False, True):
            for p in people:
                viewer = Viewer(ws, member)
                want = await planner.may_see(viewer, p, browse=browse)
                got = await planner.may_see(viewer, p, browse=browse, view=view)
                assert got == want, (member, p.id, browse)


def test_the_view_rule_equals_the_evidence_rule(tmp_path: Path) -> None:
    async def run() -> None:
        store = EmbeddedStore(tmp_path / "w.db", today=lambda: TODAY)
        try:
            for seed in (1, 2, 3):
                ws = f"w{seed}"
                await store.apply(ws, team(seed))
                await same_rules(store, ws)
            await store.set_sharing("w1", "m2", Sharing.FULL)
            await store.set_sharing("w1", "m0", Sharing.PRIVATE)
            await same_rules(store, "w1")
            await store.erase_person("w2", "m1")
            await same_rules(store, "w2")
        finally:
            await store.close()

    asyncio.run(run())
