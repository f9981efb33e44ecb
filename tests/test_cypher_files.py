"""Every Cypher file loads, holds one statement, and names its parameters."""

from __future__ import annotations

import re

import pytest

from graph.cypher import all_queries, load_query, parse_query, strip_literals


def test_there_are_queries() -> None:
    assert "ping" in all_queries()


@pytest.mark.parametrize("name", all_queries())
def test_each_file_is_one_statement_with_its_parameters(name: str) -> None:
    q = load_query(name)
    assert q.text
    code = strip_literals(q.text)
    assert q.parameters == frozenset(re.findall(r"\$([A-Za-z_]\w*)", code))
    assert ";" not in code


def test_parameters_in_strings_and_comments_are_ignored() -> None:
    q = parse_query("x", "MATCH (p {name: '$no'}) // $nor\nWHERE p.id = $id /* $neither */ RETURN p")
    assert q.parameters == {"id"}


def test_two_statements_are_refused() -> None:
    with pytest.raises(ValueError, match="exactly one statement"):
        parse_query("x", "CREATE (a); CREATE (b)")


def test_a_semicolon_inside_a_string_is_fine() -> None:
    assert parse_query("x", "RETURN 'a;b' AS s;").parameters == frozenset()


def test_bad_names_are_refused() -> None:
    with pytest.raises(ValueError):
        load_query("../etc/passwd")
