"""The outreach linter: it judges what a message does in its context, not which words it uses.

Findings must sit on the act that made the message bad (rule id, span, principle,
rewrite); context (the recipient asked, an existing customer, a double opt-in)
must be able to clear the very same act; every generated draft stays clean.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from outreach.lint import (
    DETAILS,
    PRINCIPLES,
    RULES,
    RULES_BY_ID,
    Severity,
    describe_rules,
    lint_outreach,
)
from outreach.lint_acts import ACTS, CONTEXTS, detect
from outreach.lint_model import MODEL_PATH, LintModel

ROOT = Path(__file__).resolve().parents[2]
EVAL_SET = ROOT / "tests" / "data" / "outreach_eval.jsonl"
BATCHES = [ROOT / "tests" / "data" / "lint_corpus" / f"w{i}.jsonl" for i in (1, 2, 3)]
# The floor for the committed model on the batches it was trained on (in-sample). The honest,
# leave-one-batch-out figures are printed by `scripts/eval_lint.py --cv` (docs/linter.md).
IN_SAMPLE_FLOOR = 0.95

SEED_FIRST = (
    "Hello. It looks like we know some of the same people. I always like extending my network, "
    "and thought this would be a good opportunity for us to introduce ourselves. I deeply value "
    "my LinkedIn network and it is truly and honor to be connected to you."
)
SEED_SECOND = (
    "I’m regularly looking for ways to collaborate with my network. I was thinking that it "
    "would be good to connect by phone or Zoom meeting sometime. How is the next week looking "
    "in your schedule?"
)
SEED_THIRD = (
    "Perhaps you did not see my last message. I'm looking for mentorship, advisors, and "
    "introductions to investors and partners to grow our startup. Would you like to invest a "
    "million dollars in our cannabis company?"
)
WARM_ASK = (
    "Hi Sam, would you be open to introducing me to Dana? You two worked together at Acme and "
    "I'm trying to understand how her team moved to real-time settlement. A 20-minute "
    "conversation about that would help, and I can send a blurb to forward. If it's not a good "
    "time, no worries at all."
)


def spans(text: str, rule: str) -> list[str]:
    return [text[f.start : f.end] for f in lint_outreach(text).findings if f.rule == rule]


def rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


# ------------------------------------------------------------------ the registry


def test_registry_lists_every_rule_with_a_principle() -> None:
    required = {
        "pitch-in-first-message",
        "apologetic-opener",
        "inflated-flattery",
        "purposeless-meeting",
        "nagging-follow-up",
        "big-ask-of-stranger",
        "mass-template",
        "no-stated-reason",
        "excessive-length",
        "skips-double-opt-in",
    }
    assert required <= set(RULES_BY_ID)
    assert len(RULES_BY_ID) == len(RULES)
    for rule in RULES:
        assert rule.principle in PRINCIPLES
        assert rule.description and rule.suggestion
    assert [row["id"] for row in describe_rules()] == [r.id for r in RULES]


def test_every_act_files_its_findings_under_a_rule_and_explains_itself() -> None:
    for cue in ACTS:
        assert cue.rule in RULES_BY_ID, cue.id
        assert DETAILS[cue.id].endswith("."), cue.id
    for cue in CONTEXTS:
        assert cue.rule == "", cue.id  # context never produces findings
    assert len({c.id for c in (*ACTS, *CONTEXTS)}) == len(ACTS) + len(CONTEXTS)


def test_committed_model_loads_and_is_small() -> None:
    model = LintModel.load()
    assert 0 < model.threshold < 1
    assert model.weights
    assert MODEL_PATH.stat().st_size < 400_000


def test_committed_model_is_what_the_training_script_produces() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "train_lint.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


# ------------------------------------------------------------------ acts, spans, rewrites


def test_seed_messages_flagged_for_the_right_reasons() -> None:
    first = lint_outreach(SEED_FIRST)
    assert {"inflated-flattery", "no-stated-reason", "mass-template"} <= first.rules
    assert spans(SEED_FIRST, "inflated-flattery") == [
        "deeply value my LinkedIn network",
        "truly and honor to be connected",
    ]
    second = lint_outreach(SEED_SECOND)
    assert "purposeless-meeting" in second.rules
    assert "connect by phone" in spans(SEED_SECOND, "purposeless-meeting")
    third = lint_outreach(SEED_THIRD)
    assert {"nagging-follow-up", "big-ask-of-stranger"} <= third.rules
    assert spans(SEED_THIRD, "nagging-follow-up")[0].startswith("Perhaps you did not")
    assert "invest" in spans(SEED_THIRD, "big-ask-of-stranger")
    for result in (first, second, third):
        assert not result.clean


def test_good_warm_ask_is_clean() -> None:
    result = lint_outreach(WARM_ASK)
    assert result.clean
    assert result.findings == ()


def test_findings_carry_principle_explanation_and_suggestion() -> None:
    text = "Hi Tom, sorry to bother you, but could you share your pricing?"
    (finding,) = [f for f in lint_outreach(text).findings if f.rule == "apologetic-opener"]
    assert finding.severity is Severity.WARNING
    assert finding.explanation.startswith("Principle 6 ")
    assert finding.suggestion
    assert text[finding.start : finding.end] == finding.excerpt == "sorry to bother"


def test_offsets_survive_typographic_apostrophes() -> None:
    text = "Hi Ana — I’m honoured to be connected with you. I’m sorry to bother you."
    assert spans(text, "inflated-flattery") == ["honoured to be connected"]
    assert spans(text, "apologetic-opener") == ["I’m sorry to bother"]


@pytest.mark.parametrize(
    ("rule", "bad", "good"),
    [
        (
            "pitch-in-first-message",
            "Hi Li, thanks for connecting! We help fintech teams cut fraud losses. Demo next week?",
            "Hi Li, we're evaluating your fraud product. Is the pricing page current?",
        ),
        (
            "pitch-in-first-message",
            "Hi Jo, are you happy with your current payroll provider? Our tool saves hours.",
            "Hi Jo, thanks for showing me the demo of your routing tool. How do you do ETAs?",
        ),
        (
            "apologetic-opener",
            "Hi Kai, I apologise for the intrusion. What stack does your data team use?",
            "Hi Kai, I was sorry to hear about the office closing. Glad to share two open roles.",
        ),
        (
            "apologetic-opener",
            "Hi Bo, I know you're very busy, but what does your team use for on-call?",
            "Hi Bo, thanks for the intro. Sorry for the typo in my blurb; it's fixed now.",
        ),
        (
            "inflated-flattery",
            "Hi Eve, it is a privilege to be connected with a visionary like you. Any advice?",
            "Hi Eve, I enjoyed your talk on churn models. Did you calibrate per segment?",
        ),
        (
            "purposeless-meeting",
            "Hi Max, let's hop on a call sometime. How does next week look?",
            "Hi Max, could we set up a call about how you price usage? No worries if not.",
        ),
        (
            "nagging-follow-up",
            "Hi Ida, following up again as I haven't heard back. Can you answer today?",
            "Hi Ida, a gentle nudge on my note from last week. If the timing's off, no worries.",
        ),
        (
            "nagging-follow-up",
            "Hi Ida, just following up on my last note. Did you see it?",
            "Hi Ida, just following up once on my note; totally fine to let it drop.",
        ),
        (
            "big-ask-of-stranger",
            "Hi Rui, we haven't met, but would you consider investing in our seed round?",
            "Hi Rui, how did you decide when to start talking to investors? No rush at all.",
        ),
        (
            "mass-template",
            "Dear Sir/Madam, I would like to ask about your hiring process. Thank you.",
            "Dear Ms Berg, I would like to ask one question about your 2023 paper. Thank you.",
        ),
        (
            "mass-template",
            "Hi there, I hope you're well. Would you like to connect and share ideas?",
            "Hi there Ana, would you share how Kite runs incident reviews?",
        ),
        (
            "no-stated-reason",
            "Hi Ben, always keen to grow my network with like-minded professionals!",
            "Hi Ben, congrats on the new role at Fernway — well deserved.",
        ),
        (
            "connection-boast",
            "Hi Sam, I'm a LION with 30,000+ connections. Would you introduce me to your CFO?",
            "Hi Sam, I see we have 23 mutual connections. Did you work with Ana at Kite?",
        ),
        (
            "endorsement-swap",
            "Hi Lucy, I endorsed you for SQL. Would you return the favour?",
            "Hi Lucy, thanks for the intro; if I can ever return the favour, just say.",
        ),
        (
            "unsolicited-attachment",
            "Hi Ray, please find attached our brochure. Does your team need analytics?",
            "Hi Ray, I'll send the write-up once it's done if you'd like to see it.",
        ),
        (
            "pressure-deadline",
            "Hi Ann, could you answer whether you can refer me? I need an answer by tomorrow.",
            "Hi Ann, happy to talk tomorrow about the budget review; does 9 or 11 suit?",
        ),
    ],
)
def test_rule_positive_and_negative(rule: str, bad: str, good: str) -> None:
    flagged = lint_outreach(bad)
    assert rule in flagged.rules
    assert not flagged.clean
    assert rule not in lint_outreach(good).rules


def test_placeholders_each_flagged_at_their_span() -> None:
    text = "Hi {first_name}, I loved your work at [Company]. Does <COMPANY> hire juniors?"
    assert spans(text, "mass-template") == ["{first_name}", "[Company]", "<COMPANY>"]


def test_placeholders_and_form_letters_are_flagged_whatever_the_context() -> None:
    # Nobody sends these on purpose: no context clears them.
    for text in (
        "Hi {{first_name}}, as you asked, here is the quote for the chairs.",
        "Dear Sir/Madam, as requested, please find our quotation attached.",
    ):
        result = lint_outreach(text)
        assert "mass-template" in result.rules, text
        assert not result.clean


def test_length_limit_is_configurable_and_points_past_the_limit() -> None:
    text = "Hi Ana, " + " ".join(["thanks"] * 30) + " for the intro."
    assert "excessive-length" not in lint_outreach(text).rules
    result = lint_outreach(text, max_words=10)
    (finding,) = [f for f in result.findings if f.rule == "excessive-length"]
    assert text[finding.start :].split()[0] == text.split()[10]
    assert finding.end == len(text)


def test_a_long_reply_to_what_they_asked_for_is_not_too_long() -> None:
    body = " ".join(["The second option includes delivery and installation."] * 25)
    asked = f"Hi Colm, as you requested, here is the full breakdown. {body}"
    unasked = f"Hi Colm, I wanted to tell you about our services. {body}"
    assert "excessive-length" not in lint_outreach(asked).rules
    assert "excessive-length" in lint_outreach(unasked).rules


def test_single_gentle_follow_up_to_introducer_is_clean() -> None:
    text = (
        "Hi Sam, floating this back up in case it slipped down your inbox last week. If now "
        "isn't a good time to ask Dana, no worries at all."
    )
    assert lint_outreach(text).clean


def test_info_findings_do_not_make_a_message_unclean() -> None:
    text = (
        "Hi Kofi, could you forward my note to Ana at Kite and ask whether she'd take a "
        "20-minute call about how she ran their on-call rota? We worked together at Globex and "
        "I'm hiring my first SRE."
    )
    result = lint_outreach(text)
    assert result.rules == {"no-easy-out"}
    assert result.clean


def test_rules_argument_selects_and_rejects_unknown() -> None:
    assert lint_outreach(SEED_THIRD, rules=["nagging-follow-up"]).rules == {"nagging-follow-up"}
    with pytest.raises(KeyError):
        lint_outreach("hi", rules=["no-such-rule"])


def test_empty_message_has_no_findings() -> None:
    assert lint_outreach("").findings == ()
    assert lint_outreach("  \n ").clean


def test_linter_is_deterministic_and_fast() -> None:
    texts = [str(r["text"]) for path in (EVAL_SET, *BATCHES) for r in rows(path)]
    first = [lint_outreach(t) for t in texts]
    started = time.perf_counter()
    again = [lint_outreach(t) for t in texts]
    per_message = (time.perf_counter() - started) / len(texts)
    assert first == again
    assert per_message < 0.025, f"{per_message * 1000:.1f} ms per message"


# ------------------------------------------------------------------ context decides


@pytest.mark.parametrize(
    ("unlicensed", "licensed"),
    [
        (
            "Thanks for connecting, Ola! We sell payroll software to clinics. Here is our price "
            "list; shall I book you a demo?",
            "Hi Ola, as you asked at the expo on Tuesday, here is our price list for the payroll "
            "software, and the demo recording you requested.",
        ),
        (
            "Hi Rob, we've never met, but could you introduce me to your CEO? I have a partnership "
            "idea for her.",
            "Hi Rob, would you be open to asking Sunita whether she'd take a short call? If it "
            "helps, I can send a note you could forward to her. No worries if not.",
        ),
        (
            "Hi Ana, only 3 seats left in our masterclass and the offer expires Friday. Reply YES "
            "to book yours!",
            "Hi Ana, you asked me to remind you: the abstracts for the conference close on Friday "
            "(the organisers' deadline, not mine). Happy to read a draft if it helps.",
        ),
    ],
)
def test_the_same_act_is_bad_or_fine_depending_on_context(unlicensed: str, licensed: str) -> None:
    assert not lint_outreach(unlicensed).clean
    assert lint_outreach(licensed).clean


def test_cues_report_spans_in_the_original_text() -> None:
    text = "Thanks for connecting! We help clinics cut no-shows by 30%. Demo?"
    hits = detect(text)
    assert "ctx.stranger" in hits
    assert [text[s:e] for s, e in hits["pitch.offer"]] == ["We help"]
    assert [text[s:e] for s, e in hits["pitch.claim"]] == ["cut no-shows by 30%"]


# ------------------------------------------------------------------ issue 16


MISSED_PITCHES = [
    # the founder asking for a demo slot straight after connecting
    "Thanks for connecting! I'm the founder of Taskhive, the #1 project management tool for "
    "agencies. Can I get 15 minutes on your calendar this week for a demo?",
    # a real-estate agent's free appraisal right after connecting
    "Hi Dana, thanks for accepting my request! I'm an agent with Harbour Homes and I'd love to "
    "offer you a free appraisal of your home. Prices in Elm Park have jumped this year. When "
    "would suit?",
    # a seed-round ask with a minimum ticket to someone just connected
    "Great to connect, Omar. We're raising a $1.5M seed for our logistics app and the minimum "
    "ticket is $25k. Would you like the deck?",
    "Hi Ana, we sell payment retry software. Interested?",
    # an MLM "financial freedom" recruit
    "Hey Kim! I've found a way to build financial freedom from home with an amazing wellness "
    "brand. Would you be open to hearing about it?",
    # a recruiter's brief chat about an unnamed client
    "Hi Sam, I'm working with a client in the payments space on a senior role that fits your "
    "background. Open to a brief chat this week?",
    # a podcast invitation with a production fee
    "Hi Lee, we'd love to have you as a guest on the Growth Stories podcast. Guests cover a $500 "
    "production fee, which pays for editing. Shall I send some dates?",
    # a free audit of their ads with a request for times
    "Hi Mia, I looked at your Facebook ads and can see some easy wins. I'd be glad to do a free "
    "audit for you. What times work for a 20-minute call on Thursday or Friday?",
    # a survey that ends with a product walkthrough
    "Hi Raj, could you answer a 3-question survey on how your finance team handles expenses? At "
    "the end I'll walk you through our expense tool.",
    # asking a barely-known contact to introduce you to their CEO
    "Hi Tom, we met briefly at the product meetup. Could you introduce me to your CEO? I have an "
    "idea I think she'd like.",
    # a referral-commission offer to a stranger
    "Hi Ines, we pay a 10% commission on every client you refer to our accounting firm. Let me "
    "know if you'd like the details.",
]

FALSE_FLAGS = [
    # following up on their question after a talk is not nagging
    "Hi Priya, following up on your question after my talk on Tuesday: yes, the scheduling "
    "model works with part-time staff. The paper is linked on my site.",
    # a date the sender commits to is not a deadline put on the reader
    "Hi all, thanks for coming to the workshop yesterday. The slides will be shared by Friday.",
    # an attachment they asked for is not unsolicited
    "Hi Marco, attached is the quote you asked for: €4,200 for the two workstations, valid for "
    "30 days.",
    # replies, welcomes and thank-yous state their reason by what they are
    "Thursday at 10 works for me. See you at the café on Main Street!",
    "Welcome to the team, Jo! Your desk is next to mine; shout if you need anything.",
    "Thanks for recommending Working in Public, Sam. I finished it on the flight and loved the "
    "chapter on maintainers.",
    # a broker flagging renewal savings to an existing client is service, not a pitch
    "Hi Alan, your home insurance renews next month. I found the same cover with Harbour Mutual "
    "for £120 less a year. Want me to switch it, or keep things as they are?",
]


@pytest.mark.parametrize("text", MISSED_PITCHES)
def test_issue_16_pitches_and_big_asks_are_caught(text: str) -> None:
    result = lint_outreach(text)
    assert not result.clean, text
    assert result.rules & {"pitch-in-first-message", "big-ask-of-stranger"}
    for finding in result.findings:
        # every finding sits on the act that drove it, with its principle and a rewrite
        assert text[finding.start : finding.end] == finding.excerpt
        assert 0 < len(finding.excerpt) < len(text)
        assert finding.explanation.startswith("Principle ")
        assert finding.suggestion


@pytest.mark.parametrize("text", FALSE_FLAGS)
def test_issue_16_false_flags_are_clean(text: str) -> None:
    result = lint_outreach(text)
    assert result.clean, [(f.rule, f.excerpt) for f in result.findings]


def test_skipping_the_double_opt_in_is_an_error() -> None:
    direct = (
        "Hi Marta, Joel said he'd introduce us, but rather than wait for him I thought I'd "
        "write to you directly. Could we talk about night-shift rostering?"
    )
    cc = "Hi Rob, just cc Sunita on an email to me and I'll take it from there. Thanks!"
    handover = "Hi Claire, could you pass him my email? No rush at all."
    for text, excerpt in (
        (direct, "rather than wait"),
        (cc, "just cc Sunita"),
        (handover, "pass him my email"),
    ):
        result = lint_outreach(text)
        assert "skips-double-opt-in" in result.rules, text
        assert excerpt in spans(text, "skips-double-opt-in")
        assert not result.clean
        (rule,) = [f for f in result.findings if f.rule == "skips-double-opt-in"][:1]
        assert rule.severity is Severity.ERROR
    # Offering the introducer a note to forward, and asking them to check first, *is* the opt-in.
    offer = (
        "Hi Rob, would you be open to asking Sunita whether she'd take a short call? If it "
        "helps, I can send a note you could forward to her. No worries if not."
    )
    assert lint_outreach(offer).clean


def test_a_favour_from_a_declared_stranger_is_a_big_ask() -> None:
    text = (
        "Hi Andrea, we don't know each other, but could you help me find a flat and a job "
        "in Lisbon? Any help at all is appreciated."
    )
    assert "could you help" in spans(text, "big-ask-of-stranger")
    # A stranger with one small, specific question is exactly what principle 4 asks for.
    small = (
        "Hi Noor, we haven't met, but I read your post on cold-chain sensors. Could I ask "
        "one question: how do you calibrate them in transit? No worries if you're swamped."
    )
    assert lint_outreach(small).clean


@pytest.mark.parametrize(
    ("text", "rule", "excerpt"),
    [
        (
            "Hi Dee, Sam doesn't know I'm writing, but he'd vouch for me. Could you pass my CV "
            "to your hiring manager?",
            "skips-double-opt-in",
            "doesn't know I'm writing",
        ),
        (
            "Hi Jo, after everything I did for you last year I thought you'd introduce me to "
            "your VP. Let me know.",
            "nagging-follow-up",
            "after everything I did for you",
        ),
        (
            "Hi Al, you're my last hope. Please forward my application to HR. Thanks, Ben",
            "pressure-deadline",
            "my last hope",
        ),
        (
            "Hi Mo, who runs wellness at Arla? Our breathing app is used by 300+ companies "
            "and your drivers would love it.",
            "pitch-in-first-message",
            "used by 300+ companies",
        ),
        (
            "Hi Kit, great meeting you briefly at the summit! Would you come in with $50k on our "
            "pre-seed? Happy to share details.",
            "big-ask-of-stranger",
            "come in with $",
        ),
    ],
)
def test_guilt_handovers_and_social_proof_are_flagged(text: str, rule: str, excerpt: str) -> None:
    result = lint_outreach(text)
    assert not result.clean
    assert excerpt in spans(text, rule)


def test_closing_the_loop_and_forwardable_blurbs_state_their_reason() -> None:
    thanks = (
        "Tanvi, a short note to say the chat with Gaurav you set up in January led to a pilot "
        "on two farms near Nashik. None of it happens without your intro. Lunch is on me."
    )
    blurb = (
        "Short blurb you can forward to Dr. Hamid: Leila Farahani designs a symptom checker "
        "at Medvise. She wants to ask one thing: how his team tested reading level with "
        "patients. An email answer is fine too; no obligation."
    )
    assert lint_outreach(thanks).clean
    assert lint_outreach(blurb).clean


def _documented_examples() -> list[tuple[str, str, str]]:
    """(rule, "Flagged"|"Fine", text) for every example in docs/linter.md."""
    doc = (ROOT / "docs" / "linter.md").read_text(encoding="utf-8")
    examples: list[tuple[str, str, str]] = []
    rule = ""
    for line in doc.splitlines():
        heading = re.match(r"### `([a-z-]+)`", line)
        if heading:
            rule = heading.group(1)
        example = re.match(r'- (Flagged|Fine): "(.+)"$', line)
        if example and rule:
            examples.append((rule, example.group(1), example.group(2)))
    return examples


def test_docs_describe_every_rule() -> None:
    doc = (ROOT / "docs" / "linter.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"### `{rule.id}`" in doc, rule.id


@pytest.mark.parametrize(("rule", "side", "text"), _documented_examples())
def test_documented_examples_behave_as_documented(rule: str, side: str, text: str) -> None:
    result = lint_outreach(text)
    if side == "Flagged":
        assert rule in result.rules
        assert not result.clean
    else:
        assert result.clean, [(f.rule, f.excerpt) for f in result.findings]


# ------------------------------------------------------------------ the corpus and the script


def _load_eval_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_lint", ROOT / "scripts" / "eval_lint.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("eval_lint", module)  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_eval_set_shape_and_coverage() -> None:
    labelled = rows(EVAL_SET)
    assert len(labelled) >= 70
    assert sum(r["label"] == "bad" for r in labelled) >= 35
    assert sum(r["label"] == "good" for r in labelled) >= 35
    assert len({str(r["id"]) for r in labelled}) == len(labelled)
    named = {str(rule) for r in labelled for rule in r["rules"]}  # type: ignore[attr-defined]
    for rule in RULES:
        if rule.id in named:
            assert sum(rule.id in r["rules"] for r in labelled) >= 3, rule.id  # type: ignore[operator]
    texts = {r["text"] for r in labelled}
    assert {SEED_FIRST, SEED_SECOND, SEED_THIRD} <= texts
    for path in BATCHES:
        batch = rows(path)
        assert len(batch) == 210
        assert sum(r["label"] == "bad" for r in batch) == 105


def test_in_sample_figures_stay_above_the_floor() -> None:
    script = _load_eval_script()
    for path in (*BATCHES, EVAL_SET):
        score = script.evaluate(path)
        assert score.precision >= IN_SAMPLE_FLOOR, (path.name, score.mistakes)
        assert score.recall >= IN_SAMPLE_FLOOR, (path.name, score.mistakes)


HELD_BACK = ROOT / "tests" / "data" / "lint_corpus" / "w4.jsonl"
"""Written independently and kept out of every tuning step; first scored after the
rewrite (0.916 / 0.933, BENCHMARKS.md). Never train or tune on it."""


def test_the_held_back_batch_meets_the_target() -> None:
    script = _load_eval_script()
    score = script.evaluate(HELD_BACK)
    assert score.precision >= 0.90
    assert score.recall >= 0.85


def test_eval_script_prints_one_line_per_batch_and_exit_status() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "eval_lint.py"), *map(str, BATCHES)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for name in ("w1", "w2", "w3"):
        (line,) = [x for x in lines if x.startswith(name + " ")]
        assert "precision" in line and "recall" in line and "tp=" in line and "tn=" in line
    missing = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "eval_lint.py"), "no-such-file.jsonl"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2
