"""A LinkedIn data export on disk (folder, .zip or lone Connections.csv) to a batch.

File handling lives here; parsing is in :mod:`loaders.linkedin`. Archives are read
defensively and nothing is ever extracted to disk: member paths that could escape
are refused, and sizes are capped while streaming (header sizes are checked first
but never trusted), so a zip bomb or an oversized member is refused before it
fills memory.
"""

from __future__ import annotations

import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path, PurePosixPath
from typing import IO

from graph.errors import InvalidInput
from graph.identity import PersonKeys, normalize_linkedin_url, person_id_for
from graph.model import Evidence, ImportBatch, Member, Person, Relationship, canonical_pair
from loaders import linkedin as li
from loaders.csvsource import decode_text
from loaders.identity import IdentityResolver
from loaders.options import LoadOptions
from loaders.report import ImportReport, SkippedRow

Progress = Callable[[int], None]

MIB = 1024 * 1024
KNOWN_FILES = {
    "connections.csv": "connections",
    "messages.csv": "messages",
    "invitations.csv": "invitations",
    "profile.csv": "profile",
    "positions.csv": "positions",
    "education.csv": "education",
    "endorsement_received_info.csv": "endorsements_received",
    "endorsement_given_info.csv": "endorsements_given",
    "recommendations_received.csv": "recommendations_received",
    "recommendations_given.csv": "recommendations_given",
}
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


@dataclass(frozen=True, slots=True)
class ExportLimits:
    """Caps on what an export may expand to; a breach is an ``InvalidInput``.

    Real exports are a few MiB; the defaults leave room for decades of messages
    while refusing bombs. A ratio only counts for members over ``ratio_floor``
    bytes, since tiny files compress absurdly well.
    """

    max_total_bytes: int = 200 * MIB
    max_file_bytes: int = 150 * MIB
    max_ratio: float = 100.0
    ratio_floor: int = 1 * MIB
    max_members: int = 20_000


DEFAULT_LIMITS = ExportLimits()


@dataclass(frozen=True, slots=True)
class ExportFile:
    """One known file of the export, decoded; ``name`` is how errors refer to it.

    ``text`` is the raw file (message bodies included) and lives only as long as
    the import; it is left out of ``repr`` and nothing built from it keeps it.
    """

    name: str
    text: str = field(repr=False)
    encoding: str = "utf-8-sig"


@dataclass(slots=True)
class LinkedInExport:
    """The export's known files, keyed by kind (``connections``, ``messages`` …)."""

    source: str
    files: dict[str, ExportFile] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _kind_of(name: str) -> str | None:
    return KNOWN_FILES.get(PurePosixPath(name.replace("\\", "/")).name.casefold())


def _unsafe(name: str) -> bool:
    path = name.replace("\\", "/")
    return (
        path.startswith("/")
        or (len(path) > 1 and path[1] == ":")  # C:/… drive paths
        or ".." in PurePosixPath(path).parts
        or "\x00" in path
    )


