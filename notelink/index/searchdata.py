"""What `notelink search` reads from a generation, computed at build time from the notes' tokens.

    search_words.npy           words notes use that the CBOW vocabulary left out (seen fewer than
                               min_count times: a rare name is what people search for; or only in
                               boilerplate paragraphs, left out of training), UTF-8, one per line; their
                               search ids follow the vocabulary's: V, V+1, ... (S = V + E)
    search_idf.npy             [S] smooth idf over notes
    search_terms_*.npy         [S, N] CSR postings: word -> notes, each note's TF-IDF row of unit length
    search_anchors_*.npy       [S, N] CSR: word -> notes that other notes mention (title or alias) within
                               ANCHOR_WINDOW tokens of it: what a vault writes around a note's name, as
                               anchor text is to a web page; each note's row of unit length, less for
                               a row of few words (ANCHOR_EVIDENCE)
    search_names_*.npy         [S, N] CSR: word -> notes with it in their title or an alias, each note's
                               row idf-weighted, of unit length (a title field, as in BM25F)
    search_titles_*.npy        [N, V] CSR: each note's title words (CBOW ids), 1/len each
    search_dense.npy           [N, D] unit TF-IDF-weighted means of unit CBOW output vectors, centred;
    search_dense_mean.npy      [D] the mean that was removed (a query is centred the same way)

Postings are stored word-major so that a query reads only its own words' rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from notelink.index.notevectors import smooth_idf, tfidf, unit_rows, unit_sparse
from notelink.model.vocab import Vocab

ANCHOR_WINDOW = 5
"""Tokens on each side of a mention that count as its context (stop words already gone). Measured on
link-suggestion queries: 5 and 10 equal, a whole paragraph 0.03-0.05 lower (RESULTS.md, session 8)."""
ANCHOR_EVIDENCE = 20
"""Distinct words around a note's mentions from which its anchor row counts in full; a row of fewer is
scaled by words / ANCHOR_EVIDENCE. A note named once, in one paragraph, has a thin row of unit length,
whose few words then scored more than the note that has the searched word four times (`quasar` found
`Knife skills`, named next to it, before the note about it). Link suggestion unchanged: `en` -0.003 /
+0.001 (plain / held-out), dendron-site +0.005 / +0.012, `de` and `it` -0.003 to -0.001 (session 14)."""
ANCHOR_OWN_WORDS = 5
"""A mention whose paragraph has this many words besides the name takes no words after it from the next
paragraph: `... see [[Knife skills]].` then a new paragraph with a rare word made the note only named there
rank above the note with the word (a new user's sweep). A shorter paragraph (a heading, a list item that is
only the link) is about the text that follows it, so its window goes on. Link suggestion, seeds 1-3, plain /
held-out: `en` 0.835 / 0.712 (before 0.832 / 0.714), `de` 0.835 / 0.720 (0.836 / 0.724), `it` 0.787 / 0.668
(0.788 / 0.663), dendron-site 0.505 / 0.410 (0.493 / 0.418); the lexical search +0.003 / -0.002, 0.000 /
-0.002, +0.001 / -0.007, +0.007 / +0.015. Cut at every paragraph end, both sides: `en` 0.813; after the
mention only: `de` 0.825, its lexical search 0.811 (0.839): RESULTS.md, session 16."""
_MENTION_CHUNK = 1 << 19  # mentions whose windows are gathered at once: 2W int64 each
_PAIR_BLOCK = 1 << 20  # token positions whose word pairs are coded at once (8 bytes each)


@dataclass
class SearchData:
    """The arrays above, before they are written; `dense` is added once the word vectors are trained."""

    extra: list[str]
    idf: np.ndarray  # [S]
    terms: sp.csr_matrix  # [N, S] (transposed when saved)
    anchors: sp.csr_matrix  # [N, S] (likewise)
    names: sp.csr_matrix  # [N, S] (likewise)
    titles: sp.csr_matrix  # [N, V]
    dense: np.ndarray | None = None  # [N, D]
    dense_mean: np.ndarray | None = None  # [D]

    def add_dense(self, syn1neg: np.ndarray) -> None:
        """The dense rows from the trained output vectors u_w (syn1neg)."""
        V = syn1neg.shape[0]
        raw = unit_rows(np.asarray(self.terms[:, :V] @ unit_rows(syn1neg), dtype=np.float32))  # [N, D]
        has = np.linalg.norm(raw, axis=1) > 0
        self.dense_mean = raw[has].mean(axis=0) if has.any() else np.zeros(raw.shape[1], np.float32)
        self.dense = unit_rows(np.where(has[:, None], raw - self.dense_mean, 0))

    def arrays(self) -> dict[str, tuple[np.ndarray, type]]:
        """Name -> (array, dtype) for the generation writer."""
        out: dict[str, tuple[np.ndarray, type]] = {
            "search_words": (np.frombuffer("\n".join(self.extra).encode(), np.uint8), np.uint8),
            "search_idf": (self.idf, np.float32)}
        for name, m in (("terms", _word_major(self.terms)), ("anchors", _word_major(self.anchors)),
                        ("names", _word_major(self.names)), ("titles", self.titles)):
            out.update({f"search_{name}_indptr": (m.indptr, np.int64),
                        f"search_{name}_indices": (m.indices, np.int32),
                        f"search_{name}_data": (m.data, np.float32)})
        if self.dense is not None and self.dense_mean is not None:
            out["search_dense"] = (self.dense, np.float32)
            out["search_dense_mean"] = (self.dense_mean, np.float32)
        return out


def search_data(docs: list[np.ndarray], extra: list[str], vocab: Vocab,
                names: Sequence[Sequence[Sequence[str]]], langs: Sequence[str],
                paragraphs: Sequence[Sequence[int]] | None = None) -> SearchData:
    """Postings, anchors and titles for notes given as search ids (`search_ids`; a build has them from
    `lexicon.encode_notes`): `docs` each note's [n], `extra` the words numbered after the vocabulary;
    `names` are each note's title and aliases as tokens (title first), `langs` each note's language (a
    shared name means the notes in the mentioning note's language, as in `mentions.count_mentions`),
    `paragraphs` the number of tokens of each of a note's paragraphs (None: one paragraph a note)."""
    S = len(vocab) + len(extra)
    terms = tfidf(docs, S)  # [N, S]
    idf = smooth_idf(np.bincount(terms.indices, minlength=S), len(docs)).astype(np.float32)
    lookup = {**vocab.index, **{w: len(vocab) + i for i, w in enumerate(extra)}}
    name_ids = [[ids for n in note if (ids := _ids(n, lookup)) is not None] for note in names]
    anchors = anchor_rows(docs, name_ids, langs, idf, paragraphs=paragraphs)
    named = name_rows([[i for ids in note for i in ids] for note in name_ids], idf)
    titles = title_rows([[vocab.index[t] for t in note[0] if t in vocab.index] if note else []
                         for note in names], len(vocab))
    return SearchData(extra, idf, terms, anchors, named, titles)


def _word_major(m: sp.csr_matrix) -> sp.csr_matrix:
    """[N, S] -> [S, N] CSR with sorted rows: a word's postings, read by `search` with one slice."""
    out = m.T.tocsr()
    out.sort_indices()
    return out


def name_rows(names: Sequence[Sequence[int]], idf: np.ndarray) -> sp.csr_matrix:
    """[N, S] unit rows: each note's distinct title and alias words at their idf."""
    rows = [np.unique(np.asarray(n, dtype=np.int64)) for n in names]
    indptr = np.concatenate([[0], np.cumsum([r.size for r in rows])]).astype(np.int64)
    indices = np.concatenate(rows).astype(np.int32) if rows else np.zeros(0, np.int32)
    m = sp.csr_matrix((idf[indices].astype(np.float32), indices, indptr), shape=(len(names), idf.size))
    return unit_sparse(m, in_place=True)


def _ids(name: Sequence[str], lookup: dict[str, int]) -> list[int] | None:
    ids = [lookup.get(t, -1) for t in name]
    return ids if ids and min(ids) >= 0 else None


def search_ids(tokens: Sequence[Sequence[str]], vocab: Vocab) -> tuple[list[np.ndarray], list[str]]:
    """Each note's tokens as search ids [n] int32: the vocabulary's, then new ids for the words it left out
    (the lookups run in C; only the left-out tokens, a few percent, pass through Python)."""
    extra: dict[str, int] = {}
    docs = []
    for doc in tokens:
        ids = np.fromiter(map(vocab.index.get, doc, itertools.repeat(-1)), dtype=np.int32, count=len(doc))
        missing = np.flatnonzero(ids < 0)
        if missing.size:
            ids[missing] = [extra.setdefault(doc[j], len(vocab) + len(extra)) for j in missing.tolist()]
        docs.append(ids)
    return docs, list(extra)


def title_rows(titles: Sequence[Sequence[int]], V: int) -> sp.csr_matrix:
    """[N, V] each note's distinct title words at 1/len."""
    rows = [np.unique(np.asarray(t, dtype=np.int32)) for t in titles]
    indptr = np.concatenate([[0], np.cumsum([r.size for r in rows])]).astype(np.int64)
    indices = np.concatenate(rows) if rows else np.zeros(0, np.int32)
    data = np.concatenate([np.full(r.size, 1 / max(r.size, 1), np.float32) for r in rows]) if rows else \
        np.zeros(0, np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(titles), V))


