"""Email, calendar and address-book metadata into import batches.

The parsers (:mod:`loaders.mail`, :mod:`loaders.calendar`, :mod:`loaders.contacts`)
turn files into per-counterpart aggregates; this module turns those into people,
one tie per counterpart owned by the member whose data it is, and observed ties
among contacts who were repeatedly on the same small threads or in the same small
meetings ("in 6 email threads together (from Maya's mail)").

Identity (every merge is recorded and listed in the report):

- an address already known in the workspace (a LinkedIn person with that email,
  a contact card) is that person;
- otherwise a display name joins a known person only together with a company:
  the exact same name, one known person by that name without an email, and the
  address's domain naming that person's company ("Dana Reyes <dana@acme.com>" is
  Dana Reyes at Acme Inc.; free-mail domains never count);
- a display name alone never merges anyone, nor two different addresses.

Mailing lists and automated senders never become people (:mod:`loaders.mail`
drops them). People who only ever wrote to the owner (cold inbound mail) and
people seen only in big meetings get no tie; the thresholds are
:class:`~graph.strength.StrengthWeights` settings.

Phones are never stored: a contact's numbers are hashed with a salt drawn for
this import only and thrown away with it (see docs/concepts.md).
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from graph.errors import InvalidInput
from graph.identity import (
    PersonKeys,
    normalize_company,
    normalize_email,
    normalize_name,
    person_id_for,
)
from graph.model import (
    SMALL_MEETING,
    Evidence,
    ImportBatch,
    Member,
    Merge,
    Person,
    Relationship,
    canonical_pair,
    naive_utc,
)
from graph.strength import StrengthWeights
from loaders import calendar as cal
from loaders import contacts as cards
from loaders import mail
from loaders.identity import IdentityResolver
from loaders.options import LoadOptions
from loaders.report import ImportReport

PROGRESS_EVERY = 5000
OWNER_SCAN_MESSAGES = 5000
MAX_MERGE_NOTES = 200
FREE_MAIL = frozenset(
    {
        "gmail",
        "googlemail",
        "yahoo",
        "ymail",
        "hotmail",
        "outlook",
        "live",
        "msn",
        "icloud",
        "me",
        "mac",
        "aol",
        "proton",
        "protonmail",
        "pm",
        "gmx",
        "web",
        "mail",
        "yandex",
        "fastmail",
        "hey",
        "zoho",
        "qq",
        "163",
        "orange",
        "free",
        "btinternet",
        "comcast",
    }
)
_SECOND_LEVEL = frozenset({"co", "com", "ac", "org", "net", "gov", "edu", "ne", "or"})


def _naive_utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else naive_utc(moment)


def domain_label(email: str) -> str:
    """The organisation part of an address's domain, or "" for free-mail providers.

    >>> domain_label("dana@eu.acme.com"), domain_label("a@acme.co.uk"), domain_label("x@gmail.com")
    ('acme', 'acme', '')
    """
    labels = email.rpartition("@")[2].split(".")[:-1]
    if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
        labels = labels[:-1]
    label = labels[-1] if labels else ""
    return "" if label in FREE_MAIL else label


def _company_matches(company: str, label: str) -> bool:
    """Whether a company name is the organisation a domain label names ("Acme Inc." ~ acme)."""
    key = normalize_company(company)
    if not key or not label:
        return False
    return key.replace(" ", "") == label or key.split()[0] == label


def first_name(person: Person) -> str:
    """How evidence lines name a member ("in Maya's address book")."""
    return person.name.split()[0] if person.name.strip() else person.email or person.id


@dataclass(slots=True)
class _Builder:
    """People, ties and merges of one personal-data import, resolved against the workspace."""

    owner: Person
    resolver: IdentityResolver
    report: ImportReport
    merges: list[Merge] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)
    by_email: dict[str, str] = field(default_factory=dict)
    by_url: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, list[str]] = field(default_factory=dict)  # no-email people by name
    ids: dict[str, str] = field(default_factory=dict)  # address -> person id

    @classmethod
    def start(
        cls, owner: Person, existing: Iterable[Person], source: str, asked: PersonKeys | None
    ) -> _Builder:
        resolver = IdentityResolver(existing, asked)
        builder = cls(owner, resolver, ImportReport(source=source))
        for p in resolver.people.values():
            if p.url:
                builder.by_url.setdefault(p.url, p.id)
            if p.email:
                builder.by_email.setdefault(p.email, p.id)
            elif p.company:
                builder.by_name.setdefault(normalize_name(p.name), []).append(p.id)
        builder.owner = resolver.resolve(owner)
        if builder.owner.email:
            builder.by_email[builder.owner.email] = builder.owner.id
        builder.people[builder.owner.id] = builder.owner
        return builder

    def _quiet(self, incoming: Person, known_id: str) -> Person:
        """``incoming`` as an update of a known person: only fields it lacks are filled."""
        known = self.resolver.people[known_id]
        return replace(
            incoming,
            id=known_id,
            name="" if known.name else incoming.name,
            company="" if known.company else incoming.company,
            position="" if known.position else incoming.position,
        )

    def _domain_match(self, email: str, name: str) -> str | None:
        """The one known person with this exact name, no email, at the domain's company."""
        label = domain_label(email)
        if not label or not name:
            return None
        hits = [
            pid
            for pid in self.by_name.get(normalize_name(name), ())
            if not self.resolver.people[pid].email
            and _company_matches(self.resolver.people[pid].company, label)
        ]
        return hits[0] if len(hits) == 1 else None

    def _ask(self, emails: tuple[str, ...], name: str, url: str) -> None:
        """Note the keys :meth:`person` may look known people up by (its own indexes)."""
        asked = self.resolver.asked
        if asked is None:
            return
        asked.emails.update(emails)
        if url:
            asked.urls.add(url)
        if emails and name:  # _domain_match
            asked.names.add(normalize_name(name))

    def person(
        self,
        emails: tuple[str, ...],
        name: str,
        *,
        company: str = "",
        position: str = "",
        url: str = "",
    ) -> Person | None:
        """The person behind an address (or a card's addresses); None for the owner."""
        primary = emails[0] if emails else ""
        self._ask(emails, name, url)
        if primary and primary in self.ids:
            pid = self.ids[primary]
            return None if pid == self.owner.id else self.people[pid]
        incoming = Person(
            id=person_id_for(url, primary, name, company),
            name=name or primary,
            company=company,
            position=position,
            email=primary,
            url=url,
        )
        known_email = next((e for e in emails if e in self.by_email), None)
        if url and url in self.by_url and known_email is None:
            known_id = self.by_url[url]
            if known_id == self.owner.id:
                return None
            person = self.resolver.resolve(self._quiet(incoming, known_id))
            if incoming.id != known_id:
                self.merges.append(Merge(known_id, incoming.id, f"same LinkedIn profile {url}"))
        elif known_email is not None:
            known_id = self.by_email[known_email]
            if known_id == self.owner.id:
                return None
            person = self.resolver.resolve(
                self._quiet(replace(incoming, email=known_email), known_id)
            )
            if incoming.id != known_id:
                self.merges.append(Merge(known_id, incoming.id, f"same email {known_email}"))
        elif (match := self._domain_match(primary, name)) is not None:
            person = self.resolver.resolve(self._quiet(incoming, match))
            company_name = self.resolver.people[match].company
            reason = f"same name {name!r} and {primary}'s domain names {company_name!r}"
            self.merges.append(Merge(match, incoming.id, reason))
        else:
            person = self.resolver.resolve(incoming)
            if person.id == self.owner.id:
                return None
        for e in emails:
            self.ids.setdefault(e, person.id)
            self.by_email.setdefault(e, person.id)
        self.people[person.id] = person
        return person

    def batch(self, relationships: list[Relationship], interactions: int) -> ImportBatch:
        merges = [*self.resolver.merges, *self.merges]
        # The owner last: a contact card may have filled the owner's empty fields.
        self.people[self.owner.id] = self.resolver.people.get(self.owner.id, self.owner)
        self.report.people = len(self.people)
        self.report.relationships = len(relationships)
        self.report.interactions = interactions
        self.report.merges = len(merges)
        for m in merges[:MAX_MERGE_NOTES]:
            self.report.notes.append(f"merged {m.merged} into {m.kept}: {m.reason}")
        if len(merges) > MAX_MERGE_NOTES:
            self.report.notes.append(f"... and {len(merges) - MAX_MERGE_NOTES} more merges")
        return ImportBatch(
            people=list(self.people.values()),
            relationships=relationships,
            merges=merges,
            members=[Member(self.owner.id)],
        )


