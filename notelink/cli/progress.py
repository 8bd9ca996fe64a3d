"""A one-line progress bar for the terminal, fed by the indexer's IndexEvent messages: each stage's name, a
bar where the stage has a count, the time it has run and, where the rate means something (reading notes,
training), the time it has left."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from notelink.index.report import IndexEvent

_LABELS = {"wait": "waiting for another build", "check": "checking index", "parse": "reading notes",
           "words": "counting words", "mentions": "finding mentions", "search": "building search data",
           "train": "training CBOW", "vectors": "note vectors", "write": "saving index",
           "related": "ranking notes"}  # (`health`: every note against every other)
_WITH_ETA = ("parse", "train", "related")  # (steady rates; other stages' steps take unlike times)
_REDRAW = 0.1  # seconds between redraws within a stage, at most


class ProgressBar:
    """Redraws one stderr line; silent when stderr is not a terminal (pipes, CI, --json), except for one
    line when the build waits for another one (else a script would seem to hang)."""

    clock: Callable[[], float] = time.monotonic

    def __init__(self, stream: TextIO | None = None, width: int = 28, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.width = width
        self._last, self._stage, self._since = 0.0, "", 0.0

    def __call__(self, ev: IndexEvent) -> None:
        if not self.enabled:
            if ev.stage == "wait" and self._stage != "wait":
                self.stream.write("notelink: waiting for another build of this index to finish\n")
                self.stream.flush()
            self._stage = ev.stage
            return
        now = self.clock()
        if ev.stage != self._stage:  # (a new stage is always shown)
            self._since = now
        elif now - self._last < _REDRAW and not ev.done == ev.total > 0:
            return
        self._last, self._stage = now, ev.stage
        self.stream.write(f"\r\033[K{self.line(ev, now - self._since)}")
        self.stream.flush()

    def line(self, ev: IndexEvent, elapsed: float) -> str:
        """The stage, its bar and count where it has one, and its time (and time left)."""
        label = _LABELS.get(ev.stage, ev.stage)
        share = ev.share()
        if share is None:
            return f"{label}  {_clock(elapsed)}"
        filled = int(share * self.width)
        bar = "█" * filled + "░" * (self.width - filled)
        detail = f"{ev.done}/{ev.total}" if ev.stage == "parse" else f"{share:4.0%}"
        if ev.stage == "train":
            detail = f"epoch {ev.epoch}/{ev.epochs}  {ev.words_per_second / 1e3:,.0f}k words/s"
        return f"{label:<14} {bar} {detail}  {_clock(elapsed)}{_left(ev.stage, share, elapsed)}"

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _left(stage: str, share: float, elapsed: float) -> str:
    """", ~M:SS left" at the rate so far, once there is one to go by."""
    if stage not in _WITH_ETA or share < 0.02 or elapsed < 2 or share >= 1:
        return ""
    return f", ~{_clock(elapsed * (1 - share) / share)} left"


def _clock(seconds: float) -> str:
    """M:SS, or H:MM:SS from an hour."""
    m, s = divmod(int(seconds), 60)
    return f"{m // 60}:{m % 60:02d}:{s:02d}" if m >= 60 else f"{m}:{s:02d}"
