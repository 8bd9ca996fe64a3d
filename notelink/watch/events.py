"""Filesystem events from watchdog (or, as a fallback, stat rescans), filtered early down to notes.

Ignored: anything that is not a `*.md` note, dot-folders and dot-files, editor temp/swap/backup files and
the user's exclude globs. What remains is a vault-relative path handed to a sink (the debouncer). Folder
moves and deletions are passed on as `folder/` so that the notes inside are looked at again.
"""

from __future__ import annotations

import errno
import fnmatch
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler

from notelink.notes.vault import is_ignored, scan

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


def note_path(vault: Path, path: str | bytes, exclude: tuple[str, ...] = ()) -> str | None:
    """The vault-relative path of a note the watcher cares about, or None to ignore the event."""
    rel = _relative(vault, path)
    if rel is None:
        return None
    name = rel.rsplit("/", 1)[-1]
    if any(fnmatch.fnmatch(name, pat) for pat in EDITOR_TEMP) or is_ignored(rel, exclude):
        return None
    return rel


def folder_path(vault: Path, path: str | bytes, exclude: tuple[str, ...] = ()) -> str | None:
    """`rel/` for a folder outside dot-folders and exclude globs, else None."""
    rel = _relative(vault, path)
    if rel is None or any(p.startswith(".") for p in rel.split("/")):
        return None
    return None if any(fnmatch.fnmatch(rel, pat) for pat in exclude) else rel + "/"


class VaultEventHandler(FileSystemEventHandler):
    """Turns watchdog events into vault-relative note paths; never raises into watchdog's thread."""

    def __init__(self, vault: Path, exclude: tuple[str, ...], sink: Callable[[str], None],
                 on_error: Callable[[str], None]) -> None:
        self.vault, self.exclude, self.sink, self.on_error = vault, exclude, sink, on_error

    def paths(self, event: FileSystemEvent) -> list[str]:
        """The paths an event concerns, filtered."""
        if event.event_type in _IGNORED_KINDS:
            return []
        raw = [event.src_path] + ([event.dest_path] if getattr(event, "dest_path", "") else [])
        if event.is_directory:
            if event.event_type not in ("moved", "deleted"):
                return []  # a folder's own created/modified events say nothing its notes don't
            found = [folder_path(self.vault, p, self.exclude) for p in raw]
        else:
            found = [note_path(self.vault, p, self.exclude) for p in raw]
        return [p for p in found if p is not None]

    def on_any_event(self, event: FileSystemEvent) -> None:
        try:
            for rel in self.paths(event):
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


def make_observer() -> Any:
    """The platform's native observer (inotify, FSEvents, ReadDirectoryChangesW); tests replace this."""
    from watchdog.observers import Observer

    return Observer()


def watch_error(exc: OSError) -> str:
    """Why the OS refused to watch, and what to do about it."""
    if exc.errno == errno.ENOSPC:
        return "the OS limit on watched folders is reached; raise `fs.inotify.max_user_watches`"
    if exc.errno == errno.EMFILE:
        return "the OS limit on file watchers is reached; raise `fs.inotify.max_user_instances`"
    return exc.strerror or str(exc)


class StatSnapshot:
    """The fallback when OS events fail: each `changes()` call rescans the notes' (mtime, size) and
    returns the paths added, removed or changed since the previous call (none on the first)."""

    def __init__(self, vault: Path, exclude: tuple[str, ...]) -> None:
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
