"""The central questions on data shaped like real pooled exports (issue 14).

Four members' LinkedIn exports (2024 with URLs, 2022 and 2018 without), overlapping,
stars around their owners and nothing else, imported through the real loader into
each backend; every case is asked over GraphQL (both backends) and the CLI (--json).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.app import schema
from api.context import request_context
from cli.main import app as cli_app
from demo.team_exports import TeamManifest, write_team_exports
from graph.store.base import GraphStore
from graph.titles import title_matches
from services.access import Viewer
from services.imports import ImportKind, ImportRequest, run_import
from services.runtime import Services
from services.settings import Settings

TODAY = date(2026, 11, 1)
WS = "team"
Ask = Callable[..., Awaitable[dict[str, Any]]]

PATH_FIELDS = """
  requester { id name }
  people { id name }
  steps { from to strength evidence sources inferred }
"""


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> TeamManifest:
    return write_team_exports(tmp_path_factory.mktemp("exports"), seed=7, scale=0.5)


async def load_team(store: GraphStore, team: TeamManifest, data: Path, ws: str) -> Services:
    services = Services.build(Settings(data_dir=data), store)
    services.planner._today = TODAY
    services.appdb.create_workspace(ws)
    for member in team.members:
        request = ImportRequest(ImportKind.LINKEDIN, member.folder)
        await run_import(services.planner, Viewer(ws), request)
    return services


@pytest.fixture
async def ask(
    store: GraphStore, team: TeamManifest, tmp_path: Path
) -> AsyncIterator[tuple[Ask, Services]]:
    # The Neo4j server is shared by the session: a workspace of its own per test.
    ws = f"team-{uuid.uuid4().hex[:10]}"
    services = await load_team(store, team, tmp_path, ws)
    services.settings = services.settings.model_copy(update={"workspace": ws})

    async def run(query: str, member: str | None = None, **variables: Any) -> dict[str, Any]:
        viewer = Viewer(ws, member)
        result = await schema.execute(
            query, variable_values=variables, context_value=request_context(services, viewer)
        )
        assert result.errors is None, result.errors
        assert result.data is not None
        return result.data

    yield run, services
    services.appdb.close()


async def member_id(services: Services, name: str) -> str:
    return (await services.planner.resolve(Viewer(services.settings.workspace), name)).id


INTRODUCERS = f"""
query ($to: String!, $from: String, $hint: IntroHint) {{
  introducers(to: $to, from: $from, hint: $hint, limit: 5) {{
    __typename
    ... on IntroducerList {{
      direct {{ requester {{ name }} person {{ name }} strength evidence sources }}
      introducers {{ person {{ id name }} pathProbability path {{ {PATH_FIELDS} }} }}
    }}
    ... on AmbiguousPerson {{ candidates descriptions }}
  }}
}}
"""


async def test_a_teammates_direct_contact_names_the_teammate(
    ask: tuple[Ask, Services], team: TeamManifest
) -> None:
    run, services = ask
    scenario = team.teammate_contact
    # A team (admin) question: the teammate who knows them is the answer, named.
    data = (await run(INTRODUCERS, to=scenario.person.name))["introducers"]
    assert data["direct"]["requester"]["name"] == scenario.teammate
    assert data["direct"]["person"]["name"] == scenario.person.name
    assert scenario.teammate in data["direct"]["sources"]
    # A member's question routes through the teammate, who is the introducer.
    maya = await member_id(services, team.requester.name)
    data = (await run(INTRODUCERS, member=maya, to=scenario.person.name))["introducers"]
    assert data["direct"] is None
    best = data["introducers"][0]
    assert best["person"]["name"] == scenario.teammate
    steps = best["path"]["steps"]
    assert steps[0]["evidence"][0].startswith("teammates in this workspace") or any(
        "teammates in this workspace" in line for line in steps[0]["evidence"]
    )
    assert scenario.teammate in steps[-1]["sources"]
    assert best["path"]["requester"]["name"] == team.requester.name


async def test_a_weak_direct_contact_is_an_answer_with_the_warmer_route(
    ask: tuple[Ask, Services], team: TeamManifest
) -> None:
    run, services = ask
    scenario = team.weak_direct
    maya = await member_id(services, team.requester.name)
    data = (await run(INTRODUCERS, member=maya, to=scenario.person.name))["introducers"]
    direct = data["direct"]
    assert direct["person"]["name"] == scenario.person.name
    assert direct["strength"] < 0.25
    warmer = data["introducers"][0]
    assert warmer["person"]["name"] == scenario.teammate
    assert warmer["pathProbability"] > 2 * direct["strength"]
    assert all(i["pathProbability"] > direct["strength"] for i in data["introducers"])

    draft = (
        await run(
            """query ($to: String!, $goal: String!) {
              draftIntroRequest(to: $to, goal: $goal) {
                __typename
                ... on Draft {
                  kind ask introducer { name } lint { clean }
                  alternative { kind introducer { name } lint { clean } blurbLint { clean } }
                }
              }
            }""",
            member=maya,
            to=scenario.person.name,
            goal="compare notes on partner payouts",
        )
    )["draftIntroRequest"]
    assert draft["kind"] == "direct"
    assert draft["introducer"]["name"] == scenario.person.name
    assert draft["lint"]["clean"], draft["ask"]
    assert draft["alternative"]["kind"] == "intro"
    assert draft["alternative"]["introducer"]["name"] == scenario.teammate
    assert draft["alternative"]["lint"]["clean"] and draft["alternative"]["blurbLint"]["clean"]


async def test_a_target_in_nobodys_data_is_reached_through_colleagues(
    ask: tuple[Ask, Services], team: TeamManifest
) -> None:
    run, services = ask
    scenario = team.inferred_colleague
    maya = await member_id(services, team.requester.name)
    hint = {"company": scenario.target.company, "title": scenario.target.title}
    data = (await run(INTRODUCERS, member=maya, to=scenario.target.name, hint=hint))["introducers"]
    first = data["introducers"][0]
    assert first["person"]["name"] == scenario.bridge.name
    last = first["path"]["steps"][-1]
    assert last["inferred"] is True
    assert first["path"]["people"][-1]["name"] == scenario.target.name

    outside = team.outside_target
    data = (
        await run(INTRODUCERS, to="", hint={"company": outside.company, "title": outside.title})
    )["introducers"]
    names = [i["person"]["name"] for i in data["introducers"]]
    assert names, "the team reaches people at the company"
    if outside.member:  # a member who works there is the first one to ask
        assert names[0] == outside.member
    assert all(i["path"]["steps"][-1]["inferred"] for i in data["introducers"])


async def test_names_are_refs_and_namesakes_are_listed(
    ask: tuple[Ask, Services], team: TeamManifest
) -> None:
    run, _ = ask
    query = (
        "query ($ref: String!) { person(ref: $ref) { __typename ... on Person { id name } "
        "... on AmbiguousPerson { candidates descriptions } } }"
    )
    only = team.url_less_only.person.name
    found = (await run(query, ref=only.upper()))["person"]
    assert found["__typename"] == "Person" and found["name"] == only
    twins = (await run(query, ref="jose alvarez"))["person"]
    assert twins["__typename"] == "AmbiguousPerson"
    assert len(twins["candidates"]) == 2
    assert {d.split(" (")[0] for d in twins["descriptions"]} == {
        team.namesakes.accented.name,
        team.namesakes.plain.name,
    }


async def test_reach_by_title_means_the_title(ask: tuple[Ask, Services]) -> None:
    run, _ = ask
    data = (
        await run(
            """{ reach(title: "CTO", first: 50) { __typename ... on ReachConnection {
            edges { node { people { position } steps { sources } } } } } }"""
        )
    )["reach"]
    titles = [e["node"]["people"][-1]["position"] for e in data["edges"]]
    assert titles
    assert all(title_matches("CTO", t) for t in titles), titles
    assert not any(t.strip().lower() == "director" for t in titles)


async def test_members_and_sharing_are_visible_and_settable(
    ask: tuple[Ask, Services], team: TeamManifest
) -> None:
    run, services = ask
    members = (await run("{ members { person { name } sharing } }"))["members"]
    assert {m["person"]["name"] for m in members} == {m.name for m in team.members}
    maya = await member_id(services, team.requester.name)
    set_own = await run(
        "mutation { setSharing(level: FULL) { __typename ... on Member { sharing } } }",
        member=maya,
    )
    assert set_own["setSharing"] == {"__typename": "Member", "sharing": "FULL"}
    other = team.members[1].name
    refused = await run(
        "mutation ($m: String) { setSharing(level: PRIVATE, member: $m) { __typename } }",
        member=maya,
        m=other,
    )
    assert refused["setSharing"]["__typename"] == "Forbidden"


def test_the_cli_answers_the_same_questions(team: TeamManifest, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"WARMINTRO_DATA_DIR": str(tmp_path), "WARMINTRO_WORKSPACE": WS}

    def cli(*args: str) -> tuple[int, Any]:
        result = runner.invoke(cli_app, list(args), env=env)
        try:
            return result.exit_code, json.loads(result.stdout)
        except json.JSONDecodeError:
            return result.exit_code, result.stdout

    assert runner.invoke(cli_app, ["workspace", "create", WS], env=env).exit_code == 0
    for member in team.members:
        assert (
            runner.invoke(cli_app, ["import", "linkedin", str(member.folder)], env=env).exit_code
            == 0
        )
    a = team.teammate_contact
    code, doc = cli("introducers", a.person.name, "--json")
    assert code == 0 and doc["direct"]["requester"]["name"] == a.teammate
    b = team.weak_direct
    code, doc = cli("introducers", b.person.name, "--from", team.requester.name, "--json")
    assert doc["direct"]["person"]["name"] == b.person.name
    assert doc["introducers"][0]["person"]["name"] == b.teammate
    code, doc = cli(
        "draft",
        b.person.name,
        "--from",
        team.requester.name,
        "--goal",
        "compare notes on partner payouts",
        "--json",
    )
    assert code == 0 and doc["kind"] == "direct" and doc["alternative"]["kind"] == "intro"
    code, doc = cli("path", team.requester.name, a.person.name, "--json")
    assert doc["requester"]["name"] == team.requester.name
    assert a.teammate in doc["steps"][-1]["sources"]
    code, doc = cli(
        "introducers",
        "",
        "--company",
        team.outside_target.company,
        "--title",
        team.outside_target.title,
        "--json",
    )
    assert code == 0 and doc["introducers"]
    assert all(i["path"]["steps"][-1]["inferred"] for i in doc["introducers"])
    code, doc = cli("search", "jose alvarez", "--json")
    assert code == 0 and len(doc["people"]) >= 2
    code, doc = cli("path", team.requester.name, "jose alvarez", "--json")
    assert code == 2 and doc["error"] == "AmbiguousPerson"
    code, doc = cli("reach", "--title", "CTO", "--limit", "50", "--json")
    assert all(title_matches("CTO", r["person"]["position"]) for r in doc["reach"])
    assert all(r["via"] for r in doc["reach"])
    code, doc = cli("member", "list", "--json")
    assert len(doc["members"]) == len(team.members)
    # Inference off for the workspace: the colleague route to someone in nobody's data
    # goes away (every such route ends in an inferred tie); on again, it is back.
    c = team.inferred_colleague
    ask_c = [
        *("introducers", c.target.name, "--from", team.requester.name),
        *("--company", c.target.company, "--json"),
    ]
    code, doc = cli(*ask_c)
    assert code == 0 and doc["introducers"][0]["person"]["name"] == c.bridge.name
    code, doc = cli("workspace", "set", WS, "--no-infer-colleagues", "--json")
    assert code == 0 and doc["options"] == {"inferColleagues": False}
    code, doc = cli("workspace", "list", "--json")
    assert doc["options"][WS] == {"inferColleagues": False}
    code, doc = cli(*ask_c)
    assert code == 2 and doc["error"] == "InvalidInput" and "inference is off" in doc["message"]
    code, doc = cli("workspace", "set", WS, "--infer-colleagues", "--json")
    assert code == 0 and doc["options"] == {"inferColleagues": True}
    code, doc = cli(*ask_c)
    assert doc["introducers"][0]["person"]["name"] == c.bridge.name


OPTIONS = """
mutation ($on: Boolean!) {
  setWorkspaceOptions(inferColleagues: $on) {
    __typename
    ... on WorkspaceOptions { inferColleagues }
    ... on Forbidden { message }
  }
}
"""


async def test_colleague_inference_is_switched_per_workspace_by_an_admin(
    ask: tuple[Ask, Services], team: TeamManifest
) -> None:
    run, services = ask
    scenario = team.inferred_colleague
    maya = await member_id(services, team.requester.name)
    hint = {"company": scenario.target.company, "title": scenario.target.title}

    async def answer() -> dict[str, Any]:
        data = await run(INTRODUCERS, member=maya, to=scenario.target.name, hint=hint)
        found: dict[str, Any] = data["introducers"]
        return found

    async def route() -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = (await answer())["introducers"]
        return found

    read = "{ workspaceOptions { __typename ... on WorkspaceOptions { inferColleagues } } }"
    assert (await run(read, member=maya))["workspaceOptions"]["inferColleagues"] is True
    assert (await route())[0]["person"]["name"] == scenario.bridge.name
    # A member key cannot change it, and the answer stays as it was.
    refused = (await run(OPTIONS, member=maya, on=False))["setWorkspaceOptions"]
    assert refused["__typename"] == "Forbidden"
    assert services.appdb.view_options(services.settings.workspace).infer_colleagues
    assert (await route())[0]["person"]["name"] == scenario.bridge.name
    # The admin switches it off: the view is rebuilt without inferred ties.
    off = (await run(OPTIONS, on=False))["setWorkspaceOptions"]
    assert off == {"__typename": "WorkspaceOptions", "inferColleagues": False}
    assert (await answer())["__typename"] == "InvalidInput"  # it says why, not "nobody"
    view = await services.store.planning_view(services.settings.workspace)
    assert not view.options.infer_colleagues
    assert not any("inferred" in owners for owners in view.implied.values())
    assert (await run(read, member=maya))["workspaceOptions"]["inferColleagues"] is False
    # And on again.
    on = (await run(OPTIONS, on=True))["setWorkspaceOptions"]
    assert on["inferColleagues"] is True
    best = (await route())[0]
    assert best["person"]["name"] == scenario.bridge.name
    assert best["path"]["steps"][-1]["inferred"] is True
