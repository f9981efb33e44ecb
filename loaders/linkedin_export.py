"""A LinkedIn data export on disk (folder, .zip or lone Connections.csv) to a batch.

File handling lives here; parsing is in :mod:`loaders.linkedin`. Zip archives are
read defensively: no path escapes, and sizes are capped while streaming, so a zip
bomb or an oversized member is refused before it fills memory.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from graph.errors import InvalidInput
from graph.model import Evidence, ImportBatch, Member, Person, Relationship, canonical_pair
from loaders import linkedin as li
from loaders.csvsource import decode, find_table
from loaders.identity import IdentityResolver, normalize_name, person_id_for
from loaders.report import ImportReport, SkippedRow

Progress = Callable[[int], None]

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
MAX_MEMBER_BYTES = 150 * 1024 * 1024
MAX_TOTAL_BYTES = 300 * 1024 * 1024
MAX_RATIO = 200  # uncompressed/compressed; CSV compresses ~5-10x, bombs ~1000x


@dataclass(slots=True)
class LinkedInExport:
    """The export's known files as decoded text, keyed by kind."""

    source: str
    files: dict[str, tuple[str, str]] = field(default_factory=dict)  # kind -> (name, text)
    encodings: dict[str, str] = field(default_factory=dict)


def _kind_of(name: str) -> str | None:
    return KNOWN_FILES.get(PurePosixPath(name).name.casefold())


