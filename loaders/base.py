"""The loader interface: how a new data source is added as one module.

A loader turns a file (or folder) into one :class:`~graph.model.ImportBatch`
plus an :class:`~loaders.report.ImportReport`; the caller applies the batch in
one transaction, so a loader never writes anything itself and a failure
(``InvalidInput`` naming file, line and field) leaves the store untouched.

To add a source (a CRM export, another mail format):

1. Write ``loaders/<source>.py`` with pure parsers over text or records and a
   class with ``name``, ``detect`` and ``load`` as below. Give people stable ids
   with :func:`graph.identity.person_id_for` so they meet the same people from
   other sources, and set every ``Evidence.owner`` to the ``owner`` passed in.
2. Add an instance to :data:`LOADERS`.
3. Add crafted good and malformed files under ``tests/data/<source>/``.

>>> [loader.name for loader in LOADERS]
['linkedin', 'edges', 'graphml', 'mbox', 'calendar', 'vcard', 'contacts']
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from graph.model import ImportBatch
from loaders.edges import EdgesLoader
from loaders.graphml import GraphMLLoader
from loaders.linkedin_export import LinkedInLoader
from loaders.options import LoadOptions
from loaders.personal import CalendarLoader, ContactsLoader, MailLoader, VCardLoader
from loaders.report import ImportReport


@runtime_checkable
class Loader(Protocol):
    """One data source.

    Attributes
    ----------
    name : str
        The source's name as the CLI spells it (``warmintro import <name>``).
    """

    name: str

    def detect(self, path: Path) -> bool:
        """Whether ``path`` looks like this source (cheap: reads at most a few KB)."""
        ...

    def load(self, path: Path, options: LoadOptions) -> tuple[ImportBatch, ImportReport]:
        """Parse ``path`` into a batch whose evidence carries the options' owner.

        Raises ``InvalidInput`` rather than returning a partial batch.
        """
        ...


LOADERS: tuple[Loader, ...] = (
    LinkedInLoader(),
    EdgesLoader(),
    GraphMLLoader(),
    MailLoader(),
    CalendarLoader(),
    VCardLoader(),
    ContactsLoader(),
)


def loader_named(name: str) -> Loader:
    """The registered loader called ``name``.

    >>> loader_named("graphml").name
    'graphml'
    """
    for loader in LOADERS:
        if loader.name == name:
            return loader
    raise KeyError(name)


def detect_loader(path: Path) -> Loader | None:
    """The first registered loader that recognises ``path``, if any."""
    return next((loader for loader in LOADERS if loader.detect(path)), None)
