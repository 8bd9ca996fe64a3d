"""Search mode (`s`): notes for what the user types, by meaning in the vault's own words, as they type.

The pane takes the place of the notes, the note and its panels until Esc brings them back as they were, the
same widget focused. Each keystroke restarts a short quiet period (`SEARCH_DELAY`); then one thin worker
asks the `Searcher` that `notelink search` uses (`query.search`, made once per loaded index), off the UI
thread. Every query is numbered: a newer keystroke cancels the older query's worker, and an answer that is
not for the latest query is dropped, so the list never shows results of an older query. Enter opens the note
scrolled to the hit's passage (`NoteView.scroll_to_passage`).
"""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path
from typing import ClassVar, cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from notelink.errors import NotelinkError
from notelink.notes.vault import RawNote, read_inside
from notelink.query.index import Index
from notelink.query.reasons import no_words, numbers_of, search_notes
from notelink.query.results import NAMED_LEGEND, form_of
from notelink.query.search import Hit, Searcher, SearchResults
from notelink.tui.linebreak import Wrapped
from notelink.tui.names import Names
from notelink.tui.noteview import NoteView
from notelink.tui.passage import Passage
from notelink.tui.state import AppState
from notelink.tui.widgets import edit_in_order

SEARCH_DELAY = 0.12
"""Seconds without a keystroke before the query is searched: a word typed at speed is searched once."""

HINT = "Enter opens the note at the passage · ↓ to the results · Esc goes back"


class Searches:
    """The app's one `Searcher`, for the index it has loaded (the CLI's query path, made on first use in
    a worker: it maps the index's search arrays); thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._searcher: Searcher | None = None

    def search(self, index: Index, vault: Path, query: str, top: int) -> SearchResults:
        with self._lock:
            if self._searcher is None or self._searcher.index is not index:
                self._searcher = Searcher(index, vault=vault)
            searcher = self._searcher
        return searcher.search(query, top, prefix=True)  # (typed: its last word may be a start)


class SearchDone(Message):
    """A worker's answer to query number `serial` (`results`, or `error` saying why there are none)."""

    def __init__(self, serial: int, query: str, results: SearchResults | None, error: str = "") -> None:
        super().__init__()
        self.serial, self.query, self.results, self.error = serial, query, results, error


class SearchBox(Input):
    """The query. Enter, ↓ and Esc act at once, and keys that edit (Backspace, ←...) too, in the order the
    keys came (as the filter box does, `widgets.FilterBox`): a key read with them, after the box was left,
    goes to the app again with its time."""

    LEAVING: ClassVar[frozenset[str]] = frozenset({"enter", "down", "escape"})

    async def _on_key(self, event: events.Key) -> None:
        if self.screen.focused is not self or event.key in self.LEAVING:
            event.stop()
            event.prevent_default()
            if self.screen.focused is not self:
                again = events.Key(event.key, event.character)
                again.time = event.time
                self.app.post_message(again)
                return
            self.query_ancestor(SearchPane).left_box(event.key)
            return
        if not await edit_in_order(self, event):
            await super()._on_key(event)