def anchor_rows(docs: Sequence[np.ndarray], names: Sequence[Sequence[Sequence[int]]], langs: Sequence[str],
                idf: np.ndarray, window: int = ANCHOR_WINDOW,
                paragraphs: Sequence[Sequence[int]] | None = None) -> sp.csr_matrix:
    """[N, S] rows of (1 + log count) * idf of the words within `window` tokens of each mention of a note
    by another note (the name itself left out; after it, not past its paragraph when that has its own
    words: `ANCHOR_OWN_WORDS`), of unit length times min(1, words / ANCHOR_EVIDENCE)."""
    N, S = len(docs), idf.size
    lengths = np.array([d.size for d in docs], dtype=np.int64)
    start = np.concatenate([[0], np.cumsum(lengths)])  # [N + 1]
    corpus = np.concatenate(docs) if docs else np.zeros(0, np.int32)
    owner = np.repeat(np.arange(N, dtype=np.int32), lengths)  # [T]
    pos, length, mentioned = find_mentions(corpus, owner, names, langs)
    firsts = _paragraph_starts(start, paragraphs if paragraphs is not None else [[d.size] for d in docs])
    own = np.diff(np.append(firsts, corpus.size))  # [P] tokens in each paragraph
    counts = sp.csr_matrix((N, S), dtype=np.float32)
    offsets = np.concatenate([np.arange(-window, 0), np.arange(window)])  # [2W]
    for a in range(0, pos.size, _MENTION_CHUNK):
        chunk = slice(a, a + _MENTION_CHUNK)
        p, n, b = pos[chunk], length[chunk], mentioned[chunk]
        at = p[:, None] + offsets + np.where(offsets >= 0, n[:, None], 0)  # [m, 2W] window positions
        home = owner[p][:, None]
        ok = (at >= start[home]) & (at < start[home + 1])  # inside the mentioning note
        here = _paragraph_of(firsts, p)  # [m] the mention's paragraph
        stop = (own[here] - n >= ANCHOR_OWN_WORDS)[:, None] & (offsets >= 0)  # [m, 2W] after, cut
        ok &= ~stop | (_paragraph_of(firsts, at) == here[:, None])
        rows, words = np.broadcast_to(b[:, None], at.shape)[ok], corpus[at[ok]]
        counts = counts + sp.csr_matrix((np.ones(rows.size, np.float32), (rows, words)), shape=(N, S))
    counts.sum_duplicates()
    counts.data = (1 + np.log(counts.data)) * idf[counts.indices]
    rows = unit_sparse(counts, in_place=True)
    evidence = np.minimum(1.0, np.diff(rows.indptr) / ANCHOR_EVIDENCE)  # [N] (thin rows count less)
    rows.data *= np.repeat(evidence, np.diff(rows.indptr)).astype(rows.data.dtype)
    return rows


