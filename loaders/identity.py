"""Identity resolution: one node per real person across owners' exports.

Order of evidence: LinkedIn profile URL, then email, then a conservative
name+company fuzzy match. Two different profile URLs are never merged, a name
alone never merges anyone, and an ambiguous fuzzy match merges nobody. Every
merge carries its reason so it can be explained and reversed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from rapidfuzz import fuzz

from graph.model import Merge, Person

NAME_THRESHOLD = 95.0
COMPANY_THRESHOLD = 90.0

_EMAIL = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\".]+$")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*://")
_CANONICAL = re.compile(r"https://www\.linkedin\.com/in/([a-z0-9\-]+)/?")
_PUNCT = re.compile(r"[^\w\s]")
_SLUG_EXTRA = frozenset("-_.~")
_HONORIFICS = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "phd",
        "ph",
        "d",
        "mba",
        "jr",
        "sr",
        "md",
        "pmp",
        "cpa",
        "esq",
        "ii",
        "iii",
        "iv",
        "msc",
        "bsc",
    ]
)
_LEGAL_SUFFIXES = frozenset(
    [
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "llp",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "sarl",
        "bv",
        "nv",
        "corp",
        "corporation",
        "co",
        "company",
        "oy",
        "ab",
        "as",
        "aps",
        "srl",
        "spa",
        "kk",
        "pty",
        "pvt",
    ]
)


def _slug_char_ok(ch: str) -> bool:
    # Letters, digits and combining marks in any script; emoji survive from real exports.
    return (
        ch in _SLUG_EXTRA
        or unicodedata.category(ch)[0] in "LNM"
        or (unicodedata.category(ch) == "So")
    )


def _fold_slug(segment: str) -> str:
    """Percent-decode to a fixpoint, lower-case, NFC; "" if it never settles."""
    text = segment
    for _ in range(4):
        decoded = unicodedata.normalize("NFC", unquote(text).casefold())
        if decoded == text:
            return text
        text = decoded
    return ""


def _normalize_url(text: str) -> str:
    fast = _CANONICAL.fullmatch(text)
    if fast:
        return "https://www.linkedin.com/in/" + fast.group(1)
    if not _SCHEME.match(text):
        text = "https://" + text.lstrip("/")
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError:
        return ""
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        return ""
    segments = [s for s in parts.path.split("/") if s]
    if segments[:1] == ["mwlite"]:  # the mobile site prefixes profile paths
        segments = segments[1:]
    if len(segments) < 2 or segments[0].lower() != "in":
        return ""
    slug = _fold_slug(segments[1])
    if not slug or not all(_slug_char_ok(ch) for ch in slug):
        return ""
    return f"https://www.linkedin.com/in/{slug}"


@lru_cache(maxsize=1 << 17)  # exports repeat the same URLs on every message row
def normalize_linkedin_url(raw: str) -> str:
    """Canonical ``https://www.linkedin.com/in/<slug>``, or "" if not a profile URL.

    Exports and people write the same profile many ways; comparing canonical
    forms is what makes the URL the strongest identity key. Scheme, ``www.`` or
    locale subdomains, case, trailing slash, query string, fragment and
    percent-encoding do not matter. Never raises.

    Examples
    --------
    >>> normalize_linkedin_url("HTTP://uk.LinkedIn.com/in/Ana-P%C3%A9rez-12/?trk=x#a")
    'https://www.linkedin.com/in/ana-pérez-12'
    >>> normalize_linkedin_url("linkedin.com/in/BO/") == normalize_linkedin_url("https://www.linkedin.com/in/bo")
    True
    >>> normalize_linkedin_url("https://example.com/in/bo")
    ''
    >>> normalize_linkedin_url("linkedin.com/company/acme")
    ''
    """
    text = str(raw or "").strip().strip("<>\"'").strip()
    if not text or len(text) > 2048:
        return ""
    return _normalize_url(text)


def normalize_email(raw: str) -> str:
    """Lower-cased address, or "" for LinkedIn member URNs and non-addresses.

    Old exports put ``urn:li:member:…`` where hidden emails were; treating that
    as an address would merge strangers.

    Examples
    --------
    >>> normalize_email(" Ana.P@Example.COM ")
    'ana.p@example.com'
    >>> normalize_email("urn:li:member:12345"), normalize_email("not an email")
    ('', '')
    """
    text = str(raw or "").strip().strip("<>").strip().casefold()
    text = text.removeprefix("mailto:")
    if not text or text.startswith("urn:") or not _EMAIL.match(text):
        return ""
    return text


@lru_cache(maxsize=1 << 16)
def normalize_name(raw: str) -> str:
    """Name folded for comparison: accents, case, punctuation and suffixes dropped.

    Examples
    --------
    >>> normalize_name("Dr. José  Núñez, Ph.D.")
    'jose nunez'
    """
    text = unicodedata.normalize("NFKD", raw or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _PUNCT.sub(" ", text)
    return " ".join(w for w in text.split() if w not in _HONORIFICS)


@lru_cache(maxsize=1 << 14)
def normalize_company(raw: str) -> str:
    """Company folded for comparison: like names, and legal suffixes dropped.

    Examples
    --------
    >>> normalize_company("ACME, Inc.") == normalize_company("Acme")
    True
    """
    text = unicodedata.normalize("NFKD", raw or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    words = _PUNCT.sub(" ", text).split()
    kept = [w for w in words if w not in _LEGAL_SUFFIXES]
    return " ".join(kept or words)


def person_id_for(url: str, email: str, name: str, company: str) -> str:
    """A stable id: ``li:<slug>`` from a URL, else ``em:<email>``, else a name hash.

    Stable ids are what make re-imports idempotent: the same row always lands
    on the same node.

    Examples
    --------
    >>> person_id_for("https://www.linkedin.com/in/ana", "", "Ana", "")
    'li:ana'
    >>> person_id_for("", "A@B.co", "Ana", "")
    'em:a@b.co'
    >>> person_id_for("", "", "Ana Pérez", "Acme")
    'nm:1ea402ebd9fa'
    """
    u = normalize_linkedin_url(url)
    if u:
        return "li:" + u.rsplit("/", 1)[1]
    e = normalize_email(email)
    if e:
        return "em:" + e
    key = f"{normalize_name(name)}|{normalize_name(company)}"
    return "nm:" + hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:12]


def _merge_fields(old: Person, new: Person) -> Person:
    """Keep ``old``'s non-empty values, fill its empty ones from ``new``."""
    return Person(
        id=old.id,
        name=old.name or new.name,
        company=old.company or new.company,
        position=old.position or new.position,
        email=old.email or new.email,
        url=old.url or new.url,
        schools=tuple(dict.fromkeys((*old.schools, *new.schools))),
        employers=tuple(dict.fromkeys((*old.employers, *new.employers))),
    )


