"""Names that tell notes with the same title apart, wherever the app lists notes.

Dendron's vault has nine notes titled "CLI" (`dendron.ref.cli.md`, `dendron.topic.cli.md`, ...); obsidian-help
has "Headless Sync" in each language's folder. A note whose title another note shares is shown with the
shortest part of its path that no other such note has: `CLI · ref`, `CLI · topic`, `Headless Sync · de`.
The parts of a path are its folders and the dot-separated parts of its file name, less those that repeat the
title. Where the notes' paths have as many parts and one folder place among them tells every note apart, each
note is named by its folder there (the shortest such, then the nearest the file): obsidian-help's
`da/Udvidelse af Obsidian/Obsidian Headless.md` is `· da`, as every translation is named by its language,
which a narrow list still shows. Else a part that no other note of the group has is taken alone (the one
nearest the file), else the shortest run of parts ending at the file that the others do not end with, else
the whole path. No textual here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from notelink.query.answers import NoteInfo
from notelink.tui.notefilter import fold

SEPARATOR = " · "
"""Between a title and what tells it apart."""


class Names:
    """A display name for every note of an index: its title, and for a shared title what tells it apart."""

    def __init__(self, notes: Iterable[NoteInfo], folded: Sequence[str] | None = None) -> None:
        notes = list(notes)
        keys = folded if folded is not None else [fold(n.title or n.path) for n in notes]
        groups: dict[str, list[NoteInfo]] = {}
        for key, note in zip(keys, notes, strict=True):
            groups.setdefault(key, []).append(note)
        self.labels: dict[str, str] = {}
        """path → the part of its path that tells it apart, for notes whose title is shared."""
        for group in groups.values():
            if len(group) > 1:
                self.labels.update(distinguishing([n.path for n in group], group[0].title))

    def label(self, path: str) -> str:
        """What tells the note at `path` apart from notes with its title ("" when its title is its own)."""
        return self.labels.get(path, "")

    def name(self, path: str, title: str) -> str:
        """The note's title, with what tells it apart when other notes have that title too."""
        label = self.labels.get(path)
        return f"{title or path}{SEPARATOR}{label}" if label else (title or path)


def parts(path: str, title: str) -> list[tuple[str, str]]:
    """(part, separator before it) of a path's folders and dot-separated file name, less the `.md` and a
    file name (or its last part) that only repeats the title: `dendron.topic.cli.md` of "CLI" has
    dendron, topic."""
    stem = path[:-3] if path.lower().endswith(".md") else path
    folders, _, name = stem.rpartition("/")
    out = [(folder, "/") for folder in folders.split("/")] if folders else []
    pieces = [] if fold(name) == fold(title) else name.split(".")
    if pieces and fold(pieces[-1]) == fold(title):
        pieces.pop()
    out.extend((piece, ".") for piece in pieces)
    return out


def distinguishing(paths: list[str], title: str) -> dict[str, str]:
    """For notes sharing `title`: path → the shortest part of its path that tells it apart (see above)."""
    split = {p: parts(p, title) for p in paths}
    place = _telling_place(list(split.values()))
    if place is not None:
        return {p: split[p][place][0] for p in paths}
    seen: dict[str, int] = {}
    for p in paths:
        for part in {fold(x) for x, _ in split[p]}:
            seen[part] = seen.get(part, 0) + 1
    labels = {p: _label(p, split, seen) for p in paths}
    counts: dict[str, int] = {}
    for label in labels.values():
        counts[label] = counts.get(label, 0) + 1
    return {p: label if counts[label] == 1 and label else p for p, label in labels.items()}


def _telling_place(split: list[list[tuple[str, str]]]) -> int | None:
    """The folder place among paths of as many parts where every path has a folder of its own (the one whose
    longest name is shortest, then the nearest the file), or None. (Not among a Dendron name's parts, where
    the part nearest the file says most: `Traits · note-traits`, not `· feature`.)"""
    if len({len(p) for p in split}) != 1:
        return None
    places = [(max(len(p[k][0]) for p in split), -k) for k in range(len(split[0]))
              if all(p[k][1] == "/" for p in split) and len({fold(p[k][0]) for p in split}) == len(split)]
    return -min(places)[1] if places else None


def _label(path: str, split: dict[str, list[tuple[str, str]]], seen: dict[str, int]) -> str:
    mine = split[path]
    alone = [x for x, _ in mine if seen[fold(x)] == 1]
    if alone:
        return alone[-1]  # the nearest the file: the most particular part
    for k in range(1, len(mine) + 1):
        tail = _joined(mine[-k:])
        if all(_joined(other[-k:]) != tail for p, other in split.items() if p != path):
            return tail
    return path


def _joined(tail: list[tuple[str, str]]) -> str:
    return "".join((sep if k else "") + part for k, (part, sep) in enumerate(tail))
