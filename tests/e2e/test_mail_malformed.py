"""Every malformed mail, calendar and address-book file the parsers' tests know is refused by
the import itself with its file and line, and the workspace is left exactly as it was."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import cast

import pytest

from graph.errors import InvalidInput
from graph.model import Person
from graph.store.embedded import EmbeddedStore
from services.access import Viewer
from services.imports import ImportKind, ImportRequest, run_import
from services.planner import Planner
from tests.conftest import small_network
from tests.unit import test_calendar, test_contacts, test_mail

OWNER = Person("me", "Me Myself", "Self", email="me@example.com")
CASES: list[tuple[str, ImportKind, str, list[str] | bytes, str, int | None]] = [
    *(
        (f"mbox-{name}", ImportKind.MBOX, fname, cast("list[str] | bytes", content), "\n", line)
        for name, content, fname, line in test_mail.MALFORMED
    ),
    *(
        (f"ics-{name}", ImportKind.CALENDAR, "bad.ics", content, "\r\n", line)
        for name, content, line in test_calendar.MALFORMED
    ),
    *(
        (
            f"card-{name}",
            ImportKind.VCARD if fname.endswith(".vcf") else ImportKind.CONTACTS,
            fname,
            content,
            "\r\n",
            line,
        )
        for name, fname, content, line, _field in test_contacts.MALFORMED
    ),
]


def test_there_are_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize(
    ("kind", "name", "content", "eol", "line"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
async def test_refused_with_file_and_line_and_nothing_written(
    tmp_path: Path,
    kind: ImportKind,
    name: str,
    content: list[str] | bytes,
    eol: str,
    line: int | None,
) -> None:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else (eol.join(content) + eol).encode())
    store = EmbeddedStore(tmp_path / "db.sqlite", today=lambda: date(2026, 1, 10))
    try:
        await store.apply("w", small_network())
        before = (await store.stats("w"), await store.people("w"), await store.merges("w"))
        planner = Planner(store, today=date(2026, 1, 10))
        with pytest.raises(InvalidInput) as err:
            await run_import(planner, Viewer("w"), ImportRequest(kind, path, owner=OWNER))
        assert (err.value.file, err.value.line) == (str(path), line)
        assert (await store.stats("w"), await store.people("w"), await store.merges("w")) == before
    finally:
        await store.close()
