"""The intro-request lifecycle and how outcomes move an introducer's rank."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from graph.errors import InvalidTransition
from graph.intro import (
    TRANSITIONS,
    IntroRequest,
    IntroStatus,
    OutcomePolicy,
    check_transition,
    introducer_adjustment,
)
from services.appdb import AppDB, IntroRequestNotFound

NOW = datetime(2026, 11, 1, 12, 0)
HAPPY_PATH = [IntroStatus.ASKED, IntroStatus.ACCEPTED, IntroStatus.INTRODUCED, IntroStatus.MET]


def request(introducer: str, status: IntroStatus, days_ago: int) -> IntroRequest:
    at = NOW - timedelta(days=days_ago)
    return IntroRequest("r", "me", introducer, "t", "goal", status, at, at, asked_at=at)


def test_every_status_has_transitions_and_terminals_have_none() -> None:
    assert set(TRANSITIONS) == set(IntroStatus)
    assert TRANSITIONS[IntroStatus.MET] == frozenset()
    assert TRANSITIONS[IntroStatus.DECLINED] == frozenset()


@pytest.mark.parametrize(
    ("current", "wanted"),
    [
        (IntroStatus.DRAFTED, IntroStatus.ACCEPTED),
        (IntroStatus.DRAFTED, IntroStatus.MET),
        (IntroStatus.ASKED, IntroStatus.INTRODUCED),
        (IntroStatus.DECLINED, IntroStatus.ASKED),
        (IntroStatus.MET, IntroStatus.DRAFTED),
        (IntroStatus.ACCEPTED, IntroStatus.ACCEPTED),
    ],
)
def test_invalid_transitions_are_typed_errors(current: IntroStatus, wanted: IntroStatus) -> None:
    with pytest.raises(InvalidTransition) as err:
        check_transition(current, wanted)
    assert err.value.current == current.value
    assert err.value.wanted == wanted.value


def test_lifecycle_is_persisted_and_validated(tmp_path: Path) -> None:
    db = AppDB(tmp_path / "app.db")
    req = db.create_intro_request(
        "w", requester="me", introducer="ana", target="cy", goal="payments", draft="Hi Ana"
    )
    assert req.status is IntroStatus.DRAFTED
    for status in HAPPY_PATH:
        req = db.update_intro_status("w", req.id, status, at=NOW)
        assert req.status is status
    assert req.asked_at == NOW
    with pytest.raises(InvalidTransition):
        db.update_intro_status("w", req.id, IntroStatus.ASKED)
    assert [r.id for r in db.intro_requests("w", status=IntroStatus.MET)] == [req.id]
    assert db.intro_requests("w", status=IntroStatus.ASKED) == []
    with pytest.raises(IntroRequestNotFound):
        db.update_intro_status("other-workspace", req.id, IntroStatus.ASKED)
    db.close()


def test_late_answer_after_no_response_is_allowed() -> None:
    check_transition(IntroStatus.ASKED, IntroStatus.NO_RESPONSE)
    check_transition(IntroStatus.NO_RESPONSE, IntroStatus.ACCEPTED)


def test_repeated_decliner_falls_and_reliable_introducer_rises() -> None:
    declines = [request("ana", IntroStatus.DECLINED, 60 + i) for i in range(4)]
    accepts = [request("bo", IntroStatus.MET, 60 + i) for i in range(4)]
    ana = introducer_adjustment("ana", declines + accepts, now=NOW)
    bo = introducer_adjustment("bo", declines + accepts, now=NOW)
    fresh = introducer_adjustment("cy", declines + accepts, now=NOW)
    assert ana.multiplier < fresh.multiplier == 1.0 < bo.multiplier
    assert "accepted 0 of 4 past asks" in ana.reasons
    assert "accepted 4 of 4 past asks" in bo.reasons
    # More declines keep pushing down; the prior keeps one decline from being fatal.
    one = introducer_adjustment("ana", declines[:1], now=NOW).multiplier
    assert 0.5 < one < 1.0
    assert ana.multiplier < one


def test_recent_asks_tire_an_introducer_and_say_why() -> None:
    policy = OutcomePolicy(fatigue_days=30, fatigue_factor=0.5)
    pending = [request("ana", IntroStatus.ASKED, 3), request("ana", IntroStatus.ASKED, 10)]
    adj = introducer_adjustment("ana", pending, now=NOW, policy=policy)
    assert adj.multiplier == pytest.approx(0.25)
    assert adj.reasons == ("asked 2 times in the last 30 days (social capital is finite)",)
    old = [request("ana", IntroStatus.ASKED, 45)]
    assert introducer_adjustment("ana", old, now=NOW, policy=policy).multiplier == 1.0
