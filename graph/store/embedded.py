"""The embedded backend: SQLite (WAL) as the system of record, the planning graph as arrays.

Why this split: SQLite gives durable, transactional writes with zero set-up and
answers "who is this person" or "what do we know about this tie" from its indexes
in microseconds, so people and evidence stay on disk and are read only for the
handful of people on an answer. The planner needs the graph in RAM: that is the
compact CSR graph (graph.trustgraph), kept per workspace beside the *observed*
layer it was composed from (graph.store.layers).

Every write bumps the workspace's version and logs the pairs and people it
touched (``changes``), in the same transaction. A process whose graph is older
than the stored version patches it from that log off the event loop (readers keep
the previous graph until the new one is installed), or rebuilds it when the log
says "everything" (a new member, an erasure, a very large import). So any number
of processes (``serve --workers N``, a CLI import beside a running server) share
one data dir: SQLite serialises the writers, and every process catches up on its
next question. The graph is saved as a snapshot (graph.snapshot) keyed by the
version, so a restart memory-maps it instead of reading every tie; after a patch
each process answers from that snapshot too (saved once, by whichever process got
there first), so N workers hold one copy of the arrays, not N.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from graph import snapshot
from graph.bulk import collector_paused, give_back_freed_memory
from graph.colleagues import TEAM_OWNER, company_key
from graph.errors import StoreUnavailable
from graph.identity import PersonKeys, normalize_company, normalize_name
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
)
from graph.store.codec import (
    evidence_from_json,
    evidence_to_json,
    interactions_in,
)
from graph.store.fullbuild import TieScorer, observed_from_rows
from graph.store.layers import (
    TEAM_EVIDENCE,
    Companies,
    Implied,
    Observed,
    compose,
    infer,
    is_student,
    numbering,
    observed_mask,
    visible_ends,
)
from graph.store.view import ImpliedTies, flip, owner_bits_for, rewrite_merged
from graph.strength import StrengthWeights
from graph.trustgraph import TrustGraph

log = logging.getLogger(__name__)

SCHEMA_VERSION = 3
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
CREATE TABLE IF NOT EXISTS versions (
    workspace TEXT PRIMARY KEY, version INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS changes (
    workspace TEXT NOT NULL, version INTEGER NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL,
    PRIMARY KEY (workspace, version, a, b)
) WITHOUT ROWID;
"""
# Folded copies of the fields people are looked up by (v2): exact-name references,
# company and title filters and search run on indexes instead of a scan in Python.
# v3 adds company_norm (graph.identity.normalize_company, which unlike company_key
# keeps "self-employed" and the like): with name_key, the identity resolver's fuzzy
# blocks, so an import reads only the people its file could resolve to.
FOLDED = {
    "name_key": "TEXT NOT NULL DEFAULT ''",
    "company_key": "TEXT NOT NULL DEFAULT ''",
    "company_fold": "TEXT NOT NULL DEFAULT ''",
    "position_fold": "TEXT NOT NULL DEFAULT ''",
    "search": "TEXT NOT NULL DEFAULT ''",
    "company_norm": "TEXT NOT NULL DEFAULT ''",
}
FOLDED_INDEXES = """
CREATE INDEX IF NOT EXISTS people_name_key ON people (workspace, name_key) WHERE name_key <> '';
CREATE INDEX IF NOT EXISTS people_company_key ON people (workspace, company_key)
    WHERE company_key <> '';
CREATE INDEX IF NOT EXISTS people_company_norm ON people (workspace, company_norm, name_key)
    WHERE company_norm <> '';
"""
KEYS_PER_QUERY = 500  # values per IN (...) list when people are read by their keys
PERSON_COLUMNS = "id, name, company, position, email, url, schools, employers"
EVERYTHING = "*"  # a change-log row saying "rebuild from scratch"
CHANGE_LOG_LIMIT = 200_000  # a write touching more pairs and people logs EVERYTHING
CHANGE_LOG_KEEP = 2_000  # versions of the log kept for processes that fell behind
CHANGE_LOG_ROWS = 1_000_000  # and at most about this many rows (older versions go first)
FOLLOW_SECONDS = 0.1  # how often a server's process looks for other processes' writes
PATCH_WAIT_SECONDS = 0.25  # questions this soon after a catch-up starts wait for it
BIG_WRITE = 50_000  # rows; a write this big gets a larger page cache while it runs
BIG_WRITE_CACHE_KIB = 256 * 1024
SORT_THREADS = 2  # SQLite's helper threads for a big write's index builds
SORT_CACHE_KIB = 8 * 1024  # the page cache while they run (see _build_indexes)
PAGE_SIZE = 16_384
"""Bytes per page of a new database. People rows are ~300 bytes: on SQLite's default 4 KiB
pages a WITHOUT ROWID table of them splits often, and a 1M-tie first load wrote 15% slower
(BENCHMARKS.md, issue 19). A database made before keeps its page size."""


def connect(path: Path) -> sqlite3.Connection:
    """Open the database the way every embedded component must: WAL, FULL sync."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute(f"PRAGMA page_size={PAGE_SIZE}")  # takes effect only in a new database
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")  # an acknowledged write survives power loss
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA secure_delete=ON")  # erased rows are zeroed, not left in free pages
    return conn


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring an older database to :data:`SCHEMA_VERSION` (adds and fills folded columns)."""
    conn.executescript(SCHEMA)
    (current,) = conn.execute("PRAGMA user_version").fetchone()
    if current >= SCHEMA_VERSION:
        conn.executescript(FOLDED_INDEXES)
        _analyze_if_missing(conn)  # a data dir written before the store kept statistics
        return
    have = {row[1] for row in conn.execute("PRAGMA table_info(people)")}
    conn.execute("BEGIN IMMEDIATE")
    try:
        for column, kind in FOLDED.items():
            if column not in have:
                conn.execute(f"ALTER TABLE people ADD COLUMN {column} {kind}")
        if current < 2:  # v2 filled every folded column but company_norm
            rows = conn.execute(f"SELECT workspace, {PERSON_COLUMNS} FROM people").fetchall()
            conn.executemany(
                "UPDATE people SET name_key=?, company_key=?, company_fold=?, position_fold=?,"
                " search=?, company_norm=? WHERE workspace=? AND id=?",
                [(*_folded_fields(*row[2:7]), row[0], row[1]) for row in rows],
            )
        else:
            _fill_company_norm(conn)
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.executescript(FOLDED_INDEXES)
    _analyze_if_missing(conn)


def _fill_company_norm(conn: sqlite3.Connection) -> None:
    """v2 -> v3: company_norm is company_key except where company_key drops a company
    that names no workplace; only those rows are normalised in Python."""
    conn.execute("UPDATE people SET company_norm=company_key WHERE company_key<>''")
    rows = conn.execute(
        "SELECT workspace, id, company FROM people WHERE company_key='' AND company<>''"
    ).fetchall()
    conn.executemany(
        "UPDATE people SET company_norm=? WHERE workspace=? AND id=?",
        [(normalize_company(company), ws, pid) for ws, pid, company in rows],
    )


def _analyze_if_missing(conn: sqlite3.Connection) -> None:
    """At open: statistics if the data dir has none, unless another process is writing
    (then its write, or the next open, makes them; opening never waits for it)."""
    conn.execute("PRAGMA busy_timeout=100")
    try:
        if _needs_stats(conn):
            _analyze(conn)
    except sqlite3.OperationalError as exc:
        log.info("planner statistics left for later: %s", exc)
    finally:
        conn.execute("PRAGMA busy_timeout=30000")  # connect()'s timeout


def _needs_stats(conn: sqlite3.Connection) -> bool:
    """People or evidence hold rows that the query planner has no statistics for."""
    (known,) = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='sqlite_stat1'"
    ).fetchone()
    have = (
        {tbl for (tbl,) in conn.execute("SELECT DISTINCT tbl FROM sqlite_stat1")}
        if known
        else set()
    )
    return any(
        table not in have and conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
        for table in ("people", "evidence")
    )


def _analyze(conn: sqlite3.Connection) -> None:
    """Planner statistics from ~400 rows per index (7 ms at 1M ties).

    Without them SQLite guesses that ``workspace=?``, the first column of every key,
    picks a handful of rows, and prefers a scan of the workspace's primary key to every
    secondary index: a person by URL or email, a name or company key, a tie's ``b`` end
    each cost 40-100 ms at 1M ties instead of a fraction of one.
    """
    conn.execute("PRAGMA analysis_limit=400")
    conn.execute("ANALYZE")


