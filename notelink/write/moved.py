"""Where a note that `notelink link` wrote is now, for its undo: at its path, or moved or renamed since.

A note is taken for the one notelink wrote only when its bytes prove it: they hash to what notelink wrote,
or do once notelink's own block is set back as it was (`put_back`). A note of the same file name is looked
for first (a folder renamed, the note filed elsewhere), then a note of any name (the note renamed); two or
more notes that hold it are no proof of either, and nothing is undone.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from notelink.notes import block
from notelink.notes.block import BlockError
from notelink.notes.blocktext import NoteText
from notelink.notes.vault import NotRegular, files_named, read_regular
from notelink.write import journal


@dataclass(frozen=True)
class Found:
    """The note notelink wrote, found under another path (`path`) with its bytes now (`data`)."""

    path: str
    file: Path
    data: bytes


def put_back(saved: journal.Saved, current: bytes) -> bytes | None:
    """The bytes that undo a write: the saved ones, with notelink's block as the note holds it now when
    the block is all that changed since (`block.with_block_of`, checked against the hash of what notelink
    wrote). None: the note was edited since."""
    if current == saved.before or journal.sha256(current) == saved.after_sha256:
        return saved.before
    try:
        now, was = NoteText.decode(current), NoteText.decode(saved.before)
    except BlockError:
        return None
    written = block.with_block_of(now.text, was.text)  # what notelink wrote, if only the block changed
    if (now.bom, now.codec) != (was.bom, was.codec) or written is None or \
            journal.sha256(now.encode(written)) != saved.after_sha256:
        return None
    back = block.with_block_of(was.text, now.text)
    return None if back is None else now.encode(back)


def find_moved(root: Path, saved: journal.Saved) -> Found | list[str]:
    """The note notelink wrote at `saved.path`, gone from there: the one file of its name (any case) that
    holds what notelink wrote, else the one note of any name (the same extension) that does. When none
    or several do: the paths of those that do (none: [])."""
    named = files_named(root, posixpath.basename(saved.path).casefold())
    for candidates in (named, _notes_like(root, saved.path)):
        found = _holding(root, saved, candidates)
        if found:
            return found[0] if len(found) == 1 else [f.path for f in found]
    return []


def _holding(root: Path, saved: journal.Saved, candidates: Iterator[str] | list[str]) -> list[Found]:
    """The candidates (vault paths; those in dot-folders passed over) whose bytes prove them the note
    notelink wrote: a note that holds what it was before the write is no proof (a copy of it)."""
    found = []
    for rel in candidates:
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        with contextlib.suppress(OSError, NotRegular):  # (never opened to wait on: a named pipe)
            data = read_regular(root / rel)[0]
            if _written(saved, data):
                found.append(Found(rel, root / rel, data))
    return found


def _written(saved: journal.Saved, data: bytes) -> bool:
    if journal.sha256(data) == saved.after_sha256:
        return True
    return data != saved.before and block.may_hold_block(data) and put_back(saved, data) is not None


def _notes_like(root: Path, path: str) -> Iterator[str]:
    """Every file in the vault (dot-folders and symlinks left out) with `path`'s extension, any case."""
    suffix = posixpath.splitext(path)[1].casefold()
    for dirpath, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        prefix = os.path.relpath(dirpath, root).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        for name in sorted(files):
            if posixpath.splitext(name)[1].casefold() == suffix and \
                    not os.path.islink(os.path.join(dirpath, name)):
                yield prefix + name
