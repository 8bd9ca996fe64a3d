"""The notes pane: the filter box and the list of notes (the app's left column). The pane posts messages up
(`FilterSubmitted`, `NotesPane.FilterChanged`, `NoteRequested`) and the app tells it what to list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content, Span
from textual.geometry import Size
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from notelink.query.answers import NoteInfo
from notelink.tui.names import SEPARATOR, Names
from notelink.tui.widgets import KeyList, NoteRequested, edit_in_order

FILTER_HINTS = ("/ filter: title, path, #tag", "/ filter: title, #tag", "/ filter notes", "/ filter")
"""The filter box's hint: the longest that fits the box (at 80 columns the first read "/ filter: title,")."""


class FilterSubmitted(Message):
    """Enter (`open`), ↓, or Esc in an empty filter: the app applies `query` and moves to the list (posted
    to the app directly, ahead of the keys read after it)."""

    def __init__(self, query: str, open: bool = False) -> None:
        super().__init__()
        self.query, self.open = query, open


class FilterBox(Input):
    """The filter box. Esc clears it and keeps it focused, as search boxes do; Esc in the empty box, Enter
    and ↓ leave it (a filter left on Esc took the next words typed as commands: `#plugin` ran `l`, `u`, `i`).
    They act at once, in the order the keys came: Textual resolves keys bound to actions in the app, after
    the box has taken the keys read with them (`/kim⏎e` typed "e" into the filter). A key the box receives
    after it was left goes to the app again, with its time."""

    BINDINGS: ClassVar[list[BindingType]] = [  # (the box acts on these keys itself, in `_on_key`; they are
        Binding("enter", "leave('enter')", "Open"),  # here to be named in the footer, Esc as what it does)
        Binding("down", "leave('down')", "List"),
        Binding("escape", "clear", "Clear"),
        Binding("escape", "leave('escape')", "Notes"),
    ]

    LEAVING: ClassVar[dict[str, bool]] = {"enter": True, "down": False, "escape": False}
    """Keys that leave the box, and whether they open the highlighted note."""

    async def _on_key(self, event: events.Key) -> None:
        if self.screen.focused is not self or event.key in self.LEAVING:
            event.stop()
            event.prevent_default()
            if self.screen.focused is not self:  # read in the same go as a key that left the box
                again = events.Key(event.key, event.character)
                again.time = event.time
                self.app.post_message(again)
            elif event.key == "escape" and self.value:
                self.action_clear()
            else:
                self.action_leave(event.key)
            return
        if not await edit_in_order(self, event):
            await super()._on_key(event)

    def action_clear(self) -> None:
        self.value = ""

    def action_leave(self, key: str) -> None:
        """To the notes list, with the filter as typed (Enter: opening its best match)."""
        self.screen.set_focus(self.screen.query_one("#notes", OptionList))
        self.app.post_message(FilterSubmitted(self.value, open=self.LEAVING.get(key, False)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc is named in the footer as what it does now: Clear, or, in the empty box, Notes."""
        if action == "clear":
            return bool(self.value)
        if action == "leave" and parameters == ("escape",):
            return not self.value
        return True


class NotesPane(Vertical):
    """The filter box and the list of notes, with the count in the border."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._options: dict[tuple[str, str, str, int], Option] = {}
        self._shown: str | None = None  # the note the app shows (`highlight`)
        self._notes: Sequence[NoteInfo] = ()  # the notes listed
        self._room = 0  # the cells of a row, which a note with a label is fitted to
        self.names = Names([])

    def _option(self, note: NoteInfo) -> Option:
        """A note's list entry, made once and reused by later filters (100k notes: making every entry
        again took 0.75 s a keystroke); one with a label (`names`), once per width it is fitted to."""
        label = self.names.label(note.path)
        key = (note.path, note.title, label, self._room if label else 0)
        option = self._options.get(key)
        if option is None:
            option = self._options[key] = Option(_note_prompt(note, label, key[3]), id=note.path)
        return option

    def _measure(self) -> bool:
        """Notes the cells of a row now (less a scrollbar's, shown or not); says whether that changed."""
        listing = self.query_one("#notes", OptionList)
        room = max(listing.content_region.width - listing.styles.scrollbar_size_vertical, 0)
        changed, self._room = room != self._room, room
        return changed

    def on_resize(self, event: events.Resize) -> None:
        """Fits the listed notes with a label to the new width, and the filter's hint (`FILTER_HINTS`)."""
        box = self.query_one("#filter", Input)
        box.placeholder = next((h for h in FILTER_HINTS if cell_len(h) <= box.content_region.width),
                               FILTER_HINTS[-1])
        if self._measure() and any(self.names.label(n.path) for n in self._notes):
            listing = self.query_one("#notes", OptionList)
            at = listing.highlighted
            with listing.prevent(OptionList.OptionHighlighted):
                listing.set_options(map(self._option, self._notes))
                listing.highlighted = at

    def compose(self) -> ComposeResult:
        yield FilterBox(placeholder=FILTER_HINTS[0], id="filter")
        yield NoteList(id="notes")

    def on_mount(self) -> None:
        self.border_title = "Notes"

    class FilterChanged(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        if bool(event.value) != self._typed:  # what Esc does has changed (the footer says it)
            self._typed = bool(event.value)
            event.input.refresh_bindings()
        self.post_message(self.FilterChanged(event.value))

    _typed = False  # whether the filter box held text at its last change

    def chosen(self, query: str = "") -> str | None:
        """The note Enter in the filter opens: the best (first) match of a `query`, even when the note shown
        is listed too (the help promises the best match); with no query, the highlighted note. Highlights
        it; None when that is the note shown (it stays as it is, not scrolled to its top by a new render)
        or nothing matches."""
        listing = self.query_one("#notes", OptionList)
        best = query.strip() or listing.highlighted is None
        if best and listing.option_count and not listing.options[0].disabled:
            with listing.prevent(OptionList.OptionHighlighted):
                listing.highlighted = 0
        if listing.highlighted is None:
            return None
        option = listing.get_option_at_index(listing.highlighted)
        return option.id if option.id and option.id != self._shown else None

    @on(OptionList.OptionHighlighted, "#notes")
    def _browsed(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id:
            self.post_message(NoteRequested(event.option.id, browsing=True))

    @on(OptionList.OptionSelected, "#notes")
    def _opened(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(NoteRequested(event.option.id))

    def show_notes(self, notes: Sequence[NoteInfo], total: int, current: str | None, query: str = "",
                   names: Names | None = None) -> None:
        """Replaces the list; keeps `current` highlighted when it is still shown; says when the filter
        `query` matches nothing. `names` tells notes with the same title apart."""
        listing = self.query_one("#notes", OptionList)
        if names is not None:
            self.names = names
        if len(self._options) > 2 * total + 1000:  # many notes renamed or gone since their option was made
            self._options.clear()
        self.border_title = f"Notes {len(notes):,}" + (f"/{total:,}" if len(notes) != total else "")
        if notes or not query.strip():
            self._notes = notes
            self._measure()
            listing.set_options(map(self._option, notes))
            self.highlight(current)
            return
        self._notes = ()
        listing.set_options([Option(Text(f"No notes match {query.strip()!r}", style="dim italic"),
                                    disabled=True)])
        self._shown = current
        with listing.prevent(OptionList.OptionHighlighted):
            listing.highlighted = None

    def highlight(self, path: str | None) -> None:
        """Highlights a note without announcing it (the app already shows it)."""
        self._shown = path
        listing = self.query_one("#notes", OptionList)
        try:
            index = listing.get_option_index(path) if path else None
        except OptionDoesNotExist:
            index = None
        with listing.prevent(OptionList.OptionHighlighted):
            listing.highlighted = index if index is not None else (0 if listing.option_count else None)


class NoteList(KeyList):
    """An OptionList whose options are one line each (titles do not wrap), so a list of thousands of
    notes is laid out without measuring every prompt: OptionList measures each option's height, which
    took ~50 ms per update for 2,300 notes. Falls back to OptionList's own layout if its internals change."""

    def _update_lines(self) -> None:
        try:
            cache, start = self._line_cache, len(self._line_cache.lines)
        except AttributeError:  # a Textual version with another line cache
            super()._update_lines()
            return
        if not self.scrollable_content_region:
            return
        n = len(self.options)
        if start < n:
            cache.index_to_line.update(zip(range(start, n), range(start, n), strict=True))
            cache.heights.update(dict.fromkeys(range(start, n), 1))
            cache.lines.extend((i, 0) for i in range(start, n))
        size = Size(self.scrollable_content_region.width - self._get_left_gutter_width(), n)
        if size != self.virtual_size:
            self.virtual_size = size
            self._scroll_update(size)


def _note_prompt(note: NoteInfo, label: str = "", room: int = 0) -> Content:
    """Title, what tells it apart from notes with the same title (`names`), and dim folder on one line, cut
    with an ellipsis (app.tcss); where title and label take more than `room` cells, the title cut so that
    the label shows ("Obsidian Flavo… · da": the list read "Obsidian Flavored Markdown · …" thrice). Content
    with spans, not markup (no escaping) nor a rich Text (100k of those took 1.3 s): 1.5 us a note."""
    title, folder = _printable(note.title or note.path), _printable(note.path.rpartition("/")[0])
    spans = []
    if label:
        label = _printable(label)
        if room and cell_len(title) + cell_len(SEPARATOR) + cell_len(label) + 3 > room:
            folder = ""  # (no room for "  f…": the row's own "…" would take the label's last cell)
        title, label = fit_label(title, label, room)
        spans.append(Span(len(title), len(title) + len(SEPARATOR) + len(label), "bold"))
        title += SEPARATOR + label
    if not folder:
        return Content(title, spans)
    return Content(f"{title}  {folder}", [*spans, Span(len(title) + 2, len(title) + 2 + len(folder), "dim")])


def fit_label(title: str, label: str, room: int) -> tuple[str, str]:
    """`title` and `label` cut to show both, with `SEPARATOR`, in `room` cells (0: as they are); the title
    keeps 8 cells or more, the label the rest."""
    between = cell_len(SEPARATOR)
    if not room or cell_len(title) + between + cell_len(label) <= room:
        return title, label
    label_room = max(min(cell_len(label), room - between - min(cell_len(title), 8)), 2)
    return cut_end(title, max(room - between - label_room, 2)), cut_end(label, label_room)


def cut_end(text: str, cells: int) -> str:
    """`text` in at most `cells` cells, cut with "…" (a wide character counts two)."""
    if cell_len(text) <= cells:
        return text
    cut = Text(text)
    cut.truncate(cells, overflow="ellipsis")
    return cut.plain


def _printable(text: str) -> str:
    """Tabs, newlines and other control characters as single spaces (an entry is one line)."""
    if text.isprintable():
        return text
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())
