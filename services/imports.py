"""Imports: run a loader, apply its batch in one transaction, report.

The CLI runs an import in the foreground; the API runs the same function as a
background job whose progress and report can be polled.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from enum import StrEnum
from pathlib import Path

from graph.errors import InvalidInput, PersonNotFound, WarmintroError
from graph.identity import normalize_email, normalize_linkedin_url, person_id_for
from graph.model import (
    ADDRESS_BOOK_FIELDS,
    CALENDAR_FIELDS,
    LINKEDIN_FIELDS,
    MAIL_FIELDS,
    ImportBatch,
    Person,
    Relationship,
    canonical_pair,
    overlay_evidence,
)
from graph.store.view import flip
from graph.strength import StrengthWeights
from loaders.base import loader_named
from loaders.options import LoadOptions
from loaders.report import ImportReport
from services.access import Viewer, import_owner_ref, shadow_id
from services.planner import Planner

Progress = Callable[[int], None]


class ImportKind(StrEnum):
    LINKEDIN = "linkedin"
    EDGES = "edges"
    GRAPHML = "graphml"
    MBOX = "mbox"
    CALENDAR = "calendar"
    VCARD = "vcard"
    CONTACTS = "contacts"


#: The evidence fields each kind of import writes; a re-import keeps the others.
OWNED_FIELDS: dict[ImportKind, frozenset[str]] = {
    ImportKind.MBOX: MAIL_FIELDS,
    ImportKind.CALENDAR: CALENDAR_FIELDS,
    ImportKind.VCARD: ADDRESS_BOOK_FIELDS,
    ImportKind.CONTACTS: ADDRESS_BOOK_FIELDS,
}


@dataclass(frozen=True, slots=True)
class ImportRequest:
    kind: ImportKind
    path: Path
    owner: Person | None = None  # LinkedIn: whose export this is (else Profile.csv)
    people_path: Path | None = None  # edges: optional people file
    aliases: tuple[str, ...] = ()  # mail and calendar: the owner's other addresses


async def import_owner(planner: Planner, viewer: Viewer, ref: str | None) -> Person | None:
    """Whose export this is (members: only their own): a known person, or a new one
    named by a LinkedIn URL or an email; None lets the export's Profile.csv say."""
    owner_ref = import_owner_ref(viewer, ref)
    if not owner_ref:
        return None
    try:
        return await planner.resolve(viewer, owner_ref)
    except PersonNotFound:
        url = normalize_linkedin_url(owner_ref)
        if url:
            return Person(id=person_id_for(url, "", "", ""), name=url.rsplit("/", 1)[-1], url=url)
        email = normalize_email(owner_ref)
        if not email:
            raise
        return Person(id=person_id_for("", email, "", ""), name=email, email=email)


def build_batch(
    request: ImportRequest,
    existing: list[Person],
    progress: Progress | None = None,
    weights: StrengthWeights | None = None,
    now: datetime | None = None,
) -> tuple[ImportBatch, ImportReport]:
    """Parse a source into a batch without touching the store (pure apart from reading files)."""
    options = LoadOptions(
        owner=request.owner,
        existing=existing,
        people_path=request.people_path,
        progress=progress,
        aliases=request.aliases,
        weights=weights or StrengthWeights(),
        now=now,
    )
    return loader_named(request.kind.value).load(request.path, options)


async def keep_other_sources(
    planner: Planner, workspace: str, kind: ImportKind, batch: ImportBatch
) -> ImportBatch:
    """The batch with each evidence record overlaid on the same owner's stored one, so an
    import replaces only its own source's fields (a mail import keeps the LinkedIn
    messages of the same member and tie, and a LinkedIn re-import keeps the mail)."""
    owned = OWNED_FIELDS.get(kind, LINKEDIN_FIELDS)
    stored = (await planner.store.planning_view(workspace)).evidence
    merged = {m.merged: m.kept for m in await planner.store.merges(workspace)}
    merged.update({m.merged: m.kept for m in batch.merges})
    out: list[Relationship] = []
    for rel in batch.relationships:
        a, b = merged.get(rel.a, rel.a), merged.get(rel.b, rel.b)
        owners = stored.get(canonical_pair(a, b), {}) if a != b else {}
        if not owners:
            out.append(rel)
            continue
        flipped = a > b  # stored "ab" counts run the other way
        evidence = []
        for e in rel.evidence:
            old = owners.get(e.owner)
            if old is not None and flipped:
                old = flip(old)
            evidence.append(e if old is None else overlay_evidence(old, e, owned))
        out.append(Relationship(rel.a, rel.b, tuple(evidence)))
    return replace(batch, relationships=out)


