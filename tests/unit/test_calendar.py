"""loaders.calendar: expansion, time zones, cancellations, weighting, malformed .ics.

Every file is generated here in tmp_path; no binary fixtures.
"""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from graph.errors import InvalidInput
from loaders.calendar import (
    Attendee,
    CalendarAggregator,
    Meeting,
    default_window,
    iter_calendar,
    meeting_weight,
    parse_calendar,
    summarize_calendar,
)
from loaders.report import SkippedRow

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
WINDOW = default_window(NOW)
OWNER = {"me@example.com", "me.alias@corp.example"}

BERLIN = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Berlin",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def calendar(*events: list[str], head: tuple[str, ...] = ()) -> list[str]:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", *head]
    for e in events:
        lines += e
    return [*lines, "END:VCALENDAR"]


def event(uid: str, *props: str) -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", *props, "END:VEVENT"]


def write(path: Path, lines: list[str], eol: str = "\r\n") -> Path:
    path.write_bytes((eol.join(lines) + eol).encode("utf-8"))
    return path


def people(m: Meeting) -> list[str]:
    return [p.email for p in m.people]


# -- reading -------------------------------------------------------------------------------------
def weekly_with_overrides() -> list[str]:
    return calendar(
        event(
            "weekly-1",
            "DTSTART;TZID=Europe/Berlin:20260105T100000",
            "DTEND;TZID=Europe/Berlin:20260105T110000",
            "RRULE:FREQ=WEEKLY;COUNT=6",
            "EXDATE;TZID=Europe/Berlin:20260112T100000",
            "SUMMARY:Weekly 1:1",
            "ORGANIZER;CN=Me:mailto:me@example.com",
            'ATTENDEE;CN="Pérez, Ana";PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:Ana@Example.com',
            "ATTENDEE;CN=Room 1;CUTYPE=ROOM:mailto:room1@resource.calendar.google.com",
            "ATTENDEE;CN=Bo;PARTSTAT=DECLINED:mailto:bo@example.com",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "DESCRIPTION:reminder",
            "TRIGGER:-PT10M",
            "END:VALARM",
        ),
        # moved occurrence, with Bo accepting this one
        event(
            "weekly-1",
            "RECURRENCE-ID;TZID=Europe/Berlin:20260119T100000",
            "DTSTART;TZID=Europe/Berlin:20260119T150000",
            "DTEND;TZID=Europe/Berlin:20260119T160000",
            "ORGANIZER;CN=Me:mailto:me@example.com",
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ana@example.com",
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:bo@example.com",
        ),
        # cancelled occurrence
        event(
            "weekly-1",
            "RECURRENCE-ID;TZID=Europe/Berlin:20260126T100000",
            "DTSTART;TZID=Europe/Berlin:20260126T100000",
            "STATUS:CANCELLED",
        ),
        head=tuple(BERLIN),
    )


def test_rrule_exdate_overrides_tzid(tmp_path: Path) -> None:
    lines = weekly_with_overrides()
    begins = [n for n, line in enumerate(lines, 1) if line == "BEGIN:VEVENT"]
    path = write(tmp_path / "work.ics", lines)
    meetings = sorted(iter_calendar(path, window=WINDOW), key=lambda m: m.start)
    starts = [m.start for m in meetings]
    assert starts == [
        datetime(2026, 1, 5, 9, tzinfo=UTC),
        # 12th: EXDATE; 19th: moved to 15:00; 26th: cancelled
        datetime(2026, 1, 19, 14, tzinfo=UTC),
        datetime(2026, 2, 2, 9, tzinfo=UTC),
        datetime(2026, 2, 9, 9, tzinfo=UTC),
    ]
    first, moved = meetings[0], meetings[1]
    assert (first.line, moved.line) == (begins[0], begins[1]) == (19, 36)
    assert people(first) == ["me@example.com", "ana@example.com"]  # room and decliner gone
    assert first.people[1] == Attendee("ana@example.com", "Pérez, Ana", "ACCEPTED")
    assert first.people[0].organizer
    assert people(moved) == ["me@example.com", "ana@example.com", "bo@example.com"]
    assert all(m.recurring for m in meetings)
    assert first.end == datetime(2026, 1, 5, 10, tzinfo=UTC)


