"""Paths and ego networks as standard graph files: GraphML, GEXF, Cytoscape.js JSON, Mermaid.

Everything here is pure: the input is plain data (the path dicts of
``cli.render.path_dict``, or edges handed over by a callback), the output
is text or a JSON-ready dict. Two steps, so each writer sees one shape:

1. :func:`paths_graph` or :func:`ego_graph` build an :class:`ExportGraph`;
2. :func:`render` (or one writer) turns it into a format.

GraphML and GEXF go through networkx's own writers, so networkx's readers (and
Gephi, Cytoscape desktop, yEd, Neo4j's ``apoc.import.graphml``) load them back.
Those formats only hold scalars, so a step's evidence lines are joined with
``EVIDENCE_SEPARATOR`` there and kept as a list in Cytoscape.js JSON.
"""

from __future__ import annotations

import io
import json
import re
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from graph.errors import InvalidInput
from graph.model import Person
from graph.paths import PathView, Step

if TYPE_CHECKING:  # networkx is imported by the writers that use it: every CLI command
    import networkx as nx  # imports this module, and networkx costs ~0.2 s to import

EVIDENCE_SEPARATOR = " | "
PERSON_FIELDS = ("name", "company", "position", "url")


class ExportFormat(StrEnum):
    """The formats :func:`render` writes (the CLI's and GraphQL's ``format`` values)."""

    GRAPHML = "graphml"
    GEXF = "gexf"
    CYTOSCAPE = "cytoscape"
    MERMAID = "mermaid"


class Role(StrEnum):
    """Where a person sits on the exported paths (drives colours in the page and Mermaid)."""

    REQUESTER = "requester"
    INTRODUCER = "introducer"
    TARGET = "target"
    INTERMEDIARY = "intermediary"
    CENTER = "center"  # the person an ego network is drawn around
    CONTACT = "contact"


@dataclass(slots=True)
class ExportNode:
    id: str
    name: str
    company: str = ""
    position: str = ""
    url: str = ""
    role: Role = Role.CONTACT
    distance: int = 0  # hops from the requester (paths) or the centre (ego network)
    paths: list[int] = field(default_factory=list)  # 1-based ranks of the paths through it

    @property
    def label(self) -> str:
        """Name, then position and company, the way the page labels a node."""
        role = ", ".join(x for x in (self.position, self.company) if x)
        return f"{self.name}\n{role}" if role else self.name


@dataclass(slots=True)
class ExportEdge:
    source: str
    target: str
    strength: float
    evidence: list[str] = field(default_factory=list)
    paths: list[int] = field(default_factory=list)


@dataclass(slots=True)
class ExportGraph:
    """People and ties in insertion order (writers keep it, so output is stable)."""

    kind: str  # "paths" or "ego"
    nodes: dict[str, ExportNode] = field(default_factory=dict)
    edges: dict[tuple[str, str], ExportEdge] = field(default_factory=dict)
    truncated: bool = False

    def edge(self, a: str, b: str) -> ExportEdge | None:
        return self.edges.get((a, b)) or self.edges.get((b, a))


# -- building --------------------------------------------------------------------------
def _strength(value: float, where: str) -> float:
    if not 0.0 <= value <= 1.0:  # NaN fails too
        raise InvalidInput(f"strength must be in [0, 1], got {value}", field=where)
    return value


