"""Modal screens: help, a yes/no question, a path prompt, the concept view and the note's links."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from notelink.config import RelatedConfig
from notelink.errors import NotFound
from notelink.notes.dialect import strip_scheme
from notelink.query.index import Index
from notelink.tui.concepts import scored_prompt
from notelink.tui.details import MIN_WEIGHT
from notelink.tui.names import SEPARATOR, Names
from notelink.tui.text import FOOTNOTE, MARKDOWN_LINK
from notelink.tui.widgets import KeyList

HELP_KEYS = [
    ("/", "filter notes by title, path or #tag (Enter: open the best match, ↓: the list, Esc: clear, "
          "again: leave)"),
    ("s", "search notes by meaning as you type; Enter opens the note at the passage, Esc goes back"),
    ("↑ ↓  j k  Enter", "move in a list; Enter opens the note or concept"),
    ("Tab  Shift+Tab", "next / previous panel"),
    ("← →", "in the note: scroll a table too wide for it sideways (Ctrl+PgUp/PgDn: a page)"),
    ("[  ]", "back / forward through notes and jumps, as a browser"),
    ("l", "the note's [[links]] (to notes, headings, footnotes): pick one to follow it"),
    ("e", "edit the note in $EDITOR (re-indexed when you return)"),
    ("u", "related notes: show only notes not linked yet"),
    ("i", "link this note to the highlighted related note (preview first)"),
    ("m", "unlinked mentions, both ways; Enter links one (preview first)"),
    ("z", "undo the last link, byte for byte (preview first)"),
    ("r", "index what changed since the last build (x cancels)"),
    ("t", "light / dark theme"),
    ("Ctrl+P", "palette: reindex, retrain, export (JSON, CSV, GraphML, Markdown, vectors), switch vault"),
    ("?", "this help"),
    ("q", "quit"),
]
def help_notes(weak_below: float = RelatedConfig().weak_below) -> str:
    """The help's lines under the keys, a dim related note's cut as the config file sets it."""
    return ("Click notes, related notes, concepts and [[links]] with the mouse. Scores are cosine "
            "similarities of vectors learned from your own notes; ↔ marks notes already linked; a dim "
            f"related note scores below {weak_below:g}, a long shot: few notes that far apart are linked.")


HELP_NOTES = help_notes()
"""At the built-in cut."""


def help_table() -> Table:
    """The keys as two aligned columns (a Markdown table's rules took twice the height)."""
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    for key, what in HELP_KEYS:
        table.add_row(Text(key), Text(what))  # not markup: `[[links]]` stays as it is
    return table


class HelpScreen(ModalScreen[None]):
    """The keys; the dialog scrolls with the keyboard (↑ ↓ PgUp PgDn Home End) when it does not fit."""

    AUTO_FOCUS = "#dialog"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "app.pop_screen", "Close")]

    def __init__(self, weak_below: float = RelatedConfig().weak_below) -> None:
        super().__init__()
        self.weak_below = weak_below

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog", classes="help"):
            yield Static(help_table())
            yield Static(help_notes(self.weak_below), classes="hint")

    def on_mount(self) -> None:
        dialog = self.query_one("#dialog")
        dialog.border_title = "notelink keys"
        dialog.border_subtitle = "↑ ↓ PgDn scroll · Esc closes"


DEFAULT = "default-answer"
"""The class of a dialog's button that has focus when it opens."""


