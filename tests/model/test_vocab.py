"""Vocabulary, subsampling and the noise distribution."""

import numpy as np

from notelink.model.vocab import Vocab


def test_min_count_and_order() -> None:
    v = Vocab.build([["b", "a", "b", "c"], ["a", "b"]], min_count=2)
    assert v.words == ["b", "a"]
    assert v.counts.tolist() == [3, 2]
    assert v.encode(["a", "c", "b"]).tolist() == [1, 0]


def test_keep_probability_formula() -> None:
    v = Vocab(["x", "y"], np.array([900, 100]))
    t = 0.01
    f = np.array([0.9, 0.1])
    expected = np.minimum((np.sqrt(f / t) + 1) * t / f, 1)
    assert np.allclose(v.keep_probs(t), expected)
    assert v.keep_probs(0).tolist() == [1.0, 1.0]


def test_noise_is_unigram_to_three_quarters() -> None:
    v = Vocab(["x", "y"], np.array([16, 1]))
    p = v.noise()
    assert np.isclose(p.sum(), 1)
    assert np.isclose(p[0] / p[1], 16**0.75)


def test_encode_drops_unknown_words_from_any_iterable() -> None:
    """int32 ids in order, unknown words dropped; empty, all-unknown and one-pass inputs included."""
    v = Vocab(["x", "y", "z"], np.array([3, 2, 1]))
    for tokens, want in (([], []), (["q", "r"], []), (iter(["z", "q", "x", "z"]), [2, 0, 2]),
                         ((t for t in ["y"]), [1])):
        ids = v.encode(tokens)
        assert ids.dtype == np.int32 and ids.tolist() == want
