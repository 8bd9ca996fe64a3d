"""The app's longer actions, kept out of app.py: rendering a note, the editor round-trip, watcher
events, export and switching vault. Each takes the app and updates it through its methods."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import SuspendNotSupported
from textual.widgets import Input

from notelink.index import Index, NotFound
from notelink.tui.text import is_attachment, shown_markdown
from notelink.tui.widgets import IndexStatus, NotesPane, NoteView
from notelink.vault import RawNote, VaultError, check_vault, read_note

if TYPE_CHECKING:
    from notelink.tui.app import NotelinkApp


def render_note(app: NotelinkApp, path: str) -> None:
    """Reads the note from disk (it may be newer than the index) and shows it as Markdown."""
    assert app.index is not None
    note = app.index.by_path[path]
    raw = read_note(app.vault, path, app.config.index.max_file_bytes)
    if isinstance(raw, RawNote):
        body = shown_markdown(raw.text) if raw.text.strip() else "*This note is empty.*"
    else:
        body = f"*Cannot show this note: {raw.reason}*"
    tags = "  ".join("#" + t for t in note.tags)
    app.query_one(NoteView).show(note.title or path, f"{path}  {tags}".strip(), body)


def editor_command(path: Path) -> list[str]:
    """`$VISUAL` or `$EDITOR` (with its arguments) on the file, else `vi`."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return [*shlex.split(editor), str(path)]


def edit_current(app: NotelinkApp) -> None:
    """Suspends the app, runs the editor on the current note, then re-reads and re-indexes it."""
    if app.current is None:
        app.notify("No note to edit", severity="warning")
        return
    path = app.vault / app.current
    before = _stamp(path)
    try:
        try:
            with app.suspend():
                subprocess.run(editor_command(path), check=False)
        except SuspendNotSupported:
            subprocess.run(editor_command(path), check=False, capture_output=True)
    except OSError as exc:
        app.notify(f"Could not start the editor ({exc}); set $EDITOR", severity="error", timeout=8)
        return
    if _stamp(path) == before:
        app.notify("No changes")
        return
    render_note(app, app.current)
    if app.watcher is None:
        app.action_reindex()
    else:
        app.notify("Saved; the watcher re-indexes the vault")


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def watch_event(app: NotelinkApp, ev: Any) -> None:
    """Reacts to one WatchEvent: re-show changed notes, show progress, swap in a new index."""
    status = app.query_one(IndexStatus)
    kind = getattr(ev, "kind", "")
    if kind == "changed":
        if app.current is not None and app.current in ev.paths and app.index is not None:
            render_note(app, app.current)
        app.notify(f"{len(ev.paths)} note(s) changed; re-indexing…" if ev.paths else "Vault changed")
    elif kind == "indexing":
        status.start("Re-indexing after changes…" if app.index is not None else "Building the index…")
    elif kind == "progress" and ev.progress is not None:
        status.show_event(ev.progress, cancellable=False)  # the watcher's build: `x` does not stop it
    elif kind == "indexed":
        status.finish()
        app.load_index(ev.message or f"Index updated (generation {ev.generation})")
    elif kind == "error":
        status.finish()
        app.notify(f"Watcher: {ev.message}", severity="error", timeout=10)
    elif kind == "stopped":
        app.sub_title = f"{app.vault} · not watching"


def export_json(index: Index, path: Path, top: int) -> None:
    """Writes every note's related notes as JSON (the same schema as `notelink export`)."""
    from notelink import export

    data = export.export_json(index, top)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def switch_vault(app: NotelinkApp, folder: Path) -> None:
    """Closes this vault (watcher, index, history) and opens another in its default index folder."""
    from notelink.store import default_index_dir

    try:
        vault = check_vault(folder)
    except VaultError as exc:
        app.notify(str(exc), severity="error")
        return
    app.builds.cancel()
    app.stop_watching()
    app.vault, app.index_dir = vault, default_index_dir(vault)
    app.index = app.cache = app.current = None  # the old index is closed when nothing uses it any more
    app.history = type(app.history)()
    app.filter_query = ""
    app.query_one("#filter", Input).value = ""
    app.query_one(NotesPane).show_notes([], 0, None)
    app.query_one(NoteView).show(vault.name, str(vault), "*Loading the index…*")
    app.sub_title = str(vault)
    app.start_watching()  # first: with a watcher, a vault without an index is built, not offered
    app.load_index(f"Opened {vault}")


def follow_link(app: NotelinkApp, target: str) -> None:
    """Follows a wikilink target: `#Heading` scrolls the shown note, `Note` or `Note#Heading` opens the
    note (at the heading); an attachment or a note not in the index gets a message saying so."""
    note, _, heading = target.partition("#")
    view = app.query_one(NoteView)
    if is_attachment(target):
        app.notify(f"{note} is an attachment, not a note", severity="warning")
    elif not note:
        if not view.scroll_to_heading(heading):
            app.notify(f"No heading {heading!r} in this note", severity="warning")
    elif app.index is not None:
        try:
            path = app.index.find_note(note).path
        except NotFound as exc:
            app.notify(f"Cannot follow [[{note}]]: {exc}", severity="warning", timeout=8)
            return
        view.pending_heading = heading
        if path == app.current and heading:
            view.scroll_to_heading(heading)
        app.show_note(path)
