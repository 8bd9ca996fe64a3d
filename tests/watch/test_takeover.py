"""`Takeover`: a watcher started at once when no other one holds the index; else tried again in a thread and
started as soon as the other one lets go, its start's failures passed on and tried again."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from notelink.index.lock import LOCK_FILE, Kept, WatcherLock, WatcherRunning
from notelink.watch.takeover import Takeover


class Fake:
    """A watcher that takes the index's lock as the real one does."""

    def __init__(self, index_dir: Path, fail: list[Exception]) -> None:
        self.lock, self.fail, self.running = WatcherLock(index_dir), fail, False

    def start(self) -> None:
        if self.fail:
            raise self.fail.pop(0)
        self.lock.acquire(attempts=1)
        self.running = True

    def stop(self, timeout: float = 10.0) -> None:
        self.lock.release()
        self.running = False


def test_a_free_index_is_watched_at_once(tmp_path: Path) -> None:
    takeover = Takeover(tmp_path, lambda: Fake(tmp_path, []), retry_s=0.01)
    assert takeover.start() and takeover.watching
    watcher = takeover.watcher
    takeover.stop()
    assert isinstance(watcher, Fake) and not watcher.running


def test_the_watcher_starts_when_the_other_one_stops_and_failures_are_passed_on(tmp_path: Path) -> None:
    other = WatcherLock(tmp_path)
    other.acquire()
    failures: list[Exception] = [OSError("index folder gone for now"), WatcherRunning("taken meanwhile")]
    started, errors = threading.Event(), []
    takeover = Takeover(tmp_path, lambda: Fake(tmp_path, failures), retry_s=0.01,
                        on_watching=lambda _: started.set(), on_error=errors.append)
    try:
        assert not takeover.start() and not takeover.watching  # (another one holds the index)
        other.release()
        assert started.wait(30) and takeover.watching
        assert [str(e) for e in errors] == ["index folder gone for now"]  # (a race lost is no error)
        assert not failures
    finally:
        takeover.stop()
        other.release()
    assert not [t for t in threading.enumerate() if t.name == "notelink-watch-retry"]  # (its thread ended)


def _wait(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_a_lock_file_deleted_under_its_running_watcher_is_left_to_it(tmp_path: Path) -> None:
    other = WatcherLock(tmp_path)  # (held by this process: a watcher that still runs)
    other.acquire()
    made: list[Fake] = []
    started = threading.Event()

    def make() -> Fake:
        made.append(Fake(tmp_path, []))
        return made[-1]

    takeover = Takeover(tmp_path, make, retry_s=0.01, on_watching=lambda _: started.set(), defer_s=60.0)
    try:
        assert not takeover.start()
        (tmp_path / LOCK_FILE).unlink()  # (as `rm -rf` of the index folder does)
        assert _wait(lambda: takeover.deferred >= 3) and not made
        assert _wait(lambda: other.ensure() is Kept.RETAKEN)  # (the watcher's next rounds)
        other.release()  # it stops: now the takeover's
        assert started.wait(30) and len(made) == 1
    finally:
        takeover.stop()
        other.release()


def test_a_lock_file_gone_for_longer_is_taken(tmp_path: Path) -> None:
    other = WatcherLock(tmp_path)
    other.acquire()
    started = threading.Event()
    takeover = Takeover(tmp_path, lambda: Fake(tmp_path, []), retry_s=0.01,
                        on_watching=lambda _: started.set(), defer_s=0.2)
    try:
        assert not takeover.start()
        (tmp_path / LOCK_FILE).unlink()
        assert started.wait(30) and takeover.watching and takeover.deferred >= 1
        assert other.ensure() is Kept.TAKEN  # (that watcher then stands by)
    finally:
        takeover.stop()
        other.release()
