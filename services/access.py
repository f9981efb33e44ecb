"""Who may do what in a workspace: the rules every edge (API, CLI) goes through.

A key's member acts for themselves; an admin key, and the local operator running
the CLI on their own data dir (``Viewer.member`` None), act for the workspace.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.errors import Forbidden


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is asking: a workspace and, for API keys, the member behind the key.

    ``member`` None means the local operator (CLI on their own data dir), who
    sees everything in the workspace.
    """

    workspace: str
    member: str | None = None


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
