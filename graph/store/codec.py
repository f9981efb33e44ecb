"""Plain-JSON encoding of domain records, shared by both stores and the exports.

Only fields that differ from their defaults are written, which keeps a million
evidence rows small on disk.
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import date, datetime
from itertools import compress
from operator import attrgetter, ne
from typing import Any

from graph.model import Evidence, Person

_EVIDENCE_DEFAULTS = {f.name: f.default for f in fields(Evidence)}
# Field order as declared, owner left out: it is stored beside the document.
_FIELDS = tuple(name for name in _EVIDENCE_DEFAULTS if name != "owner")
_DEFAULTS = tuple(_EVIDENCE_DEFAULTS[name] for name in _FIELDS)
_values = attrgetter(*_FIELDS)
# One encoder: json.dumps with arguments builds a new one on every call.
_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_DATETIMES = frozenset(
    {"first_contact", "last_contact", "first_email", "last_email", "first_meeting", "last_meeting"}
)


def evidence_to_dict(e: Evidence) -> dict[str, Any]:
    """Encode evidence minus its owner (stored beside it) and default fields.

    Imports encode every evidence record, so the fields that differ from their
    defaults are found in C (``attrgetter`` and ``map(ne, ...)``), and only those
    few are looked at in Python.

    >>> evidence_to_dict(Evidence(owner="me", messages_ab=2, shared_employers=("Acme",)))
    {'messages_ab': 2, 'shared_employers': ['Acme']}
    """
    out: dict[str, Any] = {}
    values = _values(e)
    for name, value in compress(zip(_FIELDS, values, strict=True), map(ne, values, _DEFAULTS)):
        if isinstance(value, datetime | date):
            out[name] = value.isoformat()
        elif name == "notes":
            out[name] = [list(pair) for pair in value]
        elif isinstance(value, tuple):
            out[name] = list(value)
        else:
            out[name] = value
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
    return _ENCODE(evidence_to_dict(e))


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