def _owner_tie(owner_id: str, other_id: str, **values: object) -> Relationship:
    a, b = canonical_pair(owner_id, other_id)
    return Relationship(a, b, (Evidence(owner=owner_id, **values),))  # type: ignore[arg-type]


def _require_owner(options: LoadOptions, source: str) -> Person:
    if options.owner is None:
        raise InvalidInput(
            "whose data is this? pass --owner (a person reference or an email)",
            file=source,
            field="owner",
        )
    return options.owner


def _addresses(owner: Person, aliases: Iterable[str]) -> set[str]:
    found = {normalize_email(a) for a in (owner.email, *aliases)}
    found.discard("")
    return found


def _settle_owner(
    owner: Person, inferred: tuple[str, str], options: LoadOptions, path: Path
) -> tuple[Person, str]:
    """An owner without an email gets the inferred address, else their first alias
    (with a note for the report saying which)."""
    email, why = inferred
    if not email:
        email = next((e for e in map(normalize_email, options.aliases) if e), "")
        why = "the first --alias"
    if not email:
        raise InvalidInput(
            "cannot tell the owner's address: give the owner an email or pass --alias",
            file=str(path),
            field="owner",
        )
    return replace(owner, email=email), f"the owner's address is taken to be {email} ({why})"


def _together(
    builder: _Builder,
    pairs: dict[tuple[str, str], int],
    names: dict[str, str],
    weights: StrengthWeights,
    what: str,
) -> list[Relationship]:
    """Observed ties between contacts seen together at least ``together_min`` times."""
    owner = builder.owner
    ties: dict[tuple[str, str], int] = {}
    for (x, y), count in pairs.items():
        if count < weights.together_min:
            continue
        px = builder.person((x,), names.get(x, ""))
        py = builder.person((y,), names.get(y, ""))
        if px is None or py is None or px.id == py.id:
            continue
        pair = canonical_pair(px.id, py.id)
        ties[pair] = max(ties.get(pair, 0), count)  # two addresses of one person: no sum
    label = first_name(owner)
    return [
        Relationship(a, b, (Evidence(owner=owner.id, together_from=(label,), **{what: n}),))  # type: ignore[arg-type]
        for (a, b), n in sorted(ties.items())
    ]


