"""The Related concepts panel: the note's concept words with scores. Under 70 columns it is a column wide
beside the related notes, and takes their place while it has focus (Tab reaches it; app.tcss)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from notelink.query.answers import Concept, Scored
from notelink.tui.text import score_bar
from notelink.tui.widgets import PanelList


class ConceptsPanel(Vertical):
    """The note's concept words with scores; choosing one asks the app to show that concept."""

    class Chosen(Message):
        def __init__(self, word: str) -> None:
            super().__init__()
            self.word = word

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._concepts: Sequence[Scored] = ()
        self._compact: bool | None = None

    def compose(self) -> ComposeResult:
        yield PanelList(id="concepts")

    def on_mount(self) -> None:
        self.border_title = "Related concepts"

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Marks the side panels' box while the list has focus: under 70 columns it then takes the related
        notes' place (app.tcss)."""
        if self.parent is not None:
            self.parent.add_class("-concepts")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if self.parent is not None:
            self.parent.remove_class("-concepts")

    def show(self, concepts: Sequence[Scored], empty: str = "no concepts for this note") -> None:
        """Lists `concepts`; `empty` says why there are none."""
        self._concepts, self._compact = concepts, self._is_narrow()
        listing = self.query_one("#concepts", OptionList)
        if concepts:
            prompt = compact_prompt if self._compact else scored_prompt
            listing.set_options(Option(prompt(c), id=c.word) for c in concepts)
        else:
            listing.set_options([Option(Text(empty, style="dim italic"), disabled=True)])

    def _is_narrow(self) -> bool:
        """True when a bar and a score would leave a word less than 14 columns (an 80-column terminal)."""
        return self.size.width - 4 - 10 < 14

    def on_resize(self, event: events.Resize) -> None:
        if self._concepts and self._is_narrow() != self._compact:
            highlighted = self.query_one("#concepts", OptionList).highlighted
            self.show(self._concepts)
            self.query_one("#concepts", OptionList).highlighted = highlighted

    @on(OptionList.OptionSelected, "#concepts")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(event.option.id))


def scored_prompt(item: Scored) -> Text:
    text = Text(score_bar(item.score, 4), style="magenta")
    text.append(f" {item.score:4.2f} ", style="bold")
    return _word(text, item)


def compact_prompt(item: Scored) -> Text:
    """A concept in a narrow panel: the score and the word, no bar."""
    return _word(Text(f"{item.score:4.2f} ", style="bold magenta"), item)


def _word(text: Text, item: Scored) -> Text:
    """`text` and the word; a rare concept's (seen once or twice) dim, with `rare` after it."""
    rare = isinstance(item, Concept) and item.rare
    text.append(item.word, style="dim" if rare else "")
    if rare:
        text.append(" rare", style="dim italic")
    return text
