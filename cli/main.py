"""The ``warmintro`` command line: parse, call a service, render.

Exit status (docs/concepts.md): 0 success; 1 lint findings; 2 bad usage, bad input or
unknown person; 3 no path found.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import errno
import os
import socket
import sys
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from cli import render
from cli.common import (
    EXIT_BAD_INPUT,
    EXIT_LINT,
    Context,
    FromOpt,
    JsonOpt,
    T,
    conventional_metavars,
    emit,
    run,
    settings_of,
)
from cli.export import FormatOpt, register, render_paths
from graph.errors import InvalidInput, WarmintroError
from graph.intro import IntroStatus
from graph.model import DEFAULT_MAX_HOPS, MAX_HOPS, ImportBatch, Member
from loaders.report import ImportReport
from outreach.lint import lint_outreach
from services.access import Viewer
from services.appdb import AppDB
from services.imports import ImportKind, ImportRequest, import_owner, run_import
from services.network import Network
from services.outreach import Outreach
from services.planner import Planner, describe
from services.runtime import prepare_snapshot_apart
from services.settings import Backend, Settings
from services.team import Team

conventional_metavars()
app = typer.Typer(
    name="warmintro",
    help="Find the most trusted path to anyone, and ask for an introduction instead of pitching.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(help="Load connection data into the workspace.", no_args_is_help=True)
app.add_typer(import_app, name="import")
workspace_app = typer.Typer(help="Workspaces: isolated team graphs.", no_args_is_help=True)
app.add_typer(workspace_app, name="workspace")
key_app = typer.Typer(help="API keys (stored hashed; shown once).", no_args_is_help=True)
app.add_typer(key_app, name="key")
intro_app = typer.Typer(help="Intro requests and their lifecycle.", no_args_is_help=True)
member_app = typer.Typer(help="Workspace members and their sharing levels.", no_args_is_help=True)
app.add_typer(member_app, name="member")
app.add_typer(intro_app, name="intro")


@app.callback()
def main(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir", envvar="WARMINTRO_DATA_DIR", help="Where the embedded store lives."
        ),
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
    settings = Settings(**overrides)
    if workspace is None:
        settings = _default_workspace(settings)
    ctx.obj = Context(settings)


def _default_workspace(settings: Settings) -> Settings:
    """One story for a new user: with no --workspace, and no workspace of the default name
    here, the only workspace there is (the demo after ``make run``) is the one used."""
    if not (settings.data_dir / "app.db").exists():
        return settings
    db = AppDB(settings.data_dir / "app.db")
    try:
        names = db.workspaces()
    finally:
        db.close()
    if settings.workspace in names or not names:
        return settings
    if len(names) == 1:
        typer.echo(f"(using workspace {names[0]!r}, the only one here)", err=True)
        return settings.model_copy(update={"workspace": names[0]})
    typer.echo(
        f"(workspace {settings.workspace!r} does not exist here; workspaces: "
        f"{', '.join(names)}; choose one with --workspace NAME)",
        err=True,
    )
    return settings


# -- planning ---------------------------------------------------------------------------
@app.command()
def path(
    ctx: typer.Context,
    from_ref: Annotated[str, typer.Argument(metavar="FROM", help="Requester (PersonRef).")],
    to_ref: Annotated[str, typer.Argument(metavar="TO", help="Target (PersonRef).")],
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, max=MAX_HOPS)] = DEFAULT_MAX_HOPS,
    k: Annotated[int, typer.Option("--k", min=1, max=50, help="Number of paths.")] = 1,
    min_strength: Annotated[float, typer.Option("--min-strength", min=0.0, max=1.0)] = 0.0,
    avoid: Annotated[list[str] | None, typer.Option("--avoid", help="Never route via.")] = None,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """The most trusted path from FROM to TO (with --k, alternatives with different first hops)."""

    async def body(planner: Planner, viewer: Viewer) -> None:
        if fmt is not None:
            paths = (
                await planner.alternative_paths(
                    viewer,
                    from_ref,
                    to_ref,
                    k=k,
                    max_hops=max_hops,
                    min_strength=min_strength,
                    avoid=avoid or (),
                )
                if k > 1
                else [
                    await planner.trusted_path(
                        viewer,
                        from_ref,
                        to_ref,
                        max_hops=max_hops,
                        min_strength=min_strength,
                        avoid=avoid or (),
                    )
                ]
            )
            typer.echo(render_paths(paths, fmt))
            return
        if k == 1:
            found = await planner.trusted_path(
                viewer,
                from_ref,
                to_ref,
                max_hops=max_hops,
                min_strength=min_strength,
                avoid=avoid or (),
            )
            emit(render.path_dict(found)) if as_json else typer.echo(render.path_text(found))
            return
        paths = await planner.alternative_paths(
            viewer,
            from_ref,
            to_ref,
            k=k,
            max_hops=max_hops,
            min_strength=min_strength,
            avoid=avoid or (),
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
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, max=MAX_HOPS)] = DEFAULT_MAX_HOPS,
    company: Annotated[
        str | None,
        typer.Option("--company", help="Where they work, for someone in nobody's data."),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="Their title (with --company).")
    ] = None,
    as_json: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """The best people to ask for an introduction to TO, best first (asking history counts)."""

    async def body(planner: Planner, viewer: Viewer) -> None:
        db = _appdb(ctx)
        try:
            outreach = Outreach(planner, db)
            found = await outreach.introducers(
                viewer,
                to_ref,
                from_ref=from_ref,
                limit=limit,
                max_hops=max_hops,
                company=company or "",
                title=title or "",
            )
        finally:
            db.close()
        ranked = found.introducers
        if fmt is not None:
            typer.echo(render_paths([i.path for i in ranked], fmt))
            return
        if as_json:
            emit(render.introducers_dict(found))
            return
        typer.echo(render.introducers_text(found))

    run(ctx, body, as_json=as_json)


@app.command()
def reach(
    ctx: typer.Context,
    company: Annotated[
        str | None,
        typer.Option("--company", help='Company, however spelt ("ACME, Inc." is "Acme").'),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option("--title", help="Title words; CTO, VP and other abbreviations understood."),
    ] = None,
    from_ref: FromOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100)] = 20,
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, max=MAX_HOPS)] = DEFAULT_MAX_HOPS,
    as_json: JsonOpt = False,
) -> None:
    """Who we can reach at a company (and/or with a title), warmest first."""

    async def body(planner: Planner, viewer: Viewer) -> None:
        paths = await planner.reach(
            viewer, company=company, title=title, from_ref=from_ref, limit=limit, max_hops=max_hops
        )
        if as_json:
            emit({"reach": [render.reach_dict(p) for p in paths]})
            return
        if not paths:
            what = " ".join(x for x in (title, f"at {company}" if company else "") if x)
            typer.echo(
                f"nobody {what} is reachable within {max_hops} hops; try another spelling, "
                "fewer title words, --max-hops 4, or `introducers --company` for someone "
                "in nobody's data"
            )
        for p in paths:
            typer.echo(render.reach_text(p))
        if len(paths) == limit:
            typer.echo(f"(showing the first {limit}; more may be reachable: use --limit)")

    run(ctx, body, as_json=as_json)


@app.command()
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="Name, company, position or email.")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=100)] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Find people and their ids (use an id, URL, email or exact name wherever REF is asked)."""

    async def body(planner: Planner, viewer: Viewer) -> None:
        people, more = await planner.search(viewer, text, limit=limit)
        if as_json:
            emit({"people": [render.person_dict(p) for p in people], "more": more})
            return
        if not people:
            typer.echo(f"nobody matches {text!r}; try part of a name or a company")
            return
        for p in people:
            typer.echo(describe(p))
        if more:
            typer.echo(f"(more match; showing the first {limit}: use --limit)")

    run(ctx, body, as_json=as_json)