# -- mail --------------------------------------------------------------------------------------
def infer_owner_address(headers: Iterable[mail.MailHeader]) -> tuple[str, str]:
    """The address that sent the most of the first messages, and why; ("", "") if unsure.

    An mbox export is one person's mail: they sent a large share of it (their Sent
    folder) and appear on almost every message. A sender of under a fifth of the
    scanned messages is not trusted to be the owner.
    """
    senders: Counter[str] = Counter()
    seen = 0
    for h in islice(headers, OWNER_SCAN_MESSAGES):
        seen += 1
        if h.sender is not None and not h.automated:
            senders[h.sender.email] += 1
    if not senders:
        return "", ""
    email, count = senders.most_common(1)[0]
    if count * 5 < seen:
        return "", ""
    share = round(100 * count / seen)
    return email, f"sent {share}% of the first {seen} messages"


class MailLoader:
    """``import mbox``: an mbox, a Google Takeout .zip, an .eml file or a folder of mail."""

    name = "mbox"

    def detect(self, path: Path) -> bool:
        if path.is_file():
            if path.suffix.casefold() in (".mbox", ".mbx", ".eml"):
                return True
            with path.open("rb") as f:
                return f.read(5) == b"From "
        return path.is_dir() and any(
            p.suffix.casefold() in (".mbox", ".eml") for p in islice(path.rglob("*"), 1000)
        )

    def load(self, path: Path, options: LoadOptions) -> tuple[ImportBatch, ImportReport]:
        owner = _require_owner(options, str(path))
        w = options.weights
        addresses = _addresses(owner, options.aliases)
        notes: list[str] = []
        if not owner.email:
            owner, note = _settle_owner(
                owner, infer_owner_address(mail.iter_mail(path)), options, path
            )
            addresses.add(owner.email)
            notes.append(note)
        agg = mail.MailAggregator(addresses, max_thread_size=w.together_max_group)
        for n, header in enumerate(mail.iter_mail(path), 1):
            agg.add(header)
            if options.progress is not None and n % PROGRESS_EVERY == 0:
                options.progress(n)
        summary = agg.summary()
        if options.progress is not None:
            options.progress(summary.messages)
        return build_mail_batch(
            summary, owner, options.existing, w, str(path), notes, asked=options.asked
        )


