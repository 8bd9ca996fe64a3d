"""A loaded index generation and the questions asked of it: related notes, concepts, similar words.

Reading needs only numpy and sqlite3, so queries and the TUI start without importing torch.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from notelink.links import Resolver
from notelink.notevectors import unit_rows
from notelink.store import IndexMissing, current_generation, load_array, open_generation


@dataclass(frozen=True)
class NoteInfo:
    id: int
    path: str
    title: str
    aliases: list[str]
    tags: list[str]


@dataclass(frozen=True)
class Related:
    path: str
    title: str
    score: float
    linked: bool


@dataclass(frozen=True)
class Scored:
    word: str
    score: float


class NotFound(LookupError):
    """A note or word the index does not know; `suggestions` are close matches."""

    def __init__(self, what: str, name: str, suggestions: list[str]) -> None:
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no {what} named {name!r} in the index{hint}")
        self.suggestions = suggestions


class Index:
    """One generation of a vault's index, read-only."""

    def __init__(self, gen: Path) -> None:
        self.gen = gen
        self.db, self.meta = open_generation(gen)
        rows = self.db.execute("SELECT id, path, title, aliases FROM notes ORDER BY id").fetchall()
        tags: dict[int, list[str]] = {}
        for note, tag in self.db.execute("SELECT note, tag FROM tags ORDER BY rowid"):
            tags.setdefault(note, []).append(tag)
        self.notes = [NoteInfo(i, p, t, json.loads(a), tags.get(i, [])) for i, p, t, a in rows]
        self.by_path = {n.path: n for n in self.notes}
        self.words = [w for (w,) in self.db.execute("SELECT word FROM vocab ORDER BY id")]
        self.word_index = {w: i for i, w in enumerate(self.words)}
        self.note_vecs = np.asarray(load_array(gen, "notes"))  # [N, D'] unit rows
        self.word_vecs = unit_rows(np.asarray(load_array(gen, "syn0")))  # [V, D] unit rows
        self._links: dict[int, set[int]] = {}
        for src, dst in self.db.execute("SELECT src, dst FROM links WHERE dst IS NOT NULL"):
            if src != dst:
                self._links.setdefault(src, set()).add(dst)
                self._links.setdefault(dst, set()).add(src)
        self._resolver = Resolver((n.path, n.title, n.aliases) for n in self.notes)

    @classmethod
    def open(cls, index_dir: Path) -> Index:
        gen = current_generation(index_dir)
        if gen is None:
            raise IndexMissing(f"no index at {index_dir}")
        return cls(gen)

    def close(self) -> None:
        self.db.close()

    # -- lookups -----------------------------------------------------------------------------
    def find_note(self, query: str) -> NoteInfo:
        """A note by relative path, file name or title; NotFound lists close matches."""
        path = self._resolver.find(query.removeprefix("./"))
        if path is None:
            names = [n.path for n in self.notes] + [n.title for n in self.notes]
            raise NotFound("note", query, difflib.get_close_matches(query, names, n=5, cutoff=0.5))
        return self.by_path[path]

    def word_id(self, word: str) -> int:
        key = word.lower()
        if key not in self.word_index:
            raise NotFound("word", word, difflib.get_close_matches(key, self.words, n=5, cutoff=0.6))
        return self.word_index[key]

    def linked(self, note_id: int) -> set[int]:
        """Notes linked to or from this one."""
        return self._links.get(note_id, set())

    # -- queries -----------------------------------------------------------------------------
    def related(self, note: NoteInfo, top: int = 10, unlinked: bool = False) -> list[Related]:
        """Most similar notes by cosine of note vectors, best first, the note itself left out."""
        scores = self.note_vecs @ self.note_vecs[note.id]  # [N]
        scores[note.id] = -np.inf
        links = self.linked(note.id)
        if unlinked and links:
            scores[list(links)] = -np.inf
        out: list[Related] = []
        for j in _top(scores, top):
            other = self.notes[j]
            out.append(Related(other.path, other.title, round(float(scores[j]), 4), j in links))
        return out

    def concepts(self, note: NoteInfo, top: int = 10) -> list[Scored]:
        """Vault words closest (cosine) to the note's vector."""
        vec = self.note_vecs[note.id]
        if not vec.any() or vec.shape[0] != self.word_vecs.shape[1]:
            return []
        scores = self.word_vecs @ vec  # [V]
        return [Scored(self.words[j], round(float(scores[j]), 4)) for j in _top(scores, top)]

    def similar(self, word: str, top: int = 10) -> list[Scored]:
        """Words closest (cosine) to a word."""
        i = self.word_id(word)
        scores = self.word_vecs @ self.word_vecs[i]  # [V]
        scores[i] = -np.inf
        return [Scored(self.words[j], round(float(scores[j]), 4)) for j in _top(scores, top)]

    def skipped(self) -> list[dict[str, str]]:
        rows = self.db.execute("SELECT path, reason FROM files WHERE status = 'skipped' ORDER BY path")
        return [{"path": p, "reason": r} for p, r in rows]

    def files(self) -> list[tuple[str, str, str]]:
        """Every file the index looked at: (path, indexed | skipped, reason or warning)."""
        return self.db.execute("SELECT path, status, reason FROM files ORDER BY path").fetchall()

    def model_info(self) -> dict[str, Any]:
        return dict(self.meta.get("model", {}))


def _top(scores: np.ndarray, k: int) -> list[int]:
    """Indices of the k best finite scores, best first (ties by index, for stable output)."""
    finite = np.flatnonzero(np.isfinite(scores))
    if finite.size == 0 or k <= 0:
        return []
    k = min(k, finite.size)
    part = finite[np.argpartition(-scores[finite], k - 1)[:k]]
    return sorted(part.tolist(), key=lambda j: (-scores[j], j))
