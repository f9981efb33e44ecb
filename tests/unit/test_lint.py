"""The outreach linter: each rule fires on its shape and not on look-alikes."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from outreach.lint import PRINCIPLES, RULES, RULES_BY_ID, Severity, describe_rules, lint_outreach

ROOT = Path(__file__).resolve().parents[2]
EVAL_SET = ROOT / "tests" / "data" / "outreach_eval.jsonl"

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
    }
    assert required <= set(RULES_BY_ID)
    assert len(RULES_BY_ID) == len(RULES)
    for rule in RULES:
        assert rule.principle in PRINCIPLES
        assert rule.description and rule.suggestion
    assert [row["id"] for row in describe_rules()] == [r.id for r in RULES]


def test_seed_messages_flagged_for_the_right_reasons() -> None:
    first = lint_outreach(SEED_FIRST)
    assert {"inflated-flattery", "no-stated-reason", "mass-template"} <= first.rules
    assert spans(SEED_FIRST, "inflated-flattery") == [
        "deeply value my LinkedIn network",
        "truly and honor to be connected",
    ]
    second = lint_outreach(SEED_SECOND)
    assert second.rules == {"purposeless-meeting"}
    assert spans(SEED_SECOND, "purposeless-meeting") == ["connect by phone"]
    third = lint_outreach(SEED_THIRD)
    assert {"nagging-follow-up", "big-ask-of-stranger"} <= third.rules
    assert spans(SEED_THIRD, "nagging-follow-up") == ["Perhaps you did not see my last"]
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
            "Hi Ida, just following up on my note. Did you see it?",
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
    assert rule in lint_outreach(bad).rules
    assert rule not in lint_outreach(good).rules


def test_placeholders_each_flagged_at_their_span() -> None:
    text = "Hi {first_name}, I loved your work at [Company]. Does <COMPANY> hire juniors?"
    assert spans(text, "mass-template") == ["{first_name}", "[Company]", "<COMPANY>"]


def test_length_limit_is_configurable_and_points_past_the_limit() -> None:
    text = "Hi Ana, " + " ".join(["thanks"] * 30) + " for the intro."
    assert "excessive-length" not in lint_outreach(text).rules
    result = lint_outreach(text, max_words=10)
    (finding,) = [f for f in result.findings if f.rule == "excessive-length"]
    assert text[finding.start :].split()[0] == text.split()[10]
    assert finding.end == len(text)


def test_single_gentle_follow_up_to_introducer_is_clean() -> None:
    text = (
        "Hi Sam, floating this back up in case it slipped down your inbox last week. If now "
        "isn't a good time to ask Dana, no worries at all."
    )
    assert lint_outreach(text).clean


def test_info_findings_do_not_make_a_message_unclean() -> None:
    result = lint_outreach("Hi Kofi, would you introduce me to Ana at Kite? I'm hiring for SRE.")
    assert result.rules == {"no-easy-out"}
    assert result.clean


def test_rules_argument_selects_and_rejects_unknown() -> None:
    assert lint_outreach(SEED_THIRD, rules=["nagging-follow-up"]).rules == {"nagging-follow-up"}
    with pytest.raises(KeyError):
        lint_outreach("hi", rules=["no-such-rule"])


def test_empty_message_has_no_findings() -> None:
    assert lint_outreach("").findings == ()


def test_linter_is_deterministic_and_fast() -> None:
    rows = [json.loads(line) for line in EVAL_SET.read_text(encoding="utf-8").splitlines()]
    first = [lint_outreach(r["text"]) for r in rows]
    assert first == [lint_outreach(r["text"]) for r in rows]


def _load_eval_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_lint", ROOT / "scripts" / "eval_lint.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("eval_lint", module)  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_eval_set_shape_and_coverage() -> None:
    rows = [json.loads(line) for line in EVAL_SET.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 70
    assert sum(r["label"] == "bad" for r in rows) >= 35
    assert sum(r["label"] == "good" for r in rows) >= 35
    assert len({r["id"] for r in rows}) == len(rows)
    for rule in RULES:
        assert sum(rule.id in r["rules"] for r in rows) >= 3, rule.id
    texts = {r["text"] for r in rows}
    assert {SEED_FIRST, SEED_SECOND, SEED_THIRD} <= texts


def test_eval_meets_targets() -> None:
    report = _load_eval_script().evaluate(EVAL_SET)
    assert report.precision >= 0.95, report.mistakes
    assert report.recall >= 0.90, report.mistakes


def test_eval_script_exit_status() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "eval_lint.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "precision" in done.stdout


def test_skipping_the_double_opt_in_is_an_error() -> None:
    direct = (
        "Hi Marta, Joel said he'd introduce us, but rather than wait for him I thought I'd "
        "write to you directly. Could we talk about night-shift rostering?"
    )
    cc = "Hi Rob, just cc Sunita on an email to me and I'll take it from there. Thanks!"
    handover = "Hi Claire, could you pass him my email? No rush at all."
    for text, excerpt in (
        (direct, "rather than wait for him I thought I'd write"),
        (cc, "just cc Sunita"),
        (handover, "pass him my email"),
    ):
        result = lint_outreach(text)
        assert "skips-double-opt-in" in result.rules, text
        assert spans(text, "skips-double-opt-in") == [excerpt]
        assert not result.clean
    # Offering the introducer a note to forward *is* the double opt-in.
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
    assert spans(text, "big-ask-of-stranger") == ["could you help me"]
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
            "Sam doesn't know I'm writing",
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
