"""Files for ``neo4j-admin database import full``: a first load without Cypher.

A first load of a large workspace through Bolt (:meth:`Neo4jStore.apply`) runs every
tie through Cypher in one transaction; ``neo4j-admin database import full`` writes
the store files directly into a fresh database, many times faster. This module
writes what that importer reads, in exactly the shape :mod:`graph.store.neo4j`
reads back:

``people.csv`` (label ``Person``)
    one row per described person (``stub`` empty) and per evidence end nobody
    described (``stub`` true, as ``ensure_people`` makes them); empty strings stay
    empty strings (quoted ``""``), empty lists are left out (read back as empty).
``knows.csv`` (type ``KNOWS``)
    one relationship per (tie, owner), from the canonical first end to the second,
    with ``workspace``, ``owner``, ``data`` (:func:`graph.store.codec.evidence_to_json`)
    and ``interactions`` (left out where zero, as ``apply`` does).
``members.csv``, ``merges.csv``, ``workspace.csv``
    the ``Member``, ``Merge`` and ``Workspace`` nodes (version 1).

The store makes its constraints and indexes on first use (``IF NOT EXISTS``), so the
imported database needs nothing else. :meth:`ImportFiles.admin_args` is the command.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.identity import normalize_company, normalize_name
from graph.model import Evidence, Member, Merge, Person
from graph.store.codec import evidence_to_json, interactions_in

ARRAY_DELIMITER = "\x1f"  # unit separator: no school or employer name holds it
ARRAY_DELIMITER_ARG = "U+001F"  # how neo4j-admin's --array-delimiter spells it

PEOPLE_HEADER = (
    "id:ID(Person{s}),workspace,name,company,position,email,url,"
    "schools:string[],employers:string[],stub:boolean,name_key,company_norm"
)
KNOWS_HEADER = ":START_ID(Person{s}),:END_ID(Person{s}),workspace,owner,data,interactions:long"
MEMBERS_HEADER = ":ID(Member{s}),workspace,person_id,sharing"
MERGES_HEADER = ":ID(Merge{s}),workspace,merged,kept,reason"
WORKSPACE_HEADER = ":ID(Workspace{s}),name,version:long"
"""Headers; ``{s}`` is the files' id space suffix (see :func:`write_import_files`)."""

FILES = {
    "Person": "people.csv",
    "Member": "members.csv",
    "Merge": "merges.csv",
    "Workspace": "workspace.csv",
}
KNOWS_FILE = "knows.csv"


@dataclass(frozen=True, slots=True)
class ImportFiles:
    """What :func:`write_import_files` wrote, and how to import it."""

    directory: Path
    people: int
    stubs: int
    ties: int
    evidence: int
    members: int
    merges: int
    multiline: bool  # a value holds a line break: the importer must be told

    def admin_args(self, database: str = "neo4j") -> list[str]:
        """``neo4j-admin`` arguments that import these files into a new ``database``."""
        return admin_args([self], database)


def admin_args(workspaces: Sequence[ImportFiles], database: str = "neo4j") -> list[str]:
    """``neo4j-admin`` arguments that import several workspaces' files in one run (each
    written with its own ``id_space``) into a new ``database``."""
    args = ["database", "import", "full", database]
    for files in workspaces:
        args += [f"--nodes={label}={files.directory / name}" for label, name in FILES.items()]
        args.append(f"--relationships=KNOWS={files.directory / KNOWS_FILE}")
    args.append(f"--array-delimiter={ARRAY_DELIMITER_ARG}")
    if any(files.multiline for files in workspaces):
        args.append("--multiline-fields=true")
    return args


