"""The outreach linter: flags what the etiquette (docs/outreach.md) says never to send.

Every rule is a small object in :data:`RULES` with a stable id, a severity and
the numbered principle it enforces, so the CLI and the API can list them. Rules
are deterministic regular expressions plus light sentence heuristics: fast,
explainable, and testable against the hand-labelled set in
``tests/data/outreach_eval.jsonl`` (``scripts/eval_lint.py``).

Precision matters more than recall here: a linter that flags a good warm ask
teaches people to ignore it. Patterns therefore look for the *shape* of a bad
message (an apology *for writing*, a *sales* call to action, a call *without a
topic*) rather than for single words like "sorry", "pricing" or "call".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

DEFAULT_MAX_WORDS = 150  # a message; the drafter holds itself to 120 (ask) and 90 (blurb)

PRINCIPLES: dict[int, str] = {
    1: "no pitch after connecting",
    2: "go through someone you both know",
    3: "know them first; no one-size-fits-all template",
    4: "reach out only with a genuine question or real value for them",
    5: "be sincere",
    6: "no apologetic opener",
    7: "no pressure sequences; leave an easy way out",
    8: "no big asks of near-strangers",
    9: "behave as you would face to face",
    10: "quality over quantity",
    11: "social capital is a currency",
    12: "reciprocity, honestly",
    13: "assess your connections and have a system",
}


class Severity(StrEnum):
    """How bad a finding is; errors and warnings make a message "not clean"."""

    ERROR = "error"  # do not send as is
    WARNING = "warning"  # very likely to hurt the reply rate or the relationship
    INFO = "info"  # a hint; does not make the message unclean


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: which rule, where (``text[start:end]``), why, and how to fix it."""

    rule: str
    severity: Severity
    start: int
    end: int
    excerpt: str
    explanation: str
    suggestion: str


@dataclass(frozen=True, slots=True)
class LintResult:
    """The linter's verdict on one message; findings are ordered by position."""

    text: str
    findings: tuple[Finding, ...] = ()

    @property
    def clean(self) -> bool:
        """True when no finding is an error or a warning (info hints are allowed)."""
        return not any(f.severity is not Severity.INFO for f in self.findings)

    @property
    def rules(self) -> frozenset[str]:
        """The ids of the rules that fired."""
        return frozenset(f.rule for f in self.findings)


# --------------------------------------------------------------------------- text


