"""Many workspaces on one Neo4j, served by two workers within a view budget (issue 19).

Two measurements, each with its same-run baseline:

``build``: one pooled-team workspace (``demo.team_graph.team_graph(--ties)``) in
Neo4j; in fresh child processes, the planning view built as before (the whole
workspace in one record per query: ``all_people``, ``all_evidence``) and as now
(``Neo4jStore``: pages of ids, interned strings). Per build: the resident set
before, its peak (``VmHWM``) and after (view kept, ``gc.collect`` and
``malloc_trim``), and the store's size estimate (graph.store.view_cache) against
the measured growth. Alternating repeats, medians.

``serve``: ``--workspaces`` pooled-team workspaces of ``--ties`` each
(``team_graph(ties, seed=k)``), loaded once into one Neo4j, served by
``warmintro serve --workers 2`` twice: with ``WARMINTRO_NEO4J_VIEW_BUDGET_MB``
and without a budget (0). The same client run each time: trustedPath (max 3
hops) over HTTP for member -> target pairs, workspaces drawn skewed (``--hot``
of them get ``--hot-share`` of the requests), ``--clients`` at a time, a new
connection per request so the kernel spreads them over both workers. Reported:
each worker's resident set over time against the budget, p50/p99 for hits and
misses (a miss: a view of the request's workspace was built, in either worker,
while the request was open; from the store's ``view_built`` log lines), the hit
rate, and whether the two runs answered every request identically.

The import files and request pairs are written once under ``--cache`` and reused
(``--prepare-only`` writes them and stops), so loading and serving can take separate
lock holds on one kept instance: ``--load bulk --load-only --keep``, then ``--load kept``
with the budgets to serve (``--budgets 256,512,0``; each run is saved beside the files).
``report`` prints the saved runs; ``check`` compares every distinct served answer with an
exhaustive hop-layered search over the workspace's view (scripts/bench_planner.py).

    .venv/bin/python scripts/bench_neo4j_workspaces.py build --ties 1000000
    .venv/bin/python scripts/bench_neo4j_workspaces.py serve --workspaces 200 --prepare-only
    .venv/bin/python scripts/bench_neo4j_workspaces.py serve --workspaces 200 --load bulk \\
        --load-only --keep --instance ws200
    .venv/bin/python scripts/bench_neo4j_workspaces.py serve --workspaces 200 --load kept \\
        --keep --instance ws200 --requests 1000 --budgets 256,512,0 --baseline-cap-mb 1024
    .venv/bin/python scripts/bench_neo4j_workspaces.py check --budgets 256,512,0 --instance ws200
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
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import httpx  # noqa: E402
from bench_neo4j import server_module  # noqa: E402
from neo4j import AsyncGraphDatabase  # noqa: E402

from demo.team_graph import PUBLIC_BIT, TeamGraph, team_graph  # noqa: E402
from graph.model import Evidence, ImportBatch, Member, Person, Relationship  # noqa: E402
from graph.store.neo4j import Neo4jStore  # noqa: E402
from graph.store.neo4j_import import ImportFiles, admin_args, write_import_files  # noqa: E402

INSTANCE = "bench-workspaces"
QUERY = (
    "query($f: String!, $t: String!) { trustedPath(from: $f, to: $t, maxHops: 3) "
    "{ __typename ... on Path { probability hops } ... on NoPath { reason } } }"
)


def team_batch(tg: TeamGraph) -> ImportBatch:
    """The team graph as an import: each member's ties are that member's evidence (a
    rating); teammate ties are left out, the view implies them from the members."""
    owner_of = {bit: m for m, bit in tg.member_bits.items()}
    ties: dict[tuple[str, str], dict[str, float]] = {}
    for u, v, s, mask in tg.edges:
        if mask == PUBLIC_BIT:
            continue
        a, b = (u, v) if u < v else (v, u)
        owners = ties.setdefault((a, b), {})
        owner = owner_of[mask]
        owners[owner] = max(owners.get(owner, 0.0), round(s, 6))
    ids = sorted({x for pair in ties for x in pair} | set(tg.members))
    people = [Person(i, f"Person {i}") for i in ids]
    rels = [
        Relationship(a, b, tuple(Evidence(o, rating=r) for o, r in sorted(owners.items())))
        for (a, b), owners in ties.items()
    ]
    return ImportBatch(people=people, relationships=rels, members=[Member(m) for m in tg.members])


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def trimmed_rss() -> int:
    gc.collect()
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    return rss()


def status_kb(pid: int | str, field: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    ordered = sorted(xs)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


# -- build: peak and final memory of one view build ---------------------------------------------
async def load(info: Any, workspace: str, batch: ImportBatch, chunk: int) -> None:
    driver = AsyncGraphDatabase.driver(info.uri, auth=(info.user, info.password))
    store = Neo4jStore(driver, owns_driver=True)
    try:
        if (await store.stats(workspace)).relationships:
            return
        # Several transactions: one for a million ties needs an 8 GiB heap.
        people = batch.people
        for i in range(0, len(people), chunk):
            await store.apply(workspace, ImportBatch(people=people[i : i + chunk]))
        rels = batch.relationships
        for i in range(0, len(rels), chunk):
            await store.apply(workspace, ImportBatch(relationships=rels[i : i + chunk]))
        await store.apply(workspace, ImportBatch(members=batch.members))
    finally:
        await store.close()


async def child_build(method: str, uri: str, user: str, password: str, workspace: str) -> None:
    """In a fresh process: build one view and print the memory it took, as JSON."""
    from graph.store import neo4j as neo4j_store
    from graph.store.codec import person_from_dict
    from graph.store.view import build_view
    from graph.store.view_cache import view_size
    from graph.strength import StrengthWeights

    driver = AsyncGraphDatabase.driver(uri, auth=(user, password))
    store = Neo4jStore(driver, owns_driver=True)
    await store.stats(workspace)  # connection, schema, driver buffers: before the baseline
    before = trimmed_rss()
    started = time.perf_counter()
    if method == "streamed":
        view = await store.planning_view(workspace)
    else:  # the code this replaced, verbatim: one record per query, in one transaction
        from datetime import date

        async def snapshot(tx: Any) -> Any:
            run = neo4j_store._run
            rows = (await run(tx, "all_people", workspace=workspace))[0]["people"]
            people = {p.id: p for p in map(person_from_dict, rows)}
            evidence: neo4j_store.Evidences = {}
            neo4j_store._collect_evidence(
                (await run(tx, "all_evidence", workspace=workspace))[0], evidence
            )
            members = [r["person_id"] for r in await run(tx, "members", workspace=workspace)]
            return people, evidence, members

        people, evidence, members = await store._transact(snapshot, write=False)
        view = build_view(
            people,
            evidence,
            members,
            as_of=date.today(),
            weights=StrengthWeights(),
            details=people,
        )
        del people, evidence, members
    seconds = time.perf_counter() - started
    after = trimmed_rss()
    peak = status_kb("self", "VmHWM") * 1024
    out = {
        "method": method,
        "seconds": seconds,
        "before": before,
        "peak": peak,
        "after": after,
        "estimate": view_size(view),
        "ties": len(view.evidence),
        "nodes": len(view.graph),
    }
    await store.close()
    print(json.dumps(out))


def build_main(args: argparse.Namespace) -> None:
    server = server_module()
    info = server.start(INSTANCE)
    workspace = f"build{args.ties}"
    t0 = time.perf_counter()
    batch = team_batch(team_graph(args.ties, seed=1))
    n_ties = len(batch.relationships)
    asyncio.run(load(info, workspace, batch, 50_000))
    print(
        f"workspace {workspace}: {n_ties:,} ties, {len(batch.people):,} people "
        f"(generated and loaded in {time.perf_counter() - t0:.0f} s)",
        flush=True,
    )
    del batch
    credentials = (info.uri, info.user, info.password)
    results: dict[str, list[dict[str, Any]]] = {"one-shot (before)": [], "streamed (now)": []}
    for _ in range(args.repeats):
        for label, method in (("one-shot (before)", "oneshot"), ("streamed (now)", "streamed")):
            out = subprocess.run(
                [sys.executable, __file__, "child-build", method, *credentials, workspace],
                capture_output=True,
                text=True,
                check=True,
            )
            row = json.loads(out.stdout.strip().splitlines()[-1])
            results[label].append(row)
            print(label, {k: v for k, v in row.items() if k != "method"}, flush=True)
    mib = 2**20
    print(f"\n{n_ties:,} ties; medians of {args.repeats} alternating runs, fresh process each")
    print("| build | seconds | peak growth MiB | retained MiB | peak / retained | estimate MiB |")
    print("|---|---|---|---|---|---|")
    for label, rows in results.items():
        peak = median([r["peak"] - r["before"] for r in rows])
        kept = median([r["after"] - r["before"] for r in rows])
        est = median([r["estimate"] for r in rows])
        secs = median([r["seconds"] for r in rows])
        print(
            f"| {label} | {secs:.1f} | {peak / mib:,.0f} | {kept / mib:,.0f} | "
            f"{peak / kept:.2f} | {est / mib:,.0f} |"
        )
    if not args.keep:
        server.stop(INSTANCE)


# -- serve: many workspaces, two workers, a budget --------------------------------------------
def pick_pairs(tg: TeamGraph, n: int, seed: int) -> list[tuple[str, str]]:
    """Member -> target pairs, the target 1-3 hops from the member (over all ties)."""
    rng = random.Random(seed)
    adj: dict[str, list[str]] = {}
    for u, v, _s, _m in tg.edges:
        adj.setdefault(u, []).append(v)
        adj.setdefault(v, []).append(u)
    out: list[tuple[str, str]] = []
    while len(out) < n:
        member = rng.choice(tg.members)
        at = member
        for _ in range(1 + len(out) % 3):
            at = rng.choice(adj[at])
        if at != member:
            out.append((member, at))
    return out


async def load_workspaces(info: Any, names: list[str], ties: int) -> dict[str, list[Any]]:
    driver = AsyncGraphDatabase.driver(info.uri, auth=(info.user, info.password))
    store = Neo4jStore(driver, owns_driver=True)
    pairs: dict[str, list[Any]] = {}
    started = time.perf_counter()
    loaded = 0
    try:
        for k, ws in enumerate(names):
            tg = team_graph(ties, seed=k)
            pairs[ws] = pick_pairs(tg, 8, seed=k)
            if (await store.stats(ws)).relationships:
                continue
            batch = team_batch(tg)
            await store.apply(ws, batch)
            loaded += len(batch.relationships)
            if k % 20 == 19:
                rate = loaded / (time.perf_counter() - started)
                print(f"  loaded {k + 1} workspaces ({rate:,.0f} ties/s)", flush=True)
    finally:
        await store.close()
    return pairs


def prepare(names: list[str], ties: int, cache: Path) -> list[dict[str, Any]]:
    """Every workspace's ``neo4j-admin`` input (graph.store.neo4j_import, one id space
    each) and request pairs, written once under ``cache`` and reused: a later serving
    run on a kept instance starts at once instead of regenerating 200 team graphs."""
    metas = []
    started = time.perf_counter()
    made = 0
    for k, ws in enumerate(names):
        directory = cache / f"ws{k}"
        meta_path = directory / "meta.json"
        if meta_path.exists():
            meta = json.loads(meta_path.read_text())
        else:
            tg = team_graph(ties, seed=k)
            batch = team_batch(tg)
            evidence = {(r.a, r.b): {e.owner: e for e in r.evidence} for r in batch.relationships}
            files = write_import_files(
                directory, ws, batch.people, evidence, batch.members, id_space=str(k)
            )
            meta = {
                "workspace": ws,
                "pairs": pick_pairs(tg, 8, seed=k),
                "expected": [len(batch.relationships), len(batch.members)],
                "files": {f: getattr(files, f) for f in FILE_FIELDS},
            }
            meta_path.write_text(json.dumps(meta))  # last: a cut-off write is redone
            made += 1
        metas.append(meta)
    total = sum(m["files"]["ties"] for m in metas)
    print(
        f"  files for {len(names)} workspaces, {total:,} ties: {made} written, "
        f"{len(names) - made} reused from {cache}, {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    return metas


FILE_FIELDS = ("people", "stubs", "ties", "evidence", "members", "merges", "multiline")


def bulk_load(server: Any, instance: str, metas: list[dict[str, Any]], cache: Path) -> Any:
    """Import every workspace's cached files in one ``neo4j-admin database import full``
    into a fresh instance, then check each workspace's stats equal its batch's counts."""
    files = [ImportFiles(cache / f"ws{k}", **meta["files"]) for k, meta in enumerate(metas)]
    total = sum(f.ties for f in files)
    server.stop(instance)
    started = time.perf_counter()
    info = server.start(instance, server.Extras(admin=(tuple(admin_args(files)),)))
    took = time.perf_counter() - started
    log = (server.RUN / instance / "admin.log").read_text(errors="replace")
    done = re.search(r"IMPORT DONE in (?:(\d+)m )?(\d+)s (\d+)ms", log)
    importer = "?"
    if done is not None:
        minutes, secs, millis = (int(x or 0) for x in done.groups())
        importer = f"{minutes * 60 + secs + millis / 1000:.1f}"
    print(
        f"  neo4j-admin import: {importer} s (IMPORT DONE), with the server's start "
        f"{took:.0f} s; {total / took:,.0f} ties/s on that wall clock",
        flush=True,
    )
    started = time.perf_counter()
    asyncio.run(check_stats(info, metas))
    print(
        f"  schema + stats of every workspace equal to its batch: "
        f"{time.perf_counter() - started:.0f} s",
        flush=True,
    )
    return info


async def check_stats(info: Any, metas: list[dict[str, Any]]) -> None:
    driver = AsyncGraphDatabase.driver(info.uri, auth=(info.user, info.password))
    store = Neo4jStore(driver, owns_driver=True)
    try:
        for meta in metas:  # the first call also makes the store's schema
            st = await store.stats(meta["workspace"])
            if [st.relationships, st.members] != meta["expected"]:
                raise SystemExit(f"{meta['workspace']}: stats {st}, expected {meta['expected']}")
    finally:
        await store.close()


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


class Sampler(threading.Thread):
    """Every worker's resident set, once a second."""

    def __init__(self, parent: int) -> None:
        super().__init__(daemon=True)
        self.parent = parent
        self.samples: list[tuple[float, dict[int, int]]] = []
        self.stop = threading.Event()

    def workers(self) -> list[int]:
        try:
            text = Path(f"/proc/{self.parent}/task/{self.parent}/children").read_text()
        except OSError:
            return []
        # Only the serving workers: not the multiprocessing helpers a worker may start.
        return [int(p) for p in text.split() if b"resource_tracker" not in _cmdline(int(p))]

    def run(self) -> None:
        t0 = time.monotonic()
        while not self.stop.wait(1.0):
            row = {}
            for pid in self.workers():
                with contextlib.suppress(OSError):
                    row[pid] = status_kb(pid, "VmRSS") * 1024
            self.samples.append((time.monotonic() - t0, row))

    def peak(self) -> int:
        """The largest worker resident set seen so far."""
        return max((v for _t, row in self.samples for v in row.values()), default=0)


