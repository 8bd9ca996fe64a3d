"""Index builds for the watcher, each in a short-lived child process.

A long-running watcher that builds in its own process grows by a few MB per build (native memory that
glibc does not hand back) and holds torch (~190 MB) all day. Instead, each build runs in a child forked
from a warm server process (multiprocessing's 'forkserver', with torch and the indexer imported once at
startup): the child starts in milliseconds with everything loaded, and all its memory returns to the OS
when it exits. The watcher itself never imports torch.

The child ignores SIGINT (Ctrl-C reaches the whole process group; the watcher decides) and is stopped
through `should_stop`, which it polls like an in-process build. On Linux it is killed when its parent
dies, so `kill -9` of the watcher leaves no orphan writing a generation.

The fork server is a new Python (`python -c ...`), whose first import path is the current folder: started
from a folder holding a `notelink/` folder (the parent of a clone), it imported that instead of the
installed package and every build died. It is started with the current folder left out (PYTHONSAFEPATH,
Python 3.11+) and the folder this package was imported from put first; a child that dies before saying
anything is diagnosed (`_why_dead`) instead of reported as an exit code only.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from notelink.errors import Cancelled
from notelink.index.report import IndexEvent, IndexSummary
from notelink.processes import die_with_parent

PRELOAD = ["notelink.index.build", "notelink.model.cbow", "torch"]
"""Imported once by the fork server, so a build's child starts warm."""
_POLL_S = 0.05


def _context() -> Any:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


@functools.cache
def _libc() -> Any:
    return ctypes.CDLL("libc.so.6")


