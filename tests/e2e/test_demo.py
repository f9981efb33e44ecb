"""`warmintro demo`: the members' exports only, idempotent, and its suggested targets work.

The demo is what a new user sees first, so its four suggested targets are asked
over GraphQL with the demo's own member key, as the page asks them.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from api.app import schema
from api.context import request_context
from demo.team_exports import write_team_exports
from graph.errors import InvalidInput
from graph.model import Sharing
from services.access import Viewer
from services.demo import DEMO_SEED, DEMO_TODAY, DemoResult, DemoTarget, build_demo
from services.imports import ImportKind, ImportRequest, run_import
from services.runtime import Services
from services.settings import Settings

PATH = "requester { name } people { id name } steps { sources inferred evidence }"
INTRODUCERS = f"""
query ($to: String!, $hint: IntroHint) {{
  introducers(to: $to, hint: $hint, limit: 5) {{
    __typename
    ... on IntroducerList {{
      direct {{ requester {{ name }} person {{ name }} strength evidence sources }}
      introducers {{ person {{ name }} pathProbability path {{ {PATH} }} }}
    }}
  }}
}}
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, DemoResult]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("demo-data"))
    started = time.monotonic()
    result = asyncio.run(build_demo(settings))
    assert time.monotonic() - started < 60  # `make run` must stay quick
    return settings, result


async def ask(settings: Settings, result: DemoResult, query: str, **variables: Any) -> Any:
    """The query as the demo's key asks it: the member's own view."""
    services = Services.build(settings.model_copy(update={"workspace": result.workspace}))
    try:
        owner = services.appdb.authenticate(result.key)
        assert owner is not None and owner.member is not None
        viewer = Viewer(result.workspace, owner.member)
        answer = await schema.execute(
            query, variable_values=variables, context_value=request_context(services, viewer)
        )
        assert answer.errors is None, answer.errors
        assert answer.data is not None
        return answer.data
    finally:
        await services.close()


def target(result: DemoResult, case: str) -> DemoTarget:
    return next(t for t in result.targets if t.case == case)


async def test_the_demo_holds_the_members_exports_and_nothing_else(
    built: tuple[Settings, DemoResult], tmp_path: Path
) -> None:
    settings, result = built
    team = write_team_exports(tmp_path / "team", seed=DEMO_SEED, today=DEMO_TODAY)
    services = Services.build(settings)
    try:
        ws = result.workspace
        stats = await services.store.stats(ws)
        members = await services.store.members(ws)
        assert stats.members == len(team.members) == len(members)
        # Every stored tie touches a member (stars around the owners), except the few the
        # requester's mail and calendar show: contacts seen together in her small threads
        # and meetings, owned by her. No contact-to-contact file.
        ties = set()
        for m in members:
            for r in await services.store.relationships_of(ws, m.person_id):
                ties.add(frozenset((r.a, r.b)))
        key_owner = services.appdb.authenticate(result.key)
        assert key_owner is not None and key_owner.member is not None
        requester = key_owner.member
        among: list[Any] = []
        for person in await services.store.people(ws):
            for r in await services.store.relationships_of(ws, person.id):
                if frozenset((r.a, r.b)) not in ties:
                    among.append(r)
                    ties.add(frozenset((r.a, r.b)))
        assert len(ties) == stats.relationships
        assert 0 < len(among) <= 10
        for r in among:
            assert {e.owner for e in r.evidence} == {requester}
            assert all(e.threads_together + e.meetings_together >= 2 for e in r.evidence)
        assert stats.relationships <= sum(m.connections for m in team.members) + len(among)
        # Sharing levels are set: the teammates the planted cases use share fully.
        levels = {m.sharing for m in members}
        assert levels == {Sharing.FULL, Sharing.PATHS}
        # The key belongs to the requester, a member.
        owner = services.appdb.authenticate(result.key)
        assert owner is not None and owner.member in {m.person_id for m in members}
        assert result.member_name == team.requester.name
    finally:
        await services.close()
    for t in result.targets:
        assert t.line().strip() in result.summary
    assert "ties between contacts come only from who shares her threads and meetings" in (
        result.summary
    )


