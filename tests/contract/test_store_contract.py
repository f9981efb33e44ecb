"""The contract every GraphStore backend must honour (parametrised in conftest)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from graph.model import Evidence, ImportBatch, Member, Merge, Person, Relationship, Sharing
from graph.store.base import GraphStore, ViewOptions
from tests.conftest import rel, small_network


@pytest.fixture
def ws() -> str:
    """A workspace of its own per test, so backends can share one server."""
    return f"t{uuid.uuid4().hex[:12]}"


async def test_apply_then_read(store: GraphStore, ws: str) -> None:
    result = await store.apply(ws, small_network())
    assert result.people == 6
    assert result.relationships == 5
    stats = await store.stats(ws)
    assert (stats.people, stats.relationships, stats.members) == (6, 5, 1)
    assert stats.interactions == 21
    bo = await store.person(ws, "bo")
    assert bo is not None and bo.company == "Acme"
    assert await store.person(ws, "nobody") is None
    assert [
        p.id for p in await store.people_by_url(ws, "https://www.linkedin.com/in/bo-brandt")
    ] == ["bo"]
    assert [p.id for p in await store.people_by_email(ws, "ana@example.com")] == ["ana"]
    assert await store.people_by_email(ws, "ghost@example.com") == []
    assert {p.id for p in await store.people(ws)} == {"me", "ana", "bo", "cy", "dee", "eve"}


async def test_reapply_is_idempotent(store: GraphStore, ws: str) -> None:
    await store.apply(ws, small_network())
    before = await store.stats(ws)
    await store.apply(ws, small_network())
    assert await store.stats(ws) == before
    r = await store.relationship(ws, "ana", "me")
    assert r is not None and len(r.evidence) == 1


async def test_evidence_per_owner(store: GraphStore, ws: str) -> None:
    await store.apply(ws, small_network())
    second = ImportBatch(relationships=[rel("ana", "me", owner="ana", messages_ab=2)])
    await store.apply(ws, second)
    r = await store.relationship(ws, "me", "ana")
    assert r is not None
    assert sorted(e.owner for e in r.evidence) == ["ana", "me"]
    # Same owner again replaces rather than adds.
    await store.apply(ws, ImportBatch(relationships=[rel("ana", "me", owner="ana", messages_ab=5)]))
    r = await store.relationship(ws, "me", "ana")
    assert r is not None
    assert {e.owner: e.messages_ab for e in r.evidence}["ana"] == 5
    assert (await store.stats(ws)).interactions == 21 + 5


async def test_evidence_of_reads_stored_evidence_by_owner(store: GraphStore, ws: str) -> None:
    await store.apply(ws, small_network())
    await store.apply(ws, ImportBatch(relationships=[rel("ana", "me", owner="ana", messages_ab=2)]))
    found = await store.evidence_of(ws, [("ana", "me"), ("ana", "eve"), ("nobody", "zed")])
    assert set(found) == {("ana", "me")}  # pairs without evidence are left out
    by_owner = found["ana", "me"]
    assert sorted(by_owner) == ["ana", "me"]
    r = await store.relationship(ws, "ana", "me")
    assert r is not None and {e.owner: e for e in r.evidence} == by_owner
    assert await store.evidence_of(ws, []) == {}


async def test_relationship_is_undirected(store: GraphStore, ws: str) -> None:
    await store.apply(ws, small_network())
    forward = await store.relationship(ws, "me", "ana")
    backward = await store.relationship(ws, "ana", "me")
    assert forward == backward
    assert forward is not None and (forward.a, forward.b) == ("ana", "me")
    assert await store.relationship(ws, "me", "cy") is None
    assert {(r.a, r.b) for r in await store.relationships_of(ws, "cy")} == {
        ("bo", "cy"),
        ("cy", "dee"),
    }


async def test_people_upsert_keeps_known_fields(store: GraphStore, ws: str) -> None:
    await store.apply(ws, small_network())
    await store.apply(ws, ImportBatch(people=[Person("ana", "Ana Ames-Ortiz", position="CTO")]))
    ana = await store.person(ws, "ana")
    assert ana is not None
    assert (ana.name, ana.position, ana.company, ana.email) == (
        "Ana Ames-Ortiz",
        "CTO",
        "Globex",
        "ana@example.com",
    )


async def test_search_people(store: GraphStore, ws: str) -> None:
    await store.apply(ws, small_network())
    hits = await store.search_people(ws, "acme", limit=10)
    assert {p.id for p in hits} == {"bo", "cy", "eve"}
    page = await store.search_people(ws, "acme", limit=2, offset=2)
    assert len(page) == 1
    assert [p.id for p in await store.search_people(ws, "CY C", limit=5)] == ["cy"]


async def test_people_matching_company_and_title(store: GraphStore, ws: str) -> None:
    await store.apply(ws, small_network())
    # A stub end (named only by evidence) is never a match.
    await store.apply(ws, ImportBatch(relationships=[rel("eve", "ghost", rating=0.4)]))
    assert await store.people_matching(ws, company="ACME", title="") == {"bo", "cy", "eve"}
    assert await store.people_matching(ws, company=" acme ", title="head of") == {"cy"}
    assert await store.people_matching(ws, company="", title="partner") == {"dee"}
    assert await store.people_matching(ws, company="acme", title="partner") == set()
    everyone = await store.people_matching(ws, company="", title="")
    assert everyone == {"me", "ana", "bo", "cy", "dee", "eve"}
    # A changed employer moves the person between companies.
    await store.apply(ws, ImportBatch(people=[Person("eve", "Eve Evans", company="Globex")]))
    assert await store.people_matching(ws, company="acme", title="") == {"bo", "cy"}
    assert await store.people_matching(ws, company="globex", title="") == {"ana", "eve"}
    await store.erase_person(ws, "bo")
    assert await store.people_matching(ws, company="acme", title="") == {"cy"}
    assert await store.people_matching(ws + "-other", company="acme", title="") == set()


async def test_workspaces_are_isolated(store: GraphStore, ws: str) -> None:
    await store.apply(ws, small_network())
    other = ws + "-other"
    assert (await store.stats(other)).people == 0
    assert await store.person(other, "ana") is None
    assert await store.people_by_email(other, "ana@example.com") == []
    assert await store.search_people(other, "", limit=10) == []


async def test_merge_repoints_evidence(store: GraphStore, ws: str) -> None:
    await store.apply(ws, small_network())
    dup = ImportBatch(
        people=[Person("cy2", "Cy Chen", company="Acme")],
        relationships=[rel("cy2", "eve", owner="me", messages_ab=3)],
    )
    await store.apply(ws, dup)
    assert await store.person(ws, "cy2") is not None
    await store.apply(ws, ImportBatch(merges=[Merge("cy", "cy2", "same email")]))
    assert await store.person(ws, "cy2") is None
    moved = await store.relationship(ws, "cy", "eve")
    assert moved is not None
    # cy2 was the first end and cy is also the first end: direction preserved.
    assert moved.evidence[0].messages_ab == 3
    assert [m.merged for m in await store.merges(ws)] == ["cy2"]
    # Later batches that still name the merged id land on the kept person.
    await store.apply(ws, ImportBatch(relationships=[rel("cy2", "me", owner="me", rating=0.4)]))
    assert await store.relationship(ws, "cy", "me") is not None


async def test_erase_removes_everything(store: GraphStore, ws: str) -> None:
    await store.apply(ws, small_network())
    erased = await store.erase_person(ws, "bo")
    assert erased.relationships == 2
    assert await store.person(ws, "bo") is None
    assert await store.relationship(ws, "ana", "bo") is None
    assert await store.people_by_url(ws, "https://www.linkedin.com/in/bo-brandt") == []
    stats = await store.stats(ws)
    assert (stats.people, stats.relationships) == (5, 3)
    view = await store.planning_view(ws)
    assert "bo" not in view.graph


async def test_erase_owner_drops_their_evidence(store: GraphStore, ws: str) -> None:
    await store.apply(ws, small_network())
    await store.apply(ws, ImportBatch(relationships=[rel("bo", "eve", owner="dee", messages_ab=1)]))
    await store.erase_person(ws, "dee")
    assert await store.relationship(ws, "bo", "eve") is None


async def test_members_and_sharing(store: GraphStore, ws: str) -> None:
    await store.apply(ws, small_network())
    assert await store.members(ws) == [Member("me", Sharing.PATHS)]
    await store.set_sharing(ws, "me", Sharing.PRIVATE)
    assert await store.members(ws) == [Member("me", Sharing.PRIVATE)]
    # Re-importing the member's data does not reset their choice.
    await store.apply(ws, small_network())
    assert await store.members(ws) == [Member("me", Sharing.PRIVATE)]


async def test_planning_view_reflects_writes(store: GraphStore, ws: str) -> None:
    await store.apply(ws, small_network())
    view = await store.planning_view(ws)
    assert {"me", "ana", "bo", "cy", "dee", "eve"} <= set(view.graph.nodes())
    assert view.owner_bits == {"me": 2}
    await store.apply(
        ws,
        ImportBatch(relationships=[Relationship("cy", "eve", (Evidence("me", rating=0.7),))]),
    )
    view = await store.planning_view(ws)
    assert view.graph.strength("eve", "cy") == pytest.approx(0.7)


async def test_dates_round_trip(store: GraphStore, ws: str) -> None:
    batch = ImportBatch(
        people=[Person("x", "X"), Person("y", "Y")],
        relationships=[rel("x", "y", connected_on=date(2019, 5, 1), shared_employers=("Acme",))],
    )
    await store.apply(ws, batch)
    r = await store.relationship(ws, "y", "x")
    assert r is not None
    assert r.evidence[0].connected_on == date(2019, 5, 1)
    assert r.evidence[0].shared_employers == ("Acme",)


async def test_merge_flips_direction_when_the_end_order_changes(store: GraphStore, ws: str) -> None:
    # "zz" talks to "m" (zz -> m is b -> a); after folding "zz" into "aa" the
    # pair becomes (aa, m) and the directional counts must follow the people.
    batch = ImportBatch(
        people=[Person("aa", "Al"), Person("m", "Mo"), Person("zz", "Al")],
        relationships=[rel("m", "zz", owner="me", messages_ab=1, messages_ba=7)],
    )
    await store.apply(ws, batch)
    await store.apply(ws, ImportBatch(merges=[Merge("aa", "zz", "same email")]))
    moved = await store.relationship(ws, "aa", "m")
    assert moved is not None
    assert (moved.a, moved.b) == ("aa", "m")
    assert (moved.evidence[0].messages_ab, moved.evidence[0].messages_ba) == (7, 1)
    assert await store.person(ws, "zz") is None


async def test_planning_view_describes_what_it_was_built_from(store: GraphStore, ws: str) -> None:
    await store.apply(ws, small_network())
    view = await store.planning_view(ws)
    for person in await store.people(ws):
        assert view.person(person.id) == person
        for tie in await store.relationships_of(ws, person.id):
            assert view.relationship(tie.a, tie.b) == tie
            assert view.relationship(tie.b, tie.a) == tie
    assert view.person("nobody") is None
    assert view.relationship("me", "eve") is None
    # A write moves the store on; the next view describes the new state.
    await store.apply(ws, ImportBatch(relationships=[rel("me", "eve", rating=0.4)]))
    fresh = await store.planning_view(ws)
    new_tie = fresh.relationship("eve", "me")
    assert new_tie is not None
    assert new_tie.evidence[0].rating == 0.4


async def test_the_views_colleague_inference_follows_the_workspace_switch(
    store: GraphStore, ws: str
) -> None:
    """Inferred colleague ties are on by default; switching them off (or on again)
    rebuilds the cached view at the next call, with no write in between."""
    batch = ImportBatch(
        people=[
            Person("m", "M"),
            Person("x", "X", company="Acme Inc."),
            Person("y", "Y", company="ACME"),
        ],
        relationships=[rel("m", "x", owner="m", rating=0.8), rel("m", "y", owner="m", rating=0.6)],
        members=[Member("m")],
    )
    await store.apply(ws, batch)
    on = await store.planning_view(ws)
    assert on.options.infer_colleagues
    assert on.graph.strength("x", "y") is not None
    inferred = on.relationship("y", "x")
    assert inferred is not None
    assert [e.owner for e in inferred.evidence] == ["inferred"]
    assert inferred.evidence[0].colleague_size == 2
    switches = {ws: ViewOptions(infer_colleagues=False)}
    store.use_view_options(lambda name: switches.get(name, ViewOptions()))
    off = await store.planning_view(ws)
    assert not off.options.infer_colleagues
    assert off.graph.strength("y", "x") is None and off.relationship("x", "y") is None
    assert off.graph.strength("m", "x") == pytest.approx(0.8)  # observed ties stay
    switches[ws] = ViewOptions(infer_colleagues=True)
    again = await store.planning_view(ws)
    assert again.graph.strength("x", "y") == on.graph.strength("x", "y")
