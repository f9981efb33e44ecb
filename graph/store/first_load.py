"""A first load into an empty embedded store, written by a second process.

Why a process: a 1M-tie edge list costs ~7 CPU s of Python to parse and resolve and
~6 CPU s of SQLite to write (BENCHMARKS.md, issue 19), one core each. A writer
*thread* gains nothing (``executemany`` holds the GIL while it binds every row), so
the parser streams compact row chunks through a pipe to a child process that owns
the SQLite transaction, and the two overlap on two cores.

Guarantees, as for :meth:`EmbeddedStore.apply_sync`: one transaction. The child
begins it (``BEGIN IMMEDIATE``) before the first row, refuses a database that is not
empty, and commits only when the parent says so after the last row; if the parent
fails, dies or closes the pipe early, or the child itself dies, nothing is committed
(the WAL frames of an uncommitted transaction are never read). The rows are the ones
``apply_sync`` writes for the same batch; rows arrive in file order and
``INSERT OR REPLACE`` keeps the later row of a key, as the batch does.

Protocol: length-prefixed ``marshal`` frames (tuples, lists, str and int only) on the
child's stdin; replies on its stdout. Both ends are this module, over a private pipe.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import marshal
import os
import queue
import sqlite3
import struct
import subprocess
import sys
import threading
from collections.abc import Collection
from pathlib import Path
from typing import IO, Any

from graph.errors import StoreUnavailable
from graph.store import embedded
from graph.store.embedded import (  # the store's own statements and rows
    BIG_WRITE_CACHE_KIB,
    EVERYTHING,
    INSERT_PERSON,
    _analyze,
    _build_indexes,
    _drop_secondary_indexes,
    _empty,
    _migrate,
    bump_version,
    connect,
    person_fields_row,
)

log = logging.getLogger(__name__)
_HEAD = struct.Struct("<Q")
PersonFields = tuple[str, str, str, str, str, str]
"""``(id, name, company, position, email, url)`` of a person with no schools or employers."""
EvidenceRecord = tuple[str, int, str]
"""``(owner, interactions, data)``: the columns an evidence record gives its rows."""
QUEUED_FRAMES = 8
"""Frames the parser may run ahead of the pipe (each a chunk of rows, a few MiB)."""
PIPE_BYTES = 1 << 20
"""The pipe's buffer (Linux's default limit for a process without privileges)."""


def _widen(pipe: IO[bytes]) -> None:
    """Give the pipe :data:`PIPE_BYTES` of buffer, as far as the system allows: each write
    into a full 64 KiB pipe wakes the sender thread, which then waits for the parser's GIL,
    ~1,400 times a 1M-tie load (0.3-0.5 s of the parser's wall)."""
    with contextlib.suppress(OSError):
        limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, min(PIPE_BYTES, limit))


def _send(out: IO[bytes], message: tuple[Any, ...]) -> None:
    data = marshal.dumps(message)
    out.write(_HEAD.pack(len(data)) + data)


def _receive(inp: IO[bytes]) -> tuple[Any, ...] | None:
    """The next frame, or None at the end of the stream (a short frame is an end too)."""
    head = inp.read(_HEAD.size)
    if len(head) < _HEAD.size:
        return None
    (size,) = _HEAD.unpack(head)
    data = inp.read(size)
    if len(data) < size:
        return None
    message = marshal.loads(data)  # noqa: S302 -- our own frames, over our own pipe
    return message if isinstance(message, tuple) else None