_ABBREVIATIONS = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|vs|etc|e\.g|i\.e))\.$", re.I)
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n+")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Message:
    """A message prepared once for all rules: normalised text and sentence spans.

    Typographic apostrophes are folded to ``'`` one-for-one, so offsets into
    :attr:`norm` are offsets into the original text.
    """

    text: str
    max_words: int = DEFAULT_MAX_WORDS
    norm: str = field(init=False)

    def __post_init__(self) -> None:
        folded = self.text.replace("\u2019", "'").replace("\u2018", "'")
        object.__setattr__(self, "norm", folded)

    @cached_property
    def sentences(self) -> tuple[tuple[int, int], ...]:
        """``(start, end)`` of each sentence, abbreviations like "Mr." not splitting."""
        spans: list[tuple[int, int]] = []
        start = 0
        for m in _BOUNDARY.finditer(self.norm):
            piece = self.norm[start : m.start()].rstrip()
            if _ABBREVIATIONS.search(piece) and "\n" not in m.group():
                continue
            if piece.strip():
                spans.append(self._strip(start, m.start()))
            start = m.end()
        if self.norm[start:].strip():
            spans.append(self._strip(start, len(self.norm)))
        return tuple(spans)

    def _strip(self, start: int, end: int) -> tuple[int, int]:
        while start < end and self.norm[start].isspace():
            start += 1
        while end > start and self.norm[end - 1].isspace():
            end -= 1
        return start, end

    def sentence_at(self, offset: int) -> tuple[int, int]:
        """The span of the sentence containing ``offset`` (the whole text if none)."""
        for start, end in self.sentences:
            if start <= offset < end:
                return start, end
        return 0, len(self.norm)

    @cached_property
    def opener_end(self) -> int:
        """End of the opening: the first two sentences (a greeting line counts as one)."""
        spans = self.sentences
        return spans[min(1, len(spans) - 1)][1] if spans else 0

    @cached_property
    def words(self) -> tuple[tuple[int, int], ...]:
        return tuple((m.start(), m.end()) for m in _WORD.finditer(self.norm))

    def search(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        return pattern.search(self.norm)

    def has(self, pattern: re.Pattern[str]) -> bool:
        return pattern.search(self.norm) is not None


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


# Spans a check returns: (start, end, detail). ``detail`` completes the explanation.
Hit = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class Rule:
    """One lint rule: identity, severity, the principle it enforces, and its check.

    ``yields_to`` names rules that, when they fire, make this one redundant (a
    message whose purpose is a pitch does state a reason, just a bad one).
    """

    id: str
    severity: Severity
    principle: int
    title: str
    description: str
    suggestion: str
    check: Callable[[Message], list[Hit]] = field(repr=False, compare=False)
    yields_to: tuple[str, ...] = ()

    def explain(self, detail: str) -> str:
        return f"Principle {self.principle} ({PRINCIPLES[self.principle]}): {detail}"


# ------------------------------------------------------------------ shared cues

EASY_OUT = _rx(
    r"\bno (?:worries|pressure|problem|rush|obligation|need to (?:reply|respond))\b",
    r"\b(?:totally|completely|perfectly|entirely|fully|absolutely) (?:fine|ok|okay|understand)",
    r"\bunderstand if\b",
    r"\bfeel free to (?:ignore|say no|pass|decline|let it drop|skip)",
    r"\bif (?:it's|it is|now is|now isn't|now's|the timing is|this is) (?:not )?"
    r"(?:a good|the right|a bad|awkward|off)",
    r"\bif (?:it's|it is) (?:not useful|awkward)",
    r"\beasy no\b",
    r"\bfine (?:if not|to pass|either way|by me)",
    r"\b(?:happy|fine) to (?:drop|wait|pass)",
    r"\beither way\b",
    r"\bif not\b",
    r"\blet it drop\b",
    r"\brather not\b",
    r"\bwhenever suits\b",
    r"\bor not at all\b",
    r"\bno need to\b",
    r"\bif (?:you're|you are) (?:swamped|busy|slammed)",
    r"\bskip it\b",
    r"\bignore (?:this|it|me)\b",
    r"\bno harm done\b",
)

FAMILIAR = _rx(
    r"\bsince (?:we|our) (?:worked|studied|met|chat|call|coffee)",
    r"\bwhen (?:we|I) (?:worked|was on your team|met|spoke|talked)",
    r"\bour (?:\w+ )?(?:chats|calls|catch-ups|days)\b",
    r"\bgreat (?:catching up|to see you|seeing you)\b",
    r"\bas (?:we discussed|promised|we talked about)\b",
    r"\bthanks? again\b",
    r"\bwe worked together\b",
)

GENERIC_PURPOSE = _rx(
    r"\bsynerg",
    r"\bcollaborat",
    r"\bwork(?:ing)? together\b",
    r"\bopportunit",
    r"\b(?:explore|discuss|potential|possible|strategic) (?:\w+ )?partnerships?\b",
    r"\bexplore\b",
    r"\bways (?:we|to|for us)\b",
    r"\b(?:get|getting) to know each other\b",
    r"\bintroduce (?:ourselves|myself)\b",
    r"\b(?:extend|expand|grow|build|widen)(?:ing)? (?:my|our) (?:\w+ )?(?:network|connections)",
    r"\blike-minded\b",
    r"\bstay(?:ing)? in touch\b",
    r"\btouch base\b",
    r"\bcatch up\b(?! on)",
    r"\b(?:your|my) (?:amazing |incredible |inspiring )?(?:journey|story)\b",
    r"\badd you to my network\b",
    r"\bbe in your network\b",
    r"\bgood opportunity\b",
    r"\bconnect(?:ing)? and\b",
    r"\bbenefit from (?:connecting|knowing|being connected)\b",
    r"\b(?:no|without an?) (?:particular |specific )?agenda\b",
    r"\badd(?:ing)? value\b",
    r"\bgenuine relationships?\b",
)

PURPOSE = _rx(
    r"\?",
    r"\bthank",
    r"\bgrateful\b",
    r"\bcongrat",
    r"\bwell deserved\b",
    r"\bbecause\b",
    r"\bso that\b",
    r"\b(?:writing|reaching out|getting in touch) (?:because|about|to ask|to see|to share)",
    r"\b(?:would|could|can|will) (?:you|I|we)\b",
    r"\bmay I\b",
    r"\bwould (?:appreciate|value|love)\b",
    r"\b(?:I|we|she|he|they)(?:'d| would) (?:love|like|value|appreciate|be grateful)\b",
    r"\b(?:I|we|she|he|they)(?:'m|'re|'s| am| are| is)? (?:working on|trying to|preparing|"
    r"planning|researching|writing|building|hiring|evaluating|moving|stuck|weighing|"
    r"looking into|about to|launching|raising)",
    r"\bwanted (?:you )?to (?:let you know|say|tell|share|ask|thank|know)",
    r"\bwanted you to know\b",
    r"\b(?:happy|glad) to (?!have\b|add\b|connect\b|be\b|meet\b)\w+",
    r"\bwant me to\b",
    r"\bwonder(?:ed|ing)? (?:if|whether)\b",
    r"\b(?:was |am )?hoping (?:you|to|that)\b",
    r"\blet's\b",
    r"\b(?:let you two|you two should|(?:introduc|connect)\w* you (?:two|both))\b",
    r"\b(?:floating|following up|follow[- ]up|checking (?:in|whether|if)|circling back|nudge)\b",
    r"\bsince my (?:\w+ )?(?:note|message|email)\b",
    r"\bI (?:can|could) (?:ask|check|introduce|connect|put|send|share|forward)\b",
    r"\bif you(?:'d| would) like\b",
    r"\bas promised\b",
    r"\b(?:a )?(?:short |quick )?(?:note|line|word) to (?:say|let you know|share|tell you)\b",
    r"\b(?:blurb|note|text) (?:you can|you could|to|for) forward\b",
    r"\b(?:wants?|hopes?|would like|'d like) to (?:ask|learn|understand|hear|know)\b",
    r"\bI want to ask\b",
    r"\b(?:would|could) be a (?:strong|good|great) fit\b",
    r"\bif you(?:'re| are) interested\b",
    r"\b(?:please|kindly) (?:contact|call|reply|let me know)\b",
    r"\blet me know\b",
    r"\bI(?:'ll| will) (?:send|share|forward|introduce)",
    r"\b(?:quote|ask you) \w+",
)

REQUEST = _rx(
    r"\b(?:would|could|can|will) you (?:please )?(?:\w+ ){0,3}(?:to )?"
    r"(?:introduc\w*|connect me|endorse|recommend|refer|put me in touch|forward|pass)",
    r"\bplease (?:introduce|connect|refer|forward|endorse)",
    r"\b(?:to|please|you could|you can|you'd|you would) introduce me to\b",
)


# ------------------------------------------------------------------ the checks


def _all(pattern: re.Pattern[str], msg: Message, detail: str) -> list[Hit]:
    return [(m.start(), m.end(), detail) for m in pattern.finditer(msg.norm)]


_PITCH_STRONG = _rx(
    r"\b(?:book|schedule|set up|arrange|see|get|do|give you) (?:a|an) (?:quick |short |free |"
    r"personali[sz]ed |live |\d+[- ]minute )*demo\b",
    r"\b(?:quick|short|free|personali[sz]ed|live|\d+[- ]minute) demo\b",
    r"\b(?:free|complimentary|no-cost) (?:\w+ )?(?:trial|consultation|audit|session|assessment|"
    r"account|call|review|evaluation)s?\b",
    r"\b(?:get|set|sign) you (?:up )?(?:on|with|for) (?:a |an |our )?(?:free |\d+-day )?(?:trial|"
    r"account|pilot)\b",
    r"\b(?:exactly |precisely )?the (?:\w+ )?problem (?:we|our (?:\w+ )?(?:team|product|platform))"
    r" (?:solves?|fix(?:es)?|address(?:es)?)\b",
    r"\bwhat(?:'s| is) your (?:budget|timeline and budget)\b",
    r"\bI(?:'m| am) an? (?:[\w-]+ ){0,3}(?:coach|consultant|agent|broker|recruiter|realtor|"
    r"planner|advis[oe]r) (?:helping|who helps|specia[lz]i[sz]ing|working with)\b",
    r"\bI(?:'d| would) love to help you (?:find|grow|scale|unlock|achieve|increase|boost|save|"
    r"buy|sell|get)\b",
    r"\b\d+ ?% (?:off|discount)\b",
    r"\b(?:send|share|get|give) you (?:our |a |some )?(?:pricing|a quote|rates|a proposal)\b",
    r"\bfor a quote\b",
    r"\bwe help (?:\w+ ){0,3}(?:companies|businesses|brands|teams|firms|founders|organi[sz]ations"
    r"|agencies|startups|clients|people|you|leaders)\b",
    r"\bI help (?:\w+ ){0,3}(?:companies|businesses|brands|teams|firms|founders|organi[sz]ations"
    r"|agencies|startups|professionals|leaders|people|clients)\b",
    r"\b(?:generate|get|drive) (?:\w+ ){0,2}(?:more )?(?:qualified )?(?:leads|sales)\b",
    r"\b(?:increase|boost|grow|double|triple) your (?:revenue|sales|leads|pipeline|roi|"
    r"conversions?)\b",
    r"\b(?:cuts|reduces|saves|slashes) (?:\w+ ){0,3}(?:by \d+|\d+ ?%|\d+ hours)",
    r"\b\d+ ?% (?:faster|cheaper|more|less|fewer|better|lower|higher)\b",
    r"\b\d+x (?:more|faster|better|cheaper)\b",
    r"\bwe (?:typically|usually|often|reliably) (?:double|triple|increase|boost|cut|reduce|save|"
    r"grow)\b",
    r"\b(?:tell|show|walk) you (?:through )?(?:about|how|what) (?:our|my|we)\b",
    r"\bused by (?:over |more than )?\d[\d,]*\+? (?:\w+ )?(?:companies|teams|businesses|"
    r"customers|brands|firms|clinics|schools|users)\b",
    r"\bcan I send (?:you |over )+(?:a |our |my )?(?:short |quick )?(?:video|demo|deck|"
    r"overview|one-pager|brochure|case study)\b",
    r"\b(?:introduce|present) (?:you to )?our (?:\w+ ){0,2}(?:services|products?|solutions?|"
    r"platform|software|offerings?)\b",
    r"\b(?:are you|would you be) (?:interested|open) (?:in|to) (?:learning about |hearing about |"
    r"trying |a call about )?(?:our|my)\b",
    r"\b(?:offering|offer) (?:a |you a )?free\b",
    r"\bare you the right person to (?:talk|speak) to about\b",
    r"\bhappy with your current (?:\w+ ){0,2}(?:provider|vendor|tool|solution|platform|agency|"
    r"supplier|system)\b",
    r"\bpilot program(?:me)? (?:with|at) (?:reduced|special|discounted)\b",
    r"\b(?:special|exclusive|introductory) (?:offer|pricing|rate|discount)\b",
)
# Distinct weak cues are counted, so "pricing" said twice is still one cue.
_PITCH_WEAK = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b(?:our|my) (?:[\w-]+ ){0,2}(?:product|platform|tool|software|services?|solutions?|"
        r"app|suite|agency)\b",
        r"\bwe offer\b",
        r"\bwe(?:'ve| have) built\b",
        r"\bwe(?:'ve| have) got an? (?:[\w-]+ ){0,2}(?:app|product|platform|tool|service)\b",
        r"\bwe provide\b",
        r"\bpricing\b",
        r"\bour customers\b",
        r"\b(?:we|our (?:team|company|agency|firm)) speciali[sz]e",
    )
)
_PITCH_CTA = _rx(
    r"\binterested\?",
    r"\bif you(?:'re| are)? interested\b",
    r"\bcan I send you\b",
    r"\bshow you how\b",
    r"\bworth a (?:quick )?(?:chat|call|look)\b",
    r"\blet me know when you'd like to\b",
    r"\bwould (?:next )?\w+ or \w+ work\b",
)


