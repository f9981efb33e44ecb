"""Address books: vCard 2.1/3.0/4.0, Google Contacts CSV (both exports) and Outlook CSV.

Pure parsers over decoded text (:func:`parse_vcards`, :func:`parse_contacts_csv`)
and file handling at the edge (:func:`iter_contacts`). Each card becomes a
:class:`ContactCard` naming its file and the line it starts on. Nothing here
touches the store.

Phone numbers are never kept: each is reduced to E.164-ish digits and hashed
with HMAC-SHA256 keyed by a caller-chosen salt (:func:`hash_phone`), so the
same number seen in two sources matches without the number being stored.
Notes, addresses, birthdays and photos are skipped unread.

CSV flavours are recognised from the header:

- ``google``: the current Google export (``First Name``, ``Last Name``,
  ``E-mail 1 - Value``, ``Organization Name`` …);
- ``google-legacy``: the older "Google CSV" (``Name``, ``Given Name``,
  ``E-mail 1 - Value``, ``Organization 1 - Name`` …);
- ``outlook``: Outlook's export (``First Name``, ``E-mail Address``,
  ``E-mail 2 Address``, ``Company``, ``Job Title``, ``Mobile Phone`` …).

Google packs several values into one cell separated by ``:::``.
"""

from __future__ import annotations

import hashlib
import hmac
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.errors import InvalidInput
from graph.identity import normalize_email, normalize_linkedin_url
from loaders.csvsource import decode_text, norm_header, records
from loaders.report import SkippedRow
from loaders.sources import file_sources, reject_nul, unfold

MAX_FILE_BYTES = 256 << 20
SUFFIXES = (".vcf", ".vcard", ".csv")
VERSIONS = frozenset({"2.1", "3.0", "4.0"})
GOOGLE, GOOGLE_LEGACY, OUTLOOK = "google", "google-legacy", "outlook"

