"""Generic edge lists (CSV or JSON) and people files. Strict: one bad row aborts.

A CSV edge list has a header with ``source`` and ``target`` and optionally
``strength``; any other column is kept verbatim as evidence notes. A given
strength is the relationship's explicit rating (it overrides the model).

Unlike a LinkedIn export, an edge list is something the user wrote or generated
on purpose, so a bad row is a bug in their pipeline: we refuse the whole file
(the caller writes nothing) rather than import a silently different graph.

Parsing is split from file handling: ``parse_*`` functions take text or records
and a file name for error messages; :func:`load_edges` reads files.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import InvalidInput
from graph.identity import normalize_email, normalize_linkedin_url, person_id_for
from graph.model import Evidence, ImportBatch, Person, Relationship, canonical_pair
from loaders.csvsource import check_width, norm_header
from loaders.csvsource import decode_text as decode
from loaders.options import LoadOptions
from loaders.report import ImportReport

EDGE_COLUMNS = ("source", "target", "strength")
PEOPLE_COLUMNS = ("id", "name", "company", "position", "email", "url")

Notes = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class EdgeRow:
    """One parsed edge, endpoints as written (resolved to ids later)."""

    line: int
    source: str
    target: str
    rating: float | None
    notes: Notes = ()


def parse_strength(
    raw: object, *, file: str, line: int | None, field: str = "strength"
) -> float | None:
    """A strength in (0, 1], or None when absent.

    Booleans are refused: JSON ``true`` is not a strength, however Python casts it.

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
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise InvalidInput(f"strength is not a number: {raw!r}", file=file, line=line, field=field)
    try:
        value = float(raw)
    except ValueError:
        raise InvalidInput(
            f"strength is not a number: {raw!r}", file=file, line=line, field=field
        ) from None
    if math.isnan(value) or not 0.0 < value <= 1.0:
        raise InvalidInput(
            f"strength must be in (0, 1], got {raw!r}", file=file, line=line, field=field
        )
    return value


def parse_person(
    values: Mapping[str, str], *, file: str, line: int | None, prefix: str = ""
) -> Person:
    """A person from ``id,name,company,position,email,url`` values (email/url normalised).

    An empty name stays empty here; :func:`assemble_batch` fills it in so that a
    people file never blanks out a name the store already knows.

    >>> parse_person({"id": "ana", "url": "linkedin.com/in/Ana/"}, file="p.csv", line=2).url
    'https://www.linkedin.com/in/ana'
    """
    pid = values.get("id", "").strip()
    if not pid:
        raise InvalidInput("empty id", file=file, line=line, field=prefix + "id")
    email_raw, url_raw = values.get("email", "").strip(), values.get("url", "").strip()
    email, url = normalize_email(email_raw), normalize_linkedin_url(url_raw)
    if email_raw and not email:
        raise InvalidInput(
            f"not an email address: {email_raw!r}", file=file, line=line, field=prefix + "email"
        )
    if url_raw and not url:
        raise InvalidInput(
            f"not a LinkedIn profile URL: {url_raw!r}", file=file, line=line, field=prefix + "url"
        )
    return Person(
        id=pid,
        name=values.get("name", "").strip(),
        company=values.get("company", "").strip(),
        position=values.get("position", "").strip(),
        email=email,
        url=url,
    )


