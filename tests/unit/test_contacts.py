"""loaders.contacts: vCard 2.1/3.0/4.0, Google and Outlook CSV, phone hashing, malformed files.

Every file is generated here in tmp_path; no binary fixtures.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from graph.errors import InvalidInput
from loaders.contacts import (
    ContactCard,
    detect_csv_flavour,
    hash_phone,
    iter_contacts,
    normalize_phone,
    parse_contacts_csv,
    parse_vcards,
)
from loaders.report import SkippedRow

SALT = "workspace-secret"


def write(path: Path, lines: list[str], eol: str = "\r\n", encoding: str = "utf-8") -> Path:
    path.write_bytes((eol.join(lines) + eol).encode(encoding))
    return path


def cards(path: Path, skipped: list[SkippedRow] | None = None) -> list[ContactCard]:
    return list(iter_contacts(path, salt=SALT, skipped=skipped))


def phone(number: str) -> str:
    return hash_phone(number, salt=SALT)


# -- vCard ---------------------------------------------------------------------------------------
VCARD_30 = [
    "BEGIN:VCARD",
    "VERSION:3.0",
    "PRODID:-//Apple Inc.//iPhone OS 17.0//EN",
    "N:Pérez;Ana;María;;",
    "FN:Ana María Pérez",
    "ORG:Acme\\, Inc.;Payments",
    "TITLE:Head of Payments",
    "item1.EMAIL;type=INTERNET;type=pref:Ana@Acme.example",
    "item1.X-ABLabel:_$!<Other>!$_",
    "EMAIL;TYPE=INTERNET,HOME:ana.perez@gmail.example",
    "EMAIL;TYPE=INTERNET:ana@acme.example",
    "TEL;type=CELL;type=VOICE;type=pref:+44 7700 900123",
    "TEL;TYPE=WORK:(020) 7946-0958 ext. 4",
    "item2.URL;type=pref:https://www.linkedin.com/in/ana-perez-12/",
    "item2.X-ABLabel:LinkedIn",
    "NOTE:met at the conference\\, owes me a coffee",
    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD",
    " /2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcp",
    "END:VCARD",
    "BEGIN:VCARD",
    "VERSION:3.0",
    "FN:Bo Lee",
    "EMAIL:bo@example.com",
    "X-SOCIALPROFILE;type=linkedin;x-user=bolee:http://linkedin.com/in/BoLee",
    "END:VCARD",
]

VCARD_40 = [
    "BEGIN:VCARD",
    "VERSION:4.0",
    "FN:Chen Wei",
    "N:Wei;Chen;;;",
    "EMAIL;TYPE=work;PREF=1:chen.wei@initech.example",
    'TEL;VALUE=uri;TYPE="voice,cell":tel:+1-555-010-9999',
    "ORG:Initech",
    "TITLE:CTO with a very long title that is folded onto the next",
    "  line by the exporter",
    "URL:https://example.com/chen",
    "END:VCARD",
]

VCARD_21 = [
    "BEGIN:VCARD",
    "VERSION:2.1",
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;",
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller =",
    "(Vertrieb)",
    "TEL;CELL;PREF:0049 171 1234567",
    "EMAIL;INTERNET:juergen@example.de",
    "ORG;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller GmbH",
    "END:VCARD",
]


def test_vcard_30_apple_export(tmp_path: Path) -> None:
    ana, bo = cards(write(tmp_path / "contacts.vcf", VCARD_30))
    assert ana == ContactCard(
        file=str(tmp_path / "contacts.vcf"),
        line=1,
        name="Ana María Pérez",
        emails=("ana@acme.example", "ana.perez@gmail.example"),
        phone_hashes=(phone("+447700900123"), phone("02079460958")),
        organisation="Acme, Inc.",
        title="Head of Payments",
        linkedin_url="https://www.linkedin.com/in/ana-perez-12",
    )
    assert (bo.line, bo.linkedin_url) == (20, "https://www.linkedin.com/in/bolee")


def test_vcard_40_and_folding(tmp_path: Path) -> None:
    (chen,) = cards(write(tmp_path / "c.vcf", VCARD_40, eol="\n"))
    assert chen.name == "Chen Wei"
    assert chen.emails == ("chen.wei@initech.example",)
    assert chen.phone_hashes == (phone("+15550109999"),)
    assert (
        chen.title == "CTO with a very long title that is folded onto the next line by the exporter"
    )
    assert chen.linkedin_url == ""


def test_vcard_21_quoted_printable(tmp_path: Path) -> None:
    (j,) = cards(write(tmp_path / "old.vcf", VCARD_21))
    assert j.name == "Jürgen Müller (Vertrieb)"
    assert j.organisation == "Müller GmbH"
    assert j.phone_hashes == (phone("+491711234567"),)


def test_name_falls_back_to_n_and_phones_match_across_formats(tmp_path: Path) -> None:
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "N:Okafor;Dana;;Dr.;",
        "TEL:+1 (555) 010-9999",
        "END:VCARD",
    ]
    (dana,) = cards(write(tmp_path / "d.vcf", lines))
    assert dana.name == "Dana Okafor"
    (chen,) = cards(write(tmp_path / "c.vcf", VCARD_40))
    assert dana.phone_hashes == chen.phone_hashes  # same number, different spelling
    assert hash_phone("+1 555 010 9999", salt="other") not in dana.phone_hashes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+44 (0)20 7946 0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
        ("+1-555-010-9999 x12", "+15550109999"),
        ("+1.555.010.9999;ext=9", "+15550109999"),
        ("tel:+33-1-23-45-67-89", "+33123456789"),
        ("555-0100", "5550100"),
        ("n/a", ""),
        ("+1 555", ""),
        ("+12345678901234567", ""),
    ],
)
def test_normalize_phone(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


def test_default_country_code() -> None:
    assert normalize_phone("020 7946 0958", default_country_code="44") == "+442079460958"
    assert hash_phone("020 7946 0958", salt=SALT, default_country_code="+44") == phone(
        "+442079460958"
    )


# -- CSV -----------------------------------------------------------------------------------------
GOOGLE_LEGACY = [
    "Name,Given Name,Additional Name,Family Name,Nickname,Birthday,Notes,Group Membership,"
    "E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Type,E-mail 2 - Value,Phone 1 - Type,"
    "Phone 1 - Value,Organization 1 - Type,Organization 1 - Name,Organization 1 - Title,"
    "Website 1 - Type,Website 1 - Value",
    "Ana Pérez,Ana,,Pérez,,,secret note,* myContacts,* Work,ana@acme.example ::: Ana@Home.example,"
    "Home,ana@home.example,Mobile,+44 7700 900123 ::: +44 20 7946 0958,,Acme,Head of Payments,"
    "Profile,https://www.linkedin.com/in/ana-perez-12",
    ",,,,,,,,,,,,,,,,,,",
    '"Lee, Bo",Bo,,Lee,,,"multi\nline note",* myContacts,,bo@example.com,,,,,,,,,',
]

GOOGLE_NEW = [
    "First Name,Middle Name,Last Name,Phonetic First Name,Nickname,File As,Organization Name,"
    "Organization Title,Organization Department,Birthday,Notes,Labels,E-mail 1 - Label,"
    "E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,"
    "Website 1 - Label,Website 1 - Value",
    "Chen,,Wei,,,,Initech,CTO,,,,* myContacts,* Work,chen.wei@initech.example ::: chen@home.example,"
    ",,Mobile,+1 555 010 9999,LinkedIn,linkedin.com/in/chenwei",
]

OUTLOOK = [
    "First Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Surname Yomi,"
    "E-mail Address,E-mail 2 Address,E-mail 3 Address,Home Phone,Home Phone 2,Business Phone,"
    "Business Phone 2,Mobile Phone,Car Phone,Other Phone,Primary Phone,Pager,Business Fax,"
    "Home Fax,Other Fax,Company Main Phone,Callback,Radio Phone,Telex,TTY/TDD Phone,IMAddress,"
    "Job Title,Department,Company,Office Location,Manager's Name,Assistant's Name,"
    "Assistant's Phone,Company Yomi,Business Street,Business City,Business State,"
    "Business Postal Code,Business Country/Region,Home Street,Web Page,Notes",
    "Dana,,Okafor,Dr.,,,,,dana@globex.example,/o=ExchangeLabs/ou=Exchange/cn=Recipients/cn=dana,"
    ",,,+1 555 010 7777,,+1 555 010 8888,,,,,+1 555 010 0000,,,,,,,,,Partner,Legal,Globex,,,,,,"
    ",,,,,,https://www.linkedin.com/in/dana-okafor,notes",
]


def test_csv_flavours() -> None:
    assert detect_csv_flavour(GOOGLE_LEGACY[0].split(",")) == "google-legacy"
    assert detect_csv_flavour(GOOGLE_NEW[0].split(",")) == "google"
    assert detect_csv_flavour(OUTLOOK[0].split(",")) == "outlook"


def test_google_legacy_csv(tmp_path: Path) -> None:
    path = write(tmp_path / "google.csv", GOOGLE_LEGACY)
    ana, bo = cards(path)
    assert ana.line == 2 and bo.line == 4  # the blank row is skipped
    assert ana.name == "Ana Pérez"
    assert ana.emails == ("ana@acme.example", "ana@home.example")
    assert ana.phone_hashes == (phone("+447700900123"), phone("+442079460958"))
    assert (ana.organisation, ana.title) == ("Acme", "Head of Payments")
    assert ana.linkedin_url == "https://www.linkedin.com/in/ana-perez-12"
    assert bo.name == "Lee, Bo"


def test_google_new_csv_with_bom_and_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_bytes(b"\xef\xbb\xbf" + ("\r\n".join(GOOGLE_NEW) + "\r\n").encode())
    (chen,) = cards(path)
    assert chen.name == "Chen Wei"
    assert chen.emails == ("chen.wei@initech.example", "chen@home.example")
    assert chen.linkedin_url == "https://www.linkedin.com/in/chenwei"
    assert (chen.organisation, chen.title) == ("Initech", "CTO")
    legacy = write(tmp_path / "excel.csv", GOOGLE_LEGACY, encoding="cp1252")
    assert cards(legacy)[0].name == "Ana Pérez"


def test_outlook_csv(tmp_path: Path) -> None:
    (dana,) = cards(write(tmp_path / "outlook.csv", OUTLOOK))
    assert dana.name == "Dana Okafor"  # "Title" (Dr.) is an honorific, not the job
    assert dana.emails == ("dana@globex.example",)  # the Exchange DN is not an address
    assert dana.phone_hashes == (phone("+15550107777"), phone("+15550108888"))  # no fax
    assert (dana.organisation, dana.title) == ("Globex", "Partner")
    assert dana.linkedin_url == "https://www.linkedin.com/in/dana-okafor"


def test_folder_and_zip(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    folder.mkdir()
    write(folder / "a.vcf", VCARD_40)
    write(folder / "b.csv", OUTLOOK)
    (folder / "readme.txt").write_text("ignored")
    assert [c.name for c in cards(folder)] == ["Chen Wei", "Dana Okafor"]
    archive = tmp_path / "takeout.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Takeout/Contacts/My Contacts/My Contacts.vcf", "\r\n".join(VCARD_30))
    got = cards(archive)
    assert got[0].file == "takeout.zip!Takeout/Contacts/My Contacts/My Contacts.vcf"


# -- malformed input ------------------------------------------------------------------------------
CARD = ["BEGIN:VCARD", "VERSION:3.0", "FN:X", "END:VCARD"]
HEADER = "First Name,Last Name,E-mail 1 - Value,Phone 1 - Value"
MALFORMED: list[tuple[str, str, list[str] | bytes, int, str | None]] = [
    ("vcf-no-colon", "a.vcf", ["BEGIN:VCARD", "VERSION:3.0", "just words", "END:VCARD"], 3, None),
    ("vcf-end-without-begin", "a.vcf", [*CARD, "END:VCARD"], 5, None),
    ("vcf-never-closed", "a.vcf", [*CARD, "BEGIN:VCARD", "FN:Y"], 5, None),
    ("vcf-nested-begin", "a.vcf", ["BEGIN:VCARD", "FN:X", "BEGIN:VCARD", "END:VCARD"], 3, None),
    ("vcf-bad-version", "a.vcf", ["BEGIN:VCARD", "VERSION:5.0", "END:VCARD"], 2, "VERSION"),
    ("vcf-bad-email", "a.vcf", [*CARD[:3], "EMAIL:not-an-address", "END:VCARD"], 4, "EMAIL"),
    ("vcf-bad-phone", "a.vcf", [*CARD[:3], "TEL:call me maybe", "END:VCARD"], 4, "TEL"),
    ("vcf-not-a-vcard", "a.vcf", ["BEGIN:VCALENDAR", "END:VCALENDAR"], 1, "BEGIN"),
    ("vcf-property-outside", "a.vcf", ["FN:Loose", *CARD], 1, None),
    ("vcf-nul", "a.vcf", b"BEGIN:VCARD\r\nFN:\x00X\r\nEND:VCARD\r\n", 2, None),
    ("vcf-empty", "a.vcf", b"\r\n\r\n", 1, None),
    (
        "vcf-bad-charset",
        "a.vcf",
        [*CARD[:2], "FN;CHARSET=klingon;ENCODING=QUOTED-PRINTABLE:=41", "END:VCARD"],
        3,
        "CHARSET",
    ),
    ("vcf-fold-first", "a.vcf", [" folded", *CARD], 1, None),
    (
        "vcf-second-card-bad-email",
        "a.vcf",
        [*CARD, *CARD[:3], "EMAIL;TYPE=WORK:a@@b", "END:VCARD"],
        8,
        "EMAIL",
    ),
    ("vcf-wrong-end", "a.vcf", ["BEGIN:VCARD", "FN:X", "END:VCALENDAR"], 3, "END"),
    ("csv-unknown-header", "c.csv", ["Foo,Bar", "1,2"], 1, "Foo"),
    ("csv-ragged-row", "c.csv", [HEADER, "Ana,P,a@x.com,,extra"], 2, None),
    ("csv-short-row", "c.csv", [HEADER, "Ana,P"], 2, None),
    ("csv-unclosed-quote", "c.csv", [HEADER, 'Ana,"P,a@x.com,'], 2, None),
    ("csv-bad-email", "c.csv", [HEADER, "Ana,P,ana-at-x.com,"], 2, "E-mail 1 - Value"),
    (
        "csv-bad-multi-email",
        "c.csv",
        [HEADER, "Ana,P,a@x.com ::: nope,", "Bo,L,b@x.com,"],
        2,
        "E-mail 1 - Value",
    ),
    ("csv-bad-phone", "c.csv", [HEADER, "Ana,P,a@x.com,12"], 2, "Phone 1 - Value"),
    (
        "csv-outlook-bad-mobile",
        "c.csv",
        ["First Name,E-mail Address,Mobile Phone", "Dana,d@x.com,ask reception"],
        2,
        "Mobile Phone",
    ),
    ("csv-empty", "c.csv", b"", 1, None),
    ("csv-binary", "c.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 3, None),
]


@pytest.mark.parametrize(
    ("name", "content", "line", "field"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_raise_with_file_line_and_field(
    tmp_path: Path, name: str, content: list[str] | bytes, line: int, field: str | None
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        write(path, content)
    with pytest.raises(InvalidInput) as err:
        cards(path)
    assert (err.value.file, err.value.line, err.value.field) == (str(path), line, field)


def test_lenient_mode_drops_bad_values_only(tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", [HEADER, "Ana,P,a@x.com ::: nope,98765", "Bo,L,b@x.com,"])
    skipped: list[SkippedRow] = []
    got = cards(path, skipped=skipped)
    assert [(c.name, c.emails, c.phone_hashes) for c in got] == [
        ("Ana P", ("a@x.com",), ()),
        ("Bo L", ("b@x.com",), ()),
    ]
    assert [(s.line, s.field) for s in skipped] == [(2, "E-mail 1 - Value"), (2, "Phone 1 - Value")]
    # The phone number itself is never echoed (the file's path is, so not in it).
    assert "98765" not in repr(skipped).replace(str(path), "")


def test_direct_parsers() -> None:
    (c,) = parse_vcards("BEGIN:VCARD\nFN:A\nEND:VCARD\n", "x.vcf", salt=SALT)
    assert (c.file, c.line, c.name) == ("x.vcf", 1, "A")
    (r,) = parse_contacts_csv(f"{HEADER}\nA,B,a@b.co,\n", "x.csv", salt=SALT)
    assert r.emails == ("a@b.co",)


# -- privacy -------------------------------------------------------------------------------------
def test_phone_numbers_and_notes_never_come_back(tmp_path: Path) -> None:
    lines = [*VCARD_30, *VCARD_21]
    got = cards(write(tmp_path / "p.vcf", lines)) + cards(write(tmp_path / "g.csv", GOOGLE_LEGACY))
    text = repr(got)
    secrets = ("7700 900123", "7700900123", "79460958", "1711234567", "coffee", "secret note")
    for secret in (*secrets, "/9j/4AAQ"):
        assert secret not in text
