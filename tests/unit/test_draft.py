"""Referral drafting: limits, determinism, grounding, follow-up policy, lint-clean output."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import InvalidInput
from graph.model import Evidence, Person, Relationship, canonical_pair
from outreach.draft import (
    ASK_MAX_WORDS,
    BLURB_MAX_WORDS,
    Draft,
    DraftContext,
    DraftEngine,
    TemplateDraftEngine,
    Tone,
    parse_goal,
)
from outreach.lint import lint_outreach

TODAY = date(2026, 11, 1)
ENGINE: DraftEngine = TemplateDraftEngine()

ME = Person("me", "Ada Lind", company="Lumen Health", position="Data Engineering Lead")
SAM = Person("sam", "Sam Ortiz", company="Globex")
LEE = Person("lee", "Lee Park", company="Initech")
DANA = Person("dana", "Dana Reyes", company="Acme", position="Head of Payments")
CY = Person("cy", "Cy Brandt", company="Umbrella", position="VP Risk")


def tie(x: str, y: str, **evidence: object) -> Relationship:
    """A relationship whose message counts are given from ``x``'s side (sent/received)."""
    a, b = canonical_pair(x, y)
    sent = int(evidence.pop("sent", 0))  # type: ignore[call-overload]
    received = int(evidence.pop("received", 0))  # type: ignore[call-overload]
    ab, ba = (sent, received) if x == a else (received, sent)
    ev = Evidence(owner="me", messages_ab=ab, messages_ba=ba, **evidence)  # type: ignore[arg-type]
    return Relationship(a, b, (ev,))


def context(**overrides: object) -> DraftContext:
    base: dict[str, object] = {
        "requester": ME,
        "introducer": SAM,
        "target": DANA,
        "requester_introducer": tie("me", "sam", shared_employers=("Globex",)),
        "introducer_target": tie(
            "sam", "dana", sent=5, received=7, last_contact=datetime(2026, 10, 11)
        ),
        "goal": "learn how Acme moved to real-time settlement",
        "today": TODAY,
    }
    base.update(overrides)
    return DraftContext(**base)  # type: ignore[arg-type]


def evidence_of(draft_sentences: tuple[tuple[str, tuple[str, ...]], ...]) -> set[str]:
    return {e for _, ids in draft_sentences for e in ids}


def test_draft_is_addressed_to_the_introducer_and_double_opt_in() -> None:
    d = ENGINE.draft(context())
    assert d.ask.startswith("Hi Sam,")
    assert "checking with Dana" in d.ask  # the introducer asks the target first
    assert "20-minute conversation about how Acme moved to real-time settlement" in d.ask
    assert "no worries at all" in d.ask  # easy out
    assert "blurb" in d.ask  # offer of a forwardable blurb
    assert "Head of Payments at Acme" in d.ask  # what the requester knows of the target
    assert d.blurb.startswith("Hi Dana,")
    assert "Ada Lind" in d.blurb and "Sam" in d.blurb
    assert d.lint.clean, (d.lint.ask.findings, d.lint.blurb.findings)


def test_limits_hold() -> None:
    long_goal = "understand " + " ".join(["settlement"] * 40)
    long_target = Person("dana", "Dana Reyes", company="A" * 30, position="Head of " + "X " * 20)
    for tone in Tone:
        d = ENGINE.draft(context(goal=long_goal, target=long_target, tone=tone))
        assert len(d.ask.split()) <= ASK_MAX_WORDS
        assert len(d.blurb.split()) <= BLURB_MAX_WORDS


def test_tight_limits_drop_optional_sentences_in_order() -> None:
    full = ENGINE.draft(context())
    n = len(full.ask.split())
    tight = TemplateDraftEngine(ask_max_words=n - 1).draft(context())
    assert tight.trimmed[0] == "rapport"
    assert len(tight.ask.split()) <= n - 1
    assert "since our time at Globex" not in tight.ask


def test_same_input_same_output() -> None:
    assert ENGINE.draft(context()) == ENGINE.draft(context())
    assert TemplateDraftEngine().draft(context(tone=Tone.FORMAL)) == ENGINE.draft(
        context(tone=Tone.FORMAL)
    )


