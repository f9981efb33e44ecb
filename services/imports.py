"""Imports: run a loader, apply its batch in one transaction, report.

The CLI runs an import in the foreground; the API runs the same function as a
background job whose progress and report can be polled.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from enum import StrEnum
from pathlib import Path

from graph.bulk import collector_paused, give_back_freed_memory
from graph.errors import InvalidInput, PersonNotFound, WarmintroError
from graph.identity import PersonKeys, normalize_email, normalize_linkedin_url, person_id_for
from graph.model import (
    ADDRESS_BOOK_FIELDS,
    CALENDAR_FIELDS,
    LINKEDIN_FIELDS,
    MAIL_FIELDS,
    Evidence,
    ImportBatch,
    Person,
    Relationship,
    canonical_pair,
    merge_person,
    overlay_evidence,
    overlay_leaves_as_is,
)
from graph.store.embedded import EmbeddedStore
from graph.store.first_load import FirstLoad
from graph.store.view import flip
from graph.strength import StrengthWeights
from loaders.base import loader_named
from loaders.edges import stream_edges_csv
from loaders.options import LoadOptions
from loaders.report import ImportReport, SkippedRow
from services.access import Viewer, import_owner_ref, shadow_id
from services.appdb import JobTable
from services.planner import Planner

Progress = Callable[[int], None]
log = logging.getLogger("warmintro.imports")


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
    asked: PersonKeys | None = None,
) -> tuple[ImportBatch, ImportReport]:
    """Parse a source into a batch without touching the store (pure apart from reading files).

    ``asked``, when given, collects every key the load looked a known person up by
    (see :func:`load_resolved`)."""
    reported = 0

    def counting(rows: int) -> None:
        nonlocal reported
        reported = rows
        if progress is not None:
            progress(rows)

    options = LoadOptions(
        owner=request.owner,
        existing=existing,
        people_path=request.people_path,
        progress=counting,
        aliases=request.aliases,
        weights=weights or StrengthWeights(),
        now=now,
        asked=asked,
    )
    try:
        batch, report = loader_named(request.kind.value).load(request.path, options)
        if not reported and progress is not None:  # a loader that counts no rows itself
            progress(len(batch.people) + len(batch.relationships))
        return batch, report
    except WarmintroError:
        raise
    except (RecursionError, ValueError, OverflowError, LookupError, OSError, EOFError) as err:
        # A parser's own limit or odd input the loader did not foresee: still the file's
        # fault, so a located InvalidInput (the CLI prints it; a job fails with it).
        raise unreadable(err, request) from err


async def keep_other_sources(
    planner: Planner,
    workspace: str,
    kind: ImportKind,
    batch: ImportBatch,
    known: set[str] | None = None,
    *,
    known_among: set[str] | None = None,
) -> ImportBatch:
    """The batch with each evidence record overlaid on the same owner's stored one, so an
    import replaces only its own source's fields (a mail import keeps the LinkedIn
    messages of the same member and tie, and a LinkedIn re-import keeps the mail).

    ``known``: the ids already stored, when the caller has them; a pair with a new
    end has nothing stored, so it is not looked up (a first import reads nothing).
    ``known_among``: the ids whose being stored ``known`` already tells; the other
    ends (after merges) are looked up in the store by id. The workspace's ties are
    counted (to spot a first import) only when ``known`` holds nobody."""
    if (known_among is None or not known) and (
        await planner.store.stats(workspace)
    ).relationships == 0:
        return batch  # a first import: nothing stored to keep, no planning view to build
    owned = OWNED_FIELDS.get(kind, LINKEDIN_FIELDS)
    merged = {m.merged: m.kept for m in await planner.store.merges(workspace)}
    merged.update({m.merged: m.kept for m in batch.merges})
    if known_among is not None:
        ends = {merged.get(end, end) for rel in batch.relationships for end in (rel.a, rel.b)}
        known = set(known or ())
        unknown = ends - known_among
        if unknown:
            more = await planner.store.people_for_keys(workspace, PersonKeys(ids=unknown))
            known.update(p.id for p in more)
    wanted = sorted(_stored_pairs(batch, merged, known))
    stored = await planner.store.evidence_of(workspace, wanted) if wanted else {}
    if not stored:
        return batch  # nothing of the batch's pairs is stored: nothing to overlay
    return await asyncio.to_thread(_overlay, batch, stored, merged, owned)


def _stored_pairs(
    batch: ImportBatch, merged: Mapping[str, str], known: set[str] | None
) -> set[tuple[str, str]]:
    """The pairs whose stored evidence :func:`_overlay` may read (both ends known)."""
    out: set[tuple[str, str]] = set()
    for rel in batch.relationships:
        a, b = merged.get(rel.a, rel.a), merged.get(rel.b, rel.b)
        if a != b and (known is None or (a in known and b in known)):
            out.add(canonical_pair(a, b))
    return out


def _overlay(
    batch: ImportBatch,
    stored: Mapping[tuple[str, str], Mapping[str, Evidence]],
    merged: Mapping[str, str],
    owned: frozenset[str],
) -> ImportBatch:
    """``batch`` with each evidence record overlaid on the same owner's ``stored`` one
    (only the pairs :func:`_stored_pairs` chose were read: a new end has none).

    A record the overlay leaves exactly as stored is left out, and a tie with none left
    is too: writing it again changes nothing but would rewrite its rows and make every
    server re-plan the pair (a re-import of an unchanged 1M-tie file rewrote every row)."""
    out: list[Relationship] = []
    leaves_as_is = overlay_leaves_as_is(owned)
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
            if old is None:
                evidence.append(e)
                continue
            if flipped:
                old = flip(old)
            if leaves_as_is(old, e):
                continue
            new = overlay_evidence(old, e, owned)
            if new != old:
                evidence.append(new)
        if evidence:
            out.append(Relationship(rel.a, rel.b, tuple(evidence)))
    return replace(batch, relationships=out)


async def run_import(
    planner: Planner, viewer: Viewer, request: ImportRequest, progress: Progress | None = None
) -> ImportReport:
    """Load, then apply in one transaction: a failure anywhere writes nothing.

    A member's import is theirs: a generic file's evidence is owned by the member
    (so it obeys their sharing level, not a file's public label), endpoints
    resolve only against people the member may browse, and every person the file
    names that the member cannot already browse gets a node of the member's own
    (:func:`services.access.shadow_id`), so an id held by a hidden person and a
    free one are treated alike: the hidden record is never changed, shown, counted
    in the report or revealed by the id the upload's node gets. A LinkedIn export is matched by
    profile URL as always (its owner's own data names that person), but never by
    name and company against someone the member may not see.
    """
    # One collector pause over the load and the write (graph.bulk): between them it
    # would otherwise walk the whole batch once more (~0.6 CPU s at 1M ties).
    try:
        with collector_paused():
            return await _run_import(planner, viewer, request, progress)
    finally:
        # The batch and the people read for identity resolution are garbage now:
        # hand their heap back rather than keep it resident in a worker.
        give_back_freed_memory()


async def _run_import(
    planner: Planner, viewer: Viewer, request: ImportRequest, progress: Progress | None
) -> ImportReport:
    if _first_load_applies(planner, viewer, request):
        streamed = await asyncio.to_thread(_first_load, planner, viewer, request, progress)
        if streamed is not None:
            return streamed
    batch, report = await prepare_import(planner, viewer, request, progress)
    if planner.suppressions is not None:  # erased people stay erased
        batch = await asyncio.to_thread(
            planner.suppressions.filter, viewer.workspace, batch, report
        )
    await planner.store.apply(viewer.workspace, batch)
    return report


async def prepare_import(
    planner: Planner, viewer: Viewer, request: ImportRequest, progress: Progress | None = None
) -> tuple[ImportBatch, ImportReport]:
    """The batch and report an import writes (before erased people are filtered out):
    loaded against the people its file could resolve to, hidden ids shadowed, other
    sources' fields kept."""
    generic = request.kind in (ImportKind.EDGES, ImportKind.GRAPHML)
    visible: set[str] | None = None
    if viewer.member is not None:
        if generic and request.owner is None:
            me = await planner.store.person(viewer.workspace, viewer.member)
            request = replace(request, owner=me or Person(viewer.member, viewer.member))
        visible = await planner.visible_ids(viewer, browse=True)
    loaded = await load_resolved(planner, viewer.workspace, request, visible, progress)
    batch = loaded.batch
    if generic and visible is not None:
        # Every id the member cannot already browse gets the member's own node, whether
        # or not someone hidden holds it: a hidden id and a free one look the same.
        # (load_resolved read every stored person the batch names: ``existing`` holds
        # each one the member may browse.)
        seen = {p.id for p in loaded.existing}
        batch = shadow_hidden(batch, _named(batch) - seen, viewer)
    batch = await keep_other_sources(
        planner,
        viewer.workspace,
        request.kind,
        batch,
        loaded.stored,
        known_among=loaded.looked_up,
    )
    return unchanged_people_left_out(batch, loaded.existing), loaded.report


def unchanged_people_left_out(batch: ImportBatch, stored: Iterable[Person]) -> ImportBatch:
    """``batch`` without the people whose write would leave their stored record as it is
    (the store keeps ``merge_person(stored, latest record)``): a re-import of an unchanged
    1M-tie file rewrote its 300k people and logged a change to each, so every server
    rebuilt its planning graph from scratch."""
    if not batch.people:
        return batch
    by_id = {p.id: p for p in stored}
    latest = {p.id: p for p in batch.people}
    same = {
        pid
        for pid, p in latest.items()
        if (old := by_id.get(pid)) is not None and merge_person(old, p) == old
    }
    if not same:
        return batch
    return replace(batch, people=[p for p in batch.people if p.id not in same])


@dataclass(frozen=True, slots=True)
class Loaded:
    """A load resolved against the people its file could name (:func:`load_resolved`)."""

    batch: ImportBatch
    report: ImportReport
    existing: list[Person]  # the people it was loaded against (visible ones, id order)
    stored: set[str]  # the ids of every stored person read, visible or not
    looked_up: set[str]  # the ids read by id: a stored person with any of them is in stored


async def load_resolved(
    planner: Planner,
    workspace: str,
    request: ImportRequest,
    visible: set[str] | None,
    progress: Progress | None = None,
) -> Loaded:
    """Load ``request`` against only the stored people its file could resolve to, with
    the batch and report a load against every person (``visible``: every one of
    those) gives.

    A load notes every key it looks a known person up by (its id, URL, email, name
    and the resolver's fuzzy blocks: :class:`~graph.identity.PersonKeys`). A first
    load against nobody names the keys; the store reads the people they name, and the
    load runs again against those (the visible ones, in id order as a store lists
    everyone). A load whose every lookup was answered by everyone the store holds for
    that key went exactly as against the whole workspace, so its outcome, batch or
    error, is that one's; a load that asked something new (an answer changed what it
    asked next) gets those people read too and runs again. A read that finds nobody
    new the load may use needs no new load (a first import is loaded once). The
    batch's own ids count as asked, so ``existing`` holds each visible stored person
    the batch names. Loaders are deterministic: the same file and people, the same
    outcome.
    """
    weights, now = planner.weights, _noon(planner.today)
    if not await planner.store.has_people(workspace):  # a first import: nobody to find
        batch, report = await asyncio.to_thread(build_batch, request, [], progress, weights, now)
        return Loaded(batch, report, [], set(), set())
    asked = PersonKeys()
    fetched = PersonKeys()
    found: dict[str, Person] = {}
    existing: list[Person] = []
    first = True
    while True:
        outcome: tuple[ImportBatch, ImportReport] | WarmintroError
        try:
            outcome = await asyncio.to_thread(
                build_batch,
                request,
                existing,
                progress if first else None,  # the rows are counted once
                weights,
                now,
                asked,
            )
        except WarmintroError as err:
            outcome = err  # the same error if every lookup before it was answered in full
        else:
            asked.ids.update(_named(outcome[0]))
        first = False
        new = asked.minus(fetched)
        if new:
            for p in await _people_named(planner, workspace, new):
                found[p.id] = p
            fetched.update(new)
            fetched.ids.update(found)  # a person read by any key is also read by its id
            wider = [found[pid] for pid in sorted(found) if visible is None or pid in visible]
            if len(wider) > len(existing):  # (a superset: longer unless equal)
                existing, asked = wider, PersonKeys()
                continue
            # The read found nobody new the load may use: it already ran against exactly
            # the people it would run against now (a first import: nobody, loaded once).
        if isinstance(outcome, WarmintroError):
            raise outcome
        batch, report = outcome
        return Loaded(batch, report, existing, set(found), fetched.ids)


MANY_KEYS = 10_000
"""Keys from which a load's candidates may be read by one scan of the workspace instead."""


async def _people_named(planner: Planner, workspace: str, keys: PersonKeys) -> list[Person]:
    """The stored people ``keys`` name, or everyone when the keys name a good part of the
    workspace: one scan beats a lookup per key (a second import of the same 1M-tie file
    asked ~800k keys of 303k people: 7.2 s of indexed reads). Everyone is a superset,
    and a load against everyone is the result :func:`load_resolved` stands for."""
    if await _reads_everyone(planner, workspace, keys):
        return await planner.store.people(workspace)
    return await planner.store.people_for_keys(workspace, keys)


async def _reads_everyone(planner: Planner, workspace: str, keys: PersonKeys) -> bool:
    """Whether ``keys`` are many, and at least a quarter as many as the stored people."""
    count = len(keys.ids) + len(keys.urls) + len(keys.emails) + len(keys.names)
    count += len(keys.blocks)
    return count >= MANY_KEYS and 4 * count >= (await planner.store.stats(workspace)).people


def _named(batch: ImportBatch) -> set[str]:
    """Every id a batch describes or ties."""
    named = {p.id for p in batch.people}
    named.update(end for rel in batch.relationships for end in (rel.a, rel.b))
    return named


FIRST_LOAD_MIN_BYTES = 4 << 20
"""An edge list this big (~80k ties) into an empty store takes the two-process path."""


def _first_load_applies(planner: Planner, viewer: Viewer, request: ImportRequest) -> bool:
    """A big CSV edge list, imported by the operator into an empty embedded store with
    nobody erased: nothing stored to keep, shadow or filter, so the rows can be
    streamed to a writer process (graph.store.first_load) as they are parsed."""
    store = planner.store
    path = request.path
    return (
        request.kind is ImportKind.EDGES
        and viewer.member is None
        and request.owner is None
        and isinstance(store, EmbeddedStore)
        and path.suffix.casefold() != ".json"
        and path.is_file()
        and path.stat().st_size >= FIRST_LOAD_MIN_BYTES
        and store.is_empty()
        and (planner.suppressions is None or not planner.suppressions.any(viewer.workspace))
    )


def _first_load(
    planner: Planner, viewer: Viewer, request: ImportRequest, progress: Progress | None
) -> ImportReport | None:
    """The import streamed to a writer process; None: take the batch path instead.

    A bad file aborts the writer (nothing is written) and returns None, so the batch
    path parses it again and names the error exactly as it always has (the streamed
    parser reads the people file first, the batch path the edge list). A writer that
    fails or dies raises :class:`StoreUnavailable`, also with nothing written."""
    store = planner.store
    assert isinstance(store, EmbeddedStore)
    workspace = viewer.workspace
    with store.writing(workspace):
        try:
            load = FirstLoad(store.path, workspace)
        except OSError as err:  # no process to start: the batch path does it all
            log.warning("the first-load writer could not start: %s", err)
            return None
        with load:
            try:
                return stream_edges_csv(
                    request.path, people_path=request.people_path, sink=load, progress=progress
                )
            except (InvalidInput, RecursionError, ValueError, OverflowError, LookupError, EOFError):
                return None
            except OSError as err:  # a file that cannot be read: the batch path says so
                log.info("first load of %s left to the batch path: %s", request.path.name, err)
                return None


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
    member: str | None = None  # who started it (None: an admin key); only they and admins see it
    status: JobStatus = JobStatus.QUEUED
    rows_processed: int = 0
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    report: ImportReport | None = None
    error: InvalidInput | None = None
    upload: Path | None = None  # the folder holding its uploaded files, removed at the end

    def row(self) -> dict[str, object]:
        """The job as a row of the app db (see :class:`services.appdb.JobTable`)."""
        err = self.error
        return {
            "id": self.id,
            "workspace": self.workspace,
            "member": self.member,
            "status": self.status.value,
            "rows": self.rows_processed,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "report": json.dumps(self.report.as_dict()) if self.report else None,
            "error": json.dumps(
                {"message": err.message, "file": err.file, "line": err.line, "field": err.field}
            )
            if err
            else None,
            "upload": str(self.upload) if self.upload else None,
            "pid": os.getpid(),
        }

    @classmethod
    def of_row(cls, row: dict[str, object]) -> ImportJob:
        report = None
        if isinstance(row["report"], str):
            data = json.loads(row["report"])
            skipped = [SkippedRow(**s) for s in data.pop("skipped")]
            report = ImportReport(**data, skipped=skipped)
        error = None
        if isinstance(row["error"], str):
            e = json.loads(row["error"])
            error = InvalidInput(e["message"], file=e["file"], line=e["line"], field=e["field"])
        finished = row["finished_at"]
        return cls(
            id=str(row["id"]),
            workspace=str(row["workspace"]),
            member=str(row["member"]) if row["member"] is not None else None,
            status=JobStatus(str(row["status"])),
            rows_processed=int(str(row["rows"])),
            started_at=datetime.fromisoformat(str(row["started_at"])),
            finished_at=datetime.fromisoformat(finished) if isinstance(finished, str) else None,
            report=report,
            error=error,
            upload=Path(str(row["upload"])) if row["upload"] else None,
        )


def unreadable(err: Exception, request: ImportRequest) -> InvalidInput:
    """A loader failure that is not an ``InvalidInput`` (a parser's own limit, a bug on
    odd input), located at the file; the traceback goes to the server log only."""
    log.exception("import of %s failed unexpectedly", request.path.name)
    return InvalidInput(
        f"the file could not be read ({type(err).__name__})", file=request.path.name
    )


def without_server_paths(job: ImportJob, folder: Path | None) -> None:
    """Cut the upload folder out of everything the job reports: a loader may name a file
    by its full path (useful on the CLI), which on the server is our private temp path."""
    if folder is None:
        return
    prefix = str(folder)

    def cut(text: str) -> str:
        return text.replace(prefix + os.sep, "").replace(prefix, "upload")

    err = job.error
    if err is not None:
        job.error = InvalidInput(
            cut(err.message),
            file=cut(err.file) if err.file else err.file,
            line=err.line,
            field=err.field,
        )
    report = job.report
    if report is not None:
        report.source = cut(report.source)
        report.notes = [cut(n) for n in report.notes]
        report.skipped = [replace(r, file=cut(r.file)) for r in report.skipped]


def remove_upload(folder: Path | None) -> None:
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: object) -> bool:
    try:
        os.kill(int(str(pid)), 0)
    except (OSError, ValueError):
        return False
    return True


class ImportJobs:
    """Background imports, recorded in the app db so they outlive the process.

    A job always ends: done, or failed with a located error, whatever the loader
    raised. A job whose process died (a crash, a restart) reads as failed and its
    upload is removed when the next server process starts.
    """

    def __init__(self, table: JobTable | None = None, uploads: Path | None = None) -> None:
        self._table = table
        self.uploads = uploads
        self._jobs: dict[str, ImportJob] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._done: dict[str, asyncio.Event] = {}

    def recover(self) -> int:
        """Fail the jobs of processes that are gone and remove their uploads; then
        remove any upload folder no job owns. Returns how many jobs were failed."""
        if self._table is None:
            return 0
        failed = 0
        live_uploads: set[Path] = set()
        for row in self._table.unfinished():
            job = ImportJob.of_row(row)
            if _alive(row["pid"]) and row["pid"] != os.getpid():
                if job.upload:
                    live_uploads.add(job.upload)
                continue
            job.status = JobStatus.FAILED
            job.error = InvalidInput("the server stopped while this import ran; upload it again")
            job.finished_at = datetime.now(UTC)
            remove_upload(job.upload)
            job.upload = None
            self._table.save(job.row())
            failed += 1
        if self.uploads is not None and self.uploads.is_dir():
            for folder in self.uploads.iterdir():
                if folder not in live_uploads:
                    remove_upload(folder)
        return failed

    def upload_dir(self) -> Path:
        """A private folder for one job's uploaded files (0700, under the data dir)."""
        base = self.uploads or Path(tempfile.gettempdir())
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
        return Path(tempfile.mkdtemp(prefix="upload-", dir=base))

    def get(self, viewer: Viewer, job_id: str) -> ImportJob | None:
        """The job if ``viewer`` may see it: its member, or an admin of its workspace.
        Anyone else gets None, exactly as for an id that does not exist."""
        job = self._jobs.get(job_id)
        if job is None and self._table is not None:
            row = self._table.get(job_id)
            job = ImportJob.of_row(row) if row else None
        if job is None or job.workspace != viewer.workspace:
            return None
        if viewer.member is not None and job.member != viewer.member:
            return None
        return job

    def _save(self, job: ImportJob) -> None:
        if self._table is not None:
            self._table.save(job.row())

    def start(
        self,
        planner: Planner,
        viewer: Viewer,
        request: ImportRequest,
        *,
        cleanup: Callable[[], None] | None = None,
        upload: Path | None = None,
    ) -> ImportJob:
        job = ImportJob(
            id=uuid.uuid4().hex, workspace=viewer.workspace, member=viewer.member, upload=upload
        )
        self._jobs[job.id] = job
        self._save(job)
        done = self._done[job.id] = asyncio.Event()

        def progress(rows: int) -> None:
            job.rows_processed = rows

        async def work() -> None:
            job.status = JobStatus.RUNNING
            try:
                self._save(job)
                job.report = await run_import(planner, viewer, request, progress)
                job.status = JobStatus.DONE
            except WarmintroError as err:
                job.error = err if isinstance(err, InvalidInput) else InvalidInput(str(err))
                job.status = JobStatus.FAILED
            except Exception as err:
                job.error = unreadable(err, request)
                job.status = JobStatus.FAILED
            finally:
                job.finished_at = datetime.now(UTC)
                without_server_paths(job, job.upload)
                try:
                    if cleanup:
                        cleanup()
                    remove_upload(job.upload)
                    job.upload = None
                    self._save(job)
                finally:
                    done.set()

        task = asyncio.create_task(work())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job

    async def wait(self, job_id: str) -> ImportJob:
        """Wait for a job to finish (callers bound it with ``asyncio.timeout``)."""
        await self._done[job_id].wait()
        return self._jobs[job_id]
