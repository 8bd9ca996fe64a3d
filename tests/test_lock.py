"""One watcher per index: the lock refuses a second one, and a dead watcher's lock is no obstacle."""

import json
import os
from pathlib import Path

import pytest

from notelink.lock import LOCK_FILE, WatcherLock, WatcherRunning, lock_info


def test_second_lock_is_refused_with_the_holder_pid(tmp_path: Path) -> None:
    first = WatcherLock(tmp_path)
    first.acquire()
    try:
        with pytest.raises(WatcherRunning, match=f"another watcher \\(pid {os.getpid()}\\)"):
            WatcherLock(tmp_path).acquire(attempts=1)
        info = lock_info(tmp_path)
        assert info.running and info.pid == os.getpid()
    finally:
        first.release()
    assert not lock_info(tmp_path).running
    again = WatcherLock(tmp_path)
    again.acquire()
    assert again.stale_pid is None  # the previous one stopped cleanly
    again.release()


def test_lock_left_by_a_dead_watcher_is_taken_over(tmp_path: Path) -> None:
    (tmp_path / LOCK_FILE).write_text(json.dumps({"pid": 2**22 + 12345, "started_at": "x"}))
    assert not lock_info(tmp_path).running
    lock = WatcherLock(tmp_path)
    lock.acquire()
    assert lock.stale_pid == 2**22 + 12345
    lock.release()