@dataclass(frozen=True, slots=True)
class _Key:
    name: str
    company: str


class IdentityResolver:
    """Resolve incoming person records against known people (pure, no I/O).

    Knows the workspace's people given at construction and every person resolved
    since, so duplicates inside one batch fold together too.

    Parameters
    ----------
    existing
        People already in the workspace; they keep their ids.

    Examples
    --------
    >>> r = IdentityResolver([Person("li:ana", "Ana Pérez", "Acme", url="https://www.linkedin.com/in/ana")])
    >>> r.resolve(Person("nm:x", "Ana Perez", "ACME Inc.", email="ana@acme.example")).id
    'li:ana'
    >>> r.merges[0].reason
    "name+company match 'Ana Perez' @ 'ACME Inc.' (score 100)"
    """

    def __init__(self, existing: Iterable[Person] = ()) -> None:
        self.people: dict[str, Person] = {}
        self.merges: list[Merge] = []
        self.alias: dict[str, str] = {}  # incoming id -> resolved id
        self._by_url: dict[str, str] = {}
        self._by_email: dict[str, str] = {}
        self._keys: dict[str, _Key] = {}
        # Fuzzy blocking: the exact folded name, and (company, one name token): one
        # typo leaves another token intact, and blocks stay small even when a
        # 2018 export holds thousands of URL-less people at one company.
        # URL-less people are indexed again on their own: a URL-bearing record
        # can only fold into one of them, which keeps 2023+ exports linear.
        self._by_name: dict[str, dict[str, None]] = {}
        self._by_block: dict[tuple[str, str], dict[str, None]] = {}
        self._no_url_by_name: dict[str, dict[str, None]] = {}
        self._no_url_by_block: dict[tuple[str, str], dict[str, None]] = {}
        for p in existing:
            self._remember(p)

    def _remember(self, p: Person) -> None:
        fresh = p.id not in self.people
        self.people[p.id] = p
        if p.url:
            self._by_url.setdefault(p.url, p.id)
        if p.email:
            self._by_email.setdefault(p.email, p.id)
        key = _Key(normalize_name(p.name), normalize_company(p.company))
        if not fresh and self._keys.get(p.id) == key:
            return
        self._keys[p.id] = key
        if not key.name:
            return
        targets = [(self._by_name, self._by_block)]
        if not p.url:
            targets.append((self._no_url_by_name, self._no_url_by_block))
        for by_name, by_block in targets:
            by_name.setdefault(key.name, {})[p.id] = None
            if key.company:
                for token in set(key.name.split()):
                    by_block.setdefault((key.company, token), {})[p.id] = None

    def _fuzzy(self, p: Person) -> tuple[str, str] | None:
        """The one person ``p`` matches on name AND company, or None (also if ambiguous)."""
        if p.url and not self._no_url_by_name:
            return None  # only URL-less people could be this one, and there are none
        key = _Key(normalize_name(p.name), normalize_company(p.company))
        if not key.name or not key.company:
            return None  # never on name alone
        by_name, by_block = (
            (self._no_url_by_name, self._no_url_by_block)
            if p.url
            else (self._by_name, self._by_block)
        )
        candidates = dict(by_name.get(key.name, {}))
        for token in set(key.name.split()):
            candidates.update(by_block.get((key.company, token), {}))
        hits: dict[str, float] = {}
        for cid in candidates:
            c = self.people[cid]
            ckey = self._keys[cid]
            if cid == p.id or not ckey.company or (c.url and p.url and c.url != p.url):
                continue  # two different profiles are two people
            if c.email and p.email and c.email != p.email:
                continue  # so are two different addresses, conservatively
            name_score = fuzz.token_sort_ratio(key.name, ckey.name, score_cutoff=NAME_THRESHOLD)
            if not name_score:
                continue
            company_score = fuzz.token_sort_ratio(
                key.company, ckey.company, score_cutoff=COMPANY_THRESHOLD
            )
            if company_score:
                hits[cid] = min(name_score, company_score)
        if len(hits) != 1:
            return None  # nobody, or ambiguous: a wrong merge is worse than a duplicate
        ((cid, score),) = hits.items()
        return cid, f"name+company match {p.name!r} @ {p.company!r} (score {score:.0f})"

    def resolve(self, p: Person) -> Person:
        """The person ``p`` is, after folding it into anyone already known.

        Parameters
        ----------
        p
            An incoming record with normalised ``url``/``email`` and an id from
            :func:`person_id_for`.

        Returns
        -------
        Person
            The known person with empty fields filled from ``p``, or ``p`` itself.
            A :class:`~graph.model.Merge` is recorded when ``p.id`` was folded
            into a different id.
        """
        known_id: str | None = None
        reason = ""
        if p.id in self.people:
            known_id = p.id
        elif p.url and p.url in self._by_url:
            known_id, reason = self._by_url[p.url], f"same LinkedIn profile {p.url}"
        elif p.email and p.email in self._by_email:
            other = self.people[self._by_email[p.email]]
            if not (other.url and p.url and other.url != p.url):
                known_id, reason = other.id, f"same email {p.email}"
        if known_id is None:
            match = self._fuzzy(p)
            if match:
                known_id, reason = match
        if known_id is None:
            self._remember(p)
            self.alias[p.id] = p.id
            return p
        merged = _merge_fields(self.people[known_id], p)
        if known_id != p.id:
            self.merges.append(Merge(kept=known_id, merged=p.id, reason=reason))
        self.alias[p.id] = known_id
        if merged != self.people[known_id]:
            self._remember(merged)
        return merged
