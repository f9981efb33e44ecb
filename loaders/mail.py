"""Email metadata from mbox files, Google Takeout zips and folders of .eml files.

Pure parsers over binary streams, file handling at the edge (:func:`iter_mail`),
and an aggregator (:class:`MailAggregator`) that folds message headers into
per-counterpart counts and co-occurrence pairs. Nothing here touches the store.

Privacy: only the header fields in :data:`KEPT_FIELDS` are ever decoded; the
Subject, the body and attachments are skipped as raw bytes and never reach a
:class:`email.message.Message`, a :class:`MailHeader` or the summary.

Streaming: a mailbox is read in 1 MiB chunks; bodies are skipped with
``bytes.find`` for the next separator, never split into lines or kept. Memory
is the aggregates: per counterpart address a few counters, per thread its
participant ids, and per message one dict entry (a hash of its Message-ID to
its sender's index, about 100 bytes) that finds replies and drops duplicate
copies of a message (the same mail in "Inbox" and "Sent" mboxes).

Mailbox variants
----------------
- mboxo/mboxrd (Google Takeout, Python's :mod:`mailbox`, mutt): ``From `` lines
  separate messages; body lines starting ``From `` are escaped as ``>From ``.
  Takeout uses CRLF line endings and adds ``X-GM-THRID`` and ``X-Gmail-Labels``.
- Thunderbird (``From - Mon Jan  1 00:00:00 2024``, extension-less files next
  to ``.msf`` indexes) and Apple Mail exports (``Inbox.mbox/mbox`` folders).
  Some writers never escape ``From `` in bodies, so inside a message a line
  only counts as a separator when it looks like one (a sender token and a
  time or year) and the next line is a header field.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import IO

from graph.errors import InvalidInput
from graph.identity import normalize_email
from loaders.report import SkippedRow
from loaders.sources import ZIP_MAGIC, open_zip, zip_members

CHUNK = 1 << 20
MAX_HEADER_BYTES = 4 << 20  # a header block longer than this is not mail
MAX_SEPARATOR_BYTES = 64 << 10
DEFAULT_MAX_THREAD_SIZE = 6
MAX_NAMES_PER_ADDRESS = 8

#: Header fields that are ever decoded; everything else (Subject!) is dropped unread.
KEPT_FIELDS = frozenset(
    {
        "from",
        "to",
        "cc",
        "bcc",
        "date",
        "message-id",
        "in-reply-to",
        "references",
        "list-id",
        "list-unsubscribe",
        "list-post",
        "precedence",
        "auto-submitted",
        "x-autoreply",
        "x-autorespond",
        "return-path",
        "x-gm-thrid",
        "x-gmail-labels",
    }
)
_BULK_PRECEDENCE = frozenset({"bulk", "list", "junk"})
_BULK_LABELS = frozenset({"spam", "category promotions"})
_AUTOMATED_LOCAL = re.compile(
    r"(?:^|[-_.+])(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|postmaster"
    r"|notifications?)(?:$|[-_.+])"
)
# A separator inside a mailbox: a sender token, then something with a time or a year.
_SEPARATOR = re.compile(rb"From \S*[ \t]+[^\n]*?(?:\d\d?:\d\d|\d{4})")
_FIELD = re.compile(rb"[!-9;-~]+[ \t]*:")
_KEPT_BYTES = frozenset(n.encode() for n in KEPT_FIELDS)
_FIELD_NAME_BYTES = bytes(range(33, 127)).replace(b":", b"")  # RFC 5322 ftext
_LIST_POST = re.compile(r"mailto:([^>\s?,]+)", re.IGNORECASE)
_MSGID = re.compile(r"<([^<>\s]+)>")


# -- records -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Address:
    """One mailbox of a header: the normalised address and its decoded display name."""

    email: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class MailHeader:
    """The metadata of one message: who, when, which thread; never subject or body.

    ``line`` is the physical line of the message's ``From `` separator in an
    mbox, or 1 for an .eml file. ``date`` is timezone-aware UTC, or None when
    the Date header is missing or unreadable. ``thread`` is the thread key:
    Gmail's ``X-GM-THRID`` when present, else the first References id, else
    In-Reply-To, else the Message-ID. ``automated_reason`` says which header
    marked the message as automated or bulk ("" for personal mail).
    """

    file: str
    line: int
    sender: Address | None
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    bcc: tuple[Address, ...] = ()
    date: datetime | None = None
    message_id: str = ""
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    thread: str = ""
    automated_reason: str = ""
    list_address: str = ""

    @property
    def automated(self) -> bool:
        """Whether the message is automated or bulk mail (lists, no-reply, auto-replies)."""
        return bool(self.automated_reason)

    @property
    def recipients(self) -> tuple[Address, ...]:
        """To, Cc and Bcc together."""
        return self.to + self.cc + self.bcc


# -- header decoding -------------------------------------------------------------------------
def _squash(text: str) -> str:
    return " ".join(text.split())


def decode_words(text: str) -> str:
    """A header text with RFC 2047 encoded words decoded and whitespace folded.

    Examples
    --------
    >>> decode_words("=?utf-8?q?Jos=C3=A9_N=C3=BA=C3=B1ez?=")
    'José Núñez'
    >>> decode_words("=?iso-8859-1?B?TvpleiwgQW5h?=")
    'Núez, Ana'
    >>> decode_words("=?bogus-charset?q?x?= plain")
    '=?bogus-charset?q?x?= plain'
    """
    if "=?" not in text:
        return _squash(text)
    try:
        return _squash(str(make_header(decode_header(text))))
    except (HeaderParseError, LookupError, UnicodeError, ValueError):
        return _squash(text)


def parse_addresses(values: Iterable[str]) -> tuple[Address, ...]:
    """The valid mailboxes of address headers, names decoded, in order, deduplicated.

    Group syntax, empty and invalid addresses are dropped.

    Examples
    --------
    >>> parse_addresses(['"=?utf-8?q?M=C3=BCller=2C_Hans?=" <H@X.de>, undisclosed-recipients:;'])
    (Address(email='h@x.de', name='Müller, Hans'),)
    """
    raw = [v for v in values if v]
    out: dict[str, Address] = {}
    pairs = getaddresses(raw)
    if not any(normalize_email(a) for _n, a in pairs) and any("=?" in v for v in raw):
        pairs = getaddresses([decode_words(v) for v in raw])  # a whole header encoded
    for name, addr in pairs:
        email = normalize_email(addr)
        if not email or email in out:
            continue
        display = decode_words(name).strip()
        if len(display) >= 2 and display[0] == display[-1] and display[0] in "'\"":
            display = display[1:-1].strip()  # 'quoted' by the sender, or over-quoted
        if "@" in display or display.casefold() == email:
            display = ""
        out[email] = Address(email, display)
    return tuple(out.values())


# One mailbox of a list: quoted strings and <addr-spec> may hold commas.
_LIST_ELEMENT = re.compile(r'(?:"(?:[^"\\]|\\.)*"|<[^<>]*>|[^,"<])+')


@lru_cache(maxsize=1 << 16)  # the same people recur across a mailbox
def _one_element(element: str) -> tuple[Address, ...]:
    return parse_addresses([element])


def _addresses(values: tuple[str, ...]) -> tuple[Address, ...]:
    """:func:`parse_addresses`, parsed and cached element by element when that is safe."""
    if not values:
        return ()
    out: dict[str, Address] = {}
    for value in values:
        if ":" in value.replace("mailto:", "") or "(" in value or value.count('"') % 2:
            parsed = parse_addresses([value])  # groups, comments, odd quoting: the slow path
        else:
            parsed = tuple(
                a for e in _LIST_ELEMENT.findall(value) if e.strip() for a in _one_element(e)
            )
        for a in parsed:
            out.setdefault(a.email, a)
    return tuple(out.values())


def parse_date(text: str | None) -> datetime | None:
    """A Date header as timezone-aware UTC, or None when missing or unreadable.

    Examples
    --------
    >>> parse_date("Tue, 3 Mar 2026 10:04:05 +0100")
    datetime.datetime(2026, 3, 3, 9, 4, 5, tzinfo=datetime.timezone.utc)
    >>> parse_date("Tue, 3 Mar 2026 10:04:05 -0000").tzinfo
    datetime.timezone.utc
    >>> parse_date("next tuesday") is None, parse_date(None) is None
    (True, True)
    """
    if not text or not text.strip():
        return None
    try:
        at = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if not 1970 <= at.year <= 2200:
        return None
    if at.tzinfo is None:
        return at.replace(tzinfo=UTC)
    try:
        return at.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _msgid(text: str | None) -> str:
    if not text:
        return ""
    m = _MSGID.search(text)
    if m:
        return m.group(1)
    token = text.strip()
    return token if token and " " not in token and len(token) < 1000 else ""


def is_automated_address(email: str) -> bool:
    """Whether an address is a robot's: no-reply, mailer-daemon, notifications.

    Examples
    --------
    >>> [is_automated_address(a) for a in ("noreply@x.com", "jira-no-reply@x.com",
    ...  "notifications@github.com", "MAILER-DAEMON@x.com", "ana@x.com", "norena@x.com")]
    [True, True, True, True, False, False]
    """
    local = email.rsplit("@", 1)[0].casefold()
    return bool(_AUTOMATED_LOCAL.search(local))


def _automated_reason(get: dict[str, str], sender: Address | None) -> str:
    if "list-id" in get:
        return "List-Id"
    if "list-unsubscribe" in get:
        return "List-Unsubscribe"
    precedence = get.get("precedence", "").strip().casefold()
    if precedence in _BULK_PRECEDENCE:
        return f"Precedence: {precedence}"
    auto = get.get("auto-submitted", "").strip().casefold()
    if auto and auto.split(";")[0].strip() != "no":
        return f"Auto-Submitted: {auto.split(';')[0].strip()}"
    for name in ("x-autoreply", "x-autorespond"):
        if name in get:
            return "X-Autoreply" if name == "x-autoreply" else "X-Autorespond"
    if get.get("return-path", "x").strip() == "<>":
        return "null Return-Path"
    if sender is not None and is_automated_address(sender.email):
        return "automated sender"
    labels = {_squash(x).casefold() for x in get.get("x-gmail-labels", "").split(",")}
    bulk = sorted(labels & _BULK_LABELS)
    if bulk:
        return f"Gmail label {bulk[0]}"
    return ""


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _line_of(block: bytes, index: int, first_line: int) -> int:
    return first_line + block.count(b"\n", 0, index)


def _kept_fields(block: bytes, file: str, first_line: int) -> dict[str, list[str]]:
    """The kept fields' values by lower-case name; Subject and everything else unread.

    Each kept field's source (folds included) goes through the stdlib's
    ``compat32.header_source_parse``; nothing else of the block is decoded.
    Raises ``InvalidInput`` at the first line that is neither a field nor a fold.
    """
    nul = block.find(b"\x00")
    if nul >= 0:
        raise InvalidInput("NUL byte in a header", file=file, line=_line_of(block, nul, first_line))
    kept: dict[bytes, list[list[bytes]]] = {}
    current: list[bytes] | None = None
    for i, raw in enumerate(block.split(b"\n")):
        first = raw[:1]
        if first in {b" ", b"\t"}:
            if i == 0:
                raise InvalidInput(
                    "the header block starts with a folded continuation line",
                    file=file,
                    line=first_line,
                )
            if current is not None:
                current.append(raw)
            continue
        colon = raw.find(b":")
        name = raw[:colon].rstrip(b" \t") if colon > 0 else b""
        if not name or name.translate(None, _FIELD_NAME_BYTES):
            if not raw.strip():
                continue  # the empty remainder after the last line ending
            # its text is not echoed: it may be body or subject text
            raise InvalidInput(
                "neither a header field ('Name: value') nor a folded continuation",
                file=file,
                line=first_line + i,
            )
        lname = name.lower()
        if lname in _KEPT_BYTES:
            current = [raw]
            kept.setdefault(lname, []).append(current)
        else:
            current = None  # skipped unread, folds included
    fields: dict[str, list[str]] = {}
    for lname, sources in kept.items():
        values = fields[lname.decode("ascii")] = []
        for source in sources:
            _name, value = compat32.header_source_parse([_text(b"\n".join(source))])
            values.append(_squash(value))
    return fields


def parse_header_block(
    block: bytes, file: str, line: int, *, first_line: int | None = None
) -> MailHeader:
    """One message's raw header block (no body) as a :class:`MailHeader`.

    Parameters
    ----------
    block
        The header lines as bytes (LF or CRLF), up to but not including the
        blank line that ends them.
    file, line
        Where the message is: the file label and its ``From `` line (1 for .eml).
    first_line
        The physical line of the block's first line; ``line + 1`` by default (mbox).

    Raises
    ------
    InvalidInput
        The block is empty, holds a NUL byte, or a line that is neither a header
        field nor a folded continuation; the error names that line.

    Examples
    --------
    >>> h = parse_header_block(
    ...     b"From: =?utf-8?q?Ana_P=C3=A9rez?= <Ana@Example.com>\\r\\n"
    ...     b"To: bo@example.com,\\r\\n Cy <cy@example.com>\\r\\n"
    ...     b"Subject: never kept\\r\\nDate: garbage\\r\\nMessage-ID: <m1@example.com>\\r\\n",
    ...     "inbox.mbox", 1)
    >>> h.sender, h.date, h.message_id, h.automated
    (Address(email='ana@example.com', name='Ana Pérez'), None, 'm1@example.com', False)
    >>> [a.email for a in h.to]
    ['bo@example.com', 'cy@example.com']
    """
    start = line + 1 if first_line is None else first_line
    if not block.strip():
        raise InvalidInput("the message has no header block", file=file, line=start)
    fields = _kept_fields(block, file, start)

    def one(name: str) -> str:
        values = fields.get(name)
        return values[0] if values else ""

    senders = _addresses(tuple(fields.get("from", ())))
    sender = senders[0] if senders else None
    message_id = _msgid(one("message-id"))
    in_reply_to = _msgid(one("in-reply-to"))
    references = tuple(_MSGID.findall(" ".join(fields.get("references", ()))))[:200]
    gm_thread = one("x-gm-thrid")
    if gm_thread:
        thread = "gm:" + gm_thread
    else:
        thread = (references[0] if references else "") or in_reply_to or message_id
    list_address = ""
    m = _LIST_POST.search(one("list-post"))
    if m is not None:
        list_address = normalize_email(m.group(1))
    return MailHeader(
        file=file,
        line=line,
        sender=sender,
        to=_addresses(tuple(fields.get("to", ()))),
        cc=_addresses(tuple(fields.get("cc", ()))),
        bcc=_addresses(tuple(fields.get("bcc", ()))),
        date=parse_date(one("date")),
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
        thread=thread,
        automated_reason=_automated_reason({k: v[0] for k, v in fields.items()}, sender),
        list_address=list_address,
    )


# -- streaming an mbox -----------------------------------------------------------------------
class _Reader:
    """A chunked binary reader that knows the physical line number of its position.

    ``pos`` is always at a line start between calls, except after a skip that
    ended inside a line longer than the buffer (then ``_bol`` is False).
    """

    def __init__(self, stream: IO[bytes], file: str, chunk: int = CHUNK) -> None:
        self.stream, self.file, self.chunk = stream, file, chunk
        self.buf = b""
        self.pos = 0
        self.line = 1  # physical line number at ``pos``
        self.eof = False
        self._bol = True  # whether buf[0] starts a line

    def more(self) -> bool:
        """Append a chunk (dropping what was consumed); False at end of stream."""
        if self.eof:
            return False
        try:
            data = self.stream.read(self.chunk)
        except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
            raise InvalidInput(f"cannot read: {exc}", file=self.file, line=self.line) from exc
        if not data:
            self.eof = True
            return False
        if self.pos:
            self._bol = self.buf[self.pos - 1] == 0x0A
            self.buf = self.buf[self.pos :] + data
            self.pos = 0
        else:
            self.buf += data
        return True

    def _line_start(self, i: int) -> bool:
        return self.buf[i - 1] == 0x0A if i else self._bol

    def consume(self, end: int, *, check_nul: bool = True) -> None:
        """Move ``pos`` to ``end``, counting lines; a NUL byte on the way is an error."""
        nul = self.buf.find(b"\x00", self.pos, end) if check_nul else -1
        if nul >= 0:
            line = self.line + self.buf.count(b"\n", self.pos, nul)
            raise InvalidInput("NUL byte: binary data, not a mailbox", file=self.file, line=line)
        self.line += self.buf.count(b"\n", self.pos, end)
        self.pos = end

    def skip_nul(self) -> None:
        """Step over the next NUL byte (after it was reported as a skipped message)."""
        nul = self.buf.index(b"\x00", self.pos)
        self.consume(nul + 1, check_nul=False)

    def at_end(self) -> bool:
        return self.pos >= len(self.buf) and not self.more()

    def skip_blank_lines(self) -> None:
        while not self.at_end():
            end = self.buf.find(b"\n", self.pos)
            if end < 0:
                if len(self.buf) - self.pos > MAX_SEPARATOR_BYTES:
                    return  # one enormous first line: not blank, and not a mailbox
                if self.more():
                    continue
                end = len(self.buf) - 1
            if self.buf[self.pos : end + 1].strip():
                return
            self.consume(end + 1)

    def read_line(self, cap: int) -> bytes:
        """The next physical line without its ending; at most ``cap`` bytes are searched."""
        while True:
            end = self.buf.find(b"\n", self.pos)
            if end >= 0 or not self.more():
                break
            if len(self.buf) - self.pos > cap:
                raise InvalidInput(
                    f"a line longer than {cap} bytes: not a mailbox", file=self.file, line=self.line
                )
        stop = end + 1 if end >= 0 else len(self.buf)
        raw = self.buf[self.pos : stop]
        self.consume(stop)
        return raw.rstrip(b"\r\n")

    def read_header_block(self) -> bytes:
        """The header lines up to the blank line ending them (consumed), or a bare separator."""
        searched = 0  # bytes after pos already searched for the blank line
        window = 16 << 10
        while True:
            buf, pos = self.buf, self.pos
            if buf.startswith((b"\n", b"\r\n"), pos):
                return b""
            start, stop = pos + max(0, searched - 2), min(len(buf), pos + searched + window)
            ends = [
                i
                for i in (buf.find(b"\n\n", start, stop), buf.find(b"\n\r\n", start, stop))
                if i >= 0
            ]
            if ends:
                break
            searched = stop - pos
            if searched > MAX_HEADER_BYTES:
                raise InvalidInput(
                    f"a header block longer than {MAX_HEADER_BYTES} bytes",
                    file=self.file,
                    line=self.line,
                )
            if stop == len(buf) and not self.more():
                break
            window *= 2
        end = min(ends) + 1 if ends else len(self.buf)
        # A message without a body: the next separator follows its headers directly.
        bare = self.buf.find(b"\nFrom ", self.pos, end)
        while bare >= 0 and _FIELD.match(self.buf, bare + 1):
            bare = self.buf.find(b"\nFrom ", bare + 1, end)
        if bare >= 0:
            end = bare + 1
        block = self.buf[self.pos : end]
        self.consume(end, check_nul=False)  # parse_header_block names the NUL's line
        if bare < 0 and self.buf.startswith((b"\n", b"\r\n"), self.pos):
            self.consume(self.buf.index(b"\n", self.pos) + 1)  # the blank line
        return block

    def skip_body(self) -> bool:
        """Advance to the next separator line (True) or the end of the stream (False)."""
        probe = self.pos
        while True:
            buf = self.buf
            if buf.startswith(b"From ", probe) and self._line_start(probe):
                cand = probe
            else:
                j = buf.find(b"\nFrom ", probe)
                cand = j + 1 if j >= 0 else -1
            if cand < 0:
                last = buf.rfind(b"\n", self.pos)
                tail = last + 1 if last >= 0 else self.pos
                # A partial last line of 5+ bytes is known not to start a separator.
                keep = len(buf) if len(buf) - tail >= 5 or not self._line_start(tail) else tail
                self.consume(keep)
                if not self.more():
                    self.consume(len(self.buf))
                    return False
                probe = self.pos
                continue
            nl1 = buf.find(b"\n", cand)
            nl2 = buf.find(b"\n", nl1 + 1) if nl1 >= 0 else -1
            if nl2 < 0 and not self.eof:
                if nl1 < 0 and len(buf) - cand > MAX_SEPARATOR_BYTES:
                    self.consume(len(buf))  # one enormous line: body data
                    self._bol = False
                    if not self.more():
                        return False
                    probe = self.pos
                    continue
                self.consume(cand)
                self.more()
                probe = self.pos
                continue
            if nl1 >= 0 and _SEPARATOR.match(buf, cand, nl1) and _FIELD.match(buf, nl1 + 1):
                self.consume(cand)
                return True
            if nl1 < 0:
                self.consume(len(buf))
                return False
            probe = nl1 + 1


def iter_mbox(
    stream: IO[bytes],
    file: str,
    *,
    skipped: list[SkippedRow] | None = None,
    chunk_size: int = CHUNK,
) -> Iterator[MailHeader]:
    """The messages of an mbox stream, one header at a time; bodies are skipped unread.

    Parameters
    ----------
    stream
        A binary stream (a file, a zip member); read sequentially in chunks.
    file
        How errors and records name the source.
    skipped
        None (default): any malformed message raises. A list: a message whose
        header block cannot be parsed, or that holds a NUL byte, is recorded there
        and skipped; file-level problems still raise.
    chunk_size
        Bytes read at a time (1 MiB); memory is about this plus the longest
        header block.

    Raises
    ------
    InvalidInput
        Not an mbox (the first line is no ``From `` line, binary data), or a
        malformed message when ``skipped`` is None; always with file and line.

    Examples
    --------
    >>> import io
    >>> box = (b"From a@x Mon Jan  1 00:00:00 2024\\r\\nFrom: Ana <a@x.com>\\r\\n"
    ...        b"Subject: secret\\r\\n\\r\\nbody\\r\\n>From me\\r\\n"
    ...        b"From b@x Mon Jan  1 00:00:00 2024\\r\\nFrom: b@x.com\\r\\n\\r\\n")
    >>> [(h.line, h.sender.email) for h in iter_mbox(io.BytesIO(box), "x.mbox") if h.sender]
    [(1, 'a@x.com'), (7, 'b@x.com')]
    """
    r = _Reader(stream, file, chunk_size)
    r.more()
    r.skip_blank_lines()
    if r.at_end():
        return  # an empty mbox (Takeout writes them for empty labels)
    if not r.buf.startswith(b"From ", r.pos):
        raise InvalidInput(
            "not an mbox: the first line is not a 'From ' separator", file=file, line=r.line
        )
    while True:
        line = r.line
        header: MailHeader | None = None
        try:
            r.read_line(MAX_SEPARATOR_BYTES)
            block = r.read_header_block()
            header = parse_header_block(block, file, line, first_line=line + 1)
        except InvalidInput as exc:
            if skipped is None:
                raise
            skipped.append(SkippedRow(file, exc.line or line, exc.message, exc.field))
        if header is not None:
            yield header
        while True:
            try:
                more = r.skip_body()
                break
            except InvalidInput as exc:
                if skipped is None:
                    raise
                skipped.append(SkippedRow(file, exc.line or line, exc.message, exc.field))
                r.skip_nul()
        if not more:
            return


def parse_eml(stream: IO[bytes], file: str) -> MailHeader:
    """The header of one .eml message; the body is never read past its first chunk.

    A leading ``From `` envelope line (some clients save one) is skipped.

    Examples
    --------
    >>> import io
    >>> parse_eml(io.BytesIO(b"From: a@x.com\\nTo: b@x.com\\n\\nhello"), "m.eml").to
    (Address(email='b@x.com', name=''),)
    """
    r = _Reader(stream, file)
    r.more()
    if not r.buf.strip():
        raise InvalidInput("the message is empty", file=file, line=1)
    if b"\x00" in r.buf[:4096]:
        raise InvalidInput("binary data, not a message", file=file, line=1)
    if r.buf.startswith(b"From "):
        r.read_line(MAX_SEPARATOR_BYTES)
    first = r.line
    return parse_header_block(r.read_header_block(), file, 1, first_line=first)


# -- files at the edge -----------------------------------------------------------------------
def _zip_mboxes(path: Path, skipped: list[SkippedRow] | None) -> Iterator[MailHeader]:
    label = path.name
    with open_zip(path) as archive:
        for info in zip_members(archive, label, _is_mbox_name, ".mbox"):
            name = f"{label}!{info.filename}"
            try:
                with archive.open(info) as stream:
                    yield from iter_mbox(stream, name, skipped=skipped)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
                raise InvalidInput(f"unreadable archive member: {exc}", file=name) from exc


def _is_mbox_name(name: str) -> bool:
    return name.replace("\\", "/").rsplit("/", 1)[-1].casefold().endswith(".mbox")


def _sniff(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(5)
    except OSError as exc:
        raise InvalidInput(f"cannot read: {exc.strerror}", file=str(path)) from exc


def _mail_files(folder: Path) -> list[tuple[str, Path]]:
    """(kind, path) of the mail files under a folder: .eml, mbox, Apple and Thunderbird boxes."""
    found: list[tuple[str, Path]] = []
    for f in sorted(folder.rglob("*")):
        if not f.is_file() or f.name.startswith("."):
            continue
        suffix = f.suffix.casefold()
        if suffix == ".eml":
            found.append(("eml", f))
        elif suffix in (".mbox", ".mbx") or f.name == "mbox":
            found.append(("mbox", f))
        elif suffix == ".zip":
            found.append(("zip", f))
        elif not suffix and _sniff(f) == b"From ":  # Thunderbird: "Inbox" next to "Inbox.msf"
            found.append(("mbox", f))
    return found


def _one_file(kind: str, path: Path, skipped: list[SkippedRow] | None) -> Iterator[MailHeader]:
    label = str(path)
    if kind == "zip":
        yield from _zip_mboxes(path, skipped)
        return
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise InvalidInput(f"cannot read: {exc.strerror}", file=label) from exc
    with stream:
        if kind == "mbox":
            yield from iter_mbox(stream, label, skipped=skipped)
            return
        try:
            yield parse_eml(stream, label)
        except InvalidInput as exc:
            if skipped is None:
                raise
            skipped.append(SkippedRow(label, exc.line or 1, exc.message, exc.field))


def iter_mail(path: Path, *, skipped: list[SkippedRow] | None = None) -> Iterator[MailHeader]:
    """Every message header under ``path``, streamed.

    Parameters
    ----------
    path
        An mbox file (any name), a Google Takeout .zip (every ``*.mbox`` member
        is streamed, nothing is extracted), an .eml file, or a folder holding
        any of these: ``*.eml``, ``*.mbox`` files, Apple Mail ``X.mbox/mbox``
        and extension-less Thunderbird mbox files.
    skipped
        As in :func:`iter_mbox`: None raises on a malformed message, a list
        collects it and goes on. File-level problems always raise.

    Raises
    ------
    InvalidInput
        Missing path, a folder with no mail, a zip with no .mbox, not an mbox.
        Errors about a zip member name it ``archive.zip!member.mbox``.
    """
    if not path.exists():
        raise InvalidInput("no such file or folder", file=str(path))
    if path.is_dir():
        files = _mail_files(path)
        if not files:
            raise InvalidInput("no .eml, .mbox or Takeout .zip under this folder", file=str(path))
        for kind, f in files:
            yield from _one_file(kind, f, skipped)
        return
    suffix = path.suffix.casefold()
    if suffix == ".zip" or _sniff(path)[:4] in ZIP_MAGIC:
        kind = "zip"
    else:
        kind = "eml" if suffix == ".eml" else "mbox"
    yield from _one_file(kind, path, skipped)


# -- aggregation -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class MailCounterpart:
    """What the owner's mail says about one other address (lower-case).

    ``sent``: the owner's messages with them in To/Cc/Bcc. ``received``: their
    messages. ``copied``: a third party's messages to both the owner and them.
    ``threads``: distinct threads they took part in (any role).
    ``owner_replied``: owner messages In-Reply-To one of theirs; ``they_replied``:
    theirs In-Reply-To one of the owner's. ``first_contact``/``last_contact``
    (UTC) span the sent and received messages that had a readable date.
    """

    address: str
    name: str
    sent: int
    received: int
    copied: int
    threads: int
    owner_replied: int
    they_replied: int
    first_contact: datetime | None
    last_contact: datetime | None


@dataclass(frozen=True, slots=True)
class MailSummary:
    """Per-counterpart aggregates and co-occurrence of one owner's mail.

    ``cooccurrence`` maps an ordered pair of non-owner addresses to the number
    of small threads (at most ``max_thread_size`` participants, the owner
    counted) on which both took part.
    """

    counterparts: dict[str, MailCounterpart]
    cooccurrence: dict[tuple[str, str], int]
    messages: int  # messages read
    automated: int  # of which automated or bulk (ignored)
    duplicates: int  # copies of a Message-ID already counted (ignored)
    without_sender: int  # no usable From address (ignored)
    max_thread_size: int
    notes: tuple[str, ...] = ()


@dataclass(slots=True)
class _Stats:
    sent: int = 0
    received: int = 0
    copied: int = 0
    threads: int = 0
    owner_replied: int = 0
    they_replied: int = 0
    first: datetime | None = None
    last: datetime | None = None
    names: dict[str, int] = field(default_factory=dict)

    def touch(self, at: datetime | None) -> None:
        if at is None:
            return
        if self.first is None or at < self.first:
            self.first = at
        if self.last is None or at > self.last:
            self.last = at

    def name_seen(self, name: str, weight: int) -> None:
        if not name:
            return
        if name in self.names or len(self.names) < MAX_NAMES_PER_ADDRESS:
            self.names[name] = self.names.get(name, 0) + weight

    def best_name(self) -> str:
        if not self.names:
            return ""
        return max(self.names.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]


OWNER = 0


class MailAggregator:
    """Fold message headers into one owner's per-counterpart aggregates.

    Parameters
    ----------
    owner_addresses
        Every address of the owner (aliases); compared lower-cased.
    max_thread_size
        Threads with more participants (owner included) give no co-occurrence.

    Notes
    -----
    Automated mail (:attr:`MailHeader.automated`) counts for nothing, and
    automated addresses (no-reply, notifications …) never become counterparts,
    even as recipients. Addresses that sent automated mail (newsletters,
    mailing-list posts) and never sent the owner personal mail, and list
    addresses named in List-Post, are dropped from the result.

    Examples
    --------
    >>> agg = MailAggregator({"me@x.com"})
    >>> me, ana = Address("me@x.com", "Me"), Address("ana@y.com", "Ana")
    >>> agg.add(MailHeader("f", 1, me, to=(ana,), message_id="1", thread="1"))
    >>> agg.add(MailHeader("f", 9, ana, to=(me,), message_id="2", in_reply_to="1", thread="1"))
    >>> c = agg.summary().counterparts["ana@y.com"]
    >>> (c.name, c.sent, c.received, c.threads, c.they_replied)
    ('Ana', 1, 1, 1, 1)
    """

    def __init__(
        self, owner_addresses: Iterable[str], *, max_thread_size: int = DEFAULT_MAX_THREAD_SIZE
    ) -> None:
        owners = {normalize_email(a) for a in owner_addresses}
        owners.discard("")
        self.owner_addresses = frozenset(owners)
        self.max_thread_size = max_thread_size
        self._ids: dict[str, int] = dict.fromkeys(self.owner_addresses, OWNER)
        self._addresses: list[str] = [""]
        self._stats: list[_Stats] = [_Stats()]
        # thread hash -> participant ids: a tuple while small (56 bytes, not a set's 216)
        self._threads: dict[int, tuple[int, ...] | set[int]] = {}
        self._senders: dict[int, int] = {}  # hash(Message-ID) -> sender id
        self._replies = array("q")  # (hash(In-Reply-To), replier id) pairs, flattened
        self._automated_senders: set[str] = set()
        self._lists: set[str] = set()
        self.messages = self.automated = self.duplicates = self.without_sender = 0

    def _id(self, email: str) -> int:
        i = self._ids.get(email)
        if i is None:
            i = self._ids[email] = len(self._addresses)
            self._addresses.append(email)
            self._stats.append(_Stats())
        return i

    def add(self, h: MailHeader) -> None:
        """Count one message."""
        self.messages += 1
        if h.automated:
            self.automated += 1
            if h.sender is not None and h.sender.email not in self.owner_addresses:
                self._automated_senders.add(h.sender.email)
            if h.list_address:
                self._lists.add(h.list_address)
            return
        if h.sender is None:
            self.without_sender += 1
            return
        key = h.message_id or _synthetic_id(h)
        digest = hash(key)
        if digest in self._senders:
            self.duplicates += 1
            return
        sid = self._id(h.sender.email)
        self._senders[digest] = sid
        people: dict[int, Address] = {}
        for a in h.recipients:
            if not is_automated_address(a.email):
                people.setdefault(self._id(a.email), a)
        people.pop(sid, None)
        owner_got_it = people.pop(OWNER, None) is not None
        self._count(h, sid, people, owner_got_it=owner_got_it)
        self._join_thread(
            hash(h.thread or key), (sid, *people, *((OWNER,) if owner_got_it else ()))
        )
        if h.in_reply_to:
            self._replies.append(hash(h.in_reply_to))
            self._replies.append(sid)

    def _join_thread(self, thread_key: int, participants: tuple[int, ...]) -> None:
        """Add participants to a thread; each one new to it counts one more thread."""
        members = self._threads.get(thread_key, ())
        new = [p for p in participants if p not in members]
        if not new:
            return
        if isinstance(members, set):
            members.update(new)
        else:
            grown = (*members, *new)
            self._threads[thread_key] = set(grown) if len(grown) > 16 else grown
        stats = self._stats
        for pid in new:
            if pid != OWNER:
                stats[pid].threads += 1

    def _count(
        self, h: MailHeader, sid: int, people: dict[int, Address], *, owner_got_it: bool
    ) -> None:
        stats = self._stats
        if sid == OWNER:
            for pid, a in people.items():
                s = stats[pid]
                s.sent += 1
                s.touch(h.date)
                s.name_seen(a.name, 1)
            return
        s = stats[sid]
        s.received += 1
        s.touch(h.date)
        s.name_seen(h.sender.name if h.sender else "", 3)
        for pid, a in people.items():
            stats[pid].name_seen(a.name, 1)
            if owner_got_it:
                stats[pid].copied += 1

    def add_all(self, headers: Iterable[MailHeader]) -> MailAggregator:
        """Count every header of an iterable; returns self."""
        for h in headers:
            self.add(h)
        return self

    def _resolved_replies(self) -> tuple[list[int], list[int]]:
        """Per id: owner messages replying to theirs, and theirs replying to the owner's."""
        owner_replied = [0] * len(self._stats)
        they_replied = [0] * len(self._stats)
        replies = self._replies
        for k in range(0, len(replies), 2):
            target = self._senders.get(replies[k])
            replier = replies[k + 1]
            if target is None or (target == OWNER) == (replier == OWNER):
                continue
            if replier == OWNER:
                owner_replied[target] += 1
            else:
                they_replied[replier] += 1
        return owner_replied, they_replied

    def _excluded(self) -> set[int]:
        """The owner, list addresses, and senders of automated mail who never wrote personally."""
        excluded = {OWNER}
        for i, email in enumerate(self._addresses):
            if email in self._lists or (
                email in self._automated_senders and not self._stats[i].received
            ):
                excluded.add(i)
        return excluded

    def _pairs(self, excluded: set[int]) -> dict[tuple[str, str], int]:
        pairs: dict[tuple[str, str], int] = {}
        addresses = self._addresses
        for members in self._threads.values():
            if len(members) > self.max_thread_size:
                continue
            others = sorted(addresses[m] for m in members if m not in excluded)
            for pair in combinations(others, 2):
                pairs[pair] = pairs.get(pair, 0) + 1
        return dict(sorted(pairs.items()))

    def summary(self) -> MailSummary:
        """The aggregates so far (replies resolved, excluded addresses dropped)."""
        owner_replied, they_replied = self._resolved_replies()
        excluded = self._excluded()
        counterparts: dict[str, MailCounterpart] = {}
        for i, s in enumerate(self._stats):
            if i in excluded or not (s.sent or s.received or s.copied or s.threads):
                continue
            email = self._addresses[i]
            counterparts[email] = MailCounterpart(
                address=email,
                name=s.best_name(),
                sent=s.sent,
                received=s.received,
                copied=s.copied,
                threads=s.threads,
                owner_replied=owner_replied[i],
                they_replied=they_replied[i],
                first_contact=s.first,
                last_contact=s.last,
            )
        notes: list[str] = []
        if self.automated:
            notes.append(f"{self.automated} automated or mailing-list messages ignored")
        if self.duplicates:
            notes.append(f"{self.duplicates} duplicate copies of messages ignored")
        if self.without_sender:
            notes.append(f"{self.without_sender} messages without a usable From ignored")
        return MailSummary(
            counterparts=dict(sorted(counterparts.items())),
            cooccurrence=self._pairs(excluded),
            messages=self.messages,
            automated=self.automated,
            duplicates=self.duplicates,
            without_sender=self.without_sender,
            max_thread_size=self.max_thread_size,
            notes=tuple(notes),
        )


def _synthetic_id(h: MailHeader) -> str:
    """A stand-in Message-ID from sender, date and recipients, to spot duplicate copies."""
    when = h.date.isoformat() if h.date else f"{h.file}:{h.line}"
    sender = h.sender.email if h.sender else ""
    return f"synthetic:{sender}|{when}|{','.join(a.email for a in h.recipients)}"


def summarize_mail(
    path: Path,
    owner_addresses: Iterable[str],
    *,
    max_thread_size: int = DEFAULT_MAX_THREAD_SIZE,
    skipped: list[SkippedRow] | None = None,
) -> MailSummary:
    """Read every message under ``path`` (see :func:`iter_mail`) and aggregate it.

    Raises
    ------
    InvalidInput
        As :func:`iter_mail`.
    """
    agg = MailAggregator(owner_addresses, max_thread_size=max_thread_size)
    return agg.add_all(iter_mail(path, skipped=skipped)).summary()
