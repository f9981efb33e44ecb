"""The Neo4j backend: the same GraphStore contract on Neo4j 5.26 (official async driver).

Data model: ``(:Person {workspace, id, ...})``; one ``[:KNOWS {workspace, owner,
data, interactions}]`` per owner, directed from the canonical first end to the
second; ``(:Member)``, ``(:Merge)`` and a ``(:Workspace {name, version})`` whose
version every write bumps. Every statement lives in ``queries/`` and takes the
workspace as a parameter, so nothing crosses workspaces.

Planning: the planner needs the whole workspace graph to be exact, so the store
fetches the workspace's evidence once, builds the same in-memory trust graph as
the embedded backend, and caches it per workspace version. Every call costs one
cheap version read, so several API workers see each other's writes at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from graph.codec import evidence_from_json, evidence_to_json, interactions_in
from graph.cypher import load_query
from graph.embedded import build_view, flip, rewrite_merged
from graph.errors import StoreUnavailable
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
from graph.store import ApplyResult, Erased, PlanningView, Stats
from graph.strength import StrengthWeights

BATCH_ROWS = 10_000
SCHEMA = (
    "schema_person_key",
    "schema_person_url",
    "schema_person_email",
    "schema_member_key",
    "schema_merge_key",
    "schema_workspace_key",
)


def _q(name: str) -> LiteralString:
    # The text comes from a file shipped with the package, never from input.
    return load_query(name).text  # mypy treats LiteralString as str


def _person(d: dict[str, Any]) -> Person:
    return Person(
        id=d["id"],
        name=d.get("name") or "",
        company=d.get("company") or "",
        position=d.get("position") or "",
        email=d.get("email") or "",
        url=d.get("url") or "",
        schools=tuple(d.get("schools") or ()),
        employers=tuple(d.get("employers") or ()),
    )


def _person_row(p: Person) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "company": p.company,
        "position": p.position,
        "email": p.email,
        "url": p.url,
        "schools": list(p.schools),
        "employers": list(p.employers),
    }


def _evidence_row(a: str, b: str, e: Evidence) -> dict[str, Any]:
    return {
        "a": a,
        "b": b,
        "owner": e.owner,
        "data": evidence_to_json(e),
        "interactions": interactions_in(e),
    }


class Neo4jStore:
    """GraphStore on Neo4j; the driver is injected (or built by ``from_settings``)."""

    def __init__(
        self,
        driver: AsyncDriver,
        *,
        database: str = "neo4j",
        weights: StrengthWeights | None = None,
        today: Callable[[], date] = date.today,
        owns_driver: bool = False,
    ) -> None:
        self._driver = driver
        self._database = database
        self._weights = weights or StrengthWeights()
        self._today = today
        self._owns_driver = owns_driver
        self._schema_ready = False
        self._schema_lock = asyncio.Lock()
        self._views: dict[str, tuple[int, date, PlanningView]] = {}

    @classmethod
    def from_settings(
        cls, *, uri: str, user: str, password: str, database: str, weights: StrengthWeights
    ) -> Neo4jStore:
        driver = AsyncGraphDatabase.driver(uri, auth=(user, password))
        return cls(driver, database=database, weights=weights, owns_driver=True)

    # -- plumbing ----------------------------------------------------------------------
    async def _read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        await self._ensure_schema()
        try:
            records, _, _ = await self._driver.execute_query(
                _q(name), params, database_=self._database, routing_="r"
            )
        except (ServiceUnavailable, OSError) as exc:
            raise StoreUnavailable(f"Neo4j is unreachable: {exc}") from exc
        return [r.data() for r in records]

    async def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        async with self._schema_lock:
            try:
                for name in SCHEMA:
                    await self._driver.execute_query(_q(name), database_=self._database)
            except (ServiceUnavailable, OSError) as exc:
                raise StoreUnavailable(f"Neo4j is unreachable: {exc}") from exc
            self._schema_ready = True

    async def _write(self, work: Callable[[AsyncManagedTransaction], Any]) -> Any:
        """Run ``work`` in one write transaction (retried on transient errors)."""
        await self._ensure_schema()
        try:
            async with self._driver.session(database=self._database) as session:
                return await session.execute_write(work)
        except (ServiceUnavailable, OSError) as exc:
            raise StoreUnavailable(f"Neo4j is unreachable: {exc}") from exc

    @staticmethod
    async def _run(tx: AsyncManagedTransaction, name: str, **params: Any) -> list[dict[str, Any]]:
        result = await tx.run(_q(name), params)
        return [r.data() async for r in result]

    @staticmethod
    async def _unwind(
        tx: AsyncManagedTransaction, name: str, workspace: str, rows: Sequence[dict[str, Any]]
    ) -> None:
        for i in range(0, len(rows), BATCH_ROWS):
            result = await tx.run(
                _q(name), {"workspace": workspace, "rows": list(rows[i : i + BATCH_ROWS])}
            )
            await result.consume()

    # -- lifecycle -------------------------------------------------------------------------
    async def close(self) -> None:
        if self._owns_driver:
            await self._driver.close()

    async def ping(self) -> None:
        try:
            await self._driver.verify_connectivity()
        except (Neo4jError, ServiceUnavailable, OSError) as exc:
            raise StoreUnavailable(f"Neo4j is unreachable: {exc}") from exc

    # -- writes ---------------------------------------------------------------------------------
    async def apply(self, workspace: str, batch: ImportBatch) -> ApplyResult:
        known = {m.merged: m.kept for m in await self.merges(workspace)}
        evidence = rewrite_merged(batch, known)
        people = list({p.id: p for p in batch.people}.values())

        async def work(tx: AsyncManagedTransaction) -> None:
            await self._unwind(tx, "upsert_people", workspace, [_person_row(p) for p in people])
            for m in batch.merges:
                await self._repoint(tx, workspace, m)
            await self._unwind(
                tx,
                "upsert_merges",
                workspace,
                [{"kept": m.kept, "merged": m.merged, "reason": m.reason} for m in batch.merges],
            )
            await self._unwind(
                tx, "upsert_evidence", workspace, [_evidence_row(a, b, e) for (a, b), e in evidence]
            )
            await self._unwind(
                tx,
                "insert_members",
                workspace,
                [{"person_id": m.person_id, "sharing": m.sharing.value} for m in batch.members],
            )
            await self._run(tx, "bump_version", workspace=workspace)

        await self._write(work)
        return ApplyResult(len(people), len({pair for pair, _ in evidence}), len(batch.merges))

    async def _repoint(self, tx: AsyncManagedTransaction, workspace: str, m: Merge) -> None:
        """Move a merged person's evidence onto the kept person, then delete them."""
        exists = await self._run(tx, "person_by_id", workspace=workspace, id=m.merged)
        if not exists:
            return
        rows = await self._run(tx, "person_evidence", workspace=workspace, id=m.merged)
        moved = []
        for r in rows:
            if r["other"] == m.kept:
                continue
            new_pair = canonical_pair(m.kept, r["other"])
            e = evidence_from_json(r["owner"], r["data"])
            swap = (r["a"] == m.merged) != (new_pair[0] == m.kept)
            moved.append(_evidence_row(*new_pair, flip(e) if swap else e))
        await self._run(tx, "delete_person", workspace=workspace, id=m.merged)
        await self._unwind(tx, "upsert_evidence", workspace, moved)

    async def set_sharing(self, workspace: str, person_id: str, sharing: Sharing) -> None:
        async def work(tx: AsyncManagedTransaction) -> None:
            await self._run(
                tx, "set_sharing", workspace=workspace, person_id=person_id, sharing=sharing.value
            )
            await self._run(tx, "bump_version", workspace=workspace)

        await self._write(work)

    async def erase_person(self, workspace: str, person_id: str) -> Erased:
        async def work(tx: AsyncManagedTransaction) -> Erased:
            touching = await self._run(tx, "person_evidence", workspace=workspace, id=person_id)
            owned = await self._run(tx, "owner_evidence", workspace=workspace, owner=person_id)
            pairs = {r["other"] for r in touching}
            n_ev = len(touching)
            for r in owned:
                if person_id in (r["a"], r["b"]):
                    continue  # already counted with the person's own ties
                n_ev += 1
                if r["others"] == 0:
                    pairs.add(f"{r['a']}|{r['b']}")
            await self._run(tx, "delete_owner_evidence", workspace=workspace, owner=person_id)
            await self._run(tx, "delete_person", workspace=workspace, id=person_id)
            await self._run(tx, "delete_member", workspace=workspace, id=person_id)
            await self._run(tx, "delete_person_merges", workspace=workspace, id=person_id)
            await self._run(tx, "bump_version", workspace=workspace)
            return Erased(person_id, len(pairs), n_ev)

        result: Erased = await self._write(work)
        return result

    # -- reads ----------------------------------------------------------------------------------
    async def person(self, workspace: str, person_id: str) -> Person | None:
        rows = await self._read("person_by_id", workspace=workspace, id=person_id)
        return _person(rows[0]["person"]) if rows else None

    async def people_by_url(self, workspace: str, url: str) -> list[Person]:
        return [
            _person(r["person"])
            for r in await self._read("people_by_url", workspace=workspace, url=url)
        ]

    async def people_by_email(self, workspace: str, email: str) -> list[Person]:
        rows = await self._read("people_by_email", workspace=workspace, email=email)
        return [_person(r["person"]) for r in rows]

    async def people(self, workspace: str) -> list[Person]:
        return [_person(r["person"]) for r in await self._read("all_people", workspace=workspace)]

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
        return [_person(r["person"]) for r in rows]

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
        grouped: dict[tuple[str, str], list[Evidence]] = {}
        for r in rows:
            grouped.setdefault((r["a"], r["b"]), []).append(
                evidence_from_json(r["owner"], r["data"])
            )
        return [
            Relationship(a, b, tuple(sorted(evs, key=lambda e: e.owner)))
            for (a, b), evs in sorted(
                grouped.items(), key=lambda kv: kv[0][1] if kv[0][0] == person_id else kv[0][0]
            )
        ]

    async def members(self, workspace: str) -> list[Member]:
        rows = await self._read("members", workspace=workspace)
        return [Member(r["person_id"], Sharing(r["sharing"])) for r in rows]

    async def merges(self, workspace: str) -> list[Merge]:
        rows = await self._read("merges", workspace=workspace)
        return [Merge(r["kept"], r["merged"], r["reason"]) for r in rows]

    async def stats(self, workspace: str) -> Stats:
        r = (await self._read("stats", workspace=workspace))[0]
        return Stats(r["people"], r["relationships"], r["interactions"], r["members"], r["merges"])

    async def planning_view(self, workspace: str) -> PlanningView:
        version = (await self._read("workspace_version", workspace=workspace))[0]["version"]
        today = self._today()
        cached = self._views.get(workspace)
        if cached and cached[0] == version and cached[1] == today:
            return cached[2]
        people = [r["person"]["id"] for r in await self._read("all_people", workspace=workspace)]
        evidence: dict[tuple[str, str], dict[str, Evidence]] = {}
        for r in await self._read("all_evidence", workspace=workspace):
            evidence.setdefault((r["a"], r["b"]), {})[r["owner"]] = evidence_from_json(
                r["owner"], r["data"]
            )
        members = [m.person_id for m in await self.members(workspace)]
        view = build_view(people, evidence, members, as_of=today, weights=self._weights)
        self._views[workspace] = (version, today, view)
        return view
