"""`notelink mcp --watch` while another watcher holds the index: tries again in a thread, which ends with
the server (the takeover itself, end to end: `test_server`)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from notelink.agents.watching import STOP_S, Watching, kept_current
from notelink.config import IndexConfig, TrainConfig
from notelink.index.lock import WatcherLock, lock_info


def _trying() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "notelink-watch-retry"]


def test_a_server_waiting_for_the_watcher_lock_says_who_holds_it_and_stops_trying_when_it_stops(
        make_vault, tmp_path: Path) -> None:
    vault, ix = make_vault({"a.md": "# A\n\nbread flour water oven"}), tmp_path / "ix"
    held = WatcherLock(ix)
    held.acquire()  # another watcher (here: this process) keeps the index
    try:
        watching = Watching(vault, ix, TrainConfig(), IndexConfig(), retry_s=0.01)
        watching.start()
        assert not watching.watching and len(_trying()) == 1
        said = kept_current(ix, watching)
        assert said["watch"] and not said["watching"]
        assert said["message"] == (f"another watcher (pid {os.getpid()}) keeps the index at {ix} current; "
                                   "this server takes over watching when it stops")
        watching.stop()
        assert _trying() == [] and not watching.watching
        assert lock_info(ix).running and lock_info(ix).pid == os.getpid()  # (never taken from its holder)
    finally:
        held.release()


DEFERRED = """
import logging, os, signal
from pathlib import Path
from notelink.agents import watching
from notelink.config import IndexConfig, TrainConfig

class Stopping:  # a watcher whose stop is under way when the host, done waiting, sends SIGTERM
    def start(self) -> None:
        pass

    def stop(self, timeout: float = 10.0) -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        print("watcher stopped", timeout, flush=True)

logging.basicConfig(level=logging.INFO)
watching._watcher = lambda *args: Stopping()
w = watching.Watching(Path({vault!r}), Path({ix!r}), TrainConfig(), IndexConfig())
assert w.start()
w.close()
print("server exits", flush=True)
"""


def test_a_sigterm_while_the_server_stops_its_watcher_does_not_cut_the_stop_short(make_vault,
                                                                                   tmp_path: Path) -> None:
    """An MCP host closes the server's stdin, then sends SIGTERM 2 s later: a server still stopping its
    watcher was killed mid-stop, the watcher's lock held. The stop goes on (within `STOP_S`)."""
    import subprocess
    import sys

    vault = make_vault({"a.md": "# A\n\nbread flour water oven"})
    code = DEFERRED.format(vault=str(vault), ix=str(tmp_path / "ix"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"watcher stopped {STOP_S}\nserver exits\n"
    assert "received SIGTERM: stopping already" in done.stderr