def paths_graph(paths: Sequence[PathView]) -> ExportGraph:
    """Merge paths (best first) into one graph, remembering which paths use what.

    Parameters
    ----------
    paths : sequence of PathView
        Planner answers, best first: ``people`` in order from the requester to
        the target, and ``steps`` with strength and evidence lines.

    Returns
    -------
    ExportGraph
        Nodes carry a role (requester, introducer, intermediary, target), their
        distance from the requester and the 1-based ranks of the paths through
        them; edges carry strength, evidence lines and path ranks.

    Raises
    ------
    InvalidInput
        When a step names someone not on its path or a strength is not in [0, 1].

    Examples
    --------
    >>> from graph.model import Person
    >>> from graph.paths import PathView, Step
    >>> people = (Person("me", "Me"), Person("ana", "Ana"), Person("cy", "Cy", company="Acme"))
    >>> steps = (Step("me", "ana", 0.9, ("rated 0.9",)), Step("ana", "cy", 0.5, ()))
    >>> g = paths_graph([PathView(people, steps, 0.45)])
    >>> [(n.id, n.role.value) for n in g.nodes.values()]
    [('me', 'requester'), ('ana', 'introducer'), ('cy', 'target')]
    >>> g.edge("cy", "ana").strength
    0.5
    """
    graph = ExportGraph(kind="paths")
    for rank, path in enumerate(paths, 1):
        last = len(path.people) - 1
        for i, person in enumerate(path.people):
            role = _role_at(i, last)
            node = graph.nodes.get(person.id)
            if node is None:
                node = graph.nodes[person.id] = ExportNode(
                    person.id,
                    person.name or person.id,
                    company=person.company,
                    position=person.position,
                    url=person.url,
                    distance=i,
                    role=role,
                )
            else:
                node.distance = min(node.distance, i)
                node.role = min(node.role, role, key=ROLE_PRECEDENCE.index)
            if rank not in node.paths:
                node.paths.append(rank)
        on_path = {p.id for p in path.people}
        for j, step in enumerate(path.steps):
            a, b = step.source, step.target
            if a not in on_path or b not in on_path:
                raise InvalidInput(
                    f"path {rank} step {j + 1} joins {a!r} and {b!r}, not both on the path",
                    field="steps",
                )
            strength = _strength(step.strength, f"paths[{rank}].steps[{j + 1}].strength")
            edge = graph.edge(a, b)
            if edge is None:
                edge = graph.edges[(a, b)] = ExportEdge(a, b, strength, list(step.evidence))
            edge.paths.append(rank)
    return graph


def _role_at(i: int, last: int) -> Role:
    if i == 0:
        return Role.REQUESTER
    if i == last:
        return Role.TARGET
    return Role.INTRODUCER if i == 1 else Role.INTERMEDIARY


ROLE_PRECEDENCE = [
    Role.REQUESTER,
    Role.TARGET,
    Role.INTRODUCER,
    Role.INTERMEDIARY,
    Role.CENTER,
    Role.CONTACT,
]
"""When paths disagree about someone's role, the earlier role in this list wins."""


Neighbours = Callable[[str], Iterable[Step]]
"""person id -> that person's ties (``Step`` records, either end may be the person)."""


def ego_graph(
    center: str,
    ties: Neighbours | Iterable[Step],
    *,
    hops: int,
    people: Mapping[str, Person] | None = None,
    max_nodes: int = 500,
) -> ExportGraph:
    """The people within ``hops`` ties of ``center`` and every tie among them.

    Like ``networkx.ego_graph``: ties between two people at the rim are kept too.

    Parameters
    ----------
    center : str
        The person id the network is drawn around.
    ties : callable or iterable
        Either a callback returning a person's ties, or a plain list of every tie.
    hops : int
        Radius, at least 1.
    people : mapping, optional
        Person id -> person; people missing from it are labelled with their id.
    max_nodes : int
        Stop adding people beyond this many (``truncated`` is then set): a
        3-hop ego network of a well-connected person is most of the graph.

    Returns
    -------
    ExportGraph

    Raises
    ------
    InvalidInput
        When ``hops`` is below 1 or a strength is not in [0, 1].

    Examples
    --------
    >>> ties = [Step("a", "b", 0.8, ()), Step("b", "c", 0.4, ()), Step("c", "d", 0.9, ())]
    >>> g = ego_graph("a", ties, hops=2)
    >>> sorted(g.nodes), [(e.source, e.target) for e in g.edges.values()]
    (['a', 'b', 'c'], [('a', 'b'), ('b', 'c')])
    """
    if hops < 1:
        raise InvalidInput(f"hops must be at least 1, got {hops}", field="hops")
    if callable(ties):
        neighbours: Neighbours = ties
    else:
        index: dict[str, list[Step]] = {}
        for tie in ties:
            index.setdefault(tie.source, []).append(tie)
            index.setdefault(tie.target, []).append(tie)
        neighbours = lambda pid: index.get(pid, ())  # noqa: E731
    people = people or {}
    graph = ExportGraph(kind="ego")

    def add(pid: str, distance: int) -> None:
        person = people.get(pid) or Person(pid, pid)
        graph.nodes[pid] = ExportNode(
            pid,
            person.name or pid,
            company=person.company,
            position=person.position,
            url=person.url,
            role=Role.CENTER if distance == 0 else Role.CONTACT,
            distance=distance,
        )

    add(center, 0)
    queue = deque([center])
    while queue:
        pid = queue.popleft()
        distance = graph.nodes[pid].distance
        for tie in neighbours(pid):
            a, b = tie.source, tie.target
            other = b if a == pid else a
            if other not in graph.nodes:
                if distance >= hops:
                    continue  # beyond the rim
                if len(graph.nodes) >= max_nodes:
                    graph.truncated = True
                    continue
                add(other, distance + 1)
                queue.append(other)
            if graph.edge(a, b) is None:
                strength = _strength(tie.strength, f"ties[{a}-{b}].strength")
                graph.edges[(a, b)] = ExportEdge(a, b, strength, list(tie.evidence))
    return graph


