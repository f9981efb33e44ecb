"""What every CLI command shares: exit codes, the context, running a body, printing JSON."""

from __future__ import annotations

import asyncio
import json
import re
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

import typer

from cli import render
from graph.errors import InvalidInput, NoPath, WarmintroError
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


_CLICK_NAMES = {
    "str": "TEXT",
    "int": "INTEGER",
    "float": "FLOAT",
    "path": "PATH",
    "file": "PATH",
    "directory": "DIRECTORY",
    "int range": "INTEGER",
    "float range": "FLOAT",
    "datetime": "DATETIME",
}


def conventional_metavars() -> None:
    """Typer 0.2x prints ``{path}``, ``<str>`` and ``<bool>`` in help; people expect the
    Click/POSIX look: ``PATH``, ``TEXT``, ``INTEGER`` and bare flags. Patched once, here,
    so every command's help and usage line read the ordinary way."""
    from typer import core

    original = core.TyperOption.display_type

    def type_label(param: Any, ctx: Any) -> str | None:
        if getattr(param, "is_flag", False) or getattr(param, "count", False):
            return None
        if param.metavar is not None:
            return str(param.metavar)
        label = str(original(param, ctx)).strip("<>")
        label = _CLICK_NAMES.get(label, label)
        return label + ("..." if param.nargs != 1 else "")

    def usage_name(param: Any) -> str:
        name = str(param.metavar or param.name).upper()
        name = name if param.required else f"[{name}]"
        return name + ("..." if param.nargs != 1 else "")

    core.TyperOption.display_type_rich = type_label  # type: ignore[method-assign,assignment]
    core.TyperArgument.display_type_rich = type_label  # type: ignore[method-assign,assignment]
    core.TyperArgument._usage_display_name = usage_name  # type: ignore[method-assign,assignment]


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
        message = cli_message(err)
        if as_json:
            emit({"error": type(err).__name__, "message": message})
        typer.echo(f"error: {message}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None


_ARGUMENTS = {"to": "TO", "ref": "REF", "target": "TO"}


def cli_message(err: WarmintroError) -> str:
    """The error in the CLI's words: a field of a request becomes the flag a person typed
    (``maxNodes`` -> ``--max-nodes``); file, line and field of a bad file stay as they are.

    >>> from graph.errors import InvalidInput
    >>> cli_message(InvalidInput("maxNodes must be between 1 and 500", field="maxNodes"))
    '--max-nodes: --max-nodes must be between 1 and 500'
    """
    if not isinstance(err, InvalidInput) or not err.field or err.file is not None:
        return str(err)
    field = err.field
    flag = _ARGUMENTS.get(field) or "--" + re.sub(r"(?<!^)(?=[A-Z])", "-", field).lower()
    message = err.message.replace(field, flag) if any(c.isupper() for c in field) else err.message
    return f"{flag}: {message}"


def emit(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