def test_grounded_sentences_only_with_their_evidence() -> None:
    bare = ENGINE.draft(context(requester_introducer=None, introducer_target=tie("sam", "dana")))
    for phrase in ("worked together", "in touch", "studied at", "since our time", "connected"):
        assert phrase not in bare.ask and phrase not in bare.blurb
    assert not any(
        e.startswith(("introducer-target", "requester-introducer"))
        for e in evidence_of(bare.sentences)
    )
    assert bare.lint.clean

    rich = ENGINE.draft(
        context(
            introducer_target=tie(
                "sam",
                "dana",
                shared_employers=("Acme",),
                shared_schools=("LSE",),
                connected_on=date(2018, 5, 1),
            )
        )
    )
    assert "you two worked together at Acme" in rich.ask
    assert "introducer-target:shared_employer:Acme" in evidence_of(rich.sentences)
    for text, ids in rich.sentences:
        if "worked together at Acme" in text:
            assert "introducer-target:shared_employer:Acme" in ids


def test_old_contact_is_not_called_recent() -> None:
    stale = tie("sam", "dana", sent=3, received=3, last_contact=datetime(2024, 1, 1))
    d = ENGINE.draft(context(introducer_target=stale))
    assert "in touch" not in d.ask


def test_message_direction_follows_the_canonical_order() -> None:
    # "dana" < "sam": messages_ab are dana -> sam; the evidence id reports sam's sent/received.
    d = ENGINE.draft(context())
    ids = evidence_of(d.sentences)
    assert any(e.startswith("introducer-target:messages:5/7") for e in ids)
    flipped = context(
        introducer=Person("zed", "Zed Ames"),
        requester_introducer=None,
        introducer_target=tie(
            "zed", "dana", sent=2, received=9, last_contact=datetime(2026, 10, 20)
        ),
    )
    ids = evidence_of(ENGINE.draft(flipped).sentences)
    assert any(e.startswith("introducer-target:messages:2/9") for e in ids)


def test_substance_differs_between_introducers_and_targets() -> None:
    via_sam = ENGINE.draft(context())
    via_lee = ENGINE.draft(
        context(
            introducer=LEE,
            requester_introducer=tie("me", "lee", shared_schools=("TU Delft",)),
            introducer_target=tie("lee", "dana", shared_employers=("Initech",)),
        )
    )
    to_cy = ENGINE.draft(context(target=CY, introducer_target=tie("sam", "cy", recommendations=1)))

    def grounded(d: Draft) -> set[str]:
        return {
            text.replace("Sam", "X").replace("Lee", "X").replace("Dana", "Y").replace("Cy", "Y")
            for text, ids in d.sentences
            if any(not i.startswith("goal") for i in ids)
        }

    assert grounded(via_sam) != grounded(via_lee)
    assert grounded(via_sam) != grounded(to_cy)
    assert evidence_of(via_sam.sentences) != evidence_of(via_lee.sentences)


def test_follow_up_policy() -> None:
    d = ENGINE.draft(context())
    plan = d.follow_up
    assert plan.recipient_id == SAM.id
    assert plan.to_target is False
    assert plan.max_nudges == 1
    assert plan.after_days == 7
    assert plan.send_on == TODAY + timedelta(days=7)
    assert "Dana" in plan.text and plan.text.startswith("Hi Sam")
    assert lint_outreach(plan.text).clean


def test_invalid_contexts() -> None:
    with pytest.raises(InvalidInput):
        ENGINE.draft(context(goal="  . "))
    with pytest.raises(InvalidInput):
        ENGINE.draft(context(target=SAM))
    with pytest.raises(InvalidInput):
        ENGINE.draft(context(introducer_target=tie("sam", "cy")))


def test_parse_goal() -> None:
    assert parse_goal("I'd like to hire our first data engineer").topic == (
        "how to hire our first data engineer"
    )
    assert parse_goal("We want to understand how Acme runs on-call.").topic == (
        "how Acme runs on-call"
    )
    assert parse_goal("payments partnerships in Brazil").verb is False


# ------------------------------------------------------------------ property test

