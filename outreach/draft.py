"""Referral-request drafting: a double-opt-in ask to the introducer, grounded in evidence.

The etiquette (docs/outreach.md) asks for a short note to the *introducer*, who
checks with the target before connecting anyone; a forwardable blurb; and at
most one gentle follow-up. Every sentence that states a fact about a tie is
built from :class:`graph.model.Evidence` and records which evidence it used, so
a draft never claims a shared past the graph does not show: with no useful
evidence it says less.

The built-in :class:`TemplateDraftEngine` is deterministic (no language model,
no clock: ``today`` comes in with the context). Anything implementing
:class:`DraftEngine` can replace it later.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from graph.errors import InvalidInput
from graph.model import Evidence, Person, Relationship
from graph.strength import merge_evidence
from outreach.lint import LintResult, lint_outreach

ASK_MAX_WORDS = 120
BLURB_MAX_WORDS = 90
FOLLOW_UP_AFTER_DAYS = 7
RECENT_DAYS = 120  # "in touch recently" only when the last contact is this fresh
GOAL_MAX_WORDS = 16
TOPIC_MAX_WORDS = 12


class Tone(StrEnum):
    """How the ask reads; the content and the evidence are the same."""

    WARM = "warm"
    FORMAL = "formal"
    BRIEF = "brief"


@dataclass(frozen=True, slots=True)
class DraftContext:
    """Everything a draft may use; nothing else is consulted.

    ``requester_introducer`` and ``introducer_target`` are the canonical
    relationships (``a < b``) for the two hops, or None when the graph has no
    record of the tie. ``goal`` is the requester's goal in their own words.
    ``goal_target`` is set when the path is longer than two hops: ``target`` is then
    the next step (the person the introducer knows) and ``goal_target`` the person
    the requester ultimately wants to reach, whom ``target`` is connected to.
    """

    requester: Person
    introducer: Person
    target: Person
    requester_introducer: Relationship | None
    introducer_target: Relationship | None
    goal: str
    today: date
    tone: Tone = Tone.WARM
    goal_target: Person | None = None


@dataclass(frozen=True, slots=True)
class FollowUpPlan:
    """The only follow-up the product plans: one nudge to the introducer.

    Nothing is ever sent to the target before they agree (``to_target`` is
    always False); ``max_nudges`` is always 1.
    """

    recipient_id: str
    send_on: date
    after_days: int
    max_nudges: int
    to_target: bool
    text: str
    policy: str


@dataclass(frozen=True, slots=True)
class DraftLint:
    """The linter's verdict on both texts, each against its own word limit."""

    ask: LintResult
    blurb: LintResult

    @property
    def clean(self) -> bool:
        return self.ask.clean and self.blurb.clean


@dataclass(frozen=True, slots=True)
class Draft:
    """A referral request ready for review; ``sentences`` maps text to evidence."""

    subject: str
    ask: str
    blurb: str
    follow_up: FollowUpPlan
    sentences: tuple[tuple[str, tuple[str, ...]], ...]
    lint: DraftLint
    trimmed: tuple[str, ...] = ()  # optional sentences dropped to fit the word limits


class DraftEngine(Protocol):
    """Anything that turns a :class:`DraftContext` into a :class:`Draft`."""

    def draft(self, context: DraftContext) -> Draft:
        """Draft the ask, the blurb and the follow-up plan for ``context``."""
        ...

    def direct_note(self, context: DraftContext) -> Draft:
        """A note to a contact the requester already knows (``introducer`` is the target)."""
        ...


# ------------------------------------------------------------------ evidence


@dataclass(frozen=True, slots=True)
class _Fact:
    """One usable fact about a tie, in words, with its evidence id."""

    kind: str
    phrase: str  # completes "you ..." / "we ..." e.g. "worked together at Acme"
    evidence: str


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _ago(days: int) -> str:
    if days <= 1:
        return "in the last day or so"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        weeks = days // 7
        return f"{weeks} week{'s' if weeks != 1 else ''} ago"
    months = days // 30
    return f"{months} month{'s' if months != 1 else ''} ago"


