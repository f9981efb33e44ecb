"""A team's LinkedIn data exports, written as real files, with planted scenarios.

Why this exists
---------------
A real LinkedIn export holds only its owner's ties: a star around the owner,
with each contact's current company and position, message and invitation
metadata, and the owner's own profile, positions, schools and endorsements. A
team pools a few members' exports: a few big stars that overlap where the same
person is in several exports, and nothing else. The previous demo
(``demo.data``) added thousands of contact-to-contact ties that no real
export contains, so the demo showed paths the product could never find on real
data. This generator writes only what a team could really upload, so the demo,
the tests and production all see the same shape.

What it writes
--------------
``root/<member-folder>/`` for every member, with the file names LinkedIn uses and
only the files and columns :mod:`loaders.linkedin_export` reads:
``Connections.csv``, ``messages.csv``, ``Invitations.csv``, ``Profile.csv``,
``Positions.csv``, ``Education.csv`` and ``Endorsement_Received_Info.csv``.

Each member's export is in the format of the year it was downloaded (its
*variant*), because teams pool old archives as well as fresh ones:

``"2024"``
    Downloaded ``today``. ``Notes:`` preamble, ``URL`` and ``Email Address``
    columns, ``16 Dec 2024`` dates; messages with sender and recipient profile
    URLs; invitations with profile URLs.
``"2022"``
    Downloaded in October 2022. Preamble, email but no URL column; messages
    carry the sender's profile URL only; invitations by name.
``"2018"``
    Downloaded in April 2018. No preamble, no URL and no email column,
    ``1/8/18, 6:14 PM`` dates; messages with a ``Direction`` column and names only.

Contacts in the old exports carry the company they had *then*, so a person who
changed jobs cannot be matched across exports by name and company; a person
whose employer is only spelled differently ("Acme Inc.", "ACME", "Acme, Inc") can.

Shape
-----
Heavy-tailed ego sizes (``sizes``, scaled by ``scale``), overlaps between exports
(``overlap`` of a teammate's contacts are people an earlier member also has),
members connected to some but not all teammates, messy titles ("Founder | Angel
Investor | Ex-Google", "Sr. SWE II", blank), students, freelancers, missing
companies, a few employers with many people (so company-based inference has
something to work on), messages for a minority of contacts with a long tail,
recent and old connection dates, one sponsored message and one pending
invitation per export (the loader reports both as notes, never as ties).

Planted scenarios
-----------------
Returned in :class:`TeamManifest` as names and URLs a test can look up; the first
member is the requester:

(a) ``teammate_contact``: a close teammate's contact who is in no other export.
(b) ``weak_direct``: the requester's contact with a weak tie (connected over a
    decade ago, no messages), whom the close teammate messages often both ways
    and used to work with.
(c) ``inferred_colleague``: a target in nobody's export whose company one of the
    requester's contacts also lists, spelled differently.
(d) ``outside_target``: a company and title ("CTO") nobody in the data holds, at
    the company where the team knows the most people.
(e) ``namesakes``: "José Álvarez" and "Jose Alvarez", two people at different
    companies in different exports.
(f) ``url_less_only``: a contact who appears only in a URL-less export.

Determinism: one seeded :class:`random.Random`, dates derived from ``today``
(never the clock), iteration over lists only; the same arguments give the same
bytes.

Example
-------
A runnable sketch (also ``python -m demo.team_exports /tmp/team``)::

    from pathlib import Path
    from demo.team_exports import write_team_exports

    team = write_team_exports(Path("/tmp/team"), seed=7)
    for m in team.members:
        print(m.name, m.variant, m.connections, m.folder)
    print("weak for the requester, strong for", team.weak_direct.teammate,
          ":", team.weak_direct.person.name)
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from demo.data import PROFILE_HEADER

Variant = Literal["2024", "2022", "2018"]
VARIANT_CYCLE: tuple[Variant, ...] = ("2024", "2022", "2018")
DEFAULT_SIZES = (400, 250, 120, 60)
DEFAULT_TODAY = date(2026, 11, 1)  # the demo's "today" (services.demo.DEMO_TODAY)
ERA_EXPORTED_ON: dict[Variant, date] = {
    "2022": date(2022, 10, 3),
    "2018": date(2018, 4, 20),
}
FILES = (
    "Connections.csv",
    "messages.csv",
    "Invitations.csv",
    "Profile.csv",
    "Positions.csv",
    "Education.csv",
    "Endorsement_Received_Info.csv",
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# -- vocabulary ------------------------------------------------------------------------------
_FIRST = _words(
    "Aaron Adaeze Aiko Amara Andrei Anika Arjun Astrid Ayesha Beatriz Bilal Björn Camila Carlos "
    "Chidi Chloé Ciaran Dalia Dario Deepa Diego Dominik Ebere Elif Emeka Emil Eun-ji Fatima "
    "Felipe Fernando Freya Gabriel Giulia Goran Hamid Hana Hugo Ibrahim Imani Ingrid Ioana Isla "
    "Ivan Jakub Jamal Jasmine Joaquín Jonas Jun Kai Kateryna Keiko Kenji Kofi Laila Lars Leila "
    "Liam Lucía Magnus Malik Mariam Marta Mateo Mei Mila Nadia Nia Nikhil Nils Noah Oksana "
    "Olga Omar Oren Oskar Pablo Paula Péter Quentin Rahul Rania Rin Rosa Saanvi Samir Sebastián "
    "Selin Sven Tariq Teodora Thandiwe Tomás Uma Valentina Vera Victor Vikram Wanjiru Wei "
    "William Xavier Ximena Yara Yasmin Yosef Yusuf Zainab Zeynep Zofia"
)
_LAST = _words(
    "Abebe Achebe Bakker Banerjee Berg Bianchi Castillo Cohen Costa Delgado Dimitrov Dubois "
    "Egwu Eriksson Farouk Fernandes Fontaine García Grünberg Gupta Haas Hernández Hoffmann "
    "Horvat Hughes Ibrahim Ito Iyer Jensen Johansson Jovanović Kariuki Katz Kaur Kim Kowalski "
    "Kuznetsov Lambert Larsen Laurent Lopez MacLeod Mehta Mendes Moreau Müller Mwangi Nair "
    "Nakamura Nguyen Nilsen Nowak O'Neill Okonkwo Ortiz Osei Park Patel Petrova Popescu Quispe "
    "Rahman Rao Reyes Richter Romero Sandoval Santos Sato Schmidt Silva Sørensen Thompson "
    "Tran Usman Vargas Walsh Wójcik Xu Yamamoto Yilmaz Zhang Zieliński"
)
_SCRIPTS = (  # given names, family names, as people write them on LinkedIn
    (("伟", "芳", "娜", "静", "磊"), ("李", "王", "张", "刘")),
    (("Алексей", "Мария", "Дмитрий", "Ольга"), ("Смирнов", "Иванова", "Кузнецов")),
    (("민준", "서연", "지호"), ("김", "이", "박")),
    (("Νίκος", "Ελένη", "Γιώργος"), ("Παπαδόπουλος", "Κωνσταντίνου")),
)
_SUFFIXES = ("Ph.D.", "MBA", "CPA", "PMP")
_EMOJI = ("🚀", "✨", "🌱")
_MAIL_DOMAINS = ("mail.example", "inbox.example", "post.example")


@dataclass(frozen=True, slots=True)
class _Company:
    name: str  # canonical spelling (what the company's own page says)
    weight: int  # relative head count among the team's contacts
    spellings: tuple[str, ...] = ()  # how people also write it; same once legal suffixes go


# A few employers with many people (company-based inference needs them), a long tail of
# small ones. Every spelling variant differs only by case, punctuation or a legal suffix,
# which is what identity resolution forgives; a renamed company is a different company.
_COMPANIES = (
    _Company("Northwind Bank", 7, ("Northwind Bank plc", "NORTHWIND BANK", "Northwind Bank Ltd.")),
    _Company("Acme Inc.", 6, ("ACME", "Acme, Inc", "Acme")),
    _Company("Globex", 5, ("Globex Corporation", "GLOBEX", "Globex Corp.")),
    _Company("Ledgerly", 4, ("Ledgerly Inc.", "ledgerly")),
    _Company("Paystream", 3, ("PayStream", "Paystream Ltd")),
    _Company("Brightcart", 3, ("BrightCart", "Brightcart, Inc.")),
    _Company("Cloudkite", 3, ("CloudKite", "Cloudkite GmbH")),
    _Company("Datadrift", 2, ("DataDrift",)),
    _Company("Initech", 2, ("Initech LLC",)),
    _Company("Tidewater Power", 3),
    _Company("Medisync", 3, ("MediSync",)),
    _Company("Seedling Ventures", 2),
    _Company("Tasklane", 2),
    _Company("Quiverly", 2),
    _Company("Stackfield", 2),
    _Company("Beacon Analytics", 2),
    _Company("Loopwise", 1),
    _Company("Urban Goods", 2),
    _Company("Shelfwise", 1),
    _Company("Freshbox", 2),
    _Company("Gridshift", 1),
    _Company("Solaria Energy", 2),
    _Company("Carbonless", 1),
    _Company("Windrow", 1),
    _Company("Northstar Capital", 1),
    _Company("Granite Partners", 1),
    _Company("Baxter & Hale", 2, ("BAXTER & HALE",)),
    _Company("Meridian Advisory", 1),
    _Company("Carewell", 2),
    _Company("Vitalis Labs", 1),
    _Company("Harborview Clinics", 1),
    _Company("Fairlend", 1),
    _Company("Coinfield", 1),
    _Company("Tallybook", 1),
    _Company("Kettle & Co.", 1),
    _Company("Orbitly", 1),
    _Company("Vantage Robotics", 1),
    _Company("Hollowbrook Studios", 1),
    _Company("Pinecrest Logistics", 1),
    _Company("Bluefin Health", 1),
    _Company("Copperline", 1),
    _Company("Mosaic Learning", 1),
    _Company("Redwood Analytics", 1),
    _Company("Ferrovia", 1),
    _Company("Lumen & Oak", 1),
    _Company("Saltmarsh Media", 1),
    _Company("Oakhurst Insurance", 1),
    _Company("Velora", 1),
    _Company("Kinetica Labs", 1),
    _Company("Harbor & Finch", 1),
    _Company("Silverpine", 1),
    _Company("Aurora Grid", 1),
    _Company("Nimbus Retail", 1),
    _Company("Fieldnote", 1),
    _Company("Driftwood Games", 1),
    _Company("Polaris Freight", 1),
    _Company("Marigold Foods", 1),
    _Company("Tessellate", 1),
)
_SPELLINGS = {c.name: c.spellings for c in _COMPANIES}
_COMPANY_NAMES = [c.name for c in _COMPANIES]
_COMPANY_CUM = list(accumulate(c.weight for c in _COMPANIES))
_UNIVERSITIES = (
    "Syracuse University",
    "University of Eastbridge",
    "Technische Universität Berlin",
    "University of Lagos",
)
_TITLES = (
    ("Software Engineer", 12),
    ("Senior Software Engineer", 8),
    ("Sr. SWE II", 2),
    ("Staff Engineer", 3),
    ("Engineer, Principal", 1),
    ("Engineering Manager", 4),
    ("VP, Engineering", 1),
    ("CTO", 1),
    ("Chief Technology Officer", 1),
    ("Product Manager", 6),
    ("Senior PM", 2),
    ("Head of Product", 1),
    ("Product Designer", 4),
    ("Data Scientist", 4),
    ("Account Executive", 5),
    ("SDR", 2),
    ("Head of Sales", 1),
    ("Marketing Manager", 3),
    ("Head of Growth 🚀", 1),
    ("Recruiter", 3),
    ("Talent Partner", 2),
    ("Head of People", 1),
    ("Finance Manager", 2),
    ("CFO", 1),
    ("Operations Lead", 2),
    ("Customer Success Manager", 4),
    ("Co-Founder & CEO", 1),
    ("Founder | Angel Investor | Ex-Google", 1),
    ("Payments Engineer", 2),
    ("Risk Analyst", 2),
    ("Compliance Officer", 1),
    ("Partner", 1),
    ("Associate", 1),
    ("Consultant", 3),
    ("Ingeniera de Software", 1),
    ("Software Engineering Intern", 1),
)
_TITLE_NAMES = [t for t, _ in _TITLES]
_TITLE_CUM = list(accumulate(w for _, w in _TITLES))
_CTO_TITLES = frozenset({"CTO", "Chief Technology Officer", "Co-Founder & CTO"})
_STUDENT_TITLES = (
    "Masters Student at {u}",
    "Student",
    "MBA Candidate",
    "PhD Student",
    "Computer Science Student at {u}",
)
_FREELANCE = (
    ("Freelance", "Freelance"),
    ("Self-employed", "Freelance Designer"),
    ("", "Independent Consultant"),
    ("Freelance", "Freelance Copywriter | Content Strategist"),
)
_SKILLS = (
    "Python",
    "Product Management",
    "Leadership",
    "Payments",
    "Go-to-Market Strategy",
    "Machine Learning",
    "Fundraising",
    "SQL",
)
_LINES = (
    "Thanks, talk soon!",
    "Great seeing you yesterday.",
    "Could you send me the deck?",
    "Congrats on the new role 🎉",
    "Happy to help — let me know.",
    "Are you around next week for a coffee?",
    'He said "let\'s do it", so we are moving ahead.',
    "Quick one: who runs partnerships at your place these days?",
)
_NOTES = (
    "Hi! We met at the Lisbon founders dinner.",
    "Enjoyed your talk on payments, would love to stay in touch.",
    "Fellow alum here, let's connect.",
)
_NOTICE = (
    "When exporting your connection data, you may notice that some of the email addresses are "
    "missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more about why this may be "
    "happening here: https://www.linkedin.com/help/linkedin/answer/261"
)
_MONTHS = _words("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec")

# The outside target's company (d) and the inferred colleague's company (c).
OUTSIDE_COMPANY = "Northwind Bank"
OUTSIDE_TITLE = "CTO"
_QUILL = "Quillfeather Labs"  # in no random job: only the bridge and the target work there


# -- the manifest --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PersonRef:
    """A person as one export shows them, or as a user would describe a target.

    ``url`` is the profile URL exactly as written in the files (possibly
    percent-encoded; compare after normalising), "" where that export has no URL.
    """

    name: str
    company: str
    title: str
    url: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class MemberExport:
    """One member's export folder and how it was written."""

    name: str
    folder: Path
    url: str  # the member's own profile URL (other exports and their messages show it)
    variant: Variant
    exported_on: date
    company: str  # current employer at export time, as Positions.csv writes it
    connections: int  # data rows in Connections.csv
    messaged: int  # connections with at least one personal message in messages.csv
    teammates: tuple[str, ...]  # members this export lists as connections

    @property
    def has_urls(self) -> bool:
        return self.variant == "2024"