class FirstLoad:
    """The parent's end: start the writer, stream rows, commit or abort.

    Use as a context manager: leaving the block without :meth:`commit` aborts."""

    def __init__(self, path: Path, workspace: str) -> None:
        root = str(Path(__file__).resolve().parents[2])  # the writer imports graph.* from here
        python_path = [root, *filter(None, [os.environ.get("PYTHONPATH")])]
        self._proc = subprocess.Popen(  # noqa: S603 -- this interpreter, this module
            [sys.executable, "-m", "graph.store.first_load", str(path), workspace],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(python_path)},
        )
        assert self._proc.stdin is not None
        _widen(self._proc.stdin)
        self._ready: bool | None = None
        self._done = False
        # Frames go out on a thread: the parser does not wait while the writer is busy
        # (a pipe holds 64 KiB; a blocked write releases the GIL).
        self._frames: queue.Queue[bytes | None] = queue.Queue(maxsize=QUEUED_FRAMES)
        self._broken = False
        self._sender = threading.Thread(target=self._pump, name="first-load", daemon=True)
        self._sender.start()

    @property
    def pid(self) -> int:
        return self._proc.pid

    def __enter__(self) -> FirstLoad:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._done:
            self.abort()

    def ready(self) -> bool:
        """Whether the writer holds the write lock on an empty database; waits for the
        writer's start. False (the caller takes the batch path, which reports any real
        problem with the store itself): the database is not empty, or the writer could
        not start."""
        if self._ready is None:
            stdout = self._proc.stdout
            assert stdout is not None
            reply = _receive(stdout)
            self._ready = reply == ("ready",)
            if not self._ready:
                if reply != ("not-empty",):
                    log.warning("the first-load writer did not start: %s", self._failed(reply))
                self.abort()
        return self._ready

    def people(self, rows: list[PersonFields]) -> None:
        self._write(("people", rows))

    def people_done(self) -> None:
        """No more people from the people file: their indexes can be built meanwhile."""
        self._write(("people-done",))

    def evidence(
        self, a: list[str], b: list[str], kinds: list[int], records: list[EvidenceRecord]
    ) -> None:
        """Rows ``(a[i], b[i])`` (a < b) with the evidence ``table[kinds[i]]``, in file
        order; ``records`` extends the table of distinct records (each is sent once)."""
        self._write(("evidence", a, b, kinds, records))

    def finish(self, pairs: Collection[tuple[str, str]], people: Collection[str]) -> None:
        """The last frame: build the remaining indexes, log the pairs and people
        written (a write this big logs a rebuild of everything, as ``apply_sync``
        does), commit. The caller may free its tables meanwhile, then :meth:`commit`."""
        if len(pairs) + len(people) > embedded.CHANGE_LOG_LIMIT:
            self._write(("commit", None, []))
        else:
            self._write(("commit", list(pairs), list(people)))

    def commit(self) -> int:
        """Wait for the writer's commit (after :meth:`finish`); the new version."""
        reply = self._reply()
        self._done = True
        self._proc.wait()
        if reply is None or reply[0] != "committed":
            raise self._failed(reply)
        return int(reply[1])

    def abort(self) -> None:
        """Roll back (the end of the stream without a commit is the signal) and wait
        for the writer to exit."""
        self._done = True
        self._broken = True  # frames still queued are dropped
        self._close()
        self._proc.wait()
        if self._proc.stdout is not None:
            self._proc.stdout.close()

    def _pump(self) -> None:
        stdin = self._proc.stdin
        assert stdin is not None
        while (frame := self._frames.get()) is not None:
            if self._broken:
                continue
            try:
                stdin.write(frame)
            except OSError:  # the writer is gone: the next call raises
                self._broken = True
        try:
            stdin.close()
        except OSError:
            self._broken = True

    def _close(self) -> None:
        if self._sender.is_alive():
            self._frames.put(None)
            self._sender.join()

    def _write(self, message: tuple[Any, ...]) -> None:
        if self._broken:
            raise self._failed(None)
        data = marshal.dumps(message)
        self._frames.put(_HEAD.pack(len(data)) + data)

    def _reply(self) -> tuple[Any, ...] | None:
        stdout = self._proc.stdout
        assert stdout is not None
        self._close()  # everything sent: the sender closes the pipe
        return _receive(stdout)

    def _failed(self, reply: tuple[Any, ...] | None) -> StoreUnavailable:
        self._broken = True
        self._close()
        stdout = self._proc.stdout
        while reply is None or reply[0] != "error":  # the writer's own word, if it left one
            reply = _receive(stdout) if stdout is not None and not stdout.closed else None
            if reply is None:
                break
        self.abort()
        why = reply[1] if reply and reply[0] == "error" else f"exit status {self._proc.returncode}"
        return StoreUnavailable(f"the first-load writer failed ({why}); nothing was written")


