"""The GraphQL API over real HTTP, through a real GraphQL client (gql, schema-validated)."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx
import networkx as nx
import pytest
from gql import Client
from gql.graphql_request import GraphQLRequest
from gql.transport.httpx import HTTPXAsyncTransport
from pydantic import SecretStr

from graph.model import Evidence, ImportBatch, Member, Person, Relationship, Sharing
from graph.store.base import GraphStore
from services.appdb import AppDB
from services.runtime import open_store
from services.settings import Backend, Settings
from tests.conftest import BACKENDS, rel, small_network
from tests.e2e.http_server import serve
from tests.neo4j_harness import Neo4jServer


@dataclass
class Api:
    url: str
    keys: dict[str, str]

    def client(self, key: str) -> Client:
        transport = HTTPXAsyncTransport(
            url=self.url + "/graphql", headers={"Authorization": f"Bearer {key}"}, timeout=30
        )
        return Client(transport=transport, fetch_schema_from_transport=True)

    async def query(self, key: str, text: str, **variables: Any) -> dict[str, Any]:
        async with self.client(self.keys.get(key, key)) as session:
            result: dict[str, Any] = await session.execute(
                GraphQLRequest(text, variable_values=variables or None)
            )
            return result

    def raw(self, key: str | None, body: dict[str, Any], **kw: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.keys.get(key, key)}"} if key else {}
        return httpx.post(self.url + "/graphql", json=body, headers=headers, timeout=30, **kw)


def team_network() -> ImportBatch:
    """A team workspace: alice (paths), bob (private), carol (full)."""
    people = [
        Person("alice", "Alice A", company="Team"),
        Person("bob", "Bob B", company="Team"),
        Person("carol", "Carol C", company="Team"),
        Person("xavier", "Xavier X", company="Acme", position="CTO", email="xavier@acme.test"),
        Person(
            "yara", "Yara Y", company="Acme", position="CFO", url="https://www.linkedin.com/in/yara"
        ),
        Person("zed", "Zed Z", company="Acme", position="VP Sales"),
        Person("tina", "Tina T", company="Target Co", position="Head of Payments"),
        Person("quinn", "Quinn Q", company="Quay"),
        Person("ruth", "Ruth R", company="Rook Labs", position="CTO"),
    ]
    rels = [
        rel("alice", "bob", owner="alice", rating=0.9),
        rel("alice", "carol", owner="alice", rating=0.9),
        rel("alice", "xavier", owner="alice", rating=0.8),
        rel("bob", "yara", owner="bob", rating=0.95),  # bob is private
        rel("carol", "zed", owner="carol", rating=0.7),  # carol shares fully
        rel("xavier", "tina", owner="alice", rating=0.5),
        rel("yara", "tina", owner="bob", rating=0.9),
        # An island where one tie has evidence from alice (paths) *and* bob (private).
        rel("alice", "quinn", owner="alice", connected_on=date(2021, 3, 1)),
        Relationship(
            "quinn",
            "ruth",
            (
                Evidence(owner="alice", connected_on=date(2020, 5, 4)),
                Evidence(
                    owner="bob",
                    messages_ab=30,
                    messages_ba=25,
                    last_contact=datetime(2026, 10, 1, 9, 0),
                    shared_employers=("Secretco",),
                ),
            ),
        ),
    ]
    members = [
        Member("alice", Sharing.PATHS),
        Member("bob", Sharing.PRIVATE),
        Member("carol", Sharing.FULL),
    ]
    return ImportBatch(people=people, relationships=rels, members=members)


def api_data() -> list[tuple[str, ImportBatch]]:
    return [
        ("main", small_network()),
        ("main", ImportBatch(people=[Person("cy-twin", "Cy Chen", company="Acme")])),
        ("team", team_network()),
    ]


async def load_into(store: GraphStore) -> None:
    try:
        for ws, batch in api_data():
            await store.apply(ws, batch)
    finally:
        await store.close()


@pytest.fixture(scope="module", params=BACKENDS)
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """The app over HTTP on each backend, with the same data and keys."""
    data = tmp_path_factory.mktemp("api-data")
    settings = Settings(
        data_dir=data,
        rate_limit_per_minute=0,
        environment="production",
        graphql_introspection=True,  # the gql client validates against the schema
    )
    if request.param == "neo4j":
        server: Neo4jServer = request.getfixturevalue("neo4j_server")
        settings = settings.model_copy(
            update={
                "backend": Backend.NEO4J,
                "neo4j_uri": server.uri,
                "neo4j_user": server.user,
                "neo4j_password": SecretStr(server.password),
            }
        )
    asyncio.run(load_into(open_store(settings)))
    db = AppDB(data / "app.db")
    keys = {}
    for ws in ("main", "team", "other"):
        db.create_workspace(ws)
    keys["admin"] = db.create_key("main", None)
    keys["me"] = db.create_key("main", "me")
    keys["alice"] = db.create_key("team", "alice")
    keys["bob"] = db.create_key("team", "bob")
    keys["carol"] = db.create_key("team", "carol")
    keys["other"] = db.create_key("other", None)
    db.close()
    with serve(settings) as url:
        yield Api(url, keys)


PATH_FIELDS = """
  __typename
  ... on Path { found probability hops people { id name } steps { from to strength evidence } }
  ... on NoPath { found reason message }
  ... on PersonNotFound { ref message }
  ... on AmbiguousPerson { ref candidates }
  ... on InvalidInput { message field }
