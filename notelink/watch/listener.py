"""Who the watcher tells what happens: `WatchEvent`s reach the listener (`on_event`) from the worker's thread
only; other threads (watchdog's observer) post theirs, which the worker hands on at its next turn."""

from __future__ import annotations

import logging
import queue
from collections.abc import Callable
from dataclasses import dataclass

from notelink.index.report import IndexEvent

log = logging.getLogger("notelink.watch")


@dataclass(frozen=True)
class WatchEvent:
    """What the watcher tells `on_event` (called from the watcher's thread)."""

    kind: str  # changed | indexing | progress | indexed | waiting (no notes yet) | error | stopped
    #            | watching (OS events work again, after a fallback to rescans)
    #            | current (a batch, or a wait for another build, ended with nothing to build)
    paths: tuple[str, ...] = ()  # vault-relative paths in the batch ("folder/" for a moved folder)
    generation: int = 0  # for "indexed" and "current": the generation now live
    message: str = ""  # for "changed": what the batch was ("moved a.md → b.md; changed: c.md")
    progress: IndexEvent | None = None  # for "progress"
    moves: tuple[tuple[str, str], ...] = ()  # for "changed": the batch's renames (from, to), `changes.Moves`
    retrain_reason: str = ""  # for "indexed": why it retrained from scratch (a setting changed, a big
    #                           change...), else ""
    said: str = ""  # for "indexed" and "current": what its batch was, as the log says it ("new: a.md",
    #                 "moved a.md → b.md"); "" for a reconcile
    brief: str = ""  # for "changed", "indexed" and "current": what its batch was in a line or two, for a
    #                  toast (`changes.Batch.brief`: counts when that was long); "" for a reconcile


class Listener:
    """The watcher's `on_event` (None: nobody listens), with the events other threads posted for it."""

    def __init__(self, on_event: Callable[[WatchEvent], None] | None, wake: Callable[[], None]) -> None:
        self.on_event = on_event
        self._wake = wake  # wakes the worker (the debouncer's wait), which then drains the posted events
        self._notices: queue.SimpleQueue[WatchEvent] = queue.SimpleQueue()  # from other threads

    def post(self, event: WatchEvent) -> None:
        """For other threads: `event` reaches on_event from the worker's thread."""
        self._notices.put(event)
        self._wake()

    def drain(self) -> None:
        """In the worker: hands on what other threads posted."""
        while True:
            try:
                self.emit(self._notices.get_nowait())
            except queue.Empty:
                return

    def emit(self, event: WatchEvent) -> None:
        """In the worker: tells the listener; a listener's bug is logged, never raised."""
        if self.on_event is None:
            return
        try:
            self.on_event(event)
        except Exception:  # a listener's bug must not stop the watcher
            log.exception("on_event raised for %s", event.kind)
