"""Generated isolation probes: no member learns what a teammate's sharing level hides.

One workspace per backend (tests/e2e/sharing_world.py): Fay shares ``full``, Pat
``paths``, Prue ``private``. Renée is known only through Prue's data; Quinn only
through Pat's. Every probe is one operation (query or mutation) asked by another
member, naming the hidden person one way (id, URL forms, email cases, exact name
and its case/accent/space variants, a search cursor). The same operation is then
asked naming Zoé, who does not exist, written the same way. A probe leaks when:

- the two answers differ once Zoé's strings are renamed to the hidden person's
  (an answer that tells "hidden" from "nonexistent" is a leak, whatever it says);
- the answer holds something about the hidden person the asker did not type
  (their stored name, company, position, email or URL);
- a write changed the hidden person's record, ties or evidence.

Renée (``private``) is probed with every operation. Quinn (``paths``) may
legitimately appear on a teammate's planned path, so he is probed with what must
not show him: browsing (person, search, ego export) and every write.

A member's edge upload gives every person it names that the member cannot already
browse a node of the member's own (``~tag`` id, services.access.shadow_id), hidden
or free alike, so the answers are compared unmasked.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from api.types import encode_cursor
from graph.identity import normalize_name
from graph.model import Person, Relationship
from services.imports import ImportKind, ImportRequest, run_import
from tests.conftest import BACKENDS
from tests.e2e.sharing_world import (
    FAY,
    PAT,
    PRUE,
    QUINN,
    RENEE,
    ZOE,
    Someone,
    World,
    build_world,
    open_backend,
)

PROBLEMS = """
  ... on NoPath { found reason message }
  ... on PersonNotFound { ref message }
  ... on AmbiguousPerson { ref candidates descriptions }
  ... on InvalidInput { message field }
  ... on Forbidden { message }
  ... on NotFound { message }
