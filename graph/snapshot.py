"""The planning graph's flat arrays as files, for starts that skip the rebuild.

A snapshot is a directory: one ``.npy`` file per array (memory-mapped
copy-on-write at load, so processes that load the same snapshot share its pages),
the ids as one UTF-8 blob with offsets, and ``manifest.json`` naming the format,
the caller's ``key`` (what the graph was built from: the store's version, the
as-of day, the weights) and each file's size and BLAKE2b digest.

A snapshot is never trusted when it is stale or damaged: :func:`load` returns
None for a missing or foreign manifest, another key, a file of the wrong size or
digest, or anything unreadable, and :func:`load_or_build` then rebuilds and
rewrites it. Writes go to a fresh directory renamed into place, so a reader
never sees half a snapshot.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from graph.trustgraph import TrustGraph

FORMAT = "warmintro-planning-snapshot"
VERSION = 1
ARRAYS = ("ptr", "nbr", "byid", "cost", "strength_", "mid", "first_cost", "id_offsets", "live")


def _digest(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


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
        blobs = [i.encode() for i in g.ids]
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
        files = {p.name: {"bytes": p.stat().st_size, "blake2b": _digest(p)} for p in tmp.iterdir()}
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


def load(directory: Path, key: str) -> TrustGraph | None:
    """The snapshot at ``directory`` if it is whole and was built for ``key``; else None."""
    found = load_bundle(directory, key)
    return None if found is None else found[0]


Bundle = tuple[TrustGraph, dict[str, npt.NDArray[Any]], dict[str, Any]]


def load_bundle(directory: Path, key: str) -> Bundle | None:
    """Graph, extra arrays and meta of a whole snapshot built for ``key``; else None."""
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
            if path.stat().st_size != meta["bytes"] or _digest(path) != meta["blake2b"]:
                return None
        g = _assemble(directory, [int(m, 16) for m in manifest["masks"]])
        if g is None:
            return None
        arrays = {n: np.load(directory / f"{n}.npy", mmap_mode="c") for n in extra}
        return g, arrays, dict(manifest.get("meta", {}))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _assemble(directory: Path, masks: list[int]) -> TrustGraph | None:
    arrays = {n: np.load(directory / f"{n}.npy", mmap_mode="c") for n in ARRAYS}
    blob = (directory / "ids.bin").read_bytes()
    offsets = arrays["id_offsets"].tolist()
    n = len(offsets) - 1
    if len(arrays["ptr"]) != n + 1 or len(arrays["live"]) != n:
        return None
    g = TrustGraph()
    g.ids = [blob[offsets[i] : offsets[i + 1]].decode() for i in range(n)]
    live = arrays["live"]
    g.index = {g.ids[i]: i for i in np.flatnonzero(live).tolist()}
    for name in ARRAYS[:7]:
        setattr(g, name, arrays[name])
    g.mask_table = masks
    g.restored()
    return g


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
