"""Index builds for the watcher, each in a short-lived child process.

A long-running watcher that builds in its own process grows by a few MB per build (native memory that
glibc does not hand back) and holds torch (~190 MB) all day. Instead, each build runs in a child forked
from a warm server process (multiprocessing's 'forkserver', with torch and the indexer imported once at
startup): the child starts in milliseconds with everything loaded, and all its memory returns to the OS
when it exits. The watcher itself never imports torch.

The child ignores SIGINT (Ctrl-C reaches the whole process group; the watcher decides) and is stopped
through `should_stop`, which it polls like an in-process build. On Linux it is killed when its parent
dies, so `kill -9` of the watcher leaves no orphan writing a generation.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import multiprocessing
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

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


@contextlib.contextmanager
def _real_std_streams() -> Iterator[None]:
    """multiprocessing hands sys.stderr's file descriptor to its resource tracker when it starts; a host
    whose sys.stderr reports fileno() -1 (the Textual app's capture) makes that fail with "bad value(s) in
    fds_to_keep". Meanwhile, put the process's real streams back (one thread at a time)."""
    with _STREAMS_LOCK:
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


class ChildBuilder:
    """`build_index` in a child process, with progress and cancellation as if it ran here."""

    @staticmethod
    def available() -> bool:
        """False where there is no fork server (Windows): builds then run in-process."""
        return "forkserver" in multiprocessing.get_all_start_methods()

    def __init__(self) -> None:
        self._ctx = _context()
        self._proc: Any = None  # the build child while one runs

    def kill(self) -> None:
        """Kills a running build child at once (its parsing and training processes die with it): for a
        watcher that must exit now. It is not daemonic, so an exit would otherwise wait for it."""
        proc = self._proc
        if proc is not None and proc.is_alive():
            proc.kill()

    def warm_up(self, device: str) -> str:
        """Starts the fork server (imports torch there, once) and checks the training device; returns an
        error message, or "" when the device is usable."""
        parent, child = self._ctx.Pipe(duplex=False)
        proc = self._ctx.Process(target=_device_check, args=(child, device), daemon=True)
        with _real_std_streams():
            proc.start()
        child.close()
        try:
            return str(parent.recv())
        except EOFError:
            return f"the indexing process failed to start (exit code {proc.exitcode})"
        finally:
            proc.join()

    def build(self, vault: Path, index_dir: Path, progress: Callable[[IndexEvent], None],
              should_stop: Callable[[], bool], **kwargs: Any) -> IndexSummary:
        """Runs `build_index(vault, index_dir, **kwargs)` in a child; its exceptions are raised here."""
        recv, send = self._ctx.Pipe(duplex=False)
        args = {"vault": vault, "index_dir": index_dir, **kwargs}
        with _real_std_streams():  # the fork server and resource tracker start on first use
            cancel = self._ctx.Event()
            # not daemonic, so that the build can parse and train in processes of its own (hogwild); it
            # still dies with the fork server (PDEATHSIG), and `build` always ends by cancelling and joining
            proc = self._ctx.Process(target=_child, args=(send, cancel, args), daemon=False)
            proc.start()
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
                raise RuntimeError(f"the indexing process died (exit code {proc.exitcode})") from None
            if kind == "progress":
                progress(value)
            elif kind == "error":
                raise value
            else:
                return value
