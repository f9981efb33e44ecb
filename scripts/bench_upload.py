"""One upload into a big workspace through the import service: time and peak memory.

An import used to read every person of the workspace for identity resolution; it now
reads the people its file could resolve to (services.imports.load_resolved). This
times ``run_import`` (load, resolution, other sources kept, the write) for one file in a
fresh process and reports the process's peak RSS above what it held before the import
(VmHWM reset through /proc/self/clear_refs), and how many people the store handed out.

Usage (COPY is a copy of a bench_store data dir; never the original: the import writes)::

    python scripts/bench_upload.py prepare --dir /tmp/me1m_base --out /tmp/upl --ties 10 10000
    python scripts/bench_upload.py run --dir COPY --file /tmp/upl/edges-10000.csv

Run it with ``PYTHONPATH=<a git archive of another commit>`` to time that commit's
import path on the same files (the script only uses the service's public functions).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import time
from datetime import date
from pathlib import Path
from typing import Any

TODAY = date(2026, 12, 1)  # the bench_store data dirs' day


def _status(field: str) -> int:
    """A /proc/self/status field in KiB (VmRSS, VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def _reset_peak() -> None:
    """Peak RSS (VmHWM) := the current RSS."""
    Path("/proc/self/clear_refs").write_text("5")


def prepare(base: Path, out: Path, ties: list[int], seed: int) -> None:
    """Edge lists of ``n`` ties each: one end a stored person (by id), the other a stored
    person, a new LinkedIn URL or a new email (half, a quarter, a quarter). And LinkedIn
    Connections.csv files of ``n`` rows: half stored people by name and company (no URL:
    the resolver's name+company match), half new people with a profile URL."""
    conn = sqlite3.connect(f"file:{base / 'warmintro.db'}?mode=ro", uri=True)
    (workspace,) = conn.execute("SELECT workspace FROM people LIMIT 1").fetchone()
    rows = conn.execute("SELECT id, name, company FROM people WHERE workspace=?", (workspace,))
    people = rows.fetchall()
    ids = [pid for pid, _, _ in people]
    conn.close()
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    for n in ties:
        lines = ["source,target,strength"]
        for i in range(n):
            a = rng.choice(ids)
            roll = rng.random()
            if roll < 0.5:
                b = rng.choice(ids)
            elif roll < 0.75:
                b = f"https://www.linkedin.com/in/upload-{seed}-{n}-{i}"
            else:
                b = f"upload.{seed}.{n}.{i}@example.com"
            if a != b:
                lines.append(f"{a},{b},0.{rng.randrange(1, 10)}")
        path = out / f"edges-{n}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(json.dumps({"file": str(path), "ties": len(lines) - 1, "workspace": workspace}))
    rng = random.Random(seed + 1)  # the edge lists stay what they were before these files
    for n in ties:
        lines = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
        for i in range(n):
            if rng.random() < 0.5:
                _, name, company = rng.choice(people)
                first, _, last = name.partition(" ")
                lines.append(f'{first},{last},,,"{company}",Engineer,16 Dec 2024')
            else:
                url = f"https://www.linkedin.com/in/upload-{seed}-{n}-{i}"
                lines.append(f"New,Contact {i},{url},,Company {i % 97},Engineer,16 Dec 2024")
        folder = out / f"linkedin-{n}"
        folder.mkdir(exist_ok=True)
        (folder / "Connections.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(json.dumps({"file": str(folder), "rows": n}))


async def run(
    data_dir: Path, file: Path, kind: str, member: str | None, owner: str | None
) -> dict[str, Any]:
    from graph.store.embedded import EmbeddedStore
    from services.access import Viewer
    from services.imports import ImportKind, ImportRequest, run_import
    from services.planner import Planner

    t = time.perf_counter()
    store = EmbeddedStore(data_dir / "warmintro.db", today=lambda: TODAY)
    opened = time.perf_counter() - t
    workspace = str(
        store._reader.conn().execute("SELECT workspace FROM people LIMIT 1").fetchone()[0]
    )
    handed: dict[str, float] = {"people": 0, "calls": 0, "read_s": 0.0, "write_s": 0.0}
    for name in ("people", "people_for_keys", "apply"):  # what the store hands out, and when
        method = getattr(store, name, None)
        if method is None:
            continue

        def timed(*args: Any, _method: Any = method, _name: str = name, **kw: Any) -> Any:
            async def wrapped() -> Any:
                t = time.perf_counter()
                found = await _method(*args, **kw)
                if _name == "apply":
                    handed["write_s"] += time.perf_counter() - t
                else:
                    handed["read_s"] += time.perf_counter() - t
                    handed["people"] += len(found)
                    handed["calls"] += 1
                return found

            return wrapped()

        setattr(store, name, timed)
    from loaders.base import loader_named

    loader_named(kind)  # the loaders' modules, imported once by a server before any upload
    planner = Planner(store, today=TODAY)
    viewer = Viewer(workspace, member)
    if member is not None:
        await store.planning_view(workspace)  # a server holds it already
    owner_person = await store.person(workspace, owner) if owner else None
    request = ImportRequest(ImportKind(kind), file, owner=owner_person)
    rss_before = _status("VmRSS")
    _reset_peak()
    t = time.perf_counter()
    report = await run_import(planner, viewer, request)
    seconds = time.perf_counter() - t
    peak = _status("VmHWM")
    await store.close()
    import services.imports

    return {
        "code": str(Path(services.imports.__file__).parent.parent),
        "file": file.name,
        "member": member,
        "open_s": round(opened, 3),
        "import_s": round(seconds, 3),
        "rss_before_mib": round(rss_before / 1024, 1),
        "peak_above_mib": round((peak - rss_before) / 1024, 1),
        "people_read": int(handed["people"]),
        "store_reads": int(handed["calls"]),
        "people_read_s": round(handed["read_s"], 3),
        "write_s": round(handed["write_s"], 3),
        "report": {k: v for k, v in report.as_dict().items() if k in ("people", "relationships")},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--dir", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--ties", type=int, nargs="+", default=[10, 10_000])
    p.add_argument("--seed", type=int, default=1)
    r = sub.add_parser("run")
    r.add_argument("--dir", type=Path, required=True)
    r.add_argument("--file", type=Path, required=True)
    r.add_argument("--kind", default="edges")
    r.add_argument("--member", default=None, help="import as this member (default: operator)")
    r.add_argument("--owner", default=None, help="whose export this is (LinkedIn), by id")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.dir, args.out, args.ties, args.seed)
    else:
        print(json.dumps(asyncio.run(run(args.dir, args.file, args.kind, args.member, args.owner))))


if __name__ == "__main__":
    main()
