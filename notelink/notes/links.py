"""Resolving link targets (`Note`, `folder/Note`, `../x.md`, an alias) to notes of the vault."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from urllib.parse import quote

_LABEL = str.maketrans({"[": "［", "]": "］", "|": "｜", "<": "‹", ">": "›"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_UNSAFE_TARGET = re.compile(r"[\[\]|#^<>%\\`\x00-\x1f\x7f]|^\s|\s$|\s\s")


def name_key(name: str) -> str:
    """How a link target, file name, title or alias is compared: case-folded, without `.md`."""
    name = name.strip().replace("\\", "/").casefold()
    return name[:-3] if name.endswith(".md") else name


class Resolver:
    """Maps link targets to note paths the way Obsidian does: path, then file name, then title/alias."""

    def __init__(self, notes: Iterable[tuple[str, str, list[str]]]) -> None:
        """`notes`: (path, title, aliases) for every note."""
        self._by_path: dict[str, str] = {}
        self._by_name: dict[str, str] = {}
        self._by_title: dict[str, str] = {}
        self._notes = sorted(notes, key=lambda n: (n[0].count("/"), n[0]))  # shortest path first: it wins
        self._named: dict[str, list[str]] | None = None
        for path, title, aliases in self._notes:
            self._by_path.setdefault(name_key(path), path)
            self._by_name.setdefault(name_key(posixpath.basename(path)), path)
            for name in [title, *aliases]:
                self._by_title.setdefault(name_key(name), path)

    def resolve(self, target: str, source: str = "", kind: str = "wiki") -> str | None:
        """The note a link points to, or None when it points outside the notes."""
        if kind == "markdown":
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
            if not joined.startswith("../") and (hit := self._by_path.get(name_key(joined))):
                return hit
        key = name_key(target)
        if not key:
            return None
        return (self._by_path.get(key) or self._by_path.get(key.lstrip("/"))
                or self._by_name.get(key) or self._by_title.get(key))

    def find(self, query: str) -> str | None:
        """A note named by a user: relative path (with or without `.md`), file name or title."""
        return self.resolve(query)

    def named(self, name: str) -> list[str]:
        """Every note whose file name, title or alias is `name` (the one `find` picks first): the notes a
        bare name could mean. The table is made on the first call; link resolution never needs it."""
        if self._named is None:
            self._named = {}
            for path, title, aliases in self._notes:
                for key in {name_key(posixpath.basename(path)), *map(name_key, [title, *aliases])}:
                    self._named.setdefault(key, []).append(path)
        return list(self._named.get(name_key(name), []))


def safe_label(text: str) -> str:
    """Text to show in a link, on one line, without the characters that could end a wikilink, split a
    table cell or open/close an HTML comment (`]]`, `|`, `-->`): those become look-alikes."""
    label = " ".join(_CONTROL.sub(" ", text.translate(_LABEL)).split())
    return label.replace("%%", "%\uff05")


def note_link(path: str, title: str) -> str:
    """A link to a note by its vault path that cannot break the line it sits in: `[[path|title]]`, or a
    Markdown link with a percent-encoded target when the path has characters a wikilink cannot hold."""
    target = path[:-3] if path.lower().endswith(".md") else path
    label = safe_label(title) or safe_label(posixpath.basename(target)) or "note"
    if not wikilink_safe(target):
        return f"[{label}]({quote(path)})"
    return f"[[{target}]]" if label == target else f"[[{target}|{label}]]"


def wikilink_safe(target: str) -> bool:
    """Whether `target` can stand inside `[[...]]` as it is (no `]`, `|`, `#`, `^`, control characters...)."""
    return bool(target) and not _UNSAFE_TARGET.search(target)
