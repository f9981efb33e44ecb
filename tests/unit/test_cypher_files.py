"""Every Cypher file loads, holds one statement, and names exactly its parameters."""

from __future__ import annotations

import re

import pytest

from graph.store.cypher import (
    CypherFileError,
    all_queries,
    load_query,
    parameters_of,
    parse_query,
    strip_literals,
)


def test_ping_is_shipped() -> None:
    assert "ping" in all_queries()
    assert load_query("ping").text == "RETURN $value AS value"
    assert load_query("ping").parameters == {"value"}


@pytest.mark.parametrize("name", all_queries())
def test_each_file_is_one_statement_with_its_parameters(name: str) -> None:
    q = load_query(name)
    assert q.name == name
    assert q.text
    assert not q.text.endswith(";")
    code = strip_literals(q.text)
    assert [s for s in code.split(";") if s.strip()] == [code.rstrip()]
    # Independent of the scanner's own extraction: every $name left in the code.
    assert q.parameters == frozenset(re.findall(r"\$(\w+)", code))
    assert load_query(name) is q  # cached


def test_stripping_keeps_offsets() -> None:
    text = "MATCH (p {n: 'a;b'}) // c;d\nRETURN /* e;f */ p"
    code = strip_literals(text)
    assert len(code) == len(text)
    assert code.index("RETURN") == text.index("RETURN")
    assert ";" not in code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MATCH (p {name: '$no'}) WHERE p.id = $id RETURN p", {"id"}),
        ('RETURN "$no \\" still $no" AS s, $yes', {"yes"}),
        ("RETURN 'it\\'s $no' AS s, $yes", {"yes"}),
        ("// $no\nRETURN $yes", {"yes"}),
        ("RETURN $yes /* $no\n $no */", {"yes"}),
        ("RETURN '// $no' AS s, $yes // $no", {"yes"}),
        ("MATCH (`$no`) RETURN `a``$no` AS x, $yes", {"yes"}),
        ("RETURN $`odd name`, $0, $a_1", {"odd name", "0", "a_1"}),
        ("UNWIND $rows AS row MERGE (p:Person {id: row.id}) SET p += row.props", {"rows"}),
        ("RETURN 1", set()),
    ],
)
def test_parameters_ignore_strings_comments_and_quoted_names(text: str, expected: set[str]) -> None:
    assert parse_query("x", text).parameters == expected
    assert parameters_of(strip_literals(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "RETURN 'a;b' AS s;",
        "RETURN 1 // trailing; comment",
        "RETURN 1 /* ; */",
        "RETURN `a;b`",
        "RETURN 1;\n// done\n",
    ],
)
def test_semicolons_in_literals_or_one_trailing_are_fine(text: str) -> None:
    q = parse_query("x", text)
    assert q.text.startswith("RETURN")
    assert not q.text.rstrip().endswith(";")


@pytest.mark.parametrize(
    "text", ["CREATE (a); CREATE (b)", "RETURN 1;;RETURN 2", "RETURN 'x'; MATCH (n) RETURN n"]
)
def test_two_statements_are_refused(text: str) -> None:
    with pytest.raises(CypherFileError, match="exactly one statement, found 2"):
        parse_query("x", text)


@pytest.mark.parametrize("text", ["", "  ;  ", "// only a comment", "/* nothing */;"])
def test_no_statement_is_refused(text: str) -> None:
    with pytest.raises(CypherFileError, match="found 0"):
        parse_query("empty", text)


@pytest.mark.parametrize(
    ("text", "what"),
    [("RETURN 'open", "string"), ("RETURN `open", "quoted name"), ("RETURN 1 /* open", "comment")],
)
def test_unterminated_literals_name_the_file(text: str, what: str) -> None:
    with pytest.raises(CypherFileError, match=rf"queries/bad\.cypher: unterminated .*{what}"):
        parse_query("bad", text)


@pytest.mark.parametrize("name", ["../etc/passwd", "Ping", "ping.cypher", ""])
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(CypherFileError, match="bad query name"):
        load_query(name)


def test_missing_file_is_named() -> None:
    with pytest.raises(CypherFileError, match=r"queries/no_such_query\.cypher"):
        load_query("no_such_query")
