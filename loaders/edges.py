"""Generic edge lists (CSV or JSON) and people files. Strict: one bad row aborts.

A CSV edge list has a header with ``source`` and ``target`` and optionally
``strength``; any other column is kept verbatim as evidence notes. A given
strength is the relationship's explicit rating (it overrides the model).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from graph.errors import InvalidInput
from graph.model import Evidence, ImportBatch, Person, Relationship, canonical_pair
from loaders.csvsource import decode, find_table
from loaders.identity import normalize_email, normalize_linkedin_url
from loaders.report import ImportReport

PEOPLE_COLUMNS = ("id", "name", "company", "position", "email", "url")


def parse_strength(raw: object, *, file: str, line: int, field: str = "strength") -> float | None:
    """A strength in (0, 1], or None when absent.

    >>> parse_strength("0.5", file="f", line=2)
    0.5
    >>> parse_strength("", file="f", line=2) is None
    True
    >>> parse_strength("1.5", file="f", line=2)
    Traceback (most recent call last):
    ...
    graph.errors.InvalidInput: f:2 field 'strength': strength must be in (0, 1], got '1.5'
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidInput(f"strength is not a number: {raw!r}", file=file, line=line, field=field) from None
    if math.isnan(value) or not 0.0 < value <= 1.0:
        raise InvalidInput(f"strength must be in (0, 1], got {raw!r}", file=file, line=line, field=field)
    return value


def person_from_fields(values: dict[str, str], *, file: str, line: int) -> Person:
    pid = values.get("id", "").strip()
    if not pid:
        raise InvalidInput("empty id", file=file, line=line, field="id")
    email_raw, url_raw = values.get("email", "").strip(), values.get("url", "").strip()
    email, url = normalize_email(email_raw), normalize_linkedin_url(url_raw)
    if email_raw and not email:
        raise InvalidInput(f"not an email address: {email_raw!r}", file=file, line=line, field="email")
    if url_raw and not url:
        raise InvalidInput(f"not a LinkedIn profile URL: {url_raw!r}", file=file, line=line, field="url")
    return Person(
        id=pid,
        name=values.get("name", "").strip() or pid,
        company=values.get("company", "").strip(),
        position=values.get("position", "").strip(),
        email=email,
        url=url,
    )


def read_people_csv(path: Path) -> list[Person]:
    text, _ = decode(path.read_bytes(), path.name)
    table = find_table(text, path.name, ("id",), scan=1)
    out: dict[str, Person] = {}
    for line, rec in table.records:
        if len(rec) != len(table.columns):
            raise InvalidInput(
                f"row has {len(rec)} fields, header has {len(table.columns)}", file=path.name, line=line
            )
        values = {c: table.get(rec, c) for c in PEOPLE_COLUMNS}
        p = person_from_fields(values, file=path.name, line=line)
        out[p.id] = p
    return list(out.values())


def _edge(
    source: str, target: str, strength: float | None, notes: tuple[tuple[str, str], ...], *, owner: str, file: str, line: int
) -> Relationship:
    if not source:
        raise InvalidInput("empty source", file=file, line=line, field="source")
    if not target:
        raise InvalidInput("empty target", file=file, line=line, field="target")
    if source == target:
        raise InvalidInput(f"self-loop on {source!r}", file=file, line=line, field="target")
    a, b = canonical_pair(source, target)
    return Relationship(a, b, (Evidence(owner=owner, rating=strength, notes=notes),))


def parse_edges_csv(text: str, file: str, owner: str) -> list[Relationship]:
    table = find_table(text, file, ("source", "target"), scan=1)
    extra = [c for c in table.columns if c not in ("source", "target", "strength")]
    out = []
    for line, rec in table.records:
        if len(rec) != len(table.columns):
            raise InvalidInput(
                f"row has {len(rec)} fields, header has {len(table.columns)}", file=file, line=line
            )
        strength = parse_strength(table.get(rec, "strength"), file=file, line=line)
        notes = tuple((c, table.get(rec, c)) for c in extra if table.get(rec, c))
        out.append(
            _edge(table.get(rec, "source"), table.get(rec, "target"), strength, notes, owner=owner, file=file, line=line)
        )
    return out


