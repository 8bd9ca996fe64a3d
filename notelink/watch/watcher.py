"""The background watcher: keeps a vault's index current as notes change (`notelink watch`, and the TUI).

Two threads. watchdog's observer filters events down to note paths (`events.py`) and hands them to a
`Debouncer` (`feed.py`: or, while OS events fail, stat rescans do). One worker takes batches, holds back
notes caught mid-save (empty or missing) until they settle, drops the notes whose text is as indexed (a
chmod, a touch: `sametext.py`), rebuilds the index incrementally
(`build_index(..., incremental=...)`) and switches the new generation in; queries keep reading the previous
generation until then. The worker also runs the timers: a periodic hash-based reconcile (`build_index`
re-reads every note and does nothing when nothing changed) and the feed's: when OS events are unavailable
(watch limit, queue overflow, the vault folder replaced), periodic stat rescans, with the OS observer tried
again now and then, and a reconcile at each switch. What it says of its builds: `reports.py`.
"""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Any

from notelink.config import IndexConfig, TrainConfig, WatchConfig
from notelink.errors import Cancelled, DiskFull, NoNotes, NotelinkError
from notelink.index.choices import SavedChoices
from notelink.index.lock import Kept, WatcherLock, WatcherRunning
from notelink.index.report import IndexSummary
from notelink.index.store import current_generation
from notelink.model import cbow
from notelink.notes.vault import check_vault
from notelink.watch.builder import ChildBuilder, release_memory
from notelink.watch.changes import Batch, Moves, whole
from notelink.watch.debounce import Debouncer
from notelink.watch.feed import ChangeFeed
from notelink.watch.listener import Listener, WatchEvent
from notelink.watch.live import NOTHING, Indexed, indexed_in, live_number
from notelink.watch.reports import WatcherReports, log
from notelink.watch.sametext import changed_only
from notelink.watch.status import WatcherState
from notelink.watch.unsettled import Unsettled

__all__ = ["VaultWatcher", "WatchConfig", "WatchEvent", "WatcherRunning"]


