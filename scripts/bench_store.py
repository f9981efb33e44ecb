"""The embedded store at scale: writes, cold starts, writes under load, memory (issue 19).

Usage: .venv/bin/python scripts/bench_store.py --ties 1000000 [--patch 10000] [--dir DIR]
       .venv/bin/python scripts/bench_store.py --dir DIR --reuse --build
       .venv/bin/python scripts/bench_store.py --dir DIR --reuse --start 5

On a pooled-team graph (demo.team_graph; people get Zipf-sized companies, ties one
evidence record per owner carrying the generated strength as a rating):

1. write: the whole graph through ``EmbeddedStore.apply`` in batches of 100k ties;
   same-run baseline: a bare SQLite ``executemany`` of the same evidence rows.
2. build: the planning graph from the stored rows (first start, no snapshot). With
   ``--reuse --build``: only this, taken apart (rows read, observed layer memoised and
   plain on the same rows, checked equal bit for bit, implied layer, layout).
3. start: a fresh process opening the data dir and answering its first question from
   the snapshot, timed from the interpreter's start; same-run baseline: the same
   process without the store (interpreter, numpy, numba, the package imports).
   Resident memory of that process, and of the baseline.
4. write under load: one event loop asks member -> target trustedPath questions back
   to back (each through ``planning_view``, searches in a worker thread as the API
   runs them) while a ``--patch``-tie batch is applied; latency p50/p99/max during the
   write against the same questions before it, and when the new ties became visible
   after the write committed. Every answer during the write is checked against the
   answer on the graph it was asked of (old or new), exhaustively re-searched.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import gc
import json
import math
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from demo.team_graph import team_graph
from graph import algorithms
from graph.errors import NoPath
from graph.model import Evidence, ImportBatch, Member, Person, Relationship, Sharing
from graph.store.embedded import EmbeddedStore, _grouped
from graph.store.fullbuild import TieScorer, observed_from_rows
from graph.store.layers import Observed, compose, tie_of
from graph.store.view import owner_bits_for

TODAY = date(2026, 12, 1)
BATCH = 100_000


def rss() -> int:
    gc.collect()
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, math.ceil(q * len(s)) - 1))]


class Parts:
    """The graph's import batches, made one at a time (at 10M ties a list of every
    ``Relationship`` would cost gigabytes beside the store being measured): the
    people and members first, then the ties in batches of ``BATCH``."""

    def __init__(self, n_ties: int, seed: int, max_members: int | None = None) -> None:
        tg = team_graph(n_ties, seed, max_members)
        rng = np.random.default_rng(seed + 100)
        n_comp = max(10, tg.people // 40)
        weights = 1.0 / np.arange(1, n_comp + 1) ** 1.05
        cdf = np.cumsum(weights) / weights.sum()
        self.owner_of_bit = {bit: m for m, bit in tg.member_bits.items()}
        ids = sorted({e for u, v, _s, _m in tg.edges for e in (u, v)})
        self.company = np.searchsorted(cdf, rng.random(len(ids))).tolist()
        self.ids = ids
        self.members = tg.members
        self.edges = tg.edges
        # The first edge of each distinct pair that is not a teammate tie (implied
        # by membership), as the list of every Relationship was made before.
        self.first = np.zeros(len(tg.edges), dtype=np.bool_)
        seen: set[tuple[str, str]] = set()
        for k, (u, v, _s, mask) in enumerate(tg.edges):
            a, b = (u, v) if u < v else (v, u)
            if (a, b) in seen or mask == 1:
                continue
            seen.add((a, b))
            self.first[k] = True
        self.ties = len(seen)
        del seen
        self.last = max((u, v) if u < v else (v, u) for u, v, _s, _m in tg.edges[-100:])

    def __iter__(self) -> Iterator[ImportBatch]:
        people = [
            Person(pid, f"Person {pid}", company=f"Company {c}", position="Engineer")
            for pid, c in zip(self.ids, self.company, strict=True)
        ]
        yield ImportBatch(people=people, members=[Member(m, Sharing.FULL) for m in self.members])
        del people
        rels: list[Relationship] = []
        for k in np.flatnonzero(self.first).tolist():
            u, v, s, mask = self.edges[k]
            a, b = (u, v) if u < v else (v, u)
            owner = self.owner_of_bit.get(mask, "crm.csv")
            rels.append(Relationship(a, b, (Evidence(owner=owner, rating=round(s, 4)),)))
            if len(rels) == BATCH:
                yield ImportBatch(relationships=rels)
                rels = []
        if rels:
            yield ImportBatch(relationships=rels)


def bench_write(path: Path, parts: Parts) -> dict[str, float]:
    store = EmbeddedStore(path, today=lambda: TODAY)
    took = 0.0
    for part in parts:  # each batch is made outside the timer
        started = time.perf_counter()
        store.apply_sync("team", part)
        took += time.perf_counter() - started
    asyncio.run(store.close())
    # Baseline: the same evidence rows, bare executemany in one transaction (each
    # batch's rows made outside the timer, as the store's batches are).
    base = sqlite3.connect(path.with_name("baseline.db"), isolation_level=None)
    base.execute("PRAGMA journal_mode=WAL")
    base.execute(
        "CREATE TABLE e (w TEXT, a TEXT, b TEXT, o TEXT, n INT, d TEXT, PRIMARY KEY (w,a,b,o))"
        " WITHOUT ROWID"
    )
    baseline = 0.0
    n_rows = 0
    base.execute("BEGIN")
    for part in parts:
        rows = [
            ("team", r.a, r.b, e.owner, 0, json.dumps({"rating": e.rating}))
            for r in part.relationships
            for e in r.evidence
        ]
        n_rows += len(rows)
        t0 = time.perf_counter()
        base.executemany("INSERT INTO e VALUES (?,?,?,?,?,?)", rows)
        baseline += time.perf_counter() - t0
    t0 = time.perf_counter()
    base.execute("COMMIT")
    baseline += time.perf_counter() - t0
    base.close()
    return {"store_write_s": took, "bare_executemany_s": baseline, "ties": float(n_rows)}


def bench_build(path: Path) -> dict[str, float]:
    before = rss()
    store = EmbeddedStore(path, today=lambda: TODAY)
    t0 = time.perf_counter()
    store.catch_up("team")
    took = time.perf_counter() - t0
    held = rss() - before
    asyncio.run(store.close())  # saves the snapshot
    return {"full_build_s": took, "build_retained_mib": held / 2**20}


def bench_build_parts(path: Path) -> dict[str, float]:
    """A full build from the stored rows taken apart, with the plain per-tie path beside it.

    ``full_build_s`` is ``catch_up`` with no snapshot to load (components and the
    snapshot save included, as at a first start). Its observed layer is then made again
    both ways on the same rows: the memoised one the store uses, and the plain one it
    used before (each pair decoded and scored by ``tie_of``, then ``Observed.build``);
    both must agree bit for bit, or this exits non-zero.
    """
    out: dict[str, float] = {}
    snaps = path.with_name(path.stem + ".snapshots")
    shutil.rmtree(snaps, ignore_errors=True)  # a first start; leaves a fresh snapshot
    store = EmbeddedStore(path, today=lambda: TODAY)
    t0, c0 = time.perf_counter(), time.process_time()
    store.catch_up("team")
    out["full_build_s"] = time.perf_counter() - t0
    out["full_build_cpu_s"] = time.process_time() - c0
    live = store._live["team"]
    conn = store._reader.conn()
    members = store._member_ids(conn, "team")
    bits = owner_bits_for(members)
    team_pairs = {(a, b) for i, a in enumerate(members) for b in members[i + 1 :]}
    index = dict(live.index)
    sql = "SELECT a, b, owner, data FROM evidence WHERE workspace=? ORDER BY a, b"
    t0, c0 = time.perf_counter(), time.process_time()
    n_rows = sum(1 for _ in conn.execute(sql, ("team",)))
    out["read_rows_s"] = time.perf_counter() - t0
    out["read_rows_cpu_s"] = time.process_time() - c0
    out["evidence_rows"] = float(n_rows)
    scorer = TieScorer(bits, as_of=TODAY, weights=store._weights)
    t0, c0 = time.perf_counter(), time.process_time()
    fast = observed_from_rows(
        conn.execute(sql, ("team",)), dict(index), list(live.ids), set(team_pairs), scorer
    )
    out["observed_fast_s"] = time.perf_counter() - t0
    out["observed_fast_cpu_s"] = time.process_time() - c0
    out["distinct_contents_scored"] = float(scorer.scored)
    t0, c0 = time.perf_counter(), time.process_time()
    rows = []
    pending = set(team_pairs)
    for pair, owners in _grouped(conn.execute(sql, ("team",))):
        team = pair in pending
        pending.discard(pair)
        s, m = tie_of(owners, bits, team=team, as_of=TODAY, weights=store._weights)
        rows.append((index[pair[0]], index[pair[1]], s, m, True))
    for a, b in sorted(pending):
        s, m = tie_of({}, bits, team=True, as_of=TODAY, weights=store._weights)
        rows.append((index[a], index[b], s, m, False))
    plain = Observed.build(rows)
    out["observed_plain_s"] = time.perf_counter() - t0
    out["observed_plain_cpu_s"] = time.process_time() - c0
    same = (
        np.array_equal(fast.key, plain.key)
        and fast.strength.tobytes() == plain.strength.tobytes()
        and fast.table == plain.table
        and np.array_equal(fast.mid, plain.mid)
        and np.array_equal(fast.evidenced, plain.evidenced)
        and np.array_equal(fast.key, live.observed.key)
        and fast.strength.tobytes() == live.observed.strength.tobytes()
    )
    out["observed_ties"] = float(len(fast))
    out["fast_equals_plain"] = float(same)
    options = store._options("team")
    ids = list(live.ids)
    t0, c0 = time.perf_counter(), time.process_time()
    implied = store._implied(conn, "team", index, len(ids), fast, options, TODAY)
    out["implied_s"] = time.perf_counter() - t0
    out["implied_cpu_s"] = time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    compose(ids, index, fast, implied)
    out["compose_s"] = time.perf_counter() - t0
    out["compose_cpu_s"] = time.process_time() - c0
    asyncio.run(store.close())
    if not same:
        print(json.dumps(out), flush=True)
        raise SystemExit("the memoised observed layer differs from the plain one")
    return out


START = """
import time, sys
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
import numpy, numba, graph.kernels, graph.store.embedded, services.planner
from datetime import date
from pathlib import Path
if {with_store}:
    from graph.store.embedded import EmbeddedStore
    s = EmbeddedStore(Path({db!r}), today=lambda: date(2026, 12, 1))
    v = s.catch_up("team")
    assert len(v.graph) > 0
    from graph import algorithms
    algorithms.most_trusted_path(v.graph, {src!r}, {dst!r}, max_hops=3)
