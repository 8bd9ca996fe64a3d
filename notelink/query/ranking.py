"""Every note ranked against every other: the related notes of a whole vault, in blocks of notes.

Exports, the in-note block and the health report need every note's related notes; one note at a time
(`Index.related`) that would be N sparse products, so blocks of notes are multiplied at once.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from notelink.notes.ignore import Ignore
from notelink.query.index import Index

_BLOCK = 256
_THREADS = min(2, os.cpu_count() or 1)
_DENSE_COLUMNS = 1024  # at most this many columns multiplied as dense matrices in `_BlockScores`...
_DENSE_BYTES = 256 << 20  # ... holding at most this much ...
_DENSE_SHARE = 0.02  # ... and each used by this share of the notes


def related_all(index: Index, top: int, unlinked: bool = False, min_score: float | None = None,
                exclude: tuple[str, ...] = ()) -> Iterator[tuple[int, list[tuple[int, float]]]]:
    """(note id, [(other id, score)...]) for every note, best first, computed in blocks of notes.

    `unlinked` leaves out notes linked either way; `min_score` drops scores below it; notes matching the
    `exclude` patterns (gitignore syntax) are neither listed nor listed as related."""
    left_out = excluded(index, exclude)
    out = np.fromiter(left_out, dtype=np.int64, count=len(left_out))
    for start, block in _blocks(_BlockScores(index), len(index.notes)):
        for r, scores in enumerate(block):
            if start + r in left_out:
                continue
            scores[out] = 0.0
            hits = index.rank(start + r, scores, top, unlinked)
            yield start + r, [(j, s) for j, s in hits if min_score is None or s >= min_score]


def excluded(index: Index, patterns: tuple[str, ...]) -> set[int]:
    """Ids of the notes that the patterns (gitignore syntax, vault-relative) leave out."""
    if not patterns:
        return set()
    ignore = Ignore(Path(str(index.meta.get("vault", "."))), patterns)
    return {n.id for n in index.notes if ignore.excluded_by_patterns(n.path)}


class _BlockScores:
    """Cosines of a block of notes with every note [b, N]. The columns most notes use (the CBOW part, then
    the commonest words) are multiplied as dense matrices by BLAS; the sparse rest against a transposed
    copy made once. A sparse product's work grows with the square of a column's non-zeros: at 100k notes
    the 300 commonest words were 79% of it. (The product with `note_vecs.T`, converted at every block and
    with every column sparse, took 10.6 s a block at 100k notes.)"""

    def __init__(self, index: Index) -> None:
        self.index = index
        X = index.note_vecs  # [N, V+N+D(+languages)] sparse unit rows
        used = np.bincount(X.indices, minlength=X.shape[1])  # [C] notes using each column
        k = int(min(_DENSE_COLUMNS, max(1, _DENSE_BYTES // (4 * max(1, X.shape[0]))),
                    np.count_nonzero(used >= _DENSE_SHARE * X.shape[0])))
        heavy = np.zeros(X.shape[1], dtype=bool)
        heavy[np.argsort(-used, kind="stable")[:k]] = True
        self.dense = X[:, np.flatnonzero(heavy)].toarray()  # [N, k]
        self.sparse = X[:, np.flatnonzero(~heavy)].tocsr()  # [N, C - k]
        self.sparse_t = self.sparse.T.tocsr()  # [C - k, N]

    def __call__(self, start: int) -> np.ndarray:
        stop = start + _BLOCK
        cosines = self.dense[start:stop] @ self.dense.T + (self.sparse[start:stop] @ self.sparse_t).toarray()
        return self.index.with_references(start, cosines)


def _blocks(scores: _BlockScores, n: int) -> Iterator[tuple[int, np.ndarray]]:
    """(start, scores of notes start..start+_BLOCK) in order, `_THREADS` blocks computed at once (scipy's
    sparse products release the GIL) and no more than that waiting, so memory stays a few blocks."""
    with ThreadPoolExecutor(_THREADS) as pool:
        pending: deque[tuple[int, Future[np.ndarray]]] = deque()
        for start in range(0, n, _BLOCK):
            pending.append((start, pool.submit(scores, start)))
            if len(pending) > _THREADS:
                first, done = pending.popleft()
                yield first, done.result()
        while pending:
            first, done = pending.popleft()
            yield first, done.result()
