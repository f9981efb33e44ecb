"""loaders.mail: mbox variants, .eml folders, Takeout zips, the aggregator, malformed input.

Every file is generated here in tmp_path; no binary fixtures.
"""

from __future__ import annotations

import base64
import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from graph.errors import InvalidInput
from loaders.mail import (
    Address,
    MailAggregator,
    MailHeader,
    iter_mail,
    iter_mbox,
    parse_eml,
    summarize_mail,
)
from loaders.report import SkippedRow

OWNER = {"me@example.com", "Me.Alias@Corp.Example"}


def message(
    *,
    sender: str = "Ana <ana@example.com>",
    to: str = "Me <me@example.com>",
    extra: tuple[str, ...] = (),
    subject: str = "hello",
    body: tuple[str, ...] = ("hi",),
    date: str | None = "Mon, 05 Jan 2026 10:00:00 +0100",
    msgid: str | None = None,
    separator: str = "From 1234@xxx Mon Jan 05 09:00:00 +0000 2026",
) -> list[str]:
    """One message's lines (no line endings), separator first."""
    lines = [separator, f"From: {sender}", f"To: {to}"]
    if date is not None:
        lines.append(f"Date: {date}")
    if msgid is not None:
        lines.append(f"Message-ID: <{msgid}>")
    lines += [*extra, f"Subject: {subject}", "", *body, ""]
    return lines


