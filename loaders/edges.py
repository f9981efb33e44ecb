"""Generic edge lists (CSV or JSON) and people files. Strict: one bad row aborts.

A CSV edge list has a header with ``source`` and ``target`` and optionally
``strength``; any other column is kept verbatim as evidence notes. A given
strength is the relationship's explicit rating (it overrides the model).

Unlike a LinkedIn export, an edge list is something the user wrote or generated
on purpose, so a bad row is a bug in their pipeline: we refuse the whole file
(the caller writes nothing) rather than import a silently different graph.

Parsing is split from file handling: ``parse_*`` functions take text
and a file name for error messages; :func:`load_edges` reads files.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from graph.bulk import collector_paused
from graph.errors import InvalidInput
from graph.identity import PersonKeys, normalize_email, normalize_linkedin_url, person_id_for
from graph.model import Evidence, ImportBatch, Person, Relationship, ordered_relationship
from graph.store.codec import rated_evidence_json
from loaders.csvsource import check_width, norm_header
from loaders.csvsource import decode_text as decode
from loaders.options import LoadOptions
from loaders.report import ImportReport

EDGE_COLUMNS = ("source", "target", "strength")
PEOPLE_COLUMNS = ("id", "name", "company", "position", "email", "url")

Notes = tuple[tuple[str, str], ...]
EdgeRow = tuple[int, str, str, float | None, Notes]
"""One parsed edge: ``(line, source, target, rating, notes)``, endpoints as written
(resolved to ids later). A plain tuple: a million rows are a million of these."""
_UNSEEN = object()


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
    get = values.get
    return _person(
        get("id", ""),
        get("name", ""),
        get("company", ""),
        get("position", ""),
        get("email", ""),
        get("url", ""),
        file=file,
        line=line,
        prefix=prefix,
    )


def _person(
    pid: str,
    name: str,
    company: str,
    position: str,
    email_raw: str,
    url_raw: str,
    *,
    file: str,
    line: int | None,
    prefix: str = "",
) -> Person:
    pid = pid.strip()
    if not pid:
        raise InvalidInput("empty id", file=file, line=line, field=prefix + "id")
    email_raw, url_raw = email_raw.strip(), url_raw.strip()
    email = normalize_email(email_raw) if email_raw else ""
    url = normalize_linkedin_url(url_raw) if url_raw else ""
    if email_raw and not email:
        raise InvalidInput(
            f"not an email address: {email_raw!r}", file=file, line=line, field=prefix + "email"
        )
    if url_raw and not url:
        raise InvalidInput(
            f"not a LinkedIn profile URL: {url_raw!r}", file=file, line=line, field=prefix + "url"
        )
    return Person(pid, name.strip(), company.strip(), position.strip(), email, url)


def _malformed(exc: csv.Error, file: str, line: int) -> InvalidInput:
    """Strict quoting: an unterminated quote would otherwise swallow the rest of the
    file into one field and import a different graph without a word."""
    return InvalidInput(f"malformed CSV: {exc}", file=file, line=line)


def _blank(rec: Sequence[str]) -> bool:
    """Blank lines (spreadsheets leave them at the end of files) are skipped."""
    return not any(cell.strip() for cell in rec)


def _header(
    reader: Iterator[list[str]], file: str, required: Sequence[str]
) -> tuple[list[str], list[str], int]:
    """Normalised and original column names of the first non-blank row, and the line
    the next record starts on."""
    line = 1
    for rec in reader:
        check_width(rec, file, line)
        if not _blank(rec):
            break
        line = reader.line_num + 1  # type: ignore[attr-defined]
    else:
        raise InvalidInput("the file is empty", file=file, line=1, field=required[0])
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
    return names, [c.strip() for c in rec], reader.line_num + 1  # type: ignore[attr-defined]


def _check_width(rec: Sequence[str], names: Sequence[str], file: str, line: int) -> None:
    if len(rec) != len(names):
        field = names[len(rec)] if len(rec) < len(names) else f"#{len(names) + 1}"
        raise InvalidInput(
            f"row has {len(rec)} fields, header has {len(names)}", file=file, line=line, field=field
        )


def _reader(text: str) -> Any:
    return csv.reader(io.StringIO(text, newline=""), strict=True)


_UNPARSED = -1.0  # never a strength: marks a strength text not seen yet


def parse_edges_csv(text: str, file: str) -> list[EdgeRow]:
    """Edge rows of a CSV edge list, each with the physical line it starts on.

    One loop over ``csv.reader`` with the checks inline: a million rows make every
    per-row call count. A row's strength text is parsed once per distinct text (a
    file has a few thousand), and a row that fails any check is handed to the same
    checks as before for its located error.

    >>> parse_edges_csv("source,target,strength,context\\na,b,0.5,school\\n", "e.csv")
    [(2, 'a', 'b', 0.5, (('context', 'school'),))]
    >>> parse_edges_csv('source,target\\n"a\\nb",c\\nd,"e\\n', "e.csv")
    Traceback (most recent call last):
    ...
    graph.errors.InvalidInput: e.csv:4: malformed CSV: unexpected end of data
    """
    reader = _reader(text)
    nxt = 1  # the line the next record starts on
    try:
        names, originals, nxt = _header(reader, file, ("source", "target"))
        width = len(names)
        extra = [(i, originals[i]) for i, n in enumerate(names) if n not in EDGE_COLUMNS]
        i_source, i_target = names.index("source"), names.index("target")
        i_strength = names.index("strength") if "strength" in names else -1
        # One note column (the common case) without a generator per row.
        i_note, note_column = extra[0] if len(extra) == 1 else (-1, "")
        ratings: dict[str, float | None] = {}
        out: list[EdgeRow] = []
        append = out.append
        rating: float | None = None
        notes: Notes = ()
        for rec in reader:
            line = nxt
            nxt = reader.line_num + 1
            if len(rec) != width:
                check_width(rec, file, line)
                if _blank(rec):
                    continue
                _check_width(rec, names, file, line)
            if i_strength >= 0:
                raw = rec[i_strength]
                rating = ratings.get(raw, _UNPARSED)
                if rating == _UNPARSED:
                    rating = ratings[raw] = parse_strength(raw, file=file, line=line)
            source, target = rec[i_source].strip(), rec[i_target].strip()
            if not source or not target or source == target:
                if _blank(rec):
                    continue
                _check_ends(line, source, target, file)
            if i_note >= 0:
                note = rec[i_note].strip()
                notes = ((note_column, note),) if note else ()
            elif extra:
                notes = tuple((column, v) for i, column in extra if (v := rec[i].strip()))
            append((line, source, target, rating, notes))
    except csv.Error as exc:
        raise _malformed(exc, file, nxt) from exc
    return out


def _check_ends(line: int, source: str, target: str, file: str) -> None:
    if not source:
        raise InvalidInput("empty source", file=file, line=line, field="source")
    if not target:
        raise InvalidInput("empty target", file=file, line=line, field="target")
    if source == target:
        raise InvalidInput(f"self-loop on {source!r}", file=file, line=line, field="target")


def parse_people_csv(text: str, file: str) -> list[Person]:
    """People from an ``id,name,company,position,email,url`` CSV (only ``id`` required).

    >>> [(p.id, p.name, p.email) for p in parse_people_csv("id,name,email\\na,A,A@b.co", "p.csv")]
    [('a', 'A', 'a@b.co')]
    """
    return list(iter_people_csv(text, file))


def iter_people_csv(text: str, file: str) -> Iterator[Person]:
    """:func:`parse_people_csv` one person at a time (a first load streams them)."""
    reader = _reader(text)
    nxt = 1
    try:
        names, _, nxt = _header(reader, file, ("id",))
        width = len(names)
        columns = [names.index(c) if c in names else -1 for c in PEOPLE_COLUMNS]
        for rec in reader:
            line = nxt
            nxt = reader.line_num + 1
            if len(rec) != width:
                check_width(rec, file, line)
                if _blank(rec):
                    continue
                _check_width(rec, names, file, line)
            values = [rec[i] if i >= 0 else "" for i in columns]
            if not values[0].strip() and _blank(rec):
                continue
            pid, name, company, position, email, url = values
            yield _person(pid, name, company, position, email, url, file=file, line=line)
    except csv.Error as exc:
        raise _malformed(exc, file, nxt) from exc


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
    source, target = source.strip(), target.strip()
    _check_ends(i, source, target, file)
    return (i, source, target, rating, notes)


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
    >>> [(source, target) for _line, source, target, _rating, _notes in edges]
    [('a', '2')]
    >>> [p.id for p in people]
    ['a']
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
    """Who an endpoint names: an id, else a LinkedIn URL or email of a known person.

    ``asked`` collects every key :meth:`resolve` looks a known person up by.
    """

    def __init__(self, people: Iterable[Person], asked: PersonKeys | None = None) -> None:
        self.asked = asked
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
        asked = self.asked
        if asked is not None:
            asked.ids.add(ref)
        if ref in self.ids:
            return ref, None
        url = normalize_linkedin_url(ref) if "linkedin" in ref.casefold() else ""
        if url:
            if asked is not None:
                asked.urls.add(url)
                asked.ids.add(person_id_for(url, "", "", ""))
            if url in self.urls:
                return self.urls[url], None
            pid = person_id_for(url, "", "", "")
            return pid, None if pid in self.ids else Person(pid, name=url, url=url)
        email = normalize_email(ref) if "@" in ref else ""
        if email:
            if asked is not None:
                asked.emails.add(email)
                asked.ids.add(person_id_for("", email, "", ""))
            if email in self.emails:
                return self.emails[email], None
            pid = person_id_for("", email, "", "")
            return pid, None if pid in self.ids else Person(pid, name=email, email=email)
        return ref, Person(ref, name=ref)


@dataclass(slots=True)
class Resolution:
    """Who each row's endpoints are, and the people the batch writes."""

    pairs: list[tuple[str, str]]  # per row: the two ids its ends name, ordered (a < b)
    people: list[Person]  # the people file's (names filled in), then the created ones
    created: int


