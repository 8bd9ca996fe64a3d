"""Where the watcher's changes come from: watchdog's observer (OS events) while it works; while it does not
(the OS watch limit, an event queue overflow, the vault folder replaced), stat rescans every
`WatchConfig.rescan_s`, with the observer tried again now and then (`observer.Backoff`). Each switch is said
(an "error" event on the way to rescans, a message on the way back) and calls for a reconcile, for what
the switch missed; the watcher runs those, in its worker.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from notelink.watch.changes import Moves
from notelink.watch.debounce import Debouncer
from notelink.watch.events import OverflowDetector, StatSnapshot, VaultEventHandler
from notelink.watch.listener import Listener, WatchEvent
from notelink.watch.observer import Backoff, VaultObserver

log = logging.getLogger("notelink.watch")


class ChangeFeed:
    """A vault's changed notes, handed to the debouncer, from OS events or (`mode` "rescan") stat rescans;
    the renames OS events name, to `moves`."""

    def __init__(self, vault: Path, exclude: tuple[str, ...], rescan_s: float, debouncer: Debouncer,
                 listener: Listener, moves: Moves | None = None) -> None:
        self.vault, self.rescan_s, self._exclude = vault, rescan_s, exclude
        self._debouncer, self._listener = debouncer, listener
        self.mode = "events"  # events (OS notifications) | rescan (periodic stat rescans)
        self.retry = Backoff()  # when to try OS events again, in rescan mode
        self._rescan_now = threading.Event()
        self._overflow = OverflowDetector(self._on_overflow)
        self._observer = VaultObserver(vault, VaultEventHandler(
            vault, exclude, debouncer.add, lambda msg: listener.post(WatchEvent("error", message=msg)),
            None if moves is None else moves.add))
        self._snapshot = StatSnapshot(vault, exclude)  # for rescan mode
        self._next_rescan = 0.0

    def start(self) -> None:
        """Starts the observer, or falls back to rescans when it cannot start."""
        self._overflow.install()
        problem = self._observer.start()
        if problem:
            self.fall_back(f"cannot watch {self.vault} for changes: {problem}")

    def stop(self) -> None:
        self._observer.stop()
        self._overflow.remove()

    def timers(self) -> list[float]:
        """When the worker must next turn for the feed (monotonic): the next rescan, in rescan mode."""
        return [self._next_rescan] if self.mode == "rescan" else []

    def fall_back(self, reason: str) -> None:
        """Switches to periodic rescans, says so, and has the worker catch up soon (`caught_up`). Any
        thread."""
        if self.mode != "rescan":
            message = (f"{reason}; falling back to rescanning the vault every {self.rescan_s:g}s "
                       "until it can be watched again")
            log.warning(message)
            self.mode = "rescan"
            self._listener.post(WatchEvent("error", message=message))
        self._rescan_now.set()
        self._debouncer.wake()

    def _on_overflow(self) -> None:
        self.fall_back("the OS dropped file events (event queue overflow)")

    def caught_up(self) -> bool:
        """In the worker: an observer seen dead falls back to rescans; just after a fallback, rescans at once
        for what the observer missed and returns True (the watcher then reconciles)."""
        if self._observer.died():
            self._observer.stop()
            self.fall_back("the file watcher stopped")
        if not self._rescan_now.is_set():
            return False
        self._rescan_now.clear()
        if self.mode == "rescan":
            self.retry.failed()
        self._rescan()
        return True

    def poll(self, now: float) -> str:
        """In the worker, in rescan mode: tries OS events again when due, else rescans when due. Returns what
        to say when OS events work again (the watcher says it and reconciles), else ""."""
        if self.mode != "rescan":
            return ""
        if self._reattach():
            return self._watching_again()
        if now >= self._next_rescan:
            self._next_rescan = now + self.rescan_s
            self._rescan()
        return ""

    def _reattach(self) -> bool:
        """When the backoff allows, the vault is a folder and no OS limit that refused the last start is
        still the same: tries OS events again."""
        if not (self.retry.due() and self.vault.is_dir() and self._observer.worth_trying()):
            return False
        self.mode = "events"  # first: an overflow from the new observer falls back again
        problem = self._observer.start()
        if problem:
            self.mode = "rescan"
            self.retry.failed()
            log.debug("the file watcher still cannot start: %s", problem)  # said once, when it fell back
            return False
        return True

    def _watching_again(self) -> str:
        """Back on OS events: a later fallback compares its rescans with now."""
        self.retry.succeeded()
        self._snapshot = StatSnapshot(self.vault, self._exclude)
        return f"watching {self.vault} for changes again"

    def _rescan(self) -> None:
        for rel in self._snapshot.changes():
            self._debouncer.add(rel)
