"""Evaluate the outreach linter on labelled batches, one line per batch.

A message is predicted bad when any finding is an error or a warning. For each
file given (JSONL, one ``{"id", "text", "label": "good"|"bad"}`` per line) this
prints precision and recall on the bad class with the confusion counts, and
exits 1 when any batch misses the targets (precision 0.90, recall 0.85).

Usage::

    .venv/bin/python scripts/eval_lint.py [FILE.jsonl ...] [-v]   # default: every shipped set
    .venv/bin/python scripts/eval_lint.py --cv                    # leave-one-batch-out

``-v`` lists every disagreement with the rules that fired. ``--cv`` retrains
the model three times, each time without one of ``tests/data/lint_corpus/w1-w3``,
and scores the batch it left out (about ten seconds). Scores on files the
committed model was trained on are in-sample: an upper bound, not a forecast.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from outreach.lint import RULES, lint_outreach  # noqa: E402
from outreach.lint_train import BATCHES, EXTRA, Score, cross_validate, load  # noqa: E402

MIN_PRECISION = 0.90
MIN_RECALL = 0.85
DEFAULT_SETS: tuple[Path, ...] = BATCHES + EXTRA


def evaluate(path: Path, *, verbose: bool = False) -> Score:
    """Lint every message in ``path`` and count agreements with its labels."""
    score = Score(path.stem)
    for example in load(path):
        result = lint_outreach(example.text)
        predicted_bad = not result.clean
        before = len(score.mistakes)
        score.add(example, predicted_bad)
        if verbose and len(score.mistakes) > before:
            fired = sorted(result.rules) or ["-"]
            score.mistakes[-1] += f" (score {result.score:.2f}; rules {', '.join(fired)})"
    return score


def passed(score: Score) -> bool:
    return score.precision >= MIN_PRECISION and score.recall >= MIN_RECALL


def render(scores: list[Score], *, verbose: bool = False) -> str:
    """One line per batch, a total when there are several, and the disagreements on ``-v``."""
    lines = [s.line() + ("" if passed(s) else "  << below target") for s in scores]
    if len(scores) > 1:
        total = Score("total (pooled)")
        for s in scores:
            total.tp, total.fp = total.tp + s.tp, total.fp + s.fp
            total.fn, total.tn = total.fn + s.fn, total.tn + s.tn
        lines.append(total.line())
    lines.append(f"targets: precision >= {MIN_PRECISION:.2f}, recall >= {MIN_RECALL:.2f} per batch")
    if verbose:
        for s in scores:
            if s.mistakes:
                lines.append(f"\ndisagreements in {s.name}:")
                lines.extend(f"  {m}" for m in s.mistakes)
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Print the figures; exit 1 when a batch misses a target (2 on a bad argument)."""
    verbose = "-v" in argv
    if "--cv" in argv:
        print("leave-one-batch-out (train on the other batches and the older sets):")
        scores = cross_validate()
    else:
        paths = [Path(a) for a in argv if not a.startswith("-")] or list(DEFAULT_SETS)
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            print(f"no such file: {', '.join(missing)}", file=sys.stderr)
            return 2
        scores = [evaluate(p, verbose=verbose) for p in paths]
    print(render(scores, verbose=verbose))
    if verbose:
        print(f"\n{len(RULES)} rules; see docs/linter.md")
    ok = all(passed(s) for s in scores)
    print("PASS" if ok else "FAIL: below target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
