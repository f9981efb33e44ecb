"""Plain-dict renderings of service results, shared by the CLI's --json and exports.

The shapes are the interface contract in docs/concepts.md; keep names stable.
"""

from __future__ import annotations

from typing import Any

from graph.errors import NoPath
from graph.intro import IntroRequest
from graph.model import Person
from graph.paths import IntroducerView, PathView
from graph.store.base import Stats
from outreach.lint import LintResult
from services.outreach import DraftView


def person_dict(p: Person) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "company": p.company,
        "position": p.position,
        "url": p.url,
    }


def path_dict(path: PathView) -> dict[str, Any]:
    return {
        "found": True,
        "probability": path.probability,
        "hops": path.hops,
        "people": [person_dict(p) for p in path.people],
        "steps": [
            {"from": s.source, "to": s.target, "strength": s.strength, "evidence": list(s.evidence)}
            for s in path.steps
        ],
    }


def no_path_dict(err: NoPath) -> dict[str, Any]:
    return {"found": False, "reason": err.reason.value, "message": str(err)}


def introducers_dict(items: list[IntroducerView]) -> dict[str, Any]:
    return {
        "introducers": [
            {
                "person": person_dict(i.person),
                "score": i.score,
                "pathProbability": i.path_probability,
                "reasons": list(i.reasons),
                "path": path_dict(i.path),
            }
            for i in items
        ]
    }


def stats_dict(s: Stats) -> dict[str, Any]:
    return {
        "people": s.people,
        "relationships": s.relationships,
        "interactions": s.interactions,
        "members": s.members,
        "merges": s.merges,
    }


def path_text(path: PathView) -> str:
    """A person-readable path: one line per person, evidence under each step."""
    lines = [f"probability {path.probability:.3f} over {path.hops} hop(s)"]
    for i, person in enumerate(path.people):
        role = ", ".join(x for x in (person.position, person.company) if x)
        lines.append(f"  {person.name}{f' ({role})' if role else ''}  [{person.id}]")
        if i < len(path.steps):
            step = path.steps[i]
            lines.append(f"     | strength {step.strength:.2f}: {'; '.join(step.evidence)}")
    return "\n".join(lines)


def intro_dict(r: IntroRequest) -> dict[str, Any]:
    return {
        "id": r.id,
        "status": r.status.value,
        "requester": r.requester,
        "introducer": r.introducer,
        "target": r.target,
        "goal": r.goal,
        "createdAt": r.created_at.isoformat(),
        "updatedAt": r.updated_at.isoformat(),
        "askedAt": r.asked_at.isoformat() if r.asked_at else None,
    }


def lint_dict(result: LintResult) -> dict[str, Any]:
    return {
        "clean": result.clean,
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity.value,
                "start": f.start,
                "end": f.end,
                "excerpt": f.excerpt,
                "explanation": f.explanation,
                "suggestion": f.suggestion,
            }
            for f in result.findings
        ],
    }


def draft_dict(view: DraftView) -> dict[str, Any]:
    d = view.draft
    return {
        "subject": d.subject,
        "ask": d.ask,
        "blurb": d.blurb,
        "requester": person_dict(view.requester),
        "introducer": person_dict(view.introducer),
        "target": person_dict(view.target),
        "followUp": {
            "afterDays": d.follow_up.after_days,
            "sendOn": d.follow_up.send_on.isoformat(),
            "maxNudges": d.follow_up.max_nudges,
            "toTarget": d.follow_up.to_target,
            "text": d.follow_up.text,
            "policy": d.follow_up.policy,
        },
        "sentences": [{"sentence": s, "evidence": list(ev)} for s, ev in d.sentences],
        "lint": {
            "clean": d.lint.ask.clean and d.lint.blurb.clean,
            "ask": lint_dict(d.lint.ask),
            "blurb": lint_dict(d.lint.blurb),
            "findings": lint_dict(d.lint.ask)["findings"],
        },
    }
