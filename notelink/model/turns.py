"""Turns for Hogwild worker processes when the machine gives the run about one core.

Two workers side by side on one core cost more than one worker alone: each evicts the other's rows and
temporaries from the cache between time slices (~1.2x one worker's CPU a word; RESULTS-speed.md, sessions
29-30). That happens when another job takes the other core, and with Linux's autogroup a job in another
login session takes a whole core however it is niced: then two workers were 1.11-1.51x slower than one.

So each worker measures, over each chunk it runs beside the others, the share of a core it got (its
thread's CPU time / wall time). When the shares add up to less than `CONTENDED` cores, the next
`TURN_CHUNKS` chunks run one at a time (a worker holds the turn for a chunk; the others wait, polling
progress and cancellation); then they run side by side again and measure anew. The chunks, their order and
the learning rate are the same either way; only which worker steps when changes (Hogwild's interleaving,
which is not reproducible with two workers anyway). Threads are not given turns: they share the cache and
the GIL already takes turns for them.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

CONTENDED = 1.2
"""Cores: below this sum of the workers' measured shares, chunks run one at a time. Side by side, s cores
shared by two workers do ~s / 1.2 of one worker's work; by turns, one worker gets a core (s >= 1)."""

TURN_CHUNKS = 8
"""Chunks run by turns before the workers run side by side and measure again (a chunk takes ~0.1-0.3 s)."""

MIN_WALL_S = 0.02
"""A chunk shorter than this measures nothing (timer resolution, a last short chunk)."""


class Turns:
    """Shared by the workers: each one's last share of a core side by side, and the chunks left by turns."""

    def __init__(self, workers: int) -> None:
        self.workers, self.enabled = workers, False
        self.state = np.full(workers + 1, math.nan)  # [each worker's share side by side, chunks by turns]
        self.state[-1] = 0
        self.lock: Any = threading.Lock()  # the turn
        self.chunks_by_turns = 0  # (this process's, for tests and reports)

    def share(self, ctx: Any) -> None:
        """Moves the state into memory that forked worker processes share, and turns the turns on."""
        raw = ctx.RawArray("d", self.state.shape[0])
        state = np.frombuffer(raw, dtype=np.float64)
        state[:] = self.state
        self.state, self.lock, self.enabled = state, ctx.Lock(), True
        self._raw = raw  # keeps the buffer alive

    @property
    def by_turns(self) -> bool:
        return self.enabled and self.state[-1] > 0

    def begin(self, idle: Callable[[], bool]) -> bool | None:
        """Before a chunk: whether it runs by turns (the turn then held until `end`), or None when `idle`,
        called while waiting for the turn, says training stopped."""
        if not self.by_turns:
            return False
        while not self.lock.acquire(timeout=0.05):
            if idle():
                return None
        return True

    def end(self, worker: int, by_turns: bool, cpu_s: float, wall_s: float) -> None:
        """After a chunk: gives the turn back, or records the share of a core measured side by side and
        starts turns when the shares add up to less than `CONTENDED`."""
        if by_turns:
            self.chunks_by_turns += 1
            self.state[-1] -= 1
            self.lock.release()
            return
        if not self.enabled or wall_s < MIN_WALL_S:
            return
        self.state[worker] = cpu_s / wall_s
        shares = self.state[:-1]
        if not np.isnan(shares).any() and shares.sum() < CONTENDED:
            self.state[:-1] = math.nan  # (measured again after these turns)
            self.state[-1] = TURN_CHUNKS
