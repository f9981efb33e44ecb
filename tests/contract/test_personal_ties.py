"""Mail and calendar imports on both backends: evidence round-trips, re-imports keep other
sources, and co-occurrence ties among contacts are observed, owned and shared as their owner says."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from graph.errors import NoPath, PersonNotFound
from graph.model import Evidence, ImportBatch, Member, Person, Relationship, Sharing
from graph.store.base import GraphStore
from services.access import Viewer
from services.imports import ImportKind, ImportRequest, run_import
from services.planner import Planner
from tests.conftest import TODAY, rel
from tests.personal_files import Mbox, event, write_ics

MAYA = Person("li:maya", "Maya Lindqvist", "Team", email="maya@team.example")
OMAR = Person("li:omar", "Omar Haddad", "Team", email="omar@team.example")
DANA = Person("li:dana", "Dana Reyes", "Acme", email="dana@acme.example")
NOON = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=UTC)


@pytest.fixture
def ws() -> str:
    return f"t{uuid.uuid4().hex[:12]}"


async def seed(store: GraphStore, ws: str) -> None:
    """Two members; Maya's LinkedIn export showed messages with Dana; Omar knows Dana."""
    await store.apply(
        ws,
        ImportBatch(
            people=[MAYA, OMAR, DANA],
            relationships=[
                rel("li:maya", "li:dana", owner="li:maya", messages_ab=1, messages_ba=4),
                rel("li:omar", "li:dana", owner="li:omar", rating=0.9),
            ],
            members=[Member("li:maya"), Member("li:omar")],
        ),
    )


def mailbox(tmp_path: Path) -> Path:
    """Maya writes with Dana and Lee, and three small threads have both of them on."""
    box = Mbox()
    maya, dana, lee = (
        "Maya <maya@team.example>",
        "Dana R. <dana@acme.example>",
        "Lee Park <lee@globex.example>",
    )
    for k in range(3):
        at = NOON - timedelta(days=20 + 30 * k)
        first = box.send(maya, [dana], at, thread=f"d{k}")
        box.send(dana, [maya], at + timedelta(hours=2), thread=f"d{k}", reply_to=first)
        box.send(maya, [lee], at + timedelta(days=1), thread=f"l{k}")
        group = box.send(maya, [dana], at + timedelta(days=2), cc=[lee], thread=f"g{k}")
        box.send(lee, [maya, dana], at + timedelta(days=3), thread=f"g{k}", reply_to=group)
    return box.write(tmp_path / "maya.mbox")


def calendar(tmp_path: Path) -> Path:
    people = ["maya@team.example", "dana@acme.example", "lee@globex.example"]
    events = [
        event(f"g{k}@t", NOON - timedelta(days=10 + 7 * k), "maya@team.example", people)
        for k in range(2)
    ]
    return write_ics(tmp_path / "maya.ics", events)


async def test_personal_evidence_round_trips(store: GraphStore, ws: str) -> None:
    at = datetime(2026, 9, 1, 10, 30, tzinfo=UTC)
    e = Evidence(
        owner="li:maya",
        messages_ab=2,
        emails_ab=20,
        emails_ba=11,
        email_threads=9,
        email_replies=8,
        first_email=at - timedelta(days=700),
        last_email=at,
        meetings=4,
        small_meetings=3,
        meeting_weight=3.544,
        first_meeting=at - timedelta(days=90),
        last_meeting=at,
        address_book=("Maya",),
        threads_together=6,
        meetings_together=2,
        together_from=("Maya",),
    )
    await store.apply(
        ws,
        ImportBatch(people=[MAYA, DANA], relationships=[Relationship("li:dana", "li:maya", (e,))]),
    )
    got = await store.relationship(ws, "li:maya", "li:dana")
    assert got is not None and got.evidence == (e,)
    assert (await store.stats(ws)).interactions == 2 + 31 + 4


async def test_mail_and_calendar_ties_on_both_backends(
    store: GraphStore, planner: Planner, ws: str, tmp_path: Path
) -> None:
    await seed(store, ws)
    operator = Viewer(ws)
    request = ImportRequest(ImportKind.MBOX, mailbox(tmp_path), owner=MAYA)
    report = await run_import(planner, operator, request)
    assert report.people == 3  # Maya, Dana (joined by email), Lee
    assert any("same email dana@acme.example" in n for n in report.notes)

    # The mail joined LinkedIn's Dana and kept the LinkedIn messages of the same owner.
    tie = await store.relationship(ws, "li:maya", "li:dana")
    assert tie is not None
    (mine,) = tie.evidence
    assert (mine.messages_ab, mine.messages_ba) == (1, 4)
    # ab: Dana to Maya (3 replies); ba: Maya to Dana (3 alone, 3 with Lee); 6 threads
    assert (mine.emails_ab, mine.emails_ba, mine.email_threads) == (3, 6, 6)
    dana = await store.person(ws, "li:dana")
    assert dana is not None and dana.name == "Dana Reyes"  # a header name renames nobody

    lee_id = "em:lee@globex.example"
    together = await store.relationship(ws, "li:dana", lee_id)
    assert together is not None
    assert [(e.owner, e.threads_together, e.together_from) for e in together.evidence] == [
        ("li:maya", 3, ("Maya",))
    ]

    await run_import(
        planner, operator, ImportRequest(ImportKind.CALENDAR, calendar(tmp_path), owner=MAYA)
    )
    path = await planner.trusted_path(operator, "li:dana", lee_id, max_hops=1)
    assert path.steps[0].evidence == (
        "in 3 email threads and 2 meetings together (from Maya's mail and calendar)",
    )
    before = (await store.stats(ws), await store.relationship(ws, "li:dana", lee_id))
    await run_import(planner, operator, request)  # idempotent, and keeps the calendar's part
    assert (await store.stats(ws), await store.relationship(ws, "li:dana", lee_id)) == before

    # Omar may route through Maya's observed tie while she shares paths, not when private.
    omar = Viewer(ws, member="li:omar")
    found = await planner.trusted_path(omar, "li:omar", lee_id, avoid=["li:maya"])
    assert [p.id for p in found.people] == ["li:omar", "li:dana", lee_id]
    assert found.steps[1].sources == ("Maya Lindqvist",)
    await store.set_sharing(ws, "li:maya", Sharing.PRIVATE)
    omar = Viewer(ws, member="li:omar")  # a new request reads the sharing levels afresh
    with pytest.raises((NoPath, PersonNotFound)):
        await planner.trusted_path(omar, "li:omar", lee_id, avoid=["li:maya"])
