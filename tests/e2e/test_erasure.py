"""Complete erasure (issue 15): nothing of the person is left in any file of the data
dir right after the call, while the store is open, and a re-import skips them.

The byte-level check covers the data dir: for the embedded backend that is the
whole graph (SQLite, its WAL and shared-memory files) and the app database; for
Neo4j the graph lives in Neo4j's own store, so there the test checks that the
person is gone through the API and that the data dir (app database: intro
requests, suppression list) holds no byte of them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.app import schema
from api.context import request_context
from cli.main import app as cli_app
from services.access import Viewer
from services.erasure import ERASED_REASON
from services.imports import ImportKind, ImportRequest, import_owner, run_import
from services.runtime import Services
from services.settings import Settings
from tests.conftest import BACKENDS
from tests.e2e.sharing_world import TODAY, open_backend

NAME = "Xanthippe Quillfeather"
EMAIL = "xanthippe.q@erase-me.example"
SLUG = "xanthippe-quillfeather"
URL = f"https://www.linkedin.com/in/{SLUG}"
OWNER = "https://www.linkedin.com/in/olive-owner"
TRACES = (b"xanthippe", b"quillfeather", EMAIL.encode(), SLUG.encode())


def write_export(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "Connections.csv"
    path.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        f"Xanthippe,Quillfeather,{URL},{EMAIL},Zyzzyva Labs,Head of Ledgers,04 Mar 2024\n"
        "Bob,Keeper,https://www.linkedin.com/in/bob-keeper,,Acme,CTO,05 Mar 2024\n"
        "Cyd,Third,https://www.linkedin.com/in/cyd-third,,Globex,CFO,06 Mar 2024\n",
        encoding="utf-8",
    )
    return path


def traces_in(data_dir: Path) -> list[str]:
    """Every file under the data dir holding a byte string of the erased person."""
    hits = []
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        content = path.read_bytes().lower()
        hits += [f"{path.name}: {t.decode()}" for t in TRACES if t in content]
    return hits


def test_cli_erase_leaves_no_byte_and_reimport_skips(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {"WARMINTRO_DATA_DIR": str(data), "WARMINTRO_WORKSPACE": "default"}
    runner = CliRunner()

    def cli(*args: str) -> Any:
        result = runner.invoke(cli_app, list(args), env=env)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout) if "--json" in args else result.stdout

    export = write_export(tmp_path / "export")
    cli("workspace", "create", "default")
    cli("import", "linkedin", str(export), "--owner", OWNER, "--json")
    cli("intro", "create", URL, "--via", "Bob Keeper", "--goal", "ledgers")
    mention = f"ask Bob whether {NAME} ({EMAIL}, linkedin.com/in/{SLUG}) still runs ledgers"
    cli("intro", "create", "Cyd Third", "--via", "Bob Keeper", "--goal", mention)
    assert traces_in(data), "the test data must be on disk before the erasure"

    erased = cli("erase", URL, "--yes", "--json")
    assert erased["erased"] == f"li:{SLUG}"
    assert erased["introRequests"] == 2
    assert erased["suppressedKeys"] >= 3
    assert traces_in(data) == []
    requests = cli("intro", "list", "--json")["introRequests"]
    assert len(requests) == 1 and "(erased)" in requests[0]["goal"]

    report = cli("import", "linkedin", str(export), "--owner", OWNER, "--json")
    assert [s["reason"] for s in report["skipped"]] == [ERASED_REASON]
    result = runner.invoke(cli_app, ["search", "Xanthippe", "--json"], env=env)
    assert json.loads(result.stdout)["people"] == []
    assert traces_in(data) == []


ERASE = """mutation ($r: String!) { erasePerson(ref: $r) { __typename
  ... on ErasedPerson { personId relationships evidence introRequests suppressedKeys }
  ... on PersonNotFound { message } ... on Forbidden { message } } }"""
DRAFT = (
    f"Hi Bob, would you be open to introducing me to {NAME}? I would like to compare notes "
    "on how her team reconciles ledgers. No worries if the timing is not right."
)
CREATE = """mutation ($to: String!, $via: String!, $goal: String!, $draft: String!) {
  createIntroRequest(to: $to, via: $via, goal: $goal, draft: $draft) { __typename } }"""


@pytest.fixture(params=BACKENDS)
async def served(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    data = tmp_path / "data"
    data.mkdir()
    async for store in open_backend(request, data):
        services = Services.build(Settings(data_dir=data), store)
        services.planner._today = TODAY
        yield services, data, request.param
        services.appdb.close()


async def test_graphql_erase_while_serving(served: Any, tmp_path: Path) -> None:
    services, data, backend = served
    ws = f"erase-{backend}-{tmp_path.name[-8:]}".lower().replace("_", "-")
    services.appdb.create_workspace(ws)
    export = write_export(tmp_path / "export")
    admin = Viewer(ws)
    me = await import_owner(services.planner, admin, OWNER)
    await run_import(services.planner, admin, ImportRequest(ImportKind.LINKEDIN, export, owner=me))

    async def gql(text: str, member: str | None = None, **variables: Any) -> dict[str, Any]:
        result = await schema.execute(
            text,
            variable_values=variables,
            context_value=request_context(services, Viewer(ws, member)),
        )
        assert result.errors is None, result.errors
        assert result.data is not None
        return result.data

    made = await gql(CREATE, to=URL, via="Bob Keeper", goal="ledgers", draft=DRAFT)
    assert made["createIntroRequest"]["__typename"] == "IntroRequest"
    made = await gql(
        CREATE, to="Cyd Third", via="Bob Keeper", goal="ledgers", draft=DRAFT + f" ({EMAIL})"
    )
    assert made["createIntroRequest"]["__typename"] == "IntroRequest"
    # A member may not erase someone else (and cannot see her to begin with).
    bob = (await services.planner.resolve(admin, "Bob Keeper")).id
    refused = await gql(ERASE, bob, r=URL)
    assert refused["erasePerson"]["__typename"] in ("PersonNotFound", "Forbidden")

    answer = (await gql(ERASE, r=EMAIL.upper()))["erasePerson"]
    assert answer["__typename"] == "ErasedPerson", answer
    assert answer["personId"] == f"li:{SLUG}"
    assert answer["introRequests"] == 2 and answer["suppressedKeys"] >= 3
    assert traces_in(data) == [], "the data dir still holds the erased person"
    found = await gql("query ($r: String!) { person(ref: $r) { __typename } }", r=URL)
    assert found["person"]["__typename"] == "PersonNotFound"
    listed = await gql("{ introRequests { edges { node { goal draft target { id } } } } }")
    nodes = [e["node"] for e in listed["introRequests"]["edges"]]
    assert len(nodes) == 1 and EMAIL not in json.dumps(nodes)

    report = await run_import(
        services.planner, admin, ImportRequest(ImportKind.LINKEDIN, export, owner=me)
    )
    assert [s.reason for s in report.skipped] == [ERASED_REASON]
    assert await services.store.person(ws, f"li:{SLUG}") is None
    stats = await services.planner.stats(admin)
    assert stats.people == 3  # the owner, Bob and Cyd
    assert traces_in(data) == []
