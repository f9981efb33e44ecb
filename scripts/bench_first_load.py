"""Benchmark: the first-load writer alone, by page size (issue 19: 1M ties in <= 10 s).

A first load streams rows to a writer process (graph.store.first_load); on two cores the
slower of the two processes bounds the wall time. This times the writer's side only, on
the exact frames the parser sends: ``capture`` runs the parser (``stream_edges_csv``)
into a file of frames; ``replay`` applies them with the writer's own code into a fresh
database, one process, and prints each phase's wall seconds. Alternate page sizes in
one run (the machine's speed drifts between holds):

    .venv/bin/python scripts/bench_first_load.py capture --dir /tmp/imp/files --out /tmp/frames.bin
    .venv/bin/python scripts/bench_first_load.py replay --frames /tmp/frames.bin \\
        --page-size 4096 16384 --repeat 2

``/tmp/imp/files`` holds ``edges.csv`` and ``people.csv`` as scripts/bench_import_edges.py
writes them (``--keep``). The new-database default is ``graph.store.embedded.PAGE_SIZE``.
"""

from __future__ import annotations

import argparse
import marshal
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.store import first_load
from graph.store.embedded import (
    BIG_WRITE_CACHE_KIB,
    EVERYTHING,
    _analyze,
    _build_indexes,
    _migrate,
    bump_version,
    connect,
)
from loaders.edges import stream_edges_csv

WORKSPACE = "default"


class _Recorder:
    """A row sink that writes the frames FirstLoad would send, in order."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out

    def ready(self) -> bool:
        return True

    def people(self, rows: list[Any]) -> None:
        marshal.dump(("people", rows), self.out)

    def people_done(self) -> None:
        marshal.dump(("people-done",), self.out)

    def evidence(self, a: list[str], b: list[str], kinds: list[int], records: list[Any]) -> None:
        marshal.dump(("evidence", a, b, kinds, records), self.out)

    def finish(self, pairs: Any, people: Any) -> None:
        marshal.dump(("commit", None, []), self.out)

    def commit(self) -> int:
        return 1


def capture(files: Path, out: Path) -> None:
    with out.open("wb") as f:
        report = stream_edges_csv(
            files / "edges.csv", people_path=files / "people.csv", sink=_Recorder(f)
        )
    assert report is not None
    print(f"{report.people} people, {report.relationships} ties -> {out}")


def _frames(path: Path) -> list[tuple[Any, ...]]:
    frames = []
    with path.open("rb") as f:
        while True:
            try:
                frames.append(marshal.load(f))  # noqa: S302 -- frames this script wrote
            except EOFError:
                return frames


def replay(frames: list[tuple[Any, ...]], page_size: int) -> dict[str, float]:
    """The writer's phases on a new database of ``page_size`` bytes a page."""
    where = Path(tempfile.mkdtemp(prefix="first-load-"))
    try:
        path = where / "warmintro.db"
        new = sqlite3.connect(path)
        new.execute(f"PRAGMA page_size={page_size}")
        new.execute("VACUUM")
        new.close()
        conn = connect(path)  # an existing database keeps its page size
        _migrate(conn)
        conn.execute(f"PRAGMA cache_size=-{BIG_WRITE_CACHE_KIB}")
        conn.execute("BEGIN IMMEDIATE")
        writer = first_load._Writer(conn, WORKSPACE)
        phases: dict[str, float] = {}
        start = time.perf_counter()
        for frame in frames:
            t = time.perf_counter()
            if frame[0] == "commit":
                _build_indexes(conn, writer.deferred)
                phases["indexes"] = time.perf_counter() - t
                t = time.perf_counter()
                bump_version(conn, WORKSPACE, set(), {EVERYTHING})
                _analyze(conn)
                conn.execute("COMMIT")
                phases["commit"] = time.perf_counter() - t
                break
            writer.apply(frame)
            phases[frame[0]] = phases.get(frame[0], 0.0) + time.perf_counter() - t
        phases["total"] = time.perf_counter() - start
        phases["MiB"] = path.stat().st_size / 2**20
        assert conn.execute("PRAGMA page_size").fetchone() == (page_size,)
        conn.close()
        return phases
    finally:
        shutil.rmtree(where)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("capture")
    c.add_argument("--dir", type=Path, required=True)
    c.add_argument("--out", type=Path, required=True)
    r = sub.add_parser("replay")
    r.add_argument("--frames", type=Path, required=True)
    r.add_argument("--page-size", type=int, nargs="+", default=[4096, 16384])
    r.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    if args.command == "capture":
        capture(args.dir, args.out)
        return
    frames = _frames(args.frames)
    for _ in range(args.repeat):
        for size in args.page_size:
            phases = replay(frames, size)
            print(f"page {size:>6}: " + "  ".join(f"{k} {v:.2f}" for k, v in phases.items()))


if __name__ == "__main__":
    main()
