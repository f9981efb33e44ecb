"""An import reads only the people its file could resolve to, with the same outcome.

Generated workspaces (near-duplicate names, URL-less people, shared emails, several
owners at every sharing level) and generated files of every kind, imported by the
operator and by each member: :func:`services.imports.prepare_import` (candidates read
by key) must give the batch, report or error that the former path gives (every person
of the workspace read, then filtered to those the member may browse).
"""

from __future__ import annotations

import asyncio
import itertools
import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from graph.errors import WarmintroError
from graph.identity import PersonKeys, normalize_email, person_id_for
from graph.model import Evidence, ImportBatch, Member, Person, Relationship, Sharing
from graph.store.base import GraphStore
from services import imports
from services.access import Viewer, shadow_id
from services.imports import (
    ImportKind,
    ImportRequest,
    build_batch,
    keep_other_sources,
    load_resolved,
    prepare_import,
    shadow_hidden,
    unchanged_people_left_out,
)
from services.planner import Planner
from tests.personal_files import Mbox, event, write_ics

TODAY = date(2026, 1, 10)
FIRST = ["Ana", "Ána", "Anna", "Bo", "Chen", "Dee", "José", "Jose", "Li", "Mia"]
LAST = ["Pérez", "Perez", "Peres", "Lee", "Wei", "Núñez", "Nunez", "Smith", "Smyth"]
COMPANIES = ["Acme", "ACME Inc.", "Acme, Inc", "Initech", "Globex", "Self-employed", "", "Umbrella"]
LEVELS = [Sharing.PRIVATE, Sharing.PATHS, Sharing.FULL]
KINDS = list(ImportKind)


@dataclass(frozen=True, slots=True)
class Row:
    """A person as a generated file names them (from the workspace's pools)."""

    name: str
    company: str
    email: str
    url: str


def _slug(rng: random.Random) -> str:
    return f"{rng.choice(['ana', 'bo', 'chen', 'dee', 'jose'])}-{rng.randrange(40)}"


def _row(rng: random.Random, known: list[Person]) -> Row:
    """Often a variant of a known person (same URL, email or a near-duplicate name)."""
    if known and rng.random() < 0.6:
        p = rng.choice(known)
        name = p.name if rng.random() < 0.6 else f"{rng.choice(FIRST)} {p.name.split()[-1]}"
        company = p.company if rng.random() < 0.7 else rng.choice(COMPANIES)
        email = p.email if rng.random() < 0.5 else ""
        url = p.url if rng.random() < 0.4 else ""
        return Row(name, company, email, url)
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    email = f"{name.split()[0].lower()}{rng.randrange(30)}@x.example" if rng.random() < 0.5 else ""
    url = f"https://www.linkedin.com/in/{_slug(rng)}" if rng.random() < 0.4 else ""
    return Row(name, rng.choice(COMPANIES), normalize_email(email), url)


def world(rng: random.Random) -> ImportBatch:
    members = [
        Person(f"li:member-{i}", f"Member {i}", "Acme", email=f"m{i}@acme.example",
               url=f"https://www.linkedin.com/in/member-{i}")
        for i in range(4)
    ]  # fmt: skip
    people: dict[str, Person] = {}
    shared = [f"shared{i}@x.example" for i in range(4)]  # emails several people hold
    for _ in range(70):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        url = f"https://www.linkedin.com/in/{_slug(rng)}" if rng.random() < 0.4 else ""
        email = rng.choice(shared) if rng.random() < 0.2 else ""
        if not email and rng.random() < 0.4:
            email = f"{name.split(maxsplit=1)[0].lower()}{rng.randrange(30)}@x.example"
        email = normalize_email(email)
        company = rng.choice(COMPANIES)
        pid = (
            person_id_for(url, email, name, company)
            if rng.random() < 0.8
            else f"x{rng.randrange(1000)}"
        )
        people[pid] = Person(pid, name, company, "Engineer", email, url)
    owners = [m.id for m in members] + ["file:crm"]
    rels = []
    for pid in people:
        for owner in rng.sample(owners, rng.choice([1, 1, 2])):
            hub = owner if owner.startswith("li:") else rng.choice(members).id
            a, b = sorted((hub, pid))
            rels.append(Relationship(a, b, (Evidence(owner, rating=0.5, messages_ab=2),)))
    for i in range(3):
        a, b = members[i].id, members[i + 1].id
        rels.append(Relationship(a, b, (Evidence(a, rating=0.9),)))
    return ImportBatch(
        people=[*members, *people.values()],
        relationships=rels,
        members=[Member(m.id, LEVELS[i % 3]) for i, m in enumerate(members)],
    )