class _Writer:
    """CSV lines with every string quoted (so an empty one is ``""``, not missing)."""

    def __init__(self, path: Path, header: str) -> None:
        self._file = path.open("w", encoding="utf-8", newline="")
        self._file.write(header + "\n")
        self.multiline = False

    def text(self, value: str) -> str:
        if "\n" in value or "\r" in value:
            self.multiline = True
        return '"' + value.replace('"', '""') + '"'

    def array(self, values: Iterable[str]) -> str:
        items = list(values)
        if any(ARRAY_DELIMITER in v for v in items):
            raise ValueError(f"a list value holds the array delimiter U+001F: {items!r}")
        return self.text(ARRAY_DELIMITER.join(items)) if items else ""

    def row(self, *fields: str) -> None:
        self._file.write(",".join(fields) + "\n")

    def close(self) -> None:
        self._file.close()


def write_import_files(
    directory: Path,
    workspace: str,
    people: Iterable[Person],
    evidence: Mapping[tuple[str, str], Mapping[str, Evidence]],
    members: Iterable[Member] = (),
    merges: Iterable[Merge] = (),
    *,
    id_space: str = "",
) -> ImportFiles:
    """Write one workspace as ``neo4j-admin database import full`` input into ``directory``.

    ``evidence`` is keyed by canonical pair (first end < second), as the stores keep
    it. Raises ``ValueError`` for an evidence key that is not canonical or a list
    value holding the array delimiter. ``id_space`` (letters and digits) names the
    importer's id groups (``Person<id_space>`` ...): workspaces written with distinct
    ones import together (:func:`admin_args`), though their person ids overlap.
    """
    if not id_space.isalnum() and id_space:
        raise ValueError(f"id_space must be letters and digits, got {id_space!r}")
    directory.mkdir(parents=True, exist_ok=True)
    ws = f'"{workspace.replace(chr(34), chr(34) * 2)}"'
    out = _Writer(directory / FILES["Person"], PEOPLE_HEADER.format(s=id_space))
    knows = _Writer(directory / KNOWS_FILE, KNOWS_HEADER.format(s=id_space))
    others = [
        _Writer(directory / FILES[label], header.format(s=id_space))
        for label, header in (
            ("Member", MEMBERS_HEADER),
            ("Merge", MERGES_HEADER),
            ("Workspace", WORKSPACE_HEADER),
        )
    ]
    counts = {"people": 0, "stubs": 0, "ties": 0, "evidence": 0, "members": 0, "merges": 0}
    try:
        described: set[str] = set()
        for p in people:
            if p.id in described:
                continue
            described.add(p.id)
            t = out.text
            out.row(
                t(p.id), ws, t(p.name), t(p.company), t(p.position), t(p.email), t(p.url),
                out.array(p.schools), out.array(p.employers), "",
                t(normalize_name(p.name)), t(normalize_company(p.company)),
            )  # fmt: skip
        counts["people"] = len(described)
        stubs: set[str] = set()
        for (a, b), owners in evidence.items():
            if not a < b:
                raise ValueError(f"evidence key {(a, b)!r} is not a canonical pair")
            counts["ties"] += 1
            for owner, e in owners.items():
                n = interactions_in(e)
                knows.row(
                    knows.text(a), knows.text(b), ws, knows.text(owner),
                    knows.text(evidence_to_json(e)), str(n) if n else "",
                )  # fmt: skip
                counts["evidence"] += 1
            stubs.update(x for x in (a, b) if x not in described)
        for pid in sorted(stubs):
            out.row(out.text(pid), ws, "", "", "", "", "", "", "", "true", "", "")
        counts["stubs"] = len(stubs)
        member_file, merge_file, workspace_file = others
        for i, m in enumerate(members):
            member_file.row(str(i), ws, member_file.text(m.person_id), f'"{m.sharing.value}"')
            counts["members"] += 1
        for i, g in enumerate(merges):
            t = merge_file.text
            merge_file.row(str(i), ws, t(g.merged), t(g.kept), t(g.reason))
            counts["merges"] += 1
        workspace_file.row("0", ws, "1")
    finally:
        for w in (out, knows, *others):
            w.close()
    multiline = any(w.multiline for w in (out, knows, *others)) or "\n" in workspace
    return ImportFiles(directory, multiline=multiline, **counts)