def _merged(rel: Relationship | None) -> Evidence | None:
    return merge_evidence(rel.evidence) if rel is not None and rel.evidence else None


_SCHOOLISH = re.compile(r"\b(university|college|school|institute|academy|universit\w+)\b", re.I)


def _tie_facts(rel: Relationship | None, x: Person, hop: str, today: date) -> list[_Fact]:
    """Facts about the tie, strongest first; ``x`` is the side speaking ("we"/"you")."""
    ev = _merged(rel)
    if ev is None or rel is None:
        return []
    sent = ev.messages_ab if x.id == rel.a else ev.messages_ba
    received = ev.messages_ba if x.id == rel.a else ev.messages_ab
    facts: list[_Fact] = [
        _Fact(
            "employer",
            # A campus is shared by students and staff alike: claim the place, not the work.
            f"were both at {employer}"
            if _SCHOOLISH.search(employer)
            else f"worked together at {employer}",
            f"{hop}:shared_employer:{employer}",
        )
        for employer in ev.shared_employers[:1]
    ]
    if ev.last_contact is not None and sent + received:
        days = max((today - _as_date(ev.last_contact)).days, 0)
        if days <= RECENT_DAYS:
            facts.append(
                _Fact(
                    "recent",
                    f"were last in touch {_ago(days)}",
                    f"{hop}:messages:{sent}/{received},last_contact:"
                    f"{_as_date(ev.last_contact).isoformat()}",
                )
            )
    if not any(f.kind == "recent" for f in facts):
        facts.extend(_recent_mail_or_meeting(ev, hop, today))
    if ev.recommendations:
        facts.append(
            _Fact(
                "recommendation",
                "know each other's work well (there is a LinkedIn recommendation between you)",
                f"{hop}:recommendations:{ev.recommendations}",
            )
        )
    facts.extend(
        _Fact("school", f"both studied at {school}", f"{hop}:shared_school:{school}")
        for school in ev.shared_schools[:1]
    )
    if ev.connected_on is not None and (today - ev.connected_on).days >= 365:
        facts.append(
            _Fact(
                "connected",
                f"have been connected since {ev.connected_on.year}",
                f"{hop}:connected_on:{ev.connected_on.isoformat()}",
            )
        )
    return facts


def _recent_mail_or_meeting(ev: Evidence, hop: str, today: date) -> list[_Fact]:
    """ "Last in touch" from email or a small meeting (issue 17), when LinkedIn had nothing
    recent; big meetings are no contact."""
    met = ev.last_meeting if ev.small_meetings else None
    seen = [(at, what) for at, what in ((ev.last_email, "last_email"), (met, "last_meeting")) if at]
    if not seen:
        return []
    at, what = max(seen)
    days = max((today - at.date()).days, 0)
    if days > RECENT_DAYS:
        return []
    counts = f"emails:{ev.emails_ab + ev.emails_ba},small_meetings:{ev.small_meetings}"
    return [
        _Fact(
            "recent",
            f"were last in touch {_ago(days)}",
            f"{hop}:{counts},{what}:{at.date().isoformat()}",
        )
    ]


# ------------------------------------------------------------------ the goal