def write(path: Path, lines: list[str], eol: str = "\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(eol.join(lines).encode("utf-8"))
    return path


def headers(path: Path, skipped: list[SkippedRow] | None = None) -> list[MailHeader]:
    return list(iter_mail(path, skipped=skipped))


# -- variants ----------------------------------------------------------------------------------
def takeout_lines() -> list[str]:
    blob = base64.b64encode(bytes(range(256)) * 8).decode()
    attachment = [blob[i : i + 76] for i in range(0, len(blob), 76)]
    return [
        *message(
            sender="=?UTF-8?Q?Ana_P=C3=A9rez?= <Ana@Example.com>",
            extra=(
                "X-GM-THRID: 1790000000000000001",
                "X-Gmail-Labels: Inbox,Important,Opened",
                "Received: from mx.example by mx.google.com;",
                "\tMon, 05 Jan 2026 09:00:00 -0800",
                "Cc: =?utf-8?b?SsO8cmdlbiBTY2htaWR0?= <juergen@example.de>,",
                " Bo <bo@example.com>",
            ),
            msgid="a1@example.com",
            body=(
                "Content-Type: text/plain",
                "",
                ">From the archives: escaped",
                ">>From doubly escaped",
                "From the desk of nobody in 2026, unescaped but no header follows",
                "next line",
                "--b",
                "Content-Transfer-Encoding: base64",
                "",
                *attachment,
            ),
        ),
        *message(
            sender="Me <me@example.com>",
            to="Ana <ana@example.com>",
            date="not a date at all",
            msgid="a2@example.com",
            extra=(
                "X-GM-THRID: 1790000000000000001",
                "X-Gmail-Labels: Sent",
                "In-Reply-To: <a1@example.com>",
                "References: <a1@example.com>",
            ),
        ),
        *message(sender="Bo <bo@example.com>", date=None, msgid="a3@example.com"),
    ]


def test_takeout_mbox_crlf_escaping_rfc2047_and_dates(tmp_path: Path) -> None:
    path = write(tmp_path / "All mail Including Spam and Trash.mbox", takeout_lines(), "\r\n")
    first, second, third = headers(path)
    assert first.line == 1
    assert first.sender == Address("ana@example.com", "Ana Pérez")
    assert [(a.email, a.name) for a in first.cc] == [
        ("juergen@example.de", "Jürgen Schmidt"),
        ("bo@example.com", "Bo"),
    ]
    assert first.date == datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    assert first.thread == "gm:1790000000000000001" == second.thread
    assert first.message_id == "a1@example.com"
    assert not first.automated
    # The escaped and unescaped "From" body lines did not split the message.
    raw = path.read_bytes().split(b"\r\n")
    assert raw[second.line - 1].startswith(b"From 1234@xxx")
    assert raw[third.line - 1].startswith(b"From 1234@xxx")
    assert second.date is None  # garbage
    assert third.date is None  # missing
    assert second.in_reply_to == "a1@example.com"
    assert second.references == ("a1@example.com",)
    assert second.sender == Address("me@example.com", "Me")


@pytest.mark.parametrize("chunk", [7, 64, 333, 1 << 20])
def test_chunk_boundaries_do_not_change_anything(tmp_path: Path, chunk: int) -> None:
    data = ("\r\n".join(takeout_lines()) * 3).encode()
    reference = list(iter_mbox(io.BytesIO(data), "x.mbox"))
    assert len(reference) == 9
    assert list(iter_mbox(io.BytesIO(data), "x.mbox", chunk_size=chunk)) == reference


def test_apple_mail_export_folder(tmp_path: Path) -> None:
    box = tmp_path / "export" / "Inbox.mbox"
    write(
        box / "mbox",
        [
            *message(separator="From ana@example.com Fri Mar 03 10:00:00 2023", msgid="p1@x"),
            *message(
                separator="From bo@example.com Fri Mar 03 11:00:00 2023",
                sender="Bo <bo@example.com>",
                msgid="p2@x",
            ),
        ],
    )
    (box / "Info.plist").write_text("<plist/>")
    (box / "table_of_contents").write_bytes(b"\x00\x01binary index")
    got = headers(tmp_path / "export")
    assert [(h.file, h.line, h.sender.email if h.sender else "") for h in got] == [
        (str(box / "mbox"), 1, "ana@example.com"),
        (str(box / "mbox"), 10, "bo@example.com"),
    ]


def test_thunderbird_profile_folder(tmp_path: Path) -> None:
    folder = tmp_path / "Mail" / "Local Folders"
    write(
        folder / "Inbox",
        [
            *message(
                separator="From - Mon Jan  5 10:00:00 2026",
                extra=("X-Mozilla-Status: 0001", "X-Mozilla-Status2: 00000000"),
                body=("From here on we go", "more"),
                msgid="t1@x",
            ),
            *message(separator="From - Tue Jan  6 10:00:00 2026", msgid="t2@x"),
        ],
    )
    (folder / "Inbox.msf").write_text('// <!-- <mdb:mork:z v="1.4"/> -->')
    got = headers(tmp_path / "Mail")
    assert [h.message_id for h in got] == ["t1@x", "t2@x"]
    assert got[1].line == 13


def test_eml_folder(tmp_path: Path) -> None:
    write(tmp_path / "mails" / "a.eml", message(msgid="e1@x")[1:], "\r\n")
    write(tmp_path / "mails" / "sub" / "b.eml", message(msgid="e2@x", sender="bo@example.com"))
    (tmp_path / "mails" / "notes.txt").write_text("ignored")
    got = headers(tmp_path / "mails")
    assert [(Path(h.file).name, h.line, h.message_id) for h in got] == [
        ("a.eml", 1, "e1@x"),
        ("b.eml", 1, "e2@x"),  # a leading "From " envelope line is allowed
    ]
    one = parse_eml(io.BytesIO(b"From: a@x.com\n\nbody"), "one.eml")
    assert one.sender == Address("a@x.com")


def test_takeout_zip_streams_every_mbox_member(tmp_path: Path) -> None:
    archive = tmp_path / "takeout-20260101.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("Takeout/archive_browser.html", "<html/>")
        z.writestr(
            "Takeout/Mail/All mail Including Spam and Trash.mbox",
            "\r\n".join(takeout_lines()),
        )
        z.writestr("Takeout/Mail/Sent.mbox", "\n".join(message(msgid="z9@x")))
    got = headers(archive)
    assert {h.file for h in got} == {
        "takeout-20260101.zip!Takeout/Mail/All mail Including Spam and Trash.mbox",
        "takeout-20260101.zip!Takeout/Mail/Sent.mbox",
    }
    assert len(got) == 4


# -- automated and bulk mail --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("extra", "sender", "reason"),
    [
        (("List-Id: Dev <dev.lists.example.org>",), "ana@example.com", "List-Id"),
        (("List-Unsubscribe: <mailto:u@x.com>",), "ana@example.com", "List-Unsubscribe"),
        (("Precedence: bulk",), "ana@example.com", "Precedence: bulk"),
        (("Precedence: list",), "ana@example.com", "Precedence: list"),
        (("Precedence: junk",), "ana@example.com", "Precedence: junk"),
        (("Auto-Submitted: auto-replied",), "ana@example.com", "Auto-Submitted: auto-replied"),
        (("X-Autoreply: yes",), "ana@example.com", "X-Autoreply"),
        (("Return-Path: <>",), "ana@example.com", "null Return-Path"),
        ((), "no-reply@shop.example", "automated sender"),
        ((), "noreply@shop.example", "automated sender"),
        ((), "DoNotReply@bank.example", "automated sender"),
        ((), "MAILER-DAEMON@mx.example", "automated sender"),
        ((), "notifications@github.example", "automated sender"),
        (("X-Gmail-Labels: Spam",), "ana@example.com", "Gmail label spam"),
        (("Auto-Submitted: no",), "ana@example.com", ""),
        (("Precedence: first-class",), "ana@example.com", ""),
    ],
)
def test_automated_detection(
    tmp_path: Path, extra: tuple[str, ...], sender: str, reason: str
) -> None:
    path = write(tmp_path / "x.mbox", message(sender=sender, extra=extra, msgid="m@x"))
    (h,) = headers(path)
    assert h.automated_reason == reason
    assert h.automated is bool(reason)
    summary = summarize_mail(path, OWNER)
    assert (sender.lower() in summary.counterparts) is (not reason)


