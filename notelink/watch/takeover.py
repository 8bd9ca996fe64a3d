"""Taking over from another watcher: one watcher per index (`index.lock.WatcherLock`), so a process that
wants to watch while another one does (`notelink mcp --watch` beside `notelink watch`, the TUI beside a
server) waits, trying the lock again every `RETRY_S` seconds in a thread, and starts its own watcher as soon
as the other one stops. Otherwise the index would freeze when the first watcher went, while this process
still served it (the MCP server, the TUI).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from notelink.index.lock import WatcherRunning, lock_info

RETRY_S = 3.0
"""How often a process that wants to watch tries again while another watcher holds the index (a lock
probe: a file read and a non-blocking flock)."""


class Watcher(Protocol):
    """What a takeover starts and stops (`watch.watcher.VaultWatcher`, or a test's fake)."""

    def start(self) -> None: ...
    def stop(self, timeout: float = 10.0) -> None: ...


class Takeover:
    """A watcher made by `make` and started at once, or as soon as the watcher holding the index lets go.

    `on_watching(watcher)` and `on_error(exc)` are called from the retry thread: when its watcher started,
    and when a start failed (the vault or the index folder unusable for now; tried again)."""

    def __init__(self, index_dir: Path, make: Callable[[], Watcher], retry_s: float = RETRY_S,
                 on_watching: Callable[[Watcher], None] | None = None,
                 on_error: Callable[[Exception], None] | None = None) -> None:
        self.index_dir, self.retry_s = index_dir, retry_s
        self._make, self._on_watching, self._on_error = make, on_watching, on_error
        self.watcher: Watcher | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def watching(self) -> bool:
        return self.watcher is not None

    def start(self) -> bool:
        """Starts watching, and returns True; while another watcher holds the index, starts trying again in a
        thread and returns False. Raises what making or starting a watcher raises otherwise."""
        if self._try():
            return True
        self._thread = threading.Thread(target=self._retry, name="notelink-watch-retry", daemon=True)
        self._thread.start()
        return False

    def stop(self, timeout: float = 10.0) -> None:
        """Stops trying, then stops the watcher if it runs (a build in progress is abandoned)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()  # (at most one `_try`: a lock probe and a watcher's start)
        if self.watcher is not None:
            self.watcher.stop(timeout=timeout)

    def _try(self) -> bool:
        """Starts a watcher unless another one holds the index's lock; whether one now runs here."""
        if lock_info(self.index_dir).running:  # (the cheap probe: no watcher is made while one runs)
            return False
        try:
            watcher = self._make()
            watcher.start()
        except WatcherRunning:  # taken between the probe and the start
            return False
        self.watcher = watcher
        return True

    def _retry(self) -> None:
        """Tries every `retry_s` seconds until a watcher runs here or `stop`; a failed start is passed to
        `on_error` and tried again."""
        while not self._stop.wait(self.retry_s):
            try:
                if self._try():
                    break
            except Exception as exc:  # (said by the caller; this thread must not die of it)
                if self._on_error is not None:
                    self._on_error(exc)
        if self.watcher is not None and self._on_watching is not None:
            self._on_watching(self.watcher)
