"""What a load may need besides the file (shared by every loader and the registry)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from graph.identity import PersonKeys
from graph.model import Person
from graph.strength import StrengthWeights


@dataclass(frozen=True, slots=True)
class LoadOptions:
    """What a load may need besides the file; each loader uses what applies to it."""

    owner: Person | None = None  # whose data this is: the provenance of its evidence
    existing: Sequence[Person] = ()  # people already in the workspace, for identity resolution
    # When given, the load adds every key it looks a known person up by: ``existing`` may
    # then be only the people those keys name (services.imports.load_resolved).
    asked: PersonKeys | None = None
    people_path: Path | None = None  # edge lists: an optional people file
    progress: Callable[[int], None] | None = None  # rows read so far
    # Mail, calendar and address books (loaders.personal):
    aliases: tuple[str, ...] = ()  # the owner's other email addresses
    weights: StrengthWeights = field(default_factory=StrengthWeights)  # tie thresholds
    now: datetime | None = None  # calendar window anchor; None: the current time