# -- writers ---------------------------------------------------------------------------
def to_networkx(graph: ExportGraph) -> nx.Graph[str]:
    """An undirected networkx graph with scalar attributes only (what GraphML/GEXF hold).

    Node attributes: ``label``, ``name``, ``company``, ``position``, ``url``,
    ``role``, ``distance``, ``paths`` (comma-separated ranks). Edge attributes:
    ``strength``, ``weight`` (the same number, which Gephi draws as thickness),
    ``evidence`` (lines joined by ``EVIDENCE_SEPARATOR``) and ``paths``.
    """
    import networkx as nx  # local: see the imports

    g: nx.Graph[str] = nx.Graph(kind=graph.kind, truncated=graph.truncated)
    for n in graph.nodes.values():
        g.add_node(
            n.id,
            label=n.name,
            name=n.name,
            company=n.company,
            position=n.position,
            url=n.url,
            role=n.role.value,
            distance=n.distance,
            paths=",".join(map(str, n.paths)),
        )
    for e in graph.edges.values():
        g.add_edge(
            e.source,
            e.target,
            strength=e.strength,
            weight=e.strength,
            evidence=EVIDENCE_SEPARATOR.join(e.evidence),
            paths=",".join(map(str, e.paths)),
        )
    return g


def to_graphml(graph: ExportGraph) -> str:
    """GraphML text (networkx's writer; load back with ``networkx.read_graphml``)."""
    import networkx as nx  # local: see the imports

    body = "\n".join(nx.generate_graphml(to_networkx(graph)))
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def to_gexf(graph: ExportGraph) -> str:
    """GEXF 1.2 text for Gephi (networkx's writer; ``networkx.read_gexf`` loads it)."""
    g = to_networkx(graph)
    g.graph.clear()  # GEXF's graph element takes only mode and edge type
    buffer = io.BytesIO()
    import networkx as nx  # local: see the imports

    nx.write_gexf(g, buffer)
    return buffer.getvalue().decode("utf-8")


def to_cytoscape(graph: ExportGraph) -> dict[str, Any]:
    """Cytoscape.js ``elements`` JSON: ``{"elements": {"nodes": [...], "edges": [...]}}``.

    Every element has a ``data`` dict, so ``cy.add(doc["elements"])`` or
    Cytoscape desktop's "Import network from JSON" takes it as is.

    Examples
    --------
    >>> g = ego_graph("a", [Step("a", "b", 0.5, ())], hops=1)
    >>> to_cytoscape(g)["elements"]["edges"][0]["data"]["id"]
    'a--b'
    """
    nodes = [
        {
            "data": {
                "id": n.id,
                "label": n.label,
                "name": n.name,
                "company": n.company,
                "position": n.position,
                "url": n.url,
                "role": n.role.value,
                "distance": n.distance,
                "paths": list(n.paths),
            }
        }
        for n in graph.nodes.values()
    ]
    edges = [
        {
            "data": {
                "id": f"{e.source}--{e.target}",
                "source": e.source,
                "target": e.target,
                "strength": e.strength,
                "evidence": list(e.evidence),
                "paths": list(e.paths),
            }
        }
        for e in graph.edges.values()
    ]
    return {
        "data": {"kind": graph.kind, "truncated": graph.truncated},
        "elements": {"nodes": nodes, "edges": edges},
    }


