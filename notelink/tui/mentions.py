"""A note's unlinked mentions, both ways, as a list to link from (`m`): each row the note named or naming,
line:column and the words around the mention (`MentionsScreen`); Enter links one, after a preview."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from notelink.query.unlinked import excerpt

if TYPE_CHECKING:
    from notelink.api import Mention, Mentions


class MentionsScreen(ModalScreen["tuple[Mention, int] | None"]):
    """The shown note's unlinked mentions, both ways; Enter (or `i`) on one returns it with its number
    among its target's mentions in its note (what `Vault.link` wraps)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,m,q", "close", "Close"),
                                             Binding("i", "choose", "Link it")]

    def __init__(self, title: str, found: Mentions, name: Callable[[str], str]) -> None:
        super().__init__()
        self.note_title, self.found, self.named = title, found, name
        self.rows: list[tuple[Mention, int]] = []

    def compose(self) -> ComposeResult:
        options: list[Option] = []
        for heading, outgoing, ms in (
                (f"{self.note_title} names, without linking:", True, self.found.outgoing),
                (f"Other notes name {self.note_title}, without linking:", False, self.found.incoming)):
            options.append(Option(Text(heading, style="bold"), disabled=True))
            for m in ms:
                options.append(Option(mention_label(m, outgoing, self.named), id=str(len(self.rows))))
                self.rows.append((m, mention_number(ms, m)))
            if not ms:
                unknown = outgoing and self.found.unreadable  # (its file cannot be read now: not none)
                said = "  unknown: its file cannot be read now" if unknown else "  none"
                options.append(Option(Text(said, style="dim italic"), disabled=True))
        with Vertical(id="dialog"):
            yield Label(Text(f"Unlinked mentions of {self.note_title}"), id="mentions-title")
            yield OptionList(*options, id="mentions")
            yield Label("Enter or i: link it (a preview first) · Esc closes", classes="hint")

    DEFAULT_CSS = "MentionsScreen #mentions { height: auto; max-height: 20; border: none; margin-top: 1; }"

    def on_mount(self) -> None:
        listing = self.query_one("#mentions", OptionList)
        listing.focus()
        listing.action_first()

    @on(OptionList.OptionSelected, "#mentions")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.rows[int(event.option.id or 0)])

    def action_choose(self) -> None:
        listing = self.query_one("#mentions", OptionList)
        if listing.highlighted is not None:
            option = listing.get_option_at_index(listing.highlighted)
            if option.id is not None:
                self.dismiss(self.rows[int(option.id)])

    def action_close(self) -> None:
        self.dismiss(None)


def mention_label(m: Mention, outgoing: bool, name: Callable[[str], str]) -> Text:
    """A mention's row: the note it names (outgoing) or the note it is in (incoming), line:column, and the
    words around it, the mention in bold."""
    text = Text(f"→ {name(m.target)}" if outgoing else name(m.source), style="bold")
    text.append(f"  {m.line}:{m.column}  ", style="dim")
    before, after = excerpt(m.line_text, m.column - 1, len(m.text))
    text.append(before)
    text.append(m.text, style="bold underline")
    text.append(after)
    return text


def mention_number(found: list[Mention], chosen: Mention) -> int:
    """Which unlinked mention of its target, in its note, `chosen` is (1-based): `Vault.link(mention=N)`."""
    same = [m for m in found if (m.source, m.target) == (chosen.source, chosen.target)]
    return 1 + same.index(chosen)