class _Writer:
    """The writer's end: applies the parent's frames inside one open transaction."""

    def __init__(self, conn: sqlite3.Connection, workspace: str) -> None:
        self.conn = conn
        self.workspace = workspace
        self.deferred = _drop_secondary_indexes(conn)
        self.table: list[EvidenceRecord] = []

    def apply(self, message: tuple[Any, ...]) -> int | None:
        """One frame; the new version once committed."""
        kind = message[0]
        if kind == "people":
            self.people(message[1])
        elif kind == "people-done":
            self.people_done()
        elif kind == "evidence":
            self.evidence(*message[1:])
        elif kind == "commit":
            return self.commit(message[1], message[2])
        else:
            raise ValueError(f"unknown frame {kind!r}")
        return None

    def people(self, fields: list[PersonFields]) -> None:
        workspace = self.workspace
        self.conn.executemany(INSERT_PERSON, (person_fields_row(workspace, *f) for f in fields))

    def people_done(self) -> None:
        """The people file's rows are in: its indexes are built while the edges come."""
        for sql in [s for s in self.deferred if " ON people " in s]:
            self.conn.execute(sql)
            self.deferred.remove(sql)

    def evidence(
        self, a: list[str], b: list[str], kinds: list[int], records: list[EvidenceRecord]
    ) -> None:
        table = self.table
        table.extend(records)
        workspace = self.workspace
        rows: list[tuple[str, str, str, str, int, str]] = []
        append = rows.append
        for x, y, k in zip(a, b, kinds, strict=True):
            owner, interactions, data = table[k]
            append((workspace, x, y, owner, interactions, data))
        self.conn.executemany("INSERT OR REPLACE INTO evidence VALUES (?,?,?,?,?,?)", rows)

    def commit(self, pairs: list[list[str]] | None, people: list[str]) -> int:
        """The remaining indexes, the change log (None: a rebuild of everything),
        statistics, COMMIT; the new version."""
        conn = self.conn
        _build_indexes(conn, self.deferred)  # the parser is done: its core sorts too
        if pairs is None:
            version = bump_version(conn, self.workspace, set(), {EVERYTHING})
        else:
            version = bump_version(conn, self.workspace, {(x, y) for x, y in pairs}, set(people))
        _analyze(conn)
        conn.execute("COMMIT")
        return version


def write(path: Path, workspace: str, inp: IO[bytes], out: IO[bytes]) -> int:
    """The writer process: apply the parent's frames in one transaction; 0 on commit."""
    conn = connect(path)
    try:
        _migrate(conn)
        conn.execute(f"PRAGMA cache_size=-{BIG_WRITE_CACHE_KIB}")
        conn.execute("BEGIN IMMEDIATE")
        if not _empty(conn):
            conn.execute("ROLLBACK")
            _reply(out, ("not-empty",))
            return 1
        _reply(out, ("ready",))
        writer = _Writer(conn, workspace)
        while (message := _receive(inp)) is not None:
            version = writer.apply(message)
            if version is not None:
                _reply(out, ("committed", version))
                return 0
        conn.execute("ROLLBACK")  # the parent closed the pipe without a commit
        return 1
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        with contextlib.suppress(OSError):
            _reply(out, ("error", f"{type(exc).__name__}: {exc}"))
        return 2
    finally:
        conn.close()


def _reply(out: IO[bytes], message: tuple[Any, ...]) -> None:
    _send(out, message)
    out.flush()


if __name__ == "__main__":
    sys.exit(write(Path(sys.argv[1]), sys.argv[2], sys.stdin.buffer, sys.stdout.buffer))
