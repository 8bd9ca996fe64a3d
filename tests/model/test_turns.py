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
from notelink.model.turns import FIRST_TURN_CHUNKS, TURN_CHUNKS, Turns
from notelink.processes import can_fork_workers


def _shared(workers: int = 2) -> Turns:
    turns = Turns(workers)
    turns.share(multiprocessing.get_context("fork"))
    return turns


def _side_by_side(turns: Turns, worker: int, share: float) -> None:
    """A chunk run side by side, in which `worker` got `share` of a core."""
    assert turns.begin(lambda: False) is False
    turns.end(worker, False, cpu_s=share, wall_s=1.0)


def _by_turns(turns: Turns, chunks: int, share: float) -> None:
    for _ in range(chunks):
        assert turns.by_turns and turns.begin(lambda: False) is True
        turns.end(0, True, cpu_s=share, wall_s=1.0)


def test_workers_that_share_a_core_take_turns_then_measure_again() -> None:
    turns = _shared()
    _side_by_side(turns, 0, 0.5)
    assert not turns.by_turns  # (one worker's share alone decides nothing)
    _side_by_side(turns, 1, 0.45)
    for chunks in (FIRST_TURN_CHUNKS, TURN_CHUNKS):  # (a short first round: do turns pay here?)
        _by_turns(turns, chunks, 1.0)  # (a worker alone gets a whole core: they pay)
        assert not turns.by_turns and turns.begin(lambda: False) is False
        turns.end(0, False, cpu_s=0.5, wall_s=1.0)
        _side_by_side(turns, 1, 0.5)  # (still short of CPU: turns again)
    assert turns.by_turns and turns.chunks_by_turns == FIRST_TURN_CHUNKS + TURN_CHUNKS


def test_turns_end_for_the_run_where_a_worker_alone_gets_less_than_the_two_did() -> None:
    turns = _shared()  # (the kernel shares the cores per thread: a job in the same session)
    _side_by_side(turns, 0, 0.5)
    _side_by_side(turns, 1, 0.5)  # s = 1.0
    _by_turns(turns, FIRST_TURN_CHUNKS, 0.6)  # alone 0.6 < 1.0 / SHARING
    _side_by_side(turns, 0, 0.3)
    _side_by_side(turns, 1, 0.3)
    assert not turns.by_turns


def test_workers_with_a_core_each_run_side_by_side() -> None:
    turns = _shared()
    for worker in (0, 1, 0, 1):
        _side_by_side(turns, worker, 0.9)
    assert not turns.by_turns


def test_a_turn_waits_for_the_chunks_still_running_side_by_side_and_a_stop_ends_the_wait() -> None:
    turns = _shared()
    _side_by_side(turns, 1, 0.4)
    assert turns.begin(lambda: False) is False  # worker 1's next chunk, side by side, still running when
    _side_by_side(turns, 0, 0.4)  # worker 0's chunk ends and turns begin
    assert turns.by_turns
    got: list[bool | None] = []
    first = threading.Thread(target=lambda: got.append(turns.begin(lambda: False)))
    first.start()
    first.join(timeout=0.2)
    assert first.is_alive() and not got  # (waiting for worker 1's chunk)
    turns.end(1, False, cpu_s=0.4, wall_s=1.0)
    first.join(timeout=30)
    assert got == [True]  # (worker 0 holds the turn, alone)
    stopped = threading.Event()
    other = threading.Thread(target=lambda: got.append(turns.begin(stopped.is_set)))
    other.start()
    other.join(timeout=0.2)
    assert other.is_alive()  # (waiting for the turn)
    stopped.set()
    other.join(timeout=30)
    assert got == [True, None]
    turns.end(0, True, 1.0, 1.0)


def test_a_worker_waiting_for_the_turn_when_the_round_ends_runs_side_by_side() -> None:
    """It held the turn for a chunk counted as alone while the worker that ended the round ran beside it
    (the review: turns ended for the run on an overlapped chunk, or one worker shut out for 247 chunks)."""
    turns = _shared()
    _side_by_side(turns, 0, 0.5)
    _side_by_side(turns, 1, 0.45)
    _by_turns(turns, FIRST_TURN_CHUNKS - 1, 1.0)
    assert turns.begin(lambda: False) is True  # (the round's last chunk)
    got: list[bool | None] = []
    waiting = threading.Thread(target=lambda: got.append(turns.begin(lambda: False)))
    waiting.start()
    waiting.join(timeout=0.2)
    assert waiting.is_alive()  # (waiting for the turn)
    turns.end(0, True, cpu_s=1.0, wall_s=1.0)  # the round ends (it paid)
    waiting.join(timeout=30)
    assert got == [False] and not turns.by_turns  # (side by side, counted: measured again)
    assert turns.begin(lambda: False) is False  # (the worker that ended the round, side by side too)
    turns.end(1, False, cpu_s=0.5, wall_s=1.0)
    turns.end(0, False, cpu_s=0.5, wall_s=1.0)
    assert turns.by_turns  # (a new round, of `TURN_CHUNKS`: the first one paid)


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
    jobs = [(0, a, a + 80) for a in range(0, 3200, 80)]  # 40 chunks of 8 steps
    sched = Schedule(_Sleeper.cfg, total=3200, epochs=1, jobs=jobs, workers=2)
    hogwild.run(_Sleeper(), sched, 2, processes=True)
    assert sched.done == 3200
    assert sched.turns.chunks_by_turns >= FIRST_TURN_CHUNKS
