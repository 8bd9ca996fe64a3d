"""Pilot tests for the app and another notelink process that already watches the vault (a second app,
`notelink watch` beside it): the app opens the vault without watching, says so, and shows the new indexes
that process builds."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from notelink.index.build import build_index
from notelink.index.lock import WatcherLock, lock_info
from notelink.tui.app import NotelinkApp, TuiConfig
from tests.conftest import FAST, SAMPLE

from .helpers import appending_editor, running, sample_index, settle, sync, wait_for
from .test_app import SIZE, FakeWatcher, make_app
from .test_dialogs import _palette


def toasts(app: NotelinkApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


@sync
async def test_a_vault_another_notelink_watches_opens_unwatched_and_follows_its_builds(tmp_path: Path
                                                                                      ) -> None:
    """The app died with WatcherRunning's traceback when `notelink watch` (or another app) held the lock."""
    vault, index_dir = sample_index(tmp_path)
    other = WatcherLock(index_dir)  # as the other process holds it (a flock: refused to a second holder)
    other.acquire()
    try:
        app = NotelinkApp(TuiConfig(vault=vault, index_dir=index_dir, train=FAST, watch=True))
        async with running(app, SIZE) as pilot:
            assert app.watcher is None and app.index is not None
            assert app.sub_title.endswith("· watched by another notelink")
            assert any("already keeps its index up to date" in t for t in toasts(app)), toasts(app)
            before = app.index.key
            (vault / "cooking/Kimchi.md").write_text("# Kimchi\n\nquasar nebula\n", encoding="utf-8")
            await asyncio.to_thread(build_index, vault, index_dir, FAST)  # the other process's build
            await wait_for(pilot, lambda: app.index is not None and app.index.key != before, 60,
                           what="the other process's new index shown")
            assert any("other notelink process re-indexed" in t for t in toasts(app))
            await settle(pilot, app)
    finally:
        other.release()


@sync
async def test_switching_to_a_vault_another_notelink_watches_keeps_the_app_running(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Palette › Switch vault to a vault another process watches: the whole app exited, mid-session."""
    from notelink.configfile import UserConfig
    from notelink.index.lock import WatcherRunning

    vault, index_dir = sample_index(tmp_path / "first")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    (tmp_path / "none.toml").touch()  # (an empty config file: no [index] index_root)
    monkeypatch.setenv("NOTELINK_CONFIG", str(tmp_path / "none.toml"))
    other = tmp_path / "other"
    shutil.copytree(SAMPLE / "music", other)
    watched_elsewhere = UserConfig.load().index_dir(other.resolve())
    made: list[FakeWatcher] = []

    def factory(v: Path, i: Path, on_event: Callable[[Any], None]) -> FakeWatcher:
        if i == watched_elsewhere:
            raise WatcherRunning(f"another watcher (pid 4242) is already keeping the index at {i} up to date")
        made.append(FakeWatcher(v, i, on_event))
        return made[-1]

    app = make_app(vault, index_dir)
    app.watcher_factory = factory
    async with running(app, SIZE) as pilot:
        await _palette(pilot, "Switch vault")
        await pilot.press("ctrl+u", *str(other), "enter")
        await wait_for(pilot, lambda: app.vault == other.resolve())
        await settle(pilot, app)
        assert app.is_running and app.watcher is None and app.index_dir == watched_elsewhere
        assert app.sub_title.endswith("· watched by another notelink")
        assert any("Not watching other here" in t for t in toasts(app)), toasts(app)


@sync
async def test_the_app_takes_over_watching_when_the_other_watcher_stops(tmp_path: Path) -> None:
    """The app followed the other process's builds for good: once that process was gone, nothing kept the
    index current while the user edited notes."""
    vault, index_dir = sample_index(tmp_path)
    other = WatcherLock(index_dir)  # as the other process holds it
    other.acquire()
    app = NotelinkApp(TuiConfig(vault=vault, index_dir=index_dir, train=FAST, watch=True))
    try:
        async with running(app, SIZE) as pilot:
            assert app.watcher is None and app.follower is not None
            other.release()  # the other watcher stops
            await wait_for(pilot, lambda: app.watcher is not None, 60, what=lambda: toasts(app))
            assert app.follower is None and app.sub_title == str(vault)
            assert any("now watches it here" in t for t in toasts(app)), toasts(app)
            assert lock_info(index_dir).running  # (the app's watcher holds the lock now)
            await settle(pilot, app)
            assert app.index is not None
            before = app.index.key
            (vault / "cooking/Kimchi.md").write_text("# Kimchi\n\nquasar nebula\n", encoding="utf-8")
            await wait_for(pilot, lambda: app.index is not None and app.index.key != before, 120,
                           what=lambda: toasts(app))
            assert "quasar" in app.index.word_index
            await settle(pilot, app)
    finally:
        other.release()


@sync
async def test_an_edit_in_the_editor_is_left_to_the_other_watcher(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """With `notelink watch` beside the app, `e` and a save made the app build the index itself on return: a
    full retrain (40 passes on the dev vault), while the watcher, which had seen the save, waited for it to
    finish. The other process re-indexes the note, as the app's own watcher would."""
    vault, index_dir = sample_index(tmp_path)
    appending_editor(tmp_path, monkeypatch)
    other = WatcherLock(index_dir)  # as the other process holds it
    other.acquire()
    try:
        app = NotelinkApp(TuiConfig(vault=vault, index_dir=index_dir, train=FAST, watch=True))
        builds: list[bool] = []
        monkeypatch.setattr(app, "action_reindex", lambda *a, **k: builds.append(True))
        async with running(app, SIZE) as pilot:
            assert app.watcher is None and app.follower is not None and app.current is not None
            await pilot.press("e")
            await wait_for(pilot, lambda: any("Saved" in t for t in toasts(app)), what=lambda: toasts(app))
            assert "basil pesto" in (vault / app.current).read_text(encoding="utf-8")
            assert any("the notelink process that watches the vault re-indexes it" in t for t in toasts(app))
            assert not builds
    finally:
        other.release()
