"""`notelink watch` as a process: SIGTERM stops it cleanly, SIGKILL at any moment loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from notelink.index.build import build_index
from notelink.index.lock import lock_info
from notelink.index.store import current_generation
from notelink.query.index import Index
from notelink.watch.status import watcher_status
from notelink.watch.watcher import VaultWatcher

from ..conftest import FAST
from ..index.test_update import topic_vault
from .helpers import CFG, NEW, Recorder, in_sync

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

# Same as FAST but for the epochs: the watcher's startup reconcile sees a changed config and starts a
# long full retrain, which is what gets interrupted.
SLOW = ["--dim", str(FAST.dim), "--epochs", "5000", "--min-count", str(FAST.min_count),
        "--seed", str(FAST.seed), "--threads", "1", "--device", "cpu"]


def _start(vault: Path, ix: Path, log: Path) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "notelink", "watch", str(vault), "--index-dir", str(ix),
                             "--log-file", str(log), *SLOW], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    end = time.monotonic() + 60
    while "indexing" not in (log.read_text() if log.exists() else ""):
        assert proc.poll() is None and time.monotonic() < end, log.read_text() if log.exists() else ""
        time.sleep(0.05)
    time.sleep(0.3)  # well into training
    return proc


@pytest.fixture
def indexed(make_vault, tmp_path: Path) -> tuple[Path, Path]:
    vault, ix = topic_vault(make_vault), tmp_path / "ix"
    build_index(vault, ix, FAST)
    (vault / "bread/bread 2.md").write_text(NEW, encoding="utf-8")
    return vault, ix


def test_sigterm_abandons_the_generation_being_built(indexed, tmp_path: Path) -> None:
    vault, ix = indexed
    proc = _start(vault, ix, tmp_path / "watch.log")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 0
    log = (tmp_path / "watch.log").read_text()
    assert "abandoned" in log and "stopped" in log
    assert Index.open(ix).meta["generation"] == 1
    assert not list(ix.glob("gen-*.tmp-*")) and not lock_info(ix).running


def test_after_sigkill_the_last_generation_serves_and_the_next_start_recovers(indexed,
                                                                              tmp_path: Path) -> None:
    vault, ix = indexed
    proc = _start(vault, ix, tmp_path / "watch.log")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    half = ix / f"gen-000002.tmp-{proc.pid}"  # as if it had been killed while writing a generation
    half.mkdir()
    (half / "syn0.npy").write_bytes(b"partial")
    index = Index.open(ix)  # the last complete generation, readable
    assert index.meta["generation"] == 1 and index.related(index.find_note("bread 1"), 3)
    assert watcher_status(ix)["running"] is False
    rec = Recorder(ix)
    w = VaultWatcher(vault, ix, FAST, on_event=rec, watch_cfg=CFG)
    w.start()  # the dead watcher's lock is no obstacle
    try:
        rec.wait_for(lambda: bool(rec.kinds("indexed")))
        assert in_sync(vault, ix) and Index.open(ix).meta["generation"] == 2
    finally:
        w.stop()
    assert not list(ix.glob("gen-*.tmp-*"))


QUICK = ["--dim", str(FAST.dim), "--epochs", str(FAST.epochs), "--min-count", str(FAST.min_count),
         "--seed", str(FAST.seed), "--threads", "1", "--device", "cpu"]


def _wait_for(proc: subprocess.Popen[bytes], log: Path, condition: Callable[[], bool], what: str,
              timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        said = log.read_text() if log.exists() else ""
        assert proc.poll() is None, f"the watcher exited ({proc.returncode}) before {what}:\n{said}"
        assert time.monotonic() < end, f"gave up waiting for {what}:\n{said}"
        time.sleep(0.05)


def test_watch_started_on_a_full_disk_waits_and_builds_once_there_is_space(make_vault, small_disk,
                                                                          tmp_path: Path) -> None:
    """Issue 15, item 10: `notelink watch` (builds in its fork server, as a user runs it) with its index
    on a full disk says so and keeps running (it died with an OSError in its lock); once space is back,
    the next change is indexed."""
    from ..conftest import fill

    vault, disk, log = topic_vault(make_vault), small_disk(3 * 1024 * 1024), tmp_path / "watch.log"
    ix = disk / "ix"
    filler = fill(disk)
    proc = subprocess.Popen([sys.executable, "-m", "notelink", "watch", str(vault), "--index-dir", str(ix),
                             "--log-file", str(log), *QUICK], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        _wait_for(proc, log, lambda: "waiting for disk space" in log.read_text() if log.exists() else False,
                  "the watcher to say it waits for disk space")
        said = log.read_text()
        assert "no space left on tmpfs" in said and "Traceback" not in said, said
        assert current_generation(ix) is None and not list(ix.glob("gen-*"))
        filler.unlink()
        with open(vault / "bread/bread 2.md", "a", encoding="utf-8") as fh:
            fh.write("\nA new paragraph about quokka marmalade.\n")
        _wait_for(proc, log, lambda: current_generation(ix) is not None, "a generation once space is back")
        index = Index.open(ix)
        assert index.notes and "quokka" in index.word_index
        index.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(60)
    assert code == 0 and not list(ix.glob("gen-*.tmp-*"))
