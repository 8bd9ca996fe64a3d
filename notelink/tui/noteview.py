"""The note view: a note's Markdown drawn as lines, the first screenful at once and the rest piece by piece.

`show` cuts the note into pieces and lays out pieces until the screen is full (`notelayout.NoteLayout`: the
note's text as lines, no widget), and returns: the note is on screen in the same frame as its side panels,
whatever its size. The other pieces are laid out one per step, each step a callback of its own (~10 ms for
6 KB), so keys are handled between them; a step that finds another note shown meanwhile stops. End before
then lays out the note's last pieces ahead of the rest (`tail.Tail`). Only the rows on screen are drawn
(`render_line`), so a 360 KB note costs no more per frame than a short one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import ClassVar
from urllib.parse import unquote

from rich.segment import Segment
from textual.content import Content
from textual.events import Resize, Show
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from notelink.tui.history import Place
from notelink.tui.notelayout import NoteLayout
from notelink.tui.passage import Passage, passage_line
from notelink.tui.text import heading_key

STEP_SECONDS = 0.01
"""A step of the rest lays out pieces for about this long, then lets keys and a screen refresh in."""

STEP_PAUSE = 0.005
"""Seconds between two steps. The loop then waits on input for a moment, so the terminal's input thread gets
the interpreter: steps queued back to back (`call_later`) kept a Down key 1.2-1.6 s from the screen in a
real terminal under load; waiting for a screen refresh between steps made a 363 KB note take 5-6 s whole."""

INPUT_QUIET = 0.05
"""Seconds after a key or a click during which the rest waits: the key's handling (several messages from
widget to app) goes first instead of taking turns with steps."""

SIZE_SECONDS = 0.5
"""While the rest is laid out below the screen, the scrollable height is updated this often (5x as often
when the screen is near the end of what is laid out): each update lays the whole screen out again (~30 ms
here), which made a 363 KB note's steps 3x slower when done at each step."""


