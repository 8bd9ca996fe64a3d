"""One vector per note, built from the trained word vectors, compared by cosine similarity.

A note vector is the TF-IDF-weighted mean of its words' unit-length CBOW vectors (sublinear tf,
smooth idf), with the vault's common direction removed so that what every note shares does not
make notes look alike.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def unit_rows(m: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (zero rows stay zero)."""
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return np.divide(m, norms, out=np.zeros_like(m, dtype=np.float32), where=norms > 0)


def idf(docs: Sequence[np.ndarray], vocab_size: int) -> np.ndarray:
    """Smooth inverse document frequency per word [V]: log((1+N)/(1+df)) + 1."""
    df = np.zeros(vocab_size, dtype=np.float64)
    for ids in docs:
        df[np.unique(ids)] += 1
    return (np.log((1 + len(docs)) / (1 + df)) + 1).astype(np.float32)


def tfidf_weights(ids: np.ndarray, idf_w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct word ids [u], weights [u]) with sublinear tf: (1 + log tf) * idf."""
    words, tf = np.unique(ids, return_counts=True)
    return words, ((1 + np.log(tf)) * idf_w[words]).astype(np.float32)


def note_vectors(docs: Sequence[np.ndarray], syn0: np.ndarray) -> np.ndarray:
    """Note vectors [N, D], unit length (zero for notes with no known words)."""
    V, D = syn0.shape
    words_unit = unit_rows(syn0)  # [V, D]
    idf_w = idf(docs, V)  # [V]
    out = np.zeros((len(docs), D), dtype=np.float32)
    for i, ids in enumerate(docs):
        if ids.size:
            words, w = tfidf_weights(ids, idf_w)
            out[i] = w @ words_unit[words]  # [D]
    has = np.linalg.norm(out, axis=1) > 0
    out = unit_rows(out)
    if has.sum() > 1:
        out[has] -= out[has].mean(axis=0)  # common component removal
    return unit_rows(out)
