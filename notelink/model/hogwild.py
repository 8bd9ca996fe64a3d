"""Hogwild workers for `cbow.train`: several workers update the same two matrices without locks, as
word2vec.c and gensim do. Each worker claims the next chunk of (epoch, corpus range) jobs, prepares it and
runs its batch steps; the learning rate decays with the words done by all workers together.

Two ways to run them (see benchmarks/RESULTS-speed.md for the measurements):
- Threads. torch ops release the GIL, but a batch step is ~60 small ops with Python in between, so two
  threads mostly take turns (~1.2x one thread).
- Processes, on Linux for large enough runs (`use_processes`): worker 0 stays in the calling process (it
  polls progress and cancellation), the others are forked children. The matrices are in shared memory
  (anonymous shared mmaps, `device.shared_memory`), the words done, the next job and the stop flag in a
  shared array.
  'fork' starts a child in milliseconds with torch already imported and single-threaded (no OpenMP team
  exists to be broken by the fork: training always runs with one intra-op thread); 'forkserver' and
  'spawn' re-import torch in each child (~1-2 s). A child is SIGKILLed when its parent dies
  (PR_SET_PDEATHSIG), so no worker outlives a killed build; an error in a child stops the others and is
  raised in the parent as `WorkerError`. A daemonic process cannot have children, and a fork from a
  process with other threads may copy a lock one of them holds: both train with threads. (The watcher's
  build children are not daemonic, for this reason.)
  Worker processes that get about one core between them run their chunks by turns (`turns`).

This module does not import torch, nor the trainer: the step itself is `cbow._Trainer.step`, a `Stepper`.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol

import numpy as np

from notelink.config import TrainConfig
from notelink.model.turns import Turns
from notelink.processes import can_fork_workers, die_with_parent

MIN_PROCESS_WORDS = 200_000
"""Words (corpus tokens x epochs) from which training uses worker processes: a fork costs ~5-10 ms, and
processes were faster than threads from 18k words on (RESULTS-speed.md); tiny runs keep threads."""

Job = tuple[int, int, int]  # (epoch, start, end) of one chunk


class Chunk(Protocol):
    """A chunk of the corpus as the trainer prepared it (`cbow._Chunk`)."""

    n: int  # kept (subsampled) centre words
    words: int  # raw words the chunk stands for, for the learning rate and progress


class Stepper(Protocol):
    """What the workers run: the trainer (`cbow._Trainer`), known here by what it does, so that the workers
    never import the trainer (and torch) and the trainer imports them, one way."""

    cfg: TrainConfig
    batch: int  # centres per step

    def make_chunk(self, a: int, b: int, seed: int) -> Chunk: ...
    def batches(self, c: Any) -> int: ...
    def step(self, c: Any, i: int, lr: float) -> None: ...


class WorkerError(RuntimeError):
    """A training worker process failed or died; the message says how."""


@dataclass(frozen=True)
class TrainProgress:
    epoch: int
    epochs: int
    words_done: int
    words_total: int
    words_per_second: float
    lr: float


class Schedule:
    """The job list and, shared by all workers: words done per worker, the next job, the stop flag; from
    them the linear learning-rate decay. Progress and cancellation are polled by the calling thread."""

    def __init__(self, cfg: TrainConfig, total: int, epochs: int, jobs: list[Job], workers: int,
                 progress: Callable[[TrainProgress], None] | None = None,
                 should_stop: Callable[[], bool] | None = None) -> None:
        self.cfg, self.total, self.epochs, self.jobs = cfg, total, epochs, jobs
        self.progress, self.should_stop = progress, should_stop
        self.state = np.zeros(workers + 2, dtype=np.int64)  # [words done by each worker, next job, stop]
        self.lock: Any = threading.Lock()  # guards the next-job slot
        self.epoch, self.t0, self.last = 1, time.perf_counter(), 0.0
        self.check: Callable[[], None] = lambda: None  # raises when a worker process failed
        self.turns = Turns(workers)  # chunks one at a time when the run gets about one core (processes)

    def share(self, ctx: Any) -> None:
        """Moves the shared state into memory that forked processes share."""
        raw = ctx.RawArray("q", self.state.shape[0])
        self.state, self.lock = np.frombuffer(raw, dtype=np.int64), ctx.Lock()
        self._raw = raw  # keeps the buffer alive
        self.turns.share(ctx)

    @property
    def done(self) -> int:
        return min(self.total, int(self.state[:-2].sum()))

    @property
    def stopped(self) -> bool:
        return bool(self.state[-1])

    def stop(self) -> None:
        self.state[-1] = 1

    def finish(self) -> None:
        self.state[:-2] = 0
        self.state[0] = self.total

    def claim(self) -> Job | None:
        """The next job in order, or None when all are taken or training stopped."""
        if not self.lock.acquire(timeout=10):  # only if a process died holding it
            raise WorkerError("a training worker process died while taking a job")
        try:
            j = int(self.state[-2])
            if j >= len(self.jobs) or self.stopped:
                return None
            self.state[-2] = j + 1
        finally:
            self.lock.release()
        return self.jobs[j]

    def lr(self) -> float:
        cfg = self.cfg
        floor = min(cfg.min_lr, cfg.lr)
        return max(floor, cfg.lr - (cfg.lr - floor) * self.done / self.total)

    def advance(self, worker: int, words: int) -> None:
        self.state[worker] += words

    def poll(self, final: bool = False) -> None:
        """Called from the calling thread only: asks should_stop, reports progress at most 5x/s."""
        if self.should_stop is not None and self.should_stop():
            self.stop()
        now = time.perf_counter()
        if final or now - self.last > 0.2:
            self.last = now
            self.check()
            if self.progress is not None:
                wps = self.done / max(now - self.t0, 1e-9)
                self.progress(TrainProgress(self.epoch, self.epochs, self.done, self.total, wps, self.lr()))


def work(tr: Stepper, sched: Schedule, worker: int) -> None:
    """Trains jobs until none is left; worker 0 (the calling thread) also polls. A chunk runs by turns
    while the run gets about one core (`turns`)."""
    while (job := sched.claim()) is not None:
        by_turns = sched.turns.begin(lambda: _idle(sched, worker))
        if by_turns is None:
            return
        cpu, wall = time.thread_time(), time.perf_counter()
        try:
            done = _chunk(tr, sched, worker, job)
        finally:
            sched.turns.end(worker, by_turns, time.thread_time() - cpu, time.perf_counter() - wall)
        if not done:
            return


def _chunk(tr: Stepper, sched: Schedule, worker: int, job: Job) -> bool:
    """Prepares and trains one job; False when training stopped meanwhile."""
    epoch, a, b = job
    c = tr.make_chunk(a, b, seed=tr.cfg.seed * 1_000_003 + epoch * 7919 + a)
    per_word = c.words / max(c.n, 1)  # raw words one kept centre stands for
    for i in range(tr.batches(c)):
        if worker == 0:
            sched.epoch = epoch + 1
            sched.poll()
        if sched.stopped:
            return False
        tr.step(c, i, sched.lr())
        sched.advance(worker, math.ceil(min(tr.batch, c.n - i * tr.batch) * per_word))
    if c.n == 0:
        sched.advance(worker, c.words)
    return True


def _idle(sched: Schedule, worker: int) -> bool:
    """While waiting for the turn: worker 0 polls progress and cancellation; whether training stopped."""
    if worker == 0:
        sched.poll()
    return sched.stopped


def use_processes(workers: int, words: int) -> bool:
    """Worker processes for CPU training: more than one worker, enough words to pay for starting them,
    Linux (fork), a process allowed to have children (not daemonic), and no other Python thread (a fork
    copies locks other threads may hold; Python 3.12+ warns about it). The `notelink index` command and
    the watcher's build children qualify; a build in a thread of a larger program trains with threads."""
    return workers > 1 and words >= MIN_PROCESS_WORDS and can_fork_workers()


