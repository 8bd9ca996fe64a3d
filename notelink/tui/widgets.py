"""The app's panels. Each posts messages up (what the user did) and has methods the app calls to
update it (what to show); none of them reads the index itself."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content, Span
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Markdown, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from notelink.query.index import NoteInfo, Related, Scored
from notelink.tui.text import app_links, heading_key, score_bar, split_markdown

if TYPE_CHECKING:  # the indexer (parsing, training) is imported only when the app builds an index
    from notelink.index.build import IndexEvent

LINKED_MARK = "↔"


class NoteRequested(Message):
    """The user asked to open a note; `browsing` is True for moving through the notes list."""

    def __init__(self, path: str, browsing: bool = False) -> None:
        super().__init__()
        self.path = path
        self.browsing = browsing


class NotesPane(Vertical):
    """The filter box and the list of notes, with the count in the border."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._options: dict[tuple[str, str], Option] = {}
        self._shown: str | None = None  # the note the app shows (`highlight`)

    def _option(self, note: NoteInfo) -> Option:
        """A note's list entry, made once and reused by later filters (100k notes: making every entry
        again took 0.75 s a keystroke)."""
        key = (note.path, note.title)
        option = self._options.get(key)
        if option is None:
            option = self._options[key] = Option(_note_prompt(note), id=note.path)
        return option

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ filter: title, path, #tag", id="filter")
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
        self.post_message(self.FilterChanged(event.value))

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter opens the highlighted match (the best one unless the note shown is still
        listed) and moves to the list, where arrows pick another."""
        event.stop()
        listing = self.query_one("#notes", OptionList)
        listing.focus()
        if listing.highlighted is not None:
            option = listing.get_option_at_index(listing.highlighted)
            if option.id and option.id != self._shown:  # the note shown stays as it is (not scrolled to
                self.post_message(NoteRequested(option.id))  # its top by a new render)

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

    def show_notes(self, notes: Sequence[NoteInfo], total: int, current: str | None, query: str = "") -> None:
        """Replaces the list; keeps `current` highlighted when it is still shown; says when the filter
        `query` matches nothing."""
        listing = self.query_one("#notes", OptionList)
        if len(self._options) > 2 * total + 1000:  # many notes renamed or gone since their option was made
            self._options.clear()
        self.border_title = f"Notes {len(notes):,}" + (f"/{total:,}" if len(notes) != total else "")
        if notes or not query.strip():
            listing.set_options(map(self._option, notes))
            self.highlight(current)
            return
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


class KeyList(OptionList):
    """An OptionList that also moves with `j` / `k`, as in many terminal apps."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("j", "cursor_down", "Down", show=False),
                                             Binding("k", "cursor_up", "Up", show=False)]


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


def _note_prompt(note: NoteInfo) -> Content:
    """Title and dim folder on one line, cut with an ellipsis (app.tcss). Content with a span, not markup
    (no escaping) nor a rich Text (100k of those took 1.3 s): 1.5 us a note."""
    title, folder = _printable(note.title or note.path), _printable(note.path.rpartition("/")[0])
    if not folder:
        return Content(title)
    return Content(f"{title}  {folder}", [Span(len(title) + 2, len(title) + 2 + len(folder), "dim")])


def _printable(text: str) -> str:
    """Tabs, newlines and other control characters as single spaces (an entry is one line)."""
    if text.isprintable():
        return text
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


class NoteView(VerticalScroll):
    """The selected note rendered as Markdown; wikilinks arrive as `notelink:` links.

    A long note is rendered in two Markdown widgets: its first screenful at once, the rest after that
    is painted (mounting a long document's blocks takes longer than a frame)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.links: list[tuple[str, str]] = []
        """(label, target) of the shown note's wikilinks, for following them from the keyboard."""
        self.pending_heading = ""
        """A heading to scroll to once the next note shown is rendered (a `[[Note#Heading]]` link)."""

    def compose(self) -> ComposeResult:
        yield Markdown(id="markdown", open_links=False)
        yield Markdown(id="markdown-rest", open_links=False)

    _shown = 0

    def show(self, title: str, subtitle: str, markdown: str) -> AwaitComplete:
        """Shows a note; awaiting the result waits until its first part is mounted."""
        self.border_title = title
        self.border_subtitle = subtitle
        self.links = app_links(markdown)
        self._shown += 1
        head, rest = split_markdown(markdown)
        shown = self.query_one("#markdown", Markdown).update(head)
        rest_view = self.query_one("#markdown-rest", Markdown)
        rest_view.display = False  # hidden widgets are not laid out: the old rest costs nothing meanwhile
        self._rest = rest
        if rest:
            self.call_after_refresh(self._show_rest, rest, self._shown)
        self.scroll_home(animate=False)
        if self.pending_heading:
            self.run_worker(self._seek_anchor(shown, self._shown, final=not rest), group="anchor")
        return shown

    async def _seek_anchor(self, shown: AwaitComplete, serial: int, final: bool) -> None:
        """Once a part is mounted and laid out, scrolls to the pending heading (if it is in that part)."""
        await shown
        self.call_after_refresh(self._try_anchor, serial, final)

    def _try_anchor(self, serial: int, final: bool, tries: int = 100) -> None:
        """Scrolls to the pending heading once it is laid out (a part just shown is mounted before its
        blocks have a place on screen: retried every 20 ms, for up to 2 s)."""
        if serial != self._shown or not self.pending_heading:
            return
        heading = self.pending_heading
        target = self.heading_widget(heading)
        if target is not None and target.region.area == 0 and tries:
            self.set_timer(0.02, partial(self._try_anchor, serial, final, tries - 1))
        elif target is not None:
            self.pending_heading = ""
            self.scroll_to_widget(target, top=True, animate=False)
        elif final:
            self.pending_heading = ""
            self.notify(f"No heading {heading!r} in {self.border_title}", severity="warning")

    def heading_widget(self, heading: str) -> Widget | None:
        """The shown note's heading block named `heading` (of `H1#H2`, the last one), if it has one."""
        key = heading_key(heading.rpartition("#")[2])
        for part in self.query(Markdown):
            for _level, title, block_id in part.table_of_contents if part.display else ():
                if block_id and heading_key(title) == key:
                    return part.query_one(f"#{block_id}")
        return None

    def scroll_to_heading(self, heading: str) -> bool:
        """Scrolls the shown note to its heading named `heading`; False when it has none such."""
        target = self.heading_widget(heading)
        if target is not None:
            self.scroll_to_widget(target, top=True, animate=False)
        return target is not None

    _rest = ""

    @property
    def source(self) -> str:
        """The Markdown shown (both parts)."""
        return self.query_one("#markdown", Markdown).source + self._rest

    def _show_rest(self, rest: str, shown: int) -> None:
        if shown == self._shown:  # still the same note
            rest_view = self.query_one("#markdown-rest", Markdown)
            shown_rest = rest_view.update(rest)
            rest_view.display = True
            if self.pending_heading:
                self.run_worker(self._seek_anchor(shown_rest, shown, final=True), group="anchor")


