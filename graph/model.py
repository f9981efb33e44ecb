"""The domain model: people, undirected relationships with evidence and provenance.

Records are frozen dataclasses so they can be shared between the store, the
planner and the API without defensive copies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from enum import StrEnum
from operator import attrgetter

DEFAULT_MAX_HOPS = 3  # LinkedIn's "3rd degree": the default reach of every path query
MAX_HOPS = 6  # the most any query may ask for; search cost grows fast with each hop


class Sharing(StrEnum):
    """How much of a member's network teammates may use (see docs/concepts.md)."""

    PRIVATE = "private"  # ties serve only the member's own queries
    PATHS = "paths"  # teammates may route through the ties; people shown only on paths
    FULL = "full"  # teammates may browse the member's contacts


def naive_utc(at: datetime) -> datetime:
    """Evidence times are naive UTC everywhere (LinkedIn dates, mail and calendar
    headers, recorded interactions): an aware time is converted, so all compare.

    >>> from datetime import timedelta, timezone
    >>> naive_utc(datetime(2026, 1, 2, 10, tzinfo=timezone(timedelta(hours=2))))
    datetime.datetime(2026, 1, 2, 8, 0)
    """
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at


@dataclass(frozen=True, slots=True)
class Person:
    """One real person after identity resolution.

    ``url`` is the normalised LinkedIn profile URL and ``email`` the lower-cased
    address; either may be empty. ``id`` is stable across re-imports.
    """

    id: str
    name: str
    company: str = ""
    position: str = ""
    email: str = ""
    url: str = ""
    schools: tuple[str, ...] = ()
    employers: tuple[str, ...] = ()  # past and present, for shared-employer evidence


def merge_person(old: Person, new: Person) -> Person:
    """The one rule for folding a newer record of a person into an older one.

    Newer non-empty values win (a re-import or an edit brings the current
    company); empty ones keep what was known; schools and employers are a
    union, because both records saw real history.

    >>> p = merge_person(Person("x", "Ann", company="A", employers=("A",)),
    ...                  Person("x", "Ann B", email="a@b.c", employers=("B",)))
    >>> (p.name, p.company, p.email, p.employers)
    ('Ann B', 'A', 'a@b.c', ('A', 'B'))
    """
    return Person(
        id=old.id,
        name=new.name or old.name,
        company=new.company or old.company,
        position=new.position or old.position,
        email=new.email or old.email,
        url=new.url or old.url,
        schools=tuple(dict.fromkeys((*old.schools, *new.schools))),
        employers=tuple(dict.fromkeys((*old.employers, *new.employers))),
    )


@dataclass(frozen=True, slots=True)
class Evidence:
    """What one owner's data says about the tie between ``a`` and ``b``.

    Direction-specific counts use the relationship's canonical order: ``ab`` means
    messages from ``a`` to ``b``. ``owner`` is the provenance: the member (person
    id) whose export, or the source label of the file, that showed the tie.
    """

    owner: str
    connected_on: date | None = None
    messages_ab: int = 0
    messages_ba: int = 0
    first_contact: datetime | None = None
    last_contact: datetime | None = None
    shared_employers: tuple[str, ...] = ()
    shared_schools: tuple[str, ...] = ()
    invited_with_note: bool | None = None  # None: no invitation seen
    endorsements: int = 0
    recommendations: int = 0
    rating: float | None = None  # explicit strength in (0, 1]; overrides the model
    notes: tuple[tuple[str, str], ...] = ()  # extra source columns kept verbatim
    # Email, calendar and address-book metadata (loaders.personal); never a subject or body.
    emails_ab: int = 0  # emails from a to b (canonical order, like messages_ab)
    emails_ba: int = 0
    email_threads: int = 0  # distinct threads both took part in
    email_replies: int = 0  # replies either way (one answering the other's message)
    first_email: datetime | None = None
    last_email: datetime | None = None
    meetings: int = 0  # meetings both attended (occurrences of recurring ones)
    small_meetings: int = 0  # of which with at most SMALL_MEETING people
    meeting_weight: float = 0.0  # sum of loaders.calendar.meeting_weight over them
    first_meeting: datetime | None = None
    last_meeting: datetime | None = None
    address_book: tuple[str, ...] = ()  # names of the members whose address book lists b
    # Two contacts seen together in the owner's mail or calendar (owner is neither end).
    threads_together: int = 0
    meetings_together: int = 0
    together_from: tuple[str, ...] = ()  # names of the members whose data showed it
    # Implied, never stored: set on the planning view's own evidence (graph.colleagues).
    teammate: bool = False  # both are members of the workspace
    colleague_company: str = ""  # both list this company as their current one (inferred)
    colleague_size: int = 0  # people at that company in the graph


SMALL_MEETING = 4  # a meeting of at most this many people is "small" (counted apart)

