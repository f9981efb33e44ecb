"""Deterministic LinkedIn-format exports for the demo team and for benchmarks.

Everything is invented. The files follow the 2025 export formats (Connections.csv
with its preamble, messages.csv with every field quoted, Invitations.csv with
profile URLs), so the demo goes through the same loader as real data.
"""

from __future__ import annotations

import csv
import random
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

FIRST = (
    "Maya Daniel Priya Ana Bo Chen Dana Elif Farah Gabriel Hana Ivan Jonas Kenji Lea Marta Nikhil "
    "Olga Pablo Qiang Rosa Sven Tomás Uma Victor Wen Xavier Yara Zoë Amara Björn Chiara Dmitri "
    "Esther Fatima Giulia Hiroshi Ingrid Jamal Kwame Lucía Mateo Nadia Oren Péter Rania Sofia Tariq "
    "Ulla Valentina William Yusuf Zainab Aiko Bongani Camila Diego Emeka Freya Goran Hamid Isla"
).split()
LAST = (
    "Chen Okafor Raman Pérez Brandt Dunn Yilmaz Haddad Moreau Sato Ivanova Lindqvist Tanaka Novak "
    "García Kowalski Mehta Petrova Romero Zhang Silva Berg Álvarez Rao Dubois Liu Mendes Farouk "
    "Müller Nakamura O'Neill Adeyemi Larsen Rossi Schmidt Nguyen Kim Haas Costa Wójcik Bianchi "
    "Fischer Santos Kaur Hughes Abebe Jensen Lopez Ito Katz Osei Popescu Horvat Nilsen Reyes"
).split()
SPECIAL_NAMES = [("李", "伟"), ("Алексей", "Смирнов"), ("Sam 🚀", "Lee"), ("Grace", "Hopper, Ph.D."), ("محمد", "علي")]
INDUSTRIES = {
    "fintech": ["Acme Payments", "Northwind Bank", "Ledgerly", "Paystream", "Coinfield", "Fairlend"],
    "health": ["Northwind Health", "Carewell", "Medisync", "Vitalis Labs", "Pulsepoint"],
    "saas": ["Cloudkite", "Datadrift", "Tasklane", "Formstack Labs", "Quiverly", "Stackfield"],
    "retail": ["Brightcart", "Urban Goods", "Shelfwise", "Freshbox"],
    "climate": ["Gridshift", "Solaria Energy", "Carbonless", "Windrow"],
    "vc": ["Seedling Ventures", "Northstar Capital", "Granite Partners"],
}
TITLES = [
    "Software Engineer", "Senior Software Engineer", "Engineering Manager", "Product Manager",
    "Head of Product", "Designer", "Data Scientist", "Account Executive", "Head of Sales",
    "Marketing Lead", "Recruiter", "CFO", "CTO", "VP Engineering", "Founder", "Partner",
    "Head of Payments", "Operations Lead", "Customer Success Manager", "Analyst",
]
MEMBERS = [
    ("Maya", "Chen", "Founder & CEO", "Cloudkite", ["saas", "vc", "fintech"]),
    ("Daniel", "Okafor", "Advisor", "Seedling Ventures", ["vc", "fintech", "health"]),
    ("Priya", "Raman", "Head of Sales", "Cloudkite", ["saas", "retail", "climate"]),
]
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
PREAMBLE = [
    ["Notes:"],
    [
        "Email addresses are included only for connections who allow their connections "
        "to download them; most are blank on purpose."
    ],
    [],
]
CONNECTION_HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
MESSAGE_HEADER = [
    "CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
    "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER", "ATTACHMENTS",
]
INVITATION_HEADER = ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl"]


@dataclass(frozen=True, slots=True)
class FakePerson:
    first: str
    last: str
    company: str
    position: str
    industry: str
    slug: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def url(self) -> str:
        return f"https://www.linkedin.com/in/{self.slug}"


@dataclass(frozen=True, slots=True)
class DemoManifest:
    member_dirs: list[Path]
    member_urls: list[str]
    targets: list[str]
    edges_csv: Path
    people_csv: Path


def _slug(first: str, last: str, n: int) -> str:
    text = unicodedata.normalize("NFKD", f"{first}-{last}")
    ascii_ = "".join(ch for ch in text if ch.isascii() and (ch.isalnum() or ch == "-")).lower()
    return f"{ascii_.strip('-') or 'member'}-{n:05d}"


