"""Every note ranked in blocks: the block scores are the cosines of every pair, however the columns split."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from notelink.index.build import build_index
from notelink.query import ranking
from notelink.query.index import Index

from ..conftest import FAST, SAMPLE


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    ix = tmp_path_factory.mktemp("ix")
    build_index(SAMPLE, ix, FAST)
    return Index.open(Path(ix))


@pytest.mark.parametrize("dense_columns", [0, 7, 1024])  # all sparse; some dense; every common one
def test_block_scores_are_the_cosines_of_every_pair(index: Index, monkeypatch: pytest.MonkeyPatch,
                                                    dense_columns: int) -> None:
    monkeypatch.setattr(ranking, "_DENSE_COLUMNS", dense_columns)
    monkeypatch.setattr(ranking, "_BLOCK", 16)  # several blocks, the last one partial
    X = index.note_vecs
    want = index.with_references(0, (X @ X.T).toarray())  # cosines, raised for file-name references
    got = np.vstack([block for _, block in ranking._blocks(ranking._BlockScores(index), X.shape[0])])
    assert got.shape == want.shape and np.allclose(got, want, atol=1e-6)


def test_related_all_agrees_with_one_note_at_a_time(index: Index) -> None:
    for i, hits in ranking.related_all(index, 5):
        one = index.related(index.notes[i], 5)
        assert [index.notes[j].path for j, _ in hits] == [r.path for r in one]