FIRST = [
    "Ana",
    "Bo",
    "Chen",
    "Dele",
    "Eva",
    "Farah",
    "Gwen",
    "Hugo",
    "Ines",
    "Jonas",
    "Kofi",
    "Lena",
    "Mateo",
    "Nora",
    "Omar",
    "Priya",
    "Rui",
    "Sofia",
    "Tariq",
    "Ye-jin",
    "Zoë",
]
LAST = [
    "Ames",
    "Brandt",
    "Costa",
    "Dlamini",
    "Eriksen",
    "Fujita",
    "García",
    "Haddad",
    "Ivanova",
    "O'Neill",
    "Nakamura",
    "Okafor",
    "Park",
    "Quinn",
    "Singh",
    "Van der Berg",
]
COMPANIES = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Kestrel Labs",
    "Fjord Bank",
    "Northwind",
    "Tessel",
    "Lumen Health",
    "",
]
POSITIONS = [
    "Head of Payments",
    "VP Engineering",
    "Staff Data Scientist",
    "Product Manager",
    "CTO",
    "Director of Risk",
    "Recruiter",
    "Founder",
    "",
]
SCHOOLS = ["LSE", "TU Delft", "INSEAD", "University of Lagos", "MIT"]
VERBS = [
    "learn how",
    "understand how",
    "hear how",
    "I want to learn how",
    "I'd like to understand how",
]
SUBJECTS = ["the team", "Acme", "their platform group", "the risk team", "they"]
ACTIONS = [
    "prices usage-based plans",
    "runs incident reviews",
    "hires for settlement roles",
    "moved off batch pipelines",
    "tests pricing changes",
    "handles chargebacks",
    "evaluates data vendors",
    "structures on-call rotations",
]
VERB_GOALS = [
    "hire our first data engineer",
    "migrate our billing to Stripe",
    "launch card payments in Vietnam",
    "choose between two feature stores",
    "plan a move to streaming",
]
NOUN_GOALS = [
    "payments partnerships in Brazil",
    "a grant application on assay validation",
    "our expansion into Indonesia",
    "accessibility audits for checkout flows",
]


@st.composite
def people(
    draw: st.DrawFn,
    pid: str,
    companies: Sequence[str] = COMPANIES,
    positions: Sequence[str] = POSITIONS,
) -> Person:
    name = f"{draw(st.sampled_from(FIRST))} {draw(st.sampled_from(LAST))}"
    return Person(
        pid,
        name,
        company=draw(st.sampled_from(companies)),
        position=draw(st.sampled_from(positions)),
    )


@st.composite
def evidence(draw: st.DrawFn) -> Evidence:
    last = draw(st.none() | st.integers(0, 1500))
    connected = draw(st.none() | st.integers(0, 4000))
    return Evidence(
        owner="me",
        connected_on=TODAY - timedelta(days=connected) if connected is not None else None,
        messages_ab=draw(st.integers(0, 40)),
        messages_ba=draw(st.integers(0, 40)),
        last_contact=(
            datetime.combine(TODAY, datetime.min.time()) - timedelta(days=last)
            if last is not None
            else None
        ),
        shared_employers=tuple(
            draw(st.lists(st.sampled_from(COMPANIES[:-1]), max_size=2, unique=True))
        ),
        shared_schools=tuple(draw(st.lists(st.sampled_from(SCHOOLS), max_size=2, unique=True))),
        invited_with_note=draw(st.none() | st.booleans()),
        endorsements=draw(st.integers(0, 5)),
        recommendations=draw(st.integers(0, 2)),
    )


goals = (
    st.builds(
        lambda v, s, a: f"{v} {s} {a}",
        st.sampled_from(VERBS),
        st.sampled_from(SUBJECTS),
        st.sampled_from(ACTIONS),
    )
    | st.sampled_from(VERB_GOALS)
    | st.builds(lambda v: f"I'd like to {v}.", st.sampled_from(VERB_GOALS))
    | st.sampled_from(NOUN_GOALS)
)


@st.composite
def contexts(draw: st.DrawFn) -> DraftContext:
    requester, introducer, target = draw(people("p1")), draw(people("p2")), draw(people("p3"))
    ri = draw(st.none() | evidence().map(lambda e: Relationship("p1", "p2", (e,))))
    it = draw(st.none() | evidence().map(lambda e: Relationship("p2", "p3", (e,))))
    return DraftContext(
        requester,
        introducer,
        target,
        ri,
        it,
        goal=draw(goals),
        today=TODAY,
        tone=draw(st.sampled_from(list(Tone))),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contexts())