class VaultWatcher(WatcherReports):
    """Watches `vault` and keeps its index at `index_dir` up to date until `stop`."""

    def __init__(self, vault: Path, index_dir: Path, train_cfg: TrainConfig | None = None,
                 index_cfg: IndexConfig | None = None, on_event: Callable[[WatchEvent], None] | None = None,
                 watch_cfg: WatchConfig | None = None) -> None:
        self.vault, self.index_dir = check_vault(Path(vault)), Path(index_dir)
        self.cfg = watch_cfg or WatchConfig()
        base = index_cfg or IndexConfig()
        saved = base.exclude if base.exclude is not None else SavedChoices.read(self.index_dir).exclude
        self._exclude = tuple(dict.fromkeys(saved + self.cfg.exclude))  # what events are filtered by
        # builds keep None (the list saved with the index when they run) unless patterns were given here
        self.index_cfg = base if base.exclude is None and not self.cfg.exclude else replace(
            base, exclude=self._exclude)
        self.train_cfg = train_cfg or TrainConfig()
        self.force_first = False  # retrain fully at startup (`notelink watch --force`)
        self.generation = 0  # the live generation, once known
        self._debouncer = Debouncer(self.cfg.quiet, self.cfg.max_wait)
        self._stop = threading.Event()
        self._lock = WatcherLock(self.index_dir)
        self._state = WatcherState()
        self._worker: threading.Thread | None = None
        self._listener = Listener(on_event, self._debouncer.wake)
        self._moves = Moves()  # renames the observer saw, taken with their batch
        self._known: tuple[Path | None, Indexed] = (None, NOTHING)  # `_indexed`
        self._noted: set[str] = set()  # the builds' notes said (`_notes`)
        self._feed = ChangeFeed(self.vault, self._exclude, self.cfg.rescan_s, self._debouncer, self._listener,
                                self._moves)
        self._unsettled = Unsettled(self.vault, self.cfg.settle)
        self._next_reconcile = 0.0
        self._started = self._stopped = False
        self._standing_by = False  # another watcher took the lock meanwhile (`_keeps_lock`)
        self.left_to_other = 0  # changes seen while standing by, left to the watcher holding the lock
        self._waited = False  # the build under way waited for another one (a `notelink index`) to finish
        self._builder = ChildBuilder() if self.cfg.isolate and ChildBuilder.available() else None

    # -- life cycle ------------------------------------------------------------------------------
    def start(self) -> None:
        """Takes the index's lock, starts watching and the worker (startup reconcile first); returns at once.

        Raises WatcherRunning when another watcher keeps this index."""
        self._lock.acquire()
        try:
            if self._lock.stale_pid:
                log.warning("the previous watcher (pid %d) did not stop cleanly; serving the last complete "
                            "generation and reconciling", self._lock.stale_pid)
            self._feed.start()
            self._save_state("starting")
            self._worker = threading.Thread(target=self._run, name="notelink-watcher", daemon=True)
            self._worker.start()
        except BaseException:
            self._shut_down()
            raise
        self._started = True

    def stop(self, timeout: float = 10.0) -> None:
        """Stops cleanly: a generation being built is abandoned (never half-written). The worker releases
        the lock and posts "stopped" as its last act; this waits up to `timeout` seconds for that."""
        if not self._started or self._stopped:
            return
        self._stopped = True
        self._stop.set()
        if self._builder is not None:  # a process start under way waits for torch's import: not for that
            self._builder.close()
        self._debouncer.wake()
        if self._worker is not None:
            self._worker.join(timeout)
            if self._worker.is_alive() and self._builder is not None:  # a build child still busy: end it
                self._builder.kill()
                self._worker.join(2.0)
            if self._worker.is_alive():
                log.warning("the indexing thread did not stop within %.0fs; it will stop and release the "
                            "index on its own, and the live index is unchanged", timeout)

    def _shut_down(self) -> None:
        """Stops the observer, writes the final status and releases the lock."""
        self._feed.stop()
        self._save_state("stopped")
        self._lock.release()

    def run_forever(self) -> None:
        """For `notelink watch`: start, wait for SIGINT or SIGTERM, stop."""
        done = threading.Event()

        def on_signal(signum: int, _frame: FrameType | None) -> None:
            log.info("received %s: stopping", signal.Signals(signum).name)
            done.set()

        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.start()
            log.info("watching %s (index %s); Ctrl-C stops", self.vault, self.index_dir)
            while not done.wait(0.5):
                pass
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    @property
    def mode(self) -> str:
        """`events` while OS notifications work, `rescan` after falling back to periodic rescans (until the
        OS observer can be started again)."""
        return self._feed.mode

    # -- the worker ------------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._listener.drain()
            self._build((), force=self.force_first)  # startup reconcile: what changed while not running
            self._warm_up()
            while not self._stop.is_set():
                self._round()
        finally:
            self._shut_down()
            log.info("stopped")
            self._listener.drain()
            self._listener.emit(WatchEvent("stopped"))

    def _warm_up(self) -> None:
        """Loads the training library now (here, or in the builder's fork server), so the first edit does
        not wait for it (about a second)."""
        try:
            problem = "" if self._builder is None else self._builder.warm_up(self.train_cfg.device)
            if self._builder is None:
                cbow.resolve_device(self.train_cfg.device)
        except Exception as exc:  # e.g. no CUDA: every build will say so too; keep watching
            problem = "" if self._stop.is_set() else str(exc)
        if problem:
            self._error(problem)

    def _round(self) -> None:
        """One turn of the worker: a batch if one is due, then the timers."""
        try:
            batch = self._debouncer.wait(self._sleep_time())
            self._listener.drain()
            if self._stop.is_set():
                return
            if not self._keeps_lock():  # standing by: the batch is the other watcher's (its renames too)
                self._moves.take(batch)
                self.left_to_other += len(batch)
                return
            if batch:
                self._on_batch(batch)
            self._run_timers()
        except Exception as exc:  # the worker must outlive any bug in one round
            log.exception("watcher error")
            self._error(f"watcher error: {type(exc).__name__}: {exc}")

    def _keeps_lock(self) -> bool:
        """Whether this watcher holds the index's lock, checked every round (`WatcherLock.ensure`): after an
        `rm -rf` of the index folder it takes it again before an app or server waiting to watch (every 3 s)
        can, and builds the index again at once. Should one get there first, this one stands by, building
        nothing and writing no status, until that one stops; then it takes over again and reconciles."""
        kept = self._lock.ensure()
        if kept is Kept.TAKEN and not self._standing_by:
            self._standing_by = True
            message = (f"another watcher (pid {self._lock.holder or '?'}) took over the index at "
                       f"{self.index_dir} while this one's lock was gone (the folder or its lock file "
                       "deleted); this one builds nothing until that one stops, then takes over again")
            log.warning(message)
            self._listener.emit(WatchEvent("error", message=message))
        elif kept is Kept.RETAKEN:
            gone = current_generation(self.index_dir) is None
            log.info("the lock of the index at %s was gone: this watcher holds it again%s", self.index_dir,
                     "; reconciling" if self._standing_by or gone else "")
            self._next_reconcile = 0.0 if self._standing_by or gone else self._next_reconcile
            self._standing_by = False
        return not self._standing_by

    def _sleep_time(self) -> float:
        """Until the next timer, at most a second (observer health; a watcher standing by waits a second)."""
        if self._standing_by:
            return 1.0
        now, timers = time.monotonic(), [self._next_reconcile, *self._feed.timers()]
        return max(0.0, min(1.0, *(t - now for t in timers)))

    def _run_timers(self) -> None:
        self._another_build()
        if self._feed.caught_up():  # just fell back: rescanned for what the observer missed
            self._build(())
        now = time.monotonic()
        back = self._feed.poll(now)  # in rescan mode: a rescan, or OS events tried again
        if back:
            self._watching_again(back)
        if now >= self._next_reconcile:
            self._build(())

    def _another_build(self) -> None:
        """Says a generation another process switched in while no build here waited for it (`notelink
        index` beside the watcher: the app kept showing the older one until the next change)."""
        number = live_number(self.index_dir)
        if not (self.generation and number and number != self.generation):
            return
        self.generation = number
        message = f"the index is current: generation {number} was built by another process"
        log.info(message)
        self._save_state("idle")
        self._listener.emit(WatchEvent("current", generation=number, message=message))

    def _watching_again(self, message: str) -> None:
        """Back on OS events: says so, and reconciles, for what changed while the rescans were catching up."""
        log.info(message)
        self._state.message = message
        self._save_state("idle")  # before the event: a listener may read the status at once
        self._listener.emit(WatchEvent("watching", message=message))
        self._build(())

    def _on_batch(self, batch: list[str]) -> None:
        held = self._unsettled.held(batch)
        if held:
            log.debug("holding %s until the save finishes", ", ".join(held))
            self._debouncer.hold(batch, self._unsettled.until(held))
            return
        indexed = self._indexed()
        taken = self._moves.take(batch).saves(None if indexed is None else indexed.paths)
        batch = changed_only(self.vault, batch, taken.named, indexed, self._stop.is_set)
        if not batch:
            return
        said = Batch.of(self.vault, batch, taken, None if indexed is None else indexed.paths)
        self._listener.emit(WatchEvent("changed", tuple(batch), message=said.said(), moves=said.moves,
                                       brief=said.brief()))
        log.info(said.said())
        self._build(tuple(batch), batch=said)

    def _build(self, paths: tuple[str, ...], force: bool = False, batch: Batch | None = None) -> None:
        """Brings the index up to date; errors are reported and retried, never raised. `batch`: what the
        changed `paths` were, for what is said."""
        self._next_reconcile = time.monotonic() + self.cfg.reconcile_s
        batch = batch or Batch.of(self.vault, paths)
        if paths:  # said now: on a large vault reading the live index and the notes takes a while
            log.info("updating the index for %s: reading the notes", batch.subject())
        self._state.stage, self._waited, known = "check", False, self.generation
        self._save_state("indexing", pending=list(paths))
        try:
            s = self._build_index(paths, force, batch.subject() if paths else whole(self.index_dir, force))
        except Cancelled:
            log.info("stopping: the generation being built was abandoned; the live one is unchanged")
            return
        except NoNotes as exc:  # a new, empty vault: not a failure; the first note saved starts a build
            self._next_reconcile = time.monotonic() + self.cfg.retry_s
            self._waiting(f"waiting for notes: {exc}")
            return
        except DiskFull as exc:  # the live generation is still served; space may come back
            self._next_reconcile = time.monotonic() + self.cfg.retry_s
            self._error(f"waiting for disk space: {exc}; retrying in {self.cfg.retry_s:g}s")
            return
        except Exception as exc:
            if self._stop.is_set():  # (its build process ended as the watcher stops)
                log.info("stopping: the build was abandoned (%s); the live index is unchanged", exc)
                return
            if not isinstance(exc, NotelinkError):  # (a vault gone, no CUDA, an unwritable index: said)
                log.exception("indexing failed")
            self._next_reconcile = time.monotonic() + self.cfg.retry_s
            self._error(f"indexing failed ({exc}); retrying in {self.cfg.retry_s:g}s")
            return
        finally:
            if self._builder is None:
                release_memory()
        self._keeps_lock()  # (the index folder deleted during the build, and built again)
        self._after_build(s, paths, known, batch)

    def _build_index(self, paths: tuple[str, ...], force: bool, subject: str) -> IndexSummary:
        """`build_index`, in a child process unless `WatchConfig.isolate` is off; `subject`: the batch in
        a few paths."""
        incremental = self.cfg.incremental if paths else replace(self.cfg.incremental, trust_stat=False)
        kwargs: dict[str, Any] = {"train_cfg": self.train_cfg, "index_cfg": self.index_cfg, "force": force,
                                  "incremental": incremental}
        if self._builder is not None:
            return self._builder.build(self.vault, self.index_dir, self._progress(paths, subject),
                                       self._stop.is_set, **kwargs)
        from notelink.index.build import (
            build_index,  # here only: builds in children keep it out of the watcher
        )

        return build_index(self.vault, self.index_dir, progress=self._progress(paths, subject),
                           should_stop=self._stop.is_set, **kwargs)

    def _indexed(self) -> Indexed | None:
        """The live generation's notes as indexed and its skipped files (what makes a note in a batch new, or
        the same); None when there is none or it cannot be read. Read once per generation."""
        try:
            gen = current_generation(self.index_dir)
            if gen is not None and self._known[0] != gen:
                self._known = (gen, indexed_in(gen))
        except (NotelinkError, sqlite3.Error, OSError):
            return None
        return None if gen is None else self._known[1]
