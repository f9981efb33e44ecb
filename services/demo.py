"""The demo workspace: generated LinkedIn exports imported through the real loaders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.access import Viewer
from services.imports import ImportKind, ImportRequest, run_import
from services.runtime import Services
from services.settings import Settings

DEMO_WORKSPACE = "demo"
DEMO_TODAY = date(2026, 11, 1)  # the generator's "today", fixed so the demo is reproducible


@dataclass(frozen=True, slots=True)
class DemoResult:
    workspace: str
    key: str
    member_name: str
    summary: str


async def build_demo(settings: Settings, *, workspace: str = DEMO_WORKSPACE) -> DemoResult:
    """Generate and import the demo team once; every call prints a fresh member key."""
    from demo.data import write_demo_exports

    services = Services.build(settings)
    try:
        viewer = Viewer(workspace)
        services.appdb.create_workspace(workspace)
        stats = await services.store.stats(workspace)
        lines: list[str] = []
        manifest = write_demo_exports(settings.data_dir / "demo-exports", seed=7, today=DEMO_TODAY)
        if stats.people == 0:
            for folder in manifest.member_dirs:
                report = await run_import(
                    services.planner, viewer, ImportRequest(ImportKind.LINKEDIN, folder)
                )
                lines.append(
                    f"imported {folder.name}: {report.people} people, "
                    f"{report.relationships} relationships, {report.merges} merges"
                )
            report = await run_import(
                services.planner,
                viewer,
                ImportRequest(
                    ImportKind.EDGES, manifest.edges_csv, people_path=manifest.people_csv
                ),
            )
            lines.append(
                f"imported known ties between contacts: {report.relationships} relationships"
            )
        stats = await services.store.stats(workspace)
        lines.append(
            f"demo workspace {workspace!r}: {stats.people} people, {stats.relationships} "
            f"relationships, {stats.interactions} interactions, {stats.members} members"
        )
        member = await services.planner.resolve(viewer, manifest.member_urls[0])
        key = services.appdb.create_key(workspace, member.id)
        lines.append("try these targets:")
        for t in manifest.target_details[:3] or []:
            lines.append(f"  {t.name} — {t.headline}: {t.url}")
        if not manifest.target_details:
            lines.extend(f"  {url}" for url in manifest.targets[:3])
        return DemoResult(workspace, key, member.name, "\n".join(lines))
    finally:
        await services.close()
