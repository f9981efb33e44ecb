"""Older data dirs are brought to schema v3 at open, with the same rows a new write makes.

v1 had no folded columns, v2 all but ``company_norm`` (the resolver's company key, which
keeps the company names ``company_key`` drops as "no workplace"). A migrated row must
equal the row the current code writes for the same person, or identity resolution would
find other candidates in an old data dir than in a new one.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
from pathlib import Path

import pytest

from graph.model import ImportBatch, Person
from graph.store.embedded import FOLDED, SCHEMA_VERSION, EmbeddedStore

COMPANIES = [
    "",
    "Acme",
    "ACME, Inc.",
    "acme inc",
    "Self-employed",
    "Freelance",
    "Stealth Startup",
    "Zoë Ångström GmbH",
    "Google LLC",
    "University of Oxford",
    "Retired",
    "  Spaced   Out  Co. ",
    "株式会社テスト",
]


def people(seed: int) -> list[Person]:
    rng = random.Random(seed)
    return [
        Person(
            f"p{i}",
            rng.choice(["Ana Pérez", "BO LI", "cy o'neil", "Dr. Dee Dee", f"Person {i}"]),
            company=rng.choice(COMPANIES),
            position=rng.choice(["", "CTO", "Student", "Founder & CEO"]),
            email=f"p{i}@x.org" if i % 3 else "",
            url=f"https://www.linkedin.com/in/p{i}" if i % 2 else "",
        )
        for i in range(120)
    ]


def rows(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    columns = ", ".join(["workspace", "id", *FOLDED])
    found = conn.execute(f"SELECT {columns} FROM people ORDER BY workspace, id").fetchall()  # noqa: S608
    conn.close()
    return found


@pytest.mark.parametrize("old", [1, 2])
def test_an_older_data_dir_gets_the_rows_a_new_write_makes(tmp_path: Path, old: int) -> None:
    path = tmp_path / "w.db"
    store = EmbeddedStore(path)
    store.apply_sync("w", ImportBatch(people=people(old)))
    asyncio.run(store.close())
    want = rows(path)
    conn = sqlite3.connect(path)
    blanked = list(FOLDED) if old == 1 else ["company_norm"]
    blank = ", ".join(f"{column}=''" for column in blanked)
    conn.execute(f"UPDATE people SET {blank}")  # noqa: S608 (the store's own column names)
    conn.execute(f"PRAGMA user_version={old}")
    conn.commit()
    conn.close()
    assert rows(path) != want
    again = EmbeddedStore(path)
    asyncio.run(again.close())
    assert rows(path) == want
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    conn.close()
