"""Pure parsers for the files of a LinkedIn data export, every variant seen since 2018.

Each parser takes a file's decoded text and its display name, finds the header
by content (LinkedIn has put preambles of varying length above it), and returns
records plus skipped rows that name file, physical line and field. File-level
problems raise :class:`~graph.errors.InvalidInput`. Message bodies, subjects and
invitation notes are never copied: the parsers keep counts, dates and a
"had a note" flag only.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from graph.errors import InvalidInput
from graph.identity import normalize_email, normalize_linkedin_url
from graph.model import naive_utc
from loaders.csvsource import norm_header, records
from loaders.report import SkippedRow

Progress = Callable[[int], None]


HEADER_SCAN_ROWS = 30
PROGRESS_EVERY = 5000
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_DATE_FORMATS = (
    "%d %b %Y",  # 16 Dec 2024 (2020+); also handled by the fast path
    "%d-%b-%y",  # 9-Sep-22 (Excel re-save)
    "%d-%b-%Y",
    "%m/%d/%y, %I:%M %p",  # "1/8/18, 6:14 PM" (2018)
    "%m/%d/%Y, %I:%M %p",
    "%m/%d/%y",
    "%m/%d/%Y",
    "%Y-%m-%d",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
)
_DATETIME_FORMATS = (
    "%m/%d/%y, %I:%M %p",  # Invitations "Sent At": 11/17/25, 10:05 PM
    "%m/%d/%Y, %I:%M %p",
    "%m/%d/%y %I:%M %p",
    "%m/%d/%Y %I:%M %p",
    "%a %b %d %H:%M:%S %Z %Y",  # 2018: Tue Jan 09 18:14:30 UTC 2018
    "%Y-%m-%d %H:%M:%S %Z",
)
_IMPERSONAL_FOLDERS = frozenset({"INMAIL", "SPONSORED", "SPONSORED_INBOX", "SPAM", "PROMOTIONS"})
_YES = frozenset({"yes", "true", "1", "y"})
_LINKEDIN_IN_TEXT = re.compile(r"(?:https?://)?[\w.]*linkedin\.com/in/[^\s,\]\[\"'<>]+", re.I)


# -- decoding and CSV records live in loaders.csvsource (shared with the edge lists) ----
_records = records
_norm_header = norm_header


@dataclass(slots=True)
class Table:
    """A header located by content, and an iterator over the records after it."""

    file: str
    header_line: int
    header: list[str]
    columns: dict[str, int]
    records: Iterator[tuple[int, list[str]]]

    def index(self, *names: str) -> int | None:
        """Position of the first of ``names`` present in the header."""
        for n in names:
            if n in self.columns:
                return self.columns[n]
        return None


def find_table(text: str, file: str, required: Sequence[str]) -> Table:
    """Locate the header row holding every ``required`` column among the first rows.

    Raises
    ------
    InvalidInput
        The file is empty, or no early row holds the header; the error names the
        row that came closest and the first column it lacks.
    """
    it = _records(text, file)
    best: tuple[int, int, str] = (-1, 1, required[0])  # (columns found, line, first missing)
    seen = 0
    for line, record in it:
        seen += 1
        names = [_norm_header(c) for c in record]
        missing = [r for r in required if r not in names]
        if not missing:
            columns: dict[str, int] = {}
            for i, n in enumerate(names):
                columns.setdefault(n, i)
            return Table(file, line, [c.strip() for c in record], columns, it)
        found = len(required) - len(missing)
        if found > best[0]:
            best = (found, line, missing[0])
        if seen >= HEADER_SCAN_ROWS:
            break
    if seen == 0 or not text.strip():
        raise InvalidInput("the file is empty", file=file, line=1)
    wanted = ", ".join(required)
    raise InvalidInput(
        f"no header row with the columns {wanted} in the first {HEADER_SCAN_ROWS} rows",
        file=file,
        line=best[1],
        field=best[2],
    )


def _row_problem(table: Table, rec: list[str], needed: int) -> tuple[str, str | None] | None:
    """Why a record cannot be read column-by-column, or None when it can."""
    width = len(table.header)
    if len(rec) < needed + 1:
        return (f"row has {len(rec)} fields, the header has {width}", table.header[len(rec)])
    if len(rec) > width and any(c.strip() for c in rec[width:]):
        return (f"row has {len(rec)} fields, the header has {width} (unquoted comma?)", None)
    return None


# -- dates -----------------------------------------------------------------------------
@lru_cache(maxsize=1 << 14)  # 30k connections share a few thousand dates
def parse_date(text: str) -> date:
    """A LinkedIn date in any format seen in exports.

    Examples
    --------
    >>> [str(parse_date(t)) for t in ("16 Dec 2024", "9-Sep-22", "1/8/18, 6:14 PM")]
    ['2024-12-16', '2022-09-09', '2018-01-08']
    """
    value = text.strip()
    parts = value.split(" ")
    if len(parts) == 3 and parts[0].isdigit() and parts[2].isdigit() and len(parts[2]) == 4:
        month = _MONTHS.get(parts[1][:3].casefold())
        if month and len(parts[1]) == 3:
            try:
                return date(int(parts[2]), month, int(parts[0]))
            except ValueError:
                pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unrecognised date {text!r}")


def parse_datetime(text: str) -> datetime:
    """A message or invitation timestamp, as naive UTC.

    Examples
    --------
    >>> str(parse_datetime("2025-11-17 22:05:06 UTC"))
    '2025-11-17 22:05:06'
    >>> str(parse_datetime("1/8/18, 6:14 PM"))
    '2018-01-08 18:14:00'
    """
    value = text.strip()
    if value.endswith(" UTC"):
        value = value[:-4]
    if value[:4].isdigit() and value[4:5] == "-":
        try:
            at = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            return naive_utc(at)
    for fmt in _DATETIME_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).replace(tzinfo=None)
        except ValueError:
            continue
    return datetime.combine(parse_date(text), datetime.min.time())


# -- Connections.csv ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Connection:
    """One row of Connections.csv, normalised; ``line`` is its physical line."""

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
class Parsed:
    """What one file gave: connections (Connections.csv only), skipped rows, notes."""

    file: str
    connections: list[Connection] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows: int = 0  # data rows read (for progress and the report)
    counted: int = 0  # messages or invitations that count as interactions

    def skip(self, line: int, reason: str, column: str | None) -> None:
        self.skipped.append(SkippedRow(self.file, line, reason, column))


def name_key(name: str) -> str:
    """How counterparts known only by name are matched: case and spacing ignored.

    >>> name_key("  Ana   PÉREZ ")
    'name:ana pérez'
    """
    return "name:" + " ".join(name.casefold().split())


def _progress(progress: Progress | None, base: int, n: int) -> None:
    if progress is not None and n % PROGRESS_EVERY == 0:
        progress(base + n)


class _ConnectionColumns:
    """Column positions of one Connections.csv variant, found once per file."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.first, self.last = table.columns["first name"], table.columns["last name"]
        self.date = table.columns["connected on"]
        self.url = table.index("url", "profile url", "public profile url")
        self.email = table.index("email address", "email")
        self.company = table.index("company")
        self.position = table.index("position")
        present = (self.url, self.email, self.company, self.position)
        self.needed = max(self.first, self.last, self.date, *(i for i in present if i is not None))

    def read(self, line: int, rec: list[str]) -> Connection | SkippedRow:
        """One row as a connection, or why it is skipped."""
        header, file = self.table.header, self.table.file
        problem = _row_problem(self.table, rec, self.needed)
        if problem:
            return SkippedRow(file, line, *problem)
        first, last = rec[self.first].strip(), rec[self.last].strip()
        if not first and not last:
            return SkippedRow(file, line, HIDDEN_MEMBER, header[self.first])
        raw_url = _cell(rec, self.url).strip()
        url = normalize_linkedin_url(raw_url)
        if raw_url and not url:
            reason = f"not a LinkedIn profile URL: {raw_url[:80]!r}"
            return SkippedRow(file, line, reason, header[self.url or 0])
        raw_date = rec[self.date].strip()
        connected: date | None = None
        if raw_date:
            try:
                connected = parse_date(raw_date)
            except ValueError:
                reason = f"unrecognised date {raw_date[:40]!r}"
                return SkippedRow(file, line, reason, header[self.date])
        return Connection(
            line=line,
            first_name=first,
            last_name=last,
            url=url,
            email=normalize_email(_cell(rec, self.email)),
            company=_cell(rec, self.company).strip(),
            position=_cell(rec, self.position).strip(),
            connected_on=connected,
        )


