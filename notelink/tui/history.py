"""Back/forward navigation history of opened notes, like a browser's: each entry keeps where its note was
read (its place in the text when it was left: a `Place`), so that going back returns there, not to the top,
whatever the width the note is shown at then. A jump
inside the shown note (to a heading, a search hit's passage) is an entry of its own, as a browser's jump to
an anchor is: back returns to where the reader was before it."""

from __future__ import annotations

from collections.abc import Callable

Place = tuple[int, float]
"""Where a note is being read: the piece of its text at the top of the note view and how far into that
piece's lines, 0-1 (`NoteLayout.position`). A line number is another part of the note at another width
(back after a resize went paragraphs away)."""

START: Place = (0, 0.0)


class History:
    """Visited note paths with a cursor; visiting after going back drops the forward entries."""

    def __init__(self, limit: int = 200) -> None:
        self._items: list[str] = []
        self._places: list[Place] = []  # each entry's place when it was left (START: not left yet)
        self._pos = -1
        self._limit = limit

    @property
    def current(self) -> str | None:
        return self._items[self._pos] if self._pos >= 0 else None

    @property
    def place(self) -> Place:
        """Where the current entry's note was read when it was left (START at first)."""
        return self._places[self._pos] if self._pos >= 0 else START

    def leave(self, place: Place) -> None:
        """Notes where the current entry's note is being read, as it is left (for another note, or
        back/forward)."""
        if self._pos >= 0:
            self._places[self._pos] = place

    def visit(self, path: str, replace: bool = False) -> None:
        """Records a newly opened note (re-opening the current one changes nothing); `replace`
        overwrites the current entry instead, so browsing a list leaves one entry, not hundreds."""
        if path != self.current:
            self._add(path, replace)

    def jump(self) -> None:
        """Records a jump inside the current entry's note (a heading, a passage): a new entry for the same
        note, its place noted when it is left; the entry before it keeps where the reader was (`leave`)."""
        if self.current is not None:
            self._add(self.current, replace=False)

    def _add(self, path: str, replace: bool) -> None:
        del self._items[self._pos + 1 :]
        del self._places[self._pos + 1 :]
        if replace and self._items:
            self._items[-1], self._places[-1] = path, START
            return
        self._items.append(path)
        self._places.append(START)
        if len(self._items) > self._limit:
            del self._items[0], self._places[0]
        self._pos = len(self._items) - 1

    def can_back(self) -> bool:
        return self._pos > 0

    def can_forward(self) -> bool:
        return self._pos < len(self._items) - 1

    def back(self) -> str | None:
        """The previous note, or None at the start."""
        if not self.can_back():
            return None
        self._pos -= 1
        return self.current

    def forward(self) -> str | None:
        """The next note after going back, or None."""
        if not self.can_forward():
            return None
        self._pos += 1
        return self.current

    def retain(self, known: set[str], moved: Callable[[str], str | None] = lambda path: None) -> None:
        """Forgets notes that no longer exist (after a re-index), after following those `moved` (a path's
        new one, else None); the current entry stays current (found by its place, not its path: a note's
        jumps repeat its path), else the one before it is (as after going back)."""
        self._items = [p if p in known else moved(p) or p for p in self._items]
        keep = [p in known for p in self._items]
        pos = sum(keep[: self._pos + 1]) - 1
        self._items = [p for p, k in zip(self._items, keep, strict=True) if k]
        self._places = [t for t, k in zip(self._places, keep, strict=True) if k]
        self._pos = max(pos, 0) if self._items else -1