class RelatedPanel(Vertical):
    """Related notes with score bars, a mark for linked ones and, for the highlighted one, why."""

    class Highlighted(Message):
        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    def compose(self) -> ComposeResult:
        yield KeyList(id="related")
        yield Static("", id="because")

    def on_mount(self) -> None:
        self.border_title = "Related notes"
        self.border_subtitle = f"{LINKED_MARK} already linked"

    def show(self, hits: Sequence[Related], unlinked: bool, empty: str) -> None:
        listing = self.query_one("#related", OptionList)
        self.border_title = "Related notes" + (" (unlinked only)" if unlinked else "")
        if hits:
            listing.set_options(Option(_related_prompt(h), id=h.path) for h in hits)
        else:
            listing.set_options([Option(Text(empty, style="dim italic"), disabled=True)])
        with listing.prevent(OptionList.OptionHighlighted):
            listing.highlighted = None
        self.set_reason("")

    _reason = ""

    def set_reason(self, reason: str) -> None:
        if reason != self._reason:  # an update re-lays out the screen; skip it when nothing changed
            self._reason = reason
            self.query_one("#because", Static).update(Text(reason, style="italic"))

    @on(OptionList.OptionHighlighted, "#related")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Highlighted(event.option.id))

    @on(OptionList.OptionSelected, "#related")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(NoteRequested(event.option.id))


def _related_prompt(hit: Related) -> Text:
    text = Text(score_bar(hit.score, 6), style="green", no_wrap=True, overflow="ellipsis")
    text.append(f" {hit.score:4.2f} ", style="bold")
    text.append(f"{LINKED_MARK} " if hit.linked else "  ", style="cyan")
    text.append(hit.title or hit.path)
    return text


class ConceptsPanel(Vertical):
    """The note's concept words with scores; choosing one asks the app to show that concept."""

    class Chosen(Message):
        def __init__(self, word: str) -> None:
            super().__init__()
            self.word = word

    def compose(self) -> ComposeResult:
        yield KeyList(id="concepts")

    def on_mount(self) -> None:
        self.border_title = "Related concepts"

    def show(self, concepts: Sequence[Scored]) -> None:
        listing = self.query_one("#concepts", OptionList)
        if concepts:
            listing.set_options(Option(scored_prompt(c), id=c.word) for c in concepts)
        else:
            listing.set_options([Option(Text("no concepts for this note", style="dim italic"),
                                        disabled=True)])

    @on(OptionList.OptionSelected, "#concepts")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(event.option.id))


def scored_prompt(item: Scored) -> Text:
    text = Text(score_bar(item.score, 4), style="magenta")
    text.append(f" {item.score:4.2f} ", style="bold")
    text.append(item.word)
    return text


class IndexStatus(Vertical):
    """Indexing progress docked at the bottom: stage, epochs, words/s and a bar. Hidden when idle."""

    def compose(self) -> ComposeResult:
        yield Label("", id="index-label")
        yield ProgressBar(id="index-bar", show_eta=False)

    def show_event(self, ev: IndexEvent, cancellable: bool = True) -> None:
        """Shows a build's progress; `cancellable`: the app's own build, which `x` cancels."""
        self.display = True
        self.query_one("#index-label", Label).update(describe_event(ev, cancellable))
        bar = self.query_one("#index-bar", ProgressBar)
        if ev.total:
            bar.update(total=ev.total, progress=ev.done)
        else:
            bar.update(total=None)

    def start(self, message: str) -> None:
        self.display = True
        self.query_one("#index-label", Label).update(message)
        self.query_one("#index-bar", ProgressBar).update(total=None, progress=0)

    def finish(self) -> None:
        self.display = False


def describe_event(ev: IndexEvent, cancellable: bool = True) -> str:
    """One line for a progress event, as people read it; `cancellable` adds that `x` cancels."""
    return _stage_line(ev) + ("   (x: cancel)" if cancellable else "")


def _stage_line(ev: IndexEvent) -> str:
    if ev.stage == "train":
        return f"Training: epoch {ev.epoch}/{ev.epochs} · {ev.words_per_second:,.0f} words/s"
    if ev.stage == "parse":
        return f"Reading notes: {ev.done:,}/{ev.total:,}"
    if ev.stage == "scan":
        return "Finding notes…"
    if ev.stage == "wait":
        return "Waiting for another index build (the watcher's) to finish…"
    return "Computing note vectors…" if ev.stage == "vectors" else "Saving the index…"