class ResultList(OptionList):
    """The results. Typing here goes on typing the query (no key of the app acts on a letter); Esc goes
    back; ↑ on the first result returns to the query."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return character is not None and character.isprintable()

    async def _on_key(self, event: events.Key) -> None:
        pane = self.query_ancestor(SearchPane)
        if event.is_printable or event.key == "escape" or (event.key == "up" and not self.highlighted):
            event.stop()
            event.prevent_default()
            box = pane.query_one(SearchBox)
            if event.key == "escape":
                pane.close()
            else:
                self.screen.set_focus(box)
                if event.character and event.is_printable:
                    box.insert_text_at_cursor(event.character)
            return
        await super()._on_key(event)

    def watch_show_vertical_scrollbar(self) -> None:
        """Measures the results' lines again at the width left beside the scrollbar (or without it): the
        list measures them when they are added, and again only on a resize, so a result's last line was
        cut when the scrollbar came with the results that filled the list."""
        clear = getattr(self, "_clear_caches", None)  # (Textual's own, as a resize runs it)
        if clear is not None:
            clear()


class SearchPane(Vertical):
    """The search mode: a query box, a line about the results, and the results (`open`, `close`)."""

    BINDINGS: ClassVar[list[BindingType]] = [  # (the box and the list act on these keys themselves;
        Binding("escape", "close", "Back"),   # here they are named in the footer)
        Binding("enter", "open", "Open note"),
    ]

    DEFAULT_CSS = """
    SearchPane { display: none; height: 1fr; border: round $accent; padding: 0 1; }
    SearchPane #search-box { border: none; height: 1; background: $boost; }
    SearchPane #search-status { height: 1; color: $text-muted; margin: 1 0 0 0; text-wrap: nowrap;
                                text-overflow: ellipsis; }
    SearchPane #search-results { border: none; height: 1fr; }
    SearchPane #search-results.-stale { text-opacity: 50%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.searches = Searches()
        self.serial = 0
        """Numbers the queries typed; only the latest one's answer is shown."""
        self.shown: SearchResults | None = None
        """The results on screen (for the query in the box, once its answer came)."""
        self.hits: list[Hit] = []
        self._came_from: Widget | None = None
        self._query = ""  # the query numbered `serial`
        self._timer: Timer | None = None
        self._open_query: str | None = None  # Enter came before its answer: open its first hit then

    @property
    def state(self) -> AppState:
        return cast(AppState, self.app)

    def compose(self) -> ComposeResult:
        yield SearchBox(placeholder="search your notes by meaning: words, \"a phrase\", #tag, path:folder",
                        id="search-box")
        yield Static("", id="search-status")
        yield ResultList(id="search-results")

    def on_mount(self) -> None:
        self.border_title = "Search"
        self.border_subtitle = HINT

    # -- in and out --------------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self.display

    def open(self) -> None:
        """Shows the pane in place of the notes and the note; the query typed last is kept, selected, so
        that typing replaces it. Focus moves now: keys read with `s` go to the box."""
        if not self.is_open:
            self._came_from = self.screen.focused
            self.screen.query_one("#main").display = False
            self.display = True
        box = self.query_one(SearchBox)
        self.screen.set_focus(box)
        box.select_all()
        if self.state.index is None:
            self._status("No index yet: Esc, then r builds one")

    def close(self) -> None:
        """Back to where the user was: the notes, the note and its panels, the widget focused before."""
        self.display = False
        self.screen.query_one("#main").display = True
        came_from, self._came_from = self._came_from, None
        if came_from is not None and came_from.is_attached and came_from.focusable:
            self.screen.set_focus(came_from)
        else:
            self.screen.set_focus(self.screen.query_one("#notes"))

    def action_close(self) -> None:
        self.close()

    def action_open(self) -> None:
        self.left_box("enter")

    def left_box(self, key: str) -> None:
        """Enter, ↓ or Esc in the box."""
        if key == "escape":
            self.close()
        elif key == "down" and self.hits:
            results = self.query_one(ResultList)
            self.screen.set_focus(results)
            results.highlighted = 0
        elif key == "enter":
            if self._current():
                if self.hits:
                    self._choose(self.query_one(ResultList).highlighted or 0)
            elif self.query_one(SearchBox).value.strip():  # before the answer: open its first hit then
                self._open_query = self.query_one(SearchBox).value
                if self._query == self._open_query and self._timer is not None:  # (else the change to
                    self._timer.stop()  # come searches it at once)
                    self._start(self.serial)

    # -- searching ---------------------------------------------------------------------------------
    @on(Input.Changed, "#search-box")
    def _typed(self, event: Input.Changed) -> None:
        """A new query (the box's value now; a change that keys read since have changed again is passed
        over: the change they made comes next), searched after the quiet period, at once after Enter."""
        event.stop()
        if event.value != self.query_one(SearchBox).value:
            return
        self.serial, self._query = self.serial + 1, event.value
        if self._open_query is not None and self._open_query != event.value:
            self._open_query = None
        if self._timer is not None:
            self._timer.stop()
        if not event.value.strip():
            self._show(None, "Type words to search for: results come as you type")
            return
        self._status(f"Searching for {event.value.strip()!r}…", keep=True)
        if event.value == self._open_query:
            self._timer = None
            self._start(self.serial)
        else:
            self._timer = self.set_timer(SEARCH_DELAY, partial(self._start, self.serial))

    def _start(self, serial: int) -> None:
        """Searches query number `serial` in a worker (the one before it, if still running, is cancelled)."""
        index, query = self.state.index, self._query
        if serial != self.serial or not query.strip():
            return
        if index is None:
            self._show(None, "No index yet: Esc, then r builds one")
            return
        self.run_worker(partial(self._search, index, serial, query), thread=True, exclusive=True,
                        group="search", exit_on_error=False)

    def _search(self, index: Index, serial: int, query: str) -> None:
        """In the worker's thread: the answer, posted unless a newer query cancelled this one."""
        try:
            results, error = self.searches.search(index, self.state.vault, query, self.state.config.top), ""
        except NotelinkError as exc:
            results, error = None, str(exc)
        except Exception as exc:  # (a bug, or the index closed under it by a reload: said, not lost)
            results, error = None, f"search failed ({type(exc).__name__}: {exc})"
        if not get_current_worker().is_cancelled:
            self.post_message(SearchDone(serial, query, results, error))

    def on_search_done(self, message: SearchDone) -> None:
        message.stop()
        if message.serial != self.serial or message.query != self.query_one(SearchBox).value:
            return  # an older query's answer: a newer one is on its way
        if message.results is None:
            self._show(None, message.error)
            return
        self._show(message.results, summary(message.results))
        if self._open_query == message.query:
            self._open_query = None
            if self.hits:
                self._choose(0)

    def _current(self) -> bool:
        """Whether the results shown are for the query in the box now."""
        return self.shown is not None and self.shown.query == self.query_one(SearchBox).value

    # -- showing -----------------------------------------------------------------------------------
    def _status(self, line: str, keep: bool = False) -> None:
        """The line above the results; `keep` leaves the results on screen, dimmed, until the answer to the
        query typed since comes (no flicker while typing; never taken for its results)."""
        self.query_one("#search-status", Static).update(Text(line))
        results = self.query_one(ResultList)
        results.set_class(keep and results.option_count > 0, "-stale")
        if not keep:
            results.clear_options()

    def _show(self, results: SearchResults | None, line: str) -> None:
        self.shown, self.hits = results, list(results.hits) if results is not None else []
        self._status(line)
        names = self.state.names
        self.query_one(ResultList).add_options(Option(hit_prompt(h, names), id=h.path) for h in self.hits)

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def _choose(self, k: int) -> None:
        """Opens hit k's note, scrolled to its passage, and leaves search mode (the note focused)."""
        hit = self.hits[k]
        state = self.state
        if hit.path not in state.notes_by_path:
            state.notify(f"{hit.path} is not in the index any more", severity="warning")
            return
        self.close()
        self.call_after_refresh(self._open, hit)  # (once the note view is back on screen, at its width)

    def _open(self, hit: Hit) -> None:
        """Shows the hit's note at its passage, the note focused; a passage of the note shown is a jump in it
        (back returns to where the reader was)."""
        state = self.state
        if hit.path not in state.notes_by_path:
            return
        if hit.path == state.current and hit.snippet is not None:
            state.jump_in_note()
        state.show_note(hit.path)
        view = self.screen.query_one(NoteView)
        if hit.snippet is not None:
            line = source_line(state, hit.path, hit.snippet.line)
            view.scroll_to_passage(Passage.of(hit.snippet.text, hit.snippet.spans, line))
        self.screen.set_focus(view)


