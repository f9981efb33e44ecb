"""A re-import writes only what changed: ties whose records it would leave exactly as
stored are left out of the batch (services.imports keep_other_sources), on both
backends; what is stored afterwards is what writing everything again would store."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from graph.model import canonical_pair
from graph.store.base import GraphStore
from services.access import Viewer
from services.imports import ImportKind, ImportRequest, prepare_import, run_import
from services.planner import Planner

TODAY = date(2026, 1, 10)
WS = "w"


def edges(path: Path, rows: list[str]) -> ImportRequest:
    path.write_text("source,target,strength,context\n" + "".join(r + "\n" for r in rows))
    return ImportRequest(ImportKind.EDGES, path)


async def stored(store: GraphStore) -> dict[tuple[str, str], dict[str, object]]:
    pairs = [canonical_pair(x, y) for x, y in (("ana", "bo"), ("bo", "cy"), ("cy", "dee"))]
    found = await store.evidence_of(WS, pairs)
    return {pair: {o: (e.rating, e.notes) for o, e in ev.items()} for pair, ev in found.items()}


async def test_a_reimport_writes_only_the_changed_ties(store: GraphStore, tmp_path: Path) -> None:
    planner, viewer = Planner(store, today=TODAY), Viewer(WS)
    first = ["ana,bo,0.5,", "bo,cy,0.7,met at a conference"]
    other = edges(tmp_path / "other.csv", ["ana,bo,0.2,", "cy,dee,0.4,"])
    await run_import(planner, viewer, edges(tmp_path / "mine.csv", first))
    await run_import(planner, viewer, other)
    before = await stored(store)

    same = edges(tmp_path / "mine.csv", first)
    batch, report = await prepare_import(planner, viewer, same)
    assert batch.relationships == []  # nothing to write again
    assert batch.people == []
    assert report.relationships == 2  # the report still counts the file's ties
    await run_import(planner, viewer, same)
    assert await stored(store) == before

    changed = edges(tmp_path / "mine.csv", ["ana,bo,0.9,", "bo,cy,0.7,met at a conference"])
    batch, _ = await prepare_import(planner, viewer, changed)
    assert [(r.a, r.b, [e.owner for e in r.evidence]) for r in batch.relationships] == [
        ("ana", "bo", ["file:mine.csv"])
    ]
    await run_import(planner, viewer, changed)
    after = await stored(store)
    assert after[("ana", "bo")] == {"file:mine.csv": (0.9, ()), "file:other.csv": (0.2, ())}
    assert after[("bo", "cy")] == before[("bo", "cy")]
    assert after[("cy", "dee")] == before[("cy", "dee")]


async def test_a_reimport_writes_only_the_changed_people(store: GraphStore, tmp_path: Path) -> None:
    planner, viewer = Planner(store, today=TODAY), Viewer(WS)
    people = tmp_path / "people.csv"
    people.write_text("id,name,company\nana,Ana,Acme\nbo,Bo,Initech\n")
    request = replace(edges(tmp_path / "e.csv", ["ana,bo,0.5,"]), people_path=people)
    await run_import(planner, viewer, request)
    batch, _ = await prepare_import(planner, viewer, request)
    assert (batch.people, batch.relationships) == ([], [])

    people.write_text("id,name,company\nana,Ana,Acme\nbo,Bo,Globex\n")
    batch, _ = await prepare_import(planner, viewer, request)
    assert [(p.id, p.company) for p in batch.people] == [("bo", "Globex")]
    assert batch.relationships == []
    await run_import(planner, viewer, request)
    bo = await store.person(WS, "bo")
    assert bo is not None and (bo.name, bo.company) == ("Bo", "Globex")
