"""Pilot tests for the app's own index builds: cancelling, failing, the first build, progress lines."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from notelink.index.build import IndexEvent, build_index
from notelink.tui.app import NotelinkApp
from notelink.tui.screens import ConfirmScreen
from notelink.tui.widgets import IndexStatus, NoteView, describe_event
from tests.conftest import FAST, SAMPLE

from .test_app import FakeEvent, FakeWatcher, make_app, settle, sync


def record_notes(app: NotelinkApp) -> list[tuple[str, str]]:
    """(message, severity) of every toast the app shows from now on."""
    shown: list[tuple[str, str]] = []
    real = app.notify

    def notify(message: str, *args: Any, severity: str = "information", **kw: Any) -> None:
        shown.append((message, severity))
        real(message, *args, severity=severity, **kw)  # type: ignore[arg-type]

    app.notify = notify  # type: ignore[method-assign]
    return shown


@pytest.fixture
def edited(tmp_path: Path) -> tuple[Path, Path]:
    """sample_notes indexed, then every note edited (so `r` has work to do)."""
    vault, index_dir = tmp_path / "vault", tmp_path / "index"
    shutil.copytree(SAMPLE, vault)
    build_index(vault, index_dir, FAST)
    for note in vault.rglob("*.md"):
        with note.open("a", encoding="utf-8") as fh:
            fh.write("\nAn added line about quasars and telescopes.\n")
    return vault, index_dir


def slow_build(*args: Any, progress: Any = None, should_stop: Any = None, **kwargs: Any) -> Any:
    """build_index after 3 s of "reading notes" that checks `should_stop` like the real one."""
    from notelink.errors import Cancelled

    for i in range(150):
        if should_stop is not None and should_stop():
            raise Cancelled()
        if progress is not None:
            progress(IndexEvent("parse", i, 150))
        time.sleep(0.02)
    return build_index(*args, progress=progress, should_stop=should_stop, **kwargs)


@sync
async def test_cancelled_build_then_a_new_one_reports_no_failure(edited: tuple[Path, Path],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("notelink.index.build.build_index", slow_build)
    app = make_app(*edited)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, app)
        gen = app.index.gen if app.index else None
        shown = record_notes(app)
        await pilot.press("r")
        await pilot.pause(0.3)
        assert "(x: cancel)" in str(app.query_one("#index-label").render())
        await pilot.press("x")
        await pilot.pause(0.1)
        await pilot.press("r")
        await settle(pilot, app)
        await pilot.pause(0.3)
        errors = [m for m, severity in shown if severity == "error"]
        assert errors == [], shown
        assert any("cancelled" in m for m, _ in shown), shown
        assert any(m.startswith("Indexed") for m, _ in shown)
        assert app.index is not None and app.index.gen != gen
        assert not app.query_one(IndexStatus).display


@sync
async def test_a_failing_build_says_why(edited: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr("notelink.index.build.build_index", broken)
    app = make_app(*edited)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, app)
        shown = record_notes(app)
        await pilot.press("r")
        await settle(pilot, app)
        assert ("Indexing failed: No space left on device", "error") in shown
        assert app.is_running and not app.query_one(IndexStatus).display


def test_progress_lines_say_x_cancels_while_reading_and_training() -> None:
    assert "(x: cancel)" in describe_event(IndexEvent("parse", 5, 10))
    assert "(x: cancel)" in describe_event(IndexEvent("train", 5, 10, 1, 2, 1000.0))
    assert "(x: cancel)" not in describe_event(IndexEvent("parse", 5, 10), cancellable=False)


@sync
async def test_watching_a_vault_without_index_builds_it_without_asking(tmp_path: Path) -> None:
    vault, index_dir = tmp_path / "vault", tmp_path / "index"
    shutil.copytree(SAMPLE / "cooking", vault)
    watchers: list[FakeWatcher] = []
    app = make_app(vault, index_dir, watchers)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, app)
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.query_one(NoteView).border_title == "Building the index"
        assert app.query_one(IndexStatus).display
        (w,) = watchers
        w.on_event(FakeEvent("indexing"))
        await pilot.pause()
        assert "Building the index" in str(app.query_one("#index-label").render())
        build_index(vault, index_dir, FAST)  # what the watcher does
        w.on_event(FakeEvent("indexed", generation=1))
        await settle(pilot, app)
        assert app.index is not None and len(app.index.notes) == 8
        assert not app.query_one(IndexStatus).display and not isinstance(app.screen, ConfirmScreen)


@sync
async def test_a_watcher_that_cannot_build_the_first_index_says_why(tmp_path: Path) -> None:
    vault, index_dir = tmp_path / "vault", tmp_path / "index"
    shutil.copytree(SAMPLE / "cooking", vault)
    watchers: list[FakeWatcher] = []
    app = make_app(vault, index_dir, watchers)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, app)
        (w,) = watchers
        w.on_event(FakeEvent("error", message="indexing failed (none of the 8 files could be indexed)"))
        await pilot.pause()
        view = app.query_one(NoteView)
        assert view.border_title == "No index yet" and not app.query_one(IndexStatus).display
        assert "none of the 8 files" in app.watch_error
        w.on_event(FakeEvent("indexing"))  # the watcher tries again
        await pilot.pause()
        assert app.watch_error == "" and app.query_one(IndexStatus).display


@sync
async def test_an_index_opened_for_the_previous_vault_is_dropped(edited: tuple[Path, Path],
                                                                tmp_path: Path) -> None:
    from notelink.query.index import Index
    from notelink.tui.messages import IndexLoaded

    app = make_app(*edited)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, app)
        shown = app.index
        stale = Index.open(edited[1])
        app.post_message(IndexLoaded(stale, tmp_path / "another vault's index", "stale"))
        await pilot.pause()
        assert app.index is shown  # not replaced by an index posted for another folder


@sync
async def test_an_export_that_cannot_be_written_is_a_message_not_a_crash(edited: tuple[Path, Path],
                                                                         tmp_path: Path) -> None:
    app = make_app(*edited)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, app)
        shown = record_notes(app)
        app.export(tmp_path / "no such folder" / "x.json")
        await settle(pilot, app)
        assert app.is_running
        assert any(m.startswith("Export failed: cannot write") and s == "error" for m, s in shown), shown
