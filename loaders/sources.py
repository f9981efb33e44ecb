"""File handling shared by the mail, calendar and address-book parsers.

- :func:`unfold`: RFC 5545 / RFC 6350 content lines (iCalendar and vCard fold long
  lines the same way), with the physical line each starts on, and vCard 2.1's
  quoted-printable soft breaks;
- :func:`open_zip` and :func:`zip_members`: an archive opened defensively, and the
  members a parser wants, in name order (Takeout zips hold many files);
- :func:`file_sources`: a file, a folder of files or a .zip, as (label, bytes),
  each capped in size; zip members are labelled ``archive.zip!member``.

Errors are :class:`~graph.errors.InvalidInput` naming the file (and line).
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from graph.errors import InvalidInput

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
#: What reading a damaged archive member may raise.
ZIP_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    OSError,
    EOFError,
)


def unfold(text: str, file: str, *, quoted_printable: bool = False) -> Iterator[tuple[int, str]]:
    """Unfolded logical lines with the physical line each starts on; blank lines skipped.

    A line starting with a space or tab continues the previous one (the first
    whitespace character is dropped). With ``quoted_printable``, a line whose
    property is quoted-printable and that ends in ``=`` continues on the next line
    (vCard 2.1 soft breaks).

    Examples
    --------
    >>> list(unfold("A:1\\r\\n  two\\r\\n\\r\\nB:3\\n", "x"))
    [(1, 'A:1 two'), (4, 'B:3')]
    >>> list(unfold("NOTE;ENCODING=QUOTED-PRINTABLE:a=\\nb\\nC:1", "x", quoted_printable=True))
    [(1, 'NOTE;ENCODING=QUOTED-PRINTABLE:ab'), (3, 'C:1')]
    """
    current: list[str] = []
    start = 0
    qp = False
    for n, raw in enumerate(text.split("\n"), 1):
        line = raw.removesuffix("\r")
        if current and qp and current[-1].endswith("="):
            current[-1] = current[-1][:-1]
            current.append(line.lstrip(" \t") if line[:1] in (" ", "\t") else line)
            continue
        if line[:1] in (" ", "\t") and line.strip():
            if not current:
                raise InvalidInput(
                    "a folded continuation line with nothing to continue", file=file, line=n
                )
            current.append(line[1:])
            continue
        if current:
            yield start, "".join(current)
            current = []
        if line.strip():
            current, start = [line], n
            qp = quoted_printable and "QUOTED-PRINTABLE" in line.split(":", 1)[0].upper()
    if current:
        yield start, "".join(current)


def reject_nul(data: bytes, file: str, what: str) -> None:
    """Refuse binary data (a NUL byte), naming its line."""
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise InvalidInput(f"NUL byte: binary data, not {what}", file=file, line=line)


def read_capped(stream: IO[bytes], file: str, cap: int) -> bytes:
    """All of a stream, refusing one longer than ``cap`` bytes."""
    data = stream.read(cap + 1)
    if len(data) > cap:
        raise InvalidInput(f"larger than {cap} bytes", file=file)
    return data


def open_zip(path: Path, label: str | None = None) -> zipfile.ZipFile:
    """The archive at ``path``, or ``InvalidInput`` naming it when it cannot be read."""
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InvalidInput(f"not a readable zip archive: {exc}", file=label or path.name) from exc


def zip_members(
    archive: zipfile.ZipFile, label: str, wanted: Callable[[str], bool], what: str
) -> list[zipfile.ZipInfo]:
    """The archive's files whose name ``wanted`` accepts, by name; refuses an archive with none."""
    members = sorted(
        (i for i in archive.infolist() if not i.is_dir() and wanted(i.filename)),
        key=lambda i: i.filename,
    )
    if not members:
        raise InvalidInput(f"the archive holds no {what} file", file=label)
    return members


def is_zip(path: Path) -> bool:
    """Whether a file starts like a zip archive."""
    try:
        with path.open("rb") as f:
            return f.read(4) in ZIP_MAGIC
    except OSError as exc:
        raise InvalidInput(f"cannot read: {exc.strerror}", file=str(path)) from exc


def file_sources(
    path: Path, suffixes: tuple[str, ...], *, cap: int, what: str
) -> Iterator[tuple[str, bytes]]:
    """(label, bytes) of every file with one of ``suffixes`` at ``path``: the file itself,
    the files of a folder (and of zips in it), or the members of a .zip.

    ``what`` names the kind in errors (".ics", ".vcf or .csv").
    """
    if not path.exists():
        raise InvalidInput("no such file or folder", file=str(path))
    if path.is_dir():
        found = sorted(
            f for f in path.rglob("*") if f.is_file() and f.suffix.casefold() in (*suffixes, ".zip")
        )
        if not found:
            raise InvalidInput(f"no {what} file under this folder", file=str(path))
        for one in found:
            yield from file_sources(one, suffixes, cap=cap, what=what)
        return
    if is_zip(path):
        with open_zip(path) as archive:
            wanted = lambda name: name.casefold().endswith(suffixes)  # noqa: E731
            for info in zip_members(archive, path.name, wanted, what):
                name = f"{path.name}!{info.filename}"
                try:
                    with archive.open(info) as stream:
                        data = read_capped(stream, name, cap)
                except ZIP_READ_ERRORS as exc:
                    raise InvalidInput(f"unreadable archive member: {exc}", file=name) from exc
                yield name, data
        return
    try:
        with path.open("rb") as stream:
            data = read_capped(stream, str(path), cap)
    except OSError as exc:
        raise InvalidInput(f"cannot read: {exc.strerror}", file=str(path)) from exc
    yield str(path), data