@dataclass(frozen=True, slots=True)
class Appearance:
    """One export's row for a person who is in several exports (values as written)."""

    member: str
    company: str
    title: str
    url: str
    email: str
    connected_on: date


@dataclass(frozen=True, slots=True)
class Overlap:
    """A contact in two or more exports; ``planted`` names the case a test relies on.

    Planted cases: ``"url"`` (two URL exports, company spelled differently),
    ``"email"`` (URL export and 2022 export, job changed in between, same email;
    the 2022 row's owner also got two endorsements from them),
    ``"name+company"`` (URL export and 2018 export, spelling differs),
    ``"triple"`` (three exports, three spellings), ``"moved"`` (URL export and 2018
    export at a different employer: nothing but the name links them).
    """

    name: str
    appearances: tuple[Appearance, ...]
    planted: str = ""

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(a.member for a in self.appearances)


@dataclass(frozen=True, slots=True)
class TeammateOnlyContact:
    """(a) In ``teammate``'s export and in no other (not the requester's)."""

    person: PersonRef
    teammate: str


@dataclass(frozen=True, slots=True)
class WeakDirectStrongTeammate:
    """(b) The requester's contact with a weak tie; ``teammate`` has a strong one.

    The requester connected on ``requester_connected_on`` and never messaged
    them. The teammate sent ``teammate_sent`` and received ``teammate_received``
    messages, the last on ``last_message``, and both worked at ``shared_employer``
    (the contact still does; the teammate's Positions.csv lists it).
    """

    person: PersonRef
    requester_connected_on: date
    teammate: str
    teammate_sent: int
    teammate_received: int
    last_message: datetime
    shared_employer: str


