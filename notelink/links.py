"""Resolving link targets (`Note`, `folder/Note`, `../x.md`, an alias) to notes of the vault."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable


def _key(name: str) -> str:
    name = name.strip().replace("\\", "/").casefold()
    return name[:-3] if name.endswith(".md") else name


class Resolver:
    """Maps link targets to note paths the way Obsidian does: path, then file name, then title/alias."""

    def __init__(self, notes: Iterable[tuple[str, str, list[str]]]) -> None:
        """`notes`: (path, title, aliases) for every note."""
        self._by_path: dict[str, str] = {}
        self._by_name: dict[str, str] = {}
        self._by_title: dict[str, str] = {}
        for path, title, aliases in sorted(notes, key=lambda n: (n[0].count("/"), n[0])):
            self._by_path.setdefault(_key(path), path)
            self._by_name.setdefault(_key(posixpath.basename(path)), path)
            for name in [title, *aliases]:
                self._by_title.setdefault(_key(name), path)

    def resolve(self, target: str, source: str = "", kind: str = "wiki") -> str | None:
        """The note a link points to, or None when it points outside the notes."""
        if kind == "markdown":
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
            if not joined.startswith("../") and (hit := self._by_path.get(_key(joined))):
                return hit
        key = _key(target)
        if not key:
            return None
        return (self._by_path.get(key) or self._by_path.get(key.lstrip("/"))
                or self._by_name.get(key) or self._by_title.get(key))

    def find(self, query: str) -> str | None:
        """A note named by a user: relative path (with or without `.md`), file name or title."""
        return self.resolve(query)
