"""The planning graph's flat arrays as files, for starts that skip the rebuild.

A snapshot is a directory: one ``.npy`` file per array (memory-mapped
copy-on-write at load, so processes that load the same snapshot share its pages),
the ids as one UTF-8 blob (each id followed by a NUL, so a start splits it in C
rather than slicing 300k ids in Python) with offsets, and ``manifest.json`` naming
the format, the caller's ``key`` (what the graph was built from: the store's
version, the as-of day, the weights) and each file's size and SHA-256 digest
(hardware-accelerated: 2-4x faster than BLAKE2b here, ~100 MB per million ties).

A snapshot is never trusted when it is stale or damaged: :func:`load` returns
None for a missing or foreign manifest, another key, a file of the wrong size or
digest, or anything unreadable, and :func:`load_or_build` then rebuilds and
rewrites it. Writes go to a fresh directory renamed into place, so a reader
never sees half a snapshot. :func:`locked` orders the processes that save and load
one snapshot, so the workers of a server save each version once and map one copy.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from itertools import compress
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from graph.trustgraph import TrustGraph

FORMAT = "warmintro-planning-snapshot"
VERSION = 2  # 2: NUL after each id, SHA-256 digests
ARRAYS = ("ptr", "nbr", "byid", "cost", "strength_", "mid", "first_cost", "id_offsets", "live")


try:
    import fcntl
except ImportError:  # Windows: no cross-process lock (one worker there)
    fcntl = None  # type: ignore[assignment]


def _digest(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def save(
    g: TrustGraph,
    directory: Path,
    key: str,
    *,
    extra: Mapping[str, npt.NDArray[Any]] | None = None,
    meta: Mapping[str, Any] | None = None,
) -> None:
    """Write ``g`` as a snapshot at ``directory`` (replacing any there), with the
    caller's ``extra`` arrays and JSON-able ``meta`` (returned by :func:`load_bundle`)."""
    extra = dict(extra or {})
    if set(extra) & {*ARRAYS, "manifest", "ids"}:
        raise ValueError("extra array names clash with the graph's")
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        blobs = [i.encode() + b"\0" for i in g.ids]
        offsets = np.zeros(len(blobs) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in blobs], out=offsets[1:])
        (tmp / "ids.bin").write_bytes(b"".join(blobs))
        live = np.zeros(len(g.ids), dtype=np.bool_)
        live[list(g.index.values())] = True
        arrays: dict[str, Any] = {
            name: getattr(g, name) for name in ARRAYS if name not in ("id_offsets", "live")
        }
        arrays["id_offsets"], arrays["live"] = offsets, live
        arrays.update(extra)
        for name, arr in arrays.items():
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(arr), allow_pickle=False)
        files = {p.name: {"bytes": p.stat().st_size, "sha256": _digest(p)} for p in tmp.iterdir()}
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "key": key,
            "masks": [format(m, "x") for m in g.mask_table],
            "extra": sorted(extra),
            "meta": dict(meta or {}),
            "files": files,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest))
        if directory.exists():
            old = directory.with_name(f".{directory.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            directory.rename(old)
            tmp.rename(directory)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


@contextlib.contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Hold the snapshot at ``directory`` against every other process and thread (an
    exclusive ``flock`` on ``<directory>.lock``): a save, or a check of the saved key
    followed by a load, that must wait for a save in progress rather than miss it.
    Where the lock file cannot be made (a read-only data dir), no lock is taken."""
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        handle = directory.with_name(directory.name + ".lock").open("a+b")
    except OSError:  # a read-only place: nothing is saved there to wait for either
        yield
        return
    with handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)


def saved(directory: Path) -> tuple[str, str] | None:
    """The key and the ``day`` in the meta of the snapshot at ``directory``, as its
    manifest names them (not checked: enough to see another process already saved this
    graph), or None."""
    try:
        manifest = json.loads((directory / "manifest.json").read_text())
        key, day = manifest["key"], manifest["meta"].get("day", "")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return (key, day) if isinstance(key, str) and isinstance(day, str) else None


def load(directory: Path, key: str) -> TrustGraph | None:
    """The snapshot at ``directory`` if it is whole and was built for ``key``; else None."""
    found = load_bundle(directory, key)
    return None if found is None else found[0]


Bundle = tuple[TrustGraph, dict[str, npt.NDArray[Any]], dict[str, Any]]


def load_bundle(directory: Path, key: str, ids: list[str] | None = None) -> Bundle | None:
    """Graph, extra arrays and meta of a whole snapshot built for ``key``; else None.

    ``ids``: the ids this process already holds for the graph saved there (a worker
    mapping the snapshot of the version it has just patched); taken when equal to the
    saved ones, so each write does not make ~300k new id strings per million ties."""
    from graph import kernels  # numba loads on the first graph, not on import

    kernels.warm_soon()  # while the files are hashed
    try:
        manifest = json.loads((directory / "manifest.json").read_text())
        if not (
            isinstance(manifest, dict)
            and manifest.get("format") == FORMAT
            and manifest.get("version") == VERSION
            and manifest.get("key") == key
        ):
            return None
        files = manifest["files"]
        extra = manifest.get("extra", [])
        if set(files) != {f"{n}.npy" for n in (*ARRAYS, *extra)} | {"ids.bin"}:
            return None
        for name, meta in files.items():
            path = directory / name
            if path.stat().st_size != meta["bytes"] or _digest(path) != meta["sha256"]:
                return None
        g = _assemble(directory, [int(m, 16) for m in manifest["masks"]], ids)
        if g is None:
            return None
        arrays = {n: np.load(directory / f"{n}.npy", mmap_mode="c") for n in extra}
        return g, arrays, dict(manifest.get("meta", {}))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _assemble(directory: Path, masks: list[int], known: list[str] | None) -> TrustGraph | None:
    arrays = {n: np.load(directory / f"{n}.npy", mmap_mode="c") for n in ARRAYS}
    blob = (directory / "ids.bin").read_bytes()
    n = len(arrays["id_offsets"]) - 1
    if len(arrays["ptr"]) != n + 1 or len(arrays["live"]) != n:
        return None
    g = TrustGraph()
    if known is not None and len(known) == n and _ids_blob(known) == blob:
        ids: list[str] | None = list(known)
    else:
        ids = _ids(blob, arrays["id_offsets"])
    if ids is None:
        return None
    g.ids = ids
    live = np.asarray(arrays["live"], dtype=np.bool_)
    if live.all():
        g.index = dict(zip(g.ids, range(n), strict=True))
    else:  # erased people keep their slot (ints are stable), not their id
        alive = np.flatnonzero(live).tolist()
        g.index = dict(zip(compress(g.ids, live.tolist()), alive, strict=True))
    for name in ARRAYS[:7]:
        setattr(g, name, arrays[name])
    g.mask_table = masks
    g.restored()
    return g


def _ids_blob(ids: list[str]) -> bytes:
    """``ids.bin`` of ``ids``: each id's UTF-8 followed by a NUL."""
    return ("\0".join(ids) + "\0").encode() if ids else b""


def _ids(blob: bytes, offsets: npt.NDArray[np.int64]) -> list[str] | None:
    """The ids of an ``ids.bin`` (each followed by a NUL); None if it disagrees with its
    offsets. One split in C when no id holds a NUL, else slices."""
    n = len(offsets) - 1
    if n < 0 or int(offsets[-1]) != len(blob):
        return None
    if blob.count(0) == n:
        ids = blob.decode().split("\0")
        ids.pop()  # after the last NUL
        return ids
    bounds = offsets.tolist()
    return [blob[bounds[i] : bounds[i + 1] - 1].decode() for i in range(n)]


def load_or_build(directory: Path, key: str, build: Callable[[], TrustGraph]) -> TrustGraph:
    """The snapshot when it is valid for ``key``; otherwise ``build()``, saved for next time.

    A failure to write the snapshot (a read-only data dir) only costs the next start.
    """
    g = load(directory, key)
    if g is not None:
        return g
    g = build()
    with contextlib.suppress(OSError):
        save(g, directory, key)
    return g
