"""A write seen by every worker: `serve --workers 2` on a 1M-tie data dir (issue 19).

Usage: .venv/bin/python scripts/bench_workers.py --dir DIR [--ties 10000] [--rounds 3]

``DIR`` is a data dir made by ``scripts/bench_store.py`` (workspace ``team``; its
``warmintro.db`` and snapshot are copied, never changed). The server runs two
workers on the copy; both answer, and the server goes idle (a snapshot saved on
another day is rebuilt for today first), before anything is timed. Then, per round,
two writes of ``--ties`` new ties between people already there:

1. ``warmintro import edges`` from another process (the CLI, no server involved):
   its wall time, then how long after it exits the new ties answer;
2. ``importEdges`` through the server's GraphQL (a multipart upload; a background
   job in one worker): how long after the job reads DONE the new ties answer.

"Answer" is a ``trustedPath`` between the two ends of one new tie (hop limit 1, the
admin key), asked every 10 ms, each on a new connection so the two workers share
them as the kernel hands out accepts. Two figures per write: the first answer that
shows the tie, and the first of 40 answers in a row that all show it (with two
workers taking connections at random, 40 in a row from one worker alone has odds
of about one in 10^12 when both accept alike). Same-run baseline: the same poll
before the write (how long one poll takes).
"""

from __future__ import annotations

import argparse
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_http_team import ROOT, WORKSPACE, start_server, wait_serving
from server_stats import memory, per_process, wait_idle

from services.appdb import AppDB

IN_A_ROW = 40
QUERY = (
    "query($f: String, $t: String!) { trustedPath(from: $f, to: $t, maxHops: 1) { __typename } }"
)
UPLOAD = "mutation($f: Upload!) { importEdges(file: $f) { __typename ... on ImportJob { id } } }"
JOB = "query($id: ID!) { importJob(id: $id) { __typename ... on ImportJob { status } } }"


def show_memory(root: int, when: str) -> None:
    """The tree's RSS and PSS, and each process's own (anonymous) memory."""
    _n, rss, pss = memory(root)
    own = " / ".join(f"{anon / 2**20:.0f}" for _pid, _r, _p, anon in per_process(root))
    print(
        f"server tree {when}: RSS {rss / 2**20:.0f} MiB, PSS {pss / 2**20:.0f} MiB;"
        f" anonymous per process (MiB): {own}",
        flush=True,
    )


def people_and_ties(db: Path) -> tuple[list[str], set[tuple[str, str]]]:
    import sqlite3

    conn = sqlite3.connect(db)
    ids = [r[0] for r in conn.execute("SELECT id FROM people WHERE workspace=?", (WORKSPACE,))]
    have = {
        (a, b) for a, b in conn.execute("SELECT a, b FROM evidence WHERE workspace=?", (WORKSPACE,))
    }
    conn.close()
    return ids, have


def new_edges(
    ids: list[str], have: set[tuple[str, str]], n: int, rng: random.Random
) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    while len(out) < n:
        a, b = rng.choice(ids), rng.choice(ids)
        pair = (min(a, b), max(a, b))
        if a != b and pair not in have:
            have.add(pair)
            out.append(pair)
    return out


def write_csv(path: Path, edges: list[tuple[str, str]]) -> None:
    path.write_text("source,target,strength\n" + "".join(f"{a},{b},0.5\n" for a, b in edges))


# No connection is kept: each question opens its own, so the workers share them.
CLIENT = httpx.Client(timeout=30, limits=httpx.Limits(max_keepalive_connections=0))


def ask(base: str, key: str, a: str, b: str) -> bool:
    """One question on a new connection: does the a-b tie answer?"""
    r = CLIENT.post(
        base + "/graphql",
        json={"query": QUERY, "variables": {"f": a, "t": b}},
        headers={"Authorization": f"Bearer {key}", "Connection": "close"},
    )
    r.raise_for_status()
    return bool(r.json()["data"]["trustedPath"]["__typename"] == "Path")


