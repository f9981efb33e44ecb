"""Exports load back with networkx's readers and keep people, ties and evidence."""

from __future__ import annotations

import asyncio
import io
import itertools
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import strawberry
from typer.testing import CliRunner, Result

from api.context import request_context
from api.export_schema import ExportResult, export_paths
from graph.errors import InvalidInput
from graph.exports import (
    EVIDENCE_SEPARATOR,
    ExportFormat,
    ExportGraph,
    Role,
    ego_graph,
    mermaid_escape,
    paths_graph,
    render,
    to_cytoscape,
    to_mermaid,
)
from graph.model import Person
from graph.paths import PathView, Step
from graph.store.embedded import EmbeddedStore
from services.access import Viewer
from services.runtime import Services
from services.settings import Settings
from tests.conftest import TODAY, small_network


def person(pid: str, name: str, company: str = "", position: str = "") -> Person:
    url = f"https://www.linkedin.com/in/{pid}" if pid != "me" else ""
    return Person(pid, name, company=company, position=position, url=url)


ME = person("me", "Maya Chen", "Cloudkite", "Founder & CEO")
ANA = person("ana", "Ana Ames", "Globex", "Engineer")
BO = person("bo", 'Bo "the Closer" Brandt', "Acme [EU]", "Director (Sales)")
DEE = person("dee", "Dee Dunn", "Initech", "Partner")
CY = person("cy", "李 伟", "Acme", "Head of Payments")


def step(a: str, b: str, strength: float, *evidence: str) -> Step:
    return Step(a, b, strength, evidence)


BEST = PathView(
    (ME, ANA, BO, CY),
    (
        step("me", "ana", 0.9, "21 messages both ways, last 12 days ago", "connected 2019"),
        step("ana", "bo", 0.8, "worked together at Globex 2018–2021"),
        step("bo", "cy", 0.7, "rated 0.7"),
    ),
    0.9 * 0.8 * 0.7,
)
SECOND = PathView(
    (ME, DEE, CY), (step("me", "dee", 0.5), step("dee", "cy", 0.3, "connected 2024")), 0.5 * 0.3
)
PATHS = [BEST, SECOND]


def exported(fmt: ExportFormat) -> str:
    return render(paths_graph(PATHS), fmt)


def check_loaded(g: nx.Graph[str]) -> None:
    """Invariants every round-tripped paths graph must keep."""
    assert set(g.nodes) == {"me", "ana", "bo", "cy", "dee"}
    assert {frozenset(e) for e in g.edges} == {
        frozenset(p)
        for p in [("me", "ana"), ("ana", "bo"), ("bo", "cy"), ("me", "dee"), ("dee", "cy")]
    }
    bo = g.nodes["bo"]
    assert bo["name"] == BO.name
    assert bo["company"] == "Acme [EU]"
    assert bo["position"] == "Director (Sales)"
    assert bo["url"] == "https://www.linkedin.com/in/bo"
    assert bo["role"] == "intermediary"
    assert g.nodes["cy"]["name"] == "李 伟"
    assert g.nodes["cy"]["role"] == "target"
    assert g.nodes["me"]["role"] == "requester"
    assert g.nodes["ana"]["role"] == g.nodes["dee"]["role"] == "introducer"
    assert int(g.nodes["cy"]["distance"]) == 2  # the shortest of the paths through cy
    assert g.nodes["cy"]["paths"] == "1,2"
    tie = g.edges["me", "ana"]
    assert float(tie["strength"]) == pytest.approx(0.9)
    assert tie["evidence"].split(EVIDENCE_SEPARATOR) == [
        "21 messages both ways, last 12 days ago",
        "connected 2019",
    ]
    assert g.edges["dee", "cy"]["paths"] == "2"
    # The path's probability is the product of the strengths along it.
    best = [p.id for p in BEST.people]
    product = 1.0
    for a, b in itertools.pairwise(best):
        product *= float(g.edges[a, b]["strength"])
    assert product == pytest.approx(BEST.probability)


def test_graphml_loads_back_with_networkx() -> None:
    text = exported(ExportFormat.GRAPHML)
    g = nx.read_graphml(io.BytesIO(text.encode()))
    assert not g.is_directed()
    check_loaded(g)
    assert g.graph["kind"] == "paths"


