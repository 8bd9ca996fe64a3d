"""The app's keys: its bindings, in the footer's order, and the keys typed while a note was being put on
screen, which are dropped rather than replayed against another note than the one they were typed at
(`NotelinkApp.on_event` decides which; `DroppedKeys` says so)."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.binding import Binding, BindingType

BINDINGS: list[BindingType] = [
    Binding("slash", "focus_filter", "Filter", priority=True),  # (priority: the keys after it, in the
    # same read, already go to the filter; the footer's order: help and quit before the keys
    Binding("s", "search", "Search", priority=True),  # (priority: as `/`, for the keys read with it)
    Binding("l", "links", "Links"),              # a narrow footer cuts off (the help lists them all)
    Binding("e", "edit", "Edit"),
    Binding("question_mark", "help", "Help"),
    Binding("q", "quit", "Quit"),
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
]
"""The app's bindings (`NotelinkApp.BINDINGS`)."""

NAVIGATION_KEYS = frozenset("up down pageup pagedown home end tab shift+tab escape j k".split())
"""Keys that only move; dropped silently when typed during a note switch (others get a toast)."""


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
