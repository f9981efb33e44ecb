"""graph.store.fullbuild: the memoised full build scores every tie exactly as ``tie_of`` does.

The reference is the plain per-tie computation the store used before (decode each
owner's row, ``tie_of``, ``Observed.build``), over evidence of every kind: LinkedIn
connections, messages, email and calendar, address books, CRM ratings, notes,
together-in-mail, several owners per tie, members and non-members, teammates, and an
owner named like the inferred layer's. Strengths are compared as floats, bit for bit.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from graph.colleagues import INFERRED_OWNER
from graph.model import Evidence, ImportBatch, Member, Person, Relationship, Sharing
from graph.store import fullbuild
from graph.store.codec import evidence_from_json, evidence_to_json
from graph.store.embedded import EmbeddedStore
from graph.store.fullbuild import TieScorer, observed_from_rows
from graph.store.layers import Observed, tie_of
from graph.store.view import owner_bits_for
from graph.strength import StrengthWeights
from tests.conftest import TODAY

MEMBERS = ("m1", "m2", "m3", "m4")
OWNERS = (*MEMBERS, "crm.csv", "mail.mbox", INFERRED_OWNER)


def _day(rng: random.Random) -> datetime:
    return datetime(2018, 1, 1) + timedelta(days=rng.randint(0, 3200), hours=rng.randint(0, 23))


def _evidence(rng: random.Random, owner: str) -> Evidence:
    """One owner's record: a few kinds at random, drawn from small value sets so that
    contents repeat (as real exports do) and the memo is exercised."""
    kind = rng.choice(["linkedin", "messages", "mail", "calendar", "crm", "together", "mixed"])
    e: dict[str, object] = {}
    if kind in ("linkedin", "mixed"):
        e["connected_on"] = (datetime(2015, 1, 1) + timedelta(days=rng.randint(0, 40))).date()
        e["invited_with_note"] = rng.choice([None, True, False])
        e["endorsements"] = rng.choice([0, 0, 2])
        e["recommendations"] = rng.choice([0, 0, 1])
        e["shared_employers"] = tuple(rng.sample(["Acme", "Globex", "Initech"], rng.randint(0, 2)))
        e["shared_schools"] = tuple(rng.sample(["MIT", "ETH"], rng.randint(0, 1)))
    if kind in ("messages", "mixed"):
        e["messages_ab"] = rng.randint(0, 5)
        e["messages_ba"] = rng.randint(0, 5)
        e["first_contact"] = _day(rng)
        e["last_contact"] = _day(rng)
    if kind in ("mail", "mixed"):
        e["emails_ab"] = rng.randint(0, 9)
        e["emails_ba"] = rng.randint(0, 9)
        e["email_threads"] = rng.randint(0, 3)
        e["email_replies"] = rng.randint(0, 3)
        e["first_email"] = _day(rng)
        e["last_email"] = _day(rng)
        e["address_book"] = tuple(rng.sample(["Ann", "Bo"], rng.randint(0, 2)))
    if kind == "calendar":
        e["meetings"] = rng.randint(1, 6)
        e["small_meetings"] = rng.randint(0, 1)
        e["meeting_weight"] = rng.choice([0.5, 1.0, 2.25])
        e["first_meeting"] = _day(rng)
        e["last_meeting"] = _day(rng)
    if kind == "crm":
        e["rating"] = rng.choice([0.05, 0.3, 0.5, 0.8, 1.0, 0.001])
        e["notes"] = rng.choice([(), (("stage", "warm"),), (("context", "café"),)])
    if kind == "together":
        e["threads_together"] = rng.randint(0, 4)
        e["meetings_together"] = rng.randint(0, 2)
        e["together_from"] = tuple(rng.sample(["Ann", "Bo"], rng.randint(1, 2)))
    return Evidence(owner=owner, **e)  # type: ignore[arg-type]


def _rows(rng: random.Random, people: list[str], ties: int) -> list[tuple[str, str, str, str]]:
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < ties:
        a, b = sorted(rng.sample(people, 2))
        pairs.add((a, b))
    rows = []
    for a, b in sorted(pairs):
        for owner in sorted(rng.sample(OWNERS, rng.choice([1, 1, 1, 2, 3]))):
            rows.append((a, b, owner, evidence_to_json(_evidence(rng, owner))))
    return rows


def _plain(
    rows: list[tuple[str, str, str, str]],
    index: dict[str, int],
    ids: list[str],
    team_pairs: set[tuple[str, str]],
    bits: dict[str, int],
    weights: StrengthWeights,
) -> Observed:
    """The build before the memo: every pair decoded and scored on its own, an id with
    no node numbered when first met (``index``/``ids`` grow)."""

    def node(pid: str) -> int:
        if pid not in index:
            index[pid] = len(ids)
            ids.append(pid)
        return index[pid]

    grouped: dict[tuple[str, str], dict[str, Evidence]] = {}
    for a, b, owner, data in rows:
        grouped.setdefault((a, b), {})[owner] = evidence_from_json(owner, data)
    out = []
    for pair, owners in grouped.items():
        team = pair in team_pairs
        s, m = tie_of(owners, bits, team=team, as_of=TODAY, weights=weights)
        out.append((node(pair[0]), node(pair[1]), s, m, True))
    for a, b in sorted(team_pairs - set(grouped)):
        s, m = tie_of({}, bits, team=True, as_of=TODAY, weights=weights)
        out.append((node(a), node(b), s, m, False))
    return Observed.build(out)


def _same(fast: Observed, plain: Observed) -> None:
    assert np.array_equal(fast.key, plain.key)
    assert fast.strength.tobytes() == plain.strength.tobytes()  # bit for bit
    assert fast.masks() == plain.masks()
    assert fast.table == plain.table
    assert np.array_equal(fast.mid, plain.mid)
    assert np.array_equal(fast.evidenced, plain.evidenced)


@pytest.mark.parametrize(("seed", "chunk"), [(1, fullbuild.CHUNK), (2, 7), (3, 1), (4, 2)])
def test_fast_build_equals_the_plain_per_tie_computation(
    seed: int, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Also with chunks of a few rows (a pair's rows split across two), and with ids
    that have no node yet (numbered in the order the plain build meets them)."""
    monkeypatch.setattr(fullbuild, "CHUNK", chunk)
    rng = random.Random(seed)
    people = [*MEMBERS, *(f"p{i:03d}" for i in range(120))]
    rows = _rows(rng, people, 1500)
    # The same texts on teammate ties and on others: a teammate's evidence must not
    # leak into the other ties' memo entries, nor the reverse.
    shared = evidence_to_json(Evidence(owner="x", connected_on=datetime(2015, 1, 5).date()))
    taken = {(a, b) for a, b, _o, _d in rows}
    for a, b in [("m1", "m2"), ("m1", "m3"), ("p000", "p001"), ("p002", "p003")]:
        if (a, b) not in taken:
            rows.append((a, b, "crm.csv", shared))
    rows.sort(key=lambda r: (r[0], r[1]))
    known = [p for p in people if rng.random() < 0.9 and p != "m4"]  # m4: a team-only id
    team_pairs = {(a, b) for i, a in enumerate(MEMBERS) for b in MEMBERS[i + 1 :]}
    bits = owner_bits_for(MEMBERS)
    weights = StrengthWeights()
    plain_index, plain_ids = {p: i for i, p in enumerate(known)}, list(known)
    plain = _plain(rows, plain_index, plain_ids, team_pairs, bits, weights)
    scorer = TieScorer(bits, as_of=TODAY, weights=weights)
    index, ids = {p: i for i, p in enumerate(known)}, list(known)
    fast = observed_from_rows(iter(rows), index, ids, set(team_pairs), scorer)
    _same(fast, plain)
    assert ids == plain_ids and index == plain_index and len(ids) > len(known)
    assert len(fast) == len(plain) >= 1500
    assert not fast.evidenced.all()  # some teammate ties no source shows
    assert scorer.scored < len(fast)  # repeated contents were scored once


