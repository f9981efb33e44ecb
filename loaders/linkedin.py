"""Pure parsers for the files of a LinkedIn data export, every variant seen since 2018.

Each parser takes a file's text and name and returns records plus skipped rows
(file, line, field, reason). File-level problems raise ``InvalidInput``.
Message bodies and invitation notes are read only to decide "is there a note":
no returned object holds their text.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from graph.errors import InvalidInput
from loaders.csvsource import Table, find_table, parse_date, parse_datetime
from loaders.identity import normalize_email, normalize_linkedin_url
from loaders.report import SkippedRow

Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class Connection:
    line: int
    first_name: str
    last_name: str
    url: str
    email: str
    company: str
    position: str
    connected_on: date | None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(slots=True)
class Contact:
    """Message/invitation/endorsement metadata about one counterpart."""

    name: str
    url: str = ""
    sent: int = 0
    received: int = 0
    first: datetime | None = None
    last: datetime | None = None
    invited_with_note: bool | None = None
    endorsements: int = 0
    recommendations: int = 0

    def touch(self, at: datetime) -> None:
        self.first = at if self.first is None or at < self.first else self.first
        self.last = at if self.last is None or at > self.last else self.last


@dataclass(slots=True)
class Parsed:
    connections: list[Connection] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _skip(parsed: Parsed, table: Table, line: int, reason: str, column: str | None) -> None:
    parsed.skipped.append(SkippedRow(table.file, line, reason, column))


def parse_connections(text: str, file: str, progress: Progress | None = None) -> Parsed:
    """Connections.csv: 2018 (no preamble, no URL), 2020–22 (preamble), 2023+ (URL)."""
    table = find_table(text, file, ("first name", "last name", "connected on"))
    out = Parsed()
    seen: set[tuple[str, str, str]] = set()
    hidden = 0
    for n, (line, rec) in enumerate(table.records, 1):
        if progress and n % 5000 == 0:
            progress(n)
        if len(rec) < len(table.columns) - 1 and len(rec) < 3:
            _skip(out, table, line, f"row has {len(rec)} fields, header has {len(table.columns)}", None)
            continue
        first, last = table.get(rec, "first name"), table.get(rec, "last name")
        if not first and not last:
            hidden += 1
            _skip(out, table, line, "member hides their name: not imported", "First Name")
            continue
        raw_url = table.get(rec, "url")
        url = normalize_linkedin_url(raw_url)
        if raw_url and not url:
            _skip(out, table, line, f"not a LinkedIn profile URL: {raw_url[:80]!r}", "URL")
            continue
        raw_date = table.get(rec, "connected on")
        connected: date | None = None
        if raw_date:
            try:
                connected = parse_date(raw_date)
            except ValueError:
                _skip(out, table, line, f"unrecognised date {raw_date!r}", "Connected On")
                continue
        c = Connection(
            line=line,
            first_name=first,
            last_name=last,
            url=url,
            email=normalize_email(table.get(rec, "email address")),
            company=table.get(rec, "company"),
            position=table.get(rec, "position"),
            connected_on=connected,
        )
        key = (c.url or c.email or c.name.casefold(), c.company.casefold(), c.position.casefold())
        if key in seen:
            _skip(out, table, line, "duplicate of an earlier row", None)
            continue
        seen.add(key)
        out.connections.append(c)
    if hidden:
        out.notes.append(f"{file}: {hidden} connections hide their names and were not imported")
    return out


def _yes(value: str) -> bool:
    return value.strip().casefold() in ("yes", "true", "1")


def parse_messages(
    text: str,
    file: str,
    *,
    owner_name: str,
    owner_url: str,
    contacts: dict[str, Contact],
    progress: Progress | None = None,
) -> Parsed:
    """messages.csv (2018, 2022, 2025+): counts per counterpart, never the bodies.

    ``contacts`` is keyed by normalised URL when known, else ``name:<casefolded name>``.
    """
    table = find_table(text, file, ("from", "to", "date"))
    out = Parsed()
    has_direction = "direction" in table.columns
    has_sender_url = "sender profile url" in table.columns
    owner_key = owner_name.casefold().strip()
    impersonal = 0
    drafts = 0
    get_draft, get_folder = table.getter("is message draft"), table.getter("folder")
    get_date, get_from = table.getter("date"), table.getter("from")
    get_sender_url, get_direction = table.getter("sender profile url"), table.getter("direction")
    get_to, get_to_urls = table.getter("to"), table.getter("recipient profile urls")
    for n, (line, rec) in enumerate(table.records, 1):
        if progress and n % 20000 == 0:
            progress(n)
        if get_draft(rec) and _yes(get_draft(rec)):
            drafts += 1
            continue
        folder = get_folder(rec).upper()
        if folder in ("INMAIL", "SPONSORED", "SPAM", "SPONSORED_INBOX"):
            impersonal += 1
            continue
        raw_date = get_date(rec)
        try:
            at = parse_datetime(raw_date)
        except ValueError:
            _skip(out, table, line, f"unrecognised date {raw_date!r}", "DATE")
            continue
        sender = get_from(rec)
        if "&" in sender:
            sender = html.unescape(sender)
        sender_url = normalize_linkedin_url(get_sender_url(rec))
        if has_direction:
            outgoing = get_direction(rec).upper() == "OUTGOING"
        elif owner_url and sender_url:
            outgoing = sender_url == owner_url
        else:
            outgoing = bool(owner_key) and sender.casefold() == owner_key
        if outgoing:
            names = [html.unescape(x).strip() for x in get_to(rec).split(",")]
            urls = [normalize_linkedin_url(u) for u in get_to_urls(rec).split(",")]
            if len(urls) != len(names):
                urls = [""] * len(names)
            for name, url in zip(names, urls, strict=True):
                if name or url:
                    c = _contact(contacts, name, url)
                    c.sent += 1
                    c.touch(at)
        else:
            if has_sender_url and not sender_url:
                impersonal += 1  # sponsored or InMail: no person behind it
                continue
            if not sender and not sender_url:
                _skip(out, table, line, "message with no sender", "FROM")
                continue
            c = _contact(contacts, sender, sender_url)
            c.received += 1
            c.touch(at)
    if impersonal:
        out.notes.append(f"{file}: {impersonal} sponsored/InMail messages are not personal contact")
    if drafts:
        out.notes.append(f"{file}: {drafts} unsent drafts ignored")
    return out


def _contact(contacts: dict[str, Contact], name: str, url: str) -> Contact:
    key = url or "name:" + name.casefold()
    c = contacts.get(key)
    if c is None:
        c = contacts[key] = Contact(name=name, url=url)
    return c


def parse_invitations(
    text: str, file: str, *, owner_name: str, owner_url: str, contacts: dict[str, Contact]
) -> Parsed:
    """Invitations.csv: who invited whom, and whether with a personal note."""
    table = find_table(text, file, ("from", "to", "sent at"))
    out = Parsed()
    for line, rec in table.records:
        direction = table.get(rec, "direction").upper()
        inviter_url = normalize_linkedin_url(table.get(rec, "inviterprofileurl"))
        invitee_url = normalize_linkedin_url(table.get(rec, "inviteeprofileurl"))
        if direction in ("OUTGOING", "INCOMING"):
            outgoing = direction == "OUTGOING"
        elif owner_url and inviter_url:
            outgoing = inviter_url == owner_url
        else:
            outgoing = table.get(rec, "from").casefold() == owner_name.casefold()
        name = table.get(rec, "to") if outgoing else table.get(rec, "from")
        url = invitee_url if outgoing else inviter_url
        if not name and not url:
            _skip(out, table, line, "invitation without a counterpart", "To" if outgoing else "From")
            continue
        raw = table.get(rec, "sent at")
        try:
            at = parse_datetime(raw)
        except ValueError:
            _skip(out, table, line, f"unrecognised date {raw!r}", "Sent At")
            continue
        c = _contact(contacts, html.unescape(name), url)
        c.invited_with_note = bool(table.get(rec, "message"))
        c.touch(at)
    return out


def parse_endorsements(
    text: str, file: str, *, received: bool, contacts: dict[str, Contact]
) -> Parsed:
    """Endorsement_Received_Info.csv / Endorsement_Given_Info.csv."""
    who = "endorser" if received else "endorsee"
    table = find_table(text, file, (f"{who} first name", f"{who} last name"))
    out = Parsed()
    for line, rec in table.records:
        name = f"{table.get(rec, f'{who} first name')} {table.get(rec, f'{who} last name')}".strip()
        url = normalize_linkedin_url(table.get(rec, f"{who} public url"))
        if not name and not url:
            _skip(out, table, line, "endorsement without a person", f"{who.title()} First Name")
            continue
        _contact(contacts, name, url).endorsements += 1
    return out


def parse_recommendations(text: str, file: str, *, contacts: dict[str, Contact]) -> Parsed:
    """Recommendations_Received.csv / Recommendations_Given.csv (the text is not kept)."""
    table = find_table(text, file, ("first name", "last name"))
    out = Parsed()
    for line, rec in table.records:
        status = table.get(rec, "status").upper()
        if status and status not in ("VISIBLE", "ACCEPTED", "PUBLISHED"):
            continue
        name = f"{table.get(rec, 'first name')} {table.get(rec, 'last name')}".strip()
        if not name:
            _skip(out, table, line, "recommendation without a person", "First Name")
            continue
        _contact(contacts, name, "").recommendations += 1
    return out


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    url: str
    headline: str


def parse_profile(text: str, file: str) -> Profile:
    """Profile.csv names the export's owner (first data row)."""
    table = find_table(text, file, ("first name", "last name"))
    if not table.records:
        raise InvalidInput("Profile.csv has no data row", file=file, line=table.header_line + 1)
    _line, rec = table.records[0]
    name = f"{table.get(rec, 'first name')} {table.get(rec, 'last name')}".strip()
    url = ""
    for column in ("public profile url", "profile url", "profileurl", "websites"):
        url = url or normalize_linkedin_url(table.get(rec, column))
    return Profile(name=name, url=url, headline=table.get(rec, "headline"))


@dataclass(frozen=True, slots=True)
class Position:
    company: str
    title: str
    current: bool


def parse_positions(text: str, file: str) -> list[Position]:
    """Positions.csv: the owner's employers (for shared-employer evidence)."""
    table = find_table(text, file, ("company name",))
    return [
        Position(table.get(rec, "company name"), table.get(rec, "title"), not table.get(rec, "finished on"))
        for _line, rec in table.records
        if table.get(rec, "company name")
    ]


def parse_education(text: str, file: str) -> list[str]:
    table = find_table(text, file, ("school name",))
    return [table.get(rec, "school name") for _line, rec in table.records if table.get(rec, "school name")]
