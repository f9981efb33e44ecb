"""What an import did, reported to the person who ran it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A row that was not imported, and exactly why (file, line, field)."""

    file: str
    line: int
    reason: str
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where} [{self.field}] {self.reason}" if self.field else f"{where} {self.reason}"


@dataclass(slots=True)
class ImportReport:
    """Counts of what an import wrote, plus every skipped row with its reason."""

    source: str
    people: int = 0
    relationships: int = 0
    interactions: int = 0
    merges: int = 0
    skipped: list[SkippedRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "people": self.people,
            "relationships": self.relationships,
            "interactions": self.interactions,
            "merges": self.merges,
            "skipped": [
                {"file": s.file, "line": s.line, "field": s.field, "reason": s.reason}
                for s in self.skipped
            ],
            "notes": list(self.notes),
        }