@dataclass(frozen=True, slots=True)
class InferredColleague:
    """(c) ``target`` is in nobody's data; ``bridge`` (a requester contact) works there too.

    ``target.company`` and ``bridge.company`` are different spellings of the same
    company, and no other person in the data works there.
    """

    target: PersonRef
    bridge: PersonRef


@dataclass(frozen=True, slots=True)
class OutsideTarget:
    """(d) A role nobody in the data holds, at the company the team knows best.

    ``known`` lists every contact whose row names the company (in any of
    ``spellings``); ``member`` is a teammate who works there, if any.
    """

    company: str
    title: str
    spellings: tuple[str, ...]
    known: tuple[PersonRef, ...]
    member: str = ""


@dataclass(frozen=True, slots=True)
class Namesakes:
    """(e) Two people whose names fold to the same text, at different companies."""

    accented: PersonRef
    accented_member: str
    plain: PersonRef
    plain_member: str


@dataclass(frozen=True, slots=True)
class UrlLessOnly:
    """(f) A contact only ``member``'s URL-less export has; ``messages`` both ways in total."""

    person: PersonRef
    member: str
    messages: int


@dataclass(frozen=True, slots=True)
class TeamManifest:
    """Where the exports are and what was planted in them (members[0] is the requester)."""

    root: Path
    seed: int
    today: date
    members: tuple[MemberExport, ...]
    overlaps: tuple[Overlap, ...]
    teammate_contact: TeammateOnlyContact
    weak_direct: WeakDirectStrongTeammate
    inferred_colleague: InferredColleague
    outside_target: OutsideTarget
    namesakes: Namesakes
    url_less_only: UrlLessOnly

    @property
    def requester(self) -> MemberExport:
        return self.members[0]

    def member(self, name: str) -> MemberExport:
        """The member called ``name``; KeyError if there is none."""
        for m in self.members:
            if m.name == name:
                return m
        raise KeyError(name)


# -- the invented world ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Job:
    company: str  # canonical company, "" for none
    title: str
    start: date
    end: date | None = None  # None: current


@dataclass(slots=True)
class _Human:
    """An invented person: their profile slug, shared email and job history."""

    first: str
    last: str
    slug: str  # as written in URLs (percent-encoded for non-ASCII)
    jobs: list[_Job]
    email: str = ""  # "" when they hide it from connections
    member: int = -1  # index in the team, -1 for a contact
    planted: bool = False  # a scenario relies on them: no random messages or endorsements

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def url(self) -> str:
        return f"https://www.linkedin.com/in/{self.slug}"

    def job_at(self, day: date) -> _Job:
        """The job LinkedIn showed on ``day`` (the latest one started by then)."""
        started = [j for j in self.jobs if j.start <= day]
        return max(started, key=lambda j: j.start) if started else self.jobs[0]


@dataclass(slots=True)
class _Row:
    """One Connections.csv row: who, when, and the company and title as written."""

    human: _Human
    connected: datetime
    company: str  # as written
    canonical: str  # the canonical company behind it
    title: str


@dataclass(slots=True)
class _Thread:
    """A conversation between the export's owner and one contact, or between two members."""

    conv: str
    a: _Human
    b: _Human
    events: list[tuple[datetime, _Human]]  # (when, sender)


@dataclass(slots=True)
class _Export:
    index: int
    me: _Human
    variant: Variant
    exported_on: date
    folder: Path
    positions: tuple[_Job, ...]
    schools: tuple[tuple[str, int, int, str], ...]
    headline: str
    rows: list[_Row] = field(default_factory=list)
    slugs: set[str] = field(default_factory=set)
    threads: list[_Thread] = field(default_factory=list)
    group: list[_Human] = field(default_factory=list)  # one group conversation (2024 only)
    endorsed_by: list[tuple[_Human, tuple[str, ...]]] = field(default_factory=list)  # planted
    size: int = 0

    @property
    def now(self) -> datetime:
        return datetime.combine(self.exported_on, datetime.min.time()) + timedelta(hours=18)


def _fold(text: str) -> str:
    """Accents, case and punctuation dropped: how identity resolution compares names."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


class _Names:
    """Unique people: no two invented people share a folded name, unless planted (e)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.keys: set[str] = set()
        self.slugs: set[str] = set()
        self.emails: set[str] = set()

    def reserve(self, first: str, last: str, slug: str) -> None:
        self.keys.add(_fold(f"{first} {last}"))
        self.slugs.add(slug)

    def new(self) -> tuple[str, str, str]:
        """First name, last name (maybe with suffix or emoji) and a fresh slug."""
        rng = self.rng
        for attempt in range(200):
            roll = rng.random()
            if roll < 0.03:
                firsts, lasts = rng.choice(_SCRIPTS)
                first, last = rng.choice(firsts), rng.choice(lasts)
            else:
                first, last = rng.choice(_FIRST), rng.choice(_LAST)
            if attempt > 50:  # the name space is filling up: a double-barrelled surname
                # (not a middle initial: "Ana B. Costa" is within the resolver's fuzzy reach)
                last = f"{last}-{rng.choice(_LAST)}"
            key = _fold(f"{first} {last}")
            if key in self.keys:
                continue
            self.keys.add(key)
            slug = self.slug(first, last)
            if 0.03 <= roll < 0.045:
                last = f"{last}, {rng.choice(_SUFFIXES)}"  # the comma forces CSV quoting
            elif 0.045 <= roll < 0.055:
                first = f"{first} {rng.choice(_EMOJI)}"
            return first, last, slug
        raise RuntimeError("ran out of distinct names")  # pragma: no cover

    def slug(self, first: str, last: str) -> str:
        """A profile slug as LinkedIn mints them: name words plus a random suffix."""
        words = _ascii(f"{first} {last}").replace("'", "").replace(".", "").split()
        text = "-".join(w.lower() for w in words if w.replace("-", "").isalnum())
        while True:
            suffix = f"{self.rng.getrandbits(32):08x}"[: self.rng.choice((6, 7, 8))]
            slug = f"{text}-{suffix}"
            if not slug.isascii():
                slug = quote(slug, safe="-")  # LinkedIn percent-encodes non-Latin slugs
            if slug not in self.slugs:
                self.slugs.add(slug)
                return slug

    def email(self, first: str, last: str) -> str:
        local = ".".join(_ascii(w).lower() for w in (first, last.split(",", maxsplit=1)[0]))
        local = "".join(ch for ch in local if ch.isalnum() or ch == ".")
        if not local.isascii() or len(local) < 3:
            return ""
        address = f"{local}@{self.rng.choice(_MAIL_DOMAINS)}"
        n = 2
        while address in self.emails:
            address = f"{local}{n}@{address.split('@')[1]}"
            n += 1
        self.emails.add(address)
        return address


