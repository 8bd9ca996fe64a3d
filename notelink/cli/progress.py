"""A one-line progress bar for the terminal, fed by the indexer's IndexEvent messages."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from notelink.index.build import IndexEvent

_LABELS = {"wait": "waiting for another build", "parse": "reading notes", "train": "training CBOW",
           "vectors": "note vectors",
           "write": "saving index"}


class ProgressBar:
    """Redraws one stderr line; silent when stderr is not a terminal (pipes, CI, --json), except for one
    line when the build waits for another one (else a script would seem to hang)."""

    def __init__(self, stream: TextIO | None = None, width: int = 28, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.width = width
        self._last, self._stage = 0.0, ""

    def __call__(self, ev: IndexEvent) -> None:
        now = time.monotonic()
        if not self.enabled:
            if ev.stage == "wait" and self._stage != "wait":
                self.stream.write("notelink: waiting for another build of this index to finish\n")
                self.stream.flush()
            self._stage = ev.stage
            return
        if now - self._last < 0.1 and ev.done < ev.total and ev.stage == self._stage:
            return  # (a new stage is always shown)
        self._last, self._stage = now, ev.stage
        frac = ev.done / ev.total if ev.total else 0.0
        bar = "█" * int(frac * self.width) + "░" * (self.width - int(frac * self.width))
        label = _LABELS.get(ev.stage, ev.stage)
        detail = f"{ev.done}/{ev.total}" if ev.stage == "parse" else f"{frac:4.0%}"
        if ev.stage == "train":
            detail = f"epoch {ev.epoch}/{ev.epochs}  {ev.words_per_second / 1e3:,.0f}k words/s"
        self.stream.write(f"\r\033[K{label:<14} {bar} {detail}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()
