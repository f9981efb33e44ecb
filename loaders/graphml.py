"""GraphML graphs (Gephi, Cytoscape, yEd, networkx) as people and relationships.

Node attributes ``name``, ``company``, ``position``, ``email``, ``url`` become the
person (``label`` and ``title`` are accepted for ``name`` and ``position``, since
Gephi and yEd write those). An edge's ``strength`` is its explicit rating and must
lie in (0, 1]; a ``weight`` is taken as the rating only when it does, because
tools also use ``weight`` for counts; every other edge attribute is kept as an
evidence note. Like edge lists, the file is all-or-nothing.

GraphML has no useful line numbers after parsing, so errors name the node or
edge id as the field.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from graph.errors import InvalidInput
from graph.identity import PersonKeys
from graph.model import Evidence, ImportBatch, Person, Relationship, canonical_pair
from loaders.edges import parse_person, parse_strength
from loaders.options import LoadOptions
from loaders.report import ImportReport

NODE_FIELDS = {
    "name": "name",
    "label": "name",
    "company": "company",
    "position": "position",
    "title": "position",
    "email": "email",
    "url": "url",
}
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


class _Declaration(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _refuse_declarations(data: bytes, file: str) -> None:
    """Refuse any DOCTYPE or ENTITY declaration, in whatever encoding the file is.

    A byte search only sees ASCII-compatible encodings (UTF-16 walks past it), so
    expat itself, which decodes as the document says, reports the declarations.
    A file expat cannot parse is left to the real parse, which says where it breaks.
    """
    parser = expat.ParserCreate()

    def refuse(*_: object) -> None:
        raise _Declaration(parser.CurrentLineNumber)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except _Declaration as found:
        raise InvalidInput(
            "DOCTYPE/ENTITY declarations are not allowed", file=file, line=found.line
        ) from None
    except expat.ExpatError:
        return


def _read(path: Path) -> Any:
    """The networkx graph, with every parser failure as ``InvalidInput``."""
    import networkx as nx

    if not path.is_file():
        raise InvalidInput("no such file", file=path.name)
    data = path.read_bytes()
    dtd = _DTD.search(data)
    if dtd:  # GraphML never needs a DTD, and entity expansion is a denial-of-service vector
        line = data[: dtd.start()].count(b"\n") + 1
        raise InvalidInput("DOCTYPE/ENTITY declarations are not allowed", file=path.name, line=line)
    _refuse_declarations(data, path.name)
    try:
        return nx.read_graphml(io.BytesIO(data))
    except ParseError as exc:
        at: int | None = exc.position[0] if exc.position else None
        raise InvalidInput(f"not well-formed XML: {exc}", file=path.name, line=at) from exc
    except (nx.NetworkXError, ValueError, KeyError, TypeError) as exc:
        place, field = _locate(str(exc), data)
        raise InvalidInput(
            f"not valid GraphML: {exc}", file=path.name, line=place, field=field
        ) from exc


def _locate(message: str, data: bytes) -> tuple[int | None, str | None]:
    """Best-effort line/field for networkx's errors, which name a value or key but no place.

    >>> _locate("could not convert string to float: 'x'", b"<a>\\n<data key='w'>x</data>")
    (2, 'w')
    >>> _locate("Bad GraphML data: no key nope", b"")
    (None, 'nope')
    """
    if key := re.search(r"no key (\S+)", message):
        return None, key.group(1)
    value = re.search(r": '(.*)'$", message)
    if value is None:
        return None, None
    needle = re.escape(f">{value.group(1)}<".encode())
    hit = re.search(rb"<data key=[\"']([^\"']*)[\"']\s*" + needle, data)
    if hit is None:
        return None, None
    return data[: hit.start()].count(b"\n") + 1, hit.group(1).decode(errors="replace")


def graph_to_batch(
    g: Any,
    *,
    file: str,
    owner: str,
    existing: Iterable[Person] = (),
    report: ImportReport,
    asked: PersonKeys | None = None,
) -> ImportBatch:
    """A networkx graph (as read from GraphML) to a batch; fills ``report``.

    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_node("a", label="Ana", title="CTO")
    >>> g.add_edge("a", "b", weight=3.0, since="2019")
    >>> report = ImportReport("g.graphml")
    >>> batch = graph_to_batch(g, file="g.graphml", owner="file:g.graphml", report=report)
    >>> [(p.id, p.name, p.position) for p in batch.people]
    [('a', 'Ana', 'CTO'), ('b', 'b', '')]
    >>> batch.relationships[0].evidence[0].notes
    (('weight', '3.0'), ('since', '2019'))
    """
    people = _people(g, file, {p.id: p for p in existing}, report)
    if asked is not None:  # a nameless node takes a known person's name, by id
        asked.ids.update(p.id for p in people)
    edges: dict[tuple[str, str], Relationship] = {}
    for u, v, eid, data in _edges(g):
        where = f"edge[{eid}]" if eid is not None else f"edge[{u}-{v}]"
        if u == v:
            raise InvalidInput(f"self-loop on {u!r}", file=file, field=where)
        rating, notes = _rating_and_notes(data, file, where)
        a, b = canonical_pair(str(u), str(v))
        if (a, b) in edges:
            report.notes.append(f"{file}: {where} repeats the edge {a} - {b}: the later one wins")
        edges[(a, b)] = Relationship(a, b, (Evidence(owner=owner, rating=rating, notes=notes),))
    report.people = len(people)
    report.relationships = len(edges)
    return ImportBatch(people=people, relationships=list(edges.values()))


def _people(g: Any, file: str, known: dict[str, Person], report: ImportReport) -> list[Person]:
    people = []
    ignored: set[str] = set()
    for node, data in g.nodes(data=True):
        nid = str(node)
        values = {"id": nid}
        for key, value in data.items():
            target = NODE_FIELDS.get(str(key).casefold())
            if target is None:
                ignored.add(str(key))
            elif value is not None and not values.get(target):
                values[target] = str(value)
        p = parse_person(values, file=file, line=None, prefix=f"node[{nid}].")
        if not p.name:  # never blank out a name the store already knows
            name = known[nid].name if nid in known else nid
            p = Person(p.id, name, p.company, p.position, p.email, p.url)
        people.append(p)
    if ignored:
        report.notes.append(f"{file}: node attributes not used: {', '.join(sorted(ignored))}")
    return people


def _rating_and_notes(
    data: dict[str, Any], file: str, where: str
) -> tuple[float | None, tuple[tuple[str, str], ...]]:
    rating = parse_strength(data.get("strength"), file=file, line=None, field=f"{where}.strength")
    notes = []
    for key, value in data.items():
        if key in ("strength", "id") or value is None:
            continue
        if key == "weight" and "strength" not in data:
            rating = _weight_rating(value)
            if rating is not None:
                continue
        notes.append((str(key), str(value)))
    return rating, tuple(notes)


def _edges(g: Any) -> Iterable[tuple[Any, Any, object, dict[str, Any]]]:
    """Edges with their GraphML id (a multigraph keeps it as the edge key)."""
    if g.is_multigraph():
        for u, v, key, data in g.edges(keys=True, data=True):
            yield u, v, key if isinstance(key, str) else data.get("id"), data
    else:
        for u, v, data in g.edges(data=True):
            yield u, v, data.get("id"), data


def _weight_rating(value: object) -> float | None:
    """A ``weight`` in (0, 1] is a strength; anything else is a count or cost."""
    if isinstance(value, bool):
        return None
    try:
        w = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return w if 0.0 < w <= 1.0 else None


def load_graphml(
    path: Path,
    *,
    owner: str | None = None,
    existing: Iterable[Person] = (),
    asked: PersonKeys | None = None,
) -> tuple[ImportBatch, ImportReport]:
    """Read a GraphML file into one batch.

    Parameters
    ----------
    path : Path
        The GraphML file (directed graphs are read as undirected ties).
    owner : str, optional
        Provenance label; default ``file:<basename>``.
    existing : iterable of Person
        People already known, so a node without a name does not blank theirs.
    asked : PersonKeys, optional
        Collects the ids the load looks known people up by.

    Raises
    ------
    InvalidInput
        Bad XML (with its line), invalid GraphML, a bad strength, email or URL
        (naming the node or edge id as the field), or a self-loop.
    """
    g = _read(path)
    report = ImportReport(source=path.name)  # never a server path
    if g.is_directed():
        report.notes.append(f"{path.name}: directed edges read as undirected ties")
    batch = graph_to_batch(
        g,
        file=path.name,
        owner=owner or f"file:{path.name}",
        existing=existing,
        report=report,
        asked=asked,
    )
    return batch, report


class GraphMLLoader:
    """The :class:`loaders.base.Loader` for GraphML (``import graphml``)."""

    name = "graphml"

    def detect(self, path: Path) -> bool:
        """A ``.graphml`` file, or XML whose head mentions ``<graphml``."""
        if not path.is_file():
            return False
        if path.suffix.casefold() == ".graphml":
            return True
        with path.open("rb") as f:
            return b"<graphml" in f.read(4096)

    def load(self, path: Path, options: LoadOptions) -> tuple[ImportBatch, ImportReport]:
        owner = options.owner.id if options.owner else None
        return load_graphml(path, owner=owner, existing=options.existing, asked=options.asked)