def _check_pitch(msg: Message) -> list[Hit]:
    strong = msg.search(_PITCH_STRONG)
    if strong:
        return [(strong.start(), strong.end(), "this reads as a sales pitch.")]
    weak = sorted(
        (m for m in (p.search(msg.norm) for p in _PITCH_WEAK) if m), key=lambda m: m.start()
    )
    if len(weak) >= 2 or (weak and msg.has(_PITCH_CTA)):
        first = weak[0]
        return [(first.start(), first.end(), "the message promotes your product or service.")]
    return []


_APOLOGY = _rx(
    r"\b(?:I'm |I am )?(?:so |very |really )?sorry (?:to|for) (?:bother|disturb|trouble|intrud|"
    r"interrupt|bug|impos)\w*",
    r"\bsorry for (?:the )?(?:intrusion|interruption|reaching out|(?:this )?(?:cold|random|"
    r"unsolicited) (?:message|note|email))",
    r"\bapologies for (?:the )?(?:intru|bother|disturb|interrupt|reaching out|contacting|"
    r"writing|cold)\w*",
    r"\b(?:I )?apologi[sz]e (?:for|to) (?:the )?(?:bother|disturb|intrusion|intrud|interrupt|"
    r"reaching out|taking up|contacting|writing)\w*",
    r"\b(?:forgive|pardon|excuse) (?:me )?(?:for )?(?:the |this )?(?:intrusion|bother|reaching out|"
    r"interrupting|disturbing|contacting|writing)",
    r"\bI (?:hate|don't want|do not want|don't mean|do not mean) to (?:bother|disturb|trouble|"
    r"impose)\b",
    r"\bI know (?:that )?you(?:'re| are| must be) (?:\w+ )?(?:busy|swamped)\b",
)


