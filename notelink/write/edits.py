"""`Edits`: what a write into notes did, or would do (`Vault.link`, `Vault.undo_links`): the diff, the notes
written, those refused and why; as `link --json` prints it."""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Edits:
    """What a write into notes did, or would do: the diff, the notes written, those refused and why."""

    diff: str
    written: list[str]
    refused: list[tuple[str, str]]
    current: int
    """Notes already as they should be, so not written (`--undo`: already as they were before), as block
    export's `current` counts them (`link --json` said `unchanged` for the same count)."""
    preview: str = ""
    """What a user confirms when shown `diff`: pass it as `expect` to write exactly this, or nothing."""
    nothing: str = ""
    """Why there is nothing to do, when there is nothing (`undo_links` with no write to undo); else ""."""
    found: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    """`undo_links`: each note moved or renamed since notelink wrote it, found by what it holds: its path
    then and its path now."""

    @classmethod
    def of(cls, plan: Any, report: Any | None) -> Edits:
        from notelink.write.linker import preview_of
        from notelink.write.notewriter import unified_diff

        refused = report.refused if report is not None else plan.refused
        written = list(dict.fromkeys(report.written)) if report else []  # (undo --all: a note once)
        return cls("".join(unified_diff(c) for c in plan.changes), written,
                   [(r.path, r.reason) for r in refused], plan.current, preview_of(plan),
                   found=list(plan.found.items()))

    @property
    def unchanged(self) -> int:
        """`current`, by its earlier name (kept for the Python API's callers; JSON says `current`)."""
        return self.current

    def to_dict(self) -> dict[str, Any]:
        """As `link --json` prints it: each refusal an object (`path`, `reason`)."""
        data = {k: v for k, v in asdict(self).items() if k != "preview"}
        return {**data, "refused": [{"path": path, "reason": why} for path, why in self.refused],
                "found": [{"path": then, "now": now} for then, now in self.found]}