def _paragraph_starts(start: np.ndarray, paragraphs: Sequence[Sequence[int]]) -> np.ndarray:
    """[P] sorted: where each paragraph of the notes laid end to end starts (`start` [N + 1] each note's
    first token; `paragraphs` each note's paragraph lengths). A paragraph id per token would be a corpus-
    sized array (400 MB at 50M tokens); mentions look theirs up here instead (`_paragraph_of`)."""
    parts = [start[n] + np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)[:-1]])
             for n, lengths in enumerate(paragraphs) if len(lengths)]
    return np.concatenate(parts) if parts else np.zeros(1, dtype=np.int64)


def _paragraph_of(firsts: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The paragraph holding each token position `at` (an empty paragraph shares its start with the next:
    the last of equal starts is the one with tokens)."""
    return np.searchsorted(firsts, at, side="right") - 1


def find_mentions(corpus: np.ndarray, owner: np.ndarray, names: Sequence[Sequence[Sequence[int]]],
                  langs: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(position [M], name length [M], mentioned note [M]) of every occurrence in `corpus` (all notes' ids
    end to end, `owner` [T] the note of each) of a note's name, in another note; overlapping ones too.
    One-word names are found with one array lookup; longer ones by their first two words, then checked."""
    by_name: dict[tuple[int, ...], list[int]] = {}
    for note, note_names in enumerate(names):
        for name in {tuple(n) for n in note_names}:
            by_name.setdefault(name, []).append(note)
    parts = [_single_mentions(corpus, owner, by_name, langs), _long_mentions(corpus, owner, by_name, langs)]
    pos, length, mentioned = (np.concatenate(column) for column in zip(*parts, strict=True))
    order = np.argsort(pos, kind="stable")
    return pos[order], length[order], mentioned[order]


def _resolve(notes: list[int], a: int, langs: Sequence[str]) -> list[int]:
    """The notes a shared name means in note a: those in a's language when there are any; never a itself."""
    if len(notes) > 1:
        notes = [b for b in notes if langs[b] == langs[a]] or notes
    return [b for b in notes if b != a]


def _single_mentions(corpus: np.ndarray, owner: np.ndarray, by_name: dict[tuple[int, ...], list[int]],
                     langs: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    size = int(corpus.max()) + 1 if corpus.size else 0
    note_of = np.full(size, -1, np.int32)  # one-word name -> its note (-2: several notes share it)
    shared: dict[int, list[int]] = {}
    for name, notes in by_name.items():
        if len(name) == 1 and name[0] < size:
            note_of[name[0]] = notes[0] if len(notes) == 1 else -2
            if len(notes) > 1:
                shared[name[0]] = notes
    if not size:
        return _empty()
    hit = note_of[corpus]  # [T]
    one = np.flatnonzero((hit >= 0) & (hit != owner))
    pos, mentioned = [one], [hit[one].astype(np.int64)]
    for p, b in _shared_mentions(np.flatnonzero(hit == -2), corpus, owner, shared, langs):
        pos.append(p)
        mentioned.append(np.full(p.size, b, np.int64))
    pos_all = np.concatenate(pos).astype(np.int64)
    return pos_all, np.ones(pos_all.size, np.int64), np.concatenate(mentioned)


def _shared_mentions(at: np.ndarray, corpus: np.ndarray, owner: np.ndarray, shared: dict[int, list[int]],
                     langs: Sequence[str]) -> list[tuple[np.ndarray, int]]:
    """(positions [c], note) for the names that several notes share, found at the positions `at`: resolved
    once per (name, language of the mentioning note), as `_resolve` does one mention (a Python loop per
    mention took most of a 100k-note build's stage, and a small array for each mention its memory)."""
    if not at.size:
        return []
    code = {lang: i for i, lang in enumerate(sorted(set(langs)))}
    note_lang = np.array([code[lang] for lang in langs], np.int64)  # [N]
    key = corpus[at].astype(np.int64) * len(code) + note_lang[owner[at]]  # [c] (name, language)
    keys, group = np.unique(key, return_inverse=True)
    by_group = np.argsort(group, kind="stable")
    out = []
    for k, part in enumerate(np.split(at[by_group], np.cumsum(np.bincount(group, minlength=keys.size))[:-1])):
        notes, lang = shared[int(keys[k]) // len(code)], langs[int(owner[part[0]])]
        for b in [b for b in notes if langs[b] == lang] or notes:  # `_resolve`, less each mention's own note
            p = part[owner[part] != b]
            if p.size:
                out.append((p, b))
    return out


def _long_mentions(corpus: np.ndarray, owner: np.ndarray, by_name: dict[tuple[int, ...], list[int]],
                   langs: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The mentions of names of two words or more: the positions where a name's first two words are
    (`_pair_starts`), then per name length the whole windows there, matched by a hash and checked exactly.
    A Python step per candidate position (480k on 10k notes) took 1.7-2.6 s of every build."""
    longer: dict[tuple[int, int], list[tuple[int, ...]]] = {}
    for name in by_name:
        if len(name) > 1:
            longer.setdefault((name[0], name[1]), []).append(name)
    if not longer or corpus.size < 2:
        return _empty()
    S = int(max(corpus.max(), max(max(k) for k in longer))) + 1
    firsts = np.unique(np.array([x * S + y for x, y in longer], dtype=np.int64))  # [F] sorted codes
    rank = {name: r for names in longer.values() for r, name in enumerate(names)}  # order within a prefix
    starts = _pair_starts(corpus, firsts, S)  # [C]
    codes = corpus[starts].astype(np.int64) * S + corpus[starts + 1]  # [C]
    found = [_windows_named(corpus, owner, starts, codes, S, size, {n for n in rank if len(n) == size})
             for size in sorted({len(n) for n in rank})]
    hits = sorted((p, rank[name], name) for part in found for p, name in part)  # as a scan by position
    pos, length, mentioned = [], [], []
    for p, _, name in hits:
        for b in _resolve(by_name[name], int(owner[p]), langs):
            pos.append(p)
            length.append(len(name))
            mentioned.append(b)
    return np.array(pos, np.int64), np.array(length, np.int64), np.array(mentioned, np.int64)


def _windows_named(corpus: np.ndarray, owner: np.ndarray, starts: np.ndarray, codes: np.ndarray, S: int,
                   size: int, names: set[tuple[int, ...]]) -> list[tuple[int, tuple[int, ...]]]:
    """(position, name) for the names of `size` words found at `starts` (within one note)."""
    prefixes = np.unique(np.array([n[0] * S + n[1] for n in names], dtype=np.int64))
    at = starts[np.isin(codes, prefixes) & (starts + size <= corpus.size)]
    at = at[owner[np.minimum(at + size - 1, corpus.size - 1)] == owner[at]]  # [c] the name ends in the note
    targets = np.unique(_window_hash(np.array(sorted(names), dtype=np.int64)))
    out = []
    for a in range(0, at.size, _MENTION_CHUNK // size + 1):
        p = at[a : a + _MENTION_CHUNK // size + 1]
        windows = corpus[p[:, None] + np.arange(size)].astype(np.int64)  # [c, size]
        hit = np.flatnonzero(np.isin(_window_hash(windows), targets))
        out += [(q, name) for q, w in zip(p[hit].tolist(), windows[hit].tolist(), strict=True)
                if (name := tuple(w)) in names]
    return out


def _window_hash(rows: np.ndarray) -> np.ndarray:
    """[c] a 64-bit polynomial hash of each row of word ids [c, size] (equal rows, equal hashes)."""
    h = np.zeros(rows.shape[0], dtype=np.uint64)
    for j in range(rows.shape[1]):
        h = h * np.uint64(1_000_003) + rows[:, j].astype(np.uint64)
    return h


def _pair_starts(corpus: np.ndarray, firsts: np.ndarray, S: int) -> np.ndarray:
    """Positions p (ascending) where corpus[p] * S + corpus[p + 1] is one of the sorted codes `firsts`,
    a block of positions at a time: half of a vault's tokens can begin a name's first word, and their
    int64 codes, with `np.isin`'s sort of them, were most of the stage's peak (20k synthetic notes, 10M
    tokens: +555 MB over its start, +337 MB in blocks)."""
    starts = np.zeros(S, dtype=bool)  # words that begin a longer name
    starts[firsts // S] = True
    out = [np.zeros(0, np.int64)]
    for a in range(0, corpus.size - 1, _PAIR_BLOCK):
        at = a + np.flatnonzero(starts[corpus[a : min(a + _PAIR_BLOCK, corpus.size - 1)]])  # [c]
        codes = corpus[at].astype(np.int64) * S + corpus[at + 1]  # [c]
        k = np.minimum(np.searchsorted(firsts, codes), firsts.size - 1)
        out.append(at[firsts[k] == codes])
    return np.concatenate(out)


def _empty() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    e = np.zeros(0, np.int64)
    return e, e, e