def test_gexf_loads_back_with_networkx() -> None:
    text = exported(ExportFormat.GEXF)
    assert 'defaultedgetype="undirected"' in text
    g = nx.read_gexf(io.BytesIO(text.encode()))
    check_loaded(g)
    assert g.nodes["bo"]["label"] == BO.name  # Gephi shows the GEXF label
    assert float(g.edges["ana", "bo"]["weight"]) == pytest.approx(0.8)  # Gephi's thickness


def test_cytoscape_json_is_elements_with_data() -> None:
    doc = json.loads(exported(ExportFormat.CYTOSCAPE))
    nodes = doc["elements"]["nodes"]
    edges = doc["elements"]["edges"]
    assert [n["data"]["id"] for n in nodes] == ["me", "ana", "bo", "cy", "dee"]
    assert nodes[2]["data"]["label"] == 'Bo "the Closer" Brandt\nDirector (Sales), Acme [EU]'
    ids = {n["data"]["id"] for n in nodes}
    for e in edges:
        assert {e["data"]["source"], e["data"]["target"]} <= ids
        assert 0 < e["data"]["strength"] <= 1
    first = edges[0]["data"]
    assert first["evidence"] == list(BEST.steps[0].evidence)
    assert first["paths"] == [1]
    # Cytoscape.js rejects duplicate element ids.
    all_ids = [x["data"]["id"] for x in nodes + edges]
    assert len(all_ids) == len(set(all_ids))


def test_mermaid_is_a_left_to_right_graph_with_strength_labels() -> None:
    text = exported(ExportFormat.MERMAID)
    lines = text.splitlines()
    assert lines[0] == "graph LR"
    assert '  p0 -->|"0.90"| p1' in lines  # me -> ana
    assert '  p4 -->|"0.30"| p3' in lines  # dee -> cy, drawn towards the target
    assert "  class p0 requester" in lines


def test_mermaid_escapes_quotes_and_brackets_in_names() -> None:
    text = exported(ExportFormat.MERMAID)
    bo_line = next(line for line in text.splitlines() if line.startswith("  p2["))
    assert bo_line == (
        '  p2["Bo #quot;the Closer#quot; Brandt<br/>Director #40;Sales#41;, Acme #91;EU#93;"]'
    )
    # Inside each label (between the outer quotes) nothing can end it early.
    for line in text.splitlines()[1:6]:
        inner = re.sub(r"#\w+;", "", line.split('["', 1)[1].rsplit('"]', 1)[0])
        assert not set(inner) & set('"[](){}|`;')


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ('say "hi"', "say #quot;hi#quot;"),
        ("a]b[c", "a#93;b#91;c"),
        ("x|y;z", "x#124;y#59;z"),
        ("line\nbreak  and   spaces", "line break and spaces"),
        ("O'Neill & Sons <ltd>", "O'Neill #38; Sons #60;ltd#62;"),
        ("#1 `code`", "#35;1 #96;code#96;"),
    ],
)
def test_mermaid_escape(raw: str, safe: str) -> None:
    assert mermaid_escape(raw) == safe


def test_unknown_format_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="unknown format 'dot'"):
        render(ExportGraph("paths"), "dot")


def test_a_step_off_its_path_is_rejected() -> None:
    bad = PathView((ME, ANA), (step("me", "zed", 0.5),), 0.5)
    with pytest.raises(InvalidInput, match="'zed'"):
        paths_graph([bad])


def test_a_strength_out_of_range_is_rejected() -> None:
    bad = PathView((ME, ANA), (step("me", "ana", 1.5),), 1.0)
    with pytest.raises(InvalidInput, match="strength"):
        paths_graph([bad])


def test_a_single_path_ranks_one() -> None:
    g = paths_graph([SECOND])
    assert list(g.nodes) == ["me", "dee", "cy"]
    assert g.nodes["dee"].paths == [1]


# -- ego networks ------------------------------------------------------------------------
RING = [
    step("c", "n1", 0.9, "close"),
    step("c", "n2", 0.6),
    step("n1", "n2", 0.5),  # a tie between two first-degree contacts
    step("n1", "f1", 0.4),
    step("f1", "f2", 0.8),  # both at distance 2: kept, like networkx.ego_graph
    step("n2", "f2", 0.3),
    step("f2", "far", 0.7),  # distance 3: dropped at hops=2
]


def reference_ego(hops: int) -> nx.Graph[str]:
    g: nx.Graph[str] = nx.Graph()
    g.add_edges_from((t.source, t.target) for t in RING)
    ego: nx.Graph[str] = nx.ego_graph(g, "c", radius=hops)
    return ego