def write_file(kind: ImportKind, rng: random.Random, known: list[Person], folder: Path) -> Path:
    rows = [_row(rng, known) for _ in range(rng.randrange(1, 14))]
    folder.mkdir(parents=True, exist_ok=True)
    if kind is ImportKind.LINKEDIN:
        lines = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
        for r in rows:
            first, _, last = r.name.partition(" ")
            lines.append(f'{first},{last},{r.url},{r.email},"{r.company}",Engineer,16 Dec 2024')
        path = folder / "Connections.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
    if kind is ImportKind.EDGES:
        refs = [r.url.upper() or r.email or r.name for r in rows]
        refs += [p.id for p in rng.sample(known, min(3, len(known)))]
        lines = ["source,target,strength"]
        for _ in range(len(refs) * 2):
            a, b = rng.sample(refs, 2)
            lines.append(f'"{a}","{b}",0.{rng.randrange(1, 9)}')
        both = [p for p in known if p.url and p.email]
        if both and rng.random() < 0.3:  # one known person twice: a self-loop error
            p = rng.choice(both)
            lines.insert(rng.randrange(1, len(lines) + 1), f'"{p.url}","{p.email}",0.5')
        path = folder / "edges.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
    if kind is ImportKind.GRAPHML:
        ids = [p.id for p in rng.sample(known, min(4, len(known)))] + [f"n{i}" for i in range(3)]
        nodes = "".join(
            f'<node id="{n}">' + (f'<data key="label">{n.upper()}</data>' if rng.random() < 0.5 else "")
            + "</node>"
            for n in ids
        )  # fmt: skip
        edges = "".join(f'<edge source="{a}" target="{b}"/>' for a, b in itertools.pairwise(ids))
        path = folder / "g.graphml"
        path.write_text(
            '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
            '<key id="label" for="node" attr.name="label" attr.type="string"/>'
            f'<graph edgedefault="undirected">{nodes}{edges}</graph></graphml>',
            encoding="utf-8",
        )
        return path
    with_email = [r for r in rows if r.email] or [Row("Zed Zee", "Acme", "zed@x.example", "")]
    at = datetime(2025, 12, 1, 9, tzinfo=UTC)
    if kind is ImportKind.MBOX:
        box = Mbox()
        for i, r in enumerate(with_email):
            box.send(
                "Owner <owner@acme.example>", [f"{r.name} <{r.email}>"], at + timedelta(days=i)
            )
            box.send(
                f"{r.name} <{r.email}>", ["owner@acme.example"], at + timedelta(days=i, hours=1)
            )
        return box.write(folder / "mail.mbox")
    if kind is ImportKind.CALENDAR:
        events = [
            event(f"e{i}", at + timedelta(days=i), "owner@acme.example", [r.email])
            for i, r in enumerate(with_email)
        ]
        return write_ics(folder / "cal.ics", events)
    if kind is ImportKind.VCARD:
        cards = []
        for r in rows:
            cards += ["BEGIN:VCARD", "VERSION:3.0", f"FN:{r.name}", f"ORG:{r.company}"]
            cards += [f"EMAIL:{r.email}"] if r.email else []
            cards += [f"URL:{r.url}"] if r.url else []
            cards.append("END:VCARD")
        path = folder / "cards.vcf"
        path.write_text("\r\n".join(cards) + "\r\n", encoding="utf-8")
        return path
    lines = ["First Name,Last Name,Organization Name,E-mail 1 - Value,Website 1 - Value"]
    for r in rows:
        first, _, last = r.name.partition(" ")
        lines.append(f'{first},{last},"{r.company}",{r.email},{r.url}')
    path = folder / "contacts.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


Outcome = tuple[ImportBatch, dict[str, object]] | str


