"""``warmintro import edges`` of a big file into an empty data dir: the two-process first
load (graph.store.first_load) end to end, in a fresh CLI process.

Same stored rows and report as the batch path; a bad row near the end exits 2 with the
batch path's located error and writes nothing; a store already open on the data dir (a
running server) sees the import.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph.model import canonical_pair
from graph.store.embedded import EmbeddedStore
from graph.store.first_load import FirstLoad
from loaders.edges import load_edges
from services import imports
from services.access import Viewer
from services.imports import FIRST_LOAD_MIN_BYTES, ImportKind, ImportRequest, run_import
from services.planner import Planner

WS = "w"
TABLES = ("people", "evidence", "members", "merges", "versions", "changes")


def write_files(root: Path, *, bad_at: int | None = None) -> tuple[Path, Path]:
    """An edge list just over the first-load size: ids, URLs and emails as endpoints,
    a note column, a repeated pair, endpoints the people file does not list."""
    people = ["id,name,company,position,email,url"]
    for i in range(3000):
        email = f"p{i}@corp{i % 40}.example" if i % 3 == 0 else ""
        url = f"https://www.linkedin.com/in/person-{i}" if i % 3 == 1 else ""
        people.append(f"p{i},Person {i},Corp {i % 40},Role {i % 7},{email},{url}")
    edges = ["source,target,strength,context"]
    i = 0
    size = 0
    while size < FIRST_LOAD_MIN_BYTES + 4096:
        a, b = i % 3000, (i * 7919 + 13) % 3100  # b >= 3000: new people
        if a != b:
            end = (
                f"p{b}"
                if b % 3 == 2
                else (
                    f"p{b}@corp{b % 40}.example" if b % 3 == 0 else f"linkedin.com/in/person-{b}/"
                )
            )
            row = f"p{a},{end},{(i % 9 + 1) / 10},{'school' if i % 4 == 0 else 'filler text ' * 3}"
            edges.append(row)
            size += len(row) + 1
        i += 1
    edges.append("p1,p2,0.5,repeated")
    edges.append("p2,p1,0.25,")  # the same pair again: the later row wins
    if bad_at is not None:
        edges.insert(bad_at, "p5,p6,7,")
    e, p = root / "edges.csv", root / "people.csv"
    e.write_text("\n".join(edges) + "\n", encoding="utf-8")
    p.write_text("\n".join(people) + "\n", encoding="utf-8")
    assert e.stat().st_size >= FIRST_LOAD_MIN_BYTES
    return e, p


def run_cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WARMINTRO_DATA_DIR": str(data), "WARMINTRO_WORKSPACE": WS}
    cli = Path(sys.executable).parent / "warmintro"
    return subprocess.run(
        [str(cli), *args], check=False, env=env, capture_output=True, text=True, timeout=300
    )


def rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}")) for t in TABLES}  # noqa: S608
    finally:
        conn.close()


def test_same_rows_and_report_as_the_batch_path(tmp_path: Path) -> None:
    e, p = write_files(tmp_path)
    done = run_cli(tmp_path / "data", "import", "edges", str(e), "--people", str(p), "--json")
    assert done.returncode == 0, done.stderr
    batch, report = load_edges(e, people_path=p)
    store = EmbeddedStore(tmp_path / "batch" / "warmintro.db")
    store.apply_sync(WS, batch)
    asyncio.run(store.close())
    assert json.loads(done.stdout) == report.as_dict()
    assert any("repeats the edge p1 - p2" in n for n in report.notes)
    assert rows(tmp_path / "data" / "warmintro.db") == rows(tmp_path / "batch" / "warmintro.db")


def test_a_bad_row_near_the_end_writes_nothing_and_is_located(tmp_path: Path) -> None:
    e, p = write_files(tmp_path, bad_at=-3)
    bad_line = e.read_text(encoding="utf-8").splitlines().index("p5,p6,7,") + 1
    done = run_cli(tmp_path / "data", "import", "edges", str(e), "--people", str(p))
    assert done.returncode == 2
    assert f"edges.csv:{bad_line}" in done.stderr
    assert "strength" in done.stderr
    assert rows(tmp_path / "data" / "warmintro.db") == {t: [] for t in TABLES}


def test_a_store_open_on_the_data_dir_sees_the_import(tmp_path: Path) -> None:
    data = tmp_path / "data"
    server = EmbeddedStore(data / "warmintro.db", today=lambda: date(2026, 12, 3))
    try:
        assert not list(asyncio.run(server.planning_view(WS)).graph.edges())  # built, empty
        e, p = write_files(tmp_path)
        done = run_cli(data, "import", "edges", str(e), "--people", str(p), "--json")
        assert done.returncode == 0, done.stderr
        pairs = {canonical_pair(u, v) for u, v, _s, _m in server.catch_up(WS).graph.edges()}
        assert canonical_pair("p1", "p2") in pairs
        assert canonical_pair("p0", "p13") in pairs  # an endpoint the file named by URL
    finally:
        asyncio.run(server.close())


def _service_import(db: Path, e: Path, p: Path) -> dict[str, Any]:
    store = EmbeddedStore(db, today=lambda: date(2026, 12, 3))
    try:
        planner = Planner(store, today=date(2026, 12, 3))
        request = ImportRequest(ImportKind.EDGES, e, people_path=p)
        return asyncio.run(run_import(planner, Viewer(WS), request)).as_dict()
    finally:
        asyncio.run(store.close())


def test_the_service_takes_the_writer_or_falls_back_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through services.imports in process: the file takes the writer process; a writer
    that cannot even be started leaves it to the batch path, with the same result."""
    e, p = write_files(tmp_path)
    batch, report = load_edges(e, people_path=p)
    store = EmbeddedStore(tmp_path / "batch.db")
    store.apply_sync(WS, batch)
    asyncio.run(store.close())
    started: list[int] = []
    real = FirstLoad

    def counted(path: Path, workspace: str) -> FirstLoad:
        started.append(1)
        return real(path, workspace)

    monkeypatch.setattr(imports, "FirstLoad", counted)
    assert _service_import(tmp_path / "writer.db", e, p) == report.as_dict()
    assert started == [1]
    assert rows(tmp_path / "writer.db") == rows(tmp_path / "batch.db")

    def no_process(*_args: object, **_kw: object) -> None:
        raise OSError("no interpreter here")

    monkeypatch.setattr("graph.store.first_load.subprocess.Popen", no_process)
    assert _service_import(tmp_path / "fallback.db", e, p) == report.as_dict()
    assert started == [1, 1]
    assert rows(tmp_path / "fallback.db") == rows(tmp_path / "batch.db")
