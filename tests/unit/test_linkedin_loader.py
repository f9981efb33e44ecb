"""LinkedIn export loading: every format variant, malformed input, zip safety, idempotency."""

from __future__ import annotations

import io
import shutil
import struct
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from graph.errors import InvalidInput
from graph.model import ImportBatch, Person
from loaders import linkedin as li
from loaders.csvsource import decode_text
from loaders.linkedin_export import (
    ExportLimits,
    build_linkedin_batch,
    read_linkedin_export,
)
from loaders.report import ImportReport

DATA = Path(__file__).parents[1] / "data" / "linkedin"
FULL = DATA / "full2023"
MAYA_URL = "https://www.linkedin.com/in/maya-chen"
MAYA = Person("li:maya-chen", "Maya Chen", "Cloudkite", url=MAYA_URL)
ANA = "li:ana-pérez-4b1a2c"
SECRETS = ("SECRET", "spans lines", "Loved your talk", "Money20/20", "Maya is great", "line two")


def text_of(name: str) -> str:
    return decode_text((DATA / name).read_bytes(), name)[0]


def connections(name: str) -> li.Parsed:
    return li.parse_connections(text_of(name), name)


def folder(tmp_path: Path, files: dict[str, str]) -> Path:
    """An export folder holding copies of corpus files under their export names."""
    out = tmp_path / "export"
    out.mkdir(exist_ok=True)
    for export_name, corpus_name in files.items():
        shutil.copy(DATA / corpus_name, out / export_name)
    return out


def build(
    path: Path, owner: Person | None = MAYA, existing: list[Person] | None = None
) -> tuple[ImportBatch, ImportReport]:
    return build_linkedin_batch(read_linkedin_export(path), owner=owner, existing=existing or [])


def skipped(report_or_parsed: ImportReport | li.Parsed) -> list[tuple[int, str | None]]:
    return [(s.line, s.field) for s in report_or_parsed.skipped]


def no_secrets(*objects: object) -> None:
    text = "".join(repr(o) for o in objects)
    for secret in SECRETS:
        assert secret not in text


# -- Connections.csv variants -----------------------------------------------------------------
def test_connections_2023_with_preamble_urls_and_unicode() -> None:
    parsed = connections("connections_2023.csv")
    assert len(parsed.connections) == 6
    ana, bo, grace, li_wei, sam, aleksei = parsed.connections
    assert (ana.url, ana.connected_on, ana.line) == (
        "https://www.linkedin.com/in/ana-pérez-4b1a2c",
        date(2024, 12, 16),
        5,
    )
    assert (bo.company, bo.email) == ("Northwind, Inc.", "bo.brandt@example.com")
    assert (grace.name, grace.position) == ("Grace Hopper, Ph.D.", "Engineer, Principal")
    assert (li_wei.name, li_wei.url) == ("李 伟", "https://www.linkedin.com/in/李伟")
    assert (sam.name, sam.url) == ("Sam 🚀 Lee", "https://www.linkedin.com/in/sam-lee-rocket")
    assert aleksei.url == "https://www.linkedin.com/in/aleksei-smirnov"
    assert skipped(parsed) == [(11, "First Name")]  # a hidden member


def test_connections_2021_without_url_column() -> None:
    parsed = connections("connections_2021.csv")
    assert [(c.name, c.url, c.connected_on) for c in parsed.connections] == [
        ("Chiara Rossi", "", date(2022, 9, 9)),
        ("Dmitri Novak", "", date(2021, 2, 14)),
        ("Esther Okafor", "", date(2020, 6, 30)),
    ]
    assert parsed.skipped == []


def test_connections_2018_without_preamble_and_member_urns() -> None:
    parsed = connections("connections_2018.csv")
    farah, gabriel, hana = parsed.connections
    assert (farah.email, farah.connected_on, farah.line) == ("", date(2018, 1, 8), 2)
    assert gabriel.email == "gabriel@moreau.example"
    assert hana.connected_on == date(2016, 3, 5)


