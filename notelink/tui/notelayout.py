"""A note's text laid out as lines for one width, piece by piece: what the note view draws and scrolls.

The note is cut into pieces (`chunks.split_chunks`); each is parsed once (`render.parse`) and laid out after
the lines before it (`render.lay_out`), for as many pieces as the view asks at a time. End asks for the
last pieces ahead of the rest (`tail.Tail`); when the pieces before them reach them, they are laid out in
their place. A new width lays the pieces out again without parsing them again. No widget here: the view
(`noteview.NoteView`) decides when to lay out more and where to scroll.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content

from notelink.tui.chunks import footnote_labels, split_chunks
from notelink.tui.render import Block, Laid, continues_list, lay_out, parse
from notelink.tui.tail import Tail, tail_at
from notelink.tui.text import app_links


class NoteLayout:
    """A note's Markdown (`prepare` makes each piece the Markdown to render) laid out `width` cells wide."""

    def __init__(self, markdown: str = "", prepare: Callable[[str], str] = str, width: int = 20) -> None:
        self._markdown, self._prepare = markdown, prepare
        self._source: str | None = None
        self._links: list[tuple[str, str]] | None = None
        self.chunks = split_chunks(markdown) if markdown else []
        self._footnotes = footnote_labels(markdown) if len(self.chunks) > 1 else frozenset()
        self._parsed: dict[int, list[Block]] = {}  # each piece's blocks, by piece
        self.width = width
        self.laid = Laid()
        self.starts: list[int] = []  # the first line of each piece laid out
        self.tail: Tail | None = None  # the note's end, laid out ahead of the rest (End)

    @property
    def rendering(self) -> bool:
        """True while pieces are still to be laid out."""
        return len(self.starts) < len(self.chunks)

    @property
    def line_count(self) -> int:
        return len(self.laid.lines)

    @property
    def height(self) -> int:
        """The lines to scroll through: those laid out, or down to the tail's end."""
        return self.line_count if self.tail is None else self.tail.end

    @property
    def source(self) -> str:
        """The Markdown shown (each piece is prepared as it is laid out; this prepares the whole)."""
        if self._source is None:
            self._source = self._prepare(self._markdown)
        return self._source

    @property
    def links(self) -> list[tuple[str, str]]:
        """(label, target) of the note's links to notes (`app_links`)."""
        if self._links is None:
            self._links = app_links(self.source)
        return self._links

    def relay(self, width: int) -> None:
        """Forgets the lines, to lay the pieces out again `width` cells wide (parsed already)."""
        self.width, self.laid, self.starts, self.tail = width, Laid(), [], None

    def next(self) -> Tail | None:
        """Lays out the next piece, after the lines laid out so far; on reaching the tail, the tail's pieces
        and all the rest in its place, returning the tail they replace (the view keeps showing its lines)."""
        k, tail = len(self.starts), self.tail
        if tail is not None and k == tail.first:
            self.tail = None
            while self.rendering:
                self.next()
            return tail
        self.starts.append(self._lay_out_piece(k, self.laid))
        return None

    def _lay_out_piece(self, k: int, laid: Laid) -> int:
        """Lays out piece k after the lines of `laid` (parsed once); the line it begins on."""
        if k not in self._parsed:
            self._parsed[k] = parse(self._prepare(self.chunks[k]), self._footnotes)
        blocks = self._parsed[k]
        if blocks and laid.lines and not continues_list(self._parsed.get(k - 1, []), blocks):
            laid.lines.append(Content(""))
        start = len(laid.lines)
        lay_out(blocks, self.width, laid)
        return start

    def lay_out_tail(self, lines: int) -> None:
        """Lays out the last pieces, `lines` lines or more (a piece or two), ahead of those before them; all
        of the rest now when that is no more."""
        first, tail = len(self.chunks), Laid()
        while first > len(self.starts) and len(tail.lines) < lines:
            first, tail = first - 1, Laid()
            for k in range(first, len(self.chunks)):
                self._lay_out_piece(k, tail)
        if first > len(self.starts):
            self.tail = Tail(first, tail.lines, self.tail_at(first))
        while self.tail is None and self.rendering:
            self.next()

    def tail_at(self, first: int) -> int:
        """Where a tail from piece `first` begins, by the lines laid out so far (`tail.tail_at`)."""
        return tail_at(self.chunks, len(self.starts), self.line_count, first)

    def line(self, y: int) -> tuple[int, Content] | None:
        """Line `y` of the view with its key for the view's cache (a tail's line is keyed by its place in the
        tail: the tail moves); None below the lines."""
        if y < self.line_count:
            return y, self.laid.lines[y]
        tail = self.tail
        if tail is not None and (shown := tail.line(y)) is not None:
            return -1 - (y - tail.at), shown
        return None

    def position(self, y: int) -> tuple[int, float]:
        """The piece at line `y`, and how far into its lines `y` is (0-1)."""
        piece = max((k for k, start in enumerate(self.starts) if start <= y), default=0)
        if piece >= len(self.starts):
            return 0, 0.0
        end = self.starts[piece + 1] if piece + 1 < len(self.starts) else self.line_count
        return piece, (y - self.starts[piece]) / max(1, end - self.starts[piece])
