"""The app's longer actions, kept out of app.py: rendering a note, watcher events, export, the palette and
switching vault (the editor round-trip is `editor.py`). Each takes the app and updates it through its
methods."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import SystemCommand
from textual.widgets import Input

from notelink.errors import ConfigError, VaultError
from notelink.notes.dialect import alias_first
from notelink.notes.links import dialect_of
from notelink.notes.names import file_stem
from notelink.notes.vault import RawNote, check_vault, read_inside, scan
from notelink.query.answers import NoteInfo
from notelink.query.index import Index
from notelink.query.notetext import moved_to
from notelink.query.reading import variables
from notelink.tui.concepts import ConceptsPanel
from notelink.tui.exports import EXPORTS, export_path, refusal, write_export
from notelink.tui.names import Names
from notelink.tui.notefilter import NoteFilter
from notelink.tui.noteslist import NotesPane
from notelink.tui.noteview import NoteView
from notelink.tui.screens import ConfirmScreen, PathPrompt
from notelink.tui.state import AppState
from notelink.tui.status import IndexStatus
from notelink.tui.text import as_shown, dendron_titles, logseq_shown, note_body
from notelink.tui.widgets import RelatedPanel


def render_note(app: AppState, path: str, keep_scroll: bool = False) -> None:
    """Reads the note from disk (it may be newer than the index) and shows it as Markdown; `keep_scroll`
    for the same note again (after an edit)."""
    note = app.notes_by_path[path]
    raw = read_inside(app.vault, path, app.note_cap())  # (not a link out of the vault)
    if isinstance(raw, RawNote):
        body = note_body(raw.text) if raw.text.strip() else "*This note is empty.*"
        body = logseq_shown(body) if dialect(app) == "logseq" else body
    else:
        body = f"*Cannot show this note: {raw.reason}*"
    tags = "  ".join("#" + t for t in note.tags)
    prepare = as_shown
    if alias_first(dialect(app)):  # Dendron: a link without a label shows its note's title, as Dendron does
        titles = dendron_titles((p, n.title) for p, n in app.notes_by_path.items())
        values = variables(raw.text) if isinstance(raw, RawNote) else {}  # (`{{fm.desc}}`)
        prepare = partial(as_shown, alias_first=True, titles=titles, values=values)
    app.query_one(NoteView).show(app.names.name(path, note.title), f"{path}  {tags}".strip(), body,
                                 keep_scroll=keep_scroll, prepare=prepare)


def dialect(app: AppState) -> str:
    """The vault's link dialect: the one its index was built in, else the one asked for (`--dialect`, the
    config file), else Obsidian's (links are followed only with an index)."""
    if app.index is not None:
        return dialect_of(app.index.meta).name
    asked = app.config.index.dialect.name
    return "obsidian" if asked == "auto" else asked


THEMES = {"dark": "textual-dark", "light": "textual-light"}
"""The config file's short theme names."""


def open_theme(app: AppState) -> None:
    """The theme the app opens in: the config file's (`[tui] theme`), else the one last chosen with `t`."""
    asked = app.config.theme
    theme = THEMES.get(asked, asked) or app.saved.theme
    if theme in app.available_themes:
        app.theme = theme
    elif asked:
        app.notify(f"The config file's [tui] theme {asked!r} is no theme here; themes: dark, light, "
                   f"{', '.join(sorted(app.available_themes))}", severity="warning", timeout=8)


def first_note(app: AppState) -> str | None:
    """Where the user left off in this vault, else its home note (found with the index: `home_path`)."""
    last = app.saved.last_note(app.vault)
    return last if app.index is not None and last in app.index.by_path else app.home


def list_unindexed(app: AppState) -> None:
    """Without an index (yet), lists the vault's notes by file name, so they can be read meanwhile."""
    notes = [NoteInfo(i, p, file_stem(p), [], [])
             for i, p in enumerate(scan(app.vault, app.config.index.exclude))]
    app.note_filter = NoteFilter(notes)
    app.notes_by_path = {n.path: n for n in notes}
    app.names = Names(app.note_filter.notes, app.note_filter.titles)
    listed = app.note_filter(app.filter_query, app.current or "")
    app.query_one(NotesPane).show_notes(listed, len(notes), app.current, app.filter_query, app.names)


