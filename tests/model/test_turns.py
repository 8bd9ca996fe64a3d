"""`Turns`: worker processes that get about one core between them run their chunks one at a time, for a few
chunks, then side by side again; a run by turns trains every job as a run side by side does."""

from __future__ import annotations

import multiprocessing
import threading
import time
from dataclasses import dataclass

import pytest

from notelink.config import TrainConfig
from notelink.model import hogwild
from notelink.model.hogwild import Schedule
from notelink.model.turns import TURN_CHUNKS, Turns
from notelink.processes import can_fork_workers


def _shared(workers: int = 2) -> Turns:
    turns = Turns(workers)
    turns.share(multiprocessing.get_context("fork"))
    return turns


def test_workers_that_share_a_core_take_turns_then_measure_again() -> None:
    turns = _shared()
    turns.end(0, False, cpu_s=0.5, wall_s=1.0)
    assert not turns.by_turns  # (one worker's share alone decides nothing)
    turns.end(1, False, cpu_s=0.45, wall_s=1.0)
    assert turns.by_turns
    for _ in range(TURN_CHUNKS):
        assert turns.begin(lambda: False) is True
        turns.end(0, True, cpu_s=1.0, wall_s=1.0)
    assert not turns.by_turns and turns.begin(lambda: False) is False


def test_workers_with_a_core_each_run_side_by_side() -> None:
    turns = _shared()
    for worker in (0, 1, 0, 1):
        turns.end(worker, False, cpu_s=0.9, wall_s=1.0)
    assert not turns.by_turns


def test_one_worker_at_a_time_holds_the_turn_and_a_stop_ends_the_wait() -> None:
    turns = _shared()
    turns.end(0, False, 0.4, 1.0)
    turns.end(1, False, 0.4, 1.0)
    assert turns.begin(lambda: False) is True  # worker 0 holds the turn
    stopped = threading.Event()
    waited: list[bool | None] = []
    other = threading.Thread(target=lambda: waited.append(turns.begin(stopped.is_set)))
    other.start()
    other.join(timeout=0.2)
    assert other.is_alive()  # (waiting for the turn)
    stopped.set()
    other.join(timeout=30)
    assert waited == [None]
    turns.end(0, True, 1.0, 1.0)


def test_threads_get_no_turns() -> None:
    turns = Turns(2)  # (not shared: threads)
    turns.end(0, False, 0.1, 1.0)
    turns.end(1, False, 0.1, 1.0)
    assert not turns.by_turns and turns.begin(lambda: False) is False


@dataclass
class _Chunk:
    n: int
    words: int


class _Sleeper:
    """A stepper whose steps take wall time but no CPU: as two workers that get no core between them."""

    cfg = TrainConfig(threads=2)
    batch = 10

    def make_chunk(self, a: int, b: int, seed: int) -> _Chunk:
        return _Chunk(b - a, b - a)

    def batches(self, c: _Chunk) -> int:
        return -(-c.n // self.batch)

    def step(self, c: _Chunk, i: int, lr: float) -> None:
        time.sleep(0.004)


@pytest.mark.skipif(not can_fork_workers(), reason="worker processes need fork")
def test_worker_processes_short_of_cpu_train_every_job_by_turns() -> None:
    jobs = [(0, a, a + 50) for a in range(0, 2000, 50)]  # 40 chunks of 5 steps
    sched = Schedule(_Sleeper.cfg, total=2000, epochs=1, jobs=jobs, workers=2)
    hogwild.run(_Sleeper(), sched, 2, processes=True)
    assert sched.done == 2000
    assert sched.turns.chunks_by_turns > 0  # (this process's worker 0 ran some by turns)