def build_mail_batch(
    summary: mail.MailSummary,
    owner: Person,
    existing: Iterable[Person],
    weights: StrengthWeights,
    source: str,
    notes: Iterable[str] = (),
    *,
    asked: PersonKeys | None = None,
) -> tuple[ImportBatch, ImportReport]:
    """People and ties from one owner's mail summary (pure)."""
    b = _Builder.start(owner, existing, source, asked)
    b.report.notes.extend(notes)
    b.report.notes.extend(summary.notes)
    relationships: list[Relationship] = []
    interactions = inbound_only = 0
    for c in summary.counterparts.values():
        if c.sent < weights.email_min_sent:
            inbound_only += 1 if c.received else 0
            continue
        person = b.person((c.address,), c.name)
        if person is None:
            continue
        owner_is_a = canonical_pair(b.owner.id, person.id)[0] == b.owner.id
        relationships.append(
            _owner_tie(
                b.owner.id,
                person.id,
                emails_ab=c.sent if owner_is_a else c.received,
                emails_ba=c.received if owner_is_a else c.sent,
                email_threads=c.threads,
                email_replies=c.owner_replied + c.they_replied,
                first_email=_naive_utc(c.first_contact),
                last_email=_naive_utc(c.last_contact),
            )
        )
        interactions += c.sent + c.received
    names = {c.address: c.name for c in summary.counterparts.values()}
    relationships += _together(b, summary.cooccurrence, names, weights, "threads_together")
    if inbound_only:
        b.report.notes.append(
            f"{inbound_only} people only ever wrote to the owner (never answered): no tie"
        )
    return b.batch(_fold(relationships), interactions), b.report


def _fold(relationships: list[Relationship]) -> list[Relationship]:
    """One relationship per pair: two addresses of one person give one tie (counts summed,
    dates widened), so a re-import writes the same evidence."""
    by_pair: dict[tuple[str, str], Evidence] = {}
    for rel in relationships:
        pair = (rel.a, rel.b)
        e = rel.evidence[0]
        old = by_pair.get(pair)
        by_pair[pair] = e if old is None else _sum(old, e)
    return [Relationship(a, b, (e,)) for (a, b), e in by_pair.items()]


