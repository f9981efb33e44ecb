"""Benchmark: ``warmintro import edges`` of a 1M-tie pooled-team edge list (issue 19).

Target: 1M ties in <= 10 s on the embedded backend. The file is the pooled-team shape of
:func:`demo.team_graph.team_graph` written as an edge list with a people file, the way a
team would export it from a CRM: slug ids, names, companies, titles; most endpoints are
ids, some are LinkedIn URLs or emails of listed people (resolved by the directory); a
strength on every row and a free-text ``context`` column on some (kept as evidence notes).

Same run, same files:

- baselines: a bare ``csv.reader`` pass over both files; a raw SQLite ``executemany`` of
  the same rows (people and evidence, JSON precomputed) into tables of the same shape and
  indexes, one WAL transaction with the store's pragmas (the floor any SQLite importer pays);
- the full path in process, exactly as the CLI runs it (``cli.common.run``: settings, store,
  app db, planner with suppressions, ``services.imports.run_import``) into a fresh data dir;
- the same steps one by one with a timer each: read/decode, parse, identity resolution,
  batch build, keeping other sources' fields, the erasure filter, the store write;
- the store write taken apart on the same batch (row encoding, each ``executemany``, index
  maintenance, the commit's fsync), so whoever changes
  ``graph/store/embedded.py`` knows what each part costs;
- with ``--via-cli``: ``warmintro import edges`` itself, end to end, in a fresh process.

    .venv/bin/python scripts/bench_import_edges.py [--ties 1000000] [--repeat 3] [--via-cli]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import gc
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from demo.data import FIRST, LAST
from demo.team_graph import team_graph
from graph.bulk import collector_paused
from graph.model import ImportBatch, Person, canonical_pair
from graph.store import codec
from graph.store.codec import evidence_to_json, interactions_in
from graph.store.embedded import (
    BIG_WRITE_CACHE_KIB,
    INSERT_PERSON,
    EmbeddedStore,
    _drop_secondary_indexes,
    _folded,
    _migrate,
    _person_row,
    connect,
)
from graph.store.view import rewrite_merged
from loaders import edges as edges_loader
from loaders.report import ImportReport
from services.access import Viewer
from services.appdb import AppDB
from services.imports import ImportKind, ImportRequest, keep_other_sources, run_import
from services.runtime import make_planner, open_store
from services.settings import Settings

WORKSPACE = "default"
evidence_json_column = getattr(codec, "evidence_json_column", None)  # absent before this work
_TITLES = (
    "Engineer",
    "Senior Engineer",
    "Product Manager",
    "Head of Sales",
    "Account Executive",
    "Designer",
    "CTO",
    "VP Engineering",
    "Data Scientist",
    "Recruiter",
    "Founder",
    "Partner",
)
_COMPANY_WORDS = (
    "Acme",
    "Northwind",
    "Cloudkite",
    "Bluefin",
    "Helix",
    "Orbital",
    "Lumen",
    "Quarry",
    "Tessera",
    "Vantage",
    "Zephyr",
    "Juniper",
    "Kestrel",
    "Meridian",
    "Nimbus",
    "Redwood",
)
_COMPANY_KINDS = ("Labs", "Health", "Payments", "Systems")
_CONTEXTS = (
    "mail",
    "crm",
    "met at a conference",
    "colleagues at {c}",
    "intro'd by a customer",
    'worked together on "Project {n}"',
    "school friends, class of {y}",
)


@dataclass(slots=True)
class EdgeFiles:
    edges: Path
    people: Path
    ties: int
    people_rows: int
    by_url: int
    by_email: int
    with_context: int


def generate(folder: Path, ties: int, seed: int) -> EdgeFiles:
    """A ``source,target,strength,context`` CSV of ``ties`` distinct ties and its people file.

    The graph is ``team_graph`` asked for more ties than wanted (its contact-to-contact
    layer repeats some pairs), cut at the first ``ties`` distinct pairs in its order.
    """
    rng = random.Random(seed)
    asked = int(ties * 1.05) + 1_000
    while True:
        seen: set[tuple[str, str]] = set()
        chosen: list[tuple[str, str, float]] = []
        for u, v, s, _mask in team_graph(asked, seed=seed).edges:
            pair = canonical_pair(u, v)
            if pair in seen:
                continue
            seen.add(pair)
            chosen.append((u, v, s))
            if len(chosen) == ties:
                break
        if len(chosen) == ties:
            break
        asked = int(asked * ties / len(chosen) * 1.02) + 1_000
    del seen
    ends = sorted({x for u, v, _ in chosen for x in (u, v)})
    slug: dict[str, str] = {}
    rows = []
    companies = [
        f"{rng.choice(_COMPANY_WORDS)} {rng.choice(_COMPANY_KINDS)} {i}"
        for i in range(max(10, len(ends) // 40))
    ]
    for i, raw in enumerate(ends):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        s = f"{first}-{last}-{i:x}".casefold().replace("'", "").replace(" ", "-")
        slug[raw] = s
        email = f"{s}@{rng.choice(_COMPANY_WORDS).lower()}.example" if rng.random() < 0.5 else ""
        url = f"https://www.linkedin.com/in/{s}" if rng.random() < 0.8 else ""
        rows.append(
            [
                s,
                f"{first} {last}",
                companies[int(rng.paretovariate(1.1)) % len(companies)],
                rng.choice(_TITLES),
                email.upper() if email and rng.random() < 0.1 else email,
                url,
            ]
        )
    email_of = {r[0]: r[4].lower() for r in rows if r[4]}
    url_of = {r[0]: r[5] for r in rows if r[5]}
    people_path = folder / "people.csv"
    with people_path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "company", "position", "email", "url"])
        w.writerows(rows)
    by_url = by_email = with_context = 0

    def ref(raw: str) -> str:
        nonlocal by_url, by_email
        s = slug[raw]
        r = rng.random()
        if r < 0.06 and s in url_of:
            by_url += 1
            written = url_of[s]
            # As people paste them: some without scheme or with a trailing slash.
            return written if r < 0.04 else written.removeprefix("https://www.") + "/"
        if 0.06 <= r < 0.10 and s in email_of:
            by_email += 1
            return email_of[s]
        return s

    edges_path = folder / "edges.csv"
    with edges_path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["source", "target", "strength", "context"])
        for u, v, s in chosen:
            context = ""
            if rng.random() < 0.3:
                with_context += 1
                context = rng.choice(_CONTEXTS).format(
                    c=rng.choice(companies), n=rng.randrange(100), y=rng.randrange(1990, 2024)
                )
            w.writerow([ref(u), ref(v), f"{s:.3f}", context])
    return EdgeFiles(
        edges_path, people_path, len(chosen), len(rows), by_url, by_email, with_context
    )


# -- baselines -------------------------------------------------------------------------------
def csv_pass(files: EdgeFiles) -> int:
    """Every row of both files through ``csv.reader``, nothing else."""
    rows = 0
    for path in (files.edges, files.people):
        with path.open(newline="", encoding="utf-8-sig") as f:
            for _ in csv.reader(f):
                rows += 1
    return rows


def raw_rows(files: EdgeFiles) -> tuple[list[tuple[str, ...]], list[tuple[Any, ...]]]:
    """People and evidence rows as the store's tables hold them (schema v2, folded columns
    included), from a plain csv pass: endpoints as written, JSON as the codec writes it
    for a rating and maybe a note. Built before the clock starts."""
    owner = f"file:{files.edges.name}"
    with files.people.open(newline="", encoding="utf-8") as f:
        people = [
            (WORKSPACE, *r[:6], "[]", "[]", *_folded(Person(*r[:6])))
            for r in list(csv.reader(f))[1:]
        ]
    evidence = []
    with files.edges.open(newline="", encoding="utf-8") as f:
        it = csv.reader(f)
        next(it)
        for source, target, strength, context in it:
            a, b = canonical_pair(source, target)
            data: dict[str, Any] = {"rating": float(strength)}
            if context:
                data["notes"] = [["context", context]]
            evidence.append((WORKSPACE, a, b, owner, 0, json.dumps(data, separators=(",", ":"))))
    return people, evidence


def raw_sqlite(
    db: Path,
    people: list[tuple[str, ...]],
    evidence: list[tuple[Any, ...]],
    *,
    tuned: bool,
) -> float:
    """The floor: the store's schema (v2) and pragmas, two ``executemany`` calls, one
    commit. ``tuned``: what a careful bulk loader adds (the store's own first-load path):
    rows in primary-key order (sorted before the clock), a 256 MiB page cache, the
    secondary indexes built after the rows in the same transaction."""
    conn = connect(db)
    _migrate(conn)
    if tuned:
        people, evidence = sorted(people), sorted(evidence)
        conn.execute(f"PRAGMA cache_size=-{BIG_WRITE_CACHE_KIB}")
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    deferred = _drop_secondary_indexes(conn) if tuned else []
    conn.executemany(INSERT_PERSON, people)
    conn.executemany("INSERT OR REPLACE INTO evidence VALUES (?,?,?,?,?,?)", evidence)
    for sql in deferred:
        conn.execute(sql)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


# -- the real path ------------------------------------------------------------------------------
def fresh_settings(root: Path) -> Settings:
    return Settings(data_dir=root, workspace=WORKSPACE)


def full_import(files: EdgeFiles, root: Path) -> tuple[float, ImportReport]:
    """What ``warmintro import edges --people`` runs (cli.common.run + cli.main._import)."""
    settings = fresh_settings(root)

    async def go() -> ImportReport:
        store = open_store(settings)
        appdb = AppDB(settings.data_dir / "app.db")
        store.use_view_options(appdb.view_options)
        try:
            planner = make_planner(settings, store)
            request = ImportRequest(ImportKind.EDGES, files.edges, people_path=files.people)
            return await run_import(planner, Viewer(settings.workspace), request)
        finally:
            await store.close()
            appdb.close()

    started = time.perf_counter()
    report = asyncio.run(go())
    return time.perf_counter() - started, report


@dataclass(slots=True)
class Phases:
    """Wall and CPU seconds of each step (CPU: this process, all threads; the machine is
    shared, so wall time includes waiting for a core and for the disk)."""

    wall: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)

    @contextlib.contextmanager
    def timed(self, name: str) -> Iterator[None]:
        started, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - started
            self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - cpu


def phased_import(files: EdgeFiles, root: Path) -> tuple[Phases, ImportBatch]:
    """The steps of :func:`services.imports.run_import` for this request, one timer each
    (the same functions in the same order; an admin viewer, so no shadowing step)."""
    settings = fresh_settings(root)
    phases = Phases()
    name = files.edges.name

    async def go() -> ImportBatch:
        with phases.timed("open store, app db, planner"):
            store = open_store(settings)
            appdb = AppDB(settings.data_dir / "app.db")
            store.use_view_options(appdb.view_options)
            planner = make_planner(settings, store)
        try:
            with phases.timed("existing people"):
                existing = await store.people(WORKSPACE)
            with phases.timed("read + decode"):
                text = edges_loader._text(files.edges)
                people_text = edges_loader._text(files.people)
            new_api = hasattr(edges_loader, "resolve_endpoints")
            old_api: Any = edges_loader  # the code before this benchmark (its "before" run)
            with phases.timed("parse"):
                if new_api:
                    rows = edges_loader.parse_edges_csv(text, name)
                    listed = edges_loader.parse_people_csv(people_text, files.people.name)
                else:
                    rows = old_api.parse_edges_csv(old_api.strict_rows(text, name), name)
                    listed = old_api.parse_people_csv(
                        old_api.strict_rows(people_text, files.people.name), files.people.name
                    )
            del text, people_text
            report = ImportReport(source=name)
            if new_api:
                with phases.timed("identity resolution"):
                    resolved = edges_loader.resolve_endpoints(
                        rows, listed, file=name, existing=existing, report=report
                    )
                with phases.timed("batch build"):
                    batch = edges_loader.batch_of(
                        rows, resolved, file=name, owner=f"file:{name}", report=report
                    )
            else:
                with phases.timed("identity resolution + batch build"):
                    batch = edges_loader.assemble_batch(
                        rows,
                        listed,
                        file=name,
                        owner=f"file:{name}",
                        existing=existing,
                        report=report,
                    )
            with phases.timed("keep other sources' fields"):
                batch = await keep_other_sources(planner, WORKSPACE, ImportKind.EDGES, batch)
            assert planner.suppressions is not None
            with phases.timed("erasure filter"):
                batch = planner.suppressions.filter(WORKSPACE, batch, report)
            with phases.timed("store write (EmbeddedStore.apply)"):
                await store.apply(WORKSPACE, batch)
            return batch
        finally:
            with phases.timed("close"):
                await store.close()
                appdb.close()

    with collector_paused():  # as run_import does (graph.bulk)
        batch = asyncio.run(go())
    return phases, batch


def dissect_store_write(batch: ImportBatch, root: Path) -> dict[str, float]:
    """``EmbeddedStore.apply_sync`` on this batch taken apart: the same statements and
    rows, each part timed, in fresh databases with the store's schema and pragmas."""
    out: dict[str, float] = {}
    t = time.perf_counter()
    evidence = rewrite_merged(batch, {})
    out["rewrite_merged (pairs, flips)"] = time.perf_counter() - t
    t = time.perf_counter()
    people_rows = [_person_row(WORKSPACE, p) for p in batch.people]
    out["people rows (_person_row: JSON lists, folded columns)"] = time.perf_counter() - t
    t = time.perf_counter()
    jsons = [evidence_to_json(e) for _pair, e in evidence]
    out["evidence_to_json per row"] = time.perf_counter() - t
    if evidence_json_column is not None:
        t = time.perf_counter()
        evidence_json_column(e for _pair, e in evidence)
        out["evidence_json_column (shared records encoded once)"] = time.perf_counter() - t
    t = time.perf_counter()
    counts = [interactions_in(e) for _pair, e in evidence]
    out["interactions_in"] = time.perf_counter() - t
    ev_rows = [
        (WORKSPACE, a, b, e.owner, n, j)
        for ((a, b), e), n, j in zip(evidence, counts, jsons, strict=True)
    ]

    def sql(
        db: Path,
        *,
        sync: str = "FULL",
        evidence_b: bool = True,
        late_index: bool = False,
        secure_delete: str = "ON",
        sort: bool = False,
        cache_kib: int = 0,
        all_late: bool = False,
    ) -> dict[str, float]:
        conn = connect(db)
        conn.execute(f"PRAGMA synchronous={sync}")
        conn.execute(f"PRAGMA secure_delete={secure_delete}")
        if cache_kib:
            conn.execute(f"PRAGMA cache_size=-{cache_kib}")
        _migrate(conn)  # the store's schema, v2 (folded columns and their indexes)
        if not evidence_b or late_index:
            conn.execute("DROP INDEX IF EXISTS evidence_b")
        rows = sorted(ev_rows) if sort else ev_rows
        people = sorted(people_rows) if sort else people_rows
        times: dict[str, float] = {}
        cpu = time.process_time()
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        deferred = _drop_secondary_indexes(conn) if all_late else []
        conn.executemany(INSERT_PERSON, people)
        t1 = time.perf_counter()
        conn.executemany("INSERT OR REPLACE INTO evidence VALUES (?,?,?,?,?,?)", rows)
        t2 = time.perf_counter()
        if late_index:
            conn.execute("CREATE INDEX evidence_b ON evidence (workspace, b)")
        for statement in deferred:
            conn.execute(statement)
        t3 = time.perf_counter()
        conn.execute("COMMIT")
        t4 = time.perf_counter()
        cpu = time.process_time() - cpu
        wal = Path(f"{db}-wal").stat().st_size / 2**20
        conn.close()
        times["people executemany"] = t1 - t0
        times["evidence executemany"] = t2 - t1
        if late_index or all_late:
            times["indexes built after"] = t3 - t2
        times["COMMIT (WAL write + fsync)"] = t4 - t3
        times["total"] = t4 - t0
        times["total CPU (user + sys)"] = cpu
        times["WAL MiB at commit"] = wal
        return times

    for label, kwargs in (
        ("as the store does it", {}),
        ("synchronous=NORMAL", {"sync": "NORMAL"}),
        ("without the evidence_b index", {"evidence_b": False}),
        ("evidence_b built after the inserts", {"late_index": True}),
        ("rows sorted by primary key", {"sort": True}),
        ("cache_size 512 MiB", {"cache_kib": 512 * 1024}),
        (
            "cache_size 512 MiB, sorted, evidence_b built after",
            {"cache_kib": 512 * 1024, "sort": True, "late_index": True},
        ),
        (
            "the store's first load: 256 MiB, sorted, every secondary index after",
            {"cache_kib": BIG_WRITE_CACHE_KIB, "sort": True, "all_late": True},
        ),
    ):
        for k, v in sql(root / f"{label.replace(' ', '_')}.db", **kwargs).items():  # type: ignore[arg-type]
            out[f"SQL {label}: {k}"] = v
    return out


def apply_seconds(batch: ImportBatch, root: Path) -> tuple[float, float]:
    """``EmbeddedStore.apply_sync`` whole on this batch into a fresh store (the first-load
    path), wall and CPU seconds."""
    store = EmbeddedStore(root / "whole.db")
    t, cpu = time.perf_counter(), time.process_time()
    store.apply_sync(WORKSPACE, batch)
    whole, cpu = time.perf_counter() - t, time.process_time() - cpu
    asyncio.run(store.close())
    return whole, cpu


def via_cli(files: EdgeFiles, root: Path) -> float:
    """``warmintro import edges FILE --people FILE --json`` in a fresh process (its CPU
    seconds and peak RSS printed beside the wall time)."""
    exe = Path(sys.executable).with_name("warmintro")
    env = {**os.environ, "WARMINTRO_DATA_DIR": str(root), "WARMINTRO_WORKSPACE": WORKSPACE}
    command = [str(exe), "import", "edges", str(files.edges), "--people", str(files.people)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [*command, "--json"], env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"CLI import failed ({done.returncode}): {done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    print(
        f"  CLI report: {report['people']:,} people, {report['relationships']:,} relationships;"
        f" wall {elapsed:.2f} s, CPU {cpu:.2f} s (user {after.ru_utime - before.ru_utime:.2f}"
        f" + sys {after.ru_stime - before.ru_stime:.2f}), peak RSS of the largest child so"
        f" far {after.ru_maxrss / 1024:,.0f} MiB"
    )
    return elapsed


def check_store(root: Path, files: EdgeFiles) -> None:
    """The data dir holds what the file says: every tie once, every listed person."""
    conn = sqlite3.connect(root / "warmintro.db")
    people = conn.execute("SELECT count(*) FROM people").fetchone()[0]
    ties = conn.execute("SELECT count(*) FROM evidence").fetchone()[0]
    conn.close()
    if ties != files.ties or people != files.people_rows:
        raise SystemExit(
            f"store holds {ties:,} ties and {people:,} people; expected {files.ties:,} and"
            f" {files.people_rows:,}"
        )


def raw_baseline(files: EdgeFiles, root: Path, repeat: int) -> float:
    """Both floors; the tuned one (what the store's first load does) is returned."""
    people, evidence = raw_rows(files)
    medians = {}
    for tuned in (False, True):
        median, runs = median_of(
            repeat,
            lambda i, t=tuned: raw_sqlite(  # type: ignore[misc]
                root / f"raw{i}-{t}.db", people, evidence, tuned=t
            ),
        )
        label = "sorted, 256 MiB cache, indexes after" if tuned else "file order, default cache"
        print(
            f"baseline raw SQLite ({len(people):,} people + {len(evidence):,} evidence rows,"
            f" one WAL transaction, synchronous=FULL, {label}): median {_fmt(runs)}"
        )
        medians[tuned] = median
    return medians[True]


def median_of(repeat: int, run: Callable[[int], float]) -> tuple[float, list[float]]:
    times = []
    for i in range(repeat):
        gc.collect()
        times.append(run(i))
    return statistics.median(times), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--via-cli", action="store_true", help="also time the CLI command")
    parser.add_argument("--no-dissect", action="store_true", help="skip the store-write parts")
    parser.add_argument("--keep", type=Path, help="write the files here and reuse them")
    parser.add_argument(
        "--parts",
        default="baselines,full,phases,dissect",
        help="which parts to run, comma-separated (--via-cli adds the CLI runs)",
    )
    args = parser.parse_args()
    parts = set(args.parts.split(",")) - ({"dissect"} if args.no_dissect else set())
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = edge_files(args.keep or root / "files", args.ties, args.seed, keep=bool(args.keep))
        figures: dict[str, float] = {}
        if "baselines" in parts:
            baselines(files, root, args.repeat, figures)
        if "full" in parts:
            full_runs(files, root, args.repeat, figures)
        if parts & {"phases", "dissect"}:
            phases_and_parts(files, root, args.repeat, dissect="dissect" in parts)
        if args.via_cli:
            cli_runs(files, root, args.repeat, figures)
        target = figures.get("warmintro import edges (CLI)") or figures.get("full import")
        if target is not None:
            print(
                f"target <= 10 s for {files.ties:,} ties: {'MET' if target <= 10 else 'MISSED'} "
                f"({target:.2f} s); load {Path('/proc/loadavg').read_text().split()[:3]}"
            )


def edge_files(folder: Path, ties: int, seed: int, *, keep: bool) -> EdgeFiles:
    """The benchmark's files; with ``--keep``, the ones written by an earlier run."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / f"manifest-{ties}-{seed}.json"
    started = time.perf_counter()
    if keep and manifest.is_file():
        kept = json.loads(manifest.read_text())
        files = EdgeFiles(**{**kept, "edges": Path(kept["edges"]), "people": Path(kept["people"])})
    else:
        files = generate(folder, ties, seed)
        fields = asdict(files)
        manifest.write_text(
            json.dumps({k: v if isinstance(v, int) else str(v) for k, v in fields.items()})
        )
    print(
        f"files ready in {time.perf_counter() - started:.1f} s: {files.ties:,} ties "
        f"({files.edges.stat().st_size / 2**20:.1f} MiB), {files.people_rows:,} people "
        f"({files.people.stat().st_size / 2**20:.1f} MiB); endpoints by URL {files.by_url:,}, "
        f"by email {files.by_email:,}; rows with a context note {files.with_context:,}"
    )
    return files


def baselines(files: EdgeFiles, root: Path, repeat: int, figures: dict[str, float]) -> None:
    rows = 0

    def floor(_i: int) -> float:
        nonlocal rows
        started = time.perf_counter()
        rows = csv_pass(files)
        return time.perf_counter() - started

    figures["baseline: csv.reader pass"], runs = median_of(repeat, floor)
    print(f"baseline csv.reader pass over {rows:,} rows: median {_fmt(runs)}")
    figures["baseline: raw SQLite executemany"] = raw_baseline(files, root, repeat)


def full_runs(files: EdgeFiles, root: Path, repeat: int, figures: dict[str, float]) -> None:
    reports: list[ImportReport] = []
    cpus: list[float] = []

    def full(i: int) -> float:
        data = root / f"full{i}"
        cpu = time.process_time()
        elapsed, report = full_import(files, data)
        cpus.append(time.process_time() - cpu)
        check_store(data, files)
        reports.append(report)
        return elapsed

    figures["full import"], runs = median_of(repeat, full)
    report = reports[-1]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"full import in process (run_import, as the CLI): median {_fmt(runs)}, "
        f"CPU {statistics.median(cpus):.3f} s; {report.people:,} people, "
        f"{report.relationships:,} ties; {files.ties / figures['full import']:,.0f} ties/s; "
        f"peak RSS of this process so far {peak:,.0f} MiB"
    )
    for note in report.notes[:3]:
        print(f"  note: {note}")


def phases_and_parts(files: EdgeFiles, root: Path, repeat: int, *, dissect: bool) -> None:
    phase_runs: list[Phases] = []
    batch = None
    for i in range(repeat):
        gc.collect()
        phases, batch = phased_import(files, root / f"phased{i}")
        phase_runs.append(phases)
    print("phases (median of the runs; wall s, CPU s):")
    total = total_cpu = 0.0
    for name in phase_runs[0].wall:
        wall = statistics.median(p.wall[name] for p in phase_runs)
        cpu = statistics.median(p.cpu[name] for p in phase_runs)
        total, total_cpu = total + wall, total_cpu + cpu
        print(f"  {name:<40} {wall:7.3f} {cpu:7.3f}")
    print(f"  {'sum':<40} {total:7.3f} {total_cpu:7.3f}")
    if dissect and batch is not None:
        print("store write taken apart (one run, seconds unless named):")
        whole, cpu = apply_seconds(batch, root)
        print(f"  {'EmbeddedStore.apply_sync, whole (wall)':<60} {whole:7.3f}")
        print(f"  {'EmbeddedStore.apply_sync, whole (CPU)':<60} {cpu:7.3f}")
        for name, value in dissect_store_write(batch, root).items():
            print(f"  {name:<60} {value:7.3f}")


def cli_runs(files: EdgeFiles, root: Path, repeat: int, figures: dict[str, float]) -> None:
    def cli(i: int) -> float:
        data = root / f"cli{i}"
        elapsed = via_cli(files, data)
        check_store(data, files)
        return elapsed

    figures["warmintro import edges (CLI)"], runs = median_of(repeat, cli)
    print(f"warmintro import edges, end to end: median {_fmt(runs)}")


def _fmt(runs: list[float]) -> str:
    return f"{statistics.median(runs):.3f} s (runs: {', '.join(f'{r:.3f}' for r in runs)})"


if __name__ == "__main__":
    main()