"""


# -- access --------------------------------------------------------------------------------
def test_health_answers_without_a_key(api: Api) -> None:
    assert httpx.get(api.url + "/healthz").json() == {"status": "ok"}
    assert httpx.get(api.url + "/readyz").json() == {"status": "ready"}


def test_graphql_needs_a_valid_key(api: Api) -> None:
    body = {"query": "{ networkStats { people } }"}
    assert api.raw(None, body).status_code == 401
    assert api.raw("wi_not-a-real-key", body).status_code == 401
    ok = api.raw("admin", body)
    assert ok.status_code == 200
    assert ok.headers["x-request-id"]


async def test_network_stats(api: Api) -> None:
    data = await api.query(
        "admin", "{ networkStats { people relationships interactions members } }"
    )
    assert data["networkStats"] == {
        "people": 7,
        "relationships": 5,
        "interactions": 21,
        "members": 1,
    }


# -- planning ------------------------------------------------------------------------------
async def test_trusted_path_found(api: Api) -> None:
    q = f'query($to: String!) {{ trustedPath(from: "me", to: $to) {{ {PATH_FIELDS} }} }}'
    data = (await api.query("admin", q, to="https://linkedin.com/in/Bo-Brandt/"))["trustedPath"]
    assert data["__typename"] == "Path"
    assert [p["id"] for p in data["people"]] == ["me", "ana", "bo"]
    assert data["hops"] == 2
    product = data["steps"][0]["strength"] * data["steps"][1]["strength"]
    assert data["probability"] == pytest.approx(product)
    assert any("messages both ways" in line for line in data["steps"][0]["evidence"])


async def test_trusted_path_expected_failures_are_union_members(api: Api) -> None:
    q = f'query($to: String!, $hops: Int!) {{ trustedPath(from: "me", to: $to, maxHops: $hops) {{ {PATH_FIELDS} }} }}'
    none = (await api.query("admin", q, to="eve", hops=3))["trustedPath"]
    assert none["__typename"] == "NoPath" and none["reason"] == "DISCONNECTED"
    beyond = (await api.query("admin", q, to="cy", hops=1))["trustedPath"]
    assert beyond["__typename"] == "NoPath" and beyond["reason"] == "BEYOND_HOP_LIMIT"
    unknown = (await api.query("admin", q, to="nobody@example.com", hops=3))["trustedPath"]
    assert unknown == {
        "__typename": "PersonNotFound",
        "ref": "nobody@example.com",
        "message": unknown["message"],
    }
    bad = (await api.query("admin", q, to="cy", hops=9))["trustedPath"]
    assert bad["__typename"] == "InvalidInput" and bad["field"] == "maxHops"


async def test_ambiguous_reference(api: Api) -> None:
    await api.query(
        "admin",
        'mutation { a: upsertPerson(person: {id: "twin-a", name: "Twin", email: "twin@x.test"}) { __typename }'
        ' b: upsertPerson(person: {id: "twin-b", name: "Twin", email: "TWIN@x.test"}) { __typename } }',
    )
    data = await api.query(
        "admin",
        '{ person(ref: "twin@x.test") { __typename ... on AmbiguousPerson { candidates } } }',
    )
    assert data["person"] == {"__typename": "AmbiguousPerson", "candidates": ["twin-a", "twin-b"]}


async def test_alternative_paths_and_introducers(api: Api) -> None:
    data = await api.query(
        "admin",
        '{ alternativePaths(from: "me", to: "cy", k: 3) { ... on PathList { paths { probability people { id } } } }'
        ' introducers(from: "me", to: "cy") { ... on IntroducerList { introducers { person { id } score reasons path { hops } } } } }',
    )
    paths = data["alternativePaths"]["paths"]
    assert [p["people"][1]["id"] for p in paths] == ["ana", "dee"]
    assert paths[0]["probability"] >= paths[1]["probability"]
    intros = data["introducers"]["introducers"]
    assert [i["person"]["id"] for i in intros] == ["ana", "dee"]


async def test_reach_is_a_connection(api: Api) -> None:
    q = """query($after: String) { reach(company: "acme", from: "me", first: 1, after: $after) {
      ... on ReachConnection { edges { cursor node { people { id } probability } } pageInfo { hasNextPage endCursor } } } }"""
    first = (await api.query("admin", q))["reach"]
    assert first["pageInfo"]["hasNextPage"] is True
    second = (await api.query("admin", q, after=first["pageInfo"]["endCursor"]))["reach"]
    got = [
        first["edges"][0]["node"]["people"][-1]["id"],
        second["edges"][0]["node"]["people"][-1]["id"],
    ]
    assert got == ["bo", "cy"]


async def test_search_people_pages_and_caps_first(api: Api) -> None:
    q = """query($first: Int!, $after: String) { searchPeople(text: "acme", first: $first, after: $after) {
      __typename ... on PersonConnection { edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
      ... on InvalidInput { field } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = (await api.query("admin", q, first=2, after=after))["searchPeople"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(seen) == ["bo", "cy", "cy-twin", "eve"]
    capped = (await api.query("admin", q, first=101))["searchPeople"]
    assert capped == {"__typename": "InvalidInput", "field": "first"}


# -- mutations -----------------------------------------------------------------------------
async def test_relationship_mutations(api: Api) -> None:
    rel_fields = "__typename ... on Relationship { a b strength evidence sources } ... on InvalidInput { field }"
    up = await api.query(
        "admin",
        f'mutation {{ upsertRelationship(a: "eve", b: "dee", sharedEmployers: ["Initech"]) {{ {rel_fields} }} }}',
    )
    assert up["upsertRelationship"]["evidence"][0] == "worked at Initech at the same time"
    rec = await api.query(
        "admin",
        f'mutation {{ recordInteraction(from: "eve", to: "dee", at: "2026-10-30T10:00:00", count: 3) {{ {rel_fields} }} }}',
    )
    assert any("3 messages one way" in e for e in rec["recordInteraction"]["evidence"])
    rated = await api.query(
        "admin",
        f'mutation {{ rateRelationship(a: "dee", b: "eve", rating: 0.42) {{ {rel_fields} }} }}',
    )
    assert rated["rateRelationship"]["strength"] == pytest.approx(0.42)
    bad = await api.query(
        "admin",
        f'mutation {{ rateRelationship(a: "dee", b: "eve", rating: 1.5) {{ {rel_fields} }} }}',
    )
    assert bad["rateRelationship"] == {"__typename": "InvalidInput", "field": "rating"}


async def test_erase_person(api: Api) -> None:
    await api.query(
        "admin", 'mutation { upsertPerson(person: {id: "gone", name: "Gone Soon"}) { __typename } }'
    )
    await api.query(
        "admin", 'mutation { upsertRelationship(a: "gone", b: "eve", rating: 0.5) { __typename } }'
    )
    data = await api.query(
        "admin",
        'mutation { erasePerson(ref: "gone") { __typename ... on ErasedPerson { personId relationships } } }',
    )
    assert data["erasePerson"] == {
        "__typename": "ErasedPerson",
        "personId": "gone",
        "relationships": 1,
    }
    again = await api.query("admin", '{ person(ref: "gone") { __typename } }')
    assert again["person"]["__typename"] == "PersonNotFound"


# -- privacy -------------------------------------------------------------------------------
async def test_workspaces_are_isolated(api: Api) -> None:
    for ref in ("ana", "ana@example.com", "https://www.linkedin.com/in/bo-brandt", "alice"):
        data = await api.query(
            "other", "query($r: String!) { person(ref: $r) { __typename } }", r=ref
        )
        assert data["person"]["__typename"] == "PersonNotFound", ref
    stats = await api.query("other", "{ networkStats { people } }")
    assert stats["networkStats"]["people"] == 0


async def test_private_member_ties_serve_only_their_owner(api: Api) -> None:
    q = f"query($to: String!) {{ trustedPath(to: $to) {{ {PATH_FIELDS} }} }}"
    bob = (await api.query("bob", q, to="tina"))["trustedPath"]
    assert [p["id"] for p in bob["people"]] == ["bob", "yara", "tina"]
    alice = (await api.query("alice", q, to="tina"))["trustedPath"]
    assert [p["id"] for p in alice["people"]] == ["alice", "xavier", "tina"]  # not via bob's yara
    for ref in ("yara", "https://www.linkedin.com/in/yara"):
        probe = await api.query(
            "alice", "query($r: String!) { person(ref: $r) { __typename } }", r=ref
        )
        assert probe["person"]["__typename"] == "PersonNotFound"
        path = (await api.query("alice", q, to=ref))["trustedPath"]
        assert path["__typename"] == "PersonNotFound"


async def test_paths_member_contacts_show_only_on_paths(api: Api) -> None:
    # xavier is known only through alice (sharing: paths): carol may route through him...
    q = f"query($to: String!) {{ trustedPath(to: $to) {{ {PATH_FIELDS} }} }}"
    path = (await api.query("carol", q, to="tina"))["trustedPath"]
    assert [p["id"] for p in path["people"]] == ["carol", "alice", "xavier", "tina"]
    # ...but cannot browse him.
    for ref in ("xavier", "xavier@acme.test"):
        probe = await api.query(
            "carol", "query($r: String!) { person(ref: $r) { __typename } }", r=ref
        )
        assert probe["person"]["__typename"] == "PersonNotFound"
    search = await api.query(
        "carol",
        '{ searchPeople(text: "acme") { ... on PersonConnection { edges { node { id } } } } }',
    )
    assert [e["node"]["id"] for e in search["searchPeople"]["edges"]] == ["zed"]


async def test_full_member_contacts_are_browsable(api: Api) -> None:
    probe = await api.query(
        "alice", '{ person(ref: "zed") { __typename ... on Person { company } } }'
    )
    assert probe["person"] == {"__typename": "Person", "company": "Acme"}


EGO_QUERY = """
query($p: String!, $hops: Int!, $format: ExportFormat!) {
  exportEgo(person: $p, hops: $hops, format: $format) {
    __typename
    ... on GraphExport { content people ties }
    ... on PersonNotFound { ref }
    ... on InvalidInput { field }
  }
}
"""


async def ego_people(api: Api, key: str, person: str, hops: int) -> set[str]:
    data = (await api.query(key, EGO_QUERY, p=person, hops=hops, format="CYTOSCAPE"))["exportEgo"]
    assert data["__typename"] == "GraphExport", data
    nodes = json.loads(data["content"])["elements"]["nodes"]
    assert data["people"] == len(nodes)
    return {n["data"]["id"] for n in nodes}


async def test_ego_export_shows_only_browsable_ties(api: Api) -> None:
    # alice sees her own ties and carol's (full); bob's (private) yara never appears.
    # Members are tied to each other (teammates), visible to every member.
    assert await ego_people(api, "alice", "carol", 1) == {"carol", "alice", "bob", "zed"}
    two_hops = {"carol", "alice", "zed", "bob", "xavier", "quinn"}
    assert await ego_people(api, "alice", "carol", 2) == two_hops
    assert await ego_people(api, "alice", "bob", 2) == two_hops
    # carol may route through alice's (paths) contacts but not browse them.
    assert await ego_people(api, "carol", "carol", 3) == {"carol", "alice", "bob", "zed"}
    assert await ego_people(api, "carol", "alice", 2) == {"alice", "bob", "carol", "zed"}
    for key, ref in (("carol", "xavier"), ("alice", "yara"), ("other", "alice")):
        probe = (await api.query(key, EGO_QUERY, p=ref, hops=1, format="MERMAID"))["exportEgo"]
        assert probe["__typename"] == "PersonNotFound", (key, ref)
    # An admin key sees everything; the file loads back with networkx.
    data = (await api.query("admin", EGO_QUERY, p="ana", hops=1, format="GRAPHML"))["exportEgo"]
    g = nx.read_graphml(io.BytesIO(data["content"].encode()))
    assert "ana" in g and g.number_of_edges() == data["ties"] > 0
    bad = (await api.query("admin", EGO_QUERY, p="ana", hops=0, format="GEXF"))["exportEgo"]
    assert bad == {"__typename": "InvalidInput", "field": "hops"}


async def test_private_evidence_never_explains_anyone_elses_path_or_draft(api: Api) -> None:
    q = f"query($to: String!) {{ trustedPath(to: $to) {{ {PATH_FIELDS} }} }}"
    alice = (await api.query("alice", q, to="ruth"))["trustedPath"]
    assert [p["id"] for p in alice["people"]] == ["alice", "quinn", "ruth"]
    shown = " ".join(line for step in alice["steps"] for line in step["evidence"])
    assert "connected since" in shown
    assert "Secretco" not in shown and "messages" not in shown  # bob's (private) evidence
    bob = (await api.query("bob", q, to="ruth"))["trustedPath"]  # bob sees his own
    assert "worked at Secretco at the same time" in bob["steps"][-1]["evidence"]
    ego = await api.query("carol", EGO_QUERY, p="carol", hops=1, format="GRAPHML")
    assert "Secretco" not in ego["exportEgo"]["content"]
    draft = await api.query(
        "alice",
        'query { draftIntroRequest(to: "ruth", via: "quinn", goal: "how Rook Labs tests '
        'firmware") { __typename ... on Draft { ask blurb sentences { evidence } } } }',
    )
    assert draft["draftIntroRequest"]["__typename"] == "Draft"
    assert "Secretco" not in str(draft) and "messages" not in str(draft)


async def test_members_cannot_erase_others(api: Api) -> None:
    data = await api.query("alice", 'mutation { erasePerson(ref: "xavier") { __typename } }')
    assert data["erasePerson"]["__typename"] == "Forbidden"


# -- hardening -----------------------------------------------------------------------------
def test_depth_limit(tmp_path: Path) -> None:
    db = AppDB(tmp_path / "app.db")
    db.create_workspace("w")
    key = db.create_key("w", None)
    db.close()
    with serve(Settings(data_dir=tmp_path, rate_limit_per_minute=0, graphql_max_depth=3)) as url:
        headers = {"Authorization": f"Bearer {key}"}
        shallow = '{ introducers(to: "x") { ... on IntroducerList { introducers { score } } } }'
        deep = '{ introducers(to: "x") { ... on IntroducerList { introducers { path { people { id } } } } } }'
        ok = httpx.post(url + "/graphql", json={"query": shallow}, headers=headers).json()
        assert "errors" not in ok
        refused = httpx.post(url + "/graphql", json={"query": deep}, headers=headers).json()
        assert "exceeds maximum operation depth" in refused["errors"][0]["message"]


def test_alias_limit(api: Api) -> None:
    ok = "{ " + " ".join(f"a{i}: networkStats {{ people }}" for i in range(15)) + " }"
    assert "errors" not in api.raw("admin", {"query": ok}).json()
    over = "{ " + " ".join(f"a{i}: networkStats {{ people }}" for i in range(16)) + " }"
    errors = api.raw("admin", {"query": over}).json()["errors"]
    assert "aliases" in errors[0]["message"]


def test_token_limit(api: Api) -> None:
    fat = "{ networkStats { " + " ".join(["people"] * 1200) + " } }"
    errors = api.raw("admin", {"query": fat}).json()["errors"]
    assert "token" in errors[0]["message"].lower()


def test_cost_limit(api: Api) -> None:
    expensive = (
        "{ "
        + " ".join(f'p{i}: trustedPath(to: "cy", from: "me") {{ __typename }}' for i in range(7))
        + " }"
    )
    errors = api.raw("admin", {"query": expensive}).json()["errors"]
    assert "cost" in errors[0]["message"]


def test_no_field_suggestions_in_production(api: Api) -> None:
    errors = api.raw("admin", {"query": "{ networkStat { people } }"}).json()["errors"]
    assert "Did you mean" not in errors[0]["message"]


def test_request_body_limit(api: Api) -> None:
    huge = {"query": "{ networkStats { people } }", "variables": {"pad": "x" * 300_000}}
    assert api.raw("admin", huge).status_code == 413


def test_rate_limit_and_timeouts_and_introspection(tmp_path: Path) -> None:
    db = AppDB(tmp_path / "app.db")
    db.create_workspace("w")
    key = db.create_key("w", None)
    db.close()
    settings = Settings(
        data_dir=tmp_path,
        rate_limit_per_minute=3,
        graphql_introspection=False,
        query_timeout_seconds=5,
    )
    with serve(settings) as url:
        headers = {"Authorization": f"Bearer {key}"}
        body = {"query": "{ networkStats { people } }"}
        codes = [
            httpx.post(url + "/graphql", json=body, headers=headers).status_code for _ in range(5)
        ]
        assert codes[:3] == [200, 200, 200]
        assert codes[3:] == [429, 429]
        assert httpx.get(url + "/healthz").status_code == 200  # health is never limited
    settings = Settings(data_dir=tmp_path, rate_limit_per_minute=0, graphql_introspection=False)
    with serve(settings) as url:
        headers = {"Authorization": f"Bearer {key}"}
        intro = httpx.post(
            url + "/graphql", json={"query": "{ __schema { types { name } } }"}, headers=headers
        )
        assert "introspection" in intro.json()["errors"][0]["message"].lower()
    settings = Settings(data_dir=tmp_path, rate_limit_per_minute=0, query_timeout_seconds=1e-6)
    with serve(settings) as url:
        headers = {"Authorization": f"Bearer {key}"}
        slow = httpx.post(
            url + "/graphql", json={"query": "{ networkStats { people } }"}, headers=headers
        )
        assert slow.status_code == 504


def test_bad_cursor_is_invalid_input(api: Api) -> None:
    body = {
        "query": '{ searchPeople(text: "a", after: "!!!") { __typename ... on InvalidInput { field } } }'
    }
    assert api.raw("admin", body).json()["data"]["searchPeople"] == {
        "__typename": "InvalidInput",
        "field": "after",
    }


def test_unexpected_errors_are_masked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from services.planner import Planner

    async def broken(self: Planner, viewer: object) -> object:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(Planner, "stats", broken)
    db = AppDB(tmp_path / "app.db")
    db.create_workspace("w")
    key = db.create_key("w", None)
    db.close()
    with serve(Settings(data_dir=tmp_path, rate_limit_per_minute=0)) as url:
        body = {"query": "{ networkStats { people } }"}
        reply = httpx.post(
            url + "/graphql", json=body, headers={"Authorization": f"Bearer {key}"}
        ).json()
        assert reply["errors"][0]["message"] == "Unexpected error."
        assert "secret" not in str(reply)


# -- outreach ------------------------------------------------------------------------------
async def test_draft_lint_and_intro_request_lifecycle(api: Api) -> None:
    q = """query { draftIntroRequest(to: "bo", via: "ana", from: "me", goal: "how Acme reconciles payouts") {
      __typename ... on Draft { subject ask blurb introducer { id } target { id }
        followUp { afterDays toTarget maxNudges } sentences { sentence evidence } lint { clean } blurbLint { clean } }
      ... on InvalidInput { message field } } }"""
    draft = (await api.query("me", q))["draftIntroRequest"]
    assert draft["__typename"] == "Draft"
    assert draft["introducer"]["id"] == "ana"
    assert draft["target"]["id"] == "bo"
    assert draft["lint"]["clean"] is True
    assert draft["blurbLint"]["clean"] is True
    assert draft["followUp"] == {"afterDays": 7, "toTarget": False, "maxNudges": 1}
    assert "Bo" in draft["ask"]
    assert len(draft["ask"].split()) <= 130
    lint = await api.query(
        "me",
        'query { lintOutreach(text: "Sorry to bother you, but would you invest in us?") { clean findings { rule start end } } }',
    )
    assert lint["lintOutreach"]["clean"] is False
    assert {"apologetic-opener", "big-ask-of-stranger"} <= {
        f["rule"] for f in lint["lintOutreach"]["findings"]
    }

    created = await api.query(
        "me",
        'mutation { createIntroRequest(to: "bo", via: "ana", goal: "payouts") { __typename ... on IntroRequest { id status introducer { name } } } }',
    )
    req = created["createIntroRequest"]
    assert req["status"] == "DRAFTED"
    assert req["introducer"]["name"] == "Ana Ames"
    upd = "mutation($id: ID!, $s: IntroStatus!) { updateIntroRequest(id: $id, status: $s) { __typename ... on IntroRequest { status } ... on InvalidInput { field } } }"
    asked = await api.query("me", upd, id=req["id"], s="ASKED")
    assert asked["updateIntroRequest"] == {"__typename": "IntroRequest", "status": "ASKED"}
    bad = await api.query("me", upd, id=req["id"], s="MET")
    assert bad["updateIntroRequest"] == {"__typename": "InvalidInput", "field": "status"}
    listed = await api.query(
        "me", "{ introRequests(status: ASKED) { edges { node { id target { id } } } } }"
    )
    assert [e["node"]["id"] for e in listed["introRequests"]["edges"]] == [req["id"]]
    # The recent ask now shows in the introducer ranking, with its reason.
    intro = await api.query(
        "me",
        '{ introducers(to: "cy", from: "me") { ... on IntroducerList { introducers { person { id } reasons } } } }',
    )
    ana = next(i for i in intro["introducers"]["introducers"] if i["person"]["id"] == "ana")
    assert any("asked 1 time" in r for r in ana["reasons"])


async def test_draft_on_a_three_hop_path_asks_for_the_first_step_and_names_the_target(
    api: Api,
) -> None:
    """me -> ana -> bo -> cy: ana is asked about bo, the draft says cy is the aim, and the
    recorded request keeps cy as its target (issue 16: it named bo and never cy)."""
    q = """query { draftIntroRequest(to: "cy", via: "ana", from: "me", goal: "learn how Acme reconciles payouts") {
      __typename ... on Draft { ask blurb subject introducer { id } target { id } nextHop { id name }
        sentences { sentence evidence } lint { clean } blurbLint { clean } }
      ... on InvalidInput { message field } } }"""
    draft = (await api.query("me", q))["draftIntroRequest"]
    assert draft["__typename"] == "Draft", draft
    assert (draft["introducer"]["id"], draft["target"]["id"]) == ("ana", "cy")
    assert draft["nextHop"] == {"id": "bo", "name": "Bo Brandt"}
    assert draft["ask"].startswith("Hi Ana,")
    assert "Cy Chen (Head of Payments at Acme)" in draft["ask"]
    assert "Bo is connected to Cy" in draft["ask"]
    assert "the person I'd most like to learn from" not in draft["ask"]
    assert draft["blurb"].startswith("Hi Bo,")
    assert "You know Cy Chen" in draft["blurb"]  # the reason Bo is asked, not Bo's title
    assert draft["lint"]["clean"] and draft["blurbLint"]["clean"]
    grounded = {s["sentence"]: s["evidence"] for s in draft["sentences"]}
    aim = next(text for text in grounded if "My aim is to reach" in text)
    assert "path:bo->cy" in grounded[aim]
    created = await api.query(
        "me",
        'mutation { createIntroRequest(to: "cy", via: "ana", goal: "payouts") '
        "{ __typename ... on IntroRequest { id target { id } introducer { id } } } }",
    )
    req = created["createIntroRequest"]
    assert (req["target"]["id"], req["introducer"]["id"]) == ("cy", "ana")
    # Without --via, the best route's first introducer is asked: dee knows cy directly.
    auto = await api.query(
        "me",
        '{ draftIntroRequest(to: "cy", from: "me", goal: "payouts") '
        "{ ... on Draft { introducer { id } nextHop { id } } } }",
    )
    assert auto["draftIntroRequest"]["introducer"]["id"] in {"ana", "dee"}
    if auto["draftIntroRequest"]["introducer"]["id"] == "dee":
        assert auto["draftIntroRequest"]["nextHop"] is None


# -- imports over the GraphQL multipart request spec ----------------------------------------
def test_import_linkedin_zip_upload_runs_in_background(api: Api, tmp_path: Path) -> None:
    import io
    import json
    import time
    import zipfile

    buf = io.BytesIO()
    source = Path(__file__).parents[1] / "data" / "linkedin" / "full2023"
    with zipfile.ZipFile(buf, "w") as z:
        for f in sorted(source.iterdir()):
            z.write(f, f"Basic_LinkedInDataExport/{f.name}")
    operations = {
        "query": "mutation($file: Upload!) { importLinkedIn(file: $file) { __typename ... on ImportJob { id status } } }",
        "variables": {"file": None},
    }
    files: dict[str, Any] = {
        "operations": (None, json.dumps(operations), "application/json"),
        "map": (None, json.dumps({"0": ["variables.file"]}), "application/json"),
        "0": ("export.zip", buf.getvalue(), "application/zip"),
    }
    headers = {"Authorization": f"Bearer {api.keys['admin']}"}
    reply = httpx.post(api.url + "/graphql", files=files, headers=headers, timeout=30).json()
    job = reply["data"]["importLinkedIn"]
    assert job["__typename"] == "ImportJob"
    poll = {
        "query": "query($id: ID!) { importJob(id: $id) { ... on ImportJob { status rowsProcessed report { people relationships skipped { file line reason } } error { message } } } }"
    }
    deadline = time.monotonic() + 30
    while True:
        state = api.raw("admin", {**poll, "variables": {"id": job["id"]}}).json()["data"][
            "importJob"
        ]
        if state["status"] in ("DONE", "FAILED") or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert state["status"] == "DONE", state
    assert state["report"]["people"] > 1
    assert state["report"]["relationships"] >= 1
    # A malformed upload fails with a located error and writes nothing.
    before = api.raw("admin", {"query": "{ networkStats { people relationships } }"}).json()["data"]
    files["0"] = ("Connections.csv", b"\x00\x01binary junk", "text/csv")
    bad = httpx.post(api.url + "/graphql", files=files, headers=headers, timeout=30).json()["data"][
        "importLinkedIn"
    ]
    deadline = time.monotonic() + 30
    while True:
        state = api.raw("admin", {**poll, "variables": {"id": bad["id"]}}).json()["data"][
            "importJob"
        ]
        if state["status"] in ("DONE", "FAILED") or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert state["status"] == "FAILED"
    assert "Connections.csv" in state["error"]["message"]
    after = api.raw("admin", {"query": "{ networkStats { people relationships } }"}).json()["data"]
    assert after == before


def test_import_edges_upload(api: Api) -> None:
    import json
    import time

    operations = {
        "query": "mutation($file: Upload!, $people: Upload) { importEdges(file: $file, people: $people) { __typename ... on ImportJob { id } } }",
        "variables": {"file": None, "people": None},
    }
    files: dict[str, Any] = {
        "operations": (None, json.dumps(operations), "application/json"),
        "map": (
            None,
            json.dumps({"0": ["variables.file"], "1": ["variables.people"]}),
            "application/json",
        ),
        "0": ("ties.csv", b"source,target,strength\nup-a,up-b,0.6\n", "text/csv"),
        "1": (
            "people.csv",
            b"id,name,company,position,email,url\nup-a,Uma Upload,Acme,,,\n",
            "text/csv",
        ),
    }
    headers = {"Authorization": f"Bearer {api.keys['admin']}"}
    job = httpx.post(api.url + "/graphql", files=files, headers=headers, timeout=30).json()["data"][
        "importEdges"
    ]
    poll = {
        "query": "query($id: ID!) { importJob(id: $id) { ... on ImportJob { status report { relationships } } } }"
    }
    deadline = time.monotonic() + 30
    while True:
        state = api.raw("admin", {**poll, "variables": {"id": job["id"]}}).json()["data"][
            "importJob"
        ]
        if state["status"] in ("DONE", "FAILED") or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert state == {"status": "DONE", "report": {"relationships": 1}}
    person = api.raw(
        "admin", {"query": '{ person(ref: "up-a") { ... on Person { name company } } }'}
    ).json()
    assert person["data"]["person"] == {"name": "Uma Upload", "company": "Acme"}
