"""The embedded store's planning graph across writes, restarts and processes (issue 19).

- A graph patched write by write equals one built from scratch from the same rows
  (every tie's strength and owner mask, inferred colleague ties included), through
  imports, merges, new members, sharing changes and erasures.
- A restart memory-maps the saved snapshot; a stale, truncated, corrupt or foreign
  snapshot is rebuilt, never used.
- A write in another process (another store on the same file, a CLI import, another
  server worker) is seen by the next question.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from graph import snapshot
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
from graph.store.view import ImpliedTies
from graph.strength import StrengthWeights
from services.appdb import AppDB
from tests.conftest import TODAY
from tests.e2e.http_server import serve_workers

COMPANIES = ["Acme", "Acme, Inc.", "Globex", "Initech", "", "Umbrella"]


def _ties(store: EmbeddedStore, workspace: str = "w") -> dict[tuple[str, str], tuple[float, int]]:
    view = asyncio.run(store.planning_view(workspace))
    return {canonical_pair(u, v): (round(s, 12), m) for u, v, s, m in view.graph.edges() if u and v}


def _companies(store: EmbeddedStore, workspace: str = "w") -> dict[str, tuple[str, int]]:
    """Each company key's name as spelt (by the first person there, by id) and size."""
    implied = asyncio.run(store.planning_view(workspace)).implied
    assert isinstance(implied, ImpliedTies)
    return dict(implied.companies)


def _store(
    path: Path, snapshots: Path | None = None, weights: StrengthWeights | None = None
) -> EmbeddedStore:
    return EmbeddedStore(path, today=lambda: TODAY, snapshots=snapshots, weights=weights)


# Small companies count as big here, so the anchors-and-tree rule (ranks that move
# as ties and people change) is patched and rebuilt too, not only the cliques.
TINY_CLIQUES = StrengthWeights(colleague_clique_max=3, colleague_anchors=2)


def _random_batch(rng: random.Random, people: list[str], owners: list[str]) -> ImportBatch:
    persons = [
        Person(
            pid,
            f"Name {pid}",
            company=rng.choice(COMPANIES),
            position=rng.choice(["Engineer", "Student", "VP Sales", ""]),
        )
        for pid in rng.sample(people, k=rng.randint(1, 8))
    ]
    rels = []
    for _ in range(rng.randint(1, 12)):
        a, b = rng.sample(people, 2)
        x, y = canonical_pair(a, b)
        owner = rng.choice(owners)
        rels.append(
            Relationship(
                x,
                y,
                (
                    Evidence(
                        owner=owner,
                        messages_ab=rng.randint(0, 20),
                        messages_ba=rng.randint(0, 20),
                        last_contact=datetime(2026, rng.randint(1, 10), 1),
                        rating=rng.choice([None, 0.3, 0.8]),
                    ),
                ),
            )
        )
    named = {p.id for p in persons} | {e for r in rels for e in (r.a, r.b)}
    persons += [Person(pid, f"Name {pid}") for pid in sorted(named - {p.id for p in persons})]
    return ImportBatch(people=persons, relationships=rels)


@pytest.mark.parametrize(
    ("seed", "weights"),
    [(seed, None) for seed in range(6)] + [(seed, TINY_CLIQUES) for seed in range(6, 12)],
)
def test_a_graph_patched_write_by_write_equals_one_built_from_scratch(
    tmp_path: Path, seed: int, weights: StrengthWeights | None
) -> None:
    rng = random.Random(seed)
    people = [f"p{i:02}" for i in range(24)]
    owners = ["m0", "m1", "file.csv"]
    live = _store(tmp_path / "db.sqlite", tmp_path / "snaps-live", weights)
    members = [Person("m0", "Member Zero"), Person("m1", "Member One")]
    asyncio.run(
        live.apply(
            "w",
            ImportBatch(
                people=members,
                members=[Member("m0", Sharing.FULL), Member("m1", Sharing.PATHS)],
            ),
        )
    )
    _ties(live)  # loaded: every later write patches it
    for step in range(10):
        action = rng.random()
        if action < 0.65:
            asyncio.run(live.apply("w", _random_batch(rng, [*people, "m0", "m1"], owners)))
        elif action < 0.75:
            kept, merged = rng.sample(people, 2)
            batch = ImportBatch(
                people=[Person(kept, f"Name {kept}")], merges=[Merge(kept, merged, "same url")]
            )
            asyncio.run(live.apply("w", batch))
        elif action < 0.85:
            asyncio.run(live.erase_person("w", rng.choice(people)))
        elif action < 0.92:
            pid = f"m{step + 2}"
            batch = ImportBatch(
                people=[Person(pid, f"Member {pid}")], members=[Member(pid, Sharing.FULL)]
            )
            asyncio.run(live.apply("w", batch))
        else:
            asyncio.run(live.set_sharing("w", "m1", rng.choice(list(Sharing))))
        patched = _ties(live)
        fresh = _store(tmp_path / "db.sqlite", tmp_path / f"snaps-fresh-{step}", weights)
        assert patched == _ties(fresh), f"step {step}"
        assert _companies(live) == _companies(fresh), f"step {step}"
        asyncio.run(fresh.close())
    asyncio.run(live.close())