def test_list_and_automated_senders_never_become_counterparts(tmp_path: Path) -> None:
    lines = [
        # a newsletter the owner once answered: still not a counterpart
        *message(
            sender="News <news@shop.example>",
            extra=("List-Unsubscribe: <https://shop.example/u>",),
            msgid="n1@x",
        ),
        *message(sender="me@example.com", to="news@shop.example", msgid="n2@x"),
        # a list post: the list address (List-Post) is dropped; the poster wrote personally too
        *message(
            sender="Cy <cy@example.com>",
            to="dev@lists.example.org",
            extra=(
                "List-Id: <dev.lists.example.org>",
                "List-Post: <mailto:dev@lists.example.org>",
            ),
            msgid="l1@x",
        ),
        *message(sender="me@example.com", to="dev@lists.example.org", msgid="l2@x"),
        *message(sender="Cy <cy@example.com>", msgid="c1@x"),
        # the owner mails a no-reply address and a person at once
        *message(sender="me@example.com", to="noreply@x.example, ana@example.com", msgid="r1@x"),
    ]
    s = summarize_mail(write(tmp_path / "m.mbox", lines), OWNER)
    assert sorted(s.counterparts) == ["ana@example.com", "cy@example.com"]
    assert s.counterparts["cy@example.com"].received == 1
    assert s.automated == 2


# -- aggregation ---------------------------------------------------------------------------------
def conversation() -> list[str]:
    return [
        *message(
            sender="Me <ME@example.com>",
            to="Ana Pérez <ana@example.com>",
            extra=("Cc: Bo <bo@example.com>",),
            date="Mon, 05 Jan 2026 10:00:00 +0000",
            msgid="t1@x",
        ),
        *message(
            sender="Ana <ana@example.com>",
            to="me.alias@corp.example",
            extra=("Cc: bo@example.com", "In-Reply-To: <t1@x>", "References: <t1@x>"),
            date="Tue, 06 Jan 2026 10:00:00 +0000",
            msgid="t2@x",
        ),
        *message(
            sender="Me <me.alias@corp.example>",
            to="ana@example.com",
            extra=("In-Reply-To: <t2@x>", "References: <t1@x> <t2@x>"),
            date="Wed, 07 Jan 2026 10:00:00 +0000",
            msgid="t3@x",
        ),
        # a separate thread from Bo with Dee copied, and a big thread of 8 people
        *message(
            sender="Bo <bo@example.com>",
            to="me@example.com",
            extra=("Cc: Dee <dee@example.com>",),
            date="Thu, 01 Jan 2026 10:00:00 +0000",
            msgid="b1@x",
        ),
        *message(
            sender="me@example.com",
            to=", ".join(f"p{i}@example.com" for i in range(6)) + ", ana@example.com",
            msgid="big@x",
        ),
    ]


def test_aggregates_with_owner_aliases(tmp_path: Path) -> None:
    s = summarize_mail(write(tmp_path / "m.mbox", conversation()), OWNER)
    ana = s.counterparts["ana@example.com"]
    assert (ana.sent, ana.received, ana.copied, ana.threads) == (3, 1, 0, 2)
    assert (ana.owner_replied, ana.they_replied) == (1, 1)
    assert ana.name == "Ana"  # the name they use themselves outweighs others' spelling
    assert ana.first_contact == datetime(2026, 1, 5, 9, tzinfo=UTC)  # "big@x", +0100
    assert ana.last_contact is not None
    assert ana.last_contact >= datetime(2026, 1, 7, 10, tzinfo=UTC)
    bo = s.counterparts["bo@example.com"]
    assert (bo.sent, bo.received, bo.copied, bo.threads) == (1, 1, 1, 2)
    assert bo.first_contact == datetime(2026, 1, 1, 10, tzinfo=UTC)
    dee = s.counterparts["dee@example.com"]
    assert (dee.sent, dee.received, dee.copied, dee.threads) == (0, 0, 1, 1)
    assert dee.first_contact is None  # only copied: no direct contact
    assert "me@example.com" not in s.counterparts
    assert "me.alias@corp.example" not in s.counterparts
    assert s.messages == 5


