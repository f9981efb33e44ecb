"""The store interface both backends implement, and the records it returns.

Stores persist people, evidence, merges and members per workspace and hand the
planner a :class:`PlanningView`. Everything is async because the Neo4j driver is;
the embedded store answers from memory without awaiting anything slow.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from graph.colleagues import company_key
from graph.identity import PersonKeys, normalize_company
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
from graph.trustgraph import TrustGraph

PUBLIC_OWNER_BIT = 1
"""Mask bit for evidence from sources that are not a member (generic files)."""


@dataclass(frozen=True, slots=True)
class Stats:
    people: int
    relationships: int
    interactions: int
    members: int
    merges: int


@dataclass(frozen=True, slots=True)
class ApplyResult:
    """What a batch changed (counts of rows written, not of rows offered)."""

    people: int
    relationships: int
    merges: int


@dataclass(frozen=True, slots=True)
class Erased:
    person_id: str
    relationships: int
    evidence: int


@dataclass(frozen=True, slots=True)
class ViewOptions:
    """A workspace's switches for what its planning view implies beyond the evidence."""

    infer_colleagues: bool = True  # weak ties between people at the same current company


ViewOptionsSource = Callable[[str], ViewOptions]
"""Workspace name -> its options; stores read it whenever they check their cached view."""


def default_view_options(workspace: str) -> ViewOptions:
    """Every workspace on the defaults (a store not told where options live)."""
    return ViewOptions()


EvidenceByPair = Mapping[tuple[str, str], Mapping[str, Evidence]]
"""Each tie's evidence, keyed by canonical pair, then by owner."""


def relationship_from(evidence: EvidenceByPair, a: str, b: str) -> Relationship | None:
    """The tie between ``a`` and ``b`` with its evidence in owner order, if any."""
    pair = canonical_pair(a, b)
    owners = evidence.get(pair)
    if not owners or a == b:
        return None
    return Relationship(pair[0], pair[1], tuple(owners[o] for o in sorted(owners)))


@dataclass(frozen=True, slots=True)
class PlanningView:
    """A trust graph plus the owner-bit of each member, for privacy filtering.

    Bit ``PUBLIC_OWNER_BIT`` marks evidence from non-member sources; member ``m``
    has bit ``owner_bits[m]``. An edge is usable by a query whose mask shares a
    bit with the edge's mask.

    ``people`` and ``evidence`` are the records the graph was built from, so a
    planner can describe a path (names, evidence lines) without another round
    trip to the store, consistent with the graph it searched.
    """

    graph: TrustGraph
    owner_bits: dict[str, int]
    people: Mapping[str, Person] = field(default_factory=dict)
    evidence: EvidenceByPair = field(default_factory=dict)
    implied: EvidenceByPair = field(default_factory=dict)  # teammates, inferred colleagues
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # folded name -> ids
    companies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # company key -> ids
    options: ViewOptions = ViewOptions()  # what was switched on when it was built
    # Stores that keep people on disk answer these without a scan in Python:
    company_prefix: Callable[[str], tuple[str, ...]] | None = None  # key prefix -> ids
    # Ids at either end of an observed tie whose owner mask the predicate accepts.
    usable_ends: Callable[[Callable[[int], bool]], set[str]] | None = None
    # The same for one person: the OR of the owner masks of their observed ties (0: none).
    observed_mask: Callable[[str], int] | None = None
    # Counts leaving out the given owners' evidence (a member's view of the workspace).
    counts_without: Callable[[frozenset[str]], Stats] | None = None

    def person(self, person_id: str) -> Person | None:
        return self.people.get(person_id)

    def relationship(self, a: str, b: str) -> Relationship | None:
        """The tie with its stored evidence and what the view implies (owner order)."""
        pair = canonical_pair(a, b)
        extra = self.implied.get(pair)
        if not extra:
            return relationship_from(self.evidence, a, b)
        owners = {**self.evidence.get(pair, {}), **extra}
        return relationship_from({pair: owners}, a, b)

    def people_at(self, company: str) -> tuple[str, ...]:
        """Everyone whose current company is ``company`` however spelt ("ACME, Inc." is
        "Acme"); failing that, companies whose name starts with it ("Northwind" finds
        "Northwind Bank")."""
        key = company_key(company) or normalize_company(company)
        if not key:
            return ()
        exact = self.companies.get(key)
        if exact:
            return exact
        prefix = key + " "
        if self.company_prefix is not None:
            return self.company_prefix(prefix)
        starts = (ids for k, ids in self.companies.items() if k.startswith(prefix))
        return tuple(pid for ids in starts for pid in ids)

    def mask_for(self, owners: set[str], *, include_public: bool = True) -> int:
        mask = PUBLIC_OWNER_BIT if include_public else 0
        for owner in owners:
            mask |= self.owner_bits.get(owner, 0)
        return mask


@runtime_checkable
class GraphStore(Protocol):
    """Persistence for one or more workspaces; see tests/contract/test_store_contract.py."""

    async def close(self) -> None: ...

    async def ping(self) -> None:
        """Raise ``StoreUnavailable`` unless the store can serve queries."""

    async def apply(self, workspace: str, batch: ImportBatch) -> ApplyResult:
        """Write a whole batch in one transaction: all of it lands or none."""

    async def person(self, workspace: str, person_id: str) -> Person | None: ...

    async def people_by_url(self, workspace: str, url: str) -> list[Person]: ...

    async def people_by_email(self, workspace: str, email: str) -> list[Person]: ...

    async def people(self, workspace: str) -> list[Person]:
        """Every person (exports and bulk jobs; an import reads :meth:`people_for_keys`)."""

    async def has_people(self, workspace: str) -> bool:
        """Whether the workspace stores anyone (a first import then resolves against
        nobody and need not note what it looks people up by)."""

    async def people_for_keys(self, workspace: str, keys: PersonKeys) -> list[Person]:
        """The described people ``keys`` name (:meth:`PersonKeys.matches`), in id order:
        the only people an import's identity resolution may need."""

    async def search_people(
        self, workspace: str, text: str, *, limit: int, offset: int = 0
    ) -> list[Person]:
        """Case-insensitive match on name, company, position, email or URL, by name."""

    async def people_matching(self, workspace: str, *, company: str, title: str) -> set[str]:
        """Ids of described people whose company contains ``company`` and whose position
        contains ``title`` (case-insensitive substrings; an empty filter matches everyone)."""

    async def relationship(self, workspace: str, a: str, b: str) -> Relationship | None: ...

    async def relationships_of(self, workspace: str, person_id: str) -> list[Relationship]: ...

    async def members(self, workspace: str) -> list[Member]: ...

    async def set_sharing(self, workspace: str, person_id: str, sharing: Sharing) -> None: ...

    async def merges(self, workspace: str) -> list[Merge]: ...

    async def stats(self, workspace: str) -> Stats: ...

    async def erase_person(self, workspace: str, person_id: str) -> Erased:
        """Remove the person, every relationship touching them and its evidence."""

    async def evidence_of(
        self, workspace: str, pairs: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], dict[str, Evidence]]:
        """The stored evidence of these canonical pairs, by owner (pairs with none are
        left out): an import overlays its own source's fields on it, and a writer needs
        no planning graph for that."""

    async def planning_view(self, workspace: str) -> PlanningView:
        """The graph the planner searches, strengths computed as of today, with what
        the workspace's :class:`ViewOptions` switch on; rebuilt when they change."""

    def use_view_options(self, source: ViewOptionsSource) -> None:
        """Where workspace options live (the app database); read on every view check."""
