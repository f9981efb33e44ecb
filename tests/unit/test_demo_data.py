"""The benchmark's synthetic export: deterministic, in LinkedIn's real formats, loadable.

(The demo team's exports are :mod:`demo.team_exports`, tested in test_team_exports.py;
the demo workspace built from them in tests/e2e/test_demo.py.)
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from demo.data import (
    CONNECTION_HEADER,
    INVITATION_HEADER,
    MESSAGE_HEADER,
    NOTICE,
    write_synthetic_export,
)
from loaders.linkedin_export import build_linkedin_batch, read_linkedin_export

TODAY = date(2026, 11, 1)
CONNECTIONS = 3000
MESSAGES = 2000
OWNER_URL = "https://www.linkedin.com/in/bench-owner"


def write(folder: Path, seed: int = 1) -> Path:
    return write_synthetic_export(
        folder, connections=CONNECTIONS, messages=MESSAGES, seed=seed, today=TODAY
    )


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("bench") / "a")


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


def test_same_arguments_same_bytes(export: Path, tmp_path: Path) -> None:
    assert tree(export) == tree(write(tmp_path / "again"))
    assert tree(export) != tree(write(tmp_path / "other", seed=2))
    assert sorted(tree(export)) == sorted(
        ["Connections.csv", "Invitations.csv", "Positions.csv", "Profile.csv", "messages.csv"]
    )


def test_connections_format(export: Path) -> None:
    text = (export / "Connections.csv").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0] == "Notes:"
    assert lines[1] == f'"{NOTICE}"'
    assert lines[2] == ""
    assert lines[3] == ",".join(CONNECTION_HEADER)
    rows = table(export / "Connections.csv", skip=3)
    assert len(rows) == CONNECTIONS
    assert all(re.fullmatch(r"\d\d [A-Z][a-z]{2} \d{4}", r["Connected On"]) for r in rows)
    assert all(r["URL"].startswith("https://www.linkedin.com/in/") for r in rows)
    assert sum(1 for r in rows if r["Email Address"]) < len(rows) * 0.1  # most are hidden
    assert all(datetime.strptime(r["Connected On"], "%d %b %Y").date() <= TODAY for r in rows)


def test_names_exercise_the_loader(export: Path) -> None:
    rows = table(export / "Connections.csv", skip=3)
    names = [f"{r['First Name']} {r['Last Name']}" for r in rows]
    assert any(
        not n.replace(" ", "").isascii() and not any(c.isascii() for c in n.replace(" ", ""))
        for n in names
    )  # non-Latin
    assert any(any(ord(c) > 0x1F000 for c in n) for n in names)  # emoji
    assert any(", " in r["Last Name"] for r in rows)  # "Hopper, Ph.D." needs quoting
    assert any("%" in r["URL"] for r in rows)  # percent-encoded slugs
    assert len({r["Company"] for r in rows}) >= 30


def test_messages_format_and_skew(export: Path) -> None:
    text = (export / "messages.csv").read_text(encoding="utf-8")
    records = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(records[0]) == MESSAGE_HEADER
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(records)
    assert out.getvalue() == text  # every field quoted
    rows = records[1:]
    assert len(rows) == MESSAGES
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", r[6]) for r in rows)
    assert any("\n" in r[8] for r in rows)  # multi-line content
    sent = Counter(r[5] for r in rows if r[3] == OWNER_URL)
    received = Counter(r[3] for r in rows if r[3] != OWNER_URL)
    both = Counter({u: sent[u] + received[u] for u in {*sent, *received}})
    top = both.most_common(10)
    assert sum(n for _u, n in top) > 0.2 * sum(both.values())  # a few close contacts
    assert all(sent[u] and received[u] for u, _n in top)  # talking both ways
    connections = {r["URL"] for r in table(export / "Connections.csv", skip=3)}
    assert len([u for u in connections if u in both]) < 0.2 * len(connections)  # most: none


def test_invitations_format(export: Path) -> None:
    text = (export / "Invitations.csv").read_text(encoding="utf-8")
    assert text.split("\n", 1)[0] == ",".join(INVITATION_HEADER)
    rows = table(export / "Invitations.csv")
    assert rows
    assert {r["Direction"] for r in rows} == {"OUTGOING", "INCOMING"}
    assert all(
        re.fullmatch(r"\d{1,2}/\d{1,2}/\d\d, \d{1,2}:\d\d [AP]M", r["Sent At"]) for r in rows
    )


def test_the_real_loader_reads_every_row(export: Path) -> None:
    batch, report = build_linkedin_batch(read_linkedin_export(export), owner=None, existing=[])
    assert report.skipped == []
    assert report.relationships == CONNECTIONS
    assert report.interactions >= MESSAGES
    assert len(batch.people) == CONNECTIONS + 1
    # A star around its owner, as every real export is: no tie between two contacts.
    owner = batch.members[0].person_id
    assert all(owner in (r.a, r.b) for r in batch.relationships)