def source_line(state: AppState, path: str, line: int) -> str:
    """The note's line `line` (1-based, as a snippet counts them), read now; "" when it cannot be."""
    raw = read_inside(state.vault, path, state.note_cap())
    lines = raw.text.splitlines() if isinstance(raw, RawNote) else []
    return lines[line - 1] if 0 < line <= len(lines) else ""


def summary(results: SearchResults) -> str:
    """The line over the results: how many, for what, the query words in no note's searched text, the
    numbers left out and the filters no note matches (`reasons.search_notes`, as `notelink search` says
    them, short); what `[named]` means when a result has it."""
    query, n = results.query.strip(), len(results.hits)
    parts = [f"{n} note{'s' if n != 1 else ''} for {query!r}" if n else f"No notes for {query!r}"]
    numbers = numbers_of(results.ignored) if results.words else []  # (else `no_words` says them)
    parts += [r.short for r in search_notes(results.unknown, results.unmatched, results.suggestions,
                                            numbers=numbers)]
    if not (results.unknown or results.unmatched or results.words or n):
        parts.append(no_words(results.ignored).short)
    if any(hit.because.named for hit in results.hits):
        parts.append(NAMED_LEGEND)
    return "  ·  ".join(parts)


def hit_prompt(hit: Hit, names: Names) -> Wrapped:
    """A result: score, the note's name (told apart from same-titled notes) and folder; the snippet with
    the matched words marked; why it was found (query words in it, words the model brought in). Wrapped by
    `linebreak` (a Latin word after CJK text stays whole)."""
    text = Text(f"{hit.score:6.3f}  ", style="bold")
    text.append(_one_line(names.name(hit.path, hit.title)), style="bold")
    folder = hit.path.rpartition("/")[0]
    if folder:
        text.append(f"  {_one_line(folder)}", style="dim")
    if hit.because.named:  # first whatever its score, as the CLI marks it (`results.NAMED_LEGEND`)
        text.append("  [named]", style="bold")
    if hit.snippet is not None:
        snippet = Text("\n" + _one_line(hit.snippet.text))
        for a, b in hit.snippet.spans:
            snippet.stylize("bold underline", a + 1, b + 1)
        text.append_text(snippet)
    reasons = because(hit)
    if reasons:
        text.append("\nbecause: " + _one_line(reasons), style="italic dim")
    return Wrapped(Content.from_rich_text(text))


def because(hit: Hit) -> str:
    """Why a hit was found: the query words in it; the words of it the model brought in for query words
    (`weeks ← cabbage`), told apart from a query word's other forms (`tomatoes (form of tomato)`: a spelling
    rule's, `results.form_of` as the CLI says them), and predicted from the whole query; query words other
    notes write near its name."""
    why = hit.because
    parts = ["its name"] if why.named else []
    parts += [", ".join(why.words)] if why.words else []
    if why.forms:
        parts.append(", ".join(form_of(word, source) for word, source in why.forms))
    if why.expanded:
        parts.append("brought in: " + ", ".join(f"{word} ← {source}" for word, source in why.expanded))
    if why.predicted:
        parts.append("predicted: " + ", ".join(why.predicted))
    if why.anchors:
        parts.append("named near: " + ", ".join(why.anchors))
    return "  ·  ".join(parts)


def _one_line(text: str) -> str:
    """Control characters as spaces, one for one (snippet spans stay where they were)."""
    return text if text.isprintable() else "".join(c if c.isprintable() else " " for c in text)
