"""Plain-dict renderings of service results, shared by the CLI's --json and exports.

The shapes are the interface contract in docs/concepts.md; keep names stable.
"""

from __future__ import annotations

from typing import Any

from graph.errors import NoPath
from graph.intro import IntroRequest
from graph.model import Person
from graph.paths import DirectTie, IntroducerList, PathView
from graph.store.base import Stats
from outreach.lint import LintResult
from services.appdb import KeyInfo
from services.outreach import DraftView
from services.team import MemberView


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
        "requester": person_dict(path.requester),
        "people": [person_dict(p) for p in path.people],
        "steps": [
            {
                "from": s.source,
                "to": s.target,
                "strength": s.strength,
                "evidence": list(s.evidence),
                "sources": list(s.sources),
                "inferred": s.inferred,
            }
            for s in path.steps
        ],
    }


def direct_dict(d: DirectTie | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {
        "person": person_dict(d.person),
        "requester": person_dict(d.requester),
        "strength": d.strength,
        "evidence": list(d.evidence),
        "sources": list(d.sources),
    }


def no_path_dict(err: NoPath) -> dict[str, Any]:
    return {"found": False, "reason": err.reason.value, "message": str(err)}


def introducers_dict(found: IntroducerList) -> dict[str, Any]:
    return {
        "direct": direct_dict(found.direct),
        "introducers": [
            {
                "person": person_dict(i.person),
                "score": i.score,
                "pathProbability": i.path_probability,
                "reasons": list(i.reasons),
                "path": path_dict(i.path),
                "via": via(i.path),
            }
            for i in found.introducers
        ],
    }


def via(path: PathView) -> str:
    """Whose network a route comes from: the members whose data shows its last tie,
    else the member it starts from."""
    last = path.steps[-1] if path.steps else None
    names = [n for n in (last.sources if last else ()) if not n.startswith("file:")]
    return ", ".join(names) if names else path.requester.name


def reach_dict(path: PathView) -> dict[str, Any]:
    return {**path_dict(path), "person": person_dict(path.people[-1]), "via": via(path)}


def reach_text(path: PathView) -> str:
    t = path.people[-1]
    role = ", ".join(x for x in (t.position, t.company) if x)
    hops = f"{path.hops} hop" + ("s" if path.hops != 1 else "")
    return (
        f"{path.probability:>4.0%}  {t.name} ({role}) [{t.id}]  {hops}, via {via(path)}'s network"
    )


def introducers_text(found: IntroducerList) -> str:
    """Who to ask, saying whose network each route comes from."""
    lines: list[str] = []
    d = found.direct
    if d is not None:
        who = d.requester.name
        lines.append(
            f"{who} already knows {d.person.name} [{d.person.id}] directly ({d.strength:.0%}): "
            + "; ".join(d.evidence)
        )
        if found.introducers:
            lines.append("warmer routes:")
    elif not found.introducers:
        lines.append(
            "nobody in your network can introduce you within the hop limit; "
            "try --max-hops 4, or `warmintro reach --company` for people at their company"
        )
    for i, item in enumerate(found.introducers, 1):
        lines.append(
            f"{i}. {item.person.name} [{item.person.id}] — {item.path_probability:.0%} "
            f"(via {via(item.path)}'s network)"
        )
        lines.extend(f"     {reason}" for reason in item.reasons)
    return "\n".join(lines)


def member_dict(m: MemberView) -> dict[str, Any]:
    return {"person": person_dict(m.person), "sharing": m.sharing.value}


def key_dict(k: KeyInfo) -> dict[str, Any]:
    return {
        "prefix": k.prefix,
        "member": k.member,
        "createdAt": k.created_at.isoformat(),
        "revokedAt": k.revoked_at.isoformat() if k.revoked_at else None,
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
    hops = f"{path.hops} hop" + ("s" if path.hops != 1 else "")
    lines = [f"{path.probability:.0%} over {hops}, from {path.requester.name}"]
    for i, person in enumerate(path.people):
        role = ", ".join(x for x in (person.position, person.company) if x)
        lines.append(f"  {person.name}{f' ({role})' if role else ''}  [{person.id}]")
        if i < len(path.steps):
            step = path.steps[i]
            kind = "inferred " if step.inferred else ""
            via = f" (via {', '.join(step.sources)})" if step.sources else ""
            lines.append(f"     | {kind}tie {step.strength:.0%}{via}: {'; '.join(step.evidence)}")
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


def draft_text(view: DraftView) -> str:
    """The draft as a person reads it: who it goes to, the text, what the linter says."""
    d = view.draft
    if view.kind == "direct":
        head = f"You already know {view.target.name}: a direct note, no introducer needed."
    elif view.next_hop is not None:
        head = (
            f"The first step towards {view.target.name}: an intro request to "
            f"{view.introducer.name}, who knows {view.next_hop.name} "
            f"(connected to {view.target.name})."
        )
    else:
        head = f"An intro request to {view.introducer.name}, who knows {view.target.name}."
    lines = [head, f"To: {view.introducer.name}   Subject: {d.subject}", "", d.ask, ""]
    if d.blurb:
        lines += ["--- forwardable blurb ---", d.blurb, ""]
    lines.append(f"follow-up: {d.follow_up.text}")
    findings = [*d.lint.ask.findings, *d.lint.blurb.findings]
    if not findings:
        lines.append("lint: clean")
    else:
        lines.append(f"lint: {len(findings)} finding" + ("s" if len(findings) != 1 else ""))
        lines.extend(f"  - {f.rule} ({f.excerpt!r}): {f.explanation}" for f in findings)
    if view.alternative is not None:
        alt = view.alternative
        lines += [
            "",
            f"=== a warmer route: {alt.introducer.name} knows {view.target.name} much better ===",
            draft_text(alt),
        ]
    return "\n".join(lines)


def draft_dict(view: DraftView) -> dict[str, Any]:
    d = view.draft
    return {
        "kind": view.kind,
        "subject": d.subject,
        "ask": d.ask,
        "blurb": d.blurb,
        "requester": person_dict(view.requester),
        "introducer": person_dict(view.introducer),
        "target": person_dict(view.target),
        "nextHop": None if view.next_hop is None else person_dict(view.next_hop),
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
        "alternative": None if view.alternative is None else draft_dict(view.alternative),
    }
