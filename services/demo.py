"""The demo workspace: a team's LinkedIn exports, imported through the real loader.

Only what a team could really upload: four members' exports (2024, 2022 and 2018
formats, overlapping), stars around their owners and nothing else, no file of
ties between contacts. Paths between contacts come from teammate ties and from
colleague ties the planner infers from the companies the exports list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from demo.team_exports import TeamManifest, write_team_exports
from graph.errors import InvalidInput, PersonNotFound
from graph.model import Relationship, Sharing
from services.access import Viewer
from services.imports import ImportKind, ImportRequest, run_import
from services.runtime import Services
from services.settings import Settings

DEMO_WORKSPACE = "demo"
MAIL_CONTACTS = 40  # how many of the requester's contacts her mailbox and calendar mention
DEMO_TODAY = date(2026, 11, 1)  # the generator's "today", fixed so the demo is reproducible
DEMO_SEED = 7


@dataclass(frozen=True, slots=True)
class DemoTarget:
    """A suggested target: who to type on the page (and the company hint, if outside)."""

    case: str  # what the target shows
    name: str  # "" for a role nobody holds in the data
    company: str = ""  # the hint for someone in nobody's data
    title: str = ""
    note: str = ""

    def line(self) -> str:
        who = self.name or f"a {self.title}"
        where = f" at {self.company} (company hint)" if self.company else ""
        return f"  {self.case}: {who}{where} — {self.note}"


@dataclass(frozen=True, slots=True)
class DemoResult:
    workspace: str
    key: str
    member_name: str
    summary: str
    targets: tuple[DemoTarget, ...]


def demo_sharing(team: TeamManifest) -> dict[str, Sharing]:
    """Each member's level: the teammates the planted cases route through share fully.

    The others keep the default (paths), so the demo also shows a teammate whose
    ties carry paths but whose contacts are not browsable.
    """
    full = {team.teammate_contact.teammate, team.weak_direct.teammate, team.requester.name}
    return {m.name: Sharing.FULL if m.name in full else Sharing.PATHS for m in team.members}


def demo_targets(team: TeamManifest) -> tuple[DemoTarget, ...]:
    """The planted cases as a user would try them, requester's view."""
    a, b, c, d = (
        team.teammate_contact,
        team.weak_direct,
        team.inferred_colleague,
        team.outside_target,
    )
    return (
        DemoTarget(
            "a teammate's contact",
            a.person.name,
            note=f"only in {a.teammate}'s export: ask {a.teammate.split()[0]}",
        ),
        DemoTarget(
            "someone you already know",
            b.person.name,
            note=f"a weak direct tie; {b.teammate} knows them much better",
        ),
        DemoTarget(
            "an inferred colleague",
            c.target.name,
            company=c.target.company,
            title=c.target.title,
            note=f"in nobody's data; {c.bridge.name} works at the same company",
        ),
        DemoTarget(
            "someone outside the data",
            "",
            company=d.company,
            title=d.title,
            note=f"nobody holds the role; the team knows {len(d.known)} people there",
        ),
    )


async def _import_mail(
    services: Services, viewer: Viewer, team: TeamManifest, data_dir: Path
) -> list[str]:
    """The requester's Takeout mailbox and calendar over her own LinkedIn contacts (the
    ones she messages most first), imported through the real loaders: the demo's mail
    and meeting evidence and its only ties among contacts (from co-occurrence)."""
    from demo.mail_export import MailContact, mail_contacts, write_mail_export

    owner = await services.planner.resolve(viewer, team.requester.url)
    ties = await services.store.relationships_of(viewer.workspace, owner.id)

    def messages(rel: Relationship) -> int:
        return sum(e.messages_ab + e.messages_ba for e in rel.evidence if e.owner == owner.id)

    ranked = sorted(ties, key=lambda r: (-messages(r), r.b if r.a == owner.id else r.a))
    people = [
        p
        for rel in ranked[:MAIL_CONTACTS]
        if (
            p := await services.store.person(
                viewer.workspace, rel.b if rel.a == owner.id else rel.a
            )
        )
    ]
    address = owner.email or "maya.chen@cloudkite.example"
    contacts = mail_contacts((p.name, p.company, p.email) for p in people)
    now = datetime.combine(DEMO_TODAY, time(12), UTC)
    export = write_mail_export(
        MailContact(owner.name, address), contacts, data_dir / "demo-mail", now=now
    )
    out = []
    for kind, path in ((ImportKind.MBOX, export.mbox), (ImportKind.CALENDAR, export.ics)):
        report = await run_import(
            services.planner,
            viewer,
            ImportRequest(kind, path, owner=owner, aliases=(address,)),
        )
        out.append(
            f"imported {owner.name}'s {kind.value} ({path.name}): {report.people} people, "
            f"{report.relationships} relationships, {report.merges} merges"
        )
    return out


async def build_demo(settings: Settings, *, workspace: str = DEMO_WORKSPACE) -> DemoResult:
    """Generate and import the demo team once; every call prints a fresh member key."""
    services = Services.build(settings)
    try:
        viewer = Viewer(workspace)
        services.appdb.create_workspace(workspace)
        stats = await services.store.stats(workspace)
        lines: list[str] = []
        team = write_team_exports(
            settings.data_dir / "demo-exports", seed=DEMO_SEED, today=DEMO_TODAY
        )
        if stats.people == 0:
            for member in team.members:
                report = await run_import(
                    services.planner, viewer, ImportRequest(ImportKind.LINKEDIN, member.folder)
                )
                lines.append(
                    f"imported {member.name}'s {member.variant} export: {report.people} people, "
                    f"{report.relationships} relationships, {report.merges} merges"
                )
            lines.extend(await _import_mail(services, viewer, team, settings.data_dir))
        sharing = demo_sharing(team)
        for member in team.members:  # idempotent: the levels are set, not toggled
            try:
                person = await services.planner.resolve(viewer, member.url or member.name)
            except PersonNotFound:
                raise InvalidInput(
                    f"the {workspace!r} workspace in {settings.data_dir} holds an older demo "
                    f"without {member.name}; move that data directory away (or set "
                    "WARMINTRO_DATA_DIR to a new one) and run the demo again",
                    field="workspace",
                ) from None
            await services.store.set_sharing(workspace, person.id, sharing[member.name])
        stats = await services.store.stats(workspace)
        lines.append(
            f"demo workspace {workspace!r}: {stats.people} people, {stats.relationships} "
            f"relationships, {stats.interactions} interactions, {stats.members} members "
            "(their LinkedIn exports and the requester's mailbox and calendar; ties "
            "between contacts come only from who shares her threads and meetings)"
        )
        lines.append(
            "members: " + ", ".join(f"{m.name} ({sharing[m.name].value})" for m in team.members)
        )
        requester = await services.planner.resolve(viewer, team.requester.url)
        key = services.appdb.create_key(workspace, requester.id)
        targets = demo_targets(team)
        lines.append(f"try these targets as {requester.name}:")
        lines.extend(t.line() for t in targets)
        return DemoResult(workspace, key, requester.name, "\n".join(lines), targets)
    finally:
        await services.close()