def test_excel_bom_and_short_dates() -> None:
    data = (DATA / "connections_excel_bom.csv").read_bytes()
    text, encoding = decode_text(data, "c.csv")
    assert encoding == "utf-8-sig"
    parsed = li.parse_connections(text, "c.csv")
    assert [c.connected_on for c in parsed.connections] == [date(2022, 9, 9), date(2021, 2, 28)]
    assert skipped(parsed) == [(7, "First Name")]
    assert parsed.notes == ["c.csv: 1 connections hide their names and were not imported"]


def test_excel_cp1252_is_decoded_and_reported(tmp_path: Path) -> None:
    text, encoding = decode_text((DATA / "connections_excel_cp1252.csv").read_bytes(), "c.csv")
    assert encoding == "cp1252"
    parsed = li.parse_connections(text, "c.csv")
    assert [(c.name, c.position) for c in parsed.connections] == [
        ("Lucía Álvarez", "Directora"),
        ("Björn Müller", "Ingenieur – Zahlungen"),
    ]
    _batch, report = build(folder(tmp_path, {"Connections.csv": "connections_excel_cp1252.csv"}))
    assert any("decoded as cp1252" in n for n in report.notes)


# -- messages, invitations, endorsements, recommendations, owner files ---------------------------
def test_messages_2018_direction_column_html_entities() -> None:
    contacts: li.Contacts = {}
    parsed = li.parse_messages(
        text_of("messages_2018.csv"),
        "m.csv",
        owner_name="Maya Chen",
        owner_url="",
        contacts=contacts,
    )
    farah = contacts["name:farah haddad"]
    assert (farah.sent, farah.received) == (2, 1)
    assert (farah.first, farah.last) == (datetime(2018, 2, 1, 10), datetime(2018, 3, 15, 9))
    assert (contacts["name:gabriel moreau"].received, len(contacts)) == (1, 2)  # InMail dropped
    assert parsed.counted == 4
    assert parsed.notes == ["m.csv: 1 sponsored/InMail messages are not personal contact"]
    no_secrets(parsed, contacts)


def test_messages_2022_links_sent_rows_through_the_conversation() -> None:
    contacts: li.Contacts = {}
    li.parse_messages(
        text_of("messages_2022.csv"),
        "m.csv",
        owner_name="Maya Chen",
        owner_url=MAYA_URL,
        contacts=contacts,
    )
    bo = contacts["https://www.linkedin.com/in/bo-brandt"]
    assert (bo.sent, bo.received, bo.last) == (2, 1, datetime(2022, 6, 11, 14))
    assert contacts["https://www.linkedin.com/in/zoe-stranger"].received == 1
    assert set(contacts) == {
        "https://www.linkedin.com/in/bo-brandt",
        "https://www.linkedin.com/in/zoe-stranger",
    }  # the sponsored sender without a profile URL is nobody
    no_secrets(contacts)


def test_messages_2025_drafts_groups_sponsored_inmail() -> None:
    contacts: li.Contacts = {}
    parsed = li.parse_messages(
        text_of("messages_2025.csv"),
        "m.csv",
        owner_name="Maya Chen",
        owner_url=MAYA_URL,
        contacts=contacts,
    )
    ana = contacts["https://www.linkedin.com/in/ana-pérez-4b1a2c"]
    assert (ana.sent, ana.received) == (1, 1)  # the draft is not a message
    assert contacts["https://www.linkedin.com/in/bo-brandt"].sent == 1
    assert contacts["https://www.linkedin.com/in/grace-hopper-phd"].sent == 1
    assert len(contacts) == 3
    assert parsed.rows == 6
    assert parsed.notes == [
        "m.csv: 2 sponsored/InMail messages are not personal contact",
        "m.csv: 1 unsent drafts ignored",
    ]
    no_secrets(parsed, contacts)