HIDDEN_MEMBER = "hidden member (no name shared): not imported"


def parse_connections(
    text: str, file: str, *, progress: Progress | None = None, progress_base: int = 0
) -> Parsed:
    """Connections.csv: 2018 (no preamble, no URL), 2020–22 (preamble), 2023+ (URL).

    Hidden members (no name), unparseable dates, non-LinkedIn URLs, ragged rows and
    duplicates become skipped rows; a file without any connection row is invalid.
    """
    table = find_table(text, file, ("first name", "last name", "connected on"))
    columns = _ConnectionColumns(table)
    out = Parsed(file)
    seen: dict[str, int] = {}
    hidden = duplicates = 0
    for line, rec in table.records:
        if not any(rec) or not "".join(rec).strip():
            continue  # blank line
        out.rows += 1
        _progress(progress, progress_base, out.rows)
        c = columns.read(line, rec)
        if isinstance(c, SkippedRow):
            hidden += c.reason == HIDDEN_MEMBER
            out.skipped.append(c)
            continue
        key = c.url or c.email or f"{name_key(c.name)}|{c.company.casefold()}"
        if key in seen:
            duplicates += 1
            out.skip(line, f"duplicate of line {seen[key]}", None)
            continue
        seen[key] = line
        out.connections.append(c)
    if out.rows == 0:
        raise InvalidInput(
            "Connections.csv has a header but no connection rows", file=file, line=table.header_line
        )
    if hidden:
        out.notes.append(f"{file}: {hidden} connections hide their names and were not imported")
    if duplicates:
        out.notes.append(f"{file}: {duplicates} duplicate rows ignored")
    return out