@pytest.mark.parametrize("hops", [1, 2, 3])
def test_ego_graph_matches_networkx_from_a_list_and_a_callback(hops: int) -> None:
    expected = reference_ego(hops)
    by_person: dict[str, list[Step]] = {}
    for tie in RING:
        by_person.setdefault(tie.source, []).append(tie)
        by_person.setdefault(tie.target, []).append(tie)
    calls: list[str] = []

    def neighbours(pid: str) -> list[Step]:
        calls.append(pid)
        return by_person.get(pid, [])

    for ties in (RING, neighbours):
        g = ego_graph("c", ties, hops=hops, people={"c": Person("c", "Centre")})
        assert set(g.nodes) == set(expected.nodes)
        assert {frozenset((e.source, e.target)) for e in g.edges.values()} == {
            frozenset(e) for e in expected.edges
        }
        assert g.nodes["c"].role is Role.CENTER
        assert g.nodes["c"].name == "Centre"
        assert g.nodes["n1"].name == "n1"  # unknown people are labelled by id
        assert all(
            n.distance == nx.shortest_path_length(expected, "c", n.id) for n in g.nodes.values()
        )
    assert len(calls) == len(set(calls))  # each person's ties fetched once


def test_ego_graph_round_trips_through_graphml_and_gexf() -> None:
    g = ego_graph("c", RING, hops=2)
    for fmt, reader in ((ExportFormat.GRAPHML, nx.read_graphml), (ExportFormat.GEXF, nx.read_gexf)):
        loaded = reader(io.BytesIO(render(g, fmt).encode()))
        assert set(loaded.nodes) == {"c", "n1", "n2", "f1", "f2"}
        assert loaded.number_of_edges() == 6
        assert loaded.edges["c", "n1"]["evidence"] == "close"
        assert loaded.nodes["c"]["role"] == "center"
    assert "---" in to_mermaid(g)  # ego ties have no direction


def test_ego_graph_caps_its_size() -> None:
    star = [step("c", f"n{i}", 0.5) for i in range(50)]
    g = ego_graph("c", star, hops=1, max_nodes=10)
    assert len(g.nodes) == 10
    assert g.truncated
    assert to_cytoscape(g)["data"]["truncated"] is True


def test_ego_graph_needs_a_positive_radius() -> None:
    with pytest.raises(InvalidInput, match="hops"):
        ego_graph("c", RING, hops=0)


# -- GraphQL: the exportPaths resolver through strawberry, without HTTP ------------------
EXPORT_QUERY = """
query ($to: String!, $format: ExportFormat!, $k: Int!) {
  exportPaths(to: $to, format: $format, k: $k, from: "me") {
    __typename
    ... on GraphExport { format mediaType content people ties }
    ... on NoPath { reason message }
    ... on PersonNotFound { ref }
    ... on InvalidInput { message field }
  }
}
"""


@strawberry.type
class ExportQuery:
    export_paths: ExportResult = strawberry.field(resolver=export_paths)


@pytest.fixture
async def export_schema_run(
    tmp_path: Path,
) -> AsyncIterator[Callable[..., Awaitable[dict[str, Any]]]]:
    schema = strawberry.Schema(query=ExportQuery)
    store = EmbeddedStore(tmp_path / "db.sqlite", today=lambda: TODAY)
    await store.apply("main", small_network())
    services = Services.build(Settings(data_dir=tmp_path), store)
    context = request_context(services, Viewer("main"))

    async def run(**variables: Any) -> dict[str, Any]:
        result = await schema.execute(
            EXPORT_QUERY, variable_values=variables, context_value=context
        )
        assert result.errors is None, result.errors
        assert result.data is not None
        data: dict[str, Any] = result.data["exportPaths"]
        return data

    try:
        yield run
    finally:
        await services.close()


