"""The app's panels. Each posts messages up (what the user did) and has methods the app calls to
update it (what to show); none of them reads the index itself."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from notelink.query.answers import Related
from notelink.tui.names import Names
from notelink.tui.text import score_bar

LINKED_MARK = "↔"
SUBTITLE = f"{LINKED_MARK} linked · dim: weak"
NARROW_SUBTITLE = f"{SUBTITLE} · Tab: concepts"
NARROW_SUBTITLES = (NARROW_SUBTITLE, f"{LINKED_MARK} linked · Tab: concepts", "Tab: concepts")
"""The related panel's border subtitle, its legend (a weak note's row is dim: `Related.weak`); under 70
columns it says where the concepts are (`ConceptsPanel`): the longest of `NARROW_SUBTITLES` that fits
whole (at 60 columns "Tab: conce…")."""


BAR, NAME_ROOM = 6, 20
"""A related note's score bar, in cells, shown where it leaves the names this many cells."""


class NoteRequested(Message):
    """The user asked to open a note; `browsing` is True for moving through the notes list."""

    def __init__(self, path: str, browsing: bool = False) -> None:
        super().__init__()
        self.path = path
        self.browsing = browsing


async def edit_in_order(box: Input, event: events.Key) -> bool:
    """Runs the box's own binding of a key that edits or moves (Backspace, ←, Home, Ctrl+K...) now, in the
    order the keys came, and says whether it did: Textual runs bindings when the key has bubbled up to the
    app, after the box has taken the characters read with it ("abc⌫d←x" in one read typed "abcd")."""
    bindings = getattr(box, "_bindings", None)  # (Textual's map of the box's own keys; none: left to it)
    found = bindings.key_to_bindings.get(event.key, []) if bindings is not None else []
    if event.is_printable or not found:
        return False
    event.stop()
    event.prevent_default()
    await box.run_action(found[0].action)
    return True


class KeyList(OptionList):
    """An OptionList that also moves with `j` / `k`, as in many terminal apps."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("j", "cursor_down", "Down", show=False),
                                             Binding("k", "cursor_up", "Up", show=False)]


class PanelList(KeyList):
    """A side panel's list: entering it (Tab, a click) highlights its first row, so Enter opens it."""

    def on_focus(self, event: events.Focus) -> None:
        if self.highlighted is None and self.option_count and not self.get_option_at_index(0).disabled:
            self.highlighted = 0


