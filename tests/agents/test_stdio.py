"""`notelink mcp` stopped by a signal while its client keeps stdin open: SIGINT ends it at once
("interrupted", exit 130), SIGTERM stops it and its watcher cleanly (exit 0), as `notelink watch` stops
(each test waits on conditions: the answer to `initialize`, the watcher's lock, the exit; the times are
only guards)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("mcp")

from notelink.index.lock import lock_info

INITIALIZE = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}})


def started(vault: Path, ix: Path, *flags: str) -> subprocess.Popen[bytes]:
    """The server, SIGINT at its default (a background job's inherited SIG_IGN would hide the bug), after
    its answer to `initialize`; stdin stays open, as a client keeps it."""
    server = subprocess.Popen([sys.executable, "-m", "notelink", "mcp", str(vault), "--index-dir", str(ix),
                               *flags], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert server.stdin is not None and server.stdout is not None
    server.stdin.write(INITIALIZE.encode() + b"\n")
    server.stdin.flush()
    assert json.loads(server.stdout.readline())["id"] == 1
    return server


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds  # (a guard: the loop ends when the condition holds)
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)


def stopped(server: subprocess.Popen[bytes], sig: signal.Signals) -> tuple[int, str]:
    """Sends `sig` and waits for the exit, stdin still open: (exit status, stderr)."""
    server.send_signal(sig)
    try:
        code = server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
        raise AssertionError(f"the server did not stop on {sig.name} while stdin was open") from None
    assert server.stderr is not None
    err = server.stderr.read().decode()
    assert server.stdin is not None
    server.stdin.close()
    return code, err


@pytest.mark.parametrize("flags", [(), ("--watch",)])
def test_sigint_stops_the_server_while_stdin_is_open(indexed: tuple[Path, Path],
                                                     flags: tuple[str, ...]) -> None:
    vault, ix = indexed
    server = started(vault, ix, *flags)
    if flags:
        wait_for(lambda: lock_info(ix).running)
    code, err = stopped(server, signal.SIGINT)
    assert code == 130 and "notelink: interrupted" in err and "Traceback" not in err
    assert not lock_info(ix).running  # the watcher let go of the index


def test_sigterm_stops_the_watching_server_cleanly(indexed: tuple[Path, Path]) -> None:
    vault, ix = indexed
    server = started(vault, ix, "--watch")
    wait_for(lambda: lock_info(ix).running)
    code, err = stopped(server, signal.SIGTERM)
    assert code == 0 and "notelink: stopped" in err
    assert "Traceback" not in err and "leaked" not in err
    assert not lock_info(ix).running
    again = started(vault, ix, "--watch")  # the next start finds a clean stop
    wait_for(lambda: lock_info(ix).running)
    assert again.stdin is not None and again.stderr is not None
    again.stdin.close()
    assert again.wait(timeout=30) == 0
    assert "did not stop cleanly" not in again.stderr.read().decode()
