"""Notes in a batch whose text is as indexed: a `chmod -R` or `touch` of the vault, a `git checkout` that
rewrites files with the same bytes, an editor's save of unchanged text, notelink's own block written. Their
events are no change, and the watcher drops them before it says or builds anything (a `chmod -R` of a
2,322-note vault was "changed: ... and 2319 more", then "touched, same text as indexed").

Cheap first, as a build reads a note (`records.read_vault` with `trust_stat`): a note with the size and
mtime the index has is the same (a chmod changes neither), and is not read; only one whose size or mtime
differ is hashed, as the index hashed it (notelink's block left out: `vault.file_hash`).
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from notelink.index.report import describe_paths
from notelink.notes.vault import file_hash

if TYPE_CHECKING:
    from notelink.watch.live import Indexed

log = logging.getLogger("notelink.watch")

Held = tuple[int, float, str]
"""A note as the index read it: (size, mtime, sha256)."""


def changed_only(vault: Path, batch: list[str], renamed: tuple[str, ...], indexed: Indexed | None,
                 should_stop: Callable[[], bool]) -> list[str]:
    """The batch without the notes whose text is as indexed (no change: said once in the log, nowhere
    else); a path a rename named is kept (`a → b → a` is said as such)."""
    if indexed is None:
        return batch
    named = set(renamed)
    same = same_text(vault, [p for p in batch if p not in named], indexed.notes, should_stop)
    if same:
        log.info(no_change(same))
    gone = set(same)
    return [p for p in batch if p not in gone]


def same_text(vault: Path, paths: list[str], indexed: Mapping[str, Held],
              should_stop: Callable[[], bool] = lambda: False) -> list[str]:
    """Those of `paths` that are notes the index has, with the text it has (folders and gone, new or changed
    notes are not). `should_stop`: asked between hashes (a stop does not wait for a vault's worth)."""
    same: list[str] = []
    for rel in paths:
        if should_stop():
            return []
        held = indexed.get(rel)
        if held is not None and _same(vault / rel, held):
            same.append(rel)
    return same


def _same(path: Path, held: Held) -> bool:
    """The file has the size and mtime the index read it with, or else its content hash; and can still be
    read (a `chmod 000` keeps both, and the note must then go from the index)."""
    size, mtime, sha = held
    try:
        st = os.stat(path)
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode) or not os.access(path, os.R_OK):
        return False
    if st.st_size == size and st.st_mtime == mtime:
        return True
    return file_hash(path) == sha


def no_change(same: list[str]) -> str:
    """What the log says of notes touched with their text as indexed (by name when few)."""
    what = describe_paths(same) if len(same) <= 3 else f"{len(same):,} notes"
    return f"no change: {what} touched, same text as indexed"