def test_google_x_wr_timezone_and_floating_times(tmp_path: Path) -> None:
    lines = calendar(
        event("g1", "DTSTART:20260105T100000", "ATTENDEE:mailto:me@example.com"),  # floating
        event("g2", "DTSTART:20260105T100000Z", "ATTENDEE:mailto:me@example.com"),
        event(
            "g3",
            "DTSTART:20260330T080000Z",  # 10:00 Berlin summer time; weekly stays 10:00 local
            "RRULE:FREQ=WEEKLY;UNTIL=20260101T000000Z",
            "ATTENDEE:mailto:me@example.com",
        ),
        event(
            "g4",
            "DTSTART:20260320T090000Z",
            "RRULE:FREQ=WEEKLY;COUNT=3",
            "ATTENDEE:mailto:me@example.com",
        ),
        head=("X-WR-TIMEZONE:Europe/Berlin", "X-WR-CALNAME:me@example.com"),
    )
    path = write(tmp_path / "google.ics", lines)
    window = (datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC))
    got = {(m.uid, m.start) for m in iter_calendar(path, window=window)}
    assert ("g1", datetime(2026, 1, 5, 9, tzinfo=UTC)) in got  # floating read as Berlin
    assert ("g2", datetime(2026, 1, 5, 10, tzinfo=UTC)) in got
    g4 = sorted(s for u, s in got if u == "g4")
    # 10:00 Berlin before and after the DST change on 29 March: 09:00 then 08:00 UTC
    assert g4 == [
        datetime(2026, 3, 20, 9, tzinfo=UTC),
        datetime(2026, 3, 27, 9, tzinfo=UTC),
        datetime(2026, 4, 3, 8, tzinfo=UTC),
    ]
    assert not any(u == "g3" for u, _ in got)  # UNTIL before DTSTART: no occurrence


def test_floating_without_x_wr_timezone_uses_default_tz(tmp_path: Path) -> None:
    path = write(tmp_path / "f.ics", calendar(event("f1", "DTSTART:20260105T100000")))
    (utc,) = iter_calendar(path, window=WINDOW)
    (ny,) = iter_calendar(path, window=WINDOW, default_tz=ZoneInfo("America/New_York"))
    assert utc.start == datetime(2026, 1, 5, 10, tzinfo=UTC)
    assert ny.start == datetime(2026, 1, 5, 15, tzinfo=UTC)


def test_window_all_day_duration_and_cancelled(tmp_path: Path) -> None:
    lines = calendar(
        event("old", "DTSTART:20200105T100000Z"),  # before the 2-year window
        event("far", "DTSTART:20260501T100000Z"),  # after now + 30 days
        event("soon", "DTSTART:20260320T100000Z", "DURATION:PT45M"),
        event("allday", "DTSTART;VALUE=DATE:20260210"),
        event("gone", "DTSTART:20260210T100000Z", "STATUS:CANCELLED"),
        event("daily", "DTSTART:20230101T100000Z", "RRULE:FREQ=DAILY"),
    )
    meetings = list(iter_calendar(write(tmp_path / "w.ics", lines), window=WINDOW))
    uids = {m.uid for m in meetings}
    assert uids == {"soon", "allday", "daily"}
    soon = next(m for m in meetings if m.uid == "soon")
    assert soon.end == datetime(2026, 3, 20, 10, 45, tzinfo=UTC)
    allday = next(m for m in meetings if m.uid == "allday")
    assert allday.all_day and allday.start == datetime(2026, 2, 10, tzinfo=UTC)
    daily = [m for m in meetings if m.uid == "daily"]
    assert len(daily) == (WINDOW[1] - WINDOW[0]).days  # expansion bounded by the window
    assert min(m.start for m in daily) >= WINDOW[0]


def test_method_cancel_and_multiple_calendars_and_zip(tmp_path: Path) -> None:
    one = calendar(event("a", "DTSTART:20260105T100000Z"))
    cancel = calendar(event("b", "DTSTART:20260105T100000Z"), head=("METHOD:CANCEL",))
    path = write(tmp_path / "two.ics", one + cancel)
    assert [m.uid for m in iter_calendar(path, window=WINDOW)] == ["a"]
    archive = tmp_path / "takeout.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Takeout/Calendar/me@example.com.ics", "\r\n".join(one) + "\r\n")
        z.writestr("Takeout/Calendar/readme.html", "<html/>")
    (m,) = iter_calendar(archive, window=WINDOW)
    assert m.file == "takeout.zip!Takeout/Calendar/me@example.com.ics"


# -- aggregation --------------------------------------------------------------------------------
def test_weight_formula() -> None:
    assert meeting_weight(1) == meeting_weight(4) == 1.0
    assert meeting_weight(8) == pytest.approx((4 / 8) ** 1.5)
    assert meeting_weight(200) < 0.005
    weights = [meeting_weight(n) for n in range(1, 300)]
    assert weights == sorted(weights, reverse=True)


