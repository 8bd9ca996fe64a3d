"""One watcher per index (a lock file in the index folder holding the watcher's pid); one build at a time.

On POSIX the lock is an `flock` on `watcher.lock`: the kernel releases it when the process ends, even by
SIGKILL, so a lock left by a dead watcher is never in the way (its stale pid is only reported). Elsewhere
the file is created with O_EXCL and a lock whose pid is no longer running is taken over.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import IO

from notelink.errors import Cancelled, DiskFull, IndexDirError
from notelink.processes import pid_alive

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = "watcher.lock"


GRACE_S = 0.5
"""How long an index folder that lost its lock file must stay as it is before `WatcherLock.ensure` makes
the file again (an `rm -rf` of the folder may be under way; an app waiting to watch tries every 3 s)."""


class WatcherRunning(Exception):
    """Another watcher already keeps this index up to date."""


class Kept(Enum):
    """What `WatcherLock.ensure` found: the lock held as it was, taken again (its file was gone or another),
    taken by another watcher, or not held for now (tried again at the next call)."""

    HELD = "held"
    RETAKEN = "retaken"
    TAKEN = "taken"
    WAITING = "waiting"


@dataclass(frozen=True)
class LockInfo:
    """Who holds, or last held, the lock."""

    pid: int | None
    started_at: str | None
    running: bool


def _read(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _refusal(index_dir: Path, pid: object) -> WatcherRunning:
    who = f"pid {pid}" if pid else "another process"
    return WatcherRunning(f"another watcher ({who}) is already keeping the index at {index_dir} up to date; "
                          f"stop it first (Ctrl-C in its terminal, or `kill {pid or 'PID'}`)")


class WatcherLock:
    """Held for the life of a watcher; `acquire` raises WatcherRunning when another one holds it."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir, self.path = index_dir, index_dir / LOCK_FILE
        self._fh: IO[str] | None = None
        self.stale_pid: int | None = None  # pid of a previous watcher that did not stop cleanly
        self.holder: int | None = None  # pid of the watcher that took it meanwhile (`ensure`)
        self._acquired = False  # taken, and not released since (`ensure` takes it again)
        self._gone: tuple[float, int] | None = None  # lock file gone, folder there: since when, its entries

    def acquire(self, attempts: int = 3) -> None:
        """Raises WatcherRunning when another watcher holds the lock, IndexDirError when the index folder
        cannot be made or written."""
        try:
            self.index_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _unwritable(self.index_dir, exc) from None
        previous = _read(self.path).get("pid")
        for attempt in range(attempts):
            if self._try_acquire():
                if isinstance(previous, int) and previous != os.getpid():
                    self.stale_pid = previous
                self._write_owner()
                self._acquired, self._gone = True, None
                return
            if attempt + 1 < attempts:
                time.sleep(0.05)  # someone may be probing it for `status` right now
        raise _refusal(self.index_dir, _read(self.path).get("pid"))

    def _try_acquire(self) -> bool:
        if fcntl is None:
            return self._try_exclusive_create()
        try:
            fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held open for the watcher's life
        except OSError as exc:
            raise _unwritable(self.index_dir, exc) from None
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            return False
        self._fh = fh
        return True

    def _try_exclusive_create(self) -> bool:
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_RDWR)
        except FileExistsError:
            pid = _read(self.path).get("pid")
            if isinstance(pid, int) and pid_alive(pid):
                return False
            self.path.unlink(missing_ok=True)  # stale: its watcher is gone
            return self._try_exclusive_create()
        self._fh = os.fdopen(fd, "w+", encoding="utf-8")
        return True

    def _write_owner(self) -> None:
        """Who holds the lock, for `status`; only informative (the lock is the flock), so a full disk is no
        reason to stop: the file then stays empty."""
        assert self._fh is not None
        started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        owner = json.dumps({"pid": os.getpid(), "started_at": started}).encode()
        with contextlib.suppress(OSError):  # (unbuffered: a failed write leaves nothing to flush at close)
            os.ftruncate(self._fh.fileno(), 0)
            os.write(self._fh.fileno(), owner)

    def ensure(self) -> Kept:
        """Takes the lock again when its file is gone or another one (the index folder deleted under the
        watcher): else `status` said no watcher ran, and an app or server waiting to watch (`takeover`)
        started a second one. The watcher calls it every round, so that it gets there first (they try every
        few seconds); `TAKEN` when another one did (`holder` says who), `WAITING` when it cannot be taken
        yet (tried again at the next call: after a failed try the lock is not given up on)."""
        if fcntl is None or not self._acquired:
            return Kept.HELD if self._fh is not None else Kept.WAITING
        if self._fh is not None and self._same_file():
            return Kept.HELD
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        return Kept.WAITING if self._removal_under_way() else self._retake()

    def _retake(self) -> Kept:
        """One try at the lock gone from under the watcher (once, when another watcher holds it already)."""
        try:
            self.acquire(attempts=1 if self.holder else 3)
        except WatcherRunning:
            pid = _read(self.path).get("pid")
            self.holder = pid if isinstance(pid, int) else None
            return Kept.TAKEN
        except IndexDirError:  # (the folder removed between its mkdir and the file's open: next time)
            return Kept.WAITING
        self.holder = None
        return Kept.RETAKEN

    def _same_file(self) -> bool:
        """Whether the lock file at its path is the one held."""
        assert self._fh is not None
        try:
            return os.path.samestat(os.fstat(self._fh.fileno()), os.stat(self.path))
        except OSError:
            return False

    def _removal_under_way(self) -> bool:
        """True while the lock file is gone from a folder still there whose contents changed in the last
        `GRACE_S`: an `rm -rf` of the folder may be under way (a large index takes a while), and a file made
        in it meanwhile would make it fail ("Directory not empty"). A folder gone is made again at once."""
        if self.path.exists() or not self.index_dir.is_dir():
            self._gone = None
            return False
        now, listing = time.monotonic(), _entries(self.index_dir)
        if self._gone is None or self._gone[1] != listing:
            self._gone = (now, listing)
        return now - self._gone[0] < GRACE_S

    def release(self) -> None:
        """Lets the next watcher start; the file stays (empty) so that status can tell a clean stop."""
        self._acquired = False
        if self._fh is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self._fh.fileno(), 0)
        if fcntl is None:
            self._fh.close()
            self.path.unlink(missing_ok=True)
        else:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
        self._fh = None