def show_unindexed_panels(app: AppState, why: str | None = None) -> None:
    """The side panels before there is an index: saying so, or `why`."""
    if why is None and app.watcher is not None and app.watch_error:
        why = "no index yet: the last build failed (see the note view)"
    elif why is None:
        built = app.watcher is not None or app.follower is not None  # (here, or by another notelink)
        why = "no index yet: it is being built" if built else "no index yet: press r to build it"
    app.query_one(RelatedPanel).show([], False, why)
    app.query_one(ConceptsPanel).show([], why.partition(":")[0])


def watch_event(app: AppState, ev: Any) -> None:
    """Reacts to one WatchEvent: re-show changed notes, show progress, swap in a new index. An event that
    arrives while the app closes (its widgets already gone) is dropped: the watcher outlives the screen by
    a moment (seen as a NoMatches crash at exit on a busy machine)."""
    found = app.query(IndexStatus)
    if not found:
        return
    status = found.first()
    kind = getattr(ev, "kind", "")
    if kind == "changed":
        if app.current is not None and app.current in ev.paths and app.current in app.notes_by_path:
            render_note(app, app.current, keep_scroll=True)
        app.renames = [*app.renames, *getattr(ev, "moves", ())][-RENAMES_KEPT:]
        said = _brief(ev, "message") or (f"{len(ev.paths)} note(s) changed" if ev.paths else
                                         "Notes changed")  # (the watcher's: "moved a.md → b.md")
        app.notify(f"{_capital(said)}; updating related notes…")
    elif kind == "indexing":
        app.watch_error = ""
        status.start("Re-indexing after changes…" if app.index is not None else "Building the index…")
    elif kind == "progress" and ev.progress is not None:
        status.show_event(ev.progress, cancellable=False)  # the watcher's build: `x` does not stop it
    elif kind == "indexed":
        status.finish()
        app.load_index(indexed_message(_brief(ev, "said"), getattr(ev, "retrain_reason", "")))
    elif kind == "current":  # nothing to build (after a wait for another build: it stops showing)
        status.finish()
        nothing_built(app, ev)
    elif kind in ("error", "waiting"):
        status.finish()
        if kind == "error":
            app.notify(f"Watcher: {ev.message}", severity="error", timeout=10)
        if kind == "error" and app.index is None and not ev.paths:  # it could not build the first index
            app.watch_error = ev.message
            show_no_index(app)
    elif kind == "stopped":
        app.sub_title = f"{app.vault} · not watching"
    elif kind == "watching":  # back from rescans (after a fallback said so in an error)
        app.notify(f"Watcher: {ev.message}", timeout=5)


def nothing_built(app: AppState, ev: Any) -> None:
    """The watcher built nothing: another process built the live generation meanwhile (shown now, not at
    the next change; the app's own build, `r`, shows its own), or the batch's text was as indexed (said,
    ending the toast that said related notes were being updated, in its words; the note shown is read
    again: the batch's "changed" may have found it empty mid-save, and its save then changes nothing)."""
    generation = getattr(ev, "generation", 0)
    own = any(w.group == "index" and not w.is_finished for w in app.workers)
    if generation and (app.index is None or app.index.meta.get("generation") != generation):
        if not own:
            app.load_index(OTHER_BUILT)
    elif ev.paths:
        if app.current is not None and app.current in ev.paths and app.current in app.notes_by_path:
            render_note(app, app.current, keep_scroll=True)  # (shown as "changed" found it: empty mid-save)
        said = _brief(ev, "said")
        app.notify(f"{_capital(said)}; related notes already up to date" if said else UNCHANGED)


def _brief(ev: Any, said: str) -> str:
    """What a watcher's batch was, for a toast: its brief (a big batch in counts), else its field `said`."""
    return str(getattr(ev, "brief", "") or getattr(ev, said, ""))


OTHER_BUILT = "Related notes updated: another notelink process re-indexed the vault"
UNCHANGED = "Related notes already up to date"

RENAMES_KEPT = 100
"""The watcher's renames the app keeps to follow the shown note by (a new index may come a batch late)."""


def followed(app: AppState, before: Index | None, now: Index, path: str | None = None) -> str | None:
    """The shown note (or the note at `path`) in the new index `now`: at its path; when `now` lacks it,
    where the watcher saw it (or its folder) renamed, else the one note with its content at a new path
    (renamed by another process, or before `r`); None when there is none of these."""
    path = app.current if path is None else path
    if path is None or path in now.by_path:
        return path
    if (moved := renamed(app, path)) in now.by_path:
        return moved
    return None if before is None else moved_to(before, now, path)