@pytest.mark.parametrize("name", ["invitations_old.csv", "invitations_new.csv"])
def test_invitations_keep_only_the_note_flag(name: str) -> None:
    contacts: li.Contacts = {}
    parsed = li.parse_invitations(
        text_of(name), name, owner_name="Maya Chen", owner_url=MAYA_URL, contacts=contacts
    )
    flags = {c.name: c.invited_with_note for c in contacts.values()}
    if name == "invitations_old.csv":
        assert flags == {"Chiara Rossi": True, "Dmitri Novak": False}
    else:
        assert flags == {"Ana Pérez": True, "Bo Brandt": False, "Nina Outsider": False}
        assert "https://www.linkedin.com/in/ana-pérez-4b1a2c" in contacts
    assert parsed.skipped == []
    no_secrets(parsed, contacts)


def test_endorsements_recommendations_profile_positions_education() -> None:
    contacts: li.Contacts = {}

    def read(name: str) -> str:
        return (FULL / name).read_text(encoding="utf-8")

    li.parse_endorsements(
        read("Endorsement_Received_Info.csv"), "r", received=True, contacts=contacts
    )
    li.parse_endorsements(
        read("Endorsement_Given_Info.csv"), "g", received=False, contacts=contacts
    )
    li.parse_recommendations(read("Recommendations_Received.csv"), "rr", contacts=contacts)
    li.parse_recommendations(read("Recommendations_Given.csv"), "rg", contacts=contacts)
    assert contacts["https://www.linkedin.com/in/ana-pérez-4b1a2c"].endorsements == 2
    assert contacts["https://www.linkedin.com/in/bo-brandt"].endorsements == 1  # one rejected
    assert contacts["name:grace hopper, ph.d."].recommendations == 1
    assert contacts["name:sam 🚀 lee"].recommendations == 1
    no_secrets(contacts)
    profile = li.parse_profile(read("Profile.csv"), "Profile.csv")
    assert (profile.name, profile.url) == ("Maya Chen", MAYA_URL)
    assert [(p.company, p.current) for p in li.parse_positions(read("Positions.csv"), "p")] == [
        ("Cloudkite", True),
        ("Acme  payments", False),
    ]
    assert li.parse_education(read("Education.csv"), "e") == ["Technische Universität Berlin"]


def test_profile_with_a_profile_url_column() -> None:
    text = "First Name,Last Name,Public Profile URL\nBo,Brandt,linkedin.com/in/Bo-Brandt/\n"
    assert li.parse_profile(text, "Profile.csv").url == "https://www.linkedin.com/in/bo-brandt"


# -- the full export: batch, evidence, provenance -------------------------------------------
def test_full_2023_export_builds_exact_batch() -> None:
    batch, report = build(FULL, owner=None)
    assert [p.id for p in batch.people] == [
        "li:maya-chen",
        ANA,
        "li:bo-brandt",
        "li:grace-hopper-phd",
        "li:李伟",
        "li:sam-lee-rocket",
        "li:aleksei-smirnov",
    ]
    owner = batch.people[0]
    assert owner.employers == ("Cloudkite", "Acme  payments")
    assert owner.schools == ("Technische Universität Berlin",)
    assert [m.person_id for m in batch.members] == ["li:maya-chen"]
    assert (report.people, report.relationships, report.interactions, report.merges) == (7, 6, 6, 0)
    assert [(s.line, s.field, s.reason) for s in report.skipped] == [
        (11, "First Name", "hidden member (no name shared): not imported")
    ]
    assert report.skipped[0].file.endswith("Connections.csv")
    ev = {(r.a, r.b): r.evidence for r in batch.relationships}
    assert all(len(e) == 1 and e[0].owner == "li:maya-chen" for e in ev.values())
    ana = ev[(ANA, "li:maya-chen")][0]  # Ana sorts first: ab = Ana -> Maya
    assert (ana.messages_ab, ana.messages_ba, ana.invited_with_note, ana.endorsements) == (
        1,
        1,
        True,
        2,
    )
    assert ana.connected_on == date(2024, 12, 16)
    assert (ana.first_contact, ana.last_contact) == (
        datetime(2024, 12, 16, 9, 15),
        datetime(2025, 11, 18, 8),
    )
    assert ana.shared_employers == ("Acme  payments",)
    bo = ev[("li:bo-brandt", "li:maya-chen")][0]
    assert (bo.messages_ab, bo.messages_ba, bo.invited_with_note, bo.endorsements) == (
        0,
        1,
        False,
        1,
    )
    sam = ev[("li:maya-chen", "li:sam-lee-rocket")][0]  # Maya sorts first
    assert (sam.recommendations, sam.messages_ab, sam.invited_with_note) == (1, 0, None)
    grace = ev[("li:grace-hopper-phd", "li:maya-chen")][0]
    assert (grace.shared_employers, grace.recommendations) == (("Cloudkite",), 1)
    no_secrets(batch, report)