#: Which evidence fields each kind of source writes. A re-import replaces only its
#: own source's fields of the same owner's evidence for a pair (see overlay_evidence):
#: a member's mail import must not wipe what their LinkedIn export said, nor the reverse.
MAIL_FIELDS = frozenset(
    {
        "emails_ab",
        "emails_ba",
        "email_threads",
        "email_replies",
        "first_email",
        "last_email",
        "threads_together",
    }
)
CALENDAR_FIELDS = frozenset(
    {
        "meetings",
        "small_meetings",
        "meeting_weight",
        "first_meeting",
        "last_meeting",
        "meetings_together",
    }
)
ADDRESS_BOOK_FIELDS = frozenset({"address_book"})
PERSONAL_FIELDS = MAIL_FIELDS | CALENDAR_FIELDS | ADDRESS_BOOK_FIELDS | {"together_from"}


def overlay_evidence(old: Evidence, new: Evidence, owned: frozenset[str]) -> Evidence:
    """``new`` for the fields its source owns, ``old`` for every other field.

    ``together_from`` is a union: both mail and calendar may show two contacts together.

    >>> old = Evidence(owner="m", messages_ab=3, emails_ab=9)
    >>> new = Evidence(owner="m", emails_ab=2, emails_ba=1)
    >>> e = overlay_evidence(old, new, MAIL_FIELDS)
    >>> (e.messages_ab, e.emails_ab, e.emails_ba)
    (3, 2, 1)
    """
    values = {name: getattr(new if name in owned else old, name) for name in _EVIDENCE_FIELDS}
    values["owner"] = new.owner
    values["together_from"] = tuple(dict.fromkeys((*old.together_from, *new.together_from)))
    return Evidence(**values)


def overlay_leaves_as_is(owned: frozenset[str]) -> Callable[[Evidence, Evidence], bool]:
    """A quick test that ``overlay_evidence(old, new, owned) == old`` without building
    the overlay (~10 µs a record, a million times in a re-import): ``new`` agrees with
    ``old`` on every field it owns and brings no one ``together_from`` does not have
    (which lists nobody twice: the overlay's union would drop the repeat). False may
    still be an unchanged overlay; the caller then builds it and compares.

    >>> same = overlay_leaves_as_is(MAIL_FIELDS)
    >>> old = Evidence(owner="m", messages_ab=3, emails_ab=9)
    >>> same(old, Evidence(owner="m", emails_ab=9)), same(old, Evidence(owner="m", emails_ab=2))
    (True, False)
    """
    owned_values = attrgetter(*sorted(owned - {"owner", "together_from"}))

    def test(old: Evidence, new: Evidence) -> bool:
        if owned_values(new) != owned_values(old):
            return False
        together = set(old.together_from)  # the overlay's union, if it has no repeats
        return len(together) == len(old.together_from) and together.issuperset(new.together_from)

    return test


def canonical_pair(x: str, y: str) -> tuple[str, str]:
    """Order two person ids the way relationships store them.

    >>> canonical_pair("b", "a")
    ('a', 'b')
    """
    return (x, y) if x <= y else (y, x)


@dataclass(frozen=True, slots=True)
class Relationship:
    """An undirected tie; ``a < b``; one ``Evidence`` per owner that saw it."""

    a: str
    b: str
    evidence: tuple[Evidence, ...] = ()

    def __post_init__(self) -> None:
        if self.a >= self.b:
            raise ValueError(
                f"relationship ends must be ordered and distinct: {self.a!r}, {self.b!r}"
            )


_new_object = object.__new__


def ordered_relationship(a: str, b: str, evidence: tuple[Evidence, ...]) -> Relationship:
    """A relationship whose ends the caller has already ordered and told apart (``a < b``).

    For loaders that check a whole batch at once (a million ties): it skips the
    per-object check of ``Relationship`` and nothing else; the record is the same.

    >>> ordered_relationship("a", "b", ()) == Relationship("a", "b", ())
    True
    """
    rel = _new_object(Relationship)
    _set_a(rel, a)
    _set_b(rel, b)
    _set_evidence(rel, evidence)
    return rel


# The slots' own setters: what ``object.__setattr__`` ends up calling, without the lookup.
_set_a = Relationship.__dict__["a"].__set__
_set_b = Relationship.__dict__["b"].__set__
_set_evidence = Relationship.__dict__["evidence"].__set__


@dataclass(frozen=True, slots=True)
class Merge:
    """A recorded identity-resolution decision: ``merged`` was folded into ``kept``."""

    kept: str
    merged: str
    reason: str


@dataclass(frozen=True, slots=True)
class Member:
    """A workspace member: a person who brought data, with a sharing level."""

    person_id: str
    sharing: Sharing = Sharing.PATHS


@dataclass(slots=True)
class ImportBatch:
    """Everything one import writes, applied by a store in one transaction.

    Evidence in a batch replaces the same owner's earlier evidence for the same
    pair, which is what makes re-importing an export idempotent.
    """

    people: list[Person] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)


_EVIDENCE_FIELDS = tuple(f.name for f in fields(Evidence))
#: Fields written by LinkedIn exports, edge lists and GraphML (everything not personal).
LINKEDIN_FIELDS = frozenset(_EVIDENCE_FIELDS) - PERSONAL_FIELDS
