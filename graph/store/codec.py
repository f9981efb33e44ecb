"""Plain-JSON encoding of domain records, shared by both stores and the exports.

Only fields that differ from their defaults are written, which keeps a million
evidence rows small on disk.
"""

from __future__ import annotations

import json
from _json import encode_basestring, make_encoder
from collections.abc import Callable, Iterable
from dataclasses import fields
from datetime import date, datetime
from itertools import compress
from operator import attrgetter, ne
from typing import Any

from graph.model import Evidence, Person

_EVIDENCE_DEFAULTS = {f.name: f.default for f in fields(Evidence)}
_DATETIMES = frozenset(
    {"first_contact", "last_contact", "first_email", "last_email", "first_meeting", "last_meeting"}
)
_ENCODED = tuple(name for name in _EVIDENCE_DEFAULTS if name != "owner")
_DEFAULTS = tuple(_EVIDENCE_DEFAULTS[name] for name in _ENCODED)
_values_of = attrgetter(*_ENCODED)


def _notes(value: tuple[tuple[str, str], ...]) -> list[list[str]]:
    return [list(pair) for pair in value]


def _isoformat(value: date | datetime) -> str:
    return value.isoformat()


def _converter(name: str, default: object) -> Callable[[Any], Any] | None:
    """How a field that differs from its default is written (None: as it is)."""
    if name == "notes":
        return _notes
    if name in _DATETIMES or name == "connected_on":
        return _isoformat
    return list if isinstance(default, tuple) else None


_FIELD_AND_CONVERTER = tuple(
    (name, _converter(name, default)) for name, default in zip(_ENCODED, _DEFAULTS, strict=True)
)


def _unencodable(value: object) -> object:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# The C encoder json.dumps(separators=(",", ":"), ensure_ascii=False) builds on every call,
# built once (no circular check: evidence is flat lists of strings); same bytes out.
_chunks = make_encoder(None, _unencodable, encode_basestring, None, ":", ",", False, False, True)


def _encode(data: dict[str, Any]) -> str:
    return "".join(_chunks(data, 0))


def evidence_to_dict(e: Evidence) -> dict[str, Any]:
    """Encode evidence minus its owner (stored beside it) and default fields.

    The fields are read and compared to their defaults in C (``attrgetter``, ``map``,
    ``compress``): a million rows of an edge list each differ in one or two fields, and a
    Python loop over all 35 was most of the time of writing them.

    >>> evidence_to_dict(Evidence(owner="me", messages_ab=2, shared_employers=("Acme",)))
    {'messages_ab': 2, 'shared_employers': ['Acme']}
    """
    values = _values_of(e)
    out: dict[str, Any] = {}
    for (name, convert), value in compress(
        zip(_FIELD_AND_CONVERTER, values, strict=True), map(ne, values, _DEFAULTS)
    ):
        out[name] = value if convert is None else convert(value)
    return out


def evidence_from_dict(owner: str, data: dict[str, Any]) -> Evidence:
    """Decode :func:`evidence_to_dict` output back into ``Evidence``.

    >>> e = Evidence(owner="me", connected_on=date(2020, 1, 2), notes=(("k", "v"),))
    >>> evidence_from_dict("me", evidence_to_dict(e)) == e
    True
    """
    kwargs: dict[str, Any] = {"owner": owner}
    for name, value in data.items():
        if name in _DATETIMES:
            kwargs[name] = datetime.fromisoformat(value)
        elif name == "connected_on":
            kwargs[name] = date.fromisoformat(value)
        elif name == "notes":
            kwargs[name] = tuple((str(k), str(v)) for k, v in value)
        elif name in ("shared_employers", "shared_schools", "address_book", "together_from"):
            kwargs[name] = tuple(value)
        elif name in _EVIDENCE_DEFAULTS:
            kwargs[name] = value
    return Evidence(**kwargs)


def evidence_to_json(e: Evidence) -> str:
    """The stored form: compact JSON, non-ASCII kept (byte for byte what
    ``json.dumps(..., separators=(",", ":"), ensure_ascii=False)`` writes).

    >>> evidence_to_json(Evidence(owner="me", rating=0.5, notes=(("context", "café"),)))
    '{"rating":0.5,"notes":[["context","café"]]}'
    """
    return _encode(evidence_to_dict(e))


def rated_evidence_json(rating: float | None, notes: tuple[tuple[str, str], ...]) -> str:
    """:func:`evidence_to_json` of ``Evidence(owner, rating=rating, notes=notes)`` (an
    edge list's record; its interactions are 0) without building the record: a 1M-tie
    first load's parser encodes ~86k of them, ~10 µs each the long way (~0.7 s of its
    core, which bounds the load's wall time).

    >>> rated_evidence_json(0.5, (("context", "café"),))
    '{"rating":0.5,"notes":[["context","café"]]}'
    >>> rated_evidence_json(None, ()) == evidence_to_json(Evidence(owner="o"))
    True
    """
    out: dict[str, Any] = {}
    if rating is not None:
        out["rating"] = rating
    if notes:
        out["notes"] = _notes(notes)
    return _encode(out)


def evidence_json_column(evidence: Iterable[Evidence]) -> list[str]:
    """:func:`evidence_to_json` of each record, encoding a record shared by many rows once.

    Loaders share one frozen ``Evidence`` between every tie that says the same thing (an
    edge list's rating without notes): a store writing a million rows encodes a few
    thousand. The memo is by identity (each record held, so no id is reused) and lives
    for this call only.

    >>> e = Evidence(owner="f", rating=0.5)
    >>> evidence_json_column([e, e, Evidence(owner="f")])
    ['{"rating":0.5}', '{"rating":0.5}', '{}']
    """
    memo: dict[int, tuple[Evidence, str]] = {}  # the record is kept: its id stays its own
    out = []
    for e in evidence:
        hit = memo.get(id(e))
        if hit is None:
            hit = memo[id(e)] = (e, evidence_to_json(e))
        out.append(hit[1])
    return out


def evidence_from_json(owner: str, text: str) -> Evidence:
    return evidence_from_dict(owner, json.loads(text))


def interactions_in(e: Evidence) -> int:
    """Interactions an evidence record stands for: messages, emails and meetings plus an
    invitation."""
    invitation = 1 if e.invited_with_note is not None else 0
    return e.messages_ab + e.messages_ba + e.emails_ab + e.emails_ba + e.meetings + invitation


def person_to_dict(p: Person) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "company": p.company,
        "position": p.position,
        "email": p.email,
        "url": p.url,
        "schools": list(p.schools),
        "employers": list(p.employers),
    }


def person_from_dict(d: dict[str, Any]) -> Person:
    return Person(
        id=d["id"],
        name=d.get("name") or "",
        company=d.get("company") or "",
        position=d.get("position") or "",
        email=d.get("email") or "",
        url=d.get("url") or "",
        schools=tuple(d.get("schools") or ()),
        employers=tuple(d.get("employers") or ()),
    )