_MERMAID_UNSAFE = re.compile(r"[\"#&<>\[\](){}|`;\\]")


def mermaid_escape(text: str) -> str:
    """Make text safe inside a quoted Mermaid label (entity codes, one line).

    Examples
    --------
    >>> mermaid_escape('Grace "Amazing" [Hopper] (Ph.D.)')
    'Grace #quot;Amazing#quot; #91;Hopper#93; #40;Ph.D.#41;'
    """
    flat = " ".join(text.split())

    def code(m: re.Match[str]) -> str:
        ch = m.group(0)
        return "#quot;" if ch == '"' else f"#{ord(ch)};"

    return _MERMAID_UNSAFE.sub(code, flat)


MERMAID_CLASSES = {
    Role.REQUESTER: "fill:#e8f0fe,stroke:#1a56db",
    Role.TARGET: "fill:#fdecea,stroke:#b42318",
    Role.INTRODUCER: "fill:#e7f6ec,stroke:#1a7f37",
    Role.CENTER: "fill:#e8f0fe,stroke:#1a56db",
}


def to_mermaid(graph: ExportGraph) -> str:
    """A Mermaid flowchart (``graph LR``): people left to right, ties labelled by strength.

    Node ids are generated (``p0``, ``p1``...), so no person id or name can
    break the syntax; labels go through :func:`mermaid_escape`.

    Examples
    --------
    >>> g = ego_graph("a", [Step("a", "b", 0.5, ())], hops=1,
    ...               people={"b": Person("b", 'Bo "B" [x]')})
    >>> print(to_mermaid(g))
    graph LR
      p0["a"]
      p1["Bo #quot;B#quot; #91;x#93;"]
      p0 ---|"0.50"| p1
      classDef center fill:#e8f0fe,stroke:#1a56db
      class p0 center
    """
    ids = {pid: f"p{i}" for i, pid in enumerate(graph.nodes)}
    lines = ["graph LR"]
    for n in graph.nodes.values():
        parts = [mermaid_escape(n.name)]
        role = ", ".join(x for x in (n.position, n.company) if x)
        if role:
            parts.append(mermaid_escape(role))
        lines.append(f'  {ids[n.id]}["{"<br/>".join(parts)}"]')
    arrow = "-->" if graph.kind == "paths" else "---"
    for e in graph.edges.values():
        a, b = e.source, e.target
        if graph.kind == "paths" and graph.nodes[a].distance > graph.nodes[b].distance:
            a, b = b, a  # draw towards the target
        lines.append(f'  {ids[a]} {arrow}|"{e.strength:.2f}"| {ids[b]}')
    for role, style in MERMAID_CLASSES.items():
        members = [ids[n.id] for n in graph.nodes.values() if n.role is role]
        if members:
            lines.append(f"  classDef {role.value} {style}")
            lines.append(f"  class {','.join(members)} {role.value}")
    return "\n".join(lines)


def render(graph: ExportGraph, fmt: ExportFormat | str) -> str:
    """The graph in ``fmt`` as text (Cytoscape.js JSON is serialised, indented).

    Raises
    ------
    InvalidInput
        For an unknown format name.
    """
    try:
        kind = ExportFormat(fmt)
    except ValueError:
        names = ", ".join(f.value for f in ExportFormat)
        raise InvalidInput(f"unknown format {fmt!r}; use one of {names}", field="format") from None
    if kind is ExportFormat.GRAPHML:
        return to_graphml(graph)
    if kind is ExportFormat.GEXF:
        return to_gexf(graph)
    if kind is ExportFormat.CYTOSCAPE:
        return json.dumps(to_cytoscape(graph), ensure_ascii=False, indent=2) + "\n"
    return to_mermaid(graph) + "\n"