@member_app.command("list")
def member_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """The workspace's members and how much of their network each shares."""

    async def body(planner: Planner, viewer: Viewer) -> None:
        members = await Team(planner, _appdb(ctx)).members(viewer)
        if as_json:
            emit({"members": [render.member_dict(m) for m in members]})
            return
        if not members:
            typer.echo("no members yet: import a LinkedIn export to add its owner")
        for m in members:
            typer.echo(f"{describe(m.person)}  sharing: {m.sharing.value}")

    run(ctx, body, as_json=as_json)


@member_app.command("sharing")
def member_sharing(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="The member (PersonRef).")],
    level: Annotated[str, typer.Argument(metavar="LEVEL", help="private, paths or full")],
    as_json: JsonOpt = False,
) -> None:
    """Set how much of a member's network teammates may use."""

    async def body(planner: Planner, viewer: Viewer) -> None:
        m = await Team(planner, _appdb(ctx)).set_sharing(viewer, ref, level)
        if as_json:
            emit({"person": render.person_dict(m.person), "sharing": m.sharing.value})
        else:
            typer.echo(f"{m.person.name} now shares: {m.sharing.value}")

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
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask for confirmation (for scripts).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Erase a person completely (ties, evidence, intro requests); re-imports skip them.

    Asks before erasing; pass --yes in scripts (without a terminal it refuses to guess).
    """

    async def body(planner: Planner, viewer: Viewer) -> None:
        person = await planner.resolve(viewer, ref)
        if not yes:
            if not sys.stdin.isatty():
                raise InvalidInput(
                    f"erasing {person.name} [{person.id}] cannot be undone; pass --yes to "
                    "confirm when not at a terminal",
                    field="yes",
                )
            if not typer.confirm(f"Erase {person.name} [{person.id}] and all their ties?"):
                typer.echo("nothing erased")
                return
        erased = await Network(planner).erase(viewer, person.id)
        doc = {
            "erased": erased.person_id,
            "relationships": erased.relationships,
            "evidence": erased.evidence,
            "introRequests": erased.intro_requests,
            "suppressedKeys": erased.suppressed_keys,
        }
        emit(doc) if as_json else typer.echo(
            f"erased {person.name} [{person.id}]: {erased.relationships} relationships, "
            f"{erased.intro_requests} intro requests; a re-import will skip them"
        )

    run(ctx, body, as_json=as_json)


# -- imports -----------------------------------------------------------------------------
def _import(
    ctx: typer.Context,
    request_for: Callable[[Planner, Viewer], Awaitable[ImportRequest]],
    as_json: bool,
) -> None:
    """Run one import with a progress bar; print its report."""

    async def body(planner: Planner, viewer: Viewer) -> ImportReport:
        request = await request_for(planner, viewer)
        with Progress(
            TextColumn("[bold]importing"),
            SpinnerColumn(),
            TextColumn("{task.completed:,} rows"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
            disable=as_json or not sys.stderr.isatty(),
        ) as bar:
            task = bar.add_task("import", total=None)
            return await run_import(
                planner, viewer, request, lambda n: bar.update(task, completed=n)
            )

    report = run(ctx, body, as_json=as_json)
    if as_json:
        emit(report.as_dict())
        return
    typer.echo(
        f"imported {report.source}: {report.people} people, "
        f"{report.relationships} relationships, {report.interactions} interactions, "
        f"{report.merges} merges, {len(report.skipped)} skipped rows"
    )
    for note in report.notes:
        typer.echo(f"  note: {note}")
    for row in report.skipped[:50]:
        typer.echo(f"  skipped {row}")
    if len(report.skipped) > 50:
        typer.echo(f"  ... and {len(report.skipped) - 50} more skipped rows (use --json for all)")


@import_app.command("linkedin")
def import_linkedin(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Export folder, its .zip, or a Connections.csv.")],
    owner: Annotated[
        str | None, typer.Option("--owner", help="Whose export (PersonRef); default: Profile.csv.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Import a LinkedIn data export (every known format variant)."""

    async def request(planner: Planner, viewer: Viewer) -> ImportRequest:
        return ImportRequest(
            ImportKind.LINKEDIN, path, owner=await import_owner(planner, viewer, owner)
        )

    _import(ctx, request, as_json)