def _check_apology(msg: Message) -> list[Hit]:
    return [
        (m.start(), m.end(), "an apology for writing tells the reader not to read on.")
        for m in _APOLOGY.finditer(msg.norm)
        if m.start() < msg.opener_end
    ]


_FLATTERY = _rx(
    r"\b(?:truly |such |a real |a true |an absolute )?(?:an?|and) (?:great |real |true |absolute )?"
    r"(?:honou?r|privilege) (?:to|of) (?:be )?(?:connect|meet|know|be in|join|be part)\w*",
    r"\b(?:truly|such) (?:an?|and) (?:honou?r|privilege)\b",
    r"\b(?:honou?red|privileged|humbled) to (?:be )?(?:connect|meet|be in|join)\w*",
    r"\bdeeply value (?:my|our) (?:\w+ )?network\b",
    r"\b(?:blown away|amazed|in awe) by your\b",
    r"\b(?:incredible|amazing|inspiring|stellar|outstanding|phenomenal|extraordinary|awesome) "
    r"(?:profile|journey|career|achievements?|accomplishments?|work|background|story)\b",
    r"\bone of the most (?:inspiring|brilliant|impressive|influential|talented|respected|"
    r"successful|amazing|incredible) (?:leaders|people|minds|professionals|voices|experts)\b",
    r"\b(?:a|such a|true|real) visionary\b",
    r"\b(?:thought leader|legend|rockstar|guru|titan) like you\b",
)


def _check_flattery(msg: Message) -> list[Hit]:
    return _all(
        _FLATTERY, msg, "generic superlatives read as insincere; praise something specific."
    )


_MEETING = _rx(
    r"\b(?:jump|hop|get) on (?:a |the )?(?:quick |short |brief )?(?:call|zoom|phone|phone call|"
    r"video call|meeting)\b",
    r"\bconnect (?:by|over|via|on) (?:the )?(?:phone|zoom|a call|call|video|teams)\b",
    r"\b(?:set up|schedule|arrange|book) (?:a |an )?(?:quick |short |brief |\d+[- ]minute )?"
    r"(?:call|zoom|meeting|chat|phone call|video call)\b",
    r"\b(?:grab|have|get) (?:a )?(?:virtual )?coffee\b",
    r"\bvirtual coffee\b",
    r"\b(?:do|have|hop on) a (?:quick |short )?call (?:tomorrow|today|this week|next week)\b",
    r"\bpick your brain\b",
    r"\bfind (?:a |some )?time to (?:chat|talk|connect|meet|speak)\b",
    r"\b(?:chat|talk|call|meet|speak) (?:sometime|soon)\b",
    r"\bhow (?:is|does|'s) (?:the |your )?next week look",
    r"\bwhat does your (?:calendar|schedule|week|diary) look",
    r"\blet me know your availability\b",
)
_TOPIC = re.compile(
    r"\b(?:about|on|regarding|re:|to discuss|to talk through|to ask|to learn|to hear|"
    r"to understand|to get your (?:take|view|advice|thoughts))\s+(?P<topic>[^.?!;]{3,})",
    re.IGNORECASE,
)
_NOT_A_TOPIC = _rx(
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|next|this|the phone|zoom|"
    r"teams|a call|your (?:calendar|schedule))\b",
)
_SPECIFIC_REASON = _rx(
    r"\b(?:I|we)(?:'m|'re| am| are) (?:working on|trying to|preparing|planning|researching|"
    r"writing|building|evaluating|stuck|weighing|about to|launching)",
    r"\bbecause\b",
    r"\b(?:I|we)(?:'d| would) (?:like|love) to (?:ask|understand|hear how|learn how)",
)


def _has_specific_topic(msg: Message, start: int, end: int) -> bool:
    topic = _TOPIC.search(msg.norm, start, end)
    if topic and not (
        GENERIC_PURPOSE.search(topic.group("topic")) or _NOT_A_TOPIC.match(topic.group("topic"))
    ):
        return True
    for s_start, s_end in msg.sentences:
        sentence = msg.norm[s_start:s_end]
        reason = _SPECIFIC_REASON.search(sentence)
        if reason and not GENERIC_PURPOSE.search(sentence):
            return True
    return False


