"""What the watcher's tests share: a watcher with a real watchdog observer on a temporary vault, a recorder of
its events, and waits for the index to match the disk (a condition, never a fixed time)."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from notelink.config import WatchConfig
from notelink.index.store import current_generation, open_generation
from notelink.notes.vault import scan
from notelink.watch.watcher import VaultWatcher, WatchEvent

from ..conftest import FAST
from ..index.test_update import topic_vault

CFG = WatchConfig(quiet_ms=60, max_wait_ms=1000, settle_ms=600, rescan_s=0.2)
NEW = "# Bread 2\n\nquokka marmalade sourdough levain crumb oven quokka\n"


class Recorder:
    """Collects WatchEvents; for every new generation, remembers the text of the watched note."""

    def __init__(self, ix: Path, watch_path: str = "bread/bread 2.md") -> None:
        self.ix, self.watch_path = ix, watch_path
        self.events: list[WatchEvent] = []
        self.note_tokens: list[str | None] = []
        self.cond = threading.Condition()
        self.also: Callable[[WatchEvent], None] | None = None  # a test's own look at each event

    def __call__(self, ev: WatchEvent) -> None:
        if self.also is not None:
            self.also(ev)
        if ev.kind == "indexed":
            self.note_tokens.append(tokens(self.ix, self.watch_path))
        with self.cond:
            self.events.append(ev)
            self.cond.notify_all()

    def kinds(self, kind: str) -> list[WatchEvent]:
        return [e for e in self.events if e.kind == kind]

    def wait_for(self, pred: Callable[[], bool], timeout: float = 120.0) -> None:
        end = time.monotonic() + timeout
        with self.cond:
            while not pred():
                assert time.monotonic() < end, f"timed out; events: {[e.kind for e in self.events]}"
                self.cond.wait(0.05)


def tokens(ix: Path, path: str) -> str | None:
    db, _ = open_generation(current_generation(ix))  # type: ignore[arg-type]
    try:
        row = db.execute("SELECT tokens FROM notes WHERE path = ?", (path,)).fetchone()
    finally:
        db.close()
    return None if row is None else row[0]


def in_sync(vault: Path, ix: Path) -> bool:
    """The live generation holds exactly the notes on disk with their current content (or skips them)."""
    disk = {p: hashlib.sha256((vault / p).read_bytes()).hexdigest() for p in scan(vault)}
    db, _ = open_generation(current_generation(ix))  # type: ignore[arg-type]
    try:
        notes = dict(db.execute("SELECT path, sha256 FROM notes").fetchall())
        skipped = {p for (p,) in db.execute("SELECT path FROM files WHERE status = 'skipped'")}
    finally:
        db.close()
    return notes == {p: h for p, h in disk.items() if p not in skipped} and skipped <= set(disk)


Watching = tuple[Path, Path, Recorder, VaultWatcher]


def watch(make_vault, tmp_path: Path, cfg: WatchConfig) -> Iterator[Watching]:
    vault, ix = topic_vault(make_vault, per_topic=6), tmp_path / "ix"
    rec = Recorder(ix)
    w = VaultWatcher(vault, ix, FAST, on_event=rec, watch_cfg=cfg)
    w.start()
    try:
        rec.wait_for(lambda: bool(rec.kinds("indexed")))  # startup: first full index
        yield vault, ix, rec, w
    finally:
        w.stop()


def settle(vault: Path, ix: Path, rec: Recorder, before: int) -> None:
    """Waits for a new generation and then for the index to match the disk."""
    rec.wait_for(lambda: len(rec.kinds("indexed")) > before)
    end = time.monotonic() + 120
    while not in_sync(vault, ix):
        assert time.monotonic() < end, "index never caught up with the disk"
        time.sleep(0.05)


def said_at_last(caplog, line: str, timeout: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    """Waits for the watcher's log to say `line` (as for a batch with nothing to build: no event)."""
    end = time.monotonic() + timeout
    while line not in [r.getMessage() for r in caplog.records if r.name.startswith("notelink")]:
        assert time.monotonic() < end, f"the log never said {line!r}"
        time.sleep(0.05)
