"""A first load streamed to a writer process (graph.store.first_load, loaders.edges).

It must leave exactly the rows and report the batch path leaves (load_edges, then
apply_sync into an empty store), refuse a store that is not empty, and write nothing
when the parser fails or the writer dies.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from graph.errors import InvalidInput, StoreUnavailable
from graph.model import ImportBatch, Person
from graph.store.embedded import EmbeddedStore
from graph.store.first_load import FirstLoad
from loaders import edges as edges_loader
from loaders.edges import load_edges, stream_edges_csv
from loaders.report import ImportReport

WS = "w"
TABLES = ("people", "evidence", "members", "merges", "versions", "changes")

PEOPLE = """id,name,company,position,email,url
ana,Ana Lima,Acme,Engineer,Ana@X.org,
bo,,Beta Co,,,linkedin.com/in/Bo-B/
cy,Cy,Acme,CTO,cy@x.org,
ana,Ana L.,Acme,Staff Engineer,ana@x.org,
dee,Dee,,,,https://www.linkedin.com/in/dee
"""
# Ids, a URL and an email of known people, new names, a new URL, a repeated pair (the
# later row wins), a reversed repeat, a blank line, a quoted multi-line note.
EDGES = """source,target,strength,context
ana,bo,0.5,school
https://www.linkedin.com/in/bo-b,cy,,
cy@x.org,zed,0.25,"two
lines"
ana,bo,0.75,work

new person,https://linkedin.com/in/someone-new,1,
dee,ana,0.5,school
bo,ana,0.3,
ana,cy,0.5,school
"""


def rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {
            t: sorted(conn.execute(f"SELECT * FROM {t}"))  # noqa: S608 -- names from TABLES
            for t in TABLES
        }
    finally:
        conn.close()


def files(tmp_path: Path, edges: str = EDGES, people: str = PEOPLE) -> tuple[Path, Path]:
    e, p = tmp_path / "e.csv", tmp_path / "p.csv"
    e.write_text(edges, encoding="utf-8")
    p.write_text(people, encoding="utf-8")
    return e, p


def batch_path(db: Path, e: Path, p: Path) -> ImportReport:
    batch, report = load_edges(e, people_path=p)
    store = EmbeddedStore(db)
    store.apply_sync(WS, batch)
    asyncio.run(store.close())
    return report


def streamed(db: Path, e: Path, p: Path) -> ImportReport | None:
    store = EmbeddedStore(db)
    try:
        with store.writing(WS), FirstLoad(store.path, WS) as load:
            return stream_edges_csv(e, people_path=p, sink=load)
    finally:
        asyncio.run(store.close())


@pytest.mark.parametrize("chunk", [2, 50_000])
def test_same_rows_and_report_as_the_batch_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(edges_loader, "STREAM_CHUNK", chunk)
    e, p = files(tmp_path)
    expected = batch_path(tmp_path / "batch.db", e, p)
    report = streamed(tmp_path / "stream.db", e, p)
    assert report == expected
    assert expected.notes  # listed twice, repeats, created people: all reported
    assert rows(tmp_path / "stream.db") == rows(tmp_path / "batch.db")


def test_several_note_columns_and_no_strength(tmp_path: Path) -> None:
    e, p = files(tmp_path, "source,target,where,when\nana,bo,school,2019\ncy,bo,,\nbo,ana,,x\n")
    expected = batch_path(tmp_path / "batch.db", e, p)
    assert streamed(tmp_path / "stream.db", e, p) == expected
    assert rows(tmp_path / "stream.db") == rows(tmp_path / "batch.db")


def test_a_big_load_logs_a_rebuild_as_the_batch_path_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("graph.store.embedded.CHANGE_LOG_LIMIT", 5)
    e, p = files(tmp_path)
    batch_path(tmp_path / "batch.db", e, p)
    streamed(tmp_path / "stream.db", e, p)
    assert rows(tmp_path / "stream.db")["changes"] == rows(tmp_path / "batch.db")["changes"]
    assert [r[2] for r in rows(tmp_path / "stream.db")["changes"]] == ["*"]


def test_refuses_a_store_that_is_not_empty(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    store = EmbeddedStore(db)
    store.apply_sync("other", ImportBatch(people=[Person("x", "X")]))
    asyncio.run(store.close())
    before = rows(db)
    e, p = files(tmp_path)
    assert streamed(db, e, p) is None
    assert rows(db) == before


def test_a_bad_row_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    e, p = files(tmp_path, EDGES + "ana,bo,2.0,\n")
    with pytest.raises(InvalidInput):
        streamed(db, e, p)
    assert rows(db) == {t: [] for t in TABLES}


def finish_and_commit(load: FirstLoad) -> int:
    """Either step may be the one that finds the writer gone."""
    load.finish([("ana", "bo")], ["ana"])
    return load.commit()


def test_a_killed_writer_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    store = EmbeddedStore(db)
    try:
        with store.writing(WS), FirstLoad(store.path, WS) as load:
            assert load.ready()
            load.people([("ana", "Ana", "", "", "", "")])
            os.kill(load.pid, signal.SIGKILL)
            load.evidence(["ana"], ["bo"], [0], [("o", 0, "{}")])
            with pytest.raises(StoreUnavailable, match="nothing was written"):
                finish_and_commit(load)
    finally:
        asyncio.run(store.close())
    assert rows(db) == {t: [] for t in TABLES}


def test_a_writer_that_cannot_start_leaves_the_batch_path(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    with FirstLoad(tmp_path / "a-file" / "db.sqlite", WS) as load:
        assert not load.ready()