def renamed(app: AppState, path: str) -> str:
    """`path` after the watcher's renames the app has seen (the note's, or a folder's above it), in order."""
    for src, dest in app.renames:
        if path == src or (src.endswith("/") and path.startswith(src)):
            path = dest + path[len(src):]
    return path


def indexed_message(said: str, why: str = "") -> str:
    """What a toast says when the watcher's new index is in: what changed, in the words of the watcher's log
    and of the toast that said it was coming (`said`: "new: a.md", "moved a.md → b.md", "deleted: c.md",
    "c.md is now empty"; "" for a reconcile), and why it retrained from scratch when it did (`why`)."""
    head = f"{_capital(said)}; related notes updated" if said else "Related notes updated"
    return head + (f" (full retrain: {why})" if why else "")


def _capital(said: str) -> str:
    """The watcher's words as a sentence: its first word capitalised, not a path it starts with
    ("bread/rye.md is now empty")."""
    first = said.partition(" ")[0]
    return said[:1].upper() + said[1:] if first.rstrip(":") in SAID_FIRST else said


SAID_FIRST = {"moved", "deleted", "now", "new", "no", "changed", "skipped"}
"""The words a watcher's batch may start with (`watch.changes.Batch.said`); others start with a path."""


BUILD_TIME = "about half a minute for 2,000 notes on two cores"
"""What a first build takes, as the app says it: obsidian-help (2,322 notes) was indexed in 21.6-24.7 s on a
quiet machine (README, session 21); "a few seconds" made a first build look stuck."""

NO_INDEX = ("# This vault has no index yet\n\nPress `r` to build one: notelink reads your notes and learns "
            f"their vocabulary ({BUILD_TIME}).")
WATCH_FAILED = ("# No index yet\n\nThe watcher could not build one:\n\n> {}\n\nIt tries again on its own "
                "when notes change; press `r` to try now.")
OTHER_BUILDS = ("# No index yet\n\nAnother notelink process watches this vault: its index appears here "
                "when that process has built it. Press `r` to build it here instead.")
BUILDING = ("# Building the index\n\nnotelink is reading your notes and learning their vocabulary "
            f"({BUILD_TIME}). They appear here, with their related notes, when it is done.")


def show_no_index(app: AppState) -> None:
    """No index (yet): an empty vault says so; the watcher builds one on its own (shown as it goes, or why
    it could not); without a watcher, the app offers to build one."""
    if app.index is not None:  # a load that raced the watcher's first build: the index is here now
        return
    view = app.query_one(NoteView)
    if not app.notes_by_path:
        list_unindexed(app)
    show_unindexed_panels(app, None if app.notes_by_path else "")  # (not another vault's, after a switch)
    if not app.notes_by_path:
        then = ": this app indexes them as you save them" if app.watcher is not None else \
            ": the notelink process that watches this vault indexes them as you save them" \
            if app.follower is not None else ", then press `r` to index them"
        view.show("Empty vault", str(app.vault),
                  f"# No notes here yet\n\n`{app.vault}` has no Markdown notes (`*.md`).\n\n"
                  f"Add some notes{then}.")
    elif app.watcher is not None and app.watch_error:
        app.query_one(IndexStatus).finish()
        view.show("No index yet", str(app.vault), WATCH_FAILED.format(app.watch_error))
    elif app.watcher is not None:
        view.show("Building the index", str(app.vault), BUILDING)
        app.query_one(IndexStatus).start("Building the index…")
    elif app.follower is not None:
        view.show("No index yet", str(app.vault), OTHER_BUILDS)
    else:
        view.show("No index yet", str(app.vault), NO_INDEX)
        if app.ask_to_build:
            app.push_screen(ConfirmScreen(f"{app.vault.name} has no index yet. Build one now?", "Build",
                                          "Not now"), app.build_answer)


def ask_export(app: AppState, fmt: str, write: Callable[[Path, str], object]) -> None:
    """The palette's Export: asks where (a relative path is taken from the default's folder, beside the
    vault), then, when that file exists, whether to replace it (No unless asked); `write` writes it."""
    what = EXPORTS[fmt]
    folder = app.vault.parent
    app.push_screen(PathPrompt(f"{what.question} to:", str(folder / f"{app.vault.name}-{what.suffix}"),
                               what.hint, refuse=partial(refusal, app.vault, fmt, folder)),
                    partial(_export_chosen, app, fmt, folder, write))


