"""The demo network generator: deterministic, in LinkedIn's real formats, and useful."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import networkx as nx
import pytest

from demo.data import (
    CONNECTION_HEADER,
    INVITATION_HEADER,
    MESSAGE_HEADER,
    NOTICE,
    DemoManifest,
    write_demo_exports,
    write_synthetic_export,
)
from graph.identity import person_id_for
from graph.model import Person
from loaders.edges import load_edges
from loaders.linkedin_export import build_linkedin_batch, read_linkedin_export

TODAY = date(2026, 11, 1)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoManifest:
    return write_demo_exports(tmp_path_factory.mktemp("demo"), seed=7, today=TODAY)


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def table(path: Path, skip: int = 0) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8")
    lines = io.StringIO(text, newline="")
    for _ in range(skip):
        lines.readline()
    return list(csv.DictReader(lines))


def connection_urls(folder: Path) -> set[str]:
    return {r["URL"] for r in table(folder / "Connections.csv", skip=3)}


def test_same_arguments_same_bytes(demo: DemoManifest, tmp_path: Path) -> None:
    root = demo.edges_csv.parent
    again = write_demo_exports(tmp_path / "again", seed=7, today=TODAY)
    assert tree(root) == tree(again.edges_csv.parent)
    other = write_demo_exports(tmp_path / "other", seed=8, today=TODAY)
    assert tree(root) != tree(other.edges_csv.parent)
    assert sorted(tree(root)) == sorted(
        [f"{d.name}/{f}" for d in demo.member_dirs for f in FILES]
        + ["people.csv", "team_edges.csv"]
    )


FILES = ["Connections.csv", "Invitations.csv", "Positions.csv", "Profile.csv", "messages.csv"]


def test_connections_format(demo: DemoManifest) -> None:
    for folder in demo.member_dirs:
        text = (folder / "Connections.csv").read_text(encoding="utf-8")
        lines = text.split("\n")
        assert lines[0] == "Notes:"
        assert lines[1] == f'"{NOTICE}"'
        assert lines[2] == ""
        assert lines[3] == ",".join(CONNECTION_HEADER)
        rows = table(folder / "Connections.csv", skip=3)
        assert all(re.fullmatch(r"\d\d [A-Z][a-z]{2} \d{4}", r["Connected On"]) for r in rows)
        assert all(r["URL"].startswith("https://www.linkedin.com/in/") for r in rows)
        assert sum(1 for r in rows if r["Email Address"]) < len(rows) * 0.1  # most are hidden
        assert all(datetime.strptime(r["Connected On"], "%d %b %Y").date() <= TODAY for r in rows)


def test_names_exercise_the_loader(demo: DemoManifest) -> None:
    rows = [r for d in demo.member_dirs for r in table(d / "Connections.csv", skip=3)]
    names = [f"{r['First Name']} {r['Last Name']}" for r in rows]
    assert any(
        not n.replace(" ", "").isascii() and not any(c.isascii() for c in n.replace(" ", ""))
        for n in names
    )  # non-Latin
    assert any(any(ord(c) > 0x1F000 for c in n) for n in names)  # emoji
    assert any(", " in r["Last Name"] for r in rows)  # "Hopper, Ph.D." needs quoting
    assert any("%" in r["URL"] for r in rows)  # percent-encoded slugs
    assert len({r["Company"] for r in rows}) >= 30


def test_messages_format_and_skew(demo: DemoManifest) -> None:
    for folder, member_url in zip(demo.member_dirs, demo.member_urls, strict=True):
        text = (folder / "messages.csv").read_text(encoding="utf-8")
        records = list(csv.reader(io.StringIO(text, newline="")))
        assert tuple(records[0]) == MESSAGE_HEADER
        out = io.StringIO()
        csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(records)
        assert out.getvalue() == text  # every field quoted
        rows = records[1:]
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", r[6]) for r in rows)
        assert any("\n" in r[8] for r in rows)  # multi-line content
        assert any(r[3] == "" for r in rows)  # a sponsored message without a sender
        sent = Counter(r[5] for r in rows if r[3] == member_url)
        received = Counter(r[3] for r in rows if r[3] and r[3] != member_url)
        both = Counter({u: sent[u] + received[u] for u in {*sent, *received}})
        connections = connection_urls(folder)
        top = both.most_common(10)
        assert sum(n for _u, n in top) > 0.3 * sum(both.values())  # a few close contacts
        assert all(sent[u] and received[u] for u, _n in top)  # talking both ways
        assert len([u for u in connections if u in both]) < 0.2 * len(connections)  # most: none


def test_invitations_format(demo: DemoManifest) -> None:
    for folder in demo.member_dirs:
        text = (folder / "Invitations.csv").read_text(encoding="utf-8")
        assert text.split("\n", 1)[0] == ",".join(INVITATION_HEADER)
        rows = table(folder / "Invitations.csv")
        assert rows
        assert {r["Direction"] for r in rows} == {"OUTGOING", "INCOMING"}
        assert any(r["Message"] for r in rows) and any(not r["Message"] for r in rows)
        assert all(
            re.fullmatch(r"\d{1,2}/\d{1,2}/\d\d, \d{1,2}:\d\d [AP]M", r["Sent At"]) for r in rows
        )


def test_sizes_and_overlap(demo: DemoManifest) -> None:
    sets = [connection_urls(d) for d in demo.member_dirs]
    for i, mine in enumerate(sets):
        assert 1500 <= len(mine) <= 2500
        others = set().union(*(s for j, s in enumerate(sets) if j != i))
        assert 0.25 <= len(mine & others) / len(mine) <= 0.35
        # Teammates are connected to each other.
        assert {u for j, u in enumerate(demo.member_urls) if j != i} <= mine
    people = table(demo.people_csv)
    assert 3000 <= len(people) <= 8000
    assert len({p["id"] for p in people}) == len(people)
    edges = table(demo.edges_csv)
    ids = {p["id"] for p in people}
    assert all(e["source"] in ids and e["target"] in ids for e in edges)
    assert all(0 < float(e["strength"]) <= 1 for e in edges)
    assert all(e["source"].startswith("li:") for e in edges)


def test_exports_parse_with_the_real_loaders(demo: DemoManifest) -> None:
    """Zero skipped rows; the known ties meet the LinkedIn people; Acme is three hops away."""
    existing: dict[str, Person] = {}
    people: list[Person] = []
    g: nx.Graph[str] = nx.Graph()
    members = []
    for folder, url in zip(demo.member_dirs, demo.member_urls, strict=True):
        batch, report = build_linkedin_batch(
            read_linkedin_export(folder), owner=None, existing=people
        )
        assert report.skipped == []
        assert report.merges == 0  # different profile URLs are never merged
        assert batch.members[0].person_id == person_id_for(url, "", "", "")
        assert report.relationships >= 1500 and report.interactions > 500
        members.append(batch.members[0].person_id)
        for p in batch.people:
            existing[p.id] = p
        people = list(existing.values())
        g.add_edges_from((r.a, r.b) for r in batch.relationships)
    batch, report = load_edges(demo.edges_csv, people_path=demo.people_csv, existing=people)
    known_ids = {p.id for p in people}
    linkedin_people = [p for p in batch.people if p.id in known_ids]
    assert len(linkedin_people) > 3000  # the same ids: one node per person
    g.add_edges_from((r.a, r.b) for r in batch.relationships)
    dana = person_id_for(demo.targets[0], "", "", "")
    assert demo.target_details[0].headline == "Head of Payments at Acme"
    assert all(nx.shortest_path_length(g, m, dana) == 3 for m in members)
    for url in demo.targets:
        target = person_id_for(url, "", "", "")
        assert min(nx.shortest_path_length(g, m, target) for m in members) <= 3


def test_synthetic_export(tmp_path: Path) -> None:
    a = write_synthetic_export(tmp_path / "a", connections=3000, messages=8000, seed=1, today=TODAY)
    b = write_synthetic_export(tmp_path / "b", connections=3000, messages=8000, seed=1, today=TODAY)
    assert tree(a) == tree(b)
    assert len(table(a / "Connections.csv", skip=3)) == 3000
    assert len(table(a / "messages.csv")) == 8000
    batch, report = build_linkedin_batch(read_linkedin_export(a), owner=None, existing=[])
    assert report.skipped == []
    assert report.relationships == 3000
    assert report.interactions >= 8000
    assert len(batch.people) == 3001