def serve_once(
    args: argparse.Namespace,
    info: Any,
    data: Path,
    keys: dict[str, str],
    plan: list[tuple[str, str, str]],
    budget_mb: int,
) -> dict[str, Any]:
    port = 18000 + random.randint(0, 999)
    log_path = data / f"serve-{budget_mb}.log"
    env = {
        **os.environ,
        "WARMINTRO_BACKEND": "neo4j",
        "WARMINTRO_NEO4J_URI": info.uri,
        "WARMINTRO_NEO4J_USER": info.user,
        "WARMINTRO_NEO4J_PASSWORD": info.password,
        "WARMINTRO_DATA_DIR": str(data),
        "WARMINTRO_WORKSPACE": plan[0][0],
        "WARMINTRO_RATE_LIMIT_PER_MINUTE": "0",
        "WARMINTRO_QUERY_TIMEOUT_SECONDS": "60",
        "WARMINTRO_NEO4J_VIEW_BUDGET_MB": str(budget_mb),
    }
    workers = ("--workers", str(args.workers))
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [ROOT / ".venv" / "bin" / "warmintro", "serve", "--port", str(port), *workers],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    url = f"http://127.0.0.1:{port}/graphql"
    sampler = Sampler(server.pid)
    results: list[tuple[int, str, float, float, str]] = []
    cap = budget_mb == 0 and args.baseline_cap_mb
    try:
        deadline = time.monotonic() + 300
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                    break
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not come up")
            time.sleep(0.5)
        time.sleep(2)  # both workers up
        sampler.start()

        async def client(queue: asyncio.Queue[tuple[int, tuple[str, str, str]]]) -> None:
            # No keep-alive: each request opens a connection, so the kernel spreads them
            # over the workers (one long connection would stay with one worker).
            limits = httpx.Limits(max_keepalive_connections=0)
            async with httpx.AsyncClient(timeout=120, limits=limits) as http:
                await requests(http, queue)

        async def requests(
            http: httpx.AsyncClient, queue: asyncio.Queue[tuple[int, tuple[str, str, str]]]
        ) -> None:
            while True:
                if cap and sampler.peak() > cap * 2**20:
                    return  # the unbounded baseline stops before it takes the machine
                try:
                    idx, (ws, s, t) = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                body = {"query": QUERY, "variables": {"f": s, "t": t}}
                headers = {"Authorization": f"Bearer {keys[ws]}", "Connection": "close"}
                start = time.time()
                r = await http.post(url, json=body, headers=headers)
                end = time.time()
                r.raise_for_status()
                answer = r.json()["data"]["trustedPath"]
                results.append((idx, ws, start, end, json.dumps(answer, sort_keys=True)))

        async def drive() -> None:
            queue: asyncio.Queue[tuple[int, tuple[str, str, str]]] = asyncio.Queue()
            for item in enumerate(plan):
                queue.put_nowait(item)
            await asyncio.gather(*(client(queue) for _ in range(args.clients)))

        t0 = time.monotonic()
        asyncio.run(drive())
        wall = time.monotonic() - t0
        time.sleep(1.5)
    finally:
        sampler.stop.set()
        server.terminate()
        server.wait(timeout=60)
    builds = []
    for line in log_path.read_text().splitlines():
        with contextlib.suppress(ValueError):
            event = json.loads(line)
            if event.get("event") == "view_built":
                builds.append(event)
    by_ws: dict[str, list[tuple[float, float]]] = {}
    for b in builds:
        by_ws.setdefault(b["workspace"], []).append((b["started"], b["started"] + b["seconds"]))
    hits: list[float] = []
    misses: list[float] = []
    per_request: list[tuple[int, float, bool]] = []
    for i, ws, start, end, _ in results:
        missed = any(s < end and e > start for s, e in by_ws.get(ws, []))
        (misses if missed else hits).append((end - start) * 1000)
        per_request.append((i, (end - start) * 1000, missed))
    return {
        "per_request": per_request,
        "budget_mb": budget_mb,
        "wall": wall,
        "hits": hits,
        "misses": misses,
        "builds": builds,
        "samples": sampler.samples,
        "answers": {i: a for i, _ws, _s, _e, a in results},
    }


