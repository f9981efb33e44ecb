"""Memory around bulk work: the cyclic collector paused while an import builds
millions of objects, and freed heap given back to the system after a graph swap.

A 1M-tie edge list makes millions of tuples, people, evidence rows and relationships,
none of them in a reference cycle. With the collector on, every few hundred allocations
start a collection, and the older generations are walked again and again while they
grow: ~3 of the ~9 CPU s of loading a 1M-tie file (issue 19). Reference counting still
frees everything as usual; cycles made meanwhile are collected once it is back on.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
from collections.abc import Callable, Iterator
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


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL(
            ctypes.util.find_library("c") or "libc.so.6"
        ).malloc_trim
        return trim
    except (OSError, AttributeError):  # not glibc: nothing to call
        return None


_TRIM = _malloc_trim()


def give_back_freed_memory() -> None:
    """Return the heap freed by a dropped planning graph to the system (glibc's
    ``malloc_trim``; a no-op elsewhere). Arrays below glibc's adaptive mmap threshold
    (up to 32 MiB, so most of a 1M-tie graph's) live on the heap, and without this a
    worker keeps ~55 MiB per replaced graph resident (measured at 1M ties, issue 19).
    ctypes lets go of the GIL for the call."""
    if _TRIM is not None:
        _TRIM(0)