# -- counterparts: messages, invitations, endorsements, recommendations ------------------
@dataclass(slots=True)
class Contact:
    """Metadata about one counterpart of the owner; never any message text."""

    name: str
    url: str = ""
    sent: int = 0  # from the owner to them
    received: int = 0  # from them to the owner
    first: datetime | None = None
    last: datetime | None = None
    invited_with_note: bool | None = None  # None: no invitation seen
    invitations: int = 0
    endorsements: int = 0
    recommendations: int = 0

    def touch(self, at: datetime) -> None:
        if self.first is None or at < self.first:
            self.first = at
        if self.last is None or at > self.last:
            self.last = at

    def absorb(self, other: Contact) -> None:
        """Fold another record of the same person in (seen by URL and by name)."""
        self.sent += other.sent
        self.received += other.received
        for at in (other.first, other.last):
            if at is not None:
                self.touch(at)
        if other.invited_with_note is not None:
            self.invited_with_note = bool(self.invited_with_note) or other.invited_with_note
        self.invitations += other.invitations
        self.endorsements += other.endorsements
        self.recommendations += other.recommendations
        self.url = self.url or other.url
        self.name = self.name or other.name


Contacts = dict[str, Contact]


def contact_for(contacts: Contacts, name: str, url: str) -> Contact:
    """The accumulator for a counterpart: keyed by profile URL when known, else by name."""
    key = url or name_key(name)
    c = contacts.get(key)
    if c is None:
        c = contacts[key] = Contact(name=name, url=url)
    elif not c.name:
        c.name = name
    return c


def _unescape(text: str) -> str:
    return html.unescape(text).strip() if "&" in text else text.strip()


def _cell(rec: list[str], i: int | None) -> str:
    return rec[i] if i is not None and i < len(rec) else ""


