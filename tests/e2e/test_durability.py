"""Kill the process during a large import: the store holds the state before or after it."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.store.embedded import EmbeddedStore

pytestmark = pytest.mark.slow


def write_edges(path: Path, n: int, *, prefix: str) -> None:
    with path.open("w") as f:
        f.write("source,target,strength\n")
        for i in range(n):
            f.write(f"{prefix}{i},{prefix}{(i * 7919 + 1) % n},0.5\n")


def stats(data: Path) -> tuple[int, int]:
    store = EmbeddedStore(data / "warmintro.db")
    s = asyncio.run(store.stats("default"))
    asyncio.run(store.close())
    return s.people, s.relationships


def run_import(data: Path, edges: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "WARMINTRO_DATA_DIR": str(data)}
    return subprocess.Popen(
        [sys.executable, "-m", "cli.main", "import", "edges", str(edges)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_kill_during_import_leaves_before_or_after(tmp_path: Path) -> None:
    small, big = tmp_path / "small.csv", tmp_path / "big.csv"
    write_edges(small, 50, prefix="s")
    write_edges(big, 150_000, prefix="b")
    reference = tmp_path / "reference"
    for edges in (small, big):
        assert run_import(reference, edges).wait(timeout=300) == 0
    after = stats(reference)

    outcomes = set()
    for delay in (0.3, 1.0, 2.0, 3.5):
        data = tmp_path / f"run-{delay}"
        assert run_import(data, small).wait(timeout=120) == 0
        before = stats(data)
        proc = run_import(data, big)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        state = stats(data)
        assert state in (before, after), (
            f"killed after {delay}s: {state} is neither {before} nor {after}"
        )
        outcomes.add("after" if state == after else "before")
    assert "before" in outcomes  # at least one kill really landed mid-import
