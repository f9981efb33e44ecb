"""loaders.personal and the strength model on email, calendar and address-book evidence."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from demo.mail_export import MailContact, mail_contacts, write_mail_export
from graph.errors import InvalidInput
from graph.model import (
    LINKEDIN_FIELDS,
    MAIL_FIELDS,
    Evidence,
    ImportBatch,
    Person,
    overlay_evidence,
)
from graph.store.codec import evidence_from_json, evidence_to_json
from graph.strength import StrengthWeights, estimate_strength
from loaders.base import LOADERS, detect_loader, loader_named
from loaders.options import LoadOptions
from loaders.report import ImportReport
from tests.personal_files import Mbox, event, write_ics

TODAY = date(2026, 11, 1)
NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)
ME = Person("li:maya", "Maya Lindqvist", "Team", email="maya@team.example")


def load(
    kind: str,
    path: Path,
    owner: Person | None = ME,
    existing: tuple[Person, ...] = (),
    **kw: object,
) -> tuple[ImportBatch, ImportReport]:
    options = LoadOptions(owner=owner, existing=existing, now=NOW, **kw)  # type: ignore[arg-type]
    return loader_named(kind).load(path, options)


def ids(batch: ImportBatch) -> set[str]:
    return {p.id for p in batch.people}


def evidence_of(batch: ImportBatch, a: str, b: str) -> Evidence:
    for rel in batch.relationships:
        if {rel.a, rel.b} == {a, b}:
            return rel.evidence[0]
    raise AssertionError(f"no tie {a} - {b}")


# -- strength ---------------------------------------------------------------------------------
def line(e: Evidence) -> tuple[str, ...]:
    return estimate_strength(e, as_of=TODAY).lines


def strength(e: Evidence) -> float:
    return estimate_strength(e, as_of=TODAY).strength


def test_evidence_lines_read_naturally() -> None:
    e = Evidence(
        owner="m",
        emails_ab=20,
        emails_ba=11,
        first_email=NOW - timedelta(days=760),
        last_email=NOW - timedelta(days=21),
        meetings=4,
        small_meetings=4,
        meeting_weight=4.0,
        last_meeting=NOW - timedelta(days=70),
    )
    assert line(e) == (
        "31 emails both ways over 2 years, last 3 weeks ago",
        "4 meetings of ≤ 4 people, last 2 months ago",
    )
    assert line(Evidence(owner="m", address_book=("Maya",))) == ("in Maya's address book",)
    assert line(Evidence(owner="m", address_book=("Maya", "Omar"))) == (
        "in Maya and Omar's address book",
    )
    assert line(
        Evidence(owner="m", threads_together=6, meetings_together=2, together_from=("Maya",))
    ) == ("in 6 email threads and 2 meetings together (from Maya's mail and calendar)",)
    assert line(Evidence(owner="m", threads_together=3, together_from=("Maya",))) == (
        "in 3 email threads together (from Maya's mail)",
    )
    assert line(Evidence(owner="m", emails_ab=5)) == ("5 emails one way",)
    assert line(Evidence(owner="m", meetings=3, small_meetings=1, meeting_weight=1.5)) == (
        "3 meetings (1 of ≤ 4 people)",
    )


def test_reciprocity_recency_and_small_meetings_weigh_most() -> None:
    at = NOW - timedelta(days=20)
    both = Evidence(owner="m", emails_ab=10, emails_ba=10, last_email=at)
    one_way = Evidence(owner="m", emails_ab=20, last_email=at)
    assert strength(both) > strength(one_way)
    old = Evidence(owner="m", emails_ab=10, emails_ba=10, last_email=NOW - timedelta(days=900))
    assert strength(both) > strength(old)
    small = Evidence(owner="m", meetings=3, small_meetings=3, meeting_weight=3.0, last_meeting=at)
    allhands = Evidence(owner="m", meetings=3, meeting_weight=0.01, last_meeting=at)
    assert strength(small) > 0.5
    assert strength(allhands) < 0.15
    # More evidence never lowers strength; a rating still overrides everything.
    more = Evidence(owner="m", emails_ab=10, emails_ba=10, last_email=at, address_book=("M",))
    assert strength(more) > strength(both)
    assert strength(Evidence(owner="m", emails_ab=99, emails_ba=99, rating=0.2)) == 0.2


def test_codec_and_overlay_keep_every_personal_field() -> None:
    e = Evidence(
        owner="m",
        messages_ab=1,
        emails_ab=3,
        first_email=NOW,
        last_meeting=NOW,
        meeting_weight=1.25,
        address_book=("Maya",),
        together_from=("Maya",),
        threads_together=2,
    )
    assert evidence_from_json("m", evidence_to_json(e)) == e
    mail_again = Evidence(owner="m", emails_ab=7)
    kept = overlay_evidence(e, mail_again, MAIL_FIELDS)
    assert (kept.messages_ab, kept.emails_ab, kept.first_email, kept.last_meeting) == (
        1,
        7,
        None,
        NOW,
    )
    assert kept.address_book == ("Maya",) and kept.together_from == ("Maya",)
    linkedin_again = Evidence(owner="m", messages_ab=4)
    kept = overlay_evidence(e, linkedin_again, LINKEDIN_FIELDS)
    assert (kept.messages_ab, kept.emails_ab, kept.meeting_weight) == (4, 3, 1.25)


# -- registry ---------------------------------------------------------------------------------
def test_registered_and_detected(tmp_path: Path) -> None:
    assert [x.name for x in LOADERS][-4:] == ["mbox", "calendar", "vcard", "contacts"]
    box = Mbox()
    box.send("a@x.example", ["b@y.example"], NOW)
    found = detect_loader(box.write(tmp_path / "Inbox"))
    assert found is not None and found.name == "mbox"
    ics = write_ics(tmp_path / "c.ics", [])
    assert (detect := detect_loader(ics)) is not None and detect.name == "calendar"
    (tmp_path / "x.vcf").write_text("BEGIN:VCARD\nVERSION:3.0\nFN:A\nEND:VCARD\n")
    assert (found := detect_loader(tmp_path / "x.vcf")) is not None and found.name == "vcard"
    (tmp_path / "o.csv").write_text("First Name,Last Name,E-mail Address\nA,B,a@b.example\n")
    assert (found := detect_loader(tmp_path / "o.csv")) is not None and found.name == "contacts"


def test_an_owner_is_required(tmp_path: Path) -> None:
    box = Mbox()
    box.send("a@x.example", ["b@y.example"], NOW)
    with pytest.raises(InvalidInput) as err:
        load("mbox", box.write(tmp_path / "m.mbox"), owner=None)
    assert err.value.field == "owner"


# -- mail -------------------------------------------------------------------------------------
def test_lists_and_automated_senders_never_become_people(tmp_path: Path) -> None:
    box = Mbox()
    me = "Maya <maya@team.example>"
    box.send(me, ["Ana <ana@acme.example>"], NOW - timedelta(days=3))
    box.send("Ana <ana@acme.example>", [me], NOW - timedelta(days=2))
    box.send(
        "Weekly <news@lists.example>",
        [me],
        NOW,
        extra=("List-Id: <weekly.lists.example>", "List-Unsubscribe: <mailto:u@lists.example>"),
    )
    box.send("GitHub <notifications@github.example>", [me, "ana@acme.example"], NOW)
    box.send("Robot <no-reply@shop.example>", [me], NOW)
    box.send("Bulk <offers@shop.example>", [me], NOW, extra=("Precedence: bulk",))
    box.send(me, ["Members <team-list@lists.example>"], NOW)  # owner posts to a list...
    box.send(
        "Bo <bo@list.example>",
        ["team-list@lists.example"],
        NOW,
        extra=("List-Id: <team.lists.example>", "List-Post: <mailto:team-list@lists.example>"),
    )
    batch, report = load("mbox", box.write(tmp_path / "m.mbox"))
    assert ids(batch) == {"li:maya", "em:ana@acme.example"}
    assert any("automated or mailing-list messages ignored" in n for n in report.notes)


def test_counts_replies_threads_and_cold_inbound(tmp_path: Path) -> None:
    box = Mbox()
    me = "Maya <maya@team.example>"
    first = box.send(me, ["Ana <ana@acme.example>"], NOW - timedelta(days=400), thread="t1")
    box.send("Ana <ana@acme.example>", [me], NOW - timedelta(days=10), thread="t1", reply_to=first)
    for k in range(3):
        box.send("Recruiter <r@agency.example>", [me], NOW - timedelta(days=k + 1))
    batch, report = load("mbox", box.write(tmp_path / "m.mbox"))
    assert "em:r@agency.example" not in ids(batch)
    assert any("only ever wrote to the owner" in n for n in report.notes)
    e = evidence_of(batch, "li:maya", "em:ana@acme.example")
    # canonical order: em:ana < li:maya, so ab is Ana -> Maya
    assert (e.emails_ab, e.emails_ba, e.email_threads, e.email_replies) == (1, 1, 1, 1)
    # stored naive UTC, like every evidence time
    naive = NOW.replace(tzinfo=None)
    assert e.first_email == naive - timedelta(days=400)
    assert e.last_email == naive - timedelta(days=10)
    assert e.owner == "li:maya" and report.interactions == 2


def test_owner_aliases_and_inferred_address(tmp_path: Path) -> None:
    box = Mbox()
    for k in range(4):
        box.send("Maya <maya@team.example>", ["ana@acme.example"], NOW - timedelta(days=k))
    box.send("Maya <maya.l@gmail.example>", ["bo@globex.example"], NOW)
    box.send("bo@globex.example", ["maya.l@gmail.example"], NOW)
    path = box.write(tmp_path / "m.mbox")
    nameless = Person("li:maya", "Maya Lindqvist", "Team")
    batch, report = load("mbox", path, owner=nameless, aliases=("maya.l@gmail.example",))
    assert ids(batch) == {"li:maya", "em:ana@acme.example", "em:bo@globex.example"}
    assert any("taken to be maya@team.example" in n for n in report.notes)
    owner = next(p for p in batch.people if p.id == "li:maya")
    assert owner.email == "maya@team.example"


def test_identity_by_email_and_careful_name_with_domain(tmp_path: Path) -> None:
    existing = (
        ME,
        Person("li:dana", "Dana Reyes", "Acme Inc."),  # no email: joined by name + domain
        Person("li:kim", "Kim Lee", "Globex", email="kim@globex.example"),  # by email
        Person("li:sam1", "Sam Ortiz", "Initech"),  # two Sams at Initech: ambiguous
        Person("li:sam2", "Sam Ortiz", "Initech, Inc"),
        Person("li:jo", "Jo Park", "Hooli"),  # free mail: never by domain
    )
    box = Mbox()
    me = "maya@team.example"
    for sender in (
        "Dana Reyes <dana@acme.example>",
        "Dana Reyes <dana.reyes@othermail.example>",  # same display name, another address
        "K. Lee <kim@globex.example>",
        "Sam Ortiz <sam@initech.example>",
        "Jo Park <jo.park@gmail.com>",
    ):
        box.send(me, [sender], NOW)
        box.send(sender, [me], NOW)
    batch, report = load("mbox", box.write(tmp_path / "m.mbox"), existing=existing)
    people = {p.id: p for p in batch.people}
    assert set(people) == {
        "li:maya",
        "li:dana",
        "em:dana.reyes@othermail.example",
        "li:kim",
        "em:sam@initech.example",
        "em:jo.park@gmail.com",
    }
    assert people["li:kim"].name == "Kim Lee"  # a header name never renames a known person
    assert people["li:dana"].email == "dana@acme.example"
    reasons = sorted(m.reason for m in batch.merges)
    assert reasons == [
        "same email kim@globex.example",
        "same name 'Dana Reyes' and dana@acme.example's domain names 'Acme Inc.'",
    ]
    assert sum(n.startswith("merged ") for n in report.notes) == 2 == report.merges


def test_cooccurrence_ties_need_repeated_small_threads(tmp_path: Path) -> None:
    box = Mbox()
    me = "maya@team.example"
    for k in range(2):
        box.send(me, ["a@x.example"], NOW, cc=["b@y.example"], thread=f"ab{k}")
    box.send(me, ["a@x.example"], NOW, cc=["c@z.example"], thread="ac")  # only once
    crowd = [f"p{i}@big.example" for i in range(8)]
    for k in range(3):
        box.send(me, ["a@x.example", "d@w.example", *crowd], NOW, thread=f"big{k}")
    batch, _ = load("mbox", box.write(tmp_path / "m.mbox"))
    together = {
        (r.a, r.b): r.evidence[0] for r in batch.relationships if "li:maya" not in (r.a, r.b)
    }
    assert list(together) == [("em:a@x.example", "em:b@y.example")]
    e = together[("em:a@x.example", "em:b@y.example")]
    assert (e.owner, e.threads_together, e.together_from) == ("li:maya", 2, ("Maya",))
    stricter = StrengthWeights(together_min=3)
    batch, _ = load("mbox", tmp_path / "m.mbox", weights=stricter)
    assert all("li:maya" in (r.a, r.b) for r in batch.relationships)


def test_reimport_gives_the_same_batch(tmp_path: Path) -> None:
    box = Mbox()
    box.send("maya@team.example", ["Ana <ana@acme.example>"], NOW, cc=["bo@b.example"])
    box.send("maya@team.example", ["Ana <ana@acme.example>"], NOW, cc=["bo@b.example"])
    path = box.write(tmp_path / "m.mbox")
    first, _ = load("mbox", path)
    second, _ = load("mbox", path, existing=tuple(first.people))
    assert sorted(map(repr, first.relationships)) == sorted(map(repr, second.relationships))
    assert {p.id for p in first.people} == {p.id for p in second.people}


def test_a_malformed_message_refuses_the_import_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "m.mbox"
    path.write_bytes(
        b"From x Mon Jan  5 10:00:00 2026\nFrom: a@x.example\nTo: maya@team.example\n\nhi\n"
        b"From y Mon Jan  5 10:00:00 2026\nFrom: b@x.example\nnot a header line\n\nbody\n"
    )
    with pytest.raises(InvalidInput) as err:
        load("mbox", path)
    assert (err.value.file, err.value.line) == (str(path), 8)


# -- calendar ---------------------------------------------------------------------------------
def test_calendar_small_meetings_make_ties_and_all_hands_do_not(tmp_path: Path) -> None:
    me = "maya@team.example"
    crowd = [f"p{i}@corp.example" for i in range(60)]
    events = [
        event(
            "one",
            NOW - timedelta(days=30),
            me,
            [me, "ana@acme.example"],
            extra=("RRULE:FREQ=WEEKLY;COUNT=4",),
        ),
        event("trio1", NOW - timedelta(days=5), me, [me, "ana@acme.example", "bo@b.example"]),
        event("trio2", NOW - timedelta(days=6), "bo@b.example", [me, "ana@acme.example"]),
        event("all", NOW - timedelta(days=2), "ceo@corp.example", [me, *crowd]),
    ]
    batch, report = load("calendar", write_ics(tmp_path / "c.ics", events))
    assert ids(batch) == {"li:maya", "em:ana@acme.example", "em:bo@b.example"}
    ana = evidence_of(batch, "li:maya", "em:ana@acme.example")
    assert (ana.meetings, ana.small_meetings, ana.meeting_weight) == (6, 6, 6.0)
    together = evidence_of(batch, "em:ana@acme.example", "em:bo@b.example")
    assert (together.meetings_together, together.together_from) == (2, ("Maya",))
    assert any("seen only in large meetings" in n for n in report.notes)


# -- address books ----------------------------------------------------------------------------
def test_vcard_and_csv_cards_are_people_in_the_owners_address_book(tmp_path: Path) -> None:
    vcf = tmp_path / "contacts.vcf"
    vcf.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kim Lee\r\nORG:Globex\r\nTITLE:CTO\r\n"
        "EMAIL;TYPE=work:kim.lee@other.example\r\nEMAIL:kim@globex.example\r\n"
        "TEL;TYPE=cell:+1 555 010 9999\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Maya Lindqvist\r\nEMAIL:maya@team.example\r\n"
        "END:VCARD\r\n"
    )
    known = Person("li:kim", "Kim Lee", "Globex Corp", email="kim@globex.example")
    batch, report = load("vcard", vcf, existing=(ME, known))
    assert ids(batch) == {"li:maya", "li:kim"}  # the owner's own card is no contact
    assert evidence_of(batch, "li:maya", "li:kim").address_book == ("Maya",)
    kim = next(p for p in batch.people if p.id == "li:kim")
    assert (kim.company, kim.position) == ("Globex Corp", "CTO")  # known kept, empty filled
    assert "5550109999" not in repr(batch) and "555 010" not in repr(batch)
    assert report.merges == 1
    csv = tmp_path / "outlook.csv"
    csv.write_text(
        "First Name,Last Name,E-mail Address,Company,Job Title,Mobile Phone\n"
        "Ana,Ames,ana@acme.example,Acme,Engineer,+44 20 7946 0958\n"
    )
    batch, _ = load("contacts", csv)
    ana = next(p for p in batch.people if p.id == "em:ana@acme.example")
    assert (ana.name, ana.company, ana.position) == ("Ana Ames", "Acme", "Engineer")
    assert "7946" not in repr(batch)
    # A card naming a known LinkedIn profile is that person, and renames nobody.
    card = tmp_path / "li.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Bobby\r\nORG:Elsewhere\r\n"
        "URL:https://www.linkedin.com/in/bo-brandt\r\nEND:VCARD\r\n"
    )
    bo = Person("li:bo-brandt", "Bo Brandt", "Acme", url="https://www.linkedin.com/in/bo-brandt")
    batch, report = load("vcard", card, existing=(ME, bo))
    assert [p for p in batch.people if p.id == bo.id] == [bo]
    assert evidence_of(batch, "li:maya", bo.id).address_book == ("Maya",)


# -- demo generator ---------------------------------------------------------------------------
def test_demo_mail_export_imports_with_its_planted_ties(tmp_path: Path) -> None:
    people = [MailContact(f"Person {i}", f"p{i}@co{i % 4}.example") for i in range(30)]
    owner = MailContact("Maya Lindqvist", "maya@team.example")
    m = write_mail_export(owner, people, tmp_path / "maya", now=NOW)
    assert m.messages > 100 and m.events >= 8
    assert write_mail_export(owner, people, tmp_path / "again", now=NOW).mbox.read_bytes() == (
        m.mbox.read_bytes()
    )
    mail_batch, _ = load("mbox", m.mbox)
    cal_batch, _ = load("calendar", m.ics)
    people_ids = ids(mail_batch) | ids(cal_batch)
    for address in (*m.close, *m.circle):
        assert f"em:{address}" in people_ids
    for address in (*m.cold, *m.automated):
        assert f"em:{address}" not in people_ids
    pairs = {(r.a, r.b) for r in mail_batch.relationships}
    for x, y in m.together:
        assert (f"em:{x}", f"em:{y}") in pairs
    closest = evidence_of(mail_batch, "li:maya", f"em:{m.close[0]}")
    assert closest.emails_ab > 10 and closest.emails_ba > 10
    weekly = evidence_of(cal_batch, "li:maya", f"em:{m.close[0]}")
    assert weekly.small_meetings >= 3
    text = repr(mail_batch) + repr(cal_batch)
    assert all(secret not in text for secret in m.secrets)
    with pytest.raises(ValueError, match="at least 12"):
        write_mail_export(owner, people[:5], tmp_path / "few", now=NOW)


def test_demo_contacts_without_email_join_their_linkedin_records(tmp_path: Path) -> None:
    linkedin = [
        Person(
            f"li:p{i}",
            f"Person{i} Sample",
            ("Acme Payments, Inc.", "Globex", "Initech Labs")[i % 3],
            url=f"https://www.linkedin.com/in/p{i}",
        )
        for i in range(14)
    ]
    contacts = mail_contacts((p.name, p.company, p.email) for p in linkedin)
    assert contacts[0].email == "person0.sample@acmepayments.example"
    m = write_mail_export(MailContact("Maya L", ME.email), contacts, tmp_path, now=NOW)
    batch, report = load("mbox", m.mbox, existing=(ME, *linkedin))
    joined = {p.id for p in batch.people} & {p.id for p in linkedin}
    assert len(joined) == 10  # the close contacts and the circle; cold senders get no tie
    assert all("'s domain names '" in m.reason for m in batch.merges)
    assert report.merges == 10


def test_owner_address_falls_back_to_the_first_alias_or_is_refused(tmp_path: Path) -> None:
    box = Mbox()
    for k in range(10):  # nobody sent a fifth of it: no address is trusted to be the owner
        box.send(f"s{k}@x.example", [f"r{k}@y.example"], NOW)
    path = box.write(tmp_path / "m.mbox")
    nameless = Person("li:maya", "Maya Lindqvist", "Team")
    with pytest.raises(InvalidInput) as err:
        load("mbox", path, owner=nameless)
    assert (err.value.field, err.value.file) == ("owner", str(path))
    batch, report = load("mbox", path, owner=nameless, aliases=("R3@y.example",))
    assert "the owner's address is taken to be r3@y.example (the first --alias)" in report.notes
    assert ids(batch) == {"li:maya"}  # the owner only received, and wrote to nobody


def test_takeout_zip_and_eml_folder_give_the_same_ties_as_the_mbox(tmp_path: Path) -> None:
    import zipfile

    box = Mbox()
    first = box.send("Maya <maya@team.example>", ["Ana <ana@acme.example>"], NOW, thread="1")
    box.send("Ana <ana@acme.example>", ["maya@team.example"], NOW, reply_to=first, thread="1")
    mbox = box.write(tmp_path / "All mail Including Spam and Trash.mbox")
    takeout = tmp_path / "takeout.zip"
    with zipfile.ZipFile(takeout, "w") as z:
        z.write(mbox, "Takeout/Mail/All mail Including Spam and Trash.mbox")
    folder = tmp_path / "eml"
    folder.mkdir()
    messages = mbox.read_bytes().decode().split("\r\nFrom x@y ")
    for k, text in enumerate(messages):
        body = text.split("\r\n", 1)[1]  # drop the mbox separator line
        (folder / f"{k}.eml").write_text(body)
    want, _ = load("mbox", mbox)
    for path in (takeout, folder):
        got, _ = load("mbox", path)
        assert got.relationships == want.relationships, path
