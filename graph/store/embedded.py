"""The embedded backend: SQLite (WAL) as the system of record, the graph in memory.

Why this split: SQLite gives durable, transactional writes with zero set-up,
and the planner needs the whole graph in RAM to answer in a millisecond. A
workspace is loaded from SQLite on first use; every write goes to SQLite in one
transaction first and only then to memory, so memory never holds what the disk
does not. One process owns a data directory (see README "Workers").
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from graph.errors import StoreUnavailable
from graph.model import (
    Evidence,
    ImportBatch,
    Member,
    Merge,
    Person,
    Relationship,
    Sharing,
    canonical_pair,
    merge_person,
)
from graph.store.base import (
    ApplyResult,
    Erased,
    PlanningView,
    Stats,
    ViewOptions,
    ViewOptionsSource,
    default_view_options,
    relationship_from,
)
from graph.store.codec import evidence_from_json, evidence_to_json, interactions_in
from graph.store.view import build_view, flip, rewrite_merged
from graph.strength import StrengthWeights

SCHEMA = """
CREATE TABLE IF NOT EXISTS people (
    workspace TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
    company TEXT NOT NULL DEFAULT '', position TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '', url TEXT NOT NULL DEFAULT '',
    schools TEXT NOT NULL DEFAULT '[]', employers TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (workspace, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS people_url ON people (workspace, url) WHERE url <> '';
CREATE INDEX IF NOT EXISTS people_email ON people (workspace, email) WHERE email <> '';
CREATE TABLE IF NOT EXISTS evidence (
    workspace TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL, owner TEXT NOT NULL,
    interactions INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL,
    PRIMARY KEY (workspace, a, b, owner)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS evidence_b ON evidence (workspace, b);
CREATE TABLE IF NOT EXISTS merges (
    workspace TEXT NOT NULL, kept TEXT NOT NULL, merged TEXT NOT NULL, reason TEXT NOT NULL,
    PRIMARY KEY (workspace, merged)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS members (
    workspace TEXT NOT NULL, person_id TEXT NOT NULL, sharing TEXT NOT NULL,
    PRIMARY KEY (workspace, person_id)
) WITHOUT ROWID;
"""


def connect(path: Path) -> sqlite3.Connection:
    """Open the database the way every embedded component must: WAL, FULL sync."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")  # an acknowledged write survives power loss
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA secure_delete=ON")  # erased rows are zeroed, not left in free pages
    return conn


@dataclass(slots=True)
class _Workspace:
    """The in-memory mirror of one workspace."""

    people: dict[str, Person] = field(default_factory=dict)
    by_url: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_email: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # Case-folded company and position -> ids: "who is at X" scans distinct names, not people.
    by_company: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_position: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    evidence: dict[tuple[str, str], dict[str, Evidence]] = field(default_factory=dict)
    neighbours: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    members: dict[str, Sharing] = field(default_factory=dict)
    merges: dict[str, Merge] = field(default_factory=dict)
    interactions: int = 0
    view: PlanningView | None = None
    view_day: date | None = None
    view_options: ViewOptions | None = None

    def index(self, p: Person) -> None:
        self.unindex(p.id)
        self.people[p.id] = p
        if p.url:
            self.by_url[p.url].add(p.id)
        if p.email:
            self.by_email[p.email].add(p.id)
        self.by_company[p.company.casefold()].add(p.id)
        self.by_position[p.position.casefold()].add(p.id)

    def unindex(self, person_id: str) -> None:
        old = self.people.pop(person_id, None)
        if old is not None:
            self.by_url.get(old.url, set()).discard(person_id)
            self.by_email.get(old.email, set()).discard(person_id)
            self.by_company.get(old.company.casefold(), set()).discard(person_id)
            self.by_position.get(old.position.casefold(), set()).discard(person_id)

    def matching(self, company: str, title: str) -> set[str]:
        """Ids whose company and position contain the (case-folded) filters."""
        found: set[str] | None = None
        for index, text in ((self.by_company, company), (self.by_position, title)):
            needle = text.casefold().strip()
            if not needle:
                continue
            ids = set().union(*(ids for name, ids in index.items() if needle in name))
            found = ids if found is None else found & ids
        return set(self.people) if found is None else found

    def put_evidence(self, pair: tuple[str, str], e: Evidence) -> None:
        owners = self.evidence.setdefault(pair, {})
        previous = owners.get(e.owner)
        if previous is not None:
            self.interactions -= interactions_in(previous)
        owners[e.owner] = e
        self.interactions += interactions_in(e)
        self.neighbours[pair[0]].add(pair[1])
        self.neighbours[pair[1]].add(pair[0])

    def drop_pair(self, pair: tuple[str, str]) -> int:
        owners = self.evidence.pop(pair, {})
        self.interactions -= sum(interactions_in(e) for e in owners.values())
        self.neighbours[pair[0]].discard(pair[1])
        self.neighbours[pair[1]].discard(pair[0])
        return len(owners)


class EmbeddedStore:
    """The default backend. Thread-safe; writes run off the event loop."""

    def __init__(
        self,
        path: Path,
        *,
        weights: StrengthWeights | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        self._path = path
        self._weights = weights or StrengthWeights()
        self._today = today
        self._lock = threading.RLock()
        try:
            self._conn = connect(path)
            self._conn.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot open the embedded store at {path}: {exc}") from exc
        self._workspaces: dict[str, _Workspace] = {}
        self._view_options: ViewOptionsSource = default_view_options

    # -- lifecycle ---------------------------------------------------------------
    async def close(self) -> None:
        with self._lock:
            self._conn.close()

    async def ping(self) -> None:
        try:
            with self._lock:
                self._conn.execute("SELECT 1").fetchone()
        except sqlite3.Error as exc:
            raise StoreUnavailable(str(exc)) from exc

    # -- loading -----------------------------------------------------------------
    def _ws(self, workspace: str) -> _Workspace:
        ws = self._workspaces.get(workspace)
        if ws is None:
            with self._lock:
                ws = self._workspaces.get(workspace)
                if ws is None:
                    ws = self._load(workspace)
                    self._workspaces[workspace] = ws
        return ws

    def _load(self, workspace: str) -> _Workspace:
        ws = _Workspace()
        rows = self._conn.execute(
            "SELECT id, name, company, position, email, url, schools, employers"
            " FROM people WHERE workspace = ?",
            (workspace,),
        )
        for pid, name, company, position, email, url, schools, employers in rows:
            ws.index(
                Person(
                    pid,
                    name,
                    company,
                    position,
                    email,
                    url,
                    tuple(json.loads(schools)),
                    tuple(json.loads(employers)),
                )
            )
        for a, b, owner, data in self._conn.execute(
            "SELECT a, b, owner, data FROM evidence WHERE workspace = ?", (workspace,)
        ):
            ws.put_evidence((a, b), evidence_from_json(owner, data))
        for pid, sharing in self._conn.execute(
            "SELECT person_id, sharing FROM members WHERE workspace = ?", (workspace,)
        ):
            ws.members[pid] = Sharing(sharing)
        for kept, merged, reason in self._conn.execute(
            "SELECT kept, merged, reason FROM merges WHERE workspace = ?", (workspace,)
        ):
            ws.merges[merged] = Merge(kept, merged, reason)
        return ws

    # -- writes --------------------------------------------------------------------
    async def apply(self, workspace: str, batch: ImportBatch) -> ApplyResult:
        return await asyncio.to_thread(self.apply_sync, workspace, batch)

    def apply_sync(self, workspace: str, batch: ImportBatch) -> ApplyResult:
        """Write ``batch`` in one SQLite transaction, then mirror it in memory."""
        with self._lock:
            ws = self._ws(workspace)
            people = {p.id: p for p in batch.people}
            merged_people = {
                pid: merge_person(ws.people[pid], p) if pid in ws.people else p
                for pid, p in people.items()
            }
            known = {m.merged: m.kept for m in ws.merges.values()}
            evidence = rewrite_merged(batch, known)
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(
                    "INSERT OR REPLACE INTO people VALUES (?,?,?,?,?,?,?,?,?)",
                    [
                        (
                            workspace,
                            p.id,
                            p.name,
                            p.company,
                            p.position,
                            p.email,
                            p.url,
                            json.dumps(list(p.schools), ensure_ascii=False),
                            json.dumps(list(p.employers), ensure_ascii=False),
                        )
                        for p in merged_people.values()
                    ],
                )
                for m in batch.merges:
                    self._repoint_sql(workspace, ws, m)
                conn.executemany(
                    "INSERT OR REPLACE INTO merges VALUES (?,?,?,?)",
                    [(workspace, m.kept, m.merged, m.reason) for m in batch.merges],
                )
                conn.executemany(
                    "INSERT OR REPLACE INTO evidence VALUES (?,?,?,?,?,?)",
                    [
                        (workspace, a, b, e.owner, interactions_in(e), evidence_to_json(e))
                        for (a, b), e in evidence
                    ],
                )
                conn.executemany(
                    "INSERT OR IGNORE INTO members VALUES (?,?,?)",
                    [(workspace, m.person_id, m.sharing.value) for m in batch.members],
                )
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            # Durable now; mirror in memory.
            for p in merged_people.values():
                ws.index(p)
            for m in batch.merges:
                self._repoint_memory(ws, m)
                ws.merges[m.merged] = m
            for pair, e in evidence:
                ws.put_evidence(pair, e)
            for member in batch.members:
                ws.members.setdefault(member.person_id, member.sharing)
            ws.view = None
            return ApplyResult(
                len(merged_people), len({pair for pair, _ in evidence}), len(batch.merges)
            )

    def _repoint_sql(self, workspace: str, ws: _Workspace, m: Merge) -> None:
        """Move a merged person's stored evidence onto the kept person."""
        if m.merged not in ws.people:
            return
        for other in list(ws.neighbours.get(m.merged, ())):
            old_pair = canonical_pair(m.merged, other)
            self._conn.execute(
                "DELETE FROM evidence WHERE workspace=? AND a=? AND b=?", (workspace, *old_pair)
            )
            if other == m.kept:
                continue
            new_pair = canonical_pair(m.kept, other)
            for e in ws.evidence.get(old_pair, {}).values():
                moved = flip(e) if (old_pair[0] == m.merged) != (new_pair[0] == m.kept) else e
                self._conn.execute(
                    "INSERT OR REPLACE INTO evidence VALUES (?,?,?,?,?,?)",
                    (
                        workspace,
                        *new_pair,
                        moved.owner,
                        interactions_in(moved),
                        evidence_to_json(moved),
                    ),
                )
        self._conn.execute("DELETE FROM people WHERE workspace=? AND id=?", (workspace, m.merged))

    @staticmethod
    def _repoint_memory(ws: _Workspace, m: Merge) -> None:
        if m.merged not in ws.people:
            return
        for other in list(ws.neighbours.get(m.merged, ())):
            old_pair = canonical_pair(m.merged, other)
            owners = dict(ws.evidence.get(old_pair, {}))
            ws.drop_pair(old_pair)
            if other == m.kept:
                continue
            new_pair = canonical_pair(m.kept, other)
            for e in owners.values():
                swap = (old_pair[0] == m.merged) != (new_pair[0] == m.kept)
                ws.put_evidence(new_pair, flip(e) if swap else e)
        ws.neighbours.pop(m.merged, None)
        ws.unindex(m.merged)

    async def set_sharing(self, workspace: str, person_id: str, sharing: Sharing) -> None:
        with self._lock:
            ws = self._ws(workspace)
            self._conn.execute(
                "INSERT OR REPLACE INTO members VALUES (?,?,?)",
                (workspace, person_id, sharing.value),
            )
            ws.members[person_id] = sharing

    async def erase_person(self, workspace: str, person_id: str) -> Erased:
        with self._lock:
            ws = self._ws(workspace)
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                n_ev = conn.execute(
                    "DELETE FROM evidence WHERE workspace=? AND (a=? OR b=? OR owner=?)",
                    (workspace, person_id, person_id, person_id),
                ).rowcount
                conn.execute(
                    "DELETE FROM people WHERE workspace=? AND id=?", (workspace, person_id)
                )
                conn.execute(
                    "DELETE FROM members WHERE workspace=? AND person_id=?", (workspace, person_id)
                )
                conn.execute(
                    "DELETE FROM merges WHERE workspace=? AND (kept=? OR merged=?)",
                    (workspace, person_id, person_id),
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            # Erasure means gone from every file: fold the WAL (which still holds the
            # pages as they were) into the database and truncate it.
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            n_rel = 0
            for other in list(ws.neighbours.get(person_id, ())):
                ws.drop_pair(canonical_pair(person_id, other))
                n_rel += 1
            # Evidence this person supplied as an owner goes too: it came from their data.
            for pair in [p for p, owners in ws.evidence.items() if person_id in owners]:
                owners = ws.evidence[pair]
                ws.interactions -= interactions_in(owners.pop(person_id))
                if not owners:
                    ws.drop_pair(pair)
                    n_rel += 1
            ws.neighbours.pop(person_id, None)
            ws.unindex(person_id)
            ws.members.pop(person_id, None)
            ws.merges = {k: m for k, m in ws.merges.items() if person_id not in (m.kept, m.merged)}
            ws.view = None
            return Erased(person_id, n_rel, n_ev)

    # -- reads -----------------------------------------------------------------
    async def person(self, workspace: str, person_id: str) -> Person | None:
        return self._ws(workspace).people.get(person_id)

    async def people_by_url(self, workspace: str, url: str) -> list[Person]:
        ws = self._ws(workspace)
        return [ws.people[i] for i in sorted(ws.by_url.get(url, ()))]

    async def people_by_email(self, workspace: str, email: str) -> list[Person]:
        ws = self._ws(workspace)
        return [ws.people[i] for i in sorted(ws.by_email.get(email, ()))]

    async def people(self, workspace: str) -> list[Person]:
        return list(self._ws(workspace).people.values())

    async def search_people(
        self, workspace: str, text: str, *, limit: int, offset: int = 0
    ) -> list[Person]:
        needle = text.casefold().strip()
        ws = self._ws(workspace)
        hits = [
            p
            for p in ws.people.values()
            if not needle
            or needle in p.name.casefold()
            or needle in p.company.casefold()
            or needle in p.position.casefold()
            or needle in p.email
            or needle in p.url
        ]
        hits.sort(key=lambda p: (not p.name.casefold().startswith(needle), p.name.casefold(), p.id))
        return hits[offset : offset + limit]

    async def people_matching(self, workspace: str, *, company: str, title: str) -> set[str]:
        return self._ws(workspace).matching(company, title)

    async def relationship(self, workspace: str, a: str, b: str) -> Relationship | None:
        return relationship_from(self._ws(workspace).evidence, a, b)

    async def relationships_of(self, workspace: str, person_id: str) -> list[Relationship]:
        ws = self._ws(workspace)
        out = []
        for other in sorted(ws.neighbours.get(person_id, ())):
            rel = relationship_from(ws.evidence, person_id, other)
            if rel is not None:
                out.append(rel)
        return out

    async def members(self, workspace: str) -> list[Member]:
        ws = self._ws(workspace)
        return [Member(pid, s) for pid, s in sorted(ws.members.items())]

    async def merges(self, workspace: str) -> list[Merge]:
        return sorted(self._ws(workspace).merges.values(), key=lambda m: (m.kept, m.merged))

    async def stats(self, workspace: str) -> Stats:
        ws = self._ws(workspace)
        return Stats(
            people=len(ws.people),
            relationships=len(ws.evidence),
            interactions=ws.interactions,
            members=len(ws.members),
            merges=len(ws.merges),
        )

    def use_view_options(self, source: ViewOptionsSource) -> None:
        self._view_options = source

    async def planning_view(self, workspace: str) -> PlanningView:
        ws = self._ws(workspace)
        today = self._today()
        options = self._view_options(workspace)
        view = ws.view
        if view is None or ws.view_day != today or ws.view_options != options:
            with self._lock:
                view = build_view(
                    ws.people,
                    ws.evidence,
                    ws.members,
                    as_of=today,
                    weights=self._weights,
                    details=ws.people,
                    infer_colleagues=options.infer_colleagues,
                )
                ws.view, ws.view_day, ws.view_options = view, today, options
        return view