def test_zip_in_a_subfolder_with_odd_case_equals_the_folder(tmp_path: Path) -> None:
    archive = tmp_path / "Basic_LinkedInDataExport.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(FULL.iterdir()):
            z.write(f, f"Basic_LinkedInDataExport_11-17-2025/{f.name.upper()}")
    from_zip, zip_report = build(archive, owner=None)
    from_folder, folder_report = build(FULL, owner=None)
    assert from_zip.people == from_folder.people
    assert from_zip.relationships == from_folder.relationships
    assert zip_report.skipped[0].file == (
        "Basic_LinkedInDataExport.zip!Basic_LinkedInDataExport_11-17-2025/CONNECTIONS.CSV"
    )
    assert (zip_report.people, zip_report.interactions) == (
        folder_report.people,
        folder_report.interactions,
    )


def test_rebuilding_is_idempotent() -> None:
    first, _ = build(FULL, owner=None)
    second, report = build(FULL, owner=None, existing=first.people)
    assert [p.id for p in second.people] == [p.id for p in first.people]
    assert second.people == first.people
    assert second.relationships == first.relationships
    assert report.merges == 0


def test_old_export_matches_counterparts_by_name(tmp_path: Path) -> None:
    path = folder(
        tmp_path,
        {
            "Connections.csv": "connections_2018.csv",
            "Messages.csv": "messages_2018.csv",
            "Invitations.csv": "invitations_old.csv",
        },
    )
    maya = Person("nm:maya", "Maya Chen", "Cloudkite")
    batch, report = build(path, owner=maya)
    farah = next(p for p in batch.people if p.name == "Farah Haddad")
    assert farah.id.startswith("nm:") and farah.email == ""
    rel = next(r for r in batch.relationships if farah.id in (r.a, r.b))
    e = rel.evidence[0]
    to_farah = e.messages_ab if rel.a == "nm:maya" else e.messages_ba
    assert to_farah == 2
    assert e.messages_ab + e.messages_ba == 3
    gabriel = next(p for p in batch.people if p.name == "Gabriel Moreau")
    assert gabriel.id == "em:gabriel@moreau.example"
    assert (report.relationships, report.interactions) == (3, 4)
    # Chiara and Dmitri invited, but are not connections and never wrote both ways.
    assert any("did not write both ways" in n for n in report.notes)


def test_message_counterparts_both_ways_become_relationships(tmp_path: Path) -> None:
    path = folder(
        tmp_path, {"Connections.csv": "connections_2021.csv", "messages.csv": "messages_2022.csv"}
    )
    batch, report = build(path)
    ids = {p.id for p in batch.people}
    assert "li:bo-brandt" in ids  # wrote both ways
    assert "li:zoe-stranger" not in ids  # only wrote once
    assert report.relationships == 4
    assert "1 people who are not connections exchanged messages both ways" in " ".join(report.notes)


def test_self_connection_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "Connections.csv").write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Maya,Chen,https://www.linkedin.com/in/Maya-Chen/,,Cloudkite,CEO,16 Dec 2024\n"
        "Bo,Brandt,https://www.linkedin.com/in/bo-brandt,,Beta,CTO,16 Dec 2024\n",
        encoding="utf-8",
    )
    _batch, report = build(tmp_path / "Connections.csv")
    assert [(s.line, s.field, s.reason) for s in report.skipped] == [
        (2, "URL", "self-connection: the owner")
    ]
    assert report.relationships == 1


