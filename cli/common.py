"""What every CLI command shares: exit codes, the context, running a body, printing JSON."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

import typer

from cli import render
from graph.errors import NoPath, WarmintroError
from graph.store.base import GraphStore
from services.access import Viewer
from services.appdb import AppDB
from services.planner import Planner
from services.runtime import make_planner, open_store
from services.settings import Settings

EXIT_LINT = 1
EXIT_BAD_INPUT = 2
EXIT_NO_PATH = 3

T = TypeVar("T")


@dataclass
class Context:
    settings: Settings


JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
FromOpt = Annotated[
    str | None, typer.Option("--from", help="Requester (PersonRef); default: you or your team.")
]


def settings_of(ctx: typer.Context) -> Settings:
    obj = ctx.obj
    assert isinstance(obj, Context)
    return obj.settings


def run(
    ctx: typer.Context,
    body: Callable[[Planner, Viewer], Awaitable[T]],
    *,
    as_json: bool = False,
) -> T:
    """Open the store, run ``body``, close the store; map domain errors to exit codes."""
    settings = settings_of(ctx)

    async def go() -> T:
        store: GraphStore = open_store(settings)
        appdb = AppDB(settings.data_dir / "app.db")
        store.use_view_options(appdb.view_options)  # the workspace's switches live there
        try:
            return await body(make_planner(settings, store), Viewer(settings.workspace))
        finally:
            await store.close()
            appdb.close()

    try:
        return asyncio.run(go())
    except NoPath as err:
        if as_json:
            emit(render.no_path_dict(err))
        else:
            typer.echo(f"no path: {err}", err=True)
        raise typer.Exit(EXIT_NO_PATH) from None
    except WarmintroError as err:
        if as_json:
            emit({"error": type(err).__name__, "message": str(err)})
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def emit(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