def _sum(x: Evidence, y: Evidence) -> Evidence:
    def lo(p: datetime | None, q: datetime | None) -> datetime | None:
        return min(v for v in (p, q) if v) if (p or q) else None

    def hi(p: datetime | None, q: datetime | None) -> datetime | None:
        return max(v for v in (p, q) if v) if (p or q) else None

    return replace(
        x,
        emails_ab=x.emails_ab + y.emails_ab,
        emails_ba=x.emails_ba + y.emails_ba,
        email_threads=x.email_threads + y.email_threads,
        email_replies=x.email_replies + y.email_replies,
        first_email=lo(x.first_email, y.first_email),
        last_email=hi(x.last_email, y.last_email),
        meetings=x.meetings + y.meetings,
        small_meetings=x.small_meetings + y.small_meetings,
        meeting_weight=round(x.meeting_weight + y.meeting_weight, 6),
        first_meeting=lo(x.first_meeting, y.first_meeting),
        last_meeting=hi(x.last_meeting, y.last_meeting),
        threads_together=max(x.threads_together, y.threads_together),
        meetings_together=max(x.meetings_together, y.meetings_together),
        address_book=tuple(dict.fromkeys((*x.address_book, *y.address_book))),
    )


# -- calendar ----------------------------------------------------------------------------------
def infer_calendar_owner(meetings: list[cal.Meeting]) -> tuple[str, str]:
    """The address at the most meetings when it is at least half of them; ("", "") else."""
    seen: Counter[str] = Counter()
    for m in meetings:
        for p in {p.email for p in m.people if not p.group}:
            seen[p] += 1
    if not seen:
        return "", ""
    email, count = seen.most_common(1)[0]
    if count * 2 < len(meetings):
        return "", ""
    return email, f"at {count} of {len(meetings)} meetings"


class CalendarLoader:
    """``import calendar``: an .ics file, a folder of them or a Takeout .zip."""

    name = "calendar"

    def detect(self, path: Path) -> bool:
        return path.is_file() and path.suffix.casefold() == ".ics"

    def load(self, path: Path, options: LoadOptions) -> tuple[ImportBatch, ImportReport]:
        owner = _require_owner(options, str(path))
        w = options.weights
        addresses = _addresses(owner, options.aliases)
        window = cal.default_window(options.now or datetime.now(UTC))
        parse_notes: list[str] = []
        meetings = list(cal.iter_calendar(path, window=window, notes=parse_notes))
        notes: list[str] = []
        if not owner.email:
            owner, note = _settle_owner(owner, infer_calendar_owner(meetings), options, path)
            addresses.add(owner.email)
            notes.append(note)
        agg = cal.CalendarAggregator(addresses, max_meeting_size=w.together_max_group)
        small = Counter[str]()
        for n, m in enumerate(meetings, 1):
            if agg.add(m) and m.size <= SMALL_MEETING:
                for p in m.people:
                    small[p.email] += 1
            if options.progress is not None and n % PROGRESS_EVERY == 0:
                options.progress(n)
        summary = agg.summary(window=window, notes=parse_notes)
        if options.progress is not None:
            options.progress(len(meetings))
        return build_calendar_batch(
            summary, small, owner, options.existing, w, str(path), notes, asked=options.asked
        )


