"""Cypher statements live in ``queries/*.cypher``, one per file, loaded by name.

Keeping Cypher out of Python keeps every value a ``$parameter`` and lets a test
check each file: one statement, and the parameters it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_STRIP = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S)


@dataclass(frozen=True, slots=True)
class CypherQuery:
    name: str
    text: str
    parameters: frozenset[str]


def strip_literals(text: str) -> str:
    """Cypher with strings, quoted names and comments blanked out.

    >>> strip_literals("RETURN '$not' AS x // $nor this")
    'RETURN  AS x '
    """
    return _STRIP.sub("", text)


def parse_query(name: str, text: str) -> CypherQuery:
    """Check ``text`` is one statement and collect its parameters.

    >>> q = parse_query("ping", "RETURN $value AS value")
    >>> sorted(q.parameters)
    ['value']
    >>> parse_query("two", "RETURN 1; RETURN 2")
    Traceback (most recent call last):
    ...
    ValueError: queries/two.cypher must hold exactly one statement
    """
    code = strip_literals(text).strip().rstrip(";").strip()
    if not code or ";" in code:
        raise ValueError(f"queries/{name}.cypher must hold exactly one statement")
    return CypherQuery(name, text.strip().rstrip(";"), frozenset(_PARAM.findall(code)))


@cache
def load_query(name: str) -> CypherQuery:
    """The statement in ``queries/<name>.cypher``."""
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"bad query name {name!r}")
    text = resources.files("queries").joinpath(f"{name}.cypher").read_text(encoding="utf-8")
    return parse_query(name, text)


def all_queries() -> list[str]:
    """Names of every statement shipped in ``queries/``."""
    return sorted(
        p.name.removesuffix(".cypher")
        for p in resources.files("queries").iterdir()
        if p.name.endswith(".cypher")
    )
