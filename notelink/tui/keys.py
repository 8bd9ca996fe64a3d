"""The app's keys: its bindings, in the footer's order (hidden under a dialog; those that fit, `KeysFooter`),
Ctrl+C, and the keys typed while a note was being put on screen, which are dropped rather than replayed
against another note than the one they were typed at (`NotelinkApp.on_event` decides which; `DroppedKeys`
says so)."""

from __future__ import annotations

import contextlib
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input
from textual.widgets._footer import FooterKey  # (the footer's keys, which `KeysFooter` leaves out or not)

BINDINGS: list[BindingType] = [
    Binding("slash", "focus_filter", "Filter", priority=True),  # (priority: the keys after it, in the
    # same read, already go to the filter; the footer's order: help and quit before the keys
    Binding("s", "search", "Search", priority=True),  # (priority: as `/`, for the keys read with it)
    Binding("l", "links", "Links"),              # a narrow footer cuts off (the help lists them all)
    Binding("e", "edit", "Edit"),
    Binding("question_mark", "help", "Help"),
    Binding("q", "quit_key", "Quit"),  # (not named in a text box, which types it; Ctrl+Q quits anywhere)
    Binding("u", "toggle_unlinked", "Unlinked"),
    Binding("r", "reindex", "Reindex"),
    Binding("i", "link_note", "Link it"),  # the highlighted related note, into this note (`linking`)
    Binding("m", "mentions", "Mentions"),
    Binding("z", "undo_link", "Undo link"),
    Binding("left_square_bracket", "history_back", "Back", show=False),
    Binding("right_square_bracket", "history_forward", "Forward", show=False),
    Binding("x", "cancel_index", "Cancel", show=False),
    Binding("t", "toggle_dark", "Theme", show=False),
    Binding("escape", "focus_list", "List", show=False),
    Binding("ctrl+c", "help_quit", show=False, priority=True),  # (a text box took it silently, as copy)
]
"""The app's bindings (`NotelinkApp.BINDINGS`)."""

TYPED = frozenset(b.action for b in BINDINGS if isinstance(b, Binding) and b.key not in ("escape", "ctrl+c"))
"""The app's actions on keys a text box types (letters, `/`, `?`, `[`): run only outside one."""

NAVIGATION_KEYS = frozenset("up down pageup pagedown home end tab shift+tab escape j k".split())
"""Keys that only move; dropped silently when typed during a note switch (others get a toast)."""


def help_quit(app: App[Any]) -> None:
    """Ctrl+C: copies a text box's selected text, or says how to quit (Textual's says `q` in a text box,
    which types it; and a text box took Ctrl+C as copy, silently)."""
    box = app.focused
    if isinstance(box, Input) and not box.selection.is_empty:
        box.action_copy()
        return
    in_text = isinstance(box, Input) or isinstance(app.screen, ModalScreen)
    hint = "Press Ctrl+Q to quit" if in_text else "Press q or Ctrl+Q to quit"
    app.notify(hint, title="Do you want to quit?")


def footer_for(app: App[Any], screen: Screen[Any]) -> None:
    """Hides the footer (the main screen's keys) while a dialog is over it: they do not reach the app then;
    each dialog's hint line says its own keys."""
    with contextlib.suppress(NoMatches):
        app.screen_stack[0].query_one(Footer).display = not isinstance(screen, ModalScreen)


COMPACT_UNDER = 130
"""Columns under which the footer is compact (one space between a key and what it does)."""


class KeysFooter(Footer):
    """The footer with the keys that fit whole, in their order, and `^p palette` at its right (the palette
    holds every command, the help among them): at 80 columns the keys ran off the screen (`m` of Mentions
    cut) and the palette key was left out; from 100 to 111 columns keys ran under it."""

    def __init__(self) -> None:
        super().__init__()
        self._fitted: tuple[str, ...] | None = None  # the actions shown at the last compose

    def compose(self) -> ComposeResult:
        self._fitted = fitted = self.fitting()
        for widget in super().compose():
            if not isinstance(widget, FooterKey) or widget.key == self.app.COMMAND_PALETTE_BINDING \
                    or widget.action in fitted:
                yield widget

    def fitting(self) -> tuple[str, ...]:
        """The actions of the keys shown (each named once, as the footer names them) that fit beside the
        palette key."""
        room = (self.size.width or self.app.size.width) - self._cells("^p", "palette") - 1  # (its border)
        shown: list[str] = []
        palette = self.app.COMMAND_PALETTE_BINDING
        for _, binding, _, _ in self.screen.active_bindings.values():
            if binding.show and binding.action not in shown and binding.key != palette:
                room -= self._cells(self.app.get_key_display(binding), binding.description)
                if room < 0:
                    break
                shown.append(binding.action)
        return tuple(shown)

    def _cells(self, key: str, description: str) -> int:
        """A key's cells in the footer: its key, what it does, and the space around them."""
        return cell_len(key) + cell_len(description) + (2 if self.compact else 3)

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < COMPACT_UNDER
        if self._fitted is not None and self.fitting() != self._fitted:
            self.refresh(recompose=True)


class DroppedKeys:
    """The keys dropped since the last toast: said in one toast after the next refresh, however many."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.keys: list[str] = []

    def drop(self, key: str) -> None:
        if key not in NAVIGATION_KEYS:
            if not self.keys:
                self.app.call_after_refresh(self._say)
            self.keys.append(key)

    def _say(self) -> None:
        keys, self.keys = self.keys, []
        self.app.notify(f"Ignored {len(keys)} key(s) typed while the note was opening: {' '.join(keys)}",
                        severity="warning", timeout=4)