"""
PERSON = "id name company position url"
PATH = f"""found probability hops requester {{ {PERSON} }} people {{ {PERSON} }}
  steps {{ from to strength evidence sources inferred }}"""
REL = "... on Relationship { a b strength evidence sources }"


def q(body: str) -> str:
    return body.replace("%P", PROBLEMS)


@dataclass(frozen=True)
class Op:
    """One operation with a person reference ``$r`` (``$me`` is the asking member)."""

    name: str
    text: str
    plan: bool = False  # True: a planning question (a ``paths`` contact may answer it)
    hint: bool = False  # the hidden person's company is typed in (as a hint)

    @property
    def writes(self) -> bool:
        return self.text.lstrip().startswith("mutation") or self.name == "importEdges"


OPS = [
    Op(
        "person",
        q(
            "query ($r: String!) { x: person(ref: $r) { __typename ... on Person {"
            f" {PERSON} }} %P }} }}"
        ),
    ),
    Op(
        "searchPeople",
        q(
            "query ($r: String!) { x: searchPeople(text: $r, first: 5) {"
            f" __typename ... on PersonConnection {{ edges {{ cursor node {{ {PERSON} }} }}"
            " pageInfo { hasNextPage endCursor } } %P } }"
        ),
    ),
    Op(
        "searchPeople-cursor",
        q(
            "query ($r: String!, $c: String) { x: searchPeople(text: $r,"
            f" first: 1, after: $c) {{ __typename ... on PersonConnection {{"
            f" edges {{ cursor node {{ {PERSON} }} }} pageInfo {{ hasNextPage }} }}"
            " %P } }"
        ),
    ),
    Op(
        "exportEgo",
        q(
            "query ($r: String!) { x: exportEgo(person: $r, format: MERMAID) {"
            " __typename ... on GraphExport { content people ties } %P } }"
        ),
    ),
    Op(
        "trustedPath-to",
        q(
            "query ($r: String!) { x: trustedPath(to: $r) { __typename"
            f" ... on Path {{ {PATH} }} %P }} }}"
        ),
        plan=True,
    ),
    Op(
        "trustedPath-from",
        q(
            'query ($r: String!) { x: trustedPath(from: $r, to: "li:ana-open")'
            f" {{ __typename ... on Path {{ {PATH} }} %P }} }}"
        ),
        plan=True,
    ),
    Op(
        "trustedPath-avoid",
        q(
            'query ($r: String!) { x: trustedPath(to: "li:ana-open",'
            f" avoid: [$r]) {{ __typename ... on Path {{ {PATH} }} %P }} }}"
        ),
        plan=True,
    ),
    Op(
        "alternativePaths",
        q(
            "query ($r: String!) { x: alternativePaths(to: $r, k: 3) {"
            f" __typename ... on PathList {{ paths {{ {PATH} }} }} %P }} }}"
        ),
        plan=True,
    ),
    Op(
        "introducers",
        q(
            "query ($r: String!) { x: introducers(to: $r) { __typename"
            f" ... on IntroducerList {{ direct {{ strength evidence sources }}"
            f" introducers {{ person {{ {PERSON} }} score path {{ {PATH} }} }} }} %P }} }}"
        ),
        plan=True,
    ),
    Op(
        "introducers-hint",
        q(
            "query ($r: String!, $co: String!) { x: introducers(to: $r,"
            " hint: {company: $co}) { __typename ... on IntroducerList {"
            f" introducers {{ person {{ {PERSON} }} score path {{ {PATH} }} }} }}"
            " %P } }"
        ),
        plan=True,
        hint=True,
    ),
    Op(
        "draft-to",
        q(
            'query ($r: String!) { x: draftIntroRequest(to: $r, goal: "compare notes'
            ' on payments") { __typename ... on Draft { kind ask blurb } %P } }'
        ),
        plan=True,
    ),
    Op(
        "draft-via",
        q(
            'query ($r: String!) { x: draftIntroRequest(to: "li:ana-open", via: $r,'
            ' goal: "compare notes on payments") { __typename'
            " ... on Draft { kind ask blurb } %P } }"
        ),
        plan=True,
    ),
    Op(
        "exportPaths",
        q(
            "query ($r: String!) { x: exportPaths(to: $r, format: MERMAID) {"
            " __typename ... on GraphExport { content people ties } %P } }"
        ),
        plan=True,
    ),
    Op(
        "createIntroRequest-to",
        q(
            "mutation ($r: String!) { x: createIntroRequest(to: $r,"
            ' via: "li:ana-open", goal: "payments") { __typename'
            " ... on IntroRequest { goal } %P } }"
        ),
        plan=True,
    ),
    Op(
        "createIntroRequest-via",
        q(
            "mutation ($r: String!) { x: createIntroRequest("
            'to: "li:ana-open", via: $r, goal: "payments") {'
            " __typename ... on IntroRequest { goal } %P } }"
        ),
        plan=True,
    ),
    Op(
        "upsertPerson",
        q(
            'mutation ($r: ID!) { x: upsertPerson(person: {id: $r, name: "Typed'
            ' Name", company: "Typed Co"}) { __typename'
            f" ... on Person {{ {PERSON} }} %P }} }}"
        ),
    ),
    Op(
        "upsertRelationship-b",
        q(
            "mutation ($r: String!, $me: String!) { x: upsertRelationship("
            f"a: $me, b: $r, rating: 0.5) {{ __typename {REL} %P }} }}"
        ),
    ),
    Op(
        "upsertRelationship-a",
        q(
            "mutation ($r: String!) { x: upsertRelationship(a: $r,"
            f' b: "li:ana-open", rating: 0.5) {{ __typename {REL} %P }} }}'
        ),
    ),
    Op(
        "rateRelationship",
        q(
            "mutation ($r: String!, $me: String!) { x: rateRelationship("
            f"a: $me, b: $r, rating: 0.9) {{ __typename {REL} %P }} }}"
        ),
    ),
    Op(
        "recordInteraction-to",
        q(
            "mutation ($r: String!, $me: String!) { x: recordInteraction("
            'from: $me, to: $r, at: "2026-10-30T10:00:00") {'
            f" __typename {REL} %P }} }}"
        ),
    ),
    Op(
        "recordInteraction-from",
        q(
            "mutation ($r: String!, $me: String!) { x: recordInteraction("
            'from: $r, to: $me, at: "2026-10-30T10:00:00") {'
            f" __typename {REL} %P }} }}"
        ),
    ),
    Op(
        "erasePerson",
        q(
            "mutation ($r: String!) { x: erasePerson(ref: $r) { __typename"
            " ... on ErasedPerson { personId } %P } }"
        ),
    ),
    Op(
        "setSharing",
        q(
            "mutation ($r: String!) { x: setSharing(level: FULL, member: $r) {"
            " __typename ... on Member { sharing } %P } }"
        ),
    ),
    Op("importEdges", ""),
]

ASKERS = {"private": (FAY, PAT), "paths": (FAY, PRUE)}
FORMS = list(RENEE.refs())


@dataclass(frozen=True)
class Probe:
    op: Op
    level: str  # whose contact: "private" (Renée) or "paths" (Quinn)
    asker: str
    form: str


def probes() -> list[Probe]:
    out = []
    for level, hidden_askers in ASKERS.items():
        for op in OPS:
            if level == "paths" and op.plan:
                continue
            for asker in hidden_askers:
                for form in FORMS:
                    out.append(Probe(op, level, asker, form))
    return out


PROBES = probes()
HIDDEN = {"private": RENEE, "paths": QUINN}


def renaming(src: Someone, dst: Someone) -> Callable[[str], str]:
    """Rewrite ``src``'s strings (every ref form and what they normalise to) as ``dst``'s."""
    pairs: dict[str, str] = {}
    for key, value in src.refs().items():
        pairs[value] = dst.refs()[key]
        pairs[value.strip()] = dst.refs()[key].strip()
    for a, b in (
        (src.id, dst.id),
        (src.url, dst.url),
        (src.slug, dst.slug),
        (src.slug.upper(), dst.slug.upper()),
        (src.email.lower(), dst.email.lower()),
        (normalize_name(src.name), normalize_name(dst.name)),
    ):
        pairs[a] = b
    pairs = {k: v for k, v in pairs.items() if k}
    pattern = re.compile("|".join(re.escape(k) for k in sorted(pairs, key=len, reverse=True)))
    return lambda text: pattern.sub(lambda m: pairs[m.group(0)], text)


def secrets(hidden: Someone, form: str, op: Op) -> list[str]:
    """What the asker did not type: none of it may appear in an answer."""
    typed = hidden.refs()[form].casefold()
    out = [hidden.position]
    if not op.hint:
        out.append(hidden.company)
    if not form.startswith("name"):
        out += [hidden.name, normalize_name(hidden.name)]
    if not form.startswith("email"):
        out.append(hidden.email.lower())
    if not (form.startswith("url") or form == "id"):
        out.append(hidden.slug)
    return [s for s in out if s.casefold() not in typed]


Snapshot = tuple[Person | None, list[Relationship]]


async def snapshot(w: World, hidden: Someone) -> Snapshot:
    store = w.services.store
    return (
        await store.person(w.workspace, hidden.id),
        await store.relationships_of(w.workspace, hidden.id),
    )


class Runner:
    """Runs probes against one world, undoing what the nonexistent-person side wrote."""

    def __init__(self, world: World, tmp: Path) -> None:
        self.w = world
        self.tmp = tmp
        self.baseline: set[str] = set()

    async def start(self) -> None:
        self.baseline = {p.id for p in await self.w.services.store.people(self.w.workspace)}

    async def restore(self) -> None:
        """Erase people a probe created (a new person written by upsertPerson or an upload)."""
        store = self.w.services.store
        for p in await store.people(self.w.workspace):
            if p.id not in self.baseline:
                await store.erase_person(self.w.workspace, p.id)
        for r in self.w.services.appdb.intro_requests(self.w.workspace):
            raise AssertionError(f"a probe recorded an intro request: {r}")

    async def ask(self, probe: Probe, who: Someone, hidden: Someone) -> str:
        ref = who.refs()[probe.form]
        if probe.op.name == "importEdges":
            return await self.upload(probe, ref)
        variables: dict[str, Any] = {"r": ref}
        if "$me" in probe.op.text:
            variables["me"] = probe.asker
        if "$co" in probe.op.text:
            variables["co"] = hidden.company
        if "$c" in probe.op.text:
            variables["c"] = encode_cursor(0)
        data = await self.w.gql(probe.op.text, probe.asker, **variables)
        return json.dumps(data, sort_keys=True, ensure_ascii=False)

    async def upload(self, probe: Probe, ref: str) -> str:
        """A member's edge upload naming the person, then the asker's view of it."""
        edges = self.tmp / "probe.json"
        edges.write_text(json.dumps([{"source": probe.asker, "target": ref}]))
        viewer = self.w.viewer(probe.asker)
        request = ImportRequest(ImportKind.EDGES, edges)
        report = await run_import(self.w.services.planner, viewer, request)
        found = await self.w.gql(OPS[0].text, probe.asker, r=ref)
        # Hidden or free, the id the upload's node gets is the member's own: no masking.
        return json.dumps(report.as_dict(), sort_keys=True, ensure_ascii=False) + json.dumps(
            found, ensure_ascii=False
        )

    async def run(self, probe: Probe) -> list[str]:
        hidden = HIDDEN[probe.level]
        writes = probe.op.writes
        before = await snapshot(self.w, hidden) if writes else None
        answer = await self.ask(probe, hidden, hidden)
        after = await snapshot(self.w, hidden) if writes else None
        if writes:
            await self.restore()
        nobody = await self.ask(probe, ZOE, hidden)
        if writes:
            await self.restore()
        leaks = []
        expected = renaming(ZOE, hidden)(nobody)
        if answer != expected:
            leaks.append(f"differs from a nonexistent person:\n  {answer}\n  {expected}")
        lowered = answer.casefold()
        for secret in secrets(hidden, probe.form, probe.op):
            if secret.casefold() in lowered:
                leaks.append(f"shows {secret!r}")
        if before != after:
            leaks.append("changed the hidden person's data")
        return leaks


@pytest.fixture(scope="module", params=BACKENDS)
async def runner(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Runner]:
    tmp = tmp_path_factory.mktemp("isolation")
    async for store in open_backend(request, tmp):
        world = await build_world(store, tmp)
        r = Runner(world, tmp)
        await r.start()
        yield r
        world.services.appdb.close()


def test_enough_probes_are_generated() -> None:
    assert len(PROBES) >= 300
    assert {p.form for p in PROBES} == set(FORMS) and len(FORMS) >= 15
    assert {p.op.name for p in PROBES} == {op.name for op in OPS}


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
async def test_no_probe_leaks(runner: Runner, op: Op) -> None:
    found: list[str] = []
    mine = [p for p in PROBES if p.op is op]
    assert mine
    for probe in mine:
        for leak in await runner.run(probe):
            found.append(
                f"{probe.op.name} by {probe.asker} naming {probe.level} contact "
                f"as {probe.form}: {leak}"
            )
    assert not found, f"{len(found)} leaks in {len(mine)} probes:\n" + "\n".join(found[:10])


async def test_admins_see_everyone(runner: Runner) -> None:
    """The other side of the rule: an admin key names hidden people in every form."""
    w = runner.w
    for hidden in (RENEE, QUINN):
        for form, ref in hidden.refs().items():
            data = await w.gql(OPS[0].text, None, r=ref)
            assert data["x"]["__typename"] == "Person", (form, data)
            assert data["x"]["company"] == hidden.company
