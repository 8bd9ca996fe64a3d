"""The OS file observer over a vault (watchdog), and when to try it again after it failed.

The watcher falls back to stat rescans when the observer cannot start (the OS watch limit) or stops (the
vault folder was deleted or replaced: a sync tool, a re-clone). Rescans notice an edit only every
`WatchConfig.rescan_s`, so the watcher tries the observer again now and then: `Backoff` says when, and
`VaultObserver` starts it, tells when it died, and stops it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from watchdog import events
from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)

RETRY_FIRST_S = 1.0
"""The observer is tried again this long after it failed..."""
RETRY_MAX_S = 300.0
"""...then twice as long after each failure, up to this: a lasting failure (the watch limit) costs one try
every 5 minutes, said once in the log."""


_ATTRIB: list[type[FileSystemEvent]] = [e] if (e := getattr(events, "FileAttribEvent", None)) else []
EVENTS: list[type[FileSystemEvent]] = [
    FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileMovedEvent, FileDeletedEvent, DirCreatedEvent,
    DirMovedEvent, DirDeletedEvent, *_ATTRIB]
"""The events the observer asks the OS for: no opens and reads-then-closes. inotify reports those for every
file read, and a build or reconcile reads every note: obsidian-help's 2,331 notes read once were 4,662
events handed to Python to be dropped (a 100,000-note vault: 200,000, where the kernel queues 16,384).
A chmod or touch (watchdog 7's `FileAttribEvent`, a modified event before) is still asked for: a note
skipped as unreadable may now be readable (the watcher drops the others: `sametext.py`)."""


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


class Backoff:
    """When to try again something that failed: `first` seconds after it failed, twice as long after each
    further failure, up to `cap`. The delay starts over at `first` only once a success has lasted `cap`
    seconds, so that something that keeps failing soon after it came back is not retried every second."""

    def __init__(self, first: float = RETRY_FIRST_S, cap: float = RETRY_MAX_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.first, self.cap, self._clock = first, cap, clock
        self._delay = first
        self._due: float | None = None  # when to try again; None while nothing has failed
        self._ok_since = clock()

    def failed(self) -> None:
        """It failed (again): the next try is due after the current delay, which then doubles."""
        now = self._clock()
        if self._due is None and now - self._ok_since >= self.cap:
            self._delay = self.first
        self._due = now + self._delay
        self._delay = min(self._delay * 2, self.cap)

    def succeeded(self) -> None:
        self._due, self._ok_since = None, self._clock()

    def due(self) -> bool:
        """Whether a try is due now (never while nothing has failed)."""
        return self._due is not None and self._clock() >= self._due


def _folder_id(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino


def inotify_limits() -> tuple[str, ...]:
    """The OS's inotify limits as they are now (Linux; empty strings elsewhere): a start refused for a
    limit is tried again only once they changed (each try costs an inotify instance watchdog keeps)."""
    out = []
    for name in ("max_user_watches", "max_user_instances"):
        try:
            out.append((Path("/proc/sys/fs/inotify") / name).read_text().strip())
        except OSError:
            out.append("")
    return tuple(out)


class VaultObserver:
    """watchdog's observer on the vault, handing its events to `handler`; at most one at a time."""

    def __init__(self, vault: Path, handler: FileSystemEventHandler) -> None:
        self.vault, self.handler = vault, handler
        self._observer: Any = None
        self._folder: tuple[int, int] | None = None  # the watched folder, as (device, inode)
        self.refused_at: tuple[str, ...] | None = None  # `inotify_limits` when the OS refused for a limit

    def start(self) -> str:
        """Starts watching (stopping any observer before); "" when it works, else why the OS refused."""
        self.stop()
        observer = None
        try:
            folder = _folder_id(self.vault)
            observer = make_observer()
            observer.schedule(self.handler, str(self.vault), recursive=True, event_filter=EVENTS)
            observer.start()
        except OSError as exc:
            _give_back(observer)  # (`schedule` already opened an inotify instance and its threads)
            self.refused_at = inotify_limits() if exc.errno in (errno.ENOSPC, errno.EMFILE) else None
            return watch_error(exc)
        self._observer, self._folder, self.refused_at = observer, folder, None
        return ""

    def worth_trying(self) -> bool:
        """Whether a start may work now: not after a refusal for a limit that is still the same."""
        return self.refused_at is None or inotify_limits() != self.refused_at

    def died(self) -> bool:
        """Whether it was watching and no longer does: a thread of it stopped (the vault folder was deleted),
        or the vault's path is now another folder (the one watched was moved away, another put there)."""
        obs = self._observer
        if obs is None:
            return False
        if not (obs.is_alive() and all(e.is_alive() for e in obs.emitters)):
            return True
        try:
            return _folder_id(self.vault) != self._folder
        except OSError:
            return True

    def stop(self) -> None:
        """Stops the observer, if any (the watches it holds are given back to the OS)."""
        obs, self._observer = self._observer, None
        _give_back(obs)


def _give_back(obs: Any) -> None:
    """Stops an observer, started or not, and its emitters: their inotify instances and threads are the
    OS's again (a failed start retried every few minutes must not keep one each time)."""
    if obs is None:
        return
    with contextlib.suppress(Exception):
        if obs.is_alive():
            obs.stop()
            obs.join(5)
        else:  # never started: what its thread does on the way out (emitters, then the inotify reader)
            obs.on_thread_stop()
    _close_reader(getattr(obs, "_inotify_fd", None))


def _close_reader(reader: Any) -> None:
    """Closes what watchdog's inotify reader (`InotifyFD`, watchdog 7) left open once stopped: it leaves its
    closing to its own thread, which misses it when stopped before it first waits (a start refused at once,
    for the watch limit): its inotify instance and pipe stayed open, three descriptors each retry. Closed
    here only in that state (stopped, its thread ended, still marked reading: nothing closed them)."""
    if reader is None or reader.is_alive() or not getattr(reader, "_closed", False):
        return
    if getattr(reader, "_is_reading", False) and hasattr(reader, "_close_resources"):
        reader._is_reading = False
        with contextlib.suppress(OSError):
            reader._close_resources()
