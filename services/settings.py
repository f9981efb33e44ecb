"""One typed settings object, read from the environment once and injected.

Every knob is a ``WARMINTRO_*`` variable; nested strength weights use a double
underscore, e.g. ``WARMINTRO_STRENGTH__RECENCY_MAX=0.5``.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.model import DEFAULT_MAX_HOPS, MAX_HOPS
from graph.strength import StrengthWeights


class Backend(StrEnum):
    EMBEDDED = "embedded"
    NEO4J = "neo4j"


class Settings(BaseSettings):
    """Process-wide configuration (see README "Configuration")."""

    model_config = SettingsConfigDict(
        env_prefix="WARMINTRO_", env_nested_delimiter="__", frozen=True, extra="ignore"
    )

    data_dir: Path = Field(default=Path("data"), description="embedded store and key files")
    workspace: str = "default"
    backend: Backend = Backend.EMBEDDED
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("")
    neo4j_database: str = "neo4j"
    neo4j_view_budget_mb: int = Field(
        default=1024,
        ge=0,
        description="MiB of workspace planning views each Neo4j worker keeps (least recently "
        "used go first; a view larger than this is served and kept alone); 0: no limit",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    environment: str = Field(
        default="production",
        description="'development' enables suggestions, GraphiQL and Litestar's debug pages",
    )
    strength: StrengthWeights = StrengthWeights()
    max_hops_limit: int = MAX_HOPS
    default_max_hops: int = DEFAULT_MAX_HOPS
    import_max_bytes: int = Field(
        default=100 * 1024 * 1024,
        description="largest upload (a whole multipart body), cut while it streams in",
    )
    introducer_fatigue_days: int = 30
    introducer_fatigue_factor: float = 0.6
    # GraphQL hardening (graphql-armor's defaults as the anchor).
    graphql_max_depth: int = 10
    graphql_max_aliases: int = 15
    graphql_max_tokens: int = 1000
    graphql_cost_budget: int = 60
    graphql_introspection: bool = False  # on only when a deployment asks for it
    graphiql: bool = False  # the GraphiQL page; always on with environment=development
    rate_limit_per_minute: int = 600  # per API key; 0 disables
    bad_key_limit_per_minute: int = 30  # requests with a missing or bad key, per address
    query_timeout_seconds: float = 10.0
    max_json_body_bytes: int = 256 * 1024  # every non-multipart body, chunked or not
    # Planning: searches run in worker threads (at most planning_threads at once) with an
    # expansion budget of graphql_cost_budget x expansions_per_cost_unit per request
    # (api/cost.py); one that needs more than ~20 ms moves to a forked child process
    # (services/planner.py run_search), so the GIL never keeps the event loop waiting.
    planning_threads: int = 2
    expansions_per_cost_unit: int = 500

    @property
    def db_path(self) -> Path:
        return self.data_dir / "warmintro.db"

    @property
    def uploads_dir(self) -> Path:
        """Where uploads wait for their import job (removed when the job ends)."""
        return self.data_dir / "uploads"

    @property
    def neo4j_view_budget(self) -> int | None:
        """The view budget in bytes (None: keep every workspace's view)."""
        return self.neo4j_view_budget_mb * 2**20 or None

    @property
    def request_expansions(self) -> int:
        """The label expansions one API request's searches may make in all."""
        return self.graphql_cost_budget * self.expansions_per_cost_unit

    @property
    def graphiql_enabled(self) -> bool:
        return self.graphiql or self.environment == "development"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings built from the environment, once per process."""
    return Settings()
