"""Regression tests for issue 15's sharing findings, one per finding, both backends.

Each asks as one member about what a `private` or `paths` teammate's level
hides, and fails on the code the issue was filed against.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from graph.model import ImportBatch, Person, Relationship
from services.imports import ImportKind, ImportRequest, run_import
from tests.conftest import BACKENDS
from tests.e2e.sharing_world import (
    ANA,
    FAY,
    PAT,
    PRUE,
    QUINN,
    RENEE,
    ZOE,
    World,
    build_world,
    ev,
    open_backend,
)

PERSON = (
    "query ($ref: String!) { person(ref: $ref) { __typename ... on Person { id name company } } }"
)
UPSERT = """mutation ($p: PersonInput!) { upsertPerson(person: $p) {
  __typename ... on Person { id name company position url } } }"""
REL_FIELDS = "__typename ... on Relationship { a b strength evidence sources }"


@pytest.fixture(params=BACKENDS)
async def world(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[World]:
    async for store in open_backend(request, tmp_path):
        w = await build_world(store, tmp_path)
        yield w
        w.services.appdb.close()


async def test_upsert_person_on_a_hidden_id_neither_reveals_nor_overwrites(world: World) -> None:
    for hidden in (RENEE, QUINN):
        answer = await world.gql(
            UPSERT, FAY, p={"id": hidden.id, "name": "Renamed", "company": "Overwritten"}
        )
        person = answer["upsertPerson"]
        assert hidden.company not in str(person) and hidden.url not in str(person)
        nobody = await world.gql(
            UPSERT, FAY, p={"id": ZOE.id, "name": "Renamed", "company": "Overwritten"}
        )
        assert person == {**nobody["upsertPerson"], "id": hidden.id}
        stored = await world.services.store.person(world.workspace, hidden.id)
        assert stored == hidden.person(), "a member overwrote a hidden person"


async def test_a_private_members_edge_upload_stays_private(world: World, tmp_path: Path) -> None:
    edges = tmp_path / "mine.csv"
    edges.write_text(f"source,target\n{PRUE},li:secret-friend\n")
    await run_import(
        world.services.planner, world.viewer(PRUE), ImportRequest(ImportKind.EDGES, edges)
    )
    assert (await world.gql(PERSON, PRUE, ref="li:secret-friend"))["person"]["__typename"] == (
        "Person"
    )
    for member in (FAY, PAT):
        found = await world.gql(PERSON, member, ref="li:secret-friend")
        assert found["person"]["__typename"] == "PersonNotFound"


async def test_an_edge_upload_cannot_make_a_hidden_contact_browsable(
    world: World, tmp_path: Path
) -> None:
    edges = tmp_path / "probe.csv"
    edges.write_text(f"source,target\n{FAY},{RENEE.id}\n{FAY},{QUINN.url}\n")
    await run_import(
        world.services.planner, world.viewer(FAY), ImportRequest(ImportKind.EDGES, edges)
    )
    for member, hidden in ((FAY, RENEE), (PAT, RENEE), (FAY, QUINN), (PRUE, QUINN)):
        for ref in (hidden.id, hidden.url, hidden.email):
            found = await world.gql(PERSON, member, ref=ref)
            assert hidden.company not in str(found), (member, ref, found)
    for hidden in (RENEE, QUINN):
        stored = await world.services.store.person(world.workspace, hidden.id)
        assert stored == hidden.person(), "an upload changed a hidden person"


async def test_import_notes_do_not_say_which_hidden_endpoints_existed(
    world: World, tmp_path: Path
) -> None:
    reports = []
    for target in (RENEE.id, ZOE.id):
        edges = tmp_path / "ends.csv"
        edges.write_text(f"source,target\n{FAY},{target}\n")
        report = await run_import(
            world.services.planner, world.viewer(FAY), ImportRequest(ImportKind.EDGES, edges)
        )
        reports.append(str(report.as_dict()).replace(target, "<ref>"))
    assert reports[0] == reports[1]


@pytest.mark.parametrize("mutation", ["upsertRelationship", "rateRelationship", "record"])
async def test_tie_mutations_show_only_evidence_the_viewer_may_see(
    world: World, mutation: str
) -> None:
    """Prue (private) has 13 messages with Ana; Fay's answer must not count them."""
    if mutation == "record":
        text = f"""mutation ($a: String!, $b: String!) {{
          recordInteraction(from: $a, to: $b, at: "2026-10-30T10:00:00") {{ {REL_FIELDS} }} }}"""
    else:
        rating = ", rating: 0.6"
        text = f"""mutation ($a: String!, $b: String!) {{
          {mutation}(a: $a, b: $b{rating}) {{ {REL_FIELDS} }} }}"""
    answer = next(iter((await world.gql(text, FAY, a=FAY, b=ANA.id)).values()))
    assert answer["__typename"] == "Relationship"
    assert answer["sources"] == 1
    assert not any("13 messages" in line or "11" in line for line in answer["evidence"]), answer