def parse_edges_json(text: str, file: str, owner: str) -> tuple[list[Relationship], list[Person]]:
    """``[{"source", "target", "strength"?, ...}]`` or ``{"people": [...], "edges": [...]}``.

    For JSON, ``line`` in errors is the 1-based index of the item in its list.
    """
    try:
        doc: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"invalid JSON: {exc.msg}", file=file, line=exc.lineno) from exc
    people: list[Person] = []
    edges: object
    if isinstance(doc, dict):
        raw_people, edges = doc.get("people", []), doc.get("edges")
        if not isinstance(raw_people, list) or not isinstance(edges, list):
            raise InvalidInput("expected {'people': [...], 'edges': [...]}", file=file, field="edges")
        for i, item in enumerate(raw_people, 1):
            if not isinstance(item, dict):
                raise InvalidInput("a person must be an object", file=file, line=i, field="people")
            people.append(person_from_fields({k: str(v) for k, v in item.items() if v is not None}, file=file, line=i))
    elif isinstance(doc, list):
        edges = doc
    else:
        raise InvalidInput("expected a list of edges or {'people', 'edges'}", file=file, field="edges")
    out = []
    for i, item in enumerate(edges, 1):
        if not isinstance(item, dict):
            raise InvalidInput("an edge must be an object", file=file, line=i, field="edges")
        for key in ("source", "target"):
            if not isinstance(item.get(key), str):
                raise InvalidInput(f"missing or non-text {key}", file=file, line=i, field=key)
        strength = parse_strength(item.get("strength"), file=file, line=i)
        notes = tuple(
            (str(k), str(v)) for k, v in item.items() if k not in ("source", "target", "strength") and v is not None
        )
        out.append(_edge(item["source"].strip(), item["target"].strip(), strength, notes, owner=owner, file=file, line=i))
    return out, people


def load_edges(
    path: Path, *, people_path: Path | None = None, existing: Iterable[Person] = ()
) -> tuple[ImportBatch, ImportReport]:
    """Read an edge list (and people file) into one batch; any bad row raises."""
    if not path.is_file():
        raise InvalidInput("no such file", file=str(path))
    owner = f"file:{path.name}"
    text, _ = decode(path.read_bytes(), path.name)
    report = ImportReport(source=str(path))
    if path.suffix.casefold() == ".json" or text.lstrip().startswith(("[", "{")):
        rels, people = parse_edges_json(text, path.name, owner)
    else:
        rels, people = parse_edges_csv(text, path.name, owner), []
    if people_path is not None:
        people += read_people_csv(people_path)
    known = {p.id: p for p in existing}
    by_id = {p.id: p for p in people}
    unique: dict[tuple[str, str], Relationship] = {}
    for r in rels:
        if (r.a, r.b) in unique:
            report.notes.append(f"duplicate edge {r.a} - {r.b}: the later row wins")
        unique[(r.a, r.b)] = r
        for pid in (r.a, r.b):
            if pid not in by_id and pid not in known:
                by_id[pid] = Person(id=pid, name=pid)
    report.people = len(by_id)
    report.relationships = len(unique)
    return ImportBatch(people=list(by_id.values()), relationships=list(unique.values())), report


def load_graphml(path: Path, *, existing: Iterable[Person] = ()) -> tuple[ImportBatch, ImportReport]:
    """GraphML via networkx: node name/company/position/email/url, edge strength or weight."""
    import networkx as nx

    del existing
    if not path.is_file():
        raise InvalidInput("no such file", file=str(path))
    try:
        g = nx.read_graphml(path)
    except Exception as exc:  # noqa: BLE001 - networkx raises many XML error types
        raise InvalidInput(f"not valid GraphML: {exc}", file=path.name) from exc
    owner = f"file:{path.name}"
    people = []
    for node, data in g.nodes(data=True):
        values = {k: str(v) for k, v in data.items()}
        values["id"] = str(node)
        values.setdefault("name", values.get("label", ""))
        values.setdefault("position", values.get("title", ""))
        people.append(person_from_fields(values, file=path.name, line=0))
    rels: dict[tuple[str, str], Relationship] = {}
    for u, v, data in g.edges(data=True):
        field = f"edge {u}-{v}"
        raw = data.get("strength", data.get("weight"))
        strength = parse_strength(raw, file=path.name, line=0, field=field) if raw is not None else None
        notes = tuple((str(k), str(val)) for k, val in data.items() if k not in ("strength", "weight"))
        r = _edge(str(u), str(v), strength, notes, owner=owner, file=path.name, line=0)
        rels[(r.a, r.b)] = r
    report = ImportReport(source=str(path), people=len(people), relationships=len(rels))
    return ImportBatch(people=people, relationships=list(rels.values())), report
