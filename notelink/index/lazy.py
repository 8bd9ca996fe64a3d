"""A list whose items are made when first read: per-note token lists that an update reads for a few notes.

An update counts mentions again only in the notes that changed (`mentions.recount_mentions`), yet each note's
tokens without boilerplate, and with its URLs and code spans, were made for every note of the vault first
(10k notes: a copy of 5M tokens, about a second of every update). A full build reads every item once, as
before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class Lazy(Sequence[T]):
    """`n` items, item i made by `make(i)` when first read, then kept."""

    def __init__(self, n: int, make: Callable[[int], T]) -> None:
        self._make = make
        self._items: list[T | None] = [None] * n
        self.made = 0  # how many items were made (tests)

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, i: int) -> T: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[T]: ...

    def __getitem__(self, i: int | slice) -> T | Sequence[T]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        item = self._items[i]
        if item is None:
            item = self._items[i] = self._make(i if i >= 0 else i + len(self))
            self.made += 1
        return item