class _MessageReader:
    """Reads message rows into per-counterpart counts; holds the per-file state."""

    def __init__(self, table: Table, out: Parsed, owner_name: str, owner_url: str) -> None:
        self.table, self.out, self.owner_url = table, out, owner_url
        self.owner_key = " ".join(owner_name.casefold().split())
        cols = table.columns
        self.i_from, self.i_to, self.i_date = cols["from"], cols["to"], cols["date"]
        self.i_sender_url = table.index("sender profile url")
        self.i_to_urls = table.index("recipient profile urls")
        self.i_direction = table.index("direction")
        self.i_folder = table.index("folder")
        self.i_draft = table.index("is message draft")
        self.i_conv = table.index("conversation id")
        self.needed = max(self.i_from, self.i_to, self.i_date, self.i_sender_url or 0)
        self.impersonal = self.drafts = 0
        self.conv_urls: dict[str, set[str]] = {}  # conversation -> counterpart URLs
        self.pending: list[tuple[str, str, datetime]] = []  # sent rows waiting for a URL

    def _outgoing(self, line: int, rec: list[str], sender: str, sender_url: str) -> bool | None:
        if self.i_direction is not None:
            direction = _cell(rec, self.i_direction).strip().upper()
            if direction not in ("INCOMING", "OUTGOING"):
                reason = f"unknown direction {direction[:20]!r}"
                self.out.skip(line, reason, self.table.header[self.i_direction])
                return None
            return direction == "OUTGOING"
        if self.owner_url and sender_url:
            return sender_url == self.owner_url
        return bool(self.owner_key) and " ".join(sender.casefold().split()) == self.owner_key

    def _skippable(self, rec: list[str]) -> bool:
        """Drafts, sponsored messages and InMail: counted in the notes, not as contact."""
        if self.i_draft is not None and _cell(rec, self.i_draft).strip().casefold() in _YES:
            self.drafts += 1
            return True
        folder = _cell(rec, self.i_folder).strip().upper() if self.i_folder is not None else ""
        if folder in _IMPERSONAL_FOLDERS:
            self.impersonal += 1
            return True
        return False

    def row(self, line: int, rec: list[str], contacts: Contacts) -> None:
        if len(rec) <= self.needed:
            self.out.skip(
                line, *(_row_problem(self.table, rec, self.needed) or ("short row", None))
            )
            return
        if self._skippable(rec):
            return
        raw_date = rec[self.i_date]
        try:
            at = parse_datetime(raw_date)
        except ValueError:
            reason = f"unrecognised date {raw_date.strip()[:40]!r}"
            self.out.skip(line, reason, self.table.header[self.i_date])
            return
        sender = _unescape(rec[self.i_from])
        sender_url = (
            normalize_linkedin_url(rec[self.i_sender_url]) if self.i_sender_url is not None else ""
        )
        outgoing = self._outgoing(line, rec, sender, sender_url)
        if outgoing is None:
            return
        conv = _cell(rec, self.i_conv).strip()
        if outgoing:
            self._sent(line, rec, conv, at, contacts)
            return
        if self.i_sender_url is not None and not sender_url:
            self.impersonal += 1  # sponsored or InMail: no person behind it
            return
        if not sender and not sender_url:
            self.out.skip(line, "message with no sender", self.table.header[self.i_from])
            return
        c = contact_for(contacts, sender, sender_url)
        c.received += 1
        c.touch(at)
        self.out.counted += 1
        if conv and sender_url:
            self.conv_urls.setdefault(conv, set()).add(sender_url)

    def _sent(self, line: int, rec: list[str], conv: str, at: datetime, contacts: Contacts) -> None:
        raw_to = rec[self.i_to]
        urls = [normalize_linkedin_url(u) for u in _cell(rec, self.i_to_urls).split(",")]
        urls = [u for u in urls if u and u != self.owner_url]
        if urls:  # 2025+: recipients by profile; names may hold commas, so trust URLs
            for url in urls:
                c = contact_for(contacts, "" if len(urls) > 1 else _unescape(raw_to), url)
                c.sent += 1
                c.touch(at)
                self.out.counted += 1
                if conv:
                    self.conv_urls.setdefault(conv, set()).add(url)
            return
        name = _unescape(raw_to)
        if not name:
            self.out.skip(line, "sent message with no recipient", self.table.header[self.i_to])
            return
        self.pending.append((conv, name, at))
        self.out.counted += 1

    def finish(self, contacts: Contacts) -> None:
        """Tie sent messages known by name to the URL their conversation revealed."""
        for conv, name, at in self.pending:
            known = self.conv_urls.get(conv, set()) if conv else set()
            url = next(iter(known)) if len(known) == 1 and "," not in name else ""
            c = contact_for(contacts, name, url)
            c.sent += 1
            c.touch(at)
        file = self.out.file
        if self.impersonal:
            note = f"{file}: {self.impersonal} sponsored/InMail messages are not personal contact"
            self.out.notes.append(note)
        if self.drafts:
            self.out.notes.append(f"{file}: {self.drafts} unsent drafts ignored")


