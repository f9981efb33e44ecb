"""Small mailboxes and calendars written by tests (no binary fixtures)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path


class Mbox:
    """An mbox being written: ``send`` adds one message; ``write`` saves it (CRLF)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.n = 0

    def send(
        self,
        sender: str,
        to: Sequence[str],
        at: datetime,
        *,
        cc: Sequence[str] = (),
        thread: str = "",
        reply_to: str = "",
        subject: str = "hello",
        body: Sequence[str] = ("hi",),
        extra: Sequence[str] = (),
    ) -> str:
        self.n += 1
        msgid = f"m{self.n}@test.example"
        lines = [
            f"From x@y {at:%a %b %d %H:%M:%S %Y}",
            f"From: {sender}",
            "To: " + ", ".join(to),
        ]
        if cc:
            lines.append("Cc: " + ", ".join(cc))
        lines += [f"Date: {format_datetime(at)}", f"Message-ID: <{msgid}>"]
        if thread:
            lines.append(f"X-GM-THRID: {thread}")
        if reply_to:
            lines += [f"In-Reply-To: <{reply_to}>", f"References: <{reply_to}>"]
        lines += [*extra, f"Subject: {subject}", "", *body, ""]
        self.lines += lines
        return msgid

    def write(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(("\r\n".join(self.lines) + "\r\n").encode())
        return path


def ics_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event(
    uid: str,
    start: datetime,
    organizer: str,
    attendees: Sequence[str],
    *,
    extra: Sequence[str] = (),
) -> list[str]:
    """One VEVENT; every attendee accepted."""
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{ics_time(start)}",
        f"DTSTART:{ics_time(start)}",
        f"DTEND:{ics_time(start + timedelta(minutes=30))}",
        f"ORGANIZER:mailto:{organizer}",
        *(f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{a}" for a in attendees),
        *extra,
        "END:VEVENT",
    ]


def write_ics(path: Path, events: Sequence[list[str]]) -> Path:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    for e in events:
        lines += e
    lines.append("END:VCALENDAR")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    return path
