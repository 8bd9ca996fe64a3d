"""The search data's postings: word-major CSR matrices (a row a word, an entry a note holding it), memory-
mapped, of which a query reads only its own words' rows (`Rows`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from notelink.index.arrays import load_array


def csr_parts(gen: Path, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A word-major CSR matrix's arrays, memory-mapped, as plain ndarrays (slicing a `np.memmap` costs
    ~10 µs of Python in its subclass hooks)."""
    return tuple(np.asarray(load_array(gen, f"{name}_{part}")) for part in ("indptr", "indices", "data"))  # type: ignore[return-value]


@dataclass
class Rows:
    """The postings rows of a query's words [k], read once, end to end: the p-th word's row is entries
    start[p]:start[p+1], each a note `note[i]` with its stored value `value[i]`."""

    start: np.ndarray  # [k + 1] int64
    note: np.ndarray  # [m] int32
    value: np.ndarray  # [m] float32

    @classmethod
    def of(cls, parts: tuple[np.ndarray, np.ndarray, np.ndarray], ids: np.ndarray) -> Rows:
        """The rows of `ids` [k] from a word-major CSR matrix's arrays: only those rows are read, each
        copied once (a slice a row: on 100k notes a query's rows hold millions of entries)."""
        indptr, indices, data = parts
        lo, hi = indptr[ids], indptr[ids + 1]  # [k]
        spans = list(zip(lo.tolist(), hi.tolist(), strict=True))
        start = np.concatenate([[0], np.cumsum(hi - lo)]).astype(np.int64)
        return cls(start, np.concatenate([indices[a:b] for a, b in spans]),
                   np.concatenate([data[a:b] for a, b in spans]))

    def total(self, w: np.ndarray, N: int) -> np.ndarray:
        """[N] sum over the words of w[word] times the word's row (float32 products, float64 sums)."""
        product = np.repeat(w.astype(np.float32), np.diff(self.start))  # [m]
        product *= self.value
        return np.bincount(self.note, weights=product, minlength=N)

    def notes_of(self, words: np.ndarray, N: int) -> np.ndarray:
        """[N] bool: the notes in the rows of the words `words` ([k] bool) picks."""
        out = np.zeros(N, dtype=bool)
        out[self.note[np.repeat(words, np.diff(self.start))]] = True
        return out

    def holding(self, notes: list[int], N: int) -> list[np.ndarray]:
        """For each of `notes`, the positions (ascending) of the words whose rows hold it."""
        slot = np.full(N, -1, dtype=np.int64)
        slot[notes] = np.arange(len(notes))
        mark = slot >= 0
        at = np.flatnonzero(mark[self.note])  # [h] the entries of `notes`, in row order
        hit = slot[self.note[at]]  # [h] which of `notes`
        word = np.searchsorted(self.start, at, side="right") - 1  # [h] whose row
        by_note = np.argsort(hit, kind="stable")  # words stay ascending within a note
        return np.split(word[by_note], np.cumsum(np.bincount(hit, minlength=len(notes)))[:-1])