def _check_meeting(msg: Message) -> list[Hit]:
    for m in _MEETING.finditer(msg.norm):
        _, end = msg.sentence_at(m.start())
        if not _has_specific_topic(msg, m.end(), end):
            return [(m.start(), m.end(), "a meeting request without a stated topic.")]
    return []


_NAG = _rx(
    r"\b(?:perhaps|maybe|in case) you (?:did not|didn't|haven't|have not|missed|never) "
    r"(?:see|seen|get|got|read)\w* my (?:last|previous|earlier)",
    r"\bdid you (?:get a chance to |ever )?(?:see|read|get) (?:\w+ ){0,2}my (?:last|previous|"
    r"earlier) (?:\w+ )?(?:messages?|notes?|emails?)",
    r"\bmy (?:last|previous|earlier) (?:\w+ ){0,2}(?:message|note|email)s? (?:got|must have|may "
    r"have|might have) (?:been )?(?:lost|buried)",
    r"\b(?:following|circling|checking) (?:up|back|in) (?:again|once more|one more time)",
    r"\bI (?:haven't|have not) (?:yet )?heard back\b",
    r"\bstill waiting\b",
    r"\bas per my (?:last|previous|earlier)\b",
    r"\bbump(?:ing)? (?:this|my message)\b",
    r"\bthis is my (?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) (?:message|note|email|attempt"
    r"|try)",
    r"\bmy (?:last|previous) (?:two|three|four|few|several|\d+) (?:messages|notes|emails)\b",
    r"\breached out (?:several|multiple|many|a few|three|four) times\b",
    r"\b(?:have|had|having) to ask (?:you )?again\b",
    r"\bafter (?:everything|all) I(?:'ve| have)? (?:did|done) for you\b",
    r"\b(?:I guess |so )?I(?:'ll| will) (?:just )?assume you(?:'re| are)\b",
    r"\btoo busy for (?:old )?(?:friends|me|us)\b",
)
_FOLLOW_UP = _rx(
    r"\b(?:just )?(?:following|circling) (?:up|back)\b",
    r"\bfollow(?:ing)? up\b",
    r"\bchecking in\b",
    r"\bfloating this\b",
    r"\b(?:gentle |quick |friendly )?nudge\b",
    r"\bdid you (?:get|have) a chance\b",
    r"\bin case (?:it|this|my \w+) (?:slipped|got buried|got lost)",
)


def _check_nag(msg: Message) -> list[Hit]:
    hits = _all(_NAG, msg, "repeated or guilt-tripping follow-ups pressure the reader.")
    if hits:
        return hits[:1]
    weak = msg.search(_FOLLOW_UP)
    if weak and not msg.has(EASY_OUT):
        detail = "a follow-up without an easy way out reads as pressure."
        return [(weak.start(), weak.end(), detail)]
    return []


_BIG_ASK = _rx(
    r"\binvest(?:ing)? (?:\w+ ){0,4}in (?:our|my)\b",
    r"\bwould you (?:like to |consider |be interested in )?invest(?:ing)?\b",
    r"\bconsider(?:ing)? investing\b",
    r"\binvest (?:a |\$|\d)",
    r"\bintroduc\w* (?:me |us )?to (?:\w+ ){0,5}(?:investors|vcs|venture capitalists|angels|funds"
    r"|your investors)\b",
    r"\b(?:be|being|become|becoming) (?:my|a) mentor\b",
    r"\bmentor me\b",
    r"\blooking for (?:a )?(?:mentorship|mentor|advisors|investors|funding|investment)\b",
    r"\b(?:join|sit on) (?:our|my) (?:advisory )?board\b",
    r"\bbe (?:an? |our |my )?advis[oe]r\b",
    r"\bwalk you through our (?:seed|series|pre-seed|funding|round|raise)",
    r"\b(?:come|get) in (?:on|with|for) (?:\$|£|€|\d)",
)


_STRANGER = _rx(
    r"\b(?:we|you and I) (?:don't|do not|haven't|have not|have never|never) (?:\w+ )?"
    r"(?:know each other|met|spoken|talked|worked together)\b",
    r"\bwe've never (?:met|spoken)\b",
    r"\bdon't think we(?:'ve| have) (?:ever )?(?:met|spoken)\b",
    r"\b(?:met|meeting) you (?:only )?briefly\b",
    r"\byou don't (?:really )?know me\b",
    r"\bout of the blue\b",
    r"\bwe (?:only )?(?:met|spoke|chatted) (?:only )?(?:briefly|once|in passing)\b",
)
_FAVOUR = _rx(
    r"\b(?:huge|big|massive|enormous|great) favou?r\b",
    r"\b(?:could|can|would) you (?:please )?help me(?: out)?\b",
    r"\bany help (?:at all )?(?:is|would be)\b",
    r"\bintroduce me to (?:anyone|someone|people|your)\b",
    r"\b(?:a|your) (?:referral|reference|recommendation)\b",
    r"\b(?:could|can|would) you (?:please )?(?:submit|refer|recommend|put) me\b",
)


def _check_big_ask(msg: Message) -> list[Hit]:
    if msg.has(FAMILIAR):
        return []
    hits = _all(_BIG_ASK, msg, "investment, mentorship or investor introductions are big asks.")
    if not hits and msg.has(_STRANGER):
        request = msg.search(_FAVOUR) or msg.search(REQUEST)
        if request:
            detail = "a favour asked of someone you say you do not know spends trust you lack."
            hits = [(request.start(), request.end(), detail)]
    return hits[:1]


