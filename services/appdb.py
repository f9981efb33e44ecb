"""Application state beside the graph: workspaces, API keys and intro requests.

Kept in a small SQLite file in the data dir for both backends: it is tiny,
write-light and must be transactional. API keys are stored only as SHA-256
hashes; keys carry 256 bits of randomness, so a fast hash is adequate (no
password stretching needed) and lookups stay O(1).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from graph.errors import InvalidInput, WarmintroError
from graph.intro import IntroRequest, IntroStatus, check_transition
from graph.store.base import ViewOptions
from graph.store.embedded import connect

SCHEMA = """
CREATE TABLE IF NOT EXISTS workspaces (name TEXT PRIMARY KEY, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS api_keys (
    key_hash TEXT PRIMARY KEY, prefix TEXT NOT NULL,
    workspace TEXT NOT NULL REFERENCES workspaces(name),
    member TEXT, created_at TEXT NOT NULL, revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS intro_requests (
    id TEXT PRIMARY KEY, workspace TEXT NOT NULL, requester TEXT NOT NULL, introducer TEXT NOT NULL,
    target TEXT NOT NULL, goal TEXT NOT NULL, status TEXT NOT NULL, draft TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, asked_at TEXT
);
CREATE INDEX IF NOT EXISTS intro_by_ws ON intro_requests (workspace, status);
CREATE TABLE IF NOT EXISTS workspace_options (
    workspace TEXT PRIMARY KEY REFERENCES workspaces(name),
    infer_colleagues INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS workspace_salts (workspace TEXT PRIMARY KEY, salt TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS suppressed (
    workspace TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (workspace, hash)
) WITHOUT ROWID;
"""

KEY_PREFIX = "wi_"
NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """What may be shown about a key: never the key, only its first characters."""

    prefix: str
    workspace: str
    member: str | None
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class KeyOwner:
    """Who a key speaks for; ``member`` None is a workspace admin key."""

    workspace: str
    member: str | None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class AppDB:
    """Thread-safe access to the application tables."""

    def __init__(self, path: Path) -> None:
        self._conn = connect(path)
        self._conn.executescript(SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        self._conn.close()

    # -- workspaces and keys -----------------------------------------------------------
    def create_workspace(self, name: str) -> None:
        if not name or set(name) - NAME_CHARS or len(name) > 64:
            raise InvalidInput(
                "workspace names use lower-case letters, digits, '-' and '_' (at most 64)",
                field="name",
            )
        with self._lock:
            self._conn.execute(
                "INSERT OR IGNORE INTO workspaces VALUES (?, ?)", (name, _now().isoformat())
            )

    def workspace_exists(self, name: str) -> bool:
        with self._lock:
            row = self._conn.execute("SELECT 1 FROM workspaces WHERE name = ?", (name,)).fetchone()
        return row is not None

    def create_key(self, workspace: str, member: str | None) -> str:
        """A new key for ``member`` of ``workspace``; the only time the key is shown."""
        if not self.workspace_exists(workspace):
            raise InvalidInput(f"no workspace named {workspace!r}", field="workspace")
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        with self._lock:
            self._conn.execute(
                "INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, NULL)",
                (hash_key(key), key[:10], workspace, member, _now().isoformat()),
            )
        return key

    def workspaces(self) -> list[str]:
        with self._lock:
            rows = self._conn.execute("SELECT name FROM workspaces ORDER BY name").fetchall()
        return [str(r[0]) for r in rows]

    def view_options(self, workspace: str) -> ViewOptions:
        """The workspace's planning-view switches (the defaults until one is set).

        Stores read this each time they check their cached view, so a change made
        by another process (the CLI beside a server) applies at the next query.
        """
        with self._lock:
            row = self._conn.execute(
                "SELECT infer_colleagues FROM workspace_options WHERE workspace = ?", (workspace,)
            ).fetchone()
        return ViewOptions() if row is None else ViewOptions(infer_colleagues=bool(row[0]))

    def set_view_options(self, workspace: str, options: ViewOptions) -> None:
        if not self.workspace_exists(workspace):
            raise InvalidInput(f"no workspace named {workspace!r}", field="workspace")
        with self._lock:
            self._conn.execute(
                "INSERT INTO workspace_options (workspace, infer_colleagues) VALUES (?, ?) "
                "ON CONFLICT (workspace) DO UPDATE "
                "SET infer_colleagues = excluded.infer_colleagues",
                (workspace, int(options.infer_colleagues)),
            )

    def keys(self, workspace: str) -> list[KeyInfo]:
        """The workspace's keys, oldest first (hashes stay in the database)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT prefix, workspace, member, created_at, revoked_at FROM api_keys "
                "WHERE workspace = ? ORDER BY created_at, prefix",
                (workspace,),
            ).fetchall()
        return [
            KeyInfo(
                r[0],
                r[1],
                r[2],
                datetime.fromisoformat(r[3]),
                datetime.fromisoformat(r[4]) if r[4] else None,
            )
            for r in rows
        ]

    def revoke_key(self, workspace: str, prefix: str) -> int:
        """Revoke the workspace's live keys starting with ``prefix``; how many were revoked.

        Every request authenticates against this table, so a revoked key stops
        working at once in every worker that shares the data dir.
        """
        if len(prefix) < 6:
            raise InvalidInput("give at least the first 6 characters of the key", field="prefix")
        with self._lock:
            cur = self._conn.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE workspace = ? AND revoked_at IS NULL "
                "AND substr(prefix, 1, ?) = ?",
                (_now().isoformat(), workspace, min(len(prefix), 10), prefix[:10]),
            )
        return cur.rowcount

    def authenticate(self, key: str) -> KeyOwner | None:
        if not key.startswith(KEY_PREFIX):
            return None
        with self._lock:
            row = self._conn.execute(
                "SELECT workspace, member FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL",
                (hash_key(key),),
            ).fetchone()
        return KeyOwner(row[0], row[1]) if row else None

    # -- intro requests ----------------------------------------------------------------------
    def create_intro_request(
        self, workspace: str, *, requester: str, introducer: str, target: str, goal: str, draft: str
    ) -> IntroRequest:
        now = _now()
        req = IntroRequest(
            id=uuid.uuid4().hex,
            requester=requester,
            introducer=introducer,
            target=target,
            goal=goal,
            status=IntroStatus.DRAFTED,
            created_at=now,
            updated_at=now,
            draft=draft,
        )
        with self._lock:
            self._conn.execute(
                "INSERT INTO intro_requests VALUES (?,?,?,?,?,?,?,?,?,?,NULL)",
                (
                    req.id,
                    workspace,
                    requester,
                    introducer,
                    target,
                    goal,
                    req.status.value,
                    draft,
                    now.isoformat(),
                    now.isoformat(),
                ),
            )
        return req

    def intro_request(self, workspace: str, request_id: str) -> IntroRequest:
        with self._lock:
            row = self._conn.execute(
                "SELECT * FROM intro_requests WHERE workspace = ? AND id = ?",
                (workspace, request_id),
            ).fetchone()
        if row is None:
            raise IntroRequestNotFound(request_id)
        return _intro_from_row(row)

    def update_intro_status(
        self, workspace: str, request_id: str, status: IntroStatus, *, at: datetime | None = None
    ) -> IntroRequest:
        """Move a request along its lifecycle (validated) in one transaction."""
        at = at or _now()
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                row = self._conn.execute(
                    "SELECT * FROM intro_requests WHERE workspace = ? AND id = ?",
                    (workspace, request_id),
                ).fetchone()
                if row is None:
                    raise IntroRequestNotFound(request_id)
                current = _intro_from_row(row)
                check_transition(current.status, status)
                asked_at = at if status is IntroStatus.ASKED else current.asked_at
                self._conn.execute(
                    "UPDATE intro_requests SET status = ?, updated_at = ?, asked_at = ?"
                    " WHERE id = ?",
                    (
                        status.value,
                        at.isoformat(),
                        asked_at.isoformat() if asked_at else None,
                        request_id,
                    ),
                )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return self.intro_request(workspace, request_id)

    def intro_requests(
        self, workspace: str, *, status: IntroStatus | None = None, requester: str | None = None
    ) -> list[IntroRequest]:
        sql = "SELECT * FROM intro_requests WHERE workspace = ?"
        args: list[str] = [workspace]
        if status is not None:
            sql += " AND status = ?"
            args.append(status.value)
        if requester is not None:
            sql += " AND requester = ?"
            args.append(requester)
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY created_at, id", args).fetchall()
        return [_intro_from_row(r) for r in rows]

    # -- erasure -----------------------------------------------------------------------------
    def salt(self, workspace: str) -> str:
        """The workspace's secret salt for identity hashes (made on first use, then kept)."""
        with self._lock:
            self._conn.execute(
                "INSERT OR IGNORE INTO workspace_salts VALUES (?, ?)",
                (workspace, secrets.token_hex(32)),
            )
            row = self._conn.execute(
                "SELECT salt FROM workspace_salts WHERE workspace = ?", (workspace,)
            ).fetchone()
        return str(row[0])

    def suppress(self, workspace: str, hashes: Iterable[str]) -> None:
        with self._lock:
            self._conn.executemany(
                "INSERT OR IGNORE INTO suppressed VALUES (?, ?)",
                [(workspace, h) for h in hashes],
            )

    def suppression_list(self, workspace: str) -> set[str]:
        """The workspace's whole suppression list (short: erasures are rare)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT hash FROM suppressed WHERE workspace = ?", (workspace,)
            ).fetchall()
        return {str(r[0]) for r in rows}

    def erase_from_intro_requests(
        self, workspace: str, person_ids: Sequence[str], mentions: re.Pattern[str] | None
    ) -> int:
        """Delete the requests that involve the people; blank out mentions of them in the
        goal and draft of the others. Returns how many requests were deleted or changed."""
        changed = 0
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for pid in person_ids:
                    changed += self._conn.execute(
                        "DELETE FROM intro_requests WHERE workspace = ?"
                        " AND (requester = ? OR introducer = ? OR target = ?)",
                        (workspace, pid, pid, pid),
                    ).rowcount
                if mentions is not None:
                    rows = self._conn.execute(
                        "SELECT id, goal, draft FROM intro_requests WHERE workspace = ?",
                        (workspace,),
                    ).fetchall()
                    for rid, goal, draft in rows:
                        new_goal, n_goal = mentions.subn("(erased)", goal)
                        new_draft, n_draft = mentions.subn("(erased)", draft)
                        if n_goal or n_draft:
                            self._conn.execute(
                                "UPDATE intro_requests SET goal = ?, draft = ? WHERE id = ?",
                                (new_goal, new_draft, rid),
                            )
                            changed += 1
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return changed

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database and truncate it, so deleted rows
        (zeroed by ``secure_delete``) leave no copy in the -wal file."""
        with self._lock:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()


class IntroRequestNotFound(WarmintroError):
    def __init__(self, request_id: str) -> None:
        super().__init__(f"no intro request {request_id!r}")
        self.request_id = request_id


def _intro_from_row(row: sqlite3.Row | tuple[str, ...]) -> IntroRequest:
    (rid, _ws, requester, introducer, target, goal, status, draft, created, updated, asked) = row
    return IntroRequest(
        id=rid,
        requester=requester,
        introducer=introducer,
        target=target,
        goal=goal,
        status=IntroStatus(status),
        created_at=datetime.fromisoformat(created),
        updated_at=datetime.fromisoformat(updated),
        asked_at=datetime.fromisoformat(asked) if asked else None,
        draft=draft,
    )


# -- import jobs ---------------------------------------------------------------------------
JOBS_SCHEMA = """
CREATE TABLE IF NOT EXISTS import_jobs (
    id TEXT PRIMARY KEY, workspace TEXT NOT NULL, member TEXT, status TEXT NOT NULL,
    rows INTEGER NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, report TEXT,
    error TEXT, upload TEXT, pid INTEGER NOT NULL
);
"""
JOB_COLUMNS = (
    "id",
    "workspace",
    "member",
    "status",
    "rows",
    "started_at",
    "finished_at",
    "report",
    "error",
    "upload",
    "pid",
)


class JobTable:
    """Import jobs as rows of the app db, so they outlive the process that ran them.

    Values are plain (text, ints, JSON text); services/imports.py owns their meaning.
    """

    def __init__(self, db: AppDB) -> None:
        self._conn = db._conn
        self._lock = db._lock
        with self._lock:
            self._conn.executescript(JOBS_SCHEMA)

    def save(self, row: dict[str, object]) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT OR REPLACE INTO import_jobs (id, workspace, member, status, rows, "
                "started_at, finished_at, report, error, upload, pid) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                tuple(row[c] for c in JOB_COLUMNS),
            )

    def get(self, job_id: str) -> dict[str, object] | None:
        with self._lock:
            found = self._conn.execute(
                "SELECT id, workspace, member, status, rows, started_at, finished_at, report, "
                "error, upload, pid FROM import_jobs WHERE id = ?",
                (job_id,),
            ).fetchone()
        return dict(zip(JOB_COLUMNS, found, strict=True)) if found else None

    def unfinished(self) -> list[dict[str, object]]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, workspace, member, status, rows, started_at, finished_at, report, "
                "error, upload, pid FROM import_jobs WHERE status IN ('queued', 'running')"
            ).fetchall()
        return [dict(zip(JOB_COLUMNS, r, strict=True)) for r in rows]
