"""Training and honest evaluation of the linter's model (used by ``scripts/train_lint.py``).

Pure Python and deterministic: features are indexed in sorted order, every sum
runs in a fixed order, and the optimiser (full-batch Adam on the L2-regularised
logistic loss) has no randomness, so the same data always gives the same
weights to the last bit. Nothing here runs when a message is linted.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from outreach.lint_model import LintModel, featurize

if TYPE_CHECKING:
    from outreach.lint import Linter

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
# The independently written batches, scored one at a time in leave-one-batch-out.
BATCHES: tuple[Path, ...] = tuple(DATA / "lint_corpus" / f"w{i}.jsonl" for i in (1, 2, 3))
# Older sets that are always training data (written before the batches, or by us).
EXTRA: tuple[Path, ...] = (
    DATA / "heldout" / "round2_a.jsonl",
    DATA / "heldout" / "round2_b.jsonl",
    DATA / "outreach_eval.jsonl",
)

L2 = 3.0  # regularisation strength (sum over examples, like sklearn's 1/C)
ITERATIONS = 300
LEARNING_RATE = 0.1
MIN_COUNT = 2  # a word feature must occur in this many training messages to be kept
THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled message."""

    id: str
    text: str
    bad: bool


def load(path: Path) -> list[Example]:
    """A JSONL set: one object per line with ``id``, ``text`` and ``label`` (good/bad)."""
    rows: list[Example] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SystemExit(f"{path}:{number}: not JSON: {exc}") from exc
        label = row.get("label")
        if label not in {"good", "bad"}:
            raise SystemExit(f"{path}:{number}: label must be 'good' or 'bad'")
        rows.append(
            Example(str(row.get("id", f"{path.stem}-{number}")), str(row["text"]), label == "bad")
        )
    return rows


def _keep(feature: str, counts: Counter[str]) -> bool:
    return not feature.startswith(("w:", "b:")) or counts[feature] >= MIN_COUNT


def train(
    examples: Sequence[Example],
    *,
    l2: float = L2,
    iterations: int = ITERATIONS,
    learning_rate: float = LEARNING_RATE,
    threshold: float = THRESHOLD,
    featurizer: Callable[[str], list[str]] = featurize,
) -> LintModel:
    """Fit the logistic regression on ``examples``; deterministic for the same input."""
    docs = [featurizer(e.text) for e in examples]
    counts: Counter[str] = Counter(f for doc in docs for f in doc)
    vocab = sorted(f for f in counts if _keep(f, counts))
    index = {f: i for i, f in enumerate(vocab)}
    rows = [[index[f] for f in doc if f in index] for doc in docs]
    labels = [1.0 if e.bad else 0.0 for e in examples]
    n, dim = len(rows), len(vocab)
    w = [0.0] * dim
    m = [0.0] * dim
    v = [0.0] * dim
    b = mb = vb = 0.0
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, iterations + 1):
        grad = [0.0] * dim
        gb = 0.0
        for row, y in zip(rows, labels, strict=True):
            z = b + sum(w[i] for i in row)
            p = 1.0 / (1.0 + math.exp(-z)) if z > -50 else 0.0
            d = p - y
            gb += d
            for i in row:
                grad[i] += d
        c1, c2 = 1 - beta1**step, 1 - beta2**step
        for i in range(dim):
            g = (grad[i] + l2 * w[i]) / n
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            w[i] -= learning_rate * (m[i] / c1) / (math.sqrt(v[i] / c2) + eps)
        gb /= n
        mb = beta1 * mb + (1 - beta1) * gb
        vb = beta2 * vb + (1 - beta2) * gb * gb
        b -= learning_rate * (mb / c1) / (math.sqrt(vb / c2) + eps)
    weights = {f: w[i] for f, i in index.items()}
    meta: dict[str, object] = {
        "examples": n,
        "bad": int(sum(labels)),
        "features": dim,
        "l2": l2,
        "iterations": iterations,
        "learning_rate": learning_rate,
        "min_count": MIN_COUNT,
    }
    return LintModel(weights=weights, bias=b, threshold=threshold, meta=meta)


@dataclass
class Score:
    """Confusion counts for one batch; ``bad`` is the positive class."""

    name: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    mistakes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, example: Example, predicted_bad: bool) -> None:
        if example.bad and predicted_bad:
            self.tp += 1
        elif example.bad:
            self.fn += 1
            self.mistakes.append(f"{example.id} [bad] passed as clean")
        elif predicted_bad:
            self.fp += 1
            self.mistakes.append(f"{example.id} [good] flagged")
        else:
            self.tn += 1

    def line(self) -> str:
        return (
            f"{self.name:<24} precision {self.precision:.3f}  recall {self.recall:.3f}  "
            f"tp={self.tp} fp={self.fp} fn={self.fn} tn={self.tn}"
        )


def training_set(exclude: Path | None = None) -> list[Example]:
    """Every shipped example except the batch ``exclude`` (the one being scored)."""
    paths = [p for p in BATCHES if p != exclude] + list(EXTRA)
    return [e for p in paths for e in load(p)]


def cross_validate(*, l2: float = L2, iterations: int = ITERATIONS) -> list[Score]:
    """Leave one batch out: train on the other batches plus the older sets, score the third.

    Only the trained weights are refitted per fold: the act and context cues were
    written by reading the batches, so these figures are an upper bound on what
    an unseen writer will get (docs/linter.md, "How good it is").
    """
    from outreach.lint import Linter

    scores: list[Score] = []
    for held in BATCHES:
        linter = Linter(train(training_set(exclude=held), l2=l2, iterations=iterations))
        scores.append(evaluate(linter, held))
    return scores


def evaluate(linter: Linter, path: Path) -> Score:
    """The full linter verdict (model plus fixed markers) on every message in ``path``."""
    score = Score(path.stem)
    for example in load(path):
        score.add(example, not linter.lint(example.text).clean)
    return score
