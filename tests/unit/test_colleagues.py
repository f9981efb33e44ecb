"""Inferred colleague ties: a bounded-degree rule, and the view's compact record of them."""

from __future__ import annotations

from collections import Counter
from datetime import date

from graph.colleagues import INFERRED_OWNER, colleague_groups
from graph.model import Evidence, Person
from graph.store.base import PlanningView
from graph.store.layers import Implied, Observed, infer_groups
from graph.store.view import build_view
from graph.strength import StrengthWeights

AS_OF = date(2026, 11, 1)


def company(n: int, name: str = "Acme") -> dict[str, Person]:
    return {f"p{i:05}": Person(f"p{i:05}", f"P {i}", company=name) for i in range(n)}


def inferred_pairs(people: dict[str, Person], score: dict[str, float]) -> Implied:
    """The colleague layer when a member ``m`` reaches each person with strength ``score``
    (so everyone is visible to ``m``, ranked by that tie)."""
    ids = ["m", *people]
    index = {pid: i for i, pid in enumerate(ids)}
    observed = Observed.build((0, index[pid], score.get(pid, 0.5), 2, True) for pid in people)
    return infer_groups(
        colleague_groups(people),
        index,
        observed,
        len(ids),
        as_of=AS_OF,
        weights=StrengthWeights(),
    )


def test_a_5000_person_company_adds_a_tree_not_millions_of_ties() -> None:
    people = company(5000)
    ranked = sorted(people)[::-1]  # scored so that p04999 is the best reached
    score = {pid: 0.05 + 0.9 * int(pid[1:]) / 5000 for pid in people}
    implied = inferred_pairs(people, score)
    ids = ["m", *people]
    ties = [(ids[a], ids[b]) for a, b in zip(implied.lo.tolist(), implied.hi.tolist(), strict=True)]
    assert len(ties) == 5000 - 8 + 8 * 7 // 2  # one tie per non-anchor, the anchors' clique
    pairs = set(ties)
    assert len(pairs) == len(ties)
    degree = Counter(end for t in ties for end in t)
    assert max(degree.values()) == 2 * 8 - 1  # no hub for the search to expand
    assert set(degree) == set(people)  # nobody is left out
    for r, pid in enumerate(ranked):
        if r < 8:  # the anchors know each other
            assert all(tuple(sorted((pid, other))) in pairs for other in ranked[:8] if other != pid)
        else:  # everyone else: one better-reached colleague
            senior = ranked[(r - 8) // 8]
            assert tuple(sorted((pid, senior))) in pairs
    assert implied.companies == {"acme": ("Acme", 5000)}
    assert set(implied.mask) == {2}  # as visible as both people: m's bit
    assert len(set(implied.strength.tolist())) == 1  # one strength per company size


def test_small_companies_are_cliques_and_students_and_generic_names_are_skipped() -> None:
    people = {
        **company(4, "Globex Ltd"),
        "s": Person("s", "S", company="Globex", position="PhD Candidate"),
        "f1": Person("f1", "F1", company="Freelance"),
        "f2": Person("f2", "F2", company="freelance"),
    }
    implied = inferred_pairs(people, {})
    ids = ["m", *people]
    ends = {ids[i] for i in [*implied.lo.tolist(), *implied.hi.tolist()]}
    assert len(implied.lo) == 4 * 3 // 2
    assert ends == set(company(4))


def view_of(infer: bool = True) -> PlanningView:
    people = {
        "m": Person("m", "M"),
        "x": Person("x", "X", company="Acme, Inc."),
        "y": Person("y", "Y", company="ACME"),
        "z": Person("z", "Z", company="Acme"),  # seen by nobody: no inferred tie to it
        "w": Person("w", "W", company="Acme"),
    }
    evidence = {
        ("m", "x"): {"m": Evidence("m", rating=0.9)},
        ("m", "y"): {"m": Evidence("m", rating=0.5)},
        ("w", "x"): {"m": Evidence("m", rating=0.4)},
    }
    return build_view(
        people,
        evidence,
        ["m"],
        as_of=AS_OF,
        weights=StrengthWeights(),
        details=people,
        infer_colleagues=infer,
    )


def test_the_view_recognises_inferred_ties_without_storing_each() -> None:
    view = view_of()
    g = view.graph
    implied = view.implied
    assert g.strength("x", "y") is not None and g.strength("w", "y") is not None
    assert g.strength("x", "z") is None  # z has no observed tie: nobody may see it
    ev = implied[("x", "y")][INFERRED_OWNER]
    assert (ev.colleague_company, ev.colleague_size) == ("Acme", 4)  # as w spells it
    assert ("w", "x") not in implied  # observed, never inferred
    assert ("m", "x") not in implied and ("x", "z") not in implied
    assert sorted(implied) == [("w", "y"), ("x", "y")]
    assert len(implied) == 2
    rel = view.relationship("y", "w")
    assert rel is not None and [e.owner for e in rel.evidence] == [INFERRED_OWNER]
    # An inferred tie is only as visible as both people: here both came from m's data.
    assert g.mask("x", "y") == view.owner_bits["m"]


def test_the_workspace_switch_turns_inference_off() -> None:
    view = view_of(infer=False)
    assert not view.options.infer_colleagues
    assert view.graph.strength("x", "y") is None
    assert dict(view.implied) == {}
