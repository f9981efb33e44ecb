"""GraphQL types. Expected failures are union members, never exceptions."""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Annotated

import strawberry

from graph import errors, paths
from graph.intro import IntroStatus
from graph.model import Person as PersonRecord
from graph.model import Relationship as RelationshipRecord
from graph.model import Sharing
from graph.paths import IntroducerView, PathView
from outreach.lint import LintResult
from services.imports import JobStatus
from services.outreach import DraftView
from services.team import MemberView

strawberry.enum(errors.NoPathReason, name="NoPathReason")


@strawberry.type(description="One real person after identity resolution.")
class Person:
    id: strawberry.ID
    name: str
    company: str
    position: str
    url: str

    @staticmethod
    def of(p: PersonRecord) -> Person:
        return Person(
            id=strawberry.ID(p.id), name=p.name, company=p.company, position=p.position, url=p.url
        )


@strawberry.type(description="One hop of a path with the evidence behind its strength.")
class Step:
    from_: strawberry.ID = strawberry.field(name="from")
    to: strawberry.ID
    strength: float
    evidence: list[str]
    sources: list[str] = strawberry.field(
        description="Whose data shows this tie (members' names, file:NAME) that you may see."
    )
    inferred: bool = strawberry.field(
        description="True when the tie is inferred (same current company), not observed."
    )


@strawberry.type(description="A path from requester to target; probability = product of strengths.")
class Path:
    found: bool
    probability: float
    hops: int
    requester: Person = strawberry.field(
        description="Whom the path starts from: for a team query, the member whose network it uses."
    )
    people: list[Person]
    steps: list[Step]

    @staticmethod
    def of(v: PathView) -> Path:
        return Path(
            found=True,
            probability=v.probability,
            hops=v.hops,
            requester=Person.of(v.requester),
            people=[Person.of(p) for p in v.people],
            steps=[
                Step(
                    from_=strawberry.ID(s.source),
                    to=strawberry.ID(s.target),
                    strength=s.strength,
                    evidence=list(s.evidence),
                    sources=list(s.sources),
                    inferred=s.inferred,
                )
                for s in v.steps
            ],
        )


@strawberry.type(description="No path within the constraints; reason says which one bites.")
class NoPath:
    found: bool
    reason: errors.NoPathReason
    message: str


@strawberry.type(description="The reference matched nobody the caller may see.")
class PersonNotFound:
    ref: str
    message: str


@strawberry.type(description="The reference matched several people; retry with an id.")
class AmbiguousPerson:
    ref: str
    candidates: list[strawberry.ID]
    descriptions: list[str] = strawberry.field(
        description='Each candidate as "Name (position, company) [id]", in candidates\' order; '
        "only people you may see."
    )
    message: str


@strawberry.type(description="Bad input, located as exactly as possible.")
class InvalidInput:
    message: str
    field: str | None
    file: str | None
    line: int | None


@strawberry.type(description="The key's member or sharing level does not allow this.")
class Forbidden:
    message: str


@strawberry.type(description="An intro request id that does not exist in this workspace.")
class NotFound:
    message: str


@strawberry.type(
    description="The search needed more work than the request's budget allows: ask for "
    "fewer hops or fewer alternatives (retrying as is will not help)."
)
class QueryTooExpensive:
    message: str
    budget: int = strawberry.field(description="The expansions the request was allowed.")


Problem = (
    NoPath
    | PersonNotFound
    | AmbiguousPerson
    | InvalidInput
    | Forbidden
    | NotFound
    | QueryTooExpensive
)
"""The members every result union carries, so every domain error has a typed answer."""
PROBLEMS = (
    NoPath,
    PersonNotFound,
    AmbiguousPerson,
    InvalidInput,
    Forbidden,
    NotFound,
    QueryTooExpensive,
)


def problem_of(err: errors.WarmintroError) -> Problem:
    """Translate a domain error into its union member (the only place that does)."""
    if isinstance(err, errors.NoPath):
        return NoPath(found=False, reason=err.reason, message=str(err))
    if isinstance(err, errors.PersonNotFound):
        return PersonNotFound(ref=err.ref, message=str(err))
    if isinstance(err, errors.AmbiguousPerson):
        return AmbiguousPerson(
            ref=err.ref,
            candidates=[strawberry.ID(c) for c in err.candidates],
            descriptions=list(err.details),
            message=str(err),
        )
    if isinstance(err, errors.InvalidInput):
        return InvalidInput(message=str(err), field=err.field, file=err.file, line=err.line)
    if isinstance(err, errors.Forbidden):
        return Forbidden(message=str(err))
    if isinstance(err, errors.QueryTooExpensive):
        return QueryTooExpensive(message=str(err), budget=err.budget)
    if isinstance(err, errors.InvalidTransition):
        return InvalidInput(message=str(err), field="status", file=None, line=None)
    return NotFound(message=str(err))


@strawberry.type
class PathList:
    paths: list[Path]


