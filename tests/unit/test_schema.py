"""The committed schema.graphql is the schema the server serves; names follow docs/concepts.md."""

from __future__ import annotations

from pathlib import Path

from api.app import schema

ROOT = Path(__file__).resolve().parents[2]
CONTRACT_QUERIES = {
    "person",
    "searchPeople",
    "trustedPath",
    "alternativePaths",
    "introducers",
    "reach",
    "draftIntroRequest",
    "lintOutreach",
    "introRequests",
    "networkStats",
}
CONTRACT_MUTATIONS = {
    "importLinkedIn",
    "importEdges",
    "upsertPerson",
    "upsertRelationship",
    "recordInteraction",
    "rateRelationship",
    "createIntroRequest",
    "updateIntroRequest",
    "erasePerson",
}


def test_schema_file_is_current() -> None:
    committed = (ROOT / "schema.graphql").read_text().strip()
    assert committed == schema.as_str().strip(), "schema.graphql drifted: run `make schema`"


def test_every_contract_operation_exists() -> None:
    gql = schema._schema
    assert gql.query_type is not None
    assert gql.mutation_type is not None
    assert set(gql.query_type.fields) >= CONTRACT_QUERIES
    assert set(gql.mutation_type.fields) >= CONTRACT_MUTATIONS


def test_path_shape_matches_the_contract() -> None:
    path = schema._schema.get_type("Path")
    step = schema._schema.get_type("Step")
    assert {"found", "probability", "hops", "people", "steps"} <= set(path.fields)  # type: ignore[union-attr]
    assert {"from", "to", "strength", "evidence"} <= set(step.fields)  # type: ignore[union-attr]