async def test_export_paths_field_returns_loadable_files(
    export_schema_run: Callable[..., Awaitable[dict[str, Any]]],
) -> None:
    graphml = await export_schema_run(to="cy", format="GRAPHML", k=2)
    assert graphml["__typename"] == "GraphExport"
    assert graphml["mediaType"] == "application/graphml+xml"
    g = nx.read_graphml(io.BytesIO(graphml["content"].encode()))
    assert {"me", "ana", "bo", "cy", "dee"} == set(g.nodes)
    assert g.nodes["cy"]["role"] == "target"
    assert (graphml["people"], graphml["ties"]) == (5, 5)

    gexf = await export_schema_run(to="cy", format="GEXF", k=1)
    assert set(nx.read_gexf(io.BytesIO(gexf["content"].encode())).nodes) == {
        "me",
        "ana",
        "bo",
        "cy",
    }
    cyto = await export_schema_run(to="cy", format="CYTOSCAPE", k=1)
    assert [n["data"]["id"] for n in json.loads(cyto["content"])["elements"]["nodes"]] == [
        "me",
        "ana",
        "bo",
        "cy",
    ]
    mermaid = await export_schema_run(to="cy", format="MERMAID", k=1)
    assert mermaid["content"].startswith("graph LR\n")


async def test_export_paths_failures_are_union_members(
    export_schema_run: Callable[..., Awaitable[dict[str, Any]]],
) -> None:
    assert (await export_schema_run(to="nobody", format="MERMAID", k=1))[
        "__typename"
    ] == "PersonNotFound"
    no_path = await export_schema_run(to="eve", format="MERMAID", k=1)
    assert no_path["__typename"] == "NoPath"
    assert no_path["reason"] == "DISCONNECTED"
    bad = await export_schema_run(to="cy", format="MERMAID", k=0)
    assert (bad["__typename"], bad["field"]) == ("InvalidInput", "k")


# -- the command line ----------------------------------------------------------------------
@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    store = EmbeddedStore(tmp_path / "warmintro.db", today=lambda: TODAY)
    store.apply_sync("main", small_network())
    asyncio.run(store.close())
    return tmp_path


def cli(data_dir: Path, *args: str) -> Result:
    from cli.main import app

    return CliRunner().invoke(
        app, ["--data-dir", str(data_dir), "--workspace", "main", *args], catch_exceptions=False
    )


def test_cli_export_paths_load_back(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "paths.gexf"
    result = cli(
        data_dir,
        "export",
        "--to",
        "cy",
        "--from",
        "me",
        "--k",
        "2",
        "--format",
        "gexf",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    g = nx.read_gexf(out)
    assert set(g.nodes) == {"me", "ana", "bo", "cy", "dee"}
    assert g.nodes["cy"]["role"] == "target"

    result = cli(
        data_dir, "export", "--to", "ana@example.com", "--from", "me", "--format", "graphml"
    )
    assert result.exit_code == 0, result.output
    assert set(nx.read_graphml(io.BytesIO(result.stdout.encode())).nodes) == {"me", "ana"}


def test_cli_export_ego_network(data_dir: Path) -> None:
    result = cli(data_dir, "export", "--ego", "bo", "--hops", "1", "--format", "cytoscape")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    nodes = {n["data"]["id"]: n["data"] for n in doc["elements"]["nodes"]}
    assert set(nodes) == {"bo", "ana", "cy"}
    assert nodes["bo"]["role"] == "center"
    assert nodes["cy"]["name"] == "Cy Chen"  # names looked up in the store
    edge = next(
        e["data"]
        for e in doc["elements"]["edges"]
        if {e["data"]["source"], e["data"]["target"]} == {"bo", "cy"}
    )
    assert edge["strength"] == pytest.approx(0.8)
    assert edge["evidence"]  # evidence lines from the strength model


def test_cli_path_and_introducers_take_a_format(data_dir: Path) -> None:
    result = cli(data_dir, "path", "me", "cy", "--format", "mermaid")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("graph LR\n")
    assert not result.stdout.endswith("\n\n")
    result = cli(data_dir, "introducers", "cy", "--from", "me", "--format", "graphml")
    assert result.exit_code == 0, result.output
    g = nx.read_graphml(io.BytesIO(result.stdout.encode()))
    assert {"me", "ana", "dee", "cy"} <= set(g.nodes)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["export", "--format", "mermaid"], 2),  # neither --to nor --ego
        (["export", "--to", "cy", "--ego", "bo", "--format", "mermaid"], 2),
        (["export", "--to", "nobody", "--format", "mermaid"], 2),
        (["export", "--to", "eve", "--from", "me", "--format", "mermaid"], 3),  # no path
        (["export", "--to", "cy", "--format", "dot"], 2),
    ],
)
def test_cli_export_failures_exit_as_documented(data_dir: Path, args: list[str], code: int) -> None:
    assert cli(data_dir, *args).exit_code == code
