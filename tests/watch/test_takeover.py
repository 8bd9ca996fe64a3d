"""`Takeover`: a watcher started at once when no other one holds the index; else tried again in a thread and
started as soon as the other one lets go, its start's failures passed on and tried again."""

from __future__ import annotations

import threading
from pathlib import Path

from notelink.index.lock import WatcherLock, WatcherRunning
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