def _team(tmp_path: Path) -> Path:
    db = tmp_path / "db.sqlite"
    store = _store(db)
    batch = ImportBatch(
        people=[
            Person(f"p{i}", f"Person {i}", company="Acme" if i % 3 else "Globex") for i in range(30)
        ],
        relationships=[
            Relationship(
                *canonical_pair(f"p{i}", f"p{(i * 7 + 1) % 30}"),
                (Evidence(owner="me", rating=0.6),),
            )
            for i in range(30)
            if i != (i * 7 + 1) % 30
        ],
    )
    asyncio.run(store.apply("w", batch))
    _ties(store)
    asyncio.run(store.close())  # saves the snapshot
    return db


def _snapshot_dirs(db: Path) -> list[Path]:
    root = db.with_name(db.stem + ".snapshots")
    return [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]


def _loaded_from_snapshot(caplog: pytest.LogCaptureFixture) -> bool:
    return any("loaded from its snapshot" in r.getMessage() for r in caplog.records)


def test_a_restart_maps_the_saved_graph_instead_of_rebuilding(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = _team(tmp_path)
    expected = _ties(_store(db, tmp_path / "elsewhere"))
    caplog.set_level("INFO", logger="graph.store.embedded")
    store = _store(db)
    assert _ties(store) == expected
    assert _loaded_from_snapshot(caplog)
    asyncio.run(store.close())


@pytest.mark.parametrize("damage", ["truncate", "flip-a-byte", "foreign", "stale", "garbage"])
def test_a_damaged_or_stale_snapshot_is_rebuilt_never_used(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: str
) -> None:
    db = _team(tmp_path)
    (snap,) = _snapshot_dirs(db)
    expected = _ties(_store(db, tmp_path / "elsewhere"))
    if damage == "truncate":
        path = snap / "nbr.npy"
        path.write_bytes(path.read_bytes()[:-8])
    elif damage == "flip-a-byte":
        path = snap / "strength_.npy"
        data = bytearray(path.read_bytes())
        data[-3] ^= 0xFF
        path.write_bytes(bytes(data))
    elif damage == "foreign":
        other = _team(tmp_path / "other")  # another database's snapshot, same workspace name
        shutil.rmtree(snap)
        shutil.copytree(_snapshot_dirs(other)[0], snap)
        manifest = json.loads((snap / "manifest.json").read_text())
        manifest["key"] = manifest["key"].replace("v1|", "v7|")
        (snap / "manifest.json").write_text(json.dumps(manifest))
    elif damage == "stale":
        writer = _store(db, tmp_path / "writer-snaps")  # a write the snapshot never saw
        extra = Relationship("p0", "p9", (Evidence(owner="me", rating=0.95),))
        asyncio.run(writer.apply("w", ImportBatch(relationships=[extra])))
        asyncio.run(writer.close())
        expected = _ties(_store(db, tmp_path / "elsewhere-2"))
        assert expected[("p0", "p9")][0] > 0.5
    else:
        (snap / "manifest.json").write_text("{not json")
    caplog.set_level("INFO", logger="graph.store.embedded")
    store = _store(db)
    assert _ties(store) == expected
    assert not _loaded_from_snapshot(caplog)
    asyncio.run(store.close())
    caplog.clear()
    again = _store(db)  # the rebuilt graph was saved in its place and is used next time
    assert _ties(again) == expected
    assert _loaded_from_snapshot(caplog)
    asyncio.run(again.close())


def test_the_change_log_is_bounded_and_a_reader_behind_it_rebuilds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rows bounded too, not only versions: big writes drop older versions, and a process
    # whose version fell off the log rebuilds instead of patching from a partial log.
    monkeypatch.setattr(embedded, "CHANGE_LOG_ROWS", 40)
    db = _team(tmp_path)
    behind = _store(db, tmp_path / "snaps-behind")
    _ties(behind)  # loaded at the team's version
    writer = _store(db, tmp_path / "snaps-writer")
    people = [f"q{i:03}" for i in range(60)]
    for step in range(4):  # each write logs 45 rows, over CHANGE_LOG_ROWS // 1000
        rels = [
            Relationship(
                *canonical_pair(people[i], people[i + 1 + step]),
                (Evidence(owner="me", rating=0.4),),
            )
            for i in range(15)
        ]
        batch = ImportBatch(people=[Person(p, p) for p in people[: 16 + step]], relationships=rels)
        asyncio.run(writer.apply("w", batch))
    conn = sqlite3.connect(db)
    versions = [v for (v,) in conn.execute("SELECT DISTINCT version FROM changes ORDER BY version")]
    rows = conn.execute("SELECT COUNT(*) FROM changes").fetchone()[0]
    conn.close()
    assert rows <= 40 + 45 and len(versions) <= 2  # the older versions were dropped
    fresh = _store(db, tmp_path / "snaps-fresh")
    assert _ties(behind) == _ties(fresh)  # rebuilt: the log no longer covers its version
    for s in (behind, writer, fresh):
        asyncio.run(s.close())


def test_a_write_from_another_process_is_seen_by_the_next_question(tmp_path: Path) -> None:
    db = _team(tmp_path)
    reader = _store(db)
    before = _ties(reader)
    assert ("p0", "p2") not in before
    code = (
        "import asyncio, sys\n"
        "from datetime import date\n"
        "from graph.model import Evidence, ImportBatch, Relationship\n"
        "from graph.store.embedded import EmbeddedStore\n"
        "s = EmbeddedStore(__import__('pathlib').Path(sys.argv[1]), today=lambda: date(2026, 11, 1))\n"
        "r = Relationship('p0', 'p2', (Evidence(owner='me', rating=0.9),))\n"
        "asyncio.run(s.apply('w', ImportBatch(relationships=[r])))\n"
        "asyncio.run(s.close())\n"
    )
    subprocess.run([sys.executable, "-c", code, str(db)], check=True, cwd=Path(__file__).parents[2])
    after = _ties(reader)
    assert ("p0", "p2") in after
    assert {k: v for k, v in after.items() if k != ("p0", "p2")}.keys() >= before.keys()
    asyncio.run(reader.close())


def test_a_process_following_writes_catches_up_before_anyone_asks(tmp_path: Path) -> None:
    """``follow_writes`` (started by every server process) patches the graph after
    another process's write with no question asked: a worker nobody asked since still
    answers its next question from the new graph, not the old one."""
    db = _team(tmp_path)
    worker, writer = _store(db), _store(db)

    async def scenario() -> tuple[int, int]:
        await worker.planning_view("w")
        follower = asyncio.create_task(worker.follow_writes("w", every=0.02))
        r = Relationship("p0", "p2", (Evidence(owner="me", rating=0.9),))
        await writer.apply("w", ImportBatch(relationships=[r]))
        stored = writer.version("w")
        for _ in range(500):  # up to 10 s; no question is asked meanwhile
            live = worker._live.get("w")
            if live is not None and live.version == stored:
                break
            await asyncio.sleep(0.02)
        follower.cancel()
        with pytest.raises(asyncio.CancelledError):
            await follower
        live = worker._live["w"]
        assert live.view.graph.strength("p0", "p2") is not None
        return live.version, stored

    seen, stored = asyncio.run(scenario())
    assert seen == stored
    asyncio.run(worker.close())
    asyncio.run(writer.close())


def _mapped_inodes(name: str) -> set[int]:
    """Inodes of the files named ``name`` this process has memory-mapped."""
    found = set()
    for line in Path("/proc/self/maps").read_text().splitlines():
        fields = line.split(maxsplit=5)
        if len(fields) == 6 and fields[5].split(" (deleted)")[0].endswith("/" + name):
            found.add(int(fields[4]))
    return found


def test_after_a_write_every_worker_maps_one_saved_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each worker patches its own graph (so the write shows at once), then answers from
    one snapshot saved once: N workers hold one copy of the arrays after a write, not N."""
    db = _team(tmp_path)
    workers = [_store(db) for _ in range(3)]
    for w in workers:
        _ties(w)  # all three map the snapshot the set-up saved
    (snap,) = _snapshot_dirs(db)
    saves: list[Path] = []
    save = snapshot.save

    def counted(graph: object, directory: Path, *args: object, **kwargs: object) -> None:
        if directory == snap:  # not the reference stores' own snapshots
            saves.append(directory)
        save(graph, directory, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(snapshot, "save", counted)
    # A write from a process with no graph of its own (like a CLI import) ...
    writer = _store(db, tmp_path / "writer-snaps")
    extra = Relationship("p0", "p9", (Evidence(owner="me", rating=0.95),))
    asyncio.run(writer.apply("w", ImportBatch(relationships=[extra])))
    # ... which the three workers catch up with at the same moment.
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda w: w.catch_up("w"), workers))
    assert saves == [snap]  # saved once, by whichever worker got there first
    expected = _ties(_store(db, tmp_path / "elsewhere"))
    assert expected[("p0", "p9")][0] > 0.5
    for w in workers:
        assert _ties(w) == expected
        graph = asyncio.run(w.planning_view("w")).graph
        assert isinstance(graph.nbr, np.memmap) and isinstance(graph.cost, np.memmap)
    current = os.stat(snap / "nbr.npy").st_ino
    assert _mapped_inodes("nbr.npy") >= {current}
    del graph
    for w in workers:
        asyncio.run(w.close())
    # A second write through one of them: the others follow the same way.
    workers = [_store(db) for _ in range(2)]
    for w in workers:
        _ties(w)
    more = Relationship("p1", "p8", (Evidence(owner="me", rating=0.9),))
    asyncio.run(workers[0].apply("w", ImportBatch(relationships=[more])))
    assert ("p1", "p8") in _ties(workers[1])
    assert saves == [snap, snap]
    graphs = [asyncio.run(w.planning_view("w")).graph for w in workers]
    assert all(isinstance(g.nbr, np.memmap) for g in graphs)
    files = {os.stat(str(g.nbr.filename)).st_ino for g in graphs if isinstance(g.nbr, np.memmap)}
    assert files == {os.stat(snap / "nbr.npy").st_ino}
    for w in workers:
        asyncio.run(w.close())
    assert saves == [snap, snap]  # closing saves nothing new: the version is saved


def test_a_new_day_is_built_once_for_every_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Strengths decay with time, so a new day rebuilds the graph; workers starting on a
    day-old snapshot build it once between them (the others wait and map it), and a
    restart that day maps it too."""
    db = _team(tmp_path)  # saved as of TODAY
    later = TODAY + timedelta(days=40)
    builds: list[Path] = []
    build = EmbeddedStore._build

    def counted(self: EmbeddedStore, *args: Any, **kwargs: Any) -> Any:
        builds.append(self._snapshots)
        return build(self, *args, **kwargs)

    monkeypatch.setattr(EmbeddedStore, "_build", counted)
    workers = [EmbeddedStore(db, today=lambda: later) for _ in range(3)]
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda w: w.catch_up("w"), workers))  # the day-old snapshot answers
        assert builds == []
        list(pool.map(lambda w: w.catch_up("w"), workers))  # each sees the new day
    assert len(builds) == 1
    reference = EmbeddedStore(db, today=lambda: later, snapshots=tmp_path / "elsewhere")
    expected = _ties(reference)
    for w in [*workers, EmbeddedStore(db, today=lambda: later)]:
        assert _ties(w) == expected
        assert isinstance(asyncio.run(w.planning_view("w")).graph.nbr, np.memmap)
        assert w._live["w"].day == later
        asyncio.run(w.close())
    assert builds.count(workers[0]._snapshots) == 1


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    """``warmintro serve --workers 2`` on the embedded backend; yields (url, key, data dir)."""
    db = AppDB(tmp_path / "app.db")
    db.create_workspace("team")
    key = db.create_key("team", None)
    db.close()
    env = {
        "WARMINTRO_BACKEND": "embedded",
        "WARMINTRO_DATA_DIR": str(tmp_path),
        "WARMINTRO_WORKSPACE": "team",
        "WARMINTRO_RATE_LIMIT_PER_MINUTE": "0",
    }
    with serve_workers(env, log=tmp_path / "server.log") as url:
        yield url, key, tmp_path


