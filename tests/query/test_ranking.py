"""Every note ranked in blocks: the tiles' scores are the cosines of every pair, however the columns split."""

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
    for start, tile in ranking._blocks(ranking._BlockScores(index), X.shape[0]):  # each block's column
        assert tile.shape == (X.shape[0] - start, min(16, X.shape[0] - start))  # from its diagonal down
        assert np.allclose(tile, want[start:, start : start + tile.shape[1]], atol=1e-6)


def test_related_all_agrees_with_one_note_at_a_time(index: Index) -> None:
    for i, hits in ranking.related_all(index, 5):
        one = index.related(index.notes[i], 5)
        assert [index.notes[j].path for j, _ in hits] == [r.path for r in one]


def test_related_all_breaks_ties_at_the_cut_by_note(index: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    """Notes scoring alike at the k-th place are listed by id, lowest first (as `Index.rank` promises):
    per row, `argpartition` took arbitrary ones of them (0 and 4 of 0-19 here)."""
    n = len(index.notes)
    scores = np.full((n, n), 0.5, dtype=np.float32)  # symmetric: notes 20-22 score 0.9 with every note
    scores[20:23, :] = scores[:, 20:23] = 0.9
    tiles = lambda start: scores[start:, start : start + 1].copy()  # noqa: E731 - the tile from note start
    monkeypatch.setattr(ranking, "_BlockScores", lambda _index: tiles)
    monkeypatch.setattr(ranking, "_BLOCK", 1)
    hits = dict(ranking.related_all(index, 5))
    assert [j for j, _ in hits[n - 1]] == [20, 21, 22, 0, 1]
    assert [j for j, _ in hits[0]] == [20, 21, 22, 1, 2]  # (the note itself left out)


@pytest.mark.parametrize(("top", "unlinked", "exclude"), [(3, False, ()), (8, True, ()), (4, True, ("a*",))])
def test_related_all_leaves_out_what_one_note_at_a_time_leaves_out(index: Index, top: int, unlinked: bool,
                                                                   exclude: tuple[str, ...]) -> None:
    """Linked notes (`unlinked`) and excluded notes are left out of the block's rows as `Index.rank`
    leaves them out of one note's."""
    left_out = ranking.excluded(index, exclude)
    for i, hits in ranking.related_all(index, top, unlinked, exclude=exclude):
        scores = index.scores(index.notes[i])
        scores[list(left_out)] = 0.0
        want = index.rank(i, scores, top, unlinked)
        assert [j for j, _ in hits] == [j for j, _ in want]
        assert [s for _, s in hits] == pytest.approx([s for _, s in want], abs=1e-6)