def run(tr: Stepper, sched: Schedule, workers: int, processes: bool) -> None:
    """Runs `workers` workers to the end of the jobs (or a stop); raises a worker's error here."""
    if processes:
        _run_processes(tr, sched, workers)
    else:
        _run_threads(tr, sched, workers)


def _run_threads(tr: Stepper, sched: Schedule, workers: int) -> None:
    """Worker 0 in the calling thread, the rest in threads; an error in any stops the others."""
    errors: list[BaseException] = []

    def guarded(worker: int) -> None:
        try:
            work(tr, sched, worker)
        except BaseException as exc:
            errors.append(exc)
            sched.stop()

    threads = [threading.Thread(target=guarded, args=(w,), daemon=True) for w in range(1, workers)]
    for t in threads:
        t.start()
    try:
        work(tr, sched, 0)
        while any(t.is_alive() for t in threads):
            sched.poll()
            for t in threads:
                t.join(timeout=0.05)
    except BaseException:
        sched.stop()
        raise
    finally:
        for t in threads:
            t.join()
    if errors:
        raise errors[0]


def _run_processes(tr: Stepper, sched: Schedule, workers: int) -> None:
    """Worker 0 here, workers 1.. in forked children sharing the matrices (already in shared memory)."""
    ctx = multiprocessing.get_context("fork")
    sched.share(ctx)
    children = [_Child(ctx, tr, sched, w) for w in range(1, workers)]
    sched.check = lambda: _raise_failed(children)
    try:
        work(tr, sched, 0)
        while any(ch.proc.is_alive() for ch in children):
            sched.poll()
            wait([ch.proc.sentinel for ch in children], timeout=0.05)
        _raise_failed(children)
    except BaseException:
        sched.stop()
        raise
    finally:
        sched.check = lambda: None
        for ch in children:
            ch.reap()


class _Child:
    """One forked worker process and the pipe on which it reports an error."""

    def __init__(self, ctx: Any, tr: Stepper, sched: Schedule, worker: int) -> None:
        self.recv, send = ctx.Pipe(duplex=False)
        self.worker = worker
        self.proc = ctx.Process(target=_child_main, args=(tr, sched, worker, send, os.getpid()),
                                name=f"notelink-train-{worker}", daemon=True)
        self.proc.start()
        send.close()

    def failure(self) -> str | None:
        """Why the child failed, or None while it runs or when it finished cleanly."""
        if self.recv.poll():
            with contextlib.suppress(EOFError):
                msg = self.recv.recv()
                return str(msg) if msg else None
        code = self.proc.exitcode
        return None if code in (None, 0) else f"exited with code {code}"

    def reap(self) -> None:
        """Waits briefly for a stopped child, then kills it: no worker outlives the build."""
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.recv.close()


def _raise_failed(children: list[_Child]) -> None:
    for ch in children:
        why = ch.failure()
        if why is not None:
            raise WorkerError(f"training worker process {ch.worker} failed: {why}")


def _child_main(tr: Stepper, sched: Schedule, worker: int, conn: Connection, parent: int) -> None:
    """A forked worker: dies with its parent, ignores Ctrl-C (the parent stops it through the flag),
    trains, and reports an error on `conn` (empty message when it finished cleanly)."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        work(tr, sched, worker)
        conn.send("")
    except BaseException as exc:
        sched.stop()
        conn.send(f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
    finally:
        conn.close()
