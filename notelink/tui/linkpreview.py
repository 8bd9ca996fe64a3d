"""The preview of a link (or of its undo) before anything is written: the exact change to the note as a
diff, in colour, the changed part of a line marked (`LinkPreview`); y / Enter writes it, n / Esc does not."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Console
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

UNDO_KEY = "z"
WRITE_HINT = f"y / Enter writes it · n / Esc cancels · {UNDO_KEY} undoes the last link"
DIFF_ROWS = 24
"""The most rows the diff takes; fewer when the terminal is short (it scrolls: ↑ ↓ PgDn)."""


class LinkPreview(ModalScreen[bool]):
    """The exact change a link (or its undo) makes to the note, as a diff; y / Enter writes it, n / Esc
    leaves the note as it is."""

    AUTO_FOCUS = "#preview-diff"  # (↑ ↓ PgDn scroll the diff; Enter, not taken by it, writes)
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,n,q", "answer(False)", "Cancel"),
                                             Binding("y", "answer(True)", "Write"),
                                             Binding("enter", "answer(True)", "Write", show=False)]
    DEFAULT_CSS = f"""
    LinkPreview #dialog {{ width: 100; }}
    LinkPreview #preview-title {{ text-style: bold; }}
    LinkPreview #preview-diff {{ height: auto; max-height: {DIFF_ROWS}; margin-top: 1; background: $boost; }}
    """

    def __init__(self, title: str, diff: str, yes: str = "Write the link", hint: str = WRITE_HINT) -> None:
        super().__init__()
        self.heading, self.diff, self.yes, self.hint = title, diff, yes, hint

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text(self.heading), id="preview-title")
            with VerticalScroll(id="preview-diff"):
                yield Static(diff_text(self.diff), id="diff")
            with Horizontal(classes="buttons"):
                yield Button(self.yes, variant="primary", id="write")
                yield Button("Cancel", id="cancel")
            yield Label(self.hint, classes="hint")

    def on_mount(self) -> None:
        self.app.clear_notifications()  # (toasts covered its buttons and key hint for seconds)
        self.call_after_refresh(self._fit, True)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self, first: bool = False) -> None:
        """Makes the diff no taller than the rows the dialog (at most 90% of the terminal, app.tcss) leaves
        beside its title, buttons and hint, so those stay on screen and the diff scrolls; first scrolls it
        to the change, so that it is on screen before `y` writes it."""
        dialog, area = self.query_one("#dialog"), self.query_one("#preview-diff", VerticalScroll)
        others = sum(w.outer_size.height + w.styles.margin.top for w in dialog.children if w is not area)
        room = int(self.size.height * 0.9) - dialog.styles.gutter.height - others - area.styles.margin.top
        area.styles.max_height = max(3, min(DIFF_ROWS, room))
        if first:
            area.scroll_to(y=change_row(self.diff, area.scrollable_content_region.width, self.app.console),
                           animate=False)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "write")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


def change_row(diff: str, width: int, console: Console) -> int:
    """The row of a diff's first changed line, its lines wrapped at `width`: where to scroll a diff to show
    its change (the lines of context above it can be long paragraphs)."""
    lines = diff.splitlines()
    first = next((k for k, line in enumerate(lines)
                  if line[:1] in "+-" and not line.startswith(("+++ ", "--- "))), 0)
    before = lines[:first]
    return len(Text("\n".join(before)).wrap(console, max(width, 1))) if before else 0


def diff_text(diff: str) -> Text:
    """A unified diff in colour: removed lines red, added green, and in a line replaced by another (a
    mention wrapped) the part that changed in reverse video, so the link stands out in a long line."""
    lines, out = diff.splitlines(), Text()
    k = 0
    while k < len(lines):
        line = lines[k]
        if line.startswith(("--- ", "+++ ")):
            out.append(line + "\n", style="bold")
        elif line.startswith("@@"):
            out.append(line + "\n", style="cyan")
        elif line.startswith("-"):
            j = k
            while j < len(lines) and lines[j].startswith("-") and not lines[j].startswith("--- "):
                j += 1
            n = j - k
            added = lines[j: j + n]
            if len(added) == n and all(a.startswith("+") and not a.startswith("+++ ") for a in added):
                for old, new in zip(lines[k:j], added, strict=True):
                    out.append_text(_marked(old, new, "red"))
                for old, new in zip(lines[k:j], added, strict=True):
                    out.append_text(_marked(new, old, "green"))
                k = j + n
                continue
            out.append(line + "\n", style="red")
        elif line.startswith("+"):
            out.append(line + "\n", style="green")
        else:
            out.append(line + "\n", style="dim")
        k += 1
    return out


def _marked(line: str, other: str, style: str) -> Text:
    """`line` in `style`, what differs from `other` (after the common start and end) in reverse video."""
    a, b = line[1:], other[1:]
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[len(a) - 1 - end] == b[len(b) - 1 - end]:
        end += 1
    text = Text(line[0], style=style)
    text.append(a[:start], style=style)
    text.append(a[start: len(a) - end], style=f"bold reverse {style}")
    text.append(a[len(a) - end:] + "\n", style=style)
    return text
