"""Identity keys: how LinkedIn URLs, emails, names and companies are compared.

These are domain rules, not parsing: loaders use them to give people stable
ids, services use them to resolve what a user typed into a person.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from graph.model import Person

_EMAIL = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\".]+$")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*://")
_CANONICAL = re.compile(r"https://www\.linkedin\.com/in/([a-z0-9\-]+)/?")
_PUNCT = re.compile(r"[^\w\s]")
_SLUG_EXTRA = frozenset("-_.~")
_SLUG_EXTRA_GONE = str.maketrans("", "", "-_.~")
# The canonical form with any slug characters (checked by ``_folded_slug``).
_CANONICAL_UNICODE = re.compile(r"https://www\.linkedin\.com/in/([^/?#%\s]+)/?")
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


def _folded_slug(slug: str) -> bool:
    """True when ``slug`` is already what :func:`_fold_slug` and the character check make
    of it: no percent escapes, case-folded, NFC, letters and digits (any script) and
    ``-_.~`` only. Most exported URLs are, so they skip ``urlsplit`` and the per-character
    Unicode lookups; anything else takes the full path."""
    return (
        "%" not in slug
        and slug.casefold() == slug
        and unicodedata.is_normalized("NFC", slug)
        and slug.translate(_SLUG_EXTRA_GONE).isalnum()
    )


def _normalize_url(text: str) -> str:
    fast = _CANONICAL.fullmatch(text)
    if fast:
        return "https://www.linkedin.com/in/" + fast.group(1)
    folded = _CANONICAL_UNICODE.fullmatch(text)
    if folded and _folded_slug(folded.group(1)):
        return "https://www.linkedin.com/in/" + folded.group(1)
    return _parsed_url(text)


def _parsed_url(text: str) -> str:
    """The full path: split the URL, check the host, fold the slug."""
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


@dataclass(slots=True)
class PersonKeys:
    """What an import looks known people up by, so a store reads only the people
    these keys name instead of the whole workspace (see :meth:`matches`).

    ``names`` are :func:`normalize_name` keys; ``blocks`` are
    ``(normalize_company, one token of normalize_name)``: the identity resolver's
    fuzzy blocks.

    Examples
    --------
    >>> keys = PersonKeys()
    >>> keys.add_person(Person("nm:x", "Ana Perez", "ACME Inc."))
    >>> keys.matches(Person("li:ana", "Ana Pérez-Ruiz", "Acme", url="https://www.linkedin.com/in/ana"))
    True
    >>> keys.matches(Person("li:bo", "Bo", "Acme"))
    False
    """

    ids: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    blocks: set[tuple[str, str]] = field(default_factory=set)

    def add_person(self, p: Person) -> None:
        """Every key an identity resolver may look ``p`` up by (its id, URL, email and,
        with both a name and a company, its name and its fuzzy blocks)."""
        self.ids.add(p.id)
        if p.url:
            self.urls.add(p.url)
        if p.email:
            self.emails.add(p.email)
        name = normalize_name(p.name)
        company = normalize_company(p.company)
        if name and company:
            self.names.add(name)
            self.blocks.update((company, token) for token in name.split())

    def update(self, other: PersonKeys) -> None:
        self.ids |= other.ids
        self.urls |= other.urls
        self.emails |= other.emails
        self.names |= other.names
        self.blocks |= other.blocks

    def minus(self, other: PersonKeys) -> PersonKeys:
        """The keys of ``self`` that ``other`` lacks."""
        return PersonKeys(
            self.ids - other.ids,
            self.urls - other.urls,
            self.emails - other.emails,
            self.names - other.names,
            self.blocks - other.blocks,
        )

    def __bool__(self) -> bool:
        return bool(self.ids or self.urls or self.emails or self.names or self.blocks)

    def matches(self, p: Person) -> bool:
        """Whether a stored ``p`` is one of the people these keys name."""
        if p.id in self.ids or (p.url and p.url in self.urls):
            return True
        if p.email and p.email in self.emails:
            return True
        name = normalize_name(p.name)
        if not name:
            return False
        if name in self.names:
            return True
        if not self.blocks:
            return False
        company = normalize_company(p.company)
        return bool(company) and any((company, token) in self.blocks for token in name.split())