with open("/proc/self/status") as f:
    rss = [l for l in f if l.startswith("VmRSS")][0].split()[1]
print(time.perf_counter() - t0, int(rss) * 1024, time.process_time())
"""


def bench_start(path: Path, src: str, dst: str) -> dict[str, float]:
    root = str(Path(__file__).resolve().parents[1])
    out: dict[str, float] = {}
    for label, with_store in (("baseline", False), ("start", True)):
        code = START.format(root=root, with_store=with_store, db=str(path), src=src, dst=dst)
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        wall = time.perf_counter() - t0
        inside, resident, cpu = done.stdout.split()
        out[f"{label}_wall_s"] = wall
        out[f"{label}_inside_s"] = float(inside)
        out[f"{label}_cpu_s"] = float(cpu)  # the process's CPU time, threads included
        out[f"{label}_rss_mib"] = int(resident) / 2**20
    return out


def bench_patch(path: Path, members: list[str], n_new: int) -> dict[str, float]:
    store = EmbeddedStore(path, today=lambda: TODAY)
    view = store.catch_up("team")
    rng = np.random.default_rng(5)
    ids = [i for i in view.graph.index if i.startswith("p")]
    queries = [
        (members[int(rng.integers(len(members)))], ids[int(rng.integers(len(ids)))])
        for _ in range(400)
    ]
    new_pairs: list[tuple[str, str]] = []
    have: set[tuple[str, str]] = set()  # new ties: not in the graph, not drawn twice
    while len(new_pairs) < n_new:
        a, b = ids[int(rng.integers(len(ids)))], ids[int(rng.integers(len(ids)))]
        a, b = (a, b) if a < b else (b, a)
        if a != b and (a, b) not in have and view.graph.strength(a, b) is None:
            have.add((a, b))
            new_pairs.append((a, b))
    batch = ImportBatch(
        relationships=[
            Relationship(a, b, (Evidence(owner="crm.csv", rating=0.5),)) for a, b in new_pairs
        ]
    )
    probe = new_pairs[0]
    gc.freeze()

    async def ask(src: str, dst: str) -> tuple[float, object]:
        t0 = time.perf_counter()
        v = await store.planning_view("team")
        try:
            found = await asyncio.to_thread(
                algorithms.most_trusted_path, v.graph, src, dst, max_hops=3
            )
            answer: object = round(found.probability, 12)
        except NoPath:
            answer = None
        return (time.perf_counter() - t0) * 1000, (v.graph, answer)

    async def run() -> dict[str, float]:
        base = [(await ask(s, d))[0] for s, d in queries[:200]]
        committed: dict[str, float] = {}

        def write() -> None:
            store.apply_sync("team", batch)

        # The write runs in its own thread as an import job does; the commit time is
        # when apply_sync's transaction ended, read from the store's version.
        v0 = store.version("team")
        writer = threading.Thread(target=write)
        t_start = time.perf_counter()
        writer.start()
        during: list[float] = []
        checks: list[tuple[object, str, str, object]] = []
        visible_at = None
        i = 0
        while writer.is_alive() or visible_at is None:
            if "commit" not in committed and store.version("team") != v0:
                committed["commit"] = time.perf_counter()
            src, dst = queries[i % len(queries)]
            i += 1
            ms, (g, answer) = await ask(src, dst)
            during.append(ms)
            if len(checks) < 60:
                checks.append((g, src, dst, answer))
            v = await store.planning_view("team")
            if visible_at is None and probe[0] in v.graph and v.graph.strength(*probe) is not None:
                visible_at = time.perf_counter()
            if time.perf_counter() - t_start > 120:
                break
        writer.join()
        bad = 0
        for g, src, dst, answer in checks:
            try:
                ref: object = round(
                    algorithms.most_trusted_path(g, src, dst, max_hops=3).probability, 12
                )
            except NoPath:
                ref = None
            bad += ref != answer
        commit = committed.get("commit", t_start)
        return {
            "before_p50_ms": pct(base, 0.5),
            "before_p99_ms": pct(base, 0.99),
            "during_p50_ms": pct(during, 0.5),
            "during_p99_ms": pct(during, 0.99),
            "during_max_ms": max(during),
            "during_queries": float(len(during)),
            "visible_after_commit_s": (visible_at or time.perf_counter()) - commit,
            "write_total_s": (visible_at or time.perf_counter()) - t_start,
            "checked": float(len(checks)),
            "mismatches": float(bad),
        }

    out = asyncio.run(run())
    asyncio.run(store.close())
    return out


def starts(db: Path, runs: int) -> None:
    """``runs`` cold starts from the snapshot, each beside its baseline (interleaved, so
    both see the same load); the snapshot is made first if it is missing or stale."""
    store = EmbeddedStore(db, today=lambda: TODAY)
    members = [m.person_id for m in asyncio.run(store.members("team"))]
    view = store.catch_up("team")
    src, g = members[0], view.graph
    near = set(g.neighbours(src))
    # a target two hops out, as member -> target questions are (a real search)
    dst = next(y for x in sorted(near) for y in g.neighbours(x) if y != src and y not in near)
    asyncio.run(store.close())
    got = [bench_start(db, src, dst) for _ in range(runs)]
    for row in got:
        print(json.dumps({k: round(v, 3) for k, v in row.items()}), flush=True)
    keys = got[0].keys()
    median = {k: sorted(r[k] for r in got)[len(got) // 2] for k in keys}
    print("median " + json.dumps({k: round(v, 3) for k, v in median.items()}), flush=True)


def reused(db: Path, patch: int) -> None:
    store = EmbeddedStore(db, today=lambda: TODAY)
    members = [m.person_id for m in asyncio.run(store.members("team"))]
    view = store.catch_up("team")
    ties = len(view.graph.cost) // 2
    probe = next((u, v) for u, v, _s, _m in view.graph.edges() if u in members or v in members)
    del view
    asyncio.run(store.close())
    print(f"reusing {db} ({ties:,} ties in the graph)", flush=True)
    results = bench_start(db, probe[0], probe[1])
    print(json.dumps(results), flush=True)
    results.update(bench_patch(db, members, patch))
    print(json.dumps({k: round(v, 3) for k, v in results.items()}, indent=1), flush=True)
    print(f"load {Path('/proc/loadavg').read_text().split()[:3]}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--patch", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the data dir a previous run wrote; time only the start and the write under load",
    )
    parser.add_argument(
        "--start",
        type=int,
        default=0,
        metavar="N",
        help="with --reuse: time only N cold starts from the snapshot (and N baselines)",
    )
    parser.add_argument(
        "--build",
        action="store_true",
        help="with --reuse: time only a full build of the planning graph, taken apart",
    )
    parser.add_argument(
        "--max-members",
        type=int,
        default=None,
        help="cap the team's members (see demo.team_graph); default: the generator's shape",
    )
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="bench-store-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "warmintro.db"
    if args.reuse and db.exists() and args.start:
        print(f"load {Path('/proc/loadavg').read_text().split()[:3]}", flush=True)
        starts(db, args.start)
        print(f"load {Path('/proc/loadavg').read_text().split()[:3]}", flush=True)
        return
    if args.reuse and db.exists() and args.build:
        print(f"load {Path('/proc/loadavg').read_text().split()[:3]}", flush=True)
        results = bench_build_parts(db)
        print(json.dumps({k: round(v, 3) for k, v in results.items()}, indent=1), flush=True)
        print(f"load {Path('/proc/loadavg').read_text().split()[:3]}", flush=True)
        return
    if args.reuse and db.exists():
        reused(db, args.patch)
        return
    for old in work.glob("*"):
        if old.is_dir():
            shutil.rmtree(old)
        else:
            old.unlink()
    print(f"load {Path('/proc/loadavg').read_text().split()[:3]}", flush=True)
    t0 = time.perf_counter()
    parts = Parts(args.ties, args.seed, args.max_members)
    members, last = parts.members, parts.last
    print(f"generated {parts.ties:,} ties in {time.perf_counter() - t0:.1f} s", flush=True)
    results: dict[str, float] = {}
    results.update(bench_write(db, parts))
    print(json.dumps(results), flush=True)
    del parts
    gc.collect()
    results.update(bench_build(db))
    print(json.dumps(results), flush=True)
    results.update(bench_start(db, members[0], last[1]))
    print(json.dumps(results), flush=True)
    results.update(bench_patch(db, members, args.patch))
    print(json.dumps({k: round(v, 3) for k, v in results.items()}, indent=1), flush=True)
    print(f"load {Path('/proc/loadavg').read_text().split()[:3]}", flush=True)


if __name__ == "__main__":
    main()
