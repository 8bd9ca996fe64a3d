"""Back/forward navigation history of opened notes, like a browser's."""

from __future__ import annotations


class History:
    """Visited note paths with a cursor; visiting after going back drops the forward entries."""

    def __init__(self, limit: int = 200) -> None:
        self._items: list[str] = []
        self._pos = -1
        self._limit = limit

    @property
    def current(self) -> str | None:
        return self._items[self._pos] if self._pos >= 0 else None

    def visit(self, path: str, replace: bool = False) -> None:
        """Records a newly opened note (re-opening the current one changes nothing); `replace`
        overwrites the current entry instead, so browsing a list leaves one entry, not hundreds."""
        if path == self.current:
            return
        del self._items[self._pos + 1 :]
        if replace and self._items:
            self._items[-1] = path
            return
        self._items.append(path)
        if len(self._items) > self._limit:
            del self._items[0]
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
        """Forgets notes that no longer exist (after a re-index)."""
        current = self.current
        self._items = [p for p in self._items if p in known]
        self._pos = self._items.index(current) if current in self._items else len(self._items) - 1