def serve_main(args: argparse.Namespace) -> None:
    from services.appdb import AppDB

    server = server_module()
    names = [f"team{args.ties}-{k}" for k in range(args.workspaces)]
    cache = cache_dir(args)
    t0 = time.perf_counter()
    if args.load == "apply":  # loads what is missing; generates every team graph again
        info = server.start(args.instance)
        pairs = asyncio.run(load_workspaces(info, names, args.ties))
    else:
        metas = prepare(names, args.ties, cache)
        if args.prepare_only:
            return
        if args.load == "bulk":
            info = bulk_load(server, args.instance, metas, cache)
        else:  # "kept": the instance a --keep'd bulk run left running
            info = server.running(args.instance)
            if info is None:
                raise SystemExit(f"no running instance {args.instance!r}: load it first")
            started = time.perf_counter()
            asyncio.run(check_stats(info, metas))
            print(
                f"  stats of every workspace equal to its batch: "
                f"{time.perf_counter() - started:.0f} s",
                flush=True,
            )
        pairs = {m["workspace"]: [tuple(p) for p in m["pairs"]] for m in metas}
    print(f"{len(names)} workspaces ready in {time.perf_counter() - t0:.0f} s", flush=True)
    if args.load_only:
        return
    rng = random.Random(11)
    hot = names[: args.hot]
    plan: list[tuple[str, str, str]] = []
    for _ in range(args.requests):
        ws = rng.choice(hot) if rng.random() < args.hot_share else rng.choice(names)
        s, t = rng.choice(pairs[ws])
        plan.append((ws, s, t))
    data = Path(tempfile.mkdtemp(prefix="bench-ws-", dir=ROOT / ".cache"))
    db = AppDB(data / "app.db")
    keys = {}
    for ws in names:
        db.create_workspace(ws)
        keys[ws] = db.create_key(ws, None)
    db.close()
    budgets = [int(b) for b in args.budgets.split(",")]
    for budget in budgets:
        print(f"serving with budget {budget or 'none'} MiB ... ({load_text()})", flush=True)
        run = serve_once(args, info, data, keys, plan, budget)
        run["plan"] = plan
        run["load"] = load_text()
        (cache / f"serve-{budget}.json").write_text(json.dumps(run))
        print(f"  done ({run['load']})", flush=True)
    if not args.keep:
        server.stop(args.instance)
    report_main(args)


