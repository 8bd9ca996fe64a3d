"""Messages from the app's workers and the watcher's thread to the app (posted with post_message, which is
thread-safe)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.message import Message

from notelink.query.index import Index
from notelink.tui.names import Names
from notelink.tui.notefilter import NoteFilter


class IndexLoaded(Message):
    """A worker opened the index at `index_dir` (or found none: `index` is None), sorted its notes for the
    list, named them and found the home note; the app drops it when it has switched to another vault
    meanwhile."""

    def __init__(self, index: Index | None, index_dir: Path, note: str = "",
                 notes: NoteFilter | None = None, names: Names | None = None,
                 home: str | None = None) -> None:
        super().__init__()
        self.index, self.index_dir, self.note, self.notes, self.names = index, index_dir, note, notes, names
        self.home = home


class IndexProgress(Message):
    """An IndexEvent from one of the app's index workers (`worker`: which one; stale ones are ignored)."""

    def __init__(self, event: Any, worker: Any = None) -> None:
        super().__init__()
        self.event, self.worker = event, worker


class WatchMessage(Message):
    """A WatchEvent from the watcher's thread; `source` numbers the watcher (the app's `watch_serial`)."""

    def __init__(self, event: Any, source: int = 0) -> None:
        super().__init__()
        self.event, self.source = event, source


class TakeoverMessage(Message):
    """From the thread that waits for another notelink's watcher to stop (`watch.takeover`): this app's own
    watcher now runs (`error` empty), or it could not start yet (`error` says why); `source` as in
    `WatchMessage`."""

    def __init__(self, source: int, error: str = "") -> None:
        super().__init__()
        self.source, self.error = source, error
