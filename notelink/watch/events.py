"""Filesystem events from watchdog (or, as a fallback, stat rescans), filtered early down to notes.

Ignored: anything that is not a `*.md` note, dot-folders and dot-files, editor temp/swap/backup files, and
what the vault's one exclusion list leaves out (`vault.Ignore`: `.gitignore`, `.notelinkignore` and the
user's patterns, as the index reads them). What remains is a vault-relative path handed to a sink (the
debouncer). Folder moves and deletions are passed on as `folder/` so that the notes inside are looked at
again.
"""

from __future__ import annotations

import fnmatch
import logging
import os
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler

from notelink.notes.ignore import IGNORE_FILES, WORKSPACE_FILE, Ignore
from notelink.notes.vault import scan

log = logging.getLogger("notelink.watch")

EDITOR_TEMP = ("*.swp", "*.swo", "*.swx", "*~", "4913", "*___jb_tmp___", "*___jb_old___", ".#*", "#*#",
               "*.tmp", "*.kate-swp", ".goutputstream-*", "*.crswap")
"""File-name patterns of editors' temporary, swap and backup files (vim, emacs, JetBrains, gedit...)."""

_IGNORED_KINDS = {"opened", "closed_no_write"}


def _relative(vault: Path, path: str | bytes) -> str | None:
    rel = os.path.relpath(os.fsdecode(path), vault)
    if rel == "." or rel.startswith(".." + os.sep) or rel == "..":
        return None
    return rel.replace(os.sep, "/")


def _ignore(vault: Path, exclude: tuple[str, ...] | Ignore | None) -> Ignore:
    return exclude if isinstance(exclude, Ignore) else Ignore(vault, exclude)


def note_path(vault: Path, path: str | bytes, exclude: tuple[str, ...] | Ignore | None = ()) -> str | None:
    """The vault-relative path of a note the watcher cares about, or None to ignore the event."""
    rel = _relative(vault, path)
    if rel is None:
        return None
    name = rel.rsplit("/", 1)[-1]
    if any(fnmatch.fnmatch(name, pat) for pat in EDITOR_TEMP) or _ignore(vault, exclude).ignored(rel):
        return None
    return rel


def folder_path(vault: Path, path: str | bytes, exclude: tuple[str, ...] | Ignore | None = ()) -> str | None:
    """`rel/` for a folder the vault does not leave out (dot-folders, ignore files, exclude patterns)."""
    rel = _relative(vault, path)
    if rel is None or _ignore(vault, exclude).ignored(rel, is_dir=True):
        return None
    return rel + "/"


def ignore_file_folder(vault: Path, path: str | bytes) -> str | None:
    """For a `.gitignore` or `.notelinkignore` file, or the vault's `dendron.yml`: its folder (`rel/`, ""
    for the vault), whose notes may now be in or out; else None."""
    rel = _relative(vault, path)
    if rel is None or (rel.rsplit("/", 1)[-1] not in IGNORE_FILES and rel != WORKSPACE_FILE):
        return None
    folder = rel.rpartition("/")[0]
    return f"{folder}/" if folder else ""


class VaultEventHandler(FileSystemEventHandler):
    """Turns watchdog events into vault-relative note paths; never raises into watchdog's thread."""

    def __init__(self, vault: Path, exclude: tuple[str, ...] | None, sink: Callable[[str], None],
                 on_error: Callable[[str], None], on_move: Callable[[str, str], None] | None = None) -> None:
        self.vault, self.sink, self.on_error, self.on_move = vault, sink, on_error, on_move
        self.exclude = Ignore(vault, exclude)

    def paths(self, event: FileSystemEvent) -> list[str]:
        """The paths an event concerns, filtered. An edited ignore file is read again, and its folder
        passed on (`folder/`, or `./` for the vault's own), so that its notes are looked at again."""
        if event.event_type in _IGNORED_KINDS:
            return []
        raw = [event.src_path] + ([event.dest_path] if getattr(event, "dest_path", "") else [])
        folders = [f for p in raw if (f := ignore_file_folder(self.vault, p)) is not None]
        if folders and not event.is_directory:
            self.exclude.forget()
            return [f or "./" for f in folders]
        if event.is_directory:
            if event.event_type not in ("moved", "deleted"):
                return []  # a folder's own created/modified events say nothing its notes don't
            found = [folder_path(self.vault, p, self.exclude) for p in raw]
        else:
            found = [note_path(self.vault, p, self.exclude) for p in raw]
        return [p for p in found if p is not None]

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Hands each path to the sink; a rename from a note (or folder) to one is told `on_move` first."""
        try:
            found = self.paths(event)
            if self.on_move is not None and event.event_type == "moved" and len(found) == 2 \
                    and all(p.endswith("/") == event.is_directory for p in found):
                self.on_move(*found)
            for rel in found:
                self.sink(rel)
        except Exception as exc:  # an observer thread that raises stops watching: never let it
            log.exception("could not handle %s", event)
            self.on_error(f"could not handle a file event ({type(exc).__name__}: {exc})")


class OverflowDetector(logging.Handler):
    """watchdog reports a kernel event-queue overflow only in its log; this turns it into a callback."""

    def __init__(self, callback: Callable[[], None]) -> None:
        super().__init__(logging.WARNING)
        self.callback = callback

    def emit(self, record: logging.LogRecord) -> None:
        if "overflow" in record.getMessage().lower():
            self.callback()

    def install(self) -> None:
        logging.getLogger("watchdog").addHandler(self)

    def remove(self) -> None:
        logging.getLogger("watchdog").removeHandler(self)


class StatSnapshot:
    """The fallback when OS events fail: each `changes()` call rescans the notes' (mtime, size) and
    returns the paths added, removed or changed since the previous call (none on the first)."""

    def __init__(self, vault: Path, exclude: tuple[str, ...] | None) -> None:
        self.vault, self.exclude = vault, exclude
        self._last: dict[str, tuple[int, int]] | None = None

    def changes(self) -> list[str]:
        snap: dict[str, tuple[int, int]] = {}
        for rel in scan(self.vault, self.exclude):
            try:
                st = os.stat(self.vault / rel)
            except OSError:
                continue
            snap[rel] = (st.st_mtime_ns, st.st_size)
        old, self._last = self._last, snap
        if old is None:
            return []
        return sorted((set(snap) ^ set(old)) | {p for p in snap if snap[p] != old.get(p)})
