"""The editor round-trip of the app's `e`: the app suspended while `$VISUAL` or `$EDITOR` runs on the note,
then the note shown again and re-indexed (by the watcher, here or in another notelink process, else a
build) when the editor changed it."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

from textual.app import SuspendNotSupported

from notelink.tui import actions
from notelink.tui.state import AppState


def editor_command(path: Path) -> list[str]:
    """`$VISUAL` or `$EDITOR` (with its arguments) on the file, else `vi`."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return [*shlex.split(editor), str(path)]


def edit_current(app: AppState) -> None:
    """Suspends the app, runs the editor on the current note, then re-reads and re-indexes it."""
    if app.current is None:
        app.notify("No note to edit", severity="warning")
        return
    path = app.vault / app.current
    before = _stamp(path)
    failure = _run_editor(app, path)
    if failure:
        app.notify(f"Could not start the editor ({failure}); set $EDITOR", severity="error",
                   timeout=8)
        return
    if _stamp(path) == before:
        app.notify("No changes")
        return
    actions.render_note(app, app.current, keep_scroll=True)
    if app.watcher is not None:
        app.notify("Saved; the watcher re-indexes the vault")
    elif app.follower is not None:  # (a build here would retrain in full, and hold that process's update)
        app.notify("Saved; the notelink process that watches the vault re-indexes it")
    else:
        app.action_reindex()


def _run_editor(app: AppState, path: Path) -> str:
    """Runs the editor on `path` with the app suspended; what kept it from starting, else "". A program not
    found is said before the app is suspended, and a start error is caught inside the suspension: Textual's
    `suspend()` resumes the app only when its block ends without an exception."""
    try:
        command = editor_command(path)
    except ValueError as exc:  # (shlex: an unclosed quote)
        return f"{exc} in $EDITOR"
    if shutil.which(command[0]) is None:
        return f"no program {command[0]!r}"
    try:
        with app.suspend():
            return _started(command, capture=False)
    except SuspendNotSupported:
        return _started(command, capture=True)


def _started(command: list[str], capture: bool) -> str:
    try:
        subprocess.run(command, check=False, capture_output=capture)
    except OSError as exc:
        return str(exc)
    return ""


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)
