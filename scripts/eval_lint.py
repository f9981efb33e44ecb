"""Evaluate the outreach linter against the hand-labelled set.

A message is predicted bad when any finding is an error or a warning. Prints
message-level precision and recall with the confusion counts, then per-rule
precision and recall (info rules included), and exits 1 when precision < 0.95
or recall < 0.90.

Usage: ``.venv/bin/python scripts/eval_lint.py [tests/data/outreach_eval.jsonl] [-v]``
(``-v`` lists every disagreement).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from outreach.lint import RULES, lint_outreach  # noqa: E402

DEFAULT_SET = ROOT / "tests" / "data" / "outreach_eval.jsonl"
MIN_PRECISION = 0.95
MIN_RECALL = 0.90


@dataclass
class EvalReport:
    """Confusion counts for messages and per rule, plus the disagreements."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    rule_tp: Counter[str] = field(default_factory=Counter)
    rule_fp: Counter[str] = field(default_factory=Counter)
    rule_fn: Counter[str] = field(default_factory=Counter)
    mistakes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def passed(self) -> bool:
        return self.precision >= MIN_PRECISION and self.recall >= MIN_RECALL


def load(path: Path) -> list[dict[str, object]]:
    """Read the JSONL set; a malformed line is reported with its number."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SystemExit(f"{path}:{number}: not JSON: {exc}") from exc
        if row.get("label") not in {"good", "bad"}:
            raise SystemExit(f"{path}:{number}: label must be 'good' or 'bad'")
        rows.append(row)
    return rows


def evaluate(path: Path = DEFAULT_SET) -> EvalReport:
    """Run the linter over every message in ``path`` and count agreements."""
    report = EvalReport()
    for row in load(path):
        text, label = str(row["text"]), row["label"]
        rules = row.get("rules", [])
        expected = {str(r) for r in rules} if isinstance(rules, list) else set()
        result = lint_outreach(text)
        predicted_bad = not result.clean
        got = set(result.rules)
        if label == "bad":
            if predicted_bad:
                report.tp += 1
            else:
                report.fn += 1
        elif predicted_bad:
            report.fp += 1
        else:
            report.tn += 1
        for rule in got & expected:
            report.rule_tp[rule] += 1
        for rule in got - expected:
            report.rule_fp[rule] += 1
        for rule in expected - got:
            report.rule_fn[rule] += 1
        if got != expected or predicted_bad != (label == "bad"):
            report.mistakes.append(
                f"{row['id']} [{label}] expected {sorted(expected)} got {sorted(got)}"
            )
    return report


def render(report: EvalReport) -> str:
    """The figures as a small text table."""
    lines = [
        f"messages: precision {report.precision:.3f}  recall {report.recall:.3f}"
        f"  (targets {MIN_PRECISION:.2f} / {MIN_RECALL:.2f})",
        f"confusion: tp={report.tp} fp={report.fp} fn={report.fn} tn={report.tn}",
        "",
        f"{'rule':<26} {'severity':<8} {'tp':>3} {'fp':>3} {'fn':>3} {'prec':>6} {'recall':>6}",
    ]
    for rule in RULES:
        tp, fp, fn = report.rule_tp[rule.id], report.rule_fp[rule.id], report.rule_fn[rule.id]
        prec = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
        rec = f"{tp / (tp + fn):.2f}" if tp + fn else "-"
        lines.append(
            f"{rule.id:<26} {rule.severity.value:<8} {tp:>3} {fp:>3} {fn:>3} {prec:>6} {rec:>6}"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Print the figures; exit 1 when a target is missed."""
    verbose = "-v" in argv
    paths = [a for a in argv if a != "-v"]
    report = evaluate(Path(paths[0]) if paths else DEFAULT_SET)
    print(render(report))
    if verbose and report.mistakes:
        print("\ndisagreements:")
        print("\n".join(f"  {m}" for m in report.mistakes))
    print("\nPASS" if report.passed else "\nFAIL: below target")
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
