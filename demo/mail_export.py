"""One member's mailbox (Takeout-style mbox) and calendar (.ics) over a given set of contacts.

Why this exists
---------------
The demo team's LinkedIn exports hold stars around each member and nothing else.
Email and calendar metadata are what relationship tools score ties from, and the
only source of ties *among* contacts. This writes what a member would download
from Google Takeout, so the demo imports it through the real loaders and shows
the evidence lines ("31 emails both ways over 2 years, last 3 weeks ago";
"4 meetings of ≤ 4 people"; "in 6 email threads together (from Maya's mail)").

What it writes (into ``out_dir``)
---------------------------------
``mailbox.mbox``
    CRLF line endings, ``From `` separators, ``X-GM-THRID`` and ``X-Gmail-Labels``,
    RFC 2047 encoded names, subjects and bodies (never imported), ``>From ``
    escaped body lines. Mix: a few close contacts in long two-way threads over
    two years, a wider circle with occasional mail, cold inbound mail the owner
    never answers, small group threads that keep putting the same two or three
    contacts together, mailing-list posts (``List-Id``) and no-reply notifications.
``calendar.ics``
    ``X-WR-TIMEZONE`` (Google), a weekly 1:1 with the closest contact as a
    recurring series (``RRULE`` with an ``EXDATE``), small meetings with the same
    group of contacts, a monthly 40-person all-hands, a cancelled event and a
    declined invitation.

:func:`write_mail_export` returns a :class:`MailExportManifest` naming the planted
close contacts and pairs, for tests and for the demo's tour.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from graph.identity import normalize_company, normalize_name

WORDS = (
    "quick",
    "update",
    "on",
    "the",
    "proposal",
    "budget",
    "review",
    "next",
    "quarter",
    "thanks",
    "regards",
    "draft",
    "notes",
    "hiring",
    "plan",
    "launch",
    "customer",
    "feedback",
    "roadmap",
    "numbers",
    "deck",
    "intro",
    "coffee",
    "lunch",
    "call",
)


@dataclass(frozen=True, slots=True)
class MailContact:
    """A person the mailbox and calendar mention: a display name and an address."""

    name: str
    email: str


@dataclass(slots=True)
class MailExportManifest:
    """What was written and what was planted (addresses are lower-case)."""

    mbox: Path
    ics: Path
    messages: int = 0
    events: int = 0
    close: list[str] = field(default_factory=list)  # long two-way threads, weekly 1:1 first
    circle: list[str] = field(default_factory=list)  # occasional mail both ways
    cold: list[str] = field(default_factory=list)  # wrote to the owner, never answered
    together: list[tuple[str, str]] = field(default_factory=list)  # planted co-occurring pairs
    automated: list[str] = field(default_factory=list)  # list and no-reply senders
    secrets: list[str] = field(default_factory=list)  # words only in subjects and bodies


def mail_contacts(people: Iterable[tuple[str, str, str]]) -> list[MailContact]:
    """Contacts for :func:`write_mail_export` from (name, company, email) triples.

    People with an email keep it; people without one (most LinkedIn connections hide
    theirs) get ``first.last@<company>.example``, so the import joins them to their
    LinkedIn record by the careful name-plus-domain rule; people with neither are left out.

    >>> mail_contacts([("Dana Reyes", "Acme Payments, Inc.", ""), ("Bo", "", "bo@x.example")])
    [MailContact(name='Dana Reyes', email='dana.reyes@acmepayments.example'), \
MailContact(name='Bo', email='bo@x.example')]
    """
    out: list[MailContact] = []
    for name, company, email in people:
        if email:
            out.append(MailContact(name, email.lower()))
            continue
        domain = normalize_company(company).replace(" ", "")
        local = ".".join(normalize_name(name).split())
        if domain and local and domain.isascii() and local.isascii():
            out.append(MailContact(name, f"{local}@{domain}.example"))
    return out


def _encoded(name: str) -> str:
    if name.isascii():
        return f'"{name}"' if "," in name else name
    return "=?UTF-8?B?" + base64.b64encode(name.encode()).decode() + "?="


def _addr(c: MailContact) -> str:
    return f"{_encoded(c.name)} <{c.email}>"


class _Mbox:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines: list[str] = []
        self.count = 0
        self.secret = f"demo-secret-{rng.randrange(10**9):09d}"

    def add(
        self,
        sender: MailContact,
        to: Sequence[MailContact],
        at: datetime,
        *,
        cc: Sequence[MailContact] = (),
        thread: int,
        msgid: str,
        reply_to: str = "",
        labels: str = "Inbox",
        extra: Sequence[str] = (),
    ) -> None:
        rng = self.rng
        self.count += 1
        lines = [
            f"From {thread}@xxx {at:%a %b %d %H:%M:%S +0000 %Y}",
            f"X-GM-THRID: {thread}",
            f"X-Gmail-Labels: {labels}",
            "Received: from mail.example by mx.google.com with ESMTPS id x;",
            f"\t{format_datetime(at)}",
            f"From: {_addr(sender)}",
            "To: " + ",\r\n ".join(_addr(c) for c in to),
        ]
        if cc:
            lines.append("Cc: " + ", ".join(_addr(c) for c in cc))
        lines += [f"Date: {format_datetime(at)}", f"Message-ID: <{msgid}>"]
        if reply_to:
            lines += [f"In-Reply-To: <{reply_to}>", f"References: <{reply_to}>"]
        words = " ".join(rng.choice(WORDS) for _ in range(4))
        lines += [*extra, f"Subject: {words} {self.secret}", "Content-Type: text/plain", ""]
        for _ in range(rng.randint(2, 12)):
            lines.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 14))))
        lines += [f">From the notes: {self.secret}", "", ""]
        self.lines += lines


def _threads(
    box: _Mbox,
    owner: MailContact,
    others: Sequence[MailContact],
    *,
    count: int,
    replies: int,
    now: datetime,
    span_days: int,
    start_thread: int,
    owner_starts: float = 0.5,
) -> int:
    """``count`` threads between the owner and ``others`` (all on each), with replies."""
    rng = box.rng
    thread = start_thread
    for _ in range(count):
        thread += 1
        at = now - timedelta(days=rng.uniform(2, span_days), hours=rng.uniform(0, 10))
        people = [owner, *others]
        speaker = owner if rng.random() < owner_starts else rng.choice(list(others))
        previous = ""
        for n in range(1 + rng.randint(0, replies)):
            msgid = f"t{thread}.{n}@mail.example"
            to = [p for p in people if p != speaker]
            labels = "Sent" if speaker == owner else "Inbox,Opened"
            box.add(
                speaker,
                to[:1],
                at,
                cc=to[1:],
                thread=thread,
                msgid=msgid,
                reply_to=previous,
                labels=labels,
            )
            previous = msgid
            at += timedelta(hours=rng.uniform(1, 30))
            speaker = owner if speaker != owner else rng.choice(list(others))
    return thread


def _ics_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(
    uid: str,
    start: datetime,
    organizer: MailContact,
    attendees: Sequence[tuple[MailContact, str]],
    *,
    minutes: int = 30,
    extra: Sequence[str] = (),
    title: str,
) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_ics_time(start)}",
        f"DTSTART:{_ics_time(start)}",
        f"DTEND:{_ics_time(start + timedelta(minutes=minutes))}",
        f"SUMMARY:{title}",
        f"DESCRIPTION:{title} agenda",
        f"ORGANIZER;CN={organizer.name}:mailto:{organizer.email}",
    ]
    for person, status in attendees:
        lines.append(f"ATTENDEE;CN={person.name};PARTSTAT={status}:mailto:{person.email}")
    return [*lines, *extra, "END:VEVENT"]


def write_mail_export(
    owner: MailContact,
    people: Sequence[MailContact],
    out_dir: Path,
    *,
    now: datetime,
    seed: int = 17,
) -> MailExportManifest:
    """Write ``owner``'s mailbox and calendar over ``people`` into ``out_dir``.

    Parameters
    ----------
    owner
        The member whose mail it is.
    people
        Their contacts (at least 12): the first few become close contacts, the
        next ones a wider circle, a few cold senders; the rest stay out of the mail.
    out_dir
        Created if needed; ``mailbox.mbox`` and ``calendar.ics`` are written there.
    now
        The export's "today" (aware); mail spans the two years before it.
    seed
        Same seed, same files.
    """
    if len(people) < 12:
        raise ValueError("write_mail_export needs at least 12 contacts")
    rng = random.Random(seed)
    now = now.astimezone(UTC)
    out_dir.mkdir(parents=True, exist_ok=True)
    contacts = [MailContact(p.name, p.email.lower()) for p in people]
    close, circle, cold = contacts[:4], contacts[4:10], contacts[10:12]
    manifest = MailExportManifest(out_dir / "mailbox.mbox", out_dir / "calendar.ics")
    box = _Mbox(rng)
    manifest.secrets.append(box.secret)
    thread = 1_790_000_000_000_000_000
    for i, c in enumerate(close):
        thread = _threads(
            box,
            owner,
            [c],
            count=14 - 2 * i,
            replies=3,
            now=now,
            span_days=720,
            start_thread=thread,
        )
    for c in circle:
        thread = _threads(
            box,
            owner,
            [c],
            count=rng.randint(1, 3),
            replies=1,
            now=now,
            span_days=500,
            start_thread=thread,
        )
    for c in cold:
        for k in range(3):
            thread += 1
            at = now - timedelta(days=rng.uniform(5, 200))
            box.add(c, [owner], at, thread=thread, msgid=f"cold{thread}.{k}@mail.example")
    # Small group threads that keep putting the same contacts together.
    pairs = [(circle[0], circle[1]), (close[1], circle[2])]
    for x, y in pairs:
        thread = _threads(
            box, owner, [x, y], count=5, replies=2, now=now, span_days=400, start_thread=thread
        )
        manifest.together.append(tuple(sorted((x.email, y.email))))  # type: ignore[arg-type]
    news = MailContact("Product Weekly", "news@lists.example")
    noreply = MailContact("Calendar", "no-reply@notifications.example")
    for k in range(10):
        thread += 1
        at = now - timedelta(days=7 * k + 1)
        box.add(
            news,
            [owner],
            at,
            thread=thread,
            msgid=f"news{k}@lists.example",
            labels="Category Updates",
            extra=("List-Id: <weekly.lists.example>", "Precedence: list"),
        )
        thread += 1
        box.add(noreply, [owner, close[0]], at, thread=thread, msgid=f"n{k}@notifications.example")
    manifest.mbox.write_bytes(("\r\n".join(box.lines) + "\r\n").encode("utf-8"))
    manifest.messages = box.count
    manifest.close = [c.email for c in close]
    manifest.circle = [c.email for c in circle]
    manifest.cold = [c.email for c in cold]
    manifest.automated = [news.email, noreply.email]

    manifest.events = _write_calendar(manifest.ics, owner, contacts, now, box.secret)
    return manifest


def _write_calendar(
    path: Path, owner: MailContact, contacts: list[MailContact], now: datetime, secret: str
) -> int:
    """The calendar over the same contacts as the mailbox; returns the number of VEVENTs."""
    close, circle, cold = contacts[:4], contacts[4:10], contacts[10:12]
    # Calendar: Google-style, times in UTC with the calendar's zone named.
    events: list[str] = []
    weekly = (now - timedelta(days=180)).replace(hour=15, minute=0, second=0, microsecond=0)
    skipped = weekly + timedelta(weeks=3)
    events += _event(
        "weekly-1on1@demo",
        weekly,
        owner,
        [(owner, "ACCEPTED"), (close[0], "ACCEPTED")],
        extra=("RRULE:FREQ=WEEKLY;COUNT=20", f"EXDATE:{_ics_time(skipped)}"),
        title=f"1:1 {secret}",
    )
    group = [circle[0], circle[1]]
    for k in range(3):
        start = (now - timedelta(days=30 * k + 10)).replace(hour=10, minute=0, second=0)
        events += _event(
            f"group-{k}@demo",
            start,
            owner,
            [(owner, "ACCEPTED"), *((p, "ACCEPTED") for p in group)],
            title="planning",
        )
    for k, c in enumerate(close[1:3]):
        start = (now - timedelta(days=40 + 20 * k)).replace(hour=12, minute=0, second=0)
        events += _event(
            f"lunch-{k}@demo",
            start,
            c,
            [(owner, "ACCEPTED"), (c, "ACCEPTED")],
            minutes=60,
            title="lunch",
        )
    crowd = [*contacts[12:], *circle, *cold]
    for k in range(2):
        start = (now - timedelta(days=30 * k + 5)).replace(hour=17, minute=0, second=0)
        hall = MailContact("All Hands", "allhands@corp.example")
        events += _event(
            f"allhands-{k}@demo",
            start,
            hall,
            [(owner, "ACCEPTED"), *((p, "NEEDS-ACTION") for p in crowd[:40])],
            minutes=60,
            title="all hands",
        )
    start = (now - timedelta(days=15)).replace(hour=9, minute=0, second=0)
    events += _event(
        "cancelled@demo",
        start,
        owner,
        [(owner, "ACCEPTED"), (cold[0], "ACCEPTED")],
        extra=("STATUS:CANCELLED",),
        title="cancelled",
    )
    events += _event(
        "declined@demo",
        start + timedelta(days=1),
        owner,
        [(owner, "ACCEPTED"), (cold[1], "DECLINED")],
        title="declined",
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        f"X-WR-CALNAME:{owner.email}",
        "X-WR-TIMEZONE:Europe/Berlin",
        *events,
        "END:VCALENDAR",
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return sum(1 for line in lines if line == "BEGIN:VEVENT")
