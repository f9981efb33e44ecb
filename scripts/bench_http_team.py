"""Issue 19's HTTP figures on the pooled-team shape: trustedPath and introducers over HTTP.

    .venv/bin/python scripts/bench_http_team.py [--ties 1000000] [--seconds 25]
        [--connections 16] [--workers 1] [--queries 300] [--dir DATA_DIR]

``--dir`` serves a copy of an existing embedded data dir instead (workspace ``team``,
e.g. one written by ``scripts/bench_store.py`` at 10M ties; its ``baseline.db`` is not
copied, nothing in it is changed). Then the expected answers are worked out first
(each in-process ``trustedPath`` timed: the services' own latency, same queries) and
the server starts only after, so its start to the first answer is timed alone.

Builds (once, cached under .cache/bench-http-team-N) an embedded data dir holding a
pooled-team graph (:func:`demo.team_graph.team_graph`): every member's ego network and
the contact-to-contact layer as evidence owned by the member whose data holds it, the
members with a mix of sharing levels (full, full, paths, private, in turn); teammate
ties are left to the planning view, which adds them as it does for any team. The
store's own ``apply`` writes it, in big batches.

Then, in one run:

1. Queries, picked in process: half from a member's own key (8 members with keys, the
   target 1, 2 or 3 hops away through ties that member may use), half from the admin
   key naming one of 32 sampled members as ``from`` (every tie usable). The expected answer of
   each, ``trustedPath`` (maxHops 3) and ``introducers`` (limit 5), comes from the
   services called directly (``Planner.trusted_path``, ``Outreach.introducers``) on a
   store opened in this process, which is then closed.
2. ``warmintro serve --workers N`` starts as a subprocess (cold start timed to the first
   answered /healthz; the lifespan loads the view before it answers), with the per-key
   rate limiter kept on (limit set out of reach) and its JSON access log going to a file.
3. Every query is sent once over HTTP and its answer compared with the expected one.
4. wrk (a C load generator; ``apt-get install wrk``) drives, each for ``--seconds``:
   /healthz (the load generator's and HTTP stack's ceiling), ``{ __typename }`` through
   the GraphQL stack with a key (the per-request floor), then trustedPath and
   introducers over the rotating set of verified bodies, at 1 connection (latency) and
   at ``--connections`` (throughput). wrk's Lua compares every trustedPath/introducers
   response body with the verified answers and counts the ones that differ. wrk's own
   CPU time is reported beside the server's, so a saturated generator shows.
5. The server's resident memory (RSS, and PSS: shared pages split between workers).

wrk and the server share the machine's 2 cores (and other engineers' processes).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from demo.team_graph import PUBLIC_BIT, team_graph
from graph.errors import NoPath, WarmintroError
from graph.model import (
    Evidence,
    ImportBatch,
    Member,
    Person,
    Relationship,
    Sharing,
    canonical_pair,
)
from graph.paths import IntroducerList, PathView
from graph.store.embedded import EmbeddedStore
from services.access import Viewer
from services.appdb import AppDB
from services.runtime import Services
from services.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server_stats import cpu_seconds, memory, wait_idle

ROOT = Path(__file__).resolve().parent.parent
WORKSPACE = "team"
LEVELS = (Sharing.FULL, Sharing.FULL, Sharing.PATHS, Sharing.PRIVATE)
BATCH = 250_000
KEYED_MEMBERS = 8
MAX_HOPS = 3

PATH_QUERY = (
    "query($f: String, $t: String!) { trustedPath(from: $f, to: $t, maxHops: 3) {"
    " __typename ... on Path { probability hops people { id name }"
    " steps { from to strength evidence sources } } ... on NoPath { reason } } }"
)
INTRO_QUERY = (
    "query($f: String, $t: String!) { introducers(from: $f, to: $t, limit: 5) {"
    " __typename ... on IntroducerList { direct { person { id } strength }"
    " introducers { person { id name } score pathProbability path { hops } } }"
    " ... on NoPath { reason } } }"
)

LUA = """
local lines = {}
for line in io.lines("%(bodies)s") do lines[#lines + 1] = line end
local good = {}
local checking = %(checking)s
if checking then
  for line in io.lines("%(answers)s") do good[line] = true end
end
local threads = {}
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("start", counter * 7919)
  threads[#threads + 1] = thread
end
init = function(args)
  -- Formatted here, not at load: wrk sets the Host header only by now.
  reqs = {}
  for _, line in ipairs(lines) do
    local tab = string.find(line, "\\t", 1, true)
    local key, body = string.sub(line, 1, tab - 1), string.sub(line, tab + 1)
    reqs[#reqs + 1] = wrk.format("%(method)s", "%(path)s", {
      ["Content-Type"] = "application/json",
      ["Authorization"] = "Bearer " .. key
    }, %(send_body)s)
  end
  i = start %% #reqs
  bad = 0
  seen = 0
end
request = function()
  i = i %% #reqs + 1
  return reqs[i]
end
if checking then
  response = function(status, headers, body)
    seen = seen + 1
    if status ~= 200 or not good[body] then bad = bad + 1 end
  end
end
done = function(summary, latency, requests)
  local b, s = 0, 0
  for _, t in ipairs(threads) do
    b = b + (t:get("bad") or 0)
    s = s + (t:get("seen") or 0)
  end
  io.write(string.format("CHECKED %%d BAD %%d\\n", s, b))
end
"""


@dataclass(frozen=True, slots=True)
class Query:
    key_member: str | None  # the key's member (None: the admin key)
    from_ref: str | None
    target: str
    hops: int


def build(data: Path, n_ties: int, seed: int) -> None:
    """Write the pooled-team graph into a fresh embedded data dir (once per size)."""
    if (data / "ready").exists():
        return
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    started = time.perf_counter()
    tg = team_graph(n_ties, seed)
    owner_of_bit = {bit: m for m, bit in tg.member_bits.items()}
    members = sorted(tg.members, key=lambda m: int(m[1:]))
    ids: dict[str, None] = {}
    for a, b, _, _ in tg.edges:
        ids[a] = ids[b] = None
    people = [Person(pid, f"Person {pid}") for pid in ids]
    # Teammate ties (the public bit between two members) are the view's to add.
    rels = [
        Relationship(*canonical_pair(a, b), (Evidence(owner=owner_of_bit[m], rating=s),))
        for a, b, s, m in tg.edges
        if m != PUBLIC_BIT and a != b
    ]
    del tg
    store = EmbeddedStore(data / "warmintro.db")
    store.apply_sync(
        WORKSPACE,
        ImportBatch(
            people=people,
            members=[Member(m, LEVELS[i % len(LEVELS)]) for i, m in enumerate(members)],
        ),
    )
    for lo in range(0, len(rels), BATCH):
        store.apply_sync(WORKSPACE, ImportBatch(relationships=rels[lo : lo + BATCH]))
    asyncio.run(store.close())
    db = AppDB(data / "app.db")
    db.create_workspace(WORKSPACE)
    db.close()
    (data / "ready").write_text("ok")
    took = time.perf_counter() - started
    print(f"built {len(rels):,} stored ties, {len(people):,} people in {took:.0f} s", flush=True)


def path_answer(p: PathView) -> dict[str, Any]:
    """A path as the PATH_QUERY selection renders it."""
    return {
        "__typename": "Path",
        "probability": p.probability,
        "hops": p.hops,
        "people": [{"id": x.id, "name": x.name} for x in p.people],
        "steps": [
            {
                "from": s.source,
                "to": s.target,
                "strength": s.strength,
                "evidence": list(s.evidence),
                "sources": list(s.sources),
            }
            for s in p.steps
        ],
    }


def intro_answer(found: IntroducerList) -> dict[str, Any]:
    """An introducer list as the INTRO_QUERY selection renders it."""
    d = found.direct
    return {
        "__typename": "IntroducerList",
        "direct": None if d is None else {"person": {"id": d.person.id}, "strength": d.strength},
        "introducers": [
            {
                "person": {"id": r.person.id, "name": r.person.name},
                "score": r.score,
                "pathProbability": r.path_probability,
                "path": {"hops": r.path.hops},
            }
            for r in found.introducers
        ],
    }


def problem(err: WarmintroError) -> dict[str, Any]:
    if isinstance(err, NoPath):
        return {"__typename": "NoPath", "reason": err.reason.name}
    return {"__typename": type(err).__name__}


def rings(g: Any, start: int, mask: int | None, hops: int) -> list[np.ndarray]:
    """The people exactly 1..hops visible hops from ``start`` (breadth first)."""
    seen = np.zeros(len(g.ids), dtype=bool)
    seen[start] = True
    frontier = np.array([start], dtype=np.int64)
    out = []
    for _ in range(hops):
        nbrs, _ = g.gather(frontier, mask)
        # Marked, not np.unique: numpy 2.4 hashes integers there (minutes at 10M ties).
        fresh = np.zeros(len(g.ids), dtype=bool)
        fresh[nbrs] = True
        fresh &= ~seen
        nbrs = np.flatnonzero(fresh)
        seen |= fresh
        out.append(nbrs)
        frontier = nbrs
    return out


async def pick_queries(
    planner: Any, view: Any, n_queries: int, seed: int
) -> tuple[list[str], list[Query]]:
    """Member -> target queries, targets 1, 2 and 3 hops away in equal shares."""
    g = view.graph
    members = sorted(view.owner_bits)
    rng = random.Random(seed)
    keyed = sorted(rng.sample(members, KEYED_MEMBERS))
    # The admin plans from a sample of members: each needs its own breadth-first rings.
    admin_from = sorted(rng.sample(members, min(len(members), 4 * KEYED_MEMBERS)))
    cache: dict[tuple[str, int | None], list[np.ndarray]] = {}
    queries: list[Query] = []
    misses = dict.fromkeys(range(1, MAX_HOPS + 1), 0)
    while len(queries) < n_queries:
        n = len(queries)
        member = rng.choice(keyed) if n % 2 == 0 else rng.choice(admin_from)
        key_member = member if n % 2 == 0 else None
        viewer = Viewer(WORKSPACE, key_member)
        mask = await planner.owner_mask(viewer, view)
        want = 1 + (n // 2) % 3
        # Some shapes have nobody that far (at 10M ties, default shape, every person is
        # a member's contact): after 40 members in a row without, ask nearer targets.
        while want > 1 and misses[want] >= 40:
            want -= 1
        if (member, mask) not in cache:
            cache[(member, mask)] = rings(g, g.idx(member), mask, MAX_HOPS)
        ring = cache[(member, mask)][want - 1]
        if len(ring) == 0:
            misses[want] += 1
            if want == 1 and misses[1] >= 1000:
                raise SystemExit("no member has a visible contact")
            continue
        misses[want] = 0
        target = g.ids[int(ring[rng.randrange(len(ring))])]
        from_ref = None if key_member else member
        queries.append(Query(key_member, from_ref, target, want))
    return keyed, queries


async def expected_answers(
    data: Path, n_queries: int, seed: int
) -> tuple[list[Query], list[str], list[dict[str, Any]], list[dict[str, Any]]]:
    """Pick member -> target queries and answer them with the services, in process."""
    settings = Settings(data_dir=data, workspace=WORKSPACE)
    services = Services.build(settings)
    try:
        planner = services.planner
        view = await services.store.planning_view(WORKSPACE)
        # Picking targets takes breadth-first rings around 40 member hubs (minutes at
        # 1M on a busy machine): the picks are kept beside the data, keyed by the
        # stored version; the expected answers are worked out afresh on every run.
        picks = data / f"queries-{n_queries}-{seed}-v{services.store.version(WORKSPACE)}.json"
        if picks.exists():
            cached = json.loads(picks.read_text())
            keyed = cached["keyed"]
            queries = [Query(*q) for q in cached["queries"]]
        else:
            keyed, queries = await pick_queries(planner, view, n_queries, seed)
            picks.write_text(
                json.dumps(
                    {
                        "keyed": keyed,
                        "queries": [[q.key_member, q.from_ref, q.target, q.hops] for q in queries],
                    }
                )
            )
        paths, intros = [], []
        took: list[float] = []
        warm: list[float] = []  # all but each viewer's first question (which builds its view)
        asked: set[str | None] = set()
        for q in queries:
            viewer = Viewer(WORKSPACE, q.key_member)
            started = time.perf_counter()
            try:
                found = await planner.trusted_path(viewer, q.from_ref, q.target, max_hops=MAX_HOPS)
                took.append(time.perf_counter() - started)
                paths.append(path_answer(found))
            except WarmintroError as err:
                took.append(time.perf_counter() - started)
                paths.append(problem(err))
            if q.key_member in asked:
                warm.append(took[-1])
            asked.add(q.key_member)
            viewer = Viewer(WORKSPACE, q.key_member)
            try:
                intros.append(
                    intro_answer(
                        await services.outreach.introducers(
                            viewer, q.target, from_ref=q.from_ref, limit=5
                        )
                    )
                )
            except WarmintroError as err:
                intros.append(problem(err))
        again: list[float] = []  # the same questions once more: the snapshot's pages mapped in
        for q in queries:
            viewer = Viewer(WORKSPACE, q.key_member)
            started = time.perf_counter()
            with contextlib.suppress(WarmintroError):
                await planner.trusted_path(viewer, q.from_ref, q.target, max_hops=MAX_HOPS)
            again.append(time.perf_counter() - started)
        for label, times in (
            (f"{len(took)} queries", took),
            (f"the {len(warm)} after each viewer's first", warm),
            (f"the {len(again)} asked again", again),
        ):
            times.sort()
            print(
                f"in process, Planner.trusted_path (maxHops {MAX_HOPS}), {label}: "
                f"p50 {1000 * times[len(times) // 2]:.3f} ms, "
                f"p99 {1000 * times[min(len(times) - 1, int(0.99 * len(times)))]:.3f} ms, "
                f"max {1000 * times[-1]:.3f} ms",
                flush=True,
            )
        return queries, keyed, paths, intros
    finally:
        await services.close()


def same(got: Any, want: Any) -> bool:
    """Equal, floats to 1e-12 relative (JSON round-trips them exactly; this is slack)."""
    if isinstance(want, float) and isinstance(got, (float, int)):
        return abs(got - want) <= 1e-12 * max(1.0, abs(want))
    if isinstance(want, dict):
        return (
            isinstance(got, dict)
            and got.keys() == want.keys()
            and all(same(got[k], want[k]) for k in want)
        )
    if isinstance(want, list):
        return (
            isinstance(got, list)
            and len(got) == len(want)
            and all(same(a, b) for a, b in zip(got, want, strict=True))
        )
    return bool(got == want)


def wrk(
    base: str,
    server_pid: int,
    lines: list[str],
    answers: list[str] | None,
    seconds: int,
    connections: int,
    *,
    path: str = "/graphql",
    profile: Path | None = None,
) -> dict[str, float]:
    """One wrk run: requests/s, latency percentiles, checked/bad responses, CPU used."""
    with tempfile.TemporaryDirectory() as tmp:
        body_file = Path(tmp) / "bodies.txt"
        body_file.write_text("\n".join(lines) + "\n")
        answer_file = Path(tmp) / "answers.txt"
        answer_file.write_text("\n".join(answers or []) + "\n")
        script = Path(tmp) / "run.lua"
        script.write_text(
            LUA
            % {
                "bodies": body_file,
                "answers": answer_file,
                "checking": "true" if answers else "false",
                "method": "POST" if path == "/graphql" else "GET",
                "path": path,
                "send_body": "body" if path == "/graphql" else "nil",
            }
        )
        threads = min(2, connections)
        before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
        server_before = cpu_seconds(server_pid)
        spy = None
        if profile is not None:  # py-spy samples the server (every worker) meanwhile
            spy = subprocess.Popen(
                [
                    str(ROOT / ".venv" / "bin" / "py-spy"),
                    "record",
                    "--pid",
                    str(server_pid),
                    "--subprocesses",
                    "--nonblocking",
                    "--rate",
                    "250",
                    "--format",
                    "raw",
                    "--duration",
                    str(seconds),
                    "--output",
                    str(profile),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        out = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "30s",
                "--latency",
                "-s",
                str(script),
                base + path,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        server_cpu = cpu_seconds(server_pid) - server_before
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if spy is not None:
            spy.wait(timeout=seconds + 60)
    wrk_cpu = (after.ru_utime - before_children.ru_utime) + (
        after.ru_stime - before_children.ru_stime
    )
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    lat = {}
    for pct in ("50", "90", "99"):
        m = re.search(rf"\s{pct}(?:\.000)?%\s+([\d.]+)(us|ms|s)", out)
        assert m is not None, out
        value, unit = float(m.group(1)), m.group(2)
        lat[pct] = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    checked = re.search(r"CHECKED (\d+) BAD (\d+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        **{f"p{k}": v for k, v in lat.items()},
        "checked": float(checked.group(1)) if checked and answers else 0.0,
        "bad": float(checked.group(2)) if checked and answers else 0.0,
        "non2xx": float(errors.group(1)) if errors else 0.0,
        "socket_errors": 1.0 if socket_errors else 0.0,
        "wrk_cpu": wrk_cpu / seconds,
        "server_cpu": server_cpu / seconds,
        "cpu_ms": 1000 * server_cpu / max(1.0, rps * seconds),
    }


def start_server(data: Path, workers: int, log_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = 18000 + random.randint(0, 1999)
    env = {
        **os.environ,
        "WARMINTRO_DATA_DIR": str(data),
        "WARMINTRO_WORKSPACE": WORKSPACE,
        # The per-key limiter stays in the request path; 600/min would refuse the load.
        "WARMINTRO_RATE_LIMIT_PER_MINUTE": str(10**9),
    }
    env.pop("WARMINTRO_ENVIRONMENT", None)
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "warmintro"),
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    return server, f"http://127.0.0.1:{port}"


def wait_serving(server: subprocess.Popen[bytes], base: str, log_path: Path) -> float:
    """Seconds from now until the server answers /healthz (its lifespan loads the view)."""
    started = time.perf_counter()
    while True:
        try:
            if httpx.get(base + "/healthz", timeout=60).status_code == 200:
                return time.perf_counter() - started
        except httpx.TransportError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"the server exited; its log: {log_path}")
        time.sleep(0.05)


def check_over_http(
    base: str, lines: list[str], wants: list[dict[str, Any]], field: str
) -> tuple[int, set[str]]:
    """Send every body once; (answers unlike the services' own, distinct good bodies)."""
    mismatches, bodies = 0, set()
    with httpx.Client(timeout=60) as client:
        for line, want in zip(lines, wants, strict=True):
            key, payload = line.split("\t", 1)
            r = client.post(
                base + "/graphql",
                content=payload,
                headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
            )
            got = (r.json().get("data") or {}).get(field)
            if r.status_code != 200 or "\n" in r.text or not same(got, want):
                mismatches += 1
                if mismatches <= 3:
                    print(f"MISMATCH {field}: {payload}\n got  {r.text[:400]}\n want {want}")
            else:
                bodies.add(r.text)
    return mismatches, bodies


def report(
    args: argparse.Namespace,
    results: list[tuple[str, int, dict[str, float]]],
    memory_figures: tuple[int, int, int, int, int],
    cold: float,
) -> float:
    """Print the run's table; the number of bad responses under load."""
    n, rss_before, pss_before, rss_after, pss_after = memory_figures
    print(
        f"\nembedded, {args.workers} worker(s), "
        f"{args.dir or f'~{args.ties:,} ties (pooled team)'}, "
        f"{args.seconds} s per run, load avg {os.getloadavg()[0]:.2f}"
    )
    print(
        f"server: {n} process(es), RSS {rss_before / 2**20:.0f} MiB before load, "
        f"{rss_after / 2**20:.0f} MiB after (PSS {pss_before / 2**20:.0f} / "
        f"{pss_after / 2**20:.0f} MiB); serving {cold:.1f} s after start"
    )
    print(
        "| query | conns | req/s | p50 ms | p90 ms | p99 ms | checked (bad) | non-2xx "
        "| server CPU ms/req | server cores | wrk cores |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, conns, res in results:
        checked = f"{res['checked']:.0f} ({res['bad']:.0f})" if res["checked"] else "-"
        print(
            f"| {name} | {conns} | {res['rps']:.0f} | {res['p50']:.2f} | {res['p90']:.2f} "
            f"| {res['p99']:.2f} | {checked} | {res['non2xx']:.0f} | {res['cpu_ms']:.2f} "
            f"| {res['server_cpu']:.2f} | {res['wrk_cpu']:.2f} |"
        )
    return sum(res["bad"] + res["non2xx"] for _, _, res in results)


def prepare_data(args: argparse.Namespace) -> tuple[Path, Path | None]:
    """The data dir to serve, and the scratch folder holding it (None: the cached build)."""
    if args.dir is None:
        data = ROOT / ".cache" / f"bench-http-team-{args.ties}"
        build(data, args.ties, args.seed)
        return data, None
    work = Path(tempfile.mkdtemp(prefix="bench-http-team-"))
    data = work / "data"
    shutil.copytree(args.dir, data, ignore=shutil.ignore_patterns("baseline.db"))
    db = AppDB(data / "app.db")
    if not db.workspace_exists(WORKSPACE):
        db.create_workspace(WORKSPACE)
    db.close()
    return data, work


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=25)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="serve a copy of this embedded data dir (workspace 'team') instead of building",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        help="folder for py-spy profiles (raw stacks) of the server during the loaded runs",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("error: wrk is needed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    data, work = prepare_data(args)

    # The server loads while the expected answers are worked out here (wall time only:
    # nothing is measured until both are done and the server is idle). With --dir the
    # answers come first and the server's start is timed alone.
    log_path = Path(tempfile.mkstemp(prefix="bench-http-team-", suffix=".log")[1])
    if args.dir is None:
        server, base = start_server(data, args.workers, log_path)
    t0 = time.perf_counter()
    try:
        queries, keyed, want_paths, want_intros = asyncio.run(
            expected_answers(data, args.queries, args.seed)
        )
    except BaseException:
        if args.dir is None:
            server.terminate()
        raise
    gc.collect()
    hops = {h: sum(q.hops == h for q in queries) for h in (1, 2, 3)}
    print(
        f"{len(queries)} queries ({hops} by hops; half member keys, half admin) answered "
        f"in process in {time.perf_counter() - t0:.0f} s; path kinds: "
        f"{sorted({a['__typename'] for a in want_paths})}",
        flush=True,
    )
    db = AppDB(data / "app.db")  # the server reads keys from it on every request
    keys = {m: db.create_key(WORKSPACE, m) for m in keyed}
    admin = db.create_key(WORKSPACE, None)
    db.close()

    def line(query: str, q: Query) -> str:
        body = json.dumps({"query": query, "variables": {"f": q.from_ref, "t": q.target}})
        return f"{admin if q.key_member is None else keys[q.key_member]}\t{body}"

    path_lines = [line(PATH_QUERY, q) for q in queries]
    intro_lines = [line(INTRO_QUERY, q) for q in queries]
    trivial = [f"{k}\t{json.dumps({'query': '{ __typename }'})}" for k in (keys[keyed[0]], admin)]

    if args.dir is not None:
        server, base = start_server(data, args.workers, log_path)
        t0 = time.perf_counter()
    try:
        wait_serving(server, base, log_path)
        first_line = path_lines[0].split("\t", 1)
        first = httpx.post(
            base + "/graphql",
            content=first_line[1],
            headers={
                "Authorization": f"Bearer {first_line[0]}",
                "Content-Type": "application/json",
            },
            timeout=120,
        )
        first.raise_for_status()
        cold = time.perf_counter() - t0
        n0, rss0, pss0 = memory(server.pid)
        print(
            f"first trustedPath answered {cold:.2f} s after the server started; server tree "
            f"{n0} process(es), RSS {rss0 / 2**20:.0f} MiB, PSS {pss0 / 2**20:.0f} MiB",
            flush=True,
        )
        wait_idle(server.pid)
        # Every answer once over HTTP, compared with the services' own.
        bad_paths, path_bodies = check_over_http(base, path_lines, want_paths, "trustedPath")
        bad_intros, intro_bodies = check_over_http(base, intro_lines, want_intros, "introducers")
        mismatches = bad_paths + bad_intros
        print(
            f"HTTP answers equal to the services' own: {2 * len(queries) - mismatches}/"
            f"{2 * len(queries)} ({len(path_bodies)} distinct trustedPath bodies, "
            f"{len(intro_bodies)} introducers)",
            flush=True,
        )
        n, rss_before, pss_before = memory(server.pid)
        results: list[tuple[str, int, dict[str, float]]] = []
        plan: list[tuple[str, list[str], list[str] | None, str]] = [
            ("/healthz", ["x\tx"], None, "/healthz"),
            ("{ __typename }", trivial, None, "/graphql"),
            ("trustedPath", path_lines, sorted(path_bodies), "/graphql"),
            ("introducers", intro_lines, sorted(intro_bodies), "/graphql"),
        ]
        # Warm-up (unmeasured): every worker sees every body once or more.
        for _, lines, answers, path in plan:
            wrk(base, server.pid, lines, answers, 3, args.connections, path=path)
        for conns in (1, args.connections):
            for name, lines, answers, path in plan:
                spy = None
                if args.profile is not None and conns > 1:
                    args.profile.mkdir(parents=True, exist_ok=True)
                    spy = args.profile / (re.sub(r"\W+", "", name) + ".txt")
                res = wrk(
                    base, server.pid, lines, answers, args.seconds, conns, path=path, profile=spy
                )
                results.append((name, conns, res))
                print(
                    f"  {name:15} c={conns:<3} {res['rps']:8.0f} req/s  p50 {res['p50']:6.2f}  "
                    f"p99 {res['p99']:6.2f} ms  bad {res['bad']:.0f}/{res['checked']:.0f}  "
                    f"server {res['cpu_ms']:.2f} CPU-ms/req ({res['server_cpu']:.2f} cores)  "
                    f"wrk {res['wrk_cpu']:.2f} cores",
                    flush=True,
                )
        _, rss_after, pss_after = memory(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=60)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    log_lines = sum(1 for _ in log_path.open("rb"))
    log_path.unlink()
    print(f"{log_lines:,} access-log lines written by the server")
    bad = report(args, results, (n, rss_before, pss_before, rss_after, pss_after), cold)
    print(f"mismatches: {mismatches} in the check pass, {bad:.0f} bad responses under load")
    return 1 if mismatches or bad else 0


if __name__ == "__main__":
    sys.exit(main())
