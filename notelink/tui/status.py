"""The indexing progress bar docked at the bottom: what a build is doing, how far it is, and that it moves."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, ProgressBar

if TYPE_CHECKING:  # the indexer (parsing, training) is imported only when the app builds an index
    from notelink.index.build import IndexEvent


class IndexStatus(Vertical):
    """Indexing progress docked at the bottom: stage, share done, seconds in the stage, and a bar. Hidden
    when idle. The seconds tick once a second, so a stage that reports no progress (computing note vectors,
    a first build's reading) still shows it is moving."""

    clock: Callable[[], float] = time.monotonic

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._line = ""
        self._stage = ""
        self._since = 0.0

    def compose(self) -> ComposeResult:
        yield Label("", id="index-label")
        yield ProgressBar(id="index-bar", show_eta=False)

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)

    def show_event(self, ev: IndexEvent, cancellable: bool = True) -> None:
        """Shows a build's progress; `cancellable`: the app's own build, which `x` cancels."""
        self._set(describe_event(ev, cancellable), ev.stage)
        bar = self.query_one("#index-bar", ProgressBar)
        share = done_share(ev)
        if share is None:
            bar.update(total=None)
        else:
            bar.update(total=1000, progress=round(share * 1000))

    def start(self, message: str) -> None:
        self._set(message, "start")
        self.query_one("#index-bar", ProgressBar).update(total=None, progress=0)

    def _set(self, line: str, stage: str) -> None:
        self.display = True
        if stage != self._stage:
            self._stage, self._since = stage, self.clock()
        self._line = line
        self.tick()

    def tick(self) -> None:
        """The line with the seconds spent in the current stage."""
        if self.display and self._line:
            seconds = int(self.clock() - self._since)
            self.query_one("#index-label", Label).update(self._line + (f" · {seconds} s" if seconds else ""))

    def finish(self) -> None:
        self.display = False
        self._line = self._stage = ""


def done_share(ev: IndexEvent) -> float | None:
    """How much of a stage is done, 0-1 (training: of all epochs), or None when the stage does not say."""
    return ev.share()


def describe_event(ev: IndexEvent, cancellable: bool = True) -> str:
    """One line for a progress event, as people read it; `cancellable` adds that `x` cancels."""
    share = done_share(ev)
    percent = f" ({share:.0%})" if share is not None else ""
    return _stage_line(ev) + percent + ("   (x: cancel)" if cancellable else "")


_STAGES = {"scan": "Finding notes…", "wait": "Waiting for another index build (the watcher's) to finish…",
           "check": "Checking the index…", "words": "Counting words…",
           "mentions": "Finding where notes name each other…", "search": "Building the search data…",
           "vectors": "Computing note vectors…", "write": "Saving the index…"}


def _stage_line(ev: IndexEvent) -> str:
    if ev.stage == "train" and not ev.epochs:  # (the trainer being set up)
        return "Learning your vocabulary…"
    if ev.stage == "train":
        return f"Learning your vocabulary: pass {ev.epoch}/{ev.epochs}"
    if ev.stage == "parse":
        return f"Reading notes: {ev.done:,}/{ev.total:,}"
    return _STAGES.get(ev.stage, "Indexing…")
