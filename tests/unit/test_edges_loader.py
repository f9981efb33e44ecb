"""Generic edge lists: crafted good files, and malformed ones that must name file, line, field."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import InvalidInput
from graph.model import Person, Relationship
from loaders.base import LOADERS, Loader, detect_loader, loader_named
from loaders.edges import EdgesLoader, load_edges
from loaders.options import LoadOptions

DATA = Path(__file__).parents[1] / "data" / "edges"


def rel(rels: list[Relationship], a: str, b: str) -> Relationship:
    return next(r for r in rels if {r.a, r.b} == {a, b})


def test_csv_with_people_file() -> None:
    batch, report = load_edges(DATA / "good.csv", people_path=DATA / "people.csv")
    people = {p.id: p for p in batch.people}
    assert people["ana"].email == "ana@acme.example"
    assert people["ana"].url == "https://www.linkedin.com/in/ana-perez"
    assert people["bo"].name == "Bo 🚀 Lee"
    assert people["chen"].name == "chen"  # empty name: the id stands in
    assert people["dana"].name == "dana"  # not in the people file: created, named by id
    # An endpoint given as a LinkedIn URL becomes that profile's id (PersonRef rules).
    erin = people["li:erin-ng"]
    assert erin.url == "https://www.linkedin.com/in/erin-ng"
    assert {(r.a, r.b) for r in batch.relationships} == {
        ("ana", "bo"),
        ("bo", "chen"),
        ("chen", "dana"),
        ("ana", "li:erin-ng"),
    }
    ab = rel(batch.relationships, "ana", "bo").evidence[0]
    assert ab.owner == "file:good.csv"
    assert ab.rating == 0.6  # the later duplicate row wins
    assert ab.notes == (("context", "re-rated"), ("since", "2020"))
    assert rel(batch.relationships, "bo", "chen").evidence[0].rating is None
    assert rel(batch.relationships, "ana", "li:erin-ng").evidence[0].notes == (
        ("context", "multi\nline note"),
    )
    assert any("good.csv:8" in n and "line 2" in n for n in report.notes)
    assert (report.people, report.relationships) == (len(batch.people), 4)


def test_owner_label_is_passed_through() -> None:
    batch, _ = load_edges(DATA / "good.csv", owner="member:maya")
    assert {e.owner for r in batch.relationships for e in r.evidence} == {"member:maya"}


def test_existing_people_are_not_overwritten_and_found_by_url() -> None:
    existing = [
        Person("p1", "Ana Pérez", url="https://www.linkedin.com/in/ana-perez"),
        Person("chen", "Chen Wei", company="Cloudkite"),
    ]
    batch, _ = load_edges(DATA / "good.csv", people_path=DATA / "people.csv", existing=existing)
    people = {p.id: p for p in batch.people}
    assert people["chen"].name == "Chen Wei"  # the people file's empty name keeps the known one
    batch, _ = load_edges(DATA / "bad_url_self_loop.csv", existing=existing[1:])
    assert [(r.a, r.b) for r in batch.relationships] == [("ana", "li:ana-perez")]


def test_json_list() -> None:
    batch, _ = load_edges(DATA / "good.json")
    pairs = {(r.a, r.b): r.evidence[0] for r in batch.relationships}
    assert set(pairs) == {("ana", "bo"), ("1", "2"), ("ana", "em:a@b.example")}
    assert pairs[("ana", "bo")].rating == 0.9
    assert pairs[("ana", "bo")].notes == (("context", "cofounders"),)
    assert pairs[("ana", "em:a@b.example")].rating == 0.4
    assert pairs[("ana", "em:a@b.example")].notes == (("tags", '["x", "y"]'),)
    assert {p.id: p.email for p in batch.people}["em:a@b.example"] == "a@b.example"


def test_json_document_with_people() -> None:
    batch, _ = load_edges(DATA / "good_doc.json")
    people = {p.id: p for p in batch.people}
    assert people["ana"].email == "ana@acme.example"
    assert people["bo"].name == "bo"
    assert batch.relationships[0].evidence[0].rating == 1.0


def test_bom_header_case_and_cp1252() -> None:
    batch, _ = load_edges(DATA / "good_tsvlike_bom.csv")
    assert batch.relationships[0].evidence[0].rating == 0.5
    batch, _ = load_edges(DATA / "bad_cp1252_ok.csv")
    assert batch.relationships[0].evidence[0].notes == (("context", "café"),)


def test_reimport_is_identical() -> None:
    first, _ = load_edges(DATA / "good.csv", people_path=DATA / "people.csv")
    second, _ = load_edges(DATA / "good.csv", people_path=DATA / "people.csv")
    assert first == second


MALFORMED = [
    # (edge file, people file, line, field, words in the message)
    ("bad_self_loop.csv", None, 3, "target", "self-loop"),
    ("bad_strength_text.csv", None, 2, "strength", "not a number"),
    ("bad_strength_range.csv", None, 4, "strength", "(0, 1]"),  # after a blank line
    ("bad_strength_zero.csv", None, 2, "strength", "(0, 1]"),
    ("bad_strength_negative.csv", None, 2, "strength", "(0, 1]"),
    ("bad_strength_nan.csv", None, 2, "strength", "(0, 1]"),
    ("bad_empty_source.csv", None, 3, "source", "empty source"),
    ("bad_empty_target.csv", None, 4, "target", "empty target"),  # after a 2-line field
    ("bad_ragged_short.csv", None, 3, "context", "3 fields, header has 4"),
    ("bad_ragged_long.csv", None, 2, "#4", "4 fields, header has 3"),
    ("bad_missing_target.csv", None, 1, "target", "no 'target' column"),
    ("bad_empty.csv", None, 1, "source", "empty"),
    ("bad_blank_only.csv", None, 1, "source", "empty"),
    ("bad_duplicate_column.csv", None, 1, "strength", "duplicate column"),
    ("bad_unnamed_column.csv", None, 1, "#3", "no name"),
    ("bad_unterminated_quote.csv", None, 3, None, "malformed CSV"),
    ("bad_binary.csv", None, 1, None, "binary"),
    ("bad_url_self_loop.csv", "people.csv", 2, "target", "same person"),
    ("good.csv", "bad_people_email.csv", 3, "email", "not an email"),
    ("good.csv", "bad_people_url.csv", 2, "url", "not a LinkedIn profile URL"),
    ("good.csv", "bad_people_empty_id.csv", 3, "id", "empty id"),
    ("good.csv", "bad_people_ragged.csv", 2, "company", "2 fields, header has 3"),
    ("good.csv", "bad_people_no_id.csv", 1, "id", "no 'id' column"),
    ("bad_syntax.json", None, 3, None, "invalid JSON"),
    ("bad_shape_string.json", None, None, "edges", "expected a list"),
    ("bad_shape_no_edges.json", None, None, "edges", "'edges' must be a list"),
    ("bad_shape_unknown_key.json", None, None, "nodes", "unexpected key"),
    ("bad_people_not_list.json", None, None, "people", "'people' must be a list"),
    ("bad_item_not_object.json", None, 2, "edges", "edge 2 must be an object"),
    ("bad_missing_target.json", None, 2, "target", "edge 2 has no target"),
    ("bad_strength_bool.json", None, 1, "strength", "not a number"),
    ("bad_strength_range.json", None, 3, "strength", "(0, 1]"),
    ("bad_source_type.json", None, 1, "source", "string or an integer"),
    ("bad_people_url.json", None, 2, "url", "not a LinkedIn profile URL"),
    ("bad_self_loop.json", None, 1, "target", "self-loop"),
]


@pytest.mark.parametrize(("name", "people", "line", "field", "words"), MALFORMED)
def test_malformed_input_names_file_line_and_field(
    name: str, people: str | None, line: int | None, field: str | None, words: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        load_edges(DATA / name, people_path=DATA / people if people else None)
    err = caught.value
    assert err.file == (people if people and name == "good.csv" else name)
    assert (err.line, err.field) == (line, field)
    assert words in err.message
    assert err.file in str(err)  # the CLI prints str(err): file:line field '...': message


def test_missing_file() -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        load_edges(DATA / "nope.csv")


def test_loader_protocol_and_registry(tmp_path: Path) -> None:
    assert all(isinstance(loader, Loader) for loader in LOADERS)
    assert detect_loader(DATA / "good.csv") is loader_named("edges")
    assert detect_loader(DATA / "good.json") is loader_named("edges")
    assert detect_loader(DATA / "good.graphml") is loader_named("graphml")
    connections = tmp_path / "Connections.csv"
    connections.write_text("First Name,Last Name,URL\n")
    assert detect_loader(connections) is loader_named("linkedin")
    other = tmp_path / "notes.txt"
    other.write_text("nothing to see\n")
    assert detect_loader(other) is None
    batch, _ = EdgesLoader().load(
        DATA / "good.csv", LoadOptions(owner=Person("x", "X"), people_path=DATA / "people.csv")
    )
    assert {p.id for p in batch.people} >= {"ana", "bo", "chen"}
    assert loader_named("vcard").name == "vcard"  # issue 17 registered mail, calendar, cards
    with pytest.raises(KeyError):
        loader_named("ldif")


def test_large_file_fast_paths_keep_the_rules(tmp_path: Path) -> None:
    """What the one-loop parser and the remembered resolutions must still do: blank rows
    anywhere, the same strength text on many rows, one endpoint written several ways,
    rows that say the same thing sharing one evidence record, duplicates noted."""
    edges = tmp_path / "big.csv"
    edges.write_text(
        "source,target,strength,context\n"
        "ana,bo,0.5,\n"
        ",,,\n"  # blank but as wide as the header
        "\n"
        "ana,linkedin.com/in/Erin-Ng/,0.5,\n"
        " , , ,\n"
        "chen,https://www.linkedin.com/in/erin-ng,0.5,mail\n"
        "dana,ANA@acme.example,0.5,\n"
        "dana,new person,,\n"
        "new person,chen,0.25,\n"
        "bo,ana,0.5,re-rated\n",
        encoding="utf-8",
    )
    people = tmp_path / "people.csv"
    people.write_text("id,name,email\nana,Ana,ana@acme.example\n,,\nbo,,\n", encoding="utf-8")
    batch, report = load_edges(edges, people_path=people)
    pairs = [(r.a, r.b) for r in batch.relationships]
    assert pairs == [
        ("ana", "bo"),
        ("ana", "li:erin-ng"),
        ("chen", "li:erin-ng"),
        ("ana", "dana"),
        ("dana", "new person"),
        ("chen", "new person"),
    ]
    assert [p.id for p in batch.people] == ["ana", "bo", "li:erin-ng", "chen", "dana", "new person"]
    assert [p.name for p in batch.people][:2] == ["Ana", "bo"]
    ev = {pair: r.evidence[0] for pair, r in zip(pairs, batch.relationships, strict=True)}
    assert ev["ana", "bo"].notes == (("context", "re-rated"),)  # the later row wins
    assert ev["ana", "li:erin-ng"] is ev["ana", "dana"]  # same rating, no notes: one record
    assert ev["chen", "li:erin-ng"].notes == (("context", "mail"),)
    assert ev["dana", "new person"].rating is None
    assert any("big.csv:11: repeats the edge ana - bo of line 2" in n for n in report.notes)
    assert report.relationships == 6
    assert report.people == 6


@pytest.mark.parametrize(
    ("rows", "line", "field", "words"),
    [
        ("a,b,0.5\nc,d,2\ne,f,2\n", 3, "strength", "(0, 1]"),  # the first bad row, not the last
        ("a,b,0.5\nc,d,0.5\nx,x,0.5\n", 4, "target", "self-loop"),
        ("a,b,0.5\n,d,0.5\n", 3, "source", "empty source"),
        ("a,b,0.5\nc,,0.5\n", 3, "target", "empty target"),
        ("a,b,0.5\nc,d\n", 3, "strength", "2 fields, header has 3"),
        ("a,b,0.5\n" + ",".join(["x"] * 600) + "\n", 3, None, "600 columns"),
        ('a,b,0.5\n"c\nd",e,0.5\nf,"g\n', 5, None, "malformed CSV"),
        ("a,b,0.5\nc,d,0.5\na,A@x.co,0.5\n", 4, "target", "same person"),
        (
            "a,b,0.5\nlinkedin.com/in/q,https://www.linkedin.com/in/Q/,1\n",
            3,
            "target",
            "same person",
        ),
    ],
)
def test_fast_parser_errors_name_the_first_bad_row(
    tmp_path: Path, rows: str, line: int, field: str | None, words: str
) -> None:
    path = tmp_path / "e.csv"
    path.write_text("source,target,strength\n" + rows, encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_edges(path, existing=[Person("a", "A", email="a@x.co")])
    err = caught.value
    assert (err.file, err.line, err.field) == ("e.csv", line, field)
    assert words in err.message
