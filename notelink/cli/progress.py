"""A one-line progress bar for the terminal, fed by the indexer's IndexEvent messages: each stage's name, a
bar where the stage has a count, the time it has run and, where the rate means something (reading notes,
training), the time it has left. The time ticks once a second while a stage runs (a stage without a count
posts one event at its start: finding mentions on 100k notes showed one frozen line for 8 minutes).
Where stderr is no terminal (a log, a pipe), a line per stage and per epoch instead, with the time since
the start: a log was silent for minutes until the summary."""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import TextIO

from notelink.index.report import IndexEvent
from notelink.processes import fork_safe

_LABELS = {"wait": "waiting for another build", "scan": "finding notes", "check": "checking index",
           "parse": "reading notes",
           "words": "counting words", "mentions": "finding mentions", "search": "building search data",
           "train": "training CBOW", "vectors": "note vectors", "write": "saving index",
           "related": "ranking notes"}  # (`health`: every note against every other)
_WITH_ETA = ("parse", "train", "related")  # (steady rates; other stages' steps take unlike times)
_REDRAW = 0.1  # seconds between redraws within a stage, at most
_TICK = 0.2  # seconds between the ticker thread's looks at the time shown (which changes once a second)
_EPOCH_LINES = 10.0  # without a terminal: seconds at least between two training lines (40 short epochs)

_DRAWING = threading.Lock()
"""Held while a line is written (by the build or the ticker thread), and by a fork: the build forks its
parsing and training processes, and a child must not inherit stderr's lock taken by the ticker mid-write."""
os.register_at_fork(before=_DRAWING.acquire, after_in_parent=_DRAWING.release,
                    after_in_child=_DRAWING.release)


class ProgressBar:
    """Redraws one stderr line on a terminal; elsewhere (a log, a pipe, CI) writes a line per stage
    (`lines`); with --json (`enabled` False) only one line when the build waits for another one (else a
    script would seem to hang). Used as a context manager, a thread calls `tick` on a terminal until
    `close`."""

    clock: Callable[[], float] = time.monotonic

    def __init__(self, stream: TextIO | None = None, width: int = 28, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.lines = enabled and not self.enabled  # a line a stage: no terminal to redraw on
        self._started: float | None = None  # when the first event came (`lines` say the time since)
        self.width = width
        self._last, self._stage, self._since = 0.0, "", 0.0
        self._event: IndexEvent | None = None  # the latest one, drawn or not: what `tick` redraws
        self._closed = threading.Event()

    @classmethod
    def of_command(cls, args: argparse.Namespace) -> ProgressBar:
        """The bar of a command that has one (`index`, `health`): none with --json, whose reader (a script,
        an agent) takes stderr too, where a redrawn line is noise."""
        return cls(enabled=not getattr(args, "json", False))

    def __enter__(self) -> ProgressBar:
        """Starts the thread that ticks the time (on a terminal only); `close` on leaving."""
        if self.enabled:
            fork_safe(threading.Thread(target=self._ticking, name="notelink-progress", daemon=True)).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __call__(self, ev: IndexEvent) -> None:
        if not self.enabled:
            if ev.stage == "wait" and self._stage != "wait":
                self._write("notelink: waiting for another build of this index to finish\n")
            elif self.lines:
                self._stage_line(ev)
            self._stage = ev.stage
            return
        with _DRAWING:
            now = self.clock()
            if ev.stage != self._stage:  # (a new stage is always shown)
                self._since = now
            elif now - self._last < _REDRAW and not ev.done == ev.total > 0:
                self._event = ev
                return
            self._stage = ev.stage
            self._draw(ev, now)

    def _stage_line(self, ev: IndexEvent) -> None:
        """Without a terminal: a line when a stage begins, and when training begins an epoch (no more than
        one every `_EPOCH_LINES` seconds)."""
        now = self.clock()
        self._started = now if self._started is None else self._started
        epoch = (ev.stage == "train" and self._event is not None and self._event.stage == "train"
                 and max(ev.epoch, 1) != max(self._event.epoch, 1) and now - self._last >= _EPOCH_LINES)
        self._event = ev
        if ev.stage == self._stage and not epoch:
            return
        self._last = now
        what = _LABELS.get(ev.stage, ev.stage)
        if ev.stage == "train" and ev.epochs:
            what += f", epoch {max(ev.epoch, 1)}/{ev.epochs}"
        elif ev.stage == "parse" and ev.total:
            what += f" ({ev.total:,})"
        self._write(f"notelink: {what}  {_clock(now - self._started)}\n")

    def _write(self, text: str) -> None:
        with _DRAWING:
            self.stream.write(text)
            self.stream.flush()

    def tick(self) -> None:
        """Redraws the latest event's line when the seconds shown have changed since the last draw: the
        time a stage has run moves while the stage posts nothing."""
        with _DRAWING:
            now, ev = self.clock(), self._event
            if self.enabled and ev is not None and not self._closed.is_set() \
                    and int(now - self._since) != int(self._last - self._since):
                self._draw(ev, now)

    def _draw(self, ev: IndexEvent, now: float) -> None:
        self._last, self._event = now, ev
        self.stream.write(f"\r\033[K{self.line(ev, now - self._since)}")
        self.stream.flush()

    def _ticking(self) -> None:
        while not self._closed.wait(_TICK):
            self.tick()

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
        """Clears the line; the time stops ticking."""
        self._closed.set()
        if self.enabled:
            with _DRAWING:
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