async def run_import(
    planner: Planner, viewer: Viewer, request: ImportRequest, progress: Progress | None = None
) -> ImportReport:
    """Load, then apply in one transaction: a failure anywhere writes nothing.

    A member's import is theirs: a generic file's evidence is owned by the member
    (so it obeys their sharing level, not a file's public label), endpoints
    resolve only against people the member may browse, and a person the file
    names whose id is held by someone hidden from the member gets a node of the
    member's own (:func:`services.access.shadow_id`): the hidden record is never
    changed, shown or counted in the report. A LinkedIn export is matched by
    profile URL as always (its owner's own data names that person), but never by
    name and company against someone the member may not see.
    """
    everyone = await planner.store.people(viewer.workspace)
    existing = everyone
    generic = request.kind in (ImportKind.EDGES, ImportKind.GRAPHML)
    if viewer.member is not None:
        if generic and request.owner is None:
            me = await planner.store.person(viewer.workspace, viewer.member)
            request = replace(request, owner=me or Person(viewer.member, viewer.member))
        visible = await planner.visible_ids(viewer, browse=True)
        if visible is not None:
            existing = [p for p in everyone if p.id in visible]
    batch, report = await asyncio.to_thread(
        build_batch, request, existing, progress, planner.weights, _noon(planner.today)
    )
    if generic and len(existing) != len(everyone):
        seen = {p.id for p in existing}
        hidden = {p.id for p in everyone} - seen
        batch = shadow_hidden(batch, hidden, viewer)
    batch = await keep_other_sources(planner, viewer.workspace, request.kind, batch)
    if planner.suppressions is not None:  # erased people stay erased
        batch = await asyncio.to_thread(
            planner.suppressions.filter, viewer.workspace, batch, report
        )
    await planner.store.apply(viewer.workspace, batch)
    return report


def shadow_hidden(batch: ImportBatch, hidden: set[str], viewer: Viewer) -> ImportBatch:
    """Give people whose ids belong to hidden people the member's own ids instead
    (their URL and email stay: they name the member's own contact)."""
    if not hidden:
        return batch
    renamed = {p.id: shadow_id(p.id, viewer) for p in batch.people if p.id in hidden}
    for rel in batch.relationships:
        for end in (rel.a, rel.b):
            if end in hidden:
                renamed.setdefault(end, shadow_id(end, viewer))
    if not renamed:
        return batch
    people = [replace(p, id=renamed[p.id]) if p.id in renamed else p for p in batch.people]
    described = {p.id for p in people}
    for old, new in renamed.items():
        if new not in described:
            people.append(Person(new, old))
            described.add(new)
    relationships = []
    for rel in batch.relationships:
        a, b = renamed.get(rel.a, rel.a), renamed.get(rel.b, rel.b)
        x, y = canonical_pair(a, b)
        evidence = rel.evidence if x == a else tuple(flip(e) for e in rel.evidence)
        relationships.append(Relationship(x, y, evidence))
    members = [m for m in batch.members if m.person_id not in renamed]
    merges = [m for m in batch.merges if m.kept not in renamed and m.merged not in renamed]
    return ImportBatch(people, relationships, merges, members)


def _noon(day: date) -> datetime:
    """The planner's "today" as a time (calendar windows are anchored on it)."""
    return datetime.combine(day, time(12), UTC)


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(slots=True)
class ImportJob:
    id: str
    workspace: str
    status: JobStatus = JobStatus.QUEUED
    rows_processed: int = 0
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    report: ImportReport | None = None
    error: InvalidInput | None = None


class ImportJobs:
    """In-process background imports (jobs live as long as the server process)."""

    def __init__(self) -> None:
        self._jobs: dict[str, ImportJob] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._done: dict[str, asyncio.Event] = {}

    def get(self, workspace: str, job_id: str) -> ImportJob | None:
        job = self._jobs.get(job_id)
        return job if job and job.workspace == workspace else None

    def start(
        self,
        planner: Planner,
        viewer: Viewer,
        request: ImportRequest,
        *,
        cleanup: Callable[[], None] | None = None,
    ) -> ImportJob:
        job = ImportJob(id=uuid.uuid4().hex, workspace=viewer.workspace)
        self._jobs[job.id] = job
        done = self._done[job.id] = asyncio.Event()

        def progress(rows: int) -> None:
            job.rows_processed = rows

        async def work() -> None:
            job.status = JobStatus.RUNNING
            try:
                job.report = await run_import(planner, viewer, request, progress)
                job.status = JobStatus.DONE
            except WarmintroError as err:
                job.error = err if isinstance(err, InvalidInput) else InvalidInput(str(err))
                job.status = JobStatus.FAILED
            finally:
                job.finished_at = datetime.now(UTC)
                if cleanup:
                    cleanup()
                done.set()

        task = asyncio.create_task(work())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job

    async def wait(self, job_id: str) -> ImportJob:
        """Wait for a job to finish (callers bound it with ``asyncio.timeout``)."""
        await self._done[job_id].wait()
        return self._jobs[job_id]
