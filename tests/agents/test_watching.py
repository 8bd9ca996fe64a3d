"""`notelink mcp --watch` while another watcher holds the index: tries again in a thread, which ends with
the server (the takeover itself, end to end: `test_server`)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from notelink.agents.watching import Watching, kept_current
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
