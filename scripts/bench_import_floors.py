"""Benchmark: the floors under ``warmintro import edges`` of 1M ties (issue 19: <= 10 s).

How far below today's import could any change to the import code go, and what would a
new storage shape buy? Same files as scripts/bench_import_edges.py (``--keep`` reuses
them), same run, three lower bounds, each timed as wall and CPU seconds of this process
(user + sys):

- **SQLite, today's shape** (schema v2): the store's own rows for the loader's batch
  (``_person_row``, ``_evidence_rows``), built before the clock, written the way the
  store's first load writes them: one transaction, 256 MiB page cache, rows in key
  order, secondary indexes dropped and built after, WAL, ``synchronous=FULL``; the clock
  stops after ``close`` (the WAL checkpoint included).
- **SQLite, an integer-key shape** (a proposal, not the store): people keep their text
  id but get an ``INTEGER PRIMARY KEY``; evidence rows name both ends and the owner by
  integer (``owners`` is a small table of its own), no workspace column (a person's key
  belongs to one workspace); the same indexes otherwise, plus ``UNIQUE (workspace, id)``
  on people. Same rows, same pragmas, same order.
- **Python**: the least CPython work from the two files to those same v2 rows in key
  order, for this file: decode, the people file through the loader's parser, a strict
  ``csv.reader`` with line numbers, the strength check once per distinct text, endpoints
  through the loader's directory (ids, LinkedIn URLs, emails) remembered per text, one
  JSON text per distinct (rating, note), the later row of a pair winning, one sort, the
  people rows with their folded columns. No ``Relationship``, no batch. It is a bound,
  not an importer (no report, no notes, no erasure or sharing rules); its rows are
  checked equal to the store's rows from the real loader.

    .venv/bin/python scripts/bench_import_floors.py --keep /tmp/imp/files [--repeat 2]
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench_import_edges import WORKSPACE, EdgeFiles, edge_files

from graph.bulk import collector_paused
from graph.errors import InvalidInput
from graph.model import Evidence
from graph.store.codec import evidence_to_json
from graph.store.embedded import (
    BIG_WRITE_CACHE_KIB,
    INSERT_PERSON,
    _drop_secondary_indexes,
    _evidence_rows,
    _migrate,
    _person_row,
    connect,
)
from loaders import edges as edges_loader

Rows = list[tuple[Any, ...]]

INT_SCHEMA = """
CREATE TABLE people (
    pk INTEGER PRIMARY KEY, workspace TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
    company TEXT NOT NULL DEFAULT '', position TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '', url TEXT NOT NULL DEFAULT '',
    schools TEXT NOT NULL DEFAULT '[]', employers TEXT NOT NULL DEFAULT '[]',
    name_key TEXT NOT NULL DEFAULT '', company_key TEXT NOT NULL DEFAULT '',
    company_fold TEXT NOT NULL DEFAULT '', position_fold TEXT NOT NULL DEFAULT '',
    search TEXT NOT NULL DEFAULT '', company_norm TEXT NOT NULL DEFAULT ''
);
CREATE TABLE owners (pk INTEGER PRIMARY KEY, workspace TEXT NOT NULL, id TEXT NOT NULL);
CREATE UNIQUE INDEX owners_id ON owners (workspace, id);
CREATE TABLE evidence (
    a INTEGER NOT NULL, b INTEGER NOT NULL, owner INTEGER NOT NULL,
    interactions INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL,
    PRIMARY KEY (a, b, owner)
) WITHOUT ROWID;
"""
INT_INDEXES = (
    "CREATE UNIQUE INDEX people_id ON people (workspace, id)",
    "CREATE INDEX people_url ON people (workspace, url) WHERE url <> ''",
    "CREATE INDEX people_email ON people (workspace, email) WHERE email <> ''",
    "CREATE INDEX people_name_key ON people (workspace, name_key) WHERE name_key <> ''",
    "CREATE INDEX people_company_key ON people (workspace, company_key) WHERE company_key <> ''",
    "CREATE INDEX evidence_b ON evidence (b)",
)


def fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def clocked(run: Callable[[], None]) -> tuple[float, float]:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def write_v2(db: Path, people: Rows, evidence: Rows) -> tuple[float, float]:
    """The store's first-load write of prebuilt rows (graph.store.embedded.apply_sync)."""
    conn = connect(fresh(db))
    _migrate(conn)
    conn.execute(f"PRAGMA cache_size=-{BIG_WRITE_CACHE_KIB}")

    def run() -> None:
        conn.execute("BEGIN IMMEDIATE")
        deferred = _drop_secondary_indexes(conn)
        conn.executemany(INSERT_PERSON, people)
        conn.executemany("INSERT OR REPLACE INTO evidence VALUES (?,?,?,?,?,?)", evidence)
        for sql in deferred:
            conn.execute(sql)
        conn.execute("COMMIT")
        conn.close()

    return clocked(run)


def write_int(db: Path, people: Rows, owners: Rows, evidence: Rows) -> tuple[float, float]:
    """The same rows in the integer-key shape, the same pragmas, indexes after."""
    conn = connect(fresh(db))
    conn.executescript(INT_SCHEMA)
    conn.execute(f"PRAGMA cache_size=-{BIG_WRITE_CACHE_KIB}")

    def run() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO people VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", people)
        conn.executemany("INSERT INTO owners VALUES (?,?,?)", owners)
        conn.executemany("INSERT INTO evidence VALUES (?,?,?,?,?)", evidence)
        for sql in INT_INDEXES:
            conn.execute(sql)
        conn.execute("COMMIT")
        conn.close()

    return clocked(run)


