"""The ``warmintro`` command line: parse, call a service, render.

Exit status (PRODUCT.md): 0 success; 1 lint findings; 2 bad usage, bad input or
unknown person; 3 no path found.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from graph.errors import NoPath, WarmintroError
from graph.store import GraphStore
from warmintro import render
from warmintro.runtime import make_planner, open_store
from warmintro.services import Planner, Viewer
from warmintro.settings import Settings

EXIT_LINT = 1
EXIT_BAD_INPUT = 2
EXIT_NO_PATH = 3

app = typer.Typer(
    name="warmintro",
    help="Find the most trusted path to anyone, and ask for an introduction instead of pitching.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(help="Load connection data into the workspace.", no_args_is_help=True)
app.add_typer(import_app, name="import")

T = TypeVar("T")


@dataclass
class Context:
    settings: Settings


JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
FromOpt = Annotated[
    str | None, typer.Option("--from", help="Requester (PersonRef); default: you or your team.")
]


@app.callback()
def main(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", envvar="WARMINTRO_DATA_DIR", help="Where the embedded store lives."),
    ] = None,
    workspace: Annotated[
        str | None,
        typer.Option("--workspace", envvar="WARMINTRO_WORKSPACE", help="Workspace name."),
    ] = None,
) -> None:
    overrides: dict[str, Any] = {}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if workspace is not None:
        overrides["workspace"] = workspace
    ctx.obj = Context(Settings(**overrides))


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
        try:
            return await body(make_planner(settings, store), Viewer(settings.workspace))
        finally:
            await store.close()

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


# -- planning ---------------------------------------------------------------------------
@app.command()
def path(
    ctx: typer.Context,
    from_ref: Annotated[str, typer.Argument(metavar="FROM", help="Requester (PersonRef).")],
    to_ref: Annotated[str, typer.Argument(metavar="TO", help="Target (PersonRef).")],
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, max=6)] = 3,
    k: Annotated[int, typer.Option("--k", min=1, max=50, help="Number of paths.")] = 1,
    min_strength: Annotated[float, typer.Option("--min-strength", min=0.0, max=1.0)] = 0.0,
    avoid: Annotated[list[str] | None, typer.Option("--avoid", help="Never route via.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """The most trusted path from FROM to TO (with --k, alternatives with different first hops)."""

    async def body(planner: Planner, viewer: Viewer) -> None:
        if k == 1:
            found = await planner.trusted_path(
                viewer, from_ref, to_ref, max_hops=max_hops, min_strength=min_strength, avoid=avoid or ()
            )
            emit(render.path_dict(found)) if as_json else typer.echo(render.path_text(found))
            return
        paths = await planner.alternative_paths(
            viewer, from_ref, to_ref, k=k, max_hops=max_hops, min_strength=min_strength, avoid=avoid or ()
        )
        if as_json:
            emit({"paths": [render.path_dict(p) for p in paths]})
        else:
            for i, p in enumerate(paths, 1):
                typer.echo(f"#{i} " + render.path_text(p))

    run(ctx, body, as_json=as_json)


@app.command()
def introducers(
    ctx: typer.Context,
    to_ref: Annotated[str, typer.Argument(metavar="TO")],
    from_ref: FromOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100)] = 5,
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, max=6)] = 3,
    as_json: JsonOpt = False,
) -> None:
    """The best people to ask for an introduction to TO, best first."""

    async def body(planner: Planner, viewer: Viewer) -> None:
        ranked = await planner.introducers(
            viewer, to_ref, from_ref=from_ref, limit=limit, max_hops=max_hops
        )
        if as_json:
            emit(render.introducers_dict(ranked))
            return
        if not ranked:
            typer.echo("nobody in your network can introduce you within the hop limit")
        for i, item in enumerate(ranked, 1):
            typer.echo(f"{i}. {item.person.name} — score {item.score:.3f}")
            for reason in item.reasons:
                typer.echo(f"     {reason}")

    run(ctx, body, as_json=as_json)


@app.command()
def reach(
    ctx: typer.Context,
    company: Annotated[str | None, typer.Option("--company", help="Company name contains.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Position contains.")] = None,
    from_ref: FromOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100)] = 20,
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, max=6)] = 3,
    as_json: JsonOpt = False,
) -> None:
    """Who we can reach at a company (and/or with a title), warmest first."""

    async def body(planner: Planner, viewer: Viewer) -> None:
        paths = await planner.reach(
            viewer, company=company, title=title, from_ref=from_ref, limit=limit, max_hops=max_hops
        )
        if as_json:
            emit({"reach": [render.path_dict(p) for p in paths]})
            return
        for p in paths:
            t = p.people[-1]
            typer.echo(f"{p.probability:.3f}  {t.name} ({t.position}, {t.company}) via {p.hops} hop(s)")

    run(ctx, body, as_json=as_json)


@app.command()
def stats(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Counts of people, relationships and interactions in the workspace."""

    async def body(planner: Planner, viewer: Viewer) -> None:
        doc = render.stats_dict(await planner.stats(viewer))
        if as_json:
            emit(doc)
        else:
            for key, value in doc.items():
                typer.echo(f"{key}: {value}")

    run(ctx, body, as_json=as_json)


@app.command()
def erase(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF")],
    as_json: JsonOpt = False,
) -> None:
    """Remove a person, every relationship touching them and all their evidence."""

    async def body(planner: Planner, viewer: Viewer) -> None:
        person = await planner.resolve(viewer, ref)
        erased = await planner.store.erase_person(viewer.workspace, person.id)
        doc = {
            "erased": erased.person_id,
            "relationships": erased.relationships,
            "evidence": erased.evidence,
        }
        emit(doc) if as_json else typer.echo(
            f"erased {person.name} [{person.id}]: {erased.relationships} relationships"
        )

    run(ctx, body, as_json=as_json)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option("--host")] = None,
    port: Annotated[int | None, typer.Option("--port")] = None,
) -> None:
    """Serve the GraphQL API (and the web page) with uvicorn."""
    import uvicorn

    from api.app import create_app

    settings = settings_of(ctx)
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
    )


if __name__ == "__main__":  # pragma: no cover
    app()
