"""The concepts of a note, a part of `Index`: the words that say what the note is about.

A note's vector weighs its words by TF-IDF spread along CBOW neighbours (`index/notevectors.py`). Ranked by
that weight alone, a hub note's concepts were its filler: its subjects come once each from its link text,
while `written` or `best`, written twice in it and in a few other notes, weigh as much. Of the
`ConceptsConfig.candidates` heaviest words, concepts are ranked by

    weight * burstiness^b,   burstiness = count / df

count: the word's occurrences in the vault's text, df: the notes holding it. A subject is repeated within
the few notes about it; filler is written once here and once there (benchmarks/concepts_judged.py).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from notelink.config import ConceptsConfig
from notelink.index.arrays import load_array
from notelink.index.layout import Layout
from notelink.query.answers import Concept, NoteInfo


class NoteConcepts:
    """`Index.concepts` (a part of `Index`: its note vectors, vocabulary and counts, and search postings)."""

    gen: Path
    layout: Layout
    _parts: tuple[np.ndarray, np.ndarray, np.ndarray]
    concepts_config: ConceptsConfig = ConceptsConfig()
    """How concepts are ranked (the built-in ranking unless set)."""

    def words_of(self, ids: Sequence[int]) -> dict[int, str]:
        raise NotImplementedError

    def counts_of(self, ids: Sequence[int]) -> dict[int, int]:
        raise NotImplementedError

    def concepts(self, note: NoteInfo, top: int = 10) -> list[Concept]:
        """The note's concepts, best first (within the candidates, then within the words past them): of the
        whole words weighing most in its vector (its own words and their CBOW neighbours), ranked by weight *
        burstiness^b. Score: that product over the candidates' (their vector of products scaled to unit
        length); `rare`: seen fewer than `rare_below` times. A `top` past the candidates extends the list
        with the next heaviest words, ranked so among themselves: the candidates keep their order and scores
        (ranking all `top` together had reordered them), and a word past them may score above the last."""
        n = self.concepts_config.candidates
        cols, vals, name = self._heaviest(note, max(n, top))
        weight = vals * self.burstiness(cols) ** self.concepts_config.burstiness  # [c]
        norm = float(np.linalg.norm(weight[:n])) or 1.0
        first = min(n, cols.size)
        order = [*_ranked(weight, cols, range(first)), *_ranked(weight, cols, range(first, cols.size))][:top]
        picked = [int(cols[k]) for k in order]
        counts, rare = self.counts_of(picked), self.concepts_config.rare_below
        return [Concept(name[c], round(float(weight[k] / norm), 4), counts.get(c, 0) < rare)
                for k, c in zip(order, picked, strict=True)]

    def _heaviest(self, note: NoteInfo, n: int) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
        """The note's n heaviest whole words: word ids [c] and their weights [c], heaviest first (ties by
        id), and the words by id. Only the heaviest are looked up: 2n, then all when too few are whole."""
        data, indices, indptr = self._parts
        row = slice(int(indptr[note.id]), int(indptr[note.id + 1]))  # (the row's stored entries, in order)
        words = indices[row] < self.layout.words
        cols, vals = indices[row][words], data[row][words].astype(np.float64)
        order = np.lexsort((cols, -vals))  # [m] heaviest first
        kept, name = self._whole(cols, order[: 2 * n])
        if kept.size < n and 2 * n < order.size:
            kept, name = self._whole(cols, order)
        return cols[kept[:n]], vals[kept[:n]], name

    def _whole(self, cols: np.ndarray, picked: np.ndarray) -> tuple[np.ndarray, dict[int, str]]:
        """Of the entries `picked` [k], those whose words are whole (parts of words, the bigrams of scripts
        written without spaces, are no concepts), in order; and the picked words by id."""
        from notelink.notes.tokenizer import is_fragment  # (only here: most queries need no tokenizer)

        name = self.words_of(cols[picked].tolist())
        whole = np.array([not is_fragment(name[c]) for c in cols[picked].tolist()], dtype=bool)
        return picked[whole] if picked.size else picked, name

    def burstiness(self, ids: np.ndarray) -> np.ndarray:
        """[k] each word's occurrences over the notes holding it (at least 1); all 1 for an index without
        search postings (where the notes holding each word are counted)."""
        holding = self._holding
        if holding is None or not ids.size:
            return np.ones(ids.size)
        counts = self.counts_of(ids.tolist())
        df = np.maximum(holding[ids + 1] - holding[ids], 1)  # [k]
        return np.maximum(np.array([counts.get(int(i), 1) for i in ids], dtype=np.float64) / df, 1.0)

    @functools.cached_property
    def _holding(self) -> np.ndarray | None:
        """[S + 1] the search postings' row starts (memory-mapped): word w is in holding[w+1] - holding[w]
        notes (a word's search id is its vocabulary id); None when the generation has no search data."""
        try:
            holding = np.asarray(load_array(self.gen, "search_terms_indptr"))
        except (OSError, ValueError):
            return None
        return holding if holding.ndim == 1 and holding.size > self.layout.words else None


def _ranked(weight: np.ndarray, cols: np.ndarray, among: range) -> list[int]:
    """The positions `among` by weight, highest first (ties by word id: the same index, the same list)."""
    return sorted(among, key=lambda k: (-weight[k], int(cols[k])))
