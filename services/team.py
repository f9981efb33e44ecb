"""Members, their sharing levels and the workspace's API keys."""

from __future__ import annotations

from dataclasses import dataclass

from graph.errors import InvalidInput
from graph.model import Person, Sharing
from graph.store.base import ViewOptions
from services.access import Viewer, check_admin, check_set_sharing
from services.appdb import AppDB, KeyInfo
from services.planner import Planner


@dataclass(frozen=True, slots=True)
class MemberView:
    person: Person
    sharing: Sharing


class Team:
    """Who is in the workspace and how much each shares; keys are an admin's business."""

    def __init__(self, planner: Planner, appdb: AppDB) -> None:
        self.planner = planner
        self.appdb = appdb

    async def members(self, viewer: Viewer) -> list[MemberView]:
        """Every member with their level: membership is visible to every member."""
        ws = viewer.workspace
        out = []
        for m in await self.planner.store.members(ws):
            person = await self.planner.store.person(ws, m.person_id)
            out.append(MemberView(person or Person(m.person_id, m.person_id), m.sharing))
        return sorted(out, key=lambda v: (v.person.name.casefold(), v.person.id))

    async def set_sharing(self, viewer: Viewer, member_ref: str | None, level: str) -> MemberView:
        """Set a member's level: members their own, admins anyone's."""
        try:
            sharing = Sharing(level.strip().lower())
        except ValueError:
            raise InvalidInput(
                f"sharing is private, paths or full, got {level!r}", field="level"
            ) from None
        ref = member_ref or viewer.member
        if not ref:
            raise InvalidInput("name the member whose sharing to set", field="member")
        person = await self.planner.resolve(viewer, ref, browse=True)
        members = {m.person_id for m in await self.planner.store.members(viewer.workspace)}
        if person.id not in members:
            raise InvalidInput(f"{person.name} is not a member of this workspace", field="member")
        check_set_sharing(viewer, person.id)
        await self.planner.store.set_sharing(viewer.workspace, person.id, sharing)
        viewer.memo.clear()  # the rules changed: read them again
        return MemberView(person, sharing)

    def keys(self, viewer: Viewer) -> list[KeyInfo]:
        check_admin(viewer, "list API keys")
        return self.appdb.keys(viewer.workspace)

    def revoke_key(self, viewer: Viewer, prefix: str) -> int:
        check_admin(viewer, "revoke API keys")
        revoked = self.appdb.revoke_key(viewer.workspace, prefix.strip())
        if not revoked:
            raise InvalidInput(f"no live key starts with {prefix!r}", field="prefix")
        return revoked

    def options(self, viewer: Viewer) -> ViewOptions:
        """The workspace's switches: every member may see them (they shape answers)."""
        return self.appdb.view_options(viewer.workspace)

    def set_options(self, viewer: Viewer, *, infer_colleagues: bool) -> ViewOptions:
        """Switch inferred colleague ties on or off for the workspace (admins only).

        Stored in the app database, which the store reads whenever it checks its
        cached planning view: the next query plans on a view built the new way.
        """
        check_admin(viewer, "change the workspace's options")
        options = ViewOptions(infer_colleagues=infer_colleagues)
        self.appdb.set_view_options(viewer.workspace, options)
        return options