def test_cooccurrence_counts_small_threads_only(tmp_path: Path) -> None:
    path = write(tmp_path / "m.mbox", conversation())
    s = summarize_mail(path, OWNER)
    assert s.cooccurrence == {
        ("ana@example.com", "bo@example.com"): 1,
        ("bo@example.com", "dee@example.com"): 1,
    }
    big = summarize_mail(path, OWNER, max_thread_size=8)
    assert big.cooccurrence[("ana@example.com", "p0@example.com")] == 1
    assert big.cooccurrence[("p0@example.com", "p5@example.com")] == 1
    assert len(big.cooccurrence) == 2 + 21


def test_duplicate_copies_count_once(tmp_path: Path) -> None:
    write(tmp_path / "box" / "Inbox.mbox", conversation()[:30])
    write(tmp_path / "box" / "Important.mbox", conversation()[:30])
    s = summarize_mail(tmp_path / "box", OWNER)
    assert s.duplicates == s.messages // 2
    assert s.counterparts["ana@example.com"].received == 1


def test_aggregator_directly() -> None:
    agg = MailAggregator(["ME@x.com"], max_thread_size=3)
    me, ana, bo = Address("me@x.com"), Address("ana@x.com", "Ana"), Address("bo@x.com")
    agg.add(MailHeader("f", 1, me, to=(ana, bo), message_id="1", thread="1"))
    agg.add(MailHeader("f", 5, None, to=(me,), message_id="2", thread="2"))
    s = agg.summary()
    assert s.without_sender == 1
    assert s.cooccurrence == {("ana@x.com", "bo@x.com"): 1}
    assert s.counterparts["ana@x.com"].first_contact is None  # no Date


# -- malformed input -----------------------------------------------------------------------------
GOOD = message(msgid="ok@x")


def _zip(tmp_path: Path, members: dict[str, bytes]) -> Path:
    path = tmp_path / "takeout.zip"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