_GOAL_PREFIX = re.compile(
    r"^(?:(?:my|our) goal is (?:to )?|(?:i|we)(?:'d| would) (?:like|love) to |"
    r"(?:i|we)(?:'m| am| are) (?:hoping|trying|looking) to |(?:i|we) (?:want|need|hope) to |"
    r"(?:hoping|trying|looking|want|wanting) to |to )",
    re.IGNORECASE,
)
_LEARN_PREFIX = re.compile(
    r"^(?:learn(?: more)? about|learn|understand|hear about|hear|ask about|ask|discuss|"
    r"talk about|talk through|get (?:advice|input|a view|guidance|tips|perspective) on|"
    r"find out|figure out|work out)\s+(?:about\s+)?",
    re.IGNORECASE,
)
_VERBS = frozenset(
    re.findall(
        r"\S+",
        "learn understand hear ask discuss talk get find hire build launch move migrate choose "
        "pick price scale set design plan improve reduce compare evaluate structure run start "
        "grow enter expand prepare write research decide make ship switch replace organise "
        "organize measure test automate negotiate figure explore break transition become "
        "raise join apply work navigate sort map",
    )
)
_WH = frozenset({"how", "what", "why", "whether", "when", "where", "which", "who"})
_MODALS = frozenset({"can", "could", "should", "would", "will", "might", "must"})
_PRONOUNS = frozenset({"i", "we", "you", "they", "one", "people", "teams", "companies"})
_CURIOUS = re.compile(
    r"^(?:i'm|i am|we're|we are)\s+(?:curious|interested)\s+(?:about|in)\s+", re.IGNORECASE
)
_ADVICE = re.compile(
    r"^(?:some\s+)?(advice|input|guidance|tips|perspective|a view)\s+(?:on|about)\s+",
    re.IGNORECASE,
)


def _question(text: str) -> str:
    """ "How do teams price X?" -> "how teams price X"; "how can I X" -> "how I can X".
    Other inverted questions are kept as they are (still readable)."""
    words = text.rstrip("?").split()
    words[0] = words[0].lower()
    if len(words) > 2 and words[1].lower() == "do":
        del words[1]
    elif len(words) > 3 and words[1].lower() in _MODALS and words[2].lower() in _PRONOUNS:
        subject = "I" if words[2].lower() == "i" else words[2].lower()
        words[1], words[2] = subject, words[1].lower()
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class _Goal:
    clause: str  # completes "I'm trying to ..." or "I'm working on ..."
    verb: bool
    topic: str  # completes "a conversation about ..."


def _words(text: str, limit: int) -> str:
    return " ".join(text.split()[:limit]).rstrip(",;:-—")


def parse_goal(goal: str) -> _Goal:
    """Split the requester's goal into a clause for the ask and one named topic.

    >>> g = parse_goal("I want to learn how Acme handles chargebacks.")
    >>> g.clause, g.topic
    ('learn how Acme handles chargebacks', 'how Acme handles chargebacks')
    >>> parse_goal("payments partnerships in Brazil").topic
    'payments partnerships in Brazil'
    >>> g = parse_goal("How do payment teams handle chargebacks?")
    >>> g.clause, g.topic
    ('understand how payment teams handle chargebacks', 'how payment teams handle chargebacks')
    >>> parse_goal("advice on moving into product management").clause
    'get advice on moving into product management'
    """
    text = " ".join(goal.split()).strip(" .!?;:,")
    text = _GOAL_PREFIX.sub("", text).strip(" .!?;:,")
    if not text:
        raise InvalidInput("the goal is empty; say in a few words what you want to learn")
    if curious := _CURIOUS.match(text):
        text = "learn about " + text[curious.end() :]
    elif advice := _ADVICE.match(text):
        text = f"get {advice.group(1).lower()} on " + text[advice.end() :]
    first = text.split()[0]
    if first.lower() in _WH:
        text = "understand " + _question(text)
    elif first.lower().endswith("ing") or first.lower() in {"a", "an", "the", "some", "my"}:
        text = first.lower() + text[len(first) :]
    first = text.split()[0]
    verb = first.lower() in _VERBS
    if verb:
        text = first.lower() + text[len(first) :]
    clause = _words(text, GOAL_MAX_WORDS)
    rest = _LEARN_PREFIX.sub("", clause)
    if rest != clause:
        topic = rest
    elif verb:
        topic = f"how to {clause}"
    else:
        topic = clause
    return _Goal(clause=clause, verb=verb, topic=_words(topic, TOPIC_MAX_WORDS))


# ------------------------------------------------------------------ assembly


