"""Reading CSV text the way real exports arrive: BOMs, cp1252, preambles, junk.

Pure helpers over text; callers own the file handling. Every row comes with its
physical starting line so errors can point at it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from graph.errors import InvalidInput

csv.field_size_limit(16 * 1024 * 1024)


def decode(data: bytes, file: str) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (with or without BOM), else cp1252.

    >>> decode("Ana,Pérez".encode("cp1252"), "x.csv")
    ('Ana,Pérez', 'cp1252')
    >>> decode(b"\\xef\\xbb\\xbfa,b", "x.csv")
    ('a,b', 'utf-8-sig')
    """
    if b"\x00" in data[:65536]:
        raise InvalidInput("this is a binary file, not CSV text", file=file, line=1)
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInput(
            "text is neither UTF-8 nor Windows-1252", file=file, line=line, field=None
        ) from exc


def rows(text: str, file: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the physical line each starts on (multi-line fields counted)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    previous = 0
    try:
        for record in reader:
            yield previous + 1, record
            previous = reader.line_num
    except csv.Error as exc:
        raise InvalidInput(f"malformed CSV: {exc}", file=file, line=reader.line_num) from exc


def norm_header(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").strip().casefold().split())


@dataclass(frozen=True, slots=True)
class Table:
    """A located header and the records after it."""

    file: str
    header_line: int
    columns: dict[str, int]
    records: list[tuple[int, list[str]]]

    def getter(self, column: str) -> Callable[[Sequence[str]], str]:
        """A fast accessor for one column (hot loops over 100k+ rows)."""
        i = self.columns.get(column)
        if i is None:
            return lambda _record: ""
        return lambda record: record[i].strip() if i < len(record) else ""

    def get(self, record: Sequence[str], column: str) -> str:
        i = self.columns.get(column)
        if i is None or i >= len(record):
            return ""
        return record[i].strip()


def find_table(
    text: str, file: str, required: Sequence[str], *, scan: int = 25, limit: int | None = None
) -> Table:
    """Find the header row holding every ``required`` column in the first ``scan`` rows.

    Detection by content, never by offsets: LinkedIn has put preambles of varying
    length above the header over the years.
    """
    it = rows(text, file)
    seen = 0
    for line, record in it:
        seen += 1
        names = [norm_header(c) for c in record]
        if all(r in names for r in required):
            columns: dict[str, int] = {}
            for i, n in enumerate(names):
                columns.setdefault(n, i)
            rest = []
            for ln, rec in it:
                if any(rec) and any(c.strip() for c in rec):
                    rest.append((ln, rec))
                    if limit is not None and len(rest) >= limit:
                        break
            return Table(file, line, columns, rest)
        if seen >= scan:
            break
    if seen == 0:
        raise InvalidInput("the file is empty", file=file, line=1)
    raise InvalidInput(
        f"no header row with the columns {', '.join(required)} in the first {scan} rows",
        file=file,
        line=1,
        field=required[0],
    )


_DATE_FORMATS = (
    "%d %b %Y",  # 16 Dec 2024 (2020+)
    "%d-%b-%y",  # 9-Sep-22 (Excel re-save)
    "%d-%b-%Y",
    "%m/%d/%y, %I:%M %p",  # "1/8/18, 6:14 PM" (2018)
    "%m/%d/%y",
    "%m/%d/%Y",
    "%Y-%m-%d",
    "%d %B %Y",
    "%b %d, %Y",
)
_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S UTC",  # 2025-11-17 22:05:06 UTC
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%SZ",
    "%m/%d/%y, %I:%M %p",
    "%m/%d/%Y, %I:%M %p",
    "%m/%d/%Y %I:%M %p",
    "%a %b %d %H:%M:%S %Z %Y",
    "%d %b %Y",
)


def parse_date(text: str) -> date:
    """A LinkedIn date in any format seen in exports.

    >>> [str(parse_date(t)) for t in ("16 Dec 2024", "9-Sep-22", "1/8/18, 6:14 PM")]
    ['2024-12-16', '2022-09-09', '2018-01-08']
    """
    value = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unrecognised date {text!r}")


def parse_datetime(text: str) -> datetime:
    """A message/invitation timestamp (naive UTC).

    >>> str(parse_datetime("2025-11-17 22:05:06 UTC"))
    '2025-11-17 22:05:06'
    """
    value = text.strip()
    if len(value) == 23 and value.endswith(" UTC"):  # the common case, parsed in C
        try:
            return datetime.fromisoformat(value[:19])
        except ValueError:
            pass
    for fmt in _DATETIME_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return datetime.combine(parse_date(value), datetime.min.time())