def cache_dir(args: argparse.Namespace) -> Path:
    default = ROOT / ".cache" / f"bench-ws-{args.workspaces}x{args.ties}"
    return Path(args.cache) if args.cache else default


def load_text() -> str:
    return "load " + " ".join(Path("/proc/loadavg").read_text().split()[:3])


def report_main(args: argparse.Namespace) -> None:
    """The table of every serving run saved under the cache dir."""
    cache = cache_dir(args)
    runs = []
    for budget in (int(b) for b in args.budgets.split(",")):
        path = cache / f"serve-{budget}.json"
        if path.exists():
            runs.append(json.loads(path.read_text()))
    if not runs:
        raise SystemExit(f"no serving runs under {cache}")
    report(args, runs, [tuple(x) for x in runs[0]["plan"]])


def rebuilds(builds: list[dict[str, Any]]) -> int:
    """Builds of a workspace its worker had built before (after an eviction)."""
    seen: set[tuple[Any, str]] = set()
    again = 0
    for b in sorted(builds, key=lambda b: b["started"]):
        key = (b.get("pid"), b["workspace"])
        again += key in seen
        seen.add(key)
    return again


def report(args: argparse.Namespace, runs: list[dict[str, Any]], plan: list[Any]) -> None:
    mib = 2**20
    print(
        f"\n{args.workspaces} workspaces x ~{args.ties:,} ties, {len(plan)} trustedPath requests "
        f"({args.hot_share:.0%} to {args.hot} hot workspaces), {args.clients} clients, "
        f"{args.workers} workers"
    )
    print(
        "| budget | requests | wall s | req/s | all p50 / p99 ms | hit rate | hit p50 / p99 ms | "
        "miss p50 / p99 ms | builds | rebuilds | evictions | max worker RSS MiB | "
        "final worker RSS MiB | max estimated views MiB | load |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for run in runs:
        hits, misses = run["hits"], run["misses"]
        rate = len(hits) / max(1, len(hits) + len(misses))
        per_worker: dict[str, list[int]] = {}
        for _t, row in run["samples"]:
            for pid, value in row.items():
                per_worker.setdefault(str(pid), []).append(value)
        peak = max((max(v) for v in per_worker.values()), default=0)
        final = [v[-1] for v in per_worker.values()]
        builds = run["builds"]
        resident = max((b["resident"] for b in builds), default=0)
        evictions = sum(len(b["evicted"]) for b in builds)
        n = len(run["answers"])
        every = hits + misses
        print(
            f"| {run['budget_mb'] or 'none'} | {n} | {run['wall']:.0f} | {n / run['wall']:.1f} | "
            f"{pct(every, 0.5):.1f} / {pct(every, 0.99):.1f} | {rate:.1%} | "
            f"{pct(hits, 0.5):.1f} / {pct(hits, 0.99):.1f} | "
            f"{pct(misses, 0.5):.1f} / {pct(misses, 0.99):.1f} | {len(builds)} | "
            f"{rebuilds(builds)} | {evictions} | "
            f"{peak / mib:,.0f} | {', '.join(f'{f / mib:,.0f}' for f in final)} | "
            f"{resident / mib:,.0f} | {run.get('load', '?')} |"
        )
    for run in runs:
        print(f"\nworker RSS over time (MiB), budget {run['budget_mb'] or 'none'}:")
        samples = run["samples"]
        step = max(1, len(samples) // 12)
        for t, row in samples[::step] + samples[-1:]:
            cells = ", ".join(f"{v / mib:,.0f}" for _pid, v in sorted(row.items()))
            print(f"  t={t:5.0f} s: {cells}")
        builds = run["builds"]
        if builds:
            secs = [b["seconds"] for b in builds]
            print(
                f"  view builds: median {median(secs):.2f} s, max {max(secs):.2f} s; "
                f"estimated size median {median([b['bytes'] for b in builds]) / mib:.1f} MiB"
            )
    served = min(len(run["answers"]) for run in runs)
    if any(len(run["answers"]) > served for run in runs) and all("per_request" in r for r in runs):
        # The unbounded run stops at its cap: compare every run over the same first requests.
        print(f"\nthe first {served} requests of the plan only (what every run served):")
        print("| budget | all p50 / p99 ms | hit rate | hit p50 / p99 ms | miss p50 / p99 ms |")
        print("|---|---|---|---|---|")
        for run in runs:
            rows = [r for r in run["per_request"] if r[0] < served]
            every = [r[1] for r in rows]
            hit = [r[1] for r in rows if not r[2]]
            miss = [r[1] for r in rows if r[2]]
            spans = [f"{pct(xs, 0.5):.1f} / {pct(xs, 0.99):.1f}" for xs in (every, hit, miss)]
            rate = len(hit) / max(1, len(rows))
            print(
                f"| {run['budget_mb'] or 'none'} | {spans[0]} | {rate:.1%} | {spans[1]} | "
                f"{spans[2]} |"
            )
    a = runs[0]["answers"]
    if len(runs) > 1:
        b = runs[1]["answers"]
        both = a.keys() & b.keys()
        differ = sum(a[i] != b[i] for i in both)
        print(
            f"\nanswers compared request by request over the {len(both)} requests both runs "
            f"served: {differ} differ"
        )
    for run in runs:
        seen: dict[tuple[str, str, str], set[str]] = {}
        for i, answer in run["answers"].items():
            seen.setdefault(tuple(plan[int(i)]), set()).add(answer)
        twice = sum(len(v) > 1 for v in seen.values())
        found = sum('"Path"' in x for x in run["answers"].values())
        print(
            f"budget {run['budget_mb'] or 'none'}: pairs answered two ways: {twice}; "
            f"requests with a path: {found} of {len(run['answers'])}"
        )


def check_main(args: argparse.Namespace) -> None:
    """Every distinct request of the saved runs against an exhaustive hop-layered search
    (scripts/bench_planner.exhaustive, no pruning) over the workspace's view, built here
    one workspace at a time from the same Neo4j instance."""
    from bench_planner import exhaustive

    cache = cache_dir(args)
    answers: dict[tuple[str, str, str], set[str]] = {}
    for budget in (int(b) for b in args.budgets.split(",")):
        path = cache / f"serve-{budget}.json"
        if not path.exists():
            continue
        run = json.loads(path.read_text())
        for i, answer in run["answers"].items():
            answers.setdefault(tuple(run["plan"][int(i)]), set()).add(answer)
    server = server_module()
    info = server.running(args.instance)
    if info is None:
        raise SystemExit(f"no running instance {args.instance!r}")
    by_ws: dict[str, list[tuple[str, str]]] = {}
    for ws, s, t in answers:
        by_ws.setdefault(ws, []).append((s, t))

    async def run_checks() -> tuple[int, int]:
        driver = AsyncGraphDatabase.driver(info.uri, auth=(info.user, info.password))
        store = Neo4jStore(driver, owns_driver=True, view_budget=1)  # one view at a time
        checked = bad = 0
        try:
            for ws, pairs in sorted(by_ws.items()):
                view = await store.planning_view(ws)
                for s, t in pairs:
                    want = exhaustive(view.graph, s, t, 3)
                    for text in answers[(ws, s, t)]:
                        got = json.loads(text)
                        prob = got.get("probability", 0.0) if got["__typename"] == "Path" else 0.0
                        checked += 1
                        if not math.isclose(prob, want, rel_tol=1e-9, abs_tol=1e-15):
                            bad += 1
                            print(f"  mismatch {ws} {s} -> {t}: served {got}, exhaustive {want}")
        finally:
            await store.close()
        return checked, bad

    started = time.perf_counter()
    checked, bad = asyncio.run(run_checks())
    print(
        f"{checked} distinct answers ({len(answers)} pairs over {len(by_ws)} workspaces) "
        f"against the exhaustive search: {bad} mismatches ({time.perf_counter() - started:.0f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--ties", type=int, default=1_000_000)
    b.add_argument("--repeats", type=int, default=2)
    b.add_argument("--keep", action="store_true")
    s = sub.add_parser("serve")
    s.add_argument("--workspaces", type=int, default=200)
    s.add_argument("--ties", type=int, default=20_000)
    s.add_argument("--budget-mb", type=int, default=256)
    s.add_argument("--requests", type=int, default=4000)
    s.add_argument("--clients", type=int, default=4)
    s.add_argument("--workers", type=int, default=2)
    s.add_argument("--hot", type=int, default=10)
    s.add_argument("--hot-share", type=float, default=0.8)
    s.add_argument(
        "--baseline-cap-mb",
        type=int,
        default=2048,
        help="stop the unbounded run's client once a worker passes this (0: never)",
    )
    s.add_argument(
        "--load",
        choices=("bulk", "kept", "apply"),
        default="bulk",
        help="bulk: neo4j-admin import of every workspace into a fresh instance; apply: "
        "Neo4jStore.apply of the workspaces the instance lacks (none on a --keep'd one); "
        "kept: the running instance a --keep'd bulk run left",
    )
    s.add_argument("--load-only", action="store_true", help="load, keep the server, stop")
    s.add_argument("--prepare-only", action="store_true", help="write the cached files, stop")
    s.add_argument("--budgets", default="256,0", help="serving runs, MiB each (0: no budget)")
    s.add_argument("--cache", default="", help="import files and pairs (default .cache/...)")
    s.add_argument("--keep", action="store_true", help="leave the Neo4j server running")
    s.add_argument("--instance", default=INSTANCE + "-serve", help="scripts/neo4j_server.py name")
    for name in ("report", "check"):
        r = sub.add_parser(name)
        r.add_argument("--workspaces", type=int, default=200)
        r.add_argument("--ties", type=int, default=20_000)
        r.add_argument("--budgets", default="256,0")
        r.add_argument("--cache", default="")
        r.add_argument("--instance", default=INSTANCE + "-serve")
        r.add_argument("--requests", type=int, default=0)
        r.add_argument("--clients", type=int, default=4)
        r.add_argument("--workers", type=int, default=2)
        r.add_argument("--hot", type=int, default=10)
        r.add_argument("--hot-share", type=float, default=0.8)
    c = sub.add_parser("child-build")
    for name in ("method", "uri", "user", "password", "workspace"):
        c.add_argument(name)
    args = parser.parse_args()
    if args.cmd == "build":
        build_main(args)
    elif args.cmd == "serve":
        serve_main(args)
    elif args.cmd == "report":
        report_main(args)
    elif args.cmd == "check":
        check_main(args)
    else:
        asyncio.run(child_build(args.method, args.uri, args.user, args.password, args.workspace))


if __name__ == "__main__":
    os.environ.setdefault("WARMINTRO_NEO4J_HEAP", "2g")
    os.environ.setdefault("WARMINTRO_NEO4J_PAGECACHE", "1g")
    main()