def test_every_generated_draft_is_lint_clean_and_fits(ctx: DraftContext) -> None:
    d = ENGINE.draft(ctx)
    assert len(d.ask.split()) <= ASK_MAX_WORDS
    assert len(d.blurb.split()) <= BLURB_MAX_WORDS
    problems = [
        (f.rule, f.excerpt)
        for f in (*d.lint.ask.findings, *d.lint.blurb.findings)
        if f.severity != "info"
    ]
    assert not problems, (problems, d.ask, d.blurb)
    assert lint_outreach(d.follow_up.text).clean
    assert d == ENGINE.draft(ctx)
    assert d.ask.startswith(("Hi ", "Dear "))
    assert ctx.introducer.name.split()[0] in d.ask.splitlines()[0]


# -- issue 16: drafts a person would send ------------------------------------------------
def test_a_salesy_goal_is_refused_not_pasted() -> None:
    import asyncio

    from graph.errors import InvalidInput as Invalid
    from graph.store.embedded import EmbeddedStore
    from services.access import Viewer
    from services.appdb import AppDB
    from services.outreach import Outreach
    from services.planner import Planner
    from tests.conftest import TODAY, small_network

    async def go(tmp: Path) -> None:
        store = EmbeddedStore(tmp / "db.sqlite", today=lambda: TODAY)
        await store.apply("w", small_network())
        outreach = Outreach(Planner(store, today=TODAY), AppDB(tmp / "app.db"))
        with pytest.raises(Invalid) as bad_goal:
            await outreach.draft(
                Viewer("w"),
                "cy",
                goal="Sorry to bother you, but would you invest in our game-changing synergy",
                from_ref="me",
            )
        assert bad_goal.value.field == "goal"
        with pytest.raises(Invalid) as bad_tone:
            await outreach.draft(Viewer("w"), "cy", goal="learn about payments", tone="sarcastic")
        assert bad_tone.value.field == "tone"
        with pytest.raises(Invalid) as bad_draft:
            await outreach.create_request(
                Viewer("w"),
                "cy",
                via_ref="bo",
                goal="learn about payments",
                from_ref="me",
                draft="Sorry to bother you, but would you invest in our game-changing synergy?",
            )
        assert bad_draft.value.field == "draft"
        await store.close()

    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(go(Path(tmp)))


def test_messy_profiles_read_naturally() -> None:
    """Headlines are cut to their first role; students and freelancers get no 'role at'."""
    from datetime import date

    from graph.model import Evidence, Person, Relationship
    from outreach.draft import DraftContext, TemplateDraftEngine, headline_title

    assert headline_title("Founder | Angel Investor | Ex-Google") == "Founder"
    me = Person("me", "Ada Lind", company="Lumen")
    sam = Person("sam", "Sam Ortiz")
    for target in (
        Person("t", "Tom Reed", company="Acme", position="Founder | Angel Investor | Ex-Google"),
        Person("t", "Tom Reed", company="Syracuse University", position="Masters Student"),
        Person("t", "Tom Reed", company="", position="Freelance"),
    ):
        ties = (
            Relationship("me", "sam", (Evidence("me", connected_on=date(2019, 1, 1)),)),
            Relationship(
                "sam", "t", (Evidence("sam", connected_on=date(2022, 3, 1), messages_ab=2),)
            ),
        )
        ctx = DraftContext(
            me, sam, target, *ties, goal="learn how they run pricing", today=date(2026, 1, 31)
        )
        d = TemplateDraftEngine().draft(ctx)
        assert "|" not in d.ask and "Angel Investor" not in d.ask
        assert "Student at" not in d.ask and "Freelance" not in d.ask
        assert "also have been" not in d.ask
        assert d.lint.clean, (d.ask, d.lint.ask.findings)


def test_a_shared_university_is_not_claimed_as_working_together() -> None:
    from datetime import date

    from graph.model import Evidence, Person, Relationship
    from outreach.draft import DraftContext, TemplateDraftEngine

    me = Person("me", "Ada Lind", position="Masters Student", company="Syracuse University")
    ta = Person("ta", "Sam Ortiz", position="Teaching Assistant", company="Syracuse University")
    target = Person("t", "Tom Reed", company="Acme", position="Data Lead")
    ties = (
        Relationship("me", "ta", (Evidence("me", shared_employers=("Syracuse University",)),)),
        Relationship("t", "ta", (Evidence("ta", connected_on=date(2022, 3, 1)),)),
    )
    d = TemplateDraftEngine().draft(
        DraftContext(
            me, ta, target, *ties, goal="learn how Acme hires analysts", today=date(2026, 1, 31)
        )
    )
    assert "worked together at Syracuse" not in d.ask
    assert "both at Syracuse University" in d.ask
    assert d.lint.clean


