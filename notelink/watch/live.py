"""The live generation as the watcher reads it between builds: its number (another process may switch one
in), its note paths (what makes a note in a batch new) and the files it skipped."""

from __future__ import annotations

from pathlib import Path

from notelink.errors import NotelinkError
from notelink.index.store import current_generation, open_generation


def live_number(index_dir: Path) -> int:
    """The live generation's number; 0 when there is none or it cannot be read now (switched meanwhile)."""
    try:
        gen = current_generation(index_dir)
    except (NotelinkError, OSError):
        return 0
    return 0 if gen is None else int(gen.name.removeprefix("gen-"))


def paths_in(gen: Path) -> frozenset[str]:
    """A generation's note paths and skipped files."""
    db, meta = open_generation(gen)
    try:
        notes = [p for (p,) in db.execute("SELECT path FROM notes")]
    finally:
        db.close()
    return frozenset(notes + [p for p, _ in meta.get("skipped_files", [])])


def skipped_files(index_dir: Path) -> dict[str, str]:
    """The files the live generation skipped, and why ("failed: ..." when handling one raised)."""
    gen = current_generation(index_dir)
    if gen is None:
        return {}
    db, meta = open_generation(gen)
    db.close()
    return dict(meta.get("skipped_files", []))
