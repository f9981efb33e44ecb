"""The GraphQL schema. Resolvers are thin: call a service, map results and errors."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path as FilePath
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry.file_uploads import Upload

from api import types as t
from api.answers import answers, plain_errors
from api.context import Info
from api.export_schema import (
    EXPORT_EGO_DESCRIPTION,
    EXPORT_PATHS_DESCRIPTION,
    ExportResult,
    export_ego,
    export_paths,
)
from graph.errors import InvalidInput as InvalidInputError
from graph.intro import IntroRequest as IntroRecord
from graph.intro import IntroStatus
from graph.model import DEFAULT_MAX_HOPS, Sharing
from graph.model import Person as PersonRecord
from services.imports import ImportJob, ImportKind, ImportRequest, import_owner, remove_upload
from services.network import TieView

R = TypeVar("R")
MAX_FIRST = 100


def capped(first: int) -> int:
    if not 1 <= first <= MAX_FIRST:
        raise InvalidInputError(f"first must be between 1 and {MAX_FIRST}", field="first")
    return first


def job_of(job: ImportJob) -> t.ImportJob:
    report = job.report
    err = job.error
    return t.ImportJob(
        id=strawberry.ID(job.id),
        status=job.status,
        rows_processed=job.rows_processed,
        started_at=job.started_at,
        finished_at=job.finished_at,
        report=None
        if report is None
        else t.ImportReport(
            source=report.source,
            people=report.people,
            relationships=report.relationships,
            interactions=report.interactions,
            merges=report.merges,
            skipped=[
                t.SkippedRow(file=s.file, line=s.line, field=s.field, reason=s.reason)
                for s in report.skipped
            ],
            notes=list(report.notes),
        ),
        error=None
        if err is None
        else t.InvalidInput(message=str(err), field=err.field, file=err.file, line=err.line),
    )


def relationship_view(tie: TieView) -> t.Relationship:
    """A tie as the service let the viewer see it (only evidence they may browse)."""
    return t.Relationship(
        a=strawberry.ID(tie.a),
        b=strawberry.ID(tie.b),
        strength=tie.strength,
        evidence=list(tie.evidence),
        sources=tie.sources,
    )


@strawberry.input(
    description="What you know of a target nobody has in their data: where they work, "
    "their title, their name."
)
class IntroHint:
    company: str
    title: str = ""
    name: str = ""


@strawberry.type
class Query:
    @strawberry.field(description="Look up one person by PersonRef (id, LinkedIn URL or email).")
    @answers
    async def person(self, info: Info, ref: str) -> t.PersonResult:
        c = info.context
        return t.Person.of(await c.services.planner.resolve(c.viewer, ref, browse=True))

    @strawberry.field(
        description="People whose name, company, position, email or URL contain text."
    )
    @answers
    async def search_people(
        self, info: Info, text: str, first: int = 20, after: str | None = None
    ) -> t.SearchResult:
        c = info.context
        offset = t.decode_cursor(after)
        people, more = await c.services.planner.search(
            c.viewer, text, limit=capped(first), offset=offset
        )
        edges = [
            t.PersonEdge(cursor=t.encode_cursor(offset + i), node=t.Person.of(p))
            for i, p in enumerate(people)
        ]
        return t.PersonConnection(
            edges=edges,
            page_info=t.PageInfo(
                has_next_page=more, end_cursor=edges[-1].cursor if edges else None
            ),
        )

    @strawberry.field(
        description="The most trusted path (max product of strengths) within maxHops."
    )
    @answers
    async def trusted_path(
        self,
        info: Info,
        to: str,
        from_: Annotated[str | None, strawberry.argument(name="from")] = None,
        max_hops: int = DEFAULT_MAX_HOPS,
        min_strength: float = 0.0,
        avoid: list[str] | None = None,
    ) -> t.PathResult:
        c = info.context
        found = await c.services.planner.trusted_path(
            c.viewer, from_, to, max_hops=max_hops, min_strength=min_strength, avoid=avoid or ()
        )
        return t.Path.of(found)

    @strawberry.field(description="The k best paths, each through a different first hop.")
    @answers
    async def alternative_paths(
        self,
        info: Info,
        to: str,
        from_: Annotated[str | None, strawberry.argument(name="from")] = None,
        k: int = 3,
        max_hops: int = DEFAULT_MAX_HOPS,
        diverse_first_hops: bool = True,
    ) -> t.PathsResult:
        c = info.context
        paths = await c.services.planner.alternative_paths(
            c.viewer, from_, to, k=k, max_hops=max_hops, diverse_first_hops=diverse_first_hops
        )
        return t.PathList(paths=[t.Path.of(p) for p in paths])

    @strawberry.field(
        description="The requester's contacts best placed to introduce them to the target."
    )
    @answers
    async def introducers(
        self,
        info: Info,
        to: str,
        from_: Annotated[str | None, strawberry.argument(name="from")] = None,
        limit: int = 5,
        hint: IntroHint | None = None,
    ) -> t.IntroducersResult:
        c = info.context
        found = await c.services.outreach.introducers(
            c.viewer,
            to,
            from_ref=from_,
            limit=capped(limit),
            company=hint.company if hint else "",
            title=hint.title if hint else "",
        )
        return t.IntroducerList.of(found)

    @strawberry.field(
        description="Who we can reach at a company (and/or with a title), warmest first."
    )
    @answers
    async def reach(
        self,
        info: Info,
        company: str | None = None,
        title: str | None = None,
        from_: Annotated[str | None, strawberry.argument(name="from")] = None,
        first: int = 20,
        after: str | None = None,
        max_hops: int = DEFAULT_MAX_HOPS,
    ) -> t.ReachResult:
        c = info.context
        offset = t.decode_cursor(after)
        n = capped(first)
        paths = await c.services.planner.reach(
            c.viewer,
            company=company,
            title=title,
            from_ref=from_,
            limit=offset + n + 1,
            max_hops=max_hops,
        )
        page = paths[offset : offset + n]
        edges = [
            t.PathEdge(cursor=t.encode_cursor(offset + i), node=t.Path.of(p))
            for i, p in enumerate(page)
        ]
        return t.ReachConnection(
            edges=edges,
            page_info=t.PageInfo(
                has_next_page=len(paths) > offset + n,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )

    @strawberry.field(
        description="Counts of people, relationships and interactions: the workspace's for an "
        "admin key; for a member, what they may browse (teammates' hidden data left out)."
    )
    @plain_errors
    async def network_stats(self, info: Info) -> t.NetworkStats:
        s = await info.context.services.planner.stats(info.context.viewer)
        return t.NetworkStats(
            people=s.people,
            relationships=s.relationships,
            interactions=s.interactions,
            members=s.members,
            merges=s.merges,
        )

    @strawberry.field(
        description="A double-opt-in referral request to an introducer, grounded in evidence."
    )
    @answers
    async def draft_intro_request(
        self,
        info: Info,
        to: str,
        goal: str,
        via: str | None = None,
        from_: Annotated[str | None, strawberry.argument(name="from")] = None,
        tone: str = "warm",
    ) -> t.DraftResult:
        c = info.context
        view = await c.services.outreach.draft(
            c.viewer, to, goal=goal, via_ref=via, from_ref=from_, tone=tone
        )
        return t.Draft.of(view)

    export_paths: ExportResult = strawberry.field(
        resolver=export_paths, description=EXPORT_PATHS_DESCRIPTION
    )
    export_ego: ExportResult = strawberry.field(
        resolver=export_ego, description=EXPORT_EGO_DESCRIPTION
    )

    @strawberry.field(
        description="Lint any outreach text for cold-pitch habits (docs/outreach.md)."
    )
    def lint_outreach(self, info: Info, text: str) -> t.LintReport:
        if len(text) > 20_000:
            return t.LintReport(clean=False, findings=[])
        return t.lint_report(info.context.services.outreach.lint(text))

    @strawberry.field(description="Your intro requests (all of the workspace's for an admin key).")
    @plain_errors
    async def intro_requests(
        self,
        info: Info,
        status: IntroStatus | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> t.IntroRequestConnection:
        c = info.context
        offset = t.decode_cursor(after)
        items = c.services.outreach.requests(c.viewer, status)
        n = min(max(first, 1), MAX_FIRST)
        page = items[offset : offset + n]
        edges = [
            t.IntroRequestEdge(cursor=t.encode_cursor(offset + i), node=await intro_of(info, r))
            for i, r in enumerate(page)
        ]
        return t.IntroRequestConnection(
            edges=edges,
            page_info=t.PageInfo(
                has_next_page=len(items) > offset + n,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )

    @strawberry.field(description="The workspace's members and their sharing levels.")
    @plain_errors
    async def members(self, info: Info) -> list[t.Member]:
        c = info.context
        return [t.Member.of(m) for m in await c.services.team.members(c.viewer)]

    @strawberry.field(description="The workspace's options (what the planner may infer).")
    @answers
    async def workspace_options(self, info: Info) -> t.WorkspaceOptionsResult:
        c = info.context
        options = c.services.team.options(c.viewer)
        return t.WorkspaceOptions(infer_colleagues=options.infer_colleagues)

    @strawberry.field(description="The workspace's API keys (admin keys only; prefixes only).")
    @answers
    async def api_keys(self, info: Info) -> t.ApiKeysResult:
        c = info.context
        keys = c.services.team.keys(c.viewer)
        return t.ApiKeyList(
            keys=[
                t.ApiKey(
                    prefix=k.prefix,
                    member=strawberry.ID(k.member) if k.member else None,
                    created_at=k.created_at,
                    revoked_at=k.revoked_at,
                )
                for k in keys
            ]
        )

    @strawberry.field(description="Progress and report of a background import.")
    @answers
    async def import_job(self, info: Info, id: strawberry.ID) -> t.ImportJobResult:
        job = info.context.services.imports.get(info.context.viewer, str(id))
        if job is None:  # unknown, or another member's: the same answer
            return t.NotFound(message=f"no import job {id!r}")
        return job_of(job)


@strawberry.input
class PersonInput:
    id: strawberry.ID
    name: str
    company: str = ""
    position: str = ""
    email: str = ""
    url: str = ""


def save_upload(upload: Any, max_bytes: int, folder: FilePath | None = None) -> FilePath:
    """Spool an uploaded file into ``folder`` (a job's private upload folder under the
    data dir, removed when the job ends or, after a crash, at the next start), refusing
    oversized ones. Its name is the client's basename: errors name it, never our path."""
    read = getattr(getattr(upload, "file", None), "read", None)
    if not callable(read):  # e.g. a string inline in the document
        raise InvalidInputError(
            "send the file as a multipart upload (GraphQL multipart request spec)", field="file"
        )
    name = FilePath(getattr(upload, "filename", None) or "upload").name or "upload"
    folder = folder or FilePath(tempfile.mkdtemp(prefix="warmintro-upload-"))
    target = folder / name
    total = 0
    with target.open("wb") as out:
        while chunk := read(1 << 20):
            total += len(chunk)
            if total > max_bytes:
                raise InvalidInputError(
                    f"upload larger than {max_bytes} bytes", file=name, field="file"
                )
            out.write(chunk)
    return target


