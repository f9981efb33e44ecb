"""The re-import's quick test (graph.model.overlay_leaves_as_is) never calls an overlay
unchanged when it is not: where it says "as is", ``overlay_evidence`` gives ``old``."""

from __future__ import annotations

from dataclasses import fields, replace

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.model import (
    ADDRESS_BOOK_FIELDS,
    CALENDAR_FIELDS,
    LINKEDIN_FIELDS,
    MAIL_FIELDS,
    Evidence,
    overlay_evidence,
    overlay_leaves_as_is,
)
from tests.unit.test_codec import evidence

NAMES = [f.name for f in fields(Evidence) if f.name != "owner"]
OWNED = [LINKEDIN_FIELDS, MAIL_FIELDS, CALENDAR_FIELDS, ADDRESS_BOOK_FIELDS]


@settings(max_examples=600, deadline=None)
@given(
    old=evidence,
    other=evidence,
    kept=st.sets(st.sampled_from(NAMES)),
    owned=st.sampled_from(OWNED),
)
def test_as_is_means_the_overlay_is_the_stored_record(
    old: Evidence, other: Evidence, kept: set[str], owned: frozenset[str]
) -> None:
    # ``new``: another record of the same owner that repeats ``old`` on the fields in
    # ``kept`` (so both answers of the quick test come up often).
    new = replace(other, owner=old.owner, **{name: getattr(old, name) for name in kept})
    overlay = overlay_evidence(old, new, owned)
    if overlay_leaves_as_is(owned)(old, new):
        assert overlay == old
    if set(NAMES) <= kept:  # the same record again: the quick test must see it
        assert overlay_leaves_as_is(owned)(old, new)