def test_the_inferred_owner_name_is_part_of_the_key() -> None:
    """A stored owner named like the inferred layer changes a colleague record's strength
    (an inferred-only tie has no base), so equal text under another owner must not hit."""
    text = evidence_to_json(Evidence(owner="x", colleague_company="Acme", colleague_size=9))
    scorer = TieScorer({}, as_of=TODAY, weights=StrengthWeights())
    for owner in ("crm.csv", INFERRED_OWNER, "crm.csv"):
        want = tie_of(
            {owner: evidence_from_json(owner, text)},
            {},
            team=False,
            as_of=TODAY,
            weights=StrengthWeights(),
        )
        assert scorer.score((owner,), (text,), team=False) == want


def test_an_empty_store_builds_an_empty_layer() -> None:
    scorer = TieScorer({}, as_of=TODAY, weights=StrengthWeights())
    empty = observed_from_rows(iter([]), {}, [], set(), scorer)
    assert len(empty) == 0 and empty.table == []


def test_the_store_builds_what_the_plain_computation_gives(tmp_path: Path) -> None:
    """Through the store: members at every sharing level, several owners per tie, then
    the observed layer of a fresh build equals the plain computation over its own rows."""
    rng = random.Random(7)
    people = [*MEMBERS, *(f"p{i:03d}" for i in range(60))]
    sharing = [Sharing.FULL, Sharing.PATHS, Sharing.PRIVATE, Sharing.FULL]
    rels: dict[tuple[str, str], dict[str, Evidence]] = {}
    for a, b, owner, data in _rows(rng, people, 400):
        rels.setdefault((a, b), {})[owner] = evidence_from_json(owner, data)
    batch = ImportBatch(
        people=[Person(p, f"Name {p}", company=rng.choice(["Acme", "Globex"])) for p in people],
        members=[Member(m, s) for m, s in zip(MEMBERS, sharing, strict=True)],
        relationships=[Relationship(a, b, tuple(ev.values())) for (a, b), ev in rels.items()],
    )
    store = EmbeddedStore(tmp_path / "w.db", today=lambda: TODAY)
    store.apply_sync("w", batch)
    view = store.catch_up("w")
    live = store._live["w"]
    conn = sqlite3.connect(tmp_path / "w.db")
    rows = conn.execute("SELECT a, b, owner, data FROM evidence ORDER BY a, b").fetchall()
    team_pairs = {(a, b) for i, a in enumerate(MEMBERS) for b in MEMBERS[i + 1 :]}
    index, ids = dict(live.index), list(live.ids)
    plain = _plain(rows, index, ids, team_pairs, owner_bits_for(MEMBERS), StrengthWeights())
    _same(live.observed, plain)
    assert len(view.graph) == len(people)
    conn.close()
    asyncio.run(store.close())


def test_the_memo_starts_again_past_its_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fullbuild, "MEMO_LIMIT", 2)
    rows = [
        (f"a{i}", f"b{i}", "crm.csv", evidence_to_json(Evidence(owner="x", rating=r)))
        for i, r in enumerate([0.1, 0.2, 0.3, 0.1, 0.2])
    ]
    node = {p: i for i, p in enumerate(sorted({x for r in rows for x in r[:2]}))}
    scorer = TieScorer({}, as_of=TODAY, weights=StrengthWeights())
    fast = observed_from_rows(iter(rows), node, list(node), set(), scorer)
    by_pair = dict(zip(fast.key.tolist(), fast.strength.tolist(), strict=True))
    assert sorted(by_pair.values()) == [0.1, 0.1, 0.2, 0.2, 0.3]