def release_memory() -> None:
    """For builds in this process: hands freed memory back to the OS (glibc keeps freed heap otherwise, and
    a watcher would stay as large as its biggest build). It still grows a few MB per build: hence children."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        _libc().malloc_trim(0)


def _child(conn: Connection, cancel: Any, kwargs: dict[str, Any]) -> None:
    """Runs one build; sends ("progress", IndexEvent)..., then ("done", summary) or ("error", exception)."""
    from notelink.index.build import build_index  # preloaded by the fork server: already imported

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(os.getppid())  # the fork server, which exits with the watcher
    gc.disable()  # a build makes ~1M small objects (tokens): cycle collection costs ~0.3 s on a large vault,
    # and this process exits right after, giving all its memory back
    try:
        summary = build_index(**kwargs, progress=lambda ev: conn.send(("progress", ev)),
                              should_stop=cancel.is_set)
        conn.send(("done", summary))
    except BaseException as exc:  # everything goes back to the watcher, which decides
        exc.add_note(traceback.format_exc())
        try:
            conn.send(("error", exc))
        except Exception:  # an exception that cannot be pickled
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


def _device_check(conn: Connection, device: str) -> None:
    from notelink.model import cbow

    try:
        cbow.resolve_device(device)
        conn.send("")
    except Exception as exc:
        conn.send(str(exc))


def _bad_fd(stream: Any) -> bool:
    """True for a stream whose fileno() is a negative number (Textual's print capture returns -1); a stream
    without one raises, which multiprocessing already handles."""
    try:
        return int(stream.fileno()) < 0
    except (AttributeError, OSError, ValueError):
        return False


_STREAMS_LOCK = threading.Lock()


def _server_env() -> dict[str, str]:
    """The environment the fork server starts in: the current folder not on its import path, and the
    folder that holds this notelink package first (an editable install's source tree too)."""
    env = dict(os.environ)
    home = str(Path(__file__).resolve().parents[2])  # .../notelink/watch/builder.py -> the package's parent
    env["PYTHONSAFEPATH"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (home, env.get("PYTHONPATH", "")) if p)
    return env


@contextlib.contextmanager
def _server_start_env() -> Iterator[None]:
    """`_server_env` while a process is started (and the fork server with it, on first use)."""
    saved = {k: os.environ.get(k) for k in ("PYTHONSAFEPATH", "PYTHONPATH")}
    os.environ.update({k: _server_env()[k] for k in saved})
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _why_dead(exitcode: int | None) -> str:
    """Why a build process died before sending anything: the signal that ended it, or the import error a
    fresh Python started like the fork server meets, or else its exit code."""
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name if -exitcode in signal.valid_signals() else str(-exitcode)
        return f"the indexing process died: killed by {name} (out of memory, or stopped)"
    try:
        probe = subprocess.run([sys.executable, "-c", "import notelink.index.build"], env=_server_env(),
                               capture_output=True, text=True, timeout=120)
        problem = probe.stderr.strip().splitlines()[-1] if probe.returncode and probe.stderr.strip() else ""
    except (OSError, subprocess.TimeoutExpired):
        problem = ""
    shadow = Path.cwd() / "notelink"
    if problem and shadow.is_dir() and shadow.resolve() != Path(__file__).resolve().parents[1]:
        problem += f" (the current folder holds another `notelink` folder: {shadow})"
    if problem:
        return f"the indexing process died: it cannot import notelink: {problem}"
    return f"the indexing process died (exit code {exitcode}); its error went to the watcher's stderr"


@contextlib.contextmanager
def _real_std_streams() -> Iterator[None]:
    """multiprocessing hands sys.stderr's file descriptor to its resource tracker when it starts; a host
    whose sys.stderr reports fileno() -1 (the Textual app's capture) makes that fail with "bad value(s) in
    fds_to_keep". Meanwhile, put the process's real streams back (one thread at a time); and start
    processes (the fork server with the first) in `_server_start_env`."""
    with _STREAMS_LOCK, _server_start_env():
        out, err = sys.stdout, sys.stderr
        swap_out = _bad_fd(out) and sys.__stdout__ is not None
        swap_err = _bad_fd(err) and sys.__stderr__ is not None
        if swap_out:
            sys.stdout = sys.__stdout__
        if swap_err:
            sys.stderr = sys.__stderr__
        try:
            yield
        finally:  # put back only what we changed and nobody changed since
            if swap_out and sys.stdout is sys.__stdout__:
                sys.stdout = out
            if swap_err and sys.stderr is sys.__stderr__:
                sys.stderr = err


def _kill_fork_server() -> None:
    """Ends multiprocessing's fork server (one per process; its next use starts another). Its pid is only
    in multiprocessing's own state: where that is not there, nothing is ended."""
    from multiprocessing import forkserver

    pid = getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None)
    if isinstance(pid, int):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


class ChildBuilder:
    """`build_index` in a child process, with progress and cancellation as if it ran here."""

    @staticmethod
    def available() -> bool:
        """False where there is no fork server (Windows): builds then run in-process."""
        return "forkserver" in multiprocessing.get_all_start_methods()

    def __init__(self) -> None:
        self._ctx = _context()
        self._proc: Any = None  # the build child while one runs
        self._starting = False  # a process is being started: the fork server may still be importing torch
        self._closed = False
        self._lock = threading.Lock()

    def kill(self) -> None:
        """Kills a running build child at once (its parsing and training processes die with it), or a start
        still under way (`close`): for a watcher that must exit now. The child is not daemonic, so an exit
        would otherwise wait for it."""
        proc = self._proc
        if proc is not None and proc.is_alive():
            proc.kill()
        else:
            self.close()

    def close(self) -> None:
        """Starts no more processes, and ends the fork server while a build or the warm-up waits for it to
        start one: it imports torch first (seconds, more on a busy machine), and a watcher stopping meanwhile
        waited for that, past the 2 s an MCP host gives a server to exit after closing its stdin (SIGTERM
        then killed it: the watcher's lock held, the build's semaphores leaked). Nothing was built yet. (The
        fork server is the process's: another watcher's start under way fails too, and is tried again.)"""
        with self._lock:
            self._closed = True
            if self._starting:
                _kill_fork_server()

    def _may_start(self) -> bool:
        """Whether a process may be started (not `close`d); if so, `_starting` until the caller resets it."""
        with self._lock:
            self._starting = not self._closed
            return self._starting

    def warm_up(self, device: str) -> str:
        """Starts the fork server (imports torch there, once) and checks the training device; returns an
        error message, or "" when the device is usable."""
        if not self._may_start():
            return ""
        parent, child = self._ctx.Pipe(duplex=False)
        proc = self._ctx.Process(target=_device_check, args=(child, device), daemon=True)
        try:
            with _real_std_streams():
                proc.start()
            child.close()
            return str(parent.recv())
        except (EOFError, OSError):
            if self._closed:  # (stopping: nothing to say)
                return ""
            if proc.pid is None:
                raise
            proc.join()
            return _why_dead(proc.exitcode)
        finally:
            self._starting = False
            if proc.pid is not None:
                proc.join()
            child.close()
            parent.close()

    def build(self, vault: Path, index_dir: Path, progress: Callable[[IndexEvent], None],
              should_stop: Callable[[], bool], **kwargs: Any) -> IndexSummary:
        """Runs `build_index(vault, index_dir, **kwargs)` in a child; its exceptions are raised here."""
        if not self._may_start():
            raise Cancelled()
        recv, send = self._ctx.Pipe(duplex=False)
        args = {"vault": vault, "index_dir": index_dir, **kwargs}
        try:
            with _real_std_streams():  # the fork server and resource tracker start on first use
                cancel = self._ctx.Event()
                # not daemonic, so that the build can parse and train in processes of its own (hogwild); it
                # still dies with the fork server (PDEATHSIG), and `build` always ends by cancelling and
                # joining
                proc = self._ctx.Process(target=_child, args=(send, cancel, args), daemon=False)
                proc.start()
        except (EOFError, OSError):  # the fork server ended while starting (`close`)
            recv.close()
            if self._closed or should_stop():
                raise Cancelled() from None
            raise
        finally:
            self._starting = False
            send.close()
        self._proc = proc
        try:
            return self._follow(proc, recv, cancel, progress, should_stop)
        finally:
            cancel.set()
            proc.join()
            recv.close()
            self._proc = None

    def _follow(self, proc: Any, recv: Connection, cancel: Any, progress: Callable[[IndexEvent], None],
                should_stop: Callable[[], bool]) -> IndexSummary:
        """Relays the child's messages until its result arrives."""
        while True:
            if should_stop():
                cancel.set()
            if not recv.poll(_POLL_S):
                continue
            try:
                kind, value = recv.recv()
            except EOFError:
                proc.join()
                if should_stop():  # (killed as the watcher stops)
                    raise Cancelled() from None
                raise RuntimeError(_why_dead(proc.exitcode)) from None
            if kind == "progress":
                progress(value)
            elif kind == "error":
                raise value
            else:
                return value
