"""One vector per note, compared by cosine similarity: CBOW-trained parts combined with lexical weights.

A note vector concatenates three unit-length parts with fixed weights, then is scaled to unit length:

    x = unit([ w_lex * lex ; w_title * title ; w_cbow * dense ])        shape [V + N + D]

    lex   [V]  TF-IDF of the note's words (sublinear tf, smooth idf), spread along CBOW neighbours:
               lex = unit(tfidf + beta * unit(tfidf @ K)),  K[w, w'] = cos(u_w, u_w') for w's k nearest w'
    title [N]  the note's own title dimension (title_self * idf) plus, for each other note it mentions by
               title, alias or file name, tf(count) * idf of that note's mentions (tf(c) = 1 + log c, or c
               below one mention: a shared name's share)
    dense [D]  TF-IDF-weighted mean of the unit word vectors u_w, the vault's mean direction removed

A note with fewer than `evidence_tokens` words has its word parts (lex and dense) scaled by words /
evidence_tokens, so its own title dimension keeps the rest: a near-empty note is not everyone's neighbour
(its one or two words matched whole notes' profiles best), yet still finds the notes that mention it.

u_w are the CBOW input vectors (syn0) less their mean, unit length (`word_space`): with the trainer made
robust (issue 17), they measured level with the output vectors on the dev vaults and better on a vault of
short notes, link text removed (benchmarks/RESULTS.md, session 10: wiki shape 0.288 -> 0.310).
Vectors are sparse, held as CSR matrices, so large vaults stay small on disk and in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp

from notelink.config import NoteVectorConfig
from notelink.index.layout import Layout, unit_rows
from notelink.notes.stopwords import family, several_languages

_CHUNK = 1024  # rows of the [c, n] similarity block in neighbours: 123 MB at n = 30k
_GROUP = 32  # columns per group in top_k
_NOTE_BLOCK = 2048  # notes per block in lexical and side_by_side


def _unit_rows_in_place(data: np.ndarray, indptr: np.ndarray) -> None:
    """Scales each CSR row of `data` to length 1 (zero rows stay zero), a block of rows at a time so the
    float64 temporaries stay small (whole-matrix ones were 1.6 GB on a 100k-note vault)."""
    rows = indptr.size - 1
    for a in range(0, rows, _NOTE_BLOCK):
        b = min(a + _NOTE_BLOCK, rows)
        lo, hi = indptr[a], indptr[b]
        sq = np.concatenate([[0.0], np.cumsum(np.square(data[lo:hi], dtype=np.float64))])  # running sums
        ends = indptr[a : b + 1] - lo  # [rows in block + 1]
        norms = np.sqrt(np.maximum(sq[ends[1:]] - sq[ends[:-1]], 0))
        scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0).astype(data.dtype)
        data[lo:hi] *= np.repeat(scale, np.diff(ends))


def unit_sparse(m: sp.spmatrix, in_place: bool = False) -> sp.csr_matrix:
    """Sparse rows scaled to length 1 (zero rows stay zero), CSR of the same dtype; one copy of the data,
    none with `in_place` (m must then be CSR, and is changed)."""
    m = m if in_place and isinstance(m, sp.csr_matrix) else sp.csr_matrix(m, copy=True)
    _unit_rows_in_place(m.data, m.indptr)
    return m


def smooth_idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    """log((1 + N) / (1 + df)) + 1 per column."""
    return np.log((1 + n_docs) / (1 + df)) + 1


def tfidf(docs: Sequence[np.ndarray], vocab_size: int) -> sp.csr_matrix:
    """[N, V] unit rows of (1 + log tf) * idf, float32, built note by note: a [tokens]-sized COO matrix
    was 2 GB at 50M tokens."""
    counted = [np.unique(d, return_counts=True) for d in docs]  # per note: (word ids, counts)
    indptr = np.zeros(len(docs) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([w.size for w, _ in counted])
    indices = np.concatenate([w for w, _ in counted]).astype(np.int32) if docs else np.zeros(0, np.int32)
    data = np.concatenate([c for _, c in counted]).astype(np.float32) if docs else np.zeros(0, np.float32)
    del counted
    idf = smooth_idf(np.bincount(indices, minlength=vocab_size), len(docs)).astype(np.float32)  # [V]
    np.log(data, out=data)
    data += 1
    data *= idf[indices]  # (1 + log tf) * idf
    return unit_sparse(sp.csr_matrix((data, indices, indptr), shape=(len(docs), vocab_size)), in_place=True)


def top_k(sims: np.ndarray, k: int, group: int = _GROUP) -> np.ndarray:
    """[c, k] column ids of each row's k largest values (unordered).

    Columns j and j + B, j + 2B, ... form a group (B = n / group). The k largest values lie in the k
    groups with the largest maxima, so the exact selection runs on k * group candidates; the group
    maxima are a contiguous element-wise max, several times faster than argpartition over the row."""
    c, n = sims.shape
    if n % group or n <= 4 * k * group:
        return np.argpartition(-sims, k, axis=1)[:, :k]
    B = n // group
    best = np.argpartition(-sims.reshape(c, group, B).max(axis=1), k, axis=1)[:, :k]  # [c, k] groups
    cols = (best[:, :, None] + B * np.arange(group)).reshape(c, k * group)  # [c, k*G] candidates
    pick = np.argpartition(-np.take_along_axis(sims, cols, axis=1), k, axis=1)[:, :k]  # [c, k]
    return np.take_along_axis(cols, pick, axis=1)


def _head(words: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """The `limit` most frequent unit rows [n, D], and the same padded with zero rows to [n', D] for top_k
    (n' % _GROUP == 0)."""
    n = min(words.shape[0], limit)
    head = np.ascontiguousarray(words[:n], dtype=np.float32)  # ids sorted by frequency
    padded = np.zeros((n + -n % _GROUP, head.shape[1]), dtype=np.float32)
    padded[:n] = head
    return head, padded


Share = Callable[[float], None]
"""Told the share of a long step done, 0-1 (progress: the word graph took 13 s on obsidian-help)."""


def _search(head: np.ndarray, padded: np.ndarray, rows: np.ndarray, k: int, share: Share | None = None
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, cosine) of the k nearest head words of each word in `rows` (itself excluded)."""
    n = head.shape[0]
    out_r, out_c, out_v = [], [], []
    for start in range(0, rows.size, _CHUNK):
        if share is not None:
            share(start / rows.size)
        chunk = rows[start : start + _CHUNK]  # [c] word ids
        sims = head[chunk] @ padded.T  # [c, n']
        idx = np.arange(chunk.size)
        sims[idx, chunk] = -np.inf  # not its own neighbour
        sims[:, n:] = -np.inf  # padding columns
        top = top_k(sims, k)  # [c, k]
        out_r.append(np.repeat(chunk, k))
        out_c.append(top.ravel())
        out_v.append(np.maximum(sims[np.repeat(idx, k), top.ravel()], 0))
    if not out_r:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
    return np.concatenate(out_r), np.concatenate(out_c), np.concatenate(out_v)


def _graph(V: int, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray) -> sp.csr_matrix:
    K = sp.csr_matrix((vals, (rows, cols)), shape=(V, V))
    K.eliminate_zeros()
    return K


def neighbours(words: np.ndarray, k: int, limit: int, share: Share | None = None) -> sp.csr_matrix:
    """[V, V] sparse K: each of the `limit` most frequent words to its k nearest (positive cosine); `share`
    is told how much is done."""
    V = words.shape[0]
    head, padded = _head(words, limit)
    k = min(k, head.shape[0] - 1)
    if k <= 0:
        return sp.csr_matrix((V, V))
    return _graph(V, *_search(head, padded, np.arange(head.shape[0]), k, share))


def update_neighbours(words: np.ndarray, k: int, limit: int, previous: sp.csr_matrix,
                      moved: np.ndarray, share: Share | None = None) -> sp.csr_matrix:
    """K as `neighbours` computes it, searching again only for the words that `moved` ([V] bool) or whose
    previous neighbours left the head; the other rows keep their neighbours (cosines to moved ones refreshed).

    `previous` is the last K with rows and columns in the current vocabulary's ids. An approximation: an
    unmoved word does not gain a moved word as a new neighbour (until the next full build)."""
    V = words.shape[0]
    head, padded = _head(words, limit)
    n, k = head.shape[0], min(k, head.shape[0] - 1)
    if k <= 0:
        return sp.csr_matrix((V, V))
    prev = sp.coo_matrix(previous)
    in_head = (prev.row < n) & (prev.col < n) & (prev.col != prev.row)
    lost = np.bincount(prev.row[~in_head], minlength=V)[:n] > 0  # [n] a neighbour left the head
    count = np.bincount(prev.row[in_head], minlength=V)[:n]  # [n] neighbours kept
    redo = moved[:n] | lost | (count == 0)  # [n]
    keep = in_head & ~redo[np.minimum(prev.row, n - 1)]
    r, c, v = prev.row[keep], prev.col[keep], prev.data[keep].astype(np.float32)
    stale = moved[c]  # [m] a kept neighbour that moved: its cosine is computed again
    v[stale] = np.maximum(np.einsum("ij,ij->i", head[r[stale]], head[c[stale]]), 0)
    r2, c2, v2 = _search(head, padded, np.flatnonzero(redo), k, share)
    return _graph(V, np.concatenate([r, r2]), np.concatenate([c, c2]), np.concatenate([v, v2]))


def _keep_strongest(m: sp.csr_matrix, keep: int) -> sp.csr_matrix:
    """Each row's `keep` largest entries."""
    m = sp.csr_matrix(m)
    for i in range(m.shape[0]):
        lo, hi = m.indptr[i], m.indptr[i + 1]
        if hi - lo > keep:
            row = m.data[lo:hi]
            row[np.argpartition(-row, keep)[keep:]] = 0
    m.eliminate_zeros()
    return m


def lexical(X: sp.csr_matrix, K: sp.csr_matrix, cfg: NoteVectorConfig) -> sp.csr_matrix:
    """[N, V] unit rows: TF-IDF plus its spread along CBOW neighbours (in blocks of notes: the full
    product before pruning to `max_expansion` words per note can be ~1 GB on a 100k-note vault)."""
    if not cfg.expand_beta or X.shape[0] == 0:
        return X
    return sp.vstack([_lexical_block(X[a : a + _NOTE_BLOCK], K, cfg)
                      for a in range(0, X.shape[0], _NOTE_BLOCK)], format="csr")


def _lexical_block(Xb: sp.csr_matrix, K: sp.csr_matrix, cfg: NoteVectorConfig) -> sp.csr_matrix:
    """`lexical` for a block of notes (scipy's sparse sum allocates for the worst case: 2 GB on a whole
    100k-note vault)."""
    spread = _keep_strongest(unit_sparse(Xb @ K, in_place=True), cfg.max_expansion)  # a new matrix
    return unit_sparse(Xb + cfg.expand_beta * spread, in_place=True)


def titles(mentions: tuple[np.ndarray, np.ndarray, np.ndarray], n_notes: int,
           cfg: NoteVectorConfig) -> sp.csr_matrix:
    """[N, N] unit rows: own title dimension plus the titles each note mentions."""
    src, dst, count = mentions
    df = np.bincount(dst, minlength=n_notes)
    idf = smooth_idf(df, n_notes)
    diag = np.arange(n_notes)
    rows, cols = np.concatenate([src, diag]), np.concatenate([dst, diag])
    tf = np.where(count >= 1, 1 + np.log(np.maximum(count, 1)), count)  # a shared name's share below 1
    vals = np.concatenate([tf * idf[dst], cfg.title_self * idf])
    return unit_sparse(sp.csr_matrix((vals, (rows, cols)), shape=(n_notes, n_notes)), in_place=True)


def evidence(docs: Sequence[np.ndarray], tokens: float) -> np.ndarray:
    """[N] each note's words / `tokens`, at most 1: how far its word parts can be trusted."""
    n = np.array([d.size for d in docs], dtype=np.float32)  # [N]
    return np.minimum(1, n / tokens).astype(np.float32) if tokens > 0 else np.ones_like(n)


def _scale_rows(m: sp.csr_matrix, g: np.ndarray) -> sp.csr_matrix:
    """CSR rows scaled by g [N], in place (no copy of a matrix that is ~0.5 GB on a 100k-note vault)."""
    m.data *= np.repeat(g, np.diff(m.indptr)).astype(m.data.dtype)
    return m


def word_space(syn0: np.ndarray) -> np.ndarray:
    """[V, D] unit rows of the input vectors less their mean: the word vectors note vectors are made of
    (all of them share a direction, which says nothing about any word)."""
    syn0 = np.asarray(syn0, dtype=np.float32)
    return unit_rows(syn0 - syn0.mean(axis=0)) if syn0.shape[0] > 1 else unit_rows(syn0)


def dense(X: sp.csr_matrix, words: np.ndarray) -> np.ndarray:
    """[N, D] unit rows: TF-IDF-weighted mean of unit word vectors, common direction removed."""
    out = unit_rows(np.asarray(X @ words, dtype=np.float32))
    has = np.linalg.norm(out, axis=1) > 0
    if has.sum() > 1:
        out[has] -= out[has].mean(axis=0)
    return unit_rows(out)


def word_graph(u: np.ndarray, cfg: NoteVectorConfig, previous: sp.csr_matrix | None = None,
               moved: np.ndarray | None = None, share: Share | None = None) -> sp.csr_matrix:
    """[V, V] K for unit word vectors `u`: from scratch, or updated from `previous` (update_neighbours);
    `share`: progress."""
    V = u.shape[0]
    if not cfg.expand_beta:
        return sp.csr_matrix((V, V))
    if previous is None or moved is None:
        return neighbours(u, cfg.expand_k, cfg.expand_vocab, share)
    return update_neighbours(u, cfg.expand_k, cfg.expand_vocab, previous, moved, share)


def side_by_side(parts: Sequence[tuple[sp.csr_matrix, float]]) -> sp.csr_matrix:
    """[N, sum of widths] float32 CSR of weighted parts with the same rows, written straight into the result
    (scipy's hstack goes through COO: ~16 extra bytes a value, 2 GB on a 100k-note vault)."""
    N = parts[0][0].shape[0]
    lengths = [np.diff(p.indptr) if w else np.zeros(N, np.int64) for p, w in parts]  # per part [N]
    indptr = np.zeros(N + 1, dtype=np.int64)
    indptr[1:] = np.cumsum(np.sum(lengths, axis=0))
    data, indices = np.empty(indptr[-1], np.float32), np.empty(indptr[-1], np.int32)
    start, offset = indptr[:-1].copy(), 0  # [N] where each row's next entries go; first column of a part
    for (part, weight), n in zip(parts, lengths, strict=True):
        if weight:
            part.sort_indices()
            for a in range(0, N, _NOTE_BLOCK):  # in blocks of rows: `dest` is 8 bytes a value
                b, lo, hi = min(a + _NOTE_BLOCK, N), part.indptr[a], part.indptr[min(a + _NOTE_BLOCK, N)]
                dest = np.repeat(start[a:b] - part.indptr[a:b], n[a:b]) + np.arange(lo, hi)  # [values]
                data[dest], indices[dest] = part.data[lo:hi] * weight, part.indices[lo:hi] + offset
            start += n
        offset += part.shape[1]
    return sp.csr_matrix((data, indices, indptr), shape=(N, offset))


def languages(langs: Sequence[str], one_language_share: float) -> sp.csr_matrix | None:
    """[N, languages] one-hot rows of each note's language (Danish and Norwegian as one, see
    `stopwords.family`); None for a vault (nearly) in one language."""
    if not several_languages(langs, one_language_share):
        return None
    langs = [family(lang) for lang in langs]
    names = sorted(set(langs))
    column = {lang: j for j, lang in enumerate(names)}
    cols = np.array([column[lang] for lang in langs], np.int32)  # [N]
    N = cols.size
    return sp.csr_matrix((np.ones(N, np.float32), cols, np.arange(N + 1)), shape=(N, len(names)))


def largest_language(langs: Sequence[str], sizes: Sequence[int], one_language_share: float) -> int | None:
    """The words (`sizes`, per note) of the vault's largest language, in a vault of several (as `languages`
    counts them); None for a vault (nearly) in one language."""
    if languages(langs, one_language_share) is None:
        return None
    words: dict[str, int] = {}
    for lang, size in zip(langs, sizes, strict=True):
        words[family(lang)] = words.get(family(lang), 0) + int(size)
    return max(words.values())


NOTE_STEPS = 4
"""The steps `note_vectors` reports: tf-idf and word graph, dense part, lexical part, assembled."""


def note_vectors(docs: Sequence[np.ndarray], mentions: tuple[np.ndarray, np.ndarray, np.ndarray],
                 syn0: np.ndarray, cfg: NoteVectorConfig | None = None,
                 K: sp.csr_matrix | None = None, langs: Sequence[str] = (),
                 step: Callable[[int], None] | None = None) -> tuple[sp.csr_matrix, Layout]:
    """Unit note vectors [N, V+N+D(+languages)] for notes given as word-id arrays, and their column layout.

    `K` is the neighbour graph of `word_space(syn0)` (`word_graph`), computed here when not given;
    `langs`, each note's language (`NoteRecord.lang`), adds the language part in a multilingual vault;
    `step(done)` is told each of the `NOTE_STEPS` done (progress)."""
    cfg, step = cfg or NoteVectorConfig(), step or (lambda done: None)
    V, D = syn0.shape
    N = len(docs)
    u = word_space(syn0)  # [V, D]
    X = tfidf(docs, V)  # [N, V]
    K = word_graph(u, cfg) if K is None else K
    step(1)
    g = evidence(docs, cfg.evidence_tokens)  # [N]
    dense_part = (sp.csr_matrix(dense(X, u) * g[:, None]) if cfg.w_cbow
                  else sp.csr_matrix((N, D), dtype=np.float32))
    step(2)
    lex = _scale_rows(lexical(X, K, cfg), g)
    del X  # the largest input: freed before the result is assembled
    step(3)
    M = unit_sparse(side_by_side([(lex, cfg.w_lex), (titles(mentions, N, cfg), cfg.w_title),
                                  (dense_part, cfg.w_cbow)]), in_place=True)
    L = languages(langs, cfg.one_language_share) if cfg.w_language else None
    if L is not None:
        M = unit_sparse(side_by_side([(M, 1.0), (L, cfg.w_language)]), in_place=True)
    step(NOTE_STEPS)
    return M, Layout(V, N, D, 0 if L is None else L.shape[1])
