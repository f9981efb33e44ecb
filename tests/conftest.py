"""Shared fixtures: a store per backend, a planner, and a small hand-made network."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from graph.model import Evidence, ImportBatch, Member, Person, Relationship, canonical_pair

if TYPE_CHECKING:
    from graph.store.base import GraphStore
    from services.planner import Planner

TODAY = date(2026, 11, 1)
BACKENDS = ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)]
"""Store parameters: the Neo4j one carries the ``neo4j`` marker (``make test-fast`` skips it)."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark what needs Java or Chromium even when a test asks for it indirectly."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & {"neo4j_server", "neo4j_driver"}:
            item.add_marker(pytest.mark.neo4j)
        if "/tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


def rel(a: str, b: str, **evidence: object) -> Relationship:
    """A relationship with one evidence record; ``owner`` defaults to 'me'."""
    x, y = canonical_pair(a, b)
    owner = str(evidence.pop("owner", "me"))
    return Relationship(x, y, (Evidence(owner=owner, **evidence),))  # type: ignore[arg-type]


def small_network() -> ImportBatch:
    """me -> ana -> bo -> cy (target at Acme); me -> dee -> cy is weaker; eve is isolated."""
    people = [
        Person("me", "Me Myself", company="Self"),
        Person("ana", "Ana Ames", company="Globex", position="Engineer", email="ana@example.com"),
        Person(
            "bo",
            "Bo Brandt",
            company="Acme",
            position="Director",
            url="https://www.linkedin.com/in/bo-brandt",
        ),
        Person("cy", "Cy Chen", company="Acme", position="Head of Payments"),
        Person("dee", "Dee Dunn", company="Initech", position="Partner"),
        Person("eve", "Eve Evans", company="Acme", position="Intern"),
    ]
    recent = datetime(2026, 10, 20, 12, 0)
    rels = [
        rel("me", "ana", messages_ab=12, messages_ba=9, last_contact=recent),
        rel("ana", "bo", rating=0.9),
        rel("bo", "cy", rating=0.8),
        rel("me", "dee", rating=0.5),
        rel("dee", "cy", rating=0.3),
    ]
    return ImportBatch(people=people, relationships=rels, members=[Member("me")])


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    """A fresh, empty store of each backend."""
    # Imported here so unit tests that need no store never import the backends.
    from graph.store.embedded import EmbeddedStore

    factory: Callable[[], GraphStore]
    if request.param == "embedded":
        factory = lambda: EmbeddedStore(tmp_path / "db.sqlite", today=lambda: TODAY)  # noqa: E731
    else:
        from neo4j import AsyncGraphDatabase

        from graph.store.neo4j import Neo4jStore

        server = request.getfixturevalue("neo4j_server")
        driver = AsyncGraphDatabase.driver(server.uri, auth=(server.user, server.password))
        factory = lambda: Neo4jStore(driver, today=lambda: TODAY, owns_driver=True)  # noqa: E731
    s = factory()
    try:
        yield s
    finally:
        await s.close()


@pytest.fixture
def planner(store: GraphStore) -> Planner:
    from services.planner import Planner

    return Planner(store, today=TODAY)