def parse_messages(
    text: str,
    file: str,
    *,
    owner_name: str,
    owner_url: str,
    contacts: Contacts,
    progress: Progress | None = None,
    progress_base: int = 0,
) -> Parsed:
    """messages.csv (2018, 2022, 2025+): counts per counterpart and direction, never bodies.

    Direction comes from the 2018 ``Direction`` column, else from the sender's
    profile URL or name being the owner's. A sent message in a 2022 export names
    its recipient only; the conversation's other participant's URL, learned from
    their replies, ties it to the right person. Drafts, sponsored messages and
    InMail (no sender profile) are not personal contact and are only counted in
    the notes. The content and subject columns are never read.
    """
    table = find_table(text, file, ("from", "to", "date"))
    out = Parsed(file)
    reader = _MessageReader(table, out, owner_name, owner_url)
    for line, rec in table.records:
        if not any(rec):
            continue
        out.rows += 1
        if progress is not None and out.rows % PROGRESS_EVERY == 0:
            progress(progress_base + out.rows)
        reader.row(line, rec, contacts)
    reader.finish(contacts)
    return out


def parse_invitations(
    text: str, file: str, *, owner_name: str, owner_url: str, contacts: Contacts
) -> Parsed:
    """Invitations.csv: who invited whom, and whether with a note (the note is not kept)."""
    table = find_table(text, file, ("from", "to", "sent at"))
    out = Parsed(file)
    i_from, i_to, i_at = table.columns["from"], table.columns["to"], table.columns["sent at"]
    i_message, i_direction = table.index("message"), table.index("direction")
    i_inviter = table.index("inviterprofileurl", "inviter profile url")
    i_invitee = table.index("inviteeprofileurl", "invitee profile url")
    needed = max(i_from, i_to, i_at)
    owner_key = " ".join(owner_name.casefold().split())
    for line, rec in table.records:
        if not any(rec):
            continue
        out.rows += 1
        problem = _row_problem(table, rec, needed)
        if problem:
            out.skip(line, *problem)
            continue
        direction = _cell(rec, i_direction).strip().upper()
        inviter_url = normalize_linkedin_url(_cell(rec, i_inviter))
        invitee_url = normalize_linkedin_url(_cell(rec, i_invitee))
        if direction in ("OUTGOING", "INCOMING"):
            outgoing = direction == "OUTGOING"
        elif owner_url and (inviter_url or invitee_url):
            outgoing = inviter_url == owner_url
        else:
            outgoing = " ".join(_unescape(rec[i_from]).casefold().split()) == owner_key
        name = _unescape(rec[i_to] if outgoing else rec[i_from])
        url = invitee_url if outgoing else inviter_url
        if not name and not url:
            out.skip(
                line, "invitation without a counterpart", table.header[i_to if outgoing else i_from]
            )
            continue
        raw = rec[i_at]
        try:
            at = parse_datetime(raw)
        except ValueError:
            out.skip(line, f"unrecognised date {raw.strip()[:40]!r}", table.header[i_at])
            continue
        c = contact_for(contacts, name, url)
        c.invited_with_note = bool(c.invited_with_note) or bool(_cell(rec, i_message).strip())
        c.invitations += 1
        c.touch(at)
        out.counted += 1
    return out


def parse_endorsements(text: str, file: str, *, received: bool, contacts: Contacts) -> Parsed:
    """Endorsement_Received_Info.csv / Endorsement_Given_Info.csv: counts per person.

    Header: ``Endorsement Date,Skill Name,Endorser First Name,Endorser Last Name,
    Endorser Public Url,Endorsement Status`` (``Endorsee …`` in the given file).
    """
    who = "endorser" if received else "endorsee"
    table = find_table(text, file, (f"{who} first name", f"{who} last name"))
    out = Parsed(file)
    i_first, i_last = table.columns[f"{who} first name"], table.columns[f"{who} last name"]
    i_url = table.index(f"{who} public url", f"{who} profile url")
    i_status = table.index("endorsement status", "status")
    for line, rec in table.records:
        if not any(rec):
            continue
        out.rows += 1
        problem = _row_problem(table, rec, max(i_first, i_last))
        if problem:
            out.skip(line, *problem)
            continue
        if _cell(rec, i_status).strip().upper() in ("REJECTED", "HIDDEN"):
            continue
        name = f"{rec[i_first].strip()} {rec[i_last].strip()}".strip()
        url = normalize_linkedin_url(_cell(rec, i_url))
        if not name and not url:
            out.skip(line, "endorsement without a person", table.header[i_first])
            continue
        contact_for(contacts, name, url).endorsements += 1
    return out