def _entries(folder: Path) -> int:
    """Files and folders under `folder` (an index: a few generations of a few dozen files); what cannot be
    read counts nothing."""
    return sum(len(dirs) + len(files) for _, dirs, files in os.walk(folder))


def lock_info(index_dir: Path) -> LockInfo:
    """Whether a watcher holds the index's lock now, and its pid (a stale pid is reported, not running)."""
    path = index_dir / LOCK_FILE
    data = _read(path)
    pid, started = data.get("pid"), data.get("started_at")
    pid = pid if isinstance(pid, int) else None
    started = started if isinstance(started, str) else None
    running = pid is not None and pid_alive(pid) and _held(path)
    return LockInfo(pid, started, running)


def _held(path: Path) -> bool:
    """True when some process holds the lock (a shared probe, released at once)."""
    if fcntl is None:
        return True  # O_EXCL lock with a live pid
    try:
        with open(path, encoding="utf-8") as fh:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                return True
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
            return False
    except OSError:
        return False


def _unwritable(index_dir: Path, exc: OSError) -> IndexDirError:
    if exc.errno == errno.ENOSPC:
        return DiskFull(f"no space left for the index at {index_dir}; free some space, or choose another "
                        "folder with --index-dir (or NOTELINK_INDEX_DIR)")
    if exc.errno in (errno.EEXIST, errno.ENOTDIR) and not index_dir.is_dir():
        return IndexDirError(f"cannot write the index at {index_dir}: it, or a folder above it, is a file, "
                             "not a folder; choose a folder with --index-dir (or NOTELINK_INDEX_DIR)")
    return IndexDirError(f"cannot write the index at {index_dir}: {exc.strerror or exc}; choose a writable "
                         "folder with --index-dir (or NOTELINK_INDEX_DIR)")


BUILD_LOCK_FILE = "build.lock"
_WAIT_POLL_S = 0.1


@contextlib.contextmanager
def build_lock(index_dir: Path, on_wait: Callable[[], None] | None = None,
               should_stop: Callable[[], bool] | None = None) -> Iterator[None]:
    """One index build at a time per index folder (the TUI's `r`, the watcher's child, a CLI `index`): a
    second build waits here (calling `on_wait` once) and then finds the index up to date. Raises
    Cancelled when `should_stop` turns true while waiting. The kernel drops the lock if its holder
    dies."""
    if fcntl is None:  # no flock: builds are not serialised (as before)
        yield
        return
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        fh = open(index_dir / BUILD_LOCK_FILE, "a+b")  # noqa: SIM115 (closed below, after the build)
    except OSError as exc:
        raise _unwritable(index_dir, exc) from None
    with fh:
        waited = False
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if should_stop is not None and should_stop():
                    raise Cancelled() from None
                if not waited and on_wait is not None:
                    on_wait()
                waited = True
                time.sleep(_WAIT_POLL_S)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def build_running(index_dir: Path) -> bool:
    """Whether a build holds this index folder's build lock now (what `status` says of a vault whose
    first index is being built); False where builds take no lock."""
    path = index_dir / BUILD_LOCK_FILE
    return fcntl is not None and path.is_file() and _held(path)
