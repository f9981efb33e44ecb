"""graph.store.codec: the fast evidence encoder writes exactly what the plain one wrote."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.model import Evidence
from graph.store.codec import (
    evidence_from_json,
    evidence_json_column,
    evidence_to_dict,
    evidence_to_json,
    interactions_in,
    rated_evidence_json,
)


def reference_json(e: Evidence) -> str:
    """The encoder as it was before it was made fast: a loop over every field."""
    out: dict[str, Any] = {}
    for f in fields(Evidence):
        value = getattr(e, f.name)
        if f.name == "owner" or value == f.default:
            continue
        if isinstance(value, datetime | date):
            out[f.name] = value.isoformat()
        elif f.name == "notes":
            out[f.name] = [list(pair) for pair in value]
        elif isinstance(value, tuple):
            out[f.name] = list(value)
        else:
            out[f.name] = value
    return json.dumps(out, separators=(",", ":"), ensure_ascii=False)


texts = st.text(max_size=12)  # any code point: quotes, backslashes, controls, U+2028, emoji
counts = st.integers(min_value=0, max_value=3) | st.integers(min_value=-(2**70), max_value=2**70)
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 1, 1))
maybe_moment = st.none() | moments
names = st.lists(texts, max_size=3).map(tuple)

evidence = st.builds(
    Evidence,
    owner=texts,
    connected_on=st.none() | st.dates(min_value=date(1990, 1, 1)),
    messages_ab=counts,
    messages_ba=counts,
    first_contact=maybe_moment,
    last_contact=maybe_moment,
    shared_employers=names,
    shared_schools=names,
    invited_with_note=st.none() | st.booleans(),
    endorsements=counts,
    recommendations=counts,
    rating=st.none() | st.floats(min_value=1e-9, max_value=1.0),
    notes=st.lists(st.tuples(texts, texts), max_size=3).map(tuple),
    emails_ab=counts,
    emails_ba=counts,
    email_threads=counts,
    email_replies=counts,
    first_email=maybe_moment,
    last_email=maybe_moment,
    meetings=counts,
    small_meetings=counts,
    meeting_weight=st.sampled_from([0.0, 0.5, 1e-300, 3.25]),
    first_meeting=maybe_moment,
    last_meeting=maybe_moment,
    address_book=names,
    threads_together=counts,
    meetings_together=counts,
    together_from=names,
    teammate=st.booleans(),
    colleague_company=texts,
    colleague_size=counts,
)


@settings(max_examples=400, deadline=None)
@given(evidence)
def test_fast_encoder_writes_the_same_bytes_and_reads_back(e: Evidence) -> None:
    text = evidence_to_json(e)
    assert text == reference_json(e)  # existing databases hold this format
    assert json.loads(text) == evidence_to_dict(e)
    assert evidence_from_json(e.owner, text) == e


def test_every_field_but_the_owner_is_encoded() -> None:
    """A field added to Evidence later is written too (the encoder reads the field list)."""
    everything = Evidence(
        owner="o",
        connected_on=date(2020, 1, 2),
        messages_ab=1,
        messages_ba=1,
        first_contact=datetime(2020, 1, 1),
        last_contact=datetime(2020, 1, 1),
        shared_employers=("a",),
        shared_schools=("a",),
        invited_with_note=False,
        endorsements=1,
        recommendations=1,
        rating=0.5,
        notes=(("k", "v"),),
        emails_ab=1,
        emails_ba=1,
        email_threads=1,
        email_replies=1,
        first_email=datetime(2020, 1, 1),
        last_email=datetime(2020, 1, 1),
        meetings=1,
        small_meetings=1,
        meeting_weight=1.0,
        first_meeting=datetime(2020, 1, 1),
        last_meeting=datetime(2020, 1, 1),
        address_book=("a",),
        threads_together=1,
        meetings_together=1,
        together_from=("a",),
        teammate=True,
        colleague_company="c",
        colleague_size=1,
    )
    assert set(evidence_to_dict(everything)) == {f.name for f in fields(Evidence)} - {"owner"}
    assert evidence_to_json(everything) == reference_json(everything)


def test_json_column_encodes_a_shared_record_once_and_keeps_order() -> None:
    shared = Evidence(owner="f", rating=0.5)
    other = Evidence(owner="f", rating=0.25, notes=(("context", "mail"),))
    # Records made on the fly: freed ones must not be taken for another by a reused id.
    column = evidence_json_column(
        [shared, other, shared, *(Evidence(owner="f", rating=i / 10) for i in range(1, 4))]
    )
    assert column == [
        '{"rating":0.5}',
        '{"rating":0.25,"notes":[["context","mail"]]}',
        '{"rating":0.5}',
        '{"rating":0.1}',
        '{"rating":0.2}',
        '{"rating":0.3}',
    ]
    generated = evidence_json_column(Evidence(owner="f", rating=i / 100) for i in range(1, 50))
    assert generated == [
        evidence_to_json(Evidence(owner="f", rating=i / 100)) for i in range(1, 50)
    ]


@given(
    rating=st.none() | st.floats(min_value=0.0, max_value=1.0, allow_nan=False),
    notes=st.lists(st.tuples(st.text(max_size=8), st.text(max_size=12)), max_size=3).map(tuple),
)
def test_rated_evidence_json_is_the_records_own_encoding(
    rating: float | None, notes: tuple[tuple[str, str], ...]
) -> None:
    """The first-load writer's short cut writes the bytes the long way writes."""
    e = Evidence(owner="file:edges.csv", rating=rating, notes=notes)
    assert rated_evidence_json(rating, notes) == evidence_to_json(e)
    assert interactions_in(e) == 0
