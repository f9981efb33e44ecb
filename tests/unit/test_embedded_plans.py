"""Lookups run on their indexes (graph.store.embedded keeps planner statistics).

Without statistics SQLite took ``workspace=?``, the first column of every key, for a
selective condition and scanned the workspace's primary key instead of using a
secondary index: a person by URL or email, a name or company key, a tie's ``b`` end
each cost 40-100 ms at 1M ties. Plans do not depend on the table's size without
statistics, so a small store shows them; with statistics they are the index searches.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from graph.colleagues import company_key
from graph.model import Evidence, ImportBatch, Person, Relationship, canonical_pair
from graph.store import embedded
from graph.store.embedded import PAIRS_PER_JOIN, PERSON_COLUMNS, EmbeddedStore, pairs_join

WS = "w"
LOOKUPS = {
    "by url": (
        f"SELECT {PERSON_COLUMNS} FROM people WHERE workspace=? AND url=? AND url<>''",  # noqa: S608
        (WS, "https://www.linkedin.com/in/p3"),
    ),
    "by email": (
        f"SELECT {PERSON_COLUMNS} FROM people WHERE workspace=? AND email=? AND email<>''",  # noqa: S608
        (WS, "p3@x.org"),
    ),
    "name key": (
        "SELECT id FROM people WHERE workspace=? AND name_key=? AND name_key<>'' ORDER BY id",
        (WS, "p 3"),
    ),
    "name prefix": (
        "SELECT id FROM people WHERE workspace=? AND name_key>=? AND name_key<?"
        " AND name_key<>'' ORDER BY name_key, id",
        (WS, "p", "p\U0010ffff"),
    ),
    "company key": (
        "SELECT id FROM people WHERE workspace=? AND company_key=? AND company_key<>'' ORDER BY id",
        (WS, company_key("Co 3")),
    ),
    "b end": ("SELECT a, b, owner, data FROM evidence WHERE workspace=? AND b=?", (WS, "p003")),
    "either end": (
        "SELECT a, b, owner, data FROM evidence WHERE workspace=? AND (a=? OR b=?)",
        (WS, "p003", "p003"),
    ),
}


def world(n: int = 80) -> ImportBatch:
    people = [
        Person(
            f"p{i:03d}",
            f"P {i}",
            company=f"Co {i % 9}",
            email=f"p{i}@x.org" if i % 2 else "",
            url=f"https://www.linkedin.com/in/p{i}" if i % 3 else "",
        )
        for i in range(n)
    ]
    rels = [
        Relationship(
            *canonical_pair(f"p{i:03d}", f"p{(i + d) % n:03d}"), (Evidence("f", rating=0.5),)
        )
        for i in range(n)
        for d in (1, 5)
    ]
    return ImportBatch(people=people, relationships=rels)


def plan(conn: sqlite3.Connection, sql: str, args: tuple[str, ...]) -> list[str]:
    return [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", args)]


def searched_by_index(steps: list[str]) -> bool:
    """Every step searches; none is a scan of a whole workspace."""
    return bool(steps) and all(
        ("SEARCH" in step or "MULTI-INDEX OR" in step or step.startswith("INDEX "))
        and "(workspace=?)" not in step
        for step in steps
    )


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedStore:
    s = EmbeddedStore(tmp_path / "w.db")
    s.apply_sync(WS, world())
    return s


@pytest.mark.parametrize("name", sorted(LOOKUPS))
def test_lookups_search_their_index_after_a_write(store: EmbeddedStore, name: str) -> None:
    sql, args = LOOKUPS[name]
    reader = store._reader.conn()
    assert searched_by_index(plan(reader, sql, args)), plan(reader, sql, args)
    asyncio.run(store.close())


def test_without_statistics_the_planner_scans(store: EmbeddedStore) -> None:
    """Why the store keeps statistics (if SQLite stops guessing this way, drop them)."""
    conn = store._conn
    conn.execute("DELETE FROM sqlite_stat1")
    conn.execute("ANALYZE sqlite_schema")  # reload: the planner now has none
    sql, args = LOOKUPS["by url"]
    assert not searched_by_index(plan(conn, sql, args))
    asyncio.run(store.close())


def test_a_data_dir_without_statistics_gets_them_at_open(tmp_path: Path) -> None:
    s = EmbeddedStore(tmp_path / "w.db")
    s.apply_sync(WS, world())
    s._conn.execute("DROP TABLE sqlite_stat1")
    asyncio.run(s.close())
    again = EmbeddedStore(tmp_path / "w.db")
    conn = again._reader.conn()
    for sql, args in LOOKUPS.values():
        assert searched_by_index(plan(conn, sql, args)), plan(conn, sql, args)
    asyncio.run(again.close())


def test_index_mapping_answers_are_unchanged(store: EmbeddedStore) -> None:
    """The ``<>''`` terms only let the partial indexes serve: same ids as before."""
    names = embedded._Index(store._reader, WS, "name_key")
    companies = embedded._Index(store._reader, WS, "company_key")
    assert names["p 3"] == ("p003",)
    assert companies[company_key("Co 3")] == tuple(f"p{i:03d}" for i in range(80) if i % 9 == 3)
    assert names.starting("p 1") == tuple(
        sorted(
            (f"p{i:03d}" for i in range(80) if f"p {i}".startswith("p 1")),
            key=lambda p: (f"p {int(p[1:])}", p),
        )
    )
    assert len(names.starting("")) == 80
    with pytest.raises(KeyError):
        names[""]
    asyncio.run(store.close())


def join_plan(conn: sqlite3.Connection, n: int) -> list[str]:
    ends = tuple(f"p{i:04d}" for i in range(2 * n))
    return plan(conn, pairs_join(n), (*ends, WS))


def test_a_patch_reads_its_pairs_without_a_bloom_filter(tmp_path: Path) -> None:
    """A Bloom filter on evidence is built by reading the whole workspace (55 ms per join
    at 1M ties: a 10k-tie patch took 2.0 s instead of 0.5); each join stays under the
    size where SQLite starts one on a workspace of some size (12k ties here), and
    searches the primary key per pair."""
    store = EmbeddedStore(tmp_path / "w.db")
    store.apply_sync(WS, world(6000))
    conn = store._reader.conn()
    steps = join_plan(conn, PAIRS_PER_JOIN)
    assert not any("BLOOM" in step for step in steps), steps
    assert any("SEARCH e USING PRIMARY KEY (workspace=? AND a=? AND b=?)" in s for s in steps)
    assert any("BLOOM FILTER ON e" in step for step in join_plan(conn, 400)), (
        "if SQLite no longer starts one at 400 pairs, PAIRS_PER_JOIN may grow"
    )
    asyncio.run(store.close())
