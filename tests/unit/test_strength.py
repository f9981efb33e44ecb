"""Properties the strength model must keep, whatever the weights' exact values."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.model import Evidence
from graph.strength import StrengthWeights, estimate_strength, merge_evidence

TODAY = date(2026, 11, 1)

evidence_st = st.builds(
    Evidence,
    owner=st.just("me"),
    connected_on=st.none() | st.dates(date(2005, 1, 1), TODAY),
    messages_ab=st.integers(0, 500),
    messages_ba=st.integers(0, 500),
    last_contact=st.none() | st.datetimes(datetime(2005, 1, 1), datetime(2026, 10, 31)),
    shared_employers=st.lists(st.sampled_from(["Acme", "Globex", "Initech"]), unique=True).map(
        tuple
    ),
    shared_schools=st.lists(st.sampled_from(["MIT", "ETH"]), unique=True).map(tuple),
    invited_with_note=st.none() | st.booleans(),
    endorsements=st.integers(0, 50),
    recommendations=st.integers(0, 5),
)


def strength(e: Evidence) -> float:
    return estimate_strength(e, as_of=TODAY).strength


@given(evidence_st)
def test_strength_is_a_probability(e: Evidence) -> None:
    s = strength(e)
    assert 0.0 < s <= 1.0


@given(evidence_st, st.integers(1, 3000))
def test_more_recent_contact_never_lowers_strength(e: Evidence, days_earlier: int) -> None:
    recent = replace(e, last_contact=datetime(2026, 10, 1))
    older = replace(e, last_contact=datetime(2026, 10, 1) - timedelta(days=days_earlier))
    assert strength(recent) >= strength(older)


@given(evidence_st, st.integers(0, 100), st.integers(0, 100))
def test_more_messages_never_lower_strength(e: Evidence, more_ab: int, more_ba: int) -> None:
    more = replace(e, messages_ab=e.messages_ab + more_ab, messages_ba=e.messages_ba + more_ba)
    assert strength(more) >= strength(e)


@given(evidence_st, st.floats(0.01, 1.0))
def test_rating_overrides_the_model(e: Evidence, rating: float) -> None:
    est = estimate_strength(replace(e, rating=rating), as_of=TODAY)
    assert est.strength == rating
    assert est.rated


@given(evidence_st)
def test_any_extra_evidence_beats_a_bare_connection(e: Evidence) -> None:
    bare = strength(Evidence(owner="me"))
    assert strength(e) >= bare


def test_bare_connection_is_low_but_not_zero() -> None:
    s = strength(Evidence(owner="me"))
    assert 0.0 < s <= 0.15
    assert s == pytest.approx(StrengthWeights().base)


def test_reciprocity_beats_one_sided_volume() -> None:
    both = strength(Evidence(owner="me", messages_ab=5, messages_ba=5))
    one_way = strength(Evidence(owner="me", messages_ab=10))
    assert both > one_way


def test_evidence_lines_read_like_a_person_wrote_them() -> None:
    e = Evidence(
        owner="me",
        messages_ab=9,
        messages_ba=5,
        last_contact=datetime(2026, 10, 11),
        shared_employers=("Acme",),
        connected_on=date(2019, 3, 4),
    )
    lines = estimate_strength(e, as_of=TODAY).lines
    assert "14 messages both ways (9 and 5), last 3 weeks ago" in lines
    assert "worked at Acme at the same time" in lines
    assert "connected since Mar 2019 (7 years)" in lines


def test_merge_takes_max_counts_and_widest_dates() -> None:
    a = Evidence(
        "x", messages_ab=3, last_contact=datetime(2025, 1, 1), connected_on=date(2020, 1, 1)
    )
    b = Evidence(
        "y", messages_ba=4, last_contact=datetime(2026, 1, 1), connected_on=date(2018, 1, 1)
    )
    m = merge_evidence([a, b])
    assert (m.messages_ab, m.messages_ba) == (3, 4)
    assert m.last_contact == datetime(2026, 1, 1)
    assert m.connected_on == date(2018, 1, 1)
    assert m.owner == "x,y"


def test_weights_from_settings_change_the_result() -> None:
    e = Evidence("me", shared_employers=("Acme",))
    low = estimate_strength(e, as_of=TODAY, weights=StrengthWeights(employer_each=0.05)).strength
    high = estimate_strength(e, as_of=TODAY, weights=StrengthWeights(employer_each=0.5)).strength
    assert high > low