def _path(data: dict[str, object]) -> tuple[object, ...]:
    found = data["trustedPath"]
    assert isinstance(found, dict)
    return (found["__typename"], round(found["probability"], 9), found["hops"])


PATH = '{ trustedPath(from: "a", to: "c") { __typename ... on Path { probability hops } } }'


def test_a_write_through_one_worker_is_seen_by_every_worker(
    two_workers: tuple[str, str, Path],
) -> None:
    url, key, data = two_workers
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}) as client:

        def gql(query: str) -> dict[str, object]:
            # A fresh connection per request lets the kernel spread them over both workers.
            r = client.post("/graphql", json={"query": query}, headers={"Connection": "close"})
            assert r.status_code == 200, r.text
            found: dict[str, object] = r.json()["data"]
            return found

        for pid in "abc":
            gql(
                f'mutation {{ upsertPerson(person: {{id: "{pid}", name: "Person {pid}"}}) {{ __typename }} }}'
            )
        gql('mutation { upsertRelationship(a: "a", b: "b", rating: 0.9) { __typename } }')
        for _ in range(6):
            assert gql(PATH)["trustedPath"] == {"__typename": "NoPath"}
        gql('mutation { upsertRelationship(a: "b", b: "c", rating: 0.8) { __typename } }')
        for _ in range(8):  # whichever worker answers, it sees the new tie
            assert _path(gql(PATH)) == ("Path", 0.72, 2)

        # A CLI import into the same data dir while the server runs: no restart needed.
        edges = data / "more.csv"
        edges.write_text("source,target,strength\nc,d,0.5\n")
        env = {**os.environ, "WARMINTRO_DATA_DIR": str(data), "WARMINTRO_WORKSPACE": "team"}
        cli = Path(sys.executable).parent / "warmintro"
        done = subprocess.run(
            [str(cli), "import", "edges", str(edges)],
            check=False,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        query = PATH.replace('to: "c"', 'to: "d"')
        for _ in range(8):
            assert _path(gql(query)) == ("Path", 0.36, 3)


def test_the_workers_snapshot_is_prepared_by_a_child_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``serve --workers N`` prepares the snapshot in a child process (so its supervisor
    holds no graph): the child saves it; a child that fails is an error here."""
    from services.runtime import prepare_snapshot_apart
    from services.settings import Settings

    settings = Settings(data_dir=tmp_path, workspace="w")
    store = EmbeddedStore(settings.db_path)
    asyncio.run(
        store.apply(
            "w",
            ImportBatch(
                people=[Person("a", "A"), Person("b", "B")],
                relationships=[Relationship("a", "b", (Evidence(owner="me", rating=0.6),))],
            ),
        )
    )
    asyncio.run(store.close())
    snapshots = settings.db_path.with_name(settings.db_path.stem + ".snapshots")
    shutil.rmtree(snapshots, ignore_errors=True)
    prepare_snapshot_apart(settings)
    assert any(p.is_file() for p in snapshots.rglob("*"))
    # A snapshot from another day is brought to today before the workers start (else
    # each worker's first question would start a rebuild), and one of today is kept.
    (snap,) = [p for p in snapshots.iterdir() if p.is_dir() and not p.name.startswith(".")]
    key, _day = snapshot.saved(snap) or ("", "")
    manifest = json.loads((snap / "manifest.json").read_text())
    manifest["meta"]["day"] = "2001-01-01"
    (snap / "manifest.json").write_text(json.dumps(manifest))
    prepare_snapshot_apart(settings)
    assert snapshot.saved(snap) == (key, date.today().isoformat())
    files = {p.name: p.stat().st_ino for p in snap.iterdir()}
    prepare_snapshot_apart(settings)
    assert {p.name: p.stat().st_ino for p in snap.iterdir()} == files  # not saved again
    # A current snapshot starts no child at all; a write makes it stale again.
    import multiprocessing

    started: list[str] = []
    real = multiprocessing.get_context

    def counted(method: str | None = None) -> Any:
        started.append("child")
        return real(method)

    monkeypatch.setattr(multiprocessing, "get_context", counted)
    prepare_snapshot_apart(settings)
    assert started == []
    store = EmbeddedStore(settings.db_path)
    asyncio.run(store.apply("w", ImportBatch(people=[Person("c", "C")])))
    asyncio.run(store.close())
    prepare_snapshot_apart(settings)
    assert started == ["child"]
    assert snapshot.saved(snap) != (key, date.today().isoformat())  # the new version's
    (tmp_path / "not-a-dir").write_text("")
    with pytest.raises(RuntimeError, match="preparing the planning snapshot failed"):
        prepare_snapshot_apart(Settings(data_dir=tmp_path / "not-a-dir", workspace="w"))
