"""The references by file name of `Index`, a part of it: a note naming another by its whole file name raises
that pair's related-note score (`notelink/index/references.py`: what the build keeps, and the formula).
"""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from notelink.index.arrays import load_array
from notelink.query.answers import NoteInfo

if TYPE_CHECKING:  # (scipy is imported where note vectors are multiplied)
    import scipy.sparse as sp


class NoteReferences:
    """`Index.references` and `with_references` (a part of `Index`: its generation, notes, database, meta,
    vocabulary and counts)."""

    gen: Path
    notes: list[NoteInfo]
    db: sqlite3.Connection
    meta: dict[str, Any]

    @property
    def words(self) -> list[str]:
        raise NotImplementedError  # (`Index.words`, read when first asked for; as `word_counts`)

    @property
    def word_counts(self) -> np.ndarray:
        raise NotImplementedError

    @functools.cached_property
    def references(self) -> sp.csr_matrix | None:
        """[N, N] how strongly each pair of notes refers to each other by file name (notelink/index/
        references.py); None for an index written before they were kept."""
        parts = [load_array(self.gen, f"named_{p}") if (self.gen / f"named_{p}.npy").exists() else None
                 for p in ("src", "dst", "count")]
        if any(p is None for p in parts):
            return None
        from notelink.index.references import reference_matrix

        src, dst, share = (np.asarray(p) for p in parts)
        chance = self._chance(dst, share) if self.reference_chance and dst.size else None
        return reference_matrix(src, dst, share, len(self.notes), chance)

    def _chance(self, dst: np.ndarray, share: np.ndarray) -> np.ndarray:
        """[N] how much of each named note's file-name occurrences chance explains: as the build saved it
        (`named_chance`), else worked out here for an index from before (`_by_chance`)."""
        if (self.gen / "named_chance.npy").exists():
            return np.asarray(load_array(self.gen, "named_chance"), dtype=np.float64)
        return self._by_chance(dst, share)

    def _by_chance(self, dst: np.ndarray, share: np.ndarray) -> np.ndarray:
        """[N] how much of each named note's file-name occurrences chance explains (`references.chance_of`),
        from the named notes' file names and the vocabulary's counts (10,005 notes, 8,396 named: 0.2 s;
        2,322 notes 0.04 s, so about 2 s at 100k: a build saves it for queries)."""
        from notelink.index.references import chance_of
        from notelink.notes.names import file_name_tokens

        where = {i: (path, lang) for i, path, lang in self.db.execute("SELECT id, path, lang FROM notes")}
        return chance_of(len(self.notes), lambda j: file_name_tokens(*where[j]), dst, share, self.words,
                         self.word_counts)

    @functools.cached_property
    def reference_chance(self) -> bool:
        """Whether a file name's reference weight is lowered by chance (`NoteVectorConfig.reference_chance`;
        on for an index built before it existed: it reads only what every index keeps)."""
        return bool(self.meta.get("config", {}).get("vectors", {}).get("reference_chance", True))

    @functools.cached_property
    def reference_weight(self) -> float:
        """How much a reference by file name raises a related note's score (`NoteVectorConfig.w_reference`,
        as the index was built with; 0 before it existed)."""
        return float(self.meta.get("config", {}).get("vectors", {}).get("w_reference", 0.0))

    def with_references(self, start: int, scores: np.ndarray, cols: slice = slice(None)) -> np.ndarray:
        """Cosines of notes start.. with the notes `cols` (every note) [b, len(cols)], raised for the pairs
        that refer to each other by file name."""
        r = self.references
        if r is None or not self.reference_weight:
            return scores
        from notelink.index.references import boosted

        return boosted(scores, r[start : start + scores.shape[0], cols], self.reference_weight)
