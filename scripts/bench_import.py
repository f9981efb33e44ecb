"""Benchmark: LinkedIn import into the embedded store (issue 4 target: 30k+100k in <= 3 s).

Same run, same files: a baseline pass that only reads every row with ``csv.reader``
(the floor any CSV importer pays), then the real import (parse, identity resolution,
batch build, one SQLite transaction). Prints seconds, rows/s and the ratio.

    .venv/bin/python scripts/bench_import.py [--connections 30000] [--messages 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from demo.data import write_synthetic_export
from graph.store.embedded import EmbeddedStore
from services.access import Viewer
from services.imports import ImportKind, ImportRequest, run_import
from services.planner import Planner


def csv_floor(folder: Path) -> int:
    rows = 0
    for path in folder.rglob("*.csv"):
        with path.open(newline="", encoding="utf-8-sig") as f:
            for _ in csv.reader(f):
                rows += 1
    return rows


async def import_once(folder: Path, db: Path) -> tuple[float, int, int]:
    store = EmbeddedStore(db)
    planner = Planner(store)
    started = time.perf_counter()
    report = await run_import(planner, Viewer("bench"), ImportRequest(ImportKind.LINKEDIN, folder))
    elapsed = time.perf_counter() - started
    await store.close()
    return elapsed, report.relationships, report.interactions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=30_000)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        folder = write_synthetic_export(
            root / "export",
            connections=args.connections,
            messages=args.messages,
            seed=1,
            today=date(2026, 11, 1),
        )
        print(f"generated export in {time.perf_counter() - t0:.1f} s: {folder}")
        floors, imports = [], []
        rows = 0
        for i in range(args.repeat):
            t = time.perf_counter()
            rows = csv_floor(folder)
            floors.append(time.perf_counter() - t)
            elapsed, rels, inter = asyncio.run(import_once(folder, root / f"db{i}.sqlite"))
            imports.append(elapsed)
        floor, full = statistics.median(floors), statistics.median(imports)
        print(
            f"rows in files: {rows:,} "
            f"({args.connections:,} connections, {args.messages:,} messages)"
        )
        print(f"relationships: {rels:,}  interactions: {inter:,}")
        print(f"baseline csv.reader pass: median {floor:.3f} s ({rows / floor:,.0f} rows/s)")
        print(
            f"full import (parse+resolve+SQLite commit): median {full:.3f} s "
            f"({rows / full:,.0f} rows/s)"
        )
        print(
            f"import / baseline time ratio: {full / floor:.1f}x; "
            f"target <= 3 s: {'MET' if full <= 3 else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
