"""Meeting metadata from iCalendar (.ics) files: who met whom, when, in how large a group.

Pure parsing over bytes (:func:`parse_calendar`), file handling at the edge
(:func:`iter_calendar`: an .ics, a folder of them, or a Google Takeout .zip) and
an aggregator (:class:`CalendarAggregator`). Nothing here touches the store.

How a file is read:

1. A structural pass of our own unfolds content lines and checks them (syntax,
   BEGIN/END nesting, NUL bytes), so every error names its physical line.
   It keeps only the properties this module needs: titles, descriptions,
   locations, alarms, to-dos and attachments are dropped before any library
   sees them, and never reach a record.
2. ``icalendar`` parses the kept lines; ``recurring-ical-events`` expands each
   series (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides) inside a bounded
   window, and applies Google's ``X-WR-TIMEZONE`` (through ``x-wr-timezone``).
   Floating times without ``X-WR-TIMEZONE`` are read in ``default_tz``.
3. Cancelled events and occurrences are dropped, as are declined attendees and
   rooms/resources. Times come out as timezone-aware UTC.

Group size weighting
--------------------
:func:`meeting_weight` is ``min(1, (4 / n) ** 1.5)`` for ``n`` people (owner
included): 1 up to 4 people, 0.54 at 6, 0.25 at 10, 0.09 at 20, 0.02 at 50 and
0.003 at a 200-person all-hands. A meeting's weight is what it adds to each
counterpart's ``weighted`` total.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import combinations
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import recurring_ical_events  # type: ignore[import-untyped]

from graph.errors import InvalidInput
from graph.identity import normalize_email
from loaders.report import SkippedRow
from loaders.sources import file_sources, reject_nul, unfold

DEFAULT_PAST = timedelta(days=730)
DEFAULT_AHEAD = timedelta(days=30)
DEFAULT_MAX_MEETING_SIZE = 6
MAX_FILE_BYTES = 512 << 20
_LINE_PROP = "X-WARMINTRO-LINE"

#: Properties handed to icalendar, per component; all but OWN_PROPERTIES are dropped unread.
KEPT_PROPERTIES = {
    "VCALENDAR": frozenset({"VERSION", "PRODID", "CALSCALE", "METHOD", "X-WR-TIMEZONE"}),
    "VEVENT": frozenset(
        {
            "UID",
            "DTSTART",
            "DTEND",
            "DURATION",
            "RRULE",
            "RDATE",
            "EXDATE",
            "RECURRENCE-ID",
        }
    ),
}
#: Read by the structural pass itself (never handed to icalendar).
OWN_PROPERTIES = frozenset({"STATUS", "ORGANIZER", "ATTENDEE"})
_TIMEZONE_PARTS = frozenset({"VTIMEZONE", "STANDARD", "DAYLIGHT"})
_PARAM_VALUE = r'(?:"[^"]*"|[^";:,]*)'
_CONTENT_LINE = re.compile(
    rf"([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+={_PARAM_VALUE}(?:,{_PARAM_VALUE})*)*):(.*)", re.DOTALL
)
_ROOM_TYPES = frozenset({"ROOM", "RESOURCE"})
_ROOM_DOMAINS = ("resource.calendar.google.com",)


def meeting_weight(size: int) -> float:
    """How much one meeting of ``size`` people says about each pair in it.

    ``min(1, (4 / size) ** 1.5)``: 1 for up to 4 people, falling smoothly to about
    0 for an all-hands.

    Examples
    --------
    >>> [round(meeting_weight(n), 3) for n in (2, 4, 6, 10, 50, 200)]
    [1.0, 1.0, 0.544, 0.253, 0.023, 0.003]
    """
    if size <= 4:
        return 1.0
    return float((4 / size) ** 1.5)


def default_window(
    now: datetime, past: timedelta = DEFAULT_PAST, ahead: timedelta = DEFAULT_AHEAD
) -> tuple[datetime, datetime]:
    """The expansion window around ``now``: ``past`` back (2 years), ``ahead`` forward (30 days).

    >>> default_window(datetime(2026, 1, 1, tzinfo=UTC))[0]
    datetime.datetime(2024, 1, 2, 0, 0, tzinfo=datetime.timezone.utc)
    """
    now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    return now - past, now + ahead


# -- records ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Attendee:
    """A person at a meeting: lower-cased address, CN, PARTSTAT (upper-case, "" if none)."""

    email: str
    name: str = ""
    partstat: str = ""
    organizer: bool = False
    group: bool = False  # CUTYPE=GROUP: a list address, never a counterpart


@dataclass(frozen=True, slots=True)
class Meeting:
    """One occurrence of an event inside the window; never its title or description.

    ``line`` is the ``BEGIN:VEVENT`` line of the component it came from (the
    override's, for a moved occurrence). ``people`` has the organiser first,
    then attendees; declined people and rooms are not in it. ``start``/``end``
    are UTC; an all-day event starts at midnight of its calendar's time zone.
    """

    file: str
    line: int
    uid: str
    start: datetime
    end: datetime | None
    all_day: bool
    recurring: bool
    people: tuple[Attendee, ...]

    @property
    def size(self) -> int:
        """Number of people (organiser and attendees who did not decline)."""
        return len(self.people)


# -- the structural pass ---------------------------------------------------------------------
@dataclass(slots=True)
class _Span:
    """Where one component sits in the file, the lines of its properties, its people."""

    kind: str
    begin: int
    props: dict[str, list[int]] = field(default_factory=dict)
    status: str = ""
    entries: list[tuple[bool, str, str]] = field(default_factory=list)  # organizer?, params, value
    _people: tuple[Attendee, ...] | None = None

    def people(self) -> tuple[Attendee, ...]:
        if self._people is None:
            self._people = _people(self.entries)
        return self._people


@dataclass(slots=True)
class _Scan:
    text: str  # the kept content lines, unfolded, with X-WARMINTRO-LINE markers
    calendars: list[_Span]
    events: dict[int, _Span]  # by BEGIN line


def _decode(data: bytes, file: str) -> str:
    reject_nul(data, file, "an iCalendar file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # Outlook re-saves; rare


class _Scanner:
    """The structural pass over one file's content lines (see :func:`_scan`)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.out: list[str] = []
        self.stack: list[tuple[str, int]] = []
        self.calendars: list[_Span] = []
        self.events: dict[int, _Span] = {}
        self.span: _Span | None = None  # the VCALENDAR or VEVENT whose properties are recorded
        self.dropped = 0  # depth inside a dropped component (VALARM, VTODO …)

    def begin(self, kind: str, n: int) -> None:
        if not self.stack and kind != "VCALENDAR":
            raise InvalidInput(
                f"not an iCalendar file: BEGIN:{kind[:20]} outside BEGIN:VCALENDAR",
                file=self.file,
                line=n,
            )
        parent = self.stack[-1][0] if self.stack else ""
        self.stack.append((kind, n))
        if self.dropped or not (
            kind == "VCALENDAR"
            or (parent == "VCALENDAR" and kind in ("VEVENT", "VTIMEZONE"))
            or (parent == "VTIMEZONE" and kind in _TIMEZONE_PARTS)
        ):
            self.dropped += 1
            return
        self.out.append(f"BEGIN:{kind}")
        if kind == "VCALENDAR":
            self.span = _Span(kind, n)
            self.calendars.append(self.span)
        elif kind == "VEVENT":
            self.span = self.events[n] = _Span(kind, n)
            self.out.append(f"{_LINE_PROP}:{n}")

    def end(self, kind: str, n: int) -> None:
        if not self.stack:
            raise InvalidInput(f"END:{kind[:20]} without a BEGIN", file=self.file, line=n)
        open_kind, open_line = self.stack[-1]
        if open_kind != kind:
            raise InvalidInput(
                f"END:{kind[:20]} does not close BEGIN:{open_kind} of line {open_line}",
                file=self.file,
                line=n,
            )
        self.stack.pop()
        if self.dropped:
            self.dropped -= 1
            return
        self.out.append(f"END:{kind}")
        if kind == "VEVENT":
            self.span = self.calendars[-1]

    def prop(self, m: re.Match[str], n: int) -> None:
        name, line = m.group(1).upper(), m.group(0)
        if not self.stack:
            raise InvalidInput(
                f"property {name[:30]} outside BEGIN:VCALENDAR … END:VCALENDAR",
                file=self.file,
                line=n,
            )
        if self.dropped:
            return
        kind = self.stack[-1][0]
        if kind in _TIMEZONE_PARTS:
            self.out.append(line)
            return
        span = self.span
        if span is None:
            return
        if kind == "VEVENT" and name in OWN_PROPERTIES:
            span.props.setdefault(name, []).append(n)
            params, value = m.group(2), m.group(3)
            if name == "STATUS":
                span.status = value.strip().upper()
            else:
                span.entries.append((name == "ORGANIZER", params, value))
        elif name in KEPT_PROPERTIES.get(kind, ()):
            span.props.setdefault(name, []).append(n)
            self.out.append(line)

    def finish(self) -> _Scan:
        if self.stack:
            kind, begin = self.stack[-1]
            raise InvalidInput(
                f"BEGIN:{kind} is never closed (END:{kind} missing)", file=self.file, line=begin
            )
        if not self.calendars:
            raise InvalidInput("empty: no BEGIN:VCALENDAR", file=self.file, line=1)
        return _Scan("\r\n".join(self.out) + "\r\n", self.calendars, self.events)


def _scan(data: bytes, file: str) -> _Scan:
    """Check the structure, locate components and properties, keep only what is needed."""
    scanner = _Scanner(file)
    for n, line in unfold(_decode(data, file), file):
        m = _CONTENT_LINE.fullmatch(line)
        if m is None:
            raise InvalidInput(  # not echoed: it may be description text
                "not an iCalendar content line ('NAME;PARAM=x:value')", file=file, line=n
            )
        name = m.group(1).upper()
        if name == "BEGIN":
            scanner.begin(m.group(3).strip().upper(), n)
        elif name == "END":
            scanner.end(m.group(3).strip().upper(), n)
        else:
            scanner.prop(m, n)
    return scanner.finish()


# -- reading components ----------------------------------------------------------------------
def _line_of(span: _Span, prop: str | None) -> int:
    lines = span.props.get((prop or "").upper())
    return lines[0] if lines else span.begin


def _dt(prop: Any) -> date | datetime:
    """The date or datetime of a DTSTART-like property (raises on a broken one)."""
    value = prop.dt
    if not isinstance(value, date):
        raise TypeError(f"expected a date or date-time, got {type(value).__name__}")
    return value


def _as_utc(value: date | datetime, tz: tzinfo) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(UTC)
    return datetime(value.year, value.month, value.day, tzinfo=tz)


def _calendar_tz(cal: icalendar.Component, span: _Span, file: str, default_tz: tzinfo) -> tzinfo:
    name = cal.get("X-WR-TIMEZONE")
    if name is None:
        return default_tz
    try:
        return ZoneInfo(str(name).strip())
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(
            f"unknown time zone {str(name)[:40]!r}",
            file=file,
            line=_line_of(span, "X-WR-TIMEZONE"),
            field="X-WR-TIMEZONE",
        ) from exc


def _check_event(
    event: icalendar.Component, span: _Span, file: str, tz: tzinfo, notes: list[str] | None
) -> None:
    """Raise InvalidInput, at the offending line, for what the expansion would trip on."""
    errors: list[tuple[str | None, str]] = list(getattr(event, "errors", ()))
    if errors:
        prop, message = errors[0]
        raise InvalidInput(
            f"unreadable {prop or 'line'}: {message}"[:200],
            file=file,
            line=_line_of(span, prop),
            field=prop.upper() if prop else None,
        )
    if "DTSTART" not in event:
        raise InvalidInput("event without DTSTART", file=file, line=span.begin, field="DTSTART")
    times: dict[str, date | datetime] = {}
    for prop in ("DTSTART", "DTEND", "RECURRENCE-ID"):
        if prop not in event:
            continue
        try:
            value = _dt(event[prop])
        except (ValueError, AttributeError, TypeError) as exc:
            raise InvalidInput(
                f"unreadable {prop}: {exc}"[:200], file=file, line=_line_of(span, prop), field=prop
            ) from exc
        times[prop] = value
        tzid = event[prop].params.get("TZID")
        if tzid and isinstance(value, datetime) and value.tzinfo is None and notes is not None:
            notes.append(
                f"{file}:{_line_of(span, prop)}: unknown time zone {str(tzid)[:40]!r}, "
                "read as the calendar's"
            )
    if "DTEND" in times and _as_utc(times["DTEND"], tz) < _as_utc(times["DTSTART"], tz):
        raise InvalidInput(
            "the event ends before it starts",
            file=file,
            line=_line_of(span, "DTEND"),
            field="DTEND",
        )


_PARAM = re.compile(rf"""([A-Za-z0-9-]+)=({_PARAM_VALUE}(?:,{_PARAM_VALUE})*)""")
_CARET = {"^n": "\n", "^'": '"', "^^": "^"}


def parse_params(text: str) -> dict[str, str]:
    """Content-line parameters (``;CN="Doe, J";PARTSTAT=ACCEPTED``) by upper-case name.

    Quotes are removed and RFC 6868 caret escapes decoded; a repeated parameter
    keeps its first value.

    Examples
    --------
    >>> parse_params(';CN="Doe, Jo ^^ Ann";PARTSTAT=accepted;X-A=1,2')
    {'CN': 'Doe, Jo ^ Ann', 'PARTSTAT': 'accepted', 'X-A': '1,2'}
    """
    out: dict[str, str] = {}
    for m in _PARAM.finditer(text):
        value = m.group(2)
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = value[1:-1]
        if "^" in value:
            value = re.sub(r"\^[n'^]", lambda c: _CARET[c.group(0)], value)
        out.setdefault(m.group(1).upper(), value)
    return out


def _people(entries: list[tuple[bool, str, str]]) -> tuple[Attendee, ...]:
    """Organiser then attendees, one per address; declined people and rooms left out."""
    found: dict[str, Attendee] = {}
    declined: set[str] = set()
    for is_organizer, raw_params, value in sorted(entries, key=lambda e: not e[0]):
        email = normalize_email(value)
        if not email:
            continue
        params = parse_params(raw_params)
        cutype = params.get("CUTYPE", "").upper()
        if cutype in _ROOM_TYPES or email.endswith(_ROOM_DOMAINS):
            continue
        partstat = params.get("PARTSTAT", "").upper()
        if partstat == "DECLINED":
            declined.add(email)
            continue
        name = " ".join(params.get("CN", "").split()).strip("'\"")
        if "@" in name:
            name = ""
        earlier = found.get(email)
        if earlier is None:
            found[email] = Attendee(email, name, partstat, is_organizer, cutype == "GROUP")
        elif not is_organizer:
            found[email] = Attendee(
                email,
                earlier.name or name,
                partstat or earlier.partstat,
                earlier.organizer,
                earlier.group or cutype == "GROUP",
            )
    return tuple(a for e, a in found.items() if e not in declined)


def _locate_query_error(
    cal: icalendar.Component,
    scan: _Scan,
    window: tuple[datetime, datetime],
    file: str,
    exc: Exception,
) -> InvalidInput:
    """Find the event a failed expansion tripped on by expanding each series alone."""
    zones = [c for c in cal.subcomponents if c.name == "VTIMEZONE"]
    for event in (c for c in cal.subcomponents if c.name == "VEVENT"):
        mini = icalendar.Calendar()
        for key, value in cal.items():
            mini.add(key, value)
        for z in zones:
            mini.add_component(z)
        mini.add_component(event)
        try:
            list(recurring_ical_events.of(mini).between(*window))
        except Exception as inner:
            line = int(str(event.get(_LINE_PROP, "0")))
            span = scan.events.get(line)
            prop = "RRULE" if "RRULE" in str(inner) or "rule" in str(inner).lower() else None
            at = _line_of(span, prop) if span else line or 1
            return InvalidInput(f"cannot expand the event: {inner}"[:200], file=file, line=at)
    return InvalidInput(f"cannot expand the calendar: {exc}"[:200], file=file, line=1)


def parse_calendar(
    data: bytes,
    file: str,
    *,
    window: tuple[datetime, datetime],
    default_tz: tzinfo = UTC,
    skipped: list[SkippedRow] | None = None,
    notes: list[str] | None = None,
) -> Iterator[Meeting]:
    """The meetings of one .ics inside ``window``, recurring events expanded.

    Parameters
    ----------
    data
        The file's bytes (UTF-8; a BOM is fine).
    file
        How errors and records name the file.
    window
        (start, end), aware datetimes; occurrences overlapping it are returned.
        See :func:`default_window`.
    default_tz
        The zone of floating times when the calendar has no ``X-WR-TIMEZONE``.
    skipped
        None (default): a malformed event raises. A list: an event with an
        unreadable date, a bad RRULE or an end before its start is recorded
        there and left out. Structural problems always raise.
    notes
        If given, receives remarks (an unknown TZID read as the calendar's zone).

    Raises
    ------
    InvalidInput
        With the file and the offending physical line.

    Examples
    --------
    >>> ics = (b"BEGIN:VCALENDAR\\r\\nBEGIN:VEVENT\\r\\nUID:1\\r\\nDTSTART:20260105T100000Z\\r\\n"
    ...        b"RRULE:FREQ=WEEKLY;COUNT=3\\r\\nSUMMARY:secret\\r\\n"
    ...        b"ORGANIZER;CN=Ana:mailto:ana@x.com\\r\\n"
    ...        b"ATTENDEE;PARTSTAT=DECLINED:mailto:bo@x.com\\r\\n"
    ...        b"END:VEVENT\\r\\nEND:VCALENDAR\\r\\n")
    >>> w = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC))
    >>> meetings = parse_calendar(ics, "c.ics", window=w)
    >>> [(m.line, m.start.day, [p.email for p in m.people]) for m in meetings]
    [(2, 5, ['ana@x.com']), (2, 12, ['ana@x.com']), (2, 19, ['ana@x.com'])]
    """
    scan = _scan(data, file)
    try:
        parsed = icalendar.Calendar.from_ical(scan.text, multiple=True)
    except ValueError as exc:
        raise _locate_parse_error(data, file, exc) from exc
    for cal, cal_span in zip(parsed, scan.calendars, strict=False):
        if str(cal.get("METHOD", "")).upper() == "CANCEL":
            continue
        tz = _calendar_tz(cal, cal_span, file, default_tz)
        good = _checked_events(cal, scan, file, tz, skipped, notes)
        # Only series go through the expansion; a single event is read directly.
        series_uids = {
            str(e["UID"]) for e, _s in good if "RRULE" in e or "RDATE" in e or "RECURRENCE-ID" in e
        }
        for event, span in good:
            if str(event["UID"]) not in series_uids:
                meeting = _single(event, span, file, tz, window)
                if meeting is not None:
                    yield meeting
        if series_uids:
            others = [c for c in cal.subcomponents if c.name != "VEVENT"]
            cal.subcomponents = others + [e for e, _s in good if str(e["UID"]) in series_uids]
            try:
                occurrences: list[_Occurrence] = recurring_ical_events.of(
                    cal, components=(_EventOccurrences,)
                ).between(*window)
            except Exception as exc:  # the library raises many kinds; locate the event
                raise _locate_query_error(cal, scan, window, file, exc) from exc
            for occ in occurrences:
                span = scan.events[int(str(occ.source[_LINE_PROP]))]
                meeting = _meeting(file, span, str(occ.source["UID"]), occ.start, occ.end, tz, True)
                if meeting is not None:
                    yield meeting


class _Occurrence:
    """One expanded occurrence: its start and end, and the component it came from (not a copy)."""

    __slots__ = ("end", "source", "start")

    def __init__(self, source: icalendar.Component, start: date | datetime, end: Any) -> None:
        self.source, self.start = source, start
        self.end: date | datetime | None = end if isinstance(end, date) else None

    def __setitem__(self, key: str, value: object) -> None:
        """The library sets SEQUENCE on some occurrences; nothing here needs it."""


class _EventOccurrences(recurring_ical_events.EventAdapter):  # type: ignore[misc]
    """recurring-ical-events' VEVENT adapter, handing out :class:`_Occurrence` records.

    The stock adapter copies the whole component for every occurrence, which is
    most of the expansion's cost; only start, end and the source are needed.
    """

    def as_component(
        self,
        start: date | datetime | None = None,
        stop: date | datetime | None = None,
        keep_recurrence_attributes: bool = True,
    ) -> _Occurrence:
        del keep_recurrence_attributes
        return _Occurrence(
            self._component,
            self.start if start is None else start,
            self.end if stop is None else stop,
        )


def _checked_events(
    cal: icalendar.Component,
    scan: _Scan,
    file: str,
    tz: tzinfo,
    skipped: list[SkippedRow] | None,
    notes: list[str] | None,
) -> list[tuple[icalendar.Component, _Span]]:
    """The calendar's events that pass :func:`_check_event`, each with a UID."""
    good: list[tuple[icalendar.Component, _Span]] = []
    for event in cal.subcomponents:
        if event.name != "VEVENT":
            continue
        span = scan.events[int(str(event[_LINE_PROP]))]
        try:
            _check_event(event, span, file, tz, notes)
        except InvalidInput as exc:
            if skipped is None:
                raise
            skipped.append(SkippedRow(file, exc.line or span.begin, exc.message, exc.field))
            continue
        if "UID" not in event:
            event.add("UID", f"warmintro-line-{span.begin}")
        good.append((event, span))
    return good


def _meeting(
    file: str,
    span: _Span,
    uid: str,
    start: date | datetime,
    end: date | datetime | None,
    tz: tzinfo,
    recurring: bool,
) -> Meeting | None:
    if span.status == "CANCELLED":
        return None
    return Meeting(
        file=file,
        line=span.begin,
        uid=uid,
        start=_as_utc(start, tz).astimezone(UTC),
        end=_as_utc(end, tz).astimezone(UTC) if end is not None else None,
        all_day=not isinstance(start, datetime),
        recurring=recurring,
        people=span.people(),
    )


def _single(
    event: icalendar.Component,
    span: _Span,
    file: str,
    tz: tzinfo,
    window: tuple[datetime, datetime],
) -> Meeting | None:
    """A non-recurring event, if it overlaps the window."""
    start = _dt(event["DTSTART"])
    end: date | datetime | None = _dt(event["DTEND"]) if "DTEND" in event else None
    if end is None and "DURATION" in event:
        duration_prop: Any = event["DURATION"]
        duration = duration_prop.dt
        if isinstance(duration, timedelta):
            end = start + duration
    if end is None and not isinstance(start, datetime):
        end = start + timedelta(days=1)
    begins = _as_utc(start, tz)
    ends = _as_utc(end, tz) if end is not None else begins
    if begins >= window[1] or (ends <= window[0] if ends > begins else begins < window[0]):
        return None
    return _meeting(file, span, str(event["UID"]), start, end, tz, False)


def _locate_parse_error(data: bytes, file: str, exc: ValueError) -> InvalidInput:
    """icalendar's parse errors quote the bad text but not its line: find it."""
    message = str(exc)
    m = re.search(r"'([^']{4,})'", message)
    if m:
        needle = m.group(1)[:60].encode("utf-8", errors="replace")
        at = data.find(needle)
        if at >= 0:
            line = data.count(b"\n", 0, at) + 1
            return InvalidInput(f"cannot parse: {message}"[:200], file=file, line=line)
    return InvalidInput(f"cannot parse: {message}"[:200], file=file, line=1)


# -- files at the edge -----------------------------------------------------------------------
def iter_calendar(
    path: Path,
    *,
    window: tuple[datetime, datetime],
    default_tz: tzinfo = UTC,
    skipped: list[SkippedRow] | None = None,
    notes: list[str] | None = None,
) -> Iterator[Meeting]:
    """The meetings of an .ics file, a folder of them, or a Takeout .zip.

    See :func:`parse_calendar` for the parameters; errors name zip members
    ``archive.zip!member.ics``.
    """
    for label, data in file_sources(path, (".ics",), cap=MAX_FILE_BYTES, what=".ics"):
        yield from parse_calendar(
            data, label, window=window, default_tz=default_tz, skipped=skipped, notes=notes
        )


# -- aggregation -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CalendarCounterpart:
    """What the owner's calendar says about one other person (lower-cased address).

    ``meetings`` counts occurrences both attended; ``weighted`` sums
    :func:`meeting_weight` of each; ``owner_organised``/``they_organised`` count
    those the owner or they organised; first/last are meeting starts (UTC).
    """

    address: str
    name: str
    meetings: int
    weighted: float
    owner_organised: int
    they_organised: int
    first_meeting: datetime
    last_meeting: datetime


@dataclass(frozen=True, slots=True)
class CalendarSummary:
    """Per-counterpart aggregates and co-occurrence of one owner's meetings.

    ``cooccurrence`` maps an ordered pair of non-owner addresses to the number
    of meetings of at most ``max_meeting_size`` people (owner counted) both attended.
    """

    counterparts: dict[str, CalendarCounterpart]
    cooccurrence: dict[tuple[str, str], int]
    meetings: int  # occurrences counted
    without_owner: int  # occurrences the owner was not at (or declined): ignored
    duplicates: int  # the same UID and start seen again: ignored
    max_meeting_size: int
    window: tuple[datetime, datetime] | None = None
    notes: tuple[str, ...] = ()


@dataclass(slots=True)
class _Stats:
    name: str = ""
    meetings: int = 0
    weighted: float = 0.0
    owner_organised: int = 0
    they_organised: int = 0
    first: datetime | None = None
    last: datetime | None = None


class CalendarAggregator:
    """Fold meetings into one owner's per-counterpart aggregates.

    Parameters
    ----------
    owner_addresses
        Every address of the owner; a meeting counts only if one of them is
        organiser or a (non-declining) attendee.
    max_meeting_size
        Meetings with more people (owner included) give no co-occurrence pairs.

    Examples
    --------
    >>> at = datetime(2026, 1, 5, 10, tzinfo=UTC)
    >>> m = Meeting("c.ics", 2, "u1", at, None, False, False,
    ...             (Attendee("me@x.com", organizer=True), Attendee("ana@y.com", "Ana")))
    >>> agg = CalendarAggregator({"me@x.com"})
    >>> agg.add(m)
    True
    >>> c = agg.summary().counterparts["ana@y.com"]
    >>> (c.name, c.meetings, c.weighted, c.owner_organised)
    ('Ana', 1, 1.0, 1)
    """

    def __init__(
        self, owner_addresses: Iterable[str], *, max_meeting_size: int = DEFAULT_MAX_MEETING_SIZE
    ) -> None:
        owners = {normalize_email(a) for a in owner_addresses}
        owners.discard("")
        self.owner_addresses = frozenset(owners)
        self.max_meeting_size = max_meeting_size
        self._stats: dict[str, _Stats] = {}
        self._pairs: dict[tuple[str, str], int] = {}
        self._seen: set[tuple[str, datetime]] = set()
        self.meetings = self.without_owner = self.duplicates = 0

    def add(self, m: Meeting) -> bool:
        """Count one meeting; False if ignored (owner absent, or a duplicate)."""
        key = (m.uid, m.start)
        if key in self._seen:
            self.duplicates += 1
            return False
        owner = [p for p in m.people if p.email in self.owner_addresses]
        if not owner:
            self.without_owner += 1
            return False
        self._seen.add(key)
        self.meetings += 1
        owner_organised = any(p.organizer for p in owner)
        weight = meeting_weight(m.size)
        others = [p for p in m.people if p.email not in self.owner_addresses and not p.group]
        for p in others:
            s = self._stats.get(p.email)
            if s is None:
                s = self._stats[p.email] = _Stats()
            s.name = s.name or p.name
            s.meetings += 1
            s.weighted += weight
            s.owner_organised += owner_organised
            s.they_organised += p.organizer
            if s.first is None or m.start < s.first:
                s.first = m.start
            if s.last is None or m.start > s.last:
                s.last = m.start
        if m.size <= self.max_meeting_size:
            for a, b in combinations(sorted(p.email for p in others), 2):
                self._pairs[(a, b)] = self._pairs.get((a, b), 0) + 1
        return True

    def add_all(self, meetings: Iterable[Meeting]) -> CalendarAggregator:
        """Count every meeting of an iterable; returns self."""
        for m in meetings:
            self.add(m)
        return self

    def summary(
        self, *, window: tuple[datetime, datetime] | None = None, notes: Iterable[str] = ()
    ) -> CalendarSummary:
        """The aggregates so far."""
        counterparts = {
            email: CalendarCounterpart(
                address=email,
                name=s.name,
                meetings=s.meetings,
                weighted=round(s.weighted, 6),
                owner_organised=s.owner_organised,
                they_organised=s.they_organised,
                first_meeting=s.first,
                last_meeting=s.last,
            )
            for email, s in sorted(self._stats.items())
            if s.first is not None and s.last is not None
        }
        return CalendarSummary(
            counterparts=counterparts,
            cooccurrence=dict(sorted(self._pairs.items())),
            meetings=self.meetings,
            without_owner=self.without_owner,
            duplicates=self.duplicates,
            max_meeting_size=self.max_meeting_size,
            window=window,
            notes=tuple(notes),
        )


def summarize_calendar(
    path: Path,
    owner_addresses: Iterable[str],
    *,
    now: datetime | None = None,
    past: timedelta = DEFAULT_PAST,
    ahead: timedelta = DEFAULT_AHEAD,
    max_meeting_size: int = DEFAULT_MAX_MEETING_SIZE,
    default_tz: tzinfo = UTC,
    skipped: list[SkippedRow] | None = None,
) -> CalendarSummary:
    """Read every .ics under ``path`` and aggregate the owner's meetings in the window.

    The window runs from ``now - past`` to ``now + ahead`` (``now`` defaults to
    the current time; pass it for reproducible results).

    Raises
    ------
    InvalidInput
        As :func:`iter_calendar`.
    """
    window = default_window(now or datetime.now(UTC), past, ahead)
    notes: list[str] = []
    agg = CalendarAggregator(owner_addresses, max_meeting_size=max_meeting_size)
    agg.add_all(
        iter_calendar(path, window=window, default_tz=default_tz, skipped=skipped, notes=notes)
    )
    return agg.summary(window=window, notes=notes)