async def former_import(planner: Planner, viewer: Viewer, request: ImportRequest) -> Outcome:
    """The import as it was: every person read, then filtered (the reference)."""
    try:
        store, ws = planner.store, viewer.workspace
        everyone = sorted(await store.people(ws), key=lambda p: p.id)  # the embedded order
        existing = everyone
        generic = request.kind in (ImportKind.EDGES, ImportKind.GRAPHML)
        restricted = False
        if viewer.member is not None:
            if generic and request.owner is None:
                me = await store.person(ws, viewer.member)
                request = replace(request, owner=me or Person(viewer.member, viewer.member))
            visible = await planner.visible_ids(viewer, browse=True)
            if visible is not None:
                restricted = True
                existing = [p for p in everyone if p.id in visible]
        noon = datetime.combine(planner.today, datetime.min.time(), UTC) + timedelta(hours=12)
        batch, report = await asyncio.to_thread(
            build_batch, request, existing, None, planner.weights, noon
        )
        if generic and restricted:
            seen = {p.id for p in existing}
            named = {p.id for p in batch.people}
            named.update(end for rel in batch.relationships for end in (rel.a, rel.b))
            batch = shadow_hidden(batch, named - seen, viewer)
        known = {p.id for p in everyone}
        batch = await keep_other_sources(planner, ws, request.kind, batch, known)
        batch = unchanged_people_left_out(batch, existing)  # the write step both paths share
    except WarmintroError as err:
        return f"{type(err).__name__}: {err}"
    return batch, report.as_dict()


async def new_import(planner: Planner, viewer: Viewer, request: ImportRequest) -> Outcome:
    try:
        batch, report = await prepare_import(planner, viewer, request)
    except WarmintroError as err:
        return f"{type(err).__name__}: {err}"
    return batch, report.as_dict()


@pytest.mark.parametrize("seed", range(6))
async def test_candidates_give_the_former_batches_reports_and_errors(
    store: GraphStore, tmp_path: Path, seed: int
) -> None:
    await _compare_with_former(store, tmp_path, seed)


