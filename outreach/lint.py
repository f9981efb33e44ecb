"""The outreach linter: judges what a message does, against the principles in docs/outreach.md.

A message is read in three steps (docs/linter.md has the long version):

1. **Acts and context** (:mod:`outreach.lint_acts`). Recognisers find what the
   sender does — offers or pitches their product or service, asks for a call,
   money, an introduction, a referral or endorsement, a job or a favour, applies
   pressure, chases, flatters, apologises for writing, sends a template, skips
   the double opt-in — and the context that can license it: the recipient asked,
   an existing customer, supplier or colleague relationship, an explicit double
   opt-in, a shared past or meeting.
2. **Decision** (:mod:`outreach.lint_model`). A logistic regression trained by
   ``scripts/train_lint.py`` on the shipped corpus weighs the acts *crossed with
   their context* together with the message's words, and says whether the
   message should not be sent. The same "we offer X" is a pitch after "thanks
   for connecting" and a reply after "as you requested".
3. **Findings.** When the verdict is "bad", every act that pushed it there
   becomes a finding under its rule, at the act's span, with the principle it
   breaks and a suggested rewrite. A few markers are never acceptable and are
   reported whatever the model says (unfilled placeholders, "Dear Sir/Madam",
   an over-long unsolicited message).

Every rule is listed in :data:`RULES` with a stable id, a severity and the
numbered principle it enforces, so the CLI and the API can list them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from outreach import lint_acts as acts
from outreach.lint_acts import CUES_BY_ID, Kind, Span, detect, fold, opener_end
from outreach.lint_model import LintModel, context_state, family, featurize

DEFAULT_MAX_WORDS = 150  # a message; the drafter holds itself to 120 (ask) and 90 (blurb)
MIN_DRIVE = 0.1  # an act must push the verdict towards "bad" by this much to be reported

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
    """The linter's verdict on one message; findings are ordered by position.

    ``score`` is the model's probability that the message should not be sent
    (0 for an empty message); the verdict itself is :attr:`clean`.
    """

    text: str
    findings: tuple[Finding, ...] = ()
    score: float = 0.0

    @property
    def clean(self) -> bool:
        """True when no finding is an error or a warning (info hints are allowed)."""
        return not any(f.severity is not Severity.INFO for f in self.findings)

    @property
    def rules(self) -> frozenset[str]:
        """The ids of the rules that fired."""
        return frozenset(f.rule for f in self.findings)


@dataclass(frozen=True, slots=True)
class Rule:
    """One lint rule: identity, severity, the principle it enforces, and how to fix it."""

    id: str
    severity: Severity
    principle: int
    title: str
    description: str
    suggestion: str

    def explain(self, detail: str) -> str:
        return f"Principle {self.principle} ({PRINCIPLES[self.principle]}): {detail}"


RULES: tuple[Rule, ...] = (
    Rule(
        acts.PITCH,
        Severity.ERROR,
        1,
        "Sales pitch",
        "An offer or promotion of the sender's product, service, event or scheme (a demo, a "
        "free audit, pricing, a commission) to someone who did not ask for it.",
        "Drop the offer; ask one genuine question about their work, or ask a shared contact "
        "for an introduction. Send prices or demos only when they ask.",
    ),
    Rule(
        acts.APOLOGY,
        Severity.WARNING,
        6,
        "Apologetic opener",
        "Opening by apologising for writing or for taking their time.",
        "Start with why you are writing to them specifically; if the message is worth "
        "sending it needs no apology.",
    ),
    Rule(
        acts.FLATTERY,
        Severity.WARNING,
        5,
        "Inflated flattery",
        "Generic superlatives: honoured to connect, amazing profile, visionary, legend.",
        "Replace the compliment with one concrete thing of theirs you read or used, and why "
        "it mattered to you.",
    ),
    Rule(
        acts.MEETING,
        Severity.WARNING,
        8,
        "Meeting without a reason they share",
        "A call, coffee or meeting requested of someone with no relationship, no stated topic "
        "or only a vague one (synergies, picking their brain).",
        "Name the one topic you want to ask about and how long it takes, e.g. '20 minutes on "
        "how your team prices usage', and offer to take the answer by email.",
    ),
    Rule(
        acts.NAG,
        Severity.ERROR,
        7,
        "Nagging follow-up",
        "Repeated follow-ups, guilt ('perhaps you did not see'), or a nudge with no way out.",
        "Send at most one short follow-up after a week, and say plainly that no answer is "
        "fine too.",
    ),
    Rule(
        acts.BIG_ASK,
        Severity.ERROR,
        8,
        "Big ask of a near-stranger",
        "Money, an introduction to their boss, clients or investors, a referral, reference, "
        "endorsement, vote, job or sizeable favour asked of someone who barely knows you.",
        "Ask for something small and specific first (one question, 20 minutes on one topic), "
        "or go through someone who knows them well.",
    ),
    Rule(
        acts.TEMPLATE,
        Severity.ERROR,
        3,
        "Mass template",
        "Unfilled placeholders, 'Dear Sir/Madam', a form-letter greeting or a message that "
        "admits it went to a list.",
        "Write to one person: use their name and one specific thing about their work.",
    ),
    Rule(
        acts.NO_REASON,
        Severity.WARNING,
        4,
        "No stated reason",
        "The message never says why you are writing to this person, or only says you like "
        "networking, synergies or opportunities.",
        "Say in one sentence why this person, and what one thing you would like from them.",
    ),
    Rule(
        "excessive-length",
        Severity.WARNING,
        9,
        "Too long",
        f"More words than anyone reads from someone who did not ask for them (default "
        f"{DEFAULT_MAX_WORDS}).",
        "Keep who you are, why them, and the one ask; cut the background.",
    ),
    Rule(
        acts.BOAST,
        Severity.WARNING,
        10,
        "Network-size boast",
        "Connection or follower counts, 'LION', 'open networker' offered as a reason to connect.",
        "Leave counts out; say what you have in common or what you can offer them.",
    ),
    Rule(
        acts.SWAP,
        Severity.WARNING,
        12,
        "Endorsement swap",
        "Asking for endorsements or recommendations in return for yours.",
        "Endorse only what you have seen them do, and ask for nothing back.",
    ),
    Rule(
        acts.ATTACHMENT,
        Severity.WARNING,
        4,
        "Unsolicited attachment",
        "Decks, brochures, CVs, price lists or booking links sent unasked.",
        "Leave attachments out; offer to send something only if they ask.",
    ),
    Rule(
        acts.PRESSURE,
        Severity.WARNING,
        7,
        "Pressure or false urgency",
        "ASAP, reply-by deadlines the recipient did not set, 'only 3 spots left', guilt, "
        "threats, 'it only takes a minute'.",
        "Remove the deadline; let them answer when it suits them, or not at all.",
    ),
    Rule(
        acts.OPT_IN,
        Severity.ERROR,
        11,
        "Skips the double opt-in",
        "Writing to or copying in the target before they agreed to an introduction, or "
        "handing over someone's details without checking with them.",
        "Ask the introducer to check with the target first and offer a short blurb they "
        "can forward; write to the target only once both have said yes.",
    ),
    Rule(
        acts.PERSONAL,
        Severity.ERROR,
        9,
        "Personal approach",
        "Comments on looks, personal questions or invitations that do not belong in a "
        "professional message.",
        "Keep to the professional reason you are writing, as you would face to face.",
    ),
    Rule(
        "no-easy-out",
        Severity.INFO,
        7,
        "No easy way out",
        "A request for an introduction or a favour with no explicit easy out.",
        "Add a line such as 'if the timing is wrong, no worries at all'.",
    ),
)
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

# What each act means when it drives a "bad" verdict: completes the rule's explanation.
DETAILS: dict[str, str] = {
    "pitch.offer": "it offers your product or service to someone who did not ask for it.",
    "pitch.claim": "sales claims about results are a pitch, however friendly the opening.",
    "pitch.demo": "a demo or walkthrough of what you sell is a sales call.",
    "pitch.free": "a free audit, trial or sample is still a sales offer.",
    "pitch.collateral": "decks, price lists and case studies sent unasked promote you.",
    "pitch.price": "prices and fees belong in a reply to someone who asked for them.",
    "pitch.commission": "commissions and referral fees turn a contact into a sales channel.",
    "pitch.mlm": "an income or business 'opportunity' is a recruitment pitch.",
    "pitch.recruit": "a vague role for an unnamed client is a recruiter's cold pitch.",
    "pitch.invite": "a paid or promotional invitation is a pitch dressed as an honour.",
    "pitch.cta": "the call to action asks them to buy into what you offer.",
    "pitch.probe": "a question asked to qualify them as a lead is the start of a pitch.",
    "ask.call": "a call or meeting is asked of someone with no shared reason for it.",
    "ask.money": "money or investment is the biggest ask there is.",
    "ask.intro": "an introduction spends their standing with people you do not know.",
    "ask.endorse": "a referral, reference, endorsement or vote vouches for you.",
    "ask.job": "a job or a CV sent to someone who barely knows you is a big ask.",
    "ask.favour": "a sizeable favour from someone who owes you nothing.",
    "pressure.deadline": "a deadline or scarcity they did not set puts pressure on them.",
    "pressure.date": "a date for their reply that they did not set puts pressure on them.",
    "pressure.demand": "demands, guilt and 'it only takes a minute' pressure the reader.",
    "nag.chase": "repeated or guilt-tripping follow-ups pressure the reader.",
    "nag.guilt": "guilt ('after everything I did', 'the least you could do') is pressure.",
    "flattery": "generic superlatives read as insincere; praise something specific.",
    "apology": "an apology for writing tells the reader not to read on.",
    "apology.grovel": "grovelling ('I know you're busy', 'sorry again') says the message "
    "should not have been sent.",
    "template.placeholder": "unfilled placeholders show a mass-mailed template.",
    "template.salutation": "a form-letter greeting names nobody.",
    "template.group": "a message to 'all' or 'everyone' is written to nobody in particular.",
    "template.mass": "the message admits or shows it went to a list.",
    "opt_in.skip": "the introducer must ask the target first; handing over details or "
    "writing to the target before they agree spends the introducer's trust.",
    "boast": "a network's size is not a reason for anyone to connect.",
    "swap": "endorsements traded as favours are worth nothing to anyone.",
    "attachment": "decks, brochures and booking links serve the sender, not the reader.",
    "personal": "personal remarks or invitations do not belong in a professional message.",
    "vague": "networking, synergies or 'opportunities' are not a reason to write.",
}
_FALLBACK = "the message never says why you are writing to this person, or what for."

# Markers reported whatever the model says: nobody sends these on purpose.
_CANNED = re.compile(
    r"^\W*(?:dear (?:sir|madam|sir/madam|sir or madam|sirs)\b|to whom it may concern)",
    re.IGNORECASE,
)

# The INFO hint: a request for an introduction or favour without an easy out.
_REQUEST = re.compile(
    r"\b(?:would|could|can|will) you (?:please )?(?:\w+ ){0,3}(?:to )?"
    r"(?:introduc\w*|connect me|endorse|recommend|refer|put me in touch|forward|pass)"
    r"|\bplease (?:introduce|connect|refer|forward|endorse)"
    r"|\b(?:to|please|you could|you can|you'd|you would) introduce me to\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\S+")
# A reply to what the recipient asked for, or to a customer, may run long.
_REPLY_CONTEXT = ("ctx.asked", "ctx.existing")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def _sentence_around(norm: str, start: int, end: int) -> Span:
    for m in _SENTENCE.finditer(norm):
        if m.start() <= start < m.end():
            s, e = m.start(), max(m.end(), end)
            while s < e and norm[s].isspace():
                s += 1
            while e > s and norm[e - 1].isspace():
                e -= 1
            return s, e
    return start, end


class Linter:
    """Lints messages with one model; :func:`lint_outreach` uses the committed one."""

    def __init__(self, model: LintModel) -> None:
        self.model = model

    def drives(self, hits: Mapping[str, list[Span]], feats: Sequence[str]) -> dict[str, float]:
        """How much each act cue pushes the verdict towards "bad".

        An act's drive is its own weight, plus an equal share of the weights the
        model gives its family in this context (``cold:pitch``, ``stranger:ask``...)
        and of the weight for how many kinds of act the message combines.
        """
        weights = self.model.contributions(feats)
        present = [c for c in hits if CUES_BY_ID[c].kind is Kind.ACT]
        per_family: dict[str, int] = {}
        for cue_id in present:
            per_family[family(cue_id)] = per_family.get(family(cue_id), 0) + 1
        state = context_state(hits)
        combined = weights.get(f"acts:{min(len(per_family), 3)}", 0.0) / max(len(per_family), 1)
        out: dict[str, float] = {}
        for cue_id in present:
            fam = family(cue_id)
            shared = weights.get(f"{state}:{fam}", 0.0) + weights.get(f"stranger:{fam}", 0.0)
            out[cue_id] = weights.get(f"act:{cue_id}", 0.0) + (shared + combined) / per_family[fam]
        return out

    def lint(
        self, text: str, *, max_words: int = DEFAULT_MAX_WORDS, rules: Sequence[str] | None = None
    ) -> LintResult:
        """See :func:`lint_outreach`."""
        selected = {r: RULES_BY_ID[r] for r in rules} if rules is not None else RULES_BY_ID
        if not text.strip():
            return LintResult(text=text)
        norm = fold(text)
        hits = detect(text)
        feats = featurize(text, hits)
        score = self.model.probability(feats)
        raw: list[tuple[str, int, int, str]] = []  # rule, start, end, detail
        for start, end in hits.get("template.placeholder", []):
            raw.append((acts.TEMPLATE, start, end, DETAILS["template.placeholder"]))
        canned = _CANNED.search(norm)
        if canned:
            raw.append(
                (acts.TEMPLATE, canned.start(), canned.end(), DETAILS["template.salutation"])
            )
        words = [(m.start(), m.end()) for m in _WORD.finditer(norm)]
        if len(words) > max_words and not any(c in hits for c in _REPLY_CONTEXT):
            detail = f"{len(words)} words; keep a message under {max_words}."
            raw.append(("excessive-length", words[max_words][0], words[-1][1], detail))
        if score >= self.model.threshold:
            raw.extend(self._attribute(norm, hits, feats))
        request = _REQUEST.search(norm)
        if request and "ctx.easy_out" not in hits:
            start, end = _sentence_around(norm, request.start(), request.end())
            raw.append(("no-easy-out", start, end, "the request gives no easy way to say no."))
        findings: dict[tuple[str, int, int], Finding] = {}
        for rule_id, start, end, detail in raw:
            rule = selected.get(rule_id)
            if rule is None or (rule_id, start, end) in findings:
                continue
            findings[(rule_id, start, end)] = Finding(
                rule=rule.id,
                severity=rule.severity,
                start=start,
                end=end,
                excerpt=text[start:end],
                explanation=rule.explain(detail),
                suggestion=rule.suggestion,
            )
        ordered = sorted(findings.values(), key=lambda f: (f.start, f.end, f.rule))
        return LintResult(text=text, findings=tuple(ordered), score=score)

    def _attribute(
        self, norm: str, hits: Mapping[str, list[Span]], feats: Sequence[str]
    ) -> list[tuple[str, int, int, str]]:
        """The acts that drove a "bad" verdict: one finding per rule and (merged) span,
        explained by the strongest act under it."""
        drives = self.drives(hits, feats)
        head = opener_end(norm)
        by_rule: dict[str, list[tuple[int, int, float, str]]] = {}
        for cue_id, drive in drives.items():
            if drive < MIN_DRIVE or cue_id == "template.placeholder":
                continue
            spans = hits[cue_id]
            if cue_id == "apology":
                spans = [s for s in spans if s[0] < head] or spans
            rule = CUES_BY_ID[cue_id].rule
            by_rule.setdefault(rule, []).extend((s, e, drive, cue_id) for s, e in spans)
        out: list[tuple[str, int, int, str]] = []
        for rule, found in by_rule.items():
            found.sort()
            groups: list[list[tuple[int, int, float, str]]] = []
            for item in found:
                last_end = max(e for _, e, _, _ in groups[-1]) if groups else 0
                if groups and (item[0] <= last_end or not norm[last_end : item[0]].strip()):
                    groups[-1].append(item)
                else:
                    groups.append([item])
            for group in groups:
                start = min(s for s, _, _, _ in group)
                end = max(e for _, e, _, _ in group)
                strongest = max(group, key=lambda g: (g[2], g[3]))
                out.append((rule, start, end, DETAILS[strongest[3]]))
        if not out:
            out.append((acts.NO_REASON, *self._fallback_span(norm, feats), _FALLBACK))
        return out

    def _fallback_span(self, norm: str, feats: Sequence[str]) -> Span:
        """The sentence whose words push hardest towards "bad" (the whole text if none)."""
        best: tuple[float, Span] | None = None
        for m in _SENTENCE.finditer(norm):
            if not m.group().strip():
                continue
            sentence_feats = [f for f in featurize(m.group()) if f.startswith(("w:", "b:"))]
            weight = sum(self.model.contributions(sentence_feats).values())
            span = _sentence_around(norm, m.start(), m.start())
            if best is None or weight > best[0]:
                best = (weight, span)
        return best[1] if best else (0, len(norm))


_DEFAULT = Linter(LintModel.load())


def lint_outreach(
    text: str, *, max_words: int = DEFAULT_MAX_WORDS, rules: Sequence[str] | None = None
) -> LintResult:
    """Check an outreach message against the outreach principles.

    Parameters
    ----------
    text : str
        The message as it would be sent.
    max_words : int, optional
        Length limit for ``excessive-length`` (default 150; the drafter uses 120 for
        an ask and 90 for a blurb). A reply to something the recipient asked for
        may be longer.
    rules : sequence of str, optional
        Rule ids to report; all of :data:`RULES` when omitted.

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
    >>> bad = lint_outreach("Hi {first_name}, thanks for connecting! We help agencies "
    ...                     "cut reporting time by 40%. Can I show you a quick demo?")
    >>> sorted(bad.rules)
    ['mass-template', 'pitch-in-first-message']
    >>> f = bad.findings[0]
    >>> f.rule, bad.text[f.start:f.end], f.explanation.split(" (")[0]
    ('mass-template', '{first_name}', 'Principle 3')
    >>> lint_outreach("Hi Ana, as you asked at the fair, here's our price list for the "
    ...               "40 chairs. The quote holds until Friday.").clean
    True
    """
    return _DEFAULT.lint(text, max_words=max_words, rules=rules)


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