def _resolving(
    directory: _Directory,
) -> tuple[Callable[[str], str], dict[str, Person], dict[str, str]]:
    """``resolve(ref)``: the id an endpoint names, a new person added to ``directory``
    (and to ``created``) when nobody known has it; ``memo`` keeps each ref's id."""
    created: dict[str, Person] = {}
    memo: dict[str, str] = {}

    def resolve(ref: str) -> str:
        pid, new = directory.resolve(ref)
        if new is not None:
            directory.add(new)
            created[pid] = new
        memo[ref] = pid
        return pid

    return resolve, created, memo


def resolve_endpoints(
    edges: Sequence[EdgeRow],
    people: Sequence[Person],
    *,
    file: str,
    existing: Iterable[Person] = (),
    report: ImportReport,
    asked: PersonKeys | None = None,
) -> Resolution:
    """Resolve every row's endpoints (see :func:`assemble_batch` for the rules).

    An endpoint that is a known id costs one dict lookup; any other text (a URL, an
    email, a new name) is resolved once and remembered, which gives the same answer
    as resolving it again: the directory only ever learns what that first answer
    made it learn. ``asked`` collects every key a known person is looked up by.
    """
    known = {p.id: p for p in existing}
    if asked is not None:  # a listed person without a name takes the known one's
        asked.ids.update(p.id for p in people)
    listed: dict[str, Person] = {}
    for p in people:
        if p.id in listed:
            report.notes.append(f"{file}: person {p.id!r} listed twice: the later entry wins")
        name = p.name or (known[p.id].name if p.id in known else p.id)
        listed[p.id] = p if name == p.name else replace(p, name=name)
    directory = _Directory([*known.values(), *listed.values()], asked)
    ids = directory.ids
    resolve, created, memo = _resolving(directory)

    pairs: list[tuple[str, str]] = []
    append = pairs.append
    for line, source, target, _rating, _notes in edges:
        a = source if source in ids else memo.get(source) or resolve(source)
        b = target if target in ids else memo.get(target) or resolve(target)
        if a < b:
            append((a, b))
        elif b < a:
            append((b, a))
        else:
            raise InvalidInput(
                f"self-loop: {source!r} and {target!r} are the same person",
                file=file,
                line=line,
                field="target",
            )
    return Resolution(pairs, [*listed.values(), *created.values()], len(created))