@dataclass(frozen=True, slots=True)
class _Sentence:
    text: str
    evidence: tuple[str, ...] = ()
    drop_rank: int | None = None  # None: required; lower ranks are dropped first
    label: str = ""


def _first(person: Person) -> str:
    return person.name.split()[0] if person.name.split() else person.name


_HEADLINE_SPLIT = re.compile(r"\s*(?:\||•|·|/|;|@|\s[-–—]\s)\s*")


def headline_title(position: str) -> str:
    """The first role of a LinkedIn headline, the part a person would say aloud.

    >>> headline_title("Founder | Angel Investor | Ex-Google")
    'Founder'
    >>> headline_title("Head of Growth 🚀 — hiring!")
    'Head of Growth'
    >>> headline_title("Senior Software Engineer @ Tessel / ex-Initech")
    'Senior Software Engineer'
    """
    first = _HEADLINE_SPLIT.split(position.strip(), maxsplit=1)[0]
    kept = "".join(ch for ch in first if ch.isalnum() or ch in " &,.'()+-")
    return " ".join(kept.split()).strip(" ,.-")


def _role(person: Person, side: str = "target") -> tuple[str, tuple[str, ...]]:
    """ "Head of Payments at Acme", with evidence ids; empty when unknown. A student
    or freelance profile has no "role at a company" to claim."""
    position, company = headline_title(person.position), person.company.strip()
    if _NO_ROLE.search(position) or _NO_ROLE.search(company):
        position = ""
    if _NO_ROLE.search(company):
        company = ""
    ids = tuple(
        f"{side}:{kind}:{value}"
        for kind, value in (("position", position), ("company", company))
        if value
    )
    if position and company:
        return f"{position} at {company}", ids
    if company:
        return f"at {company}", ids
    return position, ids


_NO_ROLE = re.compile(r"\b(student|freelanc\w*|self[- ]employed|retired|looking for)\b", re.I)


def _also(phrase: str) -> str:
    """ "You have also been connected since 2022." — "also" after the auxiliary.

    >>> _also("have been connected since 2022"), _also("both studied at MIT")
    ('You have also been connected since 2022.', 'You also both studied at MIT.')
    """
    for aux in ("have ", "were ", "are "):
        if phrase.startswith(aux):
            return f"You {aux}also {phrase[len(aux) :]}."
    return f"You also {phrase}."


def _join_facts(facts: Sequence[_Fact]) -> str:
    return " and ".join(f.phrase for f in facts)


def _drop_while(
    sentences: list[_Sentence], dropped: list[str], wrong: Callable[[list[_Sentence]], bool]
) -> tuple[list[_Sentence], list[str]]:
    """Drop optional sentences, lowest rank first, while ``wrong`` holds of the rest."""
    kept, gone = list(sentences), list(dropped)
    while wrong(kept):
        optional = [s for s in kept if s.drop_rank is not None]
        if not optional:
            break
        victim = min(optional, key=lambda s: s.drop_rank or 0)
        kept.remove(victim)
        gone.append(victim.label or victim.text)
    return kept, gone


def _fit(sentences: list[_Sentence], limit: int) -> tuple[list[_Sentence], list[str]]:
    """Drop optional sentences, lowest rank first, until the text fits ``limit`` words."""
    return _drop_while(sentences, [], lambda kept: _count(kept) > limit)


def _revise(
    sentences: list[_Sentence], dropped: list[str], limit: int
) -> tuple[list[_Sentence], list[str], LintResult]:
    """Lint, and while the linter objects, drop the next optional sentence and lint again.

    The linter is a learned model: a draft near its boundary can be flagged for a
    sentence that is fine on its own; an optional sentence (rapport, a second fact,
    a role) can go without losing the ask. Required sentences never go, so a draft
    that still has findings keeps them, and the service refuses to record it.
    """
    verdicts: dict[int, LintResult] = {}

    def flagged(kept: list[_Sentence]) -> bool:
        verdicts[len(kept)] = lint_outreach(_render(kept), max_words=limit)
        return any(f.severity.value != "info" for f in verdicts[len(kept)].findings)

    kept, gone = _drop_while(sentences, dropped, flagged)
    return kept, gone, verdicts[len(kept)]


