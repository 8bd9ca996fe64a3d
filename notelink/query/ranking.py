"""Every note ranked against every other: the related notes of a whole vault, in blocks of notes.

Exports, the in-note block and the health report need every note's related notes; one note at a time
(`Index.related`) that would be N sparse products, so blocks of notes are multiplied at once, each pair of
notes once (the scores are symmetric), and each block's rows ranked at once (`select`).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import scipy.sparse as sp

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
    `exclude` patterns (gitignore syntax) are neither listed nor listed as related. The scores are
    symmetric, so each pair is scored once (`_BlockScores`): a block's tile gives its own notes
    their scores with the notes from it on, and the notes below it their scores with the block's notes,
    kept as each one's best so far (`_Running`)."""
    left_out = excluded(index, exclude)
    n = len(index.notes)
    leave_out = _LeaveOut(index, left_out, unlinked)
    running = _Running(n, top)
    for start, tile in _blocks(_BlockScores(index), n):
        b = tile.shape[1]
        leave_out(start, tile)
        running.add(start + b, start, tile[b:])
        for r, hits in enumerate(running.finish(start, tile.T)):
            if start + r not in left_out:
                yield start + r, [(j, s) for j, s in hits if min_score is None or s >= min_score]


class _LeaveOut:
    """Zeroes in a tile what no row may list: excluded notes, the note itself and, with `unlinked`, the
    notes linked to it either way (as `Index.rank` does for one note)."""

    def __init__(self, index: Index, left_out: set[int], unlinked: bool) -> None:
        n = len(index.notes)
        self.out = np.array(sorted(left_out), dtype=np.int64)
        pairs = [(i, j) for i in range(n) for j in index.linked(i)] if unlinked else []
        rows, cols = (np.array(side, dtype=np.int64) for side in zip(*pairs, strict=True)) if pairs else (
            np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        self.links = sp.csr_matrix((np.ones(rows.size, dtype=np.int8), (rows, cols)), shape=(n, n))  # [N, N]

    def __call__(self, start: int, tile: np.ndarray) -> None:
        """`tile` [N - start, b]: notes start.. (rows) with notes start..start+b (columns)."""
        b = tile.shape[1]
        tile[self.out[self.out >= start] - start, :] = 0.0
        tile[:, self.out[(self.out >= start) & (self.out < start + b)] - start] = 0.0
        tile[np.arange(b), np.arange(b)] = 0.0
        linked = self.links[start:, start : start + b].tocoo()
        tile[linked.row, linked.col] = 0.0


class _Running:
    """Each note's `k` best (other note, score) among the notes scored so far [N, k]: a row's kept notes
    in ascending order, before those of the next tile, so that position order is note order (ties go to
    the lower id, as in `best`); score 0 marks an empty place."""

    def __init__(self, n: int, k: int) -> None:
        self.k = max(0, min(k, n))
        self.scores = np.zeros((n, self.k), dtype=np.float32)  # [N, k]
        self.ids = np.zeros((n, self.k), dtype=np.int64)  # [N, k]

    def add(self, first: int, start: int, part: np.ndarray) -> None:
        """Scores of notes first.. with notes start..start+b [m, b], kept where among each one's best: only
        rows with a score above their k-th best so far are merged (after a few tiles, few are)."""
        k = self.k
        if part.shape[0] == 0 or k == 0:
            return
        kth = self.scores[first : first + part.shape[0]].min(axis=1)  # [m] k-th best so far (0: places left)
        rows = first + np.flatnonzero(part.max(axis=1) > kth)  # (a tie goes to the lower id: the kept one)
        merged, at, scores = select(np.concatenate([self.scores[rows], part[rows - first]], axis=1), k)
        ids = self._ids(rows[merged], at, start)
        order = np.lexsort((ids, merged))  # each row's notes ascending
        merged, ids, scores = merged[order], ids[order], scores[order]
        place = np.arange(merged.size) - np.searchsorted(merged, merged)
        self.scores[rows], self.ids[rows] = 0.0, 0
        self.scores[rows[merged], place], self.ids[rows[merged], place] = scores, ids

    def finish(self, start: int, tail: np.ndarray) -> list[list[tuple[int, float]]]:
        """The best of notes start..start+b: their best with the notes before (the rest of those could
        not be listed) and their scores with notes start.. (`tail` [b, N - start])."""
        rows = np.arange(start, start + tail.shape[0])
        merged, at, scores = select(np.concatenate([self.scores[rows], tail], axis=1), self.k)
        out: list[list[tuple[int, float]]] = [[] for _ in range(tail.shape[0])]
        ids = self._ids(rows[merged], at, start)
        for r, j, score in zip(merged.tolist(), ids.tolist(), scores.tolist(), strict=True):
            out[r].append((j, score))
        return out

    def _ids(self, rows: np.ndarray, at: np.ndarray, start: int) -> np.ndarray:
        """The notes at places `at` of merged rows: a kept one, else note start + (at - k) of the tile."""
        k = self.k
        return np.where(at < k, self.ids[rows, np.minimum(at, k - 1)], start + at - k)


def select(block: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, columns, scores) of each row's `k` best positive scores of a block [b, W]: by row, best
    first, ties by column. One partition of the whole block finds each row's k-th best score, then only
    the few at or above it are sorted (per row, `argpartition` and the Python around it were 6.6 s of 16
    at 10k notes)."""
    b, w = block.shape
    k = min(k, w)
    if k <= 0 or b == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=block.dtype)
    kth = np.partition(block, w - k, axis=1)[:, w - k]  # [b] each row's k-th best score
    rows, cols = np.nonzero((block >= kth[:, None]) & (block > 0))  # ties at the k-th: several
    scores = block[rows, cols]
    order = np.lexsort((cols, -scores, rows))  # by row, best first, ties by column
    rows, cols, scores = rows[order], cols[order], scores[order]
    keep = np.arange(rows.size) - np.searchsorted(rows, rows) < k  # [P] its place in its row
    return rows[keep], cols[keep], scores[keep]


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
        """The tile of notes start.. (rows) with notes start..start+b (columns) [N - start, b]: the scores
        of the block's notes with the notes from it on, and of the notes below with the block's."""
        stop = start + _BLOCK
        below = self.sparse[start:stop].T.tocsr()  # [C - k, b]
        tile = self.dense[start:] @ self.dense[start:stop].T + (self.sparse[start:] @ below).toarray()
        return self.index.with_references(start, tile, slice(start, stop))


def _blocks(scores: _BlockScores, n: int) -> Iterator[tuple[int, np.ndarray]]:
    """(start, the tile of notes start..start+_BLOCK) in order, `_THREADS` blocks computed at once (scipy's
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