async def test_building_again_changes_nothing_but_the_key(
    built: tuple[Settings, DemoResult],
) -> None:
    settings, first = built
    services = Services.build(settings)
    before = await services.store.stats(first.workspace)
    await services.close()
    again = await build_demo(settings)
    services = Services.build(settings)
    after = await services.store.stats(first.workspace)
    await services.close()
    assert after == before
    assert again.key != first.key
    assert again.targets == first.targets


async def test_the_suggested_targets_show_what_they_promise(
    built: tuple[Settings, DemoResult],
) -> None:
    settings, result = built
    # A teammate's direct contact: the teammate is the introducer, named as the source.
    case = target(result, "a teammate's contact")
    data = (await ask(settings, result, INTRODUCERS, to=case.name))["introducers"]
    assert data["direct"] is None
    best = data["introducers"][0]
    teammate = best["person"]["name"]
    assert teammate.split()[0] in case.note
    assert teammate in best["path"]["steps"][-1]["sources"]
    assert best["path"]["requester"]["name"] == result.member_name

    # A direct contact with a much warmer teammate route.
    case = target(result, "someone you already know")
    data = (await ask(settings, result, INTRODUCERS, to=case.name))["introducers"]
    assert data["direct"]["person"]["name"] == case.name
    assert result.member_name in data["direct"]["sources"]
    warmer = data["introducers"][0]
    assert warmer["person"]["name"] in case.note
    assert warmer["pathProbability"] > 2 * data["direct"]["strength"]

    # Someone in nobody's data, reached through a colleague at their company.
    case = target(result, "an inferred colleague")
    hint = {"company": case.company, "title": case.title}
    data = (await ask(settings, result, INTRODUCERS, to=case.name, hint=hint))["introducers"]
    first = data["introducers"][0]
    assert first["person"]["name"] in case.note
    assert first["path"]["steps"][-1]["inferred"] is True
    assert first["path"]["people"][-1]["name"] == case.name

    # A role nobody holds, at the company the team knows best.
    case = target(result, "someone outside the data")
    hint = {"company": case.company, "title": case.title}
    data = (await ask(settings, result, INTRODUCERS, to="", hint=hint))["introducers"]
    assert len(data["introducers"]) >= 2
    assert all(i["path"]["steps"][-1]["inferred"] for i in data["introducers"])


async def test_an_older_demo_in_the_data_directory_is_named_not_crashed_on(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path)
    services = Services.build(settings)
    try:
        services.appdb.create_workspace("demo")
        # One member's export only: the workspace is not empty, and the team is not there.
        other = write_team_exports(tmp_path / "other", seed=DEMO_SEED, sizes=(30, 20))
        request = ImportRequest(ImportKind.LINKEDIN, other.members[0].folder)
        await run_import(services.planner, Viewer("demo"), request)
    finally:
        await services.close()
    with pytest.raises(InvalidInput, match="older demo"):
        await build_demo(settings)


async def test_the_demo_shows_mail_and_meeting_evidence(
    built: tuple[Settings, DemoResult],
) -> None:
    """The requester's mailbox and calendar are imported: her closest contacts' ties read
    as emails and meetings, not only as a LinkedIn connection."""
    settings, result = built
    services = Services.build(settings)
    try:
        owner = services.appdb.authenticate(result.key)
        assert owner is not None and owner.member is not None
        ties = await services.store.relationships_of(result.workspace, owner.member)
        mailed = [
            r
            for r in ties
            if any(e.owner == owner.member and e.emails_ab + e.emails_ba > 0 for e in r.evidence)
        ]
        met = [r for r in ties if any(e.small_meetings > 0 for e in r.evidence)]
    finally:
        await services.close()
    assert len(mailed) >= 8 and met
    closest = mailed[0].b if mailed[0].a == owner.member else mailed[0].a
    data = await ask(
        settings,
        result,
        "query($to: String!) { trustedPath(to: $to) { __typename ... on Path { steps { evidence } } } }",
        to=closest,
    )
    lines = " ".join(data["trustedPath"]["steps"][0]["evidence"])
    assert "email" in lines, lines
