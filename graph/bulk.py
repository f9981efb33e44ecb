"""Cyclic garbage collection paused while a bulk import builds millions of objects.

A 1M-tie edge list makes millions of tuples, people, evidence rows and relationships,
none of them in a reference cycle. With the collector on, every few hundred allocations
start a collection, and the older generations are walked again and again while they
grow: ~3 of the ~9 CPU s of loading a 1M-tie file (issue 19). Reference counting still
frees everything as usual; cycles made meanwhile are collected once it is back on.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Pauses:
    """How many pauses are running (nested, or concurrent: a server imports on worker
    threads) and whether the collector was on before the first."""

    guard = threading.Lock()
    depth = 0
    was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block (re-entrant and thread-safe: it comes
    back on when the last pause ends, and only if it was on before the first)."""
    with _Pauses.guard:
        if _Pauses.depth == 0:
            _Pauses.was_enabled = gc.isenabled()
            gc.disable()
        _Pauses.depth += 1
    try:
        yield
    finally:
        with _Pauses.guard:
            _Pauses.depth -= 1
            if _Pauses.depth == 0 and _Pauses.was_enabled:
                gc.enable()
