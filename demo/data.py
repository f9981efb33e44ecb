"""One member's large LinkedIn export in the real formats, for the import benchmark.

Everything is invented. The files follow the 2025 export formats byte for byte
where it matters (Connections.csv with its preamble, messages.csv with every
field quoted, Invitations.csv with profile URLs), so the benchmark goes through
the same loader as real data and exercises its quirks: emoji, non-Latin names,
commas inside quoted fields, percent-encoded profile URLs, multi-line messages.

The demo team is :mod:`demo.team_exports` (several members' exports in the
2024, 2022 and 2018 formats, overlapping, with planted scenarios); it shares
this module's LinkedIn headers. There is no file of ties between contacts: no
real export has one.

Randomness comes from one seeded :class:`random.Random` and dates from the
``today`` argument, never the clock: the same arguments give the same bytes.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from urllib.parse import quote

from graph.identity import person_id_for


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST = _words(
    "Maya Daniel Priya Ana Bo Chen Dana Elif Farah Gabriel Hana Ivan Jonas Kenji Lea Marta Nikhil "
    "Olga Pablo Qiang Rosa Sven Tomás Uma Victor Wen Xavier Yara Zoë Amara Björn Chiara Dmitri "
    "Esther Fatima Giulia Hiroshi Ingrid Jamal Kwame Lucía Mateo Nadia Oren Péter Rania Sofia "
    "Tariq Ulla Valentina William Yusuf Zainab Aiko Bongani Camila Diego Emeka Freya Goran Hamid "
    "Isla Jun Kofi Laila Malik Noor Oskar Paula Quentin Rahul Saanvi Teodora Ugo Vera Wanjiru "
    "Ximena Yosef Zofia Aaron Beatriz Ciaran Deepa Elena Felipe Grace Hugo Imani Jakub Keiko "
    "Liam Mei Nia Omar Patrick Rin Sebastián Thandiwe Vikram Wei Yasmin Zeynep Adaeze Arjun "
    "Chloé Dominik Eun-ji Fernando Hyun-woo Ioana Joaquín Kateryna Lars Mariam Nils Precious"
)
LAST = _words(
    "Chen Okafor Raman Pérez Brandt Dunn Yilmaz Haddad Moreau Sato Ivanova Lindqvist Tanaka "
    "Novak García Kowalski Mehta Petrova Romero Zhang Silva Berg Álvarez Rao Dubois Liu Mendes "
    "Farouk Müller Nakamura O'Neill Adeyemi Larsen Rossi Schmidt Nguyen Kim Haas Costa Wójcik "
    "Bianchi Fischer Santos Kaur Hughes Abebe Jensen Lopez Ito Katz Osei Popescu Horvat Nilsen "
    "Reyes Achebe Bakker Castillo Dimitrov Eriksson Fernandes Gupta Hoffmann Iyer Jovanović "
    "Kariuki Laurent Mwangi Nowak Ortiz Park Quispe Rahman Sørensen Thompson Usman Vargas "
    "Walsh Xu Yamamoto Zieliński Banerjee Cohen Delgado Egwu Fontaine Grünberg Hernández "
    "Ibrahim Johansson Kuznetsov Lambert MacLeod Nair Okonkwo Patel Richter Sandoval Tran"
)
# Names in other scripts (given names, family names), as people write them on LinkedIn.
SCRIPTS = (
    (("伟", "芳", "娜", "静", "磊"), ("李", "王", "张", "刘")),
    (("Алексей", "Мария", "Дмитрий", "Ольга"), ("Смирнов", "Иванова", "Кузнецов")),
    (("محمد", "فاطمة", "علي", "ليلى"), ("حسن", "العلي", "منصور")),
    (("花子", "健", "陽菜"), ("佐藤", "鈴木", "高橋")),
    (("민준", "서연", "지호"), ("김", "이", "박")),
    (("Νίκος", "Ελένη", "Γιώργος"), ("Παπαδόπουλος", "Κωνσταντίνου")),
)
SUFFIXES = ("Ph.D.", "MBA", "CPA", "Jr.", "MD", "PMP")
EMOJI = ("🚀", "✨", "🌱", "☕", "🇺🇦")


# Industry -> companies with a relative size. Invented but plausible.
COMPANIES: dict[str, tuple[tuple[str, int], ...]] = {
    "fintech": (
        ("Northwind Bank", 9),
        ("Ledgerly", 6),
        ("Paystream", 6),
        ("Fairlend", 4),
        ("Coinfield", 3),
        ("Tallybook", 3),
        ("Brightwire Payments", 4),
        ("Clearmint", 2),
    ),
    "health": (
        ("Northwind Health", 8),
        ("Carewell", 5),
        ("Medisync", 4),
        ("Vitalis Labs", 3),
        ("Pulsepoint Health", 3),
        ("Harborview Clinics", 4),
    ),
    "saas": (
        ("Cloudkite", 6),
        ("Datadrift", 5),
        ("Tasklane", 4),
        ("Quiverly", 3),
        ("Stackfield", 4),
        ("Beacon Analytics", 3),
        ("Loopwise", 2),
    ),
    "retail": (
        ("Brightcart", 6),
        ("Urban Goods", 4),
        ("Shelfwise", 3),
        ("Freshbox", 4),
        ("Kettle & Co.", 2),
    ),
    "climate": (
        ("Gridshift", 4),
        ("Solaria Energy", 5),
        ("Carbonless", 3),
        ("Windrow", 2),
        ("Tidewater Power", 3),
    ),
    "vc": (
        ("Seedling Ventures", 2),
        ("Northstar Capital", 2),
        ("Granite Partners", 2),
        ("Lighthouse Ventures", 1),
    ),
    "services": (
        ("Baxter & Hale", 4),
        ("Meridian Advisory", 3),
        ("University of Eastbridge", 3),
        ("Freelance", 2),
    ),
}
TITLES: dict[str, tuple[tuple[str, int], ...]] = {
    "common": (
        ("Software Engineer", 14),
        ("Senior Software Engineer", 10),
        ("Staff Engineer", 3),
        ("Engineering Manager", 4),
        ("VP Engineering", 1),
        ("CTO", 1),
        ("Product Manager", 6),
        ("Senior Product Manager", 3),
        ("Head of Product", 1),
        ("Product Designer", 4),
        ("Data Scientist", 4),
        ("Analytics Engineer", 2),
        ("Account Executive", 5),
        ("Sales Development Representative", 3),
        ("Head of Sales", 1),
        ("Marketing Manager", 3),
        ("Growth Lead", 1),
        ("Recruiter", 3),
        ("Head of People", 1),
        ("Finance Manager", 2),
        ("CFO", 1),
        ("Operations Lead", 2),
        ("Customer Success Manager", 4),
        ("Co-Founder & CEO", 1),
    ),
    "fintech": (
        ("Payments Engineer", 4),
        ("Risk Analyst", 3),
        ("Compliance Officer", 2),
        ("Head of Payments", 1),
    ),
    "health": (("Clinical Lead", 3), ("Medical Director", 1), ("Nurse Practitioner", 2)),
    "vc": (("Partner", 4), ("Principal", 3), ("Associate", 5), ("Venture Partner", 2)),
    "climate": (("Energy Analyst", 3), ("Grid Engineer", 3)),
    "retail": (("Category Manager", 3), ("Supply Chain Lead", 2)),
    "services": (("Consultant", 6), ("Professor", 1), ("Independent Consultant", 2)),
}
CITIES = ("Berlin", "London", "Lagos", "Bengaluru", "Toronto", "Lisbon", "Singapore", "Austin")

MONTHS = _words("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec")
NOTICE = (
    "When exporting your connection data, you may notice that some of the email addresses are "
    "missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more about why this may be "
    "happening here: https://www.linkedin.com/help/linkedin/answer/261"
)
CONNECTION_HEADER = (
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
)
MESSAGE_HEADER = (
    "CONVERSATION ID",
    "CONVERSATION TITLE",
    "FROM",
    "SENDER PROFILE URL",
    "TO",
    "RECIPIENT PROFILE URLS",
    "DATE",
    "SUBJECT",
    "CONTENT",
    "FOLDER",
    "ATTACHMENTS",
)
INVITATION_HEADER = (
    "From",
    "To",
    "Sent At",
    "Message",
    "Direction",
    "inviterProfileUrl",
    "inviteeProfileUrl",
)
PROFILE_HEADER = (
    "First Name",
    "Last Name",
    "Maiden Name",
    "Address",
    "Birth Date",
    "Headline",
    "Summary",
    "Industry",
    "Zip Code",
    "Geo Location",
    "Twitter Handles",
    "Websites",
    "Instant Messengers",
)
POSITION_HEADER = ("Company Name", "Title", "Description", "Location", "Started On", "Finished On")
LINES = (
    "Thanks, talk soon!",
    "Great seeing you yesterday.",
    "Could you send me the deck?",
    "Congrats on the new role 🎉",
    "Happy to help — let me know.",
    "Are you around next week for a coffee?",
    "Sounds good, see you then.",
    "Loved your post about onboarding, we had the same problem.",
    'He said "let\'s do it", so we are moving ahead.',
    "Quick one: who runs partnerships at your place these days?",
)
NOTES = (
    "Enjoyed your talk on payments infrastructure, would love to stay in touch.",
    "Hi! We met at the Lisbon founders dinner.",
    "Fellow Ledgerly alum here, let's connect.",
    "Saw your post on hiring, great points.",
)


@dataclass(frozen=True, slots=True)
class FakePerson:
    """An invented person as LinkedIn shows them to a connection."""

    first: str
    last: str
    company: str
    position: str
    industry: str
    slug: str  # as it appears in the URL (percent-encoded for non-Latin names)
    past: str = ""  # a previous employer: colleagues there know each other
    email: str = ""

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def url(self) -> str:
        return f"https://www.linkedin.com/in/{self.slug}"

    @property
    def id(self) -> str:
        """The id the LinkedIn loader gives this person (``li:<normalised slug>``)."""
        return person_id_for(self.url, "", "", "")


@dataclass(frozen=True, slots=True)
class _Member:
    person: FakePerson
    home: tuple[str, ...]  # industries whose people they tend to know
    positions: tuple[tuple[str, str, str, str], ...]  # company, title, started, finished


def _li_date(d: date) -> str:
    """``16 Dec 2024``, as Connections.csv writes dates since 2020."""
    return f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}"


def _utc(at: datetime) -> str:
    """``2025-11-17 22:05:06 UTC``, as messages.csv writes timestamps."""
    return f"{at:%Y-%m-%d %H:%M:%S} UTC"


def _invitation_time(at: datetime) -> str:
    """``11/17/25, 10:05 PM``, as Invitations.csv writes timestamps."""
    return f"{at.month}/{at.day}/{at:%y}, {int(at.strftime('%I'))}:{at:%M %p}"


@lru_cache(maxsize=64)
def _cumulative(options: tuple[tuple[str, int], ...]) -> tuple[list[str], list[int]]:
    return [o for o, _ in options], list(accumulate(w for _, w in options))


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    values, cumulative = _cumulative(options)
    return rng.choices(values, cum_weights=cumulative)[0]


def _slug(rng: random.Random, first: str, last: str) -> str:
    """A profile slug the way LinkedIn mints them: names plus a random suffix."""
    base = f"{first}-{last}".replace(",", "").replace(".", "").replace("'", "")
    words = [w for w in base.replace(" ", "-").split("-") if w and w.isalnum()]
    text = "-".join(words).lower()
    suffix = f"{rng.getrandbits(32):08x}"[: rng.choice((6, 7, 8))]
    if text.isascii():
        return f"{text}-{suffix}" if rng.random() < 0.85 else text + suffix[:3]
    return quote(f"{text}-{suffix}", safe="-")  # LinkedIn percent-encodes non-Latin slugs


def _name(rng: random.Random) -> tuple[str, str]:
    """Mostly Latin-script names; a few in other scripts, with emoji or with suffixes."""
    roll = rng.random()
    if roll < 0.03:
        firsts, lasts = rng.choice(SCRIPTS)
        first, last = rng.choice(firsts), rng.choice(lasts)
        # Chinese, Japanese and Korean names are often written family name first.
        return (last, first) if rng.random() < 0.3 else (first, last)
    first, last = rng.choice(FIRST), rng.choice(LAST)
    if roll < 0.045:
        return first, f"{last}, {rng.choice(SUFFIXES)}"  # the comma forces CSV quoting
    if roll < 0.055:
        return f"{first} {rng.choice(EMOJI)}", last
    return first, last


def _person(
    rng: random.Random, n: int, industry: str, *, company: str = "", position: str = ""
) -> FakePerson:
    first, last = _name(rng)
    if not company:
        company = _weighted(rng, COMPANIES[industry])
    if not position:
        extra = TITLES.get(industry, ())
        position = _weighted(rng, TITLES["common"] + extra + extra)
    other = rng.choice(list(COMPANIES))
    past = _weighted(rng, COMPANIES[other]) if rng.random() < 0.6 else ""
    slug = _slug(rng, first, last)
    email = ""
    if rng.random() < 0.04:  # most connections hide their email address
        local = slug.split("-")[0] if slug.isascii() else f"user{n}"
        domain = "".join(ch for ch in company.lower() if ch.isalnum()) or "mail"
        email = f"{local}@{domain}.example"
    return FakePerson(first, last, company, position, industry, slug, past, email)


def _unique_slugs(people: list[FakePerson]) -> None:
    """One profile, one slug: rename the rare random collision in place."""
    seen: set[str] = set()
    for n, p in enumerate(people):
        if p.slug in seen:
            people[n] = replace(p, slug=f"{p.slug}-{n}")
        seen.add(people[n].slug)


def _csv_text(rows: Sequence[Sequence[str]], *, quote_all: bool = False) -> str:
    buf = io.StringIO()
    csv.writer(
        buf, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, lineterminator="\n"
    ).writerows(rows)
    return buf.getvalue()


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def connections_csv(rows: Sequence[Sequence[str]]) -> str:
    """Connections.csv as LinkedIn writes it since 2023: notice preamble, blank line, table."""
    return f'Notes:\n"{NOTICE}"\n\n' + _csv_text([CONNECTION_HEADER, *rows])


def _connection_row(p: FakePerson, on: date) -> list[str]:
    return [p.first, p.last, p.url, p.email, p.company, p.position, _li_date(on)]


def _content(rng: random.Random) -> str:
    text = rng.choice(LINES)
    if rng.random() < 0.2:  # real messages span lines
        text += "\n\n" + rng.choice(LINES)
    return text


def _conversation_id(rng: random.Random) -> str:
    return (
        "2-"
        + "".join(
            rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", k=22)
        )
        + "=="
    )


def _thread(
    rng: random.Random,
    me: FakePerson,
    other: FakePerson,
    n: int,
    *,
    last: datetime,
    spread_days: int,
) -> list[list[str]]:
    """``n`` messages between two people, both ways, ending at ``last``."""
    conv = _conversation_id(rng)
    out = []
    for _ in range(n):
        at = last - timedelta(seconds=rng.randint(0, spread_days * 86_400))
        sender, recipient = (me, other) if rng.random() < 0.5 else (other, me)
        out.append(
            [
                conv,
                "",
                sender.name,
                sender.url,
                recipient.name,
                recipient.url,
                _utc(at),
                "",
                _content(rng),
                "INBOX",
                "",
            ]
        )
    return out


def _member_files(
    folder: Path,
    rng: random.Random,
    member: _Member,
    contacts: list[tuple[FakePerson, date]],
    threads: list[list[str]],
    *,
    today: date,
) -> None:
    me = member.person
    folder.mkdir(parents=True, exist_ok=True)
    city = rng.choice(CITIES)
    profile = [
        me.first,
        me.last,
        "",
        "",
        "",
        f"{me.position} at {me.company}",
        "Building things with good people.",
        "Technology, Information and Internet",
        "",
        f"{city}, Germany" if city == "Berlin" else city,
        "",
        "",
        "",
    ]
    _write(folder / "Profile.csv", _csv_text([PROFILE_HEADER, profile]))
    _write(
        folder / "Positions.csv",
        _csv_text([POSITION_HEADER, *([c, t, "", city, s, f] for c, t, s, f in member.positions)]),
    )
    contacts = sorted(contacts, key=lambda pc: (pc[1], pc[0].slug), reverse=True)
    _write(
        folder / "Connections.csv", connections_csv([_connection_row(p, on) for p, on in contacts])
    )

    now = datetime.combine(today, datetime.min.time())
    rows = list(threads)
    people = [p for p, _ in contacts]
    ranked = rng.sample(people, min(len(people), 220))
    for rank, p in enumerate(ranked):  # skew: a few close contacts, a long tail, most none
        if rank < 10:
            n, last, spread = rng.randint(25, 90), now - timedelta(days=rng.randint(0, 20)), 700
        elif rank < 60:
            n, last, spread = rng.randint(3, 15), now - timedelta(days=rng.randint(5, 200)), 400
        else:
            n, last, spread = rng.randint(1, 2), now - timedelta(days=rng.randint(30, 900)), 30
        rows += _thread(rng, me, p, n, last=last, spread_days=spread)
    group = ranked[:3]
    rows.append(
        [
            _conversation_id(rng),
            "Offsite planning",
            me.name,
            me.url,
            ", ".join(p.name for p in group),
            ", ".join(p.url for p in group),
            _utc(now - timedelta(days=3, hours=5)),
            "",
            "Dates for the offsite?\nFriday works for me.",
            "INBOX",
            "",
        ]
    )
    rows.append(
        [
            _conversation_id(rng),
            "",
            "Acme Webinars",
            "",
            me.name,
            me.url,
            _utc(now - timedelta(days=2, hours=9)),
            "Join our payments webinar",
            "Sponsored content",
            "INBOX",
            "",
        ]
    )
    rows.sort(key=lambda r: r[6], reverse=True)
    _write(folder / "messages.csv", _csv_text([MESSAGE_HEADER, *rows], quote_all=True))

    invitations = []
    recent = [(p, on) for p, on in contacts if (today - on).days < 365][:60]
    for p, on in recent:
        outgoing = rng.random() < 0.55
        src, dst = (me, p) if outgoing else (p, me)
        at = datetime.combine(on, datetime.min.time()) - timedelta(minutes=rng.randint(10, 4000))
        note = rng.choice(NOTES) if rng.random() < 0.35 else ""
        invitations.append(
            [
                src.name,
                dst.name,
                _invitation_time(at),
                note,
                "OUTGOING" if outgoing else "INCOMING",
                src.url,
                dst.url,
            ]
        )
    _write(folder / "Invitations.csv", _csv_text([INVITATION_HEADER, *invitations]))


def _connected_on(rng: random.Random, today: date) -> date:
    # Networks grow over years, faster recently.
    days = int(rng.triangular(10, 365 * 12, 200))
    return today - timedelta(days=days)


def write_synthetic_export(
    out_dir: Path, *, connections: int, messages: int, seed: int, today: date
) -> Path:
    """One member's large export in the 2025 formats, for the import benchmark.

    Exactly ``connections`` connection rows and ``messages`` message rows, with
    the same skew as real inboxes (a Zipf-like few contacts get most messages).
    Returns ``out_dir``.
    """
    rng = random.Random(seed)
    me = FakePerson("Bench", "Owner", "Cloudkite", "Founder", "saas", "bench-owner")
    member = _Member(me, ("saas",), (("Cloudkite", "Founder", "Jan 2020", ""),))
    industries = list(COMPANIES)
    people = [_person(rng, n, industries[n % len(industries)]) for n in range(connections)]
    _unique_slugs(people)
    contacts = [(p, _connected_on(rng, today)) for p in people]
    out_dir.mkdir(parents=True, exist_ok=True)
    _member_files(out_dir, rng, member, contacts, [], today=today)
    # Replace the demo-sized inbox with a benchmark-sized one of exactly ``messages`` rows.
    talked = people[: max(1, min(len(people), messages // 4))]
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(talked))]
    picks = rng.choices(range(len(talked)), weights=weights, k=messages)
    now = datetime.combine(today, datetime.min.time())
    convs = [_conversation_id(rng) for _ in talked]
    rows = []
    for k in picks:
        p = talked[k]
        at = now - timedelta(seconds=rng.randint(0, 700 * 86_400))
        sender, recipient = (me, p) if rng.random() < 0.5 else (p, me)
        rows.append(
            [
                convs[k],
                "",
                sender.name,
                sender.url,
                recipient.name,
                recipient.url,
                _utc(at),
                "",
                _content(rng),
                "INBOX",
                "",
            ]
        )
    rows.sort(key=lambda r: r[6], reverse=True)
    _write(out_dir / "messages.csv", _csv_text([MESSAGE_HEADER, *rows], quote_all=True))
    return out_dir