def until_every_worker(base: str, key: str, a: str, b: str, since: float) -> tuple[float, float]:
    """(first answer showing the tie, first of IN_A_ROW in a row), seconds after ``since``."""
    first = -1.0
    row_start, row = 0.0, 0
    while row < IN_A_ROW:
        t = time.perf_counter()
        if ask(base, key, a, b):
            if first < 0:
                first = t - since
            if row == 0:
                row_start = t - since
            row += 1
        else:
            row = 0
        if time.perf_counter() - since > 120:
            raise SystemExit("the new tie did not answer in every worker within 120 s")
        time.sleep(0.01)
    return first, row_start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, required=True, help="a bench_store.py data dir")
    parser.add_argument("--ties", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-workers-"))
    data = work / "data"
    shutil.copytree(args.dir, data, ignore=shutil.ignore_patterns("baseline.db"))
    db = AppDB(data / "app.db")
    if not db.workspace_exists(WORKSPACE):
        db.create_workspace(WORKSPACE)
    key = db.create_key(WORKSPACE, None)
    db.close()
    ids, have = people_and_ties(data / "warmintro.db")
    rng = random.Random(7)
    log_path = work / "server.log"
    server, base = start_server(data, args.workers, log_path)
    env = {**os.environ, "WARMINTRO_DATA_DIR": str(data), "WARMINTRO_WORKSPACE": WORKSPACE}
    rows: list[dict[str, float]] = []
    try:
        print(f"server up in {wait_serving(server, base, log_path):.1f} s", flush=True)
        warm = new_edges(ids, set(have), 1, rng)[0]
        for _ in range(20):  # both workers load their graph before anything is timed
            ask(base, key, *warm)
        # ... and finish what that started (a snapshot from another day is rebuilt for
        # today in the background while it answers) before the first write.
        wait_idle(server.pid)
        polls = []
        for _ in range(50):
            t = time.perf_counter()
            ask(base, key, *warm)
            polls.append(time.perf_counter() - t)
        polls.sort()
        print(
            f"one poll (baseline): p50 {1000 * polls[25]:.1f} ms, max {1000 * polls[-1]:.1f} ms",
            flush=True,
        )
        show_memory(server.pid, "before the writes")
        for round_ in range(args.rounds):
            edges = new_edges(ids, have, args.ties, rng)
            csv = work / f"cli-{round_}.csv"
            write_csv(csv, edges)
            t0 = time.perf_counter()
            subprocess.run(
                [str(ROOT / ".venv" / "bin" / "warmintro"), "import", "edges", str(csv)],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            done = time.perf_counter()
            first, every = until_every_worker(base, key, *edges[0], done)
            row = {
                "round": round_,
                "cli_import_s": done - t0,
                "cli_first_s": first,
                "cli_every_s": every,
            }
            edges = new_edges(ids, have, args.ties, rng)
            body = "source,target,strength\n" + "".join(f"{a},{b},0.5\n" for a, b in edges)
            with httpx.Client(timeout=120) as client:
                headers = {"Authorization": f"Bearer {key}"}
                ops = json.dumps({"query": UPLOAD, "variables": {"f": None}})
                t0 = time.perf_counter()
                r = client.post(
                    base + "/graphql",
                    data={"operations": ops, "map": json.dumps({"0": ["variables.f"]})},
                    files={"0": ("edges.csv", body.encode(), "text/csv")},
                    headers=headers,
                )
                job = r.json()["data"]["importEdges"]
                if job["__typename"] != "ImportJob":
                    raise SystemExit(f"importEdges refused: {r.text[:300]}")
                while True:
                    s = client.post(
                        base + "/graphql",
                        json={"query": JOB, "variables": {"id": job["id"]}},
                        headers=headers,
                    ).json()["data"]["importJob"]["status"]
                    if s in ("DONE", "FAILED"):
                        break
                    time.sleep(0.01)
                if s != "DONE":
                    raise SystemExit("the upload's import failed")
                done = time.perf_counter()
            first, every = until_every_worker(base, key, *edges[0], done)
            row |= {"upload_job_s": done - t0, "upload_first_s": first, "upload_every_s": every}
            print(json.dumps({k: round(v, 3) for k, v in row.items()}), flush=True)
            rows.append(row)
        show_memory(server.pid, "after the writes")
        time.sleep(5)  # the workers' catch-ups, saves and re-maps run after the answers
        show_memory(server.pid, "5 s later")
        log = log_path.read_text(errors="replace")
        patches = re.findall(r" patched at version \d+ in ([\d.]+) s", log)
        print(
            f"server log: {len(patches)} patches ({' / '.join(patches)} s), "
            f"{log.count('now mapped from the saved snapshot')} re-maps, "
            f"{log.count('could not save')} failed saves"
        )
    finally:
        server.terminate()
        server.wait(30)
        shutil.rmtree(work, ignore_errors=True)
    print(f"load {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