@import_app.command("edges")
def import_edges(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="CSV (source,target[,strength]) or JSON edge list.")],
    people: Annotated[
        Path | None, typer.Option("--people", help="id,name,company,position,email,url")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Import a generic edge list; a bad row aborts the whole import (exit 2)."""

    async def request(planner: Planner, viewer: Viewer) -> ImportRequest:
        return ImportRequest(ImportKind.EDGES, path, people_path=people)

    _import(ctx, request, as_json)


@import_app.command("graphml")
def import_graphml(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A GraphML file.")],
    as_json: JsonOpt = False,
) -> None:
    """Import a GraphML graph (node name/company/position/email/url, edge strength)."""

    async def request(planner: Planner, viewer: Viewer) -> ImportRequest:
        return ImportRequest(ImportKind.GRAPHML, path)

    _import(ctx, request, as_json)


OwnerOpt = Annotated[
    str | None,
    typer.Option("--owner", help="Whose data (PersonRef or email); members: themselves."),
]
AliasOpt = Annotated[
    list[str] | None,
    typer.Option("--alias", help="Another address of the owner (repeatable)."),
]


def _personal_import(
    ctx: typer.Context,
    kind: ImportKind,
    path: Path,
    owner: str | None,
    aliases: list[str] | None,
    as_json: bool,
) -> None:
    async def request(planner: Planner, viewer: Viewer) -> ImportRequest:
        return ImportRequest(
            kind,
            path,
            owner=await import_owner(planner, viewer, owner),
            aliases=tuple(aliases or ()),
        )

    _import(ctx, request, as_json)


@import_app.command("mbox")
def import_mbox(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="An mbox, a Google Takeout .zip, an .eml or a folder of mail.")
    ],
    owner: OwnerOpt = None,
    alias: AliasOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import email metadata (who, when, which thread; never a subject or a body)."""
    _personal_import(ctx, ImportKind.MBOX, path, owner, alias, as_json)


@import_app.command("calendar")
def import_calendar(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="An .ics file, a folder of them or a .zip.")],
    owner: OwnerOpt = None,
    alias: AliasOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import meetings (who met whom, when, in how large a group; never titles)."""
    _personal_import(ctx, ImportKind.CALENDAR, path, owner, alias, as_json)


@import_app.command("vcard")
def import_vcard(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A .vcf (vCard 2.1/3.0/4.0), folder or .zip.")],
    owner: OwnerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import an address book (names, emails, organisation, title; phones are not kept)."""
    _personal_import(ctx, ImportKind.VCARD, path, owner, None, as_json)


