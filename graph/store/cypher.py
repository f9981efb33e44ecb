"""Cypher statements live in ``queries/*.cypher``, one per file, loaded by name.

Keeping Cypher out of Python keeps every value a ``$parameter`` and lets a test
check each file: exactly one statement, and the parameters it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

_NAME = re.compile(r"[a-z0-9_]+")
_PARAM = re.compile(r"\$(?:([A-Za-z_][A-Za-z0-9_]*)|([0-9]+))")


class CypherFileError(ValueError):
    """A shipped Cypher file is missing or malformed; the message names the file."""


@dataclass(frozen=True, slots=True)
class CypherQuery:
    """One statement from ``queries/<name>.cypher`` and the parameters it uses."""

    name: str
    text: str
    parameters: frozenset[str]


def strip_literals(text: str, *, where: str = "query") -> str:
    """Cypher with strings, quoted names and comments blanked out, offsets kept.

    String literals (``'...'`` and ``"..."`` with backslash escapes), backquoted
    names (a doubled backquote escapes) and comments (``//`` and ``/* */``) become
    spaces of the same length, so neither ``;`` nor ``$`` inside them counts and
    positions still match ``text``. A backquoted parameter name (``$`a b```) stays,
    so :func:`parameters_of` still finds it.

    Parameters
    ----------
    text : str
        Cypher source.
    where : str
        What to call the source in errors.

    Returns
    -------
    str
        The code that is left, as long as ``text``.

    Raises
    ------
    CypherFileError
        If a string, quoted name or block comment is never closed.

    Examples
    --------
    >>> strip_literals("RETURN '$not;' AS x // nor $this").split()
    ['RETURN', 'AS', 'x']
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "'\"":
            end = _skip_string(text, i, where)
        elif ch == "`":
            end = _skip_quoted_name(text, i, where)
            if i > 0 and text[i - 1] == "$" and out and out[-1] == "$":
                out.append(text[i:end])
                i = end
                continue
        elif text.startswith("//", i):
            newline = text.find("\n", i)
            end = n if newline < 0 else newline
        elif text.startswith("/*", i):
            close = text.find("*/", i + 2)
            if close < 0:
                raise CypherFileError(f"{where}: unterminated /* comment at offset {i}")
            end = close + 2
        else:
            out.append(ch)
            i += 1
            continue
        out.append(re.sub(r"[^\n]", " ", text[i:end]))
        i = end
    return "".join(out)


def _skip_string(text: str, start: int, where: str) -> int:
    quote, i = text[start], start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text[i] == quote:
            return i + 1
        else:
            i += 1
    raise CypherFileError(f"{where}: unterminated string starting at offset {start}")


def _skip_quoted_name(text: str, start: int, where: str) -> int:
    i = start + 1
    while i < len(text):
        if text.startswith("``", i):
            i += 2
        elif text[i] == "`":
            return i + 1
        else:
            i += 1
    raise CypherFileError(f"{where}: unterminated `quoted name` starting at offset {start}")


def parameters_of(code: str) -> frozenset[str]:
    """Names of the ``$parameters`` in code already passed through :func:`strip_literals`.

    Examples
    --------
    >>> sorted(parameters_of(strip_literals("MATCH (p {id: $id}) RETURN p, $`a b`, $0")))
    ['0', 'a b', 'id']
    """
    names = {m.group(1) or m.group(2) for m in _PARAM.finditer(code)}
    names |= {m.replace("``", "`") for m in re.findall(r"\$`((?:[^`]|``)*)`", code)}
    return frozenset(names)


def parse_query(name: str, text: str) -> CypherQuery:
    """Check ``text`` holds exactly one statement and collect its parameters.

    Parameters
    ----------
    name : str
        The query's name (its file is ``queries/<name>.cypher``).
    text : str
        The file's contents; one trailing ``;`` is allowed.

    Returns
    -------
    CypherQuery
        The statement without its trailing ``;`` and the set of parameter names.

    Raises
    ------
    CypherFileError
        If the text holds no statement or more than one, or is malformed.

    Examples
    --------
    >>> q = parse_query("ping", "RETURN $value AS value;")
    >>> q.text, sorted(q.parameters)
    ('RETURN $value AS value', ['value'])
    >>> parse_query("two", "RETURN 1; RETURN 2")
    Traceback (most recent call last):
    ...
    graph.store.cypher.CypherFileError: queries/two.cypher must hold exactly one statement, found 2
    """
    where = f"queries/{name}.cypher"
    code = strip_literals(text, where=where)
    statements = [part for part in code.split(";") if part.strip()]
    if len(statements) != 1:
        raise CypherFileError(f"{where} must hold exactly one statement, found {len(statements)}")
    last = code.rstrip()
    body = text[: len(last) - 1] if last.endswith(";") else text
    return CypherQuery(name, body.strip(), parameters_of(code))


@cache
def load_query(name: str) -> CypherQuery:
    """The statement shipped in ``queries/<name>.cypher`` (read once, then cached).

    Parameters
    ----------
    name : str
        Lower-case letters, digits and ``_``: the file name without ``.cypher``.

    Returns
    -------
    CypherQuery
        The statement and the names of its ``$parameters``.

    Raises
    ------
    CypherFileError
        If the name is not a plain query name, there is no such file, or the file
        does not hold exactly one statement.

    Examples
    --------
    >>> q = load_query("ping")
    >>> q.text
    'RETURN $value AS value'
    >>> q.parameters
    frozenset({'value'})
    """
    if not _NAME.fullmatch(name):
        raise CypherFileError(f"bad query name {name!r}")
    try:
        text = resources.files("queries").joinpath(f"{name}.cypher").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CypherFileError(f"no such query: queries/{name}.cypher") from None
    return parse_query(name, text)


def all_queries() -> tuple[str, ...]:
    """Names of every statement shipped in ``queries/``, sorted.

    Examples
    --------
    >>> "ping" in all_queries()
    True
    """
    return tuple(
        sorted(
            entry.name.removesuffix(".cypher")
            for entry in resources.files("queries").iterdir()
            if entry.name.endswith(".cypher")
        )
    )
