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
from notelink.index.lock import LOCK_FILE, Kept, WatcherLock, WatcherRunning, build_lock, lock_info
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
    gone. `ensure` takes it again; it keeps the one it holds, says who took it if another did, and takes it
    again once that one lets go (a failed try did not give it up for good)."""
    index_dir = tmp_path / "index"
    first = WatcherLock(index_dir)
    first.acquire()
    try:
        assert first.ensure() is Kept.HELD  # (nothing to do)
        shutil.rmtree(index_dir)
        assert not lock_info(index_dir).running
        assert first.ensure() is Kept.RETAKEN
        info = lock_info(index_dir)
        assert info.running and info.pid == os.getpid()
        with pytest.raises(WatcherRunning):
            WatcherLock(index_dir).acquire(attempts=1)
        shutil.rmtree(index_dir)
        second = WatcherLock(index_dir)
        second.acquire()  # another watcher got there first
        assert first.ensure() is Kept.TAKEN and first.holder == os.getpid()
        assert first.ensure() is Kept.TAKEN  # (tried again each time)
        second.release()
        assert first.ensure() is Kept.RETAKEN and lock_info(index_dir).running
        assert first.ensure() is Kept.HELD
    finally:
        first.release()


def test_a_lock_file_gone_from_a_folder_still_there_is_made_again_after_a_grace(tmp_path: Path,
                                                                                monkeypatch) -> None:
    """A watcher taking its lock again every round made its file in a folder that `rm -rf` was emptying:
    the removal then failed ("Directory not empty"), or the folder went between `mkdir` and `open` and the
    lock was given up for good. A file gone from a folder still there waits `GRACE_S` (a removal under
    way); a folder gone is made again at once."""
    import time
    from types import SimpleNamespace

    from notelink.index import lock

    clock = [100.0]
    monkeypatch.setattr(lock, "time", SimpleNamespace(monotonic=lambda: clock[0], sleep=time.sleep,
                                                      strftime=time.strftime))
    index_dir = tmp_path / "index"
    first = WatcherLock(index_dir)
    first.acquire()
    try:
        for k in range(3):
            (index_dir / f"gen-{k}").mkdir()
        (index_dir / LOCK_FILE).unlink()
        assert first.ensure() is Kept.WAITING and not (index_dir / LOCK_FILE).exists()
        clock[0] += lock.GRACE_S / 2
        assert first.ensure() is Kept.WAITING
        for k in range(3):  # a slow removal: the folder keeps changing, so no file is made in it
            (index_dir / f"gen-{k}").rmdir()
            clock[0] += lock.GRACE_S
            assert first.ensure() is Kept.WAITING, k
        clock[0] += lock.GRACE_S
        assert first.ensure() is Kept.RETAKEN and lock_info(index_dir).running
        shutil.rmtree(index_dir)
        assert first.ensure() is Kept.RETAKEN  # (no folder: no removal under way)
        real = WatcherLock._try_acquire

        def folder_gone(self: WatcherLock) -> bool:  # the folder removed between mkdir and open
            shutil.rmtree(self.index_dir)
            return real(self)
        monkeypatch.setattr(WatcherLock, "_try_acquire", folder_gone)
        (index_dir / LOCK_FILE).unlink()
        assert first.ensure() is Kept.WAITING
        clock[0] += lock.GRACE_S
        assert first.ensure() is Kept.WAITING and not index_dir.exists()
        monkeypatch.setattr(WatcherLock, "_try_acquire", real)
        assert first.ensure() is Kept.RETAKEN and lock_info(index_dir).running
    finally:
        first.release()
