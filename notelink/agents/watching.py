"""`notelink mcp --watch`: the server's watcher of the vault, and what the server says about who keeps the
index current.

One watcher per index (`index.lock.WatcherLock`). When another one already keeps it (a second MCP client's
server on the same vault, `notelink watch`, the TUI), the server serves meanwhile and tries the lock again
every `RETRY_S` seconds in a thread, taking over when that watcher stops: otherwise the index would freeze
when the first client closed, with nothing but a line on a stderr most MCP hosts never show.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notelink.config import IndexConfig, TrainConfig
from notelink.errors import NotelinkError
from notelink.index.lock import lock_info

if TYPE_CHECKING:  # (imported when a watcher is made: a server without --watch never loads it)
    from notelink.watch.watcher import VaultWatcher

log = logging.getLogger("notelink.agents")

RETRY_S = 3.0
"""How often a server started with --watch tries again to watch while another watcher holds the index (a
lock probe: a file read and a non-blocking flock)."""


class Watching:
    """This server's watcher of the vault: started at once, or as soon as another watcher lets go."""

    def __init__(self, vault: Path, index_dir: Path, train: TrainConfig, index: IndexConfig,
                 retry_s: float = RETRY_S) -> None:
        self.vault, self.index_dir, self.retry_s = vault, index_dir, retry_s
        self._settings = (train, index)
        self.watcher: VaultWatcher | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Starts watching; while another watcher holds the index, says so and keeps trying in a thread.
        Raises what a watcher's start raises otherwise (an unusable vault or index folder)."""
        if self._try():
            return
        log.info("%s; serving meanwhile, and watching as soon as it stops", _other(self.index_dir))
        self._thread = threading.Thread(target=self._retry, name="notelink-watch-retry", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stops trying, then stops the watcher if it runs (a build in progress is abandoned)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()  # (at most one `_try`: a lock probe and a watcher's start)
        if self.watcher is not None:
            self.watcher.stop(timeout=timeout)

    @property
    def watching(self) -> bool:
        return self.watcher is not None

    def _try(self) -> bool:
        """Starts a watcher unless another one holds the index's lock; whether this server now watches."""
        from notelink.index.lock import WatcherRunning
        from notelink.watch.watcher import VaultWatcher

        if lock_info(self.index_dir).running:  # (the cheap probe: no watcher is made while one runs)
            return False
        watcher = VaultWatcher(self.vault, self.index_dir, *self._settings)
        try:
            watcher.start()
        except WatcherRunning:  # taken between the probe and the start
            return False
        self.watcher = watcher
        return True

    def _retry(self) -> None:
        """Tries every `retry_s` seconds until this server watches or stops; a failed start (the vault or
        the index folder unusable for now) is said once and tried again."""
        said = ""
        while not self._stop.wait(self.retry_s):
            try:
                if self._try():
                    log.info("the other watcher stopped: this server now keeps the index at %s up to date",
                             self.index_dir)
                    return
            except NotelinkError as exc:
                if str(exc) != said:
                    said = str(exc)
                    log.warning("cannot watch yet: %s", said)


def kept_current(index_dir: Path, watching: Watching | None) -> dict[str, Any]:
    """What the status tool says of this server (`this_server`): started with --watch (`watch`), its watcher
    running (`watching`), and in a sentence who keeps the index current, or that nobody does."""
    if watching is not None and watching.watching:
        said = "this server keeps the index current (--watch)"
    elif lock_info(index_dir).running:
        said = _other(index_dir) + ("; this server takes over watching when it stops" if watching else "")
    elif watching is not None:
        said = (f"no watcher keeps the index current right now: this server tries to watch again every "
                f"{watching.retry_s:g} s")
    else:
        said = ("no watcher keeps the index current: notes changed since it was built are not in it until "
                "`notelink index`, `notelink watch`, or a server started with --watch")
    return {"watch": watching is not None, "watching": watching is not None and watching.watching,
            "message": said}


def _other(index_dir: Path) -> str:
    pid = lock_info(index_dir).pid
    who = f"pid {pid}" if pid else "another process"
    return f"another watcher ({who}) keeps the index at {index_dir} current"