def int_rows(people: Rows, evidence: Rows) -> tuple[Rows, Rows, Rows]:
    """v2 rows renumbered: people keys in id order, so evidence stays in key order."""
    pk = {row[1]: i for i, row in enumerate(people, 1)}
    owner_pk: dict[str, int] = {}
    ev = []
    for _ws, a, b, owner, n, data in evidence:
        o = owner_pk.setdefault(owner, len(owner_pk) + 1)
        ev.append((pk[a], pk[b], o, n, data))
    owners = [(o, WORKSPACE, owner) for owner, o in owner_pk.items()]
    return [(pk[row[1]], *row) for row in people], owners, ev


def python_floor(files: EdgeFiles) -> tuple[Rows, Rows]:
    """CSV texts to the store's v2 rows in key order, with no object per tie (a bound)."""
    name = files.edges.name
    owner = f"file:{name}"
    text = edges_loader._text(files.edges)
    listed = edges_loader.parse_people_csv(edges_loader._text(files.people), files.people.name)
    people = {p.id: p if p.name else replace(p, name=p.id) for p in listed}
    directory = edges_loader._Directory(people.values())
    ids = directory.ids
    memo: dict[str, str] = {}

    def resolve(ref: str) -> str:
        pid, new = directory.resolve(ref)
        if new is not None:
            directory.add(new)
            people[pid] = new
        memo[ref] = pid
        return pid

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = [edges_loader.norm_header(c) for c in next(reader)]
    if header != ["source", "target", "strength", "context"]:
        raise SystemExit(f"the floor reads source,target,strength,context; got {header}")
    ratings: dict[str, float | None] = {}
    texts: dict[tuple[float | None, str], str] = {}
    rows: dict[str, tuple[Any, ...]] = {}
    for raw_source, raw_target, strength, context in reader:
        line = reader.line_num
        rating = ratings.get(strength, -1.0)
        if rating == -1.0:
            rating = ratings[strength] = edges_loader.parse_strength(strength, file=name, line=line)
        source, target = raw_source.strip(), raw_target.strip()
        a = source if source in ids else memo.get(source) or resolve(source)
        b = target if target in ids else memo.get(target) or resolve(target)
        note = context.strip()
        data = texts.get((rating, note))
        if data is None:
            notes = (("context", note),) if note else ()
            data = evidence_to_json(Evidence(owner, rating=rating, notes=notes))
            texts[rating, note] = data
        if a < b:
            rows[f"{a}\0{b}"] = (WORKSPACE, a, b, owner, 0, data)
        elif b < a:
            rows[f"{b}\0{a}"] = (WORKSPACE, b, a, owner, 0, data)
        else:
            raise InvalidInput("self-loop", file=name, line=line, field="target")
    evidence = [rows[key] for key in sorted(rows)]
    return [_person_row(WORKSPACE, people[pid]) for pid in sorted(people)], evidence


def checked_python_floor(files: EdgeFiles, people: Rows, evidence: Rows) -> tuple[float, float]:
    out: list[tuple[Rows, Rows]] = []
    timed = clocked(lambda: out.append(python_floor(files)))
    if out[0] != (people, evidence):
        raise SystemExit("the Python floor's rows differ from the store's rows")
    return timed


def store_rows(files: EdgeFiles) -> tuple[Rows, Rows]:
    """The rows the store writes for the real loader's batch (what the floors write)."""
    batch, _report = edges_loader.load_edges(files.edges, people_path=files.people)
    latest = {p.id: p for p in batch.people}
    people = [_person_row(WORKSPACE, latest[pid]) for pid in sorted(latest)]
    return people, list(_evidence_rows(WORKSPACE, batch, {}))


def show(label: str, runs: Sequence[tuple[float, float]], extra: str = "") -> None:
    walls, cpus = [w for w, _c in runs], [c for _w, c in runs]
    print(
        f"{label}: wall median {statistics.median(walls):.2f} s, CPU median"
        f" {statistics.median(cpus):.2f} s (runs, wall/CPU: "
        f"{', '.join(f'{w:.2f}/{c:.2f}' for w, c in runs)}){extra}; load {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="the benchmark's files (written if absent)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, collector_paused():
        root = Path(tmp)
        files = edge_files(args.keep or root / "files", args.ties, args.seed, keep=bool(args.keep))
        people, evidence = store_rows(files)
        print(f"store rows: {len(people):,} people, {len(evidence):,} evidence", flush=True)
        runs = [checked_python_floor(files, people, evidence) for _ in range(args.repeat)]
        show("Python floor: CSV texts to the store's rows, no object per tie", runs)
        v2 = [write_v2(root / "v2.db", people, evidence) for _ in range(args.repeat)]
        size = (root / "v2.db").stat().st_size / 2**20
        show("SQLite floor, today's shape (v2)", v2, f", {size:.0f} MiB")
        int_people, owners, int_evidence = int_rows(people, evidence)
        shape = [
            write_int(root / "int.db", int_people, owners, int_evidence) for _ in range(args.repeat)
        ]
        size = (root / "int.db").stat().st_size / 2**20
        show("SQLite floor, integer-key shape (proposal)", shape, f", {size:.0f} MiB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
