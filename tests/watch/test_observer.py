"""The OS observer over a vault: it says why the OS refused, tells when the vault folder it watches is gone or
replaced, starts again on the new folder; the backoff spaces the tries and does not flap."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from watchdog.events import FileSystemEventHandler

from notelink.watch import observer as observer_mod
from notelink.watch.observer import Backoff, VaultObserver, watch_error


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_backoff_doubles_up_to_its_cap_and_a_success_clears_it() -> None:
    clock = Clock()
    b = Backoff(1.0, 4.0, clock)
    assert not b.due()  # nothing failed
    gaps = []
    for _ in range(4):
        b.failed()
        start = clock.now
        while not b.due():
            clock.now += 0.25
        gaps.append(clock.now - start)
    assert gaps == [1.0, 2.0, 4.0, 4.0]
    b.succeeded()
    assert not b.due()
    clock.now += 1000
    assert not b.due()


def test_backoff_starts_over_only_after_a_lasting_success() -> None:
    clock = Clock()
    b = Backoff(1.0, 8.0, clock)
    b.failed()
    b.failed()  # the next delay is now 4
    b.succeeded()
    clock.now += 1.0  # came back, failed again soon: no quick retry
    b.failed()
    clock.now += 3.9
    assert not b.due()
    clock.now += 0.1
    assert b.due()
    b.succeeded()
    clock.now += 8.0  # a success that lasted: back to the first delay
    b.failed()
    clock.now += 1.0
    assert b.due()


def test_watch_errors_say_which_limit_to_raise() -> None:
    assert "max_user_watches" in watch_error(OSError(errno.ENOSPC, "No space left on device"))
    assert "max_user_instances" in watch_error(OSError(errno.EMFILE, "Too many open files"))
    assert watch_error(OSError(errno.ENOENT, "No such file or directory")) == "No such file or directory"


def _until(pred: Callable[[], bool], timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.02)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    vault = tmp_path / "vault"
    (vault / "sub").mkdir(parents=True)
    (vault / "sub/a.md").write_text("# A\n", encoding="utf-8")
    return vault


def test_a_deleted_vault_folder_is_seen_and_a_new_one_watched_again(folder: Path) -> None:
    obs = VaultObserver(folder, FileSystemEventHandler())
    assert not obs.died()  # not started: nothing to die
    try:
        assert obs.start() == "" and not obs.died()
        shutil.rmtree(folder)
        _until(obs.died)
        assert obs.start() == "No such file or directory" and not obs.died()
        folder.mkdir()
        assert obs.start() == "" and not obs.died()
    finally:
        obs.stop()


def test_a_vault_folder_moved_away_and_replaced_is_seen(folder: Path) -> None:
    obs = VaultObserver(folder, FileSystemEventHandler())
    try:
        assert obs.start() == ""
        os.rename(folder, folder.with_name("old"))  # inotify keeps watching the moved folder
        folder.mkdir()
        _until(obs.died)
    finally:
        obs.stop()


def test_a_refused_observer_gives_the_reason(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Refused:
        def schedule(self, *args: object, **kw: object) -> None:
            raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(observer_mod, "make_observer", Refused)
    obs = VaultObserver(folder, FileSystemEventHandler())
    assert "max_user_watches" in obs.start() and not obs.died()
    obs.stop()


def _inotify_and_pipes() -> int:
    """This process's inotify instances and pipe ends (what an inotify reader of watchdog holds)."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            count += os.readlink(f"/proc/self/fd/{fd}").startswith(("anon_inode:inotify", "pipe:"))
    return count


@pytest.mark.skipif(not Path("/proc/sys/fs/inotify").exists(), reason="Linux inotify")
def test_failed_starts_give_their_descriptors_back(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each start refused for the watch limit opened an inotify instance and a pipe, whose reader thread
    was stopped before it first waited: watchdog then closes neither; retried every few minutes, the
    watcher ran out of descriptors."""
    from watchdog.observers import inotify_c

    def add_watch(fd: int, path: bytes, mask: int) -> int:
        ctypes.set_errno(errno.ENOSPC)  # the OS's answer once `max_user_watches` is reached
        return -1

    monkeypatch.setattr(inotify_c, "inotify_add_watch", add_watch)
    obs = VaultObserver(folder, FileSystemEventHandler())
    before = _inotify_and_pipes()
    for _ in range(5):
        assert "max_user_watches" in obs.start()
    assert _inotify_and_pipes() <= before


def test_reading_notes_is_no_event(tmp_path: Path) -> None:
    """inotify reports every open and every read-then-close: a build reading obsidian-help's 2,331 notes was
    4,662 events for the watcher to drop. The observer asks only for changes."""
    import threading

    notes = [tmp_path / f"n{i}.md" for i in range(20)]
    for note in notes:
        note.write_text("bread", encoding="utf-8")
    seen: list[tuple[str, str]] = []
    arrived = threading.Event()

    class Recording(FileSystemEventHandler):
        def on_any_event(self, event) -> None:  # type: ignore[no-untyped-def]
            seen.append((event.event_type, os.path.basename(str(event.src_path))))
            if event.src_path.endswith("last.md"):
                arrived.set()

    obs = VaultObserver(tmp_path, Recording())
    assert obs.start() == ""
    try:
        for note in notes:
            note.read_bytes()
        (tmp_path / "last.md").write_text("after the reads", encoding="utf-8")  # inotify keeps the order
        assert arrived.wait(60)
    finally:
        obs.stop()
    assert not [e for e in seen if e[0] in ("opened", "closed_no_write")], seen
    assert ("created", "last.md") in seen


def test_a_chmod_is_still_an_event(tmp_path: Path) -> None:
    """Asking for changes only (no opens) dropped chmod and touch too: a note skipped as unreadable that was
    made readable waited for the next reconcile."""
    import threading

    note = tmp_path / "a.md"
    note.write_text("bread", encoding="utf-8")
    arrived = threading.Event()

    class Recording(FileSystemEventHandler):
        def on_any_event(self, event) -> None:  # type: ignore[no-untyped-def]
            if event.src_path.endswith("a.md"):
                arrived.set()

    obs = VaultObserver(tmp_path, Recording())
    assert obs.start() == ""
    try:
        note.chmod(0o600)
        assert arrived.wait(60)
    finally:
        obs.stop()
