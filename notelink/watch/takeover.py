"""Taking over from another watcher: one watcher per index (`index.lock.WatcherLock`), so a process that
wants to watch while another one does (`notelink mcp --watch` beside `notelink watch`, the TUI beside a
server) waits, trying the lock again every `RETRY_S` seconds in a thread, and starts its own watcher as soon
as the other one stops. Otherwise the index would freeze when the first watcher went, while this process
still served it (the MCP server, the TUI).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from notelink.index.lock import LOCK_FILE, LockInfo, WatcherRunning, lock_info
from notelink.processes import pid_alive

RETRY_S = 3.0
"""How often a process that wants to watch tries again while another watcher holds the index (a lock
probe: a file read and a non-blocking flock)."""

DEFER_S = 15.0
"""How long a lock file gone from under a watcher that still runs is left to that watcher to take again."""


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
                 on_error: Callable[[Exception], None] | None = None, defer_s: float = DEFER_S) -> None:
        self.index_dir, self.retry_s, self.defer_s = index_dir, retry_s, defer_s
        self._make, self._on_watching, self._on_error = make, on_watching, on_error
        self.watcher: Watcher | None = None
        self.deferred = 0  # tries left to the watcher whose lock file went (`_left_to_holder`)
        self._holder: int | None = None  # the pid last seen holding the lock
        self._gone_since: float | None = None  # when its lock file was first seen gone
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
        info = lock_info(self.index_dir)
        if info.running:  # (the cheap probe: no watcher is made while one runs)
            self._holder, self._gone_since = info.pid, None
            return False
        if self._left_to_holder(info):
            return False
        try:
            watcher = self._make()
            watcher.start()
        except WatcherRunning:  # taken between the probe and the start
            return False
        self.watcher = watcher
        return True

    def _left_to_holder(self, info: LockInfo) -> bool:
        """Whether to leave the lock to the watcher last seen holding it: its lock file is gone (a watcher
        that stops leaves it, empty; a dead one leaves its pid), it still runs, and not for `defer_s` yet."""
        gone = info.pid is None and not (self.index_dir / LOCK_FILE).exists()
        if not gone or self._holder is None or not pid_alive(self._holder):
            self._holder, self._gone_since = None, None
            return False
        now = time.monotonic()
        self._gone_since = now if self._gone_since is None else self._gone_since
        if now - self._gone_since >= self.defer_s:
            return False
        self.deferred += 1
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