@pytest.mark.parametrize("mutation", ["upsertRelationship", "rateRelationship", "record"])
async def test_tie_mutations_on_hidden_people_are_person_not_found(
    world: World, mutation: str
) -> None:
    for hidden in (RENEE, QUINN):
        if mutation == "record":
            text = """mutation ($a: String!, $b: String!) {
              recordInteraction(from: $a, to: $b, at: "2026-10-30T10:00:00") { __typename } }"""
        else:
            text = f"""mutation ($a: String!, $b: String!) {{
              {mutation}(a: $a, b: $b, rating: 0.5) {{ __typename }} }}"""
        answer = await world.gql(text, FAY, a=FAY, b=hidden.url)
        assert next(iter(answer.values()))["__typename"] == "PersonNotFound", (hidden, answer)
        rels = await world.services.store.relationships_of(world.workspace, hidden.id)
        assert all(e.owner != FAY for r in rels for e in r.evidence if FAY in (r.a, r.b))


async def test_network_stats_count_only_what_the_member_may_see(world: World) -> None:
    stats = "{ networkStats { people relationships interactions members merges } }"
    admin = (await world.gql(stats, None))["networkStats"]
    fay = (await world.gql(stats, FAY))["networkStats"]
    assert admin["people"] == 6
    # Fay browses herself, her teammates and Ana; not Prue's Renée nor Pat's Quinn.
    assert fay["people"] == 4, fay
    assert fay["relationships"] == 1, fay  # her tie with Ana (Prue's and Pat's are hidden)
    assert fay["interactions"] == 7, fay
    assert fay["members"] == 3
    # Counts follow writes and sharing changes (they are cached per graph version).
    newcomer = Person("li:new-face", "New Face")
    await world.services.store.apply(
        world.workspace, ImportBatch(people=[newcomer], relationships=[_tie(FAY, newcomer.id)])
    )
    assert (await world.gql(stats, FAY))["networkStats"]["people"] == 5
    await world.gql("mutation { setSharing(level: FULL) { __typename } }", PRUE)
    assert (await world.gql(stats, FAY))["networkStats"]["people"] == 6  # Renée, now shared


async def test_ambiguity_lists_only_people_the_viewer_may_see(world: World) -> None:
    """Already fixed before this issue's work; kept here with its siblings."""
    twin = Person("li:renee-twin", RENEE.name, company="Visible Ltd")
    await world.services.store.apply(
        world.workspace,
        ImportBatch(people=[twin], relationships=[_tie(FAY, twin.id)]),
    )
    found = await world.gql(PERSON, FAY, ref=RENEE.name)
    assert found["person"] == {
        "__typename": "Person",
        "id": twin.id,
        "name": RENEE.name,
        "company": "Visible Ltd",
    }


def _tie(a: str, b: str) -> Relationship:
    return ev(a, a, b, rating=0.5)


async def test_a_company_hint_counts_only_colleagues_the_member_may_see(world: World) -> None:
    """The inferred last tie is weaker in bigger companies; hidden colleagues must not
    change it (Prue's Renée and four more of her private contacts work at Hushco; Hal,
    whom Fay knows, does too)."""
    hal = Person("li:hal-open", "Hal Open", company="Hushco", position="Engineer")
    hidden = [Person(f"li:hush-{i}", f"Hush {i}", company="Hushco") for i in range(4)]
    await world.services.store.apply(
        world.workspace,
        ImportBatch(
            people=[hal, *hidden],
            relationships=[_tie(FAY, hal.id), *(ev(PRUE, PRUE, p.id, rating=0.6) for p in hidden)],
        ),
    )
    query = """{ introducers(to: "the CEO", hint: {company: "Hushco", title: "CEO"}) {
      ... on IntroducerList { introducers { person { id } score } } } }"""
    before = await world.gql(query, FAY)
    assert before["introducers"]["introducers"], before
    moved = [Person(p.id, p.name, company="Elsewhere") for p in (*hidden, RENEE.person())]
    await world.services.store.apply(world.workspace, ImportBatch(people=moved))
    assert await world.gql(query, FAY) == before


async def test_a_graphml_upload_cannot_touch_a_hidden_person(world: World, tmp_path: Path) -> None:
    reports = []
    for target in (RENEE, ZOE):
        path = tmp_path / "g.graphml"
        path.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
            '<graph edgedefault="undirected">'
            f'<node id="{FAY}"/><node id="{target.id}"/>'
            f'<edge source="{FAY}" target="{target.id}"/></graph></graphml>'
        )
        report = await run_import(
            world.services.planner, world.viewer(FAY), ImportRequest(ImportKind.GRAPHML, path)
        )
        reports.append(str(report.as_dict()).replace(target.id, "<ref>"))
    assert reports[0] == reports[1]
    assert await world.services.store.person(world.workspace, RENEE.id) == RENEE.person()
    for member in (FAY, PAT):
        found = await world.gql(PERSON, member, ref=RENEE.url)
        assert found["person"]["__typename"] == "PersonNotFound"
