"""Build the store and services from settings: the one place that picks a backend."""

from __future__ import annotations

from graph.embedded import EmbeddedStore
from graph.store import GraphStore
from warmintro.services import Planner
from warmintro.settings import Backend, Settings


def open_store(settings: Settings) -> GraphStore:
    """The configured backend, ready to use (the Neo4j one verifies connectivity lazily)."""
    if settings.backend is Backend.NEO4J:
        from graph.neo4j_store import Neo4jStore  # imported lazily: the driver is heavy

        return Neo4jStore.from_settings(
            uri=settings.neo4j_uri,
            user=settings.neo4j_user,
            password=settings.neo4j_password.get_secret_value(),
            database=settings.neo4j_database,
            weights=settings.strength,
        )
    return EmbeddedStore(settings.db_path, weights=settings.strength)


def make_planner(settings: Settings, store: GraphStore) -> Planner:
    return Planner(store, weights=settings.strength, max_hops_limit=settings.max_hops_limit)