class RelatedPanel(Vertical):
    """Related notes with score bars, a mark for linked ones and, for the highlighted one, why."""

    class Highlighted(Message):
        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    def compose(self) -> ComposeResult:
        yield PanelList(id="related")
        yield Static("", id="because")

    def on_mount(self) -> None:
        self.border_title = "Related notes"
        self.border_subtitle = SUBTITLE

    _rows: tuple[tuple[Related, str], ...] = ()  # (hit, its name) of the list shown, fitted again on a resize
    _fitted = 0  # the width the names were fitted to

    def show(self, hits: Sequence[Related], unlinked: bool, empty: str, names: Names | None = None,
             keep: bool = False) -> None:
        """Lists `hits` (`empty` says why there are none); `keep`: the related note highlighted stays so
        when it is listed again (the same note after a new index), and its reason is asked for again."""
        listing = self.query_one("#related", OptionList)
        kept = self._highlighted_path() if keep else None
        self.border_title = "Related notes" + (" (unlinked only)" if unlinked else "")
        name = names.name if names is not None else (lambda path, title: title or path)
        self._rows = tuple((h, name(h.path, h.title)) for h in hits)
        self._empty = empty
        if hits:
            self._fill(listing)
        else:
            self._fill_empty(listing)
        with listing.prevent(OptionList.OptionHighlighted):
            listing.highlighted = None
        self.set_reason("")
        at = next((k for k, h in enumerate(hits) if h.path == kept), None)
        if at is not None and kept is not None:
            with listing.prevent(OptionList.OptionHighlighted):
                listing.highlighted = at
            self.post_message(self.Highlighted(kept))  # (the app says why it is related, by the new index;
            # the list's own message was not always sent: a highlight set while its options are replaced)

    def _highlighted_path(self) -> str | None:
        listing = self.query_one("#related", OptionList)
        if listing.highlighted is None or listing.highlighted >= listing.option_count:
            return None
        return listing.get_option_at_index(listing.highlighted).id

    def _fill(self, listing: OptionList) -> None:
        """The rows, with score bars where they leave a name `NAME_ROOM` cells (at 80 columns a bar left
        "Bread baking…" of "Bread baking basics"); each name cut to the list's width at its end, or, where
        that would show two names alike ("Garden note…" twice), in its middle ("Garden no…te 246"), or
        where they differ when their ends are alike too (`apart`)."""
        self._fitted, first = listing.scrollable_content_region.width, self._rows[0][0]
        bar = BAR if self._fitted - _related_prompt(first, "").cell_len - 1 >= NAME_ROOM else 0
        head = _related_prompt(first, "", bar).cell_len  # the score bar, the score, the linked mark
        room = self._fitted - head - 1 if self._fitted else 0
        names = [n for _, n in self._rows]
        if room > 0:
            ends = [n if len(n) <= room else n[: room - 1].rstrip() + "…" for n in names]
            starts = [e[: max(room - 4, 1)] if e.endswith("…") else e for e in ends]  # (alike but in their
            alike = {t for t in starts if starts.count(t) > 1}  # last letters: "Obsidian Headless · M…")
            cut = [middle_cut(n, room) if t in alike else e
                   for n, e, t in zip(names, ends, starts, strict=True)]
            names = apart(names, cut, room)
        listing.set_options(Option(_related_prompt(h, n, bar), id=h.path)
                            for (h, _), n in zip(self._rows, names, strict=True))

    _empty = ""  # why no note is listed

    def _fill_empty(self, listing: OptionList) -> None:
        """Why no note is listed, wrapped at spaces to the list's width (a row of its own was cut: "no index
        yet: press r to buil…" at 100 columns)."""
        self._fitted = width = listing.scrollable_content_region.width
        lines = [wrapped for line in self._empty.split("\n")
                 for wrapped in (textwrap.wrap(line, width) if width > 0 else [line]) or [""]]
        listing.set_options([Option(Text("\n".join(lines), style="dim italic"), disabled=True)])

    def on_resize(self, event: events.Resize) -> None:
        narrow = self.screen.has_class("-narrow")  # the concepts a Tab away, not beside (app.tcss)
        room = self.outer_size.width - 6  # (the corners, and a rule and a space each side)
        fits = [t for t in NARROW_SUBTITLES if cell_len(t) <= room] or [NARROW_SUBTITLES[-1]]
        self.border_subtitle = fits[0] if narrow else SUBTITLE
        self.call_after_refresh(lambda: self.set_reason(self._reason))  # (fitted to the new width)
        listing = self.query_one("#related", OptionList)
        if not self._rows and listing.scrollable_content_region.width != self._fitted:
            self._fill_empty(listing)
        elif self._rows and listing.scrollable_content_region.width != self._fitted:
            at = listing.highlighted
            with listing.prevent(OptionList.OptionHighlighted):
                self._fill(listing)
                listing.highlighted = at

    _reason = ""  # the highlighted note's reason, whole
    _shown = ""  # as fitted to the panel

    def set_reason(self, reason: str) -> None:
        """Says why the highlighted note is related, in the lines the panel gives it (`fit_reason`)."""
        self._reason = reason
        box = self.query_one("#because", Static)
        lines = box.styles.max_height.value if box.styles.max_height is not None else 3
        shown = fit_reason(reason, box.content_region.width, int(lines))
        if shown != self._shown:  # an update re-lays out the screen; skip it when nothing changed
            self._shown = shown
            box.update(Text(shown, style="italic"))

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