def test_same_person_in_two_exports_merges_across_owners(tmp_path: Path) -> None:
    team, _ = build(FULL, owner=None)
    (tmp_path / "Connections.csv").write_text(
        "First Name,Last Name,Email Address,Company,Position,Connected On\n"
        "Ana,Perez,,ACME Payments Inc.,Head of Payments,01 Jan 2020\n",
        encoding="utf-8",
    )
    priya = Person("li:priya", "Priya Raman", "Cloudkite", url="https://www.linkedin.com/in/priya")
    batch, report = build(tmp_path / "Connections.csv", owner=priya, existing=team.people)
    assert report.merges == 1
    assert batch.merges[0].kept == ANA
    assert batch.merges[0].reason.startswith(
        "name+company match 'Ana Perez' @ 'ACME Payments Inc.'"
    )
    assert (
        batch.relationships[0].a == ANA and batch.relationships[0].evidence[0].owner == "li:priya"
    )


def test_progress_is_cumulative(tmp_path: Path) -> None:
    lines = ["First Name,Last Name,Email Address,Company,Position,Connected On"]
    lines += [f"P{i},Q{i},,Acme,Eng,16 Dec 2024" for i in range(12_000)]
    (tmp_path / "Connections.csv").write_text("\n".join(lines), encoding="utf-8")
    seen: list[int] = []
    export = read_linkedin_export(tmp_path / "Connections.csv")
    _b, report = build_linkedin_batch(export, owner=MAYA, existing=[], progress=seen.append)
    assert seen == [5000, 10000, 12000]
    assert report.relationships == 12_000


# -- malformed input: file-level errors ----------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "line", "field", "message"),
    [
        ("wrong_header.csv", 1, "first name", "no header row"),
        ("missing_header.csv", 1, "first name", "no header row"),
        ("missing_column.csv", 1, "connected on", "no header row"),
        ("profile_as_connections.csv", 1, "connected on", "no header row"),
        ("bad_encoding.csv", 2, None, "neither UTF-8 nor Windows-1252"),
        ("binary_junk.csv", 1, None, "binary file"),
        ("control_junk.csv", 1, None, "binary file"),
        ("empty.csv", 1, None, "empty"),
        ("whitespace_only.csv", 1, None, "empty"),
        ("header_only.csv", 4, None, "no connection rows"),
        ("unclosed_quote.csv", 5, None, "a quote is never closed"),
        ("stray_quote.csv", 5, None, "malformed CSV"),
    ],
)
def test_file_level_problems_name_file_line_field(
    tmp_path: Path, name: str, line: int, field: str | None, message: str
) -> None:
    path = folder(tmp_path, {"Connections.csv": f"bad/{name}"})
    with pytest.raises(InvalidInput) as err:
        build(path)
    assert err.value.file is not None and err.value.file.endswith("Connections.csv")
    assert (err.value.line, err.value.field) == (line, field)
    assert message in err.value.message


@pytest.mark.parametrize(
    ("files", "field", "message"),
    [
        ({"messages.csv": "bad/messages_wrong_header.csv"}, "from", "no header row"),
        ({"Profile.csv": "bad/profile_no_name.csv"}, "First Name", "no name"),
        ({"Profile.csv": "bad/profile_no_row.csv"}, None, "no data row"),
    ],
)
def test_other_files_fail_the_import_with_their_name(
    tmp_path: Path, files: dict[str, str], field: str | None, message: str
) -> None:
    path = folder(tmp_path, {"Connections.csv": "connections_2021.csv", **files})
    with pytest.raises(InvalidInput) as err:
        build(path, owner=None if "Profile.csv" in files else MAYA)
    assert err.value.file is not None and err.value.file.endswith(next(iter(files)))
    assert err.value.field == field
    assert message in err.value.message


