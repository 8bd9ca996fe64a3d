"""What a batch of changed paths was, in the user's words: notes and folders moved (`moved A → B`, or
`moved A → B and back`), deleted, emptied, new or changed; what the watcher's log and the app's toasts say
of it.

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
from typing import NamedTuple

from notelink.errors import NotelinkError
from notelink.index.report import describe_paths
from notelink.index.store import current_generation

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

    def take(self, batch: list[str] | tuple[str, ...]) -> Taken:
        """The renames both of whose paths are in `batch` (forgotten here), chained (a → b → c is a → c),
        without those inside a moved folder; apart, those moved back where they were (a → b → a: (a, b),
        which a later a → c forgets); and every path they named."""
        paths = set(batch)
        with self._lock:
            mine = [m for m in self._seen if m[0] in paths and m[1] in paths]
            self._seen = [m for m in self._seen if not (m[0] in paths and m[1] in paths)]
        moves, back = _chained(mine)
        return Taken(_outermost(moves), _outermost(back), tuple(dict.fromkeys(p for m in mine for p in m)))


class Taken(NamedTuple):
    """A batch's renames (`Moves.take`)."""

    moves: tuple[Move, ...]
    back: tuple[Move, ...] = ()  # moved and moved back (a → b → a: (a, b))
    named: tuple[str, ...] = ()  # every path the renames named (b of a → b → c too: no note was there)

    def saves(self, known: Collection[str] | None) -> Taken:
        """Without the renames that were saves: a file the index never had renamed over a note it has (an
        editor's or a script's atomic save through a temporary `.md` file) is that note changed, not "moved
        tmpab12.md → note.md". `known`: the paths the live index has (None: not known)."""
        saves = {m for m in self.moves if known is not None and not m[0].endswith("/") and m[0] not in known
                 and m[1] in known}
        if not saves:
            return self
        kept = {dest for _, dest in saves}
        return Taken(tuple(m for m in self.moves if m not in saves), self.back,
                     tuple(p for p in self.named if p not in kept))


NO_MOVES = Taken(())


def _chained(moves: list[Move]) -> tuple[list[Move], list[Move]]:
    out: list[Move] = []
    back: list[Move] = []
    for src, dest in moves:
        back = [m for m in back if m[0] != src]  # (moved away again)
        earlier = next((i for i, m in enumerate(out) if m[1] == src), None)
        if earlier is None:
            out.append((src, dest))
        elif out[earlier][0] == dest:  # moved back
            back.append(out.pop(earlier))
        else:
            out[earlier] = (out[earlier][0], dest)
    return out, back


def _outermost(moves: list[Move]) -> tuple[Move, ...]:
    """Without the moves that a moved folder's own move explains (its notes and subfolders)."""
    folders = [m for m in moves if m[0].endswith("/")]
    return tuple(m for m in moves if not any(
        m != f and m[0].startswith(f[0]) and m[1] == f[1] + m[0][len(f[0]):] for f in folders))


