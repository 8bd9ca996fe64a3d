"""The watcher's feed of changes: OS events, or stat rescans while those fail (the watch limit, an event
queue overflow, the vault folder replaced), with the observer tried again and a reconcile at each switch."""

from __future__ import annotations

import errno
import logging
import shutil
import time
from pathlib import Path

from notelink.watch import observer as observer_mod
from notelink.watch.status import watcher_status
from notelink.watch.watcher import VaultWatcher

from ..conftest import FAST
from ..index.test_update import topic_vault
from .helpers import CFG, NEW, Recorder, in_sync, settle, tokens


class Refused:
    """An observer the OS refuses: the inotify watch limit."""

    def schedule(self, *args: object, **kw: object) -> None:
        raise OSError(errno.ENOSPC, "inotify watch limit reached")


def test_watch_limit_falls_back_to_rescans(make_vault, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(observer_mod, "make_observer", Refused)
    vault, ix = topic_vault(make_vault), tmp_path / "ix"
    rec = Recorder(ix)
    w = VaultWatcher(vault, ix, FAST, on_event=rec, watch_cfg=CFG)
    w.start()
    try:
        assert w.mode == "rescan"
        rec.wait_for(lambda: any("max_user_watches" in e.message for e in rec.kinds("error")))
        rec.wait_for(lambda: bool(rec.kinds("indexed")))
        before = len(rec.kinds("indexed"))
        (vault / "bread/bread 2.md").write_text(NEW + "\nlonger now\n", encoding="utf-8")
        settle(vault, ix, rec, before)
    finally:
        w.stop()


def test_watch_limit_is_tried_again_with_backoff_and_said_once(make_vault, tmp_path: Path, monkeypatch,
                                                              caplog) -> None:
    from watchdog.observers import Observer

    tries: list[float] = []

    def limited() -> object:  # refused twice, then the limit was raised
        tries.append(time.monotonic())
        return Refused() if len(tries) <= 2 else Observer()

    monkeypatch.setattr(observer_mod, "make_observer", limited)
    monkeypatch.setattr(observer_mod, "inotify_limits", lambda: (str(time.monotonic()),))  # (raised, again)
    vault, ix = topic_vault(make_vault), tmp_path / "ix"
    rec = Recorder(ix)
    w = VaultWatcher(vault, ix, FAST, on_event=rec, watch_cfg=CFG)
    w.start()
    try:
        rec.wait_for(lambda: bool(rec.kinds("watching")))
        assert w.mode == "events" and len(tries) == 3
        assert tries[2] - tries[1] >= 2 * observer_mod.RETRY_FIRST_S  # the second wait is twice the first
        said = [r for r in caplog.records if "falling back" in r.getMessage()]
        assert len(said) == 1 and len([e for e in rec.kinds("error") if "max_user_watches" in e.message]) == 1
        before = len(rec.kinds("indexed"))
        (vault / "bread/bread 2.md").write_text(NEW, encoding="utf-8")
        settle(vault, ix, rec, before)
    finally:
        w.stop()


def test_a_start_refused_for_a_limit_is_not_tried_again_while_the_limit_is_the_same(
        make_vault, tmp_path: Path, monkeypatch) -> None:
    """Each try costs an inotify instance (watchdog keeps some of its descriptors): while the OS limits
    are the same, the watcher stays on rescans and does not try again."""
    tries: list[float] = []

    def refused() -> object:
        tries.append(time.monotonic())
        return Refused()

    monkeypatch.setattr(observer_mod, "make_observer", refused)
    monkeypatch.setattr(observer_mod, "inotify_limits", lambda: ("8192", "128"))
    vault, ix = topic_vault(make_vault), tmp_path / "ix"
    rec = Recorder(ix)
    w = VaultWatcher(vault, ix, FAST, on_event=rec, watch_cfg=CFG)
    w.start()
    try:
        rec.wait_for(lambda: any("max_user_watches" in e.message for e in rec.kinds("error")))
        rec.wait_for(lambda: w._feed.retry.due())  # the backoff would try again now: it must not
        before = len(rec.kinds("indexed"))
        (vault / "bread/bread 2.md").write_text(NEW, encoding="utf-8")
        settle(vault, ix, rec, before)  # (found by a rescan: the loop ran since the retry was due)
        assert w.mode == "rescan" and len(tries) == 1
    finally:
        w.stop()


def test_event_overflow_is_reported_reconciled_and_watched_again(watching) -> None:
    vault, ix, rec, w = watching
    (vault / "bread/bread 2.md").write_text(NEW, encoding="utf-8")
    logging.getLogger("watchdog.observers.inotify_c").warning("Inotify queue overflowed; events were lost")
    rec.wait_for(lambda: any("overflow" in e.message for e in rec.kinds("error")))
    rec.wait_for(lambda: bool(rec.kinds("watching")))
    assert w.mode == "events"
    rec.wait_for(lambda: in_sync(vault, ix))


def test_a_replaced_vault_folder_is_watched_again(watching_events_only, tmp_path: Path) -> None:
    """A sync tool or a re-clone replaces the vault folder: the watcher falls back to rescans, then watches
    the new folder (OS events again), reconciles, and sees a note created afterwards."""
    vault, ix, rec, w = watching_events_only
    copy = shutil.copytree(vault, tmp_path / "copy")
    (copy / "bread/bread 2.md").write_text(NEW, encoding="utf-8")
    shutil.rmtree(vault)
    shutil.copytree(copy, vault)
    rec.wait_for(lambda: bool(rec.kinds("watching")))
    assert any("the file watcher stopped" in e.message for e in rec.kinds("error"))
    assert w.mode == "events" and watcher_status(ix)["mode"] == "events"
    rec.wait_for(lambda: in_sync(vault, ix))
    (vault / "bread/bread new.md").write_text("# Bread new\n\nlevain crumb oven quokka\n", encoding="utf-8")
    rec.wait_for(lambda: tokens(ix, "bread/bread new.md") is not None)  # by events, or the reconcile
    assert w.mode == "events" and in_sync(vault, ix)
