"""Erasure's memory: salted hashes of erased people's identifiers, per workspace.

Erasing a person removes them from the graph, the intro requests and the files;
this list is what keeps a later import of the same export from bringing them
back. It holds no identifier in the clear: each key (id, profile URL, email,
name with company) is hashed with a secret salt of the workspace, so the list
cannot be read back into names, yet a re-import recomputes the same hashes.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.identity import normalize_company, normalize_name
from graph.model import ImportBatch, Person, Relationship
from loaders.report import ImportReport, SkippedRow
from services.appdb import AppDB

ERASED_REASON = "erased person"


def identity_keys(person: Person) -> list[str]:
    """Every key identity resolution could match this person by.

    >>> identity_keys(Person("li:ana", "Ana Pérez", company="Acme", url="u", email="a@b.co"))
    ['id:li:ana', 'url:u', 'email:a@b.co', 'name:ana perez|acme']
    """
    keys = [f"id:{person.id}"]
    if person.url:
        keys.append(f"url:{person.url}")
    if person.email:
        keys.append(f"email:{person.email}")
    name = normalize_name(person.name)
    if name and person.company:
        keys.append(f"name:{name}|{normalize_company(person.company)}")
    return keys


def _salted(salt: str, keys: Iterable[str]) -> dict[str, str]:
    return {k: hashlib.sha256(f"{salt}\0{k}".encode()).hexdigest() for k in dict.fromkeys(keys)}


def mention_pattern(person: Person) -> re.Pattern[str] | None:
    """What, in free text (a goal, a draft), names the person: name, email, profile URL."""
    words = {person.name.strip(), _plain(person.name.strip()), person.email}
    if person.url:
        words.add(person.url.split("://", 1)[-1].removeprefix("www."))
    words.discard("")
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?:https?://)?(?:www\.)?(?:{alternatives})/?", re.IGNORECASE)


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class Suppressions:
    """The suppression list and intro-request scrubbing, in the data dir's app database.

    Each call opens the database and closes it again: the CLI and every API worker
    see the same list at once, and nothing stays open between calls.
    """

    path: Path

    def _hashes(self, db: AppDB, workspace: str, keys: Iterable[str]) -> dict[str, str]:
        return _salted(db.salt(workspace), keys)

    def record(self, workspace: str, people: Sequence[Person]) -> int:
        """Put every identity key of ``people`` on the list; how many keys."""
        db = AppDB(self.path)
        try:
            hashes = self._hashes(db, workspace, (k for p in people for k in identity_keys(p)))
            db.suppress(workspace, hashes.values())
            db.checkpoint()
            return len(hashes)
        finally:
            db.close()

    def scrub_intro_requests(self, workspace: str, ids: Sequence[str], person: Person) -> int:
        """Delete intro requests involving ``ids``; blank out mentions in the others."""
        db = AppDB(self.path)
        try:
            changed = db.erase_from_intro_requests(workspace, ids, mention_pattern(person))
            db.checkpoint()
            return changed
        finally:
            db.close()

    def any(self, workspace: str) -> bool:
        """Whether anyone in the workspace was erased (an import must then filter)."""
        db = AppDB(self.path)
        try:
            return bool(db.suppression_list(workspace))
        finally:
            db.close()

    def filter(self, workspace: str, batch: ImportBatch, report: ImportReport) -> ImportBatch:
        """The batch without anyone on the list (nor their ties, evidence or membership);
        each one left out is a skipped row of the report."""
        db = AppDB(self.path)
        try:
            on_list = db.suppression_list(workspace)
            # Nobody erased (the usual case): nothing to hash, however large the batch.
            salt = db.salt(workspace) if on_list else ""
        finally:
            db.close()
        if not on_list:
            return batch
        ends = {end for r in batch.relationships for end in (r.a, r.b)}
        described = {p.id for p in batch.people}
        candidates = [*batch.people, *(Person(e, "") for e in sorted(ends - described))]
        by_person = {p.id: _salted(salt, identity_keys(p)) for p in candidates}
        gone = {pid for pid, hashes in by_person.items() if on_list & set(hashes.values())}
        if not gone:
            return batch
        source = Path(report.source).name
        # One skipped row per erased person (the batch no longer knows their lines).
        report.skipped.extend(SkippedRow(source, 0, ERASED_REASON) for _ in gone)
        people = [p for p in batch.people if p.id not in gone]
        relationships = []
        for rel in batch.relationships:
            if rel.a in gone or rel.b in gone:
                continue
            kept = tuple(e for e in rel.evidence if e.owner not in gone)
            if kept:
                relationships.append(Relationship(rel.a, rel.b, kept))
        report.people = max(0, report.people - (len(batch.people) - len(people)))
        report.relationships = max(
            0, report.relationships - (len(batch.relationships) - len(relationships))
        )
        return ImportBatch(
            people=people,
            relationships=relationships,
            merges=[m for m in batch.merges if not {m.kept, m.merged} & gone],
            members=[m for m in batch.members if m.person_id not in gone],
        )
