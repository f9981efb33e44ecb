"""GraphQL throughput under load (issue 6): trustedPath against networkStats, same server, same run.

    .venv/bin/python scripts/bench_api.py [--edges 1000000] [--seconds 20] [--connections 16]
        [--backend embedded|neo4j] [--workers 1]

Builds (once, cached under .cache/bench-api-N) an embedded store holding the synthetic
network (demo.synth) of N edges, serves it with `warmintro serve` (one worker), and drives
it with wrk on loopback: first the trivial `networkStats`, then `trustedPath` over 200 seeded
random pairs (max 4 hops). Prints requests/s, latency percentiles and the throughput ratio.
Needs wrk (Debian: apt-get install wrk). wrk and the server share the machine's 2 cores.

With ``--backend neo4j`` the same graph goes (once) into a local Neo4j 5.26 instance named
``bench-api`` (scripts/neo4j_server.py; set WARMINTRO_NEO4J_HEAP=8g for 1M edges) and the
API serves it with ``--workers`` processes; the script waits until every worker has built
its planning graph before measuring.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from neo4j import AsyncGraphDatabase

from demo.synth import synthetic_edges, synthetic_people
from graph.model import Evidence, ImportBatch, Person, Relationship, canonical_pair
from graph.store.embedded import EmbeddedStore
from graph.store.neo4j import Neo4jStore
from services.appdb import AppDB

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_neo4j import server_module
from server_stats import wait_idle

ROOT = Path(__file__).resolve().parent.parent
WORKSPACE = "bench"

LUA = """
local bodies = {}
for line in io.lines("%(bodies)s") do bodies[#bodies + 1] = line end
local i = 0
request = function()
  i = i %% #bodies + 1
  return wrk.format("POST", "/graphql", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer %(key)s"
  }, bodies[i])
