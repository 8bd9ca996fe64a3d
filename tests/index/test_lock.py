"""One watcher per index: the lock refuses a second one, and a dead watcher's lock is no obstacle.
One build per index at a time: a second waits (or is cancelled while waiting)."""

import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from notelink.errors import Cancelled
from notelink.index.build import IndexSummary, build_index
from notelink.index.lock import LOCK_FILE, WatcherLock, WatcherRunning, build_lock, lock_info
from tests.conftest import FAST, SAMPLE


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


def test_a_second_build_waits_for_the_first_then_finds_the_index_up_to_date(tmp_path: Path) -> None:
    vault, index_dir = tmp_path / "vault", tmp_path / "index"
    shutil.copytree(SAMPLE, vault)
    build_index(vault, index_dir, FAST)
    events: list[str] = []
    done = threading.Event()
    result: list[IndexSummary] = []

    def second() -> None:
        result.append(build_index(vault, index_dir, FAST, progress=lambda ev: events.append(ev.stage)))
        done.set()

    with build_lock(index_dir):  # another build holds the index
        thread = threading.Thread(target=second)
        thread.start()
        assert not done.wait(0.5)
        assert events == ["wait"]
    thread.join(30)
    assert done.is_set() and result[0].up_to_date


def test_waiting_for_a_build_can_be_cancelled(tmp_path: Path) -> None:
    vault, index_dir = tmp_path / "vault", tmp_path / "index"
    shutil.copytree(SAMPLE, vault)
    with build_lock(index_dir), pytest.raises(Cancelled):
        build_index(vault, index_dir, FAST, should_stop=lambda: True)
    held, stopping = build_lock(index_dir), build_lock(index_dir, should_stop=lambda: True)
    with pytest.raises(Cancelled), held, stopping:
        pass


def test_the_watcher_lock_holds_on_a_full_disk(small_disk) -> None:
    from tests.conftest import fill

    disk = small_disk(256 * 1024)
    fill(disk)
    lock = WatcherLock(disk / "ix")
    lock.acquire()  # the pid it would write is only informative
    try:
        with pytest.raises(WatcherRunning):
            WatcherLock(disk / "ix").acquire(attempts=1)
    finally:
        lock.release()


def test_an_unwritable_index_folder_is_said_by_the_lock(small_disk) -> None:
    from notelink.errors import IndexDirError

    disk = small_disk(256 * 1024, read_only=True)
    with pytest.raises(IndexDirError, match=r"cannot write the index at .*NOTELINK_INDEX_DIR"):
        WatcherLock(disk / "ix").acquire()
    with pytest.raises(IndexDirError, match="cannot write the index at"), build_lock(disk / "ix"):
        pass


def test_an_index_folder_that_is_a_file_is_said_so(tmp_path) -> None:
    """`--index-dir afile` said `cannot write the index at afile: File exists`."""
    from notelink.errors import IndexDirError

    (tmp_path / "afile").write_text("x")
    for where in (tmp_path / "afile", tmp_path / "afile" / "sub"):
        with pytest.raises(IndexDirError, match="is a file, not a folder"), build_lock(where):
            pass


def test_a_watcher_whose_index_folder_was_deleted_takes_its_lock_again(tmp_path: Path) -> None:
    """`rm -rf` of the index folder under a running watcher (a cache cleaned), which then rebuilt it: status
    said "Watcher: not running" and a second watcher started on the same index, as the lock's file was
    gone. `ensure` takes it again; it keeps the one it holds, and fails only if another took it first."""
    index_dir = tmp_path / "index"
    first = WatcherLock(index_dir)
    first.acquire()
    try:
        assert first.ensure()  # (held: nothing to do)
        shutil.rmtree(index_dir)
        assert not lock_info(index_dir).running
        assert first.ensure()
        info = lock_info(index_dir)
        assert info.running and info.pid == os.getpid()
        with pytest.raises(WatcherRunning):
            WatcherLock(index_dir).acquire(attempts=1)
        shutil.rmtree(index_dir)
        second = WatcherLock(index_dir)
        second.acquire()  # another watcher got there first
        assert not first.ensure()
        second.release()
    finally:
        first.release()