def test_aggregates_and_cooccurrence(tmp_path: Path) -> None:
    big = [f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:p{i}@example.com" for i in range(198)]
    lines = calendar(
        event(
            "small",
            "DTSTART:20260105T100000Z",
            "RRULE:FREQ=WEEKLY;COUNT=3",
            "ORGANIZER;CN=Ana:mailto:ana@example.com",
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ME.ALIAS@corp.example",
            "ATTENDEE;CN=Bo;PARTSTAT=TENTATIVE:mailto:bo@example.com",
            "ATTENDEE;CN=Eng;CUTYPE=GROUP:mailto:eng@example.com",
        ),
        event(
            "allhands",
            "DTSTART:20260110T100000Z",
            "ORGANIZER:mailto:ceo@example.com",
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.com",
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ana@example.com",
            *big,
        ),
        event(
            "declined-by-owner",
            "DTSTART:20260111T100000Z",
            "ORGANIZER:mailto:cy@example.com",
            "ATTENDEE;PARTSTAT=DECLINED:mailto:me@example.com",
        ),
        event(
            "not-mine",
            "DTSTART:20260112T100000Z",
            "ORGANIZER:mailto:dee@example.com",
            "ATTENDEE:mailto:eve@example.com",
        ),
        event("solo", "DTSTART:20260113T100000Z", "ORGANIZER:mailto:me@example.com"),
    )
    path = write(tmp_path / "a.ics", lines)
    s = summarize_calendar(path, OWNER, now=NOW)
    ana = s.counterparts["ana@example.com"]
    assert (ana.name, ana.meetings, ana.they_organised, ana.owner_organised) == ("Ana", 4, 3, 0)
    assert ana.weighted == pytest.approx(3 * 1.0 + meeting_weight(201))
    assert ana.first_meeting == datetime(2026, 1, 5, 10, tzinfo=UTC)
    assert ana.last_meeting == datetime(2026, 1, 19, 10, tzinfo=UTC)
    assert s.counterparts["bo@example.com"].meetings == 3
    assert "eng@example.com" not in s.counterparts  # a group address
    assert "cy@example.com" not in s.counterparts and "dee@example.com" not in s.counterparts
    assert s.cooccurrence == {("ana@example.com", "bo@example.com"): 3}
    assert (s.meetings, s.without_owner) == (5, 2)
    assert s.window == WINDOW
    assert len(s.counterparts) == 2 + 199  # ana, bo, ceo and p0..p197
    wide = summarize_calendar(path, OWNER, now=NOW, max_meeting_size=300)
    assert wide.cooccurrence[("p0@example.com", "p1@example.com")] == 1


def test_aggregator_dedupes_the_same_occurrence(tmp_path: Path) -> None:
    m = Meeting(
        "a.ics", 3, "u", NOW, None, False, False, (Attendee("me@example.com"), Attendee("x@y.z"))
    )
    agg = CalendarAggregator(OWNER)
    assert agg.add(m) and not agg.add(m)
    assert agg.summary().duplicates == 1


# -- malformed input ---------------------------------------------------------------------------------
OK_EVENT = event("ok", "DTSTART:20260105T100000Z")
MALFORMED: list[tuple[str, list[str] | bytes, int]] = [
    ("plain-text", ["Dear diary,", "today"], 1),
    ("binary-nul", b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n\x00\x01\x02", 3),
    ("vevent-outside-calendar", ["BEGIN:VEVENT", "UID:1", "END:VEVENT"], 1),
    ("calendar-never-closed", ["BEGIN:VCALENDAR", "VERSION:2.0", *OK_EVENT], 1),
    (
        "event-never-closed",
        ["BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "UID:1", "END:VCALENDAR"],
        5,
    ),
    (
        "mismatched-end",
        ["BEGIN:VCALENDAR", "BEGIN:VEVENT", "UID:1", "END:VTODO", "END:VCALENDAR"],
        4,
    ),
    ("end-without-begin", ["END:VEVENT", "BEGIN:VCALENDAR", "END:VCALENDAR"], 1),
    (
        "no-colon-line",
        calendar(["BEGIN:VEVENT", "UID:1", "this line has no colon", "END:VEVENT"]),
        6,
    ),
    ("fold-at-start", [" folded", "BEGIN:VCALENDAR", "END:VCALENDAR"], 1),
    ("property-after-end", [*calendar(OK_EVENT), "X-TRAILING:1"], 9),
    ("garbage-dtstart", calendar(event("1", "DTSTART:garbage")), 6),
    ("missing-dtstart", calendar(event("1", "ORGANIZER:mailto:a@b.co")), 4),
    (
        "ends-before-start",
        calendar(event("1", "DTSTART:20260105T100000Z", "DTEND:20250105T100000Z")),
        7,
    ),
    ("bad-rrule-freq", calendar(event("1", "DTSTART:20260105T100000Z", "RRULE:FREQ=SOMETIMES")), 7),
    (
        "bad-rrule-until",
        calendar(event("1", "DTSTART:20260105T100000Z", "RRULE:FREQ=DAILY;UNTIL=xx")),
        7,
    ),
    ("garbage-dtend", calendar(event("1", "DTSTART:20260105T100000Z", "DTEND:tomorrow")), 7),
    ("unknown-x-wr-timezone", calendar(OK_EVENT, head=("X-WR-TIMEZONE:Mars/Olympus_Mons",)), 4),
    ("empty-file", b"", 1),
    ("blank-lines-only", b"\r\n\r\n  \r\n", 1),
    ("bad-param-syntax", calendar(event("1", 'DTSTART;TZID="Europe/Berlin:20260105T100000')), 6),
    (
        "second-line-override-bad",
        calendar(OK_EVENT, event("ok", "RECURRENCE-ID:nonsense", "DTSTART:20260105T100000Z")),
        10,
    ),
]


@pytest.mark.parametrize(
    ("content", "line"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_ics_raise_with_file_and_line(
    tmp_path: Path, content: list[str] | bytes, line: int
) -> None:
    path = tmp_path / "bad.ics"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        write(path, content)
    with pytest.raises(InvalidInput) as err:
        list(iter_calendar(path, window=WINDOW))
    assert (err.value.file, err.value.line) == (str(path), line)


def test_malformed_zip_and_folder(tmp_path: Path) -> None:
    archive = tmp_path / "cal.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Takeout/Calendar/readme.txt", "x")
    with pytest.raises(InvalidInput) as err:
        list(iter_calendar(archive, window=WINDOW))
    assert (err.value.file, err.value.line) == ("cal.zip", None)
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Takeout/Calendar/a.ics", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n")
    with pytest.raises(InvalidInput) as err:
        list(iter_calendar(archive, window=WINDOW))
    assert (err.value.file, err.value.line) == ("cal.zip!Takeout/Calendar/a.ics", 2)
    folder = tmp_path / "none"
    folder.mkdir()
    with pytest.raises(InvalidInput) as err:
        list(iter_calendar(folder, window=WINDOW))
    assert err.value.file == str(folder)


def test_lenient_mode_skips_bad_events(tmp_path: Path) -> None:
    lines = calendar(
        event("1", "DTSTART:garbage"),
        event("2", "DTSTART:20260105T100000Z", "DTEND:20250105T100000Z"),
        OK_EVENT,
    )
    path = write(tmp_path / "l.ics", lines)
    skipped: list[SkippedRow] = []
    notes: list[str] = []
    got = list(iter_calendar(path, window=WINDOW, skipped=skipped, notes=notes))
    assert [m.uid for m in got] == ["ok"]
    assert [(s.line, s.field) for s in skipped] == [(6, "DTSTART"), (11, "DTEND")]


def test_unknown_tzid_is_a_note_not_an_error(tmp_path: Path) -> None:
    lines = calendar(event("1", "DTSTART;TZID=Nowhere/Land:20260105T100000"))
    notes: list[str] = []
    (m,) = parse_calendar(
        write(tmp_path / "t.ics", lines).read_bytes(), "t.ics", window=WINDOW, notes=notes
    )
    assert m.start == datetime(2026, 1, 5, 10, tzinfo=UTC)
    assert notes == ["t.ics:6: unknown time zone 'Nowhere/Land', read as the calendar's"]


# -- privacy ---------------------------------------------------------------------------------------
def test_titles_descriptions_and_locations_never_come_back(tmp_path: Path) -> None:
    tokens = [f"SECRETTOKEN{i}XYZ" for i in range(5)]
    lines = calendar(
        event(
            "p1",
            "DTSTART:20260105T100000Z",
            f"SUMMARY:{tokens[0]}",
            f"DESCRIPTION:{tokens[1]}\\n more",
            f"LOCATION:{tokens[2]}",
            f"ATTACH:https://x.example/{tokens[3]}",
            "ORGANIZER:mailto:me@example.com",
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ana@example.com",
            "BEGIN:VALARM",
            f"DESCRIPTION:{tokens[4]}",
            "END:VALARM",
        )
    )
    path = write(tmp_path / "p.ics", lines)
    text = repr(
        [list(iter_calendar(path, window=WINDOW)), summarize_calendar(path, OWNER, now=NOW)]
    )
    assert "ana@example.com" in text
    for token in tokens:
        assert token not in text


def test_now_defaults_to_the_clock(tmp_path: Path) -> None:
    soon = datetime.now(UTC) + timedelta(days=1)
    lines = calendar(event("x", f"DTSTART:{soon:%Y%m%dT%H%M%SZ}", "ATTENDEE:mailto:me@example.com"))
    s = summarize_calendar(write(tmp_path / "n.ics", lines), OWNER)
    assert s.meetings == 1
