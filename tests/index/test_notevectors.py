"""Note vectors: unit length, the layout, each part doing its job."""

import numpy as np
import pytest
import scipy.sparse as sp

from notelink.config import NoteVectorConfig
from notelink.index import notevectors
from notelink.index.notevectors import (
    neighbours,
    note_vectors,
    side_by_side,
    tfidf,
    titles,
    unit_rows,
    update_neighbours,
)
from notelink.notes.stopwords import several_languages

NO_MENTIONS = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))


def _words() -> np.ndarray:
    """Word vectors [6, 4]: words 0,1 are near each other, 2,3 near each other, 4,5 apart."""
    return np.array([[1, 0.1, 0, 0], [1, 0, 0.1, 0], [0, 1, 0, 0.1], [0.1, 1, 0, 0], [0, 0, 1, 0],
                     [0, 0, 0, 1]], dtype=np.float32)


def test_rows_are_unit_and_layout_is_words_notes_dense() -> None:
    docs = [np.array([0, 0, 4]), np.array([1, 5]), np.array([2, 3])]
    m, layout = note_vectors(docs, NO_MENTIONS, _words())
    assert m.shape == (3, 6 + 3 + 4) and (layout.words, layout.notes, layout.dim) == (6, 3, 4)
    assert np.allclose(sp.linalg.norm(m, axis=1), 1)


def test_cbow_expansion_relates_notes_without_shared_words() -> None:
    docs = [np.array([0] * 5), np.array([1] * 5), np.array([5] * 5)]  # 0, 1: no word shared, CBOW neighbours
    with_cbow, _ = note_vectors(docs, NO_MENTIONS, _words(), NoteVectorConfig(expand_k=1))
    without, _ = note_vectors(docs, NO_MENTIONS, _words(), NoteVectorConfig(expand_beta=0, w_cbow=0))
    s_with = (with_cbow @ with_cbow.T).toarray()
    s_without = (without @ without.T).toarray()
    assert s_without[0, 1] == 0
    assert s_with[0, 1] > s_with[0, 2] and s_with[0, 1] > 0.05


def test_tfidf_is_sublinear_and_idf_weighted() -> None:
    x = tfidf([np.array([0, 0, 0, 1]), np.array([0])], 2).toarray()
    idf1 = np.log(3 / 2) + 1
    expected = np.array([(1 + np.log(3)) * 1.0, idf1])
    assert np.allclose(x[0], expected / np.linalg.norm(expected))


def test_neighbours_are_the_nearest_by_cosine() -> None:
    k = neighbours(unit_rows(_words()), k=1, limit=100).toarray()
    assert k[0].argmax() == 1 and k[2].argmax() == 3 and k[0, 0] == 0


def test_update_neighbours_searches_only_moved_words() -> None:
    rng = np.random.default_rng(0)
    before = unit_rows(rng.normal(size=(200, 8)).astype(np.float32))
    K = neighbours(before, k=3, limit=150)
    after = before.copy()
    after[5] = before[7] + 0.01  # word 5 moves next to word 7
    moved = np.zeros(200, dtype=bool)
    moved[5] = True
    U = update_neighbours(unit_rows(after), 3, 150, K, moved)
    exact = neighbours(unit_rows(after), k=3, limit=150)
    assert np.allclose(U[5].toarray(), exact[5].toarray())  # searched again: exact
    assert U[5].toarray().argmax() == 7
    unmoved = [i for i in range(150) if i != 5 and K[i, 5] == 0]
    assert np.allclose(U[unmoved].toarray(), K[unmoved].toarray())  # kept as they were
    assert np.allclose(update_neighbours(before, 3, 150, K, np.ones(200, bool)).toarray(), K.toarray())


def test_the_neighbour_search_says_how_far_it_is() -> None:
    """The word graph left "note vectors 0%" on the bar for 13 s (obsidian-help, under load)."""
    words = unit_rows(np.random.default_rng(0).normal(size=(2500, 8)).astype(np.float32))
    shares: list[float] = []
    K = neighbours(words, k=3, limit=2500, share=shares.append)
    assert shares == [0, 1024 / 2500, 2048 / 2500]
    assert np.allclose(K.toarray(), neighbours(words, 3, 2500).toarray())  # (the same graph)
    shares.clear()
    update_neighbours(words, 3, 2500, K, np.ones(2500, bool), share=shares.append)
    assert shares == [0, 1024 / 2500, 2048 / 2500]


def test_title_part_has_self_weight_and_mentions() -> None:
    mentions = (np.array([0]), np.array([1]), np.array([2.0]))  # note 0 mentions note 1 twice
    t = titles(mentions, 3, NoteVectorConfig(title_self=12)).toarray()
    assert t[0, 1] > 0 and t[0, 2] == 0 and t[2, 2] == 1.0
    assert t[1, 1] == 1.0 and t[0, 0] > t[0, 1]


def test_title_part_takes_a_shared_names_share() -> None:
    """A mention count below one (a name shared by several notes) weighs its share, not 1 + log(share)."""
    mentions = (np.array([0, 0]), np.array([1, 2]), np.array([0.5, 1.0]))
    t = titles(mentions, 3, NoteVectorConfig(title_self=12)).toarray()
    assert t[0, 1] == pytest.approx(t[0, 2] / 2, rel=1e-6) and t[0, 1] > 0