# -- issue 16: the property over real-shaped profiles, any path length and any goal --------
MESSY_POSITIONS = [
    *POSITIONS,
    "Founder | Angel Investor | Ex-Google",
    "Head of Growth 🚀 — hiring!",
    "Masters Student",
    "PhD candidate; teaching assistant",
    "Freelance UX designer",
    "Self-employed",
    "Senior Software Engineer @ Tessel / ex-Initech",
    "Chief Technology Officer",
    "VP, Sales & Partnerships (EMEA)",
    "Looking for new opportunities",
]
MESSY_COMPANIES = [*COMPANIES, "Syracuse University", "ACME Inc.", "Freelance", "Stealth"]
GOAL_FORMS = [
    "How do payment teams handle chargebacks?",
    "How can I break into venture capital?",
    "what it is like to move from engineering into product",
    "advice on moving into product management",
    "I'm curious about how Acme runs incident reviews",
    "figure out whether to build or buy a feature store",
    "getting into climate tech",
    "a career in fintech",
    "tips on hiring a first PM",
    "Why does Acme use two payment processors?",
    "my goal is to understand the Brazilian payments market",
]
any_goal = goals | st.sampled_from(GOAL_FORMS)


def messy_people(pid: str) -> st.SearchStrategy[Person]:
    return people(pid, MESSY_COMPANIES, MESSY_POSITIONS)


@st.composite
def any_path_contexts(draw: st.DrawFn) -> DraftContext:
    """Two to five hops: beyond two, ``target`` is the next hop and ``goal_target`` the aim."""
    hops = draw(st.integers(2, 5))
    requester, introducer = draw(messy_people("p1")), draw(messy_people("p2"))
    target = draw(messy_people("p3"))
    final = draw(messy_people("p9")) if hops > 2 else None
    ri = draw(st.none() | evidence().map(lambda e: Relationship("p1", "p2", (e,))))
    it = draw(st.none() | evidence().map(lambda e: Relationship("p2", "p3", (e,))))
    return DraftContext(
        requester,
        introducer,
        target,
        ri,
        it,
        goal=draw(any_goal),
        today=TODAY,
        tone=draw(st.sampled_from(list(Tone))),
        goal_target=final,
    )


CLAIMS: dict[str, str | tuple[str, ...]] = {
    "worked together": "shared_employer",
    "were both at": "shared_employer",
    "studied at": "shared_school",
    "in touch": ("messages", "emails", "small_meetings"),
    "spoke": ("messages", "emails", "small_meetings"),
    "since our time": "shared_employer",
    "connected since": "connected_on",
    "recommendation": "recommendations",
    "is connected to": "path:",
}


def _backed(ctx: DraftContext, evidence_id: str) -> bool:
    """Whether one evidence id names something the context really holds."""
    from graph.strength import merge_evidence
    from outreach.draft import headline_title

    if evidence_id == "goal":
        return True
    if evidence_id.startswith("path:"):
        return ctx.goal_target is not None and evidence_id == (
            f"path:{ctx.target.id}->{ctx.goal_target.id}"
        )
    kind, _, value = evidence_id.partition(":")
    if kind in {"target", "requester"}:
        field, _, text = value.partition(":")
        people = [ctx.requester] if kind == "requester" else [ctx.target]
        if kind == "target" and ctx.goal_target is not None:
            people.append(ctx.goal_target)
        return any(
            text == (headline_title(p.position) if field == "position" else p.company.strip())
            or text == getattr(p, field)
            for p in people
        )
    rel = {
        "requester-introducer": ctx.requester_introducer,
        "introducer-target": ctx.introducer_target,
    }.get(kind)
    if rel is None:
        return False
    ev = merge_evidence(rel.evidence)
    field, _, text = value.partition(":")
    return {
        "shared_employer": text in ev.shared_employers,
        "shared_school": text in ev.shared_schools,
        "messages": ev.messages_ab + ev.messages_ba > 0 and ev.last_contact is not None,
        "emails": ev.emails_ab + ev.emails_ba > 0 or ev.small_meetings > 0,
        "connected_on": ev.connected_on is not None
        and ev.connected_on.isoformat() == text.split(",")[0],
        "recommendations": ev.recommendations > 0,
    }.get(field, False)