def _person(row: tuple[Any, ...]) -> Person:
    pid, name, company, position, email, url, schools, employers = row
    return Person(
        pid,
        name,
        company,
        position,
        email,
        url,
        () if schools == "[]" else tuple(json.loads(schools)),  # most people list none
        () if employers == "[]" else tuple(json.loads(employers)),
    )


def _folded_fields(
    name: str, company: str, position: str, email: str, url: str
) -> tuple[str, str, str, str, str, str]:
    """The indexed and searched columns of a person row."""
    key, company_fold, norm = _company_folds(company)
    position_fold = _casefold(position)
    search = f"{name.casefold()}\n{company_fold}\n{position_fold}\n{email}\n{url}"
    return normalize_name(name), key, company_fold, position_fold, search, norm


# A big import repeats a few thousand companies and titles over hundreds of thousands
# of people: each is folded once.
@lru_cache(maxsize=1 << 16)
def _company_folds(company: str) -> tuple[str, str, str]:
    return company_key(company), company.casefold(), normalize_company(company)


@lru_cache(maxsize=1 << 16)
def _casefold(text: str) -> str:
    return text.casefold()


def _json_list(items: tuple[str, ...]) -> str:
    return json.dumps(list(items), ensure_ascii=False) if items else "[]"


def _person_row(workspace: str, p: Person) -> tuple[Any, ...]:
    return person_fields_row(
        workspace,
        p.id,
        p.name,
        p.company,
        p.position,
        p.email,
        p.url,
        _json_list(p.schools),
        _json_list(p.employers),
    )


def person_fields_row(
    workspace: str,
    pid: str,
    name: str,
    company: str,
    position: str,
    email: str,
    url: str,
    schools: str = "[]",
    employers: str = "[]",
) -> tuple[Any, ...]:
    """A people row from a person's fields (a first load of 300k people skips 300k
    ``Person`` objects: ~0.5 CPU s); ``schools`` and ``employers`` as JSON lists."""
    return (
        workspace,
        pid,
        name,
        company,
        position,
        email,
        url,
        schools,
        employers,
        *_folded_fields(name, company, position, email, url),
    )


INSERT_PERSON = (
    "INSERT OR REPLACE INTO people (workspace, id, name, company, position, email, url,"
    " schools, employers, name_key, company_key, company_fold, position_fold, search,"
    " company_norm) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


_PAIR = itemgetter(1, 2)
EvidenceRow = tuple[str, str, str, str, int, str]  # workspace, a, b, owner, interactions, data


def _key_order(row: EvidenceRow) -> str:
    """``(a, b, owner)`` as one string that sorts the same way (NUL is below every other
    character): comparing one string is about 3x faster than comparing tuples of three
    (6.8 -> 2.3 CPU s for 1M rows)."""
    return f"{row[1]}\0{row[2]}\0{row[3]}"


def _evidence_rows(
    workspace: str, batch: ImportBatch, known_merges: Mapping[str, str]
) -> list[EvidenceRow]:
    """The batch's evidence as ``evidence`` table rows, in primary-key order.

    Key order makes a big batch append to the B-tree instead of splitting random pages
    (issue 19's import profile); the sort is stable, so of two records for the same pair
    and owner the later one is inserted last and wins. Without merges (every first load)
    the rows are made in one loop instead of through :func:`rewrite_merged`. The columns
    of a record shared by many rows (an edge list's rating) are worked out once.
    """
    memo: dict[int, tuple[Evidence, tuple[str, int, str]]] = {}  # held: ids stay unique

    def columns(e: Evidence) -> tuple[str, int, str]:
        hit = memo.get(id(e))
        if hit is None:
            hit = memo[id(e)] = (e, (e.owner, interactions_in(e), evidence_to_json(e)))
        return hit[1]

    rows: list[EvidenceRow] = []
    append = rows.append
    if known_merges or batch.merges:
        for (a, b), e in rewrite_merged(batch, known_merges):
            append((workspace, a, b, *columns(e)))
    else:
        get = memo.get
        for rel in batch.relationships:
            a, b = rel.a, rel.b
            if b < a:  # "ab" counts run from the first end to the second
                a, b = b, a
                for e in rel.evidence:
                    append((workspace, a, b, *columns(flip(e))))
            elif a < b:
                for e in rel.evidence:
                    hit = get(id(e))
                    append((workspace, a, b, *(columns(e) if hit is None else hit[1])))
    rows.sort(key=_key_order)
    return rows


def _empty(conn: sqlite3.Connection) -> bool:
    """No person and no evidence in any workspace (a first load)."""
    row = conn.execute(
        "SELECT NOT EXISTS (SELECT 1 FROM people) AND NOT EXISTS (SELECT 1 FROM evidence)"
    ).fetchone()
    return bool(row[0])


def _drop_secondary_indexes(conn: sqlite3.Connection) -> list[str]:
    """Inside a write transaction: drop the indexes on ``people`` and ``evidence`` (not
    their primary keys); the statements that make them again, exactly as they were."""
    found = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='index'"
        " AND tbl_name IN ('people', 'evidence') AND sql IS NOT NULL ORDER BY name"
    ).fetchall()
    for name, _sql in found:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in found]


def _build_indexes(conn: sqlite3.Connection, statements: list[str]) -> None:
    """Make the indexes of a big write, its rows in: SQLite's sorter on two threads.

    The sorter sorts in memory, single-threaded, while the keys fit the page cache; with
    a small cache it sorts runs on helper threads and merges them. At the end of a 1M-tie
    first load, when the parser's core is idle, ``evidence_b`` took 0.62-0.65 s that way
    against 0.88-0.92 s (BENCHMARKS.md, issue 19). The write's own cache size is restored.
    """
    if not statements:
        return
    (cache,) = conn.execute("PRAGMA cache_size").fetchone()
    conn.execute(f"PRAGMA threads={SORT_THREADS}")
    conn.execute(f"PRAGMA cache_size=-{SORT_CACHE_KIB}")
    try:
        for sql in statements:
            conn.execute(sql)
    finally:
        conn.execute(f"PRAGMA cache_size={cache}")
        conn.execute("PRAGMA threads=0")


ROWS_BY_A = "SELECT a, b, owner, data FROM evidence WHERE workspace=?1 AND a=?2"
ROWS_BY_B = (
    "SELECT e.a, e.b, e.owner, e.data"
    " FROM (SELECT a, owner FROM evidence WHERE workspace=?1 AND b=?2) AS k"
    " JOIN evidence AS e ON e.workspace=?1 AND e.a=k.a AND e.b=?2 AND e.owner=k.owner"
)


def _rows_of(conn: sqlite3.Connection, workspace: str, pid: str) -> list[tuple[str, str, str, str]]:
    """A person's evidence rows ``(a, b, owner, data)`` in key order, each end through its
    own index.

    Without statistics, SQLite plans ``a=? OR b=?`` (and ``b=?`` alone when it must read
    ``data``) as a scan of the workspace's whole primary key: ~80 ms per person at 1M ties,
    paid once per merge in an import. The ``a`` side is a primary-key range; the ``b``
    side's keys come from ``evidence_b`` as a covering index, then each row by its key.
    """
    rows: list[tuple[str, str, str, str]] = conn.execute(ROWS_BY_A, (workspace, pid)).fetchall()
    rows += conn.execute(ROWS_BY_B, (workspace, pid)).fetchall()
    rows.sort()
    return rows


def _chunks(items: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True, slots=True)
class _Live:
    """One workspace's planning graph as of a stored version."""

    version: int
    day: date
    options: ViewOptions
    members: tuple[str, ...]  # sorted: they fix the owner bits
    ids: list[str]
    index: dict[str, int]
    observed: Observed
    companies: Companies
    view: PlanningView