def test_evidence_is_words_over_evidence_tokens_at_most_one() -> None:
    docs = [np.zeros(n, np.int64) for n in (5, 1, 0, 20)]
    assert notevectors.evidence(docs, 5).tolist() == pytest.approx([1, 0.2, 0, 1])
    assert notevectors.evidence(docs, 0).tolist() == [1, 1, 1, 1]


def test_a_near_empty_note_is_not_everyones_neighbour() -> None:
    """Note 2 is one word (4) that note 0 uses once among five; note 1 shares another of note 0's words.
    Unscaled, the one-word profile matches note 0 best (and so would match every note using its word);
    scaled by its evidence (1 word of 5), the note with a real shared profile comes first."""
    docs = [np.array([0, 6, 7, 8, 4]), np.array([0, 9, 10, 11, 12]), np.array([4])]
    words = np.random.default_rng(0).normal(size=(13, 4)).astype(np.float32)
    for tokens, nearest in ((0.0, 2), (5.0, 1)):
        cfg = NoteVectorConfig(evidence_tokens=tokens, expand_beta=0, w_cbow=0)
        m, _ = note_vectors(docs, NO_MENTIONS, words, cfg)
        s = (m @ m.T).toarray()
        np.fill_diagonal(s, -1)
        assert int(np.argmax(s[0])) == nearest


@pytest.mark.parametrize("block", [2, 8192])
def test_side_by_side_equals_weighted_hstack(block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notevectors, "_NOTE_BLOCK", block)
    rng = np.random.default_rng(0)
    parts = [sp.random(6, 9, density=0.3, format="csr", random_state=1, dtype=np.float32),
             sp.random(6, 4, density=0.5, format="csr", random_state=2, dtype=np.float32),
             sp.csr_matrix(rng.standard_normal((6, 3)).astype(np.float32))]
    parts[0] = sp.csr_matrix(parts[0].multiply(np.array([[1], [1], [0], [1], [1], [1]])))  # an empty row
    weights = [1.0, 0.0, 0.3]
    got = side_by_side(list(zip(parts, weights, strict=True)))
    want = sp.hstack([w * p for p, w in zip(parts, weights, strict=True)], format="csr")
    assert got.shape == (6, 16) and got.dtype == np.float32 and got.has_sorted_indices
    assert np.allclose(got.toarray(), want.toarray())


@pytest.mark.parametrize("block", [2, 8192])
def test_unit_sparse_in_blocks_of_rows(block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notevectors, "_NOTE_BLOCK", block)
    m = sp.random(7, 5, density=0.4, format="csr", random_state=3, dtype=np.float32)
    m = sp.csr_matrix(m.multiply(np.array([[1], [0], [1], [1], [0], [1], [1]])))  # empty rows stay empty
    before = m.toarray()
    out = notevectors.unit_sparse(m)
    norms = np.linalg.norm(before, axis=1, keepdims=True)
    assert np.allclose(out.toarray(), np.divide(before, norms, out=np.zeros_like(before), where=norms > 0))
    assert np.array_equal(m.toarray(), before)  # not changed unless in_place
    assert notevectors.unit_sparse(m, in_place=True) is m and np.allclose(m.toarray(), out.toarray())


def test_a_vault_in_several_languages_gets_a_language_part() -> None:
    docs = [np.array([0, 4]), np.array([1, 4]), np.array([0, 5]), np.array([1, 5])]
    plain, layout = note_vectors(docs, NO_MENTIONS, _words())
    same, same_layout = note_vectors(docs, NO_MENTIONS, _words(), langs=["en"] * 4)
    assert same_layout == layout and layout.languages == 0 and (same != plain).nnz == 0  # one language
    mixed, mixed_layout = note_vectors(docs, NO_MENTIONS, _words(), langs=["en", "de", "en", "de"])
    assert mixed_layout.languages == 2 and mixed.shape[1] == plain.shape[1] + 2
    assert np.allclose(sp.linalg.norm(mixed, axis=1), 1)
    s_plain, s_mixed = (plain @ plain.T).toarray(), (mixed @ mixed.T).toarray()
    w2 = NoteVectorConfig().w_language ** 2
    assert np.isclose(s_mixed[0, 2], (s_plain[0, 2] + w2) / (1 + w2))  # same language: a bonus
    assert np.isclose(s_mixed[0, 1], s_plain[0, 1] / (1 + w2))  # across languages: none


def test_a_few_notes_in_another_language_leave_the_vault_in_one() -> None:
    langs = ["en"] * 96 + ["de"] * 4
    assert notevectors.languages(langs, 0.95) is None
    assert notevectors.languages(["en"] * 90 + ["de"] * 10, 0.95) is not None
    assert notevectors.languages(["no"] * 90 + ["da"] * 10, 0.95) is None  # written alike: one language
    for mix in (["en"] * 95 + ["de"] * 5, ["en"] * 94 + ["de"] * 6, ["sk"] * 3 + ["cs"] * 3 + ["en"]):
        assert (notevectors.languages(mix, 0.95) is not None) == several_languages(mix, 0.95)  # one test


def test_the_largest_language_of_a_vault_of_several_counts_its_words() -> None:
    langs = ["en"] * 6 + ["de"] * 3 + ["no", "da"]
    assert notevectors.largest_language(langs, [10] * 6 + [30] * 3 + [1, 2], 0.95) == 90  # by words
    assert notevectors.largest_language(["en"] * 96 + ["de"] * 4, [5] * 100, 0.95) is None  # one language
    assert notevectors.largest_language(["no"] * 6 + ["da"] * 4, [1] * 10, 0.95) is None  # written alike
