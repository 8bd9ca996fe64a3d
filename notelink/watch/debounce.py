"""Batching file events: coalesce per path, hand a batch on after a quiet period or a maximum wait.

As in watchfiles: a burst of events (a save, a `git checkout` of a thousand notes) becomes one batch,
handed on `quiet` seconds after the last event, or `max_wait` seconds after the first, whichever comes
first. A batch can also be held back until a given time (a note caught mid-save), and a new event for
it ends the hold.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable


class Debouncer:
    """Thread-safe: observers call `add`, one worker calls `wait`."""

    def __init__(self, quiet: float, max_wait: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.quiet, self.max_wait, self._clock = quiet, max_wait, clock
        self._cond = threading.Condition()
        self._paths: dict[str, None] = {}  # insertion-ordered set
        self._first = self._last = 0.0
        self._hold_until: float | None = None
        self._woken = False
        self.last_event_wall: float | None = None  # time.time() of the latest event, for status

    def add(self, path: str) -> None:
        """Records one changed path; a held batch becomes a fresh one."""
        with self._cond:
            now = self._clock()
            if not self._paths or self._hold_until is not None:
                self._first, self._hold_until = now, None
            self._paths[path] = None
            self._last = now
            self.last_event_wall = time.time()
            self._cond.notify_all()

    def hold(self, paths: Iterable[str], until: float) -> None:
        """Puts paths back, to be handed on at `until` (clock time) unless a new event comes first."""
        with self._cond:
            now = self._clock()
            if not self._paths:
                self._first = self._last = now
            self._paths.update(dict.fromkeys(paths))
            self._hold_until = until
            self._cond.notify_all()

    def wake(self) -> None:
        """Makes the current or next `wait` return at once (to stop, or to run a timer)."""
        with self._cond:
            self._woken = True
            self._cond.notify_all()

    def pending(self) -> list[str]:
        with self._cond:
            return list(self._paths)

    def _due_at(self) -> float | None:
        if not self._paths:
            return None
        if self._hold_until is not None:
            return self._hold_until
        return min(self._last + self.quiet, self._first + self.max_wait)

    def wait(self, timeout: float) -> list[str]:
        """The next batch, or [] after `timeout` seconds or a `wake`."""
        deadline = self._clock() + timeout
        with self._cond:
            while not self._woken:
                now, due = self._clock(), self._due_at()
                if due is not None and now >= due:
                    batch, self._paths, self._hold_until = list(self._paths), {}, None
                    return batch
                if now >= deadline:
                    return []
                self._cond.wait(min(deadline, due if due is not None else deadline) - now)
            self._woken = False
            return []