def _li_date(d: date) -> str:
    return f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}"


def _people(rng: random.Random, n: int) -> list[FakePerson]:
    out = []
    industries = list(INDUSTRIES)
    for i in range(n):
        if i % 97 == 5:
            first, last = SPECIAL_NAMES[(i // 97) % len(SPECIAL_NAMES)]
        else:
            first, last = rng.choice(FIRST), rng.choice(LAST)
        industry = industries[i % len(industries)] if i % 3 else rng.choice(industries)
        company = rng.choice(INDUSTRIES[industry])
        out.append(FakePerson(first, last, company, rng.choice(TITLES), industry, _slug(first, last, i)))
    return out


def _write(path: Path, header: list[str], rows: list[list[str]], *, preamble: bool = False, quote_all: bool = False) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
        if preamble:
            for line in PREAMBLE:
                if line:
                    csv.writer(f, quoting=csv.QUOTE_NONNUMERIC if line != ["Notes:"] else csv.QUOTE_MINIMAL).writerow(line)
                else:
                    f.write("\r\n")
        w.writerow(header)
        w.writerows(rows)


def _member_export(
    folder: Path,
    rng: random.Random,
    member: FakePerson,
    contacts: list[FakePerson],
    *,
    today: date,
    messaged: int,
    max_messages: int,
    decay: bool = True,
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    _write(
        folder / "Profile.csv",
        ["First Name", "Last Name", "Maiden Name", "Address", "Birth Date", "Headline", "Summary", "Industry", "Zip Code", "Geo Location", "Twitter Handles", "Websites", "Instant Messengers"],
        [[member.first, member.last, "", "", "", f"{member.position} at {member.company}", "", "Technology", "", "Berlin", "", "", ""]],
    )
    _write(
        folder / "Positions.csv",
        ["Company Name", "Title", "Description", "Location", "Started On", "Finished On"],
        [
            [member.company, member.position, "", "Berlin", "Mar 2021", ""],
            [rng.choice(INDUSTRIES["fintech"]), "Product Manager", "", "London", "Jan 2016", "Feb 2021"],
        ],
    )
    rows = []
    for p in contacts:
        connected = today - timedelta(days=rng.randint(30, 365 * 9))
        email = f"{p.slug.split('-')[0]}@{p.company.split()[0].lower()}.example" if rng.random() < 0.08 else ""
        rows.append([p.first, p.last, p.url, email, p.company, p.position, _li_date(connected)])
    _write(folder / "Connections.csv", CONNECTION_HEADER, rows, preamble=True)
    msgs = []
    close = rng.sample(contacts, min(messaged, len(contacts)))
    for rank, p in enumerate(close):
        n = max(1, int(max_messages / (1 + rank * 0.35))) if decay else max_messages
        conv = f"2-{rng.getrandbits(48):012x}"
        last_day = rng.randint(1, 700) if rank > 10 else rng.randint(1, 40)
        for k in range(n):
            at = datetime.combine(today, datetime.min.time()) - timedelta(
                days=last_day + k * rng.randint(1, 9), seconds=rng.randint(0, 86399)
            )
            outgoing = rng.random() < (0.5 if rank < 40 else 0.8)
            sender, recipient = (member, p) if outgoing else (p, member)
            body = "Thanks, talk soon." if k % 3 else "Great seeing you.\nLet's catch up next week?"
            msgs.append(
                [conv, "", sender.name, sender.url, recipient.name, recipient.url,
                 at.strftime("%Y-%m-%d %H:%M:%S UTC"), "", body, "INBOX", ""]
            )
    msgs.append(["2-sponsored", "", "Acme Webinars", "", member.name, member.url,
                 f"{today - timedelta(days=3):%Y-%m-%d} 09:00:00 UTC", "Join us", "Promo", "INBOX", ""])
    msgs.sort(key=lambda r: r[6], reverse=True)
    _write(folder / "messages.csv", MESSAGE_HEADER, msgs, quote_all=True)
    invites = []
    for p in rng.sample(contacts, min(120, len(contacts))):
        outgoing = rng.random() < 0.5
        note = "Enjoyed your talk on payments infrastructure." if rng.random() < 0.4 else ""
        at = datetime.combine(today, datetime.min.time()) - timedelta(days=rng.randint(10, 900))
        src, dst = (member, p) if outgoing else (p, member)
        invites.append([src.name, dst.name, at.strftime("%m/%d/%y, %I:%M %p"), note,
                        "OUTGOING" if outgoing else "INCOMING", src.url, dst.url])
    _write(folder / "Invitations.csv", INVITATION_HEADER, invites)


def write_demo_exports(out_dir: Path, *, seed: int = 7, today: date) -> DemoManifest:
    """Three members' exports with ~30% overlap plus known ties between contacts.

    >>> import tempfile
    >>> m = write_demo_exports(Path(tempfile.mkdtemp()), today=date(2026, 11, 1))
    >>> [d.name for d in m.member_dirs]
    ['maya-chen', 'daniel-okafor', 'priya-raman']
    """
    rng = random.Random(seed)
    pool = _people(rng, 4200)
    members = [
        FakePerson(f, last, company, title, industries[0], _slug(f, last, 90000 + i))
        for i, (f, last, title, company, industries) in enumerate(MEMBERS)
    ]
    target = FakePerson("Dana", "Whitfield", "Acme Payments", "Head of Payments", "fintech", "dana-whitfield-acme")
    bridge = FakePerson("Elif", "Yilmaz", "Acme Payments", "VP Engineering", "fintech", "elif-yilmaz-acme")
    pool = [p for p in pool if p.slug not in (target.slug, bridge.slug)] + [target, bridge]
    dirs, urls = [], []
    shared = rng.sample(pool[:-2], 700)  # people most members know (about 30% overlap)
    for i, member in enumerate(members):
        home = set(MEMBERS[i][4])
        mine = [p for p in pool[:-2] if p.industry in home and rng.random() < 0.55][:1300]
        contacts = list(dict.fromkeys([*mine, *shared, *(m for m in members if m != member)]))
        folder = out_dir / member.slug.rsplit("-", 1)[0]
        _member_export(folder, rng, member, contacts, today=today, messaged=160, max_messages=40)
        dirs.append(folder)
        urls.append(member.url)
    # Known ties between contacts: colleagues, plus a few across companies.
    by_company: dict[str, list[FakePerson]] = {}
    for p in pool:
        by_company.setdefault(p.company, []).append(p)
    edges: dict[tuple[str, str], tuple[float, str]] = {}
    for company, staff in sorted(by_company.items()):
        for p in staff:
            for q in rng.sample(staff, min(4, len(staff))):
                if p.slug < q.slug:
                    edges[(p.slug, q.slug)] = (round(rng.uniform(0.25, 0.85), 2), f"colleagues at {company}")
    for _ in range(3000):
        p, q = rng.sample(pool, 2)
        if p.slug < q.slug:
            edges.setdefault((p.slug, q.slug), (round(rng.uniform(0.08, 0.4), 2), "met at an event"))
    # The demo story: Maya reaches Dana through Elif, via a contact who worked with her.
    friend = shared[0]
    edges[tuple(sorted((friend.slug, bridge.slug)))] = (0.8, "worked together at Ledgerly")  # type: ignore[index]
    edges[tuple(sorted((bridge.slug, target.slug)))] = (0.9, "same team at Acme Payments")  # type: ignore[index]
    edges_csv = out_dir / "team_edges.csv"
    _write(
        edges_csv,
        ["source", "target", "strength", "context"],
        [[f"li:{a}", f"li:{b}", f"{s}", ctx] for (a, b), (s, ctx) in sorted(edges.items())],
    )
    people_csv = out_dir / "people.csv"
    _write(
        people_csv,
        ["id", "name", "company", "position", "email", "url"],
        [[f"li:{p.slug}", p.name, p.company, p.position, "", p.url] for p in pool],
    )
    return DemoManifest(dirs, urls, [target.url, bridge.url], edges_csv, people_csv)


def write_synthetic_export(
    out_dir: Path, *, connections: int, messages: int, seed: int, today: date
) -> Path:
    """One member's large export (benchmarks): ``connections`` rows, ``messages`` rows."""
    rng = random.Random(seed)
    pool = _people(rng, connections)
    member = FakePerson("Bench", "Owner", "Cloudkite", "Founder", "saas", "bench-owner")
    folder = out_dir
    per = max(1, messages // max(1, connections // 10))
    _member_export(
        folder, rng, member, pool, today=today, messaged=max(1, messages // per), max_messages=per, decay=False
    )
    return folder
