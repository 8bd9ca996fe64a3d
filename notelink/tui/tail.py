"""A long note's end, laid out ahead of the pieces before it: End shows the real end at once.

The note view lays a note out piece by piece from the top (a 3.6 MB note: ~10 s of parsing and layout,
more under load). End, pressed before that is done, lays out the last pieces alone (a screenful, a few
ms) and shows them below a gap: the lines still to be laid out between, estimated from their size. As
the pieces before it are laid out the estimate is corrected; once they reach the tail, the tail's pieces
are laid out in their place and the gap is gone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.content import Content


@dataclass
class Tail:
    """The last pieces of a note, from piece `first`, laid out ahead; `at`: the line they begin on, as
    last shown (the lines laid out from the top, then the gap)."""

    first: int
    lines: list[Content] = field(default_factory=list)
    at: int = 0

    def line(self, y: int) -> Content | None:
        """The tail's line shown at line `y` of the view; None above or below it."""
        return self.lines[y - self.at] if 0 <= y - self.at < len(self.lines) else None

    @property
    def end(self) -> int:
        """The view's height with the tail: the line below its last one."""
        return self.at + len(self.lines)


def tail_at(chunks: list[str], done: int, lines: int, first: int) -> int:
    """Where a tail beginning at piece `first` begins, once `done` pieces are laid out as `lines` lines:
    after them, a blank line and the pieces between at the lines per character laid out so far."""
    laid = sum(len(c) for c in chunks[:done])
    between = sum(len(c) for c in chunks[done:first])
    return lines + 1 + round(between * lines / max(1, laid))
