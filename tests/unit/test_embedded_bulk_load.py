"""A first big load builds the secondary indexes after the rows (graph.store.embedded).

The fast path must leave exactly the database the row-by-row path leaves, and a
failure inside it must leave exactly the database before it (indexes included).
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from graph.model import (
    Evidence,
    ImportBatch,
    Member,
    Merge,
    Person,
    Relationship,
    Sharing,
    canonical_pair,
)
from graph.store import embedded
from graph.store.embedded import EmbeddedStore

WS = "w"
TABLES = {
    name: f"SELECT * FROM {name}"  # noqa: S608 -- table names from this literal list
    for name in ("people", "evidence", "members", "merges", "versions", "changes")
}


def batch(n: int = 400, *, prefix: str = "p") -> ImportBatch:
    """People with urls, emails and companies (every partial index gets rows), shared
    and own evidence records, a member."""
    people = [
        Person(
            f"{prefix}{i:04d}",
            f"Náme {i}",
            company=f"Co {i % 7}" if i % 3 else "",
            position="Engineer" if i % 2 else "",
            email=f"{prefix}{i}@x.org" if i % 2 else "",
            url=f"https://www.linkedin.com/in/{prefix}{i}" if i % 5 else "",
        )
        for i in range(n)
    ]
    shared = (Evidence("file:e.csv", rating=0.5),)
    rels = []
    for i in range(n):
        j = (i * 37 + 11) % n
        if i == j:
            continue
        a, b = canonical_pair(f"{prefix}{i:04d}", f"{prefix}{j:04d}")
        own = (Evidence("file:e.csv", rating=0.25, messages_ab=i % 4, notes=(("k", str(i)),)),)
        rels.append(Relationship(a, b, shared if i % 2 else own))
    return ImportBatch(
        people=people,
        relationships=rels,
        members=[Member(f"{prefix}0000", Sharing.FULL)],
    )


def dump(db: Path) -> dict[str, Any]:
    """Everything a store holds that a reader can see, and the schema."""
    conn = sqlite3.connect(db)
    try:
        out: dict[str, Any] = {
            "schema": sorted(
                conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall(),
                key=repr,
            ),
            "integrity": conn.execute("PRAGMA integrity_check").fetchall(),
        }
        for table, query in TABLES.items():
            out[table] = sorted(conn.execute(query).fetchall())
        return out
    finally:
        conn.close()


def index_names(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type='index'").fetchall()
        return {name for (name,) in rows}
    finally:
        conn.close()


def apply(db: Path, *batches: ImportBatch) -> None:
    store = EmbeddedStore(db)
    try:
        for b in batches:
            store.apply_sync(WS, b)
    finally:
        asyncio.run(store.close())


def test_deferred_indexes_give_the_same_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    drop = embedded._drop_secondary_indexes

    def counting(conn: sqlite3.Connection) -> list[str]:
        found = drop(conn)
        calls.append(len(found))
        return found

    monkeypatch.setattr(embedded, "_drop_secondary_indexes", counting)
    monkeypatch.setattr(embedded, "BIG_WRITE", 10**9)  # no write is big: rows into indexes
    apply(tmp_path / "plain.db", batch())
    assert calls == []
    monkeypatch.setattr(embedded, "BIG_WRITE", 10)  # every write is big: the fast path
    apply(tmp_path / "bulk.db", batch())
    # every secondary index of people and evidence was dropped and made again
    assert calls == [6]  # people: url, email, name_key, company_key, company_norm; evidence: b
    plain, bulk = dump(tmp_path / "plain.db"), dump(tmp_path / "bulk.db")
    assert bulk["integrity"] == [("ok",)]
    assert len(bulk["evidence"]) == len(batch().relationships)
    assert bulk == plain


def test_indexes_answer_after_a_bulk_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded, "BIG_WRITE", 10)
    db = tmp_path / "bulk.db"
    apply(db, batch())
    store = EmbeddedStore(db)
    try:
        by_url = asyncio.run(store.people_by_url(WS, "https://www.linkedin.com/in/p7"))
        by_email = asyncio.run(store.people_by_email(WS, "p7@x.org"))
        ties = asyncio.run(store.relationships_of(WS, "p0011"))
    finally:
        asyncio.run(store.close())
    assert [p.id for p in by_url] == [p.id for p in by_email] == ["p0007"]
    assert ties and all("p0011" in (r.a, r.b) for r in ties)
    conn = sqlite3.connect(db)
    plan = conn.execute(
        "EXPLAIN QUERY PLAN SELECT a FROM evidence WHERE workspace=? AND b=?", (WS, "x")
    ).fetchall()
    conn.close()
    assert "evidence_b" in repr(plan)


def test_a_second_big_write_keeps_the_indexes_and_merges_like_the_plain_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = batch(), batch(300, prefix="p")
    second = ImportBatch(
        people=[*second.people, Person("q1", "Q")],
        relationships=[
            *second.relationships,
            Relationship("p0001", "q1", (Evidence("m", rating=0.9),)),
        ],
        merges=[Merge("p0002", "p0003", "same email")],
    )
    monkeypatch.setattr(embedded, "BIG_WRITE", 10**9)
    apply(tmp_path / "plain.db", first, second)
    monkeypatch.setattr(embedded, "BIG_WRITE", 10)
    apply(tmp_path / "bulk.db", first, second)
    assert dump(tmp_path / "bulk.db") == dump(tmp_path / "plain.db")


def test_a_failing_bulk_load_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "bulk.db"
    apply(db)  # a fresh store: schema and indexes, no rows
    before = dump(db)
    monkeypatch.setattr(embedded, "BIG_WRITE", 10)

    def fail(*_args: object) -> int:
        raise RuntimeError("disk on fire")  # after the rows and the rebuilt indexes

    monkeypatch.setattr(EmbeddedStore, "_bump", fail)
    with pytest.raises(RuntimeError, match="disk on fire"):
        apply(db, batch())
    assert dump(db) == before  # no row, every index still there
    assert {"people_url", "people_email", "evidence_b"} <= index_names(db)
    monkeypatch.undo()
    monkeypatch.setattr(embedded, "BIG_WRITE", 10)
    apply(db, batch())  # and the store takes the load afterwards
    assert len(dump(db)["evidence"]) == len(batch().relationships)