# CI checks the same 400 examples every run (reproducible); explore new ones with
# `HYPOTHESIS_EXPLORE=1 pytest -k any_path` (the linter is a learned model, so new wordings
# can still trip it: each found so far was fixed in the drafts, never in the test).
@settings(
    max_examples=400,
    deadline=None,
    derandomize=not os.environ.get("HYPOTHESIS_EXPLORE"),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(any_path_contexts())
def test_drafts_on_any_path_and_profile_are_clean_grounded_and_name_the_target(
    ctx: DraftContext,
) -> None:
    d = ENGINE.draft(ctx)
    problems = [
        (f.rule, f.excerpt)
        for f in (*d.lint.ask.findings, *d.lint.blurb.findings)
        if f.severity != "info"
    ]
    assert not problems, (problems, d.ask, d.blurb)
    assert lint_outreach(d.follow_up.text).clean
    assert len(d.ask.split()) <= ASK_MAX_WORDS and len(d.blurb.split()) <= BLURB_MAX_WORDS
    if ctx.goal_target is not None:
        assert ctx.goal_target.name in d.ask
        assert "the person I'd most like to learn from" not in d.ask
    text = d.ask + "\n" + d.blurb
    assert "|" not in text and "  " not in text.replace("\n\n", "\n")
    for claim in ("Student at", "Freelance at", "Self-employed at", "Looking for new"):
        assert claim not in text
    for sentence, ids in d.sentences:
        for phrase, kind in CLAIMS.items():
            if phrase in sentence:
                kinds = (kind,) if isinstance(kind, str) else kind
                assert any(k in e for k in kinds for e in ids), (phrase, sentence, ids)
        for evidence_id in ids:
            assert _backed(ctx, evidence_id), (evidence_id, sentence)


def test_recent_email_or_small_meeting_grounds_in_touch_and_a_big_meeting_does_not() -> None:
    recent = datetime(2026, 10, 11, 9, tzinfo=UTC)
    emailed = tie("sam", "dana", emails_ab=4, emails_ba=6, last_email=recent)
    d = ENGINE.draft(context(introducer_target=emailed))
    assert "in touch 3 weeks ago" in d.ask
    assert "introducer-target:emails:10,small_meetings:0,last_email:2026-10-11" in evidence_of(
        d.sentences
    )
    met = tie("sam", "dana", meetings=2, small_meetings=2, meeting_weight=2.0, last_meeting=recent)
    assert "in touch" in ENGINE.draft(context(introducer_target=met)).ask
    crowd = tie("sam", "dana", meetings=2, meeting_weight=0.01, last_meeting=recent)
    assert "in touch" not in ENGINE.draft(context(introducer_target=crowd)).ask


def test_a_draft_the_linter_objects_to_loses_optional_sentences_not_its_ask() -> None:
    """Found by the property test: a blurb to a founder about pricing sat on the learned
    linter's boundary (flagged as a pitch). The engine lints, drops the next optional
    sentence and lints again; the ask, the goal and the easy out always stay."""
    me = Person("p1", "Ana Ames", company="Acme", position="Head of Payments")
    sam = Person("p2", "Ana Ames", company="Acme", position="Head of Payments")
    bo = Person("p3", "Bo Ames", company="Acme", position="Founder")
    ri = Relationship("p1", "p2", (Evidence("me", recommendations=1),))
    ctx = DraftContext(
        me,
        sam,
        bo,
        ri,
        None,
        goal="learn how their platform group tests pricing changes",
        today=TODAY,
    )
    d = ENGINE.draft(ctx)
    assert not [f for f in (*d.lint.ask.findings, *d.lint.blurb.findings) if f.severity != "info"]
    assert "Would you be open to a 20-minute conversation" in d.blurb
    assert "no worries at all" in d.blurb and "pricing changes" in d.blurb
    assert d.trimmed, "an optional sentence went to satisfy the linter"
