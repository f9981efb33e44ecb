"""Identity resolution: one node per real person across owners' exports.

Order of evidence: LinkedIn profile URL, then email, then a conservative
name+company fuzzy match. Two different profile URLs are never merged, a name
alone never merges anyone, and an ambiguous fuzzy match merges nobody. Every
merge carries its reason so it can be explained and reversed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from graph.identity import (
    PersonKeys,
    normalize_company,
    normalize_name,
)
from graph.model import Merge, Person, merge_person

NAME_THRESHOLD = 95.0
COMPANY_THRESHOLD = 90.0


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
        People already in the workspace; they keep their ids. Given in id order, the
        order a store lists them: the first of several people sharing a URL or an
        email is the one that URL or email resolves to.
    asked
        When given, every key :meth:`resolve` looks people up by is added to it, so
        ``existing`` may be only the people those keys name (see
        :func:`services.imports.load_resolved`): the answers are the same as
        with the whole workspace whenever ``existing`` holds everyone they name.

    Examples
    --------
    >>> r = IdentityResolver([Person("li:ana", "Ana Pérez", "Acme", url="https://www.linkedin.com/in/ana")])
    >>> r.resolve(Person("nm:x", "Ana Perez", "ACME Inc.", email="ana@acme.example")).id
    'li:ana'
    >>> r.merges[0].reason
    "name+company match 'Ana Perez' @ 'ACME Inc.' (score 100)"
    """

    def __init__(self, existing: Iterable[Person] = (), asked: PersonKeys | None = None) -> None:
        self.asked = asked
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
        if self.asked is not None:
            self.asked.add_person(p)
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
        merged = merge_person(self.people[known_id], p)
        if known_id != p.id:
            self.merges.append(Merge(kept=known_id, merged=p.id, reason=reason))
        self.alias[p.id] = known_id
        if merged != self.people[known_id]:
            self._remember(merged)
        return merged
