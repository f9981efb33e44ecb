"""A person's evidence rows are read through the indexes (graph.store.embedded._rows_of).

Merges (``_repoint``) and erasure read every row that names a person at either end.
SQLite without statistics plans ``a=? OR b=?`` as a scan of the workspace's whole
primary key (~80 ms per person at 1M ties); the two reads that replace it must return
the same rows and plan as index searches, whatever the table's size.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from graph.model import Evidence, ImportBatch, Merge, Person, Relationship, canonical_pair
from graph.store import embedded
from graph.store.embedded import EmbeddedStore

WS = "w"
OWNERS = ("file:e.csv", "m1", "m2")


def tangled(n: int = 60) -> ImportBatch:
    """People tied to several others at both ends, some pairs seen by several owners."""
    people = [Person(f"p{i:03d}", f"P {i}") for i in range(n)]
    rels = []
    for i in range(n):
        for step in (1, 7, 13):
            j = (i + step) % n
            a, b = canonical_pair(f"p{i:03d}", f"p{j:03d}")
            seen = OWNERS[: 1 + (i + step) % len(OWNERS)]
            rels.append(
                Relationship(
                    a, b, tuple(Evidence(o, rating=0.1 + 0.1 * k) for k, o in enumerate(seen))
                )
            )
    return ImportBatch(people=people, relationships=rels)


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedStore:
    s = EmbeddedStore(tmp_path / "w.db")
    s.apply_sync(WS, tangled())
    return s


def _by_or(store: EmbeddedStore, pid: str) -> list[tuple[str, str, str, str]]:
    rows = store._conn.execute(
        "SELECT a, b, owner, data FROM evidence WHERE workspace=? AND (a=? OR b=?)"
        " ORDER BY a, b, owner",
        (WS, pid, pid),
    ).fetchall()
    return list(rows)


def test_rows_of_equals_the_or_query(store: EmbeddedStore) -> None:
    for i in range(60):
        pid = f"p{i:03d}"
        rows = embedded._rows_of(store._conn, WS, pid)
        assert rows == _by_or(store, pid)
        assert {a for a, _b, _o, _d in rows} | {b for _a, b, _o, _d in rows} >= {pid}
    assert embedded._rows_of(store._conn, WS, "nobody") == []
    asyncio.run(store.close())


@pytest.mark.parametrize("statement", [embedded.ROWS_BY_A, embedded.ROWS_BY_B])
def test_rows_of_plans_index_searches(store: EmbeddedStore, statement: str) -> None:
    plan = [row[3] for row in store._conn.execute(f"EXPLAIN QUERY PLAN {statement}", (WS, "p001"))]
    assert plan, statement
    for step in plan:
        assert step.startswith("SEARCH"), plan
        assert "(workspace=?)" not in step, plan  # a scan of the workspace, not a search
    asyncio.run(store.close())


def test_merge_and_erase_read_the_same_rows(tmp_path: Path) -> None:
    """The callers: a merge moves every row of the merged person, erasure counts them."""
    s = EmbeddedStore(tmp_path / "w.db")
    s.apply_sync(WS, tangled())
    before = _by_or(s, "p010")
    assert before
    s.apply_sync(WS, ImportBatch(merges=[Merge("p011", "p010", "same email")]))
    assert _by_or(s, "p010") == []
    others = {b if a == "p010" else a for a, b, _o, _d in before} - {"p011"}
    kept = {(a, b) for a, b, _o, _d in _by_or(s, "p011")}
    assert {canonical_pair("p011", other) for other in others} <= kept
    pairs = {(a, b) for a, b, _o, _d in _by_or(s, "p020")}
    erased = asyncio.run(s.erase_person(WS, "p020"))
    assert erased.relationships == len(pairs)  # p020 owns no evidence: nothing else emptied
    assert _by_or(s, "p020") == []
    asyncio.run(s.close())
