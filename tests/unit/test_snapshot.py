"""Planning-graph snapshots: used only when whole and built for the same key."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from graph import snapshot
from graph.algorithms import most_trusted_path, rank_introducers
from graph.errors import NoPath
from graph.trustgraph import TrustGraph


def graph(seed: int) -> TrustGraph:
    rng = random.Random(seed)
    people = [f"p{i}" for i in range(200)] + ["Zoë Ångström"]
    edges = [
        (a, b, rng.choice([0.1, 0.3, 0.5, 0.9]), rng.choice([1, 2, 4, 1 << 80]))
        for a, b in (rng.sample(people, 2) for _ in range(800))
    ]
    return TrustGraph.from_edges(edges, ["lonely"])


def answers(g: TrustGraph) -> list[object]:
    out: list[object] = []
    for t in ("p1", "p2", "p3", "Zoë Ångström", "lonely"):
        for mask in (None, 2, 1 << 80):
            try:
                out.append(most_trusted_path(g, "p0", t, max_hops=4, owner_mask=mask))
            except NoPath as err:
                out.append(err.reason)
        out.append(rank_introducers(g, "p0", t, max_hops=4))
    return out


def built(calls: list[int], seed: int = 1) -> TrustGraph:
    calls.append(seed)
    return graph(seed)


def test_a_snapshot_loads_the_same_graph_and_answers(tmp_path: Path) -> None:
    g = graph(1)
    g.remove_node("p7")  # a removed slot stays a slot
    snapshot.save(g, tmp_path / "snap", "v1")
    back = snapshot.load(tmp_path / "snap", "v1")
    assert back is not None
    assert back.ids == g.ids and back.index == g.index and back.mask_table == g.mask_table
    assert "p7" not in back and len(back) == len(g)
    for name in ("ptr", "nbr", "byid", "cost", "strength_", "mid", "first_cost"):
        assert np.array_equal(getattr(back, name), getattr(g, name))
    assert isinstance(back.nbr, np.memmap)  # mapped, not read into private memory
    assert answers(back) == answers(g)
    assert sorted(back.edges()) == sorted(g.edges())


def test_load_or_build_uses_a_valid_snapshot_and_rebuilds_a_stale_one(tmp_path: Path) -> None:
    calls: list[int] = []
    where = tmp_path / "snap"
    first = snapshot.load_or_build(where, "v1", lambda: built(calls))
    again = snapshot.load_or_build(where, "v1", lambda: built(calls))
    assert calls == [1]
    assert answers(again) == answers(first)
    newer = snapshot.load_or_build(where, "v2", lambda: built(calls, 2))
    assert calls == [1, 2]  # another key: stale, rebuilt, rewritten
    assert answers(newer) == answers(graph(2))
    assert snapshot.load(where, "v1") is None
    assert snapshot.load(where, "v2") is not None


@pytest.mark.parametrize("damage", ["truncate", "flip", "drop", "foreign", "manifest"])
def test_a_damaged_or_foreign_snapshot_is_rebuilt_never_used(tmp_path: Path, damage: str) -> None:
    where, other = tmp_path / "snap", tmp_path / "other"
    snapshot.save(graph(1), where, "v1")
    snapshot.save(graph(3), other, "v1")
    nbr = where / "nbr.npy"
    if damage == "truncate":
        nbr.write_bytes(nbr.read_bytes()[:-40])
    elif damage == "flip":
        data = bytearray(nbr.read_bytes())
        data[-5] ^= 0xFF
        nbr.write_bytes(bytes(data))
    elif damage == "drop":
        (where / "cost.npy").unlink()
    elif damage == "foreign":  # another graph's array under the same key
        nbr.write_bytes((other / "nbr.npy").read_bytes())
    else:
        manifest = json.loads((where / "manifest.json").read_text())
        manifest["format"] = "something-else"
        (where / "manifest.json").write_text(json.dumps(manifest))
    assert snapshot.load(where, "v1") is None
    calls: list[int] = []
    g = snapshot.load_or_build(where, "v1", lambda: built(calls, 4))
    assert calls == [4]
    assert answers(g) == answers(graph(4))
    assert snapshot.load(where, "v1") is not None  # rewritten whole


def test_garbage_in_place_of_a_manifest_is_not_a_snapshot(tmp_path: Path) -> None:
    where = tmp_path / "snap"
    where.mkdir()
    (where / "manifest.json").write_bytes(b"\x00\xff not json")
    assert snapshot.load(where, "v1") is None
    assert snapshot.load(tmp_path / "missing", "v1") is None


def test_ids_of_any_text_come_back_in_their_slots(tmp_path: Path) -> None:
    """Ids are split at NULs in C when none holds one; an id that does (or is empty, or
    not ASCII) takes the slicing path and comes back the same."""
    for odd in ("a\0b", "Zoë", ""):
        g = TrustGraph.from_edges([("x", odd, 0.5, 1), ("y", "\0", 0.4, 2), ("x", "y", 0.3, 1)])
        g.remove_node("y")
        snapshot.save(g, tmp_path / "snap", "k")
        back = snapshot.load(tmp_path / "snap", "k")
        assert back is not None
        assert back.ids == g.ids and back.index == g.index
        assert sorted(back.edges()) == sorted(g.edges())


def test_ids_held_already_are_taken_only_when_equal(tmp_path: Path) -> None:
    """A worker mapping the snapshot of the graph it has just patched keeps its own id
    strings (no new ~300k strings per million ties at every write); ids that differ
    from the saved ones in any slot are not taken."""
    g = graph(1)
    g.remove_node("p7")
    snapshot.save(g, tmp_path / "snap", "k")
    held = [i.encode().decode() for i in g.ids]  # equal, not the same objects
    found = snapshot.load_bundle(tmp_path / "snap", "k", held)
    assert found is not None
    back = found[0]
    assert back.ids == g.ids and back.index == g.index
    assert not any(a is b for a, b in zip(g.ids, held, strict=True))
    assert all(a is b for a, b in zip(back.ids, held, strict=True))
    assert answers(back) == answers(g)
    for other in (held[:-1], [*held[:-1], "someone else"], [*held[1:], held[0]]):
        found = snapshot.load_bundle(tmp_path / "snap", "k", other)
        assert found is not None
        assert found[0].ids == g.ids and found[0].index == g.index
