"""A query's CBOW expansion, on hand-made vectors: neighbours, and the words its context predicts."""

import sqlite3
from collections.abc import Sequence

import numpy as np

from notelink.config import SearchConfig
from notelink.query.expansion import Expansion, sigmoid
from notelink.query.languages import WordLanguages
from notelink.query.words import RELIABLE_COUNT

D = 4


class _Index:
    """What `Expansion` reads of an index: the vocabulary's counts (ids by descending count), unit input
    vectors and, in a vault of several languages, the languages each word is used in."""

    def __init__(self, counts: Sequence[int], syn0: np.ndarray,
                 languages: WordLanguages | None = None) -> None:
        self.word_languages = languages
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE TABLE vocab (id INTEGER, count INTEGER)")
        self.db.executemany("INSERT INTO vocab VALUES (?, ?)", enumerate(counts))
        self.counts = list(counts)
        self.word_vecs = syn0 / np.linalg.norm(syn0, axis=1, keepdims=True)

    def counts_of(self, ids: Sequence[int]) -> dict[int, int]:
        return {i: self.counts[i] for i in ids}


def _vectors() -> tuple[np.ndarray, np.ndarray]:
    """Words 0-5: 0 and 1 the query's, their context h = (1, 0, 0, 0) (syn0 rows 0 and 1 average to it);
    output rows: word 2 is predicted strongly, 3 weakly, 4 less than by an average context, 5 strongly but
    is too rare to be trusted."""
    syn0 = np.array([[2, 1, 0, 0], [0, -1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [-1, 0, 0, 0], [0, 0, 1, 1]],
                    dtype=np.float32)
    syn1 = np.array([[0, 0, 0, 0], [0, 0, 0, 0], [3, 0, 0, 0], [1, 0, 0, 0], [-2, 0, 0, 0], [5, 0, 0, 0]],
                    dtype=np.float32)
    return syn0, syn1


def _expansion(cfg: SearchConfig, languages: WordLanguages | None = None) -> Expansion:
    syn0, syn1 = _vectors()
    counts = [50, 40, 30, 20, RELIABLE_COUNT, RELIABLE_COUNT - 1]
    return Expansion(_Index(counts, syn0, languages), cfg, syn0, syn1)  # type: ignore[arg-type]


def _query() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Words 0 and 1 (weights 0.6, 0.8), written twice and once: its tokens, whose context is h."""
    ids = np.array([0, 1])
    return ids, np.array([0.6, 0.8]), np.array([0, 1, 0])


def test_the_words_the_context_predicts_more_than_an_average_one_are_brought_in_by_their_lift() -> None:
    ids, q, tokens = _query()
    cfg = SearchConfig(expand_beta=0.0, predict_beta=0.5, predict_k=10)
    out, w, source, predicted, *_ = _expansion(cfg).expand(ids, q, tokens)
    syn0, syn1 = _vectors()
    h, h0 = syn0[tokens].mean(axis=0), syn0.mean(axis=0)
    lift = sigmoid(syn1 @ h) - sigmoid(syn1 @ h0)  # word 4 negative, word 5 unreliable
    p = np.array([lift[2], lift[3]]) / np.linalg.norm([lift[2], lift[3]])
    want = np.array([0.6, 0.8, 0.5 * p[0], 0.5 * p[1]])
    assert out.tolist() == [0, 1, 2, 3]
    np.testing.assert_allclose(w, want / np.linalg.norm(want), rtol=1e-5)
    assert source == {} and predicted == {2, 3}  # no one query word's neighbours: the query's


def test_only_the_k_best_predicted_words_come_in() -> None:
    ids, q, tokens = _query()
    cfg = SearchConfig(expand_beta=0.0, predict_beta=0.5, predict_k=1)
    out, _, _, predicted, *_ = _expansion(cfg).expand(ids, q, tokens)
    assert out.tolist() == [0, 1, 2] and predicted == {2}


def test_without_a_context_or_a_weight_nothing_is_predicted() -> None:
    """No token in the vocabulary, only a word too rare to trust (5: its vector predicts word 2 strongly,
    as a rare word's did, `rigmarole`), no weight, no word to bring."""
    ids, q, tokens = _query()
    for cfg, context in ((SearchConfig(expand_beta=0.0, predict_beta=0.5), np.zeros(0, dtype=np.int64)),
                         (SearchConfig(expand_beta=0.0, predict_beta=0.5), np.array([5, 5, 5])),
                         (SearchConfig(expand_beta=0.0, predict_beta=0.5), np.array([0, 1])),  # too few
                         (SearchConfig(expand_beta=0.0, predict_beta=0.0), tokens),
                         (SearchConfig(expand_beta=0.0, predict_beta=0.5, predict_k=0), tokens)):
        out, w, source, predicted, *_ = _expansion(cfg).expand(ids, q, context)
        assert out.tolist() == [0, 1] and source == {} and predicted == set()
        np.testing.assert_allclose(w, q)


def _two_languages(word_2: list[float]) -> WordLanguages:
    """Words 0, 1, 3, 4 and 5 German; word 2's shares (de, ja) as given."""
    share = np.array([[1, 0], [1, 0], word_2, [1, 0], [1, 0], [1, 0]], dtype=np.float64)
    return WordLanguages(["de", "ja"], share)


def test_in_a_vault_of_several_languages_only_words_of_the_querys_language_are_predicted() -> None:
    """Word 2, predicted most, is a Japanese word: a German query (its words' language, or its stop words')
    predicts word 3 alone; a name used in both languages (a quarter of its uses German) still comes in."""
    ids, q, tokens = _query()
    cfg = SearchConfig(expand_beta=0.0, predict_beta=0.5, predict_k=10)
    for lang in (None, "de"):
        out, _, _, predicted, *_ = _expansion(cfg, _two_languages([0.1, 0.9])).expand(ids, q, tokens, lang)
        assert out.tolist() == [0, 1, 3] and predicted == {3}
    out, _, _, predicted, *_ = _expansion(cfg, _two_languages([0.25, 0.75])).expand(ids, q, tokens)
    assert predicted == {2, 3}
    out, _, _, predicted, *_ = _expansion(cfg, _two_languages([0.1, 0.9])).expand(ids, q, tokens, "ja")
    assert predicted == {2}  # the query's stop words say Japanese: its words' German is no matter


def test_in_a_vault_of_one_language_the_table_changes_nothing() -> None:
    ids, q, tokens = _query()
    cfg = SearchConfig(expand_beta=0.3, predict_beta=0.5, predict_k=10)
    one = WordLanguages(["en"], np.ones((6, 1)))
    for lang in (None, "en", "de"):
        want = _expansion(cfg).expand(ids, q, tokens, lang)
        got = _expansion(cfg, one).expand(ids, q, tokens, lang)
        assert got.ids.tolist() == want.ids.tolist() and got.predicted == want.predicted
        np.testing.assert_array_equal(got.weights, want.weights)
