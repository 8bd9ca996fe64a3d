"""How far the vault has moved on from its index: notes changed, new and gone since the index was built.

`notelink status` says it, so that an index left behind (no watcher running, a watcher stopped in the
middle of a rebuild, edits made while notelink was closed) is not reported as if it held the vault. A note
counts as changed when its size or modification time differ from the index's and its content hash does
too (`file_hash` leaves notelink's own block out: writing the block is not an edit). Only the vault's
folder listing and a stat per note are read, and a note's bytes only when its stat differs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from notelink.notes.vault import file_hash, scan
from notelink.query.index import Index

SHOWN = 20
"""Paths listed per kind in `to_dict` (the counts are whole)."""


@dataclass(frozen=True)
class Freshness:
    """The notes the index does not hold as they are now, each kind sorted by path."""

    changed: list[str]
    new: list[str]
    gone: list[str]

    @property
    def behind(self) -> bool:
        return bool(self.changed or self.new or self.gone)

    def to_dict(self) -> dict[str, Any]:
        return {"behind": self.behind,
                **{kind: {"count": len(paths), "paths": paths[:SHOWN]}
                   for kind, paths in (("changed", self.changed), ("new", self.new), ("gone", self.gone))}}

    def states(self) -> dict[str, tuple[str, str]]:
        """Each path's (state, reason), as `notelink status --files` lists them."""
        return {**{p: ("changed", "changed since the index was built") for p in self.changed},
                **{p: ("new", "in the vault, not indexed yet") for p in self.new},
                **{p: ("gone", "deleted or moved since the index was built") for p in self.gone}}


def freshness(index: Index, vault: Path) -> Freshness:
    """Compares the vault's notes now (listed as the index's build listed them: its exclusions, ignore
    files) with the notes the index holds."""
    now = set(scan(vault, index.exclude()))
    held = {path: (size, mtime, sha) for path, size, mtime, sha in
            index.db.execute("SELECT path, size, mtime, sha256 FROM notes")}
    looked_at = {path for path, _status, _reason in index.files()}
    changed = sorted(p for p in now & held.keys() if _changed(vault / p, *held[p]))
    return Freshness(changed, sorted(now - looked_at - held.keys()), sorted(held.keys() - now))


def _changed(path: Path, size: int, mtime: float, sha: str) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return True
    if st.st_size == size and st.st_mtime == mtime:
        return False
    return file_hash(path) != sha