def _read_zip(path: Path, max_total: int) -> dict[str, tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InvalidInput(f"not a readable zip archive: {exc}", file=path.name) from exc
    out: dict[str, tuple[str, bytes]] = {}
    total = 0
    with archive:
        for info in archive.infolist():
            name = info.filename
            if name.startswith(("/", "\\")) or ".." in PurePosixPath(name.replace("\\", "/")).parts:
                raise InvalidInput(f"unsafe path in archive: {name!r}", file=path.name, field=name)
            kind = _kind_of(name)
            if info.is_dir() or kind is None or kind in out:
                continue
            if info.file_size > MAX_MEMBER_BYTES:
                raise InvalidInput(f"{name} is too large ({info.file_size} bytes)", file=path.name, field=name)
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > 1_000_000 and ratio > MAX_RATIO:
                raise InvalidInput(
                    f"{name} expands {ratio:.0f}x: refusing a likely zip bomb", file=path.name, field=name
                )
            chunks = []
            size = 0
            try:
                with archive.open(info) as stream:
                    while chunk := stream.read(1 << 20):
                        size += len(chunk)
                        total += len(chunk)
                        if size > MAX_MEMBER_BYTES or total > max_total:
                            raise InvalidInput(
                                f"archive expands beyond {max_total} bytes", file=path.name, field=name
                            )
                        chunks.append(chunk)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise InvalidInput(f"corrupt archive member {name}: {exc}", file=path.name, field=name) from exc
            out[kind] = (f"{path.name}!{name}", b"".join(chunks))
    return out


def _read_folder(path: Path) -> dict[str, tuple[str, bytes]]:
    out: dict[str, tuple[str, bytes]] = {}
    for f in sorted(path.rglob("*")):
        kind = _kind_of(f.name)
        if kind and f.is_file() and kind not in out:
            if f.stat().st_size > MAX_MEMBER_BYTES:
                raise InvalidInput(f"{f.name} is too large", file=str(f))
            out[kind] = (str(f), f.read_bytes())
    return out


def read_linkedin_export(
    path: Path, *, progress: Progress | None = None, max_total: int = MAX_TOTAL_BYTES
) -> LinkedInExport:
    """Read the known files of an export folder, its .zip, or a single CSV."""
    if not path.exists():
        raise InvalidInput("no such file or folder", file=str(path))
    if path.is_dir():
        raw = _read_folder(path)
    elif zipfile.is_zipfile(path):
        raw = _read_zip(path, max_total)
    else:
        if path.stat().st_size > MAX_MEMBER_BYTES:
            raise InvalidInput("file is too large", file=str(path))
        kind = _kind_of(path.name) or "connections"
        raw = {kind: (str(path), path.read_bytes())}
    if "connections" not in raw:
        raise InvalidInput("the export has no Connections.csv", file=str(path), field="Connections.csv")
    export = LinkedInExport(source=str(path))
    for kind, (name, data) in raw.items():
        text, encoding = decode(data, name)
        export.files[kind] = (name, text)
        export.encodings[kind] = encoding
    return export


def _infer_owner_url(export: LinkedInExport, owner_name: str) -> str:
    """The owner's profile URL from their own sent messages (newer exports carry it)."""
    if "messages" not in export.files or not owner_name:
        return ""
    name, text = export.files["messages"]
    table = find_table(text, name, ("from", "to", "date"), limit=5000)  # enough to vote
    if "sender profile url" not in table.columns:
        return ""
    key = owner_name.casefold()
    votes = Counter(
        table.get(rec, "sender profile url")
        for _line, rec in table.records
        if table.get(rec, "from").casefold() == key
    )
    for raw, _n in votes.most_common(3):
        url = li.normalize_linkedin_url(raw)
        if url:
            return url
    return ""


def _owner(export: LinkedInExport, owner: Person | None) -> tuple[Person, list[li.Position], list[str]]:
    positions = li.parse_positions(*reversed(export.files["positions"])) if "positions" in export.files else []
    schools = li.parse_education(*reversed(export.files["education"])) if "education" in export.files else []
    if owner is None:
        if "profile" not in export.files:
            raise InvalidInput(
                "cannot tell whose export this is: no Profile.csv; pass --owner", file=export.source, field="owner"
            )
        name, text = export.files["profile"]
        profile = li.parse_profile(text, name)
        if not profile.name:
            raise InvalidInput("Profile.csv has no name", file=name, line=2, field="First Name")
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
    employers = tuple(dict.fromkeys(p.company for p in positions))
    return Person(
        id=owner.id,
        name=owner.name,
        company=owner.company,
        position=owner.position,
        email=owner.email,
        url=owner.url,
        schools=tuple(schools) or owner.schools,
        employers=employers or owner.employers,
    ), positions, schools


def build_linkedin_batch(
    export: LinkedInExport,
    *,
    owner: Person | None,
    existing: Iterable[Person],
    progress: Progress | None = None,
) -> tuple[ImportBatch, ImportReport]:
    """Turn an export into one batch whose evidence all carries the owner's provenance."""
    owner_person, positions, _schools = _owner(export, owner)
    resolver = IdentityResolver(existing)
    owner_person = resolver.resolve(owner_person)
    report = ImportReport(source=export.source)
    for kind, enc in export.encodings.items():
        if enc == "cp1252":
            report.notes.append(f"{export.files[kind][0]}: decoded as Windows-1252 (Excel re-save)")

    name, text = export.files["connections"]
    parsed = li.parse_connections(text, name, progress)
    report.skipped += parsed.skipped
    report.notes += parsed.notes

    contacts: dict[str, li.Contact] = {}
    for kind, parse in (
        ("messages", "m"),
        ("invitations", "i"),
        ("endorsements_received", "er"),
        ("endorsements_given", "eg"),
        ("recommendations_received", "r"),
        ("recommendations_given", "r"),
    ):
        if kind not in export.files:
            continue
        fname, ftext = export.files[kind]
        if parse == "m":
            sub = li.parse_messages(
                ftext, fname, owner_name=owner_person.name, owner_url=owner_person.url, contacts=contacts, progress=progress
            )
        elif parse == "i":
            sub = li.parse_invitations(
                ftext, fname, owner_name=owner_person.name, owner_url=owner_person.url, contacts=contacts
            )
        elif parse in ("er", "eg"):
            sub = li.parse_endorsements(ftext, fname, received=parse == "er", contacts=contacts)
        else:
            sub = li.parse_recommendations(ftext, fname, contacts=contacts)
        report.skipped += sub.skipped
        report.notes += sub.notes
    # Drop the owner talking to themselves (group threads list them too).
    if owner_person.url:
        contacts.pop(owner_person.url, None)
    contacts.pop("name:" + owner_person.name.casefold(), None)

    employers = {normalize_name(p.company): p.company for p in positions}
    people: dict[str, Person] = {owner_person.id: owner_person}
    evidence: dict[tuple[str, str], Evidence] = {}
    by_name: dict[str, list[str]] = {}
    by_url: dict[str, str] = {}
    interactions = 0

    def add(pid: str, ev_kwargs: dict[str, object], contact: li.Contact | None) -> None:
        nonlocal interactions
        a, b = canonical_pair(owner_person.id, pid)
        sent = contact.sent if contact else 0
        received = contact.received if contact else 0
        owner_first = a == owner_person.id
        if contact:
            interactions += sent + received + (contact.invited_with_note is not None)
        evidence[(a, b)] = Evidence(
            owner=owner_person.id,
            messages_ab=sent if owner_first else received,
            messages_ba=received if owner_first else sent,
            first_contact=contact.first if contact else None,
            last_contact=contact.last if contact else None,
            invited_with_note=contact.invited_with_note if contact else None,
            endorsements=contact.endorsements if contact else 0,
            recommendations=contact.recommendations if contact else 0,
            **ev_kwargs,  # type: ignore[arg-type]
        )

    for c in parsed.connections:
        if (owner_person.url and c.url == owner_person.url) or (
            not c.url and c.name.casefold() == owner_person.name.casefold() and c.company == owner_person.company
        ):
            report.skipped.append(SkippedRow(name, c.line, "self-connection", "URL"))
            continue
        incoming = Person(
            id=person_id_for(c.url, c.email, c.name, c.company),
            name=c.name,
            company=c.company,
            position=c.position,
            email=c.email,
            url=c.url,
        )
        person = resolver.resolve(incoming)
        if person.id == owner_person.id:
            report.skipped.append(SkippedRow(name, c.line, "self-connection", "URL"))
            continue
        people[person.id] = person
        if c.url:
            by_url[c.url] = person.id
        by_name.setdefault(c.name.casefold(), []).append(person.id)
        contact = contacts.pop(c.url, None) if c.url else None
        if contact is None:
            contact = contacts.pop("name:" + c.name.casefold(), None)
        shared = employers.get(normalize_name(c.company))
        add(
            person.id,
            {"connected_on": c.connected_on, "shared_employers": (shared,) if shared else ()},
            contact,
        )

    # Counterparts matched by name only after connections were read, or not connections at all.
    strangers = 0
    for contact in contacts.values():
        pid = by_url.get(contact.url) if contact.url else None
        if pid is None:
            ids = by_name.get(contact.name.casefold(), [])
            pid = ids[0] if len(ids) == 1 else None
        if pid is not None:
            a, b = canonical_pair(owner_person.id, pid)
            old = evidence.pop((a, b))
            add(pid, {"connected_on": old.connected_on, "shared_employers": old.shared_employers}, contact)
            continue
        if contact.sent and contact.received:
            person = resolver.resolve(
                Person(id=person_id_for(contact.url, "", contact.name, ""), name=contact.name, url=contact.url)
            )
            if person.id != owner_person.id:
                people[person.id] = person
                add(person.id, {}, contact)
                strangers += 1
    if strangers:
        report.notes.append(f"{strangers} people who are not connections exchanged messages both ways: kept")

    batch = ImportBatch(
        people=list(people.values()),
        relationships=[Relationship(a, b, (e,)) for (a, b), e in evidence.items()],
        merges=list(resolver.merges),
        members=[Member(owner_person.id)],
    )
    report.people = len(people)
    report.relationships = len(evidence)
    report.interactions = interactions
    report.merges = len(resolver.merges)
    return batch, report
