"""Write schema.graphql from the Strawberry schema (run by `make schema`)."""

from pathlib import Path

from api.app import schema

Path(__file__).resolve().parent.parent.joinpath("schema.graphql").write_text(schema.as_str() + "\n")
