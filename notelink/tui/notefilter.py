"""The notes list's order and filter: titles compared as people compare them (case, accents, digit runs by
value), the vault's home note, and `NoteFilter`, every note folded once per index so a keystroke only
tests substrings. No textual here, so they are tested directly."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from notelink.notes.links import shared_folders
from notelink.notes.names import file_stem
from notelink.query.answers import NoteInfo

HOME_NAMES = ("home", "index", "readme", "start here", "welcome", "root", "_index")
"""File names (or titles) of a vault's home note, which the app opens on a vault's first visit; the vault's
own folder name counts too. Dendron's is `root.md`."""

_ACCENTS = re.compile("[\u0300-\u036f]+")  # combining diacritics of Latin, Greek, Cyrillic, Vietnamese
_DIGITS = re.compile(r"[0-9]+")
_LONGEST_NUMBER = 0xD7F0  # digits whose count one character encodes in `_natural` (below the surrogates)


def fold(text: str) -> str:
    """Text as people compare it when searching: case-folded, accents dropped ("Émile" = "emile"),
    compatibility forms unified (full-width, ligatures); other scripts keep their composed letters."""
    if text.isascii():
        return text.casefold()
    return unicodedata.normalize("NFC", _ACCENTS.sub("", unicodedata.normalize("NFKD", text))).casefold()


def _natural(text: str) -> str:
    """`fold(text)` with its runs of digits sorting by value, so "1.3.5" sorts before "1.10" and "Day 9"
    before "Day 10": each run becomes NUL (before any text), its digit count, its digits (leading zeros
    dropped). One string compares in C, faster than a tuple of text and numbers, and needs no int() (a
    title of 5,000 digits is over Python's limit for converting one)."""
    return _DIGITS.sub(_number, fold(text))


def _number(match: re.Match[str]) -> str:
    digits = match.group().lstrip("0")
    return "\0" + chr(1 + min(len(digits), _LONGEST_NUMBER)) + digits


def sort_key(note: NoteInfo) -> tuple[str, str]:
    """Notes sort by title as people expect (case, accents and digit runs, see `_natural`), then path."""
    return (_natural(note.title), fold(note.path))


def home_note(notes: Sequence[NoteInfo], vault_name: str = "", titles: Sequence[str] | None = None
              ) -> NoteInfo | None:
    """The vault's home note (`HOME_NAMES` or the vault's name, nearest the top folder first), if any;
    `titles`: the notes' folded titles when known (`NoteFilter.titles`: 100k notes, 0.4 s less)."""
    rank = {name: k for k, name in enumerate([*HOME_NAMES, fold(vault_name)]) if name}
    titles = titles if titles is not None else [fold(n.title) for n in notes]
    best: tuple[int, int, tuple[str, str]] | None = None
    found = None
    for note, title in zip(notes, titles, strict=True):
        stem = file_stem(note.path)
        k = min(rank.get(fold(stem), len(rank)), rank.get(title, len(rank)))
        if k < len(rank):
            key = (note.path.count("/"), k, sort_key(note))
            if best is None or key < best:
                best, found = key, note
    return found


class NoteFilter:
    """Every note in display order with its folded title, names and search text, computed once per index, so
    a keystroke in the filter only tests substrings (100k notes: sorting and folding on every keystroke
    took 0.25-0.5 s)."""

    def __init__(self, notes: Sequence[NoteInfo]) -> None:
        self.notes = sorted(notes, key=sort_key)
        self.titles = [fold(n.title) for n in self.notes]
        self.paths = [fold(n.path) for n in self.notes]
        self.texts = [" ".join([title, path, *("#" + fold(t) for t in n.tags)])
                      for title, path, n in zip(self.titles, self.paths, self.notes, strict=True)]

    def __call__(self, query: str, near: str = "") -> list[NoteInfo]:
        """Notes matching every word of `query` in title, path or tags (`#tag` too), best matches first
        (`_rank`), each rank in display order; of the notes the query names (its title, path or file name:
        translations in a multilingual vault, one name in several folders), those nearest note `near` (the
        one shown) first, as a link written there would resolve (`links.shared_folders`)."""
        terms = fold(query).split()
        if not terms:
            return list(self.notes)
        found = [i for i, text in enumerate(self.texts) if all(t in text for t in terms)]
        return [self.notes[i] for i in sorted(found, key=lambda i: self._key(i, terms, near))]

    def _key(self, i: int, terms: list[str], near: str) -> tuple[int, int, int]:
        """Rank, then (for a note the query names) nearness to `near`, then display order."""
        rank = self._rank(i, terms)
        return rank, -shared_folders(near, self.notes[i].path) if near and rank <= 1 else 0, i

    def _rank(self, i: int, terms: list[str]) -> int:
        """0: the query is the note's title or path; 1: its file name (either with or without `.md`); 2: its
        title or file name starts with the query; 3: its title holds every word; 4: its path starts with the
        query (a folder); 5: the rest. (Ranked by title alone, `dendron.topic.lookup` opened "Creating
        Notes", `dendron.topic.lookup.create.md`, the first of the notes whose paths all matched alike.)"""
        query, title, path = " ".join(terms), self.titles[i], self.paths[i]
        name = path.rpartition("/")[2]
        if query in (title, path) or query + ".md" == path:
            return 0
        if query == name or query + ".md" == name:
            return 1
        if title.startswith(query) or name.startswith(query):
            return 2
        if all(t in title for t in terms):
            return 3
        return 4 if path.startswith(query) else 5


def filter_notes(notes: Sequence[NoteInfo], query: str, near: str = "") -> list[NoteInfo]:
    """`NoteFilter(notes)(query, near)` for one query; the app keeps its NoteFilter between keystrokes."""
    return NoteFilter(notes)(query, near)