def _count(sentences: Sequence[_Sentence]) -> int:
    return sum(len(s.text.split()) for s in sentences)


def _render(sentences: Sequence[_Sentence]) -> str:
    greeting, *body = sentences
    return f"{greeting.text}\n\n{' '.join(s.text for s in body)}"


class TemplateDraftEngine:
    """Deterministic, evidence-grounded drafts from fixed sentence templates.

    Parameters
    ----------
    ask_max_words, blurb_max_words : int
        Word limits; optional sentences are dropped (rapport first, then the
        second fact about the introducer's tie, then the target's role) until
        the text fits.

    Examples
    --------
    >>> from datetime import date, datetime
    >>> me = Person("me", "Ada Lind", company="Lumen", position="Data lead")
    >>> sam = Person("sam", "Sam Ortiz")
    >>> dana = Person("dana", "Dana Reyes", company="Acme", position="Head of Payments")
    >>> ties = (Relationship("me", "sam", (Evidence("me", shared_employers=("Globex",)),)),
    ...         Relationship("dana", "sam", (Evidence("sam", messages_ab=4, messages_ba=6,
    ...                      last_contact=datetime(2026, 1, 10)),)))
    >>> ctx = DraftContext(me, sam, dana, *ties, goal="learn how Acme prices usage",
    ...                    today=date(2026, 1, 31))
    >>> d = TemplateDraftEngine().draft(ctx)
    >>> d.lint.clean, len(d.ask.split()) <= 120, len(d.blurb.split()) <= 90
    (True, True, True)
    >>> print(d.ask.splitlines()[0])
    Hi Sam,
    >>> "were last in touch 3 weeks ago" in d.ask
    True
    >>> d.follow_up.send_on, d.follow_up.to_target
    (datetime.date(2026, 2, 7), False)
    """

    def __init__(
        self, *, ask_max_words: int = ASK_MAX_WORDS, blurb_max_words: int = BLURB_MAX_WORDS
    ) -> None:
        self.ask_max_words = ask_max_words
        self.blurb_max_words = blurb_max_words

    def draft(self, context: DraftContext) -> Draft:
        """Draft the ask, blurb and follow-up plan; see the class docstring."""
        _validate(context)
        goal = parse_goal(context.goal)
        ask, ask_dropped, ask_lint = _revise(
            *_fit(self._ask(context, goal), self.ask_max_words), self.ask_max_words
        )
        blurb, blurb_dropped, blurb_lint = _revise(
            *_fit(self._blurb(context, goal), self.blurb_max_words), self.blurb_max_words
        )
        ask_text, blurb_text = _render(ask), _render(blurb)
        follow_up = _follow_up(context)
        lint = DraftLint(ask=ask_lint, blurb=blurb_lint)
        return Draft(
            subject=f"Would you check with {_first(context.target)} about an intro?",
            ask=ask_text,
            blurb=blurb_text,
            follow_up=follow_up,
            sentences=tuple((s.text, s.evidence) for s in (*ask, *blurb)),
            lint=lint,
            trimmed=tuple(ask_dropped + blurb_dropped),
        )

    def direct_note(self, context: DraftContext) -> Draft:
        """A short note to someone the requester already knows (no introducer).

        ``context.introducer`` is the target itself; ``requester_introducer`` is
        their tie. Names what they share, one small ask about the goal, an easy out.

        >>> from datetime import date, datetime
        >>> me = Person("me", "Ada Lind")
        >>> dana = Person("dana", "Dana Reyes", company="Acme")
        >>> tie = Relationship("dana", "me", (Evidence("me", shared_employers=("Globex",)),))
        >>> ctx = DraftContext(me, dana, dana, tie, None, goal="learn how Acme prices usage",
        ...                    today=date(2026, 1, 31))
        >>> d = TemplateDraftEngine().direct_note(ctx)
        >>> d.lint.clean, d.blurb, d.ask.splitlines()[0]
        (True, '', 'Hi Dana,')
        """
        _validate_direct(context)
        goal = parse_goal(context.goal)
        target = _first(context.target)
        tone = context.tone
        ours = _tie_facts(
            context.requester_introducer, context.requester, "requester-target", context.today
        )
        out: list[_Sentence] = [
            _Sentence(f"Dear {target}," if tone is Tone.FORMAL else f"Hi {target},")
        ]
        if ours:
            out.append(
                _Sentence(
                    f"We {ours[0].phrase}, and you came to mind for something I'm working on.",
                    (ours[0].evidence,),
                )
            )
        doing = "trying to" if goal.verb else "working on"
        out.append(_Sentence(f"Right now I'm {doing} {goal.clause}.", ("goal",)))
        minutes = 15 if tone is Tone.BRIEF else 20
        out.append(
            _Sentence(
                f"Would a {minutes}-minute conversation about {goal.topic} suit you in the "
                "next few weeks?",
                ("goal",),
            )
        )
        out.append(_Sentence("If now isn't a good time, no worries at all."))
        ask, dropped = _fit(out, self.ask_max_words)
        text = _render(ask)
        lint = DraftLint(
            ask=lint_outreach(text, max_words=self.ask_max_words), blurb=lint_outreach("")
        )
        return Draft(
            subject=f"A quick question about {goal.topic}",
            ask=text,
            blurb="",
            follow_up=_direct_follow_up(context),
            sentences=tuple((s.text, s.evidence) for s in ask),
            lint=lint,
            trimmed=tuple(dropped),
        )

    # -- the ask, addressed to the introducer

    def _ask(self, ctx: DraftContext, goal: _Goal) -> list[_Sentence]:
        tone = ctx.tone
        intro, target = _first(ctx.introducer), _first(ctx.target)
        ours = _tie_facts(
            ctx.requester_introducer, ctx.requester, "requester-introducer", ctx.today
        )
        theirs = _tie_facts(ctx.introducer_target, ctx.introducer, "introducer-target", ctx.today)
        role, role_ids = _role(ctx.target)
        out: list[_Sentence] = [
            _Sentence(f"Dear {intro}," if tone is Tone.FORMAL else f"Hi {intro},")
        ]
        rapport = _rapport(ours, tone)
        if rapport is not None:
            out.append(rapport)

        who = ctx.target.name
        if theirs:
            lead = {
                Tone.WARM: f"I'm hoping you could help me reach {who}, since you two",
                Tone.FORMAL: f"I am writing to ask for your help in reaching {who}, as you",
                Tone.BRIEF: f"Could you help me reach {who}? You two",
            }[tone]
            out.append(_Sentence(f"{lead} {theirs[0].phrase}.", (theirs[0].evidence,)))
            if len(theirs) > 1:
                out.append(
                    _Sentence(
                        _also(theirs[1].phrase),
                        (theirs[1].evidence,),
                        drop_rank=2,
                        label="second fact",
                    )
                )
        else:
            out.append(
                _Sentence(
                    {
                        Tone.WARM: f"I'm hoping you could help me reach {who}.",
                        Tone.FORMAL: f"I am writing to ask for your help in reaching {who}.",
                        Tone.BRIEF: f"Could you help me reach {who}?",
                    }[tone]
                )
            )
        final = ctx.goal_target
        if final is not None:
            final_role, final_ids = _role(final)
            described = f"{final.name} ({final_role})" if final_role else final.name
            out.append(
                _Sentence(
                    f"My aim is to reach {described}; {target} is connected to {_first(final)}.",
                    (f"path:{ctx.target.id}->{final.id}", *final_ids),
                    label="goal target",
                )
            )
        elif role:
            out.append(
                _Sentence(
                    f"As {role}, {target} is the person I'd most like to learn from on this."
                    if tone is not Tone.FORMAL
                    else f"As {role}, {target} is the person I would most like to learn from.",
                    role_ids,
                    drop_rank=3,
                    label="target role",
                )
            )
        doing = "trying to" if goal.verb else "working on"
        out.append(
            _Sentence(
                f"Right now I'm {doing} {goal.clause}."
                if tone is not Tone.FORMAL
                else f"At the moment I am {doing} {goal.clause}.",
                ("goal",),
            )
        )
        minutes = 15 if tone is Tone.BRIEF else 20
        out.append(
            _Sentence(
                {
                    Tone.WARM: f"Would you be open to checking with {target} whether a "
                    f"{minutes}-minute conversation about {goal.topic} would suit?",
                    Tone.FORMAL: f"Would you be willing to ask {target} whether a "
                    f"{minutes}-minute conversation about {goal.topic} would be welcome?",
                    Tone.BRIEF: f"Would you ask {target} if a {minutes}-minute call about "
                    f"{goal.topic} would suit?",
                }[tone],
                ("goal",),
            )
        )
        out.append(
            _Sentence(
                {
                    Tone.WARM: "I can send a short blurb you could forward as is.",
                    Tone.FORMAL: "I can provide a short note for you to forward.",
                    Tone.BRIEF: "Happy to send a blurb to forward.",
                }[tone],
                drop_rank=4,  # the blurb is attached anyway; the last thing to go
                label="blurb offer",
            )
        )
        out.append(
            _Sentence(
                {
                    Tone.WARM: f"If it's not a good moment for you or {target}, no worries at all.",
                    Tone.FORMAL: f"If the timing is not right for you or {target}, I would "
                    "fully understand.",
                    Tone.BRIEF: "No worries if it's awkward.",
                }[tone]
            )
        )
        return out

    # -- the blurb, forwarded to the target

    def _blurb(self, ctx: DraftContext, goal: _Goal) -> list[_Sentence]:
        intro, target = _first(ctx.introducer), _first(ctx.target)
        me = ctx.requester
        ours = _tie_facts(ctx.requester_introducer, me, "requester-introducer", ctx.today)
        role, role_ids = _role(ctx.target)
        mine, ids = _role(me, "requester")
        out = [_Sentence(f"Hi {target},")]
        if mine.startswith("at "):
            mine = "from " + mine.removeprefix("at ")
        elif mine:
            mine = ", " + mine
        about_me = f"I'm {me.name}{' ' if mine.startswith('from') else ''}{mine}."
        out.append(_Sentence(about_me, ids))
        if ours:
            fact = next((f for f in ours if f.kind != "recent"), ours[0])
            phrase = fact.phrase.replace("were last in touch", "spoke").replace(
                "(there is a LinkedIn recommendation between you)",
                "(one of us recommended the other on LinkedIn)",
            )
            out.append(
                _Sentence(f"{intro} and I {phrase}.", (fact.evidence,), drop_rank=1, label="how")
            )
        doing = "trying to" if goal.verb else "working on"
        why = f"Your experience as {role} is why I'm asking you" if role else "I'm asking you"
        out.append(
            _Sentence(f"I'm {doing} {goal.clause}.", ("goal",)),
        )
        final = ctx.goal_target
        if final is not None:
            # A step on a longer path: the honest reason is who they know, not their title.
            out.append(
                _Sentence(
                    f"You know {final.name}, which is why I'm asking you in particular.",
                    (f"path:{ctx.target.id}->{final.id}",),
                    drop_rank=2,
                    label="blurb goal target",
                )
            )
        elif role:
            out.append(
                _Sentence(f"{why} in particular.", role_ids, drop_rank=2, label="blurb target role")
            )
        out.append(
            _Sentence(
                f"Would you be open to a 20-minute conversation about {goal.topic}?", ("goal",)
            )
        )
        out.append(
            _Sentence(
                f"Nothing to buy, and if it's not a good time, no worries at all; "
                f"{intro} will simply pass on your answer."
            )
        )
        return out


