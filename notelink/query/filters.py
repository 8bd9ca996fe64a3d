"""The filters of a search (`notelink search`, the app's search, `--batch`, the API): `#tag`, `path:TEXT`,
the notes to leave out (`exclude`: the note being written), and which of them match no note."""

from __future__ import annotations

import functools
from collections.abc import Collection
from pathlib import Path

import numpy as np

from notelink.errors import NotFound
from notelink.notes.vault import path_in_vault
from notelink.query.index import Index
from notelink.query.syntax import Query


class Filters:
    """The filters of one loaded index's searches; each note's lowercase path and tags made at first use."""

    def __init__(self, index: Index, vault: Path) -> None:
        self.index, self.vault, self.N = index, vault, len(index.notes)

    def excluded(self, names: Collection[str]) -> tuple[list[int], list[str]]:
        """The notes `names` name, as `related` reads a note (a path in the vault, a path to the file from
        here or absolute, a title, alias or file name), and the names that name no note of the index."""
        ids, unknown = [], []
        for name in dict.fromkeys(names):
            try:
                ids.append(self.index.find_note(path_in_vault(self.vault, name)).id)
            except NotFound:
                unknown.append(name)
        return ids, unknown

    def allowed(self, parsed: Query, exclude: list[int]) -> np.ndarray | None:
        """[N] bool: the notes the filters leave, less the notes `exclude`; None: all."""
        if not (parsed.filtered or exclude):
            return None
        ok = np.ones(self.N, dtype=bool)
        for text in parsed.paths:
            ok &= np.char.find(self._paths, text) >= 0
        for tag in parsed.tags:
            tagged = np.zeros(self.N, dtype=bool)
            tagged[self._tagged.get(tag, [])] = True
            ok &= tagged
        ok[exclude] = False
        return ok

    def only(self, allowed: np.ndarray | None, top: int) -> list[int]:
        """A query of filters only: the first `top` notes they leave, by path."""
        ids = range(self.N) if allowed is None else np.flatnonzero(allowed).tolist()
        return sorted(ids, key=lambda j: self.index.notes[j].path)[:top]

    def unmatched(self, parsed: Query, phrases: list[list[str] | None]) -> list[str]:
        """The filters and phrases that no note matches on their own (`#tag`, `path:TEXT`, `"phrase"` with
        a word no note has): said, so an empty answer has its reason."""
        out = [f"#{tag}" for tag in parsed.tags if not self._tagged.get(tag)]
        out += [f"path:{text}" for text in parsed.paths if not (np.char.find(self._paths, text) >= 0).any()]
        return out + [f'"{p}"' for p, ids in zip(parsed.phrases, phrases, strict=True) if ids is None]

    @functools.cached_property
    def _paths(self) -> np.ndarray:
        """[N] the notes' paths, lowercase (for path: filters)."""
        return np.array([n.path.lower() for n in self.index.notes])

    @functools.cached_property
    def _tagged(self) -> dict[str, list[int]]:
        """Tag (lowercase) -> notes with it or a tag under it (`a/b` is under `a`)."""
        out: dict[str, set[int]] = {}
        for note in self.index.notes:
            for tag in note.tags:
                parts = tag.lower().split("/")
                for k in range(1, len(parts) + 1):
                    out.setdefault("/".join(parts[:k]), set()).add(note.id)
        return {t: sorted(ids) for t, ids in out.items()}
