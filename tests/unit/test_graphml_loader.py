"""GraphML: good files from networkx-style and Gephi-style writers, and malformed ones."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graph.errors import InvalidInput
from graph.model import Person
from loaders.graphml import GraphMLLoader, load_graphml

DATA = Path(__file__).parents[1] / "data" / "edges"


def test_good_graphml() -> None:
    batch, report = load_graphml(DATA / "good.graphml")
    people = {p.id: p for p in batch.people}
    assert people["a"].name == "Ana Pérez"
    assert people["a"].company == "Acme Payments"
    assert people["a"].email == "ana@acme.example"
    assert people["a"].url == "https://www.linkedin.com/in/ana-perez"
    assert people["b"].name == "李 伟"
    assert people["c"].name == "c"
    rels = {(r.a, r.b): r.evidence[0] for r in batch.relationships}
    assert set(rels) == {("a", "b"), ("b", "c"), ("a", "c")}
    assert rels[("a", "b")].rating == 0.8
    assert rels[("a", "b")].notes == (("context", "cofounders"),)
    assert rels[("a", "c")].rating is None
    assert {e.owner for e in rels.values()} == {"file:good.graphml"}
    assert (report.people, report.relationships) == (3, 3)


def test_gephi_style_labels_titles_weights() -> None:
    batch, report = load_graphml(DATA / "gephi.graphml", owner="gephi")
    people = {p.id: p for p in batch.people}
    assert (people["0"].name, people["0"].position) == ("Ana", "CTO")
    rels = {(r.a, r.b): r.evidence[0] for r in batch.relationships}
    assert rels[("0", "1")].rating == 0.9  # 1->0 repeats 0->1 undirected; the later wins
    assert rels[("1", "2")].rating is None  # weight 4.0 is a count, not a strength
    assert rels[("1", "2")].notes == (("weight", "4.0"),)
    assert rels[("0", "1")].owner == "gephi"
    assert any("directed" in n for n in report.notes)
    assert any("repeats" in n for n in report.notes)
    assert any("not used: x" in n for n in report.notes)


def test_round_trip_through_networkx_writer(tmp_path: Path) -> None:
    g: nx.Graph[str] = nx.Graph()
    g.add_node("p", name="Priya Raman", company="Cloudkite", position="Head of Sales")
    g.add_node("q", name="Sam 🚀 Lee", email="SAM@EXAMPLE.COM")
    g.add_edge("p", "q", strength=0.42, context="met at a conference")
    path = tmp_path / "rt.graphml"
    nx.write_graphml(g, path)
    batch, _ = load_graphml(path)
    people = {p.id: p for p in batch.people}
    assert people["q"].email == "sam@example.com"
    ev = batch.relationships[0].evidence[0]
    assert (ev.rating, ev.notes) == (0.42, (("context", "met at a conference"),))


def test_known_names_are_kept() -> None:
    batch, _ = load_graphml(DATA / "good.graphml", existing=[Person("c", "Chen Wei")])
    assert {p.id: p.name for p in batch.people}["c"] == "Chen Wei"


MALFORMED = [
    ("bad_truncated.graphml", 13, None, "not well-formed XML"),
    ("bad_mismatched.graphml", 10, None, "mismatched tag"),
    ("bad_empty.graphml", 1, None, "no element found"),
    ("bad_binary.graphml", 1, None, "not well-formed"),
    ("bad_not_graphml.graphml", None, None, "not valid GraphML"),
    ("bad_entities.graphml", 2, None, "DOCTYPE/ENTITY"),
    ("bad_hyperedge.graphml", None, None, "hyperedges"),
    ("bad_unknown_key.graphml", None, "nope", "no key nope"),
    ("bad_strength_typed.graphml", 12, "e0", "could not convert"),
    ("bad_strength_text.graphml", None, "edge[e7].strength", "not a number"),
    ("bad_strength_range.graphml", None, "edge[e9].strength", "(0, 1]"),
    ("bad_strength_zero.graphml", None, "edge[a-b].strength", "(0, 1]"),
    ("bad_self_loop.graphml", None, "edge[loop]", "self-loop"),
    ("bad_node_email.graphml", None, "node[c].email", "not an email"),
    ("bad_node_url.graphml", None, "node[d].url", "not a LinkedIn profile URL"),
]


@pytest.mark.parametrize(("name", "line", "field", "words"), MALFORMED)
def test_malformed_graphml_names_file_and_place(
    name: str, line: int | None, field: str | None, words: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        load_graphml(DATA / name)
    err = caught.value
    assert (err.file, err.line, err.field) == (name, line, field)
    assert words in err.message


def test_missing_file_and_detection(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        load_graphml(tmp_path / "nope.graphml")
    loader = GraphMLLoader()
    xml = tmp_path / "graph.xml"
    xml.write_text('<?xml version="1.0"?><graphml/>')
    assert loader.detect(xml)
    assert loader.detect(DATA / "good.graphml")
    assert not loader.detect(DATA / "good.csv")