def _random_job(rng: random.Random, start: date, end: date | None) -> _Job:
    """A job with the messiness of real profiles: students, freelancers, blanks."""
    roll = rng.random()
    if roll < 0.06:
        school = rng.choice(_UNIVERSITIES)
        title = rng.choice(_STUDENT_TITLES).format(u=school)
        company = school if rng.random() < 0.6 else ""
        return _Job(company, title, start, end)
    if roll < 0.10:
        company, title = rng.choice(_FREELANCE)
        return _Job(company, title, start, end)
    if roll < 0.14:
        return _Job(
            "", rng.choice(("", "Open to work", "Looking for new opportunities")), start, end
        )
    company = rng.choices(_COMPANY_NAMES, cum_weights=_COMPANY_CUM)[0]
    title = "" if rng.random() < 0.04 else rng.choices(_TITLE_NAMES, cum_weights=_TITLE_CUM)[0]
    while company == OUTSIDE_COMPANY and title in _CTO_TITLES:
        title = rng.choices(_TITLE_NAMES, cum_weights=_TITLE_CUM)[0]  # (d): nobody holds it
    return _Job(company, title, start, end)


# Profiles every export of a realistic size has: the requester's first new contacts
# take these, so the messiness does not depend on the seed or the scale.
_MESSY = (
    ("Globex", "Founder | Angel Investor | Ex-Google"),
    ("Syracuse University", "Masters Student at Syracuse University"),
    ("Freelance", "Freelance"),
    ("Initech", ""),
    ("", "Looking for new opportunities"),
)


def _new_contact(
    rng: random.Random, names: _Names, today: date, job: tuple[str, str] | None = None
) -> _Human:
    first, last, slug = names.new()
    start = date(2004, 1, 1)
    jobs: list[_Job] = []
    if job is None and rng.random() < 0.3:  # changed jobs: old exports show the earlier one
        switch = date(2015, 1, 1) + timedelta(days=rng.randint(0, (today - date(2015, 1, 1)).days))
        jobs.append(_random_job(rng, start, switch))
        start = switch
    jobs.append(_Job(*job, start) if job else _random_job(rng, start, None))
    if any(j.company == OUTSIDE_COMPANY for j in jobs):  # (d): not even a stale CTO title
        jobs = [
            _Job(j.company, "Engineer", j.start, j.end) if j.title in _CTO_TITLES else j
            for j in jobs
        ]
    email = names.email(first, last) if rng.random() < 0.08 else ""
    return _Human(first, last, slug, jobs, email)


def _spell(rng: random.Random, company: str) -> str:
    """Mostly the canonical spelling, sometimes one of the ways people also write it."""
    variants = _SPELLINGS.get(company, ())
    return rng.choice(variants) if variants and rng.random() < 0.3 else company


# -- the team --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _MemberSpec:
    first: str
    last: str
    slug: str
    headline: str
    positions: tuple[_Job, ...]  # newest first
    schools: tuple[tuple[str, int, int, str], ...]  # school, start, end, degree


_TEAM = (
    _MemberSpec(
        "Maya",
        "Chen",
        "maya-chen-cloudkite",
        "Co-Founder & CEO at Cloudkite | ex-Ledgerly",
        (
            _Job("Cloudkite", "Co-Founder & CEO", date(2021, 3, 1)),
            _Job("Ledgerly", "Product Lead", date(2016, 1, 1), date(2021, 2, 1)),
            _Job("Globex", "Product Manager", date(2011, 9, 1), date(2015, 12, 1)),
        ),
        (("University of Eastbridge", 2007, 2011, "BSc Computer Science"),),
    ),
    _MemberSpec(
        "Daniel",
        "Okafor",
        "danielokafor",
        "Partner at Seedling Ventures",
        (
            _Job("Seedling Ventures", "Partner", date(2016, 6, 1)),
            _Job("Northwind Bank", "VP Strategy", date(2010, 6, 1), date(2016, 5, 1)),
        ),
        (
            ("University of Lagos", 2002, 2006, "BSc Economics"),
            ("University of Eastbridge", 2008, 2009, "MBA"),
        ),
    ),
    _MemberSpec(
        "Priya",
        "Raman",
        "priya-raman-b2b",
        "Head of Partnerships, Northwind Bank",
        (
            _Job("Northwind Bank", "Head of Partnerships", date(2014, 4, 1)),
            _Job("Brightcart", "Sales Director", date(2010, 7, 1), date(2014, 3, 1)),
        ),
        (("Syracuse University", 2006, 2010, "BS Marketing"),),
    ),
    _MemberSpec(
        "Lea",
        "Novak",
        "lea-novak-cto",
        "CTO @ Cloudkite · ex-Paystream",
        (
            _Job("Cloudkite", "Co-Founder & CTO", date(2021, 4, 1)),
            _Job("Paystream", "Staff Engineer", date(2015, 6, 1), date(2021, 3, 1)),
        ),
        (("Technische Universität Berlin", 2008, 2014, "MSc Computer Science"),),
    ),
)
# Who on the default team is connected to whom, and since when. Not everyone knows everyone;
# Maya and Priya connected after Priya's 2018 export, so only Maya's export shows that tie.
_TEAM_TIES = (
    (0, 1, datetime(2019, 5, 14, 9, 12)),
    (0, 2, datetime(2020, 2, 3, 17, 40)),
    (0, 3, datetime(2021, 4, 20, 8, 5)),
    (1, 2, datetime(2016, 9, 30, 14, 22)),
)
# Messages between members: (count, first message) per tie; both ways, both exports see them.
_TEAM_TALK: dict[tuple[int, int], tuple[int, datetime | None, datetime | None]] = {
    (0, 1): (18, None, None),
    (0, 2): (10, None, None),
    (0, 3): (60, None, None),  # co-founders: constant contact
    (1, 2): (8, None, datetime(2018, 3, 1)),  # old colleagues, quiet since
}


def _extra_member(rng: random.Random, names: _Names, i: int) -> _MemberSpec:
    first, last, _slug = names.new()
    first, last = first.split(" ")[0], last.split(",")[0]
    slug = names.slug(first, last)
    current = rng.choice(_COMPANY_NAMES[6:])
    past = rng.choice([c for c in _COMPANY_NAMES[6:] if c != current])
    return _MemberSpec(
        first,
        last,
        slug,
        f"Advisor at {current}",
        (
            _Job(current, "Advisor", date(2012, 1, 1)),
            _Job(past, "Director", date(2006, 1, 1), date(2011, 12, 1)),
        ),
        ((rng.choice(_UNIVERSITIES), 2000, 2004 + i % 3, "BA"),),
    )


# -- dates and formats --------------------------------------------------------------------------
def _li_date(d: date) -> str:
    """``16 Dec 2024``: Connections.csv since 2020."""
    return f"{d.day:02d} {_MONTHS[d.month - 1]} {d.year}"


def _us_datetime(at: datetime) -> str:
    """``1/8/18, 6:14 PM``: 2018 Connections.csv and every Invitations.csv."""
    return f"{at.month}/{at.day}/{at:%y}, {int(at.strftime('%I'))}:{at:%M %p}"


def _utc(at: datetime) -> str:
    """``2025-11-17 22:05:06 UTC``: messages.csv in every era."""
    return f"{at:%Y-%m-%d %H:%M:%S} UTC"


def _position_date(d: date | None) -> str:
    return f"{_MONTHS[d.month - 1]} {d.year}" if d else ""


def _at(rng: random.Random, day: date) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(
        hours=rng.randint(7, 22), minutes=rng.randint(0, 59), seconds=rng.randint(0, 59)
    )


def _connected_on(rng: random.Random, exported_on: date) -> datetime:
    """Networks grow over years: a third in the last two years, the rest up to 15 years back."""
    recent = rng.random() < 0.33
    days = rng.randint(3, 730) if recent else int(rng.triangular(730, 365 * 15, 1100))
    return _at(rng, exported_on - timedelta(days=days))