def test_no_owner_anywhere_is_an_error(tmp_path: Path) -> None:
    path = folder(tmp_path, {"Connections.csv": "connections_2021.csv"})
    with pytest.raises(InvalidInput, match=r"no Profile\.csv; pass --owner") as err:
        build(path, owner=None)
    assert err.value.field == "owner"


# -- malformed input: row-level problems are skipped and reported ------------------------------
@pytest.mark.parametrize(
    ("name", "kept", "expected"),
    [
        ("ragged_short.csv", 1, [(6, "Email Address")]),
        ("ragged_long.csv", 1, [(5, None)]),
        ("bad_date.csv", 1, [(5, "Connected On"), (6, "Connected On")]),
        ("duplicate_rows.csv", 2, [(7, None), (8, None)]),
        ("hidden_members.csv", 1, [(5, "First Name"), (7, "First Name"), (8, "First Name")]),
        ("non_linkedin_url.csv", 1, [(5, "URL"), (6, "URL")]),
        ("multiline_then_bad.csv", 1, [(8, "Connected On")]),
    ],
)
def test_row_level_problems(name: str, kept: int, expected: list[tuple[int, str | None]]) -> None:
    parsed = connections(f"bad/{name}")
    assert len(parsed.connections) == kept
    assert skipped(parsed) == expected
    assert all(s.file == f"bad/{name}" for s in parsed.skipped)


def test_duplicates_name_the_first_line() -> None:
    reasons = [s.reason for s in connections("bad/duplicate_rows.csv").skipped]
    assert reasons == ["duplicate of line 5", "duplicate of line 5"]


def test_multiline_fields_keep_physical_line_numbers() -> None:
    (ana,) = connections("bad/multiline_then_bad.csv").connections
    assert (ana.line, ana.position) == (5, "Head of\r\nPayments\r\nEMEA")


def test_bad_message_and_invitation_rows(tmp_path: Path) -> None:
    contacts: li.Contacts = {}
    m = li.parse_messages(
        text_of("bad/messages_bad_rows.csv"),
        "m",
        owner_name="Maya Chen",
        owner_url=MAYA_URL,
        contacts=contacts,
    )
    assert skipped(m) == [(2, "DATE"), (3, "TO")]
    assert contacts["https://www.linkedin.com/in/bo-brandt"].received == 1
    d = li.parse_messages(
        text_of("bad/messages_bad_direction.csv"),
        "d",
        owner_name="Maya Chen",
        owner_url="",
        contacts={},
    )
    assert skipped(d) == [(2, "Direction")]
    i = li.parse_invitations(
        text_of("bad/invitations_bad_rows.csv"),
        "i",
        owner_name="Maya Chen",
        owner_url="",
        contacts={},
    )
    assert skipped(i) == [(2, "Sent At"), (3, "To")]
    path = folder(
        tmp_path,
        {"Connections.csv": "connections_2021.csv", "messages.csv": "bad/messages_bad_rows.csv"},
    )
    _batch, report = build(path)
    assert [(s.file.rsplit("/", 1)[-1], s.line, s.field) for s in report.skipped] == [
        ("messages.csv", 2, "DATE"),
        ("messages.csv", 3, "TO"),
    ]


# -- archives and files on disk ----------------------------------------------------------------
def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


CONNECTIONS = (DATA / "connections_2021.csv").read_bytes()


def test_zip_without_connections_names_the_zip(tmp_path: Path) -> None:
    z = make_zip(
        tmp_path / "export.zip", {"messages.csv": (DATA / "messages_2022.csv").read_bytes()}
    )
    with pytest.raises(InvalidInput, match=r"export\.zip has no Connections\.csv") as err:
        read_linkedin_export(z)
    assert (err.value.file, err.value.field) == (str(z), "Connections.csv")


