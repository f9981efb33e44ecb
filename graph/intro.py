"""The intro-request lifecycle and what its history says about an introducer.

Statuses move ``drafted → asked → accepted | declined | no_response →
introduced → met``; anything else is an ``InvalidTransition``. History feeds
back into ranking: recent asks tire an introducer (social capital is finite)
and their accept/decline record calibrates how likely they are to help.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from graph.algorithms import IntroducerAdjustment
from graph.errors import InvalidTransition


class IntroStatus(StrEnum):
    DRAFTED = "drafted"
    ASKED = "asked"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    NO_RESPONSE = "no_response"
    INTRODUCED = "introduced"
    MET = "met"


TRANSITIONS: dict[IntroStatus, frozenset[IntroStatus]] = {
    IntroStatus.DRAFTED: frozenset({IntroStatus.ASKED}),
    IntroStatus.ASKED: frozenset(
        {IntroStatus.ACCEPTED, IntroStatus.DECLINED, IntroStatus.NO_RESPONSE}
    ),
    # A late reply after silence is still an answer.
    IntroStatus.NO_RESPONSE: frozenset({IntroStatus.ACCEPTED, IntroStatus.DECLINED}),
    IntroStatus.ACCEPTED: frozenset({IntroStatus.INTRODUCED}),
    IntroStatus.INTRODUCED: frozenset({IntroStatus.MET}),
    IntroStatus.DECLINED: frozenset(),
    IntroStatus.MET: frozenset(),
}


def check_transition(current: IntroStatus, wanted: IntroStatus) -> None:
    """Raise ``InvalidTransition`` unless ``current → wanted`` is allowed.

    >>> check_transition(IntroStatus.DRAFTED, IntroStatus.ASKED)
    >>> check_transition(IntroStatus.DRAFTED, IntroStatus.MET)
    Traceback (most recent call last):
    ...
    graph.errors.InvalidTransition: an intro request cannot go from 'drafted' to 'met'
    """
    if wanted not in TRANSITIONS[current]:
        raise InvalidTransition(current.value, wanted.value)


@dataclass(frozen=True, slots=True)
class IntroRequest:
    id: str
    requester: str
    introducer: str
    target: str
    goal: str
    status: IntroStatus
    created_at: datetime
    updated_at: datetime
    asked_at: datetime | None = None
    draft: str = ""  # the ask as sent, so the history shows what was said


@dataclass(frozen=True, slots=True)
class OutcomePolicy:
    """How asking history changes an introducer's rank (weights from settings).

    ``fatigue_days``/``fatigue_factor``: each ask to the same introducer within
    the window multiplies their score by the factor. Acceptance uses a Beta
    prior worth ``prior_weight`` pseudo-asks centred on ``prior_accept``: an
    introducer's posterior mean divided by the prior mean multiplies the score,
    so a reliable introducer rises above 1x and a repeated decliner falls.
    """

    fatigue_days: int = 30
    fatigue_factor: float = 0.6
    prior_accept: float = 0.6
    prior_weight: float = 4.0


POSITIVE = {IntroStatus.ACCEPTED, IntroStatus.INTRODUCED, IntroStatus.MET}
NEGATIVE = {IntroStatus.DECLINED, IntroStatus.NO_RESPONSE}


def introducer_adjustment(
    introducer: str,
    history: Iterable[IntroRequest],
    *,
    now: datetime,
    policy: OutcomePolicy | None = None,
) -> IntroducerAdjustment:
    """Score multiplier and reasons for one introducer from the request history.

    >>> from datetime import datetime
    >>> now = datetime(2026, 11, 1)
    >>> def req(status, day):
    ...     t = datetime(2026, 10, day)
    ...     return IntroRequest("r", "me", "ana", "t", "g", status, t, t, t)
    >>> adj = introducer_adjustment("ana", [req(IntroStatus.DECLINED, 1),
    ...                                     req(IntroStatus.DECLINED, 2)], now=now)
    >>> adj.multiplier < 1, adj.reasons[0]
    (True, 'accepted 0 of 2 past asks')
    """
    p = policy or OutcomePolicy()
    mine = [r for r in history if r.introducer == introducer]
    multiplier = 1.0
    reasons: list[str] = []
    decided = [r for r in mine if r.status in POSITIVE | NEGATIVE]
    if decided:
        accepted = sum(r.status in POSITIVE for r in decided)
        alpha = p.prior_accept * p.prior_weight + accepted
        beta = (1 - p.prior_accept) * p.prior_weight + (len(decided) - accepted)
        posterior = alpha / (alpha + beta)
        multiplier *= posterior / p.prior_accept
        reasons.append(f"accepted {accepted} of {len(decided)} past asks")
    window = now - timedelta(days=p.fatigue_days)
    recent = [r for r in mine if r.asked_at is not None and r.asked_at >= window]
    if recent:
        multiplier *= p.fatigue_factor ** len(recent)
        reasons.append(
            f"asked {len(recent)} time{'s' if len(recent) != 1 else ''} in the last "
            f"{p.fatigue_days} days (social capital is finite)"
        )
    return IntroducerAdjustment(multiplier=min(multiplier, 1.5), reasons=tuple(reasons))


def introducer_adjustments(
    history: Iterable[IntroRequest],
    *,
    now: datetime,
    policy: OutcomePolicy | None = None,
) -> dict[str, IntroducerAdjustment]:
    """:func:`introducer_adjustment` of everyone the history names as an introducer
    (anyone else: 1x, no reasons), for ``rank_introducers(penalty=...)``: the
    compiled ranking looks these few up instead of asking about every contact.

    >>> from datetime import datetime
    >>> t = datetime(2026, 10, 1)
    >>> asked = IntroRequest("r", "me", "ana", "t", "g", IntroStatus.ASKED, t, t, t)
    >>> {k: round(v.multiplier, 2) for k, v in
    ...  introducer_adjustments([asked], now=datetime(2026, 10, 2)).items()}
    {'ana': 0.6}
    """
    by_introducer: dict[str, list[IntroRequest]] = {}
    for r in history:
        by_introducer.setdefault(r.introducer, []).append(r)
    return {
        who: introducer_adjustment(who, mine, now=now, policy=policy)
        for who, mine in by_introducer.items()
    }