def _conversation_id(rng: random.Random) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "2-" + "".join(rng.choices(alphabet, k=22)) + "=="


def _events(
    rng: random.Random,
    a: _Human,
    b: _Human,
    sent: int,
    received: int,
    *,
    start: datetime,
    last: datetime,
) -> list[tuple[datetime, _Human]]:
    """``sent`` messages from a and ``received`` from b between ``start`` and ``last``."""
    span = max(int((last - start).total_seconds()), 1)
    senders = [a] * sent + [b] * received
    rng.shuffle(senders)
    times = sorted(start + timedelta(seconds=rng.randint(0, span)) for _ in senders)
    if times:
        times[-1] = last
    return list(zip(times, senders, strict=True))


# -- building ------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Plan:
    """Who the planted scenarios are, and in which exports."""

    close: _Export  # the requester's closest teammate: (a) and (b)
    mid: _Export  # a URL-less teammate, preferably 2022: (e) plain namesake, (d) overlap
    old: _Export  # a URL-less teammate, preferably 2018: (f)
    a: _Human
    b: _Human
    b_shared: str
    b_connected: datetime
    b_thread: _Thread
    bridge: _Human
    accented: _Human
    plain: _Human
    f: _Human
    overlaps: dict[str, str] = field(default_factory=dict)  # slug -> planted label