_PLACEHOLDER = re.compile(
    r"\{\{?\s*[A-Za-z_][\w ]*\s*\}?\}"
    r"|\[(?:first[ _]?name|last[ _]?name|full[ _]?name|name|company(?:[ _]name)?|title|"
    r"job[ _]title|role|industry|city|location|your name|recipient|position|school|field)\]"
    r"|<(?:first[_ ]?name|last[_ ]?name|name|company|title|industry|role|position)>"
    r"|%[A-Z_]{3,}%|\bX{3,}\b",
    re.IGNORECASE,
)
_CANNED_SALUTATION = re.compile(
    r"^\W*(?:dear (?:sir|madam|sir/madam|sir or madam|sirs)\b|to whom it may concern"
    r"|dear (?:valued )?(?:connection|friend|member|professional|colleague|hiring manager"
    r"|customer|partner)\b)",
    re.IGNORECASE,
)
_GENERIC_GREETING = re.compile(
    r"^\W*(?:hi|hello|hey|greetings|good (?:morning|afternoon|day))"
    r"(?: there| all| everyone| friend| folks)?\s*[,.!:\n—-]",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"\b[A-Z][\w'-]*")
_NOT_NAMES = frozenset(
    re.findall(
        r"\S+",
        "I I'm I've I'd I'll LinkedIn Zoom Teams Slack Google Monday Tuesday Wednesday Thursday "
        "Friday Saturday Sunday January February March April May June July August September "
        "October November December Looking Hope Best Regards Thanks Thank Cheers Please",
    )
)


def _mentions_someone(msg: Message) -> bool:
    """Whether any proper noun (a name, a company) appears after a sentence start."""
    starts = {start for start, _ in msg.sentences}
    for m in _CAPITALISED.finditer(msg.norm):
        word = m.group()
        if m.start() in starts or word in _NOT_NAMES or (word.isupper() and len(word) <= 4):
            continue
        # "Hello. It" is a sentence start the splitter saw; so is the word after a greeting.
        before = msg.norm[: m.start()].rstrip()
        if not before or before[-1] in ".!?:\n":
            continue
        return True
    return False


def _check_template(msg: Message) -> list[Hit]:
    hits = _all(_PLACEHOLDER, msg, "unfilled placeholders show a mass-mailed template.")
    canned = msg.search(_CANNED_SALUTATION)
    if canned:
        hits.append((canned.start(), canned.end(), "a form-letter salutation names nobody."))
    if not hits:
        greeting = msg.search(_GENERIC_GREETING)
        if greeting and not _mentions_someone(msg):
            end = greeting.end() - 1 if greeting.group()[-1] in ",.!:\n—-" else greeting.end()
            hits.append((greeting.start(), end, "nothing in the message refers to the recipient."))
    return sorted(hits)


def _check_no_reason(msg: Message) -> list[Hit]:
    for start, end in msg.sentences:
        sentence = msg.norm[start:end]
        if PURPOSE.search(sentence) and not GENERIC_PURPOSE.search(sentence):
            return []
    if not msg.norm.strip():
        return []
    return [(*_whole(msg), "the message never says why you are writing to this person.")]


def _whole(msg: Message) -> tuple[int, int]:
    spans = msg.sentences
    return (spans[0][0], spans[-1][1]) if spans else (0, len(msg.norm))


def _check_length(msg: Message) -> list[Hit]:
    words = msg.words
    if len(words) <= msg.max_words:
        return []
    detail = f"{len(words)} words; keep a message under {msg.max_words}."
    return [(words[msg.max_words][0], words[-1][1], detail)]


_BOAST = _rx(
    r"\b(?:\d[\d,.]*\s?k?\+?|thousands of|tens of thousands of|hundreds of) "
    r"(?!mutual |shared |common )(?:\w+ )?(?:connections|followers)\b",
    r"\bopen networker\b",
    r"\bI accept (?:all|every|any) (?:invitations?|requests?|connections?)\b",
    r"\btop voice\b",
)
_LION = re.compile(r"\bLION\b")


def _check_boast(msg: Message) -> list[Hit]:
    detail = "a network's size is not a reason for anyone to connect."
    return sorted(_all(_BOAST, msg, detail) + _all(_LION, msg, detail))[:1]


_SWAP = _rx(
    r"\bendorse (?:me|mine) (?:back|too|as well|in return)\b",
    r"\bswap (?:endorsements|recommendations|recs)\b",
    r"\b(?:endorsement|recommendation) (?:swap|exchange)\b",
    r"\b(?:endorsement|recommendation) for (?:an )?(?:endorsement|recommendation)\b",
    r"\bI(?:'ll| will) (?:endorse|recommend|write) you .{0,40}\bif you\b",
    r"\bendorse (?:each other|one another)\b",
)
_RETURN_FAVOUR = _rx(r"\breturn the favou?r\b", r"\breciprocate\b")
_ENDORSE = _rx(r"\bendors", r"\brecommendation")


def _check_swap(msg: Message) -> list[Hit]:
    detail = "endorsements traded as favours are worth nothing to anyone."
    hits = _all(_SWAP, msg, detail)
    if msg.has(_ENDORSE):
        hits += _all(_RETURN_FAVOUR, msg, detail)
    return sorted(hits)[:1]


_ATTACHMENT = _rx(
    r"\b(?:please find|I've|I have|see|find) (?:the )?attached\b",
    r"\battached (?:is|are|you'll find|please find)\b",
    r"\b(?:deck|cv|resume|brochure|proposal)(?: is)? attached\b",
    r"\b(?:our|my) (?:\w+'s )?(?:pitch )?(?:deck|brochure|one-pager|price list|catalogue|catalog|"
    r"media kit|rate card)\b",
    r"\bcalendly\.com\S*",
    r"\b(?:my )?calendly(?: link)?\b",
)


