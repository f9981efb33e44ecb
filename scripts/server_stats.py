"""What a benchmarked server's process tree uses: CPU time, memory, and when it is idle.

Shared by scripts/bench_api.py and scripts/bench_http_team.py (Linux /proc only): a
server started with ``--workers N`` is a supervisor and its children, so every figure
sums the whole tree.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path


def tree_pids(root: int) -> list[int]:
    """``root`` and its descendants."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def cpu_seconds(root: int) -> float:
    """CPU time (user + system) used so far by ``root`` and its descendants."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in tree_pids(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def memory(root: int) -> tuple[int, int, int]:
    """(processes, RSS bytes, PSS bytes) summed over the tree; PSS splits shared pages
    (a memory-mapped snapshot, copy-on-write pages) between the processes using them."""
    n = rss = pss = 0
    for pid in tree_pids(root):
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        n += 1
        rss += int(re.search(r"^Rss:\s+(\d+)", text, re.M).group(1)) * 1024  # type: ignore[union-attr]
        pss += int(re.search(r"^Pss:\s+(\d+)", text, re.M).group(1)) * 1024  # type: ignore[union-attr]
    return n, rss, pss


def per_process(root: int) -> list[tuple[int, int, int, int]]:
    """(pid, RSS, PSS, anonymous bytes) of each process in the tree: anonymous memory
    is a process's own (heap, patched arrays); the rest of RSS is mapped files, shared
    between workers that map the same snapshot."""
    out = []
    for pid in tree_pids(root):
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        kib = {k: int(v) * 1024 for k, v in re.findall(r"^(\w+):\s+(\d+) kB", text, re.M)}
        out.append((pid, kib.get("Rss", 0), kib.get("Pss", 0), kib.get("Anonymous", 0)))
    return out


def wait_idle(pid: int, timeout: float = 900) -> None:
    """Return once the tree has used (almost) no CPU for 3 s: every worker is ready."""
    deadline = time.monotonic() + timeout
    quiet, last = 0, cpu_seconds(pid)
    while quiet < 3 and time.monotonic() < deadline:
        time.sleep(1)
        now = cpu_seconds(pid)
        quiet = quiet + 1 if now - last < 0.05 else 0
        last = now