def test_zip_bomb_is_refused_while_streaming(tmp_path: Path) -> None:
    z = make_zip(
        tmp_path / "bomb.zip", {"Connections.csv": CONNECTIONS + b"\n" * (64 * 1024 * 1024)}
    )
    assert z.stat().st_size < 1024 * 1024
    with pytest.raises(InvalidInput, match="zip bomb") as err:
        read_linkedin_export(z)
    assert (err.value.file, err.value.field) == ("bomb.zip", "Connections.csv")


@pytest.mark.parametrize(
    "member",
    [
        "../Connections.csv",
        "/etc/Connections.csv",
        "a/../../x.csv",
        "C:/x/Connections.csv",
        "..\\evil.csv",
    ],
)
def test_path_escapes_refuse_the_whole_archive(tmp_path: Path, member: str) -> None:
    z = make_zip(tmp_path / "evil.zip", {"Connections.csv": CONNECTIONS, member: b"x"})
    with pytest.raises(InvalidInput, match="unsafe path") as err:
        read_linkedin_export(z)
    assert err.value.field == member


def test_truncated_and_fake_zips(tmp_path: Path) -> None:
    good = make_zip(tmp_path / "good.zip", {"Connections.csv": CONNECTIONS * 50})
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(InvalidInput, match="not a readable zip") as err:
        read_linkedin_export(truncated)
    assert err.value.file == "truncated.zip"
    fake = tmp_path / "fake.zip"
    fake.write_text("this is not a zip", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not a readable zip"):
        read_linkedin_export(fake)


def test_lying_size_headers_are_not_trusted(tmp_path: Path) -> None:
    data = CONNECTIONS * 200
    z = make_zip(tmp_path / "liar.zip", {"Connections.csv": data})
    raw = bytearray(z.read_bytes())
    # Claim 10 bytes uncompressed in the local header and central directory.
    raw[22:26] = struct.pack("<I", 10)
    central = raw.find(b"PK\x01\x02")
    raw[central + 24 : central + 28] = struct.pack("<I", 10)
    z.write_bytes(bytes(raw))
    with pytest.raises(InvalidInput, match="corrupt or unreadable") as err:
        read_linkedin_export(z)
    assert err.value.field == "Connections.csv"


def test_size_limits(tmp_path: Path) -> None:
    z = make_zip(tmp_path / "big.zip", {"Connections.csv": CONNECTIONS})
    with pytest.raises(InvalidInput, match="too large"):
        read_linkedin_export(z, limits=ExportLimits(max_file_bytes=100))
    with pytest.raises(InvalidInput, match="would expand to"):
        read_linkedin_export(z, limits=ExportLimits(max_total_bytes=100))
    lone = folder(tmp_path, {"Connections.csv": "connections_2021.csv"}) / "Connections.csv"
    with pytest.raises(InvalidInput, match="larger than 100 bytes") as err:
        read_linkedin_export(lone, limits=ExportLimits(max_file_bytes=100))
    assert err.value.file == str(lone)
    with pytest.raises(InvalidInput, match="larger than 100 bytes"):
        read_linkedin_export(lone.parent, limits=ExportLimits(max_file_bytes=100))
    many = make_zip(tmp_path / "many.zip", {f"f{i}.txt": b"" for i in range(30)})
    with pytest.raises(InvalidInput, match="30 members"):
        read_linkedin_export(many, limits=ExportLimits(max_members=20))


def test_missing_path_and_lone_non_connections_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        read_linkedin_export(tmp_path / "nope")
    messages = folder(tmp_path, {"messages.csv": "messages_2022.csv"}) / "messages.csv"
    with pytest.raises(InvalidInput, match=r"has no Connections\.csv"):
        read_linkedin_export(messages)


def test_a_renamed_lone_connections_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "my-network.csv"
    path.write_bytes((DATA / "connections_2018.csv").read_bytes())
    _batch, report = build(path)
    assert (report.people, report.relationships) == (4, 3)


def test_export_repr_never_shows_file_text() -> None:
    export = read_linkedin_export(FULL)
    no_secrets(export)
    assert "SECRET" in export.files["messages"].text  # still there for the parsers
    buf = io.StringIO(repr(export.files))
    assert "text=" not in buf.getvalue()