def batch_of(
    edges: Sequence[EdgeRow],
    resolution: Resolution,
    *,
    file: str,
    owner: str,
    report: ImportReport,
) -> ImportBatch:
    """Relationships with ``owner`` provenance from resolved rows; fills ``report``.

    Rows that say the same thing (same rating, same notes) share one frozen
    ``Evidence``: an edge list of a million rows has a few thousand distinct ones, and
    a store can encode each once (:func:`graph.store.codec.evidence_json_column`).
    The ends are ordered here and :func:`resolve_endpoints` refused self-loops, so
    relationships are made without re-checking each one.
    """
    pairs = resolution.pairs
    # Each pair keeps its first row's place and its last row's index: the later row wins.
    unique = dict(zip(pairs, range(len(pairs)), strict=True))
    if len(unique) < len(pairs):
        last: dict[tuple[str, str], int] = {}
        for i, pair in enumerate(pairs):
            before = last.get(pair)
            if before is not None:
                report.notes.append(
                    f"{file}:{edges[i][0]}: repeats the edge {pair[0]} - {pair[1]} of line "
                    f"{edges[before][0]}: the later row wins"
                )
            last[pair] = i
    shared: dict[tuple[float | None, Notes], tuple[Evidence, ...]] = {}
    relationships: list[Relationship] = []
    append = relationships.append
    for (a, b), i in unique.items():
        _line, _source, _target, rating, notes = edges[i]
        evidence = shared.get((rating, notes))
        if evidence is None:
            evidence = shared[rating, notes] = (Evidence(owner, rating=rating, notes=notes),)
        append(ordered_relationship(a, b, evidence))
    batch = ImportBatch(people=resolution.people, relationships=relationships)
    report.people = len(batch.people)
    report.relationships = len(batch.relationships)
    if resolution.created:
        report.notes.append(
            f"{resolution.created} endpoints not in a people file became people named by their id"
        )
    return batch