@dataclass(frozen=True)
class Batch:
    """A batch of changed paths as the user made it: moves, and the other paths deleted, emptied or changed
    (looked at on disk when the batch is handed on); of those with text, `new` the notes the live index
    did not have; `reread` the folders whose notes are looked at again (a `.gitignore` edited: `./`, `sub/`; a
    folder moved in from outside the vault or from an excluded folder)."""

    moves: tuple[Move, ...]
    deleted: tuple[str, ...]
    emptied: tuple[str, ...]
    changed: tuple[str, ...]
    skipped: tuple[str, ...] = ()  # of the changed and new notes, those the build skipped (`skipping`)
    new: tuple[str, ...] = ()
    back: tuple[Move, ...] = ()  # moved and moved back (a → b → a: (a, b))
    reread: tuple[str, ...] = ()

    @classmethod
    def of(cls, vault: Path, paths: list[str] | tuple[str, ...], taken: Taken = NO_MOVES,
           known: Collection[str] | None = None) -> Batch:
        """`taken`: the batch's renames; `known`: the paths the live index has (its notes and skipped
        files), None: not known, and no note is said to be new. A deleted folder stands for the paths
        deleted inside it."""
        moves, back = taken.moves, taken.back
        rest = [p for p in paths if not _moved(p, moves + back) and not _inside(p, taken.named)]
        size = {p: _size(vault / p) for p in rest}
        text = [p for p in rest if size[p]]
        reread = tuple(p for p in text if p.endswith("/"))  # (a folder in a batch, not moved or gone: read)
        new = tuple(p for p in text if known is not None and p not in known and p not in reread)
        gone = [p for p in rest if size[p] is None]
        folders = [f for f in gone if f.endswith("/")]
        return cls(moves, tuple(p for p in gone if not any(p != f and p.startswith(f) for f in folders)),
                   tuple(p for p in rest if size[p] == 0),
                   tuple(p for p in text if p not in new and p not in reread), new=new, back=back,
                   reread=reread)

    def skipping(self, skipped: Iterable[str]) -> Batch:
        """The batch with the changed and new notes that the build skipped (too large, binary...) said
        apart."""
        out = set(skipped)
        return replace(self, changed=tuple(p for p in self.changed if p not in out),
                       new=tuple(p for p in self.new if p not in out),
                       skipped=tuple(p for p in (*self.changed, *self.new) if p in out))

    def refilled(self, vault: Path) -> Batch:
        """The batch with the notes it found empty that have text again (an editor's save that ended after
        the batch was handed on: truncated, then written 2 s later) among the changed ones: the build read
        their text, and the batch was said "X is now empty; related notes already up to date"."""
        full = tuple(p for p in self.emptied if _size(vault / p))
        if not full:
            return self
        return replace(self, emptied=tuple(p for p in self.emptied if p not in full),
                       changed=(*self.changed, *full))

    @property
    def shown(self) -> list[str]:
        """The paths the user would name: where notes and folders went, the others as they are."""
        rest = [*self.reread, *self.deleted, *self.emptied, *self.new, *self.changed, *self.skipped]
        return [dest for _, dest in self.moves] + [src for src, _ in self.back] + rest

    def subject(self) -> str:
        """The batch in a few paths ("updating the index for ...")."""
        return describe_paths(self.shown)

    def said(self, same_words: bool = False) -> str:
        """What happened, for the log ("moved a.md → b.md; changed: c.md"); `same_words`: the update found
        the changed notes' words as indexed (a link written, a tag or the layout changed)."""
        moved = [f"moved {src} → {dest}" for src, dest in self.moves]
        moved += [f"moved {src} → {via} and back" for src, via in self.back]
        parts = moved[:3] + ([f"{len(moved) - 3} more moved"] if len(moved) > 3 else [])
        if self.reread:
            parts.append(f"notes looked at again: {describe_paths(self.reread)}")
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

    def brief(self, same_words: bool = False) -> str:
        """What happened, for a toast: `said` when that is short; else how many notes each change had and
        the first two by name ("12 changed, 3 new: Kimchi.md, Soil health.md and 13 more"): a batch of
        many notes was said in 5-9 lines that covered the app's panels."""
        said = self.said(same_words)
        if len(said) <= BRIEF_CHARS:
            return said
        changed = "changed (no new words)" if same_words else "changed"
        counts = [(len(self.reread), "looked at again"), (len(self.moves) + len(self.back), "moved"),
                  (len(self.deleted), "deleted"), (len(self.emptied), "now empty"), (len(self.new), "new"),
                  (len(self.changed), changed), (len(self.skipped), "skipped")]
        names = [_name(p) for p in self.shown]
        return (", ".join(f"{n:,} {what}" for n, what in counts if n) + ": " + ", ".join(names[:2])
                + (f" and {len(names) - 2:,} more" if len(names) > 2 else ""))


BRIEF_CHARS = 80
"""A batch said in more characters than this (two lines of a toast) is said in counts (`Batch.brief`)."""

NAME_CHARS = 30
"""A path in a batch's brief is its file name (or folder's), cut to this many characters."""


def _name(path: str) -> str:
    """A path as its file name, or its folder's name ending in `/`, cut to `NAME_CHARS` with an ellipsis."""
    folder = path.endswith("/")
    name = path.rstrip("/").rpartition("/")[2]
    name = name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"
    return name + ("/" if folder else "")


def whole(index_dir: Path, force: bool) -> str:
    """What a build of no batch (at startup, a reconcile) is said to index ("indexing ..."): a new user's
    first build was "indexing (reconcile)"."""
    if force:
        return "every note (retraining from scratch: --force)"
    try:
        first = current_generation(index_dir) is None
    except (NotelinkError, OSError):
        first = False
    return "every note (no index yet)" if first else "(reconcile)"


def _moved(path: str, moves: tuple[Move, ...]) -> bool:
    """A path that one of `moves` names, or inside a moved folder (before or after)."""
    return any(_inside(path, m) for m in moves)


def _inside(path: str, paths: tuple[str, ...]) -> bool:
    """`path` is one of `paths`, or inside one of their folders."""
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in paths)


def _size(path: Path) -> int | None:
    """The file's size (a folder: 1), None when it is gone. A symbolic link that leads nowhere (broken, a
    loop) is there, the link's own size: the build skips it with its reason, and it was said deleted."""
    try:
        st = os.stat(path)
    except OSError:
        try:
            st = os.lstat(path)
        except OSError:
            return None
    return 1 if stat.S_ISDIR(st.st_mode) else st.st_size
