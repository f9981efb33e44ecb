"""The Neo4j backend: the same GraphStore contract on Neo4j 5.26 (official async driver).

Data model: ``(:Person {workspace, id, ...})``; one ``[:KNOWS {workspace, owner,
data, interactions}]`` per owner, directed from the canonical first end to the
second (``data`` is :func:`graph.store.codec.evidence_to_json`); ``(:Member)``,
``(:Merge)`` and a ``(:Workspace {name, version})`` whose version every write
bumps. A ``Person`` with ``stub = true`` exists only because evidence named it;
the embedded store keeps such ids out of its people, so every person query
hides stubs. Every statement lives in ``queries/`` and takes the workspace as a
parameter, so nothing crosses workspaces.

Planning: the algorithms are exact only over the whole hop-bounded ball, and a
bounded neighbourhood around a hub is most of a workspace (see BENCHMARKS.md),
so the store streams the workspace's people and evidence in pages of ids (one
read transaction, so one consistent state), builds the same in-memory trust
graph as the embedded backend, and caches it per workspace version in a
least-recently-used set bounded by a byte budget (graph.store.view_cache). Each
call costs one cheap version read, so several API workers see each other's
writes at once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any, LiteralString, TypeVar

from neo4j import (
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    AsyncResult,
    AsyncSession,
)
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

from graph.bulk import collector_paused
from graph.errors import StoreUnavailable
from graph.identity import PersonKeys, normalize_company, normalize_name
from graph.model import (
    Evidence,
    ImportBatch,
    Member,
    Merge,
    Person,
    Relationship,
    Sharing,
    canonical_pair,
)
from graph.store.base import (
    ApplyResult,
    Erased,
    PlanningView,
    Stats,
    ViewOptions,
    ViewOptionsSource,
    default_view_options,
)
from graph.store.codec import (
    evidence_from_json,
    evidence_to_json,
    interactions_in,
    person_from_dict,
    person_to_dict,
)
from graph.store.cypher import load_query
from graph.store.view import build_view, flip, rewrite_merged
from graph.store.view_cache import CachedView, ViewCache, view_size
from graph.strength import StrengthWeights

T = TypeVar("T")
log = logging.getLogger("warmintro.store")
X = TypeVar("X")

# Rows per UNWIND statement, chosen by scripts/bench_neo4j.py on 100k ties: 5k/10k/20k/50k
# gave 12-14k/16-18k/19k/16-20k ties/s (two runs); 20k is best or close to it in both.
BATCH_ROWS = 20_000
"""Rows per ``UNWIND``; chosen with scripts/bench_neo4j.py (see BENCHMARKS.md)."""

SCHEMA = (
    "schema_person_key",
    "schema_person_url",
    "schema_person_email",
    "schema_member_key",
    "schema_merge_key",
    "schema_workspace_key",
    "schema_person_name_key",
    "schema_person_company_norm",
)
_UNREACHABLE = (ServiceUnavailable, SessionExpired, AuthError, OSError)

PAGE_PEOPLE = 5_000
"""People per page of the streamed view build (their ties come in the same round)."""

Evidences = dict[tuple[str, str], dict[str, Evidence]]


def _q(name: str) -> LiteralString:
    # The text comes from a file shipped with the package, never from input.
    return load_query(name).text


def _evidence_row(a: str, b: str, e: Evidence) -> dict[str, Any]:
    # No interactions property where there are none (most ties): one record less per
    # tie, and the only reader, the stats' sum, skips missing values.
    return {
        "a": a,
        "b": b,
        "owner": e.owner,
        "data": evidence_to_json(e),
        "interactions": interactions_in(e) or None,
    }


def _collect_evidence(record: dict[str, Any], into: Evidences) -> None:
    """Decode the one record of ``all_evidence``/``neighbourhood_evidence`` (parallel lists)."""
    columns = (record["a"], record["b"], record["owner"], record["data"])
    for a, b, owner, data in zip(*columns, strict=True):
        into.setdefault((a, b), {})[owner] = evidence_from_json(owner, data)


class Neo4jStore:
    """GraphStore on Neo4j; the driver is injected (or built by ``from_settings``).

    Parameters
    ----------
    driver : neo4j.AsyncDriver
        Connected to a Neo4j 5.26 server.
    database : str
        The database holding every workspace.
    weights : StrengthWeights, optional
        The strength model's weights (the settings' ones in production).
    today : callable
        Clock for strength recency; tests pin it.
    owns_driver : bool
        Close the driver in :meth:`close`.
    view_budget : int, optional
        Bytes of planning views to keep per process (least recently used go
        first); None keeps every workspace's view.
    """

    def __init__(
        self,
        driver: AsyncDriver,
        *,
        database: str = "neo4j",
        weights: StrengthWeights | None = None,
        today: Callable[[], date] = date.today,
        owns_driver: bool = False,
        view_budget: int | None = None,
    ) -> None:
        self._driver = driver
        self._database = database
        self._weights = weights or StrengthWeights()
        self._today = today
        self._owns_driver = owns_driver
        self._schema_ready = False
        self._keyed_workspaces: set[str] = set()  # nodes all carry name_key, company_norm
        self._schema_lock = asyncio.Lock()
        self.views = ViewCache(view_budget)
        self._view_options: ViewOptionsSource = default_view_options
        self._stats: dict[str, tuple[int, Stats]] = {}
        # Single flight: one rebuild per workspace at a time, however many requests miss.
        self._rebuilding: dict[tuple[str, str], asyncio.Lock] = {}

    @classmethod
    def from_settings(
        cls,
        *,
        uri: str,
        user: str,
        password: str,
        database: str = "neo4j",
        weights: StrengthWeights | None = None,
        today: Callable[[], date] = date.today,
        view_budget: int | None = None,
    ) -> Neo4jStore:
        """A store owning a new driver; nothing connects until first use."""
        driver = AsyncGraphDatabase.driver(uri, auth=(user, password))
        return cls(
            driver,
            database=database,
            weights=weights,
            today=today,
            owns_driver=True,
            view_budget=view_budget,
        )

    # -- plumbing ---------------------------------------------------------------------
    def _session(self) -> AsyncSession:
        # Notifications off: "unknown label" hints on an empty database are noise, and
        # fetch_size=-1 streams a whole result at once (planning reads are big).
        return self._driver.session(
            database=self._database, notifications_min_severity="OFF", fetch_size=-1
        )

    async def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        async with self._schema_lock:  # several tasks may arrive before the first finishes
            if not self._schema_ready:
                try:
                    async with self._session() as session:
                        for name in SCHEMA:
                            result = await session.run(_q(name))
                            await result.consume()
                except _UNREACHABLE as exc:
                    raise StoreUnavailable(f"Neo4j is unreachable: {exc}") from exc
                self._schema_ready = True

    async def _transact(
        self, work: Callable[[AsyncManagedTransaction], Awaitable[T]], *, write: bool
    ) -> T:
        """Run ``work`` in one managed transaction (the driver retries transient errors)."""
        await self._ensure_schema()
        try:
            async with self._session() as session:
                if write:
                    return await session.execute_write(work)
                return await session.execute_read(work)
        except _UNREACHABLE as exc:
            raise StoreUnavailable(f"Neo4j is unreachable: {exc}") from exc

    async def _version(self, workspace: str) -> int:
        """The workspace's write counter in one round trip (an auto-commit RUN+PULL).

        A managed transaction would add BEGIN and COMMIT round trips to every
        planning call; a lost read here is harmless, so it is not retried.
        """
        await self._ensure_schema()
        try:
            async with self._session() as session:
                result = await session.run(_q("workspace_version"), {"workspace": workspace})
                record = await result.single(strict=True)
        except _UNREACHABLE as exc:
            raise StoreUnavailable(f"Neo4j is unreachable: {exc}") from exc
        version: int = record["version"]
        return version

    async def _read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        async def work(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
            return await _run(tx, name, **params)

        return await self._transact(work, write=False)

    # -- lifecycle ----------------------------------------------------------------------
    async def close(self) -> None:
        if self._owns_driver:
            await self._driver.close()

    async def ping(self) -> None:
        try:
            await self._driver.verify_connectivity()
        except _UNREACHABLE as exc:
            raise StoreUnavailable(f"Neo4j is unreachable: {exc}") from exc

    # -- writes -------------------------------------------------------------------------
    async def apply(self, workspace: str, batch: ImportBatch) -> ApplyResult:
        """Write the batch in one transaction (all or nothing).

        The version bump runs first, so the workspace's writers queue on its lock. Then
        whatever cannot be stored yet is CREATEd and the rest looked up (:func:`_write`):
        on a first write into a workspace (version 1 after the bump, and no person
        stored) that is everything, with no lookup at all.
        """
        people = list({p.id: p for p in batch.people}.values())
        merges = [{"kept": m.kept, "merged": m.merged, "reason": m.reason} for m in batch.merges]
        members = [{"person_id": m.person_id, "sharing": m.sharing.value} for m in batch.members]

        async def work(tx: AsyncManagedTransaction) -> int:
            version = (await _run(tx, "bump_version", workspace=workspace))[0]["version"]
            fresh = (
                version == 1
                and not (await _run(tx, "workspace_has_people", workspace=workspace))[0]["found"]
            )
            n_ties = await _write(tx, workspace, batch, people, merges, fresh=fresh)
            await _unwind(tx, "insert_members", workspace, members)
            return n_ties

        # The encoding makes a few dicts per tie while the batch's millions of objects are
        # alive: with the cyclic collector on, its passes walk them again and again (the
        # embedded store's apply and the import service pause it too; graph.bulk).
        with collector_paused():
            relationships = await self._transact(work, write=True)
        return ApplyResult(len(people), relationships, len(batch.merges))

    async def set_sharing(self, workspace: str, person_id: str, sharing: Sharing) -> None:
        async def work(tx: AsyncManagedTransaction) -> None:
            await _run(
                tx, "set_sharing", workspace=workspace, person_id=person_id, sharing=sharing.value
            )
            await _run(tx, "bump_version", workspace=workspace)

        await self._transact(work, write=True)

    async def erase_person(self, workspace: str, person_id: str) -> Erased:
        async def work(tx: AsyncManagedTransaction) -> Erased:
            touching = await _run(tx, "person_evidence", workspace=workspace, id=person_id)
            owned = await _run(tx, "owner_evidence", workspace=workspace, owner=person_id)
            pairs = {r["other"] for r in touching}
            n_ev = len(touching)
            for r in owned:
                if person_id in (r["a"], r["b"]):
                    continue  # already counted with the person's own ties
                n_ev += 1
                if r["others"] == 0:  # their evidence was all the tie had
                    pairs.add(f"{r['a']}|{r['b']}")
            await _run(tx, "delete_owner_evidence", workspace=workspace, owner=person_id)
            await _run(tx, "delete_person", workspace=workspace, id=person_id)
            await _run(tx, "delete_member", workspace=workspace, id=person_id)
            await _run(tx, "delete_person_merges", workspace=workspace, id=person_id)
            await _run(tx, "bump_version", workspace=workspace)
            return Erased(person_id, len(pairs), n_ev)

        return await self._transact(work, write=True)

    # -- reads --------------------------------------------------------------------------
    async def person(self, workspace: str, person_id: str) -> Person | None:
        rows = await self._read("person_by_id", workspace=workspace, id=person_id)
        return person_from_dict(rows[0]["person"]) if rows else None

    async def people_by_url(self, workspace: str, url: str) -> list[Person]:
        if not url:  # the embedded store indexes only non-empty URLs
            return []
        rows = await self._read("people_by_url", workspace=workspace, url=url)
        return [person_from_dict(r["person"]) for r in rows]

    async def people_by_email(self, workspace: str, email: str) -> list[Person]:
        if not email:
            return []
        rows = await self._read("people_by_email", workspace=workspace, email=email)
        return [person_from_dict(r["person"]) for r in rows]

    async def people(self, workspace: str) -> list[Person]:
        rows = await self._read("all_people", workspace=workspace)
        return [person_from_dict(p) for p in rows[0]["people"]]

    async def has_people(self, workspace: str) -> bool:
        rows = await self._read("workspace_has_people", workspace=workspace)
        return bool(rows[0]["found"])

    async def people_for_keys(self, workspace: str, keys: PersonKeys) -> list[Person]:
        found: dict[str, Person] = {}
        for query, param, values in (
            ("people_by_ids", "ids", keys.ids),
            ("people_by_urls", "urls", keys.urls),
            ("people_by_emails", "emails", keys.emails),
        ):
            wanted = sorted(v for v in values if v)  # empty values are not stored
            if wanted:
                rows = await self._read(query, workspace=workspace, **{param: wanted})
                for item in rows[0]["people"]:
                    person = person_from_dict(item)
                    found[person.id] = person
        if keys.names or keys.blocks:
            await self._fill_person_keys(workspace)
        if keys.names:
            rows = await self._read(
                "people_by_name_keys", workspace=workspace, names=sorted(keys.names)
            )
            for item in rows[0]["people"]:
                person = person_from_dict(item)
                found[person.id] = person
        if keys.blocks:
            tokens: dict[str, set[str]] = {}
            for company, token in keys.blocks:
                tokens.setdefault(company, set()).add(token)
            rows = await self._read(
                "people_in_companies", workspace=workspace, companies=sorted(tokens)
            )
            in_blocks = sorted(
                pid
                for pid, company, name in rows[0]["rows"]
                if pid not in found and not tokens[company].isdisjoint((name or "").split())
            )
            if in_blocks:
                rows = await self._read("people_by_ids", workspace=workspace, ids=in_blocks)
                for item in rows[0]["people"]:
                    person = person_from_dict(item)
                    found[person.id] = person
        return [found[pid] for pid in sorted(found)]

    async def _fill_person_keys(self, workspace: str) -> None:
        """Once per workspace and process: give nodes written before name_key and
        company_norm existed their keys (every write now sets them)."""
        if workspace in self._keyed_workspaces:
            return
        while True:
            rows = await self._read("people_without_keys", workspace=workspace, limit=BATCH_ROWS)
            todo = rows[0]["rows"]
            if not todo:
                break
            filled = [
                {
                    "id": pid,
                    "name_key": normalize_name(name),
                    "company_norm": normalize_company(company),
                }
                for pid, name, company in todo
            ]

            async def work(
                tx: AsyncManagedTransaction, filled: list[dict[str, Any]] = filled
            ) -> None:
                await _run(tx, "set_person_keys", workspace=workspace, rows=filled)

            await self._transact(work, write=True)
        self._keyed_workspaces.add(workspace)

    async def search_people(
        self, workspace: str, text: str, *, limit: int, offset: int = 0
    ) -> list[Person]:
        rows = await self._read(
            "search_people",
            workspace=workspace,
            needle=text.casefold().strip(),
            limit=limit,
            offset=offset,
        )
        return [person_from_dict(r["person"]) for r in rows]

    async def people_matching(self, workspace: str, *, company: str, title: str) -> set[str]:
        rows = await self._read(
            "people_matching",
            workspace=workspace,
            company=company.lower().strip(),
            title=title.lower().strip(),
        )
        return set(rows[0]["ids"])

    async def relationship(self, workspace: str, a: str, b: str) -> Relationship | None:
        if a == b:
            return None
        x, y = canonical_pair(a, b)
        rows = await self._read("relationship", workspace=workspace, a=x, b=y)
        if not rows:
            return None
        return Relationship(x, y, tuple(evidence_from_json(r["owner"], r["data"]) for r in rows))

    async def relationships_of(self, workspace: str, person_id: str) -> list[Relationship]:
        rows = await self._read("person_evidence", workspace=workspace, id=person_id)
        grouped: dict[str, list[Evidence]] = {}
        ends: dict[str, tuple[str, str]] = {}
        for r in rows:  # ordered by other end, then owner, like the embedded store
            grouped.setdefault(r["other"], []).append(evidence_from_json(r["owner"], r["data"]))
            ends[r["other"]] = (r["a"], r["b"])
        return [Relationship(*ends[o], tuple(evs)) for o, evs in grouped.items()]

    async def members(self, workspace: str) -> list[Member]:
        rows = await self._read("members", workspace=workspace)
        return [Member(r["person_id"], Sharing(r["sharing"])) for r in rows]

    async def merges(self, workspace: str) -> list[Merge]:
        rows = await self._read("merges", workspace=workspace)
        return [Merge(r["kept"], r["merged"], r["reason"]) for r in rows]

    async def stats(self, workspace: str) -> Stats:
        """Counts, recomputed only when the workspace's version moved: counting distinct
        ties scans every KNOWS relationship (a quarter of a second per 100k ties)."""
        version = await self._version(workspace)
        cached = self._stats.get(workspace)
        if cached and cached[0] == version:
            return cached[1]
        async with self._rebuilding.setdefault(("stats", workspace), asyncio.Lock()):
            cached = self._stats.get(workspace)
            if cached and cached[0] >= version:  # counted while this call waited
                return cached[1]
            r = (await self._read("stats", workspace=workspace))[0]
            stats = Stats(
                r["people"], r["relationships"], r["interactions"], r["members"], r["merges"]
            )
            # Tagged with the version read *before* counting: a write in between only
            # makes the next call count again.
            self._stats[workspace] = (version, stats)
            return stats

    async def counts_without(self, workspace: str, hidden: frozenset[str]) -> Stats:
        """Counts leaving out the evidence of the ``hidden`` owners and the people only it
        shows, members apart (a member's view of the workspace; ``queries/stats_without``),
        recounted only when the version moved, as :meth:`stats` is."""
        if not hidden:
            return await self.stats(workspace)
        version = await self._version(workspace)
        key = f"{workspace}\0" + "\0".join(sorted(hidden))
        cached = self._stats.get(key)
        if cached and cached[0] == version:
            return cached[1]
        r = (await self._read("stats_without", workspace=workspace, hidden=sorted(hidden)))[0]
        stats = Stats(r["people"], r["relationships"], r["interactions"], r["members"], r["merges"])
        if len(self._stats) > 64:  # a few workspaces x their members' sharing levels
            self._stats.clear()
        self._stats[key] = (version, stats)  # the version read before counting, as in stats
        return stats

    def _blocking_counts(
        self, workspace: str, loop: asyncio.AbstractEventLoop
    ) -> Callable[[frozenset[str]], Stats]:
        """:meth:`counts_without` as the blocking call :class:`PlanningView` holds (the
        planner runs it in a thread, as it does the embedded store's SQL): the query runs
        on ``loop``, where the driver lives, and the calling thread waits for it."""

        def counts(hidden: frozenset[str]) -> Stats:
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is loop:
                raise RuntimeError("counts_without blocks: call it off the event loop")
            return asyncio.run_coroutine_threadsafe(
                self.counts_without(workspace, hidden), loop
            ).result()

        return counts

    def use_view_options(self, source: ViewOptionsSource) -> None:
        self._view_options = source

    async def evidence_of(
        self, workspace: str, pairs: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], dict[str, Evidence]]:
        """Read by pair (2,000 a query), without building the planning view."""
        found: dict[tuple[str, str], dict[str, Evidence]] = {}
        for start in range(0, len(pairs), 2_000):
            chunk = [list(pair) for pair in pairs[start : start + 2_000]]
            for r in await self._read("pairs_evidence", workspace=workspace, pairs=chunk):
                found.setdefault((r["a"], r["b"]), {})[r["owner"]] = evidence_from_json(
                    r["owner"], r["data"]
                )
        return found

    async def planning_view(self, workspace: str) -> PlanningView:
        today = self._today()
        options = self._view_options(workspace)
        version = await self._version(workspace)
        cached = self.views.get(workspace)
        if cached and cached.version == version and cached.fresh(version, today, options):
            return cached.view
        async with self._rebuilding.setdefault(("view", workspace), asyncio.Lock()):
            cached = self.views.get(workspace)
            if cached and cached.fresh(version, today, options):
                return cached.view  # built while this call waited
            # The stale view is no use to new callers: let it go before building the next
            # one (requests still holding it keep it alive), and make room for the new one.
            self.views.discard(workspace)
            evicted = self.views.make_room(workspace)
            started = time.time()
            built, view = await self._build_view(workspace, today, options)
            entry = CachedView(built, today, options, view, view_size(view))
            evicted += self.views.put(workspace, entry)
            log.info(
                json.dumps(
                    {
                        "event": "view_built",
                        "pid": os.getpid(),  # one cache per worker: tells rebuilds apart
                        "workspace": workspace,
                        "version": built,
                        "started": round(started, 4),
                        "seconds": round(time.time() - started, 4),
                        "bytes": entry.size,
                        "resident": self.views.resident,
                        "views": len(self.views),
                        "evicted": evicted,
                    }
                )
            )
            return view

    async def _build_view(
        self, workspace: str, today: date, options: ViewOptions
    ) -> tuple[int, PlanningView]:
        """Stream the workspace in pages of ids and build the planner's graph.

        One read transaction, so people, evidence and members come from the same
        state, tagged with the version that state carries. Each page's raw rows are
        decoded and dropped before the next is fetched, and every id string is
        interned, so the people, the evidence keys and the graph share one copy:
        the build's peak stays near the finished view's size (BENCHMARKS.md).
        """

        async def snapshot(
            tx: AsyncManagedTransaction,
        ) -> tuple[int, dict[str, Person], Evidences, list[str]]:
            version = (await _run(tx, "workspace_version", workspace=workspace))[0]["version"]
            ids: dict[str, str] = {}  # one string object per id and owner
            people: dict[str, Person] = {}
            evidence: Evidences = {}
            after = ""
            while True:
                page = await _run(
                    tx, "view_people_page", workspace=workspace, after=after, limit=PAGE_PEOPLE
                )
                columns = page[0]
                if not columns["id"]:
                    break
                last = columns["id"][-1]
                # Decoding runs in a thread: the event loop keeps serving other workspaces.
                await asyncio.to_thread(_collect_people, columns, ids, people)
                del page, columns
                ties = await _run(
                    tx, "view_evidence_page", workspace=workspace, after=after, last=last
                )
                await asyncio.to_thread(_collect_interned, ties[0], ids, evidence)
                del ties
                after = last
            members = [
                ids.get(m, m)
                for m in (r["person_id"] for r in await _run(tx, "members", workspace=workspace))
            ]
            return version, people, evidence, members

        version, people, evidence, members = await self._transact(snapshot, write=False)
        view = await asyncio.to_thread(
            lambda: build_view(
                people,
                evidence,
                members,
                as_of=today,
                weights=self._weights,
                details=people,
                infer_colleagues=options.infer_colleagues,
            )
        )
        counts = self._blocking_counts(workspace, asyncio.get_running_loop())
        return version, replace(view, counts_without=counts)

    async def neighbourhood_evidence(self, workspace: str, ids: Sequence[str]) -> Evidences:
        """All evidence on ties touching ``ids`` (for bounded planning; see the benchmark)."""

        async def work(tx: AsyncManagedTransaction) -> Evidences:
            out: Evidences = {}
            rows = await _run(tx, "neighbourhood_evidence", workspace=workspace, ids=list(ids))
            _collect_evidence(rows[0], out)
            return out

        return await self._transact(work, write=False)

    async def neighbours(self, workspace: str, ids: Sequence[str]) -> list[str]:
        rows = await self._read("neighbours", workspace=workspace, ids=list(ids))
        return list(rows[0]["ids"]) if rows else []


def _collect_people(columns: dict[str, Any], ids: dict[str, str], into: dict[str, Person]) -> None:
    """Decode one ``view_people_page`` record (parallel lists); stubs are no one's people."""
    rows = zip(
        columns["id"],
        columns["stub"],
        columns["name"],
        columns["company"],
        columns["position"],
        columns["email"],
        columns["url"],
        columns["schools"],
        columns["employers"],
        strict=True,
    )
    for raw, stub, name, company, position, email, url, schools, employers in rows:
        pid = ids.setdefault(raw, raw)
        if not stub:
            into[pid] = Person(
                pid, name, company, position, email, url, tuple(schools), tuple(employers)
            )


def _collect_interned(record: dict[str, Any], ids: dict[str, str], into: Evidences) -> None:
    """Decode one ``view_evidence_page`` record, sharing one string per id and owner."""
    intern = ids.setdefault
    columns = (record["a"], record["b"], record["owner"], record["data"])
    for x, y, who, data in zip(*columns, strict=True):
        owner = intern(who, who)
        into.setdefault((intern(x, x), intern(y, y)), {})[owner] = evidence_from_json(owner, data)


# -- statements inside a transaction ---------------------------------------------------------
async def _run(tx: AsyncManagedTransaction, name: str, **params: Any) -> list[dict[str, Any]]:
    result = await tx.run(_q(name), params)
    return [r.data() async for r in result]


async def _unwind(
    tx: AsyncManagedTransaction,
    name: str,
    workspace: str,
    items: Sequence[X],
    encode: Callable[[X], dict[str, Any]] | None = None,
) -> None:
    """Run ``name`` over ``items`` in ``BATCH_ROWS`` batches, encoding each with ``encode``.

    A batch is encoded while the server still runs the one before it (``tx.run``
    returns once the server has the statement), so the client's encoding overlaps the
    server's writes instead of adding to them.
    """
    pending = None
    for i in range(0, len(items), BATCH_ROWS):
        chunk = items[i : i + BATCH_ROWS]
        rows = [encode(x) for x in chunk] if encode is not None else list(chunk)
        if pending is not None:
            await pending.consume()
        pending = await tx.run(_q(name), {"workspace": workspace, "rows": rows})
    if pending is not None:
        await pending.consume()


Ties = dict[str, dict[tuple[str, str], Evidence]]
"""A write's ties by their first end: ``a -> {(b, owner): evidence}``, the last row of each."""


async def _write(
    tx: AsyncManagedTransaction,
    workspace: str,
    batch: ImportBatch,
    people: list[Person],
    merges: list[dict[str, str]],
    *,
    fresh: bool,
) -> int:
    """Write the batch's people, merges and ties inside ``apply``'s transaction.

    What cannot be stored yet is CREATEd: the people the workspace does not hold (all
    of them on a first write, else those ``stored_people_refs`` does not find) and every
    tie with such an end; ties between two people stored before are looked up and only
    the missing CREATEd, the changed SET (:func:`_look_up_stored`, :func:`_settle`; no
    MERGE). Every end is
    named by its elementId, so no tie costs an index seek. The ties are sorted out
    while the server creates the people, and each statement's JSON is encoded while the
    server runs the one before. Returns the ties written.
    """
    known: dict[str, str] = {}
    stored: dict[str, str] = {}
    ties: Ties = {}
    memo: dict[int, str] = {}  # evidence JSON by id(record); ties keeps every record alive

    def prepare() -> None:
        # One row per (pair, owner), the last one: what MERGE ... SET keeps.
        for (a, b), e in rewrite_merged(batch, known):
            group = ties.get(a)
            if group is None:
                group = ties[a] = {}
            group[b, e.owner] = e

    meanwhile = prepare
    if not fresh:
        # Read inside the transaction: a retry or a concurrent merge sees the same state.
        known = {r["merged"]: r["kept"] for r in await _run(tx, "merges", workspace=workspace)}
        # The ties are grouped while the server finds the stored people, and the first
        # statement's JSON is made while it creates the new ones.
        stored, update = await _stored_people(tx, workspace, people, prepare)
        await _unwind(tx, "update_people_refs", workspace, update, lambda p: _stored(p, stored))

        def meanwhile() -> None:
            _encode_first(ties, memo)

    new = [p for p in people if p.id not in stored]
    refs = await _refs(tx, "create_people", workspace, new, _new_person, meanwhile)
    for m in batch.merges:
        await _repoint(tx, workspace, m)
    await _unwind(tx, "upsert_merges", workspace, merges)
    refs.update(stored)
    # Ties can already exist only between people stored before this write, and a merge's
    # kept person may have just received the merged one's ties.
    old = set(stored) | {m.kept for m in batch.merges}
    ends = {b for group in ties.values() for b, _ in group}.union(ties) - refs.keys()
    if ends and not fresh:
        found = await _refs(tx, "people_refs", workspace, sorted(ends))
        refs.update(found)
        old.update(found)
        ends -= found.keys()
    refs.update(await _refs(tx, "create_stubs", workspace, sorted(ends)))
    create, maybe_stored = _split(ties, old)
    # The lookup of the stored ties runs while the first CREATE statement is encoded.
    results, by_ref = await _look_up_stored(tx, workspace, maybe_stored, refs)
    missing: Ties = {}
    changed: list[dict[str, Any]] = []

    async def settle() -> None:
        changed.extend(await _settle(results, by_ref, missing, memo))

    await _write_ties(tx, "create_evidence_refs", workspace, create, refs, memo, settle)
    await _write_ties(tx, "create_evidence_refs", workspace, missing, refs, memo)
    await _unwind(tx, "set_evidence_refs", workspace, changed)
    return sum(len({b for b, _ in group}) for group in ties.values())


def _split(ties: Ties, old: set[str]) -> tuple[Ties, Ties]:
    """The ties to CREATE (an end is not in ``old``) and those that may be stored (both are)."""
    if not old:
        return ties, {}
    create: Ties = {}
    maybe_stored: Ties = {}
    for a, group in ties.items():
        if a not in old:
            create[a] = group
            continue
        for key, e in group.items():
            (maybe_stored if key[0] in old else create).setdefault(a, {})[key] = e
    return create, maybe_stored


async def _stored_people(
    tx: AsyncManagedTransaction,
    workspace: str,
    people: list[Person],
    meanwhile: Callable[[], None],
) -> tuple[dict[str, str], list[Person]]:
    """id -> elementId of the batch's people the workspace stores, and those of them
    ``update_people_refs`` would change: a person re-sent as stored is not written.
    ``meanwhile`` runs once, while the server looks up the last batch."""
    refs: dict[str, str] = {}
    update: list[Person] = []
    by_id = {p.id: p for p in people}
    if not people:
        meanwhile()
    for i in range(0, len(people), BATCH_ROWS):
        ids = [p.id for p in people[i : i + BATCH_ROWS]]
        result = await tx.run(_q("stored_people_refs"), {"workspace": workspace, "rows": ids})
        if i + BATCH_ROWS >= len(people):
            meanwhile()
        record = await result.single(strict=True)
        for pid, ref, old in zip(record["ids"], record["refs"], record["stored"], strict=True):
            refs[pid] = ref
            if _would_change(by_id[pid], old):
                update.append(by_id[pid])
    return refs, update


def _would_change(p: Person, old: Mapping[str, Any]) -> bool:
    """Whether ``update_people_refs`` changes the stored person ``old``: a stub becomes
    real, and a non-empty new value replaces a different one. (Where it would only write
    an empty value over a missing one, every read gives back empty either way.)"""
    if old["stub"]:
        return True
    texts = (
        ("name", p.name),
        ("company", p.company),
        ("position", p.position),
        ("email", p.email),
        ("url", p.url),
    )
    if any(new and new != old[key] for key, new in texts):
        return True
    lists = (("schools", p.schools), ("employers", p.employers))
    return any(new and list(new) != old[key] for key, new in lists)


async def _look_up_stored(
    tx: AsyncManagedTransaction, workspace: str, maybe_stored: Ties, refs: Mapping[str, str]
) -> tuple[list[AsyncResult], dict[tuple[str, str, str], tuple[str, str, Evidence]]]:
    """Send ``stored_ties_refs`` for the ties between people stored before this write
    (expand between the two known ends, as MERGE's own check does) and return the
    pending answers, with each tie by (elementId of a, of b, owner) to read them by
    (:func:`_settle`). The client encodes the first CREATE statement meanwhile."""
    by_ref: dict[tuple[str, str, str], tuple[str, str, Evidence]] = {}
    results = []
    for chunk in _grouped_chunks(maybe_stored):
        rows = []
        for a, group in chunk:
            ra = refs[a]
            bs = []
            for (b, owner), e in group.items():
                rb = refs[b]
                by_ref[ra, rb, owner] = (a, b, e)
                bs.append(rb)
            rows.append({"a": ra, "bs": list(dict.fromkeys(bs))})
        results.append(await tx.run(_q("stored_ties_refs"), {"workspace": workspace, "rows": rows}))
    return results, by_ref


async def _settle(
    results: list[AsyncResult],
    by_ref: Mapping[tuple[str, str, str], tuple[str, str, Evidence]],
    missing: Ties,
    memo: dict[int, str],
) -> list[dict[str, Any]]:
    """Sort the looked-up ties without a MERGE: a tie not stored goes to ``missing``
    (to CREATE), a stored one whose document or interactions differ becomes a
    ``set_evidence_refs`` row (returned), and an unchanged one is left as it is, which
    is what MERGE ... SET would leave. Saves MERGE's second check and node locks, and
    the writes that would change nothing."""
    found: dict[tuple[str, str, str], list[tuple[str, str, int]]] = {}
    for result in results:
        record = await result.single(strict=True)
        columns = (record["a"], record["b"], record["owner"], record["data"])
        for ra, rb, owner, data, n, ref in zip(
            *columns, record["interactions"], record["refs"], strict=True
        ):
            found.setdefault((ra, rb, owner), []).append((ref, data, n))
    changed: list[dict[str, Any]] = []
    for key, (a, b, e) in by_ref.items():
        stored = found.get(key)
        if stored is None:
            missing.setdefault(a, {})[b, e.owner] = e
            continue
        data = memo.get(id(e))
        if data is None:
            data = memo[id(e)] = evidence_to_json(e)
        n = interactions_in(e)
        for ref, old_data, old_n in stored:
            if old_data != data or old_n != n:
                changed.append({"ref": ref, "data": data, "interactions": n or None})
    return changed


async def _refs(
    tx: AsyncManagedTransaction,
    name: str,
    workspace: str,
    items: Sequence[X],
    encode: Callable[[X], Any] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> dict[str, str]:
    """Run ``name`` (``create_people``, ``create_stubs``, ``people_refs``) as
    :func:`_unwind` does and return id -> elementId of the nodes it made or found (one
    record per batch: two lists). ``meanwhile`` runs once the last batch is sent,
    before its answer is awaited."""
    refs: dict[str, str] = {}
    pending = None
    for i in range(0, len(items), BATCH_ROWS):
        chunk = items[i : i + BATCH_ROWS]
        rows = [encode(x) for x in chunk] if encode is not None else list(chunk)
        if pending is not None:
            refs.update(await _refs_of(pending))
        pending = await tx.run(_q(name), {"workspace": workspace, "rows": rows})
    if meanwhile is not None:
        meanwhile()
    if pending is not None:
        refs.update(await _refs_of(pending))
    return refs


async def _refs_of(result: AsyncResult) -> Iterator[tuple[str, str]]:
    record = await result.single(strict=True)
    return zip(record["ids"], record["refs"], strict=True)


def _new_person(p: Person) -> dict[str, Any]:
    """:func:`person_to_dict` for ``create_people``: an empty list, email or URL is not
    stored (no index entry for it); every read gives it back as empty."""
    row = _keyed(person_to_dict(p))
    for key in ("email", "url", "schools", "employers"):
        row[key] = row[key] or None
    return row


def _keyed(row: dict[str, Any]) -> dict[str, Any]:
    """A person row with the folded keys people are looked up by on import (always
    strings, so a node without them is one written before they existed)."""
    row["name_key"] = normalize_name(row["name"])
    row["company_norm"] = normalize_company(row["company"])
    return row


def _stored(p: Person, refs: Mapping[str, str]) -> dict[str, Any]:
    """:func:`person_to_dict` for ``update_people_refs``: the node named by elementId."""
    row = _keyed(person_to_dict(p))
    row["ref"] = refs[p.id]
    return row


async def _write_ties(
    tx: AsyncManagedTransaction,
    name: str,
    workspace: str,
    ties: Ties,
    refs: Mapping[str, str],
    memo: dict[int, str],
    before_first: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Send ``ties`` through ``name`` (``create_evidence_refs``),
    both ends named by elementId (``refs``), about ``BATCH_ROWS`` ties per statement.

    Each statement's rows, JSON included, are made while the server runs the one before
    (the first while it runs whatever was sent last; ``before_first`` is awaited once
    that first statement is encoded, and before it is sent, even if there is none), and
    an evidence record shared by many ties (a loader's one rating for a whole file) is
    encoded once: ``memo`` is by identity, and ``ties`` holds every record, so no id is
    reused while it lives (:func:`_encode_first` may have filled it ahead).
    """
    query = _q(name)
    pending = None
    for chunk in _grouped_chunks(ties):
        rows = []
        for a, group in chunk:
            out = []
            for (b, _), e in group.items():
                data = memo.get(id(e))
                if data is None:
                    data = memo[id(e)] = evidence_to_json(e)
                out.append(_tie_row(refs[b], e, data))
            rows.append({"a": refs[a], "ties": out})
        if before_first is not None:
            await before_first()
            before_first = None
        if pending is not None:
            await pending.consume()
        pending = await tx.run(query, {"workspace": workspace, "rows": rows})
    if before_first is not None:
        await before_first()
    if pending is not None:
        await pending.consume()


def _encode_first(ties: Ties, memo: dict[int, str]) -> None:
    """Encode the evidence of the first ``BATCH_ROWS`` ties into ``memo`` ahead of
    :func:`_write_ties`, while the server is busy with something else."""
    size = 0
    for group in ties.values():
        for e in group.values():
            if id(e) not in memo:
                memo[id(e)] = evidence_to_json(e)
        size += len(group)
        if size >= BATCH_ROWS:
            return


def _tie_row(b: str, e: Evidence, data: str) -> dict[str, Any]:
    # No interactions property where there are none (most ties): one record less per
    # tie, and the only reader, the stats' sum, skips missing values.
    return {"b": b, "owner": e.owner, "data": data, "interactions": interactions_in(e) or None}


def _grouped_chunks(by_first: Ties) -> Iterator[list[tuple[str, dict[tuple[str, str], Evidence]]]]:
    """Groups in runs of about ``BATCH_ROWS`` ties (a group is never split)."""
    chunk: list[tuple[str, dict[tuple[str, str], Evidence]]] = []
    size = 0
    for item in by_first.items():
        chunk.append(item)
        size += len(item[1])
        if size >= BATCH_ROWS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


async def _ensure(tx: AsyncManagedTransaction, workspace: str, ids: Iterable[str]) -> None:
    """Make stub nodes for evidence ends no batch described (usually none)."""
    todo = sorted(ids)
    for i in range(0, len(todo), BATCH_ROWS):
        result = await tx.run(
            _q("ensure_people"), {"workspace": workspace, "ids": todo[i : i + BATCH_ROWS]}
        )
        await result.consume()


async def _repoint(tx: AsyncManagedTransaction, workspace: str, m: Merge) -> None:
    """Move a merged person's evidence onto the kept person, then delete them."""
    if not await _run(tx, "person_by_id", workspace=workspace, id=m.merged):
        return  # like the embedded store: only a known person is folded
    moved = []
    for r in await _run(tx, "person_evidence", workspace=workspace, id=m.merged):
        if r["other"] == m.kept:
            continue  # a tie between the two halves of one person disappears
        new_pair = canonical_pair(m.kept, r["other"])
        e = evidence_from_json(r["owner"], r["data"])
        swap = (r["a"] == m.merged) != (new_pair[0] == m.kept)
        moved.append(_evidence_row(*new_pair, flip(e) if swap else e))
    await _run(tx, "delete_person", workspace=workspace, id=m.merged)
    if moved:
        await _ensure(tx, workspace, [m.kept])
    await _unwind(tx, "upsert_evidence", workspace, moved)