class _Builder:
    def __init__(
        self,
        root: Path,
        *,
        seed: int,
        sizes: Sequence[int],
        scale: float,
        overlap: float,
        today: date,
        variants: Sequence[Variant] | None,
    ) -> None:
        if len(sizes) < 2:
            raise ValueError("a team needs at least two members")
        if any(s < 1 for s in sizes) or scale <= 0:
            raise ValueError("sizes and scale must be positive")
        if not 0 <= overlap < 1:
            raise ValueError("overlap is a fraction in [0, 1)")
        if today < date(2023, 1, 1):
            raise ValueError("today must be 2023 or later (the 2024 format has URLs)")
        chosen = list(variants) if variants else [VARIANT_CYCLE[i % 3] for i in range(len(sizes))]
        if len(chosen) != len(sizes):
            raise ValueError("one variant per member")
        if all(v == "2024" for v in chosen[1:]):
            raise ValueError("(f) needs a teammate with a URL-less export (2022 or 2018)")
        self.root, self.seed, self.today = root, seed, today
        self.overlap, self.scale, self.sizes = overlap, scale, list(sizes)
        self.rng = random.Random(seed)
        self.names = _Names(self.rng)
        specs = list(_TEAM[: len(sizes)])
        for spec in _TEAM:  # all of them: a random contact never shares a member's name
            self.names.reserve(spec.first, spec.last, spec.slug)
        for first, last, slug in _PLANTED.values():
            self.names.reserve(first, last, slug)
        specs += [_extra_member(self.rng, self.names, i) for i in range(len(specs), len(sizes))]
        self.exports: list[_Export] = []
        for i, (spec, variant) in enumerate(zip(specs, chosen, strict=True)):
            exported = today if variant == "2024" else min(today, ERA_EXPORTED_ON[variant])
            me = _Human(spec.first, spec.last, spec.slug, list(spec.positions), member=i)
            folder = root / f"{_ascii(spec.first)}-{_ascii(spec.last)}".lower()
            self.exports.append(
                _Export(
                    i, me, variant, exported, folder, spec.positions, spec.schools, spec.headline
                )
            )
        self.team_ties = self._connect_team()

    # -- placing people in exports ----------------------------------------------------
    def place(
        self,
        e: _Export,
        h: _Human,
        connected: datetime | None = None,
        *,
        company: str | None = None,
    ) -> _Row:
        """Add ``h`` to ``e``'s Connections.csv with their job as of the export date.

        ``company`` forces the spelling (scenarios depend on it); otherwise the
        canonical name is written, or now and then another common spelling.
        """
        if h.slug in e.slugs:
            raise ValueError(f"{h.name} is already in {e.me.name}'s export")
        when = connected or _connected_on(self.rng, e.exported_on)
        job = h.job_at(e.exported_on)
        written = company if company is not None else _spell(self.rng, job.company)
        row = _Row(h, when, written, job.company, job.title)
        e.rows.append(row)
        e.slugs.add(h.slug)
        return row

    def _connect_team(self) -> list[tuple[int, int, datetime]]:
        """Members list each other when the tie predates their export: some, not all, pairs."""
        n = len(self.exports)
        ties = [t for t in _TEAM_TIES if t[1] < n]
        for j in range(len(_TEAM), n):  # extra members know the requester and one teammate
            for i in dict.fromkeys((0, j - 1)):
                back = self.rng.randint(200, 2500)
                ties.append((i, j, _at(self.rng, self.today - timedelta(days=back))))
        for i, j, when in ties:
            for owner, other in ((i, j), (j, i)):
                e = self.exports[owner]
                if when.date() <= e.exported_on:
                    self.place(e, self.exports[other].me, when)
        return ties

    def _teammate(self, *variants: Variant) -> _Export:
        """The first teammate whose export is in the first of ``variants`` that has one."""
        for variant in variants:
            for e in self.exports[1:]:
                if e.variant == variant:
                    return e
        raise AssertionError("validated in __init__")  # pragma: no cover

    def _close_teammate(self) -> _Export:
        """The requester's closest teammate: lists the requester, preferably with URLs."""
        req = self.exports[0]
        listing = [e for e in self.exports[1:] if req.me.slug in e.slugs]
        order = {"2024": 0, "2022": 1, "2018": 2}
        return min(listing or self.exports[1:], key=lambda e: (order[e.variant], e.index))

    def _thread(
        self, e: _Export, other: _Human, sent: int, received: int, start: datetime, last: datetime
    ) -> _Thread:
        events = _events(self.rng, e.me, other, sent, received, start=start, last=last)
        t = _Thread(_conversation_id(self.rng), e.me, other, events)
        e.threads.append(t)
        return t

    # -- planted scenarios ----------------------------------------------------------------
    def plant(self) -> _Plan:
        rng = self.rng
        req = self.exports[0]
        close = self._close_teammate()
        mid = self._teammate("2022", "2018")
        old = self._teammate("2018", "2022")
        # (a) the close teammate's contact, in no other export
        noor = _planted("a", _Job("Datadrift", "Head of Engineering", _SINCE))
        row = self.place(close, noor, _at(rng, close.exported_on - timedelta(days=420)))
        last = close.now - timedelta(days=25)
        self._thread(close, noor, 6, 5, row.connected, last)
        # (b) weak for the requester (old, silent), strong for the teammate who worked with them
        mine = {_fold(j.company) for j in req.positions}
        shared = next(
            (j.company for j in close.positions if _fold(j.company) not in mine), "Paystream"
        )
        ravi = _planted("b", _Job(shared, "Director of Partnerships", _SINCE))
        old_tie = _at(rng, req.exported_on - timedelta(days=int(365.25 * 11.5)))
        self.place(req, ravi, old_tie, company=shared)
        row = self.place(
            close, ravi, _at(rng, close.exported_on - timedelta(days=1900)), company=shared
        )
        last = close.now - timedelta(days=6, hours=3)
        b_thread = self._thread(close, ravi, *_B_MESSAGES, last - timedelta(days=700), last)
        # (c) the bridge: the requester's only contact at a company nobody else lists
        sofia = _planted("bridge", _Job(_QUILL, "Engineering Manager", _SINCE))
        row = self.place(
            req, sofia, _at(rng, req.exported_on - timedelta(days=900)), company=f"{_QUILL}, Inc."
        )
        last = req.now - timedelta(days=40)
        self._thread(req, sofia, 5, 4, last - timedelta(days=300), last)
        # (d) people the team knows at the outside target's company, in three spellings
        nwb = OUTSIDE_COMPANY
        self.place(req, _planted("d1", _Job(nwb, "Head of Data", _SINCE)), company=nwb)
        kwame = _planted("d2", _Job(nwb, "Engineering Manager", _SINCE))
        self.place(req, kwame, company="Northwind Bank plc")
        self.place(mid, kwame, company="NORTHWIND BANK")
        self.place(old, _planted("d3", _Job(nwb, "Product Manager, Cards", _SINCE)), company=nwb)
        # (e) namesakes: accents fold away, the companies differ, one export has no URLs
        accented = _planted("e1", _Job("Brightcart", "Product Lead", _SINCE))
        plain = _planted("e2", _Job("Tidewater Power", "Sales Director", _SINCE))
        self.place(req, accented, company="Brightcart")
        self.place(mid, plain, company="Tidewater Power")
        # (f) only in the oldest URL-less export, known there by name alone
        hiroshi = _planted("f", _Job("Kettle & Co.", "Head Roaster", _SINCE))
        row = self.place(old, hiroshi, _at(rng, old.exported_on - timedelta(days=800)))
        self._thread(old, hiroshi, 3, 2, row.connected, old.now - timedelta(days=50))
        plan = _Plan(
            close, mid, old, noor, ravi, shared, old_tie, b_thread, sofia, accented, plain, hiroshi
        )
        self._plant_overlaps(plan)
        return plan

    def _plant_overlaps(self, plan: _Plan) -> None:
        """One overlap per way identity resolution can (or cannot) join two rows."""
        req = self.exports[0]
        with_urls = [e for e in self.exports[1:] if e.variant == "2024"]
        with_email = [e for e in self.exports[1:] if e.variant == "2022"]
        if with_urls:
            ana = _planted("url", _Job("Acme Inc.", "Head of Payments", _SINCE))
            self.place(req, ana, company="Acme Inc.")
            self.place(with_urls[0], ana, company="ACME")
            plan.overlaps[ana.slug] = "url"
        if with_email:
            switch = date(2023, 6, 1)
            bo = _planted(
                "email",
                _Job("Initech", "Solutions Architect", _SINCE, switch),
                _Job("Globex", "Solutions Architect", switch),
                email="bo.brandt@inbox.example",
            )
            self.place(req, bo, company="Globex")
            self.place(with_email[0], bo, company="Initech")
            with_email[0].endorsed_by.append((bo, ("Solution Architecture", "Cloud Computing")))
            plan.overlaps[bo.slug] = "email"
        chiara = _planted("name+company", _Job("Brightcart", "Designer", _SINCE))
        self.place(req, chiara, company="Brightcart, Inc.")
        self.place(plan.old, chiara, company="Brightcart")
        plan.overlaps[chiara.slug] = "name+company"
        dmitri = _planted("triple", _Job("Acme Inc.", "Operations Lead", _SINCE))
        self.place(req, dmitri, company="Acme Inc.")
        others = list(dict.fromkeys(e.index for e in (plan.mid, plan.old, plan.close)))[:2]
        for index, spelling in zip(others, ("Acme, Inc", "ACME"), strict=False):
            self.place(self.exports[index], dmitri, company=spelling)
        plan.overlaps[dmitri.slug] = "triple"
        moved = date(2020, 1, 1)
        esther = _planted(
            "moved",
            _Job("Medisync", "Clinical Lead", _SINCE, moved),
            _Job("Ledgerly", "Risk Analyst", moved),
        )
        self.place(req, esther, company="Ledgerly")
        self.place(plan.old, esther, company="Medisync")
        plan.overlaps[esther.slug] = "moved"

    # -- everyone else ------------------------------------------------------------------
    def fill(self) -> None:
        """Random contacts up to each size; later members reuse earlier members' contacts."""
        rng = self.rng
        pool: list[_Human] = []
        exports: dict[str, int] = {}  # slug -> how many exports list them (at most three)
        messy = list(_MESSY)
        for e in self.exports:
            e.size = max(round(self.sizes[e.index] * self.scale), len(e.rows))
            while len(e.rows) < e.size:
                h: _Human | None = None
                if e.index and pool and rng.random() < self.overlap:
                    for _ in range(8):
                        pick = rng.choice(pool)
                        if pick.slug not in e.slugs and exports[pick.slug] < 3:
                            h = pick
                            break
                if h is None:
                    job = messy.pop(0) if messy else None
                    h = _new_contact(rng, self.names, self.today, job)
                    pool.append(h)
                exports[h.slug] = exports.get(h.slug, 0) + 1
                self.place(e, h)

    def talk(self) -> None:
        """Messages: members with each other, and a minority of contacts with a long tail."""
        rng = self.rng
        for i, j, when in self.team_ties:
            count, first, last = _TEAM_TALK.get((i, j), (12, None, None))
            a, b = self.exports[i], self.exports[j]
            start = max(when, first or when) + timedelta(days=2)
            end = last or max(a.now, b.now) - timedelta(hours=5)
            sent = count // 2 + 1
            t = _Thread(
                _conversation_id(rng),
                a.me,
                b.me,
                _events(rng, a.me, b.me, sent, count - sent, start=start, last=end),
            )
            for owner, other in ((a, b), (b, a)):
                if other.me.slug in owner.slugs:
                    owner.threads.append(t)
        for e in self.exports:
            candidates = [r for r in e.rows if r.human.member < 0 and not r.human.planted]
            chosen = rng.sample(candidates, round(len(candidates) * rng.uniform(0.14, 0.22)))
            heavy, medium = max(2, len(chosen) // 20), len(chosen) // 3
            for rank, row in enumerate(chosen):
                if rank < heavy:  # the few people one really talks to
                    sent, received = rng.randint(8, 30), rng.randint(6, 25)
                    last, spread = e.now - timedelta(days=rng.randint(1, 30)), 600
                elif rank < medium:
                    sent, received = rng.randint(1, 7), rng.randint(1, 6)
                    last, spread = e.now - timedelta(days=rng.randint(10, 500)), 300
                else:  # a congratulation, an unanswered pitch
                    sent = rng.randint(0, 1)
                    received = 1 if sent == 0 else rng.randint(0, 1)
                    last, spread = e.now - timedelta(days=rng.randint(30, 1500)), 20
                last = max(last, row.connected + timedelta(hours=2))
                start = max(row.connected, last - timedelta(days=spread))
                self._thread(e, row.human, sent, received, start, last)
                if rank < 2 and e.variant == "2024":
                    e.group.append(row.human)

    # -- writing ------------------------------------------------------------------------
    def write(self) -> None:
        for e in self.exports:
            e.folder.mkdir(parents=True, exist_ok=True)
            _write(e.folder / "Connections.csv", self._connections(e))
            _write(e.folder / "messages.csv", self._messages(e))
            _write(e.folder / "Invitations.csv", self._invitations(e))
            _write(e.folder / "Profile.csv", self._profile(e))
            _write(e.folder / "Positions.csv", self._positions(e))
            _write(e.folder / "Education.csv", self._education(e))
            _write(e.folder / "Endorsement_Received_Info.csv", self._endorsements(e))

    def _connections(self, e: _Export) -> str:
        rows = sorted(e.rows, key=lambda r: (r.connected, r.human.slug), reverse=True)
        if e.variant == "2018":
            header = ["First Name", "Last Name", "Company", "Position", "Connected On"]
            body = [
                [r.human.first, r.human.last, r.company, r.title, _us_datetime(r.connected)]
                for r in rows
            ]
            return _csv([header, *body])
        header = ["First Name", "Last Name", "Email Address", "Company", "Position", "Connected On"]
        if e.variant == "2024":
            header.insert(2, "URL")
        body = []
        for r in rows:
            cells = [r.human.first, r.human.last, r.human.email]
            if e.variant == "2024":
                cells.insert(2, r.human.url)
            body.append([*cells, r.company, r.title, _li_date(r.connected.date())])
        return f'Notes:\n"{_NOTICE}"\n\n' + _csv([header, *body])

    def _message_row(
        self, e: _Export, conv: str, at: datetime, sender: _Human, to: Sequence[_Human]
    ) -> list[str]:
        content = self.rng.choice(_LINES)
        if self.rng.random() < 0.15:
            content += "\n\n" + self.rng.choice(_LINES)  # real messages span lines
        names = ", ".join(h.name for h in to)
        if e.variant == "2018":
            direction = "OUTGOING" if sender is e.me else "INCOMING"
            subject = self.rng.choice(("", "", "Re: coffee?", "Intro"))
            return [
                sender.name,
                names,
                _utc(at),
                subject,
                content.replace("&", "&amp;"),
                direction,
                "INBOX",
            ]
        if e.variant == "2022":
            return [conv, "", sender.name, sender.url, names, _utc(at), "", content, "INBOX"]
        urls = ",".join(h.url for h in to)
        return [conv, "", sender.name, sender.url, names, urls, _utc(at), "", content, "INBOX", ""]

    def _messages(self, e: _Export) -> str:
        rows: list[list[str]] = []
        for t in e.threads:
            for at, sender in t.events:
                if at.date() > e.exported_on:
                    continue
                other = t.b if sender is t.a else t.a
                rows.append(self._message_row(e, t.conv, at, sender, [other]))
        if len(e.group) >= 2:  # one group conversation: sent to two, both reply
            conv, group = _conversation_id(self.rng), e.group[:2]
            at = e.now - timedelta(days=3, hours=4)
            rows.append(self._message_row(e, conv, at, e.me, group))
            for k, h in enumerate(group):
                rows.append(self._message_row(e, conv, at + timedelta(hours=k + 1), h, [e.me]))
        at = e.now - timedelta(days=2, hours=9)
        if e.variant == "2018":  # InMail: not personal contact
            rows.append(
                ["Acme Webinars", e.me.name, _utc(at), "Join us", "Promo", "INCOMING", "INMAIL"]
            )
            header = ["From", "To", "Date", "Subject", "Content", "Direction", "Folder"]
            rows.sort(key=lambda r: r[2], reverse=True)
            return _csv([header, *rows])
        sponsored = [_conversation_id(self.rng), "", "LinkedIn Premium", "", e.me.name]
        if e.variant == "2024":
            sponsored.append(e.me.url)
        sponsored += [_utc(at), "Try Premium", "Sponsored", "INBOX"] + (
            [""] if e.variant == "2024" else []
        )
        rows.append(sponsored)
        header = [
            "CONVERSATION ID",
            "CONVERSATION TITLE",
            "FROM",
            "SENDER PROFILE URL",
            "TO",
            "DATE",
            "SUBJECT",
            "CONTENT",
            "FOLDER",
        ]
        if e.variant == "2024":
            header.insert(5, "RECIPIENT PROFILE URLS")
            header.append("ATTACHMENTS")
        date_col = header.index("DATE")
        rows.sort(key=lambda r: r[date_col], reverse=True)
        return _csv([header, *rows], quote_all=True)

    def _invitations(self, e: _Export) -> str:
        rng = self.rng
        header = ["From", "To", "Sent At", "Message", "Direction"]
        if e.variant == "2024":
            header += ["inviterProfileUrl", "inviteeProfileUrl"]
        rows: list[list[str]] = []

        def add(src: _Human, dst: _Human, at: datetime, note: str) -> None:
            row = [src.name, dst.name, _us_datetime(at), note]
            row.append("OUTGOING" if src is e.me else "INCOMING")
            if e.variant == "2024":
                row += [src.url, dst.url]
            rows.append(row)

        for r in sorted(e.rows, key=lambda r: (r.connected, r.human.slug), reverse=True):
            if (e.exported_on - r.connected.date()).days > 365 or rng.random() < 0.4:
                continue
            outgoing = rng.random() < 0.55
            at = r.connected - timedelta(minutes=rng.randint(5, 20 * 1440))
            note = rng.choice(_NOTES) if rng.random() < 0.3 else ""
            if outgoing:
                add(e.me, r.human, at, note)
            else:
                add(r.human, e.me, at, note)
        # A pending invitation: no connection, no tie; the loader only mentions it in a note.
        first, last, slug = self.names.new()
        stranger = _Human(first, last, slug, [_Job("", "", date(2004, 1, 1))])
        add(e.me, stranger, e.now - timedelta(days=4, hours=2), "")
        return _csv([header, *rows])

    def _profile(self, e: _Export) -> str:
        header = list(PROFILE_HEADER)  # the columns have not changed since 2018
        site = "".join(
            ch for ch in _ascii(e.me.job_at(e.exported_on).company).lower() if ch.isalnum()
        )
        row = [
            e.me.first,
            e.me.last,
            "",
            "",
            "",
            e.headline,
            "Building things with good people.",
            "Technology, Information and Internet",
            "",
            self.rng.choice(("Berlin, Germany", "London, United Kingdom", "Lagos, Nigeria")),
            "",
            f"[COMPANY:https://{site}.example]",
            "",
        ]
        return _csv([header, row])

    def _positions(self, e: _Export) -> str:
        header = ["Company Name", "Title", "Description", "Location", "Started On", "Finished On"]
        rows = []
        for j in e.positions:
            if j.start > e.exported_on:
                continue
            end = j.end if j.end and j.end <= e.exported_on else None
            rows.append([j.company, j.title, "", "", _position_date(j.start), _position_date(end)])
        return _csv([header, *rows])

    def _education(self, e: _Export) -> str:
        header = ["School Name", "Start Date", "End Date", "Notes", "Degree Name", "Activities"]
        rows = [[s, str(a), str(b), "", degree, ""] for s, a, b, degree in e.schools]
        return _csv([header, *rows])

    def _endorsements(self, e: _Export) -> str:
        rng = self.rng
        header = [
            "Endorsement Date",
            "Skill Name",
            "Endorser First Name",
            "Endorser Last Name",
            "Endorser Public Url",
            "Endorsement Status",
        ]
        rows = []
        planted = {h.slug: skills for h, skills in e.endorsed_by}
        for r in e.rows:
            if r.human.slug in planted:
                skills = list(planted[r.human.slug])
            elif r.human.planted or rng.random() > 0.08:
                continue
            else:
                skills = rng.sample(_SKILLS, rng.randint(1, 3))
            url = "" if e.variant == "2018" else r.human.url.removeprefix("https://")
            for skill in skills:
                days = rng.randint(0, max((e.exported_on - r.connected.date()).days, 0))
                at = _at(rng, r.connected.date() + timedelta(days=days))
                status = "REJECTED" if rng.random() < 0.08 else "ACCEPTED"
                rows.append(
                    [f"{at:%Y/%m/%d %H:%M:%S} UTC", skill, r.human.first, r.human.last, url, status]
                )
        return _csv([header, *rows])

    # -- the manifest ---------------------------------------------------------------
    @staticmethod
    def _ref(e: _Export, h: _Human) -> PersonRef:
        row = next(r for r in e.rows if r.human is h)
        url = h.url if e.variant == "2024" else ""
        email = h.email if e.variant != "2018" else ""
        return PersonRef(h.name, row.company, row.title, url, email)

    @staticmethod
    def _messaged(e: _Export) -> int:
        people = {
            (t.b if t.a is e.me else t.a).slug
            for t in e.threads
            if any(at.date() <= e.exported_on for at, _ in t.events)
        }
        return len(people)

    def manifest(self, plan: _Plan) -> TeamManifest:
        req, close, old = self.exports[0], plan.close, plan.old
        members = tuple(
            MemberExport(
                name=e.me.name,
                folder=e.folder,
                url=e.me.url,
                variant=e.variant,
                exported_on=e.exported_on,
                company=e.me.job_at(e.exported_on).company,
                connections=len(e.rows),
                messaged=self._messaged(e),
                teammates=tuple(r.human.name for r in e.rows if r.human.member >= 0),
            )
            for e in self.exports
        )
        seen: dict[str, list[tuple[_Export, _Row]]] = {}
        for e in self.exports:
            for r in e.rows:
                if r.human.member < 0:
                    seen.setdefault(r.human.slug, []).append((e, r))
        overlaps = tuple(
            Overlap(
                name=rows[0][1].human.name,
                appearances=tuple(
                    Appearance(
                        member=e.me.name,
                        company=r.company,
                        title=r.title,
                        url=r.human.url if e.variant == "2024" else "",
                        email=r.human.email if e.variant != "2018" else "",
                        connected_on=r.connected.date(),
                    )
                    for e, r in rows
                ),
                planted=plan.overlaps.get(slug, ""),
            )
            for slug, rows in seen.items()
            if len(rows) > 1
        )
        known: dict[str, PersonRef] = {}
        for rows in seen.values():
            for e, r in rows:
                if r.canonical == OUTSIDE_COMPANY and r.human.slug not in known:
                    known[r.human.slug] = self._ref(e, r.human)
        works_there = (
            e.me.name for e in self.exports if e.me.job_at(e.exported_on).company == OUTSIDE_COMPANY
        )
        f_messages = sum(
            1
            for t in old.threads
            if t.b is plan.f
            for at, _ in t.events
            if at.date() <= old.exported_on
        )
        first, last, slug = _PLANTED["target"]
        sent = sum(1 for _, sender in plan.b_thread.events if sender is close.me)
        return TeamManifest(
            root=self.root,
            seed=self.seed,
            today=self.today,
            members=members,
            overlaps=overlaps,
            teammate_contact=TeammateOnlyContact(self._ref(close, plan.a), close.me.name),
            weak_direct=WeakDirectStrongTeammate(
                person=self._ref(req, plan.b),
                requester_connected_on=plan.b_connected.date(),
                teammate=close.me.name,
                teammate_sent=sent,
                teammate_received=len(plan.b_thread.events) - sent,
                last_message=plan.b_thread.events[-1][0],
                shared_employer=plan.b_shared,
            ),
            inferred_colleague=InferredColleague(
                target=PersonRef(
                    f"{first} {last}",
                    _QUILL.upper(),
                    "VP Partnerships",
                    f"https://www.linkedin.com/in/{slug}",
                ),
                bridge=self._ref(req, plan.bridge),
            ),
            outside_target=OutsideTarget(
                company=OUTSIDE_COMPANY,
                title=OUTSIDE_TITLE,
                spellings=(OUTSIDE_COMPANY, *_SPELLINGS[OUTSIDE_COMPANY]),
                known=tuple(known.values()),
                member=next(works_there, ""),
            ),
            namesakes=Namesakes(
                accented=self._ref(req, plan.accented),
                accented_member=req.me.name,
                plain=self._ref(plan.mid, plan.plain),
                plain_member=plan.mid.me.name,
            ),
            url_less_only=UrlLessOnly(self._ref(old, plan.f), old.me.name, f_messages),
        )


_SINCE = date(2004, 1, 1)  # planted people's jobs start early enough for every era
_B_MESSAGES = (24, 21)  # (b): sent by the teammate, received by the teammate


def _planted(key: str, *jobs: _Job, email: str = "") -> _Human:
    first, last, slug = _PLANTED[key]
    return _Human(first, last, slug, list(jobs), email=email, planted=True)


# Planted people: first name, last name, slug as written in URLs.
_PLANTED: dict[str, tuple[str, str, str]] = {
    "a": ("Noor", "Haddad", "noor-haddad-dd"),
    "b": ("Ravi", "Menon", "ravi-menon-7f3a"),
    "bridge": ("Sofia", "Lindqvist", "sofia-lindqvist-q"),
    "target": ("Marcus", "Bell", "marcus-bell-qfl"),  # (c): in no file at all
    "d1": ("Elena", "Fischer", "elena-fischer-nwb"),
    "d2": ("Kwame", "Mensah", "kwame-mensah-9"),
    "d3": ("Grace", "Liu", "grace-liu-cards"),
    "e1": ("José", "Álvarez", "jos%C3%A9-%C3%A1lvarez-3b1f2a"),
    "e2": ("Jose", "Alvarez", "jose-alvarez-tidewater"),
    "f": ("Hiroshi", "Tanaka", "hiroshi-tanaka-kettle"),
    "url": ("Ana", "Pérez", "ana-p%C3%A9rez-4b1a2c"),
    "email": ("Bo", "Brandt", "bo-brandt"),
    "name+company": ("Chiara", "Rossi", "chiara-rossi-design"),
    "triple": ("Dmitri", "Novak", "dmitri-novak-ops"),
    "moved": ("Esther", "Adeyemi", "esther-adeyemi"),
}


def _csv(rows: Sequence[Sequence[str]], *, quote_all: bool = False) -> str:
    buf = io.StringIO()
    if quote_all:  # messages.csv since 2020 quotes every field
        csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    else:
        csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def write_team_exports(
    root: Path,
    *,
    seed: int = 7,
    sizes: Sequence[int] = DEFAULT_SIZES,
    scale: float = 1.0,
    overlap: float = 0.2,
    today: date = DEFAULT_TODAY,
    variants: Sequence[Variant] | None = None,
) -> TeamManifest:
    """Write one LinkedIn export folder per team member under ``root``; return the manifest.

    Parameters
    ----------
    root
        Created if missing; one sub-folder per member (``maya-chen`` …). Files of
        an earlier run with the same member names are overwritten.
    seed
        The same seed and arguments give byte-identical files.
    sizes
        Connections per member, requester first; real teams are heavy-tailed.
        At least two members; the default team has four.
    scale
        Multiplies ``sizes`` (tests use a fraction). A size is raised to the number
        of rows the planted scenarios and teammates need, so ``connections`` in
        the manifest is the count actually written.
    overlap
        Share of each later member's random contacts drawn from earlier members'
        contacts (the same person in two or three exports).
    today
        The date of the freshest exports; the 2022 and 2018 exports are dated in
        their era. Never the clock, so results are reproducible.
    variants
        Format per member; default cycles ``2024, 2022, 2018`` (requester 2024).
        At least one teammate must have a URL-less export.

    Raises
    ------
    ValueError
        Fewer than two members, non-positive sizes, or no URL-less teammate.
    """
    builder = _Builder(
        root,
        seed=seed,
        sizes=sizes,
        scale=scale,
        overlap=overlap,
        today=today,
        variants=variants,
    )
    plan = builder.plant()
    builder.fill()
    builder.talk()
    builder.write()
    return builder.manifest(plan)


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m demo.team_exports OUT``: write the demo team and print what was planted."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    m = write_team_exports(args.root, seed=args.seed, scale=args.scale)
    for member in m.members:
        print(
            f"{member.name:16} {member.variant}  {member.connections:4} connections, "
            f"{member.messaged:3} messaged  {member.folder}"
        )
    print(f"(a) {m.teammate_contact.person.name}: only in {m.teammate_contact.teammate}'s export")
    b = m.weak_direct
    print(f"(b) {b.person.name}: weak for {m.requester.name}, strong for {b.teammate}")
    c = m.inferred_colleague
    print(f"(c) {c.target.name} ({c.target.title}, {c.target.company})", end=" ")
    print(f"via {c.bridge.name} ({c.bridge.company})")
    d = m.outside_target
    print(f"(d) {d.title} at {d.company}: the team knows {len(d.known)} people there")
    e = m.namesakes
    print(f"(e) {e.accented.name} ({e.accented.company}) vs {e.plain.name} ({e.plain.company})")
    print(f"(f) {m.url_less_only.person.name}: only in {m.url_less_only.member}'s export")
    print(f"{len(m.overlaps)} people are in more than one export")


if __name__ == "__main__":
    main()