end
"""


def synthetic_batch(n_edges: int) -> ImportBatch:
    people = [
        Person(p.id, p.name, p.company, p.position) for p in synthetic_people(n_edges, seed=1)
    ]
    rels = []
    for u, v, s in synthetic_edges(n_edges, seed=1):
        a, b = canonical_pair(u, v)
        rels.append(Relationship(a, b, (Evidence(owner="synthetic", rating=s),)))
    return ImportBatch(people=people, relationships=rels)


def build(data: Path, n_edges: int) -> None:
    if (data / "ready").exists():
        return
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    started = time.perf_counter()
    store = EmbeddedStore(data / "warmintro.db")
    store.apply_sync(WORKSPACE, synthetic_batch(n_edges))
    asyncio.run(store.close())
    (data / "ready").write_text("ok")
    print(f"built {n_edges:,} edges in {time.perf_counter() - started:.0f} s", flush=True)


async def build_neo4j(uri: str, user: str, password: str, workspace: str, n_edges: int) -> None:
    """Load the synthetic graph into Neo4j unless ``workspace`` already holds it."""
    driver = AsyncGraphDatabase.driver(uri, auth=(user, password))
    store = Neo4jStore(driver, owns_driver=True)
    try:
        batch = synthetic_batch(n_edges)
        if (await store.stats(workspace)).relationships == len(batch.relationships):
            return
        started = time.perf_counter()
        await store.apply(workspace, batch)
        took = time.perf_counter() - started
        print(f"loaded {len(batch.relationships):,} ties into Neo4j in {took:.0f} s", flush=True)
    finally:
        await store.close()


def wrk(url: str, key: str, bodies: list[str], seconds: int, connections: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        body_file = Path(tmp) / "bodies.txt"
        body_file.write_text("\n".join(bodies) + "\n")
        script = Path(tmp) / "post.lua"
        script.write_text(LUA % {"bodies": body_file, "key": key})
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--latency",
                "-s",
                str(script),
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    lat = {}
    for pct in ("50", "90", "99"):
        m = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out)
        assert m is not None, out
        value, unit = float(m.group(1)), m.group(2)
        lat[pct] = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        **{f"p{k}": v for k, v in lat.items()},
        "non2xx": float(errors.group(1)) if errors else 0.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--backend", choices=("embedded", "neo4j"), default="embedded")
    parser.add_argument("--workers", type=int, default=1, help="server processes (Neo4j only)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("error: wrk is needed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    env = {
        **os.environ,
        "WARMINTRO_RATE_LIMIT_PER_MINUTE": "0",
        "WARMINTRO_QUERY_TIMEOUT_SECONDS": "30",
    }
    # One Neo4j instance holds every size, each in a workspace of its own.
    workspace = WORKSPACE if args.backend == "embedded" else f"{WORKSPACE}{args.edges}"
    env["WARMINTRO_WORKSPACE"] = workspace
    if args.backend == "neo4j":
        data = ROOT / ".cache" / f"bench-api-neo4j-{args.edges}"
        data.mkdir(parents=True, exist_ok=True)
        info = server_module().start("bench-api")
        asyncio.run(build_neo4j(info.uri, info.user, info.password, workspace, args.edges))
        env.update(
            WARMINTRO_BACKEND="neo4j",
            WARMINTRO_NEO4J_URI=info.uri,
            WARMINTRO_NEO4J_USER=info.user,
            WARMINTRO_NEO4J_PASSWORD=info.password,
        )
    else:
        data = ROOT / ".cache" / f"bench-api-{args.edges}"
        build(data, args.edges)
    env["WARMINTRO_DATA_DIR"] = str(data)
    db = AppDB(data / "app.db")
    db.create_workspace(workspace)
    key = db.create_key(workspace, None)
    db.close()
    port = 18000 + random.randint(0, 999)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "warmintro"),
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        headers = {"Authorization": f"Bearer {key}"}
        deadline = time.monotonic() + 300
        while True:
            try:
                r = httpx.post(
                    url,
                    json={"query": "{ networkStats { people relationships } }"},
                    headers=headers,
                    timeout=300,
                )
                if r.status_code == 200:
                    print("serving:", r.json()["data"]["networkStats"], flush=True)
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not come up")
            time.sleep(0.5)
        wait_idle(server.pid)
        rng = random.Random(7)
        n_people = len(synthetic_people(args.edges, seed=1))
        query = (
            "query($f: String!, $t: String!) { trustedPath(from: $f, to: $t, maxHops: 4) "
            "{ __typename ... on Path { probability hops } ... on NoPath { reason } } }"
        )
        pairs = [(f"p{rng.randrange(n_people)}", f"p{rng.randrange(n_people)}") for _ in range(200)]
        path_bodies = [
            json.dumps({"query": query, "variables": {"f": a, "t": b}}) for a, b in pairs
        ]
        # Warm the planning graph (built lazily on the first planning query).
        t0 = time.perf_counter()
        httpx.post(
            url,
            content=path_bodies[0],
            headers={**headers, "Content-Type": "application/json"},
            timeout=600,
        )
        print(f"planning graph ready in {time.perf_counter() - t0:.1f} s", flush=True)
        stats_bodies = [json.dumps({"query": "{ networkStats { people relationships } }"})]
        # A short unmeasured run of each: every worker warms its caches (on Neo4j the
        # first networkStats in a process counts the workspace) before the clock starts.
        for bodies in (stats_bodies, path_bodies):
            wrk(url, key, bodies, 3, args.connections)
        trivial = wrk(url, key, stats_bodies, args.seconds, args.connections)
        paths = wrk(url, key, path_bodies, args.seconds, args.connections)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"\n{args.backend}, {args.workers} worker(s), {args.edges:,} edges, "
        f"{args.connections} connections, {args.seconds} s each"
    )
    print(f"{'query':14} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for name, res in (("networkStats", trivial), ("trustedPath", paths)):
        cells = f"{res['rps']:8.0f} {res['p50']:8.2f} {res['p90']:8.2f} {res['p99']:8.2f}"
        print(f"{name:14} {cells} {res['non2xx']:8.0f}")
    ratio = paths["rps"] / trivial["rps"]
    print(
        f"trustedPath / networkStats throughput: {ratio:.2f} (target >= 0.70); p99 target <= 25 ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
