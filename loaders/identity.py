"""Identity resolution: one node per real person across owners' exports.

Order of evidence: LinkedIn profile URL, then email, then a conservative
name+company fuzzy match. Two different profile URLs are never merged, and a
name alone never merges anyone. Every merge carries its reason.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from rapidfuzz import fuzz

from graph.model import Merge, Person

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SLUG_OK = re.compile(r"^[\w\-.%~]+$", re.UNICODE)
_CANONICAL = re.compile(r"^https://www\.linkedin\.com/in/[a-z0-9\-]+$")
NAME_THRESHOLD = 95.0
COMPANY_THRESHOLD = 90.0


@lru_cache(maxsize=1 << 17)  # exports repeat the same URLs on every message row
def normalize_linkedin_url(raw: str) -> str:
    """Canonical ``https://www.linkedin.com/in/<slug>``, or "" if not a profile URL.

    Scheme, ``www.``/locale subdomains, case, trailing slash, query string,
    fragment and percent-encoding do not matter.

    >>> normalize_linkedin_url("HTTP://uk.LinkedIn.com/in/Ana-P%C3%A9rez-12/?trk=x#a")
    'https://www.linkedin.com/in/ana-pérez-12'
    >>> normalize_linkedin_url("linkedin.com/in/bo") == normalize_linkedin_url("https://www.linkedin.com/in/BO/")
    True
    >>> normalize_linkedin_url("https://example.com/in/bo")
    ''
    """
    text = (raw or "").strip()
    if not text:
        return ""
    if _CANONICAL.match(text):
        return text
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        return ""
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2 or segments[0].lower() not in ("in", "pub"):
        return ""
    slug = unicodedata.normalize("NFC", unquote(segments[1])).casefold().strip()
    if not slug or not _SLUG_OK.match(slug):
        return ""
    return f"https://www.linkedin.com/in/{slug}"


def normalize_email(raw: str) -> str:
    """Lower-cased address, or "" for LinkedIn member URNs and non-addresses.

    >>> normalize_email(" Ana.P@Example.COM ")
    'ana.p@example.com'
    >>> normalize_email("urn:li:member:12345")
    ''
    """
    text = (raw or "").strip().casefold()
    if not text or text.startswith("urn:") or not _EMAIL.match(text):
        return ""
    return text


@lru_cache(maxsize=1 << 16)
def normalize_name(raw: str) -> str:
    """Name folded for comparison: accents, case, punctuation and suffixes dropped.

    >>> normalize_name("Dr. José  Núñez, Ph.D.")
    'jose nunez'
    """
    text = unicodedata.normalize("NFKD", raw or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    drop = {"dr", "mr", "mrs", "ms", "phd", "ph", "d", "mba", "jr", "sr", "md", "pmp", "cpa"}
    return " ".join(w for w in text.split() if w not in drop)


def person_id_for(url: str, email: str, name: str, company: str) -> str:
    """A stable id: ``li:<slug>`` from a URL, else ``em:<email>``, else a name hash.

    >>> person_id_for("https://www.linkedin.com/in/ana", "", "Ana", "")
    'li:ana'
    >>> person_id_for("", "a@b.co", "Ana", "")
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


class IdentityResolver:
    """Resolve incoming person records against known people (pure, no I/O)."""

    def __init__(self, existing: Iterable[Person] = ()) -> None:
        self.people: dict[str, Person] = {}
        self.by_url: dict[str, str] = {}
        self.by_email: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = {}
        self.merges: list[Merge] = []
        self.alias: dict[str, str] = {}  # incoming id -> resolved id
        for p in existing:
            self._remember(p)

    def _remember(self, p: Person) -> None:
        self.people[p.id] = p
        if p.url:
            self.by_url.setdefault(p.url, p.id)
        if p.email:
            self.by_email.setdefault(p.email, p.id)
        key = normalize_name(p.name)
        if key:
            ids = self.by_name.setdefault(key, [])
            if p.id not in ids:
                ids.append(p.id)

    def _name_match(self, p: Person) -> tuple[str, str] | None:
        key = normalize_name(p.name)
        if not key or not p.company:
            return None
        company = normalize_name(p.company)
        for candidate_id in self.by_name.get(key, ()):
            c = self.people[candidate_id]
            if c.id == p.id or not c.company:
                continue
            if c.url and p.url and c.url != p.url:
                continue  # two different profiles are two people
            name_score = fuzz.token_sort_ratio(key, normalize_name(c.name))
            company_score = fuzz.token_sort_ratio(company, normalize_name(c.company))
            if name_score >= NAME_THRESHOLD and company_score >= COMPANY_THRESHOLD:
                return c.id, (
                    f"name+company match {p.name!r} @ {p.company!r} (score {min(name_score, company_score):.0f})"
                )
        return None

    def resolve(self, p: Person) -> Person:
        """The person ``p`` is, after folding it into anyone already known."""
        known_id: str | None = None
        reason = ""
        if p.id in self.people:
            known_id = p.id
        elif p.url and p.url in self.by_url:
            known_id, reason = self.by_url[p.url], f"same LinkedIn profile {p.url}"
        elif p.email and p.email in self.by_email:
            other = self.people[self.by_email[p.email]]
            if not (other.url and p.url and other.url != p.url):
                known_id, reason = other.id, f"same email {p.email}"
        if known_id is None:
            match = self._name_match(p)
            if match:
                known_id, reason = match
        if known_id is None:
            self._remember(p)
            self.alias[p.id] = p.id
            return p
        old = self.people[known_id]
        merged = replace(
            old,
            name=old.name or p.name,
            company=p.company or old.company,
            position=p.position or old.position,
            email=old.email or p.email,
            url=old.url or p.url,
        )
        if known_id != p.id:
            self.merges.append(Merge(kept=known_id, merged=p.id, reason=reason))
        self.alias[p.id] = known_id
        self._remember(merged)
        return merged
