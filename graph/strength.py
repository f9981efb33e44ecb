"""The strength model: evidence about a tie in, a probability-like strength out.

Strength estimates how likely one side is to act on the other's request. Each
signal contributes an independent "reason to act" ``c_i`` in [0, 1) and the
signals are combined by noisy-OR on top of a low base for a bare connection::

    strength = 1 - (1 - base) * prod(1 - c_i)

Noisy-OR keeps strength in (0, 1), makes every signal monotone (more evidence
never lowers strength) and lets a strong signal dominate without summing past 1.
The weights follow tie-strength research (Granovetter 1973; Gilbert & Karahalios
2009): recency of contact and intimacy/intensity (reciprocated exchange) weigh
most, duration and shared context (employers, schools) less, and one-off social
gestures (a note on an invitation, endorsements) least. An explicit rating is a
person's own judgement and overrides the model.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from graph.colleagues import INFERRED_OWNER, colleague_strength
from graph.model import SMALL_MEETING, Evidence


@dataclass(frozen=True, slots=True)
class StrengthWeights:
    """Tunable weights of the strength model (see the module docstring for why).

    Each ``*_max`` is the largest contribution that signal can make on its own;
    ``*_scale`` values say how fast a count saturates (the count reaching about
    63% of the maximum).
    """

    base: float = 0.08  # a bare connection: low, never zero (people accepted each other once)
    recency_max: float = 0.55  # contact in the last weeks is the best predictor of a reply
    recency_half_life_days: float = 120.0
    mutual_max: float = 0.45  # reciprocated exchange = intimacy/intensity
    mutual_scale: float = 4.0  # min(sent, received)
    volume_max: float = 0.2  # one-sided volume says less than reciprocity
    volume_scale: float = 12.0
    duration_max: float = 0.12
    duration_scale_years: float = 4.0
    employer_each: float = 0.25  # worked together at the same company
    school_each: float = 0.1
    invitation_note: float = 0.05
    endorsement_max: float = 0.06
    recommendation_each: float = 0.2  # writing a recommendation is a costly signal
    # Email, calendar and address books (docs/concepts.md, "Email, calendar and address
    # books"): reciprocated exchange and small meetings weigh most, one-way volume and
    # big meetings little, an address-book entry a little.
    email_mutual_max: float = 0.5  # min(sent, received) or replies: reciprocity
    email_mutual_scale: float = 5.0
    email_volume_max: float = 0.2
    email_volume_scale: float = 20.0
    meeting_max: float = 0.45  # small meetings: being in the same room is costly
    meeting_scale: float = 3.0  # on the size-weighted count (loaders.calendar.meeting_weight)
    address_book: float = 0.1  # someone kept their number or address
    together_max: float = 0.35  # two contacts on the same small threads / meetings
    together_scale: float = 5.0
    together_min: int = 2  # threads (or meetings) together before a tie is observed
    together_max_group: int = 6  # threads / meetings with more people say nothing
    email_min_sent: int = 1  # cold inbound mail the owner never answered is no tie
    meeting_min_weight: float = 0.5  # a lone all-hands makes nobody a contact
    teammate: float = 0.8  # members pooled their networks: they know each other well
    colleague_ceiling: float = 0.3  # an inferred colleague tie is weak at best...
    colleague_scale: float = 0.6  # ...and weaker in bigger companies: scale / sqrt(size)
    colleague_clique_max: int = 40  # companies up to this size: every pair is inferred
    colleague_anchors: int = 8  # bigger: top ones tied together, the rest in a tree of this fan-out
    infer_colleagues: bool = True
    floor: float = 0.01  # strengths are clamped to [floor, ceiling] so -ln stays finite
    ceiling: float = 0.99


@dataclass(frozen=True, slots=True)
class StrengthEstimate:
    """A strength with the evidence lines that explain it, strongest first."""

    strength: float
    lines: tuple[str, ...]
    rated: bool = False


def merge_evidence(items: Sequence[Evidence]) -> Evidence:
    """Fold several owners' evidence for one tie into one view.

    Owners that are both ends of a tie see the same messages, so counts take the
    maximum rather than the sum; dates take the widest span; explicit ratings
    take the highest (the most confident judgement).

    >>> a = Evidence(owner="x", messages_ab=3, messages_ba=1)
    >>> b = Evidence(owner="y", messages_ab=2, messages_ba=4)
    >>> m = merge_evidence([a, b])
    >>> (m.messages_ab, m.messages_ba)
    (3, 4)
    """
    if not items:
        raise ValueError("no evidence to merge")
    if len(items) == 1:
        return items[0]
    connected = [e.connected_on for e in items if e.connected_on]
    firsts = [e.first_contact for e in items if e.first_contact]
    lasts = [e.last_contact for e in items if e.last_contact]
    ratings = [e.rating for e in items if e.rating is not None]
    notes = [e.invited_with_note for e in items if e.invited_with_note is not None]
    return Evidence(
        owner=",".join(sorted({e.owner for e in items})),
        connected_on=min(connected) if connected else None,
        messages_ab=max(e.messages_ab for e in items),
        messages_ba=max(e.messages_ba for e in items),
        first_contact=min(firsts) if firsts else None,
        last_contact=max(lasts) if lasts else None,
        shared_employers=_union(e.shared_employers for e in items),
        shared_schools=_union(e.shared_schools for e in items),
        invited_with_note=any(notes) if notes else None,
        endorsements=max(e.endorsements for e in items),
        recommendations=max(e.recommendations for e in items),
        rating=max(ratings) if ratings else None,
        notes=tuple(n for e in items for n in e.notes),
        emails_ab=max(e.emails_ab for e in items),
        emails_ba=max(e.emails_ba for e in items),
        email_threads=max(e.email_threads for e in items),
        email_replies=max(e.email_replies for e in items),
        first_email=_earliest(e.first_email for e in items),
        last_email=_latest(e.last_email for e in items),
        meetings=max(e.meetings for e in items),
        small_meetings=max(e.small_meetings for e in items),
        meeting_weight=max(e.meeting_weight for e in items),
        first_meeting=_earliest(e.first_meeting for e in items),
        last_meeting=_latest(e.last_meeting for e in items),
        address_book=_union(e.address_book for e in items),
        threads_together=max(e.threads_together for e in items),
        meetings_together=max(e.meetings_together for e in items),
        together_from=_union(e.together_from for e in items),
        teammate=any(e.teammate for e in items),
        colleague_company=next((e.colleague_company for e in items if e.colleague_company), ""),
        colleague_size=max(e.colleague_size for e in items),
    )


def _union(groups: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for item in group:
            seen.setdefault(item, None)
    return tuple(seen)


def _earliest(values: Iterable[datetime | None]) -> datetime | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _latest(values: Iterable[datetime | None]) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _span(first: datetime | None, last: datetime | None) -> str:
    """ " over 2 years" for the time between two contacts; "" under two weeks."""
    if first is None or last is None:
        return ""
    days = (last - first).days
    if days < 14:
        return ""
    if days < 60:
        return f" over {days // 7} weeks"
    if days < 730:
        return f" over {days // 30} months"
    return f" over {days // 365} years"


def _names(names: tuple[str, ...]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + f" and {names[-1]}"


def _personal(evidence: Evidence, w: StrengthWeights, as_of: date) -> list[tuple[float, str]]:
    """Contributions from email, calendar and address books, with their lines."""
    out: list[tuple[float, str]] = []
    sent, received = evidence.emails_ab, evidence.emails_ba
    total = sent + received
    if total:
        both = "both ways" if sent and received else "one way"
        line = f"{total} email{'s' if total != 1 else ''} {both}"
        line += _span(evidence.first_email, evidence.last_email)
        if evidence.last_email is not None:
            line += f", last {_ago(max((as_of - evidence.last_email.date()).days, 0))}"
        mutual_count = max(min(sent, received), evidence.email_replies)
        mutual = w.email_mutual_max * _saturating(mutual_count, w.email_mutual_scale)
        volume = w.email_volume_max * _saturating(total, w.email_volume_scale)
        out.append((1 - (1 - mutual) * (1 - volume), line))
    if evidence.meetings:
        n, small = evidence.meetings, evidence.small_meetings
        plural = "s" if n != 1 else ""
        if small == n:
            line = f"{n} meeting{plural} of ≤ {SMALL_MEETING} people"
        elif small:
            line = f"{n} meeting{plural} ({small} of ≤ {SMALL_MEETING} people)"
        else:
            line = f"{n} meeting{plural} of more than {SMALL_MEETING} people"
        if evidence.last_meeting is not None:
            line += f", last {_ago(max((as_of - evidence.last_meeting.date()).days, 0))}"
        out.append((w.meeting_max * _saturating(evidence.meeting_weight, w.meeting_scale), line))
    if evidence.address_book:
        out.append((w.address_book, f"in {_names(evidence.address_book)}'s address book"))
    threads, meetings = evidence.threads_together, evidence.meetings_together
    if threads or meetings:
        parts = [f"{threads} email thread{'s' if threads != 1 else ''}"] if threads else []
        if meetings:
            parts.append(f"{meetings} meeting{'s' if meetings != 1 else ''}")
        what = "mail" if not meetings else ("calendar" if not threads else "mail and calendar")
        who = _names(evidence.together_from)
        source = f" (from {who}'s {what})" if who else ""
        line = f"in {' and '.join(parts)} together{source}"
        together = w.together_max * _saturating(threads + meetings, w.together_scale)
        out.append((together, line))
    return out


def _recency(evidence: Evidence, w: StrengthWeights, as_of: date) -> list[tuple[float, str]]:
    """Recency of the latest contact on any channel, and (without a LinkedIn connection
    date) how long the two have been in touch."""
    out: list[tuple[float, str]] = []
    # A big meeting is no contact: only small ones make recency (as they make strength).
    met = evidence.last_meeting if evidence.small_meetings else None
    last_seen = _latest((evidence.last_contact, evidence.last_email, met))
    if last_seen is not None:
        days = max((as_of - _as_date(last_seen)).days, 0)
        recency = w.recency_max * 0.5 ** (days / w.recency_half_life_days)
        said = (
            evidence.messages_ab + evidence.messages_ba + evidence.emails_ab + evidence.emails_ba
        ) or evidence.meetings  # those lines already say when
        out.append((recency, "" if said else f"last contact {_ago(days)}"))
    first_seen = _earliest((evidence.first_contact, evidence.first_email, evidence.first_meeting))
    if not evidence.connected_on and first_seen is not None:
        years = max((as_of - _as_date(first_seen)).days, 0) / 365.25
        out.append((w.duration_max * _saturating(years, w.duration_scale_years), ""))
    return out


def _saturating(count: float, scale: float) -> float:
    return 1.0 - math.exp(-max(count, 0.0) / scale)


def _ago(days: int) -> str:
    if days <= 1:
        return "today" if days <= 0 else "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _rated_or_inferred(evidence: Evidence, w: StrengthWeights) -> StrengthEstimate | None:
    """A person's rating overrides the model; an inferred-only tie has no base strength
    (no connection was ever observed); None for everything else."""
    if evidence.rating is not None:
        rating = min(max(evidence.rating, w.floor), 1.0)
        context = tuple(f"{k}: {v}" for k, v in evidence.notes if v)
        return StrengthEstimate(rating, (f"rated {rating:.2f}", *context), rated=True)
    if not (evidence.colleague_company and evidence.owner == INFERRED_OWNER):
        return None
    size = evidence.colleague_size
    strength = colleague_strength(size, ceiling=w.colleague_ceiling, scale=w.colleague_scale)
    line = f"both list {evidence.colleague_company} as their current company (inferred)"
    return StrengthEstimate(max(strength, w.floor), (line,))


def estimate_strength(
    evidence: Evidence, *, as_of: date, weights: StrengthWeights | None = None
) -> StrengthEstimate:
    """Estimate a tie's strength from its (merged) evidence, with reasons.

    Parameters
    ----------
    evidence : Evidence
        The tie's evidence, usually from :func:`merge_evidence`.
    as_of : date
        "Today" for recency; passed in so results are reproducible.
    weights : StrengthWeights, optional
        Model weights; the documented defaults when omitted.

    Returns
    -------
    StrengthEstimate
        Strength in (0, 1) and human-readable evidence lines.

    Examples
    --------
    >>> from datetime import date, datetime
    >>> today = date(2026, 1, 31)
    >>> bare = estimate_strength(Evidence(owner="me"), as_of=today)
    >>> round(bare.strength, 2), bare.lines
    (0.08, ('connected on LinkedIn, no other evidence',))
    >>> close = Evidence(owner="me", messages_ab=9, messages_ba=5,
    ...                  last_contact=datetime(2026, 1, 10))
    >>> est = estimate_strength(close, as_of=today)
    >>> est.strength > 0.7, est.lines[0]
    (True, '14 messages both ways (9 and 5), last 3 weeks ago')
    >>> estimate_strength(Evidence(owner="me", rating=0.9), as_of=today).strength
    0.9
    """
    w = weights or StrengthWeights()
    special = _rated_or_inferred(evidence, w)
    if special is not None:
        return special
    team = [(w.teammate, "teammates in this workspace")] if evidence.teammate else []
    contributions: list[tuple[float, str]] = team
    sent, received = evidence.messages_ab, evidence.messages_ba
    total = sent + received
    contact_days = (
        max((as_of - _as_date(evidence.last_contact)).days, 0) if evidence.last_contact else None
    )
    if total:
        both = "both ways" if sent and received else "one way"
        line = f"{total} messages {both} ({max(sent, received)} and {min(sent, received)})"
        if not (sent and received):
            line = f"{total} message{'s' if total != 1 else ''} one way"
        if contact_days is not None:
            line += f", last {_ago(contact_days)}"
        mutual = w.mutual_max * _saturating(min(sent, received), w.mutual_scale)
        volume = w.volume_max * _saturating(total, w.volume_scale)
        contributions.append((1 - (1 - mutual) * (1 - volume), line))
    contributions.extend(_personal(evidence, w, as_of))
    contributions.extend(_recency(evidence, w, as_of))
    for employer in evidence.shared_employers:
        contributions.append((w.employer_each, f"worked at {employer} at the same time"))
    for school in evidence.shared_schools:
        contributions.append((w.school_each, f"studied at {school}"))
    if evidence.recommendations:
        n = evidence.recommendations
        rec = 1 - (1 - w.recommendation_each) ** n
        contributions.append((rec, f"{n} recommendation{'s' if n != 1 else ''} written"))
    if evidence.endorsements:
        n = evidence.endorsements
        contributions.append(
            (
                w.endorsement_max * _saturating(n, 3.0),
                f"{n} endorsement{'s' if n != 1 else ''}",
            )
        )
    if evidence.invited_with_note:
        contributions.append((w.invitation_note, "invitation came with a personal note"))
    if evidence.connected_on:
        years = max((as_of - evidence.connected_on).days, 0) / 365.25
        since = evidence.connected_on.strftime("%b %Y")
        span = f" ({int(years)} year{'s' if int(years) != 1 else ''})" if years >= 1 else ""
        contributions.append(
            (
                w.duration_max * _saturating(years, w.duration_scale_years),
                f"connected since {since}{span}",
            )
        )

    keep = 1.0 - w.base
    for value, _ in contributions:
        keep *= 1.0 - min(max(value, 0.0), 0.999)
    strength = min(max(1.0 - keep, w.floor), w.ceiling)
    ranked = sorted((c for c in contributions if c[1]), key=lambda c: -c[0])
    lines = tuple(line for _, line in ranked) or ("connected on LinkedIn, no other evidence",)
    return StrengthEstimate(strength, lines)