async def _personal_import(
    info: Info, kind: ImportKind, file: Upload, owner: str | None, aliases: list[str] | None
) -> t.ImportJob:
    """Mail, calendar and address books: the same background job as a LinkedIn export."""
    c = info.context
    s = c.services
    owner_person = await import_owner(s.planner, c.viewer, owner)
    path = save_upload(file, s.settings.import_max_bytes)
    request = ImportRequest(kind, path, owner=owner_person, aliases=tuple(aliases or ()))
    return job_of(s.imports.start(s.planner, c.viewer, request, cleanup=_remove(path)))


def _remove(path: FilePath) -> Callable[[], None]:
    def cleanup() -> None:
        for child in path.parent.iterdir():
            child.unlink(missing_ok=True)
        path.parent.rmdir()

    return cleanup


async def intro_of(info: Info, r: IntroRecord) -> t.IntroRequest:
    """Map a stored request; people come through the request's DataLoader (no N+1)."""
    load = info.context.person_loader.load

    async def person(pid: str) -> t.Person:
        found = await load(pid)
        if found is None:  # erased since: keep the id, say so
            return t.Person(id=strawberry.ID(pid), name="(erased)", company="", position="", url="")
        return t.Person.of(found)

    return t.IntroRequest(
        id=strawberry.ID(r.id),
        status=r.status,
        goal=r.goal,
        requester=await person(r.requester),
        introducer=await person(r.introducer),
        target=await person(r.target),
        draft=r.draft,
        created_at=r.created_at,
        updated_at=r.updated_at,
        asked_at=r.asked_at,
    )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Upload a LinkedIn export (.zip or Connections.csv); runs in the background."
    )
    @answers
    async def import_linked_in(
        self, info: Info, file: Upload, owner: str | None = None
    ) -> t.ImportResult:
        c = info.context
        s = c.services

        owner_person = await import_owner(s.planner, c.viewer, owner)
        folder = s.imports.upload_dir()
        try:
            path = save_upload(file, s.settings.import_max_bytes, folder)
        except BaseException:
            remove_upload(folder)
            raise
        request = ImportRequest(ImportKind.LINKEDIN, path, owner=owner_person)
        return job_of(s.imports.start(s.planner, c.viewer, request, upload=folder))

    @strawberry.mutation(
        description="Upload a generic edge list (CSV or JSON) and an optional people CSV."
    )
    @answers
    async def import_edges(
        self, info: Info, file: Upload, people: Upload | None = None
    ) -> t.ImportResult:
        c = info.context
        s = c.services

        folder = s.imports.upload_dir()
        try:
            path = save_upload(file, s.settings.import_max_bytes, folder)
            people_path = None
            if people:  # its own subfolder: both files may carry the same name
                (folder / "people").mkdir(mode=0o700)
                people_path = save_upload(people, s.settings.import_max_bytes, folder / "people")
        except BaseException:
            remove_upload(folder)
            raise
        request = ImportRequest(ImportKind.EDGES, path, people_path=people_path)
        return job_of(s.imports.start(s.planner, c.viewer, request, upload=folder))

    @strawberry.mutation(
        description="Upload a mailbox (mbox, Google Takeout .zip or .eml); only who, when and "
        "which thread are kept, never a subject or a body. Runs in the background."
    )
    @answers
    async def import_mailbox(
        self,
        info: Info,
        file: Upload,
        owner: str | None = None,
        aliases: list[str] | None = None,
    ) -> t.ImportResult:
        return await _personal_import(info, ImportKind.MBOX, file, owner, aliases)

    @strawberry.mutation(
        description="Upload a calendar (.ics or a Takeout .zip); only who met whom, when and in "
        "how large a group are kept. Runs in the background."
    )
    @answers
    async def import_calendar(
        self,
        info: Info,
        file: Upload,
        owner: str | None = None,
        aliases: list[str] | None = None,
    ) -> t.ImportResult:
        return await _personal_import(info, ImportKind.CALENDAR, file, owner, aliases)

    @strawberry.mutation(
        description="Upload an address book: a vCard file or a Google/Outlook contacts CSV "
        "(phones are not kept). Runs in the background."
    )
    @answers
    async def import_contacts(
        self, info: Info, file: Upload, owner: str | None = None
    ) -> t.ImportResult:
        name = (getattr(file, "filename", None) or "").casefold()
        kind = ImportKind.CONTACTS if name.endswith(".csv") else ImportKind.VCARD
        return await _personal_import(info, kind, file, owner, None)

    @strawberry.mutation(description="Create or update a person (new non-empty fields win).")
    @answers
    async def upsert_person(self, info: Info, person: PersonInput) -> t.UpsertPersonResult:
        c = info.context
        record = PersonRecord(
            id=str(person.id),
            name=person.name,
            company=person.company,
            position=person.position,
            email=person.email,
            url=person.url,
        )
        return t.Person.of(await c.services.network.upsert_person(c.viewer, record))

    @strawberry.mutation(description="Create or update the caller's evidence for a tie.")
    @answers
    async def upsert_relationship(
        self,
        info: Info,
        a: str,
        b: str,
        connected_on: date | None = None,
        shared_employers: list[str] | None = None,
        rating: float | None = None,
    ) -> t.RelationshipResult:
        c = info.context
        rel = await c.services.network.upsert_relationship(
            c.viewer,
            a,
            b,
            connected_on=connected_on,
            shared_employers=shared_employers or (),
            rating=rating,
        )
        return relationship_view(rel)

    @strawberry.mutation(description="Count messages from one person to another (metadata only).")
    @answers
    async def record_interaction(
        self,
        info: Info,
        to: str,
        at: datetime,
        from_: Annotated[str, strawberry.argument(name="from")],
        count: int = 1,
    ) -> t.RelationshipResult:
        c = info.context
        rel = await c.services.network.record_interaction(c.viewer, from_, to, at=at, count=count)
        return relationship_view(rel)

    @strawberry.mutation(
        description="Set (or clear with null) your rating of a tie; it overrides the model."
    )
    @answers
    async def rate_relationship(
        self, info: Info, a: str, b: str, rating: float | None
    ) -> t.RelationshipResult:
        c = info.context
        rel = await c.services.network.rate_relationship(c.viewer, a, b, rating)
        return relationship_view(rel)

    @strawberry.mutation(
        description="Erase a person completely: ties, evidence, merges, intro requests and "
        "mentions in them; a re-import skips them (suppression list)."
    )
    @answers
    async def erase_person(self, info: Info, ref: str) -> t.EraseResult:
        c = info.context
        erased = await c.services.network.erase(c.viewer, ref)
        return t.ErasedPerson(
            person_id=strawberry.ID(erased.person_id),
            relationships=erased.relationships,
            evidence=erased.evidence,
            intro_requests=erased.intro_requests,
            suppressed_keys=erased.suppressed_keys,
        )

    @strawberry.mutation(
        description="Set a member's sharing level (members: their own; admins: anyone's)."
    )
    @answers
    async def set_sharing(
        self, info: Info, level: Sharing, member: str | None = None
    ) -> t.MemberResult:
        c = info.context
        view = await c.services.team.set_sharing(c.viewer, member, level.value)
        return t.Member.of(view)

    @strawberry.mutation(
        description="Switch inferred colleague ties on or off for the workspace (admin keys only)."
    )
    @answers
    async def set_workspace_options(
        self, info: Info, infer_colleagues: bool
    ) -> t.WorkspaceOptionsResult:
        c = info.context
        options = c.services.team.set_options(c.viewer, infer_colleagues=infer_colleagues)
        return t.WorkspaceOptions(infer_colleagues=options.infer_colleagues)

    @strawberry.mutation(description="Revoke API keys by their first characters (admin keys only).")
    @answers
    async def revoke_api_key(self, info: Info, prefix: str) -> t.RevokeResult:
        c = info.context
        return t.Revoked(revoked=c.services.team.revoke_key(c.viewer, prefix))

    @strawberry.mutation(description="Record a planned intro request (status DRAFTED).")
    @answers
    async def create_intro_request(
        self,
        info: Info,
        to: str,
        via: str,
        goal: str,
        from_: Annotated[str | None, strawberry.argument(name="from")] = None,
        draft: str = "",
    ) -> t.IntroRequestResult:
        c = info.context
        req = await c.services.outreach.create_request(
            c.viewer, to, via_ref=via, goal=goal, from_ref=from_, draft=draft
        )
        return await intro_of(info, req)

    @strawberry.mutation(
        description=(
            "Move a request along drafted → asked → accepted | declined | no_response"
            " → introduced → met."
        )
    )
    @answers
    async def update_intro_request(
        self,
        info: Info,
        id: strawberry.ID,
        status: IntroStatus,
    ) -> t.IntroRequestResult:
        c = info.context
        req = c.services.outreach.update_request(c.viewer, str(id), IntroStatus(status))
        return await intro_of(info, req)