class ConfirmScreen(ModalScreen[bool]):
    """A question with Yes and No buttons; returns the answer. Enter presses the focused button: the
    `default` answer's (No, where a Yes cannot be taken back)."""

    AUTO_FOCUS = f".{DEFAULT}"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,n,q", "answer(False)", "No"),
                                             Binding("y", "answer(True)", "Yes")]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No", default: bool = True) -> None:
        super().__init__()
        self.question, self.yes, self.no, self.default = question, yes, no, default

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text(self.question), id="question")  # (not markup: a path may hold `[`)
            with Horizontal(classes="buttons"):
                yield Button(self.yes, variant="primary", id="yes", classes=DEFAULT if self.default else "")
                yield Button(self.no, id="no", classes="" if self.default else DEFAULT)
            yield Label(Text(f"y: {self.yes} · n / Esc: {self.no}"), classes="hint")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class PathPrompt(ModalScreen[str | None]):
    """Asks for a path (a vault to open, a file to export to); Esc cancels. The field has focus when it
    opens (the screen would otherwise inherit the app's AUTO_FOCUS, which matches nothing here), so Enter
    accepts the default."""

    AUTO_FOCUS = "#path"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, value: str = "", hint: str = "",
                 refuse: Callable[[str], str | None] | None = None) -> None:
        """`refuse` says why a path is not taken (the prompt stays open for another), or None."""
        super().__init__()
        self.question, self.value, self.hint, self.refuse = question, value, hint, refuse

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.question)
            yield Input(self.value, id="path")
            yield Label("", id="refused")
            yield Label(f"{self.hint}  Enter accepts, Esc cancels".strip(), classes="hint")

    def on_mount(self) -> None:
        self.app.clear_notifications()  # (toasts would cover its hint and what it refuses)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        path = event.value.strip()
        why = self.refuse(path) if path and self.refuse is not None else None
        if why is None:
            self.dismiss(path or None)
            return
        refused = self.query_one("#refused", Label)
        refused.update(Text(why))
        refused.display = True

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConceptScreen(ModalScreen[str | None]):
    """One concept: the words used most like it and the notes where it matters most.

    Choosing a word shows that concept; choosing a note closes the view and returns its path."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "close", "Close")]

    def __init__(self, index: Index, word: str, top: int = 12, names: Names | None = None) -> None:
        super().__init__()
        self.index, self.word, self.top = index, word, top
        self.names = names or Names([])

    def compose(self) -> ComposeResult:
        with Vertical(id="concept"):
            yield Label("", id="concept-title")
            with Horizontal():
                yield KeyList(id="similar-words")
                yield KeyList(id="concept-notes")
            yield Label("Enter on a word shows it, on a note opens it · Esc closes", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#similar-words").border_title = "Similar words"
        self.query_one("#concept-notes").border_title = "Notes where it matters most"
        self.show_word(self.word)

    def show_word(self, word: str) -> None:
        self.word = word
        self.query_one("#concept-title", Label).update(f"Concept: {word}")
        why = "no similar words"
        try:
            found, notes = self.index.similar_words(word, self.top), self.index.notes_for_word(word, self.top)
            words = found.similar
            if found.reason:  # as `notelink similar` says it (the same Index.similar_words)
                why = f"seen {found.count} times: {found.reason}"
        except NotFound as exc:
            words, notes = [], []
            self.notify(str(exc), severity="warning")
        self.query_one("#similar-words", OptionList).set_options(
            [Option(scored_prompt(w), id=w.word) for w in words]
            or [Option(Text(why, style="dim italic"), disabled=True)])
        notes = [n for n in notes if n.score >= MIN_WEIGHT]
        self.query_one("#concept-notes", OptionList).set_options(
            [Option(Text(f"{n.score:5.2f}  {self.names.name(n.path, n.title)}"), id=n.path) for n in notes]
            or [Option(Text(f"no note where {word!r} weighs {MIN_WEIGHT} or more", style="dim italic"),
                       disabled=True)])
        self.query_one("#similar-words", OptionList).focus()

    @on(OptionList.OptionSelected, "#similar-words")
    def _word(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.show_word(event.option.id)

    @on(OptionList.OptionSelected, "#concept-notes")
    def _note(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)


class LinksScreen(ModalScreen[str | None]):
    """The shown note's links to notes (wikilinks, Markdown links); choosing one returns its target (the app
    resolves it). Each link is (label, target, the name of the note it opens: told apart from notes with the
    same title)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,l,q", "close", "Close")]

    def __init__(self, title: str, links: list[tuple[str, str, str | None]]) -> None:
        super().__init__()
        self.note_title, self.links = title, links

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"Links in {self.note_title}", id="links-title")
            yield KeyList(*(Option(Text(_link_label(label, target, name), "dim" if name is None else ""),
                                   id=str(i)) for i, (label, target, name) in enumerate(self.links)),
                          id="links")
            yield Label("Enter follows the link · Esc closes", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#links", OptionList).focus()

    @on(OptionList.OptionSelected, "#links")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.links[int(event.option.id or 0)][1])

    def action_close(self) -> None:
        self.dismiss(None)


def _link_label(label: str, target: str, name: str | None = "") -> str:
    """A link's entry: its label, and where it goes when that is not the label; a note whose title other
    notes share is named as the app names it (`names`), so that two "CLI" links can be told apart; a link
    to no note of the index (`name` None) says so (it read as one that works, until chosen); a Markdown
    link goes to its note's name, not its path; a Dendron link across vaults without its `dendron://vault/`."""
    markdown, target = target.startswith(MARKDOWN_LINK), strip_scheme(target.removeprefix(MARKDOWN_LINK))
    if target.startswith("#"):
        return f"{label}  → heading in this note"
    if target.startswith(FOOTNOTE):
        return f"{label}  → footnote in this note"
    if name is None:
        return f"{label}  → no such note" if label == target else f"{label}  → {target}: no such note"
    heading = target.partition("#")[2]
    if markdown and name:  # a path says little (`d4e5f6.md`, `../Home.md`): the note as the app names it
        same = label.casefold() == name.casefold()
        return (label if same else f"{label}  → {name}") + (f" › {heading}" if heading else "")
    if SEPARATOR in name:
        return f"{label}  → {name}" + (f" › {heading}" if heading else "")
    return label if label == target else f"{label}  → {target}"