def fit_reason(reason: str, width: int, lines: int) -> str:
    """`reason` in at most `lines` lines of `width` cells, as they wrap at spaces: whole, else its first
    items (cut after a "," or ";") and "…", else its first words: at 80 columns one line cut it mid-word
    ("because: mentions How Obsid…")."""
    if width <= 0 or wrapped_lines(reason, width) <= lines:
        return reason
    for cut in reversed([m.start() + 1 for m in re.finditer(r"[,;] ", reason)]):
        if wrapped_lines(reason[:cut] + " …", width) <= lines:
            return reason[:cut] + " …"
    words = reason.split(" ")
    while len(words) > 1 and wrapped_lines(" ".join(words) + "…", width) > lines:
        words.pop()
    shown = " ".join(words)
    return shown + "…" if wrapped_lines(shown + "…", width) <= lines else shown[: width * lines - 1] + "…"


def wrapped_lines(text: str, width: int) -> int:
    """How many lines of `width` cells `text` takes, wrapped at spaces (a longer word over several)."""
    count, used = 1, 0
    for word in text.split(" "):
        cells = cell_len(word)
        if used and used + 1 + cells <= width:
            used += 1 + cells
            continue
        if used:
            count += 1
        count += max(cells - 1, 0) // width
        used = cells % width or (width if cells else 0)
    return count


def middle_cut(name: str, room: int) -> str:
    """`name` in at most `room` cells: whole, or its start and its end around "…" (more of the start)."""
    if len(name) <= room:
        return name
    if room < 5:
        return name[: max(room - 1, 0)] + "…"
    tail = (room - 1) * 2 // 5
    return name[: room - 1 - tail].rstrip() + "…" + name[len(name) - tail:].lstrip()


def apart(names: list[str], cut: list[str], room: int) -> list[str]:
    """`cut` (the `names` cut to `room` cells), where names that differ were cut alike ("Obsidian
    Hea…Obsidian" for both "Obsidian Headless · Extending Obsidian" and "… · Memperluas Obsidian"):
    each of those cut where it differs from the name most like it (`cut_at`)."""
    out = list(cut)
    for shown in {c for c in cut if cut.count(c) > 1}:
        group = [k for k, c in enumerate(cut) if c == shown]
        for k in group:
            shared = [_shared(names[k], names[j]) for j in group if names[j] != names[k]]
            if shared and len(names[k]) > room:
                out[k] = cut_at(names[k], room, max(shared))
    return out


def _shared(a: str, b: str) -> int:
    """How many characters `a` and `b` start with alike."""
    return next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


def cut_at(name: str, room: int, at: int) -> str:
    """`name` in `room` cells with its character `at` shown: its start, "…", then the name from the word
    that holds `at` (or from `at`, in a long word), cut at the end ("Obsidian…Extending Obsid…")."""
    head = name[: max(room // 3, 1)].rstrip()
    body = room - len(head) - 1  # cells after the "…"
    word = name.rfind(" ", 0, at) + 1
    start = max(word if at - word < body - 1 else at, len(head))
    rest = name[start:].lstrip()
    return head + "…" + (rest if len(rest) <= body else rest[: max(body - 1, 0)] + "…")


def _related_prompt(hit: Related, name: str, bar: int = BAR) -> Text:
    """A related note's row: its score bar `bar` cells wide (none: 0), score, linked mark and name; all of it
    dim for a weak note (a long shot), so that strong and weak notes tell apart at a glance."""
    text = Text(score_bar(hit.score, bar) if bar else "", style="green", no_wrap=True, overflow="ellipsis")
    text.append(f" {hit.score:4.2f} " if bar else f"{hit.score:4.2f} ", style="bold")
    text.append(f"{LINKED_MARK} " if hit.linked else "  ", style="cyan")
    text.append(name)
    if hit.weak:
        text.stylize("dim")
    return text