def build_calendar_batch(
    summary: cal.CalendarSummary,
    small: Counter[str],
    owner: Person,
    existing: Iterable[Person],
    weights: StrengthWeights,
    source: str,
    notes: Iterable[str] = (),
    *,
    asked: PersonKeys | None = None,
) -> tuple[ImportBatch, ImportReport]:
    """People and ties from one owner's meetings (pure); ``small`` counts each address's
    meetings of at most :data:`~graph.model.SMALL_MEETING` people."""
    b = _Builder.start(owner, existing, source, asked)
    b.report.notes.extend(notes)
    b.report.notes.extend(summary.notes)
    if summary.window is not None:
        start, end = summary.window
        b.report.notes.append(
            f"{summary.meetings} meetings from {start:%Y-%m-%d} to {end:%Y-%m-%d} "
            f"(recurring events expanded)"
        )
    relationships: list[Relationship] = []
    interactions = crowd = 0
    for c in summary.counterparts.values():
        if c.weighted < weights.meeting_min_weight:
            crowd += 1
            continue
        person = b.person((c.address,), c.name)
        if person is None:
            continue
        relationships.append(
            _owner_tie(
                b.owner.id,
                person.id,
                meetings=c.meetings,
                small_meetings=small[c.address],
                meeting_weight=c.weighted,
                first_meeting=_naive_utc(c.first_meeting),
                last_meeting=_naive_utc(c.last_meeting),
            )
        )
        interactions += c.meetings
    names = {c.address: c.name for c in summary.counterparts.values()}
    relationships += _together(b, summary.cooccurrence, names, weights, "meetings_together")
    if crowd:
        b.report.notes.append(f"{crowd} people seen only in large meetings: no tie")
    return b.batch(_fold(relationships), interactions), b.report


# -- address books ---------------------------------------------------------------------------
class _AddressBookLoader:
    """Shared by ``import vcard`` and ``import contacts``: one card, one person and an
    "in <owner>'s address book" tie."""

    name = ""
    suffixes: tuple[str, ...] = ()

    def detect(self, path: Path) -> bool:
        return path.is_file() and path.suffix.casefold() in self.suffixes

    def load(self, path: Path, options: LoadOptions) -> tuple[ImportBatch, ImportReport]:
        owner = _require_owner(options, str(path))
        salt = secrets.token_hex(16)  # phones: matched within this import only, then gone
        found = list(cards.iter_contacts(path, salt=salt))
        if options.progress is not None:
            options.progress(len(found))
        return build_address_book_batch(
            found, owner, options.existing, str(path), options.aliases, asked=options.asked
        )


def build_address_book_batch(
    found: Iterable[cards.ContactCard],
    owner: Person,
    existing: Iterable[Person],
    source: str,
    aliases: Iterable[str] = (),
    *,
    asked: PersonKeys | None = None,
) -> tuple[ImportBatch, ImportReport]:
    """People and "in the address book" ties from contact cards (pure)."""
    b = _Builder.start(owner, existing, source, asked)
    own = _addresses(b.owner, aliases)
    for address in own:
        b.ids[address] = b.owner.id
    label = first_name(b.owner)
    relationships: list[Relationship] = []
    phones: dict[str, str] = {}  # phone hash -> person id, this import only
    nameless = 0
    for card in found:
        if not (card.name or card.emails):
            nameless += 1
            continue
        person = b.person(
            card.emails,
            card.name,
            company=card.organisation,
            position=card.title,
            url=card.linkedin_url,
        )
        if person is None:
            continue
        for h in card.phone_hashes:
            other = phones.setdefault(h, person.id)
            if other != person.id:
                b.report.notes.append(
                    f"{card.file}:{card.line}: shares a phone number with another card "
                    "(kept apart: a shared number is no proof of one person)"
                )
        relationships.append(_owner_tie(b.owner.id, person.id, address_book=(label,)))
    if nameless:
        b.report.notes.append(f"{nameless} cards with neither a name nor an email skipped")
    return b.batch(_fold(relationships), 0), b.report


class VCardLoader(_AddressBookLoader):
    """``import vcard``: a .vcf (vCard 2.1/3.0/4.0), a folder of them or a .zip."""

    name = "vcard"
    suffixes = (".vcf", ".vcard")


class ContactsLoader(_AddressBookLoader):
    """``import contacts``: a Google Contacts or Outlook CSV export."""

    name = "contacts"
    suffixes = (".csv",)

    def detect(self, path: Path) -> bool:
        if not super().detect(path):
            return False
        with path.open("rb") as f:
            head = f.read(4096).decode("utf-8", errors="replace").splitlines()[:1]
        header = [c.strip() for c in head[0].split(",")] if head else []
        return cards.detect_csv_flavour(header) is not None