def _rapport(ours: Sequence[_Fact], tone: Tone) -> _Sentence | None:
    """One line about the requester's own tie to the introducer, or nothing."""
    if tone is Tone.BRIEF or not ours:
        return None
    fact = ours[0]
    formal = tone is Tone.FORMAL
    if fact.kind == "employer":
        employer = fact.phrase.removeprefix("worked together at ")
        text = f"I hope all is well since our time at {employer}."
    elif fact.kind == "recent":
        when = fact.phrase.removeprefix("were last in touch ")
        text = (
            f"It was good to be in touch {when}."
            if not formal
            else f"It was good to correspond {when}."
        )
    elif fact.kind == "school":
        school = fact.phrase.removeprefix("both studied at ")
        text = f"I hope all is well since {school}."
    else:
        return None
    if formal:
        text = text.replace("I hope all is well", "I hope you have been well")
    return _Sentence(text, (fact.evidence,), drop_rank=1, label="rapport")


def _follow_up(ctx: DraftContext) -> FollowUpPlan:
    intro, target = _first(ctx.introducer), _first(ctx.target)
    text = (
        f"Hi {intro}, a gentle nudge on my note from last week about {target}. "
        "If the timing isn't right, no worries at all; I won't ask again."
    )
    return FollowUpPlan(
        recipient_id=ctx.introducer.id,
        send_on=ctx.today + timedelta(days=FOLLOW_UP_AFTER_DAYS),
        after_days=FOLLOW_UP_AFTER_DAYS,
        max_nudges=1,
        to_target=False,
        text=text,
        policy=(
            f"At most one gentle follow-up, to {ctx.introducer.name} only, "
            f"{FOLLOW_UP_AFTER_DAYS} days after asking; nothing to {ctx.target.name} "
            "until they have agreed."
        ),
    )


