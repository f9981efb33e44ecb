"""Train the outreach linter's model and write it to ``outreach/lint_model.json``.

Deterministic: the same corpus gives byte-identical weights (pure Python, fixed
order, no randomness). The training data is every shipped labelled set:
``tests/data/lint_corpus/w1-w3.jsonl``, ``tests/data/heldout/round2_{a,b}.jsonl``
and ``tests/data/outreach_eval.jsonl``.

Usage::

    .venv/bin/python scripts/train_lint.py           # retrain and write the model
    .venv/bin/python scripts/train_lint.py --check   # exit 1 if the committed model is stale
    .venv/bin/python scripts/train_lint.py --cv      # leave-one-batch-out figures
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from outreach.lint_model import MODEL_PATH  # noqa: E402
from outreach.lint_train import cross_validate, train, training_set  # noqa: E402


def main(argv: list[str]) -> int:
    """Train (default), check the committed model (``--check``) or cross-validate (``--cv``)."""
    if "--cv" in argv:
        for score in cross_validate():
            print(score.line())
        return 0
    started = time.perf_counter()
    model = train(training_set())
    payload = model.to_json()
    if "--check" in argv:
        current = MODEL_PATH.read_text(encoding="utf-8") if MODEL_PATH.exists() else ""
        if current != payload:
            print(f"{MODEL_PATH} is stale: run scripts/train_lint.py")
            return 1
        print(f"{MODEL_PATH} is up to date")
        return 0
    MODEL_PATH.write_text(payload, encoding="utf-8")
    print(
        f"wrote {MODEL_PATH.relative_to(ROOT)}: {model.meta['examples']} examples, "
        f"{len(model.weights)} features, {time.perf_counter() - started:.1f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