def _check_attachment(msg: Message) -> list[Hit]:
    detail = "decks, brochures and booking links serve the sender, not the reader."
    return _all(_ATTACHMENT, msg, detail)[:1]


_PRESSURE = _rx(
    r"\basap\b",
    r"\burgent(?:ly)?\b",
    r"\btime[- ]sensitive\b",
    r"\b(?:by|before) (?:the )?(?:end of (?:the )?(?:day|week)|eod|eow|tomorrow|tonight|today)\b",
    r"\b(?:offer|deal|discount|price) (?:ends|expires)\b",
    r"\bonly \d+ (?:spots|seats|places|slots)(?: left)?\b",
    r"\blimited[- ]time\b",
    r"\blast chance\b",
    r"\b(?:need|want|like) (?:an answer|a reply|a response|to hear back)\b",
    r"\bdon't miss\b",
    r"\bI need you to\b",
    r"\b(?:my|our) (?:last|only) hope\b",
    r"\b(?:it would|it'll|it will|it'd) (?:only |literally )?take you (?:just |only )?"
    r"(?:a |two |2 |five |5 |one |a few )?(?:minutes?|seconds?|moment)\b",
    r"\bI(?:'ll| will) be waiting for (?:your|an?) (?:answer|reply|response)\b",
    r"\bneed (?:a|your) decision\b",
    r"\b(?:closing|closes|ends?|expires?) in \d+ (?:days|hours)\b",
    r"\b(?:by|before) (?:this |next )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"\b(?! or)",
    r"\b(?:this (?:week|month)|today) only\b",
    r"\b(?:make|get) (?:that|this|it) (?:happen|done) (?:this week|today|tomorrow|by)\b",
    r"\brespond (?:immediately|today|quickly)\b",
)


def _check_pressure(msg: Message) -> list[Hit]:
    return _all(
        _PRESSURE, msg, "deadlines and scarcity put pressure on someone who owes you nothing."
    )[:1]


def _check_easy_out(msg: Message) -> list[Hit]:
    request = msg.search(REQUEST)
    if request and not msg.has(EASY_OUT):
        start, end = msg.sentence_at(request.start())
        return [(start, end, "the request gives no easy way to say no.")]
    return []


_SKIP_OPT_IN = _rx(
    r"\b(?:rather than|instead of) wait(?:ing)? for (?:\w+ ){1,3}(?:I|I've|I'd)\b[^.?!]{0,60}?"
    r"\b(?:reach|write|contact|message|email)\w*",
    r"\b(?:reach(?:ing)?|writ(?:e|ing)|contact(?:ing)?) (?:out )?(?:to you )?directly\b"
    r"[^.?!]{0,40}\b(?:save|skip|rather|instead|speed)\w*",
    r"\bjust (?:cc|copy|loop|add|send|forward|email|intro)\w* (?:him|her|them|[A-Z]\w+)\b",
    r"\b(?:send|give|pass|forward|share) (?:him|her|them) my (?:email|number|details|contact|"
    r"linkedin|cv|resume|profile)",
    r"\b(?:\w+ )?(?:doesn't|does not|don't|do not) know I(?:'m| am) (?:writing|reaching out|"
    r"contacting)",
    r"\bI (?:haven't|have not) (?:told|asked|mentioned (?:it |this )?to) (?:him|her|them|[A-Z]\w+)"
    r"(?: yet)? (?:that )?I(?:'m| am) (?:writing|reaching out|contacting)",
    r"\bI(?:'ve| have) already told (?:\w+ ){0,3}(?:that )?(?:we|I) have (?:a )?(?:warm |an )?"
    r"(?:intro|introduction|line|connection)",
)


def _check_opt_in(msg: Message) -> list[Hit]:
    detail = (
        "the introducer must ask the target first; handing over details or writing to "
        "the target before they agree spends the introducer's trust for them."
    )
    return _all(_SKIP_OPT_IN, msg, detail)[:1]


# ------------------------------------------------------------------ the registry

