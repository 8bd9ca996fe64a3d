"""Child processes: when forking workers is safe, tying a child's life to its parent, whether a pid lives.

Used by the parsing processes (`notes.records`), the training workers (`model.hogwild`) and the watcher's
build children (`watch.builder`); imports no numpy or torch.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import weakref

_FORK_SAFE: weakref.WeakSet[threading.Thread] = weakref.WeakSet()
"""Threads that hold no lock a forked child could need (their own are taken around each fork)."""


def fork_safe(thread: threading.Thread) -> threading.Thread:
    """Marks `thread` as one that does not keep workers from being forked: the progress line's ticker, whose
    only lock is taken by `os.register_at_fork` around every fork. Returns it (not started)."""
    _FORK_SAFE.add(thread)
    return thread


def can_fork_workers() -> bool:
    """Linux (fork), a process allowed to have children (not daemonic), no other Python thread (a fork
    copies locks other threads may hold) but those marked `fork_safe`."""
    here = threading.current_thread()
    others = [t for t in threading.enumerate() if t is not here and t not in _FORK_SAFE]
    return sys.platform == "linux" and not multiprocessing.current_process().daemon and not others


def die_with_parent(parent: int) -> None:
    """Linux: SIGKILL this process when its parent dies (and at once if it already has)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)


def pid_alive(pid: int) -> bool:
    """True when a process with this pid exists (owned by anyone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True