MALFORMED: list[tuple[str, object, str, int | None]] = [
    # (id, content: lines or bytes, file name, expected line)
    ("not-an-mbox", ["Hello world", "just text"], "x.mbox", 1),
    ("binary-garbage", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x.mbox", 1),
    ("blank-then-text", ["", "", "Dear diary"], "x.mbox", 3),
    (
        "nul-in-second-header",
        [*GOOD, "From x Mon Jan 05 09:00:00 2026", "From: a\x00@x.com"],
        "x.mbox",
        11,
    ),
    ("nul-in-body", [*GOOD[:-2], "body \x00 binary", ""], "x.mbox", 8),
    (
        "nul-in-separator",
        [*GOOD, "From x\x00 Mon Jan 05 09:00:00 2026", "From: a@x.com", ""],
        "x.mbox",
        10,
    ),
    (
        "no-colon-header",
        ["From x Mon Jan 05 09:00:00 2026", "From: a@x.com", "this is not a header", ""],
        "x.mbox",
        3,
    ),
    (
        "continuation-first",
        ["From x Mon Jan 05 09:00:00 2026", "  folded", "From: a@x.com", ""],
        "x.mbox",
        2,
    ),
    ("empty-header-block", ["From x Mon Jan 05 09:00:00 2026", "", "body"], "x.mbox", 2),
    (
        "bad-header-third-message",
        [*GOOD, *GOOD, "From x Mon Jan 05 09:00:00 2026", "From: a@x.com", "Subject", ""],
        "x.mbox",
        21,
    ),
    ("header-name-with-space", ["From x Mon Jan 05 09:00:00 2026", "Bad Name: x", ""], "x.mbox", 2),
    ("eml-empty", b"", "m.eml", 1),
    ("eml-binary", b"\x00\x01\x02\x03", "m.eml", 1),
    ("eml-bad-header", ["From: a@x.com", "garbage line", "", "body"], "m.eml", 2),
    ("eml-only-body", ["", "just a body"], "m.eml", 1),
]


@pytest.mark.parametrize(
    ("content", "name", "line"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_files_raise_with_file_and_line(
    tmp_path: Path, content: object, name: str, line: int | None
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        assert isinstance(content, list)
        write(path, content)
    with pytest.raises(InvalidInput) as err:
        headers(path)
    assert err.value.file == str(path)
    assert err.value.line == line


@pytest.mark.parametrize(
    ("members", "label", "line"),
    [
        ({"Takeout/Mail/readme.txt": b"no mail"}, "takeout.zip", None),
        (
            {"Takeout/Mail/a.mbox": b"From x Mon Jan 05 09:00:00 2026\nnot a header\n"},
            "takeout.zip!Takeout/Mail/a.mbox",
            2,
        ),
        ({"Takeout/Mail/a.mbox": b"PDF-1.4 not mail"}, "takeout.zip!Takeout/Mail/a.mbox", 1),
    ],
    ids=["zip-without-mbox", "zip-member-bad-header", "zip-member-not-mbox"],
)
def test_malformed_zips(
    tmp_path: Path, members: dict[str, bytes], label: str, line: int | None
) -> None:
    path = _zip(tmp_path, members)
    with pytest.raises(InvalidInput) as err:
        headers(path)
    assert (err.value.file, err.value.line) == (label, line)


def test_corrupt_zip_and_missing_paths(tmp_path: Path) -> None:
    corrupt = tmp_path / "broken.zip"
    corrupt.write_bytes(b"PK\x03\x04" + b"\xff" * 50)
    with pytest.raises(InvalidInput) as err:
        headers(corrupt)
    assert (err.value.file, err.value.line) == ("broken.zip", None)
    empty_folder = tmp_path / "empty"
    empty_folder.mkdir()
    (empty_folder / "readme.txt").write_text("x")
    with pytest.raises(InvalidInput) as err:
        headers(empty_folder)
    assert (err.value.file, err.value.line) == (str(empty_folder), None)
    with pytest.raises(InvalidInput) as err:
        headers(tmp_path / "missing.mbox")
    assert err.value.file == str(tmp_path / "missing.mbox")


def test_lenient_mode_records_and_goes_on(tmp_path: Path) -> None:
    lines = [
        *message(msgid="g1@x"),
        "From x Mon Jan 05 09:00:00 2026",
        "From: bo@example.com",
        "not a header",
        "",
        "body \x00 with a NUL",
        "",
        *message(msgid="g2@x"),
    ]
    path = write(tmp_path / "x.mbox", lines)
    skipped: list[SkippedRow] = []
    got = headers(path, skipped=skipped)
    assert [h.message_id for h in got] == ["g1@x", "g2@x"]
    assert [(s.file, s.line) for s in skipped] == [(str(path), 12), (str(path), 14)]
    assert "neither a header field" in skipped[0].reason


def test_empty_mbox_is_no_messages(tmp_path: Path) -> None:
    path = tmp_path / "Empty label.mbox"
    path.write_bytes(b"")
    assert headers(path) == []


# -- privacy -------------------------------------------------------------------------------------
def test_subjects_bodies_and_attachments_never_come_back(tmp_path: Path) -> None:
    tokens = [f"SECRETTOKEN{i}XYZ" for i in range(6)]
    encoded = base64.b64encode(f"attachment {tokens[5]}".encode()).decode()
    lines = [
        *message(subject=tokens[0], body=(tokens[1], f">From {tokens[2]}"), msgid="s1@x"),
        *message(
            sender="me@example.com",
            to="ana@example.com",
            subject=f"=?utf-8?q?{tokens[3]}?=",
            body=(
                "Content-Type: multipart/mixed; boundary=b",
                "",
                "--b",
                f'Content-Disposition: attachment; filename="{tokens[4]}.pdf"',
                "Content-Transfer-Encoding: base64",
                "",
                encoded,
                "--b--",
            ),
            msgid="s2@x",
        ),
    ]
    path = write(tmp_path / "p.mbox", lines)
    skipped: list[SkippedRow] = []
    returned = [
        headers(path, skipped=skipped),
        summarize_mail(path, OWNER),
        list(iter_mbox(io.BytesIO(path.read_bytes()), "p.mbox")),
        skipped,
    ]
    text = repr(returned)
    assert "ana@example.com" in text
    for token in tokens:
        assert token not in text