@strawberry.type(description="A first-hop contact ranked by the best path through them.")
class Introducer:
    person: Person
    score: float
    path_probability: float
    reasons: list[str]
    path: Path

    @staticmethod
    def of(v: IntroducerView) -> Introducer:
        return Introducer(
            person=Person.of(v.person),
            score=v.score,
            path_probability=v.path_probability,
            reasons=list(v.reasons),
            path=Path.of(v.path),
        )


@strawberry.type
class IntroducerList:
    direct: DirectTie | None = strawberry.field(
        description="Set when the requester already knows the target; introducers then "
        "holds only warmer routes."
    )
    introducers: list[Introducer]

    @staticmethod
    def of(found: paths.IntroducerList) -> IntroducerList:
        d = found.direct
        return IntroducerList(
            direct=None
            if d is None
            else DirectTie(
                requester=Person.of(d.requester),
                person=Person.of(d.person),
                strength=d.strength,
                evidence=list(d.evidence),
                sources=list(d.sources),
            ),
            introducers=[Introducer.of(i) for i in found.introducers],
        )


@strawberry.type(description="A tie the requester already has to the target.")
class DirectTie:
    requester: Person
    person: Person
    strength: float
    evidence: list[str]
    sources: list[str]


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    """Offset after ``cursor`` (Relay: the next page starts after it)."""
    if not cursor:
        return 0
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind != "offset" or not value.isdigit() or len(value) > 9:
            raise ValueError(kind)  # only offsets this API hands out: 0 .. 999,999,999
        return int(value) + 1
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.InvalidInput("malformed cursor", field="after") from exc


@strawberry.type
class PersonEdge:
    cursor: str
    node: Person


@strawberry.type
class PersonConnection:
    edges: list[PersonEdge]
    page_info: PageInfo


@strawberry.type
class PathEdge:
    cursor: str
    node: Path


@strawberry.type(description="People reachable at a company, warmest path first.")
class ReachConnection:
    edges: list[PathEdge]
    page_info: PageInfo


@strawberry.type(description="A relationship as the caller may see it.")
class Relationship:
    a: strawberry.ID
    b: strawberry.ID
    strength: float
    evidence: list[str]
    sources: int

    @staticmethod
    def of(r: RelationshipRecord, strength: float, lines: tuple[str, ...]) -> Relationship:
        return Relationship(
            a=strawberry.ID(r.a),
            b=strawberry.ID(r.b),
            strength=strength,
            evidence=list(lines),
            sources=len(r.evidence),
        )


@strawberry.type
class NetworkStats:
    people: int
    relationships: int
    interactions: int
    members: int
    merges: int


@strawberry.type
class ErasedPerson:
    person_id: strawberry.ID
    relationships: int
    evidence: int
    intro_requests: int = strawberry.field(
        description="Intro requests deleted (they involved the person) or scrubbed (their "
        "goal or draft named them)."
    )
    suppressed_keys: int = strawberry.field(
        description="Identity keys (id, URL, email, name+company) put on the workspace's "
        "suppression list as salted hashes: a re-import skips the person."
    )


strawberry.enum(JobStatus, name="ImportStatus")


@strawberry.type
class SkippedRow:
    file: str
    line: int
    field: str | None
    reason: str


@strawberry.type(description="What an import wrote (or would have: failed imports write nothing).")
class ImportReport:
    source: str
    people: int
    relationships: int
    interactions: int
    merges: int
    skipped: list[SkippedRow]
    notes: list[str]


@strawberry.type(description="A background import; poll importJob(id) for progress.")
class ImportJob:
    id: strawberry.ID
    status: JobStatus
    rows_processed: int
    started_at: datetime
    finished_at: datetime | None
    report: ImportReport | None
    error: InvalidInput | None


PersonResult = Annotated[
    Person | Problem,
    strawberry.union("PersonResult"),
]
PathResult = Annotated[
    Path | Problem,
    strawberry.union("PathResult"),
]
PathsResult = Annotated[
    PathList | Problem,
    strawberry.union("PathsResult"),
]
IntroducersResult = Annotated[
    IntroducerList | Problem,
    strawberry.union("IntroducersResult"),
]
ReachResult = Annotated[
    ReachConnection | Problem,
    strawberry.union("ReachResult"),
]
SearchResult = Annotated[
    PersonConnection | Problem,
    strawberry.union("SearchResult"),
]
RelationshipResult = Annotated[
    Relationship | Problem,
    strawberry.union("RelationshipResult"),
]
UpsertPersonResult = Annotated[
    Person | Problem,
    strawberry.union("UpsertPersonResult"),
]
EraseResult = Annotated[
    ErasedPerson | Problem,
    strawberry.union("EraseResult"),
]
ImportResult = Annotated[
    ImportJob | Problem,
    strawberry.union("ImportResult"),
]
ImportJobResult = Annotated[
    ImportJob | Problem,
    strawberry.union("ImportJobResult"),
]


