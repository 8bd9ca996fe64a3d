"""The app's panels. Each posts messages up (what the user did) and has methods the app calls to
update it (what to show); none of them reads the index itself."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Markdown, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from notelink.index import NoteInfo, Related, Scored
from notelink.indexer import IndexEvent
from notelink.tui.text import score_bar

LINKED_MARK = "↔"


class NoteRequested(Message):
    """The user asked to open a note; `browsing` is True for moving through the notes list."""

    def __init__(self, path: str, browsing: bool = False) -> None:
        super().__init__()
        self.path = path
        self.browsing = browsing


class NotesPane(Vertical):
    """The filter box and the list of notes, with the count in the border."""

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ filter: title, path, #tag", id="filter")
        yield OptionList(id="notes")

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
        event.stop()
        self.query_one("#notes", OptionList).focus()

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

    def show_notes(self, notes: Sequence[NoteInfo], total: int, current: str | None) -> None:
        """Replaces the list; keeps `current` highlighted when it is still shown."""
        listing = self.query_one("#notes", OptionList)
        listing.set_options(Option(_note_prompt(n), id=n.path) for n in notes)
        self.border_title = f"Notes {len(notes):,}" + (f"/{total:,}" if len(notes) != total else "")
        self.highlight(current)

    def highlight(self, path: str | None) -> None:
        """Highlights a note without announcing it (the app already shows it)."""
        listing = self.query_one("#notes", OptionList)
        try:
            index = listing.get_option_index(path) if path else None
        except OptionDoesNotExist:
            index = None
        with listing.prevent(OptionList.OptionHighlighted):
            listing.highlighted = index if index is not None else (0 if listing.option_count else None)


def _note_prompt(note: NoteInfo) -> Text:
    text = Text(note.title or note.path, no_wrap=True, overflow="ellipsis")
    folder = note.path.rpartition("/")[0]
    if folder:
        text.append(f"  {folder}", style="dim")
    return text


class NoteView(VerticalScroll):
    """The selected note rendered as Markdown; wikilinks arrive as `notelink:` links."""

    def compose(self) -> ComposeResult:
        yield Markdown(id="markdown", open_links=False)

    def show(self, title: str, subtitle: str, markdown: str) -> None:
        self.border_title = title
        self.border_subtitle = subtitle
        self.query_one(Markdown).update(markdown)
        self.scroll_home(animate=False)


class RelatedPanel(Vertical):
    """Related notes with score bars, a mark for linked ones and, for the highlighted one, why."""

    class Highlighted(Message):
        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    def compose(self) -> ComposeResult:
        yield OptionList(id="related")
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

    def set_reason(self, reason: str) -> None:
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
        yield OptionList(id="concepts")

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

    def show_event(self, ev: IndexEvent) -> None:
        self.display = True
        self.query_one("#index-label", Label).update(describe_event(ev))
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


def describe_event(ev: IndexEvent) -> str:
    """One line for a progress event, as people read it."""
    if ev.stage == "train":
        return (f"Training: epoch {ev.epoch}/{ev.epochs} · {ev.words_per_second:,.0f} words/s"
                "   (x: cancel)")
    if ev.stage == "parse":
        return f"Reading notes: {ev.done:,}/{ev.total:,}"
    if ev.stage == "scan":
        return "Finding notes…"
    return "Computing note vectors…" if ev.stage == "vectors" else "Saving the index…"