@import_app.command("contacts")
def import_contacts(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A Google Contacts or Outlook CSV export.")],
    owner: OwnerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import a Google Contacts or Outlook contacts CSV (phones are not kept)."""
    _personal_import(ctx, ImportKind.CONTACTS, path, owner, None, as_json)


# -- workspaces and keys ------------------------------------------------------------------
def _appdb(ctx: typer.Context) -> AppDB:
    return AppDB(settings_of(ctx).data_dir / "app.db")


@workspace_app.command("create")
def workspace_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="lower-case letters, digits, - and _")],
    as_json: JsonOpt = False,
) -> None:
    """Create a workspace and print a new admin API key for it."""
    db = _appdb(ctx)
    try:
        db.create_workspace(name)
        key = db.create_key(name, None)
        emit({"workspace": name, "adminKey": key}) if as_json else typer.echo(key)
    except WarmintroError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    finally:
        db.close()


@workspace_app.command("list")
def workspace_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """The workspaces in this data dir (the CLI uses --workspace or WARMINTRO_WORKSPACE),
    with their options."""
    db = _appdb(ctx)
    try:
        names = db.workspaces()
        options = {name: db.view_options(name) for name in names}
    finally:
        db.close()
    current = settings_of(ctx).workspace
    if as_json:
        emit(
            {
                "workspaces": names,
                "current": current,
                "options": {n: {"inferColleagues": o.infer_colleagues} for n, o in options.items()},
            }
        )
        return
    for name in names:
        infer = "on" if options[name].infer_colleagues else "off"
        typer.echo(f"{'*' if name == current else ' '} {name}  (inferred colleagues: {infer})")
    if current not in names:
        typer.echo(f"(the CLI is using {current!r}, which does not exist yet)")


@workspace_app.command("set")
def workspace_set(
    ctx: typer.Context,
    name: Annotated[
        str | None, typer.Argument(help="The workspace (default: the CLI's current one).")
    ] = None,
    infer_colleagues: Annotated[
        bool | None,
        typer.Option(
            "--infer-colleagues/--no-infer-colleagues",
            help="Infer weak ties between people at the same current company (default on).",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a workspace's options; with none given, print them. Applies from the next query."""

    async def body(planner: Planner, viewer: Viewer) -> bool:
        team = Team(planner, _appdb(ctx))
        try:
            admin = Viewer(name or viewer.workspace)  # the CLI speaks as the workspace's admin
            if not team.appdb.workspace_exists(admin.workspace):
                raise InvalidInput(f"no workspace named {admin.workspace!r}", field="workspace")
            if infer_colleagues is None:
                return team.options(admin).infer_colleagues
            return team.set_options(admin, infer_colleagues=infer_colleagues).infer_colleagues
        finally:
            team.appdb.close()

    on = run(ctx, body, as_json=as_json)
    ws = name or settings_of(ctx).workspace
    if as_json:
        emit({"workspace": ws, "options": {"inferColleagues": on}})
    else:
        typer.echo(f"{ws}: inferred colleagues {'on' if on else 'off'}")


@key_app.command("list")
def key_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """The workspace's API keys (their first characters only; keys are stored hashed)."""

    async def body(planner: Planner, viewer: Viewer) -> None:
        keys = Team(planner, _appdb(ctx)).keys(viewer)
        if as_json:
            emit({"keys": [render.key_dict(k) for k in keys]})
            return
        for k in keys:
            state = f"revoked {k.revoked_at:%Y-%m-%d}" if k.revoked_at else "live"
            typer.echo(f"{k.prefix}…  {k.member or '(admin)'}  {k.created_at:%Y-%m-%d}  {state}")

    run(ctx, body, as_json=as_json)


@key_app.command("revoke")
def key_revoke(
    ctx: typer.Context,
    prefix: Annotated[str, typer.Argument(metavar="PREFIX", help="The key's first characters.")],
    as_json: JsonOpt = False,
) -> None:
    """Revoke a key at once (every server on this data dir refuses it from the next request)."""

    async def body(planner: Planner, viewer: Viewer) -> int:
        return Team(planner, _appdb(ctx)).revoke_key(viewer, prefix)

    n = run(ctx, body, as_json=as_json)
    if as_json:
        emit({"revoked": n, "prefix": prefix})
    else:
        typer.echo(f"revoked {n} key" + ("s" if n != 1 else ""))


@key_app.command("create")
def key_create(
    ctx: typer.Context,
    workspace: Annotated[
        str, typer.Option("--workspace", help="The workspace the key belongs to.")
    ],
    member: Annotated[
        str, typer.Option("--member", help="The member (PersonRef) the key speaks for.")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Create an API key for a member of a workspace and print it (shown once)."""

    db = _appdb(ctx)
    try:
        names = db.workspaces()
    finally:
        db.close()
    if workspace not in names:
        typer.echo(
            f"error: no workspace named {workspace!r} (workspaces here: "
            f"{', '.join(names) or 'none'}); create it with: warmintro workspace create "
            f"{workspace}",
            err=True,
        )
        raise typer.Exit(EXIT_BAD_INPUT)

    async def body(planner: Planner, viewer: Viewer) -> str:
        person = await planner.resolve(Viewer(workspace), member)
        await planner.store.apply(workspace, ImportBatch(members=[Member(person.id)]))
        db = _appdb(ctx)
        try:
            return db.create_key(workspace, person.id)
        finally:
            db.close()

    key = run(ctx, body, as_json=as_json)
    emit({"workspace": workspace, "key": key}) if as_json else typer.echo(key)


@app.command()
def demo(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option("--host", help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port to listen on.")] = None,
    serve_api: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve after building.")
    ] = True,
) -> None:
    """Build the demo workspace from generated LinkedIn exports, print its key, and serve."""
    from services.demo import build_demo

    settings = settings_of(ctx)
    # Claim the port first: a busy port must fail before a key is minted for nothing.
    listener = _listen(host or settings.host, port or settings.port) if serve_api else None
    try:
        result = asyncio.run(build_demo(settings))
    except WarmintroError as exc:  # e.g. an older demo in the data directory
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    typer.echo(result.summary)
    typer.echo(f"API key for {result.member_name} in workspace {result.workspace!r}:")
    typer.echo(result.key)
    if listener is not None:
        typer.echo(
            f"CLI: add --workspace {result.workspace} (or export "
            f"WARMINTRO_WORKSPACE={result.workspace}) to use the demo from the command line."
        )
        demo_settings = settings.model_copy(update={"workspace": result.workspace})
        _serve(demo_settings, listener, workers=1)


# -- outreach -------------------------------------------------------------------------------
@app.command()
def lint(
    source: Annotated[str, typer.Argument(metavar="FILE", help="A file, or - for stdin.")] = "-",
    as_json: JsonOpt = False,
) -> None:
    """Flag cold-pitch habits in an outreach message (exit 1 when it finds any)."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        typer.echo(f"error: cannot read {source}: {exc.strerror}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    result = lint_outreach(text)
    if as_json:
        emit(render.lint_dict(result))
    else:
        if not result.findings:
            typer.echo("clean: nothing to flag")
        for f in result.findings:
            typer.echo(f"{f.severity.value:7} {f.rule} [{f.start}:{f.end}] {f.excerpt!r}")
            typer.echo(f"        why: {f.explanation}")
            typer.echo(f"        try: {f.suggestion}")
    if not result.clean:
        raise typer.Exit(EXIT_LINT)


def _with_outreach(
    ctx: typer.Context, work: Callable[[Outreach, Viewer], Awaitable[T]], *, as_json: bool = False
) -> T:
    async def body(planner: Planner, viewer: Viewer) -> T:
        db = _appdb(ctx)
        try:
            return await work(Outreach(planner, db), viewer)
        finally:
            db.close()

    return run(ctx, body, as_json=as_json)


@app.command()
def draft(
    ctx: typer.Context,
    to_ref: Annotated[str, typer.Argument(metavar="TO", help="Who you want to meet (PersonRef).")],
    goal: Annotated[
        str, typer.Option("--goal", help="What you want to talk about, in your words.")
    ],
    via: Annotated[
        str | None, typer.Option("--via", help="Introducer (default: the best ranked).")
    ] = None,
    from_ref: FromOpt = None,
    tone: Annotated[str, typer.Option("--tone", help="warm, formal or brief.")] = "warm",
    as_json: JsonOpt = False,
) -> None:
    """Draft a double-opt-in referral request to an introducer, plus a forwardable blurb."""

    async def work(outreach: Outreach, viewer: Viewer) -> None:
        view = await outreach.draft(
            viewer, to_ref, goal=goal, via_ref=via, from_ref=from_ref, tone=tone
        )
        doc = render.draft_dict(view)
        if as_json:
            emit(doc)
            return
        typer.echo(render.draft_text(view))

    _with_outreach(ctx, work, as_json=as_json)


@intro_app.command("create")
def intro_create(
    ctx: typer.Context,
    to_ref: Annotated[str, typer.Argument(metavar="TO")],
    via: Annotated[str, typer.Option("--via", help="The introducer you asked (PersonRef).")],
    goal: Annotated[str, typer.Option("--goal")],
    from_ref: FromOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a planned intro request (status drafted); prints its id."""

    async def work(outreach: Outreach, viewer: Viewer) -> None:
        req = await outreach.create_request(
            viewer, to_ref, via_ref=via, goal=goal, from_ref=from_ref
        )
        emit(render.intro_dict(req)) if as_json else typer.echo(req.id)

    _with_outreach(ctx, work, as_json=as_json)


@intro_app.command("update")
def intro_update(
    ctx: typer.Context,
    request_id: Annotated[str, typer.Argument(metavar="ID")],
    status: Annotated[IntroStatus, typer.Argument(metavar="STATUS", case_sensitive=False)],
    as_json: JsonOpt = False,
) -> None:
    """Move a request: drafted → asked → accepted | declined | no_response → introduced → met."""

    async def work(outreach: Outreach, viewer: Viewer) -> None:
        req = outreach.update_request(viewer, request_id, status)
        emit(render.intro_dict(req)) if as_json else typer.echo(f"{req.id}: {req.status.value}")

    _with_outreach(ctx, work, as_json=as_json)


async def _name(planner: Planner, viewer: Viewer, person_id: str) -> str:
    """A person's name for a listing; someone no longer visible reads as such, no id."""
    try:
        return (await planner.resolve(viewer, person_id)).name
    except WarmintroError:
        return "(someone you cannot see)"


@intro_app.command("list")
def intro_list(
    ctx: typer.Context,
    status: Annotated[
        IntroStatus | None,
        typer.Option(
            "--status",
            case_sensitive=False,
            metavar="STATUS",
            help="drafted, asked, accepted, declined, no_response, introduced or met.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List intro requests, oldest first."""

    async def work(outreach: Outreach, viewer: Viewer) -> None:
        items = outreach.requests(viewer, status)
        if as_json:
            emit({"introRequests": [render.intro_dict(r) for r in items]})
            return
        if not items:
            typer.echo("no intro requests" + (f" with status {status.value}" if status else ""))
        names: dict[str, str] = {}
        for r in items:
            for pid in (r.requester, r.introducer, r.target):
                if pid not in names:
                    names[pid] = await _name(outreach.planner, viewer, pid)
            typer.echo(
                f"{r.id}  {r.status.value:12} {names[r.requester]} → {names[r.introducer]} → "
                f"{names[r.target]}: {r.goal}"
            )

    _with_outreach(ctx, work, as_json=as_json)


def tcp_listener(host: str, port: int) -> socket.socket:
    """A listening socket the workers share, created with ``IPPROTO_TCP``.

    uvicorn's own multi-worker socket has protocol 0, so asyncio skips TCP_NODELAY
    on every accepted connection and Nagle's algorithm meets the client's delayed
    ACK: each response waited ~40 ms (360 req/s on /healthz instead of thousands).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def _listen(host: str, port: int) -> socket.socket:
    """Bind the listening socket, or exit with the fix when the port is taken."""
    try:
        return tcp_listener(host, port)
    except OSError as exc:
        reason = "is in use" if exc.errno == errno.EADDRINUSE else f"cannot be opened ({exc})"
        typer.echo(
            f"error: port {port} on {host} {reason}; pass --port N "
            f"(with make: PORT=N make run), or stop what is listening there",
            err=True,
        )
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _serve(settings: Settings, listener: socket.socket, *, workers: int) -> None:
    import uvicorn

    # The app is built by its factory from the environment (the CLI never imports the
    # API package), so the options given here travel as the settings' variables.
    os.environ["WARMINTRO_DATA_DIR"] = str(settings.data_dir)
    os.environ["WARMINTRO_WORKSPACE"] = settings.workspace
    host, port = listener.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    config = uvicorn.Config(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        # uvicorn kills a worker that misses a 5 s ping; one building a big workspace's
        # view on a busy machine can miss it and be killed and restarted in a loop.
        timeout_worker_healthcheck=60,
    )
    typer.echo(
        f"warmintro listening on http://{shown}:{port}/ (workspace {settings.workspace!r}, "
        f"{settings.backend.value} backend, {workers} worker{'s' if workers != 1 else ''}): "
        f"open it in a browser; GraphQL at /graphql; Ctrl-C to stop."
    )
    if workers > 1:
        from uvicorn.supervisors import Multiprocess

        Multiprocess(config, sockets=[listener]).run()
        return
    uvicorn.Server(config).run(sockets=[listener])


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option("--host", help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port to listen on.")] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            help="Processes; on the embedded backend they share the saved planning graph.",
        ),
    ] = 1,
) -> None:
    """Serve the GraphQL API (and the web page) with uvicorn."""
    settings = settings_of(ctx)
    listener = _listen(host or settings.host, port or settings.port)
    if workers > 1 and settings.backend is Backend.EMBEDDED:
        # Build (or refresh) the workspace's planning snapshot once, before the workers
        # start, so every worker memory-maps the same file instead of each building its
        # own copy; in a child process, so this supervisor keeps none of it.
        prepare_snapshot_apart(settings)
    _serve(settings, listener, workers=workers)


register(app)


def run_command() -> NoReturn:
    """The ``warmintro`` command: run it, then exit without tearing the interpreter down.

    By the time a command returns it has closed what it opened (stores, files, servers);
    what remains is freeing the heap object by object, which took 0.2-0.4 s after a
    1M-tie import (BENCHMARKS.md, issue 19). Exit handlers still run, output is flushed,
    and a thread still at work gets the ordinary exit, which waits for it."""
    try:
        app()
    except SystemExit as done:
        code = done.code
    else:
        code = 0
    if not isinstance(code, int | None):
        sys.stderr.write(f"{code}\n")  # what SystemExit does with a message
        code = 1
    working = [
        t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon
    ]
    if working:
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to flush
            stream.flush()
    os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    run_command()