_VCARD_LINE = re.compile(r"(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)", re.DOTALL)
_PARAM_SPLIT = re.compile(r';(?=(?:[^"]*"[^"]*")*[^"]*$)')
_ESCAPE = re.compile(r"\\(.)")
_UNESCAPED_SEMI = re.compile(r"(?<!\\);")
_PHONE_JUNK = re.compile(r"[\s().\-/]")
_EXTENSION = re.compile(r"(?:;ext=|;|,|\s*(?:ext\.?|x|#)\s*)\d*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ContactCard:
    """One address-book entry; ``line`` is where its card or row starts.

    ``emails`` are normalised lower-case, in the order given, deduplicated;
    ``phone_hashes`` are :func:`hash_phone` digests, never numbers.
    """

    file: str
    line: int
    name: str
    emails: tuple[str, ...] = ()
    phone_hashes: tuple[str, ...] = ()
    organisation: str = ""
    title: str = ""
    linkedin_url: str = ""


def normalize_phone(raw: str, *, default_country_code: str = "") -> str:
    """E.164-ish digits (``+`` and 6-15 digits), or "" when it is not a phone number.

    An extension is dropped; ``00`` becomes ``+``; a national number (no ``+``)
    gets ``default_country_code`` with its trunk ``0`` removed, when one is given,
    and is otherwise kept as bare digits.

    Examples
    --------
    >>> normalize_phone("+44 (0)20 7946-0958 ext. 12")
    '+442079460958'
    >>> normalize_phone("0044 20 7946 0958"), normalize_phone("tel:+1-555-010-9999")
    ('+442079460958', '+15550109999')
    >>> normalize_phone("020 7946 0958", default_country_code="44")
    '+442079460958'
    >>> normalize_phone("call me"), normalize_phone("12")
    ('', '')
    """
    text = raw.strip()
    if text[:4].casefold() == "tel:":
        text = text[4:]
    text = _EXTENSION.sub("", text.strip()) if re.search(r"\d", text) else text
    text = _PHONE_JUNK.sub("", text.replace("(0)", ""))
    plus = text.startswith("+")
    digits = text[1:] if plus else text
    if not digits.isdigit() or not digits.isascii():
        return ""
    if not plus and digits.startswith("00"):
        plus, digits = True, digits[2:]
    elif not plus and default_country_code:
        plus, digits = True, default_country_code.lstrip("+") + digits.removeprefix("0")
    if not 6 <= len(digits) <= 15:
        return ""
    return ("+" if plus else "") + digits


def hash_phone(raw: str, *, salt: str, default_country_code: str = "") -> str:
    """HMAC-SHA256 (keyed with ``salt``) of the normalised number, hex; "" if not a number.

    The same salt must be used for every source of a workspace for matches to
    work. Phone numbers are a small space: anyone holding the salt can test
    guesses, so keep it secret.

    Examples
    --------
    >>> hash_phone("+1 555 010 9999", salt="s") == hash_phone("001-555-010-9999", salt="s")
    True
    >>> hash_phone("+1 555 010 9999", salt="s") == hash_phone("+1 555 010 9999", salt="t")
    False
    """
    number = normalize_phone(raw, default_country_code=default_country_code)
    if not number:
        return ""
    return hmac.new(salt.encode(), number.encode(), hashlib.sha256).hexdigest()


def _dedupe(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


class _Values:
    """Collects one card's values, raising (or recording) bad ones with their line and field."""

    def __init__(
        self,
        file: str,
        line: int,
        salt: str,
        default_country_code: str,
        skipped: list[SkippedRow] | None,
    ) -> None:
        self.file, self.line, self.salt, self.cc = file, line, salt, default_country_code
        self.skipped = skipped
        self.emails: list[str] = []
        self.phones: list[str] = []
        self.url = ""

    def bad(self, message: str, line: int, field: str) -> None:
        if self.skipped is None:
            raise InvalidInput(message, file=self.file, line=line, field=field)
        self.skipped.append(SkippedRow(self.file, line, f"value dropped: {message}", field))

    def email(self, raw: str, line: int, field: str) -> None:
        text = raw.strip()
        if not text or text.startswith(("/o=", "/O=")):  # Exchange DNs in Outlook exports
            return
        email = normalize_email(text)
        if not email:
            self.bad(f"not an email address: {text[:60]!r}", line, field)
            return
        self.emails.append(email)

    def phone(self, raw: str, line: int, field: str) -> None:
        if not raw.strip():
            return
        digest = hash_phone(raw, salt=self.salt, default_country_code=self.cc)
        if not digest:
            self.bad(f"not a phone number: {len(raw.strip())} characters", line, field)
            return
        self.phones.append(digest)

    def website(self, raw: str) -> None:
        if not self.url:
            self.url = normalize_linkedin_url(raw)

    def card(self, name: str, organisation: str, title: str) -> ContactCard:
        return ContactCard(
            file=self.file,
            line=self.line,
            name=" ".join(name.split()),
            emails=_dedupe(self.emails),
            phone_hashes=_dedupe(self.phones),
            organisation=" ".join(organisation.split()),
            title=" ".join(title.split()),
            linkedin_url=self.url,
        )


# -- vCard ----------------------------------------------------------------------------------
def _params(text: str) -> dict[str, list[str]]:
    """vCard parameters by upper-case name; 2.1's bare ``;WORK;VOICE`` become TYPE values."""
    out: dict[str, list[str]] = {}
    for segment in _PARAM_SPLIT.split(text)[1:] if text else ():
        name, eq, value = segment.partition("=")
        if not eq:
            name, value = "TYPE", segment
        values = [v.strip().strip('"') for v in value.split(",")]
        out.setdefault(name.strip().upper(), []).extend(values)
    return out


def _unescape(value: str) -> str:
    r"""vCard text unescaped: ``\,`` ``\;`` ``\\`` and ``\n``."""
    if "\\" not in value:
        return value
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _decode_value(value: str, params: dict[str, list[str]], file: str, line: int) -> str:
    encoding = [e.upper() for e in params.get("ENCODING", [])]
    types = [t.upper() for t in params.get("TYPE", [])]
    if "QUOTED-PRINTABLE" in encoding or "QUOTED-PRINTABLE" in types:
        charset = (params.get("CHARSET") or ["utf-8"])[0]
        raw = quopri.decodestring(value.encode("latin-1", errors="replace"))
        try:
            return raw.decode(charset)
        except LookupError as exc:
            raise InvalidInput(
                f"unknown CHARSET {charset[:30]!r}", file=file, line=line, field="CHARSET"
            ) from exc
        except UnicodeDecodeError:
            return raw.decode("cp1252", errors="replace")
    return value


@dataclass(slots=True)
class _Card:
    line: int
    values: _Values
    version: str = ""
    fn: str = ""
    n: str = ""
    org: str = ""
    title: str = ""


def _vcard_property(card: _Card, name: str, params_text: str, value: str, n: int) -> None:
    """One property into the card; item1.EMAIL's group only ties labels, so it is ignored."""
    file = card.values.file
    if name in ("PHOTO", "LOGO", "SOUND", "KEY", "NOTE", "ADR", "LABEL", "BDAY", "X-ABLABEL"):
        return
    params = _params(params_text)
    value = _decode_value(value, params, file, n)
    if name == "VERSION":
        version = value.strip()
        if version not in VERSIONS:
            raise InvalidInput(
                f"unsupported vCard version {version[:10]!r}", file=file, line=n, field="VERSION"
            )
        card.version = version
    elif name == "FN":
        card.fn = card.fn or _unescape(value)
    elif name == "N":
        parts = [_unescape(p).strip() for p in _UNESCAPED_SEMI.split(value)]
        family, given, middle = [*parts, "", "", ""][:3]
        card.n = " ".join(p for p in (given, middle, family) if p)
    elif name == "EMAIL":
        card.values.email(_unescape(value).removeprefix("mailto:"), n, "EMAIL")
    elif name == "TEL":
        card.values.phone(_unescape(value), n, "TEL")
    elif name == "ORG":
        card.org = card.org or _unescape(_UNESCAPED_SEMI.split(value)[0])
    elif name == "TITLE":
        card.title = card.title or _unescape(value)
    elif name in ("URL", "X-SOCIALPROFILE", "IMPP") or name.startswith("X-"):
        card.values.website(_unescape(value))


def parse_vcards(
    text: str,
    file: str,
    *,
    salt: str,
    default_country_code: str = "",
    skipped: list[SkippedRow] | None = None,
) -> Iterator[ContactCard]:
    """The cards of a vCard file (2.1, 3.0 or 4.0), one :class:`ContactCard` each.

    Parameters
    ----------
    text
        The decoded file.
    file
        How errors and records name it.
    salt
        Key for :func:`hash_phone`.
    default_country_code
        Country code for national phone numbers (e.g. "44"); none by default.
    skipped
        None (default): a bad email or phone value raises. A list: the value is
        dropped and recorded there. Structural problems always raise.

    Raises
    ------
    InvalidInput
        Not a vCard, a line that is no ``NAME:value``, BEGIN/END mismatches, an
        unsupported VERSION, bad values (see ``skipped``); with file, line, field.

    Examples
    --------
    >>> vcf = ("BEGIN:VCARD\\r\\nVERSION:3.0\\r\\nFN:Ana P\\u00e9rez\\r\\n"
    ...        "item1.EMAIL;TYPE=INTERNET:Ana@Example.com\\r\\nORG:Acme\\\\, Inc.;R&D\\r\\n"
    ...        "TEL;TYPE=CELL:+1 555 010 9999\\r\\nEND:VCARD\\r\\n")
    >>> [c] = parse_vcards(vcf, "a.vcf", salt="s")
    >>> c.name, c.emails, c.organisation, len(c.phone_hashes[0])
    ('Ana Pérez', ('ana@example.com',), 'Acme, Inc.', 64)
    """
    card: _Card | None = None
    seen_any = False
    for n, line in unfold(text, file, quoted_printable=True):
        m = _VCARD_LINE.fullmatch(line)
        if m is None:
            raise InvalidInput("not a vCard line ('NAME;PARAM=x:value')", file=file, line=n)
        name, params_text, value = m.group(2).upper(), m.group(3), m.group(4)
        if name == "BEGIN":
            if value.strip().upper() != "VCARD":
                raise InvalidInput(
                    f"BEGIN:{value.strip()[:20]} is not BEGIN:VCARD",
                    file=file,
                    line=n,
                    field="BEGIN",
                )
            if card is not None:
                raise InvalidInput(
                    f"BEGIN:VCARD inside the card of line {card.line} (END:VCARD missing)",
                    file=file,
                    line=n,
                )
            card = _Card(n, _Values(file, n, salt, default_country_code, skipped))
            seen_any = True
            continue
        if card is None:
            what = "END:VCARD without BEGIN:VCARD" if name == "END" else "not a vCard file"
            raise InvalidInput(f"{what} (property {name[:30]})", file=file, line=n)
        if name == "END":
            if value.strip().upper() != "VCARD":
                raise InvalidInput(
                    f"END:{value.strip()[:20]} does not close BEGIN:VCARD of line {card.line}",
                    file=file,
                    line=n,
                    field="END",
                )
            yield card.values.card(card.fn or card.n, card.org, card.title)
            card = None
            continue
        _vcard_property(card, name, params_text, value, n)
    if card is not None:
        raise InvalidInput(
            "BEGIN:VCARD is never closed (END:VCARD missing)", file=file, line=card.line
        )
    if not seen_any:
        raise InvalidInput("empty: no BEGIN:VCARD", file=file, line=1)


# -- CSV ------------------------------------------------------------------------------------
def detect_csv_flavour(header: list[str]) -> str | None:
    """``google``, ``google-legacy``, ``outlook`` or None, from a CSV header row.

    Examples
    --------
    >>> detect_csv_flavour(["Name", "Given Name", "E-mail 1 - Type", "E-mail 1 - Value"])
    'google-legacy'
    >>> detect_csv_flavour(["First Name", "Last Name", "E-mail 1 - Label", "E-mail 1 - Value"])
    'google'
    >>> detect_csv_flavour(["First Name", "Last Name", "E-mail Address", "Mobile Phone"])
    'outlook'
    >>> detect_csv_flavour(["from", "to"]) is None
    True
    """
    names = {norm_header(h) for h in header}
    if "e-mail address" in names or "e-mail 2 address" in names:
        return OUTLOOK
    if any(re.fullmatch(r"e-mail \d+ - value", n) for n in names):
        if "name" in names or "given name" in names:
            return GOOGLE_LEGACY
        if "first name" in names or "last name" in names:
            return GOOGLE
    return None


@dataclass(frozen=True, slots=True)
class _Columns:
    """Where each kind of value sits in one CSV flavour's header."""

    names: tuple[int, ...]  # joined with spaces (first, middle, last …)
    full_name: int | None
    emails: tuple[int, ...]
    phones: tuple[int, ...]
    websites: tuple[int, ...]
    organisation: int | None
    title: int | None
    multi: bool  # Google's ":::" multi-value cells


def _columns(flavour: str, header: list[str]) -> _Columns:
    names = [norm_header(h) for h in header]

    def at(*wanted: str) -> int | None:
        return next((names.index(w) for w in wanted if w in names), None)

    def matching(pattern: str) -> tuple[int, ...]:
        return tuple(i for i, n in enumerate(names) if re.fullmatch(pattern, n))

    def present(*wanted: str) -> tuple[int, ...]:
        return tuple(i for i in (at(w) for w in wanted) if i is not None)

    if flavour == OUTLOOK:
        return _Columns(
            names=present("first name", "middle name", "last name", "suffix"),
            full_name=None,
            emails=present("e-mail address", "e-mail 2 address", "e-mail 3 address"),
            phones=tuple(i for i, n in enumerate(names) if "phone" in n),
            websites=present("web page", "personal web page"),
            organisation=at("company"),
            title=at("job title"),
            multi=False,
        )
    return _Columns(
        names=present("given name", "additional name", "family name")
        if flavour == GOOGLE_LEGACY
        else present("first name", "middle name", "last name"),
        full_name=at("name") if flavour == GOOGLE_LEGACY else None,
        emails=matching(r"e-mail \d+ - value"),
        phones=matching(r"phone \d+ - value"),
        websites=matching(r"website \d+ - value"),
        organisation=at("organization 1 - name", "organization name"),
        title=at("organization 1 - title", "organization title"),
        multi=True,
    )


def parse_contacts_csv(
    text: str,
    file: str,
    *,
    salt: str,
    default_country_code: str = "",
    skipped: list[SkippedRow] | None = None,
) -> Iterator[ContactCard]:
    """The rows of a Google or Outlook contacts CSV, one :class:`ContactCard` each.

    The flavour is detected from the header (:func:`detect_csv_flavour`); other
    parameters as :func:`parse_vcards`. Blank rows are skipped.

    Raises
    ------
    InvalidInput
        Unknown header, ragged rows, broken quoting, and bad email or phone values
        (unless ``skipped`` is given); with file, line and the column as field.

    Examples
    --------
    >>> csv_text = ('First Name,Last Name,E-mail 1 - Label,E-mail 1 - Value\\n'
    ...             'Ana,Pérez,* Home,ana@x.com ::: Ana@Work.example\\n')
    >>> [(c.line, c.name, c.emails) for c in parse_contacts_csv(csv_text, "c.csv", salt="s")]
    [(2, 'Ana Pérez', ('ana@x.com', 'ana@work.example'))]
    """
    rows = records(text, file)
    first = next(rows, None)
    if first is None or not "".join(first[1]).strip():
        raise InvalidInput("the file is empty", file=file, line=1)
    header_line, header = first
    flavour = detect_csv_flavour(header)
    if flavour is None:
        raise InvalidInput(
            "not a Google or Outlook contacts export (no 'E-mail 1 - Value' or "
            "'E-mail Address' column)",
            file=file,
            line=header_line,
            field=header[0].strip() if header else None,
        )
    cols = _columns(flavour, header)
    width = len(header)
    for line, rec in rows:
        if not "".join(rec).strip():
            continue
        if len(rec) != width and (len(rec) < width or any(c.strip() for c in rec[width:])):
            raise InvalidInput(
                f"row has {len(rec)} fields, the header has {width}", file=file, line=line
            )
        values = _Values(file, line, salt, default_country_code, skipped)

        def cells(i: int, rec: list[str] = rec) -> list[str]:
            cell = rec[i].strip()
            return [v.strip() for v in cell.split(":::")] if cols.multi else [cell]

        for i in cols.emails:
            for v in cells(i):
                values.email(v, line, header[i].strip())
        for i in cols.phones:
            for v in cells(i):
                values.phone(v, line, header[i].strip())
        for i in cols.websites:
            for v in cells(i):
                values.website(v)
        full = rec[cols.full_name].strip() if cols.full_name is not None else ""
        name = full or " ".join(rec[i].strip() for i in cols.names if rec[i].strip())
        org = rec[cols.organisation] if cols.organisation is not None else ""
        title = rec[cols.title] if cols.title is not None else ""
        yield values.card(name, org, title)


# -- files at the edge ----------------------------------------------------------------------
def _decode(data: bytes, file: str) -> str:
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 holds NULs
        reject_nul(data, file, "an address book")
    return decode_text(data, file)[0]


def parse_contacts(
    data: bytes,
    file: str,
    *,
    salt: str,
    default_country_code: str = "",
    skipped: list[SkippedRow] | None = None,
) -> Iterator[ContactCard]:
    """A vCard or contacts-CSV file's bytes, told apart by content (``BEGIN:VCARD``)."""
    text = _decode(data, file)
    vcard = text.lstrip()[:11].upper() == "BEGIN:VCARD"
    vcard = vcard or file.casefold().endswith((".vcf", ".vcard"))
    parse = parse_vcards if vcard else parse_contacts_csv
    return parse(text, file, salt=salt, default_country_code=default_country_code, skipped=skipped)


def iter_contacts(
    path: Path,
    *,
    salt: str,
    default_country_code: str = "",
    skipped: list[SkippedRow] | None = None,
) -> Iterator[ContactCard]:
    """Every card under ``path``: a .vcf or .csv, a folder of them, or a .zip (Takeout).

    See :func:`parse_vcards` for the parameters; zip members are named
    ``archive.zip!member.vcf`` in records and errors.
    """
    for label, data in file_sources(path, SUFFIXES, cap=MAX_FILE_BYTES, what=".vcf or .csv"):
        yield from parse_contacts(
            data, label, salt=salt, default_country_code=default_country_code, skipped=skipped
        )
