"""`notelink mcp --watch`: the server's watcher of the vault, and what the server says about who keeps the
index current.

One watcher per index (`index.lock.WatcherLock`). When another one already keeps it (a second MCP client's
server on the same vault, `notelink watch`, the TUI), the server serves meanwhile and tries the lock again
every `RETRY_S` seconds in a thread, taking over when that watcher stops (`watch.takeover`, as the TUI
does): otherwise the index would freeze when the first client closed, with nothing but a line on a stderr
most MCP hosts never show.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from notelink.config import IndexConfig, TrainConfig
from notelink.index.lock import lock_info
from notelink.watch.takeover import RETRY_S, Takeover
from notelink.watch.takeover import Watcher as Startable

log = logging.getLogger("notelink.agents")

__all__ = ["RETRY_S", "STOP_S", "Watching", "kept_current"]

STOP_S = 1.0
"""How long the server's watcher may take to stop before a build under way is ended: an MCP host waits 2 s
after closing the server's stdin, then sends SIGTERM (and SIGKILL 2 s later: the MCP SDK's client)."""


class Watching(Takeover):
    """This server's watcher of the vault: started at once, or as soon as another watcher lets go
    (`watch.takeover`); what happens meanwhile goes to the server's log."""

    def __init__(self, vault: Path, index_dir: Path, train: TrainConfig, index: IndexConfig,
                 retry_s: float = RETRY_S) -> None:
        super().__init__(index_dir, lambda: _watcher(vault, index_dir, train, index), retry_s,
                         on_watching=self._took_over, on_error=self._cannot_watch)
        self.vault = vault
        self._said = ""  # the last failed start said (each said once)

    def start(self) -> bool:
        """Starts watching; while another watcher holds the index, says so and keeps trying in a thread.
        Raises what a watcher's start raises otherwise (an unusable vault or index folder)."""
        if super().start():
            return True
        log.info("%s; serving meanwhile, and watching as soon as it stops", _other(self.index_dir))
        return False

    def close(self) -> None:
        """Stops watching as the server ends, within an MCP host's grace (`STOP_S`). A SIGTERM meanwhile
        (a host done waiting) is not let cut the stop short: killed in the middle of it, the server left its
        watcher's lock held ("did not stop cleanly" at the next start) and a build's semaphores leaked."""
        with _sigterm_deferred():
            self.stop(timeout=STOP_S)

    def _took_over(self, _watcher: Startable) -> None:
        log.info("the other watcher stopped: this server now keeps the index at %s up to date",
                 self.index_dir)

    def _cannot_watch(self, exc: Exception) -> None:
        if str(exc) != self._said:
            self._said = str(exc)
            log.warning("cannot watch yet: %s", self._said)


@contextlib.contextmanager
def _sigterm_deferred() -> Iterator[None]:
    """SIGTERM only said, not obeyed, meanwhile (the server is stopping already); from the main thread only,
    where signal handlers are set."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def said(_signum: int, _frame: FrameType | None) -> None:
        log.info("received SIGTERM: stopping already (the watcher first)")
    previous = signal.signal(signal.SIGTERM, said)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _watcher(vault: Path, index_dir: Path, train: TrainConfig, index: IndexConfig) -> Startable:
    """The server's VaultWatcher (imported here: a server without --watch never loads it)."""
    from notelink.watch.watcher import VaultWatcher

    return VaultWatcher(vault, index_dir, train, index)


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