class _Reader:
    """Read-only lookups on a thread's own connection (WAL readers never wait for a writer)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._guard = threading.Lock()

    def conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self._path, isolation_level=None, check_same_thread=False, timeout=30
            )
            conn.execute("PRAGMA query_only=ON")
            self._local.conn = conn
            with self._guard:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        with self._guard:
            for conn in self._all:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            self._all.clear()
        self._local = threading.local()


class _People(Mapping[str, Person]):
    """A workspace's people, read from SQLite on lookup (the view's ``people``)."""

    __slots__ = ("_reader", "_ws")

    def __init__(self, reader: _Reader, workspace: str) -> None:
        self._reader, self._ws = reader, workspace

    def __getitem__(self, pid: str) -> Person:
        found = self.get(pid)
        if found is None:
            raise KeyError(pid)
        return found

    def get(self, pid: str, default: Person | None = None) -> Person | None:  # type: ignore[override]
        """One indexed read; the view's ``person`` asks this for every person on an
        answer (Mapping.get would raise and catch a KeyError for each missing one)."""
        row = (
            self._reader.conn()
            .execute(
                f"SELECT {PERSON_COLUMNS} FROM people WHERE workspace=? AND id=?",
                (self._ws, pid),
            )
            .fetchone()
        )
        return default if row is None else _person(row)

    def __contains__(self, pid: object) -> bool:
        found = (
            self._reader.conn()
            .execute("SELECT 1 FROM people WHERE workspace=? AND id=?", (self._ws, pid))
            .fetchone()
        )
        return found is not None

    def __iter__(self) -> Iterator[str]:
        rows = self._reader.conn().execute("SELECT id FROM people WHERE workspace=?", (self._ws,))
        return (pid for (pid,) in rows)

    def __len__(self) -> int:
        conn = self._reader.conn()
        (n,) = conn.execute("SELECT count(*) FROM people WHERE workspace=?", (self._ws,)).fetchone()
        return int(n)

    def values(self) -> Iterator[Person]:  # type: ignore[override]
        rows = self._reader.conn().execute(
            f"SELECT {PERSON_COLUMNS} FROM people WHERE workspace=?",
            (self._ws,),
        )
        return (_person(row) for row in rows)


def _pair_rows(conn: sqlite3.Connection, workspace: str, a: str, b: str) -> dict[str, Evidence]:
    rows = conn.execute(
        "SELECT owner, data FROM evidence WHERE workspace=? AND a=? AND b=? ORDER BY owner",
        (workspace, a, b),
    )
    return {owner: evidence_from_json(owner, data) for owner, data in rows}


# Pairs looked up per join. With planner statistics (sqlite_stat1), SQLite puts a Bloom
# filter on the evidence table once a join's outer side is large against the table
# (from ~150 pairs at 100k rows, ~190 at 1M), and builds it by reading the whole
# workspace: 55 ms per join at 1M ties, which made a 10k-tie patch 0.5 -> 2.0 s (issue
# 19). 100 stays under it from ~10k rows on; below that, such a read costs little.
PAIRS_PER_JOIN = 100


def pairs_join(n: int) -> str:
    """The join reading the evidence rows of ``n`` pairs (their ends, then the workspace)."""
    values = ",".join("(?,?)" for _ in range(n))
    return (
        f"WITH want(a, b) AS (VALUES {values})"
        " SELECT e.a, e.b, e.owner, e.data FROM want JOIN evidence e"
        " ON e.workspace=? AND e.a=want.a AND e.b=want.b ORDER BY e.a, e.b, e.owner"
    )


def _pairs_rows(
    conn: sqlite3.Connection, workspace: str, pairs: list[tuple[str, str]]
) -> dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]]:
    """The stored rows of many pairs as (owners, texts) in owner order, undecoded (a
    patch scores them through the build's memo): one indexed join per
    :data:`PAIRS_PER_JOIN` pairs."""
    found: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for start in range(0, len(pairs), PAIRS_PER_JOIN):
        chunk = pairs[start : start + PAIRS_PER_JOIN]
        rows = conn.execute(
            pairs_join(len(chunk)), [x for pair in chunk for x in pair] + [workspace]
        )
        for a, b, owner, data in rows:
            owners, texts = found.get((a, b), ((), ()))
            found[a, b] = ((*owners, owner), (*texts, data))
    return found


class _Evidence(Mapping[tuple[str, str], Mapping[str, Evidence]]):
    """Stored evidence per canonical pair, read on lookup (the view's ``evidence``)."""

    __slots__ = ("_reader", "_ws")

    def __init__(self, reader: _Reader, workspace: str) -> None:
        self._reader, self._ws = reader, workspace

    def __getitem__(self, pair: tuple[str, str]) -> Mapping[str, Evidence]:
        found = _pair_rows(self._reader.conn(), self._ws, *pair)
        if not found:
            raise KeyError(pair)
        return found

    def get(  # type: ignore[override]
        self, pair: tuple[str, str], default: Mapping[str, Evidence] | None = None
    ) -> Mapping[str, Evidence] | None:
        """One read, no KeyError raised and caught for a pair without evidence."""
        return _pair_rows(self._reader.conn(), self._ws, *pair) or default

    def __contains__(self, pair: object) -> bool:
        if not (isinstance(pair, tuple) and len(pair) == 2):
            return False
        row = (
            self._reader.conn()
            .execute(
                "SELECT 1 FROM evidence WHERE workspace=? AND a=? AND b=? LIMIT 1",
                (self._ws, *pair),
            )
            .fetchone()
        )
        return row is not None

    def __iter__(self) -> Iterator[tuple[str, str]]:
        rows = self._reader.conn().execute(
            "SELECT DISTINCT a, b FROM evidence WHERE workspace=?", (self._ws,)
        )
        return ((a, b) for a, b in rows)

    def __len__(self) -> int:
        conn = self._reader.conn()
        (n,) = conn.execute(
            "SELECT count(*) FROM (SELECT DISTINCT a, b FROM evidence WHERE workspace=?)",
            (self._ws,),
        ).fetchone()
        return int(n)

    def items(self) -> Iterator[tuple[tuple[str, str], Mapping[str, Evidence]]]:  # type: ignore[override]
        rows = self._reader.conn().execute(
            "SELECT a, b, owner, data FROM evidence WHERE workspace=? ORDER BY a, b",
            (self._ws,),
        )
        return _grouped(rows)


def _grouped(
    rows: Iterable[tuple[str, str, str, str]],
) -> Iterator[tuple[tuple[str, str], dict[str, Evidence]]]:
    """Evidence rows ordered by pair, grouped per pair (owner -> evidence)."""
    pair: tuple[str, str] | None = None
    owners: dict[str, Evidence] = {}
    for a, b, owner, data in rows:
        if (a, b) != pair:
            if pair is not None:
                yield pair, owners
            pair, owners = (a, b), {}
        owners[owner] = evidence_from_json(owner, data)
    if pair is not None:
        yield pair, owners


class _TeamPairs(Mapping[tuple[str, str], Mapping[str, Evidence]]):
    """Pair of members ``(a, b)``, ``a < b`` -> the teammate evidence, without a dict of
    every pair: 446 members make 99k pairs, ~1 s of every start to build."""

    __slots__ = ("_members", "_sorted")

    _EVIDENCE: Mapping[str, Evidence] = MappingProxyType({TEAM_OWNER: TEAM_EVIDENCE})

    def __init__(self, members: tuple[str, ...]) -> None:
        self._sorted = tuple(sorted(members))
        self._members = frozenset(members)

    def __getitem__(self, pair: tuple[str, str]) -> Mapping[str, Evidence]:
        if pair not in self:
            raise KeyError(pair)
        return self._EVIDENCE

    def __contains__(self, pair: object) -> bool:
        if not (isinstance(pair, tuple) and len(pair) == 2):
            return False
        a, b = pair
        return a in self._members and b in self._members and a < b

    def __iter__(self) -> Iterator[tuple[str, str]]:
        m = self._sorted
        return ((a, b) for i, a in enumerate(m) for b in m[i + 1 :])

    def __len__(self) -> int:
        n = len(self._sorted)
        return n * (n - 1) // 2


class _Index(Mapping[str, tuple[str, ...]]):
    """Folded key -> ids, through an indexed column (names, company keys)."""

    __slots__ = ("_column", "_reader", "_ws")

    def __init__(self, reader: _Reader, workspace: str, column: str) -> None:
        self._reader, self._ws, self._column = reader, workspace, column

    def __getitem__(self, key: str) -> tuple[str, ...]:
        if not key:
            raise KeyError(key)
        rows = self._reader.conn().execute(
            f"SELECT id FROM people WHERE workspace=? AND {self._column}=?"
            f" AND {self._column}<>'' ORDER BY id",  # the partial index's own condition
            (self._ws, key),
        )
        found = tuple(pid for (pid,) in rows)
        if not found:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        rows = self._reader.conn().execute(
            f"SELECT DISTINCT {self._column} FROM people WHERE workspace=? AND {self._column}<>''",
            (self._ws,),
        )
        return (key for (key,) in rows)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def starting(self, prefix: str) -> tuple[str, ...]:
        """Ids whose key starts with ``prefix`` (an index range, not a scan)."""
        nonempty = f" AND {self._column}<>''" if prefix else ""  # lets the partial index serve
        rows = self._reader.conn().execute(
            f"SELECT id FROM people WHERE workspace=? AND {self._column}>=? AND {self._column}<?"
            f"{nonempty} ORDER BY {self._column}, id",
            (self._ws, prefix, prefix + "\U0010ffff"),
        )
        return tuple(pid for (pid,) in rows)


class EmbeddedStore:
    """The default backend. Thread-safe; writes and graph builds run off the event loop."""

    def __init__(
        self,
        path: Path,
        *,
        weights: StrengthWeights | None = None,
        today: Callable[[], date] = date.today,
        snapshots: Path | None = None,
    ) -> None:
        self._path = path
        self._weights = weights or StrengthWeights()
        self._weights_key = hashlib.blake2b(
            json.dumps(asdict(self._weights), sort_keys=True, default=str).encode(),
            digest_size=8,
        ).hexdigest()
        self._today = today
        self._snapshots = snapshots or path.with_name(path.stem + ".snapshots")
        self._lock = threading.RLock()  # one writer at a time in this process
        try:
            self._conn = connect(path)
            _migrate(self._conn)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot open the embedded store at {path}: {exc}") from exc
        self._reader = _Reader(path)
        self._live: dict[str, _Live] = {}
        self._building: dict[str, threading.Lock] = {}
        self._building_guard = threading.Lock()
        self._tasks: dict[str, asyncio.Future[PlanningView]] = {}
        self._task_started: dict[str, float] = {}
        self._stats: dict[str, tuple[int, Stats]] = {}
        self._members: dict[str, tuple[int, tuple[Member, ...]]] = {}
        self._view_options: ViewOptionsSource = default_view_options
        self._closed = False

    # -- lifecycle ---------------------------------------------------------------
    async def close(self) -> None:
        with self._lock:
            self._closed = True
            for workspace, live in list(self._live.items()):
                self._settle(workspace, live, share=False)
            self._conn.close()
            self._reader.close()

    async def ping(self) -> None:
        try:
            self._reader.conn().execute("SELECT 1").fetchone()
        except sqlite3.Error as exc:
            raise StoreUnavailable(str(exc)) from exc

    # -- versions ----------------------------------------------------------------
    @staticmethod
    def _version(conn: sqlite3.Connection, workspace: str) -> int:
        row = conn.execute(
            "SELECT version FROM versions WHERE workspace=?", (workspace,)
        ).fetchone()
        return int(row[0]) if row else 0

    def version(self, workspace: str) -> int:
        """The workspace's stored version (bumped by every write, in any process)."""
        return self._version(self._reader.conn(), workspace)

    def _bump(self, workspace: str, pairs: set[tuple[str, str]], people: set[str]) -> int:
        """Inside a write transaction: the next version, and what it touched."""
        return bump_version(self._conn, workspace, pairs, people)

    def _build_lock(self, workspace: str) -> threading.Lock:
        with self._building_guard:
            return self._building.setdefault(workspace, threading.Lock())

    # -- writes --------------------------------------------------------------------
    @property
    def path(self) -> Path:
        return self._path

    def is_empty(self) -> bool:
        """No person and no evidence in any workspace (a first load may take the
        two-process path, graph.store.first_load)."""
        return _empty(self._reader.conn())

    @contextlib.contextmanager
    def writing(self, workspace: str) -> Iterator[None]:
        """This process's write locks, for a write made outside :meth:`apply_sync` (the
        first-load writer process); the live graph catches up when the block ends."""
        with self._build_lock(workspace), self._lock:
            yield
            if workspace in self._live:
                self._catch_up_locked(workspace)

    async def apply(self, workspace: str, batch: ImportBatch) -> ApplyResult:
        return await asyncio.to_thread(self.apply_sync, workspace, batch)

    def apply_sync(self, workspace: str, batch: ImportBatch) -> ApplyResult:
        """Write ``batch`` in one SQLite transaction; then bring this process's graph up
        to date (readers keep the previous one meanwhile).

        A big first load into an empty database builds the secondary indexes after the
        rows, inside the same transaction (one sort each instead of a million random
        B-tree inserts; a failure rolls the indexes back with the rows)."""
        with self._build_lock(workspace), self._lock, collector_paused():
            conn = self._conn
            # Latest record per id, in id order (the order the rows are inserted in).
            latest = {p.id: p for p in batch.people}
            ids = sorted(latest)
            stored = self._people_by_ids(conn, workspace, ids)
            merged_people = [
                merge_person(stored[pid], latest[pid]) if pid in stored else latest[pid]
                for pid in ids
            ]
            known = dict(
                conn.execute(
                    "SELECT merged, kept FROM merges WHERE workspace=?", (workspace,)
                ).fetchall()
            )
            rows = _evidence_rows(workspace, batch, known)
            # Rows are in key order, so a pair's rows are adjacent: count without a set.
            written_pairs = sum(1 for _pair in groupby(map(_PAIR, rows)))
            touched_people = set(latest)
            # A write this big logs EVERYTHING whatever else it touches: no set of pairs.
            everything = written_pairs + len(touched_people) > CHANGE_LOG_LIMIT
            touched_pairs = set() if everything else set(map(_PAIR, rows))
            members_before = self._member_ids(conn, workspace)
            big = len(rows) + len(merged_people) > BIG_WRITE
            if big:  # room for the whole write's dirty pages: no spill to the WAL and back
                conn.execute(f"PRAGMA cache_size=-{BIG_WRITE_CACHE_KIB}")
            try:
                conn.execute("BEGIN IMMEDIATE")
                deferred = _drop_secondary_indexes(conn) if big and _empty(conn) else []
                conn.executemany(INSERT_PERSON, [_person_row(workspace, p) for p in merged_people])
                for m in batch.merges:
                    touched_pairs |= self._repoint(workspace, m)
                    touched_people |= {m.kept, m.merged}
                conn.executemany(
                    "INSERT OR REPLACE INTO merges VALUES (?,?,?,?)",
                    [(workspace, m.kept, m.merged, m.reason) for m in batch.merges],
                )
                conn.executemany("INSERT OR REPLACE INTO evidence VALUES (?,?,?,?,?,?)", rows)
                _build_indexes(conn, deferred)
                conn.executemany(
                    "INSERT OR IGNORE INTO members VALUES (?,?,?)",
                    [(workspace, m.person_id, m.sharing.value) for m in batch.members],
                )
                if everything or self._member_ids(conn, workspace) != members_before:
                    touched_people.add(EVERYTHING)  # owner bits move, or too much: rebuild
                self._bump(workspace, touched_pairs, touched_people)
                if big or _needs_stats(conn):  # committed with the rows they describe
                    _analyze(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            finally:
                if big:
                    conn.execute("PRAGMA cache_size=-2000")  # SQLite's default, and give it back
                    conn.execute("PRAGMA shrink_memory")
            if workspace in self._live:  # a process that never asked a question builds nothing
                self._catch_up_locked(workspace)
            return ApplyResult(len(merged_people), written_pairs, len(batch.merges))

    def _people_by_ids(
        self, conn: sqlite3.Connection, workspace: str, ids: list[str]
    ) -> dict[str, Person]:
        found: dict[str, Person] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                f"SELECT {PERSON_COLUMNS} FROM people WHERE workspace=? AND id IN ({marks})",
                (workspace, *chunk),
            )
            for row in rows:
                found[row[0]] = _person(row)
        return found

    @staticmethod
    def _member_ids(conn: sqlite3.Connection, workspace: str) -> tuple[str, ...]:
        rows = conn.execute(
            "SELECT person_id FROM members WHERE workspace=? ORDER BY person_id", (workspace,)
        )
        return tuple(pid for (pid,) in rows)

    def _repoint(self, workspace: str, m: Merge) -> set[tuple[str, str]]:
        """Move a merged person's stored evidence onto the kept person; the pairs touched."""
        conn = self._conn
        exists = conn.execute(
            "SELECT 1 FROM people WHERE workspace=? AND id=?", (workspace, m.merged)
        ).fetchone()
        if exists is None:
            return set()
        rows = _rows_of(conn, workspace, m.merged)
        touched: set[tuple[str, str]] = set()
        for a, b, owner, data in rows:
            old_pair = (a, b)
            touched.add(old_pair)
            conn.execute(
                "DELETE FROM evidence WHERE workspace=? AND a=? AND b=? AND owner=?",
                (workspace, a, b, owner),
            )
            other = b if a == m.merged else a
            if other == m.kept:
                continue
            new_pair = canonical_pair(m.kept, other)
            touched.add(new_pair)
            e = evidence_from_json(owner, data)
            moved = flip(e) if (old_pair[0] == m.merged) != (new_pair[0] == m.kept) else e
            conn.execute(
                "INSERT OR REPLACE INTO evidence VALUES (?,?,?,?,?,?)",
                (workspace, *new_pair, owner, interactions_in(moved), evidence_to_json(moved)),
            )
        conn.execute("DELETE FROM people WHERE workspace=? AND id=?", (workspace, m.merged))
        return touched

    async def set_sharing(self, workspace: str, person_id: str, sharing: Sharing) -> None:
        await asyncio.to_thread(self._set_sharing, workspace, person_id, sharing)

    def _set_sharing(self, workspace: str, person_id: str, sharing: Sharing) -> None:
        with self._build_lock(workspace), self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                was = conn.execute(
                    "SELECT 1 FROM members WHERE workspace=? AND person_id=?",
                    (workspace, person_id),
                ).fetchone()
                conn.execute(
                    "INSERT OR REPLACE INTO members VALUES (?,?,?)",
                    (workspace, person_id, sharing.value),
                )
                self._bump(workspace, set(), {EVERYTHING} if was is None else set())
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            if workspace in self._live:
                self._catch_up_locked(workspace)

    async def erase_person(self, workspace: str, person_id: str) -> Erased:
        return await asyncio.to_thread(self._erase, workspace, person_id)

    def _erase(self, workspace: str, person_id: str) -> Erased:
        with self._build_lock(workspace), self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                pairs = {(a, b) for a, b, _owner, _data in _rows_of(conn, workspace, person_id)}
                owned = conn.execute(
                    "SELECT DISTINCT a, b FROM evidence WHERE workspace=? AND owner=?"
                    " AND a<>? AND b<>?",
                    (workspace, person_id, person_id, person_id),
                ).fetchall()
                n_ev = conn.execute(
                    "DELETE FROM evidence WHERE workspace=? AND (a=? OR b=? OR owner=?)",
                    (workspace, person_id, person_id, person_id),
                ).rowcount
                emptied = sum(
                    1
                    for a, b in owned
                    if conn.execute(
                        "SELECT 1 FROM evidence WHERE workspace=? AND a=? AND b=? LIMIT 1",
                        (workspace, a, b),
                    ).fetchone()
                    is None
                )
                for sql in (
                    "DELETE FROM people WHERE workspace=?1 AND id=?2",
                    "DELETE FROM members WHERE workspace=?1 AND person_id=?2",
                    "DELETE FROM merges WHERE workspace=?1 AND (kept=?2 OR merged=?2)",
                    # The change log named them too: gone from every file.
                    "DELETE FROM changes WHERE workspace=?1 AND (a=?2 OR b=?2)",
                ):
                    conn.execute(sql, (workspace, person_id))
                self._bump(workspace, set(), {EVERYTHING})
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            # Erasure means gone from every file: fold the WAL (which still holds the
            # pages as they were) into the database and truncate it, and drop the
            # saved graphs (their id lists name the person).
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            with snapshot.locked(self._snapshot_dir(workspace)):  # not while one is saved
                shutil.rmtree(self._snapshot_dir(workspace), ignore_errors=True)
            if workspace in self._live:
                self._catch_up_locked(workspace)  # a rebuild: saved at once
            return Erased(person_id, len(pairs) + emptied, n_ev)

    # -- reads -----------------------------------------------------------------
    async def person(self, workspace: str, person_id: str) -> Person | None:
        return _People(self._reader, workspace).get(person_id)

    async def people_by_url(self, workspace: str, url: str) -> list[Person]:
        rows = self._reader.conn().execute(
            f"SELECT {PERSON_COLUMNS} FROM people WHERE workspace=? AND url=? AND url<>''"
            " ORDER BY id",
            (workspace, url),
        )
        return [_person(row) for row in rows]

    async def people_by_email(self, workspace: str, email: str) -> list[Person]:
        rows = self._reader.conn().execute(
            f"SELECT {PERSON_COLUMNS} FROM people WHERE workspace=? AND email=? AND email<>''"
            " ORDER BY id",
            (workspace, email),
        )
        return [_person(row) for row in rows]

    async def people(self, workspace: str) -> list[Person]:
        return await asyncio.to_thread(lambda: list(_People(self._reader, workspace).values()))

    async def has_people(self, workspace: str) -> bool:
        row = (
            self._reader.conn()
            .execute("SELECT 1 FROM people WHERE workspace=? LIMIT 1", (workspace,))
            .fetchone()
        )
        return row is not None

    async def people_for_keys(self, workspace: str, keys: PersonKeys) -> list[Person]:
        return await asyncio.to_thread(self._people_for_keys, workspace, keys)

    def _people_for_keys(self, workspace: str, keys: PersonKeys) -> list[Person]:
        """Index reads only: ids on the primary key, URLs, emails and names on their
        partial indexes, blocks on (company_norm, name_key) without touching a row."""
        conn = self._reader.conn()
        rows: dict[str, tuple[Any, ...]] = {}

        def read(where: str, values: Iterable[str]) -> None:
            ordered = sorted(values)
            for i in range(0, len(ordered), KEYS_PER_QUERY):
                chunk = ordered[i : i + KEYS_PER_QUERY]
                marks = ",".join("?" * len(chunk))
                for row in conn.execute(
                    f"SELECT {PERSON_COLUMNS} FROM people WHERE workspace=? AND {where} ({marks})",
                    (workspace, *chunk),
                ):
                    rows[row[0]] = row

        read("id IN", keys.ids)
        read("url<>'' AND url IN", keys.urls)  # the partial indexes' own conditions
        read("email<>'' AND email IN", keys.emails)
        read("name_key<>'' AND name_key IN", keys.names)
        tokens: dict[str, set[str]] = {}
        for company, token in keys.blocks:
            tokens.setdefault(company, set()).add(token)
        in_blocks: set[str] = set()
        companies = sorted(tokens)
        for i in range(0, len(companies), KEYS_PER_QUERY):
            chunk = companies[i : i + KEYS_PER_QUERY]
            marks = ",".join("?" * len(chunk))
            for pid, company, name in conn.execute(
                "SELECT id, company_norm, name_key FROM people INDEXED BY people_company_norm"
                f" WHERE workspace=? AND company_norm<>'' AND company_norm IN ({marks})",
                (workspace, *chunk),
            ):
                if pid not in rows and not tokens[company].isdisjoint(name.split()):
                    in_blocks.add(pid)
        read("id IN", in_blocks)
        return [_person(rows[pid]) for pid in sorted(rows)]

    async def search_people(
        self, workspace: str, text: str, *, limit: int, offset: int = 0
    ) -> list[Person]:
        needle = text.casefold().strip()

        def run() -> list[Person]:
            rows = self._reader.conn().execute(
                f"SELECT {PERSON_COLUMNS} FROM people WHERE workspace=? AND instr(search, ?) > 0"
                " ORDER BY substr(search, 1, ?) <> ?, substr(search, 1, instr(search || char(10),"
                " char(10)) - 1), id LIMIT ? OFFSET ?",
                (workspace, needle, len(needle), needle, limit, offset),
            )
            return [_person(row) for row in rows]

        return await asyncio.to_thread(run)

    async def people_matching(self, workspace: str, *, company: str, title: str) -> set[str]:
        def run() -> set[str]:
            rows = self._reader.conn().execute(
                "SELECT id FROM people WHERE workspace=? AND instr(company_fold, ?) > 0"
                " AND instr(position_fold, ?) > 0",
                (workspace, company.casefold().strip(), title.casefold().strip()),
            )
            return {pid for (pid,) in rows}

        return await asyncio.to_thread(run)

    async def relationship(self, workspace: str, a: str, b: str) -> Relationship | None:
        if a == b:
            return None
        pair = canonical_pair(a, b)
        owners = _pair_rows(self._reader.conn(), workspace, *pair)
        if not owners:
            return None
        return Relationship(pair[0], pair[1], tuple(owners[o] for o in sorted(owners)))

    async def relationships_of(self, workspace: str, person_id: str) -> list[Relationship]:
        rows = self._reader.conn().execute(
            "SELECT a, b, owner, data FROM evidence WHERE workspace=? AND a=?"
            " UNION ALL SELECT a, b, owner, data FROM evidence WHERE workspace=? AND b=?"
            " ORDER BY a, b, owner",
            (workspace, person_id, workspace, person_id),
        )
        out = [
            Relationship(a, b, tuple(owners[o] for o in sorted(owners)))
            for (a, b), owners in _grouped(rows)
        ]
        out.sort(key=lambda r: r.b if r.a == person_id else r.a)
        return out

    async def evidence_of(
        self, workspace: str, pairs: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], dict[str, Evidence]]:
        def run() -> dict[tuple[str, str], dict[str, Evidence]]:
            rows = _pairs_rows(self._reader.conn(), workspace, list(pairs))
            return {
                pair: {o: evidence_from_json(o, t) for o, t in zip(owners, texts, strict=True)}
                for pair, (owners, texts) in rows.items()
            }

        return await asyncio.to_thread(run)

    async def members(self, workspace: str) -> list[Member]:
        """Read on every request (sharing rules): cached per stored version."""
        conn = self._reader.conn()
        version = self._version(conn, workspace)
        hit = self._members.get(workspace)
        if hit is not None and hit[0] == version:
            return list(hit[1])
        rows = conn.execute(
            "SELECT person_id, sharing FROM members WHERE workspace=? ORDER BY person_id",
            (workspace,),
        )
        found = tuple(Member(pid, Sharing(s)) for pid, s in rows)
        self._members[workspace] = (version, found)
        return list(found)

    async def merges(self, workspace: str) -> list[Merge]:
        rows = self._reader.conn().execute(
            "SELECT kept, merged, reason FROM merges WHERE workspace=? ORDER BY kept, merged",
            (workspace,),
        )
        return [Merge(k, m, r) for k, m, r in rows]

    async def stats(self, workspace: str) -> Stats:
        return await asyncio.to_thread(self.stats_excluding, workspace, frozenset())

    def stats_excluding(self, workspace: str, hidden: frozenset[str]) -> Stats:
        """Counts leaving out the evidence of the ``hidden`` owners (and the people only
        it shows, members apart); the whole workspace when nothing is hidden."""
        conn = self._reader.conn()
        version = self._version(conn, workspace)
        cache_key = f"{workspace}\0" + "\0".join(sorted(hidden))
        cached = self._stats.get(cache_key)
        if cached is not None and cached[0] == version:
            return cached[1]
        owners = sorted(hidden)
        keep = ""
        if owners:
            keep = " AND owner NOT IN (" + ",".join(f"?{k + 2}" for k in range(len(owners))) + ")"
        args = (workspace, *owners)
        relationships, interactions = conn.execute(
            "SELECT count(DISTINCT a || char(0) || b), coalesce(sum(interactions), 0)"
            f" FROM evidence WHERE workspace=?1{keep}",
            args,
        ).fetchone()
        if owners:
            shown = (
                f"SELECT a FROM evidence WHERE workspace=?1{keep}"
                f" UNION SELECT b FROM evidence WHERE workspace=?1{keep}"
                " UNION SELECT person_id FROM members WHERE workspace=?1"
            )
            (people,) = conn.execute(
                f"SELECT count(*) FROM people WHERE workspace=?1 AND id IN ({shown})",
                args,
            ).fetchone()
            (merges,) = conn.execute(
                f"SELECT count(*) FROM merges WHERE workspace=?1 AND kept IN ({shown})"
                " AND kept IN (SELECT id FROM people WHERE workspace=?1)",
                args,
            ).fetchone()
        else:
            (people,) = conn.execute(
                "SELECT count(*) FROM people WHERE workspace=?", (workspace,)
            ).fetchone()
            (merges,) = conn.execute(
                "SELECT count(*) FROM merges WHERE workspace=?", (workspace,)
            ).fetchone()
        (members,) = conn.execute(
            "SELECT count(*) FROM members WHERE workspace=?", (workspace,)
        ).fetchone()
        stats = Stats(int(people), int(relationships), int(interactions), int(members), int(merges))
        if len(self._stats) > 64:
            self._stats.clear()
        self._stats[cache_key] = (version, stats)
        return stats

    def use_view_options(self, source: ViewOptionsSource) -> None:
        self._view_options = source

    # -- the planning graph ---------------------------------------------------------
    async def planning_view(self, workspace: str) -> PlanningView:
        """The graph as of the stored version. A reader never waits long for a write:
        while this process catches up, the previous graph answers (after a short wait,
        so a small write is seen by the next question in every process)."""
        live = self._live.get(workspace)
        if live is not None and self._current(workspace, live):
            return live.view
        task = self._catching_up(workspace)
        if live is None:
            return await asyncio.shield(task)
        # Only the questions in the first moments of a catch-up wait for it (a big patch
        # must not add the whole wait to every question asked while it runs).
        wait = PATCH_WAIT_SECONDS - (time.monotonic() - self._task_started[workspace])
        if wait <= 0:
            return live.view
        try:
            return await asyncio.wait_for(asyncio.shield(task), wait)
        except TimeoutError:
            return live.view

    def _catching_up(self, workspace: str) -> asyncio.Future[PlanningView]:
        """This process's catch-up of ``workspace`` (off the loop), started if none runs."""
        task = self._tasks.get(workspace)
        if task is None or task.done():
            task = asyncio.ensure_future(asyncio.to_thread(self.catch_up, workspace))
            # Retrieved here too, so one nobody awaits (started by follow_writes) does not
            # log "never retrieved"; a question awaiting it still gets its error.
            task.add_done_callback(lambda t: t.cancelled() or t.exception())
            self._tasks[workspace] = task
            self._task_started[workspace] = time.monotonic()
        return task

    async def follow_writes(self, workspace: str, every: float = FOLLOW_SECONDS) -> None:
        """Catch up as soon as another process writes, not at this process's next
        question about it: an idle worker then answers its first question after a write
        from the new graph, and every worker shows a write within a second however the
        questions are spread (issue 19). Checks the stored version every ``every``
        seconds (one indexed read); runs until cancelled."""
        while True:
            await asyncio.sleep(every)
            live = self._live.get(workspace)
            if live is not None and not self._current(workspace, live):
                self._catching_up(workspace)

    def _current(self, workspace: str, live: _Live) -> bool:
        return (
            live.version == self.version(workspace)
            and live.day == self._today()
            and live.options == self._options(workspace)
        )

    def _options(self, workspace: str) -> ViewOptions:
        options = self._view_options(workspace)
        return ViewOptions(
            infer_colleagues=options.infer_colleagues and self._weights.infer_colleagues
        )

    def catch_up(self, workspace: str) -> PlanningView:
        """Bring this process's graph to the stored version (blocking; call off the loop)."""
        before = self._live.get(workspace)
        with self._build_lock(workspace):
            view = self._catch_up_locked(workspace)
        if self._live.get(workspace) is not before:
            give_back_freed_memory()  # the graph it replaced
        return view

    def _catch_up_locked(self, workspace: str) -> PlanningView:
        conn = self._reader.conn()
        version = self._version(conn, workspace)
        today = self._today()
        options = self._options(workspace)
        live = self._live.get(workspace)
        if live is None:
            live = self._from_snapshot(workspace, version, options)
            if live is not None:
                log.info(
                    "planning graph for %r loaded from its snapshot (version %d)",
                    workspace,
                    version,
                )
                # Possibly a day old: the next question starts that day's rebuild while
                # this graph answers (strengths move little in a day).
                self._live[workspace] = live
                return live.view
        if live is not None and (live.version, live.day, live.options) == (version, today, options):
            return live.view
        changes = self._changes(conn, workspace, live.version, version) if live else None
        if live is None or changes is None or live.day != today:
            return self._built(conn, workspace, version, today, options).view
        started = time.perf_counter()
        live = self._patch(conn, workspace, live, version, options, *changes)
        self._installed(workspace, live, "patched", started)
        self._settle(workspace, live)
        return live.view

    def _installed(self, workspace: str, live: _Live, kind: str, started: float) -> None:
        """Answer from ``live`` from now on; then its components (the "disconnected"
        reason), in this thread: ~1 s per million ties that no question should wait for."""
        self._live[workspace] = live
        log.info(
            "planning graph for %r %s at version %d in %.3f s",
            workspace,
            kind,
            live.version,
            time.perf_counter() - started,
        )
        if len(live.view.graph):
            live.view.graph.component(0)

    def _built(
        self,
        conn: sqlite3.Connection,
        workspace: str,
        version: int,
        today: date,
        options: ViewOptions,
    ) -> _Live:
        """A build, once for every process on the data dir: under the snapshot's lock,
        one another process built for this version and day is mapped instead (workers
        starting together, a new day, a write that logged everything); else this process
        builds it and saves it before the next one looks."""
        with snapshot.locked(self._snapshot_dir(workspace)):
            found = self._from_snapshot(workspace, version, options)
            if found is not None and found.day == today:
                self._live[workspace] = found
                log.info("planning graph for %r mapped as another process built it", workspace)
                return found
            started = time.perf_counter()
            live = self._build(conn, workspace, version, today, options)
            self._installed(workspace, live, "built", started)
            self._settle_locked(workspace, live, share=True)
        return self._live[workspace]

    @staticmethod
    def _changes(
        conn: sqlite3.Connection, workspace: str, since: int, until: int
    ) -> tuple[set[tuple[str, str]], set[str]] | None:
        """What versions ``since+1 .. until`` touched; None when only a rebuild will do."""
        if until == since:
            return set(), set()
        if until < since:
            return None
        rows = conn.execute(
            "SELECT version, a, b FROM changes WHERE workspace=? AND version>? AND version<=?",
            (workspace, since, until),
        ).fetchall()
        if {v for v, _a, _b in rows} != set(range(since + 1, until + 1)):
            return None  # the log was pruned (or a version logged nothing): rebuild
        pairs: set[tuple[str, str]] = set()
        people: set[str] = set()
        for _v, a, b in rows:
            if a == EVERYTHING:
                return None
            if b:
                pairs.add((a, b))
            else:
                people.add(a)
        return pairs, people

    def _view(
        self,
        workspace: str,
        graph: TrustGraph,
        ids: list[str],
        members: tuple[str, ...],
        observed: Observed,
        companies: Mapping[str, tuple[str, int]],
        options: ViewOptions,
    ) -> PlanningView:
        team = _TeamPairs(members)
        people = _People(self._reader, workspace)
        evidence = _Evidence(self._reader, workspace)
        names = _Index(self._reader, workspace, "name_key")
        by_company = _Index(self._reader, workspace, "company_key")
        return PlanningView(
            graph,
            owner_bits_for(members),
            people,
            evidence,
            ImpliedTies(team, evidence, graph, people, companies),
            names,
            by_company,
            options,
            company_prefix=by_company.starting,
            usable_ends=lambda allowed: visible_ends(observed, ids, allowed),
            observed_mask=lambda pid: observed_mask(observed, graph, pid),
            counts_without=lambda hidden: self.stats_excluding(workspace, hidden),
        )

    def _implied(
        self, works: Companies, observed: Observed, n: int, options: ViewOptions, as_of: date
    ) -> Implied:
        if not options.infer_colleagues:
            return Implied.none()
        return infer(works, observed, n, as_of=as_of, weights=self._weights)

    @staticmethod
    def _companies(conn: sqlite3.Connection, workspace: str, index: dict[str, int]) -> Companies:
        """Everyone's company, from the indexed company key (students left out)."""
        rows = conn.execute(
            "SELECT company_key, id, company, position FROM people"
            " WHERE workspace=? AND company_key<>'' ORDER BY company_key, id",
            (workspace,),
        )

        def groups() -> Iterator[tuple[str, str, list[str]]]:
            key, name, ids = "", "", list[str]()
            for k, pid, company, position in rows:
                if is_student(position):
                    continue
                if k != key:
                    if ids:
                        yield key, name, ids
                    key, name, ids = k, company, []
                ids.append(pid)
            if ids:
                yield key, name, ids

        return Companies.from_groups(groups(), index, len(index))

    def _build(
        self,
        conn: sqlite3.Connection,
        workspace: str,
        version: int,
        today: date,
        options: ViewOptions,
    ) -> _Live:
        """Everything from the stored rows (first start, new members, erasure, a new day)."""
        members = self._member_ids(conn, workspace)
        bits = owner_bits_for(members)
        ids = [
            pid for (pid,) in conn.execute("SELECT id FROM people WHERE workspace=?", (workspace,))
        ]
        index = {pid: i for i, pid in enumerate(ids)}
        team_pairs = {(a, b) for i, a in enumerate(members) for b in members[i + 1 :]}
        evidence = conn.execute(
            "SELECT a, b, owner, data FROM evidence WHERE workspace=? ORDER BY a, b",
            (workspace,),
        )
        scorer = TieScorer(bits, as_of=today, weights=self._weights)
        observed = observed_from_rows(evidence, index, ids, team_pairs, scorer)
        companies = self._companies(conn, workspace, index)
        implied = self._implied(companies, observed, len(ids), options, today)
        graph = compose(ids, index, observed, implied)
        view = self._view(workspace, graph, ids, members, observed, implied.companies, options)
        return _Live(version, today, options, members, ids, index, observed, companies, view)

    def _patch(
        self,
        conn: sqlite3.Connection,
        workspace: str,
        live: _Live,
        version: int,
        options: ViewOptions,
        pairs: set[tuple[str, str]],
        people: set[str],
    ) -> _Live:
        """The graph with only the touched pairs recomputed from their stored evidence and
        the touched people's companies re-read; the colleague layer and the CSR are then
        re-derived from arrays (no Python per tie or per person, issue 19)."""
        ids, index, companies = live.ids, live.index, live.companies
        members = live.members
        bits = owner_bits_for(members)
        member_set = set(members)
        gone_nodes: list[int] = []
        if people or any(a not in index or b not in index for a, b in pairs):
            ids, index = list(ids), dict(index)  # the old graph keeps answering from its own
        if people:
            ids, index, companies, gone_nodes = self._people_moved(
                conn, workspace, ids, index, companies, people
            )
        gone: list[tuple[int, int]] = []
        new: list[tuple[int, int, float, int, bool]] = []
        ordered = sorted(pairs)
        stored = _pairs_rows(conn, workspace, ordered)
        scorer = TieScorer(bits, as_of=live.day, weights=self._weights)
        node = numbering(ids, index)
        for a, b in ordered:
            owners, texts = stored.get((a, b), ((), ()))
            team = a in member_set and b in member_set
            i, j = index.get(a), index.get(b)
            if not owners and not team:
                if i is not None and j is not None:
                    gone.append((i, j))
                continue
            s, m = scorer.score(owners, texts, team=team)
            new.append((node(a), node(b), s, m, bool(owners)))
        observed = live.observed.patched(gone, new)
        if gone_nodes:
            dead = np.asarray(gone_nodes, dtype=np.int64)
            keep = ~(np.isin(observed.lo, dead) | np.isin(observed.hi, dead))
            observed = observed.without(keep)
        companies = companies.grown(len(ids))
        implied = self._implied(companies, observed, len(ids), options, live.day)
        graph = compose(ids, index, observed, implied)
        view = self._view(workspace, graph, ids, members, observed, implied.companies, options)
        return _Live(version, live.day, options, members, ids, index, observed, companies, view)

    @staticmethod
    def _people_moved(
        conn: sqlite3.Connection,
        workspace: str,
        ids: list[str],
        index: dict[str, int],
        companies: Companies,
        people: set[str],
    ) -> tuple[list[str], dict[str, int], Companies, list[int]]:
        """New, changed and gone people: their node slots and companies (``ids`` and
        ``index`` are this patch's own copies)."""
        found: dict[str, tuple[str, str, str]] = {}
        for chunk in _chunks(sorted(people)):
            marks = ",".join("?" * len(chunk))
            for pid, key, company, position in conn.execute(
                f"SELECT id, company_key, company, position FROM people"
                f" WHERE workspace=? AND id IN ({marks})",
                (workspace, *chunk),
            ):
                found[pid] = (key, company, position)
        gone_nodes: list[int] = []
        node = numbering(ids, index)
        for pid in sorted(people):
            if pid in found:
                node(pid)
            elif pid in index:
                i = index.pop(pid)
                gone_nodes.append(i)
                ids[i] = ""  # the slot stays (ints are stable); the id does not
        moves: dict[int, tuple[str, str]] = dict.fromkeys(gone_nodes, ("", ""))
        for pid, (key, company, position) in found.items():
            moves[index[pid]] = ("", "") if is_student(position) else (key, company)

        def names_of(firsts: list[str]) -> dict[str, str]:
            spelt: dict[str, str] = {}
            for chunk in _chunks(firsts):
                marks = ",".join("?" * len(chunk))
                spelt.update(
                    conn.execute(
                        f"SELECT id, company FROM people WHERE workspace=? AND id IN ({marks})",
                        (workspace, *chunk),
                    ).fetchall()
                )
            return spelt

        return ids, index, companies.moved(moves, ids, names_of), gone_nodes

    # -- snapshots ----------------------------------------------------------------
    def _snapshot_dir(self, workspace: str) -> Path:
        name = hashlib.blake2b(workspace.encode(), digest_size=10).hexdigest()
        return self._snapshots / name

    def snapshot_current(self, workspace: str) -> bool:
        """Whether a snapshot of the stored version, today's, with these view options
        and weights is saved (by its manifest; loading it checks it whole)."""
        version = self._version(self._reader.conn(), workspace)
        wanted = (self._snapshot_key(version, self._options(workspace)), self._today().isoformat())
        return snapshot.saved(self._snapshot_dir(workspace)) == wanted

    def _snapshot_key(self, version: int, options: ViewOptions) -> str:
        return f"v{version}|infer={options.infer_colleagues}|w={self._weights_key}"

    def _settle(self, workspace: str, live: _Live, *, share: bool = True) -> None:
        """See that a snapshot of ``live``'s version is saved, by this process or another
        worker, then (``share``) answer from it: its arrays memory-mapped, so the workers
        of one data dir hold one copy of the graph again after a write instead of each
        its own patched arrays (issue 19). Under the snapshot's cross-process lock, so a
        save in progress is waited for, not repeated."""
        with snapshot.locked(self._snapshot_dir(workspace)):
            self._settle_locked(workspace, live, share=share)

    def _settle_locked(self, workspace: str, live: _Live, *, share: bool) -> None:
        # A stale graph is never saved: when another process has moved on, its graph is
        # the one worth keeping.
        directory = self._snapshot_dir(workspace)
        try:
            if self._version(self._reader.conn(), workspace) != live.version:
                return
            key = self._snapshot_key(live.version, live.options)
            saved = snapshot.saved(directory)
            mapped = None
            if saved == (key, live.day.isoformat()):
                if not share:
                    return
                mapped = self._from_snapshot(workspace, live.version, live.options, live.ids)
            if mapped is None:  # none saved, another version's or day's, or a damaged one
                self._write_snapshot(directory, key, live)
                if not share:
                    return
                mapped = self._from_snapshot(workspace, live.version, live.options, live.ids)
        except (OSError, sqlite3.Error, ValueError) as exc:
            log.warning("could not save the planning snapshot for %r: %s", workspace, exc)
            return
        if mapped is not None and mapped.day == live.day and self._live.get(workspace) is live:
            self._live[workspace] = mapped
            log.info("planning graph for %r now mapped from the saved snapshot", workspace)

    @staticmethod
    def _write_snapshot(directory: Path, key: str, live: _Live) -> None:
        obs = live.observed
        graph = live.view.graph
        labels = graph.components()
        implied = live.view.implied
        companies = implied.companies if isinstance(implied, ImpliedTies) else {}
        snapshot.save(
            graph,
            directory,
            key,
            extra={
                "obs_key": obs.key,
                "obs_strength": obs.strength,
                "obs_mid": obs.mid,
                "obs_evidenced": obs.evidenced,
                "co_of_node": live.companies.of_node,
                "co_rank": live.companies.rank,
                "co_unplaced": live.companies.unplaced,
                **({"component": labels} if labels is not None else {}),
            },
            meta={
                "day": live.day.isoformat(),
                "members": list(live.members),
                "obs_masks": [format(m, "x") for m in obs.table],
                "companies": {k: list(v) for k, v in companies.items()},
                "co_keys": live.companies.keys,
                "co_names": live.companies.names,
                "ids": len(live.ids),
            },
        )

    def _from_snapshot(
        self, workspace: str, version: int, options: ViewOptions, ids: list[str] | None = None
    ) -> _Live | None:
        found = snapshot.load_bundle(
            self._snapshot_dir(workspace), self._snapshot_key(version, options), ids
        )
        if found is None:
            return None
        graph, arrays, meta = found
        try:
            members = tuple(str(m) for m in meta["members"])
            conn = self._reader.conn()
            if members != self._member_ids(conn, workspace):
                return None
            table = [int(m, 16) for m in meta["obs_masks"]]
            observed = Observed(
                np.asarray(arrays["obs_key"]),
                np.asarray(arrays["obs_strength"]),
                np.asarray(arrays["obs_mid"], dtype=np.int32),
                table,
                np.asarray(arrays["obs_evidenced"], dtype=np.bool_),
            )
            sizes = {len(observed.strength), len(observed.mid), len(observed.evidenced)}
            if sizes != {len(observed.key)}:
                return None
            if len(observed.mid) and int(observed.mid.max()) >= len(table):
                return None
            companies = {str(k): (str(v[0]), int(v[1])) for k, v in meta["companies"].items()}
            works = Companies(
                [str(k) for k in meta["co_keys"]],
                [str(k) for k in meta["co_names"]],
                np.asarray(arrays["co_of_node"], dtype=np.int32),
                np.asarray(arrays["co_rank"], dtype=np.int64),
                np.asarray(arrays["co_unplaced"], dtype=np.int64),
            )
            if {len(works.of_node), len(works.rank)} != {len(graph.ids)} or {
                len(works.keys),
                len(works.names),
            } != {len(works.unplaced)}:
                return None
            if len(works.of_node) and int(works.of_node.max()) >= len(works.keys):
                return None
            day = date.fromisoformat(meta["day"])
            if "component" in arrays:
                graph.use_components(np.asarray(arrays["component"]))
        except (KeyError, ValueError, TypeError, IndexError):
            return None
        view = self._view(workspace, graph, graph.ids, members, observed, companies, options)
        return _Live(version, day, options, members, graph.ids, graph.index, observed, works, view)


def bump_version(
    conn: sqlite3.Connection, workspace: str, pairs: set[tuple[str, str]], people: set[str]
) -> int:
    """Inside a write transaction: the next version, and what it touched (also used by
    the first-load writer process, graph.store.first_load)."""
    version = EmbeddedStore._version(conn, workspace) + 1
    conn.execute(
        "INSERT INTO versions VALUES (?, ?) ON CONFLICT(workspace) DO UPDATE SET version=?",
        (workspace, version, version),
    )
    if EVERYTHING in people or len(pairs) + len(people) > CHANGE_LOG_LIMIT:
        rows: list[tuple[str, int, str, str]] = [(workspace, version, EVERYTHING, "")]
    else:
        rows = [(workspace, version, a, b) for a, b in pairs]
        rows += [(workspace, version, pid, "") for pid in people]
    conn.executemany("INSERT OR IGNORE INTO changes VALUES (?,?,?,?)", rows)
    oldest = version - CHANGE_LOG_KEEP
    if len(rows) > CHANGE_LOG_ROWS // 1_000:  # a big write: bound the log's rows too
        kept = 0
        for v, count in conn.execute(
            "SELECT version, COUNT(*) FROM changes WHERE workspace=?"
            " GROUP BY version ORDER BY version DESC",
            (workspace,),
        ):
            kept += count
            if kept > CHANGE_LOG_ROWS and v < version:
                oldest = max(oldest, v + 1)  # a process behind v rebuilds instead
                break
    conn.execute("DELETE FROM changes WHERE workspace=? AND version<?", (workspace, oldest))
    return version