RULES: tuple[Rule, ...] = (
    Rule(
        "pitch-in-first-message",
        Severity.ERROR,
        1,
        "Sales pitch",
        "A product or service offer, a demo or pricing in an outreach message.",
        "Drop the offer; ask one genuine question about their work, or ask a shared contact "
        "for an introduction.",
        _check_pitch,
    ),
    Rule(
        "apologetic-opener",
        Severity.WARNING,
        6,
        "Apologetic opener",
        "Opening by apologising for writing or for taking their time.",
        "Start with why you are writing to them specifically; if the message is worth "
        "sending it needs no apology.",
        _check_apology,
    ),
    Rule(
        "inflated-flattery",
        Severity.WARNING,
        5,
        "Inflated flattery",
        "Generic superlatives: honoured to connect, amazing profile, visionary.",
        "Replace the compliment with one concrete thing of theirs you read or used, and why "
        "it mattered to you.",
        _check_flattery,
    ),
    Rule(
        "purposeless-meeting",
        Severity.WARNING,
        8,
        "Meeting without a purpose",
        "A call, coffee or Zoom request with no topic, or only a vague one (synergies).",
        "Name the one topic you want to ask about and how long it takes, e.g. '20 minutes on "
        "how your team prices usage'.",
        _check_meeting,
    ),
    Rule(
        "nagging-follow-up",
        Severity.ERROR,
        7,
        "Nagging follow-up",
        "Repeated follow-ups, guilt ('perhaps you did not see'), or a nudge with no way out.",
        "Send at most one short follow-up after a week, and say plainly that no answer is "
        "fine too.",
        _check_nag,
        yields_to=(),
    ),
    Rule(
        "big-ask-of-stranger",
        Severity.ERROR,
        8,
        "Big ask of a near-stranger",
        "Investment, mentorship, board seats or investor introductions from someone you "
        "barely know.",
        "Ask for something small and specific first (one question, 20 minutes on one topic), "
        "or go through someone who knows them well.",
        _check_big_ask,
    ),
    Rule(
        "mass-template",
        Severity.ERROR,
        3,
        "Mass template",
        "Unfilled placeholders, 'Dear Sir/Madam', or a generic greeting with no reference to "
        "the recipient at all.",
        "Write to one person: use their name and one specific thing about their work.",
        _check_template,
    ),
    Rule(
        "no-stated-reason",
        Severity.WARNING,
        4,
        "No stated reason",
        "The message never says why you are writing, or only says you like networking.",
        "Say in one sentence why this person, and what one thing you would like from them.",
        _check_no_reason,
        yields_to=(
            "pitch-in-first-message",
            "purposeless-meeting",
            "big-ask-of-stranger",
            "nagging-follow-up",
            "endorsement-swap",
        ),
    ),
    Rule(
        "excessive-length",
        Severity.WARNING,
        9,
        "Too long",
        f"More words than anyone reads from someone they barely know (default "
        f"{DEFAULT_MAX_WORDS}).",
        "Keep who you are, why them, and the one ask; cut the background.",
        _check_length,
    ),
    Rule(
        "connection-boast",
        Severity.WARNING,
        10,
        "Network-size boast",
        "Connection or follower counts, 'LION', 'open networker' offered as a reason to connect.",
        "Leave counts out; say what you have in common or what you can offer them.",
        _check_boast,
    ),
    Rule(
        "endorsement-swap",
        Severity.WARNING,
        12,
        "Endorsement swap",
        "Asking for endorsements or recommendations in return for yours.",
        "Endorse only what you have seen them do, and ask for nothing back.",
        _check_swap,
    ),
    Rule(
        "unsolicited-attachment",
        Severity.WARNING,
        4,
        "Unsolicited attachment",
        "Decks, brochures, price lists or booking links sent unasked.",
        "Leave attachments out; offer to send something only if they ask.",
        _check_attachment,
    ),
    Rule(
        "pressure-deadline",
        Severity.WARNING,
        7,
        "Pressure or false urgency",
        "ASAP, reply-by deadlines, 'only 3 spots left', offers that expire.",
        "Remove the deadline; let them answer when it suits them, or not at all.",
        _check_pressure,
    ),
    Rule(
        "skips-double-opt-in",
        Severity.ERROR,
        11,
        "Skips the double opt-in",
        "Writing to the target before they agreed to an introduction, or asking the "
        "introducer to pass your details on (cc, forward) without checking with them.",
        "Ask the introducer to check with the target first and offer a short blurb they "
        "can forward; write to the target only once both have said yes.",
        _check_opt_in,
    ),
    Rule(
        "no-easy-out",
        Severity.INFO,
        7,
        "No easy way out",
        "A request for an introduction or a favour with no explicit easy out.",
        "Add a line such as 'if the timing is wrong, no worries at all'.",
        _check_easy_out,
    ),
)
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


def lint_outreach(
    text: str, *, max_words: int = DEFAULT_MAX_WORDS, rules: Sequence[str] | None = None
) -> LintResult:
    """Check an outreach message against the etiquette rules.

    Parameters
    ----------
    text : str
        The message as it would be sent.
    max_words : int, optional
        Length limit for ``excessive-length`` (default 150; the drafter uses 120 for
        an ask and 90 for a blurb).
    rules : sequence of str, optional
        Rule ids to run; all of :data:`RULES` when omitted.

    Returns
    -------
    LintResult
        Findings ordered by position; ``clean`` is true when none is an error or
        a warning.

    Raises
    ------
    KeyError
        If ``rules`` names an unknown rule id.

    Examples
    --------
    >>> bad = lint_outreach("Hi {first_name}, sorry to bother you! Invest in our startup?")
    >>> sorted(bad.rules)
    ['apologetic-opener', 'big-ask-of-stranger', 'mass-template']
    >>> f = bad.findings[0]
    >>> f.rule, bad.text[f.start:f.end], f.explanation.split(" (")[0]
    ('mass-template', '{first_name}', 'Principle 3')
    >>> lint_outreach("Hi Sam, would you be open to introducing me to Dana? I'd like 20 "
    ...               "minutes on how her team prices usage. No worries if not.").clean
    True
    """
    selected = [RULES_BY_ID[r] for r in rules] if rules is not None else list(RULES)
    msg = Message(text, max_words=max_words)
    fired: dict[str, list[Hit]] = {}
    for rule in selected:
        hits = rule.check(msg)
        if hits:
            fired[rule.id] = hits
    findings: list[Finding] = []
    for rule in selected:
        if rule.id not in fired or any(other in fired for other in rule.yields_to):
            continue
        for start, end, detail in fired[rule.id]:
            findings.append(
                Finding(
                    rule=rule.id,
                    severity=rule.severity,
                    start=start,
                    end=end,
                    excerpt=text[start:end],
                    explanation=rule.explain(detail),
                    suggestion=rule.suggestion,
                )
            )
    findings.sort(key=lambda f: (f.start, f.end, f.rule))
    return LintResult(text=text, findings=tuple(findings))


def describe_rules(rules: Iterable[Rule] = RULES) -> list[dict[str, str | int]]:
    """The rule registry as plain rows, for ``warmintro lint --rules`` and the API.

    >>> describe_rules()[0]["id"]
    'pitch-in-first-message'
    """
    return [
        {
            "id": r.id,
            "severity": r.severity.value,
            "principle": r.principle,
            "title": r.title,
            "description": r.description,
        }
        for r in rules
    ]
