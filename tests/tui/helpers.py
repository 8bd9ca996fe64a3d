"""What the app's Pilot tests share: an indexed copy of sample_notes, running the app until it has settled,
opening a note, and waiting for a condition (never a fixed time)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import shutil
import sqlite3
import stat
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any

from textual.worker import WorkerState

from notelink.index.build import build_index
from notelink.index.store import current_generation
from notelink.tui.app import NotelinkApp
from notelink.tui.noteview import NoteView
from tests.conftest import FAST, SAMPLE


def sync(fn: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Runs an async test with asyncio (no pytest plugin needed)."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(fn(*args, **kwargs))
    return run


def sample_index(root: Path, extra: dict[str, str] | None = None) -> tuple[Path, Path]:
    """A copy of sample_notes at root/vault, with the `extra` notes (path: text) written in, and its index
    at root/index, built with the fast config."""
    vault, index_dir = root / "vault", root / "index"
    shutil.copytree(SAMPLE, vault)
    for rel, text in (extra or {}).items():
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_text(text, encoding="utf-8")
    build_index(vault, index_dir, FAST)
    return vault, index_dir


def copy_indexed(vault: Path, index_dir: Path, to: Path) -> tuple[Path, Path]:
    """A copy of a vault and its index at to/vault and to/index, the copy's index recording the copied
    vault as its own (an index of another vault that is still there is refused)."""
    shutil.copytree(vault, to / "vault")
    shutil.copytree(index_dir, to / "index")
    gen = current_generation(to / "index")
    assert gen is not None
    with sqlite3.connect(gen / "index.sqlite") as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'vault'", (json.dumps(str(to / "vault")),))
    return to / "vault", to / "index"


async def wait_for(pilot: Any, condition: Callable[[], object], timeout: float = 120.0,
                   what: str | Callable[[], object] = "") -> None:
    """Lets the app run, in short steps, until `condition()` is true; fails after `timeout` seconds, which
    is generous on purpose: a busy machine makes the app slower, never different. No fixed waits.
    `what` says what was waited for (a callable: the state to show when it times out)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            shown = what() if callable(what) else what or condition
            raise AssertionError(f"still not true after {timeout:g} s: {shown}")
        await pilot.pause(0.01)


def _idle(app: NotelinkApp) -> bool:
    """No worker running (a cancelled one is done for us) and the shown note wholly laid out."""
    busy = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
    views = app.query(NoteView)
    return not busy and not (views and views.first().rendering)


async def settle(pilot: Any, app: NotelinkApp) -> None:
    """Waits until the app's workers are done and the shown note is laid out, then for a refresh."""
    await wait_for(pilot, lambda: _idle(app), what="the app's workers to finish")
    await pilot.pause()


@contextlib.asynccontextmanager
async def running(app: NotelinkApp, size: tuple[int, int]) -> AsyncIterator[Any]:
    """The app running headless at `size` (its pilot), once it has settled (`settle`): its index loaded
    and its first note on screen."""
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        yield pilot


async def open_note(pilot: Any, app: NotelinkApp, path: str) -> None:
    """Shows the note at `path` and waits until the app has settled."""
    app.show_note(path)
    await settle(pilot, app)


def appending_editor(root: Path, monkeypatch: Any) -> None:
    """$EDITOR is a script that appends a line about basil pesto to the note it is started on (an edit and
    a save, as a person's editor makes them); VISUAL unset."""
    editor = root / "fake-editor"
    editor.write_text("#!/bin/sh\nprintf '\\nExtra line about basil pesto.\\n' >> \"$1\"\n")
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