def assemble_batch(
    edges: Sequence[EdgeRow],
    people: Sequence[Person],
    *,
    file: str,
    owner: str,
    existing: Iterable[Person] = (),
    report: ImportReport,
    asked: PersonKeys | None = None,
) -> ImportBatch:
    """Resolve endpoints, build relationships with ``owner`` provenance, fill ``report``.

    An endpoint is an id from the people file or the store; failing that a
    LinkedIn URL or email of a known person (PersonRef rules); failing that a new
    person named by the endpoint. Duplicate edges: the later row wins.
    """
    resolution = resolve_endpoints(
        edges, people, file=file, existing=existing, report=report, asked=asked
    )
    return batch_of(edges, resolution, file=file, owner=owner, report=report)


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
    asked: PersonKeys | None = None,
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
    asked : PersonKeys, optional
        Collects every key the load looks a known person up by.

    Raises
    ------
    InvalidInput
        On the first bad row, naming file, line and field; nothing is returned,
        so nothing can be half-written.
    """
    text = _text(path)
    owner = owner or f"file:{path.name}"
    with collector_paused():  # millions of acyclic objects: see graph.bulk
        if _looks_like_json(path, text):
            edges, people = parse_edges_json(text, path.name)
        else:
            edges, people = parse_edges_csv(text, path.name), []
        del text  # a large file's text is not kept while its rows are resolved
        if people_path is not None:
            people += parse_people_csv(_text(people_path), people_path.name)
        if progress is not None:
            progress(len(edges) + len(people))
        report = ImportReport(source=path.name)  # never a server path
        batch = assemble_batch(
            edges,
            people,
            file=path.name,
            owner=owner,
            existing=existing,
            report=report,
            asked=asked,
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
            asked=options.asked,
        )


# -- a first load, streamed -----------------------------------------------------------
STREAM_CHUNK = 50_000
"""Evidence rows per chunk handed to a :class:`RowSink` (a few MiB on the wire)."""
FIRST_CHUNK = 2_000
"""People in the first chunk; each next one is twice as big, up to :data:`STREAM_CHUNK`."""
PersonFields = tuple[str, str, str, str, str, str]
EdgeRecord = tuple[str, int, str]
"""``(owner, interactions, data)``: the columns a distinct record of an edge list gives
its rows (its interactions are 0: an edge list has no counts)."""


class RowSink(Protocol):
    """Where :func:`stream_edges_csv` sends the store's rows as it makes them (the
    first-load writer process, graph.store.first_load.FirstLoad)."""

    def ready(self) -> bool: ...

    def people(self, rows: list[PersonFields]) -> None: ...

    def people_done(self) -> None: ...

    def evidence(
        self, a: list[str], b: list[str], kinds: list[int], records: list[EdgeRecord]
    ) -> None: ...

    def finish(self, pairs: Collection[tuple[str, str]], people: Collection[str]) -> None: ...

    def commit(self) -> int: ...


def _fields(p: Person) -> PersonFields:
    return (p.id, p.name, p.company, p.position, p.email, p.url)


def stream_edges_csv(
    path: Path,
    *,
    people_path: Path | None,
    sink: RowSink,
    owner: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport | None:
    """:func:`load_edges` of a CSV edge list into an empty store, with no batch: the
    people file's rows go to ``sink`` first, then each chunk of evidence rows as soon as
    it is parsed and resolved, so a writer process stores them meanwhile; then commit.

    Same rows and report as :func:`load_edges` followed by ``apply_sync`` into an empty
    store (``existing`` is empty): the people file's later entry wins, names are filled
    in, endpoints resolve by id, LinkedIn URL or email, evidence rows go in file order and
    the writer keeps a pair's later row. Edge-list evidence has no directional counts, so
    ordering a pair's ends changes nothing in its record.

    Raises :class:`InvalidInput` on a bad row like the batch path, but the order of its
    checks differs (the people file first): callers abort the sink and let the batch
    path name the error. None: the sink refused (the store is not empty) or the file is
    JSON.
    """
    file = path.name
    text = _text(path)
    if _looks_like_json(path, text):
        return None
    report = ImportReport(source=file)
    if not sink.ready():
        return None
    listed = _stream_people(people_path, file, sink, report)
    sink.people_done()
    seen, created = _stream_edges(
        text, file, owner or f"file:{file}", listed, sink, report, progress
    )
    if created:
        sink.people([_fields(created[pid]) for pid in sorted(created)])
    sink.finish(seen.keys(), [*listed, *created])
    report.people = len(listed) + len(created)
    report.relationships = len(seen)
    if created:
        report.notes.append(
            f"{len(created)} endpoints not in a people file became people named by their id"
        )
    del seen, listed, created  # freed (~0.2 s at 1M ties) while the writer commits
    sink.commit()
    return report


def _stream_people(
    people_path: Path | None, file: str, sink: RowSink, report: ImportReport
) -> dict[str, Person]:
    """Send the people file's rows as they are parsed (a person listed again is sent
    again: the writer keeps the later row); its people by id, names filled in."""
    listed: dict[str, Person] = {}
    if people_path is None:
        return listed
    chunk: list[PersonFields] = []
    size = FIRST_CHUNK  # small at first: the writer starts while the parser goes on
    for p in iter_people_csv(_text(people_path), people_path.name):
        if p.id in listed:
            report.notes.append(f"{file}: person {p.id!r} listed twice: the later entry wins")
        person = listed[p.id] = p if p.name else replace(p, name=p.id)
        chunk.append(_fields(person))
        if len(chunk) == size:
            sink.people(chunk)
            chunk = []
            size = min(2 * size, STREAM_CHUNK)
    if chunk:
        sink.people(chunk)
    return listed


def _stream_edges(  # noqa: PLR0912, PLR0915 -- one loop: a million rows make every call count
    text: str,
    file: str,
    owner: str,
    listed: dict[str, Person],
    sink: RowSink,
    report: ImportReport,
    progress: Callable[[int], None] | None,
) -> tuple[dict[tuple[str, str], int], dict[str, Person]]:
    """Parse, check and resolve the edge rows, sending them in chunks; each pair's
    latest line, and the people the endpoints created. The checks are
    :func:`parse_edges_csv`'s; a row's record is found by its strength text and note
    (two dict lookups, no tuple per row)."""
    directory = _Directory(listed.values())
    resolve, created, memo = _resolving(directory)
    # Each known id maps to its own string: rows then hold (and the writer receives) one
    # string per person, not two fresh copies per row (~140 MB at 1M ties).
    memo.update((pid, pid) for pid in directory.ids)

    seen: dict[tuple[str, str], int] = {}  # pair -> the line of its latest row
    setdefault = seen.setdefault
    # strength text -> (rating, note key -> record index); a record is sent once.
    by_strength: dict[str, tuple[float | None, dict[object, int]]] = {}
    shared: dict[tuple[float | None, Notes], int] = {}
    records: list[EdgeRecord] = []
    col_a: list[str] = []
    col_b: list[str] = []
    col_k: list[int] = []
    sent = 0
    reader = _reader(text)
    nxt = 1
    try:
        names, originals, nxt = _header(reader, file, ("source", "target"))
        width = len(names)
        extra = [(i, originals[i]) for i, n in enumerate(names) if n not in EDGE_COLUMNS]
        i_source, i_target = names.index("source"), names.index("target")
        i_strength = names.index("strength") if "strength" in names else -1
        i_note, note_column = extra[0] if len(extra) == 1 else (-1, "")
        many = len(extra) > 1
        key: object = ""
        for rec in reader:
            line = nxt
            nxt = reader.line_num + 1
            if len(rec) != width:
                check_width(rec, file, line)
                if _blank(rec):
                    continue
                _check_width(rec, names, file, line)
            raw = rec[i_strength] if i_strength >= 0 else ""
            known = by_strength.get(raw)
            if known is None:
                rating = parse_strength(raw, file=file, line=line) if i_strength >= 0 else None
                known = by_strength[raw] = (rating, {})
            source, target = rec[i_source].strip(), rec[i_target].strip()
            if not source or not target or source == target:
                if _blank(rec):
                    continue
                _check_ends(line, source, target, file)
            if i_note >= 0:
                key = rec[i_note].strip()
            elif many:
                key = tuple((column, v) for i, column in extra if (v := rec[i].strip()))
            kind = known[1].get(key)
            if kind is None:
                rating = known[0]
                notes: Notes = (
                    key  # type: ignore[assignment]
                    if many
                    else (((note_column, key),) if key else ())
                )
                kind = shared.get((rating, notes))
                if kind is None:
                    kind = shared[rating, notes] = len(shared)
                    records.append((owner, 0, rated_evidence_json(rating, notes)))
                known[1][key] = kind
            a = memo.get(source) or resolve(source)
            b = memo.get(target) or resolve(target)
            if b < a:
                a, b = b, a
            elif a == b:
                raise InvalidInput(
                    f"self-loop: {source!r} and {target!r} are the same person",
                    file=file,
                    line=line,
                    field="target",
                )
            before = setdefault((a, b), line)
            if before != line:
                report.notes.append(
                    f"{file}:{line}: repeats the edge {a} - {b} of line {before}: "
                    "the later row wins"
                )
                seen[a, b] = line
            col_a.append(a)
            col_b.append(b)
            col_k.append(kind)
            if len(col_k) == STREAM_CHUNK:
                sink.evidence(col_a, col_b, col_k, records)
                sent += len(col_k)
                col_a, col_b, col_k, records = [], [], [], []
                if progress is not None:
                    progress(len(listed) + sent)
    except csv.Error as exc:
        raise _malformed(exc, file, nxt) from exc
    if col_k:
        sink.evidence(col_a, col_b, col_k, records)
    return seen, created
