"""The note on screen, a part of the app (`NotelinkApp`): a note shown with its panels in one go, the notes
list refreshed and highlighted, the history walked back and forward (each note where it was read when it was
left), and the shown note remembered as the vault's last one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from textual._time import get_time  # (the clock of `Message.time`, which keys are dropped by)
from textual.css.query import NoMatches
from textual.timer import Timer

from notelink.tui import actions
from notelink.tui.concepts import ConceptsPanel
from notelink.tui.noteslist import NotesPane
from notelink.tui.noteview import NoteView
from notelink.tui.state import AppState
from notelink.tui.widgets import RelatedPanel

SAVE_DELAY = 1.0
"""Seconds after a note is shown before it is saved as the vault's last note (browsing saves once)."""


class NoteShowing(AppState):
    """Showing notes: what `NotelinkApp` does with the state `AppState` holds when a note is shown."""

    def refresh_list(self) -> None:
        if not self.notes_by_path:
            return
        notes = self.note_filter(self.filter_query, self.current or "")
        self.query_one(NotesPane).show_notes(notes, len(self.notes_by_path), self.current, self.filter_query,
                                             self.names)

    def show_note(self, path: str, record: bool = True, browsing: bool = False, again: bool = False) -> None:
        """Shows a note's first screenful and its panels, on screen together in the next frame; `record`
        adds it to the back/forward history; `again`: the note shown, after a new index (its scroll position
        and related note kept, and the keys typed at it)."""
        if path not in self.notes_by_path:
            return
        if record:
            self._leave()
            self.history.visit(path, replace=browsing and self._browsing)
        self._browsing = browsing
        self.current = path
        self.update_panels(keep=again)
        self.query_one(NotesPane).highlight(path)
        with contextlib.suppress(NoMatches):  # (a note shown while the app is closing)
            actions.render_note(self, path, keep_scroll=again)
        if not again:
            self.shown_at = get_time()
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self.remember_note)

    _browsing = False
    _save_timer: Timer | None = None

    def _leave(self) -> None:
        """Notes in the history where the shown note is being read, as the app leaves it."""
        if self.current is not None and self.history.current == self.current:
            with contextlib.suppress(NoMatches):
                self.history.leave(self.query_one(NoteView).place())

    def jump_in_note(self) -> None:
        """Before a jump inside the shown note (a heading, a search hit's passage): the history notes where
        the reader was and adds an entry for the jump, so that back returns there (as a browser's)."""
        self._leave()
        if self.current is not None and self.history.current == self.current:
            self.history.jump()

    def _show_again(self, path: str) -> None:
        """A note of the history (back, forward), where it was read when it was left: the shown note (an
        entry of a jump inside it) only scrolls there."""
        if path != self.current:
            self.show_note(path, record=False)
        with contextlib.suppress(NoMatches):
            self.query_one(NoteView).scroll_to_place(self.history.place)

    def update_panels(self, keep: bool = False) -> None:
        assert self.current is not None
        if self.cache is None:
            actions.show_unindexed_panels(self)
            return
        d = self.cache.details(self.current, self.unlinked)
        empty = "" if d.related else self.cache.empty_related(self.current, self.unlinked)
        self.query_one(RelatedPanel).show(d.related, self.unlinked, empty, self.names, keep=keep)
        none = "" if d.concepts else self.cache.empty_concepts(self.current)
        self.query_one(ConceptsPanel).show(d.concepts, none)

    def action_history_back(self) -> None:
        self._walk(self.history.back, "This is the first note you opened (`]` goes forward)")

    def action_history_forward(self) -> None:
        self._walk(self.history.forward, "This is the last note you opened (`[` goes back)")

    def _walk(self, step: Callable[[], str | None], at_end: str) -> None:
        """A step back or forward in the history (`step`), the shown note's place noted first; `at_end`: said
        when there is no note that way."""
        self._leave()
        path = step()
        if path:
            self._show_again(path)
        else:
            self.notify(at_end, timeout=2)

    def remember_note(self) -> None:
        """Saves the shown note as this vault's last one (the app opens there next time)."""
        if self.index is not None and self.current is not None:
            self.saved.remember(self.vault, self.current)
            self.saved.save()