@strawberry.type(description="One cold-pitch habit found in a message, with where and why.")
class LintFinding:
    rule: str
    severity: str
    start: int
    end: int
    excerpt: str
    explanation: str
    suggestion: str


@strawberry.type(description="The outreach linter's verdict.")
class LintReport:
    clean: bool
    findings: list[LintFinding]


strawberry.enum(IntroStatus, name="IntroStatus")
IntroStatusEnum = IntroStatus


@strawberry.type(description="A planned ask with its lifecycle.")
class IntroRequest:
    id: strawberry.ID
    status: IntroStatus
    goal: str
    requester: Person
    introducer: Person
    target: Person
    draft: str
    created_at: datetime
    updated_at: datetime
    asked_at: datetime | None


@strawberry.type
class IntroRequestEdge:
    cursor: str
    node: IntroRequest


@strawberry.type
class IntroRequestConnection:
    edges: list[IntroRequestEdge]
    page_info: PageInfo


@strawberry.type(description="The follow-up plan: at most one gentle nudge, nothing to the target.")
class FollowUp:
    after_days: int
    send_on: date
    max_nudges: int
    to_target: bool
    text: str
    policy: str


@strawberry.type(description="A sentence of the draft and the evidence it rests on.")
class GroundedSentence:
    sentence: str
    evidence: list[str]


@strawberry.type(description="A double-opt-in referral request plus a forwardable blurb.")
class Draft:
    kind: str = strawberry.field(
        description='"intro": a double-opt-in request to the introducer; "direct": a note '
        "to a contact you already know (introducer is then the target, its addressee)."
    )
    subject: str
    ask: str
    blurb: str
    follow_up: FollowUp
    sentences: list[GroundedSentence]
    requester: Person
    introducer: Person
    target: Person
    lint: LintReport
    blurb_lint: LintReport
    alternative: Draft | None = strawberry.field(
        description="With a weak direct tie: an intro request through a much warmer route."
    )
    next_hop: Person | None = strawberry.field(
        description="On a path longer than two hops: the person the introducer is asked to "
        "introduce you to first (connected to the target). Null when it is the target."
    )

    @staticmethod
    def of(view: DraftView) -> Draft:
        d = view.draft
        f = d.follow_up
        return Draft(
            kind=view.kind,
            subject=d.subject,
            ask=d.ask,
            blurb=d.blurb,
            follow_up=FollowUp(
                after_days=f.after_days,
                send_on=f.send_on,
                max_nudges=f.max_nudges,
                to_target=f.to_target,
                text=f.text,
                policy=f.policy,
            ),
            sentences=[GroundedSentence(sentence=s_, evidence=list(ev)) for s_, ev in d.sentences],
            requester=Person.of(view.requester),
            introducer=Person.of(view.introducer),
            target=Person.of(view.target),
            lint=lint_report(d.lint.ask),
            blurb_lint=lint_report(d.lint.blurb),
            alternative=None if view.alternative is None else Draft.of(view.alternative),
            next_hop=None if view.next_hop is None else Person.of(view.next_hop),
        )


DraftResult = Annotated[
    Draft | Problem,
    strawberry.union("DraftResult"),
]
IntroRequestResult = Annotated[
    IntroRequest | Problem,
    strawberry.union("IntroRequestResult"),
]


def lint_report(result: LintResult) -> LintReport:
    return LintReport(
        clean=result.clean,
        findings=[
            LintFinding(
                rule=f.rule,
                severity=f.severity.value,
                start=f.start,
                end=f.end,
                excerpt=f.excerpt,
                explanation=f.explanation,
                suggestion=f.suggestion,
            )
            for f in result.findings
        ],
    )


strawberry.enum(
    Sharing, name="Sharing", description="How much of a member's network teammates may use."
)


@strawberry.type(description="A workspace member and their sharing level.")
class Member:
    person: Person
    sharing: Sharing

    @staticmethod
    def of(m: MemberView) -> Member:
        return Member(person=Person.of(m.person), sharing=m.sharing)


@strawberry.type(description="An API key as an admin may see it: its first characters only.")
class ApiKey:
    prefix: str
    member: strawberry.ID | None
    created_at: datetime
    revoked_at: datetime | None


@strawberry.type
class ApiKeyList:
    keys: list[ApiKey]


@strawberry.type
class Revoked:
    revoked: int


@strawberry.type(description="A workspace's switches for what the planner may infer.")
class WorkspaceOptions:
    infer_colleagues: bool = strawberry.field(
        description="Weak inferred ties between people who list the same current company."
    )


MemberResult = Annotated[Member | Problem, strawberry.union("MemberResult")]
WorkspaceOptionsResult = Annotated[
    WorkspaceOptions | Problem, strawberry.union("WorkspaceOptionsResult")
]
ApiKeysResult = Annotated[ApiKeyList | Problem, strawberry.union("ApiKeysResult")]
RevokeResult = Annotated[Revoked | Problem, strawberry.union("RevokeResult")]
