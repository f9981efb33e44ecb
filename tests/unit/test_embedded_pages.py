"""New databases get 16 KiB pages; older ones keep theirs; big-write index builds leave
the connection as they found it and make the same indexes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from graph.store.embedded import PAGE_SIZE, _build_indexes, connect


def test_a_new_database_gets_the_large_page_size(tmp_path: Path) -> None:
    conn = connect(tmp_path / "warmintro.db")
    conn.execute("CREATE TABLE t (x)")
    assert conn.execute("PRAGMA page_size").fetchone() == (PAGE_SIZE,)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_an_existing_database_keeps_its_page_size(tmp_path: Path) -> None:
    path = tmp_path / "warmintro.db"
    old = sqlite3.connect(path)
    old.execute("PRAGMA page_size=4096")
    old.execute("CREATE TABLE t (x)")
    old.execute("INSERT INTO t VALUES (1)")
    old.commit()
    old.close()
    conn = connect(path)
    assert conn.execute("PRAGMA page_size").fetchone() == (4096,)
    assert conn.execute("SELECT x FROM t").fetchall() == [(1,)]


def test_index_builds_restore_the_cache_and_threads(tmp_path: Path) -> None:
    conn = connect(tmp_path / "warmintro.db")
    conn.execute("CREATE TABLE t (a TEXT, b TEXT)")
    conn.executemany(
        "INSERT INTO t VALUES (?, ?)",
        [(f"a{i % 997}", f"b{i * 7919 % 10007}") for i in range(50_000)],
    )
    conn.execute("PRAGMA cache_size=-65536")
    statements = ["CREATE INDEX t_b ON t (b, a)", "CREATE INDEX t_a ON t (a)"]
    _build_indexes(conn, statements)
    assert conn.execute("PRAGMA cache_size").fetchone() == (-65536,)
    assert conn.execute("PRAGMA threads").fetchone() == (0,)
    made = conn.execute("SELECT sql FROM sqlite_master WHERE type='index' ORDER BY name").fetchall()
    assert [sql for (sql,) in made] == sorted(statements, key=lambda s: s.split()[2])
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    by_index = conn.execute("SELECT b, a FROM t INDEXED BY t_b ORDER BY b, a").fetchall()
    assert by_index == sorted(conn.execute("SELECT b, a FROM t NOT INDEXED").fetchall())