def _read_capped(stream: IO[bytes], cap: int) -> bytes | None:
    """Read at most ``cap`` bytes from a binary stream; None if it holds more."""
    read = stream.read
    chunks: list[bytes] = []
    size = 0
    while chunk := read(min(1 * MIB, cap + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > cap:
            return None
    return b"".join(chunks)


def _read_zip(path: Path, limits: ExportLimits) -> tuple[dict[str, tuple[str, bytes]], list[str]]:
    label = path.name
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InvalidInput(
            f"not a readable zip archive (truncated or corrupt): {exc}", file=label
        ) from exc
    out: dict[str, tuple[str, bytes]] = {}
    notes: list[str] = []
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_members:
            raise InvalidInput(
                f"archive has {len(infos)} members (limit {limits.max_members})", file=label
            )
        for info in infos:  # refuse the whole archive if any member could escape
            if _unsafe(info.filename):
                raise InvalidInput(
                    f"unsafe path in archive: {info.filename!r}", file=label, field=info.filename
                )
        # Shallowest copy of each known file wins (some exports nest a folder).
        wanted: dict[str, zipfile.ZipInfo] = {}
        for info in sorted(infos, key=lambda i: (i.filename.count("/"), i.filename)):
            kind = _kind_of(info.filename)
            if info.is_dir() or kind is None:
                continue
            if kind in wanted:
                notes.append(f"{label}: ignored a second copy at {info.filename}")
                continue
            wanted[kind] = info
        declared = sum(i.file_size for i in wanted.values())
        if declared > limits.max_total_bytes:
            raise InvalidInput(
                f"archive would expand to {declared} bytes (limit {limits.max_total_bytes})",
                file=label,
            )
        total = 0
        for kind, info in wanted.items():
            name = info.filename
            if info.file_size > limits.max_file_bytes:
                raise InvalidInput(
                    f"{name} is too large ({info.file_size} bytes, limit {limits.max_file_bytes})",
                    file=label,
                    field=name,
                )
            # Headers can lie: cap the stream by file size, total budget and ratio.
            ratio_cap = max(limits.ratio_floor, int(limits.max_ratio * max(info.compress_size, 1)))
            cap = min(limits.max_file_bytes, limits.max_total_bytes - total, ratio_cap)
            try:
                with archive.open(info) as stream:
                    data = _read_capped(stream, cap)
            except (
                zipfile.BadZipFile,
                OSError,
                EOFError,
                zlib.error,
                NotImplementedError,
                RuntimeError,
            ) as exc:
                raise InvalidInput(
                    f"corrupt or unreadable archive member: {exc}", file=label, field=name
                ) from exc
            if data is None:
                why = (
                    f"expands more than {limits.max_ratio:.0f}x: refusing a likely zip bomb"
                    if cap == ratio_cap
                    else f"expands beyond the size limit ({cap} bytes)"
                )
                raise InvalidInput(f"{name} {why}", file=label, field=name)
            total += len(data)
            out[kind] = (f"{label}!{name}", data)
    return out, notes


def _read_file(path: Path, limits: ExportLimits, label: str) -> bytes:
    try:
        with path.open("rb") as f:
            data = _read_capped(f, limits.max_file_bytes)
    except OSError as exc:
        raise InvalidInput(f"cannot read: {exc.strerror}", file=label) from exc
    if data is None:
        raise InvalidInput(f"file is larger than {limits.max_file_bytes} bytes", file=label)
    return data


def _read_folder(
    path: Path, limits: ExportLimits
) -> tuple[dict[str, tuple[str, bytes]], list[str]]:
    out: dict[str, tuple[str, bytes]] = {}
    notes: list[str] = []
    total = 0
    found = sorted(
        (f for f in path.rglob("*") if _kind_of(f.name) and f.is_file()),
        key=lambda f: (len(f.relative_to(path).parts), str(f)),
    )
    for f in found:
        kind = _kind_of(f.name)
        assert kind is not None
        label = str(f)
        if kind in out:
            notes.append(f"ignored a second {f.name} at {label}")
            continue
        data = _read_file(f, limits, label)
        total += len(data)
        if total > limits.max_total_bytes:
            raise InvalidInput(
                f"export is larger than {limits.max_total_bytes} bytes", file=str(path)
            )
        out[kind] = (label, data)
    return out, notes


def read_linkedin_export(
    path: Path,
    *,
    limits: ExportLimits = DEFAULT_LIMITS,
    progress: Progress | None = None,
) -> LinkedInExport:
    """Read and decode the known files of an export folder, its .zip, or a lone CSV.

    Parameters
    ----------
    path
        A folder (files may sit in subfolders), a .zip, or one Connections.csv.
        File names are matched case-insensitively.
    limits
        Size, ratio and member-count caps for untrusted archives.
    progress
        Unused while reading (reading is fast); accepted so callers can pass one
        callback to every stage.

    Raises
    ------
    InvalidInput
        Unsafe or oversized archive, undecodable or binary file, or no Connections.csv.
    """
    del progress
    if not path.exists():
        raise InvalidInput("no such file or folder", file=str(path))
    if path.is_dir():
        raw, notes = _read_folder(path, limits)
    else:
        try:
            with path.open("rb") as f:
                magic = f.read(4)
        except OSError as exc:
            raise InvalidInput(f"cannot read: {exc.strerror}", file=str(path)) from exc
        if path.suffix.casefold() == ".zip" or magic in _ZIP_MAGIC:
            raw, notes = _read_zip(path, limits)
        else:
            kind = _kind_of(path.name) or "connections"  # a renamed lone Connections.csv
            raw, notes = {kind: (str(path), _read_file(path, limits, str(path)))}, []
            # The owner's own files beside a lone Connections.csv say whose export it is.
            for sibling in sorted(path.parent.iterdir()):
                own = _kind_of(sibling.name)
                if own in _OWNER_FILES and own not in raw and sibling.is_file():
                    raw[own] = (str(sibling), _read_file(sibling, limits, str(sibling)))
                    notes.append(f"{sibling.name} beside {path.name} read for the export's owner")
    if "connections" not in raw:
        raise InvalidInput(
            f"{path.name} has no Connections.csv", file=str(path), field="Connections.csv"
        )
    export = LinkedInExport(source=str(path), notes=notes)
    for kind, (name, data) in raw.items():
        text, encoding = decode_text(data, name)
        export.files[kind] = ExportFile(name, text, encoding)
        if encoding not in ("utf-8-sig", "utf-8"):
            export.notes.append(f"{name}: decoded as {encoding} (not UTF-8; an Excel re-save?)")
    return export


# -- building the batch -------------------------------------------------------------------
_OWNER_FILES = frozenset({"profile", "positions", "education"})
"""What a lone Connections.csv borrows from its folder: who the owner is, nothing more."""


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _infer_owner_url(export: LinkedInExport, owner_name: str) -> str:
    """The owner's profile URL from their own sent messages (2022+ exports carry it)."""
    f = export.files.get("messages")
    if f is None or not owner_name:
        return ""
    try:
        table = li.find_table(f.text, f.name, ("from", "to", "date"))
    except InvalidInput:
        return ""  # reported when the file is parsed for real
    i_from, i_url = table.columns["from"], table.columns.get("sender profile url")
    if i_url is None:
        return ""
    key = _fold(owner_name)
    votes: Counter[str] = Counter()
    for n, (_line, rec) in enumerate(table.records):
        if n >= 5000:  # plenty to vote
            break
        if len(rec) > max(i_from, i_url) and _fold(rec[i_from]) == key:
            url = normalize_linkedin_url(rec[i_url])
            if url:
                votes[url] += 1
    return votes.most_common(1)[0][0] if votes else ""


def _owner_of(export: LinkedInExport, owner: Person | None) -> tuple[Person, list[str]]:
    """The owner with employers and schools from their own files, and those schools."""
    positions = (
        li.parse_positions(export.files["positions"].text, export.files["positions"].name)
        if "positions" in export.files
        else []
    )
    schools = (
        li.parse_education(export.files["education"].text, export.files["education"].name)
        if "education" in export.files
        else []
    )
    if owner is None:
        profile_file = export.files.get("profile")
        if profile_file is None:
            raise InvalidInput(
                "cannot tell whose export this is: no Profile.csv; pass --owner",
                file=export.source,
                field="owner",
            )
        profile = li.parse_profile(profile_file.text, profile_file.name)
        url = profile.url or _infer_owner_url(export, profile.name)
        current = next((p for p in positions if p.current), None)
        company = current.company if current else ""
        owner = Person(
            id=person_id_for(url, "", profile.name, company),
            name=profile.name,
            company=company,
            position=current.title if current else profile.headline,
            url=url,
        )
    else:
        if owner.name in ("", owner.email) and "profile" in export.files:
            # Named only by an email: the export's own Profile.csv says who they are.
            f = export.files["profile"]
            profile = li.parse_profile(f.text, f.name)
            current = next((p for p in positions if p.current), None)
            owner = replace(
                owner,
                name=profile.name,
                url=owner.url or profile.url,
                company=owner.company or (current.company if current else ""),
                position=owner.position or (current.title if current else profile.headline),
            )
        if not owner.url:
            owner = replace(owner, url=_infer_owner_url(export, owner.name))
    employers = tuple(dict.fromkeys((*owner.employers, *(p.company for p in positions))))
    all_schools = tuple(dict.fromkeys((*owner.schools, *schools)))
    return replace(owner, schools=all_schools, employers=employers), list(all_schools)


@dataclass(slots=True)
class _Tie:
    """What the owner's export says about one contact, before it becomes Evidence."""

    person: Person
    line: int
    connected_on: date | None = None
    contact: li.Contact | None = None

    def add(self, contact: li.Contact) -> None:
        if self.contact is None:
            self.contact = contact
        else:
            self.contact.absorb(contact)


@dataclass(slots=True)
class _Ties:
    """The owner's contacts by person id, with lookups to attach counterparts."""

    owner: Person
    by_id: dict[str, _Tie] = field(default_factory=dict)
    by_url: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, list[str]] = field(default_factory=dict)

    def find(self, contact: li.Contact) -> str | None:
        """The connection a counterpart is: by URL, else by a name only one of them has.

        Raises ``LookupError`` when several connections share the name.
        """
        pid = self.by_url.get(contact.url) if contact.url else None
        if pid is not None or not contact.name:
            return pid
        # A URL-bearing counterpart never lands on a connection with another URL (the
        # same URL is fine: identity resolution may have given a URL-less row its URL).
        ids = [
            i
            for i in self.by_name.get(li.name_key(contact.name), ())
            if not (contact.url and self.by_id[i].person.url not in ("", contact.url))
        ]
        if len(ids) > 1:
            raise LookupError(contact.name)
        return ids[0] if ids else None


def _folded(values: Iterable[str]) -> dict[str, str]:
    return {_fold(v): v for v in values if v.strip()}


def _shared(mine: dict[str, str], theirs: Iterable[str]) -> tuple[str, ...]:
    """Owner's values equal (case/whitespace-insensitive) to one of theirs, owner's spelling."""
    found: list[str] = []
    if mine:
        for t in theirs:
            v = mine.get(_fold(t)) if t else None
            if v is not None and v not in found:
                found.append(v)
    return tuple(found)


def _parse_counterparts(
    export: LinkedInExport,
    owner: Person,
    contacts: li.Contacts,
    progress: Progress | None,
    rows: int,
) -> tuple[list[li.Parsed], int]:
    """Messages, invitations, endorsements, recommendations into ``contacts``."""
    results: list[li.Parsed] = []
    for kind, f in export.files.items():
        if kind == "messages":
            sub = li.parse_messages(
                f.text,
                f.name,
                owner_name=owner.name,
                owner_url=owner.url,
                contacts=contacts,
                progress=progress,
                progress_base=rows,
            )
        elif kind == "invitations":
            sub = li.parse_invitations(
                f.text, f.name, owner_name=owner.name, owner_url=owner.url, contacts=contacts
            )
        elif kind.startswith("endorsements_"):
            received = kind.endswith("received")
            sub = li.parse_endorsements(f.text, f.name, received=received, contacts=contacts)
        elif kind.startswith("recommendations_"):
            sub = li.parse_recommendations(f.text, f.name, contacts=contacts)
        else:
            continue
        results.append(sub)
        rows += sub.rows
    # The owner appears in their own group threads and endorsement lists.
    if owner.url:
        contacts.pop(owner.url, None)
    contacts.pop(li.name_key(owner.name), None)
    return results, rows


def _connection_ties(
    parsed: li.Parsed, owner: Person, resolver: IdentityResolver, report: ImportReport
) -> _Ties:
    """One tie per distinct person among the connections; self-connections skipped."""
    ties = _Ties(owner)
    for c in parsed.connections:
        incoming = Person(
            id=person_id_for(c.url, c.email, c.name, c.company),
            name=c.name,
            company=c.company,
            position=c.position,
            email=c.email,
            url=c.url,
        )
        is_self = bool(owner.url and c.url == owner.url) or bool(
            owner.email and c.email == owner.email
        )
        person = owner if is_self else resolver.resolve(incoming)
        if person.id == owner.id:
            column = "URL" if c.url else "First Name"
            report.skipped.append(
                SkippedRow(parsed.file, c.line, "self-connection: the owner", column)
            )
            continue
        earlier = ties.by_id.get(person.id)
        if earlier is not None:
            reason = f"same person as line {earlier.line} ({person.id}): merged"
            report.skipped.append(SkippedRow(parsed.file, c.line, reason, None))
            continue
        ties.by_id[person.id] = _Tie(person, c.line, c.connected_on)
        if c.url:
            ties.by_url[c.url] = person.id
        ties.by_name.setdefault(li.name_key(c.name), []).append(person.id)
    return ties


def _attach_counterparts(
    contacts: li.Contacts, ties: _Ties, resolver: IdentityResolver, report: ImportReport
) -> None:
    """Counterparts onto connections; non-connections only if messages went both ways."""
    strangers: list[li.Contact] = []
    ambiguous = one_way = 0
    for contact in contacts.values():
        try:
            pid = ties.find(contact)
        except LookupError:
            ambiguous += 1
            continue
        if pid is not None:
            ties.by_id[pid].add(contact)
        elif contact.sent and contact.received:
            strangers.append(contact)
        else:
            one_way += 1
    added = 0
    for contact in strangers:
        pid = person_id_for(contact.url, "", contact.name, "")
        person = resolver.resolve(Person(pid, contact.name, url=contact.url))
        if person.id == ties.owner.id:
            continue
        if person.id not in ties.by_id:
            ties.by_id[person.id] = _Tie(person, 0)
            added += 1
        ties.by_id[person.id].add(contact)
    if added:
        report.notes.append(
            f"{added} people who are not connections exchanged messages both ways: "
            "added with a relationship"
        )
    if one_way:
        report.notes.append(
            f"{one_way} message/invitation counterparts are not connections and did not "
            "write both ways: no relationship"
        )
    if ambiguous:
        report.notes.append(
            f"{ambiguous} counterparts known only by a name several connections share: not attached"
        )


def _evidence(
    tie: _Tie, owner: Person, employers: dict[str, str], schools: dict[str, str]
) -> Relationship:
    a, b = canonical_pair(owner.id, tie.person.id)
    ct = tie.contact or li.Contact(name=tie.person.name)
    owner_is_a = a == owner.id
    evidence = Evidence(
        owner=owner.id,
        connected_on=tie.connected_on,
        messages_ab=ct.sent if owner_is_a else ct.received,  # ab: from a to b
        messages_ba=ct.received if owner_is_a else ct.sent,
        first_contact=ct.first,
        last_contact=ct.last,
        shared_employers=_shared(employers, (tie.person.company, *tie.person.employers)),
        shared_schools=_shared(schools, tie.person.schools),
        invited_with_note=ct.invited_with_note,
        endorsements=ct.endorsements,
        recommendations=ct.recommendations,
    )
    return Relationship(a, b, (evidence,))


def build_linkedin_batch(
    export: LinkedInExport,
    *,
    owner: Person | None,
    existing: Iterable[Person],
    progress: Progress | None = None,
    asked: PersonKeys | None = None,
) -> tuple[ImportBatch, ImportReport]:
    """Turn an export into one batch whose evidence all carries the owner's provenance.

    Parameters
    ----------
    export
        From :func:`read_linkedin_export`.
    owner
        Whose export it is (``--owner``); None reads Profile.csv.
    existing
        The workspace's people, for identity resolution; re-building the same
        export against the people of a first run gives the same ids and evidence.
    progress
        Called with the cumulative number of rows processed, every few thousand.
    asked
        Collects what the export looks known people up by (see
        :class:`~loaders.identity.IdentityResolver`).

    Returns
    -------
    tuple[ImportBatch, ImportReport]
        People (owner first), one relationship per contact with ONE evidence owned
        by the owner, merges, the owner as a member; and the report.

    Raises
    ------
    InvalidInput
        No owner, or a file-level problem (no header, empty Connections.csv …).
    """
    owner_person, owner_schools = _owner_of(export, owner)
    resolver = IdentityResolver(existing, asked)
    owner_person = resolver.resolve(owner_person)
    report = ImportReport(source=export.source, notes=list(export.notes))

    conn_file = export.files["connections"]
    parsed = li.parse_connections(conn_file.text, conn_file.name, progress=progress)
    contacts: li.Contacts = {}
    others, rows = _parse_counterparts(export, owner_person, contacts, progress, parsed.rows)
    for sub in (parsed, *others):
        report.skipped += sub.skipped
        report.notes += sub.notes

    ties = _connection_ties(parsed, owner_person, resolver, report)
    _attach_counterparts(contacts, ties, resolver, report)

    people: dict[str, Person] = {owner_person.id: owner_person}
    relationships: list[Relationship] = []
    interactions = 0
    employers, schools = _folded(owner_person.employers), _folded(owner_schools)
    for pid, tie in ties.by_id.items():
        people[pid] = tie.person
        relationships.append(_evidence(tie, owner_person, employers, schools))
        if tie.contact is not None:
            interactions += tie.contact.sent + tie.contact.received + tie.contact.invitations
    if progress is not None:
        progress(rows)

    batch = ImportBatch(
        people=list(people.values()),
        relationships=relationships,
        merges=list(resolver.merges),
        members=[Member(owner_person.id)],
    )
    report.people = len(people)
    report.relationships = len(relationships)
    report.interactions = interactions
    report.merges = len(resolver.merges)
    return batch, report


class LinkedInLoader:
    """The :class:`loaders.base.Loader` for LinkedIn data exports (``import linkedin``)."""

    name = "linkedin"

    def detect(self, path: Path) -> bool:
        """An export folder or .zip holding a Connections.csv, or that file itself."""
        if path.is_dir():
            return any(p.name.casefold() == "connections.csv" for p in path.rglob("*"))
        if path.suffix.casefold() == ".zip" and path.is_file():
            with zipfile.ZipFile(path) as z:
                return any(
                    n.rsplit("/", 1)[-1].casefold() == "connections.csv" for n in z.namelist()
                )
        return path.name.casefold() == "connections.csv" and path.is_file()

    def load(self, path: Path, options: LoadOptions) -> tuple[ImportBatch, ImportReport]:
        export = read_linkedin_export(path, progress=options.progress)
        return build_linkedin_batch(
            export,
            owner=options.owner,
            existing=options.existing,
            progress=options.progress,
            asked=options.asked,
        )
