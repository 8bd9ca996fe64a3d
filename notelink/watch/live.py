"""The live generation as the watcher reads it between builds: its number (another process may switch one
in), its notes as indexed (what makes a note in a batch new, or its text the same) and the files it
skipped."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from notelink.errors import NotelinkError
from notelink.index.store import current_generation, open_generation


def live_number(index_dir: Path) -> int:
    """The live generation's number; 0 when there is none or it cannot be read now (switched meanwhile)."""
    try:
        gen = current_generation(index_dir)
    except (NotelinkError, OSError):
        return 0
    return 0 if gen is None else int(gen.name.removeprefix("gen-"))


class Indexed(NamedTuple):
    """A generation's notes as it indexed them, for the watcher's batches."""

    paths: frozenset[str]  # its notes and skipped files (a path not among them is new)
    notes: dict[str, tuple[int, float, str]]  # each note's (size, mtime, sha256) when it was read


NOTHING = Indexed(frozenset(), {})


def indexed_in(gen: Path) -> Indexed:
    """A generation's note paths and skipped files, and its notes' size, mtime and content hash."""
    db, meta = open_generation(gen)
    try:
        notes = {p: (size, mtime, sha) for p, size, mtime, sha in
                 db.execute("SELECT path, size, mtime, sha256 FROM notes")}
    finally:
        db.close()
    return Indexed(frozenset([*notes, *(p for p, _ in meta.get("skipped_files", []))]), notes)


def skipped_files(index_dir: Path) -> dict[str, str]:
    """The files the live generation skipped, and why ("failed: ..." when handling one raised)."""
    gen = current_generation(index_dir)
    if gen is None:
        return {}
    db, meta = open_generation(gen)
    db.close()
    return dict(meta.get("skipped_files", []))
