"""Build the store and services from settings: the one place that picks a backend."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from graph.errors import WarmintroError
from graph.intro import OutcomePolicy
from graph.store.base import GraphStore
from graph.store.embedded import EmbeddedStore
from services.appdb import AppDB, JobTable
from services.erasure import Suppressions
from services.imports import ImportJobs
from services.network import Network
from services.outreach import Outreach
from services.planner import Planner
from services.settings import Backend, Settings
from services.team import Team

PRIVATE_UMASK = 0o077


def prepare_data_dir(settings: Settings) -> Path:
    """Make the data dir private: new files 0600 and folders 0700 (umask), and
    tighten what an older version left world-readable.

    The store, app db, WAL files and uploads hold names, emails and message counts;
    SQLite creates its files with the process umask, so the umask is set once at
    start-up (process-wide, on purpose: nothing this process writes is public).
    """
    os.umask(PRIVATE_UMASK)
    root = settings.data_dir
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    root.chmod(0o700)
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            Path(folder, name).chmod(0o700)
        for name in files:
            path = Path(folder, name)
            if not path.is_symlink():
                path.chmod(0o600)
    return root


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
            view_budget=settings.neo4j_view_budget,
        )
    prepare_data_dir(settings)
    return EmbeddedStore(settings.db_path, weights=settings.strength)


def prepare_snapshot(settings: Settings) -> None:
    """Bring the default workspace's planning snapshot up to date (embedded backend),
    so the workers a server starts next all memory-map it instead of building it."""
    import asyncio

    prepare_data_dir(settings)
    store = EmbeddedStore(settings.db_path, weights=settings.strength)
    appdb = AppDB(settings.data_dir / "app.db")
    try:
        store.use_view_options(appdb.view_options)
        store.catch_up(settings.workspace)  # maps a saved snapshot, even a day-old one
        store.catch_up(settings.workspace)  # and rebuilds it here if it was a day old
    finally:
        appdb.close()
        asyncio.run(store.close())  # saves the snapshot unless it is saved already


def snapshot_is_current(settings: Settings) -> bool:
    """Whether the default workspace's saved planning snapshot is of the stored version,
    today's and for these settings (by its manifest: the workers check it whole when
    they map it, and build it once between them if it is damaged). Never raises."""
    import asyncio

    try:
        store = EmbeddedStore(settings.db_path, weights=settings.strength)
    except (OSError, sqlite3.Error, WarmintroError):  # the child's preparation says why
        return False
    appdb = None
    try:
        appdb = AppDB(settings.data_dir / "app.db")
        store.use_view_options(appdb.view_options)
        return store.snapshot_current(settings.workspace)
    except (OSError, sqlite3.Error, WarmintroError, ValueError):
        return False
    finally:
        if appdb is not None:
            appdb.close()
        asyncio.run(store.close())


def prepare_snapshot_apart(settings: Settings) -> None:
    """:func:`prepare_snapshot` in a child process, for a server's supervisor: the
    supervisor that starts the workers then holds none of the graph. Done in-process,
    its arrays stayed mapped and its ids stayed allocated for the server's life (at
    10M ties: 1.8 GiB RSS in the supervisor beside two workers of ~0.7 GiB each).
    Skipped when the saved snapshot is current: a restart on the same day then pays
    no child's start, imports and snapshot check (~1.5 s at 1M ties, quiet)."""
    if snapshot_is_current(settings):
        return
    import multiprocessing

    child = multiprocessing.get_context("spawn").Process(
        target=prepare_snapshot, args=(settings,), name="warmintro-prepare-snapshot"
    )
    child.start()
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(
            f"preparing the planning snapshot failed (exit code {child.exitcode}); "
            "its error is printed above"
        )


def make_planner(settings: Settings, store: GraphStore) -> Planner:
    return Planner(
        store,
        weights=settings.strength,
        max_hops_limit=settings.max_hops_limit,
        suppressions=Suppressions(settings.data_dir / "app.db"),
        planning_threads=settings.planning_threads,
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
        imports = ImportJobs(JobTable(appdb), settings.uploads_dir)
        imports.recover()  # jobs a crashed or stopped process left running end as failed
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
            imports=imports,
            outreach=Outreach(planner, appdb, policy=policy),
            team=Team(planner, appdb),
        )

    async def close(self) -> None:
        await self.store.close()
        self.appdb.close()
