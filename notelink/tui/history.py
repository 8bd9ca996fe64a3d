"""Back/forward navigation history of opened notes, like a browser's: each entry keeps where its note was
read (the note view's top line when it was left), so that going back returns there, not to the top. A jump
inside the shown note (to a heading, a search hit's passage) is an entry of its own, as a browser's jump to
an anchor is: back returns to where the reader was before it."""

from __future__ import annotations


class History:
    """Visited note paths with a cursor; visiting after going back drops the forward entries."""

    def __init__(self, limit: int = 200) -> None:
        self._items: list[str] = []
        self._tops: list[int] = []  # each entry's top line when it was left (0: not left yet)
        self._pos = -1
        self._limit = limit

    @property
    def current(self) -> str | None:
        return self._items[self._pos] if self._pos >= 0 else None

    @property
    def top(self) -> int:
        """Where the current entry's note was read when it was left: its top line (0 at first)."""
        return self._tops[self._pos] if self._pos >= 0 else 0

    def leave(self, top: int) -> None:
        """Notes where the current entry's note is being read, as it is left (for another note, or
        back/forward)."""
        if self._pos >= 0:
            self._tops[self._pos] = max(top, 0)

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
        del self._tops[self._pos + 1 :]
        if replace and self._items:
            self._items[-1], self._tops[-1] = path, 0
            return
        self._items.append(path)
        self._tops.append(0)
        if len(self._items) > self._limit:
            del self._items[0], self._tops[0]
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

    def retain(self, known: set[str]) -> None:
        """Forgets notes that no longer exist (after a re-index); the current entry stays current (found by
        its place, not its path: a note's jumps repeat its path), else the one before it is (as after
        going back)."""
        keep = [p in known for p in self._items]
        pos = sum(keep[: self._pos + 1]) - 1
        self._items = [p for p, k in zip(self._items, keep, strict=True) if k]
        self._tops = [t for t, k in zip(self._tops, keep, strict=True) if k]
        self._pos = max(pos, 0) if self._items else -1
