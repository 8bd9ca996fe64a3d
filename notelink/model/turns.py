"""Turns for Hogwild worker processes when the machine gives the run about one core.

Two workers side by side on one core cost more than one worker alone: each evicts the other's rows and
temporaries from the cache between time slices (~1.2x one worker's CPU a word; RESULTS-speed.md, sessions
29-30). That happens when another job takes the other core, and with Linux's autogroup a job in another
login session takes a whole core however it is niced: then two workers were 1.11-1.51x slower than one.

So each worker measures, over each chunk it runs beside the others, the share of a core it got (its
thread's CPU time / wall time). When the shares add up to less than `CONTENDED` cores, the next
`TURN_CHUNKS` chunks run one at a time (a worker holds the turn for a chunk; the others wait, polling
progress and cancellation); then they run side by side again and measure anew.

Turns pay only where the run's share of the machine is fixed (a job in another session, a CPU quota).
Where the kernel shares the cores per thread (a job in the same session), one worker gets less than two
did: a worker alone that got less than the workers side by side, less the cost of sharing a core
(`SHARING`), ends turns for the run. The chunks, their order and the learning rate are the same either
way; only which worker steps when changes (Hogwild's interleaving, not reproducible with two workers
anyway). Threads get no turns: they share the cache, and the GIL already makes them take turns.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

CONTENDED = 1.2
"""Cores: below this sum of the workers' measured shares, chunks run one at a time. Side by side, s cores
shared by two workers do ~s / `SHARING` of one worker's work; by turns, one worker gets a core (s >= 1)."""

SHARING = 1.2
"""The CPU a word costs two workers side by side on one core, as a multiple of one worker's (measured
1.01-1.28x, median 1.23, RESULTS-speed.md session 30)."""

TURN_CHUNKS = 8
"""Chunks run by turns before the workers run side by side and measure again (a chunk takes ~0.1-0.3 s),
once turns have paid; the first round is `FIRST_TURN_CHUNKS`, as short as tells whether they pay."""

FIRST_TURN_CHUNKS = 2

MIN_WALL_S = 0.02
"""A chunk shorter than this measures nothing (timer resolution, a last short chunk)."""


class Turns:
    """Shared by the workers: each one's last share of a core side by side, and the turns' own account."""

    def __init__(self, workers: int) -> None:
        self.workers, self.enabled = workers, False
        self.state = np.full(workers + _SLOTS, math.nan)  # [shares side by side..., the turns' slots]
        self.state[-_SLOTS:] = 0
        self.lock: Any = threading.Lock()  # the turn
        self.counting: Any = threading.Lock()  # guards the count of chunks running side by side

    def share(self, ctx: Any) -> None:
        """Moves the state into memory that forked worker processes share, and turns the turns on."""
        raw = ctx.RawArray("d", self.state.shape[0])
        state = np.frombuffer(raw, dtype=np.float64)
        state[:] = self.state
        self.state, self.lock, self.counting, self.enabled = state, ctx.Lock(), ctx.Lock(), True
        self._raw = raw  # keeps the buffer alive

    @property
    def chunks_by_turns(self) -> int:
        """Chunks run by turns so far, by all the workers."""
        return int(self.state[_DONE])

    @property
    def by_turns(self) -> bool:
        """Whether a round of turns is on (chunks run one at a time)."""
        return self.enabled and self.state[_LEFT] > 0 and not self.state[_OFF]

    def begin(self, idle: Callable[[], bool]) -> bool | None:
        """Before a chunk: whether it runs by turns (the turn then held until `end`, once the chunks
        running side by side have ended, so that it runs alone), or None when `idle`, called while
        waiting, says training stopped."""
        if not self.enabled or self._side_by_side():
            return False
        while not self.lock.acquire(timeout=0.05):
            if idle():
                return None
        if self._side_by_side():  # (the round ended while this worker waited for the turn)
            self.lock.release()
            return False
        while self.state[_SIDE_BY_SIDE] > 0:
            if idle():
                self.lock.release()
                return None
            time.sleep(0.005)
        return True

    def _side_by_side(self) -> bool:
        """Counts a chunk starting side by side unless a round of turns is on; whether it did. (Under
        `counting`, as a round starts: no chunk starts side by side once it has.)"""
        with self._counting():
            if self.by_turns:
                return False
            self.state[_SIDE_BY_SIDE] += 1
            return True

    @contextlib.contextmanager
    def _counting(self) -> Iterator[None]:
        """The count's lock; a worker process killed while holding it (for microseconds) is an error after
        10 s, not a wait for ever."""
        if not self.counting.acquire(timeout=10):
            raise TimeoutError("a training worker process died while counting the chunks it ran")
        try:
            yield
        finally:
            self.counting.release()

    def end(self, worker: int, by_turns: bool, cpu_s: float, wall_s: float) -> None:
        """After a chunk: gives the turn back (its CPU and wall time counted), or records the share of a
        core measured side by side and starts turns when the shares add up to less than `CONTENDED`."""
        if by_turns:
            self._turn_ended(cpu_s, wall_s)
            self.lock.release()
        elif self.enabled:
            with self._counting():
                self.state[_SIDE_BY_SIDE] -= 1
                if wall_s >= MIN_WALL_S:
                    self._measured(worker, cpu_s / wall_s)

    def _measured(self, worker: int, share: float) -> None:
        """Records a worker's share of a core side by side; starts a round of turns when every worker's
        share is known and they add up to less than `CONTENDED`."""
        self.state[worker] = share
        shares = self.state[: self.workers]
        if not np.isnan(shares).any() and shares.sum() < CONTENDED:
            self.state[_SIDE] = shares.sum()  # s: the cores the workers got side by side
            self.state[_CPU] = self.state[_WALL] = 0.0
            self.state[_LEFT] = TURN_CHUNKS if self.state[_PAID] else FIRST_TURN_CHUNKS
            shares[:] = math.nan  # (measured again after these turns)

    def _turn_ended(self, cpu_s: float, wall_s: float) -> None:
        """Counts a chunk run by turns; after the last of a round, turns end for good if a worker alone got
        less of a core than s / SHARING (the kernel shares the cores per thread: turns cost, not pay)."""
        self.state[_DONE] += 1
        self.state[_CPU] += cpu_s
        self.state[_WALL] += wall_s
        self.state[_LEFT] -= 1
        if self.state[_LEFT] <= 0 and self.state[_WALL] > 0:
            alone = self.state[_CPU] / self.state[_WALL]  # a core's share a worker alone got
            paid = alone >= self.state[_SIDE] / SHARING
            self.state[_PAID if paid else _OFF] = 1.0


_SLOTS = 8  # the turns' slots at `Turns.state`'s end: the cores side by side, CPU and wall time by turns,
# chunks left by turns, turns off for the run, chunks done by turns, turns paid, chunks running side by side
_SIDE, _CPU, _WALL, _LEFT, _OFF, _DONE, _PAID, _SIDE_BY_SIDE = range(-_SLOTS, 0)
