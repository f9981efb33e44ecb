"""Reading CSV text the way real exports arrive: BOMs, UTF-16, cp1252, junk.

Pure helpers over bytes and text, shared by every CSV loader; callers own the
file handling. Every record comes with its physical starting line so errors can
point at it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from graph.errors import InvalidInput

FIELD_LIMIT = csv.field_size_limit()
"""The one CSV field-size limit, for the CLI and the server alike: Python's default
(128 KiB), never raised, because the limit is process-wide (raising it for one file
raises it for every request after). No real export field comes near it: a LinkedIn
message is at most 8,000 characters. A longer field is a located error."""
MAX_COLUMNS = 512
"""The most columns a CSV row may have (real exports have under 40): a 100,000-column
header is refused at once instead of being matched cell by cell."""


def check_width(record: list[str], file: str, line: int) -> None:
    if len(record) > MAX_COLUMNS:
        raise InvalidInput(
            f"{len(record)} columns; at most {MAX_COLUMNS} are accepted", file=file, line=line
        )


def decode_text(data: bytes, file: str) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (BOM or not), UTF-16 with BOM, else cp1252.

    Excel re-saves exports as cp1252 or with a BOM; the encoding is returned so
    the report can say which was used.

    Examples
    --------
    >>> decode_text("Ana,Pérez".encode("cp1252"), "x.csv")
    ('Ana,Pérez', 'cp1252')
    >>> decode_text(b"\\xef\\xbb\\xbfa,b", "x.csv")
    ('a,b', 'utf-8-sig')
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InvalidInput("broken UTF-16 text", file=file, line=1) from exc
    if b"\x00" in data:  # the whole file: a NUL past the first block is still binary
        raise InvalidInput("this is a binary file, not CSV text", file=file, line=1)
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InvalidInput(
                f"text is neither UTF-8 nor Windows-1252 (byte 0x{data[exc.start]:02x})",
                file=file,
                line=line,
            ) from exc
    sample = text[:4096]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n\f")
    if sample and controls > len(sample) // 20:
        raise InvalidInput("this is a binary file, not CSV text", file=file, line=1)
    return text, encoding


def records(text: str, file: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the physical line each starts on (multi-line fields counted)."""
    # strict: a stray or unclosed quote is an error, not rows silently swallowed
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous = 0
    try:
        for record in reader:
            check_width(record, file, previous + 1)
            yield previous + 1, record
            previous = reader.line_num
    except csv.Error as exc:
        hint = " (a quote is never closed)" if "end of data" in str(exc) else ""
        raise InvalidInput(f"malformed CSV: {exc}{hint}", file=file, line=previous + 1) from exc


def norm_header(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").strip().strip('"').casefold().split())
