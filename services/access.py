"""Who may do what in a workspace: the rules every edge (API, CLI) goes through.

A key's member acts for themselves; an admin key, and the local operator running
the CLI on their own data dir (``Viewer.member`` None), act for the workspace.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from graph.errors import Forbidden
from graph.model import Sharing

OwnerFilter = Callable[[str], bool]
"""Whether evidence from this owner may be used for the viewer at hand."""


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is asking: a workspace and, for API keys, the member behind the key.

    ``member`` None means the local operator (CLI on their own data dir), who
    sees everything in the workspace.
    """

    workspace: str
    member: str | None = None
    # The request's access policy, read once (see Planner.policy); never compared.
    memo: dict[str, AccessPolicy] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )


@dataclass(frozen=True, slots=True)
class AccessPolicy:
    """Whose evidence a viewer may use, from the members' sharing levels.

    Read once per request and consulted by every service read and write, so one
    request never mixes two versions of the rules. Evidence from non-members
    (generic files, the admin's API writes) is the workspace's and usable by all;
    a member's own evidence is theirs; another member's follows their level:
    ``full`` may be browsed, ``paths`` only routed through, ``private`` neither.
    An admin (``member`` None) uses everything.
    """

    member: str | None
    sharing: Mapping[str, Sharing]

    @property
    def admin(self) -> bool:
        return self.member is None

    def is_member(self, person_id: str) -> bool:
        return person_id in self.sharing

    def usable(self, *, browse: bool) -> OwnerFilter | None:
        """Whose evidence the viewer may use (None: anyone's)."""
        if self.member is None:
            return None
        levels = {Sharing.FULL} if browse else {Sharing.FULL, Sharing.PATHS}
        member, sharing = self.member, self.sharing

        def ok(owner: str) -> bool:
            return owner == member or owner not in sharing or sharing[owner] in levels

        return ok

    def members_usable(self, *, browse: bool) -> set[str]:
        """The members whose evidence the viewer may use (for planning-view masks)."""
        ok = self.usable(browse=browse)
        return {m for m in self.sharing if ok is None or ok(m)}


def shadow_id(person_id: str, viewer: Viewer) -> str:
    """The id a member's upload gives someone whose own id is held by a person the
    member may not see: the upload gets its own node, the hidden one stays untouched.

    >>> shadow_id("li:x", Viewer("w", "li:me"))
    'li:x~a0caffa8'
    """
    tag = hashlib.sha256(f"{viewer.workspace}\0{viewer.member}".encode()).hexdigest()[:8]
    return f"{person_id}~{tag}"


def import_owner_ref(viewer: Viewer, owner_ref: str | None) -> str | None:
    """Whose data an import is: members may import only their own.

    >>> import_owner_ref(Viewer("w", "li:maya"), None)
    'li:maya'
    >>> import_owner_ref(Viewer("w"), "li:omar")
    'li:omar'
    """
    if viewer.member is not None and owner_ref not in (None, viewer.member):
        raise Forbidden("members may import only their own export")
    return owner_ref or viewer.member


def check_erase(viewer: Viewer, person_id: str) -> None:
    """Members may erase only themselves; admins and the operator anyone."""
    if viewer.member is not None and person_id != viewer.member:
        raise Forbidden("members may erase only themselves; ask a workspace admin")


def check_set_sharing(viewer: Viewer, person_id: str) -> None:
    """A member may set only their own sharing level; admins anyone's."""
    if viewer.member is not None and person_id != viewer.member:
        raise Forbidden("members may set only their own sharing level; ask a workspace admin")


def check_admin(viewer: Viewer, what: str) -> None:
    """Keys and other members' settings are a workspace admin's."""
    if viewer.member is not None:
        raise Forbidden(f"only a workspace admin may {what}")