def strict_rows(text: str, file: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records with their physical starting line, refusing sloppy quoting.

    Strict because an unterminated quote would otherwise swallow the rest of
    the file into one field and import a different graph without a word.

    >>> list(strict_rows('source,target\\n"a\\nb",c\\n', "e.csv"))
    [(1, ['source', 'target']), (2, ['a\\nb', 'c'])]
    >>> list(strict_rows('source,target\\na,"b\\n', "e.csv"))
    Traceback (most recent call last):
    ...
    graph.errors.InvalidInput: e.csv:2: malformed CSV: unexpected end of data
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous = 0
    try:
        for record in reader:
            check_width(record, file, previous + 1)
            yield previous + 1, record
            previous = reader.line_num
    except csv.Error as exc:
        raise InvalidInput(f"malformed CSV: {exc}", file=file, line=previous + 1) from exc


def _records(records: Iterable[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    """Skip blank lines, which spreadsheets leave at the end of files."""
    for line, rec in records:
        if any(cell.strip() for cell in rec):
            yield line, rec


def _header(
    it: Iterator[tuple[int, list[str]]], file: str, required: Sequence[str]
) -> tuple[list[str], list[str]]:
    """Normalised and original column names of the first non-blank row."""
    first = next(it, None)
    if first is None:
        raise InvalidInput("the file is empty", file=file, line=1, field=required[0])
    line, rec = first
    names = [norm_header(c) for c in rec]
    for column in required:
        if column not in names:
            raise InvalidInput(
                f"the header has no {column!r} column (found: {', '.join(names)})",
                file=file,
                line=line,
                field=column,
            )
    for i, name in enumerate(names):
        if not name:
            raise InvalidInput(
                f"column {i + 1} has no name", file=file, line=line, field=f"#{i + 1}"
            )
        if name in names[:i]:
            raise InvalidInput(f"duplicate column {name!r}", file=file, line=line, field=name)
    return names, [c.strip() for c in rec]


def _check_width(rec: Sequence[str], names: Sequence[str], file: str, line: int) -> None:
    if len(rec) != len(names):
        field = names[len(rec)] if len(rec) < len(names) else f"#{len(names) + 1}"
        raise InvalidInput(
            f"row has {len(rec)} fields, header has {len(names)}", file=file, line=line, field=field
        )


def parse_edges_csv(records: Iterable[tuple[int, list[str]]], file: str) -> list[EdgeRow]:
    """Edge rows from CSV records ``(physical line, cells)``, header first.

    >>> recs = [(1, ["source", "target", "strength", "context"]), (2, ["a", "b", "0.5", "school"])]
    >>> parse_edges_csv(recs, "e.csv")
    [EdgeRow(line=2, source='a', target='b', rating=0.5, notes=(('context', 'school'),))]
    """
    it = _records(records)
    names, originals = _header(it, file, ("source", "target"))
    extra = [(i, originals[i]) for i, n in enumerate(names) if n not in EDGE_COLUMNS]
    i_source, i_target = names.index("source"), names.index("target")
    i_strength = names.index("strength") if "strength" in names else None
    out = []
    for line, rec in it:
        _check_width(rec, names, file, line)
        rating = (
            parse_strength(rec[i_strength], file=file, line=line)
            if i_strength is not None
            else None
        )
        notes = tuple((column, rec[i].strip()) for i, column in extra if rec[i].strip())
        out.append(_edge_row(line, rec[i_source], rec[i_target], rating, notes, file))
    return out


def _edge_row(
    line: int, source: str, target: str, rating: float | None, notes: Notes, file: str
) -> EdgeRow:
    source, target = source.strip(), target.strip()
    if not source:
        raise InvalidInput("empty source", file=file, line=line, field="source")
    if not target:
        raise InvalidInput("empty target", file=file, line=line, field="target")
    if source == target:
        raise InvalidInput(f"self-loop on {source!r}", file=file, line=line, field="target")
    return EdgeRow(line, source, target, rating, notes)


def parse_people_csv(records: Iterable[tuple[int, list[str]]], file: str) -> list[Person]:
    """People from ``id,name,company,position,email,url`` records (only ``id`` required)."""
    it = _records(records)
    names, _ = _header(it, file, ("id",))
    out = []
    for line, rec in it:
        _check_width(rec, names, file, line)
        values = {n: rec[i] for i, n in enumerate(names) if n in PEOPLE_COLUMNS}
        out.append(parse_person(values, file=file, line=line))
    return out


def _id_text(value: object, *, file: str, line: int, field: str) -> str:
    """JSON ids may be strings or integers (numeric node ids are common)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidInput(
            f"{field} must be a string or an integer, got {value!r}",
            file=file,
            line=line,
            field=field,
        )
    return str(value)


def _note_text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _json_lists(doc: object, file: str) -> tuple[list[Any], list[Any]]:
    """The edges and people lists of either accepted JSON shape."""
    if isinstance(doc, list):
        return doc, []
    if not isinstance(doc, dict):
        raise InvalidInput(
            "expected a list of edges or {'people': [...], 'edges': [...]}",
            file=file,
            field="edges",
        )
    unknown = sorted(set(doc) - {"people", "edges"})
    if unknown:
        raise InvalidInput(
            f"unexpected key {unknown[0]!r}: expected 'people' and 'edges'",
            file=file,
            field=unknown[0],
        )
    people, edges = doc.get("people", []), doc.get("edges")
    if not isinstance(people, list):
        raise InvalidInput("'people' must be a list of objects", file=file, field="people")
    if not isinstance(edges, list):
        raise InvalidInput("'edges' must be a list of objects", file=file, field="edges")
    return edges, people


def _json_person(item: object, i: int, file: str) -> Person:
    if not isinstance(item, dict):
        raise InvalidInput(f"people item {i} must be an object", file=file, line=i, field="people")
    values = {str(k): _note_text(v) for k, v in item.items() if v is not None}
    if "id" in item:
        values["id"] = _id_text(item["id"], file=file, line=i, field="id")
    return parse_person(values, file=file, line=i)


def _json_edge(item: object, i: int, file: str) -> EdgeRow:
    if not isinstance(item, dict):
        raise InvalidInput(f"edge {i} must be an object", file=file, line=i, field="edges")
    for key in ("source", "target"):
        if key not in item:
            raise InvalidInput(f"edge {i} has no {key}", file=file, line=i, field=key)
    source = _id_text(item["source"], file=file, line=i, field="source")
    target = _id_text(item["target"], file=file, line=i, field="target")
    rating = parse_strength(item.get("strength"), file=file, line=i)
    notes = tuple(
        (str(k), _note_text(v))
        for k, v in item.items()
        if k not in EDGE_COLUMNS and v is not None and v != ""
    )
    return _edge_row(i, source, target, rating, notes, file)


JSON_MAX_DEPTH = 100
"""Nesting deeper than this in an edge file is a bomb, not data (real files nest 3 deep)."""


def _deep_line(text: str) -> int | None:
    """The line where nesting first passes ``JSON_MAX_DEPTH`` (brackets in strings aside)."""
    depth = 0
    for match in re.finditer(r"[\[{]|[\]}]", text):
        depth += 1 if match.group() in "[{" else -1
        if depth > JSON_MAX_DEPTH:
            return text.count("\n", 0, match.start()) + 1
    return None


def _long_number_line(text: str) -> int | None:
    match = re.search(r"\d{1000,}", text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def parse_edges_json(text: str, file: str) -> tuple[list[EdgeRow], list[Person]]:
    """``[{"source", "target", "strength"?, ...}]`` or ``{"people": [...], "edges": [...]}``.

    ``line`` in errors is the 1-based index of the item in its list (the message
    says which list), or the decoder's line for invalid JSON.

    >>> doc = '{"people": [{"id": "a"}], "edges": [{"source": "a", "target": 2}]}'
    >>> edges, people = parse_edges_json(doc, "e.json")
    >>> [(e.source, e.target) for e in edges], [p.id for p in people]
    ([('a', '2')], ['a'])
    """
    try:
        doc: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"invalid JSON: {exc.msg}", file=file, line=exc.lineno) from exc
    except RecursionError as exc:  # a nesting bomb: [[[[...]]]]
        raise InvalidInput(
            "invalid JSON: nested too deeply", file=file, line=_deep_line(text)
        ) from exc
    except ValueError as exc:  # a number of thousands of digits
        raise InvalidInput(
            f"invalid JSON: {exc}".split(";")[0], file=file, line=_long_number_line(text)
        ) from exc
    edges, people = _json_lists(doc, file)
    return (
        [_json_edge(item, i, file) for i, item in enumerate(edges, 1)],
        [_json_person(item, i, file) for i, item in enumerate(people, 1)],
    )


class _Directory:
    """Who an endpoint names: an id, else a LinkedIn URL or email of a known person."""

    def __init__(self, people: Iterable[Person]) -> None:
        self.ids: dict[str, Person] = {}
        self.urls: dict[str, str] = {}
        self.emails: dict[str, str] = {}
        for p in people:
            self.add(p)

    def add(self, p: Person) -> None:
        self.ids[p.id] = p
        if p.url:
            self.urls.setdefault(p.url, p.id)
        if p.email:
            self.emails.setdefault(p.email, p.id)

    def resolve(self, ref: str) -> tuple[str, Person | None]:
        """The id ``ref`` names, and a new person to create when it names nobody known."""
        if ref in self.ids:
            return ref, None
        url = normalize_linkedin_url(ref) if "linkedin" in ref.casefold() else ""
        if url:
            if url in self.urls:
                return self.urls[url], None
            pid = person_id_for(url, "", "", "")
            return pid, None if pid in self.ids else Person(pid, name=url, url=url)
        email = normalize_email(ref) if "@" in ref else ""
        if email:
            if email in self.emails:
                return self.emails[email], None
            pid = person_id_for("", email, "", "")
            return pid, None if pid in self.ids else Person(pid, name=email, email=email)
        return ref, Person(ref, name=ref)


def assemble_batch(
    edges: Sequence[EdgeRow],
    people: Sequence[Person],
    *,
    file: str,
    owner: str,
    existing: Iterable[Person] = (),
    report: ImportReport,
) -> ImportBatch:
    """Resolve endpoints, build relationships with ``owner`` provenance, fill ``report``.

    An endpoint is an id from the people file or the store; failing that a
    LinkedIn URL or email of a known person (PersonRef rules); failing that a new
    person named by the endpoint. Duplicate edges: the later row wins.
    """
    known = {p.id: p for p in existing}
    listed: dict[str, Person] = {}
    for p in people:
        if p.id in listed:
            report.notes.append(f"{file}: person {p.id!r} listed twice: the later entry wins")
        name = p.name or (known[p.id].name if p.id in known else p.id)
        listed[p.id] = Person(p.id, name, p.company, p.position, p.email, p.url)
    directory = _Directory([*known.values(), *listed.values()])
    created: dict[str, Person] = {}
    unique: dict[tuple[str, str], tuple[int, Relationship]] = {}
    for row in edges:
        ends = []
        for ref in (row.source, row.target):
            pid, new = directory.resolve(ref)
            if new is not None:
                directory.add(new)
                created[pid] = new
            ends.append(pid)
        if ends[0] == ends[1]:
            raise InvalidInput(
                f"self-loop: {row.source!r} and {row.target!r} are the same person",
                file=file,
                line=row.line,
                field="target",
            )
        a, b = canonical_pair(ends[0], ends[1])
        if (a, b) in unique:
            report.notes.append(
                f"{file}:{row.line}: repeats the edge {a} - {b} of line {unique[(a, b)][0]}: "
                "the later row wins"
            )
        evidence = Evidence(owner=owner, rating=row.rating, notes=row.notes)
        unique[(a, b)] = (row.line, Relationship(a, b, (evidence,)))
    batch = ImportBatch(
        people=[*listed.values(), *created.values()],
        relationships=[r for _line, r in unique.values()],
    )
    report.people = len(batch.people)
    report.relationships = len(batch.relationships)
    if created:
        report.notes.append(
            f"{len(created)} endpoints not in a people file became people named by their id"
        )
    return batch


def _text(path: Path) -> str:
    if not path.is_file():
        raise InvalidInput("no such file", file=path.name)
    text, _encoding = decode(path.read_bytes(), path.name)
    return text


def _looks_like_json(path: Path, text: str) -> bool:
    return path.suffix.casefold() == ".json" or text.lstrip()[:1] in ("[", "{")


def load_edges(
    path: Path,
    *,
    people_path: Path | None = None,
    owner: str | None = None,
    existing: Iterable[Person] = (),
    progress: Callable[[int], None] | None = None,
) -> tuple[ImportBatch, ImportReport]:
    """Read an edge list (CSV or JSON) and an optional people CSV into one batch.

    Parameters
    ----------
    path : Path
        ``source,target[,strength,...]`` CSV, or JSON (a list of edge objects or
        ``{"people": [...], "edges": [...]}``).
    people_path : Path, optional
        ``id,name,company,position,email,url`` CSV.
    owner : str, optional
        Provenance label of the evidence; default ``file:<basename>`` so that
        re-importing the same file replaces its earlier evidence.
    existing : iterable of Person
        People already in the store (endpoints may name them by id, URL or email).

    Raises
    ------
    InvalidInput
        On the first bad row, naming file, line and field; nothing is returned,
        so nothing can be half-written.
    """
    text = _text(path)
    owner = owner or f"file:{path.name}"
    if _looks_like_json(path, text):
        edges, people = parse_edges_json(text, path.name)
    else:
        edges, people = parse_edges_csv(strict_rows(text, path.name), path.name), []
    if people_path is not None:
        people += parse_people_csv(
            strict_rows(_text(people_path), people_path.name), people_path.name
        )
    if progress is not None:
        progress(len(edges) + len(people))
    report = ImportReport(source=path.name)  # never a server path
    batch = assemble_batch(
        edges, people, file=path.name, owner=owner, existing=existing, report=report
    )
    return batch, report


class EdgesLoader:
    """The :class:`loaders.base.Loader` for generic edge lists (``import edges``)."""

    name = "edges"

    def detect(self, path: Path) -> bool:
        """A ``.csv``/``.json`` whose first line names ``source`` and ``target``."""
        if path.suffix.casefold() not in (".csv", ".json", ".tsv", ".txt") or not path.is_file():
            return False
        with path.open("rb") as f:
            head = f.read(4096).decode("utf-8", "replace").casefold()
        return (
            '"source"' in head
            if _looks_like_json(path, head)
            else ("source" in head.split("\n", 1)[0] and "target" in head.split("\n", 1)[0])
        )

    def load(self, path: Path, options: LoadOptions) -> tuple[ImportBatch, ImportReport]:
        owner = options.owner.id if options.owner else None
        return load_edges(
            path,
            people_path=options.people_path,
            owner=owner,
            existing=options.existing,
            progress=options.progress,
        )