def _direct_follow_up(ctx: DraftContext) -> FollowUpPlan:
    target = _first(ctx.target)
    return FollowUpPlan(
        recipient_id=ctx.target.id,
        send_on=ctx.today + timedelta(days=FOLLOW_UP_AFTER_DAYS),
        after_days=FOLLOW_UP_AFTER_DAYS,
        max_nudges=1,
        to_target=True,
        text=f"Hi {target}, one gentle nudge on my note from last week; if the timing "
        "isn't right, no worries at all and I won't ask again.",
        policy=(
            f"At most one gentle follow-up to {ctx.target.name}, {FOLLOW_UP_AFTER_DAYS} days "
            "after writing; then leave it."
        ),
    )


def _validate_direct(ctx: DraftContext) -> None:
    if ctx.requester.id == ctx.target.id:
        raise InvalidInput("a note to yourself needs no draft", field="to")


def _validate(ctx: DraftContext) -> None:
    ids = {ctx.requester.id, ctx.introducer.id, ctx.target.id}
    if len(ids) != 3:
        raise InvalidInput("requester, introducer and target must be three different people")
    if ctx.goal_target is not None and ctx.goal_target.id in ids:
        raise InvalidInput("the person to reach must not be on the first two hops", field="to")
    for rel, x, y, name in (
        (ctx.requester_introducer, ctx.requester, ctx.introducer, "requester_introducer"),
        (ctx.introducer_target, ctx.introducer, ctx.target, "introducer_target"),
    ):
        if rel is not None and {rel.a, rel.b} != {x.id, y.id}:
            raise InvalidInput(
                f"relationship {rel.a}–{rel.b} does not join {x.id} and {y.id}", field=name
            )


__all__ = [
    "ASK_MAX_WORDS",
    "BLURB_MAX_WORDS",
    "Draft",
    "DraftContext",
    "DraftEngine",
    "DraftLint",
    "FollowUpPlan",
    "TemplateDraftEngine",
    "Tone",
    "parse_goal",
]
