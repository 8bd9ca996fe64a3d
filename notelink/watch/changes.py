"""What a batch of changed paths was, in the user's words: notes and folders moved (`moved A → B`),
deleted, emptied, new or changed; what the watcher's log and the app's toasts say of it.

File events only name paths; a rename names two, and a folder's rename every path inside it too (watchdog
posts a move for each). `Moves` keeps the renames the observer saw, so that a batch says `moved Garden/ →
Yard/` rather than "changed: Garden/, Yard/, Garden/Beds/ and 11 more".
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from notelink.index.report import describe_paths

Move = tuple[str, str]
"""(from, to): vault-relative note paths, or folders as `folder/`."""

MOVES_KEPT = 10_000
"""Renames kept for a batch to take (one whose paths the debouncer handed on in two batches never is)."""


class Moves:
    """The renames seen by the observer's thread, taken by the worker with the batch that names them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: list[Move] = []

    def add(self, src: str, dest: str) -> None:
        """Records a rename (any thread; before its paths reach the debouncer)."""
        with self._lock:
            self._seen.append((src, dest))
            del self._seen[:-MOVES_KEPT]

    def take(self, batch: list[str] | tuple[str, ...]) -> tuple[Move, ...]:
        """The renames both of whose paths are in `batch` (forgotten here), chained (a → b → c is a → c;
        a → b → a, nothing) and without those inside a moved folder."""
        paths = set(batch)
        with self._lock:
            mine = [m for m in self._seen if m[0] in paths and m[1] in paths]
            self._seen = [m for m in self._seen if not (m[0] in paths and m[1] in paths)]
        return _outermost(_chained(mine))


def _chained(moves: list[Move]) -> list[Move]:
    out: list[Move] = []
    for src, dest in moves:
        earlier = next((i for i, m in enumerate(out) if m[1] == src), None)
        if earlier is None:
            out.append((src, dest))
        elif out[earlier][0] == dest:  # moved back
            del out[earlier]
        else:
            out[earlier] = (out[earlier][0], dest)
    return out


def _outermost(moves: list[Move]) -> tuple[Move, ...]:
    """Without the moves that a moved folder's own move explains (its notes and subfolders)."""
    folders = [m for m in moves if m[0].endswith("/")]
    return tuple(m for m in moves if not any(
        m != f and m[0].startswith(f[0]) and m[1] == f[1] + m[0][len(f[0]):] for f in folders))


@dataclass(frozen=True)
class Batch:
    """A batch of changed paths as the user made it: moves, and the other paths deleted, emptied or changed
    (looked at on disk when the batch is handed on); of those with text, `new` the notes the live index
    did not have."""

    moves: tuple[Move, ...]
    deleted: tuple[str, ...]
    emptied: tuple[str, ...]
    changed: tuple[str, ...]
    skipped: tuple[str, ...] = ()  # of the changed and new notes, those the build skipped (`skipping`)
    new: tuple[str, ...] = ()

    @classmethod
    def of(cls, vault: Path, paths: list[str] | tuple[str, ...], moves: tuple[Move, ...] = (),
           known: Collection[str] | None = None) -> Batch:
        """`known`: the paths the live index has (its notes and skipped files); None: not known, and no
        note is said to be new."""
        rest = [p for p in paths if not _moved(p, moves)]
        size = {p: _size(vault / p) for p in rest}
        text = [p for p in rest if size[p]]
        new = tuple(p for p in text if known is not None and p not in known and not p.endswith("/"))
        return cls(moves, tuple(p for p in rest if size[p] is None), tuple(p for p in rest if size[p] == 0),
                   tuple(p for p in text if p not in new), new=new)

    def skipping(self, skipped: Iterable[str]) -> Batch:
        """The batch with the changed and new notes that the build skipped (too large, binary...) said
        apart."""
        out = set(skipped)
        return replace(self, changed=tuple(p for p in self.changed if p not in out),
                       new=tuple(p for p in self.new if p not in out),
                       skipped=tuple(p for p in (*self.changed, *self.new) if p in out))

    @property
    def shown(self) -> list[str]:
        """The paths the user would name: where notes and folders went, the others as they are."""
        rest = [*self.deleted, *self.emptied, *self.new, *self.changed, *self.skipped]
        return [dest for _, dest in self.moves] + rest

    def subject(self) -> str:
        """The batch in a few paths ("updating the index for ...")."""
        return describe_paths(self.shown)

    def said(self, same_words: bool = False) -> str:
        """What happened, for the log ("moved a.md → b.md; changed: c.md"); `same_words`: the update found
        the changed notes' words as indexed (a link written, a tag or the layout changed)."""
        parts = [f"moved {src} → {dest}" for src, dest in self.moves[:3]]
        if len(self.moves) > 3:
            parts.append(f"{len(self.moves) - 3} more moved")
        if self.deleted:
            parts.append(f"deleted: {describe_paths(self.deleted)}")
        if len(self.emptied) == 1:
            parts.append(f"{self.emptied[0]} is now empty")
        elif self.emptied:
            parts.append(f"now empty: {describe_paths(self.emptied)}")
        if self.new:
            parts.append(f"new: {describe_paths(self.new)}")
        if self.changed and same_words:
            parts.append(f"no new words in {describe_paths(self.changed)} (links, tags or layout changed)")
        elif self.changed:
            parts.append(f"changed: {describe_paths(self.changed)}")
        if self.skipped:
            parts.append(f"skipped: {describe_paths(self.skipped)}")
        return "; ".join(parts)


def _moved(path: str, moves: tuple[Move, ...]) -> bool:
    """A path that one of `moves` names, or inside a moved folder (before or after)."""
    return any(path in m or any(f.endswith("/") and path.startswith(f) for f in m) for m in moves)


def _size(path: Path) -> int | None:
    """The file's size (a folder: 1), None when it is gone."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return 1 if stat.S_ISDIR(st.st_mode) else st.st_size