def parse_recommendations(text: str, file: str, *, contacts: Contacts) -> Parsed:
    """Recommendations_Received.csv / _Given.csv: counts per person; the text is not kept.

    Header: ``First Name,Last Name,Company,Job Title,Text,Creation Date,Status``.
    """
    table = find_table(text, file, ("first name", "last name"))
    out = Parsed(file)
    i_first, i_last = table.columns["first name"], table.columns["last name"]
    i_status = table.index("status")
    for line, rec in table.records:
        if not any(rec):
            continue
        out.rows += 1
        problem = _row_problem(table, rec, max(i_first, i_last))
        if problem:
            out.skip(line, *problem)
            continue
        status = _cell(rec, i_status).strip().upper()
        if status in ("REJECTED", "HIDDEN", "WITHDRAWN"):
            continue
        name = f"{rec[i_first].strip()} {rec[i_last].strip()}".strip()
        if not name:
            out.skip(line, "recommendation without a person", table.header[i_first])
            continue
        contact_for(contacts, name, "").recommendations += 1
    return out


# -- the owner: Profile.csv, Positions.csv, Education.csv ---------------------------------
@dataclass(frozen=True, slots=True)
class Profile:
    """The export's owner as Profile.csv names them."""

    name: str
    url: str
    headline: str


def parse_profile(text: str, file: str) -> Profile:
    """Profile.csv names the export's owner (first data row).

    A profile URL is taken from a ``Public Profile URL``-style column, else from
    ``Websites`` if it lists the LinkedIn profile.
    """
    table = find_table(text, file, ("first name", "last name"))
    for line, rec in table.records:
        if not any(c.strip() for c in rec):
            continue
        first = _cell(rec, table.columns["first name"]).strip()
        last = _cell(rec, table.columns["last name"]).strip()
        name = f"{first} {last}".strip()
        if not name:
            raise InvalidInput("Profile.csv has no name", file=file, line=line, field="First Name")
        url = ""
        for column in ("public profile url", "profile url", "profileurl", "linkedin url", "url"):
            url = url or normalize_linkedin_url(_cell(rec, table.columns.get(column)))
        websites = _cell(rec, table.columns.get("websites"))
        if not url and websites:
            found = _LINKEDIN_IN_TEXT.search(websites)
            url = normalize_linkedin_url(found.group(0)) if found else ""
        return Profile(
            name=name, url=url, headline=_cell(rec, table.columns.get("headline")).strip()
        )
    raise InvalidInput("Profile.csv has no data row", file=file, line=table.header_line + 1)


@dataclass(frozen=True, slots=True)
class Position:
    """One of the owner's jobs (Positions.csv)."""

    company: str
    title: str
    started_on: str
    finished_on: str

    @property
    def current(self) -> bool:
        return not self.finished_on


def parse_positions(text: str, file: str) -> list[Position]:
    """Positions.csv: the owner's employers, for shared-employer evidence."""
    table = find_table(text, file, ("company name",))
    cols = table.columns
    return [
        Position(
            _cell(rec, cols["company name"]).strip(),
            _cell(rec, cols.get("title")).strip(),
            _cell(rec, cols.get("started on")).strip(),
            _cell(rec, cols.get("finished on")).strip(),
        )
        for _line, rec in table.records
        if _cell(rec, cols["company name"]).strip()
    ]


def parse_education(text: str, file: str) -> list[str]:
    """Education.csv: the owner's schools, for shared-school evidence."""
    table = find_table(text, file, ("school name",))
    i = table.columns["school name"]
    return list(dict.fromkeys(s for _line, rec in table.records if (s := _cell(rec, i).strip())))
