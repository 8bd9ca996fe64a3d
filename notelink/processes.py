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


def can_fork_workers() -> bool:
    """Linux (fork), a process allowed to have children (not daemonic), no other Python thread (a fork
    copies locks other threads may hold)."""
    return (sys.platform == "linux" and not multiprocessing.current_process().daemon
            and threading.active_count() == 1)


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
