"""The notelink terminal app: notes list, the note, related notes and concepts, indexing in workers.

Widgets post messages up (NoteRequested, RelatedPanel.Highlighted, ...); the app holds the state
(index, current note, history, caches) and updates the widgets down. Workers are thin: they call
`build_index`/`Index.open` off the UI thread and post results back as messages.

A note switch puts the note's first screenful and its panels on screen in one go (`show_note`); keys typed
before a switch was on screen are dropped (`on_event`), so none is replayed against another note than the
one it was typed at.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from textual import events, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Container, Horizontal
from textual.screen import ModalScreen, Screen
from textual.theme import Theme
from textual.widgets import Header, Input
from textual.worker import Worker

from notelink.config import TuiConfig
from notelink.query.index import Index
from notelink.tui import actions, editor, following, keys
from notelink.tui.builds import Builds
from notelink.tui.concepts import ConceptsPanel
from notelink.tui.details import DetailsCache
from notelink.tui.linking import Linker
from notelink.tui.messages import IndexLoaded, IndexProgress, WatchMessage
from notelink.tui.noteslist import FilterSubmitted, NotesPane
from notelink.tui.noteview import NoteView
from notelink.tui.screens import ConceptScreen, HelpScreen, LinksScreen, PathPrompt
from notelink.tui.search import SearchPane
from notelink.tui.showing import NoteShowing
from notelink.tui.signals import quit_on_signals
from notelink.tui.status import IndexStatus
from notelink.tui.text import app_target
from notelink.tui.watching import WatcherFactory, default_watcher_factory
from notelink.tui.widgets import NoteRequested, RelatedPanel

WARM_DELAY = 1.0
"""Seconds after an index is shown before the word vectors and link resolver are made (`Index.warm`)."""


class NotelinkApp(NoteShowing):
    """Browse a vault's notes with their related notes and concepts."""

    TITLE = "notelink"
    CSS_PATH = "app.tcss"
    AUTO_FOCUS = "#notes"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-medium"), (100, "-wide")]  # noqa: RUF012 (App types it so)
    """Screen classes by terminal width: below 100 columns the side panels go under the note (app.tcss)."""
    BINDINGS: ClassVar[list[BindingType]] = keys.BINDINGS

    def __init__(self, config: TuiConfig, watcher_factory: WatcherFactory | None = default_watcher_factory,
                 ask_to_build: bool = True) -> None:
        super().__init__(config, watcher_factory, ask_to_build)
        self.builds = Builds(self)
        self.linker = Linker(self)
        self.dropped_keys = keys.DroppedKeys(self)
        self._restore_signals: Callable[[], None] = lambda: None  # once mounted, `signals.quit_on_signals`'s

    def cancel_build(self) -> None:
        self.builds.cancel()

    # -- layout ---------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """The notes list, then the note with its side panels: beside it on a wide screen, under it on a
        narrow one (app.tcss, HORIZONTAL_BREAKPOINTS)."""
        yield Header()
        with Horizontal(id="main"):
            yield NotesPane(id="notes-pane")
            with Container(id="body"):
                yield NoteView(id="note-view")
                with Container(id="side"):
                    yield RelatedPanel(id="related-panel")
                    yield ConceptsPanel(id="concepts-panel")
        yield SearchPane(id="search")
        yield IndexStatus(id="index-status")
        yield keys.KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = str(self.vault)
        self._restore_signals = quit_on_signals(self)  # SIGTERM, SIGHUP: quit as `q` does
        actions.open_theme(self)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.screen_change_signal.subscribe(self, self._screen_changed)
        self.query_one(IndexStatus).display = False
        self.query_one(NoteView).show("notelink", "", "*Loading the index…*")
        self.load_index()
        self.start_watching()

    def _theme_changed(self, theme: Theme) -> None:
        self.saved.theme = theme.name
        self.saved.save()

    async def on_event(self, event: events.Event) -> None:
        """Drops keys typed before the note on screen was put there (during a switch, or a stall): they
        were meant for the note shown then. Keys typed into a text box are always kept. Notes when input
        came (`input_at`: the note view's background work waits a moment after it)."""
        if isinstance(event, events.Key | events.MouseDown) and not event.is_forwarded:
            self.input_at = time.monotonic()
            if (isinstance(event, events.Key) and event.time < self.shown_at
                    and not isinstance(self.focused, Input)):
                self.dropped_keys.drop(event.key)
                return
        await super().on_event(event)

    # -- index lifecycle -------------------------------------------------------------------------
    @work(thread=True, group="warm")
    def _warm(self, index: Index) -> None:
        """Makes what the first word query or link lookup needs, once the first screen is up (done along
        with the first screen, it held the GIL while 100k list entries were made: +1.5 s). A build that
        lands meanwhile closes the index being warmed: then there is nothing left to warm."""
        if index is not self.index:
            return
        try:
            index.warm()
        except sqlite3.ProgrammingError:  # "Cannot operate on a closed database"
            if index is self.index:
                raise

    def on_index_loaded(self, message: IndexLoaded) -> None:
        if message.index_dir != self.index_dir:  # opened before a switch to another vault
            if message.index is not None:
                message.index.close()
            return
        if message.index is None:
            self._no_index()
            return
        assert message.notes is not None and message.names is not None  # posted with every index
        old, self.index, self.note_filter = self.index, message.index, message.notes
        self.notes_by_path, self.names, self.home = message.index.by_path, message.names, message.home
        self.cache = DetailsCache(message.index, self.config.top)
        now = message.index  # (notes read before, renamed since, are followed as the shown note is)
        self.history.retain(set(now.by_path), lambda path: actions.followed(self, old, now, path))
        self.refresh_list()
        kept = actions.followed(self, old, message.index)
        target = kept or actions.first_note(self)
        if kept is None and self.current is not None and self.history.current is not None:
            self._show_again(self.history.current)  # the shown note is gone: back to the one before it
        elif target:  # the same note again (renamed too): where it was read, its related note highlighted
            self.show_note(target, record=self.history.current is None, again=kept is not None)
        else:
            self.query_one(NoteView).show("No notes", "", "*The index has no notes.*")
        if message.note:
            self.notify(message.note)
        if old is not None:
            old.close()
        self.set_timer(WARM_DELAY, lambda: self._warm(message.index))

    def _no_index(self) -> None:
        actions.show_no_index(self)

    def on_index_progress(self, message: IndexProgress) -> None:
        self.builds.progress(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Hides the progress bar when the current build ends, and reports its failure (`Builds`)."""
        if event.worker.group == "index":
            self.builds.state_changed(event.worker)

    # -- watching --------------------------------------------------------------------------------
    def on_watch_message(self, message: WatchMessage) -> None:
        if message.source == self.watch_serial:
            actions.watch_event(self, message.event)

    async def on_unmount(self) -> None:
        self._restore_signals()
        self.remember_note()
        self.stop_watching()

    # -- messages from widgets -------------------------------------------------------------------
    def on_note_requested(self, message: NoteRequested) -> None:
        self.show_note(message.path, browsing=message.browsing)

    def on_notes_pane_filter_changed(self, message: NotesPane.FilterChanged) -> None:
        """The box's value now (a message of an earlier keystroke may come after `FilterSubmitted`)."""
        query = self.query_one("#filter", Input).value
        if query != self.filter_query:
            self.filter_query = query
            self.refresh_list()

    def on_filter_submitted(self, message: FilterSubmitted) -> None:
        """Enter, ↓ or Esc in the filter (the box has focused the list already): the list for the query as
        typed, and with Enter its best match shown."""
        if message.query != self.filter_query:
            self.filter_query = message.query
            self.refresh_list()
        path = self.query_one(NotesPane).chosen(message.query) if message.open else None
        if path:
            self.show_note(path)

    def on_related_panel_highlighted(self, message: RelatedPanel.Highlighted) -> None:
        if self.cache is None or self.current is None:
            return
        hits = self.cache.details(self.current, self.unlinked).related
        hit = next((h for h in hits if h.path == message.path), None)
        if hit is not None:
            self.query_one(RelatedPanel).set_reason(self.cache.reason(self.current, hit))

    def on_concepts_panel_chosen(self, message: ConceptsPanel.Chosen) -> None:
        if self.index is not None:
            self.push_screen(ConceptScreen(self.index, message.word, self.config.top, self.names),
                             self._concept_done)

    def _concept_done(self, path: str | None) -> None:
        if path:
            self.show_note(path)

    def on_note_view_link_clicked(self, event: NoteView.LinkClicked) -> None:
        target = app_target(event.href)  # (a wikilink's, or a Markdown link's into the vault)
        if target is None:
            self.open_url(event.href)
        else:
            self.follow_link(target)

    def follow_link(self, target: str | None) -> None:
        """Opens the note (or heading) a wikilink target names, or says why it cannot (`actions`)."""
        if target:
            following.follow_link(self, target)

    def action_links(self) -> None:
        view = self.query_one(NoteView)
        if not view.links:
            self.notify("This note has no links to notes")
            return
        self.push_screen(LinksScreen(str(view.border_title or ""), following.link_choices(self, view.links)),
                         self.follow_link)

    # -- actions ---------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`/` and `s` are priority keys (see BINDINGS) everywhere but in a text box, a dialog or search; keys
        a text box types are not named in the footer while it has focus (`l Links` read as a command there);
        the palette (Ctrl+P) opens over no dialog."""
        if action in ("focus_filter", "search"):
            return not (isinstance(self.focused, Input) or isinstance(self.screen, ModalScreen)
                        or self.query_one(SearchPane).is_open)
        if action in keys.TYPED:  # not in the footer where a text box types the key
            return not isinstance(self.focused, Input)
        if action == "command_palette":  # not over a dialog (an export asked twice, the first left open)
            return not isinstance(self.screen, ModalScreen)
        return True

    async def action_quit_key(self) -> None:
        await self.action_quit()

    def action_help_quit(self) -> None:
        keys.help_quit(self)

    def _screen_changed(self, screen: Screen[Any]) -> None:
        keys.footer_for(self, screen)

    def action_search(self) -> None:
        """`s`: search mode (`search.SearchPane`); focus moves at once, so `skim` types "kim" there."""
        self.query_one(SearchPane).open()

    def action_focus_filter(self) -> None:
        """Focuses the filter at once (not after the keys already read), so `/ke` types "ke" there."""
        self.screen.set_focus(self.query_one("#filter", Input))

    def action_focus_list(self) -> None:
        """Esc: to the notes list (the filter box takes its own Esc: `FilterBox`)."""
        self.query_one("#notes").focus()

    def action_toggle_unlinked(self) -> None:
        self.unlinked = not self.unlinked
        if self.current and self.cache:
            self.update_panels()
        self.notify("Related: only notes not linked yet" if self.unlinked else "Related: all notes")

    def action_reindex(self) -> None:
        """`r`: indexes what changed since the last build."""
        self.builds.start()

    def action_retrain(self) -> None:
        """The palette's Retrain: trains again on every note, even when nothing changed."""
        self.builds.start(force=True)

    def action_cancel_index(self) -> None:
        """`x`: cancels a build started with `r` or the palette; says so when none runs (it was silent)."""
        if not self.builds.running:
            self.notify("Nothing to cancel: x stops an index build started with r or the palette", timeout=3)
            return
        self.builds.cancel()

    def action_link_note(self) -> None:
        self.linker.link_related()

    def action_mentions(self) -> None:
        self.linker.mentions()

    def action_undo_link(self) -> None:
        self.linker.undo()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.config.related.weak_below))

    def action_edit(self) -> None:
        editor.edit_current(self)

    def action_export(self, fmt: str = "json") -> None:
        """The palette's Export: asks where (and before replacing a file), then writes in a worker."""
        actions.ask_export(self, fmt, self.export)

    @work(thread=True, group="export", exit_on_error=False)
    def export(self, path: Path, fmt: str = "json") -> None:
        assert self.index is not None
        actions.export_to(self, self.index, path, fmt)

    def action_switch_vault(self) -> None:
        self.push_screen(PathPrompt("Open vault (folder of notes):", str(self.vault)), self._switch_to)

    def _switch_to(self, path: str | None) -> None:
        if path:
            actions.switch_vault(self, Path(path).expanduser())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """notelink's commands first ("Notes › ..."), then Textual's own ("Screen › ..."): the palette
        lists them by title, so the prefixes keep each group together."""
        yield from actions.palette_commands(self)
        for command in super().get_system_commands(screen):
            yield command._replace(title=f"Screen › {command.title}")
