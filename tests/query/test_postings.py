"""The postings rows a query reads, against the whole matrices they come from (the search data of
test_search's small vault)."""

import numpy as np

from notelink.query.postings import Rows
from notelink.query.search import Searcher

from .test_search import _matrix, built, searcher

__all__ = ["built", "searcher"]  # the fixtures, shared with test_search


def test_rows_read_once_score_and_explain_as_the_whole_matrix(searcher: Searcher) -> None:
    """The postings rows a query reads (`Rows`) give the same sums as the full word-major matrix, and say
    which words each note holds exactly where the matrix has them."""
    rng = np.random.default_rng(1)
    for parts in (searcher.terms, searcher.anchors, searcher.names):
        M = _matrix(parts, searcher.N)  # [S, N]
        for _ in range(20):
            ids = rng.choice(M.shape[0], size=int(rng.integers(1, 6)), replace=False)
            w = rng.random(ids.size)
            rows = Rows.of(parts, ids)
            expected = (M[ids].astype(np.float32) * w.astype(np.float32)[:, None]).sum(axis=0)
            assert np.allclose(rows.total(w, searcher.N), expected, rtol=1e-6, atol=1e-7)
            notes = rng.choice(searcher.N, size=3, replace=False).tolist()
            for note, held in zip(notes, rows.holding(notes, searcher.N), strict=True):
                assert held.tolist() == np.flatnonzero(M[ids, note]).tolist()