@pytest.mark.parametrize("seed", range(2))
async def test_reading_everyone_for_many_keys_gives_the_same(
    store: GraphStore, tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose keys name a good part of the workspace is loaded against everyone,
    read in one scan (services.imports._people_named): the same batches, reports and
    errors, for the operator and every member."""
    monkeypatch.setattr("services.imports.MANY_KEYS", 1)
    answers: list[bool] = []
    decide = imports._reads_everyone

    async def counted(planner: Planner, ws: str, keys: PersonKeys) -> bool:
        answers.append(await decide(planner, ws, keys))
        return answers[-1]

    monkeypatch.setattr(imports, "_reads_everyone", counted)
    await _compare_with_former(store, tmp_path, seed)
    assert True in answers and False in answers  # both ways taken


async def _compare_with_former(store: GraphStore, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    ws = f"w{seed}"
    batch = world(rng)
    await store.apply(ws, batch)
    planner = Planner(store, today=TODAY)
    everyone = await store.people(ws)
    members = [m.person_id for m in batch.members]
    compared = 0
    for kind in KINDS:
        for i in range(3):
            path = write_file(kind, rng, everyone, tmp_path / f"{kind.value}{i}")
            for member in [None, *members]:
                owner_id = member or members[0]
                owner = None if kind in (ImportKind.EDGES, ImportKind.GRAPHML) and member else (
                    next(p for p in everyone if p.id == owner_id)
                )  # fmt: skip
                request = ImportRequest(kind, path, owner=owner)
                viewer = Viewer(ws, member)
                want = await former_import(planner, viewer, request)
                got = await new_import(planner, viewer, request)
                assert got == want, (kind, i, member)
                compared += 1
    assert compared == len(KINDS) * 3 * 5


async def _probe_workspace(store: GraphStore, ws: str, *, with_hidden: bool) -> None:
    hidden = Person("li:hidden", "Hana Hidden", "Acme", "Spy", "hana@acme.example",
                    "https://www.linkedin.com/in/hidden")  # fmt: skip
    seen = Person("li:seen", "Sam Seen", "Acme", "CTO", "", "https://www.linkedin.com/in/seen")
    rels = [
        Relationship("li:seen", "me", (Evidence("me", rating=0.9),)),
        Relationship("me", "priv", (Evidence("me", rating=0.9),)),
    ]
    if with_hidden:
        rels.append(Relationship("li:hidden", "priv", (Evidence("priv", rating=0.9),)))
    await store.apply(
        ws,
        ImportBatch(
            people=[Person("me", "Me"), Person("priv", "Priv"), seen]
            + ([hidden] if with_hidden else []),
            relationships=rels,
            members=[Member("me", Sharing.FULL), Member("priv", Sharing.PRIVATE)],
        ),
    )


@pytest.mark.parametrize("kind", [ImportKind.EDGES, ImportKind.VCARD, ImportKind.LINKEDIN])
async def test_a_member_import_reads_only_candidates_they_may_browse(
    store: GraphStore, tmp_path: Path, kind: ImportKind
) -> None:
    """The new path's probe: the people handed to the loader are candidates the member
    may browse, and a file naming a hidden person (by id, URL, email, name + company)
    gives the member the very batch and report it gives where that person does not
    exist: no count, note or id tells them apart."""
    await _probe_workspace(store, "with", with_hidden=True)
    await _probe_workspace(store, "without", with_hidden=False)
    if kind is ImportKind.EDGES:
        path = tmp_path / "edges.csv"
        path.write_text(
            "source,target\nhana@acme.example,li:seen\nhttps://linkedin.com/in/HIDDEN,me\n"
            "li:hidden,li:seen\nHana Hidden,me\n",
            encoding="utf-8",
        )
    elif kind is ImportKind.VCARD:
        path = tmp_path / "cards.vcf"
        card = ["BEGIN:VCARD", "VERSION:3.0", "FN:Hana Hidden", "ORG:Acme Inc."]
        path.write_text("\r\n".join([*card, "END:VCARD"]) + "\r\n", encoding="utf-8")
    else:
        path = tmp_path / "Connections.csv"
        path.write_text(
            "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
            "Hana,Hidden,,,Acme Inc.,Engineer,16 Dec 2024\n",
            encoding="utf-8",
        )
    planner = Planner(store, today=TODAY)
    outcomes = []
    for ws in ("with", "without"):
        viewer = Viewer(ws, "me")
        visible = await planner.visible_ids(viewer, browse=True)
        assert visible is not None and "li:hidden" not in visible
        owner = None if kind is ImportKind.EDGES else Person("me", "Me")
        request = ImportRequest(kind, path, owner=owner)
        loaded = await load_resolved(planner, ws, request, visible)
        assert {p.id for p in loaded.existing} <= visible
        batch, report = await prepare_import(planner, viewer, request)
        assert "Spy" not in repr((batch, report))
        suffix = shadow_id("", viewer)  # the member's own ids differ per workspace only
        outcomes.append((repr(batch).replace(suffix, "~member"), report.as_dict()))
    assert outcomes[0] == outcomes[1]


@pytest.mark.parametrize("seed", range(3))
async def test_people_for_keys_is_everyone_the_keys_name(store: GraphStore, seed: int) -> None:
    """The store's lookup equals a filter of every person (PersonKeys.matches), id order."""
    rng = random.Random(seed)
    ws = f"k{seed}"
    await store.apply(ws, world(rng))
    everyone = sorted(await store.people(ws), key=lambda p: p.id)
    for _ in range(20):
        keys = PersonKeys()
        for p in rng.sample(everyone, 3):
            keys.add_person(replace(p, name=f"{rng.choice(FIRST)} {p.name.split()[-1]}"))
        keys.ids.add("nobody")
        keys.emails.add(rng.choice(["shared1@x.example", "none@x.example"]))
        want = [p for p in everyone if keys.matches(p)]
        assert await store.people_for_keys(ws, keys) == want
    assert await store.people_for_keys(ws, PersonKeys()) == []


async def test_has_people(store: GraphStore) -> None:
    assert not await store.has_people("empty")
    await store.apply("one", ImportBatch(people=[Person("a", "A")]))
    assert await store.has_people("one")
    assert not await store.has_people("empty")
