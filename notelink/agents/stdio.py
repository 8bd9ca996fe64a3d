"""Serving MCP over stdio until the client closes stdin, or SIGINT or SIGTERM stops the server.

The SDK's own stdio loop reads stdin in a worker thread that a signal cannot interrupt: Ctrl-C (and a host's
SIGTERM) then waited for the client to close stdin, and SIGTERM killed a `--watch` server without stopping
its watcher. Here stdin is read in a daemon thread, so that a signal ends the session at once; the caller
then stops its watcher as it does at EOF.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any

import anyio
import anyio.from_thread
import anyio.lowlevel
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from mcp.server.mcpserver import MCPServer
from mcp.server.stdio import stdio_server

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Lines:
    """The client's stdin as text lines for the SDK's transport, read in a daemon thread: a session
    cancelled by a signal does not wait for that read (the thread ends with the process)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        send, self._receive = anyio.create_memory_object_stream[str](0)
        self._send: MemoryObjectSendStream[str] = send

    def start(self) -> None:
        """Starts reading (call it in the event loop: the thread posts its lines to it)."""
        token = anyio.lowlevel.current_token()
        threading.Thread(target=self._read, args=(token,), name="notelink-stdin", daemon=True).start()

    def _read(self, token: Any) -> None:
        try:
            for raw in _lines(self.fd):
                anyio.from_thread.run(self._send.send, raw.decode("utf-8", "replace"), token=token)
        except (RuntimeError, anyio.ClosedResourceError, anyio.BrokenResourceError, OSError, ValueError):
            return  # the session ended first (its loop closed), or stdin was closed under us
        with contextlib.suppress(RuntimeError):  # (the loop closed meanwhile)
            anyio.from_thread.run_sync(self._send.close, token=token)  # EOF: the session ends

    def __aiter__(self) -> Lines:
        return self

    async def __anext__(self) -> str:
        receive: MemoryObjectReceiveStream[str] = self._receive
        try:
            return await receive.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None


def _lines(fd: int) -> Iterator[bytes]:
    """The lines read from `fd` until EOF, with `os.read` (no buffered file object: the interpreter's exit
    would wait for its lock, which the blocked read holds)."""
    pending = b""
    while chunk := os.read(fd, 65536):
        *lines, pending = (pending + chunk).split(b"\n")
        yield from (line + b"\n" for line in lines)
    if pending:
        yield pending


def _claim_stdin() -> int:
    """A private copy of stdin's descriptor for the session, fd 0 itself pointed at the null device, as the
    SDK's own transport does: a child process reading stdin cannot take the client's bytes."""
    private = os.dup(sys.stdin.fileno())
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, sys.stdin.fileno())
        os.close(null)
    return private


def serve_stdio(server: MCPServer) -> signal.Signals | None:
    """Runs `server` over stdin and stdout until the client closes stdin (None) or a stop signal comes
    (that signal)."""
    return anyio.run(_session, server)


async def _session(server: MCPServer) -> signal.Signals | None:
    caught: list[signal.Signals] = []
    lines = Lines(_claim_stdin())
    lines.start()
    async with anyio.create_task_group() as group:
        with anyio.open_signal_receiver(*STOP_SIGNALS) as signals:
            async def on_signal() -> None:
                async for signum in signals:
                    caught.append(signal.Signals(signum))
                    group.cancel_scope.cancel()
                    return

            group.start_soon(on_signal)
            lowlevel = server._lowlevel_server  # (what the SDK's run_stdio_async runs, given our stdin)
            async with stdio_server(stdin=lines) as (read, write):  # type: ignore[arg-type]
                await lowlevel.run(read, write, lowlevel.create_initialization_options())
            group.cancel_scope.cancel()
    return caught[0] if caught else None
