"""The linter's decision: act and context cues plus words, weighed by a trained model.

:func:`featurize` turns a message into sparse binary features:

* ``act:<cue>`` and ``ctx:<cue>`` — which act and context cues fired
  (:mod:`outreach.lint_acts`);
* ``<state>:<family>`` — each act family (pitch, ask, pressure, ...) crossed with
  the strongest context around it: ``lic`` (the recipient asked, an existing
  customer/vendor or colleague relationship, a double opt-in), ``warm`` (a
  shared past, a meeting, a reference to what they said) or ``cold``. This is
  what lets the same offer count against a stranger's connection note and not
  against a quote the recipient requested;
* ``w:<word>`` and ``b:<word pair>`` — content words and word pairs (function
  words dropped), so phrasing the cues do not list still counts.

A :class:`LintModel` is a logistic regression over those features, trained by
``scripts/train_lint.py`` (deterministic, pure Python) and stored as JSON
next to this module (``lint_model.json``). Scoring is a dictionary lookup per
feature: well under a millisecond per message once the cues have run.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from outreach.lint_acts import ACTS, CUES_BY_ID, Kind, Span, detect, fold

MODEL_PATH = Path(__file__).with_name("lint_model.json")

# Strong context: the recipient asked, an existing business relationship (either way round),
# colleagues, a double opt-in.
LICENSING = ("ctx.asked", "ctx.existing", "ctx.opt_in", "ctx.colleague", "ctx.buyer")
# Weaker context: a shared past, a meeting, a reference to something they said or did, a
# forwardable note (which is not yet an opt-in: the introducer still has to ask first).
WARM = ("ctx.tie", "ctx.ref", "ctx.met", "ctx.blurb")

FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(cue.id.split(".")[0] for cue in ACTS))

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+|[$€£₦₹%?!]")
_URL = re.compile(r"https?://\S+|\b[\w-]+\.(?:com|app|au|co|ly|io|org|net|uk)\b\S*")
# Function words carry style, not acts; pronouns ("our", "you") are kept on purpose.
_STOP = frozenset(
    (
        "the", "a", "an", "of", "in", "on", "at", "to", "for", "and", "or", "but", "is", "are",
        "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those",
        "with", "from", "by", "as", "so", "than", "then", "there", "here", "into", "over", "about",
    )
)  # fmt: skip


def family(cue_id: str) -> str:
    """``pitch.offer`` -> ``pitch``; context cues keep their full id."""
    return cue_id.split(".", maxsplit=1)[0]


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens with numbers folded to ``<num>`` and links to ``url``."""
    norm = _URL.sub(" url ", fold(text).lower())
    return ["<num>" if t.isdigit() else t for t in _TOKEN.findall(norm)]


def context_state(hits: Mapping[str, list[Span]]) -> str:
    """``lic``, ``warm`` or ``cold``: the strongest context the message establishes."""
    if any(c in hits for c in LICENSING):
        return "lic"
    if any(c in hits for c in WARM):
        return "warm"
    return "cold"


def featurize(text: str, hits: Mapping[str, list[Span]] | None = None) -> list[str]:
    """The sorted, de-duplicated feature names of ``text`` (see the module docstring).

    >>> feats = featurize("Thanks for connecting! Can I send you our pricing?")
    >>> [f for f in feats if f.startswith(("act:", "cold:", "ctx:"))]
    ['act:pitch.cta', 'act:pitch.price', 'cold:pitch', 'ctx:ctx.gratitude', 'ctx:ctx.stranger']
    """
    found = detect(text) if hits is None else hits
    feats: set[str] = set()
    families: set[str] = set()
    for cue_id in found:
        cue = CUES_BY_ID[cue_id]
        if cue.kind is Kind.ACT:
            feats.add(f"act:{cue_id}")
            families.add(family(cue_id))
        else:
            feats.add(f"ctx:{cue_id}")
    state = context_state(found)
    for fam in families:
        feats.add(f"{state}:{fam}")
        if "ctx.stranger" in found:
            feats.add(f"stranger:{fam}")
    feats.add(f"acts:{min(len(families), 3)}")
    words = [t for t in tokens(text) if t not in _STOP]
    feats.update(f"w:{w}" for w in words)
    feats.update(f"b:{a} {b}" for a, b in pairwise(words))
    return sorted(feats)


@dataclass(frozen=True)
class LintModel:
    """A logistic regression over :func:`featurize` features.

    ``threshold`` is on the probability scale: a message whose probability of
    being bad is at least ``threshold`` is judged bad.
    """

    weights: Mapping[str, float]
    bias: float
    threshold: float = 0.5
    meta: Mapping[str, object] = field(default_factory=dict)

    def margin(self, feats: Iterable[str]) -> float:
        """The log-odds that the message is bad."""
        return self.bias + sum(self.weights.get(f, 0.0) for f in feats)

    def probability(self, feats: Iterable[str]) -> float:
        """The probability that the message is bad."""
        z = self.margin(feats)
        return 1.0 / (1.0 + math.exp(-z)) if z > -50 else 0.0

    def contributions(self, feats: Iterable[str]) -> dict[str, float]:
        """Each present feature's weight (features the model does not know are left out)."""
        return {f: self.weights[f] for f in feats if f in self.weights}

    def to_json(self) -> str:
        """The model as stable JSON (sorted keys, rounded weights, zero weights dropped)."""
        payload = {
            "meta": dict(self.meta),
            "threshold": round(self.threshold, 6),
            "bias": round(self.bias, 6),
            "weights": {k: round(v, 6) for k, v in sorted(self.weights.items()) if round(v, 6)},
        }
        return json.dumps(payload, indent=0, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> LintModel:
        """Read what :meth:`to_json` wrote."""
        payload = json.loads(text)
        weights = {str(k): float(v) for k, v in payload["weights"].items()}
        return cls(
            weights=weights,
            bias=float(payload["bias"]),
            threshold=float(payload["threshold"]),
            meta=dict(payload.get("meta", {})),
        )

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> LintModel:
        """The committed model; a missing file is an installation error worth failing on."""
        return cls.from_json(path.read_text(encoding="utf-8"))
