"""A three-member workspace (full, paths, private) for the sharing tests.

Small and hand-made so one workspace per backend serves hundreds of probes.
Each member has contacts only their own data shows; ``RENEE`` (the private
member's contact) and ``QUINN`` (the paths member's) are the hidden people,
and ``ZOE`` describes someone who does not exist, written the same ways, so a
probe can compare "hidden" with "nonexistent".
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from api.app import schema
from api.context import request_context
from graph.model import Evidence, ImportBatch, Member, Person, Relationship, Sharing
from graph.model import canonical_pair as pair
from graph.store.base import GraphStore
from services.access import Viewer
from services.runtime import Services
from services.settings import Settings

TODAY = date(2026, 11, 1)
RECENT = datetime(2026, 10, 20, 12, 0)

FAY = "li:fay-full"  # shares full
PAT = "li:pat-paths"  # shares paths
PRUE = "li:prue-private"  # shares nothing


@dataclass(frozen=True, slots=True)
class Someone:
    """A person and every way to write a reference to them."""

    id: str
    name: str
    slug: str
    email: str
    company: str
    position: str

    @property
    def url(self) -> str:
        return f"https://www.linkedin.com/in/{self.slug}"

    def person(self) -> Person:
        return Person(
            self.id,
            self.name,
            company=self.company,
            position=self.position,
            email=self.email.lower(),
            url=self.url,
        )

    def refs(self) -> dict[str, str]:
        """Every way to name them: id, URL forms, email cases, exact name and variants."""
        plain = _strip_accents(self.name)
        return {
            "id": self.id,
            "url": self.url,
            "url-slash": self.url + "/",
            "url-bare": f"linkedin.com/in/{self.slug}",
            "url-www-slash": f"www.linkedin.com/in/{self.slug}/",
            "url-case": f"HTTPS://WWW.LinkedIn.com/in/{self.slug.upper()}/",
            "url-http": f"http://linkedin.com/in/{self.slug}",
            "email": self.email.lower(),
            "email-upper": self.email.upper(),
            "email-mixed": self.email,
            "name": self.name,
            "name-lower": self.name.lower(),
            "name-upper": self.name.upper(),
            "name-plain": plain,
            "name-spaced": "  " + self.name + " ",
        }


def _strip_accents(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


ANA = Someone("li:ana-open", "Ana Open", "ana-open", "ana@open.example", "Acme", "Engineer")
RENEE = Someone(
    "li:renee-prive",
    "Renée Privé",
    "renee-prive",
    "Renee.Prive@Secret.example",
    "Hushco",
    "Head of Secrets",
)
QUINN = Someone(
    "li:quinn-pathfinder",
    "Quinn Pathfinder",
    "quinn-pathfinder",
    "Quinn.P@Paths.example",
    "Globex",
    "Chief Technology Officer",
)
ZOE = Someone(
    "li:zoe-nulle", "Zoé Nullé", "zoe-nulle", "Zoe.Nulle@Nowhere.example", "Voidco", "Nobody"
)
"""Nobody: the nonexistent counterpart every hidden-person probe is compared with."""

HIDDEN = {"private": RENEE, "paths": QUINN}
MEMBERS = {"full": FAY, "paths": PAT, "private": PRUE}


def ev(owner: str, a: str, b: str, **kw: Any) -> Relationship:
    x, y = pair(a, b)
    return Relationship(x, y, (Evidence(owner=owner, **kw),))


def world() -> ImportBatch:
    people = [
        Person(FAY, "Fay Full", company="Team"),
        Person(PAT, "Pat Paths", company="Team"),
        Person(PRUE, "Prue Private", company="Team"),
        ANA.person(),
        RENEE.person(),
        QUINN.person(),
    ]
    rels = [
        # Fay's tie with Ana, which Prue's (private) data shows too: 13 messages of hers.
        Relationship(
            *pair(FAY, ANA.id),
            (
                Evidence(owner=FAY, messages_ab=4, messages_ba=3, last_contact=RECENT),
                Evidence(owner=PRUE, messages_ab=11, messages_ba=2, last_contact=RECENT),
            ),
        ),
        ev(PAT, PAT, QUINN.id, messages_ab=7, messages_ba=5, last_contact=RECENT),
        ev(PRUE, PRUE, RENEE.id, messages_ab=9, messages_ba=8, last_contact=RECENT),
        ev(PRUE, PRUE, ANA.id, rating=0.7),
    ]
    # Renée knows Ana too, in Prue's data only.
    rels.append(ev(PRUE, ANA.id, RENEE.id, messages_ab=6, messages_ba=6, last_contact=RECENT))
    members = [Member(FAY, Sharing.FULL), Member(PAT, Sharing.PATHS), Member(PRUE, Sharing.PRIVATE)]
    return ImportBatch(people=people, relationships=rels, members=members)


@dataclass
class World:
    services: Services
    workspace: str

    def viewer(self, member: str | None) -> Viewer:
        return Viewer(self.workspace, member)

    async def gql(self, query: str, member: str | None, **variables: Any) -> dict[str, Any]:
        """Run one GraphQL operation as ``member`` (None: an admin key)."""
        result = await schema.execute(
            query,
            variable_values=variables,
            context_value=request_context(self.services, self.viewer(member)),
        )
        assert result.errors is None, result.errors
        assert result.data is not None
        return result.data


async def build_world(store: GraphStore, data_dir: Path) -> World:
    services = Services.build(Settings(data_dir=data_dir), store)
    services.planner._today = TODAY
    ws = f"share-{uuid.uuid4().hex[:10]}"
    services.appdb.create_workspace(ws)
    services.settings = services.settings.model_copy(update={"workspace": ws})
    await store.apply(ws, world())
    return World(services, ws)


async def open_backend(request: pytest.FixtureRequest, data_dir: Path) -> AsyncIterator[GraphStore]:
    """A store of the backend ``request.param`` names (the Neo4j server is the session's)."""
    from graph.store.embedded import EmbeddedStore

    store: GraphStore
    if request.param == "embedded":
        store = EmbeddedStore(data_dir / "db.sqlite", today=lambda: TODAY)
    else:
        from neo4j import AsyncGraphDatabase

        from graph.store.neo4j import Neo4jStore

        server = request.getfixturevalue("neo4j_server")
        driver = AsyncGraphDatabase.driver(server.uri, auth=(server.user, server.password))
        store = Neo4jStore(driver, today=lambda: TODAY, owns_driver=True)
    try:
        yield store
    finally:
        await store.close()
