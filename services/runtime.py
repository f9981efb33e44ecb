"""Build the store and services from settings: the one place that picks a backend."""

from __future__ import annotations

from dataclasses import dataclass

from graph.intro import OutcomePolicy
from graph.store.base import GraphStore
from graph.store.embedded import EmbeddedStore
from services.appdb import AppDB
from services.erasure import Suppressions
from services.imports import ImportJobs
from services.network import Network
from services.outreach import Outreach
from services.planner import Planner
from services.settings import Backend, Settings
from services.team import Team


def open_store(settings: Settings) -> GraphStore:
    """The configured backend, ready to use (the Neo4j one verifies connectivity lazily)."""
    if settings.backend is Backend.NEO4J:
        from graph.store.neo4j import Neo4jStore  # imported lazily: only this backend needs it

        return Neo4jStore.from_settings(
            uri=settings.neo4j_uri,
            user=settings.neo4j_user,
            password=settings.neo4j_password.get_secret_value(),
            database=settings.neo4j_database,
            weights=settings.strength,
        )
    return EmbeddedStore(settings.db_path, weights=settings.strength)


def make_planner(settings: Settings, store: GraphStore) -> Planner:
    return Planner(
        store,
        weights=settings.strength,
        max_hops_limit=settings.max_hops_limit,
        suppressions=Suppressions(settings.data_dir / "app.db"),
    )


@dataclass
class Services:
    """Everything a request handler may call, built once per process."""

    settings: Settings
    store: GraphStore
    planner: Planner
    network: Network
    appdb: AppDB
    imports: ImportJobs
    outreach: Outreach
    team: Team

    @classmethod
    def build(cls, settings: Settings, store: GraphStore | None = None) -> Services:
        store = store or open_store(settings)
        planner = make_planner(settings, store)
        appdb = AppDB(settings.data_dir / "app.db")
        store.use_view_options(appdb.view_options)  # per-workspace switches live there
        policy = OutcomePolicy(
            fatigue_days=settings.introducer_fatigue_days,
            fatigue_factor=settings.introducer_fatigue_factor,
        )
        return cls(
            settings=settings,
            store=store,
            planner=planner,
            network=Network(planner),
            appdb=appdb,
            imports=ImportJobs(),
            outreach=Outreach(planner, appdb, policy=policy),
            team=Team(planner, appdb),
        )

    async def close(self) -> None:
        await self.store.close()
        self.appdb.close()
