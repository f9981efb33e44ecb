"""Benchmark: mail and calendar metadata parsers (issue 17 targets: mbox <= 20 s and
<= 500 MB peak RSS for 100,000 messages; calendar <= 5 s for 5,000 events).

Generates, into a temp dir, a Takeout-style mbox (CRLF, X-GM-THRID and
X-Gmail-Labels, Gmail's long ARC/DKIM/Received headers, RFC 2047 names,
multipart bodies of varied length, some base64 attachments, 5% mailing-list
mail, threads with References, CC lists, ``>From `` escaped body lines) and a
Google-style .ics (X-WR-TIMEZONE, VTIMEZONE, RRULE with EXDATE and overrides,
meetings from 1:1 to all-hands). Then, each in a fresh subprocess so peak RSS is
its own (``ru_maxrss``):

(a) baseline: :class:`mailbox.mbox` iterating every message with the stdlib's
    header-only parser; for the calendar, ``icalendar.Calendar.from_ical`` alone;
(b) ``loaders.mail.summarize_mail`` / ``loaders.calendar.summarize_calendar`` (parsing);
(c) the full import as ``warmintro import mbox|calendar`` runs it (loader, identity,
    batch, one transaction into a fresh embedded store).

    .venv/bin/python scripts/bench_mail.py [--messages 100000] [--events 5000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

OWNER = "me@example.com"
OWNER_ALIAS = "me.myself@corp.example"
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
FIRST_NAMES = ["Ana", "Bo", "Chen", "Dana", "Émile", "Farah", "Goran", "Hana", "Ivo", "Jürgen"]
LAST_NAMES = ["Pérez", "Lee", "Wei", "Okafor", "Núñez", "Schmidt", "Kowalski", "Sato", "Ng"]
DOMAINS = ["acme.example", "globex.example", "initech.example", "gmail.example", "uni.example"]
WORDS = [
    "the",
    "quick",
    "brown",
    "fox",
    "jumps",
    "over",
    "lazy",
    "dog",
    "meeting",
    "tomorrow",
    "please",
    "review",
    "attached",
    "proposal",
    "budget",
    "quarter",
    "thanks",
    "regards",
    "hello",
    "team",
    "update",
    "project",
    "deadline",
]


def _rfc2047(name: str) -> str:
    if name.isascii():
        return f'"{name}"'
    return "=?UTF-8?B?" + base64.b64encode(name.encode()).decode() + "?="


def _people(rng: random.Random, n: int) -> list[tuple[str, str]]:
    out = []
    for i in range(n):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        out.append((f"{first} {last}", f"{first.lower()[:3]}.{i}@{rng.choice(DOMAINS)}"))
    return out


def _long_header(rng: random.Random, name: str, size: int) -> str:
    blob = base64.b64encode(rng.randbytes(size)).decode()
    parts = [blob[i : i + 70] for i in range(0, len(blob), 70)]
    return f"{name}: i=1; a=rsa-sha256; b=" + "\r\n\t".join(parts)


class _MboxWriter:
    """Generates Takeout-like messages: a Zipf-ish population, threads, lists, attachments."""

    def __init__(self, seed: int, attach_rate: float) -> None:
        self.rng = random.Random(seed)
        self.attach_rate = attach_rate
        self.people = _people(self.rng, 3000)
        self.weights = [1 / (i + 1) ** 0.9 for i in range(len(self.people))]
        blob = base64.b64encode(self.rng.randbytes(3 << 20)).decode()
        self.blob_lines = [blob[i : i + 76] for i in range(0, len(blob), 76)]
        self.text_lines = [
            " ".join(self.rng.choices(WORDS, k=self.rng.randint(4, 14))) for _ in range(5000)
        ]
        # (Gmail thread id, Message-IDs so far, members)
        self.threads: list[tuple[str, list[str], list[tuple[str, str]]]] = []

    def _thread(self, is_list: bool) -> tuple[bool, str, list[str], list[tuple[str, str]]]:
        rng = self.rng
        if self.threads and not is_list and rng.random() < 0.45:
            return (True, *rng.choice(self.threads[-5000:]))
        k = 1 if rng.random() < 0.6 else rng.randint(2, 9)
        members = rng.choices(self.people, weights=self.weights, k=k)
        thrid, ids = str(rng.getrandbits(63)), list[str]()
        if not is_list:
            self.threads.append((thrid, ids, members))
        return False, thrid, ids, members

    def _transport(self, h: list[str], at: datetime, owner_sends: bool, thrid: str) -> None:
        rng = self.rng
        h.append(f"X-GM-THRID: {thrid}")
        h.append("X-Gmail-Labels: " + ("Sent" if owner_sends else "Inbox,Important,Opened"))
        h.append(f"Delivered-To: {OWNER}")
        for hop in range(rng.randint(2, 5)):
            h.append(
                f"Received: from mx{hop}.mail.example (mx{hop}.mail.example. [10.0.0.{hop}])"
                f"\r\n        by mx.google.com with ESMTPS id {rng.getrandbits(48):x}"
                f"\r\n        for <{OWNER}>; {at:%a, %d %b %Y %H:%M:%S} -0000 (PST)"
            )
        h.append(_long_header(rng, "ARC-Seal", 200))
        h.append(_long_header(rng, "ARC-Message-Signature", 260))
        h.append(_long_header(rng, "DKIM-Signature", 260))

    def _body(self) -> list[str]:
        rng = self.rng
        boundary = f"b{rng.getrandbits(64):x}"
        body = [
            "MIME-Version: 1.0",
            f'Content-Type: multipart/mixed; boundary="{boundary}"',
            "",
            f"--{boundary}",
            "Content-Type: text/plain; charset=UTF-8",
            "",
        ]
        start = rng.randrange(len(self.text_lines))
        n = max(1, int(rng.lognormvariate(3.0, 1.0)))
        body += [self.text_lines[(start + i) % len(self.text_lines)] for i in range(n)]
        if rng.random() < 0.02:
            body.append(">From the archives, a quoted line")
        if rng.random() < self.attach_rate:
            size = min(len(self.blob_lines), max(50, int(rng.lognormvariate(7.0, 1.2))))
            off = rng.randrange(len(self.blob_lines) - size + 1)
            body += [
                f"--{boundary}",
                'Content-Type: application/pdf; name="report.pdf"',
                "Content-Transfer-Encoding: base64",
                "",
                *self.blob_lines[off : off + size],
            ]
        body.append(f"--{boundary}--")
        return body

    def message(self, n: int) -> str:
        rng = self.rng
        at = NOW - timedelta(seconds=rng.randint(0, 6 * 365 * 86400))
        is_list = rng.random() < 0.05
        reply, thrid, ids, members = self._thread(is_list)
        owner_sends = not is_list and rng.random() < 0.35
        cc: list[tuple[str, str]] = []
        if is_list:
            sender, to = rng.choice(self.people), [("dev list", "dev@lists.example.org")]
        elif owner_sends:
            sender = ("Me Myself", rng.choice([OWNER, OWNER_ALIAS]))
            to, cc = members[:1], members[1:]
        else:
            sender, to = rng.choice(members), [("Me Myself", OWNER)]
            cc = [m for m in members if m != sender]
        msgid = f"<{n}.{rng.getrandbits(40):x}@mail.example>"
        h = [f"From {thrid}@xxx {at:%a %b %d %H:%M:%S} +0000 {at:%Y}"]
        self._transport(h, at, owner_sends, thrid)
        h.append(f"Return-Path: <{sender[1]}>")
        h.append(f"From: {_rfc2047(sender[0])} <{sender[1]}>")
        h.append("To: " + ", ".join(f"{_rfc2047(nm)} <{a}>" for nm, a in to))
        if cc:
            h.append("Cc: " + ",\r\n ".join(f"{_rfc2047(nm)} <{a}>" for nm, a in cc))
        h.append(f"Date: {at:%a, %d %b %Y %H:%M:%S} +0000")
        h.append("Subject: =?UTF-8?Q?Re=3A_secret_subject?= " + rng.choice(WORDS))
        h.append(f"Message-ID: {msgid}")
        if reply and ids:
            h.append(f"In-Reply-To: {ids[-1]}")
            h.append("References: " + "\r\n ".join(ids[-10:]))
        if is_list:
            h += [
                "List-Id: Dev list <dev.lists.example.org>",
                "List-Unsubscribe: <mailto:dev-leave@lists.example.org>",
                "List-Post: <mailto:dev@lists.example.org>",
                "Precedence: list",
            ]
        ids.append(msgid)
        return "\r\n".join(h + self._body()) + "\r\n\r\n"


def write_mbox(path: Path, messages: int, seed: int = 1, attach_rate: float = 0.06) -> int:
    """A Takeout-like mbox of ``messages`` messages; returns its size in bytes."""
    writer = _MboxWriter(seed, attach_rate)
    with path.open("w", encoding="utf-8", newline="") as f:
        for n in range(messages):
            f.write(writer.message(n))
    return path.stat().st_size


def _fold(line: str) -> list[str]:
    """RFC 5545 folding: 75 characters, then continuation lines starting with a space."""
    parts = [line[:75]]
    parts += [" " + line[i : i + 74] for i in range(75, len(line), 74)]
    return parts


def _tz_block() -> list[str]:
    return [
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Berlin",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "TZNAME:CEST",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "TZNAME:CET",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]


def write_ics(path: Path, events: int, seed: int = 2) -> int:
    """A Google-style calendar export with ``events`` VEVENTs; returns its size."""
    rng = random.Random(seed)
    people = _people(rng, 800)
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:me@example.com",
        "X-WR-TIMEZONE:Europe/Berlin",
        *_tz_block(),
    ]
    for n in range(events):
        start = NOW - timedelta(days=rng.randint(-30, 900), hours=rng.randint(0, 10))
        start = start.replace(minute=0, second=0)
        roll = rng.random()
        size = (
            200
            if roll < 0.01
            else rng.randint(10, 40)
            if roll < 0.1
            else rng.randint(2, 6)
            if roll < 0.8
            else 2
        )
        attendees = rng.sample(people, min(size - 1, len(people)))
        uid = f"{n}-{rng.getrandbits(40):x}@google.com"
        ev = [
            "BEGIN:VEVENT",
            f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
            f"DTEND:{start + timedelta(minutes=rng.choice([30, 45, 60])):%Y%m%dT%H%M%SZ}",
            f"DTSTAMP:{NOW:%Y%m%dT%H%M%SZ}",
            f"ORGANIZER;CN=Me Myself:mailto:{OWNER}",
            f"UID:{uid}",
            f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Me Myself;"
            f"X-NUM-GUESTS=0:mailto:{OWNER}",
        ]
        for name, addr in attendees:
            stat = rng.choice(["ACCEPTED", "ACCEPTED", "NEEDS-ACTION", "TENTATIVE", "DECLINED"])
            line = (
                f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={stat};CN={name};"
                f"X-NUM-GUESTS=0:mailto:{addr}"
            )
            ev += _fold(line)
        recurring = rng.random() < 0.15
        if recurring:
            ev.append(rng.choice(["RRULE:FREQ=WEEKLY;BYDAY=MO", "RRULE:FREQ=WEEKLY;COUNT=20"]))
            ev.append(f"EXDATE:{start + timedelta(weeks=2):%Y%m%dT%H%M%SZ}")
        ev += [
            "DESCRIPTION:secret agenda " + " ".join(rng.choices(WORDS, k=20)),
            "SUMMARY:secret title",
            "STATUS:" + ("CANCELLED" if rng.random() < 0.03 else "CONFIRMED"),
            "END:VEVENT",
        ]
        lines += ev
        if recurring and rng.random() < 0.3:
            moved = start + timedelta(weeks=1)
            lines += [
                "BEGIN:VEVENT",
                f"DTSTART:{moved + timedelta(hours=2):%Y%m%dT%H%M%SZ}",
                f"DTEND:{moved + timedelta(hours=3):%Y%m%dT%H%M%SZ}",
                f"RECURRENCE-ID:{moved:%Y%m%dT%H%M%SZ}",
                f"ORGANIZER;CN=Me Myself:mailto:{OWNER}",
                f"UID:{uid}",
                f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{OWNER}",
                "SUMMARY:secret moved",
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    return path.stat().st_size


# -- measured in a fresh subprocess ------------------------------------------------------------
def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(mode: str, path: Path) -> dict[str, float | int | str]:
    started = time.perf_counter()
    out: dict[str, float | int | str] = {"mode": mode}
    if mode == "mbox-baseline":
        import mailbox
        from email.parser import BytesHeaderParser
        from email.policy import compat32

        parser = BytesHeaderParser(policy=compat32)
        box = mailbox.mbox(path, create=False)
        n = 0
        for key in box.iterkeys():
            with box.get_file(key) as f:
                msg = parser.parse(f)  # type: ignore[arg-type]
            n += bool(msg.get("From"))
        out["messages"] = n
    elif mode == "mbox-parser":
        from loaders.mail import summarize_mail

        summary = summarize_mail(path, {OWNER, OWNER_ALIAS})
        out["messages"] = summary.messages
        out["counterparts"] = len(summary.counterparts)
        out["pairs"] = len(summary.cooccurrence)
        out["automated"] = summary.automated
    elif mode == "ics-baseline":
        import icalendar

        cal = icalendar.Calendar.from_ical(path.read_bytes())
        out["events"] = len(list(cal.walk("VEVENT")))
    elif mode == "ics-parser":
        from loaders.calendar import summarize_calendar

        cal_summary = summarize_calendar(path, {OWNER}, now=NOW)
        out["occurrences"] = cal_summary.meetings
        out["counterparts"] = len(cal_summary.counterparts)
        out["pairs"] = len(cal_summary.cooccurrence)
    elif mode in ("mbox-import", "ics-import"):
        out.update(_full_import(mode, path))
    else:
        raise SystemExit(f"unknown mode {mode}")
    out["seconds"] = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 2)
    out["peak_rss_mb"] = _peak_mb()
    return out


def _full_import(mode: str, path: Path) -> dict[str, float | int | str]:
    """The whole import as the CLI runs it: loader, identity, batch, one embedded-store
    transaction (SQLite with fsync, then the in-memory mirror)."""
    import asyncio

    from graph.model import Person
    from graph.store.embedded import EmbeddedStore
    from services.access import Viewer
    from services.imports import ImportKind, ImportRequest, run_import
    from services.planner import Planner

    kind = ImportKind.MBOX if mode == "mbox-import" else ImportKind.CALENDAR
    owner = Person("em:" + OWNER, "Me Myself", email=OWNER)

    async def go(data: Path) -> dict[str, float | int | str]:
        store = EmbeddedStore(data / "db.sqlite", today=NOW.date)
        try:
            planner = Planner(store, today=NOW.date())
            request = ImportRequest(kind, path, owner=owner, aliases=(OWNER_ALIAS,))
            report = await run_import(planner, Viewer("bench"), request)
            return {
                "people": report.people,
                "relationships": report.relationships,
                "interactions": report.interactions,
            }
        finally:
            await store.close()

    with tempfile.TemporaryDirectory() as data:
        return asyncio.run(go(Path(data)))


def measure(mode: str, path: Path) -> dict[str, float | int | str]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float | int | str] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _load() -> str:
    path = Path("/proc/loadavg")
    return " ".join(path.read_text().split()[:3]) if path.exists() else "unknown"


def _line(label: str, r: dict[str, float | int | str]) -> str:
    skip = ("mode", "seconds", "peak_rss_mb")
    extra = ", ".join(f"{k}={v}" for k, v in r.items() if k not in skip)
    seconds, peak = float(r["seconds"]), float(r["peak_rss_mb"])
    return f"{label:<14} {seconds:7.2f} s  peak RSS {peak:7.1f} MB  {extra}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--attach-rate", type=float, default=0.06)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child[0], Path(args.child[1]))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        mbox, ics = root / "All mail Including Spam and Trash.mbox", root / "calendar.ics"
        t = time.perf_counter()
        if not mbox.exists():
            write_mbox(mbox, args.messages, attach_rate=args.attach_rate)
        if not ics.exists():
            write_ics(ics, args.events)
        print(f"generated in {time.perf_counter() - t:.1f} s")
        load = (
            Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
        )
        print(
            f"load average before measuring: {' '.join(load)} (2 cores; wall time includes waiting)"
        )
        print(f"mbox: {args.messages:,} messages, {mbox.stat().st_size / 1e6:,.0f} MB")
        print(f"ics:  {args.events:,} events, {ics.stat().st_size / 1e6:,.1f} MB")
        results = {}
        for mode, p in (
            ("mbox-baseline", mbox),
            ("mbox-parser", mbox),
            ("mbox-import", mbox),
            ("ics-baseline", ics),
            ("ics-parser", ics),
            ("ics-import", ics),
        ):
            if args.skip_baseline and mode.endswith("baseline"):
                continue
            results[mode] = measure(mode, p)
            print(_line(mode, results[mode]), flush=True)
        mp, cp = results["mbox-import"], results["ics-import"]
        ok_mbox = float(mp["seconds"]) <= 20 and float(mp["peak_rss_mb"]) <= 500
        print(f"mbox import target <= 20 s and <= 500 MB: {'MET' if ok_mbox else 'MISSED'}")
        ok_ics = float(cp["seconds"]) <= 5
        print(f"calendar import target <= 5 s: {'MET' if ok_ics else 'MISSED'}")


if __name__ == "__main__":
    main()