def _export_chosen(app: AppState, fmt: str, folder: Path, write: Callable[[Path, str], object],
                   typed: str | None) -> None:
    if not typed or app.index is None:
        return
    path = export_path(typed, folder)
    if not path.is_file():
        write(path, fmt)
        return

    def answered(replace: bool | None) -> None:
        if replace:
            write(path, fmt)
        else:
            app.notify(f"Not exported; {path} is as it was")
    app.push_screen(ConfirmScreen(f"{path} exists. Replace it with the export?", "Replace", "Keep it",
                                  default=False), answered)


def export_to(app: AppState, index: Index, path: Path, fmt: str) -> None:
    """In a worker's thread: writes one export (`exports`), whole or not at all, and says how it went; a path
    that cannot be written is a message, not a crash."""
    from notelink.errors import OutputError
    from notelink.write.export import inside_vault

    try:
        done = write_export(index, app.vault, fmt, path, app.config.export)
    except (OutputError, OSError) as exc:
        app.call_from_thread(app.notify, f"Export failed: {exc}", severity="error", timeout=10)
        return
    if why := inside_vault(path, app.vault, fmt):  # (as `notelink export` says it)
        app.call_from_thread(app.notify, f"{done} It {why}.", severity="warning", timeout=15)
        return
    app.call_from_thread(app.notify, done)


def palette_commands(app: Any) -> Iterator[SystemCommand]:
    """notelink's entries of the Ctrl+P palette, titled "Notes › ..." so that they stay together."""
    for title, help_text, action in [
            ("Reindex", "Index the notes changed since the last build (r)", app.action_reindex),
            ("Retrain", "Train again on every note from scratch and swap the new index in",
             app.action_retrain),
            *((what.title, what.question, partial(app.action_export, fmt)) for fmt, what in EXPORTS.items()),
            ("Show only unlinked", "Related notes: toggle showing only notes not linked yet (u)",
             app.action_toggle_unlinked),
            ("Unlinked mentions", "Where this note and others name each other without a link; link one (m)",
             app.action_mentions),
            ("Undo last link", "Put back the note of the last link written, byte for byte (z)",
             app.action_undo_link),
            ("Switch vault", "Open another folder of notes", app.action_switch_vault),
            ("Help", "Keys and what they do (?)", app.action_help)]:
        yield SystemCommand(f"Notes › {title}", help_text, action)


def switch_vault(app: AppState, folder: Path) -> None:
    """Closes this vault (watcher, index, history) and opens another, its index where the CLI would find it
    (the config file's `[index] index_root`, else the user data folder)."""
    from notelink.configfile import UserConfig
    from notelink.noindex import no_index, opened_inside

    try:
        vault, config = check_vault(folder), UserConfig.load()
        index_dir = config.index_dir(vault)
    except (VaultError, ConfigError) as exc:
        app.notify(str(exc), severity="error")
        return
    if (above := opened_inside(vault, index_dir, config)) is not None:  # (as `notelink tui` says it)
        app.notify(no_index(vault, above=above, typed=str(folder), asking=("tui", "")), severity="error")
        return
    app.cancel_build()
    app.stop_watching()
    if app.index is not None and app.current is not None:
        app.saved.remember(app.vault, app.current)
        app.saved.save()
    app.vault, app.index_dir = vault, index_dir
    app.index = app.cache = app.current = None  # the old index is closed when nothing uses it any more
    app.notes_by_path, app.note_filter, app.names = {}, NoteFilter([]), Names([])
    app.history = type(app.history)()
    app.filter_query = ""
    app.query_one("#filter", Input).value = ""
    app.query_one(NotesPane).show_notes([], 0, None)
    app.query_one(NoteView).show(vault.name, str(vault), "*Loading the index…*")
    app.query_one(RelatedPanel).show([], False, "loading the index…")  # (not the old vault's)
    app.query_one(ConceptsPanel).show([], "loading the index…")
    app.sub_title = str(vault)
    app.start_watching()  # first: with a watcher, a vault without an index is built, not offered
    app.load_index(f"Opened {vault}")