class NoteView(ScrollView, can_focus=True):
    """The shown note as Markdown; wikilinks arrive as `notelink:` links, Markdown links as written
    (`LinkClicked`)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "noteview--h1", "noteview--h2", "noteview--h3", "noteview--h4", "noteview--code",
        "noteview--code-inline", "noteview--link", "noteview--quote", "noteview--rule", "noteview--bullet",
        "noteview--table-head", "noteview--footnote"}
    DEFAULT_CSS = """
    NoteView { scrollbar-gutter: stable; }
    NoteView > .noteview--h1 { color: $text-primary; text-style: bold; }
    NoteView > .noteview--h2 { color: $text-primary; text-style: bold; }
    NoteView > .noteview--h3 { color: $text-secondary; text-style: bold; }
    NoteView > .noteview--h4 { text-style: bold italic; }
    NoteView > .noteview--code { background: $boost; color: $text-muted; }
    NoteView > .noteview--code-inline { background: $boost; color: $text-warning; }
    NoteView > .noteview--link { color: $text-accent; text-style: underline; }
    NoteView > .noteview--quote { color: $text-primary; }
    NoteView > .noteview--rule { color: $text-muted; }
    NoteView > .noteview--bullet { color: $text-primary; }
    NoteView > .noteview--table-head { text-style: bold; }
    NoteView > .noteview--footnote { color: $text-accent; text-style: bold; }
    """

    class LinkClicked(Message):
        """A link in the note was clicked (`href` unquoted, wikilinks as `notelink:TARGET`)."""

        def __init__(self, href: str) -> None:
            super().__init__()
            self.href = unquote(href)

    class Rendered(Message):
        """The whole shown note is laid out (posted once per note shown)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.pending_heading = ""
        """A heading to scroll to once the note shown next has laid it out (a `[[Note#Heading]]` link)."""
        self.serial = 0
        """Counts the notes shown; a step of an earlier one sees it changed and stops."""
        self._passage: tuple[int, Passage] | None = None  # (serial, passage): `scroll_to_passage`
        self._passage_seen = 0  # lines of the note searched for it so far
        self._layout = NoteLayout(width=0)
        self._strips: dict[int, Strip] = {}
        self._stepping = False  # a chain of `_continue` steps is scheduled

    def on_mount(self) -> None:
        self.watch(self.app, "theme", lambda: self._forget_strips(), init=False)

    @property
    def rendering(self) -> bool:
        """True while pieces of the shown note are still to be laid out."""
        return self._layout.rendering

    @property
    def line_count(self) -> int:
        return self._layout.line_count

    @property
    def lines(self) -> list[Content]:
        """The lines laid out so far (at the view's width)."""
        return self._layout.laid.lines

    @property
    def source(self) -> str:
        """The Markdown shown (each piece is prepared as it is laid out; this prepares the whole)."""
        return self._layout.source

    @property
    def links(self) -> list[tuple[str, str]]:
        """(label, target) of the shown note's links to notes (`app_links`), to follow from the keyboard."""
        return self._layout.links

    def show(self, title: str, subtitle: str, markdown: str, keep_scroll: bool = False,
             prepare: Callable[[str], str] | None = None) -> None:
        """Shows a note: its first screenful now, the rest in later steps. `prepare` turns each piece into
        the Markdown to render (`text.as_shown`); `keep_scroll`: stay where the view was, for the same note
        shown again after an edit or a new index (a search hit's passage not reached yet is still sought)."""
        at_end = keep_scroll and self._tail_shown()
        top = round(self.scroll_y) if keep_scroll and not at_end else 0
        pending = self._passage if keep_scroll and self._passage and self._passage[0] == self.serial else None
        self.border_title, self.border_subtitle = Content(title), Content(subtitle)  # (as written: no markup)
        self.serial += 1
        self._layout = NoteLayout(markdown, prepare or str, self._text_width())
        self._strips.clear()
        self._lay_out_until(top + self.scrollable_content_region.height)
        self.scroll_to(x=self.scroll_x if keep_scroll else 0, y=min(top, max(0, self.line_count - 1)),
                       animate=False, immediate=True)
        self._seek_heading()
        self._passage, self._passage_seen = (None if pending is None else (self.serial, pending[1])), 0
        self._stepping = True
        self.call_after_refresh(self._continue, self.serial)
        if at_end:
            self.action_scroll_end()

    def place(self) -> Place:
        """Where the note is being read: the piece at the top of the screen and how far into its lines (a
        place in the text, the same at any width, unlike a line)."""
        return self._layout.position(round(self.scroll_y))

    def scroll_to_place(self, place: Place) -> None:
        """Scrolls to a place of the note shown (where it was read before: back, forward), laying the note
        out down to it first; a heading or a passage still sought is not any more."""
        self.pending_heading, self._passage = "", None
        top = self._line_at(place)
        self._lay_out_until(top + self.scrollable_content_region.height)
        self.scroll_to(y=min(top, max(0, self.line_count - 1)), animate=False, immediate=True, force=True)

    def _line_at(self, place: Place) -> int:
        """The line of a place in the note, its piece laid out first (and the next one: where the piece
        ends, as `position` measured it)."""
        layout, (piece, share) = self._layout, place
        while len(layout.starts) <= piece + 1 and self.rendering:
            self._lay_out_next()
        if piece >= len(layout.starts):
            return 0
        end = layout.starts[piece + 1] if piece + 1 < len(layout.starts) else self.line_count
        return layout.starts[piece] + round(share * (end - layout.starts[piece]))

    def _text_width(self) -> int:
        return max(self.scrollable_content_region.width, 20)

    def _lay_out_until(self, lines: int) -> None:
        """Lays out pieces now until `lines` lines are there (the screen is full) or the note is done."""
        while self.rendering and (self.line_count < lines or not self._layout.starts):
            self._lay_out_next()
        self._resized()

    def _lay_out_next(self) -> None:
        """Lays out the next piece; on reaching the tail, the tail's pieces in its place, and a screen that
        showed the tail keeps showing the same lines."""
        layout = self._layout
        tail = layout.next()
        if tail is not None:
            self._strips.clear()
            self._resized()
            self._keep_on_tail(tail.at, layout.starts[tail.first])

    def _continue(self, serial: int) -> None:
        """One step of the rest: pieces for `STEP_SECONDS`, then the next step `STEP_PAUSE` later."""
        if serial != self.serial or not self.is_attached:
            return  # (the note shown since has its own chain)
        if not self.rendering:
            self._stepping = False
            self._seek_passage()
            self.post_message(self.Rendered())
            return
        quiet = INPUT_QUIET - (time.monotonic() - float(getattr(self.app, "input_at", 0.0)))
        if quiet > 0:
            self.set_timer(quiet, partial(self._continue, serial))
            return
        end = time.perf_counter() + STEP_SECONDS
        while self.rendering and time.perf_counter() < end:
            self._lay_out_next()
        since = time.perf_counter() - self._sized_at
        if not self.rendering or since > SIZE_SECONDS or (since > SIZE_SECONDS / 5 and self._near_end()):
            self._resized()
        self._seek_heading()
        self._seek_passage()
        self.set_timer(STEP_PAUSE, partial(self._continue, serial))

    def _resized(self) -> None:
        """The virtual size after lines were added (and where the tail begins now); a redraw of the rows on
        screen."""
        self._sized_at = time.perf_counter()
        layout = self._layout
        tail = layout.tail
        if tail is not None:
            at, tail.at = tail.at, layout.tail_at(tail.first)
        self.virtual_size = Size(max(layout.width, layout.laid.width), layout.height)  # (wider: a table)
        if tail is not None:
            self._keep_on_tail(at, tail.at)
        self.refresh()

    # -- the end, ahead of the rest (`tail`) ---------------------------------------------------------
    def action_scroll_end(self) -> None:
        """End: the note's real end at once, its last pieces laid out ahead of the rest (End went to the
        end of what was laid out so far: a 3.6 MB note's end was not on screen 47 s later)."""
        if self.rendering and self._layout.tail is None:
            self._layout.lay_out_tail(self.scrollable_content_region.height)
        if self._layout.tail is None:
            super().action_scroll_end()
            return
        self._resized()
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def action_page_down(self) -> None:
        """PageDown: the page below the lines laid out so far is laid out first (else it stopped there)."""
        if self.rendering and self.scroll_y < self.line_count:
            self._lay_out_until(round(self.scroll_y) + 2 * self.scrollable_content_region.height)
        super().action_page_down()

    def _tail_shown(self) -> bool:
        """True when the screen shows some of the tail."""
        tail = self._layout.tail
        return tail is not None and self.scroll_y + self.scrollable_content_region.height > tail.at

    def _keep_on_tail(self, at: int, now: int) -> None:
        """Scrolls by the tail's move (from line `at` to line `now`) when the screen shows some of it."""
        if now != at and self.scroll_y + self.scrollable_content_region.height > at:
            self.scroll_to(y=max(0, round(self.scroll_y) + now - at), animate=False, immediate=True)

    _sized_at = 0.0

    def _near_end(self) -> bool:
        """True when the screen shows (or nearly) the last lines of the scrollable height."""
        height = self.scrollable_content_region.height
        return self.scroll_y + 2 * height >= self.virtual_size.height

    def on_resize(self, event: Resize) -> None:
        self._fit_width()

    def on_show(self, event: Show) -> None:
        """Shown again (the search pane hid it): a note put here while hidden was laid out 20 cells wide, and
        no resize came to lay it out again (its size had not changed)."""
        self._fit_width()

    def _fit_width(self) -> None:
        """Lays the note out again for a new width: now up to the screen's part of it (its pieces are parsed
        already), the rest in steps; the line at the top of the screen stays there."""
        layout, width = self._layout, self._text_width()
        if width == layout.width or not layout.chunks:
            return
        place, at_end = self.place(), self._tail_shown()
        layout.relay(width)
        self._forget_strips()
        top = self._line_at(place)
        self._lay_out_until(top + self.scrollable_content_region.height)
        self.scroll_to(y=top, animate=False, immediate=True)
        if at_end:
            self.action_scroll_end()
        if not self._stepping:
            self._stepping = True
            self.call_after_refresh(self._continue, self.serial)

    # -- drawing ------------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        found = self._layout.line(scroll_y + y)
        if found is None:
            return Strip.blank(width, self.rich_style)
        key, content = found
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 4096:
                self._strips.clear()
            strip = self._strips[key] = self._strip(content)
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def _strip(self, line: Content) -> Strip:
        base = self.visual_style
        return Strip([Segment(text, style.rich_style)
                      for text, style in line.render(base, end="", parse_style=self._get_style)])

    def _forget_strips(self) -> None:
        self._strips.clear()
        self.refresh()

    def action_open_link(self, href: str) -> None:
        self.post_message(self.LinkClicked(href))

    # -- headings -----------------------------------------------------------------------------------
    @property
    def headings(self) -> list[tuple[int, str, int]]:
        """(level, text, line) of the headings laid out so far."""
        return self._layout.laid.headings

    def heading_line(self, heading: str) -> int | None:
        """The line of the shown note's heading named `heading` (of `H1#H2`, the last one), if laid out."""
        key = heading_key(heading.rpartition("#")[2])
        return next((y for _level, text, y in self.headings if heading_key(text) == key), None)

    def scroll_to_heading(self, heading: str) -> bool:
        """Scrolls to the heading named `heading`: now, or once it is laid out; False when the note has
        none such."""
        y = self.heading_line(heading)
        if y is not None:
            self.scroll_to(y=y, animate=False, immediate=True, force=True)
            return True
        if self.rendering:
            self.pending_heading = heading
            return True
        return False

    def _seek_heading(self) -> None:
        """Scrolls to the pending heading once laid out; says so when the whole note has none such."""
        heading = self.pending_heading
        if not heading:
            return
        y = self.heading_line(heading)
        if y is not None or not self.rendering:
            self.pending_heading = ""
        if y is not None:  # (forced: a note laid out in this step has no scrollbar yet, and Textual would not
            self.scroll_to(y=y, animate=False, immediate=True, force=True)  # scroll it: it stayed at the top)
        elif not self.rendering:
            self.notify(f"No heading {heading!r} in {self.border_title}", severity="warning")

    def footnote_line(self, label: str) -> int | None:
        """The line of the shown note's footnote definition `label` (`[^label]: …`), the note laid out down to
        it first (definitions are mostly at a note's end); None when the note has none such."""
        laid = self._layout.laid
        while label not in laid.footnotes and self.rendering:
            self._lay_out_next()
        self._resized()
        return laid.footnotes.get(label)

    # -- a search hit's passage ---------------------------------------------------------------------
    def scroll_to_passage(self, passage: Passage) -> None:
        """Scrolls the note shown last to where `passage` (a search hit's snippet) is: now when it is laid
        out, else once it is (`passage.passage_line`); a note shown since forgets it."""
        self._passage, self._passage_seen = (self.serial, passage), 0
        self._seek_passage()

    def _seek_passage(self) -> None:
        """Looks for the pending passage in the lines laid out since the last look (a few lines back: a run
        of its words may begin on a line already seen); the whole note once done, marked words too."""
        if self._passage is None or self._passage[0] != self.serial:
            return
        done = not self.rendering
        start = 0 if done else max(0, self._passage_seen - 3)
        y = passage_line([line.plain for line in self.lines[start:]], self._passage[1], marked=done)
        self._passage_seen = self.line_count
        if y is not None or done:
            self._passage = None
        if y is not None:
            y = max(0, start + y - 1)  # (a line of what comes before, above it)
            if y + self.scrollable_content_region.height > self.virtual_size.height:
                self._resized()  # (the lines below may not count in the scrollable height yet)
            self.scroll_to(y=y, animate=False, immediate=True, force=True)

