"""Notes caught mid-save: an editor that saves by truncating, or by removing and renaming, leaves a note
empty or missing for a moment; the watcher holds such a note back (up to `WatchConfig.settle`) rather than
index the moment between."""

from __future__ import annotations

import os
import time
from pathlib import Path


class Unsettled:
    """The notes of a vault seen empty or missing, with when each was first seen so."""

    def __init__(self, vault: Path, settle: float) -> None:
        self.vault, self.settle = vault, settle
        self.first_seen: dict[str, float] = {}  # note path -> when first seen empty or missing (monotonic)

    def held(self, batch: list[str]) -> list[str]:
        """Notes that look mid-save (empty or missing) for less than the settle time. A note keeps the time
        it was first seen so until its batch goes on: forgetting it while another note of the batch was
        still held made the two hold each other back forever (a moved folder was never indexed)."""
        now, held = time.monotonic(), []
        for rel in batch:
            if rel.endswith("/"):
                continue
            if not self._empty(rel):
                self.first_seen.pop(rel, None)
            elif now - self.first_seen.setdefault(rel, now) < self.settle:
                held.append(rel)
        if not held:
            for rel in batch:
                self.first_seen.pop(rel, None)
        return held

    def until(self, held: list[str]) -> float:
        """When the earliest of the `held` notes has had its settle time (monotonic)."""
        return min(self.first_seen[p] for p in held) + self.settle

    def _empty(self, rel: str) -> bool:
        try:
            return os.stat(self.vault / rel).st_size == 0
        except OSError:
            return True
